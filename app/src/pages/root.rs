//! `/`: forwards to the default organisation's portal.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::i18n::t;

#[component]
pub fn RootPage() -> impl IntoView {
    let failed = RwSignal::new(false);
    let navigate = use_navigate();
    spawn_local(async move {
        match api::default_org().await {
            Ok(org) => navigate(
                &format!("/{org}"),
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            ),
            Err(_) => failed.set(true),
        }
    });
    view! {
        <p role="status">{move || if failed.get() { t("load-failed") } else { t("loading") }}</p>
    }
}
