//! Fallback for addresses that match no route.

use leptos::prelude::*;

use super::set_title;
use crate::i18n::tr;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_title(tr("not-found-title"));
    view! {
        <h1>{tr("not-found-title")}</h1>
        <p>{tr("not-found-body")}</p>
        <p><a href="/">{tr("back-home")}</a></p>
    }
}
