//! The requester's reply: checked as it is typed with the worker's own rule, kept as a draft in
//! this browser until the desk has it, and never lost to a failed send. On a closed request
//! the reply starts a follow-up request, which is kept here and linked.

use std::time::Duration;

use edgedesk_core::FieldError;
use edgedesk_core::api::ReplyInput;
use edgedesk_core::i18n::{MessageId, ids};
use edgedesk_core::request::DESCRIPTION_RULE;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::web_sys::SubmitEvent;
use wasm_bindgen::JsCast as _;

use super::TextField;
use crate::api::{self, ApiFailure};
use crate::i18n::{self, t, tr};
use crate::reactive::watch;
use crate::storage;

/// The textarea's id; its message is `reply-error`.
const FIELD: &str = "reply";
/// The field the worker names in its errors (`ReplyInput::body`).
const BODY: &str = "body";

/// Moves keyboard focus to the textarea after the pending render, so a screen reader reads
/// its new message with it.
fn focus_field() {
    set_timeout(
        || {
            if let Some(element) = document().get_element_by_id(FIELD)
                && let Ok(element) = element.dyn_into::<leptos::web_sys::HtmlElement>()
            {
                let _ = element.focus();
            }
        },
        Duration::ZERO,
    );
}

/// A textarea and a send button. Enter adds a line (a textarea never submits on Enter); only
/// the button sends.
#[component]
pub fn ReplyForm(
    /// The organisation's slug (a follow-up request belongs to it too).
    org: String,
    /// The request's id.
    id: String,
    /// The request's tracking token.
    token: String,
    /// Runs when the request has changed on the desk's side: a reply was stored, or refused
    /// with a conflict (e.g. the request was closed meanwhile).
    on_change: Callback<()>,
) -> impl IntoView {
    let org = StoredValue::new(org);
    let id = StoredValue::new(id);
    let token = StoredValue::new(token);
    // The follow-up request this form's last reply started: (page path, reference).
    let follow_up = RwSignal::new(None::<(String, String)>);
    let body = RwSignal::new(storage::load_reply_draft(&id.get_value()));
    watch(move || storage::save_reply_draft(&id.get_value(), &body.get()));
    let error = RwSignal::new(None::<FieldError>);
    // Message ids rather than text, so the notices follow a language switch.
    let failed = RwSignal::new(None::<MessageId>);
    let sent = RwSignal::new(false);
    let sending = RwSignal::new(false);

    let validate = Callback::new(move |()| {
        error.set(DESCRIPTION_RULE.parse(BODY, &body.get_untracked()).err());
    });
    let message = Signal::derive(move || error.get().map(|e| i18n::field_error(e.code, e.limit)));

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        sent.set(false);
        let text = match DESCRIPTION_RULE.parse(BODY, &body.get_untracked()) {
            Ok(text) => text,
            Err(invalid) => {
                error.set(Some(invalid));
                failed.set(None);
                focus_field();
                return;
            }
        };
        error.set(None);
        failed.set(None);
        sending.set(true);
        spawn_local(async move {
            let input = ReplyInput { body: text };
            let result = api::reply(&id.get_value(), &token.get_value(), &input).await;
            sending.set(false);
            match result {
                Ok(started) => {
                    body.set(String::new());
                    storage::clear_reply_draft(&id.get_value());
                    match started {
                        Some(created) => {
                            let org = org.get_value();
                            let path = format!("/{org}/requests/{}", created.id);
                            let reference = created.reference.clone();
                            storage::save_follow_up(&org, &id.get_value(), created);
                            follow_up.set(Some((path, reference)));
                        }
                        None => {
                            sent.set(true);
                            on_change.run(());
                        }
                    }
                }
                Err(ApiFailure::Problem(problem)) if problem.status == 422 => {
                    error.set(problem.errors.into_iter().next());
                    failed.set(Some(ids::FIX_ERRORS));
                    focus_field();
                }
                // Network down, server trouble or a conflict: the text stays (and stays saved),
                // so sending again is one click.
                Err(failure) => {
                    leptos::logging::warn!("sending the reply failed: {failure}");
                    failed.set(Some(ids::REPLY_FAILED));
                    if failure.status() == Some(409) {
                        on_change.run(());
                    }
                }
            }
        });
    };

    view! {
        <form class="request-form reply-form" novalidate on:submit=on_submit>
            <p class="notice notice--error" role="alert" data-testid="reply-notice" hidden=move || failed.get().is_none()>
                {move || failed.get().map(t)}
            </p>
            <TextField name=FIELD label=Signal::derive(tr(ids::FIELD_REPLY)) value=body
                error=message validate=validate multiline=true />
            <div class="reply-form__actions">
                // `aria-disabled`, not `disabled`: a disabled button drops keyboard focus to the
                // page's start; a second press while sending is ignored by the handler instead.
                <button type="submit" class="button button--primary" aria-disabled=move || sending.get().then_some("true")>
                    {move || t(if sending.get() { ids::REPLY_SENDING } else { ids::REPLY_SEND })}
                </button>
                <p role="status" class="reply-form__sent" data-testid="reply-sent">
                    {move || sent.get().then(|| t(ids::REPLY_SENT))}
                    {move || follow_up.get().map(|(path, reference)| view! {
                        {t(ids::REPLY_FOLLOW_UP)}" "
                        <a href=path data-testid="follow-up-link">{reference}</a>
                    })}
                </p>
            </div>
        </form>
    }
}
