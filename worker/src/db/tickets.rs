//! Tickets: creation (reference number, status count, ticket and first audit event in one
//! atomic batch) and the requester's view.

use std::collections::BTreeMap;

use edgedesk_core::api::{EventView, RequestView, SubmittedForm, TicketView};
use edgedesk_core::form::Answers;
use edgedesk_core::priority::Priority;
use edgedesk_core::{Channel, NewRequest, OrgSlug, TicketId, TicketStatus};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

use super::{d1_error, statement};
use crate::error::ApiError;

/// `org_counters` row that numbers an organisation's tickets (and so their references).
const TICKET_NUMBER: &str = "ticket_number";

/// `org_counters` row that counts an organisation's tickets in `status`: lists and dashboards
/// read counts from here instead of `COUNT(*)` over tickets. Status changes must move them too.
fn status_count(status: TicketStatus) -> String {
    format!("status:{}", status.as_str())
}

/// Adds one to an organisation's counter `?2`, creating it at 1. Selecting the org by slug
/// makes it a no-op for an unknown slug, so nothing at all is written then.
const BUMP_COUNTER: &str = "INSERT INTO org_counters (org_id, name, value) \
     SELECT id, ?2, 1 FROM orgs WHERE slug = ?1 \
     ON CONFLICT (org_id, name) DO UPDATE SET value = value + 1";

/// Takes the number the bump above just reserved; the batch runs as one transaction, so no
/// other request can take the same number in between (and `UNIQUE (org_id, number)` backs it).
const INSERT_TICKET: &str = "INSERT INTO tickets (id, org_id, number, reference, status, \
     subject, description, requester_name, requester_email, channel, tracking_token_hash, \
     created_at, updated_at, priority, catalog_item_id, form_version, answers) \
     SELECT ?1, o.id, c.value, o.ref_prefix || '-' || c.value, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, \
     ?12, ?13, ?14, ?15 \
     FROM orgs o JOIN org_counters c ON c.org_id = o.id AND c.name = ?11 \
     WHERE o.slug = ?2 \
     RETURNING reference";

/// The audit trail starts with the creation itself, by the requester, copied from the stored row.
const INSERT_CREATED_EVENT: &str = "INSERT INTO ticket_events (id, org_id, ticket_id, \
     actor_kind, actor_id, kind, field, from_value, to_value, created_at) \
     SELECT ?1, org_id, id, 'requester', requester_email, 'created', 'status', NULL, status, \
     created_at \
     FROM tickets WHERE id = ?2";

/// Everything needed to store a new ticket; ids, token hash and time come from the caller.
pub struct NewTicket<'a> {
    pub id: TicketId,
    pub event_id: TicketId,
    pub org: &'a OrgSlug,
    pub request: &'a NewRequest,
    pub channel: Channel,
    pub tracking_token_hash: String,
    pub now: &'a str,
    pub priority: Priority,
    /// The catalog item, its form version and the checked answers, for catalog requests.
    pub catalog: Option<CatalogSubmission>,
}

/// What a catalog request stores besides the ticket itself.
pub struct CatalogSubmission {
    pub item_id: String,
    pub form_version: u32,
    pub answers_json: String,
}

#[derive(Debug, Deserialize)]
pub struct CreatedTicket {
    pub reference: String,
}

