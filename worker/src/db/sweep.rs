//! The SLA sweep's SQL: the due clocks (read through the next-deadline index, across
//! organisations) and, per clock, one atomic batch that records its warning or breach exactly
//! once and applies the escalation.
//!
//! Exactly once: the batch's first clock statement claims the clock with a fresh token, guarded
//! by the state the sweep read (not yet warned/breached, same cycle, same deadlines); every
//! other statement runs only if that claim is in place. A second, overlapping run finds the
//! guard false and writes nothing.

use edgedesk_core::priority::Priority;
use edgedesk_core::sla::Metric;
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::JsValue;
use worker::D1Database;

use super::sla::{CLOCK_COLUMNS, ClockRow, SlaWrite};
use super::tickets::IF_CHANGED;
use super::{Sql, StoreError, d1_error, statement};

/// A due clock's ticket and policy, as the sweep needs them.
#[derive(Debug, Deserialize)]
pub struct DueTicket {
    pub org_id: String,
    pub priority: Priority,
    pub status: String,
    pub reference: String,
    pub group_name: Option<String>,
    /// The clock's policy (JSON), if it still exists.
    pub policy: Option<String>,
}

/// `?1` now, `?2` limit.
pub(crate) fn due_sql() -> String {
    format!(
        "SELECT c.org_id, {CLOCK_COLUMNS}, t.priority, t.status, t.reference, t.group_name, \
         (SELECT p.definition FROM sla_policies p WHERE p.org_id = c.org_id AND p.id = c.policy_id) \
         AS policy \
         FROM sla_clocks c JOIN tickets t ON t.org_id = c.org_id AND t.id = c.ticket_id \
         WHERE c.next_deadline <= ?1 ORDER BY c.next_deadline LIMIT ?2"
    )
}

/// Up to `limit` clocks whose next deadline is at or before `now`, earliest first, and the
/// number of rows D1 read to find them (it should stay near the number returned, whatever the
/// size of the table: the query walks the partial index on `next_deadline`).
pub async fn due(
    db: &D1Database,
    now: &str,
    limit: u32,
) -> Result<(Vec<(ClockRow, DueTicket)>, usize), StoreError> {
    let result = statement(
        db,
        &due_sql(),
        &[now.into(), JsValue::from_f64(f64::from(limit))],
    )?
    .all()
    .await
    .map_err(d1_error("reading due SLA clocks"))?;
    let read = d1_error("reading due SLA clocks");
    let clocks = result.results::<ClockRow>().map_err(&read)?;
    let tickets = result.results::<DueTicket>().map_err(&read)?;
    let rows_read = result
        .meta()
        .ok()
        .flatten()
        .and_then(|m| m.rows_read)
        .unwrap_or_default();
    Ok((clocks.into_iter().zip(tickets).collect(), rows_read))
}

/// An audit event the sweep records (actor: the SLA system).
pub struct SystemEvent {
    pub id: String,
    pub kind: &'static str,
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Changes an escalation makes to the ticket, applied only if the ticket is still at the
/// version the sweep read.
pub struct TicketEscalation {
    pub expected_version: i64,
    pub priority: Option<Priority>,
    pub group: Option<String>,
    pub tags: Vec<String>,
    /// The ticket's SLA recomputed for the new priority (or tags).
    pub sla: SlaWrite,
}

/// A notification for the organisation's active webhooks.
pub struct Notification {
    pub event_type: &'static str,
    pub payload: String,
}

/// Everything one due clock leads to, written atomically.
pub struct SweepAction<'a> {
    pub org_id: &'a str,
    pub ticket_id: &'a str,
    pub metric: Metric,
    /// Fresh token; also the outbox ids' prefix and, with a ticket escalation, its change token.
    pub claim: &'a str,
    // The clock as read: the claim holds only if it is still exactly this.
    pub started_at: &'a str,
    pub warn_at: Option<&'a str>,
    pub due_at: Option<&'a str>,
    pub mark_warned: bool,
    pub breach: bool,
    pub now: &'a str,
    pub events: Vec<SystemEvent>,
    pub ticket: Option<TicketEscalation>,
    pub notify: Option<Notification>,
}

/// `?1` org, `?2` ticket, `?3` claim, `?4` metric, `?5` started_at, `?6` warn_at, `?7` due_at,
/// `?8` now: every statement of an action starts with these.
fn common(action: &SweepAction<'_>) -> Vec<Value> {
    vec![
        action.org_id.into(),
        action.ticket_id.into(),
        action.claim.into(),
        action.metric.as_str().into(),
        action.started_at.into(),
        action.warn_at.into(),
        action.due_at.into(),
        action.now.into(),
    ]
}

/// The clock is still as the sweep read it, and what the sweep will do is still undone.
fn still_due(action: &SweepAction<'_>) -> String {
    let undone = if action.breach {
        "breached_at IS NULL"
    } else {
        "warned_at IS NULL"
    };
    format!(
        "org_id = ?1 AND ticket_id = ?2 AND metric = ?4 AND started_at = ?5 \
         AND fulfilled_at IS NULL AND warn_at IS ?6 AND due_at IS ?7 AND {undone}"
    )
}

