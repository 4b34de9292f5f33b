//! `/:org/requests/:id`: one request as its requester sees it.

use leptos::prelude::*;

use super::{param, set_title};
use crate::api;
use crate::i18n::{format_instant, status_label, tr};
use crate::storage;

#[component]
pub fn RequestPage() -> impl IntoView {
    let id = param("id");
    let loaded = LocalResource::new(move || {
        let id = id.get();
        async move {
            match storage::tracking_token(&id) {
                Some(token) => api::request(&id, &token).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <Suspense fallback=|| view! { <p role="status">{tr("loading")}</p> }>
            {move || loaded.get().map(|result| match result {
                Ok(Some(request)) => {
                    let title = format!("{} · {}", request.reference, request.subject);
                    set_title(move || title.clone());
                    let status = request.status;
                    let created_at = request.created_at.clone();
                    view! {
                        <article class="request">
                            <p class="eyebrow">{tr("request-title")}</p>
                            <h1 data-testid="subject" dir="auto">{request.subject}</h1>
                            <dl class="facts">
                                <div><dt>{tr("reference")}</dt><dd data-testid="reference" dir="ltr">{request.reference}</dd></div>
                                <div><dt>{tr("status")}</dt><dd><span class="status" data-testid="status">{move || status_label(status)}</span></dd></div>
                                <div><dt>{tr("submitted-at")}</dt><dd><time datetime=request.created_at.clone()>{move || format_instant(&created_at)}</time></dd></div>
                                <div><dt>{tr("requester")}</dt><dd><bdi>{request.requester_name}</bdi>" "<span dir="ltr">"<"{request.requester_email}">"</span></dd></div>
                            </dl>
                            <p class="description" data-testid="description" dir="auto">{request.description}</p>
                        </article>
                    }.into_any()
                }
                Ok(None) => view! { <p role="alert" class="notice">{tr("no-token")}</p> }.into_any(),
                Err(failure) => view! {
                    <p role="alert" class="notice notice--error">
                        {tr(if failure.status() == Some(404) { "not-found-request" } else { "load-failed" })}
                    </p>
                }.into_any(),
            })}
        </Suspense>
    }
}