/// Stores a new ticket in one D1 round trip. `None` when the organisation does not exist; then
/// nothing was written, since every statement selects from that organisation.
pub async fn create(
    db: &D1Database,
    ticket: &NewTicket<'_>,
) -> Result<Option<CreatedTicket>, ApiError> {
    let bind = d1_error("binding the ticket batch");
    let org = JsValue::from(ticket.org.as_str());
    let id = JsValue::from(ticket.id.to_string());
    let status = TicketStatus::New;
    let request = ticket.request;
    let statements = vec![
        db.prepare(BUMP_COUNTER)
            .bind(&[org.clone(), TICKET_NUMBER.into()])
            .map_err(&bind)?,
        db.prepare(BUMP_COUNTER)
            .bind(&[org.clone(), status_count(status).into()])
            .map_err(&bind)?,
        db.prepare(INSERT_TICKET)
            .bind(&[
                id.clone(),
                org,
                status.as_str().into(),
                request.subject.as_str().into(),
                request.description.as_str().into(),
                request.requester_name.as_str().into(),
                request.requester_email.as_str().into(),
                ticket.channel.as_str().into(),
                ticket.tracking_token_hash.as_str().into(),
                ticket.now.into(),
                TICKET_NUMBER.into(),
                ticket.priority.as_str().into(),
                ticket
                    .catalog
                    .as_ref()
                    .map_or(JsValue::NULL, |c| c.item_id.as_str().into()),
                ticket.catalog.as_ref().map_or(JsValue::NULL, |c| {
                    JsValue::from_f64(f64::from(c.form_version))
                }),
                ticket
                    .catalog
                    .as_ref()
                    .map_or(JsValue::NULL, |c| c.answers_json.as_str().into()),
            ])
            .map_err(&bind)?,
        db.prepare(INSERT_CREATED_EVENT)
            .bind(&[ticket.event_id.to_string().into(), id])
            .map_err(&bind)?,
    ];
    const INSERT_TICKET_AT: usize = 2;
    let results = db
        .batch(statements)
        .await
        .map_err(d1_error("creating a ticket"))?;
    let inserted = results
        .get(INSERT_TICKET_AT)
        .ok_or_else(|| ApiError::internal("the ticket batch returned too few results"))?
        .results::<CreatedTicket>()
        .map_err(d1_error("reading the created ticket"))?;
    Ok(inserted.into_iter().next())
}

/// The requester's view of ticket `id`, only if `tracking_token_hash` is that ticket's.
/// Comparing in SQL means a wrong token and a missing ticket look the same to the caller.
pub async fn find_for_requester(
    db: &D1Database,
    id: &TicketId,
    tracking_token_hash: &str,
) -> Result<Option<RequestView>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        reference: String,
        org: String,
        status: TicketStatus,
        subject: String,
        description: String,
        requester_name: String,
        requester_email: String,
        channel: Channel,
        created_at: String,
        updated_at: String,
        answers: Option<String>,
        item_slug: Option<String>,
        item_name: Option<String>,
        form_version: Option<u32>,
        schema: Option<String>,
        default_locale: String,
    }
    // The form joined by the ticket's own version: later edits never change how it renders.
    let row = db
        .prepare(
            "SELECT t.id, t.reference, o.slug AS org, t.status, t.subject, t.description, \
             t.requester_name, t.requester_email, t.channel, t.created_at, t.updated_at, \
             t.answers, i.slug AS item_slug, i.name AS item_name, t.form_version, f.schema, \
             o.default_locale \
             FROM tickets t JOIN orgs o ON o.id = t.org_id \
             LEFT JOIN catalog_items i ON i.id = t.catalog_item_id \
             LEFT JOIN catalog_forms f ON f.item_id = t.catalog_item_id \
                 AND f.version = t.form_version \
             WHERE t.id = ?1 AND t.tracking_token_hash = ?2",
        )
        .bind(&[id.to_string().into(), tracking_token_hash.into()])
        .map_err(d1_error("binding the requester's lookup"))?
        .first::<Row>(None)
        .await
        .map_err(d1_error("reading a request for its requester"))?;
    let Some(row) = row else {
        return Ok(None);
    };
    let catalog_item = match (row.item_slug, row.item_name, row.form_version, row.schema) {
        (Some(slug), Some(name), Some(form_version), Some(schema)) => Some(SubmittedForm {
            slug,
            name: super::catalog::localized(&name)?,
            form_version,
            form: serde_json::from_str(&schema)
                .map_err(|e| ApiError::internal(format!("stored form: {e}")))?,
            default_locale: row.default_locale,
        }),
        _ => None,
    };
    Ok(Some(RequestView {
        id: row.id,
        reference: row.reference,
        org: row.org,
        status: row.status,
        subject: row.subject,
        description: row.description,
        requester_name: row.requester_name,
        requester_email: row.requester_email,
        channel: row.channel,
        created_at: row.created_at,
        updated_at: row.updated_at,
        catalog_item,
        answers: parse_answers(row.answers.as_deref())?,
    }))
}

