//! The page frame: skip link, header with navigation and language menu, and the main landmark.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use super::LanguageSwitcher;
use crate::i18n::tr;

/// Wraps every page. Navigation links appear once the URL names an organisation.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let location = use_location();
    let org = move || {
        let path = location.pathname.get();
        path.trim_matches('/')
            .split('/')
            .next()
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    view! {
        <a class="skip-link" href="#main">{tr("skip-to-content")}</a>
        <header class="site-header">
            <div class="site-header__inner">
                {move || {
                    let home = org().map_or_else(|| "/".to_owned(), |o| format!("/{o}"));
                    view! { <A href=home attr:class="brand">{tr("brand")}</A> }
                }}
                {move || org().map(|o| view! {
                    <nav aria-label=tr("nav-label")>
                        <A href=format!("/{o}/requests/new")>{tr("nav-new-request")}</A>
                        <A href=format!("/{o}/requests")>{tr("nav-my-requests")}</A>
                    </nav>
                })}
                <LanguageSwitcher />
            </div>
        </header>
        <main id="main" tabindex="-1" class="page">{children()}</main>
    }
}
