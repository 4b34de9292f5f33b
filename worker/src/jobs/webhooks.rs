//! Webhook delivery: sends due outbox rows with an HMAC-SHA256 signature, marks them delivered,
//! or schedules a retry with exponential backoff (given up after `webhook::MAX_ATTEMPTS`).

use std::time::Duration;

use edgedesk_core::sla::format_instant;
use edgedesk_core::webhook::{
    DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, retry_delay, signature,
};
use futures_util::future::{Either, join_all, select};
use wasm_bindgen::JsValue;
use worker::{D1Database, Delay, Fetch, Headers, Method, Request, RequestInit};

use crate::clock::{self, Now};
use crate::db;
use crate::db::webhooks::DueDelivery;
use crate::error::ApiError;

/// An attempt that takes longer than this counts as failed (and is retried).
const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a taken delivery is hidden from other runs while it is being sent.
const LEASE_MINUTES: i64 = 5;
/// Deliveries sent at once.
const CONCURRENCY: usize = 20;

/// What one delivery run did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeliveryOutcome {
    pub due: usize,
    pub delivered: usize,
    pub retrying: usize,
    pub given_up: usize,
    /// Taken by an overlapping run.
    pub skipped: usize,
}

/// Attempts up to `limit` due deliveries.
///
/// # Errors
/// Only if the due deliveries cannot be read or an outcome cannot be stored.
pub async fn run(db: &D1Database, now: &Now, limit: u32) -> Result<DeliveryOutcome, ApiError> {
    let due = db::webhooks::due(db, &now.rfc3339, limit).await?;
    let mut outcome = DeliveryOutcome {
        due: due.len(),
        ..DeliveryOutcome::default()
    };
    let lease_until = format_instant(now.instant + chrono::TimeDelta::minutes(LEASE_MINUTES));
    for group in due.chunks(CONCURRENCY) {
        let mut leased = Vec::new();
        for delivery in group {
            if db::webhooks::lease(db, delivery, &now.rfc3339, &lease_until).await? {
                leased.push(delivery);
            } else {
                outcome.skipped += 1;
            }
        }
        // A slow receiver costs the group at most TIMEOUT, not TIMEOUT per delivery.
        let results = join_all(leased.iter().map(|delivery| send(delivery))).await;
        for (delivery, result) in leased.into_iter().zip(results) {
            record(db, now, delivery, result, &mut outcome).await?;
        }
    }
    Ok(outcome)
}

/// Stores one attempt's outcome: delivered, or the next attempt's time (none: given up).
async fn record(
    db: &D1Database,
    now: &Now,
    delivery: &DueDelivery,
    result: Result<(), String>,
    outcome: &mut DeliveryOutcome,
) -> Result<(), ApiError> {
    match result {
        Ok(()) => {
            outcome.delivered += 1;
            Ok(db::webhooks::record_attempt(db, delivery, Some(&now.rfc3339), None, None).await?)
        }
        Err(error) => {
            let attempts = u32::try_from(delivery.attempts + 1).unwrap_or(u32::MAX);
            let next = retry_delay(attempts).map(|delay| format_instant(now.instant + delay));
            if next.is_some() {
                outcome.retrying += 1;
            } else {
                outcome.given_up += 1;
            }
            Ok(
                db::webhooks::record_attempt(db, delivery, None, next.as_deref(), Some(&error))
                    .await?,
            )
        }
    }
}

/// One attempt: `Ok` on a 2xx answer, else what went wrong (kept on the outbox row).
async fn send(delivery: &DueDelivery) -> Result<(), String> {
    // Signed with real time (not a test clock's), so receivers can reject stale replays.
    let timestamp = i64::try_from(clock::now().unix_ms / 1000).unwrap_or_default();
    let headers = Headers::new();
    let set = |name: &str, value: &str| {
        headers
            .set(name, value)
            .map_err(|e| format!("header {name}: {e}"))
    };
    set("content-type", "application/json")?;
    set("user-agent", "EdgeDesk-Webhooks/1")?;
    set(EVENT_HEADER, &delivery.event_type)?;
    set(DELIVERY_HEADER, &delivery.id)?;
    set(
        SIGNATURE_HEADER,
        &signature(delivery.secret.as_bytes(), timestamp, &delivery.payload),
    )?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(JsValue::from_str(&delivery.payload)));
    let request =
        Request::new_with_init(&delivery.url, &init).map_err(|e| format!("request: {e}"))?;
    let fetch = Fetch::Request(request);
    let fetch = Box::pin(fetch.send());
    let timeout = Box::pin(Delay::from(TIMEOUT));
    match select(fetch, timeout).await {
        Either::Left((Ok(response), _)) if (200..300).contains(&response.status_code()) => Ok(()),
        Either::Left((Ok(response), _)) => Err(format!("HTTP {}", response.status_code())),
        Either::Left((Err(error), _)) => Err(format!("fetch: {error}")),
        Either::Right(_) => Err(format!("no answer within {} s", TIMEOUT.as_secs())),
    }
}
