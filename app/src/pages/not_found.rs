//! Fallback for addresses that match no route.

use edgedesk_core::i18n::ids;
use leptos::prelude::*;

use super::set_title;
use crate::i18n::tr;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_title(tr(ids::NOT_FOUND_TITLE));
    view! {
        <h1>{tr(ids::NOT_FOUND_TITLE)}</h1>
        <p>{tr(ids::NOT_FOUND_BODY)}</p>
        <p><a href="/">{tr(ids::BACK_HOME)}</a></p>
    }
}
