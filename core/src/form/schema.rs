//! Checking a submitted form schema and the typed schema that results.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{ChoiceOption, FieldInput, FormSchemaInput, LocalizedText};
use crate::validation::{FieldError, FieldErrorCode as Code, ValidationErrors};

/// What a field asks for. Impact and urgency are fixed high/medium/low choices that feed the
/// organisation's priority matrix.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    Text,
    Textarea,
    Email,
    Phone,
    Number {
        min: Option<f64>,
        max: Option<f64>,
        step: Option<f64>,
    },
    Date,
    Datetime,
    Select,
    Multiselect,
    Checkbox,
    Impact,
    Urgency,
}

impl FieldKind {
    pub const NAMES: [&'static str; 12] = [
        "text",
        "textarea",
        "email",
        "phone",
        "number",
        "date",
        "datetime",
        "select",
        "multiselect",
        "checkbox",
        "impact",
        "urgency",
    ];

    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Textarea => "textarea",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Number { .. } => "number",
            Self::Date => "date",
            Self::Datetime => "datetime",
            Self::Select => "select",
            Self::Multiselect => "multiselect",
            Self::Checkbox => "checkbox",
            Self::Impact => "impact",
            Self::Urgency => "urgency",
        }
    }

    /// Whether length limits and patterns apply.
    #[must_use]
    pub const fn is_text(&self) -> bool {
        matches!(self, Self::Text | Self::Textarea)
    }

    /// Whether the field needs admin-defined options.
    #[must_use]
    pub const fn has_options(&self) -> bool {
        matches!(self, Self::Select | Self::Multiselect)
    }
}

/// An admin's pattern for a text answer, matched against the whole answer.
///
/// With core's `patterns` feature (the default) it is compiled and enforced. Builds without it
/// (the embeddable widget, where a regex engine would be a third of its size) keep the text and
/// accept every answer: the desk, which always has the feature, enforces it.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    #[cfg(feature = "patterns")]
    regex: regex_lite::Regex,
}

impl Pattern {
    /// The pattern, if it is a valid regular expression (always, without the feature).
    #[must_use]
    pub fn new(source: &str) -> Option<Self> {
        Some(Self {
            source: source.to_owned(),
            #[cfg(feature = "patterns")]
            regex: regex_lite::Regex::new(&format!("^(?:{source})$")).ok()?,
        })
    }

    /// Whether the whole of `text` matches.
    #[must_use]
    pub fn is_match(&self, text: &str) -> bool {
        #[cfg(feature = "patterns")]
        {
            self.regex.is_match(text)
        }
        #[cfg(not(feature = "patterns"))]
        {
            let _ = text;
            true
        }
    }

    /// The admin's pattern as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

/// Show a field only when an earlier field has a value (for multiselects: includes it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub field: String,
    pub equals: serde_json::Value,
}

/// A checked field.
#[derive(Debug, Clone)]
pub struct Field {
    pub key: String,
    pub kind: FieldKind,
    pub label: LocalizedText,
    pub help: LocalizedText,
    pub required: bool,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    pub pattern: Option<Pattern>,
    pub options: Vec<ChoiceOption>,
    pub default: Option<serde_json::Value>,
    pub visible_when: Option<Condition>,
}

impl Field {
    /// The choices a select-like field offers (impact/urgency have fixed ones).
    #[must_use]
    pub fn choice_values(&self) -> Vec<&str> {
        match self.kind {
            FieldKind::Impact | FieldKind::Urgency => vec!["high", "medium", "low"],
            _ => self.options.iter().map(|o| o.value.as_str()).collect(),
        }
    }

    fn to_input(&self) -> FieldInput {
        let (min, max, step) = match self.kind {
            FieldKind::Number { min, max, step } => (min, max, step),
            _ => (None, None, None),
        };
        FieldInput {
            key: self.key.clone(),
            kind: self.kind.as_str().to_owned(),
            label: self.label.clone(),
            help: self.help.clone(),
            required: self.required,
            min_length: self.min_length,
            max_length: self.max_length,
            // The admin's own pattern, without the anchors `parse` wraps it in.
            pattern: self.pattern.as_ref().map(|p| p.as_str().to_owned()),
            min,
            max,
            step,
            options: self.options.clone(),
            default: self.default.clone(),
            visible_when: self.visible_when.clone(),
        }
    }
}

/// A form schema that passed every check; serialises back to the admin's input shape.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "FormSchemaInput", into = "FormSchemaInput")]
pub struct FormSchema {
    pub fields: Vec<Field>,
}

