//! Validating and normalising a requester's answers against a form schema.

use std::collections::BTreeMap;

use serde_json::Value;

use super::iso;
use super::schema::{Field, FieldKind, FormSchema};
use crate::request::Email;
use crate::validation::{FieldError, FieldErrorCode as Code, TextRule, ValidationErrors};

/// Answers by field key. After [`FormSchema::validate`]: only visible fields, normalised values.
pub type Answers = BTreeMap<String, Value>;

/// Longest text a field takes when the schema sets no `max_length`.
const TEXT_MAX: u32 = 500;
const TEXTAREA_MAX: u32 = 20_000;

type Rejection = (Code, Option<u32>);

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

fn text(value: &Value) -> Result<&str, Rejection> {
    value.as_str().ok_or((Code::WrongType, None))
}

/// Normalises one non-blank value for `field`, or says why it is rejected.
pub(super) fn check_value(field: &Field, value: &Value) -> Result<Value, Rejection> {
    match &field.kind {
        FieldKind::Text | FieldKind::Textarea => {
            let multiline = matches!(field.kind, FieldKind::Textarea);
            let rule = TextRule {
                min: field.min_length.unwrap_or(1),
                max: field
                    .max_length
                    .unwrap_or(if multiline { TEXTAREA_MAX } else { TEXT_MAX }),
                multiline,
            };
            let checked = rule
                .parse(&field.key, text(value)?)
                .map_err(|e| (e.code, e.limit))?;
            if let Some(pattern) = &field.pattern
                && !pattern.is_match(&checked)
            {
                return Err((Code::PatternMismatch, None));
            }
            Ok(Value::String(checked))
        }
        FieldKind::Email => Email::parse(&field.key, text(value)?)
            .map(|email| Value::String(email.to_string()))
            .map_err(|e| (e.code, e.limit)),
        FieldKind::Phone => {
            let phone = text(value)?.trim();
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            let allowed = phone.char_indices().all(|(i, c)| {
                c.is_ascii_digit()
                    || matches!(c, ' ' | '-' | '(' | ')' | '.')
                    || (c == '+' && i == 0)
            });
            if allowed && (6..=20).contains(&digits) {
                Ok(Value::String(phone.to_owned()))
            } else {
                Err((Code::InvalidPhone, None))
            }
        }
        FieldKind::Number { min, max, step } => {
            let number = match value {
                Value::Number(n) => n.as_f64(),
                // HTML inputs hand over strings; accept what they produce (a JSON-style number).
                Value::String(s) => number_text(s.trim()),
                _ => return Err((Code::WrongType, None)),
            }
            .filter(|n| n.is_finite())
            .ok_or((Code::NotANumber, None))?;
            if min.is_some_and(|m| number < m) {
                return Err((Code::BelowMinimum, None));
            }
            if max.is_some_and(|m| number > m) {
                return Err((Code::AboveMaximum, None));
            }
            if let Some(step) = step {
                let steps = (number - min.unwrap_or(0.0)) / step;
                if (steps - steps.round()).abs() > 1e-9 {
                    return Err((Code::StepMismatch, None));
                }
            }
            serde_json::Number::from_f64(number)
                .map(Value::Number)
                .ok_or((Code::NotANumber, None))
        }
        FieldKind::Date => {
            // chrono's ISO grammar without its format-item parser (see `iso`): both would be a
            // large part of the embeddable widget, which runs these checks too.
            let raw = text(value)?.trim();
            iso::date(raw)
                .map(|d| Value::String(d.to_string()))
                .ok_or((Code::InvalidDate, None))
        }
        FieldKind::Datetime => {
            let raw = text(value)?.trim();
            // `datetime-local` inputs give wall time without a zone (`2026-12-31T14:30`, seconds
            // optional); integrations may send RFC 3339.
            let local = raw.split_once('T').is_some_and(|(date, time)| {
                iso::date(date).is_some() && time.len() >= 5 && iso::is_time(time)
            });
            if local || chrono::DateTime::parse_from_rfc3339(raw).is_ok() {
                Ok(Value::String(raw.to_owned()))
            } else {
                Err((Code::InvalidDatetime, None))
            }
        }
        FieldKind::Select | FieldKind::Impact | FieldKind::Urgency => {
            let choice = text(value)?;
            if field.choice_values().contains(&choice) {
                Ok(Value::String(choice.to_owned()))
            } else {
                Err((Code::NotAnOption, None))
            }
        }
        FieldKind::Multiselect => {
            let items = value.as_array().ok_or((Code::WrongType, None))?;
            let offered = field.choice_values();
            let mut chosen: Vec<Value> = Vec::with_capacity(items.len());
            for item in items {
                let choice = item.as_str().ok_or((Code::WrongType, None))?;
                if !offered.contains(&choice) {
                    return Err((Code::NotAnOption, None));
                }
                let choice = Value::String(choice.to_owned());
                if !chosen.contains(&choice) {
                    chosen.push(choice);
                }
            }
            Ok(Value::Array(chosen))
        }
        FieldKind::Checkbox => value
            .as_bool()
            .map(Value::Bool)
            .ok_or((Code::WrongType, None)),
    }
}

