//! The page frame: skip link, header with navigation and language menu, and the main landmark.

use edgedesk_core::i18n::ids;
use leptos::prelude::*;

use super::LanguageSwitcher;
use crate::i18n::tr;

/// Wraps every page. Navigation links appear once the URL names an organisation.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let org = move || Some(crate::router::page().param("org")).filter(|o| !o.is_empty());
    // The link to the page being shown says so (and is styled so).
    let current = |href: String| move || (crate::router::path() == href).then_some("page");
    view! {
        <a class="skip-link" href="#main">{tr(ids::SKIP_TO_CONTENT)}</a>
        <header class="site-header">
            <div class="site-header__inner">
                {move || {
                    let home = org().map_or_else(|| "/".to_owned(), |o| format!("/{o}"));
                    view! { <a href=home class="brand">{tr(ids::BRAND)}</a> }
                }}
                {move || org().map(|o| view! {
                    <nav aria-label=tr(ids::NAV_LABEL)>
                        <a href=format!("/{o}/requests/new") aria-current=current(format!("/{o}/requests/new"))>
                            {tr(ids::NAV_NEW_REQUEST)}
                        </a>
                        <a href=format!("/{o}/requests") aria-current=current(format!("/{o}/requests"))>
                            {tr(ids::NAV_MY_REQUESTS)}
                        </a>
                    </nav>
                })}
                <LanguageSwitcher />
            </div>
        </header>
        <main id="main" tabindex="-1" class="page">{children()}</main>
    }
}
