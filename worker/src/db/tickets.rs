//! Tickets: creation (reference number, status count, ticket and first audit event in one
//! atomic batch) and the requester's view.

use edgedesk_core::api::RequestView;
use edgedesk_core::{Channel, NewRequest, OrgSlug, TicketId, TicketStatus};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

use super::d1_error;
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
     created_at, updated_at) \
     SELECT ?1, o.id, c.value, o.ref_prefix || '-' || c.value, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10 \
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
    db.prepare(
        "SELECT t.id, t.reference, o.slug AS org, t.status, t.subject, t.description, \
         t.requester_name, t.requester_email, t.channel, t.created_at, t.updated_at \
         FROM tickets t JOIN orgs o ON o.id = t.org_id \
         WHERE t.id = ?1 AND t.tracking_token_hash = ?2",
    )
    .bind(&[id.to_string().into(), tracking_token_hash.into()])
    .map_err(d1_error("binding the requester's lookup"))?
    .first::<RequestView>(None)
    .await
    .map_err(d1_error("reading a request for its requester"))
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
        assert!(INSERT_TICKET.contains("?11") && !INSERT_TICKET.contains("?12"));
        assert!(INSERT_CREATED_EVENT.contains("?2") && !INSERT_CREATED_EVENT.contains("?3"));
    }
}
