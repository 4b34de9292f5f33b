//! The page frame: skip link, header with navigation, and the main landmark.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::i18n::t;

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
        <a class="skip-link" href="#main">{t().skip_to_content}</a>
        <header class="site-header">
            <div class="site-header__inner">
                {move || {
                    let home = org().map_or_else(|| "/".to_owned(), |o| format!("/{o}"));
                    view! { <A href=home attr:class="brand">{t().brand}</A> }
                }}
                {move || org().map(|o| view! {
                    <nav aria-label="Main">
                        <A href=format!("/{o}/requests/new")>{t().nav_new_request}</A>
                        <A href=format!("/{o}/requests")>{t().nav_my_requests}</A>
                    </nav>
                })}
            </div>
        </header>
        <main id="main" tabindex="-1" class="page">{children()}</main>
    }
}
