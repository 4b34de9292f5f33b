//! Core's wire types read from JSON values by hand, with the rules serde's derives apply to
//! them (missing fields of `#[serde(default)]` types are empty, `null` is only an absent
//! `Option`, unknown fields are refused where core says `deny_unknown_fields`): the derived
//! deserializers were the largest part of the widget. One difference: serde also reads a struct
//! from a JSON array of its fields, which neither the desk nor the widget ever writes; here that
//! is refused.

use std::collections::BTreeMap;

use edgedesk_core::NewRequestInput;
use edgedesk_core::api::OrgPublic;
use edgedesk_core::form::{ChoiceOption, Condition, FieldInput, FormSchemaInput, LocalizedText};
use edgedesk_core::widget::{WidgetConfig, WidgetSubmission};
use serde_json::{Map, Value};

pub type Object = Map<String, Value>;

/// A field that must be present.
pub fn required<T>(obj: &Object, key: &str, read: impl Fn(&Value) -> Option<T>) -> Option<T> {
    obj.get(key).and_then(read)
}

/// A field of a `#[serde(default)]` type: empty when missing.
pub fn or_default<T: Default>(
    obj: &Object,
    key: &str,
    read: impl Fn(&Value) -> Option<T>,
) -> Option<T> {
    obj.get(key).map_or_else(|| Some(T::default()), read)
}

/// An `Option` field: `None` when missing or `null`.
pub fn optional<T>(
    obj: &Object,
    key: &str,
    read: impl Fn(&Value) -> Option<T>,
) -> Option<Option<T>> {
    match obj.get(key) {
        None | Some(Value::Null) => Some(None),
        Some(value) => read(value).map(Some),
    }
}

/// `deny_unknown_fields`: every key of `obj` is one of `known`.
pub fn only(obj: &Object, known: &[&str]) -> Option<()> {
    obj.keys()
        .all(|key| known.contains(&key.as_str()))
        .then_some(())
}

pub fn string(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

pub fn list<T>(value: &Value, read: impl Fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    value.as_array()?.iter().map(read).collect()
}

/// A JSON object of strings.
pub fn strings(value: &Value) -> Option<BTreeMap<String, String>> {
    value
        .as_object()?
        .iter()
        .map(|(key, value)| Some((key.clone(), string(value)?)))
        .collect()
}

fn u32_of(value: &Value) -> Option<u32> {
    value.as_u64().and_then(|n| u32::try_from(n).ok())
}

fn localized(value: &Value) -> Option<LocalizedText> {
    strings(value).map(LocalizedText)
}

fn org(value: &Value) -> Option<OrgPublic> {
    let obj = value.as_object()?;
    Some(OrgPublic {
        slug: required(obj, "slug", string)?,
        name: required(obj, "name", string)?,
        default_locale: required(obj, "default_locale", string)?,
    })
}

/// `GET /api/v1/orgs/{org}/widget`.
pub fn widget_config(value: &Value) -> Option<WidgetConfig> {
    let obj = value.as_object()?;
    Some(WidgetConfig {
        org: required(obj, "org", org)?,
        locale: required(obj, "locale", string)?,
        dir: required(obj, "dir", string)?,
        form_token: required(obj, "form_token", string)?,
        texts: required(obj, "texts", strings)?,
        messages: required(obj, "messages", strings)?,
    })
}

pub fn form_schema_input(value: &Value) -> Option<FormSchemaInput> {
    let obj = value.as_object()?;
    only(obj, &["fields"])?;
    Some(FormSchemaInput {
        fields: or_default(obj, "fields", |v| list(v, field_input))?,
    })
}

fn field_input(value: &Value) -> Option<FieldInput> {
    let obj = value.as_object()?;
    only(
        obj,
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
        key: or_default(obj, "key", string)?,
        kind: or_default(obj, "type", string)?,
        label: or_default(obj, "label", localized)?,
        help: or_default(obj, "help", localized)?,
        required: or_default(obj, "required", Value::as_bool)?,
        min_length: optional(obj, "min_length", u32_of)?,
        max_length: optional(obj, "max_length", u32_of)?,
        pattern: optional(obj, "pattern", string)?,
        min: optional(obj, "min", Value::as_f64)?,
        max: optional(obj, "max", Value::as_f64)?,
        step: optional(obj, "step", Value::as_f64)?,
        options: or_default(obj, "options", |v| list(v, choice_option))?,
        default: optional(obj, "default", |v| Some(v.clone()))?,
        visible_when: optional(obj, "visible_when", condition)?,
    })
}

