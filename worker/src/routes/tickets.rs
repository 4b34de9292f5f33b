//! Agent routes over an organisation's tickets: list (with SLA filters), counts, read (with SLA
//! clocks), change (If-Match), comments and the audit trail. The token decides the
//! organisation; other tenants' tickets are 404.

use edgedesk_core::api::{CommentInput, Page, PageMeta, Role, TicketPatch};
use edgedesk_core::request::DESCRIPTION_RULE;
use edgedesk_core::sla::{BusinessCalendar, Happening, MAX_TARGET_MINUTES, format_instant};
use edgedesk_core::{TicketId, TicketStatus, ValidationErrors};
use worker::{Request, Response};

use crate::auth::{self, Principal};
use crate::clock;
use crate::config::Config;
use crate::db;
use crate::db::tickets::{
    Actor, Change, Cursor, FieldChange, ListOrder, ListQuery, LoadedTicket, NewComment, TicketKey,
    TicketRow,
};
use crate::error::ApiError;
use crate::http::{json, query_param, read_json};
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
        id: &principal.token_id,
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

/// `page[after]` of a deadline-ordered list: `<due_at>~<id>`.
fn deadline_cursor(due: &str, id: &str) -> String {
    format!("{due}~{id}")
}

fn parse_cursor(raw: &str, order: ListOrder) -> Option<Cursor> {
    match order {
        ListOrder::Newest => TicketId::parse(raw).ok().map(Cursor::Id),
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

/// `GET /api/v1/tickets?status=&breached=true&due_within=<minutes>&sort=deadline&page[size]=&page[after]=`:
/// newest first (or earliest SLA deadline first), cursor-paginated, each with its clocks.
pub async fn list(req: &Request, config: &Config) -> Result<Response, ApiError> {
    let principal = auth::require(req, config, Role::Agent).await?;
    use edgedesk_core::FieldErrorCode as Code;
    let status = match query_param(req, "status") {
        Some(raw) => Some(
            raw.parse::<TicketStatus>()
                .map_err(|_| bad_query("status", Code::NotAnOption))?,
        ),
        None => None,
    };
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
    let order = match query_param(req, "sort").as_deref() {
        None | Some("newest") => ListOrder::Newest,
        Some("deadline") => ListOrder::Deadline,
        Some(_) => return Err(bad_query("sort", Code::NotAnOption)),
    };
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
            status,
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
        rows.last().map(|r| match (order, &r.sla_due) {
            (ListOrder::Deadline, Some(due)) => deadline_cursor(due, &r.id),
            _ => r.id.clone(),
        })
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
pub async fn counts(req: &Request, config: &Config) -> Result<Response, ApiError> {
    let principal = auth::require(req, config, Role::Agent).await?;
    json(
        200,
        &db::tickets::status_counts(&config.db, &principal.org_id).await?,
    )
}

/// `GET /api/v1/tickets/{id}` with its ETag, tags and SLA clocks.
pub async fn get(req: &Request, config: &Config, id: &str) -> Result<Response, ApiError> {
    let principal = auth::require(req, config, Role::Agent).await?;
    let loaded = load_with_sla(config, &principal, id, false).await?;
    let version = loaded.row.version;
    let view = ticket_sla::view_loaded(loaded, config.now().instant);
    with_etag(json(200, &view)?, version)
}

/// `PATCH /api/v1/tickets/{id}`: status (along the lifecycle) and priority, with `If-Match`.
pub async fn patch(mut req: Request, config: &Config, id: &str) -> Result<Response, ApiError> {
    let principal = auth::require(&req, config, Role::Agent).await?;
    let if_match = req
        .headers()
        .get("if-match")?
        .ok_or(ApiError::PreconditionRequired)?;
    let patch: TicketPatch = read_json(&mut req).await?;
    let loaded = load_with_sla(config, &principal, id, true).await?;
    let row = &loaded.row;
    if !if_match_allows(&if_match, row.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut fields = Vec::new();
    if let Some(to) = patch.status.filter(|to| *to != row.status) {
        row.status.transition(to).map_err(|e| {
            let allowed: Vec<&str> = e.allowed.iter().map(|s| s.as_str()).collect();
            let allowed = if allowed.is_empty() {
                "nothing (closed is final)".to_owned()
            } else {
                allowed.join(", ")
            };
            ApiError::Conflict(format!(
                "{e}. From {} it can become: {allowed}.",
                e.from.as_str()
            ))
        })?;
        fields.push(FieldChange::Status(row.status, to));
    }
    if let Some(to) = patch.priority.filter(|to| *to != row.priority) {
        fields.push(FieldChange::Priority(row.priority, to));
    }
    let now = config.now();
    if fields.is_empty() {
        let version = row.version;
        return with_etag(
            json(200, &ticket_sla::view_loaded(loaded, now.instant))?,
            version,
        );
    }
    let event_ids = clock::new_ids(&now, fields.len())?;
    let mut happenings = Vec::new();
    let (mut status, mut priority) = (row.status, row.priority);
    for field in &fields {
        match field {
            FieldChange::Status(from, to) => {
                happenings.push(Happening::StatusChanged {
                    from: *from,
                    to: *to,
                });
                status = *to;
            }
            FieldChange::Priority(_, to) => priority = *to,
        }
    }
    let facts = ticket_sla::facts(row, priority, status, &loaded.tags, &now);
    let (sla_update, sla) = ticket_sla::change(&loaded, &facts, &happenings, &now)?;
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
        sla: Some(sla),
    };
    // Changed between our read and our write: the caller's view is stale too.
    let updated = db::tickets::apply(&config.db, &change)
        .await?
        .ok_or(ApiError::PreconditionFailed)?;
    let version = updated.version;
    let view = ticket_sla::view_after(
        updated,
        &sla_update,
        &loaded.policies,
        loaded.tags.clone(),
        now.instant,
    );
    with_etag(json(200, &view)?, version)
}

/// `GET /api/v1/tickets/{id}/comments`: public replies and internal notes.
pub async fn comments(req: &Request, config: &Config, id: &str) -> Result<Response, ApiError> {
    let principal = auth::require(req, config, Role::Agent).await?;
    let row = load(config, &principal, id).await?;
    json(
        200,
        &db::comments::list(&config.db, &principal.org_id, &row.id, false).await?,
    )
}

/// `POST /api/v1/tickets/{id}/comments`: a public reply (the first one is the first response)
/// or an internal note.
pub async fn add_comment(
    mut req: Request,
    config: &Config,
    id: &str,
) -> Result<Response, ApiError> {
    let principal = auth::require(&req, config, Role::Agent).await?;
    let input: CommentInput = read_json(&mut req).await?;
    let body = DESCRIPTION_RULE
        .parse("body", &input.body)
        .map_err(|e| ApiError::Validation(ValidationErrors(vec![e])))?;
    let loaded = load_with_sla(config, &principal, id, true).await?;
    let row = &loaded.row;
    let now = config.now();
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
    let updated = db::tickets::apply(&config.db, &change)
        .await?
        .ok_or_else(|| {
            ApiError::Conflict(
                "The ticket changed while the comment was being added; send it again.".to_owned(),
            )
        })?;
    let comment = edgedesk_core::api::CommentView {
        id: comment_id,
        author_kind: "agent".to_owned(),
        body,
        public: input.public,
        created_at: now.rfc3339.clone(),
    };
    with_etag(json(201, &comment)?, updated.version)
}

/// `GET /api/v1/tickets/{id}/events`: the append-only audit trail.
pub async fn events(req: &Request, config: &Config, id: &str) -> Result<Response, ApiError> {
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
