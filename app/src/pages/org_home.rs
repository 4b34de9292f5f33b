//! `/:org`: the organisation's start page.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{param, set_title};
use crate::api;
use crate::i18n::tr;

#[component]
pub fn OrgHomePage() -> impl IntoView {
    let org = param("org");
    let profile = LocalResource::new(move || {
        let slug = org.get();
        async move { api::org(&slug).await }
    });
    view! {
        <Suspense fallback=|| view! { <p role="status">{tr("loading")}</p> }>
            {move || profile.get().map(|result| match result {
                Ok(profile) => {
                    let name = profile.name.clone();
                    set_title(move || name.clone());
                    let slug = profile.slug.clone();
                    view! {
                        <section class="hero">
                            <h1>{profile.name}</h1>
                            <p class="lead">{tr("home-lead")}</p>
                            <div class="actions">
                                <A href=format!("/{slug}/requests/new") attr:class="button button--primary">{tr("nav-new-request")}</A>
                                <A href=format!("/{slug}/requests") attr:class="button">{tr("nav-my-requests")}</A>
                            </div>
                        </section>
                    }.into_any()
                }
                Err(failure) => view! {
                    <p role="alert" class="notice notice--error">
                        {tr(if failure.status() == Some(404) { "unknown-org" } else { "load-failed" })}
                    </p>
                }.into_any(),
            })}
        </Suspense>
    }
}
