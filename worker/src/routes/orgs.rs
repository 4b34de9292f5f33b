//! Public organisation routes: the portal's default organisation and an organisation's profile.

use edgedesk_core::OrgSlug;
use edgedesk_core::api::OrgPublic;
use serde::Serialize;
use worker::Response;

use super::Ctx;
use crate::db;
use crate::error::ApiError;
use crate::http::json;

/// Body of `GET /api/v1/portal`: which organisation the portal opens with. (A wire type the
/// portal also reads: it belongs in `edgedesk_core::api` once core takes it.)
#[derive(Serialize)]
struct PortalSettings<'a> {
    default_org: &'a str,
}

/// `GET /api/v1/portal`.
pub async fn portal(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let config = ctx.config;
    json(
        200,
        &PortalSettings {
            default_org: config.default_org.as_str(),
        },
    )
}

/// `GET /api/v1/orgs/{org}`; a malformed slug cannot name an organisation, so it is 404 too.
pub async fn get(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (config, org) = (ctx.config, ctx.params.get("org")?);
    let slug = OrgSlug::parse(org).map_err(|_| ApiError::NotFound)?;
    let org: OrgPublic = db::orgs::find_public(&config.db, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(200, &org)
}
