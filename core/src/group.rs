//! Agent groups (teams): what an admin submits, checked once, and how a group is shown.

use serde::{Deserialize, Serialize};

use crate::api::Role;
use crate::catalog::valid_slug;
use crate::validation::{FieldError, FieldErrorCode, TextRule, ValidationErrors};

/// Most members one group may have (an admin call names them all).
pub const MAX_MEMBERS: u32 = 200;

const NAME_RULE: TextRule = TextRule {
    min: 1,
    max: 80,
    multiline: false,
};

const DESCRIPTION_RULE: TextRule = TextRule {
    min: 1,
    max: 2_000,
    multiline: true,
};

/// A group as an admin creates (`POST`, with `slug`) or replaces it (`PUT`, slug from the path).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct GroupInput {
    /// The group's key: tickets, catalog items and SLA escalations name it. Never changes.
    #[cfg_attr(
        feature = "schema",
        schemars(
            regex(pattern = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"),
            length(min = 2, max = 64)
        )
    )]
    pub slug: String,
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 80)))]
    pub name: String,
    #[cfg_attr(feature = "schema", schemars(length(max = 2000)))]
    pub description: String,
    /// API token ids of the organisation's agents and admins (agents are their tokens).
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub members: Vec<String>,
}

/// A checked [`GroupInput`]; the members' existence is the store's to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSpec {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Sorted, without duplicates.
    pub members: Vec<String>,
}

impl GroupInput {
    /// Checks every field and reports all problems together.
    ///
    /// # Errors
    /// Field errors by name (`slug`, `name`, `description`, `members[3]`, `members`).
    pub fn parse(&self) -> Result<GroupSpec, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let slug = self.slug.trim();
        if !valid_slug(slug) {
            errors.push(FieldError::new("slug", FieldErrorCode::InvalidKey, None));
        }
        let name = errors.collect(NAME_RULE.parse("name", &self.name));
        let description = if self.description.trim().is_empty() {
            Some(String::new())
        } else {
            errors.collect(DESCRIPTION_RULE.parse("description", &self.description))
        };
        if self.members.len() > MAX_MEMBERS as usize {
            errors.push(FieldError::new(
                "members",
                FieldErrorCode::AboveMaximum,
                Some(MAX_MEMBERS),
            ));
        }
        let mut members: Vec<String> = self
            .members
            .iter()
            .enumerate()
            .filter_map(|(i, raw)| {
                let id = raw.trim();
                if crate::ticket_change::plausible_token_id(id) {
                    Some(id.to_owned())
                } else {
                    errors.push(FieldError::new(
                        &format!("members[{i}]"),
                        FieldErrorCode::NotAnOption,
                        None,
                    ));
                    None
                }
            })
            .collect();
        members.sort();
        members.dedup();
        errors.into_result()?;
        Ok(GroupSpec {
            slug: slug.to_owned(),
            name: name.unwrap_or_default(),
            description: description.unwrap_or_default(),
            members,
        })
    }
}

impl GroupInput {
    /// The error for member `id` (not an agent of the organisation), named by its place in
    /// the submitted list.
    #[must_use]
    pub fn unknown_member(&self, id: &str) -> FieldError {
        let index = self
            .members
            .iter()
            .position(|raw| raw.trim() == id)
            .unwrap_or_default();
        FieldError::new(
            &format!("members[{index}]"),
            FieldErrorCode::NotAnOption,
            None,
        )
    }
}

/// One member as a group shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupMember {
    /// The agent's API token id (what `assignee` takes).
    pub id: String,
    pub name: String,
    pub role: Role,
    /// A revoked token stays listed (so an admin sees who left) but cannot be assigned.
    pub revoked: bool,
}

/// A group as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupView {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub members: Vec<GroupMember>,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub updated_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(slug: &str, name: &str, members: &[&str]) -> GroupInput {
        GroupInput {
            slug: slug.into(),
            name: name.into(),
            description: String::new(),
            members: members.iter().map(|m| (*m).to_owned()).collect(),
        }
    }

    #[test]
    fn a_good_group_is_trimmed_and_its_members_sorted_once() {
        let spec = input(" tier-2 ", " Tier 2 ", &["01B", "01A", "01B "])
            .parse()
            .expect("valid");
        assert_eq!(spec.slug, "tier-2");
        assert_eq!(spec.name, "Tier 2");
        assert_eq!(spec.members, ["01A", "01B"]);
        assert_eq!(spec.description, "");
    }

    #[test]
    fn every_bad_field_is_reported_together() {
        let errors = input("Tier 2", "", &["ok-1", "no spaces", ""])
            .parse()
            .expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["slug", "name", "members[1]", "members[2]"]);
    }

    #[test]
    fn too_many_members_is_one_error_on_the_list() {
        let many: Vec<String> = (0..=MAX_MEMBERS).map(|i| format!("t{i}")).collect();
        let raw = GroupInput {
            members: many,
            ..input("big", "Big", &[])
        };
        let errors = raw.parse().expect_err("too many");
        assert_eq!(errors.0[0].field, "members");
        assert_eq!(errors.0[0].code, FieldErrorCode::AboveMaximum);
    }

    #[test]
    fn an_unknown_member_is_named_by_its_place_in_the_input() {
        let raw = input("ops", "Ops", &["a1", " b2 "]);
        assert_eq!(raw.unknown_member("b2").field, "members[1]");
    }
}
