//! The service catalog: categories and items as admins submit them, checked once, the public
//! views the portal reads, search folding and the priority an item's answers imply.

use serde::{Deserialize, Serialize};

use crate::form::{Answers, FieldKind, FormSchema, FormSchemaInput, LocalizedText};
use crate::priority::{Level, Priority, PriorityMatrix};
use crate::validation::{FieldError, FieldErrorCode as Code, TextRule, ValidationErrors};

const ICON_RULE: TextRule = TextRule {
    min: 1,
    max: 32,
    multiline: false,
};

/// A catalog slug (`access-request`): 2–64 of `a-z`, `0-9`, `-`, not starting or ending with `-`.
#[must_use]
pub fn valid_slug(slug: &str) -> bool {
    (2..=64).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

fn check_slug(errors: &mut ValidationErrors, slug: &str) {
    if !valid_slug(slug) {
        errors.push(FieldError::new("slug", Code::InvalidKey, None));
    }
}

fn check_text(errors: &mut ValidationErrors, field: &str, text: &LocalizedText, required: bool) {
    if required && text.is_empty() {
        errors.push(FieldError::new(field, Code::Required, None));
    }
    for (locale, value) in &text.0 {
        if !(2..=12).contains(&locale.len())
            || !locale.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
        {
            errors.push(FieldError::new(
                &format!("{field}.{locale}"),
                Code::InvalidKey,
                None,
            ));
        }
        if value.chars().count() > 2_000 {
            errors.push(FieldError::new(
                &format!("{field}.{locale}"),
                Code::TooLong,
                Some(2_000),
            ));
        }
    }
}

/// A category as an admin submits it. Two levels: a category may have a top-level parent.
/// `slug` is required on POST; on PUT the path names the category (a body slug must agree).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
// Required by validation (a 422 when missing), though serde fills in a default.
#[cfg_attr(feature = "schema", schemars(extend("required" = ["name"])))]
pub struct CategoryInput {
    #[cfg_attr(
        feature = "schema",
        schemars(
            regex(pattern = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$"),
            length(min = 2, max = 64)
        )
    )]
    pub slug: String,
    pub name: LocalizedText,
    #[serde(skip_serializing_if = "LocalizedText::is_empty")]
    pub description: LocalizedText,
    /// The parent category's slug, for a second-level category.
    pub parent: Option<String>,
    pub position: i32,
    /// Default true.
    pub active: Option<bool>,
}

impl CategoryInput {
    /// Checks the fields that need no database (the parent's existence is the store's job).
    ///
    /// # Errors
    /// Field errors by name.
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        check_slug(&mut errors, &self.slug);
        check_text(&mut errors, "name", &self.name, true);
        check_text(&mut errors, "description", &self.description, false);
        if self.parent.as_deref() == Some(self.slug.as_str()) {
            errors.push(FieldError::new("parent", Code::NotAnOption, None));
        }
        errors.into_result()
    }
}

/// A catalog item as an admin creates it, with its first form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
// Required by validation (a 422 when missing), though serde fills in a default.
#[cfg_attr(feature = "schema", schemars(extend("required" = ["slug", "category", "name"])))]
pub struct ItemInput {
    #[cfg_attr(
        feature = "schema",
        schemars(
            regex(pattern = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$"),
            length(min = 2, max = 64)
        )
    )]
    pub slug: String,
    /// The category's slug.
    pub category: String,
    pub name: LocalizedText,
    #[serde(skip_serializing_if = "LocalizedText::is_empty")]
    pub description: LocalizedText,
    #[cfg_attr(feature = "schema", schemars(length(max = 32)))]
    pub icon: Option<String>,
    pub position: i32,
    /// Default true.
    pub active: Option<bool>,
    pub default_priority: Option<Priority>,
    /// A group's slug (`/api/v1/groups`; an unknown one is 422).
    #[cfg_attr(feature = "schema", schemars(length(max = 32)))]
    pub default_group: Option<String>,
    pub form: FormSchemaInput,
}

/// Changes to an item's description: absent or `null` fields stay as they are. The form
/// changes only through a new version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ItemPatch {
    pub category: Option<String>,
    pub name: Option<LocalizedText>,
    pub description: Option<LocalizedText>,
    #[cfg_attr(feature = "schema", schemars(length(max = 32)))]
    pub icon: Option<String>,
    pub position: Option<i32>,
    pub active: Option<bool>,
    pub default_priority: Option<Priority>,
    /// A group's slug (`/api/v1/groups`; an unknown one is 422).
    #[cfg_attr(feature = "schema", schemars(length(max = 32)))]
    pub default_group: Option<String>,
}

fn check_item_fields(
    errors: &mut ValidationErrors,
    name: Option<&LocalizedText>,
    description: Option<&LocalizedText>,
    icon: Option<&str>,
    group: Option<&str>,
) {
    if let Some(name) = name {
        check_text(errors, "name", name, true);
    }
    if let Some(description) = description {
        check_text(errors, "description", description, false);
    }
    if let Some(icon) = icon {
        errors.collect(ICON_RULE.parse("icon", icon));
    }
    if let Some(group) = group {
        errors.collect(ICON_RULE.parse("default_group", group));
    }
}

