//! `/:org/catalog/:item`: a catalog item's request form, rendered from its schema and checked
//! as you go with the worker's own rules; the draft survives reloads and failed submissions.

use std::sync::Arc;
use std::time::Duration;

use edgedesk_core::catalog::valid_slug;
use edgedesk_core::form::{Answers, FormSchema};
use edgedesk_core::i18n::{MessageId, ids};
use edgedesk_core::request::fields;
use edgedesk_core::{FieldError, NewRequest, NewRequestInput, ValidationErrors};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::web_sys::SubmitEvent;
use wasm_bindgen::JsCast as _;

use super::{latest, param, resource, set_title};
use crate::api::{self, ApiFailure, CatalogItem};
use crate::components::{FormField, TextField, answer_id, localized};
use crate::i18n::{self, optional_label, t, tr};
use crate::reactive::watch;
use crate::storage::{self, SavedRequest};

/// The contact fields above the item's own fields, in form order.
const CONTACT_FIELDS: [&str; 3] = [
    fields::REQUESTER_NAME,
    fields::REQUESTER_EMAIL,
    fields::SUBJECT,
];

/// Moves keyboard focus to the element `id`, after the pending render: by then its
/// `aria-invalid` and message are in place, so a screen reader reads them with the field.
fn focus_later(id: String) {
    set_timeout(
        move || {
            if let Some(element) = document().get_element_by_id(&id)
                && let Ok(element) = element.dyn_into::<leptos::web_sys::HtmlElement>()
            {
                let _ = element.focus();
            }
        },
        Duration::ZERO,
    );
}

/// The id of the first invalid control in page order: contact fields, the item's visible
/// fields, then the free-text details.
fn first_invalid(
    contact: &ValidationErrors,
    answers: &ValidationErrors,
    visible: &[String],
) -> Option<String> {
    CONTACT_FIELDS
        .iter()
        .find(|f| contact.for_field(f).is_some())
        .map(|f| (*f).to_owned())
        .or_else(|| {
            visible
                .iter()
                .find(|key| answers.for_field(key).is_some())
                .map(|key| answer_id(key))
        })
        .or_else(|| {
            contact
                .for_field(fields::DESCRIPTION)
                .map(|_| fields::DESCRIPTION.to_owned())
        })
}

/// Splits a 422's errors into contact fields and answers (`answers.<key>` on the wire).
fn split_problem_errors(errors: Vec<FieldError>) -> (ValidationErrors, ValidationErrors) {
    let (mut contact, mut answers) = (ValidationErrors::default(), ValidationErrors::default());
    for mut error in errors {
        match error.field.strip_prefix("answers.") {
            Some(key) => {
                error.field = key.to_owned();
                answers.push(error);
            }
            None => contact.push(error),
        }
    }
    (contact, answers)
}

/// The page's answer: `(org, item)` it is for, and the item (`None`: there is no such item).
type Loaded = ((String, String), Result<Option<CatalogItem>, ApiFailure>);

#[component]
pub fn CatalogItemPage() -> impl IntoView {
    let org = param("org");
    let item = param("item");
    // The answer names the item it is for, so that a change of `:org` or `:item` shows the
    // loading notice until the new one is in (as a `Suspense` would, without its code).
    let loaded = resource(move || {
        let (org, item) = (org.get(), item.get());
        async move {
            // Not a slug: nothing to ask the API (and nothing odd goes into its URL).
            let result = if !valid_slug(&item) {
                Ok(None)
            } else {
                match api::catalog_item(&org, &item).await {
                    Ok(view) => Ok(Some(view)),
                    Err(failure) if failure.status() == Some(404) => Ok(None),
                    Err(failure) => Err(failure),
                }
            };
            ((org, item), result)
        }
    });
    view! {
        <p class="back">
            // Rebuilt when `:org` changes, so the link's `href` is a plain string like every
            // other link's (one instantiation of the link component fewer).
            {move || view! { <a href=format!("/{}", org.get()) class="back-link">{tr(ids::BACK_TO_CATALOG)}</a> }}
        </p>
        {move || match latest::<Loaded>(loaded).as_deref() {
            Some((key, result)) if key.0 == org.get() && key.1 == item.get() => match result {
                Ok(Some(view)) => view! { <CatalogForm org=key.0.clone() item=view.clone() /> }.into_any(),
                Ok(None) => {
                    set_title(tr(ids::CATALOG_ITEM_NOT_FOUND));
                    view! {
                        <h1>{tr(ids::CATALOG_ITEM_NOT_FOUND)}</h1>
                        <p>{tr(ids::CATALOG_ITEM_NOT_FOUND_BODY)}</p>
                    }.into_any()
                }
                Err(failure) => {
                    leptos::logging::warn!("loading the catalog item failed: {failure}");
                    view! { <p role="alert" class="notice notice--error">{tr(ids::LOAD_FAILED)}</p> }.into_any()
                }
            },
            _ => view! { <p role="status">{tr(ids::LOADING)}</p> }.into_any(),
        }}
    }
}

