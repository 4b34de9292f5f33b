//! `/`: forwards to the default organisation's portal.

use edgedesk_core::i18n::ids;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::t;

#[component]
pub fn RootPage() -> impl IntoView {
    let failed = RwSignal::new(false);
    spawn_local(async move {
        match api::default_org().await {
            Ok(org) => crate::router::navigate(&format!("/{org}"), true),
            Err(_) => failed.set(true),
        }
    });
    view! {
        <p role="status">{move || if failed.get() { t(ids::LOAD_FAILED) } else { t(ids::LOADING) }}</p>
    }
}
