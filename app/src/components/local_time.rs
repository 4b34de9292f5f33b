//! An instant as a `<time>` element, shown in the viewer's time zone and the current locale.

use leptos::prelude::*;

use crate::i18n::format_instant;

/// `<time datetime=…>` with the instant written the current locale's way (it follows a language
/// switch). One function for every instant on the page, so the portal carries its view code once.
pub fn local_time(rfc3339: String) -> impl IntoView {
    let shown = rfc3339.clone();
    view! { <time datetime=rfc3339>{move || format_instant(&shown)}</time> }
}
