//! Typed configuration and bindings, read from the worker environment once per request.

use edgedesk_core::OrgSlug;
use worker::{D1Database, Env};

use crate::error::ApiError;

/// Names in `wrangler.toml`; a typo there should fail loudly, not as a confusing 404.
const DEFAULT_ORG_VAR: &str = "DEFAULT_ORG";
const DB_BINDING: &str = "DB";
const BOOTSTRAP_SECRET: &str = "BOOTSTRAP_SECRET";

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
        Ok(Self {
            default_org,
            db,
            bootstrap_secret,
        })
    }
}
