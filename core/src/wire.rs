//! Core's wire types read by hand from a parsed `serde_json::Value`, for the browser builds.
//!
//! The portal and the widget read the desk's JSON without serde's derived deserializers (each
//! costs their download KBs of wasm; issues 7 and 9). These readers apply the rules those derives
//! apply: a missing field of a `#[serde(default)]` type is empty, `null` is only an absent
//! `Option`, unknown fields are refused where the type says `deny_unknown_fields`. `None` is
//! where `Deserialize` would fail. Two differences, in forms the desk never writes: serde also
//! reads a struct from a JSON array of its fields, and refuses a JSON text that names a field
//! twice, where [`crate::json::parse`] keeps the last and these readers read that. Property
//! tests (here, in the portal and in the widget; see [`testing`]) check the readers against
//! serde's on generated values and damaged copies of their JSON.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::NewRequestInput;
use crate::api::OrgPublic;
use crate::form::{Answers, ChoiceOption, Condition, FieldInput, FormSchemaInput, LocalizedText};
use crate::widget::WidgetSubmission;

pub type Object = Map<String, Value>;

/// Field `key`, which must be present.
pub fn required<T>(o: &Object, key: &str, read: fn(&Value) -> Option<T>) -> Option<T> {
    read(o.get(key)?)
}

/// Field `key` of a `#[serde(default)]` type: absent is the default, present must be valid.
pub fn or_default<T: Default>(o: &Object, key: &str, read: fn(&Value) -> Option<T>) -> Option<T> {
    o.get(key).map_or_else(|| Some(T::default()), read)
}

/// An `Option` field: absent or `null` is `None`.
pub fn optional<T>(o: &Object, key: &str, read: fn(&Value) -> Option<T>) -> Option<Option<T>> {
    match o.get(key) {
        None | Some(Value::Null) => Some(None),
        Some(value) => read(value).map(Some),
    }
}

/// For `#[serde(deny_unknown_fields)]` types: every key of `o` is one of `keys`.
pub fn only(o: &Object, keys: &[&str]) -> Option<()> {
    o.keys().all(|k| keys.contains(&k.as_str())).then_some(())
}

pub fn string(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

pub fn boolean(v: &Value) -> Option<bool> {
    v.as_bool()
}

pub fn uint<T: TryFrom<u64>>(v: &Value) -> Option<T> {
    T::try_from(v.as_u64()?).ok()
}

pub fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

pub fn any(v: &Value) -> Option<Value> {
    Some(v.clone())
}

pub fn list<T>(v: &Value, read: fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    v.as_array()?.iter().map(read).collect()
}

// Maps are filled by `insert`, not collected: `BTreeMap::from_iter` sorts, and each sort
// instance costs about 2 KB of wasm.

/// A JSON object of strings.
pub fn strings(v: &Value) -> Option<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for (key, text) in v.as_object()? {
        map.insert(key.clone(), string(text)?);
    }
    Some(map)
}

/// Form answers: any JSON value per field key.
pub fn answers(v: &Value) -> Option<Answers> {
    let mut map = Answers::new();
    for (key, answer) in v.as_object()? {
        map.insert(key.clone(), answer.clone());
    }
    Some(map)
}

pub fn localized_text(v: &Value) -> Option<LocalizedText> {
    strings(v).map(LocalizedText)
}

pub fn org_public(v: &Value) -> Option<OrgPublic> {
    let o = v.as_object()?;
    Some(OrgPublic {
        slug: required(o, "slug", string)?,
        name: required(o, "name", string)?,
        default_locale: required(o, "default_locale", string)?,
    })
}

pub fn condition(v: &Value) -> Option<Condition> {
    let o = v.as_object()?;
    only(o, &["field", "equals"])?;
    Some(Condition {
        field: required(o, "field", string)?,
        equals: required(o, "equals", any)?,
    })
}

pub fn choice_option(v: &Value) -> Option<ChoiceOption> {
    let o = v.as_object()?;
    only(o, &["value", "label"])?;
    Some(ChoiceOption {
        value: or_default(o, "value", string)?,
        label: or_default(o, "label", localized_text)?,
    })
}

pub fn field_input(v: &Value) -> Option<FieldInput> {
    let o = v.as_object()?;
    only(
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
    Some(FieldInput {
        key: or_default(o, "key", string)?,
        kind: or_default(o, "type", string)?,
        label: or_default(o, "label", localized_text)?,
        help: or_default(o, "help", localized_text)?,
        required: or_default(o, "required", boolean)?,
        min_length: optional(o, "min_length", uint)?,
        max_length: optional(o, "max_length", uint)?,
        pattern: optional(o, "pattern", string)?,
        min: optional(o, "min", number)?,
        max: optional(o, "max", number)?,
        step: optional(o, "step", number)?,
        options: or_default(o, "options", |v| list(v, choice_option))?,
        default: optional(o, "default", any)?,
        visible_when: optional(o, "visible_when", condition)?,
    })
}

pub fn form_schema_input(v: &Value) -> Option<FormSchemaInput> {
    let o = v.as_object()?;
    only(o, &["fields"])?;
    Some(FormSchemaInput {
        fields: or_default(o, "fields", |v| list(v, field_input))?,
    })
}

pub fn widget_submission(v: &Value) -> Option<WidgetSubmission> {
    let o = v.as_object()?;
    only(o, &["form_token", "website", "context"])?;
    Some(WidgetSubmission {
        form_token: or_default(o, "form_token", string)?,
        website: or_default(o, "website", string)?,
        context: or_default(o, "context", strings)?,
    })
}

/// A request body as a browser keeps it (drafts, the widget's outbox).
pub fn new_request_input(v: &Value) -> Option<NewRequestInput> {
    let o = v.as_object()?;
    only(
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
    Some(NewRequestInput {
        requester_name: or_default(o, "requester_name", string)?,
        requester_email: or_default(o, "requester_email", string)?,
        subject: or_default(o, "subject", string)?,
        description: or_default(o, "description", string)?,
        catalog_item: optional(o, "catalog_item", string)?,
        answers: or_default(o, "answers", answers)?,
        widget: optional(o, "widget", widget_submission)?,
    })
}

#[cfg(any(test, feature = "testing"))]
pub mod testing;

#[cfg(test)]
mod tests;
