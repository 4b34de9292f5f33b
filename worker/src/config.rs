//! Typed configuration and bindings, read from the worker environment once per request.

use edgedesk_core::OrgSlug;
use wasm_bindgen::{JsCast as _, JsValue};
use worker::{D1Database, Env};

use crate::clock::{self, Now};
use crate::error::ApiError;

/// Names in `wrangler.toml`; a typo there should fail loudly, not as a confusing 404.
const DEFAULT_ORG_VAR: &str = "DEFAULT_ORG";
const DB_BINDING: &str = "DB";
const BOOTSTRAP_SECRET: &str = "BOOTSTRAP_SECRET";
/// Seals secrets in stored idempotent answers (with the client's key and the request).
const IDEMPOTENCY_SECRET: &str = "IDEMPOTENCY_SECRET";
/// Set to `enabled` only by `cargo xtask test` (`wrangler dev --var`); never in wrangler.toml.
const TEST_CLOCK_VAR: &str = "EDGEDESK_TEST_CLOCK";
const BENCH_VAR: &str = "EDGEDESK_BENCH";
/// Requests per minute per API token, and per client address on an organisation's anonymous
/// routes (`[vars]`; `cargo xtask bench` raises both).
/// The Workers Rate Limiting binding that counts API tokens' requests (`[[ratelimits]]`).
const TOKEN_LIMITER_BINDING: &str = "TOKEN_RATE_LIMITER";
/// The Workers Rate Limiting binding that counts sign-in attempts per address and person.
const SIGN_IN_LIMITER_BINDING: &str = "SIGN_IN_RATE_LIMITER";
const ANONYMOUS_LIMIT_VAR: &str = "RATE_LIMIT_ANONYMOUS_PER_MINUTE";

