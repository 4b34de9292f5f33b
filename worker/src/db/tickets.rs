//! Tickets: creation (reference number, status count, ticket, first audit event and SLA clocks
//! in one atomic batch), loading with SLA state, lists, changes, and the requester's view.

use std::collections::BTreeMap;

use edgedesk_core::api::{EventView, RequestView, SubmittedForm, TicketView};
use edgedesk_core::priority::Priority;
use edgedesk_core::sla::{Pause, SlaState};
use edgedesk_core::{Channel, NewRequest, OrgSlug, TicketId, TicketStatus};
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::JsValue;
use worker::D1Database;

use super::idempotency::StoredAnswer;
use super::limits::Hits;
use super::sla::{CLOCK_COLUMNS, ClockRow, ClockSet, LoadedPolicy, PolicyCalendarRow, SlaWrite};
use super::{Sql, d1_error, statement};
use crate::error::ApiError;

/// Statements batched after a ticket write run only if that write happened: it left *its*
/// change token (`?3`) on the ticket. (Checking the new version instead would let a write that
/// lost a race to the same version run its events and counters on the winner's row.)
pub(crate) const IF_CHANGED: &str =
    "EXISTS (SELECT 1 FROM tickets WHERE org_id = ?1 AND id = ?2 AND change_id = ?3)";

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
     created_at, updated_at, change_id, sla_policy_id, sla_pauses, priority, catalog_item_id, \
     form_version, answers, catalog_item, catalog_categories, origin, context) \
     SELECT ?1, o.id, c.value, o.ref_prefix || '-' || c.value, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, \
     ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22 \
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
    /// Fresh token for the SLA statements' guard (see [`IF_CHANGED`]).
    pub change_id: String,
    /// The organisation's id (known from loading its policies) and the new clocks.
    pub org_id: &'a str,
    pub sla: SlaWrite,
    pub priority: Priority,
    /// The catalog item, its form version and the checked answers, for catalog requests.
    pub catalog: Option<CatalogSubmission>,
    /// A widget ticket: the embedding page's origin and the host's hidden context (JSON).
    pub widget: Option<WidgetSource>,
}

/// Where a widget request came from.
pub struct WidgetSource {
    pub origin: String,
    pub context_json: String,
}

/// What a catalog request stores besides the ticket itself.
pub struct CatalogSubmission {
    pub item_id: String,
    /// Slugs never change, so the ticket keeps the one it was submitted under.
    pub item_slug: String,
    /// JSON list of the item's category slugs (its own and its parent's).
    pub categories_json: String,
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
    extra: &[Sql],
) -> Result<Option<CreatedTicket>, ApiError> {
    let bind = d1_error("binding the ticket batch");
    let org = JsValue::from(ticket.org.as_str());
    let id = JsValue::from(ticket.id.to_string());
    let status = TicketStatus::New;
    let request = ticket.request;
    let mut statements = vec![
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
                ticket.change_id.as_str().into(),
                ticket
                    .sla
                    .policy_id
                    .as_deref()
                    .map_or(JsValue::NULL, JsValue::from),
                ticket.sla.pauses.as_str().into(),
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
                ticket
                    .catalog
                    .as_ref()
                    .map_or(JsValue::NULL, |c| c.item_slug.as_str().into()),
                ticket
                    .catalog
                    .as_ref()
                    .map_or_else(|| "[]".into(), |c| c.categories_json.as_str().into()),
                ticket
                    .widget
                    .as_ref()
                    .map_or(JsValue::NULL, |w| w.origin.as_str().into()),
                ticket
                    .widget
                    .as_ref()
                    .map_or(JsValue::NULL, |w| w.context_json.as_str().into()),
            ])
            .map_err(&bind)?,
        db.prepare(INSERT_CREATED_EVENT)
            .bind(&[ticket.event_id.to_string().into(), id.clone()])
            .map_err(&bind)?,
    ];
    let ticket_id = ticket.id.to_string();
    for sql in super::sla::write_sql(
        IF_CHANGED,
        [ticket.org_id, &ticket_id, &ticket.change_id],
        &ticket.sla,
        ticket.now,
    ) {
        statements.push(sql.prepare(db)?);
    }
    const INSERT_TICKET_AT: usize = 2;
    let results = super::idempotency::batch_with_key(db, statements, extra)
        .await?
        .map_err(d1_error("creating a ticket"))?;
    let inserted = results
        .get(INSERT_TICKET_AT)
        .ok_or_else(|| ApiError::internal("the ticket batch returned too few results"))?
        .results::<CreatedTicket>()
        .map_err(d1_error("reading the created ticket"))?;
    Ok(inserted.into_iter().next())
}

