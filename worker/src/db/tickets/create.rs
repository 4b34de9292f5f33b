//! Creating a ticket (reference number, status count, ticket, first audit event and SLA clocks
//! in one atomic batch), what it reads first, and the links of a follow-up.

use edgedesk_core::priority::Priority;
use edgedesk_core::{Channel, NewRequest, OrgSlug, TicketId, TicketStatus};
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::JsValue;
use worker::D1Database;

use super::{IF_CHANGED, status_count};
use crate::db::StoreError;
use crate::db::idempotency::StoredAnswer;
use crate::db::limits::Hits;
use crate::db::sla::{LoadedPolicy, PolicyCalendarRow, SlaWrite};
use crate::db::{InOrder, Sql, d1_error, statement};

/// `org_counters` row that numbers an organisation's tickets (and so their references).
const TICKET_NUMBER: &str = "ticket_number";

/// Adds one to an organisation's counter `?2`, creating it at 1. Selecting the org by slug
/// makes it a no-op for an unknown slug, so nothing at all is written then.
pub(super) const BUMP_COUNTER: &str = "INSERT INTO org_counters (org_id, name, value) \
     SELECT id, ?2, 1 FROM orgs WHERE slug = ?1 \
     ON CONFLICT (org_id, name) DO UPDATE SET value = value + 1";

/// Takes the number the bump above just reserved; the batch runs as one transaction, so no
/// other request can take the same number in between (and `UNIQUE (org_id, number)` backs it).
pub(super) const INSERT_TICKET: &str = "INSERT INTO tickets (id, org_id, number, reference, status, \
     subject, description, requester_name, requester_email, channel, tracking_token_hash, \
     created_at, updated_at, change_id, sla_policy_id, sla_pauses, priority, catalog_item_id, \
     form_version, answers, catalog_item, catalog_categories, origin, context) \
     SELECT ?1, o.id, c.value, o.ref_prefix || '-' || c.value, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, \
     ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22 \
     FROM orgs o JOIN org_counters c ON c.org_id = o.id AND c.name = ?11 \
     WHERE o.slug = ?2 \
     RETURNING reference";

/// The audit trail starts with the creation itself, by the requester, copied from the stored row.
pub(super) const INSERT_CREATED_EVENT: &str = "INSERT INTO ticket_events (id, org_id, ticket_id, \
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
) -> Result<Option<CreatedTicket>, StoreError> {
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
    for sql in crate::db::sla::write_sql(
        IF_CHANGED,
        [ticket.org_id, &ticket_id, &ticket.change_id],
        &ticket.sla,
        ticket.now,
    ) {
        statements.push(sql.prepare(db)?);
    }
    let results =
        crate::db::idempotency::batch_with_key(db, statements, extra, "creating a ticket").await?;
    let mut results = InOrder::new(results, "reading the created ticket");
    // The two counter bumps say nothing; the insert returns the reference.
    results.skip(2)?;
    results.first::<CreatedTicket>()
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
) -> Result<BeforeCreate, StoreError> {
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
    let mut results = InOrder::new(results, "reading an organisation's SLA policies");
    let rows = results.rows::<Row>()?;
    let hits = results.first::<Hits>()?;
    let stored = match find {
        Some(_) => results.first::<StoredAnswer>()?,
        None => None,
    };
    let org = match rows.first() {
        None => None,
        Some(first) => {
            let (id, widget_origins, widget_secret) = (
                first.org_id.clone(),
                crate::db::from_json(&first.widget_origins)?,
                first.widget_secret.clone(),
            );
            let policies = crate::db::sla::loaded_policies(
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
