//! The current time and randomness, read from the Workers runtime and handed to the domain.

use std::cell::RefCell;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::error::ApiError;

/// One reading of the clock, in the forms we use.
pub struct Now {
    /// For ULIDs.
    pub unix_ms: u64,
    /// What we store and show: RFC 3339 UTC with milliseconds, which sorts as text.
    pub rfc3339: String,
    /// For the SLA calculations.
    pub instant: DateTime<Utc>,
}

impl Now {
    /// Out-of-range instants (not reachable from `Date.now()`) fall back to the epoch rather
    /// than panicking.
    fn from_unix_ms(unix_ms: u64) -> Self {
        let instant = i64::try_from(unix_ms)
            .ok()
            .and_then(DateTime::from_timestamp_millis)
            .unwrap_or_default();
        Self {
            unix_ms,
            rfc3339: rfc3339(instant),
            instant,
        }
    }
}

impl Now {
    /// The instant `delta` after this one, as stored (RFC 3339 UTC with milliseconds).
    #[must_use]
    pub fn plus(&self, delta: chrono::TimeDelta) -> String {
        rfc3339(self.instant + delta)
    }
}

/// `instant` as stored: RFC 3339 UTC with milliseconds (`2026-11-23T07:40:00.123Z`), which
/// sorts as text.
#[must_use]
pub fn rfc3339(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Reads the runtime clock (in Workers it advances only across I/O, which is all we need).
pub fn now() -> Now {
    Now::from_unix_ms(worker::Date::now().as_millis())
}

/// The runtime clock moved by `offset_ms`: only test deployments have a non-zero offset (see
/// `Config::now`), so black-box tests can let SLA deadlines pass without waiting.
pub fn now_with_offset(offset_ms: i64) -> Now {
    let real = i64::try_from(worker::Date::now().as_millis()).unwrap_or(i64::MAX);
    Now::from_unix_ms(u64::try_from(real.saturating_add(offset_ms)).unwrap_or_default())
}

thread_local! {
    /// Test deployments only: how far each organisation's widget clock (see
    /// `Config::widget_now`) is ahead of the desk's, by slug. Kept in the isolate rather than
    /// in D1 so that it needs no table and costs other organisations' requests nothing; a test
    /// deployment (`wrangler dev`) runs one isolate, so every request of a test sees it.
    static ORG_OFFSETS: RefCell<BTreeMap<String, i64>> = const { RefCell::new(BTreeMap::new()) };
}

/// Moves organisation `slug`'s widget clock forward by `ms` (never back, as the desk's own
/// clock) and returns its new offset from the desk's clock.
pub fn advance_org(slug: &str, ms: i64) -> i64 {
    ORG_OFFSETS.with(|offsets| {
        let mut offsets = offsets.borrow_mut();
        let offset = offsets.entry(slug.to_owned()).or_default();
        *offset = offset.saturating_add(ms.max(0));
        *offset
    })
}

/// How far organisation `slug`'s widget clock is ahead of the desk's (0 until moved).
#[must_use]
pub fn org_offset_ms(slug: &str) -> i64 {
    ORG_OFFSETS.with(|offsets| offsets.borrow().get(slug).copied().unwrap_or_default())
}

/// `N` bytes from the platform CSPRNG (`crypto.getRandomValues` in Workers).
pub fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0_u8; N];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal(format!("no randomness: {e}")))?;
    Ok(bytes)
}

/// Random bits for a ULID (it keeps the low 80).
pub fn random_u128() -> Result<u128, ApiError> {
    random_bytes::<16>().map(u128::from_le_bytes)
}

/// `count` new ULIDs that sort in the order given, even within one millisecond (the random
/// part counts up, as monotonic ULIDs do): a change's audit events keep their order.
pub fn new_ids(now: &Now, count: usize) -> Result<Vec<String>, ApiError> {
    // Clear the top bits so counting up cannot overflow the 80 random bits.
    let base = random_u128()? >> 56;
    Ok((0..count as u128)
        .map(|i| edgedesk_core::TicketId::from_parts(now.unix_ms, base + i).to_string())
        .collect())
}

/// A new ULID (time-ordered) for any record: events, comments, tokens, organisations.
pub fn new_id(now: &Now) -> Result<String, ApiError> {
    Ok(edgedesk_core::TicketId::from_parts(now.unix_ms, random_u128()?).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_with_milliseconds_and_a_z() {
        assert_eq!(
            Now::from_unix_ms(1_795_419_600_123).rfc3339,
            "2026-11-23T07:40:00.123Z"
        );
        assert_eq!(Now::from_unix_ms(0).rfc3339, "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn an_organisations_clock_moves_forward_alone() {
        assert_eq!(org_offset_ms("clock-a"), 0);
        assert_eq!(advance_org("clock-a", 4_000), 4_000);
        assert_eq!(advance_org("clock-a", 1_000), 5_000);
        // Never back, as the desk's clock: a form token only ever gets older.
        assert_eq!(advance_org("clock-a", -60_000), 5_000);
        assert_eq!(org_offset_ms("clock-a"), 5_000);
        assert_eq!(org_offset_ms("clock-b"), 0);
    }

    #[test]
    fn random_bytes_differ_between_calls() {
        let a = random_bytes::<32>().expect("randomness");
        let b = random_bytes::<32>().expect("randomness");
        assert_ne!(a, b);
    }
}
