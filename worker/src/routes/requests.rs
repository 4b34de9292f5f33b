//! Requester routes: submit a request; by tracking token, read it and its timeline, and reply.

use edgedesk_core::api::{CommentView, CreatedRequest, ReplyInput, TRACKING_TOKEN_HEADER};
use edgedesk_core::catalog::priority_for;
use edgedesk_core::form::FormSchema;
use edgedesk_core::priority::Priority;
use edgedesk_core::request::DESCRIPTION_RULE;
use edgedesk_core::sla::{Happening, SlaState, TicketFacts, promise, update};
use edgedesk_core::ticket::ReplyEffect;
use edgedesk_core::{FieldError, FieldErrorCode, ValidationErrors};
use edgedesk_core::{NewRequest, NewRequestInput, OrgSlug, TicketId, TicketStatus, TrackingToken};
use worker::{Request, Response};

use super::Ctx;
use crate::clock::{self, Now};
use crate::config::Config;
use crate::db;
use crate::db::Sql;
use crate::db::idempotency::{Guard, KeyOrg, StoredBody};
use crate::db::limits::Caller;
use crate::db::sla::LoadedPolicy;
use crate::db::sla::{SlaWrite, choices};
use crate::db::tickets::{
    Actor, AlsoRead, CatalogSubmission, Change, ChangeOutcome, FieldChange, NewComment, NewTicket,
    TicketKey, WidgetSource,
};
use crate::error::ApiError;
use crate::http::{client_ip, json, read_json_raw};
use crate::idempotent::{self, Idempotent};
use crate::rate_limit;
use crate::ticket_sla;

