//! Loading one ticket for agents, requesters and the sweep: the row with its clocks, tags and
//! policies, and its audit trail.

use edgedesk_core::TicketId;
use edgedesk_core::api::EventView;
use edgedesk_core::sla::SlaState;
use edgedesk_core::ticket_decision::TicketFields;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

use super::{TICKET_COLUMNS, TicketRow, t_columns};
use crate::db::sla::{CLOCK_COLUMNS, ClockRow, ClockSet, LoadedPolicy, PolicyCalendarRow};
use crate::db::{Sql, d1_error, statement};
use crate::error::ApiError;

/// How a caller names a ticket: an agent by organisation and id, a requester by id and token.
#[derive(Clone, Copy)]
pub enum TicketKey<'a> {
    Agent {
        org_id: &'a str,
        id: &'a TicketId,
    },
    Requester {
        id: &'a TicketId,
        token_hash: &'a str,
    },
}

impl TicketKey<'_> {
    fn condition(self) -> &'static str {
        match self {
            Self::Agent { .. } => "t.org_id = ?1 AND t.id = ?2",
            Self::Requester { .. } => "t.id = ?1 AND t.tracking_token_hash = ?2",
        }
    }

    fn params(self) -> [JsValue; 2] {
        match self {
            Self::Agent { org_id, id } => [org_id.into(), id.to_string().into()],
            Self::Requester { id, token_hash } => [id.to_string().into(), token_hash.into()],
        }
    }
}

/// A ticket with everything its SLA needs: clocks, tags and (if asked for) the policies.
pub struct LoadedTicket {
    pub row: TicketRow,
    pub clocks: ClockSet,
    pub tags: Vec<String>,
    pub policies: Vec<LoadedPolicy>,
}

impl LoadedTicket {
    /// The SLA state the engine works on.
    #[must_use]
    pub fn sla_state(&self) -> SlaState {
        SlaState {
            policy_id: self.row.sla_policy_id.clone(),
            pauses: self.row.pauses(),
            clocks: self
                .clocks
                .clocks
                .iter()
                .map(|(_, clock, _)| clock.clone())
                .collect(),
        }
    }

    /// The fields an agent's change is decided against.
    #[must_use]
    pub fn fields(&self) -> TicketFields {
        TicketFields {
            status: self.row.status,
            priority: self.row.priority,
            assignee: self.row.assignee.clone(),
            group: self.row.group_name.clone(),
            tags: self.tags.clone(),
        }
    }
}

#[derive(Deserialize)]
struct TagRow {
    tag: String,
}

/// The ticket named by `key` with its clocks and tags, and its organisation's policies when
/// `with_policies` (changes need them, reads do not): one D1 round trip.
pub async fn load(
    db: &D1Database,
    key: TicketKey<'_>,
    with_policies: bool,
) -> Result<Option<LoadedTicket>, ApiError> {
    Ok(load_with(db, key, with_policies, &[]).await?.0)
}

/// [`load`], with `extra` statements in the same round trip; their results come back in order.
pub async fn load_with(
    db: &D1Database,
    key: TicketKey<'_>,
    with_policies: bool,
    extra: &[Sql],
) -> Result<(Option<LoadedTicket>, Vec<worker::D1Result>), ApiError> {
    let condition = key.condition();
    let params = key.params();
    let mut statements = vec![
        statement(
            db,
            &format!("SELECT {} FROM tickets t WHERE {condition}", t_columns()),
            &params,
        )?,
        statement(
            db,
            &format!(
                "SELECT {CLOCK_COLUMNS} FROM tickets t JOIN sla_clocks c \
                 ON c.org_id = t.org_id AND c.ticket_id = t.id WHERE {condition} ORDER BY c.metric"
            ),
            &params,
        )?,
        statement(
            db,
            &format!(
                "SELECT g.tag FROM tickets t JOIN ticket_tags g \
                 ON g.org_id = t.org_id AND g.ticket_id = t.id WHERE {condition} ORDER BY g.tag"
            ),
            &params,
        )?,
    ];
    if with_policies {
        statements.push(statement(
            db,
            &format!(
                "SELECT p.id, p.definition, c.definition AS calendar FROM tickets t \
                 JOIN sla_policies p ON p.org_id = t.org_id \
                 JOIN sla_calendars c ON c.org_id = p.org_id AND c.id = p.calendar_id \
                 WHERE {condition} ORDER BY p.position, p.id"
            ),
            &params,
        )?);
    }
    let own = statements.len();
    for sql in extra {
        statements.push(sql.prepare(db)?);
    }
    let mut results = db
        .batch(statements)
        .await
        .map_err(d1_error("loading a ticket"))?;
    let extra_results = results.split_off(own.min(results.len()));
    let read = d1_error("reading a loaded ticket");
    let part = |i: usize| {
        results
            .get(i)
            .ok_or_else(|| ApiError::internal("the ticket batch returned too few results"))
    };
    let Some(row) = part(0)?
        .results::<TicketRow>()
        .map_err(&read)?
        .into_iter()
        .next()
    else {
        return Ok((None, extra_results));
    };
    let clocks = ClockSet::from_rows(part(1)?.results::<ClockRow>().map_err(&read)?);
    let tags = part(2)?
        .results::<TagRow>()
        .map_err(&read)?
        .into_iter()
        .map(|t| t.tag)
        .collect();
    let policies = if with_policies {
        crate::db::sla::loaded_policies(part(3)?.results::<PolicyCalendarRow>().map_err(&read)?)
    } else {
        Vec::new()
    };
    Ok((
        Some(LoadedTicket {
            row,
            clocks,
            tags,
            policies,
        }),
        extra_results,
    ))
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
