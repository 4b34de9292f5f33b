//! The header's language menu: every locale by its own name, applied at once and remembered.

use edgedesk_core::Locale;
use edgedesk_core::i18n::ids;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::web_sys::HtmlSelectElement;

use crate::i18n::{self, language_name, tr};

/// A labelled native `<select>`: keyboard and screen-reader behaviour come from the browser.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let on_change = move |ev| {
        let Some(locale) = Locale::from_tag(&event_target_value(&ev)) else {
            return;
        };
        let select: HtmlSelectElement = event_target(&ev);
        spawn_local(async move {
            // Its texts could not be fetched: the menu goes back to the language shown.
            if !i18n::set_locale(locale).await {
                select.set_value(i18n::locale_untracked().code());
            }
        });
    };
    view! {
        <div class="language">
            <label for="language">{tr(ids::LANGUAGE_LABEL)}</label>
            <select id="language" name="language" on:change=on_change>
                {Locale::ALL
                    .into_iter()
                    .map(|locale| {
                        // Each name in its own language and script, so it is read out right.
                        view! {
                            <option
                                value=locale.code()
                                lang=locale.bcp47()
                                dir=locale.dir()
                                prop:selected=move || i18n::locale() == locale
                            >
                                {language_name(locale)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