/// `POST /api/v1/orgs/{org}/requests`: 201 with the tracking token, shown only this once.
///
/// With an `Idempotency-Key` (scoped to the organisation and the requester's email), a retry
/// of the same request gets the first answer again, tracking token included; the key is stored
/// in the ticket's own batch. Each client address may create a limited number per minute.
pub async fn create(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config, org) = (ctx.req, ctx.config, ctx.params.get("org")?);
    let slug = OrgSlug::parse(org).map_err(|_| ApiError::NotFound)?;
    let key = idempotent::key_of(&req)?;
    let (input, raw): (NewRequestInput, _) = read_json_raw(&mut req).await?;
    let request = NewRequest::parse(&input);
    // A catalog request is checked against the form its item uses now (one read), and all
    // problems, contact fields and answers, are reported together.
    let (priority, catalog, categories) = match &input.catalog_item {
        Some(item) => {
            let Some(loaded) = db::catalog::public_item(&config.db, slug.as_str(), item).await?
            else {
                // Only on this error path: tell an unknown organisation from an unknown item.
                return Err(match db::orgs::find_public(&config.db, &slug).await? {
                    Some(_) => unknown_item(),
                    None => ApiError::NotFound,
                });
            };
            let form = FormSchema::parse(&loaded.view.form)
                .map_err(|_| ApiError::internal(format!("stored form of {item} is invalid")))?;
            let answers = form.validate(&input.answers).map_err(|errors| {
                ValidationErrors(
                    errors
                        .0
                        .into_iter()
                        .map(|mut e| {
                            e.field = format!("answers.{}", e.field);
                            e
                        })
                        .collect(),
                )
            });
            match (&request, answers) {
                (Err(contact), Err(answers)) => {
                    let mut all = contact.clone();
                    all.0.extend(answers.0);
                    return Err(ApiError::Validation(all));
                }
                (_, Err(answers)) => return Err(ApiError::Validation(answers)),
                (_, Ok(answers)) => (
                    priority_for(
                        &form,
                        &answers,
                        &loaded.matrix,
                        loaded.view.item.default_priority,
                    ),
                    Some(CatalogSubmission {
                        item_id: loaded.id,
                        item_slug: loaded.view.item.slug.clone(),
                        categories_json: serde_json::to_string(&loaded.categories)
                            .map_err(|e| ApiError::internal(format!("encoding categories: {e}")))?,
                        form_version: loaded.view.item.form_version,
                        answers_json: serde_json::to_string(&answers)
                            .map_err(|e| ApiError::internal(format!("encoding answers: {e}")))?,
                    }),
                    loaded.categories,
                ),
            }
        }
        None if !input.answers.is_empty() => {
            return Err(ApiError::Validation(ValidationErrors(vec![
                FieldError::new("answers", FieldErrorCode::UnknownField, None),
            ])));
        }
        None => (Priority::Normal, None, Vec::new()),
    };
    let request = request.map_err(ApiError::Validation)?;

    // Validation ran first, so an unknown organisation is only found out here, together with
    // the caller's rate-limit count and the key's stored answer (one round trip).
    let now = config.now();
    let ip = client_ip(&req);
    let bump = db::limits::bump_sql(
        Caller::AddressAtOrg {
            ip: &ip,
            org_slug: slug.as_str(),
        },
        rate_limit::window_start(now.unix_ms),
    );
    let idempotent = match key {
        Some(key) => Some(Idempotent::new(
            key,
            format!("requester:{}", request.requester_email.as_str()),
            "POST",
            &req.path(),
            &raw,
            &now,
            &config.seal_pepper,
        )?),
        None => None,
    };
    let key_org = KeyOrg::Slug(slug.as_str());
    let find = idempotent
        .as_ref()
        .map(|i| db::idempotency::find_sql(i.key_ref(key_org), &now.rfc3339));
    let before = db::tickets::before_create(&config.db, &slug, &bump, find.as_ref()).await?;
    let org = before.org.ok_or(ApiError::NotFound)?;
    rate_limit::check(
        before.hits,
        config.rate_limits.anonymous_per_minute,
        now.unix_ms,
    )?;
    if let (Some(idempotent), Some(stored)) = (&idempotent, before.stored) {
        // The ticket and its key are one batch, so a stored key always has its answer.
        return idempotent
            .replay(stored, Some("tracking_token"))?
            .ok_or_else(|| ApiError::internal("a request key without its answer"));
    }
    let form_age_now = config.widget_now(&slug).unix_ms;
    let (channel, widget) = super::widget::admit(&req, &input, &org, &slug, form_age_now)?;
    // The clocks start with the ticket (at its catalog or default priority, untagged).
    open_ticket(
        config,
        &now,
        Opening {
            org: &slug,
            org_id: &org.id,
            policies: &org.policies,
            request: &request,
            facts: TicketFacts {
                priority,
                status: TicketStatus::New,
                channel,
                tags: &[],
                categories: &categories,
                created_at: now.instant,
                agent_replied_before: false,
            },
            catalog,
            widget,
        },
        idempotent.as_ref(),
        key_org,
        |_| Ok(Vec::new()),
        ApiError::NotFound,
    )
    .await
}

/// A ticket about to be opened: whose, for what, and the facts its clocks start from.
struct Opening<'a> {
    org: &'a OrgSlug,
    org_id: &'a str,
    policies: &'a [LoadedPolicy],
    request: &'a NewRequest,
    facts: TicketFacts<'a>,
    catalog: Option<CatalogSubmission>,
    widget: Option<WidgetSource>,
}

