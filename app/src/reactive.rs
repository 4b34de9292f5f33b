//! Type-erased reactive helpers: many call sites share one copy of the framework's generic
//! code (each distinct `LocalResource<T>` or effect closure type compiles its own).

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use leptos::prelude::*;

/// What a page loads, type-erased. Every resource of the portal has this one type: each
/// `LocalResource<T>` compiles its own copy of the async machinery (several KB of wasm).
pub type Erased = Arc<dyn Any + Send + Sync>;
type Fetch = Box<dyn Fn() -> Pin<Box<dyn Future<Output = Erased>>>>;

/// A resource loading a `T` with `fetch` (re-run when the signals it reads change).
pub fn resource<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> LocalResource<Erased>
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
    LocalResource::new(fetch)
}

/// The latest value of a [`resource`] loading a `T` (tracked); `None` until the first is in.
pub fn latest<T: Any + Send + Sync>(resource: LocalResource<Erased>) -> Option<Arc<T>> {
    resource.get().and_then(|value| value.downcast::<T>().ok())
}

/// Runs `run` now and again whenever a signal it reads changes (an `Effect`).
pub fn watch(run: impl Fn() + 'static) {
    erased_watch(Box::new(run));
}

fn erased_watch(run: Box<dyn Fn()>) {
    Effect::new(move |_| run());
}
