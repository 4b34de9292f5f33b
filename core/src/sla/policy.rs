//! SLA policies and business calendars as admins define them: checking their input with field
//! paths, and the typed forms the engine and the database use.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

use super::calendar::{BusinessCalendar, CalendarError, Holiday, WorkInterval};
use super::clock::WarningLead;
use crate::priority::Priority;
use crate::ticket::{Channel, TicketStatus};
use crate::validation::{FieldError, FieldErrorCode as Code, TextRule, ValidationErrors};

/// What an SLA clock measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// From creation until the first public agent reply.
    FirstResponse,
    /// From a requester reply (after an agent replied) until the next public agent reply.
    NextResponse,
    /// From creation until the ticket is solved.
    Resolution,
}

impl Metric {
    pub const ALL: [Self; 3] = [Self::FirstResponse, Self::NextResponse, Self::Resolution];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::FirstResponse => "first_response",
            Self::NextResponse => "next_response",
            Self::Resolution => "resolution",
        }
    }
}

/// A name that is not one of [`Metric::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown SLA metric {0:?}")]
pub struct UnknownMetric(pub String);

impl FromStr for Metric {
    type Err = UnknownMetric;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| UnknownMetric(s.to_owned()))
    }
}

/// Longest target we accept: a year. The calculator looks ten years ahead, so any calendar
/// with working time reaches it.
pub const MAX_TARGET_MINUTES: u32 = 366 * 24 * 60;

/// A promised duration, in business minutes of the policy's calendar or in calendar minutes
/// (round the clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Target {
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub minutes: u32,
    pub business: bool,
}

impl Target {
    #[must_use]
    pub fn duration(self) -> TimeDelta {
        TimeDelta::minutes(i64::from(self.minutes))
    }
}

/// Which tickets a policy applies to. Empty lists match everything; a ticket matches when it
/// passes every non-empty list (for tags: carries at least one of them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct Conditions {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub priorities: Vec<Priority>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Catalog category slugs; a ticket matches through its item's category or its parent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
}

/// What a ticket looks like to policy matching.
#[derive(Debug, Clone, Copy)]
pub struct MatchFacts<'a> {
    pub priority: Priority,
    pub channel: Channel,
    pub tags: &'a [String],
    /// The catalog item's category and its parent category (empty without an item).
    pub categories: &'a [String],
}

impl Conditions {
    #[must_use]
    pub fn matches(&self, ticket: &MatchFacts<'_>) -> bool {
        (self.priorities.is_empty() || self.priorities.contains(&ticket.priority))
            && (self.channels.is_empty() || self.channels.contains(&ticket.channel))
            && (self.tags.is_empty() || self.tags.iter().any(|t| ticket.tags.contains(t)))
            && (self.categories.is_empty()
                || self
                    .categories
                    .iter()
                    .any(|c| ticket.categories.contains(c)))
    }
}

/// When an escalation fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    Warning,
    Breach,
}

impl Trigger {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Warning => "warning",
            Self::Breach => "breach",
        }
    }
}

/// What the desk does when a clock of `metrics` (all when empty) warns or breaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Escalation {
    pub on: Trigger,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Metric>,
    #[serde(default)]
    pub raise_priority: bool,
    /// Reassign the ticket to this group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_tag: Option<String>,
    /// Queue a notification to the organisation's webhooks.
    #[serde(default)]
    pub notify: bool,
}

/// The escalation actions that apply to one warning or breach, merged over the policy's list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actions {
    pub raise_priority: bool,
    /// The last matching escalation's group wins.
    pub group: Option<String>,
    pub tags: Vec<String>,
    pub notify: bool,
}

/// Targets of one priority, per metric; a missing metric is not measured.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct MetricTargets {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_response: Option<Target>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_response: Option<Target>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Target>,
}

impl MetricTargets {
    #[must_use]
    pub const fn get(&self, metric: Metric) -> Option<Target> {
        match metric {
            Metric::FirstResponse => self.first_response,
            Metric::NextResponse => self.next_response,
            Metric::Resolution => self.resolution,
        }
    }

