//! Agent routes over an organisation's tickets: list (with SLA filters), counts, read (with SLA
//! clocks), change (If-Match), comments and the audit trail. The token decides the
//! organisation; other tenants' tickets are 404.

use edgedesk_core::api::{CommentInput, Page, PageMeta, Role, TicketPatch};
use edgedesk_core::priority::Priority;
use edgedesk_core::request::DESCRIPTION_RULE;
use edgedesk_core::request::Email;
use edgedesk_core::search::fts_query;
use edgedesk_core::sla::{BusinessCalendar, Happening, MAX_TARGET_MINUTES, format_instant};
use edgedesk_core::ticket_change::TicketChanges;
use edgedesk_core::ticket_decision::{
    AssignmentFacts, AssignmentLookups, Refusal, TicketChange, check_assignment,
};
use edgedesk_core::{FieldErrorCode, TicketId, TicketStatus, ValidationErrors};
use worker::{Request, Response};

use super::Ctx;
use crate::auth::{self, Principal};
use crate::clock;
use crate::config::Config;
use crate::db;
use crate::db::idempotency::{Guard, KeyOrg, StoredBody};
use crate::db::tickets::{
    Actor, AlsoRead, Change, Cursor, ListFilters, ListOrder, ListQuery, LoadedTicket, NewComment,
    RangeColumn, RangeOp, SortKey, TicketKey, TicketRow,
};
use crate::error::ApiError;
use crate::http::{json, query_param, read_json, read_json_raw};
use crate::idempotent::{self, Started};
use crate::ticket_sla;

const DEFAULT_PAGE_SIZE: u32 = 25;
const MAX_PAGE_SIZE: u32 = 100;

/// Strong ETag of a ticket version.
fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}

/// Whether an `If-Match` header value matches `version` (`*`, a list, weak or strong tags).
fn if_match_allows(header: &str, version: i64) -> bool {
    let current = etag(version);
    header
        .split(',')
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == current)
}

fn with_etag(mut response: Response, version: i64) -> Result<Response, ApiError> {
    response.headers_mut().set("etag", &etag(version))?;
    Ok(response)
}

fn agent_actor(principal: &Principal) -> Actor<'_> {
    Actor {
        kind: "agent",
        id: principal.actor_id(),
    }
}

