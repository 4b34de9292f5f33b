//! Idempotent creates at the HTTP edge: the request's `Idempotency-Key`, the answer a create
//! stores with it, and replaying that answer to a retry.

use chrono::TimeDelta;
use edgedesk_core::idempotency::{self, FIELD, IdempotencyKey, TTL_HOURS};
use edgedesk_core::sla::format_instant;
use edgedesk_core::{FieldError, FieldErrorCode, ValidationErrors};
use serde_json::Value;
use worker::{Request, Response};

use crate::clock::Now;
use crate::db::idempotency::{KeyOrg, KeyRef, NewAnswer, StoredAnswer, StoredBody};
use crate::error::ApiError;
use crate::http::NO_STORE;

/// Header telling a client that it got the stored answer of an earlier request.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// A create that came with a key: whose key it is and which request it was used for.
pub struct Idempotent {
    key: IdempotencyKey,
    /// The deployment's sealing secret ([`crate::config::Config::seal_pepper`]).
    pepper: String,
    /// Fresh for each request: it seals at most one secret.
    nonce: [u8; 12],
    pub key_hash: String,
    pub request_hash: String,
    pub scope: String,
    pub expires_at: String,
}

/// The request's key, if it sent one. Read before the body, so a malformed key is refused
/// before anything else happens.
///
/// # Errors
/// 422 on `Idempotency-Key` when the header is malformed.
pub fn key_of(req: &Request) -> Result<Option<IdempotencyKey>, ApiError> {
    match req.headers().get(idempotency::HEADER)? {
        None => Ok(None),
        Some(raw) => IdempotencyKey::parse(&raw)
            .map(Some)
            .map_err(|e| ApiError::Validation(ValidationErrors(vec![e]))),
    }
}

impl Idempotent {
    /// `key` used by `scope` for the request `method path` with JSON `body`.
    ///
    /// # Errors
    /// 400 if the body is not JSON (the caller has parsed it already, so only on a bug).
    pub fn new(
        key: IdempotencyKey,
        scope: String,
        method: &str,
        path: &str,
        body: &[u8],
        now: &Now,
        pepper: &str,
    ) -> Result<Self, ApiError> {
        let value: Value =
            serde_json::from_slice(body).map_err(|e| ApiError::MalformedBody(e.to_string()))?;
        Ok(Self {
            key_hash: key.hash(),
            request_hash: idempotency::request_hash(method, path, &value),
            key,
            pepper: pepper.to_owned(),
            nonce: crate::clock::random_bytes()?,
            scope,
            expires_at: format_instant(now.instant + TimeDelta::hours(TTL_HOURS)),
        })
    }

    /// The key's identity within `org`.
    #[must_use]
    pub fn key_ref<'a>(&'a self, org: KeyOrg<'a>) -> KeyRef<'a> {
        KeyRef {
            org,
            scope: &self.scope,
            key_hash: &self.key_hash,
        }
    }

    /// The answer to store with the create: `secret`, if any, is sealed with the key.
    #[must_use]
    pub fn answer<'a>(
        &'a self,
        org: KeyOrg<'a>,
        status: u16,
        body: StoredBody,
        headers: Value,
        secret: Option<&str>,
        now: &'a str,
    ) -> NewAnswer<'a> {
        NewAnswer {
            key: self.key_ref(org),
            request_hash: &self.request_hash,
            status,
            body,
            headers,
            sealed: secret.map(|s| {
                self.key
                    .seal(self.pepper.as_bytes(), &self.request_hash, s, self.nonce)
            }),
            now,
            expires_at: &self.expires_at,
        }
    }

    /// The stored answer for a retry: `Ok(None)` when the create happened but its answer was
    /// not stored (the caller reads the resource again).
    ///
    /// # Errors
    /// 422 on `Idempotency-Key` when the key was used for a different request.
    pub fn replay(
        &self,
        stored: StoredAnswer,
        secret_field: Option<&str>,
    ) -> Result<Option<Response>, ApiError> {
        if stored.request_hash != self.request_hash {
            return Err(ApiError::Validation(ValidationErrors(vec![
                FieldError::new(FIELD, FieldErrorCode::DuplicateKey, None),
            ])));
        }
        let Some(body) = stored.body else {
            return Ok(None);
        };
        let mut body: Value = crate::db::from_json(&body)?;
        if let (Some(field), Some(sealed), Value::Object(map)) =
            (secret_field, stored.sealed.as_deref(), &mut body)
        {
            let secret = self
                .key
                .open(self.pepper.as_bytes(), &self.request_hash, sealed)
                .ok_or_else(|| ApiError::internal("a sealed secret does not open with its key"))?;
            map.insert(field.to_owned(), Value::String(secret));
        }
        let mut response = Response::from_json(&body)?.with_status(stored.status);
        let headers = response.headers_mut();
        headers.set("cache-control", NO_STORE)?;
        headers.set(REPLAYED_HEADER, "true")?;
        if let Value::Object(extra) = crate::db::from_json::<Value>(&stored.headers)? {
            for (name, value) in extra {
                if let Value::String(value) = value {
                    headers.set(&name, &value)?;
                }
            }
        }
        Ok(Some(response))
    }
}

/// Where an agent's create stands after its key was looked up.
pub enum Started {
    /// Not seen before (or no key): create, storing the answer with the key if there is one.
    New(Option<Idempotent>),
    /// A retry: this is the first request's answer.
    Replayed(Response),
    /// A retry of a create that happened but whose answer was not stored: read it again.
    Created,
}

/// Looks up an agent create's key, scoped to the caller's token (one round trip, only when a
/// key was sent).
///
/// # Errors
/// 422 when the key was used for another request; D1 failures.
pub async fn begin(
    config: &crate::config::Config,
    key: Option<IdempotencyKey>,
    principal: &crate::auth::Principal,
    req: &Request,
    raw_body: &[u8],
    secret_field: Option<&str>,
    now: &Now,
) -> Result<Started, ApiError> {
    let Some(key) = key else {
        return Ok(Started::New(None));
    };
    let method = req.inner().method();
    let scope = principal.key_scope();
    let idempotent = Idempotent::new(
        key,
        scope,
        &method,
        &req.path(),
        raw_body,
        now,
        &config.seal_pepper,
    )?;
    let org = KeyOrg::Id(&principal.org_id);
    let stored =
        crate::db::idempotency::find(&config.db, idempotent.key_ref(org), &now.rfc3339).await?;
    match stored {
        None => Ok(Started::New(Some(idempotent))),
        Some(stored) => match idempotent.replay(stored, secret_field)? {
            Some(response) => Ok(Started::Replayed(response)),
            None => Ok(Started::Created),
        },
    }
}

/// The statements storing `answer` in a create's batch (none without a key).
#[must_use]
pub fn store(
    answer: Option<NewAnswer<'_>>,
    guard: &crate::db::idempotency::Guard<'_>,
) -> Vec<crate::db::Sql> {
    answer
        .map(|answer| crate::db::idempotency::store_sql(&answer, guard).to_vec())
        .unwrap_or_default()
}
