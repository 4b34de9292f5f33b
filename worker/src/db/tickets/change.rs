//! Changing a ticket: field changes, a comment, their audit events, counters, tags and SLA
//! state in one batch that writes nothing if the ticket moved on meanwhile.

use edgedesk_core::ticket_decision::AuditEvent;
pub use edgedesk_core::ticket_decision::FieldChange;
use serde_json::Value;
use worker::D1Database;

use super::{IF_CHANGED, TICKET_COLUMNS, TicketRow, status_count};
use crate::db::StoreError;
use crate::db::sla::SlaWrite;
use crate::db::{InOrder, Sql};

/// Who made a change, as recorded in the audit trail.
pub struct Actor<'a> {
    /// `agent` (an API token) or `requester`.
    pub kind: &'static str,
    /// The token id, or the requester's email.
    pub id: &'a str,
}

/// A comment added together with a change.
pub struct NewComment<'a> {
    pub id: &'a str,
    pub body: &'a str,
    pub public: bool,
}

/// Everything one write does to a ticket; applied atomically, only if the ticket is still at
/// `expected_version` (optimistic concurrency: the caller validated against that version).
pub struct Change<'a> {
    pub org_id: &'a str,
    pub ticket_id: &'a str,
    pub expected_version: i64,
    pub fields: Vec<FieldChange>,
    pub comment: Option<NewComment<'a>>,
    pub actor: Actor<'a>,
    pub now: &'a str,
    /// One fresh id per audit event, in order: the comment's first (if any), then one per field
    /// change (`clock::new_ids` keeps them sorted within a millisecond).
    pub event_ids: Vec<String>,
    /// Fresh token that marks this write on the ticket (see [`IF_CHANGED`]).
    pub change_id: String,
    /// The ticket's SLA after the change, stored in the same batch.
    pub sla: Option<SlaWrite>,
}

/// `?3` is the change token, `?8` the version the caller read; `?9` says whether `?10`/`?11`
/// (SLA policy and pauses) are given, `?12` whether `?13` is the new assignee and `?14`
/// whether `?15` is the new group (both may become null).
pub(crate) const UPDATE_TICKET: &str = "UPDATE tickets SET status = COALESCE(?4, status), \
     priority = COALESCE(?5, priority), \
     assignee = CASE WHEN ?12 = 1 THEN ?13 ELSE assignee END, \
     group_name = CASE WHEN ?14 = 1 THEN ?15 ELSE group_name END, \
     solved_at = CASE WHEN ?4 = 'solved' THEN ?6 ELSE solved_at END, \
     closed_at = CASE WHEN ?4 = 'closed' THEN ?6 ELSE closed_at END, \
     first_response_at = CASE WHEN ?7 = 1 AND first_response_at IS NULL THEN ?6 ELSE first_response_at END, \
     sla_policy_id = CASE WHEN ?9 = 1 THEN ?10 ELSE sla_policy_id END, \
     sla_pauses = CASE WHEN ?9 = 1 THEN ?11 ELSE sla_pauses END, \
     version = version + 1, updated_at = ?6, change_id = ?3 \
     WHERE org_id = ?1 AND id = ?2 AND version = ?8";

/// The rest of the batch runs only if the update above happened.
const IF_UPDATED: &str = IF_CHANGED;

/// An audit event of a change: `?4` id, `?5` actor kind, `?6` actor id, `?7` kind, `?8` field,
/// `?9` from, `?10` to, `?11` time; written only if the change's update happened.
pub(crate) fn insert_event_sql() -> String {
    format!(
        "INSERT INTO ticket_events (id, org_id, ticket_id, actor_kind, actor_id, kind, field, \
         from_value, to_value, created_at) \
         SELECT ?4, ?1, ?2, ?5, ?6, ?7, ?8, ?9, ?10, ?11 WHERE {IF_UPDATED}"
    )
}

