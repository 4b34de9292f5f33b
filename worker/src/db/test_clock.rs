//! The test clock's offset (test deployments only; see `Config::test_clock`). Deployment-wide
//! by nature: the cron sweep it drives is too.

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

use super::{StoreError, d1_error, statement};

#[derive(Deserialize)]
struct OffsetRow {
    offset_ms: f64,
}

/// How far the test clock is ahead of real time (0 until first moved).
pub async fn offset_ms(db: &D1Database) -> Result<i64, StoreError> {
    let row = statement(db, "SELECT offset_ms FROM test_clock WHERE id = 1", &[])?
        .first::<OffsetRow>(None)
        .await
        .map_err(d1_error("reading the test clock"))?;
    Ok(row.map_or(0, |r| r.offset_ms as i64))
}

/// Moves the test clock forward by `ms` (never back: time-ordered ids and audit events must
/// keep their order) and returns the new offset.
pub async fn advance(db: &D1Database, ms: i64) -> Result<i64, StoreError> {
    let row = statement(
        db,
        "INSERT INTO test_clock (id, offset_ms) VALUES (1, ?1) \
         ON CONFLICT (id) DO UPDATE SET offset_ms = offset_ms + excluded.offset_ms \
         RETURNING offset_ms",
        // D1 refuses BigInt parameters: numbers go in as JS numbers.
        &[JsValue::from_f64(ms.max(0) as f64)],
    )?
    .first::<OffsetRow>(None)
    .await
    .map_err(d1_error("moving the test clock"))?;
    Ok(row.map_or(0, |r| r.offset_ms as i64))
}
