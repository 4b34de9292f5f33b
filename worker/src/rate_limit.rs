//! Rate limits: how many requests a caller may make per window, and the 429 when it has made
//! more. API tokens are counted by the Workers Rate Limiting binding (nothing written to D1,
//! so reads stay reads); the anonymous routes that write are counted exactly in D1, batched
//! with each request's first D1 statement (`db::limits`).

use crate::config::Config;
use crate::db::limits::Hits;
use crate::error::ApiError;

/// Length of a counting window.
pub const WINDOW_SECONDS: i64 = 60;

/// Requests allowed per window, from `[vars]` (a token's limit is the binding's own, in
/// `[[ratelimits]]`).
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    /// Per client address and organisation on the anonymous requester routes that write.
    pub anonymous_per_minute: u32,
}

/// Counts a request of token `token_id` with the rate limiting binding.
///
/// # Errors
/// 429 past the token's limit (`Retry-After` until the next minute starts: the binding does
/// not say when its window ends); a 500 when the binding fails.
pub async fn check_token(config: &Config, token_id: &str) -> Result<(), ApiError> {
    check_binding(config, &config.token_limiter, token_id).await
}

/// Counts a sign-in attempt of `key` (`ip:<address>` or `person:<id>`) with the sign-in rate
/// limiting binding: a few a minute, so passkeys and links cannot be guessed at speed.
///
/// # Errors
/// As [`check_token`].
pub async fn check_sign_in(config: &Config, key: &str) -> Result<(), ApiError> {
    check_binding(config, &config.sign_in_limiter, key).await
}

async fn check_binding(
    config: &Config,
    limiter: &worker::RateLimiter,
    key: &str,
) -> Result<(), ApiError> {
    let outcome = limiter
        .limit(key.to_owned())
        .await
        .map_err(|e| ApiError::internal(format!("rate limiter: {e}")))?;
    if outcome.success {
        return Ok(());
    }
    let seconds = i64::try_from(config.now().unix_ms / 1000).unwrap_or_default();
    let left = WINDOW_SECONDS - seconds.rem_euclid(WINDOW_SECONDS);
    Err(ApiError::TooManyRequests {
        retry_after: u32::try_from(left).unwrap_or(1),
    })
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
