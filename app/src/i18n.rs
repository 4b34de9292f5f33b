//! The portal's language: the chosen locale (remembered), its texts from `locales/*/portal.ftl`
//! and `fields.ftl` (compiled at build time: no Fluent parser in the download; English is built
//! in, another locale's texts are fetched before it is shown), and dates in the viewer's locale
//! and time zone.
//!
//! Every text read here is reactive: read inside a closure, it re-renders when the locale changes.

use edgedesk_core::i18n::messages::{self, Messages, PORTAL_FILES};
use edgedesk_core::i18n::{MessageId, ids};
use edgedesk_core::{FieldErrorCode, Locale, TicketStatus};
use gloo_storage::{LocalStorage, Storage as _};
use leptos::prelude::*;

/// Where the requester's choice is kept, so it wins over the browser's languages next time.
const LOCALE_KEY: &str = "edgedesk.locale.v1";

static CATALOG: Messages = Messages::new(&PORTAL_FILES);

thread_local! {
    // Reference-counted rather than arena-owned: it lives as long as the page, whichever
    // component touched it first.
    static LOCALE: ArcRwSignal<Locale> = ArcRwSignal::new(initial_locale());
}

/// The stored choice, else the first of the browser's languages we speak, else English.
fn initial_locale() -> Locale {
    if let Some(stored) = crate::storage::load_text(LOCALE_KEY)
        && let Some(locale) = Locale::from_tag(&stored)
    {
        return locale;
    }
    let navigator = window().navigator();
    let languages: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .chain(navigator.language())
        .collect();
    Locale::negotiate(languages.iter().map(String::as_str))
}

/// The current locale (tracked: callers re-run when it changes).
pub fn locale() -> Locale {
    LOCALE.with(ArcRwSignal::get)
}

/// The current locale without subscribing (for requests and event handlers).
pub fn locale_untracked() -> Locale {
    LOCALE.with(ArcRwSignal::get_untracked)
}

/// Makes sure `locale`'s texts are here: built in (English), fetched before, or fetched now
/// from the bundle `index.html` names. `false` if they could not be had.
async fn load_texts(locale: Locale) -> bool {
    if messages::has_texts(locale, &PORTAL_FILES) {
        return true;
    }
    let url = document()
        .query_selector(&format!("meta[name='edgedesk:texts:{}']", locale.code()))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"));
    let Some(url) = url else {
        leptos::logging::warn!("index.html names no texts for {}", locale.code());
        return false;
    };
    let installed = match crate::api::texts(&url).await {
        Ok(bundle) => messages::install(locale, &PORTAL_FILES, bundle).map_err(|e| e.to_string()),
        Err(failure) => Err(failure.to_string()),
    };
    installed
        .inspect_err(|e| leptos::logging::warn!("the texts of {} did not load: {e}", locale.code()))
        .is_ok()
}

/// Before the first render: fetches the chosen locale's texts; without them this visit is in
/// English (rather than English words in a right-to-left page), and the choice stays stored.
pub async fn prepare() {
    let chosen = locale_untracked();
    if !load_texts(chosen).await {
        LOCALE.with(|signal| signal.set(Locale::En));
    }
    apply_document_language();
}

/// Switches the language now and for later visits, once its texts are here; `false` (and
/// nothing changes) if they could not be fetched.
pub async fn set_locale(locale: Locale) -> bool {
    if !load_texts(locale).await {
        return false;
    }
    // Storage full or disabled: the switch still applies to this visit.
    let _ = LocalStorage::set(LOCALE_KEY, locale.code());
    LOCALE.with(|signal| signal.set(locale));
    apply_document_language();
    true
}

/// Message `id` in the current locale.
pub fn t(id: MessageId) -> String {
    let locale = locale();
    CATALOG.message(locale, id, None)
}

/// Message `id` as a reactive text for views and attributes.
pub fn tr(id: MessageId) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    move || t(id)
}

/// A field label marked as optional, in the current language: the mark follows the label in
/// every language we speak, so it is appended rather than placed by a message argument.
pub fn optional_label(label: &str) -> String {
    format!("{label} {}", t(ids::OPTIONAL_MARK))
}

/// Message `id` whose plural form follows `count` (CLDR rules of the current locale).
pub fn t_count(id: MessageId, count: u32) -> String {
    let locale = locale();
    CATALOG.message_count(locale, id, "count", count)
}

/// A field error in the current locale, from its stable code and limit (never the API's English).
pub fn field_error(code: FieldErrorCode, limit: Option<u32>) -> String {
    let locale = locale();
    CATALOG.field_error(locale, code, limit)
}

/// A locale's own name for itself, for the language switcher (there before its texts are).
pub fn language_name(locale: Locale) -> &'static str {
    messages::own_name(locale)
}

/// A status in plain words for requesters.
pub fn status_label(status: TicketStatus) -> String {
    t(match status {
        TicketStatus::New => ids::STATUS_NEW,
        TicketStatus::Open => ids::STATUS_OPEN,
        TicketStatus::Pending => ids::STATUS_PENDING,
        TicketStatus::OnHold => ids::STATUS_ON_HOLD,
        TicketStatus::Solved => ids::STATUS_SOLVED,
        TicketStatus::Closed => ids::STATUS_CLOSED,
    })
}

/// Sets `<html lang dir>` so screen readers, fonts and the CSS logical properties follow.
fn apply_document_language() {
    let locale = locale_untracked();
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", locale.bcp47());
        let _ = root.set_attribute("dir", locale.dir());
    }
}

/// An instant (RFC 3339) in the viewer's time zone, written the current locale's way.
pub fn format_instant(rfc3339: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(locale().bcp47(), &options).into()
}

/// A calendar date (`2026-12-31`) written the current locale's way. It names a day, not an
/// instant, so it is formatted in UTC: the viewer's time zone must not move it to another day.
pub fn format_date(ymd: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(ymd));
    if date.get_time().is_nan() {
        return ymd.to_owned();
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &"UTC".into());
    date.to_locale_date_string(locale().bcp47(), &options)
        .into()
}

/// A number with the current locale's decimal mark and grouping.
pub fn format_number(number: f64) -> String {
    js_sys::Number::from(number)
        .to_locale_string(locale().bcp47())
        .as_string()
        .unwrap_or_else(|| plain_number(number))
}

/// A number in plain digits (for input attributes), written by the browser: Rust's float
/// formatting would add its tables to the download.
pub fn plain_number(number: f64) -> String {
    js_sys::Number::from(number)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}