/// What links a follow-up to the closed ticket it follows, batched after the follow-up's
/// own statements (see [`create`]): its `follow_up_of`, and an audit event on each ticket by
/// the requester (`follow_up_of` on the new one, `follow_up_created` on the closed one, which
/// stays closed). Each runs only if the follow-up was inserted.
pub(crate) fn follow_up_sql(
    org_id: &str,
    follow_up_id: &str,
    closed_id: &str,
    requester_email: &str,
    event_ids: [&str; 2],
    now: &str,
) -> Vec<Sql> {
    let inserted = "EXISTS (SELECT 1 FROM tickets WHERE org_id = ?1 AND id = ?2)";
    let event = |ticket: &str, kind: &str, field: &str| {
        format!(
            "INSERT INTO ticket_events (id, org_id, ticket_id, actor_kind, actor_id, kind, field, \
             from_value, to_value, created_at) \
             SELECT ?4, ?1, {ticket}, 'requester', ?5, '{kind}', '{field}', NULL, ?{}, ?6 \
             WHERE {inserted}",
            if ticket == "?2" { 3 } else { 2 }
        )
    };
    let params = |event_id: &str| -> Vec<Value> {
        vec![
            org_id.into(),
            follow_up_id.into(),
            closed_id.into(),
            event_id.into(),
            requester_email.into(),
            now.into(),
        ]
    };
    vec![
        Sql::new(
            "UPDATE tickets SET follow_up_of = ?3 WHERE org_id = ?1 AND id = ?2",
            vec![org_id.into(), follow_up_id.into(), closed_id.into()],
        ),
        Sql::new(
            event("?2", "follow_up_of", "follow_up_of"),
            params(event_ids[0]),
        ),
        Sql::new(
            event("?3", "follow_up_created", "follow_up"),
            params(event_ids[1]),
        ),
    ]
}

/// The requester's view of ticket `id` and its clocks, only if `tracking_token_hash` is that
/// ticket's. Comparing in SQL means a wrong token and a missing ticket look the same.
pub async fn find_for_requester(
    db: &D1Database,
    id: &TicketId,
    tracking_token_hash: &str,
) -> Result<Option<(RequestView, ClockSet)>, ApiError> {
    let key = [id.to_string().into(), tracking_token_hash.into()];
    let results = db
        .batch(vec![
            statement(
                db,
                // The form joined by the ticket's own version: later edits never change how
                // it renders.
                "SELECT t.id, t.reference, o.slug AS org, t.status, t.subject, t.description, \
                 t.requester_name, t.requester_email, t.channel, t.created_at, t.updated_at, \
                 t.answers, t.catalog_item AS item_slug, i.name AS item_name, t.form_version, \
                 f.schema, o.default_locale \
                 FROM tickets t JOIN orgs o ON o.id = t.org_id \
                 LEFT JOIN catalog_items i ON i.id = t.catalog_item_id \
                 LEFT JOIN catalog_forms f ON f.item_id = t.catalog_item_id \
                     AND f.version = t.form_version \
                 WHERE t.id = ?1 AND t.tracking_token_hash = ?2",
                &key,
            )?,
            statement(
                db,
                &format!(
                    "SELECT {CLOCK_COLUMNS} FROM tickets t JOIN sla_clocks c \
                     ON c.org_id = t.org_id AND c.ticket_id = t.id \
                     WHERE t.id = ?1 AND t.tracking_token_hash = ?2 ORDER BY c.metric"
                ),
                &key,
            )?,
        ])
        .await
        .map_err(d1_error("reading a request for its requester"))?;
    let read = d1_error("reading a request for its requester");
    let (Some(view), Some(clocks)) = (results.first(), results.get(1)) else {
        return Err(ApiError::internal(
            "the requester batch returned too few results",
        ));
    };
    let Some(row) = view
        .results::<RequesterRow>()
        .map_err(&read)?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let view = row.view()?;
    let clocks = ClockSet::from_rows(clocks.results::<ClockRow>().map_err(&read)?);
    Ok(Some((view, clocks)))
}