    fn set(&mut self, metric: Metric, target: Target) {
        match metric {
            Metric::FirstResponse => self.first_response = Some(target),
            Metric::NextResponse => self.next_response = Some(target),
            Metric::Resolution => self.resolution = Some(target),
        }
    }
}

/// The statuses that stop the clocks unless a policy says otherwise.
#[must_use]
pub fn default_pause_statuses() -> Vec<TicketStatus> {
    TicketStatus::ALL
        .into_iter()
        .filter(|s| s.pauses_sla_by_default())
        .collect()
}

const fn default_warning() -> WarningLead {
    WarningLead::Percent(80)
}

/// A checked SLA policy. Serialises to the same shape [`PolicyInput`] accepts, so an admin can
/// GET, edit and PUT it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SlaPolicy {
    pub name: String,
    /// Policies are tried in ascending position; the first that matches applies.
    pub position: u32,
    pub calendar_id: String,
    #[serde(default)]
    pub conditions: Conditions,
    pub targets: BTreeMap<Priority, MetricTargets>,
    #[serde(default = "default_warning")]
    pub warning: WarningLead,
    #[serde(default = "default_pause_statuses")]
    pub pause_statuses: Vec<TicketStatus>,
    #[serde(default)]
    pub escalations: Vec<Escalation>,
}

impl SlaPolicy {
    /// The target for `metric` at `priority`, if the policy measures it.
    #[must_use]
    pub fn target(&self, priority: Priority, metric: Metric) -> Option<Target> {
        self.targets.get(&priority).and_then(|t| t.get(metric))
    }

    /// The actions for a `trigger` of a `metric` clock, merged over every escalation that applies.
    #[must_use]
    pub fn actions(&self, metric: Metric, trigger: Trigger) -> Actions {
        let mut actions = Actions::default();
        for escalation in self
            .escalations
            .iter()
            .filter(|e| e.on == trigger && (e.metrics.is_empty() || e.metrics.contains(&metric)))
        {
            actions.raise_priority |= escalation.raise_priority;
            actions.notify |= escalation.notify;
            if let Some(group) = &escalation.group {
                actions.group = Some(group.clone());
            }
            if let Some(tag) = &escalation.add_tag
                && !actions.tags.contains(tag)
            {
                actions.tags.push(tag.clone());
            }
        }
        actions
    }
}

/// `POST`/`PUT /api/v1/admin/sla/policies`. Names stay strings here so that every problem is a
/// 422 with its path (`targets.urgent.first_response.minutes`), not a JSON error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
// Required by validation (a 422 when missing), though serde fills in a default.
#[cfg_attr(feature = "schema", schemars(extend("required" = ["name", "calendar_id", "targets"])))]
pub struct PolicyInput {
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 120)))]
    pub name: String,
    /// Policies are tried in ascending position.
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1000000)))]
    pub position: i64,
    pub calendar_id: String,
    pub conditions: ConditionsInput,
    /// priority → metric → target.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema::PolicyTargetsInput")
    )]
    pub targets: BTreeMap<String, BTreeMap<String, TargetInput>>,
    /// Default: at 80 % of the target.
    pub warning: Option<WarningInput>,
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::pause_statuses")
    )]
    /// The statuses that pause the clocks. Default: pending and on_hold.
    pub pause_statuses: Option<Vec<String>>,
    pub escalations: Vec<EscalationInput>,
}

/// Which tickets the policy applies to; empty lists match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ConditionsInput {
    pub priorities: Vec<String>,
    pub channels: Vec<String>,
    pub tags: Vec<String>,
    /// Catalog category slugs; a request matches through its item's category or that category's
    /// parent.
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TargetInput {
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 527040)))]
    pub minutes: i64,
    /// Business minutes of the policy's calendar (default) or calendar minutes.
    #[serde(default = "business_by_default")]
    pub business: bool,
}

const fn business_by_default() -> bool {
    true
}

/// Warn at a share of the target or a fixed number of minutes before it: exactly one of the
/// two.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct WarningInput {
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 100)))]
    pub percent: Option<i64>,
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 527040)))]
    pub minutes: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
