//! Admin routes for webhook endpoints (`/api/v1/admin/webhooks`): where SLA notifications are
//! delivered, signed with each endpoint's secret (shown once, at creation).

use base64::Engine as _;
use edgedesk_core::api::{CreatedWebhook, Role, WebhookInput};
use edgedesk_core::{FieldError, FieldErrorCode, ValidationErrors, webhook};
use worker::Response;

use super::Ctx;
use crate::auth;
use crate::clock;
use crate::db;
use crate::db::webhooks::NewEndpoint;
use crate::error::ApiError;
use crate::http::{json, no_content, read_json};

/// Checks the input: a valid URL, and a secret of 16–200 printable ASCII characters if given.
fn parse(input: &WebhookInput) -> Result<(String, Option<String>), ApiError> {
    let mut errors = ValidationErrors::default();
    let url = errors.collect(webhook::parse_url(&input.url));
    let secret = match input.secret.as_deref().map(str::trim) {
        None => None,
        Some(secret) if secret.len() < 16 => {
            errors.push(FieldError::new(
                "secret",
                FieldErrorCode::TooShort,
                Some(16),
            ));
            None
        }
        Some(secret) if secret.len() > 200 => {
            errors.push(FieldError::new(
                "secret",
                FieldErrorCode::TooLong,
                Some(200),
            ));
            None
        }
        Some(secret) if !secret.bytes().all(|b| b.is_ascii_graphic()) => {
            errors.push(FieldError::new(
                "secret",
                FieldErrorCode::InvalidCharacters,
                None,
            ));
            None
        }
        Some(secret) => Some(secret.to_owned()),
    };
    match url {
        Some(url) if errors.is_empty() => Ok((url, secret)),
        _ => Err(ApiError::Validation(errors)),
    }
}

fn path_id(raw: &str) -> Result<&str, ApiError> {
    edgedesk_core::TicketId::parse(raw)
        .map(|_| raw)
        .map_err(|_| ApiError::NotFound)
}

/// `GET /api/v1/admin/webhooks`.
pub async fn list(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config) = (&ctx.req, ctx.config);
    let principal = auth::require(req, config, Role::Admin).await?;
    json(
        200,
        &db::webhooks::list(&config.db, &principal.org_id).await?,
    )
}

/// `POST /api/v1/admin/webhooks`: the signing secret is in this response and nowhere else.
pub async fn create(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config) = (ctx.req, ctx.config);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let input: WebhookInput = read_json(&mut req).await?;
    let (url, secret) = parse(&input)?;
    let secret = match secret {
        Some(secret) => secret,
        None => format!(
            "whsec_{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(clock::random_bytes::<32>()?)
        ),
    };
    let now = config.now();
    let id = clock::new_id(&now)?;
    let webhook = db::webhooks::create(
        &config.db,
        &NewEndpoint {
            id: &id,
            org_id: &principal.org_id,
            url: &url,
            secret: &secret,
            active: input.active.unwrap_or(true),
            now: &now.rfc3339,
        },
    )
    .await?;
    json(201, &CreatedWebhook { webhook, secret })
}

/// `GET /api/v1/admin/webhooks/{id}`.
pub async fn get(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, id) = (&ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(req, config, Role::Admin).await?;
    let view = db::webhooks::get(&config.db, &principal.org_id, path_id(id)?)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(200, &view)
}

/// `PUT /api/v1/admin/webhooks/{id}`: url and active flag; the secret only if given.
pub async fn put(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config, id) = (ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let id = path_id(id)?;
    let input: WebhookInput = read_json(&mut req).await?;
    let (url, secret) = parse(&input)?;
    let view = db::webhooks::update(
        &config.db,
        &principal.org_id,
        id,
        &url,
        secret.as_deref(),
        input.active.unwrap_or(true),
        &config.now().rfc3339,
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    json(200, &view)
}

/// `DELETE /api/v1/admin/webhooks/{id}`: also drops its undelivered notifications.
pub async fn delete(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, id) = (&ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(req, config, Role::Admin).await?;
    if db::webhooks::delete(&config.db, &principal.org_id, path_id(id)?).await? {
        no_content()
    } else {
        Err(ApiError::NotFound)
    }
}
