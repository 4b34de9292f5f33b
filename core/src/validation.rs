//! Field-level validation errors shared by the API (422 bodies) and the portal (inline messages).

use serde::{Deserialize, Serialize};

/// Stable, machine-readable reason a field was rejected; clients translate by this code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldErrorCode {
    Required,
    TooShort,
    TooLong,
    InvalidEmail,
    InvalidCharacters,
    /// A value of the wrong JSON type (e.g. a number where text is expected).
    WrongType,
    NotANumber,
    BelowMinimum,
    AboveMaximum,
    StepMismatch,
    InvalidDate,
    InvalidDatetime,
    InvalidPhone,
    NotAnOption,
    PatternMismatch,
    UnknownField,
    // Problems in a form schema (admin side); `field` is then a path like `fields[2].options`.
    InvalidKey,
    DuplicateKey,
    UnknownFieldType,
    MissingConditionField,
    NoOptions,
    DuplicateOption,
    InvalidPattern,
    InvalidBounds,
    InvalidDefault,
    /// Not a web origin like `https://www.example.com` (widget allowlists).
    InvalidOrigin,
    /// A ticket's assignee who is not a member of the ticket's group.
    NotAGroupMember,
}

impl FieldErrorCode {
    /// The wire name of the code.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooShort => "too_short",
            Self::TooLong => "too_long",
            Self::InvalidEmail => "invalid_email",
            Self::InvalidCharacters => "invalid_characters",
            Self::WrongType => "wrong_type",
            Self::NotANumber => "not_a_number",
            Self::BelowMinimum => "below_minimum",
            Self::AboveMaximum => "above_maximum",
            Self::StepMismatch => "step_mismatch",
            Self::InvalidDate => "invalid_date",
            Self::InvalidDatetime => "invalid_datetime",
            Self::InvalidPhone => "invalid_phone",
            Self::NotAnOption => "not_an_option",
            Self::PatternMismatch => "pattern_mismatch",
            Self::UnknownField => "unknown_field",
            Self::InvalidKey => "invalid_key",
            Self::DuplicateKey => "duplicate_key",
            Self::UnknownFieldType => "unknown_field_type",
            Self::MissingConditionField => "missing_condition_field",
            Self::NoOptions => "no_options",
            Self::DuplicateOption => "duplicate_option",
            Self::InvalidPattern => "invalid_pattern",
            Self::InvalidBounds => "invalid_bounds",
            Self::InvalidDefault => "invalid_default",
            Self::InvalidOrigin => "invalid_origin",
            Self::NotAGroupMember => "not_a_group_member",
        }
    }
}