/// The statements of `change`, in order: the ticket update (first, `RETURNING` the row), the
/// comment and its event, an event per field change, the per-status counters, the tags added
/// and removed, and the SLA state. Every statement after the update is guarded by
/// [`IF_UPDATED`], so a change that lost a race writes nothing.
pub(crate) fn change_sql(change: &Change<'_>) -> Result<Vec<Sql>, StoreError> {
    let org = Value::from(change.org_id);
    let id = Value::from(change.ticket_id);
    let token = Value::from(change.change_id.as_str());
    let (mut status_to, mut priority_to) = (Value::Null, Value::Null);
    let (mut assignee, mut group) = ((0, Value::Null), (0, Value::Null));
    for field in &change.fields {
        match field {
            FieldChange::Status(_, to) => status_to = to.as_str().into(),
            FieldChange::Priority(_, to) => priority_to = to.as_str().into(),
            FieldChange::Assignee(_, to) => assignee = (1, to.clone().into()),
            FieldChange::Group(_, to) => group = (1, to.clone().into()),
            FieldChange::Tags { .. } => {}
        }
    }
    let first_response = change
        .comment
        .as_ref()
        .is_some_and(|c| c.public && change.actor.kind == "agent");
    let guarded = |more: Vec<Value>| {
        let mut params = vec![org.clone(), id.clone(), token.clone()];
        params.extend(more);
        params
    };
    let mut statements = vec![Sql::new(
        format!("{UPDATE_TICKET} RETURNING {TICKET_COLUMNS}"),
        guarded(vec![
            status_to,
            priority_to,
            change.now.into(),
            i32::from(first_response).into(),
            // D1 refuses BigInt parameters: versions go as JS numbers (see `Sql::prepare`).
            change.expected_version.into(),
            i32::from(change.sla.is_some()).into(),
            change
                .sla
                .as_ref()
                .and_then(|sla| sla.policy_id.clone())
                .into(),
            change.sla.as_ref().map(|sla| sla.pauses.clone()).into(),
            assignee.0.into(),
            assignee.1,
            group.0.into(),
            group.1,
        ]),
    )];
    let mut event_ids = change.event_ids.iter();
    let mut next_event_id = || {
        event_ids
            .next()
            .map(|e| Value::from(e.as_str()))
            .ok_or_else(|| StoreError::broken("a ticket change needs one event id per event"))
    };
    let event_sql = insert_event_sql();
    // The comment's event comes first: a requester's reply is what reopens the ticket.
    if let Some(comment) = &change.comment {
        statements.push(Sql::new(
            format!(
                "INSERT INTO ticket_comments (id, org_id, ticket_id, author_kind, author_id, body, public, created_at) \
                 SELECT ?4, ?1, ?2, ?5, ?6, ?7, ?8, ?9 WHERE {IF_UPDATED}"
            ),
            guarded(vec![
                comment.id.into(),
                change.actor.kind.into(),
                change.actor.id.into(),
                comment.body.into(),
                i32::from(comment.public).into(),
                change.now.into(),
            ]),
        ));
        statements.push(Sql::new(
            event_sql.clone(),
            guarded(vec![
                next_event_id()?,
                change.actor.kind.into(),
                change.actor.id.into(),
                if comment.public {
                    "reply_added"
                } else {
                    "note_added"
                }
                .into(),
                "comment".into(),
                Value::Null,
                comment.id.into(),
                change.now.into(),
            ]),
        ));
    }
    for field in &change.fields {
        for AuditEvent {
            kind,
            field: name,
            from,
            to,
        } in field.events()
        {
            statements.push(Sql::new(
                event_sql.clone(),
                guarded(vec![
                    next_event_id()?,
                    change.actor.kind.into(),
                    change.actor.id.into(),
                    kind.into(),
                    name.into(),
                    from.into(),
                    to.into(),
                    change.now.into(),
                ]),
            ));
        }
        match field {
            FieldChange::Status(from, to) => {
                statements.push(Sql::new(
                    format!(
                        "UPDATE org_counters SET value = value - 1 WHERE org_id = ?1 AND name = ?4 AND {IF_UPDATED}"
                    ),
                    guarded(vec![status_count(*from).into()]),
                ));
                statements.push(Sql::new(
                    format!(
                        "INSERT INTO org_counters (org_id, name, value) SELECT ?1, ?4, 1 WHERE {IF_UPDATED} \
                         ON CONFLICT (org_id, name) DO UPDATE SET value = value + 1"
                    ),
                    guarded(vec![status_count(*to).into()]),
                ));
            }
            FieldChange::Tags { from, to } => {
                for tag in to.iter().filter(|t| !from.contains(t)) {
                    statements.push(Sql::new(
                        format!(
                            "INSERT INTO ticket_tags (org_id, ticket_id, tag, created_at) \
                             SELECT ?1, ?2, ?4, ?5 WHERE {IF_UPDATED} \
                             ON CONFLICT (org_id, ticket_id, tag) DO NOTHING"
                        ),
                        guarded(vec![tag.as_str().into(), change.now.into()]),
                    ));
                }
                for tag in from.iter().filter(|t| !to.contains(t)) {
                    statements.push(Sql::new(
                        format!(
                            "DELETE FROM ticket_tags \
                             WHERE org_id = ?1 AND ticket_id = ?2 AND tag = ?4 AND {IF_UPDATED}"
                        ),
                        guarded(vec![tag.as_str().into()]),
                    ));
                }
            }
            _ => {}
        }
    }
    if let Some(sla) = &change.sla {
        statements.extend(crate::db::sla::write_sql(
            IF_UPDATED,
            [change.org_id, change.ticket_id, &change.change_id],
            sla,
            change.now,
        ));
    }
    Ok(statements)
}

/// What a change's batch did.
#[derive(Debug)]
pub enum ChangeOutcome {
    /// Written: the ticket as it is now (its new version included).
    Applied(Box<TicketRow>),
    /// The ticket is no longer at the expected version (or does not exist): nothing was
    /// written.
    Stale,
}

impl ChangeOutcome {
    /// The ticket as written, if the change was.
    #[must_use]
    pub fn applied(self) -> Option<TicketRow> {
        match self {
            Self::Applied(row) => Some(*row),
            Self::Stale => None,
        }
    }
}

/// Applies `change` (see [`change_sql`]) and `extra` in one D1 batch.
pub async fn apply(
    db: &D1Database,
    change: &Change<'_>,
    extra: &[Sql],
) -> Result<ChangeOutcome, StoreError> {
    let statements = change_sql(change)?
        .iter()
        .map(|sql| sql.prepare(db))
        .collect::<Result<Vec<_>, _>>()?;
    let results =
        crate::db::idempotency::batch_with_key(db, statements, extra, "changing a ticket").await?;
    // The update comes first and returns the row only if it matched the expected version.
    let updated = InOrder::new(results, "reading the changed ticket").first::<TicketRow>()?;
    Ok(updated.map_or(ChangeOutcome::Stale, |row| {
        ChangeOutcome::Applied(Box::new(row))
    }))
}
