//! Every user-facing string of the portal, in one place (English for now; the locale files for
//! he, pl, el and uz replace this module's table).

use edgedesk_core::TicketStatus;

/// The portal's texts for one language.
pub struct Strings {
    pub lang: &'static str,
    pub dir: &'static str,
    pub brand: &'static str,
    pub skip_to_content: &'static str,
    pub nav_new_request: &'static str,
    pub nav_my_requests: &'static str,
    pub loading: &'static str,
    pub home_lead: &'static str,
    pub new_request_title: &'static str,
    pub new_request_lead: &'static str,
    pub field_requester_name: &'static str,
    pub field_requester_email: &'static str,
    pub field_subject: &'static str,
    pub field_description: &'static str,
    pub submit: &'static str,
    pub submitting: &'static str,
    pub fix_errors: &'static str,
    pub submit_failed: &'static str,
    pub request_title: &'static str,
    pub reference: &'static str,
    pub status: &'static str,
    pub submitted_at: &'static str,
    pub requester: &'static str,
    pub no_token: &'static str,
    pub not_found_request: &'static str,
    pub load_failed: &'static str,
    pub my_requests_title: &'static str,
    pub my_requests_empty: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
    pub unknown_org: &'static str,
}

const EN: Strings = Strings {
    lang: "en",
    dir: "ltr",
    brand: "EdgeDesk",
    skip_to_content: "Skip to content",
    nav_new_request: "New request",
    nav_my_requests: "My requests",
    loading: "Loading…",
    home_lead: "Tell us what you need and we will take it from there. You can follow your requests here.",
    new_request_title: "New request",
    new_request_lead: "All fields are required.",
    field_requester_name: "Your name",
    field_requester_email: "Your email",
    field_subject: "Subject",
    field_description: "Describe what you need",
    submit: "Submit request",
    submitting: "Submitting…",
    fix_errors: "Please correct the highlighted fields.",
    submit_failed: "Your request could not be sent. Nothing you typed is lost: check your connection and try again.",
    request_title: "Your request",
    reference: "Reference",
    status: "Status",
    submitted_at: "Submitted",
    requester: "Requester",
    no_token: "This request was not made from this browser, so its details cannot be shown here.",
    not_found_request: "We could not find this request.",
    load_failed: "The request could not be loaded. Check your connection and reload the page.",
    my_requests_title: "My requests",
    my_requests_empty: "You have not made any requests from this browser yet.",
    not_found_title: "Page not found",
    not_found_body: "There is nothing at this address.",
    back_home: "Back to the start page",
    unknown_org: "This organisation does not exist.",
};

/// The texts of the current language.
pub fn t() -> &'static Strings {
    &EN
}

/// A status in plain words for requesters.
pub fn status_label(status: TicketStatus) -> &'static str {
    match status {
        TicketStatus::New => "New",
        TicketStatus::Open => "Open",
        TicketStatus::Pending => "Waiting on you",
        TicketStatus::OnHold => "On hold",
        TicketStatus::Solved => "Solved",
        TicketStatus::Closed => "Closed",
    }
}

/// Sets `<html lang dir>` so screen readers and the CSS logical properties follow the language.
pub fn apply_document_language() {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("lang", t().lang);
        let _ = root.set_attribute("dir", t().dir);
    }
}

/// An instant (RFC 3339) in the viewer's time zone and locale.
pub fn format_instant(rfc3339: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(t().lang, &options).into()
}
