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

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// What a page loads, type-erased. Every resource of the portal has this one type: each
/// `LocalResource<T>` compiles its own copy of the async machinery (several KB of wasm).
type Erased = Arc<dyn Any + Send + Sync>;
type Fetch = Box<dyn Fn() -> Pin<Box<dyn Future<Output = Erased>>>>;

/// A resource loading a `T` with `fetch` (re-run when the signals it reads change).
fn resource<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> LocalResource<Erased>
where
    T: Any + Send + Sync,
    Fut: Future<Output = T> + 'static,
{
    erased_resource(Box::new(move || {
        let fut = fetch();
        Box::pin(async move { Arc::new(fut.await) as Erased })
    }))
}

fn erased_resource(fetch: Fetch) -> LocalResource<Erased> {
    LocalResource::new(move || fetch())
}

/// The latest value of a [`resource`] loading a `T` (tracked); `None` until the first is in.
fn latest<T: Any + Send + Sync>(resource: LocalResource<Erased>) -> Option<Arc<T>> {
    resource.get().and_then(|value| value.downcast::<T>().ok())
}

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