/// Opens a ticket, for a new request and for a follow-up alike: starts its clocks under the
/// organisation's policies, gives it ids and a tracking token (shown only in this answer), and
/// stores it with the statements `links(new id)` gives and the idempotency key's answer in one
/// D1 batch. `201` with the new request; `gone` if the organisation vanished meanwhile.
async fn open_ticket(
    config: &Config,
    now: &Now,
    opening: Opening<'_>,
    idempotent: Option<&Idempotent>,
    key_org: KeyOrg<'_>,
    links: impl FnOnce(&str) -> Result<Vec<Sql>, ApiError>,
    gone: ApiError,
) -> Result<Response, ApiError> {
    let facts = &opening.facts;
    let sla_update = update(
        &choices(opening.policies),
        &SlaState::default(),
        facts,
        &[Happening::Created],
        now.instant,
    );
    let sla = SlaWrite::from_update(&sla_update, || clock::new_id(now))?;
    let token = TrackingToken::from_random(clock::random_bytes()?);
    let ticket = NewTicket {
        id: TicketId::from_parts(now.unix_ms, clock::random_u128()?),
        // Audit events have ULIDs too; core's ULID newtype is (for now) the ticket id's.
        event_id: TicketId::from_parts(now.unix_ms, clock::random_u128()?),
        org: opening.org,
        request: opening.request,
        channel: facts.channel,
        tracking_token_hash: token.hash(),
        now: &now.rfc3339,
        change_id: clock::new_id(now)?,
        org_id: opening.org_id,
        sla,
        priority: facts.priority,
        catalog: opening.catalog,
        widget: opening.widget,
    };
    let id = ticket.id.to_string();
    let location = format!("/api/v1/requests/{id}");
    let mut extra = links(&id)?;
    let answer = idempotent.map(|i| {
        i.answer(
            key_org,
            201,
            StoredBody::NewTicket {
                id: id.clone(),
                created_at: now.rfc3339.clone(),
            },
            serde_json::json!({ "location": location }),
            Some(token.expose()),
            &now.rfc3339,
        )
    });
    extra.extend(idempotent::store(answer, &Guard::Always));
    let created = db::tickets::create(&config.db, &ticket, &extra)
        .await?
        .ok_or(gone)?;
    let mut response = json(
        201,
        &CreatedRequest {
            id,
            reference: created.reference,
            status: TicketStatus::New,
            tracking_token: token.expose().to_owned(),
            created_at: now.rfc3339.clone(),
        },
    )?;
    response.headers_mut().set("location", &location)?;
    Ok(response)
}

/// An unknown or inactive catalog item is a field error, so the form can say which.
fn unknown_item() -> ApiError {
    ApiError::Validation(ValidationErrors(vec![FieldError::new(
        "catalog_item",
        FieldErrorCode::NotAnOption,
        None,
    )]))
}

/// `GET /api/v1/requests/{id}` with the tracking token header: the request and what the desk
/// promised. A malformed id, a missing or wrong token and an unknown ticket are all one 404.
pub async fn get(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, id) = (&ctx.req, ctx.config, ctx.params.get("id")?);
    let (id, token) = requester_key(req, id)?;
    let (mut view, clocks) = db::tickets::find_for_requester(&config.db, &id, &token.hash())
        .await?
        .ok_or(ApiError::NotFound)?;
    let now = config.now().instant;
    // A kept promise (the first response came, the request was solved) is no longer something
    // to expect: only running clocks are shown.
    view.promises = clocks
        .clocks
        .iter()
        .filter(|(_, clock, _)| clock.is_running())
        .map(|(_, clock, _)| promise(clock, now))
        .collect();
    json(200, &view)
}

/// The ticket id and tracking token of a requester route. A malformed id and a missing or
/// malformed token are a 404, like a wrong token: nothing tells them apart.
fn requester_key(req: &Request, id: &str) -> Result<(TicketId, TrackingToken), ApiError> {
    let id = TicketId::parse(id).map_err(|_| ApiError::NotFound)?;
    let token = req
        .headers()
        .get(TRACKING_TOKEN_HEADER)?
        .and_then(|raw| TrackingToken::parse(raw.trim()).ok())
        .ok_or(ApiError::NotFound)?;
    Ok((id, token))
}

/// `GET /api/v1/requests/{id}/timeline` with the tracking token header: the public replies
/// (the desk's and the requester's) and the status changes, oldest first, in one D1 round trip.
/// Internal notes and other internal events never appear. 404 as for the request itself.
pub async fn timeline(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, id) = (&ctx.req, ctx.config, ctx.params.get("id")?);
    let (id, token) = requester_key(req, id)?;
    let entries = db::timeline::for_requester(&config.db, &id, &token.hash())
        .await?
        .ok_or(ApiError::NotFound)?;
    json(200, &entries)
}

/// The requester's ticket, found by id and tracking token (404 otherwise).
async fn own_ticket(
    req: &Request,
    config: &Config,
    id: &str,
) -> Result<db::tickets::TicketRow, ApiError> {
    let (id, token) = requester_key(req, id)?;
    db::tickets::find_by_tracking_token(&config.db, &id, &token.hash())
        .await?
        .ok_or(ApiError::NotFound)
}

