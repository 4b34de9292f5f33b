//! Who is calling: API tokens (`Authorization: Bearer edk_…`) resolved to an organisation and a role.

use chrono::{DateTime, TimeDelta, Utc};
use edgedesk_core::ApiSecret;
use edgedesk_core::api::Role;
use edgedesk_core::sla::parse_instant;
use worker::Request;

use crate::config::Config;
use crate::db;
use crate::error::ApiError;

/// A token's `last_used_at` is written again only once it is this old: an agent's console
/// polling every few seconds must not turn each read into a write.
pub const LAST_USE_RESOLUTION_MINUTES: i64 = 10;

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
    let owner = db::tokens::authenticate(&config.db, &secret.hash())
        .await?
        .ok_or(ApiError::Unauthorized)?;
    crate::rate_limit::check_token(config, &owner.id).await?;
    if !owner.role.allows(needed) {
        return Err(ApiError::Forbidden);
    }
    let now = config.now();
    if use_is_stale(owner.last_used_at.as_deref(), now.instant) {
        db::tokens::record_use(&config.db, &owner.org_id, &owner.id, &now.rfc3339).await?;
    }
    Ok(Principal {
        token_id: owner.id,
        org_id: owner.org_id,
    })
}

/// Whether a token last recorded as used at `last_used_at` should be recorded again at `now`.
fn use_is_stale(last_used_at: Option<&str>, now: DateTime<Utc>) -> bool {
    last_used_at
        .and_then(parse_instant)
        .is_none_or(|last| now - last >= TimeDelta::minutes(LAST_USE_RESOLUTION_MINUTES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_recorded_as_used_at_most_once_per_resolution() {
        let now = parse_instant("2026-12-04T10:20:00.000Z").expect("instant");
        assert!(use_is_stale(None, now), "never recorded");
        assert!(!use_is_stale(Some("2026-12-04T10:11:00.000Z"), now));
        assert!(use_is_stale(Some("2026-12-04T10:10:00.000Z"), now));
        assert!(
            use_is_stale(Some("garbage"), now),
            "unreadable: write it again"
        );
    }
}
