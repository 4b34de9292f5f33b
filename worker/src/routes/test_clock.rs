//! `POST /api/v1/test/clock`: moves the desk's clock forward, or one organisation's widget
//! clock, so black-box tests can let SLA deadlines pass or age a form token without waiting.
//! Routed only in deployments with `EDGEDESK_TEST_CLOCK=enabled`.

use edgedesk_core::OrgSlug;
use edgedesk_core::api::{Role, TestClockView};
use serde::Deserialize;
use worker::Response;

use super::Ctx;
use crate::auth;
use crate::clock;
use crate::db;
use crate::error::ApiError;
use crate::http::{json, read_json};

/// The move asked for. Test-only, so it is not a wire type of the API (nor in its document):
/// `{"advance_minutes": 30}` moves the whole desk, as the SLA sweep needs;
/// `{"advance_seconds": 4, "org": "<slug>"}` moves only the clock the caller's own
/// organisation's widget form tokens are aged by (see `Config::widget_now`), so tests running
/// at the same time keep their "now".
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ClockMove {
    advance_minutes: u32,
    advance_seconds: u32,
    org: Option<String>,
}

impl ClockMove {
    fn ms(&self) -> i64 {
        i64::from(self.advance_minutes) * 60_000 + i64::from(self.advance_seconds) * 1_000
    }
}

/// Advances the clock by the minutes and seconds given (0 just reads it) and answers the
/// moved clock's time and offset; admins only, and an organisation's clock only by its own
/// admins (another's is a 404, as everywhere).
pub async fn advance(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config) = (ctx.req, ctx.config);
    if !config.test_clock {
        return Err(ApiError::NotFound);
    }
    let principal = auth::require(&req, config, Role::Admin).await?;
    let input: ClockMove = read_json(&mut req).await?;
    let (now, offset_ms) = match &input.org {
        Some(raw) => {
            let slug = OrgSlug::parse(raw).map_err(|_| ApiError::NotFound)?;
            let own = db::orgs::slug_of(&config.db, &principal.org_id).await?;
            if own.as_ref() != Some(&slug) {
                return Err(ApiError::NotFound);
            }
            let offset_ms = clock::advance_org(slug.as_str(), input.ms());
            (config.widget_now(&slug), offset_ms)
        }
        None => {
            let offset_ms = db::test_clock::advance(&config.db, input.ms()).await?;
            (clock::now_with_offset(offset_ms), offset_ms)
        }
    };
    json(
        200,
        &TestClockView {
            now: now.rfc3339,
            offset_minutes: offset_ms / 60_000,
        },
    )
}