/// Stored answers (`NULL` for requests without a form).
fn parse_answers(text: Option<&str>) -> Result<Answers, ApiError> {
    text.map_or_else(
        || Ok(Answers::new()),
        |text| {
            serde_json::from_str(text)
                .map_err(|e| ApiError::internal(format!("stored answers: {e}")))
        },
    )
}

/// Columns of [`TicketRow`], in one place for every agent-side query.
const TICKET_COLUMNS: &str = "id, org_id, version, reference, status, priority, subject, \
     description, requester_name, requester_email, channel, assignee, created_at, updated_at, \
     first_response_at, solved_at, closed_at, form_version, answers, \
     (SELECT slug FROM catalog_items ci WHERE ci.id = tickets.catalog_item_id) AS catalog_item";

/// A stored ticket with what the agent API needs besides the view: its tenant and version.
#[derive(Debug, Clone, Deserialize)]
pub struct TicketRow {
    pub org_id: String,
    pub version: i64,
    pub id: String,
    pub reference: String,
    pub status: TicketStatus,
    pub priority: Priority,
    pub subject: String,
    pub description: String,
    pub requester_name: String,
    pub requester_email: String,
    pub channel: Channel,
    pub assignee: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub first_response_at: Option<String>,
    pub solved_at: Option<String>,
    pub closed_at: Option<String>,
    pub catalog_item: Option<String>,
    pub form_version: Option<u32>,
    pub answers: Option<String>,
}

impl TicketRow {
    /// # Errors
    /// Only for stored answers that are not JSON (a bug).
    pub fn view(self) -> Result<TicketView, ApiError> {
        Ok(TicketView {
            id: self.id,
            reference: self.reference,
            status: self.status,
            priority: self.priority,
            subject: self.subject,
            description: self.description,
            requester_name: self.requester_name,
            requester_email: self.requester_email,
            channel: self.channel,
            answers: parse_answers(self.answers.as_deref())?,
            catalog_item: self.catalog_item,
            form_version: self.form_version,
            assignee: self.assignee,
            created_at: self.created_at,
            updated_at: self.updated_at,
            first_response_at: self.first_response_at,
            solved_at: self.solved_at,
            closed_at: self.closed_at,
        })
    }
}

/// Ticket `id` of organisation `org_id`.
pub async fn find(
    db: &D1Database,
    org_id: &str,
    id: &TicketId,
) -> Result<Option<TicketRow>, ApiError> {
    statement(
        db,
        &format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE org_id = ?1 AND id = ?2"),
        &[org_id.into(), id.to_string().into()],
    )?
    .first::<TicketRow>(None)
    .await
    .map_err(d1_error("reading a ticket"))
}

/// Ticket `id` if `tracking_token_hash` is its requester's token.
pub async fn find_by_tracking_token(
    db: &D1Database,
    id: &TicketId,
    tracking_token_hash: &str,
) -> Result<Option<TicketRow>, ApiError> {
    statement(
        db,
        &format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?1 AND tracking_token_hash = ?2"),
        &[id.to_string().into(), tracking_token_hash.into()],
    )?
    .first::<TicketRow>(None)
    .await
    .map_err(d1_error("reading a ticket by tracking token"))
}

/// Newest first, `limit` rows after the cursor `after` (an id), optionally of one status.
/// Each variant walks its own index, `(org_id, id)` or `(org_id, status, id)`, so the cost is
/// the page size, not the table size.
pub async fn list(
    db: &D1Database,
    org_id: &str,
    status: Option<TicketStatus>,
    after: Option<&TicketId>,
    limit: u32,
) -> Result<Vec<TicketRow>, ApiError> {
    let after = after.map_or_else(|| "\u{7f}".to_owned(), ToString::to_string);
    let (sql, params): (String, Vec<JsValue>) = match status {
        Some(status) => (
            format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE org_id = ?1 AND status = ?2 AND id < ?3 \
                 ORDER BY id DESC LIMIT ?4"
            ),
            vec![
                org_id.into(),
                status.as_str().into(),
                after.into(),
                limit.into(),
            ],
        ),
        None => (
            format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE org_id = ?1 AND id < ?2 \
                 ORDER BY id DESC LIMIT ?3"
            ),
            vec![org_id.into(), after.into(), limit.into()],
        ),
    };
    statement(db, &sql, &params)?
        .all()
        .await
        .and_then(|r| r.results::<TicketRow>())
        .map_err(d1_error("listing tickets"))
}