/// A number written as text, by JSON's grammar (std's `parse` would also take `+5`, `.5` or
/// `inf`).
#[cfg(any(feature = "json-numbers", not(target_arch = "wasm32")))]
fn number_text(text: &str) -> Option<f64> {
    serde_json::from_str::<f64>(text).ok()
}

/// The widget's build (see the `json-numbers` feature): the browser's JSON parser.
#[cfg(all(target_arch = "wasm32", not(feature = "json-numbers")))]
fn number_text(text: &str) -> Option<f64> {
    js_sys::JSON::parse(text).ok()?.as_f64()
}

fn condition_holds(answer: &Value, expected: &Value) -> bool {
    answer == expected
        || answer
            .as_array()
            .is_some_and(|items| items.contains(expected))
}

impl FormSchema {
    /// Visits the visible fields in form order with each one's checked answer (`None` if blank).
    /// Controllers come earlier, so by the time a field is reached we know whether its
    /// controller holds the value; a hidden or invalid controller hides its dependants.
    fn visit_visible<'a>(
        &'a self,
        answers: &Answers,
        mut visit: impl FnMut(&'a Field, Option<Result<Value, Rejection>>),
    ) {
        let mut accepted = Answers::new();
        for field in &self.fields {
            let visible = field.visible_when.as_ref().is_none_or(|condition| {
                accepted
                    .get(&condition.field)
                    .is_some_and(|answer| condition_holds(answer, &condition.equals))
            });
            if !visible {
                continue;
            }
            let checked = answers
                .get(&field.key)
                .filter(|v| !is_blank(v))
                .map(|raw| check_value(field, raw));
            if let Some(Ok(value)) = &checked {
                accepted.insert(field.key.clone(), value.clone());
            }
            visit(field, checked);
        }
    }

    /// Validates `answers`, reporting every rejected field (by key), and returns the answers to
    /// store: visible fields only, normalised. Fields hidden by a condition are neither checked
    /// nor kept.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each rejected field key.
    pub fn validate(&self, answers: &Answers) -> Result<Answers, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        for key in answers.keys() {
            if self.field(key).is_none() {
                errors.push(FieldError::new(key, Code::UnknownField, None));
            }
        }
        let mut kept = Answers::new();
        self.visit_visible(answers, |field, checked| match checked {
            None if field.required => {
                errors.push(FieldError::new(&field.key, Code::Required, None))
            }
            None => {}
            // A required checkbox is a consent: it must be ticked.
            Some(Ok(Value::Bool(false))) if field.required => {
                errors.push(FieldError::new(&field.key, Code::Required, None));
            }
            Some(Ok(value)) => {
                kept.insert(field.key.clone(), value);
            }
            Some(Err((code, limit))) => errors.push(FieldError::new(&field.key, code, limit)),
        });
        if errors.is_empty() {
            Ok(kept)
        } else {
            Err(errors)
        }
    }

    /// The keys of the fields shown for these answers, in form order.
    #[must_use]
    pub fn visible_keys(&self, answers: &Answers) -> Vec<&str> {
        let mut shown = Vec::new();
        self.visit_visible(answers, |field, _| shown.push(field.key.as_str()));
        shown
    }

    /// The error for one field given all answers, for inline checks as the requester types.
    #[must_use]
    pub fn check_field(&self, key: &str, answers: &Answers) -> Option<FieldError> {
        self.validate(answers)
            .err()?
            .0
            .into_iter()
            .find(|e| e.field == key)
    }
}
