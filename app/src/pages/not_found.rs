//! Fallback for addresses that match no route.

use leptos::prelude::*;
use leptos_router::components::A;

use super::set_title;
use crate::i18n::t;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_title(t().not_found_title);
    view! {
        <h1>{t().not_found_title}</h1>
        <p>{t().not_found_body}</p>
        <p><A href="/">{t().back_home}</A></p>
    }
}
