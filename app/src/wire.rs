//! The API's answers read by hand into core's wire types, from one parsed `serde_json::Value`.
//!
//! serde's derived readers cost the portal's download 1.5–7 KB of wasm per type (issue 9);
//! these share a few small helpers. Each takes the objects that type's `Deserialize` takes
//! (defaults, nulls, unknown fields; the tests check both agree); only serde's rarely used
//! array form of a struct is left out, as the worker never writes it. Enums still go through
//! their `Deserialize` (small, and it keeps their names in one place).

use edgedesk_core::api::{
    CreatedRequest, OrgPublic, Problem, Promise, RequestView, SubmittedForm, TimelineEntry,
    TimelineReply, TimelineStatusChange,
};
use edgedesk_core::catalog::{CatalogView, CategoryView, ItemSummary};
use edgedesk_core::form::{ChoiceOption, Condition, FieldInput, FormSchemaInput, LocalizedText};
use edgedesk_core::widget::WidgetSubmission;
use edgedesk_core::{FieldError, NewRequestInput};
use std::collections::BTreeMap;

use edgedesk_core::form::Answers;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

type Obj = Map<String, Value>;

/// A type read from the API's JSON: `None` where its `Deserialize` would fail.
pub trait Wire: Sized {
    fn read(value: &Value) -> Option<Self>;
}

/// Field `key`, which must be present.
pub fn req<T>(o: &Obj, key: &str, read: fn(&Value) -> Option<T>) -> Option<T> {
    read(o.get(key)?)
}

/// Field `key` with `#[serde(default)]`: absent is the default, present must be valid.
pub fn or_default<T: Default>(o: &Obj, key: &str, read: fn(&Value) -> Option<T>) -> Option<T> {
    o.get(key).map_or_else(|| Some(T::default()), read)
}

/// An `Option` field: absent or null is `None`.
fn opt<T>(o: &Obj, key: &str, read: fn(&Value) -> Option<T>) -> Option<Option<T>> {
    match o.get(key) {
        None | Some(Value::Null) => Some(None),
        Some(value) => read(value).map(Some),
    }
}

/// For `#[serde(deny_unknown_fields)]` types: every key is one of `keys`.
fn known(o: &Obj, keys: &[&str]) -> Option<()> {
    o.keys().all(|k| keys.contains(&k.as_str())).then_some(())
}

pub fn string(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

fn boolean(v: &Value) -> Option<bool> {
    v.as_bool()
}

fn uint<T: TryFrom<u64>>(v: &Value) -> Option<T> {
    T::try_from(v.as_u64()?).ok()
}

fn int32(v: &Value) -> Option<i32> {
    i32::try_from(v.as_i64()?).ok()
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn any(v: &Value) -> Option<Value> {
    Some(v.clone())
}

/// A unit enum (status, metric, …) by its own `Deserialize`.
fn named<T: DeserializeOwned>(v: &Value) -> Option<T> {
    T::deserialize(v).ok()
}

fn list<T: Wire>(v: &Value) -> Option<Vec<T>> {
    v.as_array()?.iter().map(T::read).collect()
}

// Maps are filled by `insert`, not collected: `BTreeMap::from_iter` sorts, and each sort
// instance costs about 2 KB of wasm.

fn texts(v: &Value) -> Option<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for (key, text) in v.as_object()? {
        map.insert(key.clone(), string(text)?);
    }
    Some(map)
}

fn answers(v: &Value) -> Option<Answers> {
    let mut map = Answers::new();
    for (key, answer) in v.as_object()? {
        map.insert(key.clone(), answer.clone());
    }
    Some(map)
}

impl Wire for () {
    fn read(_: &Value) -> Option<Self> {
        Some(())
    }
}

impl Wire for LocalizedText {
    fn read(v: &Value) -> Option<Self> {
        texts(v).map(Self)
    }
}

impl Wire for OrgPublic {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            slug: req(o, "slug", string)?,
            name: req(o, "name", string)?,
            default_locale: req(o, "default_locale", string)?,
        })
    }
}

impl Wire for CreatedRequest {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            id: req(o, "id", string)?,
            reference: req(o, "reference", string)?,
            status: req(o, "status", named)?,
            tracking_token: req(o, "tracking_token", string)?,
            created_at: req(o, "created_at", string)?,
        })
    }
}

impl Wire for FieldError {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            field: req(o, "field", string)?,
            code: req(o, "code", named)?,
            message: req(o, "message", string)?,
            limit: opt(o, "limit", uint)?,
        })
    }
}

impl Wire for Problem {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            kind: req(o, "type", string)?,
            title: req(o, "title", string)?,
            status: req(o, "status", uint)?,
            detail: opt(o, "detail", string)?,
            errors: or_default(o, "errors", list)?,
        })
    }
}

impl Wire for Condition {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        known(o, &["field", "equals"])?;
        Some(Self {
            field: req(o, "field", string)?,
            equals: req(o, "equals", any)?,
        })
    }
}

impl Wire for ChoiceOption {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        known(o, &["value", "label"])?;
        Some(Self {
            value: or_default(o, "value", string)?,
            label: or_default(o, "label", LocalizedText::read)?,
        })
    }
}

