//! An agent's ticket change (`PATCH`), checked once at the edge: assignee, group and tags.

use crate::api::TicketPatch;
use crate::priority::Priority;
use crate::sla::{GROUP_RULE, parse_tag};
use crate::ticket::TicketStatus;
use crate::validation::{FieldError, FieldErrorCode, ValidationErrors};

/// Most tags one patch may add or remove (each list).
pub const MAX_TAG_CHANGES: usize = 50;

/// Longest API token id accepted as an assignee (ids are 26-character ULIDs; the database
/// decides whether it names an agent).
const MAX_ASSIGNEE_LEN: usize = 64;

/// A checked [`TicketPatch`]. `None` leaves a field as it is; `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketChanges {
    pub status: Option<TicketStatus>,
    pub priority: Option<Priority>,
    pub assignee: Option<Option<String>>,
    pub group: Option<Option<String>>,
    /// Sorted, without duplicates, none of them also in `tags_remove`.
    pub tags_add: Vec<String>,
    pub tags_remove: Vec<String>,
}

impl TicketChanges {
    /// Checks every field of `patch` and reports all problems together.
    ///
    /// # Errors
    /// Each bad field by its name (`assignee`, `group`, `tags_add[2]`, …). A tag both added
    /// and removed is a `not_an_option` on its `tags_remove` entry.
    pub fn parse(patch: &TicketPatch) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let assignee = match &patch.assignee {
            Some(Some(raw)) => errors
                .collect(parse_assignee(raw))
                .map(|id| Some(Some(id)))
                .unwrap_or_default(),
            Some(None) => Some(None),
            None => None,
        };
        let group = match &patch.group {
            Some(Some(raw)) => errors
                .collect(GROUP_RULE.parse("group", raw))
                .map(|g| Some(Some(g)))
                .unwrap_or_default(),
            Some(None) => Some(None),
            None => None,
        };
        let tags_add = tag_list(&mut errors, "tags_add", &patch.tags_add);
        let tags_remove = tag_list(&mut errors, "tags_remove", &patch.tags_remove);
        for (i, raw) in patch.tags_remove.iter().enumerate() {
            if tags_add.iter().any(|t| t == raw.trim()) {
                errors.push(FieldError::new(
                    &format!("tags_remove[{i}]"),
                    FieldErrorCode::NotAnOption,
                    None,
                ));
            }
        }
        errors.into_result()?;
        Ok(Self {
            status: patch.status,
            priority: patch.priority,
            assignee,
            group,
            tags_add,
            tags_remove,
        })
    }

    /// The tags after this change, sorted, given the ticket's `current` ones.
    #[must_use]
    pub fn tags_after(&self, current: &[String]) -> Vec<String> {
        let mut tags: Vec<String> = current
            .iter()
            .filter(|t| !self.tags_remove.contains(t))
            .cloned()
            .chain(self.tags_add.iter().cloned())
            .collect();
        tags.sort();
        tags.dedup();
        tags
    }
}

/// Whether `id` could be an API token id (the database decides whether it names an agent).
#[must_use]
pub fn plausible_token_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ASSIGNEE_LEN
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn parse_assignee(raw: &str) -> Result<String, FieldError> {
    let id = raw.trim();
    if plausible_token_id(id) {
        Ok(id.to_owned())
    } else {
        Err(FieldError::new(
            "assignee",
            FieldErrorCode::NotAnOption,
            None,
        ))
    }
}

/// The checked tags of one list, sorted and without duplicates.
fn tag_list(errors: &mut ValidationErrors, name: &str, raw: &[String]) -> Vec<String> {
    if raw.len() > MAX_TAG_CHANGES {
        errors.push(FieldError::new(name, FieldErrorCode::AboveMaximum, None));
        return Vec::new();
    }
    let mut tags: Vec<String> = raw
        .iter()
        .enumerate()
        .filter_map(|(i, t)| errors.collect(parse_tag(&format!("{name}[{i}]"), t)))
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(json: &str) -> TicketPatch {
        serde_json::from_str(json).expect("patch")
    }

    fn fields(errors: &ValidationErrors) -> Vec<&str> {
        errors.0.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn absent_null_and_given_assignee_and_group_are_three_different_things() {
        let absent = TicketChanges::parse(&patch("{}")).expect("ok");
        assert_eq!((absent.assignee, absent.group), (None, None));
        let cleared =
            TicketChanges::parse(&patch(r#"{"assignee": null, "group": null}"#)).expect("ok");
        assert_eq!((cleared.assignee, cleared.group), (Some(None), Some(None)));
        let set = TicketChanges::parse(&patch(
            r#"{"assignee": " 01JD0000000000000000000TOK ", "group": " Tier 2 "}"#,
        ))
        .expect("ok");
        assert_eq!(
            set.assignee,
            Some(Some("01JD0000000000000000000TOK".to_owned()))
        );
        assert_eq!(set.group, Some(Some("Tier 2".to_owned())));
    }

    #[test]
    fn bad_fields_are_all_reported_by_name() {
        let errors = TicketChanges::parse(&patch(
            r#"{"assignee": "", "group": "  ", "tags_add": ["ok", "Not OK"], "tags_remove": ["ok"]}"#,
        ))
        .expect_err("invalid");
        assert_eq!(
            fields(&errors),
            ["assignee", "group", "tags_add[1]", "tags_remove[0]"]
        );
        let many = format!(r#"{{"tags_add": [{}]}}"#, vec!["\"t\""; 51].join(","));
        assert_eq!(
            fields(&TicketChanges::parse(&patch(&many)).expect_err("too many")),
            ["tags_add"]
        );
    }

    #[test]
    fn tags_change_by_difference_sorted_and_deduplicated() {
        let changes = TicketChanges::parse(&patch(
            r#"{"tags_add": ["vip", "billing", "vip"], "tags_remove": ["late", "absent"]}"#,
        ))
        .expect("ok");
        assert_eq!(changes.tags_add, ["billing", "vip"]);
        let current = [
            "late".to_owned(),
            "sla-breached".to_owned(),
            "vip".to_owned(),
        ];
        assert_eq!(
            changes.tags_after(&current),
            ["billing", "sla-breached", "vip"]
        );
    }

    #[test]
    fn unknown_patch_fields_are_refused() {
        assert!(serde_json::from_str::<TicketPatch>(r#"{"tags": ["a"]}"#).is_err());
    }
}
