//! EdgeDesk's requester portal: routes, shell and the wasm entry point.

mod api;
mod components;
mod i18n;
mod pages;
mod reactive;
mod storage;
mod wire;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::components::Shell;
use crate::pages::{
    CatalogItemPage, MyRequestsPage, NewRequestPage, NotFoundPage, OrgHomePage, RequestPage,
    RootPage,
};

/// Mounts the portal into `<body>` once the wasm module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    i18n::apply_document_language();
    leptos::mount::mount_to_body(App);
}

/// The portal: one route per page, all inside the accessible shell.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Shell>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=RootPage />
                    <Route path=path!("/:org") view=OrgHomePage />
                    <Route path=path!("/:org/catalog/:item") view=CatalogItemPage />
                    <Route path=path!("/:org/requests") view=MyRequestsPage />
                    <Route path=path!("/:org/requests/new") view=NewRequestPage />
                    <Route path=path!("/:org/requests/:id") view=RequestPage />
                </Routes>
            </Shell>
        </Router>
    }
}
