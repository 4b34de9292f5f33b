//! Admin routes for people: list, read and change them (deactivation included), invitations,
//! and one-time sign-in links.

use chrono::TimeDelta;
use edgedesk_core::api::Role;
use edgedesk_core::people::{CreatedLink, NewPersonInput, PersonPatch, email_key};
use edgedesk_core::{PersonSecret, SecretKind};
use worker::Response;

use super::Ctx;
use crate::auth;
use crate::clock;
use crate::db;
use crate::db::people::{NewInvitation, NewLink, NewPerson, PatchOutcome};
use crate::error::ApiError;
use crate::http::{json, own_origin, read_json};

/// How long an invitation's link works.
const INVITATION_HOURS: i64 = 72;
/// How long a sign-in link works.
const SIGN_IN_LINK_MINUTES: i64 = 15;

/// `GET /api/v1/admin/people`.
pub async fn list(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let principal = auth::require(&ctx.req, ctx.config, Role::Admin).await?;
    json(
        200,
        &db::people::list(&ctx.config.db, &principal.org_id).await?,
    )
}

/// `POST /api/v1/admin/people`: a person added directly (they sign in with a link an admin
/// makes for them, and may then add a passkey).
pub async fn create(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config) = (ctx.req, ctx.config);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let input: NewPersonInput = read_json(&mut req).await?;
    let person = input.parse().map_err(ApiError::Validation)?;
    let now = config.now();
    let id = clock::new_id(&now)?;
    let created = db::people::create(
        &config.db,
        &NewPerson {
            id: &id,
            org_id: &principal.org_id,
            name: &person.name,
            email: person.email.as_str(),
            email_key: &email_key(&person.email),
            role: person.role,
            now: &now.rfc3339,
        },
    )
    .await?
    .ok_or_else(email_taken)?;
    let mut response = json(201, &created)?;
    response
        .headers_mut()
        .set("location", &format!("/api/v1/admin/people/{id}"))?;
    Ok(response)
}

fn email_taken() -> ApiError {
    ApiError::Conflict("A person of the organisation already has this email address.".into())
}

/// `GET /api/v1/admin/people/{id}`.
pub async fn get(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (config, id) = (ctx.config, ctx.params.get("id")?);
    let principal = auth::require(&ctx.req, config, Role::Admin).await?;
    let person = db::people::get(&config.db, &principal.org_id, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(200, &person)
}

/// `PATCH /api/v1/admin/people/{id}`: deactivating ends their sessions and stops their tokens
/// at once; the last active admin stays one (409).
pub async fn patch(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config, id) = (ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let patch: PersonPatch = read_json(&mut req).await?;
    let change = patch.parse().map_err(ApiError::Validation)?;
    let now = config.now();
    match db::people::patch(&config.db, &principal.org_id, id, &change, &now.rfc3339).await? {
        PatchOutcome::Changed(person) => json(200, &*person),
        PatchOutcome::NotFound => Err(ApiError::NotFound),
        PatchOutcome::LastAdmin => Err(ApiError::Conflict(
            "This is the organisation's last active admin: make another person an admin first."
                .to_owned(),
        )),
        PatchOutcome::EmailTaken => Err(email_taken()),
    }
}

/// `POST /api/v1/admin/people/{id}/sign-in-links`: a single-use link, valid 15 minutes, for a
/// person without a passkey at hand. Its secret is in this answer only; the desk keeps a hash.
pub async fn sign_in_link(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, id) = (&ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(req, config, Role::Admin).await?;
    let now = config.now();
    let link_id = clock::new_id(&now)?;
    let secret = PersonSecret::from_random(SecretKind::SignInLink, clock::random_bytes()?);
    let expires_at = now.plus(TimeDelta::minutes(SIGN_IN_LINK_MINUTES));
    let made = db::people::create_link(
        &config.db,
        &NewLink {
            id: &link_id,
            org_id: &principal.org_id,
            person_id: id,
            secret_hash: &secret.hash(),
            created_by: principal.actor_id(),
            now: &now.rfc3339,
            expires_at: &expires_at,
        },
    )
    .await?;
    if !made {
        return Err(ApiError::NotFound);
    }
    json(
        201,
        &CreatedLink {
            id: link_id,
            url: format!(
                "{}/agent/sign-in#{}",
                own_origin(&req.inner().url()),
                secret.expose()
            ),
            expires_at,
        },
    )
}

/// `GET /api/v1/admin/invitations`.
pub async fn invitations(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let config = ctx.config;
    let principal = auth::require(&ctx.req, config, Role::Admin).await?;
    let now = config.now();
    json(
        200,
        &db::people::invitations(&config.db, &principal.org_id, &now.rfc3339).await?,
    )
}

/// `POST /api/v1/admin/invitations`: a single-use link, valid 72 hours, with which the person
/// registers a passkey and joins. Its secret is in this answer only.
pub async fn invite(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config) = (ctx.req, ctx.config);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let input: NewPersonInput = read_json(&mut req).await?;
    let invitation = input.parse().map_err(ApiError::Validation)?;
    let now = config.now();
    let id = clock::new_id(&now)?;
    let secret = PersonSecret::from_random(SecretKind::Invitation, clock::random_bytes()?);
    let expires_at = now.plus(TimeDelta::hours(INVITATION_HOURS));
    let view = db::people::invite(
        &config.db,
        &NewInvitation {
            id: &id,
            org_id: &principal.org_id,
            email: invitation.email.as_str(),
            email_key: &email_key(&invitation.email),
            name: &invitation.name,
            role: invitation.role,
            secret_hash: &secret.hash(),
            created_by: principal.actor_id(),
            now: &now.rfc3339,
            expires_at: &expires_at,
        },
    )
    .await?
    .ok_or_else(email_taken)?;
    json(
        201,
        &CreatedLink {
            id: view.id,
            url: format!(
                "{}/agent/invitation#{}",
                own_origin(&req.inner().url()),
                secret.expose()
            ),
            expires_at: view.expires_at,
        },
    )
}

/// `DELETE /api/v1/admin/invitations/{id}`: a pending invitation's link stops working.
pub async fn revoke_invitation(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (config, id) = (ctx.config, ctx.params.get("id")?);
    let principal = auth::require(&ctx.req, config, Role::Admin).await?;
    let now = config.now();
    let revoked = db::people::revoke_invitation(&config.db, &principal.org_id, id, &now.rfc3339)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(200, &revoked)
}
