//! SLA data: business calendars and policies (admin CRUD), loading them for the engine, a
//! ticket's clock rows, and the statements that store a ticket's SLA state in its change batch.

use std::collections::BTreeMap;

use edgedesk_core::api::{CalendarView, PolicyView};
use edgedesk_core::sla::{
    BusinessCalendar, CalendarInput, CalendarSpec, Clock, Metric, PolicyChoice, SlaPolicy, Target,
    Update, format_instant, parse_instant,
};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use super::StoreError;
use super::{Sql, d1_error, statement, to_json};

// ---------------------------------------------------------------------------------------------
// Calendars

#[derive(Deserialize)]
struct CalendarRow {
    id: String,
    definition: String,
    is_default: i64,
    created_at: String,
    updated_at: String,
}

impl CalendarRow {
    fn view(self) -> Result<CalendarView, StoreError> {
        let definition: CalendarInput = serde_json::from_str(&self.definition)
            .map_err(|e| StoreError::decode("stored calendar", format!("{}: {e}", self.id)))?;
        Ok(CalendarView {
            id: self.id,
            name: definition.name,
            time_zone: definition.time_zone,
            week: definition.week,
            holidays: definition.holidays,
            is_default: self.is_default == 1,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const CALENDAR_COLUMNS: &str = "id, definition, is_default, created_at, updated_at";

pub async fn list_calendars(
    db: &D1Database,
    org_id: &str,
) -> Result<Vec<CalendarView>, StoreError> {
    statement(
        db,
        &format!("SELECT {CALENDAR_COLUMNS} FROM sla_calendars WHERE org_id = ?1 ORDER BY id"),
        &[org_id.into()],
    )?
    .all()
    .await
    .and_then(|r| r.results::<CalendarRow>())
    .map_err(d1_error("listing calendars"))?
    .into_iter()
    .map(CalendarRow::view)
    .collect()
}

pub async fn get_calendar(
    db: &D1Database,
    org_id: &str,
    id: &str,
) -> Result<Option<CalendarView>, StoreError> {
    statement(
        db,
        &format!("SELECT {CALENDAR_COLUMNS} FROM sla_calendars WHERE org_id = ?1 AND id = ?2"),
        &[org_id.into(), id.into()],
    )?
    .first::<CalendarRow>(None)
    .await
    .map_err(d1_error("reading a calendar"))?
    .map(CalendarRow::view)
    .transpose()
}

pub async fn create_calendar(
    db: &D1Database,
    org_id: &str,
    id: &str,
    definition: &CalendarInput,
    now: &str,
) -> Result<CalendarView, StoreError> {
    statement(
        db,
        &format!(
            "INSERT INTO sla_calendars (id, org_id, name, definition, is_default, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5) RETURNING {CALENDAR_COLUMNS}"
        ),
        &[
            id.into(),
            org_id.into(),
            definition.name.as_str().into(),
            to_json(definition)?.into(),
            now.into(),
        ],
    )?
    .first::<CalendarRow>(None)
    .await
    .map_err(d1_error("creating a calendar"))?
    .ok_or_else(|| StoreError::broken("calendar insert returned no row"))?
    .view()
}

/// Replaces calendar `id`'s definition; `None` if the organisation has no such calendar.
/// Running clocks pick the new hours up at their ticket's next change.
pub async fn update_calendar(
    db: &D1Database,
    org_id: &str,
    id: &str,
    definition: &CalendarInput,
    now: &str,
) -> Result<Option<CalendarView>, StoreError> {
    statement(
        db,
        &format!(
            "UPDATE sla_calendars SET name = ?3, definition = ?4, updated_at = ?5 \
             WHERE org_id = ?1 AND id = ?2 RETURNING {CALENDAR_COLUMNS}"
        ),
        &[
            org_id.into(),
            id.into(),
            definition.name.as_str().into(),
            to_json(definition)?.into(),
            now.into(),
        ],
    )?
    .first::<CalendarRow>(None)
    .await
    .map_err(d1_error("updating a calendar"))?
    .map(CalendarRow::view)
    .transpose()
}

/// What deleting a calendar did.
pub enum CalendarDeletion {
    Deleted,
    NotFound,
    /// The default calendar, or one a policy uses: it stays.
    InUse,
}

pub async fn delete_calendar(
    db: &D1Database,
    org_id: &str,
    id: &str,
) -> Result<CalendarDeletion, StoreError> {
    let deleted = statement(
        db,
        "DELETE FROM sla_calendars WHERE org_id = ?1 AND id = ?2 AND is_default = 0 \
         AND NOT EXISTS (SELECT 1 FROM sla_policies WHERE org_id = ?1 AND calendar_id = ?2) \
         RETURNING id",
        &[org_id.into(), id.into()],
    )?
    .first::<serde_json::Value>(None)
    .await
    .map_err(d1_error("deleting a calendar"))?;
    if deleted.is_some() {
        return Ok(CalendarDeletion::Deleted);
    }
    Ok(if get_calendar(db, org_id, id).await?.is_some() {
        CalendarDeletion::InUse
    } else {
        CalendarDeletion::NotFound
    })
}

/// The default calendar of a new organisation, for its creation batch: round the clock. Its id
/// is derived from the organisation's, as the migration does for existing ones.
pub(crate) fn insert_default_calendar(
    db: &D1Database,
    org_id: &str,
    now: &str,
) -> Result<D1PreparedStatement, StoreError> {
    let definition = CalendarSpec::round_the_clock("24/7");
    statement(
        db,
        "INSERT INTO sla_calendars (id, org_id, name, definition, is_default, created_at, updated_at) \
         SELECT ?1 || '-24x7', ?1, ?2, ?3, 1, ?4, ?4 WHERE EXISTS (SELECT 1 FROM orgs WHERE id = ?1)",
        &[
            org_id.into(),
            definition.name.as_str().into(),
            to_json(&definition)?.into(),
            now.into(),
        ],
    )
}

// ---------------------------------------------------------------------------------------------
// Policies

#[derive(Deserialize)]
struct PolicyRow {
    id: String,
    definition: String,
    created_at: String,
    updated_at: String,
}

impl PolicyRow {
    fn view(self) -> Result<PolicyView, StoreError> {
        let policy: SlaPolicy = serde_json::from_str(&self.definition)
            .map_err(|e| StoreError::decode("stored policy", format!("{}: {e}", self.id)))?;
        Ok(PolicyView {
            id: self.id,
            policy,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const POLICY_COLUMNS: &str = "id, definition, created_at, updated_at";

pub async fn list_policies(db: &D1Database, org_id: &str) -> Result<Vec<PolicyView>, StoreError> {
    statement(
        db,
        &format!(
            "SELECT {POLICY_COLUMNS} FROM sla_policies WHERE org_id = ?1 ORDER BY position, id"
        ),
        &[org_id.into()],
    )?
    .all()
    .await
    .and_then(|r| r.results::<PolicyRow>())
    .map_err(d1_error("listing policies"))?
    .into_iter()
    .map(PolicyRow::view)
    .collect()
}

pub async fn get_policy(
    db: &D1Database,
    org_id: &str,
    id: &str,
) -> Result<Option<PolicyView>, StoreError> {
    statement(
        db,
        &format!("SELECT {POLICY_COLUMNS} FROM sla_policies WHERE org_id = ?1 AND id = ?2"),
        &[org_id.into(), id.into()],
    )?
    .first::<PolicyRow>(None)
    .await
    .map_err(d1_error("reading a policy"))?
    .map(PolicyRow::view)
    .transpose()
}

/// What writing a policy did.
pub enum PolicyWrite {
    Done(Box<PolicyView>),
    NotFound,
    /// The policy names a calendar the organisation does not have.
    UnknownCalendar,
}

/// Only a calendar of the same organisation can be used (checked in the same statement).
const CALENDAR_IS_OURS: &str = "EXISTS (SELECT 1 FROM sla_calendars WHERE org_id = ?2 AND id = ?5)";

pub async fn create_policy(
    db: &D1Database,
    org_id: &str,
    id: &str,
    policy: &SlaPolicy,
    now: &str,
) -> Result<PolicyWrite, StoreError> {
    let row = statement(
        db,
        &format!(
            "INSERT INTO sla_policies (id, org_id, name, position, calendar_id, definition, created_at, updated_at) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7 WHERE {CALENDAR_IS_OURS} RETURNING {POLICY_COLUMNS}"
        ),
        &policy_params(id, org_id, policy, now)?,
    )?
    .first::<PolicyRow>(None)
    .await
    .map_err(d1_error("creating a policy"))?;
    match row {
        Some(row) => Ok(PolicyWrite::Done(Box::new(row.view()?))),
        None => Ok(PolicyWrite::UnknownCalendar),
    }
}

/// Replaces policy `id`. Tickets pick the new targets up at their next change.
pub async fn update_policy(
    db: &D1Database,
    org_id: &str,
    id: &str,
    policy: &SlaPolicy,
    now: &str,
) -> Result<PolicyWrite, StoreError> {
    let row = statement(
        db,
        &format!(
            "UPDATE sla_policies SET name = ?3, position = ?4, calendar_id = ?5, definition = ?6, \
             updated_at = ?7 WHERE id = ?1 AND org_id = ?2 AND {CALENDAR_IS_OURS} \
             RETURNING {POLICY_COLUMNS}"
        ),
        &policy_params(id, org_id, policy, now)?,
    )?
    .first::<PolicyRow>(None)
    .await
    .map_err(d1_error("updating a policy"))?;
    if let Some(row) = row {
        return Ok(PolicyWrite::Done(Box::new(row.view()?)));
    }
    Ok(if get_policy(db, org_id, id).await?.is_some() {
        PolicyWrite::UnknownCalendar
    } else {
        PolicyWrite::NotFound
    })
}

fn policy_params(
    id: &str,
    org_id: &str,
    policy: &SlaPolicy,
    now: &str,
) -> Result<Vec<JsValue>, StoreError> {
    Ok(vec![
        id.into(),
        org_id.into(),
        policy.name.as_str().into(),
        JsValue::from_f64(f64::from(policy.position)),
        policy.calendar_id.as_str().into(),
        to_json(policy)?.into(),
        now.into(),
    ])
}

/// Deletes policy `id`; `false` if there is none. Its tickets keep their clocks until their
/// next change matches another policy.
pub async fn delete_policy(db: &D1Database, org_id: &str, id: &str) -> Result<bool, StoreError> {
    Ok(statement(
        db,
        "DELETE FROM sla_policies WHERE org_id = ?1 AND id = ?2 RETURNING id",
        &[org_id.into(), id.into()],
    )?
    .first::<serde_json::Value>(None)
    .await
    .map_err(d1_error("deleting a policy"))?
    .is_some())
}

// ---------------------------------------------------------------------------------------------
// Loading policies and clocks for the engine

/// A policy with its calendar, ready for `tracker::update`.
pub struct LoadedPolicy {
    pub id: String,
    pub policy: SlaPolicy,
    pub calendar: BusinessCalendar,
}

/// A row of a policies-with-calendars query (`id`, `definition`, `calendar`).
#[derive(Deserialize)]
pub(crate) struct PolicyCalendarRow {
    pub(crate) id: Option<String>,
    pub(crate) definition: Option<String>,
    pub(crate) calendar: Option<String>,
}

/// Parses stored policies; a row that no longer parses is logged and skipped, so one broken
/// policy cannot stop every ticket write of its organisation.
pub(crate) fn loaded_policies(rows: Vec<PolicyCalendarRow>) -> Vec<LoadedPolicy> {
    rows.into_iter()
        .filter_map(|row| {
            let (id, definition, calendar) = (row.id?, row.definition?, row.calendar?);
            let policy = serde_json::from_str::<SlaPolicy>(&definition);
            let calendar = parse_calendar(&calendar);
            match (policy, calendar) {
                (Ok(policy), Some(calendar)) => Some(LoadedPolicy {
                    id,
                    policy,
                    calendar,
                }),
                _ => {
                    worker::console_error!("SLA policy {id} or its calendar no longer parses");
                    None
                }
            }
        })
        .collect()
}

/// The calculator's form of a stored calendar definition.
pub(crate) fn parse_calendar(definition: &str) -> Option<BusinessCalendar> {
    let input: CalendarInput = serde_json::from_str(definition).ok()?;
    CalendarSpec::parse(&input).ok().map(|spec| spec.calendar)
}

#[must_use]
pub fn choices(policies: &[LoadedPolicy]) -> Vec<PolicyChoice<'_>> {
    policies
        .iter()
        .map(|p| PolicyChoice {
            id: &p.id,
            policy: &p.policy,
            calendar: &p.calendar,
        })
        .collect()
}

/// Columns of [`ClockRow`] (alias `c`), plus the clock's policy calendar as `calendar`.
pub(crate) const CLOCK_COLUMNS: &str = "c.ticket_id, c.metric, c.policy_id, c.target_minutes, \
     c.business, c.started_at, c.due_at, c.warn_at, c.warned_at, c.breached_at, \
     c.breach_detected_at, c.fulfilled_at, \
     (SELECT cal.definition FROM sla_policies p JOIN sla_calendars cal \
      ON cal.org_id = p.org_id AND cal.id = p.calendar_id \
      WHERE p.org_id = c.org_id AND p.id = c.policy_id) AS calendar";

/// A stored clock, with its policy's calendar definition (if the policy still exists).
#[derive(Debug, Deserialize)]
pub struct ClockRow {
    pub ticket_id: String,
    metric: String,
    policy_id: Option<String>,
    target_minutes: i64,
    business: i64,
    started_at: String,
    due_at: Option<String>,
    warn_at: Option<String>,
    warned_at: Option<String>,
    breached_at: Option<String>,
    breach_detected_at: Option<String>,
    fulfilled_at: Option<String>,
    calendar: Option<String>,
}

impl ClockRow {
    /// The clock, or `None` (logged) for a row that does not parse.
    #[must_use]
    pub fn clock(&self) -> Option<Clock> {
        let instant = |raw: &Option<String>| raw.as_deref().and_then(parse_instant);
        let clock = Some(Clock {
            metric: self.metric.parse::<Metric>().ok()?,
            policy_id: self.policy_id.clone(),
            target: Target {
                minutes: u32::try_from(self.target_minutes).ok()?,
                business: self.business == 1,
            },
            started_at: parse_instant(&self.started_at)?,
            due_at: instant(&self.due_at),
            warn_at: instant(&self.warn_at),
            warned_at: instant(&self.warned_at),
            breached_at: instant(&self.breached_at),
            breach_detected_at: instant(&self.breach_detected_at),
            fulfilled_at: instant(&self.fulfilled_at),
        });
        if clock.is_none() {
            worker::console_error!("unreadable SLA clock on ticket {}", self.ticket_id);
        }
        clock
    }
}

/// Clocks with the calendars their readings need; calendars parsed once per definition.
#[derive(Default)]
pub struct ClockSet {
    pub clocks: Vec<(String, Clock, Option<usize>)>,
    pub calendars: Vec<BusinessCalendar>,
}

impl ClockSet {
    #[must_use]
    pub fn from_rows(rows: Vec<ClockRow>) -> Self {
        let mut set = Self::default();
        let mut seen: BTreeMap<String, Option<usize>> = BTreeMap::new();
        for row in rows {
            let Some(clock) = row.clock() else { continue };
            let calendar = row.calendar.and_then(|definition| {
                *seen.entry(definition).or_insert_with_key(|definition| {
                    parse_calendar(definition).map(|calendar| {
                        set.calendars.push(calendar);
                        set.calendars.len() - 1
                    })
                })
            });
            set.clocks.push((row.ticket_id, clock, calendar));
        }
        set
    }

    /// The clocks of `ticket_id`, each with its calendar (round the clock if its policy is gone).
    pub fn of<'s>(
        &'s self,
        ticket_id: &'s str,
        always: &'s BusinessCalendar,
    ) -> impl Iterator<Item = (&'s Clock, &'s BusinessCalendar)> + 's {
        self.clocks
            .iter()
            .filter(move |(id, _, _)| id == ticket_id)
            .map(move |(_, clock, calendar)| {
                (
                    clock,
                    calendar
                        .and_then(|i| self.calendars.get(i))
                        .unwrap_or(always),
                )
            })
    }
}

// ---------------------------------------------------------------------------------------------
// Writing a ticket's SLA state

/// A late breach found by a change, recorded as an event in that change.
pub struct LateBreach {
    pub metric: Metric,
    pub started_at: String,
    pub deadline: String,
    pub event_id: String,
}

/// A ticket's SLA after a change, stored by the change's batch.
pub struct SlaWrite {
    pub policy_id: Option<String>,
    /// JSON of the pauses.
    pub pauses: String,
    pub clocks: Vec<Clock>,
    pub removed: Vec<Metric>,
    pub late_breaches: Vec<LateBreach>,
}

impl SlaWrite {
    /// # Errors
    /// Only if an event id cannot be made (no randomness).
    pub fn from_update<E: From<StoreError>>(
        update: &Update,
        mut new_event_id: impl FnMut() -> Result<String, E>,
    ) -> Result<Self, E> {
        let mut late_breaches = Vec::new();
        for metric in &update.late_breaches {
            if let Some(clock) = update.state.clock(*metric)
                && let Some(deadline) = clock.breached_at
            {
                late_breaches.push(LateBreach {
                    metric: *metric,
                    started_at: format_instant(clock.started_at),
                    deadline: format_instant(deadline),
                    event_id: new_event_id()?,
                });
            }
        }
        Ok(Self {
            policy_id: update.state.policy_id.clone(),
            pauses: to_json(&update.state.pauses)?,
            clocks: update.state.clocks.clone(),
            removed: update.removed.clone(),
            late_breaches,
        })
    }
}

fn opt_instant(at: Option<chrono::DateTime<chrono::Utc>>) -> serde_json::Value {
    at.map(format_instant).into()
}

/// The clock upsert: a clock of the same cycle (same start) keeps what the sweep recorded
/// meanwhile and stays fulfilled once fulfilled; a new cycle starts clean.
const UPSERT_CLOCK: &str = "INSERT INTO sla_clocks (org_id, ticket_id, metric, policy_id, \
     target_minutes, business, started_at, due_at, warn_at, warned_at, breached_at, \
     breach_detected_at, fulfilled_at) \
     SELECT ?1, ?2, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14 WHERE {GUARD} \
     ON CONFLICT (org_id, ticket_id, metric) DO UPDATE SET \
     policy_id = excluded.policy_id, target_minutes = excluded.target_minutes, \
     business = excluded.business, due_at = excluded.due_at, warn_at = excluded.warn_at, \
     warned_at = CASE WHEN sla_clocks.started_at = excluded.started_at \
         THEN COALESCE(sla_clocks.warned_at, excluded.warned_at) ELSE excluded.warned_at END, \
     breached_at = CASE WHEN sla_clocks.started_at = excluded.started_at \
         THEN COALESCE(sla_clocks.breached_at, excluded.breached_at) ELSE excluded.breached_at END, \
     breach_detected_at = CASE WHEN sla_clocks.started_at = excluded.started_at \
         THEN COALESCE(sla_clocks.breach_detected_at, excluded.breach_detected_at) \
         ELSE excluded.breach_detected_at END, \
     fulfilled_at = CASE WHEN sla_clocks.started_at = excluded.started_at \
         THEN COALESCE(sla_clocks.fulfilled_at, excluded.fulfilled_at) ELSE excluded.fulfilled_at END, \
     started_at = excluded.started_at";

/// Statements storing `sla` for ticket `?2` of organisation `?1`, each run only if `guard`
/// holds (a condition on `?1`, `?2` and the change token `?3`). Late-breach events come before
/// the clock upserts so they are written only if the sweep has not recorded the breach first.
pub(crate) fn write_sql(guard: &str, keys: [&str; 3], sla: &SlaWrite, now: &str) -> Vec<Sql> {
    let base = || {
        keys.iter()
            .map(|k| serde_json::Value::from(*k))
            .collect::<Vec<_>>()
    };
    let mut statements = Vec::new();
    for breach in &sla.late_breaches {
        let mut params = base();
        params.extend([
            breach.event_id.as_str().into(),
            breach.metric.as_str().into(),
            breach.started_at.as_str().into(),
            breach.deadline.as_str().into(),
            now.into(),
        ]);
        statements.push(Sql::new(
            format!(
                "INSERT INTO ticket_events (id, org_id, ticket_id, actor_kind, actor_id, kind, \
                 field, from_value, to_value, created_at) \
                 SELECT ?4, ?1, ?2, 'system', 'sla', 'sla_breached', ?5, NULL, ?7, ?8 \
                 WHERE {guard} AND EXISTS (SELECT 1 FROM sla_clocks WHERE org_id = ?1 \
                 AND ticket_id = ?2 AND metric = ?5 AND started_at = ?6 AND breached_at IS NULL)"
            ),
            params,
        ));
    }
    for metric in &sla.removed {
        let mut params = base();
        params.push(metric.as_str().into());
        statements.push(Sql::new(
            format!(
                "DELETE FROM sla_clocks WHERE org_id = ?1 AND ticket_id = ?2 AND metric = ?4 \
                 AND fulfilled_at IS NULL AND {guard}"
            ),
            params,
        ));
    }
    let upsert = UPSERT_CLOCK.replace("{GUARD}", guard);
    for clock in &sla.clocks {
        let mut params = base();
        params.extend([
            clock.metric.as_str().into(),
            clock.policy_id.clone().into(),
            clock.target.minutes.into(),
            u8::from(clock.target.business).into(),
            format_instant(clock.started_at).into(),
            opt_instant(clock.due_at),
            opt_instant(clock.warn_at),
            opt_instant(clock.warned_at),
            opt_instant(clock.breached_at),
            opt_instant(clock.breach_detected_at),
            opt_instant(clock.fulfilled_at),
        ]);
        statements.push(Sql::new(upsert.clone(), params));
    }
    statements
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upsert_binds_every_placeholder_it_uses() {
        assert!(UPSERT_CLOCK.contains("?14") && !UPSERT_CLOCK.contains("?15"));
        assert!(UPSERT_CLOCK.contains("{GUARD}"));
    }

    #[test]
    fn stored_default_calendar_parses() {
        let definition = CalendarSpec::round_the_clock("24/7");
        let text = to_json(&definition).expect("json");
        assert_eq!(parse_calendar(&text), Some(BusinessCalendar::always_open()));
        // The migration and the demo seed inline the same JSON.
        let migration = include_str!("../../migrations/0004_sla.sql");
        assert!(migration.contains(&text), "migration's 24/7 JSON drifted");
        let seed = include_str!("../../seed/demo.sql");
        assert!(seed.contains(&text), "seed's 24/7 JSON drifted");
    }
}
