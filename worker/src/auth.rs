//! Who is calling: an API token (`Authorization: Bearer edk_…`) or a signed-in person's
//! session cookie, resolved to an organisation, an actor and a role — one authorisation layer
//! for both.

use chrono::{DateTime, TimeDelta, Utc};
use edgedesk_core::api::Role;
use edgedesk_core::people::SESSION_COOKIE;
use edgedesk_core::sla::parse_instant;
use edgedesk_core::{ApiSecret, PersonSecret, SecretKind};
use worker::Request;

use crate::clock::Now;
use crate::config::Config;
use crate::db;
use crate::error::ApiError;

/// A token's `last_used_at` and a session's `seen_at` are written again only once they are
/// this old: an agent's console polling every few seconds must not turn each read into a write.
pub const LAST_USE_RESOLUTION_MINUTES: i64 = 10;

/// An authenticated caller. Every agent/admin query is scoped by `org_id`.
#[derive(Debug, Clone)]
pub struct Principal {
    pub org_id: String,
    /// The role it acts with: a person's token has at most the person's role.
    pub role: Role,
    /// The person acting (through a session or their token); `None` for an integration.
    pub person_id: Option<String>,
    /// The token it authenticated with, if any.
    pub token_id: Option<String>,
    /// The session it authenticated with, if any.
    pub session_id: Option<String>,
}

impl Principal {
    /// Who the audit trail, comments and assignments name: the person, or the integration's
    /// token.
    #[must_use]
    pub fn actor_id(&self) -> &str {
        self.person_id
            .as_deref()
            .or(self.token_id.as_deref())
            .unwrap_or_default()
    }

    /// Whose idempotency keys these are: a token's own (as before people existed), else the
    /// person's.
    #[must_use]
    pub fn key_scope(&self) -> String {
        match (&self.token_id, &self.person_id) {
            (Some(token), _) => format!("token:{token}"),
            (None, Some(person)) => format!("person:{person}"),
            (None, None) => String::new(),
        }
    }
}

/// Authenticates the request (token or session) and checks that its role allows `needed`.
///
/// # Errors
/// 401 for missing, malformed, unknown, revoked or expired credentials; 403 for a session's
/// state-changing request from another origin, or a role that is too low; 429 past the
/// caller's rate limit.
pub async fn require(req: &Request, config: &Config, needed: Role) -> Result<Principal, ApiError> {
    let principal = authenticate(req, config).await?;
    if !principal.role.allows(needed) {
        return Err(ApiError::Forbidden);
    }
    Ok(principal)
}

/// Who is calling, whatever their role.
///
/// # Errors
/// As [`require`], without the role check.
pub async fn authenticate(req: &Request, config: &Config) -> Result<Principal, ApiError> {
    if let Some(header) = req.headers().get("authorization")? {
        return token(&header, config).await;
    }
    match session_secret(req)? {
        Some(secret) => session(req, &secret, config).await,
        None => Err(ApiError::Unauthorized),
    }
}

async fn token(header: &str, config: &Config) -> Result<Principal, ApiError> {
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
    let now = config.now();
    if use_is_stale(owner.last_used_at.as_deref(), now.instant) {
        db::tokens::record_use(&config.db, &owner.org_id, &owner.id, &now.rfc3339).await?;
    }
    Ok(Principal {
        org_id: owner.org_id,
        role: owner.role,
        person_id: owner.person_id,
        token_id: Some(owner.id),
        session_id: None,
    })
}

async fn session(
    req: &Request,
    secret: &PersonSecret,
    config: &Config,
) -> Result<Principal, ApiError> {
    check_same_origin(req)?;
    let now = config.now();
    let owner = db::people::authenticate_session(
        &config.db,
        &secret.hash(),
        &now.rfc3339,
        &idle_since(&now),
    )
    .await?
    .ok_or(ApiError::Unauthorized)?;
    crate::rate_limit::check_token(config, &owner.person_id).await?;
    if use_is_stale(Some(&owner.seen_at), now.instant) {
        db::people::touch_session(&config.db, &owner.org_id, &owner.id, &now.rfc3339).await?;
    }
    Ok(Principal {
        org_id: owner.org_id,
        role: owner.role,
        person_id: Some(owner.person_id),
        token_id: None,
        session_id: Some(owner.id),
    })
}

