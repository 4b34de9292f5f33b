//! What the desk promised on a request (first response, next reply, resolution) and whether it
//! is keeping it, in the viewer's locale and time zone.

use edgedesk_core::api::Promise;
use edgedesk_core::i18n::{MessageId, ids};
use edgedesk_core::sla::Metric;
use leptos::prelude::*;

use super::local_time;
use crate::i18n::tr;

/// Message ids: the label before a due time, and the metric's name while its clock is paused.
const fn labels(metric: Metric) -> (MessageId, MessageId) {
    match metric {
        Metric::FirstResponse => (ids::PROMISE_DUE_FIRST_RESPONSE, ids::PROMISE_FIRST_RESPONSE),
        Metric::NextResponse => (ids::PROMISE_DUE_NEXT_RESPONSE, ids::PROMISE_NEXT_RESPONSE),
        Metric::Resolution => (ids::PROMISE_DUE_RESOLUTION, ids::PROMISE_RESOLUTION),
    }
}

fn promise_view(promise: Promise) -> impl IntoView {
    let (due_label, paused_label) = labels(promise.metric);
    // A paused promise that still holds needs no verdict; a missed one says so even paused.
    let verdict = if promise.on_track {
        promise
            .due_at
            .is_some()
            .then_some((ids::PROMISE_ON_TRACK, "promise__state promise__state--ok"))
    } else {
        Some((ids::PROMISE_LATE, "promise__state promise__state--late"))
    };
    let verdict = verdict.map(
        |(text, class)| view! { <span class=class data-testid="promise-state">{tr(text)}</span> },
    );
    let (label, value) = match promise.due_at {
        Some(due) => (due_label, local_time(due).into_any()),
        None => (
            paused_label,
            view! { <span>{tr(ids::PROMISE_PAUSED)}</span> }.into_any(),
        ),
    };
    view! {
        <div class="promise" data-testid="promise" data-metric=promise.metric.as_str()>
            <dt>{tr(label)}</dt>
            <dd>{value}" "{verdict}</dd>
        </div>
    }
}

/// The promises (from the request view, in metric order) as a definition list ("First response
/// expected by" → a time and a verdict); nothing at all when the request has none (no SLA policy
/// applies, or all were kept). A plain function rather than a component: it owns no state.
pub fn promises_list(promises: Vec<Promise>) -> impl IntoView {
    (!promises.is_empty()).then(|| {
        view! {
            <section class="promises" aria-labelledby="promises-title" data-testid="promises">
                <h2 id="promises-title">{tr(ids::PROMISES_TITLE)}</h2>
                <dl class="promises__list">{promises.into_iter().map(|promise| promise_view(promise).into_any()).collect::<Vec<_>>()}</dl>
            </section>
        }
    })
}
