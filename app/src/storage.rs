//! What the portal keeps in this browser: the requests made here (with their tracking tokens)
//! and unsent form and reply drafts, in localStorage.

use edgedesk_core::NewRequestInput;
use gloo_storage::{LocalStorage, Storage as _};
use serde::Serialize;
use serde_json::Value;

use crate::wire::Wire;
use edgedesk_core::wire::{required, string};

const REQUESTS_KEY: &str = "edgedesk.requests.v1";

fn draft_key(org: &str) -> String {
    format!("edgedesk.draft.v1.{org}")
}

/// One draft per catalog item: two half-filled forms of the same organisation must not mix.
fn item_draft_key(org: &str, item: &str) -> String {
    format!("edgedesk.draft.v1.{org}.catalog.{item}")
}

/// One reply draft per request.
fn reply_draft_key(id: &str) -> String {
    format!("edgedesk.reply.v1.{id}")
}

/// A request made from this browser. The token is the only way back to it: keep it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SavedRequest {
    pub id: String,
    pub org: String,
    pub reference: String,
    pub subject: String,
    pub tracking_token: String,
    pub created_at: String,
}

impl Wire for SavedRequest {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            id: required(o, "id", string)?,
            org: required(o, "org", string)?,
            reference: required(o, "reference", string)?,
            subject: required(o, "subject", string)?,
            tracking_token: required(o, "tracking_token", string)?,
            created_at: required(o, "created_at", string)?,
        })
    }
}

/// The JSON kept under `key`, if any and readable, by core's JSON reader (gloo's typed `get`
/// would link serde_json's deserializer); the portal writes it with serde.
fn load_json(key: &str) -> Option<Value> {
    let raw = LocalStorage::raw().get_item(key).ok()??;
    edgedesk_core::json::parse(&raw)
}

/// The JSON kept under `key`, read by hand (see [`crate::wire`]).
fn load<T: Wire>(key: &str) -> Option<T> {
    T::read(&load_json(key)?)
}

/// The JSON string kept under `key`.
pub fn load_text(key: &str) -> Option<String> {
    string(&load_json(key)?)
}

/// All saved requests, newest first.
pub fn saved_requests() -> Vec<SavedRequest> {
    load(REQUESTS_KEY).unwrap_or_default()
}

pub fn save_request(request: SavedRequest) {
    let mut all = saved_requests();
    all.retain(|r| r.id != request.id);
    all.insert(0, request);
    // Storage full or disabled: the request still exists; only this browser's shortcut is lost.
    let _ = LocalStorage::set(REQUESTS_KEY, &all);
}

pub fn tracking_token(id: &str) -> Option<String> {
    saved_requests()
        .into_iter()
        .find(|r| r.id == id)
        .map(|r| r.tracking_token)
}

pub fn load_draft(org: &str) -> NewRequestInput {
    load(&draft_key(org)).unwrap_or_default()
}

pub fn save_draft(org: &str, draft: &NewRequestInput) {
    let _ = LocalStorage::set(draft_key(org), draft);
}

pub fn clear_draft(org: &str) {
    LocalStorage::delete(draft_key(org));
}

/// What was typed into a catalog item's form (contact fields and answers), if anything.
pub fn load_item_draft(org: &str, item: &str) -> Option<NewRequestInput> {
    load(&item_draft_key(org, item))
}

pub fn save_item_draft(org: &str, item: &str, draft: &NewRequestInput) {
    // Storage full or disabled: typing still works; only the reload safety net is lost.
    let _ = LocalStorage::set(item_draft_key(org, item), draft);
}

pub fn clear_item_draft(org: &str, item: &str) {
    LocalStorage::delete(item_draft_key(org, item));
}

/// The reply being typed on request `id`, if any.
pub fn load_reply_draft(id: &str) -> String {
    load_text(&reply_draft_key(id)).unwrap_or_default()
}

/// Keeps the reply being typed; an empty one leaves nothing behind.
pub fn save_reply_draft(id: &str, text: &str) {
    if text.trim().is_empty() {
        clear_reply_draft(id);
    } else {
        // Storage full or disabled: typing still works; only the reload safety net is lost.
        let _ = LocalStorage::set(reply_draft_key(id), text);
    }
}

pub fn clear_reply_draft(id: &str) {
    LocalStorage::delete(reply_draft_key(id));
}

/// Keeps the follow-up request that a reply to closed request `closed_id` started, with its
/// tracking token (the only way back to it), under the subject the desk gave it.
pub fn save_follow_up(org: &str, closed_id: &str, follow_up: crate::api::FollowUp) {
    let subject = saved_requests()
        .into_iter()
        .find(|r| r.id == closed_id)
        .map(|r| edgedesk_core::request::follow_up_subject(&r.subject))
        .unwrap_or_default();
    save_request(SavedRequest {
        id: follow_up.id,
        org: org.to_owned(),
        reference: follow_up.reference,
        subject,
        tracking_token: follow_up.tracking_token,
        created_at: follow_up.created_at,
    });
}