// Required by validation (a 422 when missing), though serde fills in a default.
#[cfg_attr(feature = "schema", schemars(extend("required" = ["on"])))]
pub struct EscalationInput {
    pub on: String,
    /// Empty: every metric.
    pub metrics: Vec<String>,
    pub raise_priority: bool,
    /// Reassign the ticket to this group (a group's slug; an unknown one is 422).
    pub group: Option<String>,
    pub add_tag: Option<String>,
    /// Notify the organisation's webhooks.
    pub notify: bool,
}

const NAME_RULE: TextRule = TextRule {
    min: 1,
    max: 120,
    multiline: false,
};

/// A group reference (its slug) as escalations and agents assign it; whether the group exists
/// is the store's to check.
pub const GROUP_RULE: TextRule = TextRule {
    min: 1,
    max: 80,
    multiline: false,
};

const MAX_POSITION: i64 = 1_000_000;
const MAX_LIST: usize = 50;

/// Tags: 1–40 of `a-z`, `0-9`, `-`, `_` (they are matched exactly, so one spelling only).
///
/// # Errors
/// [`Code::PatternMismatch`] naming `field`.
pub fn parse_tag(field: &str, raw: &str) -> Result<String, FieldError> {
    let tag = raw.trim();
    let ok = (1..=40).contains(&tag.len())
        && tag
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(tag.to_owned())
    } else {
        Err(FieldError::new(field, Code::PatternMismatch, None))
    }
}

fn bounded(field: &str, value: i64, min: i64, max: i64) -> Result<u32, FieldError> {
    if value < min {
        return Err(FieldError::new(
            field,
            Code::BelowMinimum,
            u32::try_from(min).ok(),
        ));
    }
    if value > max {
        return Err(FieldError::new(
            field,
            Code::AboveMaximum,
            u32::try_from(max).ok(),
        ));
    }
    u32::try_from(value).map_err(|_| FieldError::new(field, Code::AboveMaximum, None))
}

/// Parses each name of a list, reporting `field[i]` for the ones that are not options.
fn parse_names<T: FromStr>(errors: &mut ValidationErrors, field: &str, raw: &[String]) -> Vec<T> {
    if raw.len() > MAX_LIST {
        errors.push(FieldError::new(field, Code::TooLong, Some(MAX_LIST as u32)));
        return Vec::new();
    }
    let mut parsed = Vec::new();
    for (i, name) in raw.iter().enumerate() {
        match name.parse::<T>() {
            Ok(value) => parsed.push(value),
            Err(_) => errors.push(FieldError::new(
                &format!("{field}[{i}]"),
                Code::NotAnOption,
                None,
            )),
        }
    }
    parsed
}