/// The requester's view as read, with the catalog form it was submitted with.
#[derive(Deserialize)]
struct RequesterRow {
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

impl RequesterRow {
    fn view(self) -> Result<RequestView, ApiError> {
        let stored = |what: &str, e: serde_json::Error| ApiError::internal(format!("{what}: {e}"));
        let catalog_item = match (
            self.item_slug,
            self.item_name,
            self.form_version,
            self.schema,
        ) {
            (Some(slug), Some(name), Some(form_version), Some(schema)) => Some(SubmittedForm {
                slug,
                name: super::catalog::localized(&name)?,
                form_version,
                form: serde_json::from_str(&schema).map_err(|e| stored("stored form", e))?,
                default_locale: self.default_locale,
            }),
            _ => None,
        };
        Ok(RequestView {
            id: self.id,
            reference: self.reference,
            org: self.org,
            status: self.status,
            subject: self.subject,
            description: self.description,
            requester_name: self.requester_name,
            requester_email: self.requester_email,
            channel: self.channel,
            created_at: self.created_at,
            updated_at: self.updated_at,
            catalog_item,
            answers: self
                .answers
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| stored("stored answers", e))?
                .unwrap_or_default(),
            promises: Vec::new(),
        })
    }
}

/// Columns of [`TicketRow`], in one place for every agent-side query.
const TICKET_COLUMNS: &str = "id, org_id, version, reference, status, priority, subject, \
     description, requester_name, requester_email, channel, assignee, created_at, updated_at, \
     first_response_at, solved_at, closed_at, group_name, sla_policy_id, sla_pauses, \
     catalog_item, form_version, answers, catalog_categories, origin, context";

/// [`TICKET_COLUMNS`] of the table aliased `t`, for joins.
fn t_columns() -> String {
    TICKET_COLUMNS
        .split(", ")
        .map(|column| format!("t.{column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

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
    pub group_name: Option<String>,
    pub sla_policy_id: Option<String>,
    /// JSON of the ticket's SLA pauses.
    pub sla_pauses: String,
    /// The earliest deadline of the ticket's running clocks; only deadline lists select it.
    #[serde(default)]
    pub sla_due: Option<String>,
    pub catalog_item: Option<String>,
    pub form_version: Option<u32>,
    pub answers: Option<String>,
    /// The catalog item's category slugs at submission (see [`category_list`]).
    #[serde(default, deserialize_with = "category_list")]
    pub catalog_categories: Vec<String>,
    /// Widget tickets: the embedding page's origin and the host's context (JSON object).
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(default)]
    pub context: Option<String>,
}

/// A stored JSON list of slugs; unreadable text (never written by us) is an empty list.
fn category_list<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    Ok(text
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default())
}

impl TicketRow {
    /// The stored pauses; unreadable JSON (never written by us) counts as none.
    #[must_use]
    pub fn pauses(&self) -> Vec<Pause> {
        serde_json::from_str(&self.sla_pauses).unwrap_or_default()
    }

    /// The view without clocks and tags (the caller adds what it loaded).
    #[must_use]
    pub fn view(self) -> TicketView {
        TicketView {
            id: self.id,
            reference: self.reference,
            status: self.status,
            priority: self.priority,
            subject: self.subject,
            description: self.description,
            requester_name: self.requester_name,
            requester_email: self.requester_email,
            channel: self.channel,
            // Stored answers were checked JSON when written; unreadable ones (never written by
            // us) show as none rather than failing the whole ticket.
            answers: self
                .answers
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok())
                .unwrap_or_default(),
            catalog_item: self.catalog_item,
            form_version: self.form_version,
            assignee: self.assignee,
            created_at: self.created_at,
            updated_at: self.updated_at,
            first_response_at: self.first_response_at,
            solved_at: self.solved_at,
            closed_at: self.closed_at,
            group: self.group_name,
            tags: Vec::new(),
            clocks: Vec::new(),
            origin: self.origin,
            context: self
                .context
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok())
                .unwrap_or_default(),
        }
    }
}

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
        super::sla::loaded_policies(part(3)?.results::<PolicyCalendarRow>().map_err(&read)?)
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

