//! An agent's checked change decided against the loaded ticket: fields, events, SLA effects.

use crate::priority::Priority;
use crate::sla::Happening;
use crate::ticket::{IllegalTransition, TicketStatus};
use crate::ticket_change::TicketChanges;
use crate::validation::{FieldError, FieldErrorCode};

/// Why a closed ticket takes no change: where the conversation goes on instead.
pub const CLOSED_IS_FINAL: &str = "The ticket is closed, and closed is final: nothing more is \
     added to it. A requester's reply opens a follow-up ticket linked to it; to go on yourself, \
     open a new ticket.";

/// The fields of a loaded ticket that a change is compared against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketFields {
    pub status: TicketStatus,
    pub priority: Priority,
    /// An API token id, or unassigned.
    pub assignee: Option<String>,
    pub group: Option<String>,
    /// Sorted, without duplicates (as the store reads them).
    pub tags: Vec<String>,
}

/// One field's change, from → to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldChange {
    Status(TicketStatus, TicketStatus),
    Priority(Priority, Priority),
    /// An API token id, or unassigned.
    Assignee(Option<String>, Option<String>),
    Group(Option<String>, Option<String>),
    /// The tags before and after; `added` and `removed` are what differs.
    Tags {
        from: Vec<String>,
        to: Vec<String>,
    },
}

/// One audit event of a field change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// `changed`, `tag_added` or `tag_removed`.
    pub kind: &'static str,
    pub field: &'static str,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl FieldChange {
    /// The audit events of this change: one `changed` event, or for tags one `tag_added` /
    /// `tag_removed` event per tag (as the SLA sweep records its escalation tags).
    #[must_use]
    pub fn events(&self) -> Vec<AuditEvent> {
        let changed = |field, from: Option<&str>, to: Option<&str>| {
            vec![AuditEvent {
                kind: "changed",
                field,
                from: from.map(str::to_owned),
                to: to.map(str::to_owned),
            }]
        };
        match self {
            Self::Status(from, to) => changed("status", Some(from.as_str()), Some(to.as_str())),
            Self::Priority(from, to) => changed("priority", Some(from.as_str()), Some(to.as_str())),
            Self::Assignee(from, to) => changed("assignee", from.as_deref(), to.as_deref()),
            Self::Group(from, to) => changed("group", from.as_deref(), to.as_deref()),
            Self::Tags { from, to } => to
                .iter()
                .filter(|t| !from.contains(t))
                .map(|t| AuditEvent {
                    kind: "tag_added",
                    field: "tags",
                    from: None,
                    to: Some(t.clone()),
                })
                .chain(from.iter().filter(|t| !to.contains(t)).map(|t| AuditEvent {
                    kind: "tag_removed",
                    field: "tags",
                    from: Some(t.clone()),
                    to: None,
                }))
                .collect(),
        }
    }

    /// How many audit events (and so event ids) this change needs.
    #[must_use]
    pub fn event_count(&self) -> usize {
        self.events().len()
    }

    /// The change that undoes this one.
    #[must_use]
    pub fn inverse(&self) -> Self {
        match self {
            Self::Status(from, to) => Self::Status(*to, *from),
            Self::Priority(from, to) => Self::Priority(*to, *from),
            Self::Assignee(from, to) => Self::Assignee(to.clone(), from.clone()),
            Self::Group(from, to) => Self::Group(to.clone(), from.clone()),
            Self::Tags { from, to } => Self::Tags {
                from: to.clone(),
                to: from.clone(),
            },
        }
    }

    /// `fields` with this change made.
    pub fn apply_to(&self, fields: &mut TicketFields) {
        match self {
            Self::Status(_, to) => fields.status = *to,
            Self::Priority(_, to) => fields.priority = *to,
            Self::Assignee(_, to) => fields.assignee.clone_from(to),
            Self::Group(_, to) => fields.group.clone_from(to),
            Self::Tags { to, .. } => fields.tags.clone_from(to),
        }
    }
}

/// Why a change is refused (a conflict with the ticket's state).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The lifecycle does not allow this status change; says what it does allow.
    #[error("{}. From {} it can become: {}.", .0, .0.from.as_str(), allowed(.0))]
    IllegalTransition(IllegalTransition),
    /// The ticket is closed and the change would alter it.
    #[error("{CLOSED_IS_FINAL}")]
    ClosedIsFinal,
}

/// The statuses a refused transition could have gone to, for its message.
fn allowed(e: &IllegalTransition) -> String {
    if e.allowed.is_empty() {
        "nothing (closed is final)".to_owned()
    } else {
        let allowed: Vec<&str> = e.allowed.iter().map(|s| s.as_str()).collect();
        allowed.join(", ")
    }
}

/// What the SLA tracker is run with after a change: what happened, and the ticket's status,
/// priority and tags afterwards (policies match on priority and tags, so every change
/// re-evaluates which policy applies; pausing, resuming and fulfilling clocks follow from the
/// happenings and the policy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaEffects {
    pub happenings: Vec<Happening>,
    pub status: TicketStatus,
    pub priority: Priority,
    pub tags: Vec<String>,
}

