//! A requester's new request: the raw form input and its parsed, guaranteed-valid form.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::form::Answers;
use crate::validation::{FieldError, FieldErrorCode, TextRule, ValidationErrors};

/// Field names, shared by the API's error bodies and the portal's form.
pub mod fields {
    pub const REQUESTER_NAME: &str = "requester_name";
    pub const REQUESTER_EMAIL: &str = "requester_email";
    pub const SUBJECT: &str = "subject";
    pub const DESCRIPTION: &str = "description";
}

pub const NAME_RULE: TextRule = TextRule {
    min: 1,
    max: 120,
    multiline: false,
};
pub const SUBJECT_RULE: TextRule = TextRule {
    min: 3,
    max: 200,
    multiline: false,
};
pub const DESCRIPTION_RULE: TextRule = TextRule {
    min: 1,
    max: 20_000,
    multiline: true,
};
pub const EMAIL_MAX: u32 = 254;

/// The subject of a follow-up to a closed request: `Re: <subject>` (once), cut to the subject
/// rule's length. The desk names follow-ups so; the portal shows the same.
#[must_use]
pub fn follow_up_subject(subject: &str) -> String {
    let subject = if subject.starts_with("Re: ") {
        subject.to_owned()
    } else {
        format!("Re: {subject}")
    };
    subject.chars().take(SUBJECT_RULE.max as usize).collect()
}

/// A deliverable-looking email address: RFC 5322 syntax, a dotted domain, stored with a
/// lower-case domain so the same requester is recognised however they type it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

/// `domain` in lower case, by Rust's Unicode tables.
#[cfg(not(all(target_arch = "wasm32", feature = "browser-lowercase")))]
fn lowercase(domain: &str) -> String {
    domain.to_lowercase()
}

/// `domain` in lower case; beyond ASCII by the browser's `toLowerCase` (the same Unicode
/// default case conversion), so the portal does not carry Rust's case tables (see the
/// `browser-lowercase` feature).
#[cfg(all(target_arch = "wasm32", feature = "browser-lowercase"))]
fn lowercase(domain: &str) -> String {
    if domain.is_ascii() {
        domain.to_ascii_lowercase()
    } else {
        js_sys::JsString::from(domain).to_lower_case().into()
    }
}

impl Email {
    /// # Errors
    /// A [`FieldError`] for `field` when the address is empty, too long or not an address.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(FieldError::new(field, FieldErrorCode::Required, None));
        }
        if text.chars().count() > EMAIL_MAX as usize {
            return Err(FieldError::new(
                field,
                FieldErrorCode::TooLong,
                Some(EMAIL_MAX),
            ));
        }
        let invalid = || FieldError::new(field, FieldErrorCode::InvalidEmail, None);
        let options = email_address::Options::default()
            .without_display_text()
            .without_domain_literal();
        let parsed = email_address::EmailAddress::parse_with_options(text, options)
            .map_err(|_| invalid())?;
        let domain = parsed.domain();
        // "name@localhost" is RFC-valid but never reaches a real requester.
        let dotted = domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.');
        if !dotted {
            return Err(invalid());
        }
        Ok(Self(format!(
            "{}@{}",
            parsed.local_part(),
            lowercase(domain)
        )))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The request form as typed. `description` may be empty only for a catalog request (its
/// form carries the details).
//
// Missing fields deserialize as empty so that they are reported as "required" field errors
// rather than as malformed JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
// Required by validation (a 422 when missing), though serde fills in a default.
#[cfg_attr(feature = "schema", schemars(extend("required" = ["requester_name", "requester_email", "subject"])))]
pub struct NewRequestInput {
    #[cfg_attr(feature = "schema", schemars(length(max = 120)))]
    pub requester_name: String,
    #[cfg_attr(feature = "schema", schemars(email, length(max = 254)))]
    pub requester_email: String,
    #[cfg_attr(feature = "schema", schemars(length(min = 3, max = 200)))]
    pub subject: String,
    #[cfg_attr(feature = "schema", schemars(length(max = 20000)))]
    pub description: String,
    /// The catalog item's slug, when the request comes from a catalog form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog_item: Option<String>,
    /// Answers to the item's form, by field key; checked against the form the item uses now.
    #[serde(skip_serializing_if = "Answers::is_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Answers"))]
    pub answers: Answers,
    /// Sent by the embeddable widget: the request then has channel `widget` and keeps the page's
    /// origin, which must be on the allowlist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub widget: Option<crate::widget::WidgetSubmission>,
}

/// A request whose contact fields passed validation. Its answers are checked against the
/// catalog item's form by whoever knows that form (the worker, the portal's form page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub requester_name: String,
    pub requester_email: Email,
    pub subject: String,
    /// Empty only for a catalog request: its form carries the details.
    pub description: String,
    pub catalog_item: Option<String>,
    pub answers: Answers,
}

