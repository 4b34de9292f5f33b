//! `/:org/requests/:id`: one request as its requester sees it: answers, promises, conversation.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

use edgedesk_core::TicketStatus;
use edgedesk_core::api::{RequestView, SubmittedForm, TimelineEntry};
use edgedesk_core::form::{Answers, FieldInput};
use edgedesk_core::i18n::ids;
use leptos::prelude::*;
use serde_json::Value;

use super::{latest, param, resource, set_title};
use crate::api::{self, ApiFailure};
use crate::components::{
    ReplyForm, level_label, local_time, localized, promises_list, timeline_list,
};
use crate::i18n::{format_date, format_instant, format_number, status_label, t, tr};
use crate::storage;

/// An answer in words: option labels instead of values, yes/no for a checkbox, chosen options
/// joined, dates and numbers the current locale's way (reactive: call inside a closure).
fn answer_text(field: &FieldInput, value: &Value, default_locale: &str) -> String {
    let option_label = |chosen: &str| {
        field
            .options
            .iter()
            .find(|o| o.value == chosen)
            .map(|o| localized(&o.label, default_locale))
            .or_else(|| level_label(&field.kind, chosen))
            // An option the admin has since renamed or removed still shows what was chosen.
            .unwrap_or_else(|| chosen.to_owned())
    };
    match (field.kind.as_str(), value) {
        ("checkbox", Value::Bool(ticked)) => t(if *ticked {
            ids::ANSWER_YES
        } else {
            ids::ANSWER_NO
        }),
        ("select" | "impact" | "urgency", Value::String(chosen)) => option_label(chosen),
        ("multiselect", Value::Array(chosen)) => chosen
            .iter()
            .filter_map(Value::as_str)
            .map(option_label)
            .collect::<Vec<_>>()
            .join(", "),
        ("number", Value::Number(number)) => number
            .as_f64()
            .map_or_else(|| number.to_string(), format_number),
        ("date", Value::String(day)) => format_date(day),
        ("datetime", Value::String(moment)) => format_instant(moment),
        (_, Value::String(text)) => text.clone(),
        // Anything else (a stored value of an unexpected shape) as plain JSON, never markup.
        (_, other) => other.to_string(),
    }
}

/// The catalog item's name (a fact of the request) and the submitted answers as a definition
/// list, in form order; unanswered fields are left out.
fn answers_list(
    form: SubmittedForm,
    answers: &Answers,
) -> (impl IntoView + use<>, impl IntoView + use<>) {
    let SubmittedForm {
        name,
        form,
        default_locale,
        ..
    } = form;
    let rows = form
        .fields
        .into_iter()
        .filter_map(|field| {
            let value = answers.get(&field.key).filter(|v| !v.is_null())?.clone();
            let default_locale = default_locale.clone();
            // Addresses and numbers read left to right; free text takes its own direction.
            let dir = match field.kind.as_str() {
                "email" | "phone" | "number" => "ltr",
                _ => "auto",
            };
            let multiline = field.kind == "textarea";
            let test_id = format!("answer-{}", field.key);
            let label = field.label.clone();
            let label_locale = default_locale.clone();
            Some(view! {
                <div data-testid=test_id>
                    <dt>{move || localized(&label, &label_locale)}</dt>
                    <dd dir=dir class:multiline=multiline>{move || answer_text(&field, &value, &default_locale)}</dd>
                </div>
            })
        })
        .collect::<Vec<_>>();
    let item = view! {
        <div>
            <dt>{tr(ids::REQUEST_ITEM)}</dt>
            <dd data-testid="catalog-item" dir="auto">{move || localized(&name, &default_locale)}</dd>
        </div>
    };
    // Every field optional and left empty: no heading over nothing.
    let list = (!rows.is_empty()).then(|| {
        view! {
            <section class="answers" aria-labelledby="answers-title">
                <h2 id="answers-title">{tr(ids::REQUEST_ANSWERS)}</h2>
                <dl class="answers__list" data-testid="answers">{rows}</dl>
            </section>
        }
    });
    (item, list)
}

/// The request as its requester sees it: facts, what the desk promised, details and answers.
fn request_view(request: RequestView) -> impl IntoView {
    let title = format!("{} · {}", request.reference, request.subject);
    set_title(move || title.clone());
    let status = request.status;
    let (item, answers) = request
        .catalog_item
        .map(|form| answers_list(form, &request.answers))
        .unzip();
    let description = (!request.description.trim().is_empty()).then(|| {
        view! {
            <p class="description" data-testid="description" dir="auto">{request.description}</p>
        }
    });
    view! {
        <article class="request">
            <p class="eyebrow">{tr(ids::REQUEST_TITLE)}</p>
            <h1 data-testid="subject" dir="auto">{request.subject}</h1>
            <dl class="facts">
                <div><dt>{tr(ids::REFERENCE)}</dt><dd data-testid="reference" dir="ltr">{request.reference}</dd></div>
                <div><dt>{tr(ids::STATUS)}</dt><dd><span class="status" data-testid="status">{move || status_label(status)}</span></dd></div>
                <div><dt>{tr(ids::SUBMITTED_AT)}</dt><dd>{local_time(request.created_at)}</dd></div>
                <div><dt>{tr(ids::REQUESTER)}</dt><dd><bdi>{request.requester_name}</bdi>" "<span dir="ltr">"<"{request.requester_email}">"</span></dd></div>
                {item}
            </dl>
            {description}
            {promises_list(request.promises)}
            {answers}
        </article>
    }
}