/// An agent's change decided against the loaded ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketChange {
    /// Only fields whose value differs, in order: status, priority, assignee, group, tags.
    pub fields: Vec<FieldChange>,
    pub sla: SlaEffects,
}

impl TicketChange {
    /// Compares `wanted` with `current`. A field set to the value it has is no change.
    ///
    /// # Errors
    /// A status change the lifecycle does not allow (checked first), or any change to a closed
    /// ticket.
    pub fn decide(current: &TicketFields, wanted: &TicketChanges) -> Result<Self, Refusal> {
        let mut fields = Vec::new();
        let mut happenings = Vec::new();
        if let Some(to) = wanted.status.filter(|to| *to != current.status) {
            current
                .status
                .transition(to)
                .map_err(Refusal::IllegalTransition)?;
            fields.push(FieldChange::Status(current.status, to));
            happenings.push(Happening::StatusChanged {
                from: current.status,
                to,
            });
        }
        if let Some(to) = wanted.priority.filter(|to| *to != current.priority) {
            fields.push(FieldChange::Priority(current.priority, to));
        }
        if let Some(to) = wanted.assignee.clone().filter(|to| *to != current.assignee) {
            fields.push(FieldChange::Assignee(current.assignee.clone(), to));
        }
        if let Some(to) = wanted.group.clone().filter(|to| *to != current.group) {
            fields.push(FieldChange::Group(current.group.clone(), to));
        }
        let tags = wanted.tags_after(&current.tags);
        if tags != current.tags {
            fields.push(FieldChange::Tags {
                from: current.tags.clone(),
                to: tags.clone(),
            });
        }
        if current.status.is_final() && !fields.is_empty() {
            return Err(Refusal::ClosedIsFinal);
        }
        let after = after(current, &fields);
        Ok(Self {
            sla: SlaEffects {
                happenings,
                status: after.status,
                priority: after.priority,
                tags,
            },
            fields,
        })
    }

    /// Whether nothing changes: then nothing is written either.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The audit events of every field change, in order.
    #[must_use]
    pub fn events(&self) -> Vec<AuditEvent> {
        self.fields.iter().flat_map(FieldChange::events).collect()
    }

    /// `current` with every field change made.
    #[must_use]
    pub fn apply(&self, current: &TicketFields) -> TicketFields {
        after(current, &self.fields)
    }
}

/// What must be looked up before an assignee or group change can be checked: whether the new
/// assignee may take tickets, whether the new group exists, and the groups of the assignee
/// after the change (`Some(None)`: the ticket's current assignee).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssignmentLookups<'a> {
    pub assignee: Option<&'a str>,
    pub group: Option<&'a str>,
    pub memberships_of: Option<Option<&'a str>>,
}

impl<'a> AssignmentLookups<'a> {
    /// The lookups `wanted` needs. Clearing either side leaves nothing to match; touching
    /// neither checks nothing.
    #[must_use]
    pub fn of(wanted: &'a TicketChanges) -> Self {
        let touches = wanted.assignee.is_some() || wanted.group.is_some();
        let clears = matches!(wanted.assignee, Some(None)) || matches!(wanted.group, Some(None));
        Self {
            assignee: wanted.assignee.as_ref().and_then(Option::as_deref),
            group: wanted.group.as_ref().and_then(Option::as_deref),
            memberships_of: (touches && !clears)
                .then(|| wanted.assignee.as_ref().and_then(Option::as_deref)),
        }
    }
}

/// What [`AssignmentLookups`] found; `None` for what was not looked up.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssignmentFacts {
    pub assignable: Option<bool>,
    pub group_exists: Option<bool>,
    pub member_of: Option<Vec<String>>,
}

/// Checks an assignee or group change against what was looked up: the new assignee must be a
/// live agent, the new group must exist, and the assignee after the change must belong to the
/// group after the change.
///
/// # Errors
/// `not_an_option` on `assignee` or `group`, or `not_a_group_member` named after the side the
/// change set (the assignee when it set both).
pub fn check_assignment(
    wanted: &TicketChanges,
    current: &TicketFields,
    found: &AssignmentFacts,
) -> Result<(), FieldError> {
    if found.assignable == Some(false) {
        return Err(FieldError::new(
            "assignee",
            FieldErrorCode::NotAnOption,
            None,
        ));
    }
    if found.group_exists == Some(false) {
        return Err(FieldError::new("group", FieldErrorCode::NotAnOption, None));
    }
    let group = wanted.group.as_ref().unwrap_or(&current.group);
    let assignee = wanted.assignee.as_ref().unwrap_or(&current.assignee);
    if let (Some(member_of), Some(group), Some(_)) = (&found.member_of, group, assignee)
        && !member_of.contains(group)
    {
        let field = if wanted.assignee.is_some() {
            "assignee"
        } else {
            "group"
        };
        return Err(FieldError::new(
            field,
            FieldErrorCode::NotAGroupMember,
            None,
        ));
    }
    Ok(())
}

/// `current` with `fields` made, in order.
fn after(current: &TicketFields, fields: &[FieldChange]) -> TicketFields {
    let mut after = current.clone();
    for field in fields {
        field.apply_to(&mut after);
    }
    after
}

#[cfg(test)]
mod tests;
