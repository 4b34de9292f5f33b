//! Webhook endpoints (admin CRUD) and the outbox the cron delivers from: due rows, a lease per
//! attempt (so overlapping runs send once), and the outcome of each attempt.

use edgedesk_core::api::WebhookView;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

use super::{InOrder, StoreError, d1_error, statement};

#[derive(Deserialize)]
struct EndpointRow {
    id: String,
    url: String,
    active: i64,
    created_at: String,
    updated_at: String,
}

impl EndpointRow {
    fn view(self) -> WebhookView {
        WebhookView {
            id: self.id,
            url: self.url,
            active: self.active == 1,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

const ENDPOINT_COLUMNS: &str = "id, url, active, created_at, updated_at";

pub async fn list(db: &D1Database, org_id: &str) -> Result<Vec<WebhookView>, StoreError> {
    Ok(statement(
        db,
        &format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE org_id = ?1 ORDER BY id"),
        &[org_id.into()],
    )?
    .all()
    .await
    .and_then(|r| r.results::<EndpointRow>())
    .map_err(d1_error("listing webhooks"))?
    .into_iter()
    .map(EndpointRow::view)
    .collect())
}

pub async fn get(
    db: &D1Database,
    org_id: &str,
    id: &str,
) -> Result<Option<WebhookView>, StoreError> {
    Ok(statement(
        db,
        &format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE org_id = ?1 AND id = ?2"),
        &[org_id.into(), id.into()],
    )?
    .first::<EndpointRow>(None)
    .await
    .map_err(d1_error("reading a webhook"))?
    .map(EndpointRow::view))
}

/// A new endpoint row.
pub struct NewEndpoint<'a> {
    pub id: &'a str,
    pub org_id: &'a str,
    pub url: &'a str,
    pub secret: &'a str,
    pub active: bool,
    pub now: &'a str,
}

pub async fn create(
    db: &D1Database,
    endpoint: &NewEndpoint<'_>,
) -> Result<WebhookView, StoreError> {
    Ok(statement(
        db,
        &format!(
            "INSERT INTO webhook_endpoints (id, org_id, url, secret, active, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING {ENDPOINT_COLUMNS}"
        ),
        &[
            endpoint.id.into(),
            endpoint.org_id.into(),
            endpoint.url.into(),
            endpoint.secret.into(),
            JsValue::from_f64(if endpoint.active { 1.0 } else { 0.0 }),
            endpoint.now.into(),
        ],
    )?
    .first::<EndpointRow>(None)
    .await
    .map_err(d1_error("creating a webhook"))?
    .ok_or_else(|| StoreError::broken("webhook insert returned no row"))?
    .view())
}

/// Changes an endpoint's url and active flag, and its secret when one is given.
pub async fn update(
    db: &D1Database,
    org_id: &str,
    id: &str,
    url: &str,
    secret: Option<&str>,
    active: bool,
    now: &str,
) -> Result<Option<WebhookView>, StoreError> {
    Ok(statement(
        db,
        &format!(
            "UPDATE webhook_endpoints SET url = ?3, secret = COALESCE(?4, secret), active = ?5, \
             updated_at = ?6 WHERE org_id = ?1 AND id = ?2 RETURNING {ENDPOINT_COLUMNS}"
        ),
        &[
            org_id.into(),
            id.into(),
            url.into(),
            secret.map_or(JsValue::NULL, JsValue::from),
            JsValue::from_f64(if active { 1.0 } else { 0.0 }),
            now.into(),
        ],
    )?
    .first::<EndpointRow>(None)
    .await
    .map_err(d1_error("updating a webhook"))?
    .map(EndpointRow::view))
}

/// Deletes an endpoint and its undelivered outbox rows, atomically; `false` if there is none.
pub async fn delete(db: &D1Database, org_id: &str, id: &str) -> Result<bool, StoreError> {
    let results = db
        .batch(vec![
            statement(
                db,
                "DELETE FROM webhook_outbox WHERE org_id = ?1 AND endpoint_id = ?2",
                &[org_id.into(), id.into()],
            )?,
            statement(
                db,
                "DELETE FROM webhook_endpoints WHERE org_id = ?1 AND id = ?2 RETURNING id",
                &[org_id.into(), id.into()],
            )?,
        ])
        .await
        .map_err(d1_error("deleting a webhook"))?;
    let mut results = InOrder::new(results, "reading the deleted webhook");
    // The outbox's delete says nothing; the endpoint's returns it if it existed.
    results.skip(1)?;
    Ok(!results.rows::<serde_json::Value>()?.is_empty())
}

/// A delivery whose attempt is due, with where it goes.
#[derive(Debug, Deserialize)]
pub struct DueDelivery {
    pub id: String,
    pub org_id: String,
    pub event_type: String,
    pub payload: String,
    pub attempts: i64,
    pub url: String,
    pub secret: String,
}

/// Up to `limit` deliveries due at `now`, oldest due first, through the outbox's due index.
/// Deployment-wide like the sweep; each row is then leased and sent on its own.
pub async fn due(db: &D1Database, now: &str, limit: u32) -> Result<Vec<DueDelivery>, StoreError> {
    statement(
        db,
        "SELECT o.id, o.org_id, o.event_type, o.payload, o.attempts, e.url, e.secret \
         FROM webhook_outbox o JOIN webhook_endpoints e ON e.org_id = o.org_id AND e.id = o.endpoint_id \
         WHERE o.next_attempt_at <= ?1 ORDER BY o.next_attempt_at LIMIT ?2",
        &[now.into(), JsValue::from_f64(f64::from(limit))],
    )?
    .all()
    .await
    .and_then(|r| r.results::<DueDelivery>())
    .map_err(d1_error("reading due webhook deliveries"))
}

/// Takes delivery `id` for one attempt: counts the attempt and moves its due time to
/// `lease_until`, so an overlapping run skips it. `false` if another run took it first.
pub async fn lease(
    db: &D1Database,
    delivery: &DueDelivery,
    now: &str,
    lease_until: &str,
) -> Result<bool, StoreError> {
    Ok(statement(
        db,
        "UPDATE webhook_outbox SET attempts = attempts + 1, next_attempt_at = ?4 \
         WHERE org_id = ?1 AND id = ?2 AND attempts = ?3 AND delivered_at IS NULL \
         AND next_attempt_at <= ?5 RETURNING id",
        &[
            delivery.org_id.as_str().into(),
            delivery.id.as_str().into(),
            JsValue::from_f64(delivery.attempts as f64),
            lease_until.into(),
            now.into(),
        ],
    )?
    .first::<serde_json::Value>(None)
    .await
    .map_err(d1_error("leasing a webhook delivery"))?
    .is_some())
}

/// Records an attempt's outcome: delivered, or failed with the next attempt's time (`None`:
/// given up).
pub async fn record_attempt(
    db: &D1Database,
    delivery: &DueDelivery,
    delivered_at: Option<&str>,
    next_attempt_at: Option<&str>,
    error: Option<&str>,
) -> Result<(), StoreError> {
    statement(
        db,
        "UPDATE webhook_outbox SET delivered_at = ?3, next_attempt_at = ?4, last_error = ?5 \
         WHERE org_id = ?1 AND id = ?2",
        &[
            delivery.org_id.as_str().into(),
            delivery.id.as_str().into(),
            delivered_at.map_or(JsValue::NULL, JsValue::from),
            next_attempt_at.map_or(JsValue::NULL, JsValue::from),
            error.map_or(JsValue::NULL, JsValue::from),
        ],
    )?
    .run()
    .await
    .map_err(d1_error("recording a webhook attempt"))?;
    Ok(())
}