impl ItemInput {
    /// Checks the item and its form; form problems carry paths under `form.`.
    ///
    /// # Errors
    /// Field errors by name or path (`form.fields[1].options`).
    pub fn parse(&self) -> Result<FormSchema, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        check_slug(&mut errors, &self.slug);
        if !valid_slug(&self.category) {
            errors.push(FieldError::new("category", Code::Required, None));
        }
        check_item_fields(
            &mut errors,
            Some(&self.name),
            Some(&self.description),
            self.icon.as_deref(),
            self.default_group.as_deref(),
        );
        let form = match parse_form(&self.form) {
            Ok(form) => Some(form),
            Err(form_errors) => {
                errors.0.extend(form_errors.0);
                None
            }
        };
        match form {
            Some(form) if errors.is_empty() => Ok(form),
            _ => Err(errors),
        }
    }
}

impl ItemPatch {
    /// # Errors
    /// Field errors by name.
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.category.as_deref().is_some_and(|c| !valid_slug(c)) {
            errors.push(FieldError::new("category", Code::NotAnOption, None));
        }
        check_item_fields(
            &mut errors,
            self.name.as_ref(),
            self.description.as_ref(),
            self.icon.as_deref(),
            self.default_group.as_deref(),
        );
        errors.into_result()
    }
}

/// Parses a form and prefixes its error paths with `form.`.
///
/// # Errors
/// Field errors with paths like `form.fields[0].key`.
pub fn parse_form(input: &FormSchemaInput) -> Result<FormSchema, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    if input.fields.len() > 100 {
        errors.push(FieldError::new("form.fields", Code::TooLong, Some(100)));
        return Err(errors);
    }
    FormSchema::parse(input).map_err(|found| {
        ValidationErrors(
            found
                .0
                .into_iter()
                .map(|mut e| {
                    e.field = format!("form.{}", e.field);
                    e
                })
                .collect(),
        )
    })
}

/// A category as the portal shows it (active ones only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CategoryView {
    pub slug: String,
    pub name: LocalizedText,
    #[serde(default)]
    pub description: LocalizedText,
    pub parent: Option<String>,
    pub position: i32,
    #[serde(default = "yes")]
    pub active: bool,
}

const fn yes() -> bool {
    true
}

/// A catalog item in a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ItemSummary {
    pub slug: String,
    pub category: String,
    pub name: LocalizedText,
    #[serde(default)]
    pub description: LocalizedText,
    pub icon: Option<String>,
    pub position: i32,
    #[serde(default = "yes")]
    pub active: bool,
    pub default_priority: Option<Priority>,
    pub default_group: Option<String>,
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub form_version: u32,
}

/// `GET /api/v1/orgs/{org}/catalog`: the organisation's active catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CatalogView {
    pub default_locale: String,
    pub categories: Vec<CategoryView>,
    pub items: Vec<ItemSummary>,
}

/// One item with the form version it currently uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ItemView {
    #[serde(flatten)]
    pub item: ItemSummary,
    pub default_locale: String,
    pub form: FormSchemaInput,
}

/// `PUT .../form` answer and the admin's view of one stored version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FormVersionView {
    pub item: String,
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub version: u32,
    pub form: FormSchemaInput,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
}

/// Lower-case text without diacritics, for search that finds "żółć" by "zolc", "Αίτηση" by
/// "αιτηση" and pointed Hebrew by its plain letters.
#[must_use]
pub fn search_key(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    use unicode_normalization::char::is_combining_mark;
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            // Letters with a stroke are not decomposed by NFD.
            'ł' => 'l',
            'đ' => 'd',
            'ø' => 'o',
            'ħ' => 'h',
            'ı' => 'i',
            // Greek final sigma is the same letter as σ.
            'ς' => 'σ',
            // Uzbek Latin writes oʻ / gʻ with a turned comma or an apostrophe; either matches.
            'ʻ' | 'ʼ' | '’' | '`' => '\'',
            other => other,
        })
        .collect()
}

/// The text an item is found by: its names and descriptions in every locale, folded.
#[must_use]
pub fn item_search_text(name: &LocalizedText, description: &LocalizedText) -> String {
    let mut all = String::new();
    for text in name.0.values().chain(description.0.values()) {
        all.push_str(&search_key(text));
        all.push('\n');
    }
    all
}

/// The priority a submission gets: the matrix for its impact × urgency answers when the form
/// asks both, else the item's default, else normal.
#[must_use]
pub fn priority_for(
    form: &FormSchema,
    answers: &Answers,
    matrix: &PriorityMatrix,
    default: Option<Priority>,
) -> Priority {
    let level = |wanted: fn(&FieldKind) -> bool| {
        form.fields
            .iter()
            .filter(|f| wanted(&f.kind))
            .find_map(|f| answers.get(&f.key)?.as_str()?.parse::<Level>().ok())
    };
    match (
        level(|k| matches!(k, FieldKind::Impact)),
        level(|k| matches!(k, FieldKind::Urgency)),
    ) {
        (Some(impact), Some(urgency)) => matrix.priority(impact, urgency),
        _ => default.unwrap_or(Priority::Normal),
    }
}

#[cfg(test)]
mod tests;
