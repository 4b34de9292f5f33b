//! Dates (`2026-12-31`) and wall times (`14:30`, `14:30:05.25`) by exactly the grammar of
//! chrono's `NaiveDate` and `NaiveTime` `FromStr`, without chrono's generic format-item parser,
//! which `FromStr` runs and which brings its RFC 2822 and offset scanners into the browser builds
//! (about 10 KB of wasm). The tests compare both on generated input.

use chrono::NaiveDate;

/// Up to `max` ASCII digits (at least one) at the start of `s`, as chrono's `scan::number`:
/// the value and the rest; `None` without a digit or on overflow.
fn number(s: &str, max: usize) -> Option<(i64, &str)> {
    let len = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if len == 0 {
        return None;
    }
    let mut value = 0i64;
    for digit in s[..len].bytes() {
        value = value
            .checked_mul(10)?
            .checked_add(i64::from(digit - b'0'))?;
    }
    Some((value, &s[len..]))
}

/// A numeric item: leading whitespace, then up to `max` digits, within `range`.
fn field(s: &str, max: usize, range: std::ops::RangeInclusive<i64>) -> Option<(i64, &str)> {
    number(s.trim_start(), max).filter(|(value, _)| range.contains(value))
}

/// Whitespace, then `literal`.
fn literal<'a>(s: &'a str, literal: &str) -> Option<&'a str> {
    s.trim_start().strip_prefix(literal)
}

/// What `s.parse::<chrono::NaiveDate>()` gives: a year (four digits, or any number with a sign),
/// month and day separated by `-`, with whitespace allowed around each part.
pub(super) fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim_start();
    let (year, s) = if let Some(rest) = s.strip_prefix('-') {
        let (year, rest) = number(rest, usize::MAX)?;
        (-year, rest)
    } else if let Some(rest) = s.strip_prefix('+') {
        number(rest, usize::MAX)?
    } else {
        number(s, 4)?
    };
    let year = i32::try_from(year).ok()?;
    let (month, s) = field(literal(s, "-")?, 2, 1..=12)?;
    let (day, s) = field(literal(s, "-")?, 2, 1..=31)?;
    if !s.trim_start().is_empty() {
        return None;
    }
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// Whether `s.parse::<chrono::NaiveTime>()` succeeds: hours and minutes, optionally seconds
/// (60 is a leap second) with a fraction of any length, whitespace allowed around each part.
pub(super) fn is_time(s: &str) -> bool {
    let Some((_, s)) = field(s, 2, 0..=23) else {
        return false;
    };
    let Some((_, s)) = literal(s, ":").and_then(|s| field(s, 2, 0..=59)) else {
        return false;
    };
    // Without seconds only whitespace may follow; a failed seconds part leaves its colon behind.
    let Some(rest) = literal(s, ":") else {
        return s.trim_start().is_empty();
    };
    let Some((_, mut rest)) = field(rest, 2, 0..=60) else {
        return false;
    };
    if let Some(fraction) = rest.strip_prefix('.') {
        let Some((_, after)) = number(fraction, 9) else {
            return false;
        };
        // Digits past nanoseconds are read and dropped.
        rest = after.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    rest.trim_start().is_empty()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;
    use proptest::prelude::*;

    use super::*;

    fn agrees(s: &str) {
        assert_eq!(date(s), s.parse::<NaiveDate>().ok(), "date {s:?}");
        assert_eq!(is_time(s), s.parse::<NaiveTime>().is_ok(), "time {s:?}");
    }

    #[test]
    fn known_cases_agree_with_chrono() {
        for s in [
            "",
            "2026-12-31",
            "2026-1-5",
            " 2026 - 01 - 05 ",
            "2026-02-29",
            "2024-02-29",
            "20261-01-01",
            "+20261-01-01",
            "-0001-12-31",
            "+99999999999999999999-01-01",
            "-",
            "+",
            "2026-13-01",
            "2026-00-10",
            "2026-12-32",
            "2026-12-3x",
            "2026-12-311",
            "2026/12/31",
            "\u{a0}2026-12-31\u{2003}",
            "14:30",
            "14:30:05",
            "14:30:60",
            "14:30:61",
            "23:59:59.999999999999",
            "24:00",
            "9:5",
            "09:05:",
            "09:05:.5",
            "09:05:07.",
            "09:05:07.x",
            "09 : 05 : 07 . 5",
            "09:05 ",
            "09:05 x",
            "09:60",
            "0930",
            "123:45",
            "14:30:05Z",
        ] {
            agrees(s);
        }
    }

    proptest! {
        #[test]
        fn generated_dates_and_times_agree_with_chrono(
            s in "[ 0-9:.+\\-]{0,14}|[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}|[ \\-+]?[0-9]{1,3}[ :]{1,2}[0-9]{1,3}(:[0-9]{1,3}(\\.[0-9]{0,12})?)?[ a]?"
        ) {
            agrees(&s);
        }
    }
}