impl SlaPolicy {
    /// Checks an admin's policy. The calendar's existence is the database's to check.
    ///
    /// # Errors
    /// Every problem found, each with its field path.
    pub fn parse(input: &PolicyInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.collect(NAME_RULE.parse("name", &input.name));
        let position = errors.collect(bounded("position", input.position, 0, MAX_POSITION));
        let calendar_id = input.calendar_id.trim().to_owned();
        if calendar_id.is_empty() {
            errors.push(FieldError::new("calendar_id", Code::Required, None));
        }

        let conditions = Conditions {
            priorities: parse_names(
                &mut errors,
                "conditions.priorities",
                &input.conditions.priorities,
            ),
            channels: parse_names(
                &mut errors,
                "conditions.channels",
                &input.conditions.channels,
            ),
            tags: input
                .conditions
                .tags
                .iter()
                .enumerate()
                .filter_map(|(i, t)| errors.collect(parse_tag(&format!("conditions.tags[{i}]"), t)))
                .collect(),
            categories: input
                .conditions
                .categories
                .iter()
                .enumerate()
                .filter_map(|(i, slug)| {
                    let slug = slug.trim();
                    if crate::catalog::valid_slug(slug) {
                        Some(slug.to_owned())
                    } else {
                        errors.push(FieldError::new(
                            &format!("conditions.categories[{i}]"),
                            Code::InvalidKey,
                            None,
                        ));
                        None
                    }
                })
                .collect(),
        };

        let mut targets = BTreeMap::new();
        if input.targets.is_empty() {
            errors.push(FieldError::new("targets", Code::Required, None));
        }
        for (priority_name, by_metric) in &input.targets {
            let path = format!("targets.{priority_name}");
            let Ok(priority) = priority_name.parse::<Priority>() else {
                errors.push(FieldError::new(&path, Code::NotAnOption, None));
                continue;
            };
            let mut metric_targets = MetricTargets::default();
            for (metric_name, target) in by_metric {
                let path = format!("{path}.{metric_name}");
                let Ok(metric) = metric_name.parse::<Metric>() else {
                    errors.push(FieldError::new(&path, Code::NotAnOption, None));
                    continue;
                };
                let minutes = errors.collect(bounded(
                    &format!("{path}.minutes"),
                    target.minutes,
                    1,
                    i64::from(MAX_TARGET_MINUTES),
                ));
                if let Some(minutes) = minutes {
                    metric_targets.set(
                        metric,
                        Target {
                            minutes,
                            business: target.business,
                        },
                    );
                }
            }
            targets.insert(priority, metric_targets);
        }

        let warning = match &input.warning {
            None => Some(default_warning()),
            Some(WarningInput {
                percent: Some(p),
                minutes: None,
            }) => errors
                .collect(bounded("warning.percent", *p, 1, 100))
                .map(|p| WarningLead::Percent(u8::try_from(p).unwrap_or(100))),
            Some(WarningInput {
                percent: None,
                minutes: Some(m),
            }) => errors
                .collect(bounded(
                    "warning.minutes",
                    *m,
                    1,
                    i64::from(MAX_TARGET_MINUTES),
                ))
                .map(WarningLead::Minutes),
            // Neither or both: the admin must say which one.
            Some(_) => {
                errors.push(FieldError::new("warning", Code::Required, None));
                None
            }
        };

        let pause_statuses = match &input.pause_statuses {
            None => default_pause_statuses(),
            Some(raw) => {
                let statuses: Vec<TicketStatus> = parse_names(&mut errors, "pause_statuses", raw);
                // Solved and closed end the clocks; new and open are when the desk works.
                for (i, status) in statuses.iter().enumerate() {
                    if !matches!(status, TicketStatus::Pending | TicketStatus::OnHold) {
                        errors.push(FieldError::new(
                            &format!("pause_statuses[{i}]"),
                            Code::NotAnOption,
                            None,
                        ));
                    }
                }
                statuses
            }
        };

        let mut escalations = Vec::new();
        if input.escalations.len() > MAX_LIST {
            errors.push(FieldError::new(
                "escalations",
                Code::TooLong,
                Some(MAX_LIST as u32),
            ));
        }
        for (i, raw) in input.escalations.iter().enumerate().take(MAX_LIST) {
            let path = format!("escalations[{i}]");
            let on = match raw.on.as_str() {
                "warning" => Some(Trigger::Warning),
                "breach" => Some(Trigger::Breach),
                _ => {
                    errors.push(FieldError::new(
                        &format!("{path}.on"),
                        Code::NotAnOption,
                        None,
                    ));
                    None
                }
            };
            let metrics = parse_names(&mut errors, &format!("{path}.metrics"), &raw.metrics);
            let group = raw
                .group
                .as_ref()
                .and_then(|g| errors.collect(GROUP_RULE.parse(&format!("{path}.group"), g)));
            let add_tag = raw
                .add_tag
                .as_ref()
                .and_then(|t| errors.collect(parse_tag(&format!("{path}.add_tag"), t)));
            let does_something =
                raw.raise_priority || raw.group.is_some() || raw.add_tag.is_some() || raw.notify;
            if !does_something {
                errors.push(FieldError::new(&path, Code::Required, None));
            }
            if let Some(on) = on {
                escalations.push(Escalation {
                    on,
                    metrics,
                    raise_priority: raw.raise_priority,
                    group,
                    add_tag,
                    notify: raw.notify,
                });
            }
        }

        match (name, position, warning) {
            (Some(name), Some(position), Some(warning)) if errors.is_empty() => Ok(Self {
                name,
                position,
                calendar_id,
                conditions,
                targets,
                warning,
                pause_statuses,
                escalations,
            }),
            _ => Err(errors),
        }
    }
}

