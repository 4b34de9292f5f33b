//! Loading one ticket for agents, requesters and the sweep: the row with its clocks, tags and
//! policies, and its audit trail.

use edgedesk_core::api::EventView;
use edgedesk_core::sla::SlaState;
use edgedesk_core::ticket_decision::TicketFields;
use edgedesk_core::{OrgSlug, TicketId};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

use super::{TICKET_COLUMNS, TicketRow, t_columns};
use crate::db::StoreError;
use crate::db::idempotency::StoredAnswer;
use crate::db::limits::Hits;
use crate::db::sla::{CLOCK_COLUMNS, ClockRow, ClockSet, LoadedPolicy, PolicyCalendarRow};
use crate::db::{InOrder, Sql, d1_error, statement};

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
) -> Result<Option<LoadedTicket>, StoreError> {
    Ok(load_with(db, key, with_policies, &AlsoRead::default())
        .await?
        .0)
}

/// What a ticket's load may read besides it, in the same round trip. Each read asked for comes
/// back in the same-named field of [`AlsoFound`].
#[derive(Default)]
pub struct AlsoRead {
    /// The caller's rate-limit bump (see `db::limits::bump_sql`).
    pub hits: Option<Sql>,
    /// The slug of the ticket's organisation (see `db::orgs::slug_of_ticket_sql`).
    pub org_slug: Option<Sql>,
    /// The answer stored for an idempotency key (see `db::idempotency::find_sql`).
    pub stored_answer: Option<Sql>,
    /// Whether a token may be assigned tickets (see `db::tokens::assignable_sql`).
    pub assignable: Option<Sql>,
    /// Whether a group exists (see `db::groups::exists_sql`).
    pub group_exists: Option<Sql>,
    /// The groups of the assignee after a change (see `db::groups::memberships_sql`).
    pub member_of: Option<Sql>,
}

/// What [`AlsoRead`] found; `None` for what was not asked.
#[derive(Default)]
pub struct AlsoFound {
    /// The caller's hits in its window (`None` also when the bump counted nothing).
    pub hits: Option<Hits>,
    pub org_slug: Option<OrgSlug>,
    pub stored_answer: Option<StoredAnswer>,
    pub assignable: Option<bool>,
    pub group_exists: Option<bool>,
    pub member_of: Option<Vec<String>>,
}

impl AlsoRead {
    /// The statements asked for, in the order [`AlsoFound::read`] takes their results.
    fn statements(&self) -> impl Iterator<Item = &Sql> {
        [
            &self.hits,
            &self.org_slug,
            &self.stored_answer,
            &self.assignable,
            &self.group_exists,
            &self.member_of,
        ]
        .into_iter()
        .flatten()
    }
}

impl AlsoFound {
    /// The results of `asked`'s statements, taken from `results` in their order.
    fn read(asked: &AlsoRead, results: &mut InOrder) -> Result<Self, StoreError> {
        let mut found = Self::default();
        if asked.hits.is_some() {
            found.hits = results.first::<Hits>()?;
        }
        if asked.org_slug.is_some() {
            found.org_slug = crate::db::orgs::read_slug(&results.result()?)?;
        }
        if asked.stored_answer.is_some() {
            found.stored_answer = results.first::<StoredAnswer>()?;
        }
        if asked.assignable.is_some() {
            found.assignable = Some(crate::db::tokens::is_assignable(&results.result()?)?);
        }
        if asked.group_exists.is_some() {
            found.group_exists = Some(!crate::db::groups::found(&results.result()?)?.is_empty());
        }
        if asked.member_of.is_some() {
            found.member_of = Some(crate::db::groups::found(&results.result()?)?);
        }
        Ok(found)
    }
}

/// [`load`], with the reads `also` asks for in the same round trip. They are read even when
/// the ticket is missing (a rate limit counts every request).
pub async fn load_with(
    db: &D1Database,
    key: TicketKey<'_>,
    with_policies: bool,
    also: &AlsoRead,
) -> Result<(Option<LoadedTicket>, AlsoFound), StoreError> {
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
    for sql in also.statements() {
        statements.push(sql.prepare(db)?);
    }
    let results = db
        .batch(statements)
        .await
        .map_err(d1_error("loading a ticket"))?;
    let mut results = InOrder::new(results, "reading a loaded ticket");
    let row = results.first::<TicketRow>()?;
    let clocks = ClockSet::from_rows(results.rows::<ClockRow>()?);
    let tags = results
        .rows::<TagRow>()?
        .into_iter()
        .map(|t| t.tag)
        .collect();
    let policies = if with_policies {
        crate::db::sla::loaded_policies(results.rows::<PolicyCalendarRow>()?)
    } else {
        Vec::new()
    };
    let found = AlsoFound::read(also, &mut results)?;
    let loaded = row.map(|row| LoadedTicket {
        row,
        clocks,
        tags,
        policies,
    });
    Ok((loaded, found))
}

/// Ticket `id` of organisation `org_id`.
pub async fn find(
    db: &D1Database,
    org_id: &str,
    id: &TicketId,
) -> Result<Option<TicketRow>, StoreError> {
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
) -> Result<Option<TicketRow>, StoreError> {
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
) -> Result<Vec<EventView>, StoreError> {
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