/// The instant before which an unused session has ended (12 hours idle).
#[must_use]
pub fn idle_since(now: &Now) -> String {
    crate::clock::rfc3339(now.instant - TimeDelta::hours(db::people::SESSION_IDLE_HOURS))
}

/// The session cookie's secret, if the request carries one. One that is not a session secret
/// at all is refused (401), never looked up.
///
/// # Errors
/// 401 for a malformed session cookie.
pub fn session_secret(req: &Request) -> Result<Option<PersonSecret>, ApiError> {
    let Some(cookies) = req.headers().get("cookie")? else {
        return Ok(None);
    };
    cookie_value(&cookies, SESSION_COOKIE)
        .map(|raw| {
            PersonSecret::parse(SecretKind::Session, raw).map_err(|_| ApiError::Unauthorized)
        })
        .transpose()
}

/// The value of cookie `name` in a `Cookie` header.
fn cookie_value<'h>(header: &'h str, name: &str) -> Option<&'h str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then(|| value.trim())
    })
}

/// Refuses a state-changing request made with a session cookie unless it comes from the
/// desk's own pages: its `Origin` must be the desk's (the cookie's `SameSite=Strict` already
/// keeps it off other sites' requests; this also stops a same-site sibling origin).
///
/// # Errors
/// 403 naming the missing or foreign origin.
pub fn check_same_origin(req: &Request) -> Result<(), ApiError> {
    let method = req.inner().method();
    if matches!(method.as_str(), "GET" | "HEAD" | "OPTIONS") {
        return Ok(());
    }
    let own = crate::http::own_origin(&req.inner().url());
    match req.headers().get("origin")? {
        Some(origin) if origin == own => {}
        _ => {
            return Err(ApiError::ForbiddenBecause(
                "a signed-in change must come from the desk's own pages (Origin)".into(),
            ));
        }
    }
    match req.headers().get("sec-fetch-site")?.as_deref() {
        None | Some("same-origin") => Ok(()),
        Some(_) => Err(ApiError::ForbiddenBecause(
            "a signed-in change must come from the desk's own pages (Sec-Fetch-Site)".into(),
        )),
    }
}

/// Whether a token or session last recorded as used at `last_used_at` should be recorded
/// again at `now`.
fn use_is_stale(last_used_at: Option<&str>, now: DateTime<Utc>) -> bool {
    last_used_at
        .and_then(parse_instant)
        .is_none_or(|last| now - last >= TimeDelta::minutes(LAST_USE_RESOLUTION_MINUTES))
}

/// The `Set-Cookie` value that stores a new session in the browser for `max_age_seconds`.
#[must_use]
pub fn session_cookie(secret: &PersonSecret, max_age_seconds: i64) -> String {
    format!(
        "{SESSION_COOKIE}={}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}",
        secret.expose()
    )
}

/// The `Set-Cookie` value that removes the session cookie.
#[must_use]
pub fn cleared_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0")
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

    #[test]
    fn the_session_cookie_is_found_among_others_by_its_exact_name() {
        let header =
            "theme=dark; __Host-edgedesk-session-old=x; __Host-edgedesk-session=eds_abc ;a=b";
        assert_eq!(cookie_value(header, SESSION_COOKIE), Some("eds_abc"));
        assert_eq!(cookie_value("theme=dark", SESSION_COOKIE), None);
    }

    #[test]
    fn the_session_cookie_is_host_only_secure_http_only_and_strict() {
        let secret = PersonSecret::from_random(SecretKind::Session, [1; 32]);
        let cookie = session_cookie(&secret, 604_800);
        assert!(cookie.starts_with("__Host-edgedesk-session=eds_"));
        for flag in [
            "Path=/",
            "Secure",
            "HttpOnly",
            "SameSite=Strict",
            "Max-Age=604800",
        ] {
            assert!(
                cookie.split("; ").any(|part| part == flag),
                "{flag} in {cookie}"
            );
        }
        assert!(!cookie.contains("Domain"));
        assert!(cleared_session_cookie().ends_with("Max-Age=0"));
    }
}