/// Working hours as an admin writes them: `"09:00"`–`"17:30"`. An end at or before the start
/// runs past midnight (`"22:00"`–`"06:00"`); `"24:00"` ends at midnight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HoursInput {
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^\d\d:\d\d$")))]
    pub start: String,
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^\d\d:\d\d$")))]
    pub end: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HolidayInput {
    /// `YYYY-MM-DD`; with `yearly`, only month and day count.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date")))]
    pub date: String,
    #[serde(default)]
    pub yearly: bool,
}

/// `POST`/`PUT /api/v1/admin/sla/calendars`, and how a checked calendar is stored and shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
// Required by validation (a 422 when missing), though serde fills in a default.
#[cfg_attr(feature = "schema", schemars(extend("required" = ["name", "time_zone"])))]
pub struct CalendarInput {
    pub name: String,
    /// IANA name, e.g. `Europe/Warsaw`.
    pub time_zone: String,
    /// `mon` … `sun` → working intervals; a missing day is a day off.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WeekHours"))]
    pub week: BTreeMap<String, Vec<HoursInput>>,
    pub holidays: Vec<HolidayInput>,
}

pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const MAX_INTERVALS_PER_DAY: usize = 12;
const MAX_HOLIDAYS: usize = 400;

/// `HH:MM` with `HH` 00–24 (24 only as `24:00`), as minutes after midnight.
fn parse_hhmm(raw: &str) -> Option<u16> {
    let (h, m) = raw.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

fn format_hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A checked calendar: its normalised definition (what is stored) and the calculator's form.
#[derive(Debug, Clone)]
pub struct CalendarSpec {
    pub definition: CalendarInput,
    pub calendar: BusinessCalendar,
}

impl CalendarSpec {
    /// Round the clock in UTC: every organisation's default calendar.
    #[must_use]
    pub fn round_the_clock(name: &str) -> CalendarInput {
        let day = vec![HoursInput {
            start: "00:00".to_owned(),
            end: "24:00".to_owned(),
        }];
        CalendarInput {
            name: name.to_owned(),
            time_zone: "UTC".to_owned(),
            week: WEEKDAYS
                .iter()
                .map(|d| ((*d).to_owned(), day.clone()))
                .collect(),
            holidays: Vec::new(),
        }
    }

    /// Checks an admin's calendar.
    ///
    /// # Errors
    /// Every problem found, each with its field path (`week.mon[0].end`, `holidays[2].date`).
    pub fn parse(input: &CalendarInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.collect(NAME_RULE.parse("name", &input.name));
        let time_zone = input.time_zone.trim().to_owned();
        let tz = match BusinessCalendar::zone(&time_zone) {
            Ok(tz) => Some(tz),
            Err(_) => {
                let code = if time_zone.is_empty() {
                    Code::Required
                } else {
                    Code::NotAnOption
                };
                errors.push(FieldError::new("time_zone", code, None));
                None
            }
        };

        let mut week: [Vec<WorkInterval>; 7] = std::array::from_fn(|_| Vec::new());
        let mut normalised_week = BTreeMap::new();
        for (day_name, intervals) in &input.week {
            let path = format!("week.{day_name}");
            let Some(day) = WEEKDAYS.iter().position(|d| d == day_name) else {
                errors.push(FieldError::new(&path, Code::NotAnOption, None));
                continue;
            };
            if intervals.len() > MAX_INTERVALS_PER_DAY {
                errors.push(FieldError::new(
                    &path,
                    Code::TooLong,
                    Some(MAX_INTERVALS_PER_DAY as u32),
                ));
                continue;
            }
            let mut normalised = Vec::new();
            for (i, hours) in intervals.iter().enumerate() {
                let start = parse_hhmm(&hours.start);
                let end = parse_hhmm(&hours.end);
                if start.is_none() {
                    errors.push(FieldError::new(
                        &format!("{path}[{i}].start"),
                        Code::PatternMismatch,
                        None,
                    ));
                }
                if end.is_none() {
                    errors.push(FieldError::new(
                        &format!("{path}[{i}].end"),
                        Code::PatternMismatch,
                        None,
                    ));
                }
                let (Some(start), Some(end)) = (start, end) else {
                    continue;
                };
                // An end at or before the start is the next morning.
                let end = if end <= start { end + 24 * 60 } else { end };
                match WorkInterval::new(start, end) {
                    Ok(interval) => {
                        week[day].push(interval);
                        normalised.push(HoursInput {
                            start: format_hhmm(start),
                            end: format_hhmm(end % (24 * 60)).replace("00:00", "24:00"),
                        });
                    }
                    Err(_) => errors.push(FieldError::new(
                        &format!("{path}[{i}].end"),
                        Code::InvalidBounds,
                        None,
                    )),
                }
            }
            if !normalised.is_empty() {
                normalised_week.insert(day_name.clone(), normalised);
            }
        }

        if input.holidays.len() > MAX_HOLIDAYS {
            errors.push(FieldError::new(
                "holidays",
                Code::TooLong,
                Some(MAX_HOLIDAYS as u32),
            ));
        }
        let mut holidays = Vec::new();
        let mut normalised_holidays = Vec::new();
        for (i, holiday) in input.holidays.iter().enumerate().take(MAX_HOLIDAYS) {
            match NaiveDate::parse_from_str(holiday.date.trim(), "%Y-%m-%d") {
                Ok(date) => {
                    holidays.push(Holiday {
                        date,
                        yearly: holiday.yearly,
                    });
                    normalised_holidays.push(HolidayInput {
                        date: date.format("%Y-%m-%d").to_string(),
                        yearly: holiday.yearly,
                    });
                }
                Err(_) => errors.push(FieldError::new(
                    &format!("holidays[{i}].date"),
                    Code::InvalidDate,
                    None,
                )),
            }
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        let (Some(name), Some(tz)) = (name, tz) else {
            return Err(errors);
        };
        match BusinessCalendar::new(tz, week, holidays) {
            Ok(calendar) => Ok(Self {
                definition: CalendarInput {
                    name,
                    time_zone,
                    week: normalised_week,
                    holidays: normalised_holidays,
                },
                calendar,
            }),
            Err(CalendarError::EmptySchedule) => Err(ValidationErrors(vec![FieldError::new(
                "week",
                Code::Required,
                None,
            )])),
            Err(_) => Err(ValidationErrors(vec![FieldError::new(
                "week",
                Code::InvalidBounds,
                None,
            )])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: &ValidationErrors) -> Vec<&str> {
        errors.0.iter().map(|e| e.field.as_str()).collect()
    }

    fn policy_json(value: serde_json::Value) -> PolicyInput {
        serde_json::from_value(value).expect("policy input")
    }

    fn good_policy() -> serde_json::Value {
        serde_json::json!({
            "name": "Standard",
            "position": 10,
            "calendar_id": "cal1",
            "conditions": {"priorities": ["high", "urgent"], "channels": ["portal"], "tags": ["vip"]},
            "targets": {
                "urgent": {"first_response": {"minutes": 30, "business": false}, "resolution": {"minutes": 240}},
                "high": {"first_response": {"minutes": 60}}
            },
            "warning": {"minutes": 10},
            "escalations": [{"on": "breach", "metrics": ["first_response"], "raise_priority": true, "add_tag": "sla-breached", "notify": true}]
        })
    }

    #[test]
    fn a_valid_policy_parses_and_round_trips_through_its_stored_form() {
        let policy = SlaPolicy::parse(&policy_json(good_policy())).expect("valid");
        assert_eq!(
            policy.target(Priority::Urgent, Metric::FirstResponse),
            Some(Target {
                minutes: 30,
                business: false
            })
        );
        assert_eq!(
            policy.target(Priority::High, Metric::FirstResponse),
            Some(Target {
                minutes: 60,
                business: true
            }),
            "business minutes unless told otherwise"
        );
        assert_eq!(policy.target(Priority::Low, Metric::Resolution), None);
        assert_eq!(
            policy.pause_statuses,
            [TicketStatus::Pending, TicketStatus::OnHold]
        );
        assert_eq!(policy.warning, WarningLead::Minutes(10));
        let stored = serde_json::to_value(&policy).expect("serialise");
        let back: SlaPolicy = serde_json::from_value(stored.clone()).expect("stored form");
        assert_eq!(back, policy);
        // What the API shows can be sent back as input unchanged.
        let again = SlaPolicy::parse(&policy_json(stored)).expect("shown form is valid input");
        assert_eq!(again, policy);
    }

    #[test]
    fn every_policy_problem_is_reported_with_its_path() {
        let input = policy_json(serde_json::json!({
            "name": "",
            "position": -1,
            "calendar_id": "",
            "conditions": {"priorities": ["huge"], "channels": ["fax"], "tags": ["Not A Tag"]},
            "targets": {
                "urgent": {"first_response": {"minutes": 0}, "lunch": {"minutes": 5}},
                "asap": {}
            },
            "warning": {"percent": 150},
            "pause_statuses": ["solved"],
            "escalations": [{"on": "later"}, {"on": "breach", "add_tag": "BAD TAG"}]
        }));
        let errors = SlaPolicy::parse(&input).expect_err("invalid");
        assert_eq!(
            fields(&errors),
            [
                "name",
                "position",
                "calendar_id",
                "conditions.priorities[0]",
                "conditions.channels[0]",
                "conditions.tags[0]",
                "targets.asap",
                "targets.urgent.first_response.minutes",
                "targets.urgent.lunch",
                "warning.percent",
                "pause_statuses[0]",
                "escalations[0].on",
                "escalations[0]",
                "escalations[1].add_tag",
            ]
        );
        let minutes = errors
            .for_field("targets.urgent.first_response.minutes")
            .expect("minutes error");
        assert_eq!(minutes.code, Code::BelowMinimum);
    }

    #[test]
    fn warning_needs_exactly_one_of_percent_and_minutes() {
        let mut value = good_policy();
        value["warning"] = serde_json::json!({"percent": 80, "minutes": 5});
        let errors = SlaPolicy::parse(&policy_json(value.clone())).expect_err("both");
        assert_eq!(fields(&errors), ["warning"]);
        value["warning"] = serde_json::json!({});
        assert!(SlaPolicy::parse(&policy_json(value)).is_err(), "neither");
    }

    #[test]
    fn conditions_match_every_non_empty_list() {
        let policy = SlaPolicy::parse(&policy_json(good_policy())).expect("valid");
        let vip = ["vip".to_owned()];
        let matches = |priority, channel, tags: &[String]| {
            policy.conditions.matches(&MatchFacts {
                priority,
                channel,
                tags,
                categories: &[],
            })
        };
        assert!(matches(Priority::Urgent, Channel::Portal, &vip));
        assert!(!matches(Priority::Normal, Channel::Portal, &vip));
        assert!(!matches(Priority::Urgent, Channel::Api, &vip));
        assert!(!matches(Priority::Urgent, Channel::Portal, &[]));
        let everything = Conditions::default();
        assert!(everything.matches(&MatchFacts {
            priority: Priority::Low,
            channel: Channel::Widget,
            tags: &[],
            categories: &[],
        }));
    }

    #[test]
    fn category_conditions_match_the_item_category_or_its_parent() {
        let mut input = policy_json(good_policy());
        input.conditions = ConditionsInput {
            categories: vec!["it".into()],
            ..ConditionsInput::default()
        };
        let policy = SlaPolicy::parse(&input).expect("valid");
        let facts = |categories: &[String]| {
            policy.conditions.matches(&MatchFacts {
                priority: Priority::Normal,
                channel: Channel::Portal,
                tags: &[],
                categories,
            })
        };
        assert!(facts(&["it-access".to_owned(), "it".to_owned()]));
        assert!(!facts(&["facilities".to_owned()]));
        assert!(
            !facts(&[]),
            "a request without an item is not in any category"
        );

        input.conditions.categories = vec!["IT Stuff".into()];
        let errors = SlaPolicy::parse(&input).expect_err("invalid slug");
        assert!(
            errors
                .0
                .iter()
                .any(|e| e.field == "conditions.categories[0]" && e.code == Code::InvalidKey),
            "{errors:?}"
        );
    }

    #[test]
    fn escalation_actions_merge_over_matching_escalations() {
        let mut value = good_policy();
        value["escalations"] = serde_json::json!([
            {"on": "breach", "raise_priority": true, "add_tag": "late"},
            {"on": "breach", "metrics": ["resolution"], "group": "tier-2", "notify": true},
            {"on": "warning", "add_tag": "soon"}
        ]);
        let policy = SlaPolicy::parse(&policy_json(value)).expect("valid");
        let first = policy.actions(Metric::FirstResponse, Trigger::Breach);
        assert!(first.raise_priority && !first.notify && first.group.is_none());
        assert_eq!(first.tags, ["late"]);
        let resolution = policy.actions(Metric::Resolution, Trigger::Breach);
        assert!(resolution.raise_priority && resolution.notify);
        assert_eq!(resolution.group.as_deref(), Some("tier-2"));
        let warning = policy.actions(Metric::Resolution, Trigger::Warning);
        assert_eq!(
            warning,
            Actions {
                tags: vec!["soon".into()],
                ..Actions::default()
            }
        );
    }

    fn calendar_json(value: serde_json::Value) -> CalendarInput {
        serde_json::from_value(value).expect("calendar input")
    }

    #[test]
    fn calendars_normalise_hours_overnight_shifts_and_holidays() {
        let spec = CalendarSpec::parse(&calendar_json(serde_json::json!({
            "name": "Night desk",
            "time_zone": "Europe/Warsaw",
            "week": {"mon": [{"start": "22:00", "end": "06:00"}], "tue": [{"start": "9:00", "end": "17:00"}]},
            "holidays": [{"date": "2026-12-25", "yearly": true}]
        })));
        // "9:00" is not HH:MM.
        let errors = spec.expect_err("9:00");
        assert_eq!(fields(&errors), ["week.tue[0].start"]);

        let spec = CalendarSpec::parse(&calendar_json(serde_json::json!({
            "name": "Night desk",
            "time_zone": "Europe/Warsaw",
            "week": {"mon": [{"start": "22:00", "end": "06:00"}], "tue": [{"start": "09:00", "end": "24:00"}]},
            "holidays": [{"date": "2026-12-25", "yearly": true}]
        })))
        .expect("valid");
        assert_eq!(spec.definition.week["mon"][0].end, "06:00");
        assert_eq!(spec.definition.week["tue"][0].end, "24:00");
        assert_eq!(spec.calendar.time_zone(), chrono_tz::Europe::Warsaw);
        // The stored definition parses to the same calendar.
        let again = CalendarSpec::parse(&spec.definition).expect("stored form");
        assert_eq!(again.calendar, spec.calendar);
    }

    #[test]
    fn every_calendar_problem_is_reported_with_its_path() {
        let errors = CalendarSpec::parse(&calendar_json(serde_json::json!({
            "name": "x",
            "time_zone": "Mars/Olympus",
            "week": {"funday": [], "mon": [{"start": "25:00", "end": "10:00"}, {"start": "08:00", "end": "08:00"}]},
            "holidays": [{"date": "2026-02-30"}]
        })))
        .expect_err("invalid");
        assert_eq!(
            fields(&errors),
            [
                "time_zone",
                "week.funday",
                "week.mon[0].start",
                "holidays[0].date"
            ]
        );
        let empty = CalendarSpec::parse(&calendar_json(serde_json::json!({
            "name": "Closed", "time_zone": "UTC", "week": {}
        })))
        .expect_err("no working time");
        assert_eq!(fields(&empty), ["week"]);
    }

    #[test]
    fn the_default_calendar_is_round_the_clock() {
        let spec = CalendarSpec::parse(&CalendarSpec::round_the_clock("24/7")).expect("valid");
        assert_eq!(spec.calendar, BusinessCalendar::always_open());
    }
}
