//! Requester routes: submit a request to an organisation, read it back with the tracking token.

use edgedesk_core::api::{CreatedRequest, TRACKING_TOKEN_HEADER};
use edgedesk_core::{
    Channel, NewRequest, NewRequestInput, OrgSlug, TicketId, TicketStatus, TrackingToken,
};
use worker::{Request, Response};

use crate::clock;
use crate::config::Config;
use crate::db;
use crate::db::tickets::NewTicket;
use crate::error::ApiError;
use crate::http::{json, read_json};

/// `POST /api/v1/orgs/{org}/requests`: 201 with the tracking token, shown only this once.
pub async fn create(mut req: Request, config: &Config, org: &str) -> Result<Response, ApiError> {
    let slug = OrgSlug::parse(org).map_err(|_| ApiError::NotFound)?;
    let input: NewRequestInput = read_json(&mut req).await?;
    let request = NewRequest::parse(&input).map_err(ApiError::Validation)?;

    let now = clock::now();
    let token = TrackingToken::from_random(clock::random_bytes()?);
    let ticket = NewTicket {
        id: TicketId::from_parts(now.unix_ms, clock::random_u128()?),
        // Audit events have ULIDs too; core's ULID newtype is (for now) the ticket id's.
        event_id: TicketId::from_parts(now.unix_ms, clock::random_u128()?),
        org: &slug,
        request: &request,
        channel: Channel::Portal,
        tracking_token_hash: token.hash(),
        now: &now.rfc3339,
    };
    // Validation ran first, so an unknown organisation is only found out here (no extra lookup).
    let created = db::tickets::create(&config.db, &ticket)
        .await?
        .ok_or(ApiError::NotFound)?;

    let id = ticket.id.to_string();
    let mut response = json(
        201,
        &CreatedRequest {
            id: id.clone(),
            reference: created.reference,
            status: TicketStatus::New,
            tracking_token: token.expose().to_owned(),
            created_at: now.rfc3339.clone(),
        },
    )?;
    response
        .headers_mut()
        .set("location", &format!("/api/v1/requests/{id}"))?;
    Ok(response)
}

/// `GET /api/v1/requests/{id}` with the tracking token header. A malformed id, a missing or
/// wrong token and an unknown ticket are all the same 404.
pub async fn get(req: &Request, config: &Config, id: &str) -> Result<Response, ApiError> {
    let id = TicketId::parse(id).map_err(|_| ApiError::NotFound)?;
    let token = req
        .headers()
        .get(TRACKING_TOKEN_HEADER)?
        .and_then(|raw| TrackingToken::parse(raw.trim()).ok())
        .ok_or(ApiError::NotFound)?;
    let view = db::tickets::find_for_requester(&config.db, &id, &token.hash())
        .await?
        .ok_or(ApiError::NotFound)?;
    json(200, &view)
}
