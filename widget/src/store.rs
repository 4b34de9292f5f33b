//! What the widget keeps in the host page's `localStorage`, under its own `edgedesk-widget:`
//! keys: a draft per form and an outbox of requests not yet accepted. Storage may be refused
//! (private windows, quotas); the widget then simply keeps nothing.

use crate::form::Draft;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn draft_key(org: &str, item: Option<&str>) -> String {
    format!("edgedesk-widget:{org}:draft:{}", item.unwrap_or("-"))
}

fn outbox_key(org: &str) -> String {
    format!("edgedesk-widget:{org}:outbox")
}

pub fn draft(org: &str, item: Option<&str>) -> Option<Draft> {
    let text = storage()?.get_item(&draft_key(org, item)).ok()??;
    crate::wire::new_request_input(&edgedesk_core::json::parse(&text)?)
}

pub fn save_draft(org: &str, item: Option<&str>, draft: &Draft) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(draft)) {
        let _ = storage.set_item(&draft_key(org, item), &text);
    }
}

pub fn clear_draft(org: &str, item: Option<&str>) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&draft_key(org, item));
    }
}

/// Request bodies (JSON) waiting to be sent.
fn outbox(org: &str) -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(&outbox_key(org)).ok().flatten())
        .and_then(|text| {
            crate::wire::list(&edgedesk_core::json::parse(&text)?, crate::wire::string)
        })
        .unwrap_or_default()
}

fn save_outbox(org: &str, bodies: &[String]) {
    let Some(storage) = storage() else { return };
    if bodies.is_empty() {
        let _ = storage.remove_item(&outbox_key(org));
    } else if let Ok(text) = serde_json::to_string(bodies) {
        let _ = storage.set_item(&outbox_key(org), &text);
    }
}

pub fn push_outbox(org: &str, body: &str) {
    let mut bodies = outbox(org);
    bodies.push(body.to_owned());
    save_outbox(org, &bodies);
}

/// Empties the outbox and returns what it held (the caller puts back what still waits).
pub fn take_outbox(org: &str) -> Vec<String> {
    let bodies = outbox(org);
    save_outbox(org, &[]);
    bodies
}
