//! `POST /api/v1/test/clock`: moves the desk's clock forward, so black-box tests can let SLA
//! deadlines pass. Routed only in deployments with `EDGEDESK_TEST_CLOCK=enabled`.

use edgedesk_core::api::{Role, TestClockInput, TestClockView};
use worker::Response;

use super::Ctx;
use crate::auth;
use crate::clock;
use crate::db;
use crate::error::ApiError;
use crate::http::{json, read_json};

/// Advances the clock by `advance_minutes` (0 just reads it); admins only.
pub async fn advance(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config) = (ctx.req, ctx.config);
    if !config.test_clock {
        return Err(ApiError::NotFound);
    }
    auth::require(&req, config, Role::Admin).await?;
    let input: TestClockInput = read_json(&mut req).await?;
    let offset_ms =
        db::test_clock::advance(&config.db, i64::from(input.advance_minutes) * 60_000).await?;
    json(
        200,
        &TestClockView {
            now: clock::now_with_offset(offset_ms).rfc3339,
            offset_minutes: offset_ms / 60_000,
        },
    )
}
