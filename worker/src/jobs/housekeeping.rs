//! Cron housekeeping: expired idempotency keys and rate-limit counters of past windows are
//! removed, a bounded number per run, in one round trip.

use worker::D1Database;

use crate::clock::Now;
use crate::db::{d1_error, idempotency, limits};
use crate::error::ApiError;
use crate::rate_limit::{WINDOW_SECONDS, window_start};

/// What one run removed.
#[derive(Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    pub expired_keys: u64,
    pub stale_counters: u64,
}

/// Removes up to `limit` expired keys and `limit` counters older than the previous window.
///
/// # Errors
/// D1 failures.
pub async fn run(db: &D1Database, now: &Now, limit: u32) -> Result<Outcome, ApiError> {
    let previous = window_start(now.unix_ms) - WINDOW_SECONDS;
    let results = db
        .batch(vec![
            idempotency::delete_expired_sql(&now.rfc3339, limit).prepare(db)?,
            limits::delete_stale_sql(previous, limit).prepare(db)?,
        ])
        .await
        .map_err(d1_error("housekeeping"))?;
    let changes = |i: usize| {
        results
            .get(i)
            .and_then(|r| r.meta().ok().flatten())
            .and_then(|m| m.changes)
            .map_or(0, |n| n as u64)
    };
    Ok(Outcome {
        expired_keys: changes(0),
        stale_counters: changes(1),
    })
}