/// The form of one item: contact fields, the item's fields (shown as their conditions hold),
/// optional details, and the submission.
#[component]
fn CatalogForm(
    /// The organisation's slug.
    org: String,
    /// The item with the form version it uses now.
    item: CatalogItem,
) -> impl IntoView {
    let CatalogItem {
        slug,
        name: name_text,
        description: description_text,
        default_locale,
        form,
    } = item;
    let default_locale: Arc<str> = Arc::from(default_locale);
    {
        let (name_text, default_locale) = (name_text.clone(), default_locale.clone());
        set_title(move || localized(&name_text, &default_locale));
    }
    let heading = {
        let (name_text, default_locale) = (name_text.clone(), default_locale.clone());
        move || localized(&name_text, &default_locale)
    };
    let lead = (!description_text.is_empty()).then(|| {
        let default_locale = default_locale.clone();
        view! { <p class="lead" dir="auto">{move || localized(&description_text, &default_locale)}</p> }
    });

    // The worker checked this schema when the admin saved it; failing here means a broken
    // deploy, and the requester gets a notice instead of a form that could never be sent.
    let schema = match FormSchema::parse(&form) {
        Ok(schema) => Arc::new(schema),
        Err(errors) => {
            leptos::logging::warn!("the form of {slug} does not parse: {errors}");
            return view! {
                <h1 dir="auto">{heading}</h1>
                <p role="alert" class="notice notice--error">{tr(ids::LOAD_FAILED)}</p>
            }
            .into_any();
        }
    };

    let slug = StoredValue::new(slug);
    let org = StoredValue::new(org);
    // Restore what was typed before a reload or a failed submission. Answers to fields this
    // form version no longer has are dropped (the worker would refuse them); a fresh form
    // starts with the schema's defaults.
    let draft = storage::load_item_draft(&org.get_value(), &slug.get_value());
    let had_draft = draft.is_some();
    let draft = draft.unwrap_or_default();
    // `retain`, not a collect: `BTreeMap::from_iter` would bring in a sort.
    let mut restored: Answers = draft.answers;
    restored.retain(|key, _| schema.field(key).is_some());
    if !had_draft {
        for field in &schema.fields {
            if let Some(default) = &field.default {
                restored.insert(field.key.clone(), default.clone());
            }
        }
    }
    let name = RwSignal::new(draft.requester_name);
    let email = RwSignal::new(draft.requester_email);
    // A fresh form proposes the item's name as the subject: the requester may sharpen it.
    let subject = RwSignal::new(if had_draft {
        draft.subject
    } else {
        name_text
            .resolve(i18n::locale_untracked().code(), &default_locale)
            .to_owned()
    });
    let details = RwSignal::new(draft.description);
    let answers = RwSignal::new(restored);
    let contact_errors = RwSignal::new(ValidationErrors::default());
    let answer_errors = RwSignal::new(ValidationErrors::default());
    // A message id rather than text, so the notice follows a language switch.
    let form_error = RwSignal::new(None::<MessageId>);
    let submitting = RwSignal::new(false);

    let input = move || NewRequestInput {
        requester_name: name.get(),
        requester_email: email.get(),
        subject: subject.get(),
        description: details.get(),
        catalog_item: Some(slug.get_value()),
        answers: answers.get(),
        widget: None,
    };
    watch(move || {
        let draft = input();
        storage::save_item_draft(&org.get_value(), &slug.get_value(), &draft);
    });

    let visible = {
        let schema = schema.clone();
        Memo::new(move |_| {
            schema
                .visible_keys(&answers.read())
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<String>>()
        })
    };

    let contact_error = move |field: &'static str| super::contact_error(contact_errors, field);
    let check_contact =
        move |field: &'static str| super::check_contact(contact_errors, input, field);
    let check_answer = {
        let schema = schema.clone();
        move |key: String| {
            let schema = schema.clone();
            Callback::new(move |()| {
                let error = answers.with_untracked(|all| schema.check_field(&key, all));
                let shown = visible.get_untracked();
                answer_errors.update(|all| {
                    // Fields a change just hid are no longer the requester's concern.
                    all.0.retain(|e| e.field != key && shown.contains(&e.field));
                    all.0.extend(error);
                });
            })
        }
    };
    let on_submit = {
        let schema = schema.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if submitting.get_untracked() {
                return;
            }
            let submitted = input();
            let contact = NewRequest::parse(&submitted).err().unwrap_or_default();
            // Hidden fields are neither checked nor sent: `validate` keeps the visible answers.
            let (checked, invalid_answers) = match schema.validate(&submitted.answers) {
                Ok(kept) => (Some(kept), ValidationErrors::default()),
                Err(errors) => (None, errors),
            };
            let Some(kept) = checked.filter(|_| contact.is_empty()) else {
                if let Some(id) =
                    first_invalid(&contact, &invalid_answers, &visible.get_untracked())
                {
                    focus_later(id);
                }
                contact_errors.set(contact);
                answer_errors.set(invalid_answers);
                form_error.set(Some(ids::FIX_ERRORS));
                return;
            };
            contact_errors.set(ValidationErrors::default());
            answer_errors.set(ValidationErrors::default());
            form_error.set(None);
            submitting.set(true);
            let body = NewRequestInput {
                answers: kept,
                ..submitted
            };
            let (org, slug) = (org.get_value(), slug.get_value());
            spawn_local(async move {
                let result = api::create_request(&org, &body).await;
                submitting.set(false);
                match result {
                    Ok(created) => {
                        storage::save_request(SavedRequest {
                            id: created.id.clone(),
                            org: org.clone(),
                            reference: created.reference,
                            subject: body.subject.trim().to_owned(),
                            tracking_token: created.tracking_token,
                            created_at: created.created_at,
                        });
                        storage::clear_item_draft(&org, &slug);
                        crate::router::navigate(&format!("/{org}/requests/{}", created.id), false);
                    }
                    Err(ApiFailure::Problem(problem))
                        if problem.status == 422 && !problem.errors.is_empty() =>
                    {
                        let (contact, invalid_answers) = split_problem_errors(problem.errors);
                        let first =
                            first_invalid(&contact, &invalid_answers, &visible.get_untracked());
                        // Errors on fields this page does not show: the admin changed the form
                        // since it was loaded.
                        form_error.set(Some(if first.is_some() {
                            ids::FIX_ERRORS
                        } else {
                            ids::CATALOG_FORM_CHANGED
                        }));
                        if let Some(id) = first {
                            focus_later(id);
                        }
                        contact_errors.set(contact);
                        answer_errors.set(invalid_answers);
                    }
                    // Withdrawn while the requester was typing: the free-form route still works.
                    Err(ApiFailure::Problem(problem)) if problem.status == 404 => {
                        form_error.set(Some(ids::CATALOG_ITEM_WITHDRAWN));
                    }
                    // Network down or server trouble: keep everything (the draft stays saved).
                    Err(failure) => {
                        leptos::logging::warn!("submitting the request failed: {failure}");
                        form_error.set(Some(ids::SUBMIT_FAILED));
                    }
                }
            });
        }
    };

    let item_fields = schema
        .fields
        .iter()
        .map(|field| {
            let key = field.key.clone();
            let error = {
                let key = key.clone();
                Signal::derive(move || {
                    answer_errors
                        .read()
                        .for_field(&key)
                        .map(|e| i18n::field_error(e.code, e.limit))
                })
            };
            let validate = check_answer(key.clone());
            let (field, default_locale) = (field.clone(), default_locale.clone());
            view! {
                <Show when=move || visible.read().contains(&key)>
                    <FormField
                        field=field.clone()
                        default_locale=default_locale.clone()
                        answers=answers
                        error=error
                        validate=validate
                    />
                </Show>
            }
        })
        .collect_view();

    view! {
        <h1 dir="auto">{heading}</h1>
        {lead}
        <p class="hint">{tr(ids::CATALOG_FORM_LEAD)}</p>
        <form class="request-form" novalidate on:submit=on_submit>
            <p class="notice notice--error" role="alert" data-testid="form-notice" hidden=move || form_error.get().is_none()>
                {move || form_error.get().map(t)}
            </p>
            <TextField name=fields::REQUESTER_NAME label=Signal::derive(tr(ids::FIELD_REQUESTER_NAME)) value=name
                error=contact_error(fields::REQUESTER_NAME) validate=check_contact(fields::REQUESTER_NAME) autocomplete="name" />
            <TextField name=fields::REQUESTER_EMAIL label=Signal::derive(tr(ids::FIELD_REQUESTER_EMAIL)) value=email input_type="email"
                error=contact_error(fields::REQUESTER_EMAIL) validate=check_contact(fields::REQUESTER_EMAIL) autocomplete="email" />
            <TextField name=fields::SUBJECT label=Signal::derive(tr(ids::FIELD_SUBJECT)) value=subject
                error=contact_error(fields::SUBJECT) validate=check_contact(fields::SUBJECT) />
            {item_fields}
            <TextField name=fields::DESCRIPTION label=Signal::derive(|| optional_label(&t(ids::FIELD_DETAILS))) value=details multiline=true optional=true
                error=contact_error(fields::DESCRIPTION) validate=check_contact(fields::DESCRIPTION) />
            <button type="submit" class="button button--primary" disabled=move || submitting.get()>
                {move || t(if submitting.get() { ids::SUBMITTING } else { ids::SUBMIT })}
            </button>
        </form>
    }
    .into_any()
}
