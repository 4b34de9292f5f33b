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

use edgedesk_core::i18n::ids;
use leptos::prelude::*;

use crate::reactive::{latest, resource, watch};

/// A route parameter of the page being built (empty when absent). A page is built anew when
/// its parameters change (see `App`), so the value is fixed for the page's lifetime.
fn param(name: &'static str) -> Signal<String> {
    Signal::stored(crate::router::page_untracked().param(name))
}

/// Keeps the document title (announced by screen readers on navigation) in the current language.
fn set_title(title: impl Fn() -> String + 'static) {
    watch(move || document().set_title(&format!("{} · {}", title(), crate::i18n::t(ids::BRAND))));
}

/// A contact field's message in the current language, from its stable code (the API's
/// `message` is only a fallback text).
fn contact_error(
    errors: RwSignal<edgedesk_core::ValidationErrors>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors
            .read()
            .for_field(field)
            .map(|e| crate::i18n::field_error(e.code, e.limit))
    })
}

/// Re-checks one contact field of the form's current input and replaces its message.
fn check_contact(
    errors: RwSignal<edgedesk_core::ValidationErrors>,
    input: impl Fn() -> edgedesk_core::NewRequestInput + Send + Sync + 'static,
    field: &'static str,
) -> Callback<()> {
    Callback::new(move |()| {
        let current = input();
        errors.update(|all| {
            all.0.retain(|e| e.field != field);
            if let Some(error) = edgedesk_core::NewRequest::check_field(field, &current) {
                all.push(error);
            }
        });
    })
}
