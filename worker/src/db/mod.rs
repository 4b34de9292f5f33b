//! All SQL of the worker, by aggregate. Every statement binds its parameters and is scoped to
//! one organisation (by its slug or id, or by a ticket id that belongs to exactly one).

pub mod catalog;
pub mod comments;
pub mod orgs;
pub mod tickets;
pub mod tokens;

use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::error::ApiError;

/// D1 failures are ours, not the client's: the detail goes to the log, the client gets a 500.
pub(crate) fn d1_error(context: &'static str) -> impl Fn(worker::Error) -> ApiError {
    move |error| {
        let detail = match &error {
            // D1's own message ("UNIQUE constraint failed: …") on one log line, not the
            // multi-line debug dump with a JS stack that `Display` of `worker::Error` gives.
            worker::Error::D1(d1) => format!("D1: {}", d1.cause()),
            other => other.to_string(),
        };
        ApiError::internal(format!("{context}: {detail}"))
    }
}

/// `sql` with its parameters bound; binding only fails on a programming error.
pub(crate) fn statement(
    db: &D1Database,
    sql: &str,
    params: &[JsValue],
) -> Result<D1PreparedStatement, ApiError> {
    db.prepare(sql)
        .bind(params)
        .map_err(d1_error("binding a statement"))
}