/// A catalog form's fields carry the details, so the free-text description may stay empty.
fn description(field: &str, input: &NewRequestInput) -> Result<String, FieldError> {
    if input.catalog_item.is_some() && input.description.trim().is_empty() {
        return Ok(String::new());
    }
    DESCRIPTION_RULE.parse(field, &input.description)
}

impl NewRequest {
    /// Validates every field and reports all problems at once, in form order.
    ///
    /// # Errors
    /// [`ValidationErrors`] listing each rejected field.
    pub fn parse(input: &NewRequestInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.collect(NAME_RULE.parse(fields::REQUESTER_NAME, &input.requester_name));
        let email = errors.collect(Email::parse(
            fields::REQUESTER_EMAIL,
            &input.requester_email,
        ));
        let subject = errors.collect(SUBJECT_RULE.parse(fields::SUBJECT, &input.subject));
        let description = errors.collect(description(fields::DESCRIPTION, input));
        match (name, email, subject, description) {
            (Some(requester_name), Some(requester_email), Some(subject), Some(description))
                if errors.is_empty() =>
            {
                Ok(Self {
                    requester_name,
                    requester_email,
                    subject,
                    description,
                    catalog_item: input.catalog_item.clone(),
                    answers: input.answers.clone(),
                })
            }
            _ => Err(errors),
        }
    }

