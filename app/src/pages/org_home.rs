//! `/:org`: the organisation's start page.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{param, set_title};
use crate::api;
use crate::i18n::t;

#[component]
pub fn OrgHomePage() -> impl IntoView {
    let org = param("org");
    let profile = LocalResource::new(move || {
        let slug = org.get();
        async move { api::org(&slug).await }
    });
    view! {
        <Suspense fallback=|| view! { <p role="status">{t().loading}</p> }>
            {move || profile.get().map(|result| match result {
                Ok(profile) => {
                    set_title(&profile.name);
                    let slug = profile.slug.clone();
                    view! {
                        <section class="hero">
                            <h1>{profile.name}</h1>
                            <p class="lead">{t().home_lead}</p>
                            <div class="actions">
                                <A href=format!("/{slug}/requests/new") attr:class="button button--primary">{t().nav_new_request}</A>
                                <A href=format!("/{slug}/requests") attr:class="button">{t().nav_my_requests}</A>
                            </div>
                        </section>
                    }.into_any()
                }
                Err(failure) => view! {
                    <p role="alert" class="notice notice--error">
                        {if failure.status() == Some(404) { t().unknown_org } else { t().load_failed }}
                    </p>
                }.into_any(),
            })}
        </Suspense>
    }
}