impl Wire for FieldInput {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        known(
            o,
            &[
                "key",
                "type",
                "label",
                "help",
                "required",
                "min_length",
                "max_length",
                "pattern",
                "min",
                "max",
                "step",
                "options",
                "default",
                "visible_when",
            ],
        )?;
        Some(Self {
            key: or_default(o, "key", string)?,
            kind: or_default(o, "type", string)?,
            label: or_default(o, "label", LocalizedText::read)?,
            help: or_default(o, "help", LocalizedText::read)?,
            required: or_default(o, "required", boolean)?,
            min_length: opt(o, "min_length", uint)?,
            max_length: opt(o, "max_length", uint)?,
            pattern: opt(o, "pattern", string)?,
            min: opt(o, "min", number)?,
            max: opt(o, "max", number)?,
            step: opt(o, "step", number)?,
            options: or_default(o, "options", list)?,
            default: opt(o, "default", any)?,
            visible_when: opt(o, "visible_when", Condition::read)?,
        })
    }
}

impl Wire for FormSchemaInput {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        known(o, &["fields"])?;
        Some(Self {
            fields: or_default(o, "fields", list)?,
        })
    }
}

impl Wire for SubmittedForm {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            slug: req(o, "slug", string)?,
            name: req(o, "name", LocalizedText::read)?,
            form_version: req(o, "form_version", uint)?,
            form: req(o, "form", FormSchemaInput::read)?,
            default_locale: req(o, "default_locale", string)?,
        })
    }
}

impl Wire for Promise {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            metric: req(o, "metric", named)?,
            due_at: opt(o, "due_at", string)?,
            on_track: req(o, "on_track", boolean)?,
        })
    }
}

impl Wire for RequestView {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            id: req(o, "id", string)?,
            reference: req(o, "reference", string)?,
            org: req(o, "org", string)?,
            status: req(o, "status", named)?,
            subject: req(o, "subject", string)?,
            description: req(o, "description", string)?,
            requester_name: req(o, "requester_name", string)?,
            requester_email: req(o, "requester_email", string)?,
            channel: req(o, "channel", named)?,
            created_at: req(o, "created_at", string)?,
            updated_at: req(o, "updated_at", string)?,
            catalog_item: opt(o, "catalog_item", SubmittedForm::read)?,
            answers: or_default(o, "answers", answers)?,
            promises: or_default(o, "promises", list)?,
        })
    }
}

impl Wire for TimelineEntry {
    fn read(v: &Value) -> Option<Self> {
        // Externally tagged: one key naming the variant.
        let o = v.as_object()?;
        if o.len() != 1 {
            return None;
        }
        if let Some(reply) = o.get("reply") {
            let r = reply.as_object()?;
            return Some(Self::Reply(TimelineReply {
                id: req(r, "id", string)?,
                author: req(r, "author", named)?,
                body: req(r, "body", string)?,
                created_at: req(r, "created_at", string)?,
            }));
        }
        let c = o.get("status_changed")?.as_object()?;
        Some(Self::StatusChanged(TimelineStatusChange {
            id: req(c, "id", string)?,
            from: opt(c, "from", named)?,
            to: req(c, "to", named)?,
            created_at: req(c, "created_at", string)?,
        }))
    }
}

impl Wire for CategoryView {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            slug: req(o, "slug", string)?,
            name: req(o, "name", LocalizedText::read)?,
            description: or_default(o, "description", LocalizedText::read)?,
            parent: opt(o, "parent", string)?,
            position: req(o, "position", int32)?,
            active: o.get("active").map_or(Some(true), boolean)?,
        })
    }
}

impl Wire for ItemSummary {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            slug: req(o, "slug", string)?,
            category: req(o, "category", string)?,
            name: req(o, "name", LocalizedText::read)?,
            description: or_default(o, "description", LocalizedText::read)?,
            icon: opt(o, "icon", string)?,
            position: req(o, "position", int32)?,
            active: o.get("active").map_or(Some(true), boolean)?,
            default_priority: opt(o, "default_priority", named)?,
            default_group: opt(o, "default_group", string)?,
            form_version: req(o, "form_version", uint)?,
        })
    }
}

impl Wire for CatalogView {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            default_locale: req(o, "default_locale", string)?,
            categories: req(o, "categories", list)?,
            items: req(o, "items", list)?,
        })
    }
}

impl Wire for WidgetSubmission {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        known(o, &["form_token", "website", "context"])?;
        Some(Self {
            form_token: or_default(o, "form_token", string)?,
            website: or_default(o, "website", string)?,
            context: or_default(o, "context", texts)?,
        })
    }
}

/// A form draft kept in this browser (the portal writes it with serde).
impl Wire for NewRequestInput {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        known(
            o,
            &[
                "requester_name",
                "requester_email",
                "subject",
                "description",
                "catalog_item",
                "answers",
                "widget",
            ],
        )?;
        Some(Self {
            requester_name: or_default(o, "requester_name", string)?,
            requester_email: or_default(o, "requester_email", string)?,
            subject: or_default(o, "subject", string)?,
            description: or_default(o, "description", string)?,
            catalog_item: opt(o, "catalog_item", string)?,
            answers: or_default(o, "answers", answers)?,
            widget: opt(o, "widget", WidgetSubmission::read)?,
        })
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn read(v: &Value) -> Option<Self> {
        list(v)
    }
}

#[cfg(test)]
mod tests;
