//! The signed-in person's own routes: who am I, my sessions, signing in with a one-time link
//! and signing out.

use chrono::TimeDelta;
use edgedesk_core::people::{Credential, LinkSignIn, Me, SignInMethod};
use edgedesk_core::{PersonSecret, SecretKind};
use worker::{Request, Response};

use super::Ctx;
use crate::auth;
use crate::clock;
use crate::config::Config;
use crate::db;
use crate::db::people::{NewSession, SESSION_DAYS, SignedIn};
use crate::error::ApiError;
use crate::http::{client_ip, json, no_content, read_json};

/// Longest `User-Agent` kept with a session (enough to tell devices apart).
const USER_AGENT_MAX: usize = 200;

/// `GET /api/v1/me`: the caller, whether a session or a token (any role).
pub async fn me(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let config = ctx.config;
    let principal = auth::authenticate(&ctx.req, config).await?;
    let (org, person) = db::people::org_and_person(
        &config.db,
        &principal.org_id,
        principal.person_id.as_deref(),
    )
    .await?;
    json(
        200,
        &Me {
            person,
            role: principal.role,
            org,
            via: if principal.session_id.is_some() {
                Credential::Session
            } else {
                Credential::Token
            },
        },
    )
}

/// `GET /api/v1/me/sessions`: the person's live sessions (a person's token sees them too).
pub async fn sessions(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let config = ctx.config;
    let principal = auth::authenticate(&ctx.req, config).await?;
    let person = principal.person_id.as_deref().ok_or(ApiError::NotFound)?;
    let now = config.now();
    let list = db::people::sessions(
        &config.db,
        &principal.org_id,
        person,
        &now.rfc3339,
        &auth::idle_since(&now),
        principal.session_id.as_deref(),
    )
    .await?;
    json(200, &list)
}

/// `DELETE /api/v1/me/sessions/{id}`: signs that browser out.
pub async fn end_session(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (config, id) = (ctx.config, ctx.params.get("id")?);
    let principal = auth::authenticate(&ctx.req, config).await?;
    let person = principal.person_id.as_deref().ok_or(ApiError::NotFound)?;
    let now = config.now();
    if !db::people::end_session(&config.db, &principal.org_id, person, id, &now.rfc3339).await? {
        return Err(ApiError::NotFound);
    }
    no_content()
}

/// `POST /api/v1/sign-out`: ends this browser's session and removes its cookie.
pub async fn sign_out(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let config = ctx.config;
    let principal = auth::authenticate(&ctx.req, config).await?;
    if let (Some(person), Some(session)) = (&principal.person_id, &principal.session_id) {
        let now = config.now();
        db::people::end_session(&config.db, &principal.org_id, person, session, &now.rfc3339)
            .await?;
    }
    let mut response = no_content()?;
    response
        .headers_mut()
        .set("set-cookie", &auth::cleared_session_cookie())?;
    Ok(response)
}

/// `POST /api/v1/sign-in/link`: uses a one-time sign-in link and opens a session. Whatever is
/// wrong with the link (unknown, used, expired, its person deactivated), the answer is the same.
pub async fn sign_in_with_link(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config) = (ctx.req, ctx.config);
    before_sign_in(&req, config).await?;
    let input: LinkSignIn = read_json(&mut req).await?;
    let link = PersonSecret::parse(SecretKind::SignInLink, input.token.trim())
        .map_err(|_| ApiError::SignInRefused)?;
    let session = PendingSession::new(&req, config, SignInMethod::Link)?;
    let signed_in = db::people::sign_in_with_link(&config.db, &link.hash(), &session.row()).await?;
    session.answer(signed_in)
}

/// What every sign-in checks first: a browser on the desk's own pages (no other site can sign
/// someone in), within the rate limit of its address.
///
/// # Errors
/// 403 from another origin; 429 past the limit.
pub async fn before_sign_in(req: &Request, config: &Config) -> Result<(), ApiError> {
    auth::check_same_origin(req)?;
    crate::rate_limit::check_sign_in(config, &format!("ip:{}", client_ip(req))).await
}

/// A session about to be opened. Its secret is always new: a cookie the browser already had
/// is never taken over (no session fixation).
pub struct PendingSession {
    id: String,
    secret: PersonSecret,
    hash: String,
    method: SignInMethod,
    user_agent: String,
    now: String,
    expires_at: String,
}

impl PendingSession {
    /// # Errors
    /// 500 when the platform has no randomness.
    pub fn new(req: &Request, config: &Config, method: SignInMethod) -> Result<Self, ApiError> {
        let now = config.now();
        let secret = PersonSecret::from_random(SecretKind::Session, clock::random_bytes()?);
        Ok(Self {
            id: clock::new_id(&now)?,
            hash: secret.hash(),
            secret,
            method,
            user_agent: req
                .headers()
                .get("user-agent")?
                .unwrap_or_default()
                .chars()
                .take(USER_AGENT_MAX)
                .collect(),
            expires_at: now.plus(TimeDelta::days(SESSION_DAYS)),
            now: now.rfc3339,
        })
    }

    /// The row the store writes.
    #[must_use]
    pub fn row(&self) -> NewSession<'_> {
        NewSession {
            id: &self.id,
            secret_hash: &self.hash,
            method: self.method,
            user_agent: &self.user_agent,
            now: &self.now,
            expires_at: &self.expires_at,
        }
    }

    /// The answer once the store wrote the session for `signed_in` (`None`: the credential was
    /// refused and nothing was written), with the cookie that carries it.
    ///
    /// # Errors
    /// 401 when refused.
    pub fn answer(self, signed_in: Option<SignedIn>) -> Result<Response, ApiError> {
        let signed_in = signed_in.ok_or(ApiError::SignInRefused)?;
        let mut response = json(
            200,
            &edgedesk_core::people::SignedIn {
                person: signed_in.person_id,
                session: self.id,
            },
        )?;
        response.headers_mut().set(
            "set-cookie",
            &auth::session_cookie(&self.secret, TimeDelta::days(SESSION_DAYS).num_seconds()),
        )?;
        Ok(response)
    }
}
