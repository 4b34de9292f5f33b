//! `GET /api/v1/health`: liveness without touching D1.

use edgedesk_core::api::Health;
use worker::{Request, Response};

use crate::error::ApiError;
use crate::http::json;

/// Needs neither configuration nor D1, so it says only that the worker itself runs.
pub fn get(_req: &Request) -> Result<Response, ApiError> {
    json(
        200,
        &Health {
            status: "ok".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        },
    )
}
