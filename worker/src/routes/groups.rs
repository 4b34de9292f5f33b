//! Agent groups (`/api/v1/groups`): agents read them (to assign tickets), admins create,
//! replace and delete them.

use edgedesk_core::api::Role;
use edgedesk_core::group::{GroupInput, GroupSpec};
use edgedesk_core::{FieldError, FieldErrorCode, ValidationErrors};
use worker::Response;

use super::Ctx;
use crate::auth;
use crate::config::Config;
use crate::db;
use crate::db::groups::Deleted;
use crate::error::ApiError;
use crate::http::{json, no_content, read_json};

/// `GET /api/v1/groups`: every group with its members, by name.
pub async fn list(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config) = (&ctx.req, ctx.config);
    let principal = auth::require(req, config, Role::Agent).await?;
    json(200, &db::groups::list(&config.db, &principal.org_id).await?)
}

/// `GET /api/v1/groups/{slug}`.
pub async fn get(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, slug) = (&ctx.req, ctx.config, ctx.params.get("slug")?);
    let principal = auth::require(req, config, Role::Agent).await?;
    let view = db::groups::get(&config.db, &principal.org_id, slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(200, &view)
}

/// Checks the body and that every member is a live agent or admin of the organisation.
async fn checked(config: &Config, org_id: &str, input: &GroupInput) -> Result<GroupSpec, ApiError> {
    let spec = input.parse().map_err(ApiError::Validation)?;
    let unknown = db::groups::unknown_members(&config.db, org_id, &spec.members).await?;
    if unknown.is_empty() {
        Ok(spec)
    } else {
        Err(ApiError::Validation(ValidationErrors(
            unknown.iter().map(|id| input.unknown_member(id)).collect(),
        )))
    }
}

/// `POST /api/v1/groups`: a new group (`slug` in the body). A retry of the same create gets
/// 422 `duplicate_key` on `slug` and changes nothing.
pub async fn create(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config) = (ctx.req, ctx.config);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let input: GroupInput = read_json(&mut req).await?;
    let spec = checked(config, &principal.org_id, &input).await?;
    let view = db::groups::create(&config.db, &principal.org_id, &spec, &config.now().rfc3339)
        .await?
        .ok_or_else(|| {
            ApiError::Validation(ValidationErrors(vec![FieldError::new(
                "slug",
                FieldErrorCode::DuplicateKey,
                None,
            )]))
        })?;
    json(201, &view)
}

/// `PUT /api/v1/groups/{slug}`: name, description and the whole member list (the slug never
/// changes: tickets, catalog items and SLA escalations name it).
pub async fn put(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config, slug) = (ctx.req, ctx.config, ctx.params.get("slug")?);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let mut input: GroupInput = read_json(&mut req).await?;
    if !input.slug.is_empty() && input.slug.trim() != slug {
        return Err(ApiError::Conflict(
            "The body's slug differs from the path's: a group's slug never changes.".into(),
        ));
    }
    slug.clone_into(&mut input.slug);
    let spec = checked(config, &principal.org_id, &input).await?;
    let view = db::groups::replace(&config.db, &principal.org_id, &spec, &config.now().rfc3339)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(200, &view)
}

/// `DELETE /api/v1/groups/{slug}`: only a group nothing names any more.
pub async fn delete(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, slug) = (&ctx.req, ctx.config, ctx.params.get("slug")?);
    let principal = auth::require(req, config, Role::Admin).await?;
    match db::groups::delete(&config.db, &principal.org_id, slug).await? {
        Deleted::Yes => no_content(),
        Deleted::NoSuchGroup => Err(ApiError::NotFound),
        Deleted::InUse => Err(ApiError::Conflict(format!(
            "Group {slug} is still named by tickets, catalog items or SLA escalations: \
             move them to another group first."
        ))),
    }
}
