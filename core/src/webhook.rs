//! Outgoing webhooks: how deliveries are signed (HMAC-SHA256) and when failed ones are retried.

use chrono::TimeDelta;
use hmac::{Hmac, Mac as _};
use sha2::Sha256;

use crate::validation::{FieldError, FieldErrorCode};

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it with the
/// endpoint's secret and should refuse old timestamps (replays).
pub const SIGNATURE_HEADER: &str = "x-edgedesk-signature";
/// The outbox row's id: the same on every retry, so receivers can drop duplicates.
pub const DELIVERY_HEADER: &str = "x-edgedesk-delivery";
/// The event type, e.g. `sla.breached`.
pub const EVENT_HEADER: &str = "x-edgedesk-event";

/// Attempts before a delivery is given up (about a day and a half of retries).
pub const MAX_ATTEMPTS: u32 = 12;

/// A webhook URL: `https://host[:port]/path`, or plain `http://` to a loopback host (local
/// development and tests; a deployed worker cannot reach those). At most 2,000 characters.
///
/// # Errors
/// [`FieldErrorCode::PatternMismatch`] on `url` otherwise.
pub fn parse_url(raw: &str) -> Result<String, FieldError> {
    let url = raw.trim();
    let invalid = || FieldError::new("url", FieldErrorCode::PatternMismatch, None);
    if url.is_empty() {
        return Err(FieldError::new("url", FieldErrorCode::Required, None));
    }
    if url.len() > 2000 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid());
    }
    let (secure, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(invalid());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        // No credentials in URLs: they would be stored and logged in the clear.
        return Err(invalid());
    }
    let host = if authority.starts_with('[') {
        authority
            .split_once(']')
            .map_or(authority, |(host, _)| host)
            .trim_start_matches('[')
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    let loopback = matches!(host, "127.0.0.1" | "localhost" | "::1");
    if host.is_empty() || (!secure && !loopback) {
        return Err(invalid());
    }
    Ok(url.to_owned())
}

/// The signature header's value for `body` sent at `timestamp` (unix seconds).
#[must_use]
pub fn signature(secret: &[u8], timestamp: i64, body: &str) -> String {
    format!("t={timestamp},v1={}", hmac_hex(secret, timestamp, body))
}

fn hmac_hex(secret: &[u8], timestamp: i64, body: &str) -> String {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How long to wait after the `attempts`-th failed attempt: 1, 2, 4 … minutes, at most 6 hours;
/// `None` once [`MAX_ATTEMPTS`] have failed.
#[must_use]
pub fn retry_delay(attempts: u32) -> Option<TimeDelta> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let minutes = 1_i64 << attempts.saturating_sub(1).min(16);
    Some(TimeDelta::minutes(minutes.min(6 * 60)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Computed independently: `printf '1700000000.{}' | openssl dgst -sha256 -hmac secret`.
        assert_eq!(
            signature(b"secret", 1_700_000_000, "{}"),
            "t=1700000000,v1=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163"
        );
        assert_ne!(
            signature(b"secret", 1_700_000_000, "{}"),
            signature(b"secret", 1_700_000_001, "{}"),
            "the timestamp is signed"
        );
        assert_ne!(signature(b"secret", 1, "{}"), signature(b"other", 1, "{}"));
    }

    #[test]
    fn webhook_urls_are_https_or_loopback_http() {
        for ok in [
            "https://hooks.example.com/edgedesk",
            "https://example.com:8443/x?y=1",
            "http://127.0.0.1:45123/hook",
            "http://localhost/hook",
            "http://[::1]:8080/",
        ] {
            assert_eq!(parse_url(ok).as_deref(), Ok(ok), "{ok}");
        }
        for bad in [
            "http://example.com/hook",
            "ftp://example.com",
            "https://",
            "https://user:pw@example.com/",
            "https://exa mple.com/",
            "example.com",
            "http://127.0.0.1.evil.com/",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_url(" ").map_err(|e| e.code),
            Err(FieldErrorCode::Required)
        );
    }

    #[test]
    fn retries_back_off_exponentially_and_stop() {
        assert_eq!(retry_delay(1), Some(TimeDelta::minutes(1)));
        assert_eq!(retry_delay(2), Some(TimeDelta::minutes(2)));
        assert_eq!(retry_delay(5), Some(TimeDelta::minutes(16)));
        assert_eq!(retry_delay(11), Some(TimeDelta::minutes(360)));
        assert_eq!(retry_delay(MAX_ATTEMPTS), None);
        let mut last = TimeDelta::zero();
        for attempt in 1..MAX_ATTEMPTS {
            let delay = retry_delay(attempt).expect("retried");
            assert!(delay >= last, "never shorter than the previous wait");
            last = delay;
        }
    }
}
