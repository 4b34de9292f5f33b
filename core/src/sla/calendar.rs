//! Business-hours calendars: a weekly schedule in an IANA time zone, minus holidays.

use chrono::{
    DateTime, Datelike as _, Days, NaiveDate, NaiveDateTime, TimeDelta, TimeZone as _, Utc,
};
use chrono_tz::Tz;

const MINUTES_PER_DAY: u16 = 24 * 60;

/// Working time within one local day, in minutes after local midnight. `end` may pass midnight
/// (up to 48:00) for overnight shifts; the interval belongs to the day it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkInterval {
    start: u16,
    end: u16,
}

impl WorkInterval {
    /// # Errors
    /// [`CalendarError::BadInterval`] unless `start < 24:00`, `start < end` and the interval is at most a day long.
    pub fn new(start_minute: u16, end_minute: u16) -> Result<Self, CalendarError> {
        let valid = start_minute < MINUTES_PER_DAY
            && start_minute < end_minute
            && end_minute - start_minute <= MINUTES_PER_DAY;
        if valid {
            Ok(Self {
                start: start_minute,
                end: end_minute,
            })
        } else {
            Err(CalendarError::BadInterval {
                start_minute,
                end_minute,
            })
        }
    }

    /// Minutes after local midnight the interval starts.
    #[must_use]
    pub const fn start_minute(self) -> u16 {
        self.start
    }

    /// Minutes after local midnight the interval ends (past 24:00 for overnight shifts).
    #[must_use]
    pub const fn end_minute(self) -> u16 {
        self.end
    }

    /// Convenience for `HH:MM`-style hours: `hm(9, 0, 17, 30)`.
    ///
    /// # Errors
    /// As [`WorkInterval::new`].
    pub fn hm(start_h: u16, start_m: u16, end_h: u16, end_m: u16) -> Result<Self, CalendarError> {
        Self::new(start_h * 60 + start_m, end_h * 60 + end_m)
    }
}

/// A day off: one date, or the same month and day every year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub yearly: bool,
}

impl Holiday {
    fn covers(&self, day: NaiveDate) -> bool {
        if self.yearly {
            self.date.month() == day.month() && self.date.day() == day.day()
        } else {
            self.date == day
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("working interval {start_minute}..{end_minute} is not a valid part of a day")]
    BadInterval { start_minute: u16, end_minute: u16 },
    #[error("the weekly schedule has no working time at all")]
    EmptySchedule,
    #[error("unknown time zone {0:?}")]
    UnknownTimeZone(String),
}

/// When the desk works: per weekday (Monday first) intervals in `tz`, except on holidays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    tz: Tz,
    week: [Vec<WorkInterval>; 7],
    holidays: Vec<Holiday>,
}

impl BusinessCalendar {
    /// # Errors
    /// [`CalendarError::EmptySchedule`] when no weekday has working time (no deadline could ever fall).
    pub fn new(
        tz: Tz,
        mut week: [Vec<WorkInterval>; 7],
        holidays: Vec<Holiday>,
    ) -> Result<Self, CalendarError> {
        if week.iter().all(Vec::is_empty) {
            return Err(CalendarError::EmptySchedule);
        }
        for day in &mut week {
            day.sort_by_key(|i| i.start);
        }
        Ok(Self { tz, week, holidays })
    }

    /// Round the clock, every day: calendar-time targets use this.
    #[must_use]
    pub fn always_open() -> Self {
        let day = vec![WorkInterval {
            start: 0,
            end: MINUTES_PER_DAY,
        }];
        Self {
            tz: Tz::UTC,
            week: std::array::from_fn(|_| day.clone()),
            holidays: Vec::new(),
        }
    }

    /// Parses an IANA zone name such as `Europe/Warsaw`.
    ///
    /// # Errors
    /// [`CalendarError::UnknownTimeZone`] for names not in the tz database.
    pub fn zone(name: &str) -> Result<Tz, CalendarError> {
        name.parse()
            .map_err(|_| CalendarError::UnknownTimeZone(name.to_owned()))
    }

    #[must_use]
    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// Working time in `[from, until)` as ordered, disjoint UTC intervals.
    pub(crate) fn intervals(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
        if from >= until {
            return merged;
        }
        // Start a day early: an overnight shift of the previous local day may still be running.
        let first = from
            .with_timezone(&self.tz)
            .date_naive()
            .pred_opt()
            .unwrap_or(NaiveDate::MIN);
        let last = until.with_timezone(&self.tz).date_naive();
        let mut day = first;
        while day <= last {
            if !self.holidays.iter().any(|h| h.covers(day)) {
                let weekday = day.weekday().num_days_from_monday() as usize;
                for interval in &self.week[weekday] {
                    let start = self.local_to_utc(day, interval.start).max(from);
                    let end = self.local_to_utc(day, interval.end).min(until);
                    if start >= end {
                        continue;
                    }
                    // Starts are non-decreasing (each day's intervals start within that day), so
                    // merging with the last interval is enough.
                    match merged.last_mut() {
                        Some(last) if start <= last.1 => last.1 = last.1.max(end),
                        _ => merged.push((start, end)),
                    }
                }
            }
            let Some(next) = day.checked_add_days(Days::new(1)) else {
                break;
            };
            day = next;
        }
        merged
    }

    /// The instant a local wall-clock time happens. In a DST gap (the time does not exist) it is
    /// the moment the clocks jump; in a fold (it happens twice) the first occurrence.
    fn local_to_utc(&self, day: NaiveDate, minute: u16) -> DateTime<Utc> {
        let local: NaiveDateTime =
            day.and_time(chrono::NaiveTime::MIN) + TimeDelta::minutes(i64::from(minute));
        let mut probe = local;
        // Gaps are at most a few hours; step through them a minute at a time.
        for _ in 0..=(4 * 60) {
            if let Some(instant) = self.tz.from_local_datetime(&probe).earliest() {
                return instant.with_timezone(&Utc);
            }
            probe += TimeDelta::minutes(1);
        }
        // Unreachable for real zones; fall back to reading the wall time as UTC.
        local.and_utc()
    }
}