fn choice_option(value: &Value) -> Option<ChoiceOption> {
    let obj = value.as_object()?;
    only(obj, &["value", "label"])?;
    Some(ChoiceOption {
        value: or_default(obj, "value", string)?,
        label: or_default(obj, "label", localized)?,
    })
}

fn condition(value: &Value) -> Option<Condition> {
    let obj = value.as_object()?;
    only(obj, &["field", "equals"])?;
    Some(Condition {
        field: required(obj, "field", string)?,
        equals: obj.get("equals")?.clone(),
    })
}

/// A request body as the widget keeps it (drafts, the outbox).
pub fn new_request_input(value: &Value) -> Option<NewRequestInput> {
    let obj = value.as_object()?;
    only(
        obj,
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
        requester_name: or_default(obj, "requester_name", string)?,
        requester_email: or_default(obj, "requester_email", string)?,
        subject: or_default(obj, "subject", string)?,
        description: or_default(obj, "description", string)?,
        catalog_item: optional(obj, "catalog_item", string)?,
        answers: or_default(obj, "answers", |v| {
            Some(v.as_object()?.clone().into_iter().collect())
        })?,
        widget: optional(obj, "widget", widget_submission)?,
    })
}

fn widget_submission(value: &Value) -> Option<WidgetSubmission> {
    let obj = value.as_object()?;
    only(obj, &["form_token", "website", "context"])?;
    Some(WidgetSubmission {
        form_token: or_default(obj, "form_token", string)?,
        website: or_default(obj, "website", string)?,
        context: or_default(obj, "context", strings)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    /// The reader and serde's derive agree (both accept, with the same value, or both refuse).
    fn agree<T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
        read: fn(&Value) -> Option<T>,
        text: &str,
    ) {
        let by_serde = serde_json::from_str::<T>(text).ok();
        let by_hand = parse(text).as_ref().and_then(read);
        assert_eq!(by_hand, by_serde, "{text}");
    }

    #[test]
    fn forms_read_like_serde_reads_them() {
        for text in [
            r#"{"fields": [{"key": "system", "type": "select", "label": {"en": "System"},
                "required": true, "options": [{"value": "crm", "label": {"en": "CRM"}}]},
               {"key": "n", "type": "number", "label": {"en": "N"}, "min": 1, "max": 2.5,
                "step": null, "min_length": 3, "default": 2,
                "visible_when": {"field": "system", "equals": "crm"}}]}"#,
            r#"{}"#,
            r#"{"fields": [{"key": "x", "surprise": 1}]}"#,
            r#"{"fields": [{"key": "x", "min_length": 2.0}]}"#,
            r#"{"fields": [{"key": "x", "min_length": -1}]}"#,
            r#"{"fields": [{"key": "x", "required": null}]}"#,
            r#"{"fields": [{"key": "x", "visible_when": {"field": "y"}}]}"#,
            r#"{"fields": [{"key": "x", "visible_when": {"field": "y", "equals": null}}]}"#,
            r#"{"fields": [{"key": "x", "label": {"en": 1}}]}"#,
            r#"{"fields": null}"#,
        ] {
            agree(form_schema_input, text);
        }
    }

    #[test]
    fn drafts_and_config_read_like_serde_reads_them() {
        for text in [
            r#"{"requester_name": "Dana", "answers": {"a": ["x"], "b": true},
                "catalog_item": null, "widget": {"form_token": "1.ab", "context": {"k": "v"}}}"#,
            r#"{"subject": "x", "widget": {"context": {"k": 1}}}"#,
            r#"{"sbject": "x"}"#,
        ] {
            agree(new_request_input, text);
        }
        for text in [
            r#"{"org": {"slug": "acme", "name": "Acme", "default_locale": "en"}, "locale": "he",
                "dir": "rtl", "form_token": "t", "texts": {"submit": "Send"}, "messages": {},
                "extra": 1}"#,
            r#"{"org": {"slug": "acme", "name": "Acme"}, "locale": "he", "dir": "rtl",
                "form_token": "t", "texts": {}, "messages": {}}"#,
        ] {
            agree(widget_config, text);
        }
    }
}
