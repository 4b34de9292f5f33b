//! Request forms: a catalog item's schema (fields, options, conditions) and the answers to it.
//!
//! The admin sends a [`FormSchemaInput`]; [`FormSchema::parse`] checks it once and every later
//! use relies on the typed [`FormSchema`]. The same answer validation runs in the browser and,
//! authoritatively, in the worker.

mod answers;
mod iso;
mod schema;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use answers::Answers;
pub use schema::{Condition, Field, FieldKind, FormSchema, Pattern};

/// Text in several locales, e.g. `{"en": "Laptop", "he": "מחשב נייד"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct LocalizedText(pub BTreeMap<String, String>);

impl LocalizedText {
    /// The text for `requested`, falling back to the organisation's default locale, then English,
    /// then any text there is.
    #[must_use]
    pub fn resolve(&self, requested: &str, org_default: &str) -> &str {
        [requested, org_default, "en"]
            .into_iter()
            .find_map(|locale| self.0.get(locale).filter(|t| !t.trim().is_empty()))
            .or_else(|| self.0.values().next())
            .map_or("", String::as_str)
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.values().all(|t| t.trim().is_empty())
    }
}

/// One field as an admin submits it. Strings stay unparsed here so that every problem can be
/// reported with its path (an unknown `type` is a 422, not a JSON error).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
// Required by validation (a 422 when missing), though serde fills in a default.
#[cfg_attr(feature = "schema", schemars(extend("required" = ["key", "type", "label"])))]
pub struct FieldInput {
    pub key: String,
    #[serde(rename = "type")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::field_kind")
    )]
    /// `impact` and `urgency` are fixed high/medium/low choices that feed the priority matrix.
    pub kind: String,
    pub label: LocalizedText,
    #[serde(skip_serializing_if = "LocalizedText::is_empty")]
    pub help: LocalizedText,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// A regular expression the whole answer must match (text fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visible_when: Option<Condition>,
}

/// A choice of a select or multiselect field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
// Required by validation (a 422 when missing), though serde fills in a default.
#[cfg_attr(feature = "schema", schemars(extend("required" = ["value", "label"])))]
pub struct ChoiceOption {
    pub value: String,
    pub label: LocalizedText,
}

/// A form schema as an admin submits it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct FormSchemaInput {
    #[cfg_attr(feature = "schema", schemars(length(max = 100)))]
    pub fields: Vec<FieldInput>,
}

#[cfg(test)]
mod tests;