/// The claim this action put on the clock is in place.
const CLAIMED: &str = "EXISTS (SELECT 1 FROM sla_clocks \
     WHERE org_id = ?1 AND ticket_id = ?2 AND metric = ?4 AND claim = ?3)";

fn with(action: &SweepAction<'_>, extra: impl IntoIterator<Item = Value>) -> Vec<Value> {
    let mut params = common(action);
    params.extend(extra);
    params
}

/// The statements of `action`, in order, and the index of the clock claim (whose `RETURNING`
/// row says whether the action happened).
pub(crate) fn plan(action: &SweepAction<'_>) -> (Vec<Sql>, usize) {
    let mut statements = Vec::new();
    let guard = still_due(action);
    if let Some(ticket) = &action.ticket {
        statements.push(Sql::new(
            format!(
                "UPDATE tickets SET priority = COALESCE(?9, priority), \
                 group_name = COALESCE(?10, group_name), sla_policy_id = ?11, sla_pauses = ?12, \
                 version = version + 1, change_id = ?3, updated_at = ?8 \
                 WHERE org_id = ?1 AND id = ?2 AND version = ?13 \
                 AND EXISTS (SELECT 1 FROM sla_clocks WHERE {guard})"
            ),
            with(
                action,
                [
                    ticket.priority.map(Priority::as_str).into(),
                    ticket.group.clone().into(),
                    ticket.sla.policy_id.clone().into(),
                    ticket.sla.pauses.as_str().into(),
                    ticket.expected_version.into(),
                ],
            ),
        ));
    }
    let claim_at = statements.len();
    let ticket_changed = if action.ticket.is_some() {
        format!("AND {IF_CHANGED}")
    } else {
        String::new()
    };
    statements.push(Sql::new(
        format!(
            "UPDATE sla_clocks SET \
             warned_at = CASE WHEN ?9 = 1 THEN COALESCE(warned_at, ?8) ELSE warned_at END, \
             breached_at = CASE WHEN ?10 = 1 THEN due_at ELSE breached_at END, \
             breach_detected_at = CASE WHEN ?10 = 1 THEN ?8 ELSE breach_detected_at END, \
             claim = ?3 \
             WHERE {guard} {ticket_changed} RETURNING metric"
        ),
        with(
            action,
            [
                u8::from(action.mark_warned).into(),
                u8::from(action.breach).into(),
            ],
        ),
    ));
    for event in &action.events {
        statements.push(Sql::new(
            format!(
                "INSERT INTO ticket_events (id, org_id, ticket_id, actor_kind, actor_id, kind, \
                 field, from_value, to_value, created_at) \
                 SELECT ?9, ?1, ?2, 'system', 'sla', ?10, ?11, ?12, ?13, ?8 WHERE {CLAIMED}"
            ),
            with(
                action,
                [
                    event.id.as_str().into(),
                    event.kind.into(),
                    event.field.as_str().into(),
                    event.from.clone().into(),
                    event.to.clone().into(),
                ],
            ),
        ));
    }
    if let Some(ticket) = &action.ticket {
        // The clock upserts check the ticket's change token, which only this action's
        // (claimed) ticket update set.
        statements.extend(super::sla::write_sql(
            IF_CHANGED,
            [action.org_id, action.ticket_id, action.claim],
            &ticket.sla,
            action.now,
        ));
        for tag in &ticket.tags {
            statements.push(Sql::new(
                format!(
                    "INSERT INTO ticket_tags (org_id, ticket_id, tag, created_at) \
                     SELECT ?1, ?2, ?9, ?8 WHERE {CLAIMED} \
                     ON CONFLICT (org_id, ticket_id, tag) DO NOTHING"
                ),
                with(action, [tag.as_str().into()]),
            ));
        }
    }
    if let Some(notify) = &action.notify {
        statements.push(Sql::new(
            format!(
                "INSERT INTO webhook_outbox (id, org_id, endpoint_id, event_type, payload, \
                 attempts, next_attempt_at, created_at) \
                 SELECT ?3 || '-' || e.id, ?1, e.id, ?9, ?10, 0, ?8, ?8 \
                 FROM webhook_endpoints e WHERE e.org_id = ?1 AND e.active = 1 AND {CLAIMED}"
            ),
            with(
                action,
                [notify.event_type.into(), notify.payload.as_str().into()],
            ),
        ));
    }
    (statements, claim_at)
}

/// Writes `action` in one batch: `false` if the clock was no longer due as read (another run
/// acted first, the ticket changed meanwhile), and then nothing was written; and the number
/// of statements the batch had.
pub async fn record(
    db: &D1Database,
    action: &SweepAction<'_>,
) -> Result<(bool, usize), StoreError> {
    let (plan, claim_at) = plan(action);
    let issued = plan.len();
    let results = super::run_batch(db, &plan, "recording an SLA sweep action").await?;
    let claimed = results
        .get(claim_at)
        .ok_or_else(|| StoreError::broken("the sweep batch returned too few results"))?
        .results::<serde_json::Value>()
        .map_err(d1_error("reading the sweep claim"))?;
    Ok((!claimed.is_empty(), issued))
}
