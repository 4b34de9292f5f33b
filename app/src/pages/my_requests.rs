//! `/:org/requests`: the requests made from this browser.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{param, set_title};
use crate::i18n::{format_instant, t};
use crate::storage;

#[component]
pub fn MyRequestsPage() -> impl IntoView {
    set_title(t().my_requests_title);
    let org = param("org");
    let mine = move || {
        let org = org.get();
        storage::saved_requests()
            .into_iter()
            .filter(|r| r.org == org)
            .collect::<Vec<_>>()
    };
    view! {
        <h1>{t().my_requests_title}</h1>
        {move || {
            let items = mine();
            if items.is_empty() {
                view! { <p class="empty">{t().my_requests_empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="request-list">
                        {items.into_iter().map(|r| {
                            let when = format_instant(&r.created_at);
                            view! {
                            <li data-testid="my-request">
                                <A href=format!("/{}/requests/{}", r.org, r.id)>
                                    <span class="ref">{r.reference}</span>
                                    <span class="subject">{r.subject}</span>
                                </A>
                                <time datetime=r.created_at>{when}</time>
                            </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
    }
}