/// A request and its timeline, loaded together so that one reload refreshes both. The timeline
/// may fail on its own; the request still shows.
#[derive(Clone)]
struct Loaded {
    request: RequestView,
    timeline: Result<Vec<TimelineEntry>, ApiFailure>,
}

/// The page's answer: the request and its timeline, `None` without a tracking token here.
type Answer = Result<Option<Loaded>, ApiFailure>;

/// Both futures at once (two requests in flight), without pulling in a futures crate.
async fn both<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut done_a, mut done_b) = (None, None);
    poll_fn(|cx| {
        if done_a.is_none()
            && let Poll::Ready(value) = a.as_mut().poll(cx)
        {
            done_a = Some(value);
        }
        if done_b.is_none()
            && let Poll::Ready(value) = b.as_mut().poll(cx)
        {
            done_b = Some(value);
        }
        match (done_a.take(), done_b.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                (done_a, done_b) = (a, b);
                Poll::Pending
            }
        }
    })
    .await
}

#[component]
pub fn RequestPage() -> impl IntoView {
    let org = param("org");
    let id = param("id");
    let loaded = resource(move || {
        let id = id.get();
        async move {
            let Some(token) = storage::tracking_token(&id) else {
                return Ok::<_, ApiFailure>(None);
            };
            let (request, timeline) =
                both(api::request(&id, &token), api::timeline(&id, &token)).await;
            Ok(Some(Loaded {
                request: request?,
                timeline,
            }))
        }
    });
    // The conversation needs the status (a closed request takes no replies) but must outlive
    // reloads, or a reload would wipe what the requester is typing: it is built once the
    // request is there, and follows the status and timeline through these signals.
    let status = Memo::new(move |_| match latest::<Answer>(loaded).as_deref() {
        Some(Ok(Some(loaded))) => Some(loaded.request.status),
        _ => None,
    });
    let timeline = Signal::derive(move || match latest::<Answer>(loaded).as_deref() {
        Some(Ok(Some(loaded))) => Some(loaded.timeline.clone()),
        _ => None,
    });
    let shown = Memo::new(move |_| status.get().is_some());
    let reload = Callback::new(move |()| loaded.refetch());
    // Read directly rather than through `Suspense`: a reload keeps showing the last answer
    // until the new one is in, and the portal carries less view code.
    view! {
        {move || match latest::<Answer>(loaded).as_deref() {
            None => view! { <p role="status">{tr(ids::LOADING)}</p> }.into_any(),
            Some(Ok(Some(loaded))) => request_view(loaded.request.clone()).into_any(),
            Some(Ok(None)) => view! { <p role="alert" class="notice">{tr(ids::NO_TOKEN)}</p> }.into_any(),
            Some(Err(failure)) => view! {
                <p role="alert" class="notice notice--error">
                    {tr(if failure.status() == Some(404) { ids::NOT_FOUND_REQUEST } else { ids::LOAD_FAILED })}
                </p>
            }.into_any(),
        }}
        {move || {
            let (org, id) = (org.get(), id.get());
            let token = storage::tracking_token(&id).filter(|_| shown.get())?;
            // No signal is read while it is built (only inside its own closures), so building it
            // here subscribes this closure to nothing more.
            Some(conversation(Conversation { org, id, token, status, timeline, reload }))
        }}
    }
}

/// What the conversation below the request works with.
struct Conversation {
    org: String,
    id: String,
    token: String,
    /// The request's current status.
    status: Memo<Option<TicketStatus>>,
    /// The timeline as last loaded (`None` until the first load).
    timeline: Signal<Option<Result<Vec<TimelineEntry>, ApiFailure>>>,
    /// Reloads the request and its timeline (a reply changes both).
    reload: Callback<()>,
}

/// The public timeline and the reply form (once the request is closed, a reply starts a
/// follow-up request, and the page says so above the form).
fn conversation(
    Conversation {
        org,
        id,
        token,
        status,
        timeline,
        reload,
    }: Conversation,
) -> impl IntoView {
    // A memo, so the notice is redrawn only when the request closes, not on every status change.
    let closed = Memo::new(move |_| status.get() == Some(TicketStatus::Closed));
    view! {
        <section class="conversation" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{tr(ids::TIMELINE_TITLE)}</h2>
            {move || match timeline.get() {
                None => view! { <p role="status">{tr(ids::LOADING)}</p> }.into_any(),
                Some(Ok(entries)) => timeline_list(entries).into_any(),
                Some(Err(failure)) => {
                    leptos::logging::warn!("loading the timeline failed: {failure}");
                    view! {
                        <p role="alert" class="notice notice--error">{tr(ids::TIMELINE_LOAD_FAILED)}</p>
                        <button type="button" class="button" on:click=move |_| reload.run(())>{tr(ids::RETRY)}</button>
                    }.into_any()
                }
            }}
        </section>
        <section class="conversation" aria-labelledby="reply-title">
            <h2 id="reply-title">{tr(ids::REPLY_TITLE)}</h2>
            {move || closed.get().then(|| view! {
                <p class="notice" data-testid="closed-notice">{tr(ids::REPLY_CLOSED)}</p>
            })}
            <ReplyForm org=org id=id token=token on_change=reload />
        </section>
    }
}
