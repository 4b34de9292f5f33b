//! Due instants, elapsed and remaining business time of one SLA clock, with pauses.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::calendar::BusinessCalendar;

/// A stretch during which the clock stood still (e.g. the ticket was pending). `until: None`
/// means it is still paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

/// When to warn before a breach: at a share of the target, or a fixed time before it.
/// On the wire: `{"percent": 80}` or `{"minutes": 15}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WarningLead {
    /// Warn once this percentage of the target has elapsed (e.g. 80).
    Percent(#[cfg_attr(feature = "schema", schemars(range(min = 1, max = 100)))] u8),
    /// Warn this many business minutes before the due time.
    Minutes(#[cfg_attr(feature = "schema", schemars(range(min = 1, max = 527_040)))] u32),
}

impl WarningLead {
    /// The elapsed business time at which the warning falls due.
    #[must_use]
    pub fn warning_target(self, target: TimeDelta) -> TimeDelta {
        match self {
            Self::Percent(p) => target * i32::from(p.min(100)) / 100,
            Self::Minutes(m) => (target - TimeDelta::minutes(i64::from(m))).max(TimeDelta::zero()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("the target cannot be reached within {0} years of this calendar")]
    Unreachable(u32),
}

/// A clock as the API shows it at `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockStatus {
    pub target: TimeDelta,
    /// `None` while paused before the target was reached: the deadline is not running.
    pub due_at: Option<DateTime<Utc>>,
    pub elapsed: TimeDelta,
    /// Negative once breached.
    pub remaining: TimeDelta,
    pub paused: bool,
}

const HORIZON_YEARS: u32 = 10;
const WINDOW_DAYS: i64 = 31;

/// Working time in `[from, until)` with pauses cut out.
fn effective_intervals(
    calendar: &BusinessCalendar,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    pauses: &[Pause],
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut pieces = calendar.intervals(from, until);
    for pause in pauses {
        let pause_end = pause.until.unwrap_or(DateTime::<Utc>::MAX_UTC);
        if pause.from >= pause_end {
            continue;
        }
        pieces = pieces
            .into_iter()
            .flat_map(|(start, end)| {
                let before = (start, end.min(pause.from));
                let after = (start.max(pause_end), end);
                [before, after].into_iter().filter(|(s, e)| s < e)
            })
            .collect();
    }
    pieces
}

/// Business time elapsed between `start` and `end`, not counting pauses.
#[must_use]
pub fn business_time_between(
    calendar: &BusinessCalendar,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    pauses: &[Pause],
) -> TimeDelta {
    effective_intervals(calendar, start, end, pauses)
        .into_iter()
        .fold(TimeDelta::zero(), |sum, (s, e)| sum + (e - s))
}

/// The instant `target` of business time will have elapsed since `start`.
///
/// `Ok(None)` when an ongoing pause stops the clock before the target is reached.
///
/// # Errors
/// [`ClockError::Unreachable`] if the calendar offers too little time within the horizon
/// (e.g. every working day is a holiday).
pub fn due_at(
    calendar: &BusinessCalendar,
    start: DateTime<Utc>,
    target: TimeDelta,
    pauses: &[Pause],
) -> Result<Option<DateTime<Utc>>, ClockError> {
    let mut remaining = target.max(TimeDelta::zero());
    if remaining.is_zero() {
        return Ok(Some(start));
    }
    let open_pause = pauses
        .iter()
        .filter(|p| p.until.is_none())
        .map(|p| p.from)
        .min();
    let horizon = start + TimeDelta::days(365 * i64::from(HORIZON_YEARS));
    let mut window_start = start;
    while window_start < horizon {
        if open_pause.is_some_and(|paused| paused <= window_start) {
            return Ok(None);
        }
        let window_end = window_start + TimeDelta::days(WINDOW_DAYS);
        for (s, e) in effective_intervals(calendar, window_start, window_end, pauses) {
            let length = e - s;
            if length >= remaining {
                return Ok(Some(s + remaining));
            }
            remaining -= length;
        }
        window_start = window_end;
    }
    Err(ClockError::Unreachable(HORIZON_YEARS))
}

/// The clock's state at `now`.
///
/// # Errors
/// As [`due_at`].
pub fn clock_status(
    calendar: &BusinessCalendar,
    start: DateTime<Utc>,
    target: TimeDelta,
    pauses: &[Pause],
    now: DateTime<Utc>,
) -> Result<ClockStatus, ClockError> {
    let elapsed = business_time_between(calendar, start, now, pauses);
    let paused = pauses
        .iter()
        .any(|p| p.from <= now && p.until.is_none_or(|until| now < until));
    Ok(ClockStatus {
        target,
        due_at: due_at(calendar, start, target, pauses)?,
        elapsed,
        remaining: target - elapsed,
        paused,
    })
}