    /// Checks one field alone, for inline validation as the requester leaves it.
    #[must_use]
    pub fn check_field(field: &str, input: &NewRequestInput) -> Option<FieldError> {
        let result = match field {
            fields::REQUESTER_NAME => NAME_RULE.parse(field, &input.requester_name).map(drop),
            fields::REQUESTER_EMAIL => Email::parse(field, &input.requester_email).map(drop),
            fields::SUBJECT => SUBJECT_RULE.parse(field, &input.subject).map(drop),
            fields::DESCRIPTION => description(field, input).map(drop),
            _ => Ok(()),
        };
        result.err()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_follow_up_subject_says_re_once_and_fits_the_subject_rule() {
        assert_eq!(follow_up_subject("VPN down"), "Re: VPN down");
        assert_eq!(follow_up_subject("Re: VPN down"), "Re: VPN down");
        let long = "é".repeat(SUBJECT_RULE.max as usize);
        let subject = follow_up_subject(&long);
        assert_eq!(subject.chars().count(), SUBJECT_RULE.max as usize);
        assert!(SUBJECT_RULE.parse("subject", &subject).is_ok());
    }

    fn valid() -> NewRequestInput {
        NewRequestInput {
            requester_name: "Dana Levi".into(),
            requester_email: "dana@Example.ORG".into(),
            subject: "Laptop will not start".into(),
            description: "It beeps three times.\nThen nothing.".into(),
            ..NewRequestInput::default()
        }
    }

    #[test]
    fn a_catalog_request_may_leave_the_description_empty() {
        let mut input = valid();
        input.description = "  ".into();
        assert_eq!(
            NewRequest::check_field(fields::DESCRIPTION, &input).map(|e| e.code),
            Some(FieldErrorCode::Required)
        );
        input.catalog_item = Some("access-request".into());
        let request = NewRequest::parse(&input).expect("valid without description");
        assert_eq!(request.description, "");
        assert_eq!(request.catalog_item.as_deref(), Some("access-request"));
    }

    fn codes(errors: &ValidationErrors) -> Vec<(&str, FieldErrorCode)> {
        errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.code))
            .collect()
    }

    #[test]
    fn valid_request_is_trimmed_and_email_domain_lowercased() {
        let mut input = valid();
        input.subject = "  Laptop will not start  ".into();
        let request = NewRequest::parse(&input).expect("valid");
        assert_eq!(request.subject, "Laptop will not start");
        assert_eq!(request.requester_email.as_str(), "dana@example.org");
    }

    #[test]
    fn empty_form_reports_every_field_as_required_in_form_order() {
        let errors = NewRequest::parse(&NewRequestInput::default()).expect_err("empty");
        assert_eq!(
            codes(&errors),
            vec![
                ("requester_name", FieldErrorCode::Required),
                ("requester_email", FieldErrorCode::Required),
                ("subject", FieldErrorCode::Required),
                ("description", FieldErrorCode::Required),
            ]
        );
    }

    #[test]
    fn malformed_emails_are_rejected() {
        for bad in [
            "dana",
            "dana@",
            "@example.org",
            "dana@localhost",
            "da na@example.org",
            "Dana <d@example.org>",
            "d@[127.0.0.1]",
        ] {
            let mut input = valid();
            input.requester_email = bad.into();
            let errors = NewRequest::parse(&input).expect_err(bad);
            assert_eq!(
                codes(&errors),
                vec![("requester_email", FieldErrorCode::InvalidEmail)],
                "{bad}"
            );
        }
    }

    #[test]
    fn subject_bounds_count_characters_not_bytes() {
        let mut input = valid();
        // 200 Hebrew letters are 400 bytes but exactly at the limit.
        input.subject = "ש".repeat(200);
        assert!(NewRequest::parse(&input).is_ok());
        input.subject = "ש".repeat(201);
        let errors = NewRequest::parse(&input).expect_err("too long");
        let error = errors.for_field("subject").expect("subject error");
        assert_eq!(
            (error.code, error.limit),
            (FieldErrorCode::TooLong, Some(200))
        );
        input.subject = "ab".into();
        assert_eq!(
            codes(&NewRequest::parse(&input).expect_err("short")),
            vec![("subject", FieldErrorCode::TooShort)]
        );
    }

    #[test]
    fn line_breaks_are_allowed_only_in_the_description() {
        let mut input = valid();
        input.subject = "two\nlines".into();
        assert_eq!(
            codes(&NewRequest::parse(&input).expect_err("newline")),
            vec![("subject", FieldErrorCode::InvalidCharacters)]
        );
        input = valid();
        input.description = "bell \u{7} character".into();
        assert_eq!(
            codes(&NewRequest::parse(&input).expect_err("bell")),
            vec![("description", FieldErrorCode::InvalidCharacters)]
        );
    }

    #[test]
    fn check_field_agrees_with_the_full_parse() {
        let input = NewRequestInput {
            requester_email: "nope".into(),
            ..NewRequestInput::default()
        };
        let full = NewRequest::parse(&input).expect_err("invalid");
        for field in [
            fields::REQUESTER_NAME,
            fields::REQUESTER_EMAIL,
            fields::SUBJECT,
            fields::DESCRIPTION,
        ] {
            assert_eq!(
                NewRequest::check_field(field, &input).as_ref(),
                full.for_field(field)
            );
        }
    }

    #[test]
    fn missing_json_fields_become_required_errors_and_unknown_fields_are_refused() {
        let input: NewRequestInput =
            serde_json::from_str(r#"{"subject":"Printer jam"}"#).expect("partial json");
        let errors = NewRequest::parse(&input).expect_err("missing");
        assert!(errors.for_field("subject").is_none());
        assert_eq!(errors.0.len(), 3);
        assert!(serde_json::from_str::<NewRequestInput>(r#"{"sbject":"x"}"#).is_err());
    }

    proptest! {
        #[test]
        fn accepted_requests_reparse_to_the_same_value(
            name in "[\\p{L} .'-]{1,60}",
            subject in "[\\p{L}\\p{N} ,.!?-]{3,120}",
            description in "[\\p{L}\\p{N} \n,.]{1,400}",
        ) {
            let input = NewRequestInput {
                requester_name: name,
                requester_email: "someone@example.com".into(),
                subject,
                description,
                ..NewRequestInput::default()
            };
            if let Ok(request) = NewRequest::parse(&input) {
                // What we store must validate again unchanged (storage round trip).
                let stored = NewRequestInput {
                    requester_name: request.requester_name.clone(),
                    requester_email: request.requester_email.to_string(),
                    subject: request.subject.clone(),
                    description: request.description.clone(),
                    ..NewRequestInput::default()
                };
                prop_assert_eq!(NewRequest::parse(&stored), Ok(request));
            }
        }

        #[test]
        fn parse_never_panics_and_errors_name_only_known_fields(
            name in any::<String>(), email in any::<String>(), subject in any::<String>(), description in any::<String>(),
        ) {
            let input = NewRequestInput { requester_name: name, requester_email: email, subject, description, ..NewRequestInput::default() };
            if let Err(errors) = NewRequest::parse(&input) {
                prop_assert!(!errors.is_empty());
                for e in &errors.0 {
                    prop_assert!([fields::REQUESTER_NAME, fields::REQUESTER_EMAIL, fields::SUBJECT, fields::DESCRIPTION].contains(&e.field.as_str()));
                }
            }
        }
    }
}
