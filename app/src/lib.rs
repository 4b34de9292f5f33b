//! EdgeDesk's requester portal: routes, shell and the wasm entry point.

mod api;
mod components;
mod i18n;
mod pages;
mod reactive;
mod router;
mod storage;
mod wire;

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::components::Shell;
use crate::pages::{
    CatalogItemPage, MyRequestsPage, NewRequestPage, NotFoundPage, OrgHomePage, RequestPage,
    RootPage,
};
use crate::router::Page;

/// Mounts the portal into `<body>` once the wasm module is instantiated and the requester's
/// texts are here.
#[wasm_bindgen(start)]
pub fn start() {
    // Not Leptos' `spawn_local`: its executor is set up by mounting, which comes after.
    wasm_bindgen_futures::spawn_local(async {
        i18n::prepare().await;
        router::start();
        leptos::mount::mount_to_body(App);
    });
}

/// The portal: the page the address names, inside the accessible shell. A page is built anew
/// when the address names another page or other parameters, never on a repeated address.
#[component]
pub fn App() -> impl IntoView {
    let page = Memo::new(|_| router::page());
    view! {
        <Shell>
            {move || match page.get() {
                Page::Root => view! { <RootPage /> }.into_any(),
                Page::OrgHome { .. } => view! { <OrgHomePage /> }.into_any(),
                Page::CatalogItem { .. } => view! { <CatalogItemPage /> }.into_any(),
                Page::MyRequests { .. } => view! { <MyRequestsPage /> }.into_any(),
                Page::NewRequest { .. } => view! { <NewRequestPage /> }.into_any(),
                Page::Request { .. } => view! { <RequestPage /> }.into_any(),
                Page::NotFound => view! { <NotFoundPage /> }.into_any(),
            }}
        </Shell>
    }
}