/// `GET /api/v1/requests/{id}/comments`: the public conversation; internal notes never appear.
pub async fn comments(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, id) = (&ctx.req, ctx.config, ctx.params.get("id")?);
    let ticket = own_ticket(req, config, id).await?;
    json(
        200,
        &db::comments::list(&config.db, &ticket.org_id, &ticket.id, true).await?,
    )
}

/// `POST /api/v1/requests/{id}/replies`: the requester answers. A waiting or solved ticket
/// goes back to the agents (open); a closed one is final, so the reply becomes a follow-up
/// request (see [`follow_up`]).
///
/// Counted against the client address's rate limit; with an `Idempotency-Key` (scoped to the
/// ticket) a retry gets the first answer instead of a second reply.
pub async fn reply(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config, id) = (ctx.req, ctx.config, ctx.params.get("id")?);
    let idempotency_key = idempotent::key_of(&req)?;
    let (input, raw): (ReplyInput, _) = read_json_raw(&mut req).await?;
    let body = DESCRIPTION_RULE
        .parse("body", &input.body)
        .map_err(|e| ApiError::Validation(ValidationErrors(vec![e])))?;
    let (ticket_id, token) = requester_key(&req, id)?;
    let token_hash = token.hash();
    let ticket_id_text = ticket_id.to_string();
    let key = TicketKey::Requester {
        id: &ticket_id,
        token_hash: &token_hash,
    };
    let key_org = KeyOrg::Ticket {
        id: &ticket_id_text,
        token_hash: &token_hash,
    };
    let ip = client_ip(&req);
    let first_now = config.now();
    let idempotent = match idempotency_key {
        Some(k) => Some(Idempotent::new(
            k,
            format!("ticket:{ticket_id_text}"),
            "POST",
            &req.path(),
            &raw,
            &first_now,
            &config.seal_pepper,
        )?),
        None => None,
    };
    // The organisation's slug, read with the first load, in case the reply opens a follow-up.
    let mut slug = None;
    // Agents (and the SLA sweep) may change the ticket meanwhile; a requester should not see
    // a 412 for that.
    for attempt in 0..3 {
        // The first read also counts the request and looks up its key (same round trip).
        let also = if attempt == 0 {
            AlsoRead {
                hits: Some(db::limits::bump_sql(
                    Caller::AddressAtTicket {
                        ip: &ip,
                        ticket_id: &ticket_id_text,
                        token_hash: &token_hash,
                    },
                    rate_limit::window_start(first_now.unix_ms),
                )),
                org_slug: Some(db::orgs::slug_of_ticket_sql(&ticket_id_text, &token_hash)),
                stored_answer: idempotent
                    .as_ref()
                    .map(|i| db::idempotency::find_sql(i.key_ref(key_org), &first_now.rfc3339)),
                ..AlsoRead::default()
            }
        } else {
            AlsoRead::default()
        };
        let (loaded, found) = db::tickets::load_with(&config.db, key, true, &also).await?;
        let loaded = loaded.ok_or(ApiError::NotFound)?;
        if attempt == 0 {
            rate_limit::check(
                found.hits,
                config.rate_limits.anonymous_per_minute,
                first_now.unix_ms,
            )?;
            slug = found.org_slug;
            if let (Some(i), Some(stored)) = (&idempotent, found.stored_answer) {
                // A follow-up's answer carries its tracking token, sealed with the key.
                return i
                    .replay(stored, Some("tracking_token"))?
                    .ok_or_else(|| ApiError::internal("a reply key without its answer"));
            }
        }
        let ticket = &loaded.row;
        let fields = match ticket.status.on_requester_reply() {
            ReplyEffect::FollowUp => {
                let slug = match slug.take() {
                    Some(slug) => slug,
                    // Closed between two attempts: the slug was not read with this load.
                    None => db::orgs::slug_of(&config.db, &ticket.org_id)
                        .await?
                        .ok_or_else(|| ApiError::internal("a ticket without its organisation"))?,
                };
                return follow_up(config, &loaded, &slug, &body, idempotent.as_ref(), key_org)
                    .await;
            }
            ReplyEffect::Status(to) if to != ticket.status => {
                vec![FieldChange::Status(ticket.status, to)]
            }
            ReplyEffect::Status(_) => Vec::new(),
        };
        let now = config.now();
        let mut happenings = vec![Happening::RequesterReplied];
        let mut status = ticket.status;
        if let Some(FieldChange::Status(from, to)) = fields.first() {
            happenings.push(Happening::StatusChanged {
                from: *from,
                to: *to,
            });
            status = *to;
        }
        let facts = ticket_sla::facts(ticket, ticket.priority, status, &loaded.tags, &now);
        let (_, sla) = ticket_sla::change(&loaded, &facts, &happenings, &now)?;
        let comment_id = clock::new_id(&now)?;
        let event_ids = clock::new_ids(&now, 1 + fields.len())?;
        let change = Change {
            org_id: &ticket.org_id,
            ticket_id: &ticket.id,
            expected_version: ticket.version,
            fields,
            comment: Some(NewComment {
                id: &comment_id,
                body: &body,
                public: true,
            }),
            actor: Actor {
                kind: "requester",
                id: &ticket.requester_email,
            },
            now: &now.rfc3339,
            event_ids,
            change_id: clock::new_id(&now)?,
            sla: Some(sla),
        };
        let comment = CommentView {
            id: comment_id.clone(),
            author_kind: "requester".to_owned(),
            body: body.clone(),
            public: true,
            created_at: now.rfc3339.clone(),
        };
        let answer = match &idempotent {
            Some(i) => Some(i.answer(
                key_org,
                201,
                StoredBody::Json(db::to_json(&comment)?),
                serde_json::json!({}),
                None,
                &now.rfc3339,
            )),
            None => None,
        };
        let guard = Guard::TicketChanged {
            org_id: &ticket.org_id,
            ticket_id: &ticket.id,
            change_id: &change.change_id,
        };
        let extra = idempotent::store(answer, &guard);
        if let ChangeOutcome::Applied(_) = db::tickets::apply(&config.db, &change, &extra).await? {
            return json(201, &comment);
        }
    }
    Err(ApiError::Conflict(
        "The request is changing right now; please send your reply again.".to_owned(),
    ))
}