impl TryFrom<FormSchemaInput> for FormSchema {
    type Error = ValidationErrors;
    fn try_from(input: FormSchemaInput) -> Result<Self, Self::Error> {
        Self::parse(&input)
    }
}

impl From<FormSchema> for FormSchemaInput {
    fn from(schema: FormSchema) -> Self {
        Self {
            fields: schema.fields.iter().map(Field::to_input).collect(),
        }
    }
}

fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    (1..=64).contains(&key.len())
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl FormSchema {
    /// Checks a submitted schema, reporting every problem with its path (`fields[2].options`).
    ///
    /// # Errors
    /// [`ValidationErrors`] whose `field`s are paths into the input.
    pub fn parse(input: &FormSchemaInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut fields: Vec<Field> = Vec::with_capacity(input.fields.len());
        let mut keys = BTreeSet::new();
        for (i, raw) in input.fields.iter().enumerate() {
            let at = |part: &str| format!("fields[{i}].{part}");
            let mut fail = |part: &str, code| errors.push(FieldError::new(&at(part), code, None));
            if !valid_key(&raw.key) {
                fail("key", Code::InvalidKey);
            } else if !keys.insert(raw.key.as_str()) {
                fail("key", Code::DuplicateKey);
            }
            if raw.label.is_empty() {
                fail("label", Code::Required);
            }
            let kind = match raw.kind.as_str() {
                "text" => FieldKind::Text,
                "textarea" => FieldKind::Textarea,
                "email" => FieldKind::Email,
                "phone" => FieldKind::Phone,
                "number" => FieldKind::Number {
                    min: raw.min,
                    max: raw.max,
                    step: raw.step,
                },
                "date" => FieldKind::Date,
                "datetime" => FieldKind::Datetime,
                "select" => FieldKind::Select,
                "multiselect" => FieldKind::Multiselect,
                "checkbox" => FieldKind::Checkbox,
                "impact" => FieldKind::Impact,
                "urgency" => FieldKind::Urgency,
                _ => {
                    fail("type", Code::UnknownFieldType);
                    continue;
                }
            };
            if let (Some(min), Some(max)) = (raw.min_length, raw.max_length)
                && min > max
            {
                fail("min_length", Code::InvalidBounds);
            }
            if let (Some(min), Some(max)) = (raw.min, raw.max)
                && min > max
            {
                fail("min", Code::InvalidBounds);
            }
            if raw.step.is_some_and(|s| s <= 0.0 || !s.is_finite()) {
                fail("step", Code::InvalidBounds);
            }
            let pattern = match &raw.pattern {
                Some(p) => match Pattern::new(p) {
                    Some(pattern) => Some(pattern),
                    None => {
                        fail("pattern", Code::InvalidPattern);
                        None
                    }
                },
                None => None,
            };
            if kind.has_options() {
                if raw.options.is_empty() {
                    fail("options", Code::NoOptions);
                }
                let mut seen = BTreeSet::new();
                for (j, option) in raw.options.iter().enumerate() {
                    if option.value.trim().is_empty() {
                        fail(&format!("options[{j}].value"), Code::Required);
                    } else if !seen.insert(option.value.as_str()) {
                        fail(&format!("options[{j}].value"), Code::DuplicateOption);
                    }
                    if option.label.is_empty() {
                        fail(&format!("options[{j}].label"), Code::Required);
                    }
                }
            }
            if let Some(condition) = &raw.visible_when {
                // Only earlier fields may control visibility: this also rules out cycles.
                match fields.iter().find(|f| f.key == condition.field) {
                    None => fail("visible_when.field", Code::MissingConditionField),
                    Some(controller) => {
                        let choices = controller.choice_values();
                        let offered = condition
                            .equals
                            .as_str()
                            .is_some_and(|v| choices.contains(&v));
                        if !choices.is_empty() && !offered {
                            fail("visible_when.equals", Code::NotAnOption);
                        }
                    }
                }
            }
            let field = Field {
                key: raw.key.clone(),
                kind,
                label: raw.label.clone(),
                help: raw.help.clone(),
                required: raw.required,
                min_length: raw.min_length,
                max_length: raw.max_length,
                pattern,
                options: raw.options.clone(),
                default: raw.default.clone(),
                visible_when: raw.visible_when.clone(),
            };
            // A default must be an answer the field itself would accept.
            if let Some(default) = &field.default
                && super::answers::check_value(&field, default).is_err()
            {
                fail("default", Code::InvalidDefault);
            }
            fields.push(field);
        }
        if errors.is_empty() {
            Ok(Self { fields })
        } else {
            Err(errors)
        }
    }

    #[must_use]
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}