async fn load(config: &Config, principal: &Principal, raw_id: &str) -> Result<TicketRow, ApiError> {
    let id = TicketId::parse(raw_id).map_err(|_| ApiError::NotFound)?;
    db::tickets::find(&config.db, &principal.org_id, &id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The ticket with its SLA state (and the policies, for changes).
async fn load_with_sla(
    config: &Config,
    principal: &Principal,
    raw_id: &str,
    with_policies: bool,
) -> Result<LoadedTicket, ApiError> {
    let id = TicketId::parse(raw_id).map_err(|_| ApiError::NotFound)?;
    let key = TicketKey::Agent {
        org_id: &principal.org_id,
        id: &id,
    };
    db::tickets::load(&config.db, key, with_policies)
        .await?
        .ok_or(ApiError::NotFound)
}

fn bad_query(field: &str, code: edgedesk_core::FieldErrorCode) -> ApiError {
    ApiError::Validation(ValidationErrors(vec![edgedesk_core::FieldError::new(
        field, code, None,
    )]))
}

/// `page[after]` of a list sorted by something else than creation: `<value>~<id>`.
fn keyed_cursor(value: &str, id: &str) -> String {
    format!("{value}~{id}")
}

fn parse_cursor(raw: &str, order: ListOrder) -> Option<Cursor> {
    match order {
        ListOrder::By {
            key: SortKey::Created,
            ..
        } => TicketId::parse(raw).ok().map(Cursor::Id),
        ListOrder::By { key, .. } => {
            let (value, id) = raw.rsplit_once('~')?;
            let value = match key {
                SortKey::Priority => value.parse::<u8>().ok().filter(|r| *r <= 3)?.to_string(),
                _ => format_instant(edgedesk_core::sla::parse_instant(value)?),
            };
            Some(Cursor::Keyed {
                value,
                id: TicketId::parse(id).ok()?,
            })
        }
        ListOrder::Deadline => {
            let (due, id) = raw.split_once('~')?;
            let due = edgedesk_core::sla::parse_instant(due)?;
            Some(Cursor::Deadline {
                due: format_instant(due),
                id: TicketId::parse(id).ok()?,
            })
        }
    }
}

/// The sort value of `row` that its page's cursor carries.
fn cursor_of(order: ListOrder, row: &TicketRow) -> String {
    match order {
        ListOrder::By {
            key: SortKey::Created,
            ..
        } => row.id.clone(),
        ListOrder::By {
            key: SortKey::Updated,
            ..
        } => keyed_cursor(&row.updated_at, &row.id),
        ListOrder::By {
            key: SortKey::Priority,
            ..
        } => keyed_cursor(&priority_rank(row.priority).to_string(), &row.id),
        ListOrder::Deadline => row
            .sla_due
            .as_deref()
            .map_or_else(|| row.id.clone(), |due| keyed_cursor(due, &row.id)),
    }
}

/// The stored `priority_rank` (migration 0005): low 0 … urgent 3.
const fn priority_rank(priority: Priority) -> u8 {
    match priority {
        Priority::Low => 0,
        Priority::Normal => 1,
        Priority::High => 2,
        Priority::Urgent => 3,
    }
}

fn parse_sort(raw: Option<&str>) -> Result<ListOrder, ApiError> {
    let by = |key, descending| ListOrder::By { key, descending };
    Ok(match raw {
        // `newest` is the name this sort had before `-created`.
        None | Some("-created" | "newest") => ListOrder::NEWEST,
        Some("created") => by(SortKey::Created, false),
        Some("-updated") => by(SortKey::Updated, true),
        Some("updated") => by(SortKey::Updated, false),
        Some("-priority") => by(SortKey::Priority, true),
        Some("priority") => by(SortKey::Priority, false),
        Some("deadline") => ListOrder::Deadline,
        Some(_) => return Err(bad_query("sort", FieldErrorCode::NotAnOption)),
    })
}

/// Longest free-text filter value (assignee, group, tag, category).
const MAX_FILTER_LEN: usize = 120;

/// A free-text filter: trimmed, not empty, at most [`MAX_FILTER_LEN`] characters.
fn text_filter(req: &Request, name: &str) -> Result<Option<String>, ApiError> {
    match query_param(req, name) {
        None => Ok(None),
        Some(raw) => {
            let value = raw.trim();
            if value.is_empty() {
                Err(bad_query(name, FieldErrorCode::Required))
            } else if value.chars().count() > MAX_FILTER_LEN {
                Err(bad_query(name, FieldErrorCode::TooLong))
            } else {
                Ok(Some(value.to_owned()))
            }
        }
    }
}

/// Every filter of the list, each bad one a 422 naming its parameter.
fn parse_filters(req: &Request) -> Result<ListFilters, ApiError> {
    let status = match query_param(req, "status") {
        Some(raw) => Some(
            raw.parse::<TicketStatus>()
                .map_err(|_| bad_query("status", FieldErrorCode::NotAnOption))?,
        ),
        None => None,
    };
    let priority = match query_param(req, "priority") {
        Some(raw) => Some(
            raw.parse::<Priority>()
                .map_err(|_| bad_query("priority", FieldErrorCode::NotAnOption))?,
        ),
        None => None,
    };
    let requester = match query_param(req, "requester") {
        Some(raw) => Some(
            Email::parse("requester", &raw)
                .map_err(|e| ApiError::Validation(ValidationErrors(vec![e])))?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let search = match query_param(req, "q") {
        Some(raw) => {
            Some(fts_query(&raw).ok_or_else(|| bad_query("q", FieldErrorCode::PatternMismatch))?)
        }
        None => None,
    };
    let mut ranges = Vec::new();
    for (column, name) in [
        (RangeColumn::Created, "created"),
        (RangeColumn::Updated, "updated"),
    ] {
        for (op, suffix) in [
            (RangeOp::Gte, "gte"),
            (RangeOp::Gt, "gt"),
            (RangeOp::Lte, "lte"),
            (RangeOp::Lt, "lt"),
        ] {
            let parameter = format!("{name}[{suffix}]");
            if let Some(raw) = query_param(req, &parameter) {
                let instant = edgedesk_core::sla::parse_instant(raw.trim())
                    .ok_or_else(|| bad_query(&parameter, FieldErrorCode::InvalidDatetime))?;
                ranges.push((column, op, format_instant(instant)));
            }
        }
    }
    Ok(ListFilters {
        status,
        assignee: text_filter(req, "assignee")?,
        group: text_filter(req, "group")?,
        priority,
        category: text_filter(req, "category")?,
        tag: text_filter(req, "tag")?,
        requester,
        search,
        ranges,
    })
}

/// `GET /api/v1/tickets`: filters (status, assignee, group, priority, category, tag, requester,
/// created/updated ranges, full-text `q`, SLA `breached`/`due_within`), a sort (`-created` by
/// default) and cursor pagination that continues the same sort; each ticket with its clocks.
pub async fn list(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config) = (&ctx.req, ctx.config);
    let principal = auth::require(req, config, Role::Agent).await?;
    use edgedesk_core::FieldErrorCode as Code;
    let filters = parse_filters(req)?;
    let size = match query_param(req, "page[size]") {
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
            .ok_or_else(|| bad_query("page[size]", Code::AboveMaximum))?,
        None => DEFAULT_PAGE_SIZE,
    };
    let breached = match query_param(req, "breached").as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(bad_query("breached", Code::WrongType)),
    };
    let now = config.now();
    let due_before = match query_param(req, "due_within") {
        Some(raw) => {
            let minutes = raw
                .parse::<u32>()
                .ok()
                .filter(|m| *m <= MAX_TARGET_MINUTES)
                .ok_or_else(|| bad_query("due_within", Code::NotANumber))?;
            Some(format_instant(
                now.instant + chrono::TimeDelta::minutes(i64::from(minutes)),
            ))
        }
        None => None,
    };
    let order = parse_sort(query_param(req, "sort").as_deref())?;
    let after = match query_param(req, "page[after]") {
        Some(raw) => Some(
            parse_cursor(&raw, order).ok_or_else(|| bad_query("page[after]", Code::WrongType))?,
        ),
        None => None,
    };
    // One extra row tells whether another page exists, without counting.
    let mut rows = db::tickets::list(
        &config.db,
        &principal.org_id,
        &ListQuery {
            filters: &filters,
            breached,
            due_before: due_before.as_deref(),
            order,
            after: after.as_ref(),
            limit: size + 1,
        },
    )
    .await?;
    let has_more = rows.len() > size as usize;
    rows.truncate(size as usize);
    let after_cursor = if has_more {
        rows.last().map(|r| cursor_of(order, r))
    } else {
        None
    };
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let (clocks, mut tags) = db::tickets::page_details(&config.db, &principal.org_id, &ids).await?;
    let always = BusinessCalendar::always_open();
    let data = rows
        .into_iter()
        .map(|row| {
            let ticket_clocks = ticket_sla::clocks_of(&clocks, &row.id, &always);
            let ticket_tags = tags.remove(&row.id).unwrap_or_default();
            ticket_sla::view(row, ticket_clocks.into_iter(), ticket_tags, now.instant)
        })
        .collect();
    json(
        200,
        &Page {
            data,
            meta: PageMeta {
                has_more,
                after_cursor,
            },
        },
    )
}

/// `GET /api/v1/tickets/counts`: tickets per status, from maintained counters.
pub async fn counts(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config) = (&ctx.req, ctx.config);
    let principal = auth::require(req, config, Role::Agent).await?;
    json(
        200,
        &db::tickets::status_counts(&config.db, &principal.org_id).await?,
    )
}

/// `GET /api/v1/tickets/{id}` with its ETag, tags and SLA clocks.
pub async fn get(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, id) = (&ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(req, config, Role::Agent).await?;
    let loaded = load_with_sla(config, &principal, id, false).await?;
    let version = loaded.row.version;
    let view = ticket_sla::view_loaded(loaded, config.now().instant);
    with_etag(json(200, &view)?, version)
}

/// `PATCH /api/v1/tickets/{id}`: status (along the lifecycle), priority, assignee, group and
/// tags, with `If-Match`. One read (ticket, clocks, tags, policies and the assignee's token)
/// and one atomic write (ticket, tags, an audit event per field, counters, SLA clocks).
pub async fn patch(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config, id) = (ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(&req, config, Role::Agent).await?;
    let if_match = req
        .headers()
        .get("if-match")?
        .ok_or(ApiError::PreconditionRequired)?;
    let patch: TicketPatch = read_json(&mut req).await?;
    let wanted = TicketChanges::parse(&patch).map_err(ApiError::Validation)?;
    let ticket_id = TicketId::parse(id).map_err(|_| ApiError::NotFound)?;
    let key = TicketKey::Agent {
        org_id: &principal.org_id,
        id: &ticket_id,
    };
    let checks = assignment_reads(&principal.org_id, id, &wanted);
    let (loaded, found) = db::tickets::load_with(&config.db, key, true, &checks).await?;
    let loaded = loaded.ok_or(ApiError::NotFound)?;
    let row = &loaded.row;
    let facts = AssignmentFacts {
        assignable: found.assignable,
        group_exists: found.group_exists,
        member_of: found.member_of,
    };
    check_assignment(&wanted, &loaded.fields(), &facts)
        .map_err(|e| ApiError::Validation(ValidationErrors(vec![e])))?;
    if !if_match_allows(&if_match, row.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let decided = TicketChange::decide(&loaded.fields(), &wanted)?;
    let now = config.now();
    if decided.is_empty() {
        let version = row.version;
        return with_etag(
            json(200, &ticket_sla::view_loaded(loaded, now.instant))?,
            version,
        );
    }
    let event_ids = clock::new_ids(&now, decided.events().len())?;
    let TicketChange { fields, sla } = decided;
    // Policies match on tags too: the clocks are re-evaluated with the tags after the change.
    let facts = ticket_sla::facts(row, sla.priority, sla.status, &sla.tags, &now);
    let (sla_update, sla_write) = ticket_sla::change(&loaded, &facts, &sla.happenings, &now)?;
    let change = Change {
        org_id: &principal.org_id,
        ticket_id: &row.id,
        expected_version: row.version,
        fields,
        comment: None,
        actor: agent_actor(&principal),
        now: &now.rfc3339,
        event_ids,
        change_id: clock::new_id(&now)?,
        sla: Some(sla_write),
    };
    // Changed between our read and our write: the caller's view is stale too.
    let updated = db::tickets::apply(&config.db, &change, &[])
        .await?
        .applied()
        .ok_or(ApiError::PreconditionFailed)?;
    let version = updated.version;
    let view = ticket_sla::view_after(
        updated,
        &sla_update,
        &loaded.policies,
        sla.tags,
        now.instant,
    );
    with_etag(json(200, &view)?, version)
}

/// Any change to a closed ticket: 409, saying where the conversation goes on instead.
fn closed_is_final() -> ApiError {
    Refusal::ClosedIsFinal.into()
}

/// The lookups an assignee or group change needs (see [`AssignmentLookups`]), as reads in the
/// ticket's own batch.
fn assignment_reads(org_id: &str, ticket_id: &str, wanted: &TicketChanges) -> AlsoRead {
    let lookups = AssignmentLookups::of(wanted);
    AlsoRead {
        assignable: lookups
            .assignee
            .map(|assignee| db::tokens::assignable_sql(org_id, assignee)),
        group_exists: lookups
            .group
            .map(|group| db::groups::exists_sql(org_id, group)),
        member_of: lookups
            .memberships_of
            .map(|assignee| db::groups::memberships_sql(org_id, ticket_id, assignee)),
        ..AlsoRead::default()
    }
}

/// `GET /api/v1/tickets/{id}/comments`: public replies and internal notes.
pub async fn comments(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, id) = (&ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(req, config, Role::Agent).await?;
    let row = load(config, &principal, id).await?;
    json(
        200,
        &db::comments::list(&config.db, &principal.org_id, &row.id, false).await?,
    )
}

/// `POST /api/v1/tickets/{id}/comments`: a public reply (the first one is the first response)
/// or an internal note.
pub async fn add_comment(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config, id) = (ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(&req, config, Role::Agent).await?;
    let key = idempotent::key_of(&req)?;
    let (input, raw): (CommentInput, _) = read_json_raw(&mut req).await?;
    let now = config.now();
    let idempotent =
        match idempotent::begin(config, key, &principal, &req, &raw, None, &now).await? {
            Started::Replayed(response) => return Ok(response),
            Started::Created => return Err(ApiError::internal("a comment key without its answer")),
            Started::New(idempotent) => idempotent,
        };
    let body = DESCRIPTION_RULE
        .parse("body", &input.body)
        .map_err(|e| ApiError::Validation(ValidationErrors(vec![e])))?;
    let loaded = load_with_sla(config, &principal, id, true).await?;
    let row = &loaded.row;
    if row.status.is_final() {
        return Err(closed_is_final());
    }
    let comment_id = clock::new_id(&now)?;
    // A public reply is a response (first or next); an internal note changes no clock.
    let sla = if input.public {
        let facts = ticket_sla::facts(row, row.priority, row.status, &loaded.tags, &now);
        Some(ticket_sla::change(&loaded, &facts, &[Happening::AgentReplied], &now)?.1)
    } else {
        None
    };
    let change = Change {
        org_id: &principal.org_id,
        ticket_id: &row.id,
        expected_version: row.version,
        fields: Vec::new(),
        comment: Some(NewComment {
            id: &comment_id,
            body: &body,
            public: input.public,
        }),
        actor: agent_actor(&principal),
        now: &now.rfc3339,
        event_ids: vec![clock::new_id(&now)?],
        change_id: clock::new_id(&now)?,
        sla,
    };
    let comment = edgedesk_core::api::CommentView {
        id: comment_id.clone(),
        author_kind: "agent".to_owned(),
        body: body.clone(),
        public: input.public,
        created_at: now.rfc3339.clone(),
    };
    // The comment and its key are stored only if the change itself is.
    let answer = match &idempotent {
        Some(i) => Some(i.answer(
            KeyOrg::Id(&principal.org_id),
            201,
            StoredBody::Json(db::to_json(&comment)?),
            serde_json::json!({ "etag": etag(row.version + 1) }),
            None,
            &now.rfc3339,
        )),
        None => None,
    };
    let guard = Guard::TicketChanged {
        org_id: &principal.org_id,
        ticket_id: &row.id,
        change_id: &change.change_id,
    };
    let updated = db::tickets::apply(&config.db, &change, &idempotent::store(answer, &guard))
        .await?
        .applied()
        .ok_or_else(|| {
            ApiError::Conflict(
                "The ticket changed while the comment was being added; send it again.".to_owned(),
            )
        })?;
    with_etag(json(201, &comment)?, updated.version)
}

/// `GET /api/v1/tickets/{id}/events`: the append-only audit trail.
pub async fn events(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, id) = (&ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(req, config, Role::Agent).await?;
    let row = load(config, &principal, id).await?;
    json(
        200,
        &db::tickets::events(&config.db, &principal.org_id, &row.id).await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_accepts_current_strong_weak_listed_and_star() {
        assert!(if_match_allows("\"v3\"", 3));
        assert!(if_match_allows("W/\"v3\"", 3));
        assert!(if_match_allows("\"v1\", \"v3\"", 3));
        assert!(if_match_allows("*", 3));
        assert!(!if_match_allows("\"v2\"", 3));
        assert!(!if_match_allows("v3", 3));
    }
}
