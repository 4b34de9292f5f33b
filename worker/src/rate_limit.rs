//! Rate limits: how many requests a caller may make per window, and the 429 when it has made
//! more (the counting itself is batched with each request's first D1 read, see `db::limits`).

use crate::db::limits::Hits;
use crate::error::ApiError;

/// Length of a counting window.
pub const WINDOW_SECONDS: i64 = 60;

/// Requests allowed per window, from `[vars]`.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    /// Per API token (agents, admins, integrations).
    pub agent_per_minute: u32,
    /// Per client address and organisation on the anonymous requester routes that write.
    pub anonymous_per_minute: u32,
}

/// The start (unix seconds) of the window `unix_ms` falls in.
#[must_use]
pub fn window_start(unix_ms: u64) -> i64 {
    let seconds = i64::try_from(unix_ms / 1000).unwrap_or(i64::MAX);
    seconds - seconds.rem_euclid(WINDOW_SECONDS)
}

/// `Ok` while `hits` stays within `limit`; else 429 with the seconds left in the window.
/// No hits (an unknown caller, who was not counted) is never limited here.
///
/// # Errors
/// [`ApiError::TooManyRequests`].
pub fn check(hits: Option<Hits>, limit: u32, unix_ms: u64) -> Result<(), ApiError> {
    let Some(hits) = hits else { return Ok(()) };
    if hits.hits <= i64::from(limit) {
        return Ok(());
    }
    let now = i64::try_from(unix_ms / 1000).unwrap_or(i64::MAX);
    let left = (hits.window_start + WINDOW_SECONDS - now).clamp(1, WINDOW_SECONDS);
    Err(ApiError::TooManyRequests {
        retry_after: u32::try_from(left).unwrap_or(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_after_the_limit_waits_for_the_next_window() {
        let start = window_start(1_700_000_047_500);
        assert_eq!(start, 1_700_000_040);
        let at = |hits| {
            Some(Hits {
                hits,
                window_start: start,
            })
        };
        assert!(check(at(3), 3, 1_700_000_047_500).is_ok());
        match check(at(4), 3, 1_700_000_047_500) {
            Err(ApiError::TooManyRequests { retry_after }) => assert_eq!(retry_after, 53),
            other => panic!("{other:?}"),
        }
        assert!(check(None, 1, 0).is_ok());
    }
}