#[derive(Debug, Deserialize)]
struct CounterRow {
    name: String,
    value: i64,
}

/// Tickets per status, from the maintained counters (never a scan of the tickets table).
pub async fn status_counts(
    db: &D1Database,
    org_id: &str,
) -> Result<BTreeMap<String, i64>, ApiError> {
    let rows = statement(
        db,
        "SELECT name, value FROM org_counters WHERE org_id = ?1 AND name >= 'status:' AND name < 'status;'",
        &[org_id.into()],
    )?
    .all()
    .await
    .and_then(|r| r.results::<CounterRow>())
    .map_err(d1_error("reading status counters"))?;
    let mut counts: BTreeMap<String, i64> = TicketStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), 0))
        .collect();
    for row in rows {
        if let Some(status) = row.name.strip_prefix("status:") {
            counts.insert(status.to_owned(), row.value);
        }
    }
    Ok(counts)
}

/// Who made a change, as recorded in the audit trail.
pub struct Actor<'a> {
    /// `agent` (an API token) or `requester`.
    pub kind: &'static str,
    /// The token id, or the requester's email.
    pub id: &'a str,
}

/// One field's change, from → to.
pub enum FieldChange {
    Status(TicketStatus, TicketStatus),
    Priority(Priority, Priority),
}

impl FieldChange {
    fn parts(&self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Status(from, to) => ("status", from.as_str(), to.as_str()),
            Self::Priority(from, to) => ("priority", from.as_str(), to.as_str()),
        }
    }
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
}

const UPDATE_TICKET: &str = "UPDATE tickets SET status = COALESCE(?4, status), \
     priority = COALESCE(?5, priority), \
     solved_at = CASE WHEN ?4 = 'solved' THEN ?6 ELSE solved_at END, \
     closed_at = CASE WHEN ?4 = 'closed' THEN ?6 ELSE closed_at END, \
     first_response_at = CASE WHEN ?7 = 1 AND first_response_at IS NULL THEN ?6 ELSE first_response_at END, \
     version = version + 1, updated_at = ?6 \
     WHERE org_id = ?1 AND id = ?2 AND version = ?3";

/// The rest of the batch runs only if the update above happened: it left this exact version.
const IF_UPDATED: &str =
    "EXISTS (SELECT 1 FROM tickets WHERE org_id = ?1 AND id = ?2 AND version = ?3)";

