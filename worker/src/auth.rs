//! Who is calling: API tokens (`Authorization: Bearer edk_…`) resolved to an organisation and a role.

use edgedesk_core::ApiSecret;
use edgedesk_core::api::Role;
use worker::Request;

use crate::config::Config;
use crate::db;
use crate::error::ApiError;

/// An authenticated caller. Every agent/admin query is scoped by `org_id`.
pub struct Principal {
    pub token_id: String,
    pub org_id: String,
}

/// Authenticates the request's bearer token and checks that its role allows `needed`.
///
/// # Errors
/// 401 for a missing, malformed, unknown or revoked token; 429 past the token's rate limit;
/// 403 for a role that is too low.
pub async fn require(req: &Request, config: &Config, needed: Role) -> Result<Principal, ApiError> {
    let header = req
        .headers()
        .get("authorization")?
        .ok_or(ApiError::Unauthorized)?;
    let (scheme, token) = header
        .trim()
        .split_once(' ')
        .ok_or(ApiError::Unauthorized)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::Unauthorized);
    }
    let secret = ApiSecret::parse(token.trim()).map_err(|_| ApiError::Unauthorized)?;
    let now = config.now();
    let window = crate::rate_limit::window_start(now.unix_ms);
    let (owner, hits) =
        db::tokens::authenticate(&config.db, &secret.hash(), &now.rfc3339, window).await?;
    let owner = owner.ok_or(ApiError::Unauthorized)?;
    crate::rate_limit::check(hits, config.rate_limits.agent_per_minute, now.unix_ms)?;
    if !owner.role.allows(needed) {
        return Err(ApiError::Forbidden);
    }
    Ok(Principal {
        token_id: owner.id,
        org_id: owner.org_id,
    })
}
