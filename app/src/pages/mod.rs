//! One module per route of the portal.

mod catalog_item;
mod my_requests;
mod new_request;
mod not_found;
mod org_home;
mod request;
mod root;

pub use catalog_item::CatalogItemPage;
pub use my_requests::MyRequestsPage;
pub use new_request::NewRequestPage;
pub use not_found::NotFoundPage;
pub use org_home::OrgHomePage;
pub use request::RequestPage;
pub use root::RootPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A route parameter as a signal (empty when absent).
fn param(name: &'static str) -> Signal<String> {
    let params = use_params_map();
    Signal::derive(move || params.read().get(name).unwrap_or_default())
}

/// Keeps the document title (announced by screen readers on navigation) in the current language.
fn set_title(title: impl Fn() -> String + 'static) {
    Effect::new(move |_| {
        document().set_title(&format!("{} · {}", title(), crate::i18n::t("brand")));
    });
}