/// Applies `change` in one D1 batch: the ticket update, the comment, an audit event per
/// change, and the per-status counters. `None` if the ticket is no longer at the expected
/// version (or does not exist): then nothing was written.
pub async fn apply(db: &D1Database, change: &Change<'_>) -> Result<Option<TicketRow>, ApiError> {
    let org = JsValue::from(change.org_id);
    let id = JsValue::from(change.ticket_id);
    // D1 refuses BigInt parameters, and i64 becomes one: bind versions as JS numbers.
    let new_version = JsValue::from_f64((change.expected_version + 1) as f64);
    let (mut status_to, mut priority_to) = (JsValue::NULL, JsValue::NULL);
    for field in &change.fields {
        match field {
            FieldChange::Status(_, to) => status_to = to.as_str().into(),
            FieldChange::Priority(_, to) => priority_to = to.as_str().into(),
        }
    }
    let first_response = change
        .comment
        .as_ref()
        .is_some_and(|c| c.public && change.actor.kind == "agent");
    let mut statements = vec![statement(
        db,
        &format!("{UPDATE_TICKET} RETURNING {TICKET_COLUMNS}"),
        &[
            org.clone(),
            id.clone(),
            JsValue::from_f64(change.expected_version as f64),
            status_to,
            priority_to,
            change.now.into(),
            i32::from(first_response).into(),
        ],
    )?];
    let mut event_ids = change.event_ids.iter();
    let mut next_event_id = || {
        event_ids
            .next()
            .map(|e| JsValue::from(e.as_str()))
            .ok_or_else(|| ApiError::internal("a ticket change needs one event id per event"))
    };
    let event_sql = format!(
        "INSERT INTO ticket_events (id, org_id, ticket_id, actor_kind, actor_id, kind, field, \
         from_value, to_value, created_at) \
         SELECT ?4, ?1, ?2, ?5, ?6, ?7, ?8, ?9, ?10, ?11 WHERE {IF_UPDATED}"
    );
    // The comment's event comes first: a requester's reply is what reopens the ticket.
    if let Some(comment) = &change.comment {
        statements.push(statement(
            db,
            &format!(
                "INSERT INTO ticket_comments (id, org_id, ticket_id, author_kind, author_id, body, public, created_at) \
                 SELECT ?4, ?1, ?2, ?5, ?6, ?7, ?8, ?9 WHERE {IF_UPDATED}"
            ),
            &[
                org.clone(),
                id.clone(),
                new_version.clone(),
                comment.id.into(),
                change.actor.kind.into(),
                change.actor.id.into(),
                comment.body.into(),
                i32::from(comment.public).into(),
                change.now.into(),
            ],
        )?);
        statements.push(statement(
            db,
            &event_sql,
            &[
                org.clone(),
                id.clone(),
                new_version.clone(),
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
                JsValue::NULL,
                comment.id.into(),
                change.now.into(),
            ],
        )?);
    }
    for field in &change.fields {
        let (name, from, to) = field.parts();
        statements.push(statement(
            db,
            &event_sql,
            &[
                org.clone(),
                id.clone(),
                new_version.clone(),
                next_event_id()?,
                change.actor.kind.into(),
                change.actor.id.into(),
                "changed".into(),
                name.into(),
                from.into(),
                to.into(),
                change.now.into(),
            ],
        )?);
        if let FieldChange::Status(from, to) = field {
            statements.push(statement(
                db,
                &format!(
                    "UPDATE org_counters SET value = value - 1 WHERE org_id = ?1 AND name = ?4 AND {IF_UPDATED}"
                ),
                &[org.clone(), id.clone(), new_version.clone(), status_count(*from).into()],
            )?);
            statements.push(statement(
                db,
                &format!(
                    "INSERT INTO org_counters (org_id, name, value) SELECT ?1, ?4, 1 WHERE {IF_UPDATED} \
                     ON CONFLICT (org_id, name) DO UPDATE SET value = value + 1"
                ),
                &[org.clone(), id.clone(), new_version.clone(), status_count(*to).into()],
            )?);
        }
    }
    let results = db
        .batch(statements)
        .await
        .map_err(d1_error("changing a ticket"))?;
    let updated = results
        .first()
        .ok_or_else(|| ApiError::internal("the change batch returned no result"))?
        .results::<TicketRow>()
        .map_err(d1_error("reading the changed ticket"))?;
    Ok(updated.into_iter().next())
}

/// The ticket's audit trail, oldest first.
pub async fn events(
    db: &D1Database,
    org_id: &str,
    ticket_id: &str,
) -> Result<Vec<EventView>, ApiError> {
    statement(
        db,
        "SELECT id, actor_kind, actor_id, kind, field, from_value, to_value, created_at \
         FROM ticket_events WHERE org_id = ?1 AND ticket_id = ?2 ORDER BY created_at, id",
        &[org_id.into(), ticket_id.into()],
    )?
    .all()
    .await
    .and_then(|r| r.results::<EventView>())
    .map_err(d1_error("reading a ticket's events"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_counters_are_named_by_the_stored_status() {
        assert_eq!(status_count(TicketStatus::OnHold), "status:on_hold");
    }

    #[test]
    fn ticket_batch_binds_every_placeholder_it_uses() {
        // The bind arrays above must match the highest ?N of each statement.
        assert!(BUMP_COUNTER.contains("?2") && !BUMP_COUNTER.contains("?3"));
        assert!(INSERT_TICKET.contains("?15") && !INSERT_TICKET.contains("?16"));
        assert!(INSERT_CREATED_EVENT.contains("?2") && !INSERT_CREATED_EVENT.contains("?3"));
    }
}