/// What a new ticket needs to know first: its organisation's id and policies (`None`: no such
/// organisation), the caller's hits in its rate-limit window, and the answer stored for its
/// idempotency key, if it sent one. One round trip.
pub struct BeforeCreate {
    pub org: Option<OrgForTicket>,
    pub hits: Option<Hits>,
    pub stored: Option<StoredAnswer>,
}

/// Reads [`BeforeCreate`] for organisation `slug`, counting the request with `bump` and looking
/// up the key with `find` (see `db::limits` and `db::idempotency`).
pub async fn before_create(
    db: &D1Database,
    slug: &OrgSlug,
    bump: &Sql,
    find: Option<&Sql>,
) -> Result<BeforeCreate, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        org_id: String,
        widget_origins: String,
        widget_secret: String,
        id: Option<String>,
        definition: Option<String>,
        calendar: Option<String>,
    }
    let mut statements = vec![
        statement(
            db,
            "SELECT o.id AS org_id, o.widget_origins, o.widget_secret, p.id, p.definition, \
             c.definition AS calendar FROM orgs o \
             LEFT JOIN sla_policies p ON p.org_id = o.id \
             LEFT JOIN sla_calendars c ON c.org_id = p.org_id AND c.id = p.calendar_id \
             WHERE o.slug = ?1 ORDER BY p.position, p.id",
            &[slug.as_str().into()],
        )?,
        bump.prepare(db)?,
    ];
    if let Some(find) = find {
        statements.push(find.prepare(db)?);
    }
    let results = db
        .batch(statements)
        .await
        .map_err(d1_error("reading an organisation's SLA policies"))?;
    let read = d1_error("reading an organisation's SLA policies");
    let rows = match results.first() {
        Some(r) => r.results::<Row>().map_err(&read)?,
        None => Vec::new(),
    };
    let hits = match results.get(1) {
        Some(r) => r.results::<Hits>().map_err(&read)?.into_iter().next(),
        None => None,
    };
    let stored = match results.get(2) {
        Some(r) => r
            .results::<StoredAnswer>()
            .map_err(&read)?
            .into_iter()
            .next(),
        None => None,
    };
    let org = match rows.first() {
        None => None,
        Some(first) => {
            let (id, widget_origins, widget_secret) = (
                first.org_id.clone(),
                super::from_json(&first.widget_origins)?,
                first.widget_secret.clone(),
            );
            let policies = super::sla::loaded_policies(
                rows.into_iter()
                    .map(|r| PolicyCalendarRow {
                        id: r.id,
                        definition: r.definition,
                        calendar: r.calendar,
                    })
                    .collect(),
            );
            Some(OrgForTicket {
                id,
                policies,
                widget_origins,
                widget_secret,
            })
        }
    };
    Ok(BeforeCreate { org, hits, stored })
}

/// What creating a ticket needs to know of its organisation.
pub struct OrgForTicket {
    pub id: String,
    pub policies: Vec<LoadedPolicy>,
    pub widget_origins: Vec<edgedesk_core::widget::WebOrigin>,
    pub widget_secret: String,
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

/// What a list is ordered by (the id breaks ties, in the same direction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Creation: ticket ids are ULIDs, so id order is creation order.
    Created,
    Updated,
    Priority,
}

/// How a ticket list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    By {
        key: SortKey,
        descending: bool,
    },
    /// Earliest deadline of a running clock first; tickets without one are left out.
    Deadline,
}

impl ListOrder {
    /// Newest first: the default.
    pub const NEWEST: Self = Self::By {
        key: SortKey::Created,
        descending: true,
    };
}

/// Where the previous page ended: the last ticket's id, and its sort value for sorts other
/// than creation (`updated_at`, or the priority's rank).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    Id(TicketId),
    Keyed { value: String, id: TicketId },
    Deadline { due: String, id: TicketId },
}

