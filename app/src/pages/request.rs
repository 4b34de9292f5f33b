//! `/:org/requests/:id`: one request as its requester sees it.

use leptos::prelude::*;

use super::{param, set_title};
use crate::api;
use crate::i18n::{format_instant, status_label, t};
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
        <Suspense fallback=|| view! { <p role="status">{t().loading}</p> }>
            {move || loaded.get().map(|result| match result {
                Ok(Some(request)) => {
                    set_title(&format!("{} · {}", request.reference, request.subject));
                    view! {
                        <article class="request">
                            <p class="eyebrow">{t().request_title}</p>
                            <h1 data-testid="subject">{request.subject}</h1>
                            <dl class="facts">
                                <div><dt>{t().reference}</dt><dd data-testid="reference" dir="ltr">{request.reference}</dd></div>
                                <div><dt>{t().status}</dt><dd><span class="status" data-testid="status">{status_label(request.status)}</span></dd></div>
                                <div><dt>{t().submitted_at}</dt><dd><time datetime=request.created_at.clone()>{format_instant(&request.created_at)}</time></dd></div>
                                <div><dt>{t().requester}</dt><dd>{request.requester_name}" "<span dir="ltr">"<"{request.requester_email}">"</span></dd></div>
                            </dl>
                            <p class="description" data-testid="description">{request.description}</p>
                        </article>
                    }.into_any()
                }
                Ok(None) => view! { <p role="alert" class="notice">{t().no_token}</p> }.into_any(),
                Err(failure) => view! {
                    <p role="alert" class="notice notice--error">
                        {if failure.status() == Some(404) { t().not_found_request } else { t().load_failed }}
                    </p>
                }.into_any(),
            })}
        </Suspense>
    }
}
