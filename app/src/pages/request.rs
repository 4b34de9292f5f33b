//! `/:org/requests/:id`: one request as its requester sees it, with the answers to its
//! catalog form labelled from the form version it was submitted with.

use edgedesk_core::api::SubmittedForm;
use edgedesk_core::form::{Answers, FieldInput};
use leptos::prelude::*;
use serde_json::Value;

use super::{param, set_title};
use crate::api;
use crate::components::{level_label, localized};
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
        ("checkbox", Value::Bool(ticked)) => t(if *ticked { "answer-yes" } else { "answer-no" }),
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
fn answers_list(form: SubmittedForm, answers: &Answers) -> (impl IntoView, impl IntoView) {
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
            <dt>{tr("request-item")}</dt>
            <dd data-testid="catalog-item" dir="auto">{move || localized(&name, &default_locale)}</dd>
        </div>
    };
    // Every field optional and left empty: no heading over nothing.
    let list = (!rows.is_empty()).then(|| {
        view! {
            <section class="answers" aria-labelledby="answers-title">
                <h2 id="answers-title">{tr("request-answers")}</h2>
                <dl class="answers__list" data-testid="answers">{rows}</dl>
            </section>
        }
    });
    (item, list)
}

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
                    let (item, answers) = request
                        .catalog_item
                        .map(|form| answers_list(form, &request.answers))
                        .unzip();
                    let description = (!request.description.trim().is_empty()).then(|| view! {
                        <p class="description" data-testid="description" dir="auto">{request.description}</p>
                    });
                    view! {
                        <article class="request">
                            <p class="eyebrow">{tr("request-title")}</p>
                            <h1 data-testid="subject" dir="auto">{request.subject}</h1>
                            <dl class="facts">
                                <div><dt>{tr("reference")}</dt><dd data-testid="reference" dir="ltr">{request.reference}</dd></div>
                                <div><dt>{tr("status")}</dt><dd><span class="status" data-testid="status">{move || status_label(status)}</span></dd></div>
                                <div><dt>{tr("submitted-at")}</dt><dd><time datetime=request.created_at.clone()>{move || format_instant(&created_at)}</time></dd></div>
                                <div><dt>{tr("requester")}</dt><dd><bdi>{request.requester_name}</bdi>" "<span dir="ltr">"<"{request.requester_email}">"</span></dd></div>
                                {item}
                            </dl>
                            {description}
                            {answers}
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