/// Ticket filters of an agent's list; all given ones must hold.
#[derive(Debug, Default)]
pub struct ListFilters {
    pub status: Option<TicketStatus>,
    pub assignee: Option<String>,
    pub group: Option<String>,
    pub priority: Option<Priority>,
    /// A catalog category's slug: tickets of its items, or of its subcategories' items.
    pub category: Option<String>,
    pub tag: Option<String>,
    pub requester: Option<String>,
    /// FTS5 query (see `edgedesk_core::search::fts_query`).
    pub search: Option<String>,
    /// `(column, operator, instant)` ranges on `created_at` / `updated_at`.
    pub ranges: Vec<(RangeColumn, RangeOp, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeColumn {
    Created,
    Updated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeOp {
    Gte,
    Gt,
    Lte,
    Lt,
}

/// What an agent's ticket list asks for.
pub struct ListQuery<'a> {
    pub filters: &'a ListFilters,
    /// Only tickets with a clock that is breached and still running.
    pub breached: bool,
    /// Only tickets with a running clock due at or before this instant (overdue ones included).
    pub due_before: Option<&'a str>,
    pub order: ListOrder,
    pub after: Option<&'a Cursor>,
    pub limit: u32,
}

/// The SQL of a ticket list: every value bound, every condition inside organisation `?1`.
/// Without SLA filters it reads tickets through the index of its sort or filter, `(org_id, …,
/// id)`, so a page costs about its size; SLA filters and the deadline order start from the
/// running clocks instead (`(org_id, due_at)` and the breached index).
pub fn list_sql(org_id: &str, query: &ListQuery<'_>) -> Sql {
    use serde_json::json;
    let mut params: Vec<serde_json::Value> = vec![json!(org_id)];
    let mut param = |value: serde_json::Value| {
        params.push(value);
        format!("?{}", params.len())
    };
    let sla_driven =
        query.breached || query.due_before.is_some() || query.order == ListOrder::Deadline;
    let mut conditions = vec!["t.org_id = ?1".to_owned()];
    let f = query.filters;
    if let Some(status) = f.status {
        conditions.push(format!("t.status = {}", param(json!(status.as_str()))));
    }
    if let Some(assignee) = &f.assignee {
        conditions.push(format!("t.assignee = {}", param(json!(assignee))));
    }
    if let Some(group) = &f.group {
        conditions.push(format!("t.group_name = {}", param(json!(group))));
    }
    if let Some(priority) = f.priority {
        conditions.push(format!("t.priority = {}", param(json!(priority.as_str()))));
    }
    if let Some(requester) = &f.requester {
        conditions.push(format!("t.requester_email = {}", param(json!(requester))));
    }
    if let Some(category) = &f.category {
        let slug = param(json!(category));
        conditions.push(format!(
            "t.catalog_item_id IN (SELECT i.id FROM catalog_categories c \
             JOIN catalog_items i ON i.org_id = c.org_id AND i.category_id = c.id \
             WHERE c.org_id = ?1 AND (c.slug = {slug} OR c.parent_id = \
             (SELECT p.id FROM catalog_categories p WHERE p.org_id = ?1 AND p.slug = {slug})))"
        ));
    }
    if let Some(tag) = &f.tag {
        conditions.push(format!(
            "t.id IN (SELECT g.ticket_id FROM ticket_tags g WHERE g.org_id = ?1 AND g.tag = {})",
            param(json!(tag))
        ));
    }
    if let Some(search) = &f.search {
        // The match runs over every organisation's rows; the join back to `t` keeps ?1's.
        conditions.push(format!(
            "t.search_rowid IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH {})",
            param(json!(search))
        ));
    }
    for (column, op, instant) in &f.ranges {
        let column = match column {
            RangeColumn::Created => "t.created_at",
            RangeColumn::Updated => "t.updated_at",
        };
        let op = match op {
            RangeOp::Gte => ">=",
            RangeOp::Gt => ">",
            RangeOp::Lte => "<=",
            RangeOp::Lt => "<",
        };
        conditions.push(format!("{column} {op} {}", param(json!(instant))));
    }
    let mut having = String::new();
    let order = match query.order {
        ListOrder::By { key, descending } => {
            let (cmp, dir) = if descending {
                ("<", "DESC")
            } else {
                (">", "ASC")
            };
            let column = match key {
                SortKey::Created => None,
                SortKey::Updated => Some("t.updated_at"),
                SortKey::Priority => Some("t.priority_rank"),
            };
            match (query.after, column) {
                (Some(Cursor::Id(id)), None) => {
                    conditions.push(format!("t.id {cmp} {}", param(json!(id.to_string()))));
                }
                (Some(Cursor::Keyed { value, id }), Some(column)) => {
                    let value = if key == SortKey::Priority {
                        json!(value.parse::<i64>().unwrap_or_default())
                    } else {
                        json!(value)
                    };
                    conditions.push(format!(
                        "({column}, t.id) {cmp} ({}, {})",
                        param(value),
                        param(json!(id.to_string()))
                    ));
                }
                _ => {}
            }
            match column {
                Some(column) => format!("{column} {dir}, t.id {dir}"),
                None => format!("t.id {dir}"),
            }
        }
        ListOrder::Deadline => {
            if let Some(Cursor::Deadline { due, id }) = query.after {
                having = format!(
                    "HAVING (MIN(c.due_at), t.id) > ({}, {})",
                    param(json!(due)),
                    param(json!(id.to_string()))
                );
            }
            "sla_due, t.id".to_owned()
        }
    };
    let text = if sla_driven {
        let mut clock_conditions = vec![
            "c.org_id = ?1".to_owned(),
            "c.fulfilled_at IS NULL".to_owned(),
        ];
        if query.breached {
            clock_conditions.push("c.breached_at IS NOT NULL".to_owned());
        }
        match query.due_before {
            Some(before) => clock_conditions.push(format!("c.due_at <= {}", param(json!(before)))),
            None if query.order == ListOrder::Deadline => {
                clock_conditions.push("c.due_at IS NOT NULL".to_owned());
            }
            None => {}
        }
        let limit = param(json!(query.limit));
        format!(
            "SELECT {}, MIN(c.due_at) AS sla_due FROM sla_clocks c \
             JOIN tickets t ON t.org_id = c.org_id AND t.id = c.ticket_id \
             WHERE {} AND {} GROUP BY t.id {having} ORDER BY {order} LIMIT {limit}",
            t_columns(),
            clock_conditions.join(" AND "),
            conditions.join(" AND ")
        )
    } else {
        let limit = param(json!(query.limit));
        format!(
            "SELECT {} FROM tickets t WHERE {} ORDER BY {order} LIMIT {limit}",
            t_columns(),
            conditions.join(" AND ")
        )
    };
    Sql::new(text, params)
}

/// `limit` tickets of `org_id` as `query` asks (see [`list_sql`]).
pub async fn list(
    db: &D1Database,
    org_id: &str,
    query: &ListQuery<'_>,
) -> Result<Vec<TicketRow>, ApiError> {
    list_sql(org_id, query)
        .prepare(db)?
        .all()
        .await
        .and_then(|r| r.results::<TicketRow>())
        .map_err(d1_error("listing tickets"))
}

/// The clocks (with calendars) and tags of the tickets `ticket_ids` (a page: any number, each
/// list bound as one JSON parameter): two statements.
pub(crate) fn page_details_sql(org_id: &str, ticket_ids: &[String]) -> [Sql; 2] {
    let params = vec![org_id.into(), super::json_list(ticket_ids)];
    [
        Sql::new(
            format!(
                "SELECT {CLOCK_COLUMNS} FROM sla_clocks c \
                 WHERE c.org_id = ?1 AND c.ticket_id IN (SELECT value FROM json_each(?2)) \
                 ORDER BY c.metric"
            ),
            params.clone(),
        ),
        Sql::new(
            "SELECT ticket_id, tag FROM ticket_tags \
             WHERE org_id = ?1 AND ticket_id IN (SELECT value FROM json_each(?2)) ORDER BY tag",
            params,
        ),
    ]
}

/// The clocks (with calendars) and tags of the tickets of one page: one round trip.
pub async fn page_details(
    db: &D1Database,
    org_id: &str,
    ticket_ids: &[String],
) -> Result<(ClockSet, BTreeMap<String, Vec<String>>), ApiError> {
    if ticket_ids.is_empty() {
        return Ok((ClockSet::default(), BTreeMap::new()));
    }
    let statements = page_details_sql(org_id, ticket_ids)
        .iter()
        .map(|sql| sql.prepare(db))
        .collect::<Result<Vec<_>, _>>()?;
    let results = db
        .batch(statements)
        .await
        .map_err(d1_error("loading a page's clocks"))?;
    #[derive(Deserialize)]
    struct TicketTag {
        ticket_id: String,
        tag: String,
    }
    let read = d1_error("reading a page's clocks");
    let (Some(clocks), Some(tags)) = (results.first(), results.get(1)) else {
        return Err(ApiError::internal(
            "the page batch returned too few results",
        ));
    };
    let clocks = ClockSet::from_rows(clocks.results::<ClockRow>().map_err(&read)?);
    let mut by_ticket: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for TicketTag { ticket_id, tag } in tags.results::<TicketTag>().map_err(&read)? {
        by_ticket.entry(ticket_id).or_default().push(tag);
    }
    Ok((clocks, by_ticket))
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
    /// An API token id, or unassigned.
    Assignee(Option<String>, Option<String>),
    Group(Option<String>, Option<String>),
    /// The tags before and after; `added` and `removed` are what differs.
    Tags {
        from: Vec<String>,
        to: Vec<String>,
    },
}

/// One audit event of a field change: kind, field, from, to.
pub(crate) type FieldEvent = (&'static str, &'static str, Option<String>, Option<String>);

impl FieldChange {
    /// The audit events of this change: one `changed` event, or for tags one `tag_added` /
    /// `tag_removed` event per tag (as the SLA sweep records its escalation tags).
    pub(crate) fn events(&self) -> Vec<FieldEvent> {
        let changed = |field, from: &str, to: &str| {
            vec![("changed", field, Some(from.to_owned()), Some(to.to_owned()))]
        };
        match self {
            Self::Status(from, to) => changed("status", from.as_str(), to.as_str()),
            Self::Priority(from, to) => changed("priority", from.as_str(), to.as_str()),
            Self::Assignee(from, to) => vec![("changed", "assignee", from.clone(), to.clone())],
            Self::Group(from, to) => vec![("changed", "group", from.clone(), to.clone())],
            Self::Tags { from, to } => to
                .iter()
                .filter(|t| !from.contains(t))
                .map(|t| ("tag_added", "tags", None, Some(t.clone())))
                .chain(
                    from.iter()
                        .filter(|t| !to.contains(t))
                        .map(|t| ("tag_removed", "tags", Some(t.clone()), None)),
                )
                .collect(),
        }
    }

    /// How many audit events (and so event ids) this change needs.
    #[must_use]
    pub fn event_count(&self) -> usize {
        self.events().len()
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
pub(crate) fn change_sql(change: &Change<'_>) -> Result<Vec<Sql>, ApiError> {
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
            .ok_or_else(|| ApiError::internal("a ticket change needs one event id per event"))
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
        for (kind, name, from, to) in field.events() {
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
        statements.extend(super::sla::write_sql(
            IF_UPDATED,
            [change.org_id, change.ticket_id, &change.change_id],
            sla,
            change.now,
        ));
    }
    Ok(statements)
}

/// Applies `change` (see [`change_sql`]) and `extra` in one D1 batch. `None` if the ticket is
/// no longer at the expected version (or does not exist): then nothing was written.
pub async fn apply(
    db: &D1Database,
    change: &Change<'_>,
    extra: &[Sql],
) -> Result<Option<TicketRow>, ApiError> {
    let statements = change_sql(change)?
        .iter()
        .map(|sql| sql.prepare(db))
        .collect::<Result<Vec<_>, _>>()?;
    let results = super::idempotency::batch_with_key(db, statements, extra)
        .await?
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
        assert!(INSERT_TICKET.contains("?22") && !INSERT_TICKET.contains("?23"));
        assert!(UPDATE_TICKET.contains("?15") && !UPDATE_TICKET.contains("?16"));
        assert!(INSERT_CREATED_EVENT.contains("?2") && !INSERT_CREATED_EVENT.contains("?3"));
    }
}
