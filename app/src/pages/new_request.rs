//! `/:org/requests/new`: the request form, validated as you go with the worker's own rules.

use edgedesk_core::i18n::{MessageId, ids};
use edgedesk_core::request::fields;
use edgedesk_core::{NewRequest, NewRequestInput, ValidationErrors};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::web_sys::SubmitEvent;
use wasm_bindgen::JsCast as _;

use super::{check_contact, contact_error, param, set_title};
use crate::api::{self, ApiFailure};
use crate::components::TextField;
use crate::i18n::{t, tr};
use crate::reactive::watch;
use crate::storage::{self, SavedRequest};

/// Moves keyboard focus to the first invalid field, so the requester lands on what to fix.
fn focus_first_error(errors: &ValidationErrors) {
    let Some(first) = errors.0.first() else {
        return;
    };
    if let Some(element) = document().get_element_by_id(&first.field)
        && let Ok(element) = element.dyn_into::<leptos::web_sys::HtmlElement>()
    {
        let _ = element.focus();
    }
}

#[component]
pub fn NewRequestPage() -> impl IntoView {
    set_title(tr(ids::NEW_REQUEST_TITLE));
    let org = param("org");
    // Restore what was typed before a reload or a failed submission.
    let draft = storage::load_draft(&org.get_untracked());
    let name = RwSignal::new(draft.requester_name);
    let email = RwSignal::new(draft.requester_email);
    let subject = RwSignal::new(draft.subject);
    let description = RwSignal::new(draft.description);
    let errors = RwSignal::new(ValidationErrors::default());
    // A message id rather than text, so the notice follows a language switch.
    let form_error = RwSignal::new(None::<MessageId>);
    let submitting = RwSignal::new(false);

    let input = move || NewRequestInput {
        requester_name: name.get(),
        requester_email: email.get(),
        subject: subject.get(),
        description: description.get(),
        ..NewRequestInput::default()
    };
    watch(move || storage::save_draft(&org.get_untracked(), &input()));

    let error_for = move |field: &'static str| contact_error(errors, field);
    let check = move |field: &'static str| check_contact(errors, input, field);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if submitting.get_untracked() {
            return;
        }
        let submitted = input();
        if let Err(invalid) = NewRequest::parse(&submitted) {
            focus_first_error(&invalid);
            errors.set(invalid);
            form_error.set(Some(ids::FIX_ERRORS));
            return;
        }
        errors.set(ValidationErrors::default());
        form_error.set(None);
        submitting.set(true);
        let org = org.get_untracked();
        spawn_local(async move {
            let result = api::create_request(&org, &submitted).await;
            submitting.set(false);
            match result {
                Ok(created) => {
                    storage::save_request(SavedRequest {
                        id: created.id.clone(),
                        org: org.clone(),
                        reference: created.reference,
                        subject: submitted.subject.trim().to_owned(),
                        tracking_token: created.tracking_token,
                        created_at: created.created_at,
                    });
                    storage::clear_draft(&org);
                    crate::router::navigate(&format!("/{org}/requests/{}", created.id), false);
                }
                Err(ApiFailure::Problem(problem)) if !problem.errors.is_empty() => {
                    let invalid = ValidationErrors(problem.errors);
                    focus_first_error(&invalid);
                    errors.set(invalid);
                    form_error.set(Some(ids::FIX_ERRORS));
                }
                // Network down or server trouble: keep everything (the draft stays saved).
                Err(failure) => {
                    leptos::logging::warn!("submitting the request failed: {failure}");
                    form_error.set(Some(ids::SUBMIT_FAILED));
                }
            }
        });
    };

    view! {
        <h1>{tr(ids::NEW_REQUEST_TITLE)}</h1>
        <p class="lead">{tr(ids::NEW_REQUEST_LEAD)}</p>
        <form class="request-form" novalidate on:submit=on_submit>
            <p class="notice notice--error" role="alert" hidden=move || form_error.get().is_none()>
                {move || form_error.get().map(t)}
            </p>
            <TextField name=fields::REQUESTER_NAME label=Signal::derive(tr(ids::FIELD_REQUESTER_NAME)) value=name
                error=error_for(fields::REQUESTER_NAME) validate=check(fields::REQUESTER_NAME) autocomplete="name" />
            <TextField name=fields::REQUESTER_EMAIL label=Signal::derive(tr(ids::FIELD_REQUESTER_EMAIL)) value=email input_type="email"
                error=error_for(fields::REQUESTER_EMAIL) validate=check(fields::REQUESTER_EMAIL) autocomplete="email" />
            <TextField name=fields::SUBJECT label=Signal::derive(tr(ids::FIELD_SUBJECT)) value=subject
                error=error_for(fields::SUBJECT) validate=check(fields::SUBJECT) />
            <TextField name=fields::DESCRIPTION label=Signal::derive(tr(ids::FIELD_DESCRIPTION)) value=description multiline=true
                error=error_for(fields::DESCRIPTION) validate=check(fields::DESCRIPTION) />
            <button type="submit" class="button button--primary" disabled=move || submitting.get()>
                {move || t(if submitting.get() { ids::SUBMITTING } else { ids::SUBMIT })}
            </button>
        </form>
    }
}
