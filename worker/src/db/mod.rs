//! All SQL of the worker, by aggregate. Every statement binds its parameters and is scoped to
//! one organisation (by its slug or id, or by a ticket id that belongs to exactly one). The
//! exceptions are deployment-wide by design and say so: the cron's reads of due SLA clocks and
//! webhook deliveries (then each row is handled within its organisation), and the test clock.

pub mod catalog;
pub mod comments;
pub mod groups;
pub mod idempotency;
pub mod limits;
pub mod orgs;
pub mod round_trips;
pub mod sla;
pub mod sweep;
pub mod test_clock;
pub mod tickets;
pub mod timeline;
pub mod tokens;
pub mod webhooks;
pub mod widget;

#[cfg(test)]
mod api_sql_tests;
#[cfg(test)]
mod sqlite_tests;

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

/// A statement before it meets D1: its SQL and its parameters as JSON scalars (text, number,
/// null). Statements built this way can also be run natively against SQLite, so tests check
/// the exact SQL the worker sends (see `sqlite_tests`).
#[derive(Debug, Clone)]
pub(crate) struct Sql {
    pub text: String,
    pub params: Vec<serde_json::Value>,
}

impl Sql {
    pub(crate) fn new(text: impl Into<String>, params: Vec<serde_json::Value>) -> Self {
        Self {
            text: text.into(),
            params,
        }
    }

    /// The D1 statement. Numbers are bound as JS numbers: D1 refuses BigInt parameters.
    pub(crate) fn prepare(&self, db: &D1Database) -> Result<D1PreparedStatement, ApiError> {
        let params: Vec<JsValue> = self
            .params
            .iter()
            .map(|value| match value {
                serde_json::Value::Null => JsValue::NULL,
                serde_json::Value::Bool(b) => JsValue::from_f64(if *b { 1.0 } else { 0.0 }),
                serde_json::Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or_default()),
                serde_json::Value::String(s) => JsValue::from_str(s),
                other => JsValue::from_str(&other.to_string()),
            })
            .collect();
        statement(db, &self.text, &params)
    }
}

/// A value as the JSON text a column stores (serialising our own types cannot fail in practice;
/// if it does, it is our bug, a 500).
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::internal(format!("encoding JSON: {e}")))
}

/// JSON text a column stores, read back; text we did not write is our bug, a 500.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|e| ApiError::internal(format!("stored JSON: {e}")))
}

/// Values of any number bound as ONE parameter: a JSON array that the statement reads with
/// `json_each(?n)` (e.g. `ticket_id IN (SELECT value FROM json_each(?2))`). Every statement
/// whose count of values depends on input or data goes through here, so no page, list or
/// filter can pass D1's 100 parameters per statement.
pub(crate) fn json_list<S: AsRef<str>>(values: &[S]) -> serde_json::Value {
    serde_json::Value::String(
        serde_json::Value::Array(
            values
                .iter()
                .map(|v| serde_json::Value::String(v.as_ref().to_owned()))
                .collect(),
        )
        .to_string(),
    )
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