/// One rejected field: which, why (code), the limit involved if any, and an English message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldError {
    /// A field name or a path such as `form.fields[2].options` or `answers.system`.
    pub field: String,
    pub code: FieldErrorCode,
    pub message: String,
    /// The limit involved, e.g. the maximum length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl FieldError {
    /// Builds an error with the default English message for `code`.
    #[must_use]
    pub fn new(field: &str, code: FieldErrorCode, limit: Option<u32>) -> Self {
        Self {
            field: field.to_owned(),
            code,
            message: Self::english(code, limit),
            limit,
        }
    }

    /// The default English message for `code` (clients translate by code instead).
    #[must_use]
    pub fn english(code: FieldErrorCode, limit: Option<u32>) -> String {
        use FieldErrorCode as C;
        match (code, limit) {
            (FieldErrorCode::Required, _) => "This field is required.".to_owned(),
            (FieldErrorCode::TooShort, Some(n)) => format!("Enter at least {n} characters."),
            (FieldErrorCode::TooLong, Some(n)) => format!("Enter at most {n} characters."),
            (FieldErrorCode::TooShort, None) => "This is too short.".to_owned(),
            (FieldErrorCode::TooLong, None) => "This is too long.".to_owned(),
            (FieldErrorCode::InvalidEmail, _) => {
                "Enter an email address like name@example.com.".to_owned()
            }
            (FieldErrorCode::InvalidCharacters, _) => {
                "This contains characters that are not allowed here.".to_owned()
            }
            (C::WrongType, _) => "This value has the wrong type.".to_owned(),
            (C::NotANumber, _) => "Enter a number.".to_owned(),
            (C::BelowMinimum, _) => "This number is below the minimum.".to_owned(),
            (C::AboveMaximum, _) => "This number is above the maximum.".to_owned(),
            (C::StepMismatch, _) => "This number is not one of the allowed steps.".to_owned(),
            (C::InvalidDate, _) => "Enter a date like 2026-12-31.".to_owned(),
            (C::InvalidDatetime, _) => "Enter a date and time like 2026-12-31T14:30.".to_owned(),
            (C::InvalidPhone, _) => "Enter a phone number like +48 601 234 567.".to_owned(),
            (C::NotAnOption, _) => "Choose one of the offered options.".to_owned(),
            (C::PatternMismatch, _) => "This does not have the expected format.".to_owned(),
            (C::UnknownField, _) => "This field is not part of the form.".to_owned(),
            (C::InvalidKey, _) => {
                "Use 1-64 lower-case letters, digits and underscores, starting with a letter."
                    .to_owned()
            }
            (C::DuplicateKey, _) => "Another field already uses this key.".to_owned(),
            (C::UnknownFieldType, _) => "This field type does not exist.".to_owned(),
            (C::MissingConditionField, _) => {
                "The condition refers to a field that does not exist before this one.".to_owned()
            }
            (C::NoOptions, _) => "A choice field needs at least one option.".to_owned(),
            (C::DuplicateOption, _) => "Two options share this value.".to_owned(),
            (C::InvalidPattern, _) => "This pattern is not a valid regular expression.".to_owned(),
            (C::InvalidBounds, _) => "The minimum is greater than the maximum.".to_owned(),
            (C::InvalidDefault, _) => "The default value is not valid for this field.".to_owned(),
            (C::InvalidOrigin, _) => {
                "Enter a web origin like https://www.example.com (no path).".to_owned()
            }
            (C::NotAGroupMember, _) => {
                "This agent is not a member of the ticket's group: choose both together.".to_owned()
            }
        }
    }
}

/// All field errors of one submission, in form order. Never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// The first error for `field`, if any.
    #[must_use]
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was reported.
    ///
    /// # Errors
    /// Itself, when it holds any error.
    pub fn into_result(self) -> Result<(), Self> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Records the error of `result` (if any) and returns its value.
    pub fn collect<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }
}

impl std::fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fields: Vec<&str> = self.0.iter().map(|e| e.field.as_str()).collect();
        write!(f, "invalid fields: {}", fields.join(", "))
    }
}

impl std::error::Error for ValidationErrors {}

/// Length bounds and line rules for a free-text field, in Unicode scalar values after trimming.
#[derive(Debug, Clone, Copy)]
pub struct TextRule {
    pub min: u32,
    pub max: u32,
    /// Whether line breaks and tabs are allowed (descriptions) or not (names, subjects).
    pub multiline: bool,
}

impl TextRule {
    /// Trims `raw` and checks it against the rule; the trimmed text is what gets stored.
    ///
    /// # Errors
    /// A [`FieldError`] naming `field` when the text is empty, out of bounds or holds control
    /// characters (line breaks are allowed only in multi-line fields).
    pub fn parse(self, field: &str, raw: &str) -> Result<String, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(FieldError::new(field, FieldErrorCode::Required, None));
        }
        let bad_char =
            |c: char| c.is_control() && !(self.multiline && matches!(c, '\n' | '\t' | '\r'));
        if text.chars().any(bad_char) {
            return Err(FieldError::new(
                field,
                FieldErrorCode::InvalidCharacters,
                None,
            ));
        }
        // Counted as characters, not bytes: a Hebrew or Greek subject must get the same room.
        let len = u32::try_from(text.chars().count()).unwrap_or(u32::MAX);
        if len < self.min {
            return Err(FieldError::new(
                field,
                FieldErrorCode::TooShort,
                Some(self.min),
            ));
        }
        if len > self.max {
            return Err(FieldError::new(
                field,
                FieldErrorCode::TooLong,
                Some(self.max),
            ));
        }
        Ok(text.to_owned())
    }
}