/// A requester's reply to a closed ticket: a new ticket that follows it up (same requester,
/// channel and organisation, subject `Re: <subject>`, the reply as its description) with its
/// own tracking token, answered `201` like a new request. The closed ticket stays closed; both
/// audit trails record the link, in the new ticket's atomic batch.
async fn follow_up(
    config: &Config,
    loaded: &db::tickets::LoadedTicket,
    slug: &OrgSlug,
    body: &str,
    idempotent: Option<&Idempotent>,
    key_org: KeyOrg<'_>,
) -> Result<Response, ApiError> {
    let closed = &loaded.row;
    let request = NewRequest::parse(&NewRequestInput {
        requester_name: closed.requester_name.clone(),
        requester_email: closed.requester_email.clone(),
        subject: edgedesk_core::request::follow_up_subject(&closed.subject),
        description: body.to_owned(),
        ..NewRequestInput::default()
    })
    .map_err(ApiError::Validation)?;
    let now = config.now();
    open_ticket(
        config,
        &now,
        Opening {
            org: slug,
            org_id: &closed.org_id,
            policies: &loaded.policies,
            request: &request,
            facts: TicketFacts {
                priority: Priority::Normal,
                status: TicketStatus::New,
                channel: closed.channel,
                tags: &[],
                categories: &[],
                created_at: now.instant,
                agent_replied_before: false,
            },
            catalog: None,
            widget: None,
        },
        idempotent,
        key_org,
        |id| {
            let event_ids = clock::new_ids(&now, 2)?;
            Ok(db::tickets::follow_up_sql(
                &closed.org_id,
                id,
                &closed.id,
                &closed.requester_email,
                [&event_ids[0], &event_ids[1]],
                &now.rfc3339,
            ))
        },
        ApiError::internal("the follow-up's organisation vanished"),
    )
    .await
}
