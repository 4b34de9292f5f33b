//! `/:org/requests`: the requests made from this browser.

use edgedesk_core::i18n::ids;
use leptos::prelude::*;

use super::{param, set_title};
use crate::i18n::{format_instant, t_count, tr};
use crate::storage;

#[component]
pub fn MyRequestsPage() -> impl IntoView {
    set_title(tr(ids::MY_REQUESTS_TITLE));
    let org = param("org");
    let mine = move || {
        let org = org.get();
        storage::saved_requests()
            .into_iter()
            .filter(|r| r.org == org)
            .collect::<Vec<_>>()
    };
    view! {
        <h1>{tr(ids::MY_REQUESTS_TITLE)}</h1>
        {move || {
            let items = mine();
            if items.is_empty() {
                return view! { <p class="empty">{tr(ids::MY_REQUESTS_EMPTY)}</p> }.into_any();
            }
            // Saturates rather than wraps: nobody keeps four billion requests in one browser.
            let count = u32::try_from(items.len()).unwrap_or(u32::MAX);
            view! {
                <p class="lead" data-testid="request-count">
                    {move || t_count(ids::MY_REQUESTS_COUNT, count)}
                </p>
                <ul class="request-list">
                    {items.into_iter().map(|r| {
                        let created_at = r.created_at.clone();
                        view! {
                        <li data-testid="my-request">
                            <a href=format!("/{}/requests/{}", r.org, r.id)>
                                <span class="ref">{r.reference}</span>
                                <span class="subject" dir="auto">{r.subject}</span>
                            </a>
                            <time datetime=r.created_at>{move || format_instant(&created_at)}</time>
                        </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