/// A deployment mistake: logged with this message, answered as a generic 500.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("variable {name} is not set in wrangler.toml [vars]: {source}")]
    MissingVar {
        name: &'static str,
        source: worker::Error,
    },
    #[error("variable {name} = {value:?} is not a valid organisation slug")]
    InvalidSlug { name: &'static str, value: String },
    #[error("variable {name} = {value:?} is not a positive whole number")]
    InvalidNumber { name: &'static str, value: String },
    #[error("binding {name} is missing from wrangler.toml [[d1_databases]]: {source}")]
    MissingBinding {
        name: &'static str,
        source: worker::Error,
    },
}

impl From<ConfigError> for ApiError {
    fn from(error: ConfigError) -> Self {
        Self::Internal(format!("configuration: {error}"))
    }
}

/// What the API handlers need from the environment.
pub struct Config {
    /// The organisation the portal shows at its root.
    pub default_org: OrgSlug,
    /// The one D1 database.
    pub db: D1Database,
    /// Secret that unlocks `POST /api/v1/bootstrap` (a wrangler secret in production). Unset:
    /// the route does not exist, so no deployment has default credentials.
    pub bootstrap_secret: Option<String>,
    /// `IDEMPOTENCY_SECRET`: part of the key that seals a stored answer's secret (tracking or
    /// API token), so the database alone never opens it. Without one (a deployment that did
    /// not set it), sealing rests on the client's key alone.
    pub seal_pepper: String,
    /// Test deployments only: the clock can be moved forward (`POST /api/v1/test/clock`) and
    /// every request and cron run reads it. Off everywhere else, and then that route is a 404.
    pub test_clock: bool,
    /// Requests per minute allowed per caller.
    pub rate_limits: crate::rate_limit::RateLimits,
    /// Counts API tokens' requests outside D1.
    pub token_limiter: worker::RateLimiter,
    /// Counts sign-in attempts outside D1.
    pub sign_in_limiter: worker::RateLimiter,
    /// How far the test clock is ahead of the real one; always 0 without `test_clock`.
    clock_offset_ms: i64,
    /// The request's D1 session, when it runs in one (see [`Config::load_in_session`]).
    session: Option<worker::D1DatabaseSession>,
}

impl Config {
    /// # Errors
    /// [`ConfigError`] naming the missing or invalid variable or binding.
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let raw = env
            .var(DEFAULT_ORG_VAR)
            .map_err(|source| ConfigError::MissingVar {
                name: DEFAULT_ORG_VAR,
                source,
            })?
            .to_string();
        let default_org = OrgSlug::parse(&raw).map_err(|_| ConfigError::InvalidSlug {
            name: DEFAULT_ORG_VAR,
            value: raw.clone(),
        })?;
        let db = env
            .d1(DB_BINDING)
            .map_err(|source| ConfigError::MissingBinding {
                name: DB_BINDING,
                source,
            })?;
        // A secret in production (`wrangler secret put BOOTSTRAP_SECRET`), a var in tests.
        let bootstrap_secret = env
            .secret(BOOTSTRAP_SECRET)
            .map(|s| s.to_string())
            .or_else(|_| env.var(BOOTSTRAP_SECRET).map(|v| v.to_string()))
            .ok()
            .filter(|s| s.len() >= 16);
        let seal_pepper = env
            .secret(IDEMPOTENCY_SECRET)
            .map(|s| s.to_string())
            .or_else(|_| env.var(IDEMPOTENCY_SECRET).map(|v| v.to_string()))
            .unwrap_or_default();
        let db = counted_in_bench(env, db);
        let rate_limits = crate::rate_limit::RateLimits {
            anonymous_per_minute: positive_var(env, ANONYMOUS_LIMIT_VAR)?,
        };
        let token_limiter = env.rate_limiter(TOKEN_LIMITER_BINDING).map_err(|source| {
            ConfigError::MissingBinding {
                name: TOKEN_LIMITER_BINDING,
                source,
            }
        })?;
        let sign_in_limiter = env
            .rate_limiter(SIGN_IN_LIMITER_BINDING)
            .map_err(|source| ConfigError::MissingBinding {
                name: SIGN_IN_LIMITER_BINDING,
                source,
            })?;
        Ok(Self {
            sign_in_limiter,
            default_org,
            db,
            bootstrap_secret,
            seal_pepper,
            rate_limits,
            token_limiter,
            test_clock: test_clock_enabled(env),
            clock_offset_ms: 0,
            session: None,
        })
    }

    /// [`Config::load`] for one API request, whose every statement runs in one D1 session
    /// started at `start` (a bookmark, or `first-unconstrained` / `first-primary`): a read may
    /// then be served by a read replica that is at least as new as the bookmark. The session
    /// is kept in [`Config::session`] for the bookmark the answer carries.
    ///
    /// # Errors
    /// As [`Config::load`], or D1 refuses to start the session.
    pub async fn load_in_session(env: &Env, start: &str) -> Result<Self, ApiError> {
        let mut config = Self::from_env(env)?;
        let session = env
            .d1(DB_BINDING)
            .and_then(|db| db.with_session(Some(start)))
            .map_err(|e| ApiError::internal(format!("starting a D1 session: {e}")))?;
        // A session answers `prepare` and `batch` as the database does: the stores keep their
        // `D1Database`, and every statement they make runs in the session.
        let db: D1Database = AsRef::<JsValue>::as_ref(&session).clone().unchecked_into();
        config.db = counted_in_bench(env, db);
        config.session = Some(session);
        config.with_test_clock().await
    }

    /// The newest bookmark this request's D1 session saw, if it ran in one and ran a statement.
    #[must_use]
    pub fn bookmark(&self) -> Option<String> {
        self.session
            .as_ref()
            .and_then(|s| s.get_bookmark().ok().flatten())
    }

    /// [`Config::from_env`], plus the test clock's offset when the deployment has one (one D1
    /// read, only then).
    ///
    /// # Errors
    /// As [`Config::from_env`], or the offset cannot be read.
    pub async fn load(env: &Env) -> Result<Self, ApiError> {
        Self::from_env(env)?.with_test_clock().await
    }

    /// This config with the test clock's offset read, when the deployment has one (one D1
    /// read, only then).
    async fn with_test_clock(mut self) -> Result<Self, ApiError> {
        if self.test_clock {
            self.clock_offset_ms = crate::db::test_clock::offset_ms(&self.db).await?;
        }
        Ok(self)
    }

    /// The desk's time: the runtime clock, moved by the test clock's offset in test deployments.
    #[must_use]
    pub fn now(&self) -> Now {
        clock::now_with_offset(self.clock_offset_ms)
    }

    /// The time organisation `org`'s widget form tokens are aged by: [`Config::now`], moved
    /// further by that organisation's own test clock (`POST /api/v1/test/clock` with `org`),
    /// so a test can let a person's fill time pass without moving time under the others. Only
    /// that check reads it: records are dated by [`Config::now`], so an organisation's ids and
    /// audit events keep one clock and their order.
    #[must_use]
    pub fn widget_now(&self, org: &OrgSlug) -> Now {
        let own = if self.test_clock {
            clock::org_offset_ms(org.as_str())
        } else {
            0
        };
        clock::now_with_offset(self.clock_offset_ms.saturating_add(own))
    }
}

/// A required `[vars]` entry that is a whole number above zero.
fn positive_var(env: &Env, name: &'static str) -> Result<u32, ConfigError> {
    let value = env
        .var(name)
        .map_err(|source| ConfigError::MissingVar { name, source })?
        .to_string();
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or(ConfigError::InvalidNumber { name, value })
}

/// `db` as the stores get it: in benchmarks behind the proxy that counts round trips and rows
/// at the binding, everywhere else as it is.
fn counted_in_bench(env: &Env, db: D1Database) -> D1Database {
    if bench_enabled(env) {
        crate::db::round_trips::counted(&db)
    } else {
        db
    }
}

/// Whether this deployment counts D1 round trips (`cargo xtask bench` sets `EDGEDESK_BENCH`).
#[must_use]
pub fn bench_enabled(env: &Env) -> bool {
    env.var(BENCH_VAR)
        .is_ok_and(|value| value.to_string() == "enabled")
}

/// Whether this deployment may have its clock moved by tests (cheap: no D1 access).
#[must_use]
pub fn test_clock_enabled(env: &Env) -> bool {
    env.var(TEST_CLOCK_VAR)
        .is_ok_and(|value| value.to_string() == "enabled")
}
