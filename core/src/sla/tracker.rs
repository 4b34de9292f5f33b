//! A ticket's SLA clocks over its life: starting, pausing, fulfilling and retargeting them as the
//! ticket changes, what the sweep must do with a due clock, and how a clock reads at an instant.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

use super::calendar::BusinessCalendar;
use super::clock::{Pause, business_time_between, due_at};
use super::policy::{MatchFacts, Metric, SlaPolicy, Target, Trigger, default_pause_statuses};
use crate::api::{ClockView, Promise};
use crate::priority::Priority;
use crate::ticket::{Channel, TicketStatus};

/// How instants are stored: RFC 3339 UTC with milliseconds, so text order is time order (the
/// sweep compares deadlines as text in SQL).
#[must_use]
pub fn format_instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads an instant stored by [`format_instant`] (or any RFC 3339 time).
#[must_use]
pub fn parse_instant(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

/// One promise being measured on a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    pub metric: Metric,
    /// The policy whose target this is.
    pub policy_id: Option<String>,
    pub target: Target,
    pub started_at: DateTime<Utc>,
    /// `None` while paused before the target was reached (or if the calendar can never reach it).
    pub due_at: Option<DateTime<Utc>>,
    /// When the warning falls due; `None` whenever `due_at` is.
    pub warn_at: Option<DateTime<Utc>>,
    pub warned_at: Option<DateTime<Utc>>,
    /// The deadline that was missed (never the time it was noticed).
    pub breached_at: Option<DateTime<Utc>>,
    /// When the breach was noticed: by the sweep, or by a late fulfilment.
    pub breach_detected_at: Option<DateTime<Utc>>,
    pub fulfilled_at: Option<DateTime<Utc>>,
}

impl Clock {
    #[must_use]
    pub const fn is_running(&self) -> bool {
        self.fulfilled_at.is_none()
    }

    /// The next instant the sweep has something to do with this clock: the warning if not yet
    /// given, else the breach if not yet recorded. The database keeps the same expression as a
    /// generated column; the sweep reads it through an index.
    #[must_use]
    pub fn next_deadline(&self) -> Option<DateTime<Utc>> {
        if self.fulfilled_at.is_some() {
            None
        } else if self.warned_at.is_none() && self.warn_at.is_some() {
            self.warn_at
        } else if self.breached_at.is_none() {
            self.due_at
        } else {
            None
        }
    }

    /// Whether the requester's promise still holds: not breached, and not past due.
    #[must_use]
    pub fn on_track(&self, now: DateTime<Utc>) -> bool {
        self.breached_at.is_none()
            && (self.fulfilled_at.is_some() || self.due_at.is_none_or(|due| now <= due))
    }
}

/// What the desk keeps about a ticket's SLA: its policy, the stretches it was paused, its clocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlaState {
    pub policy_id: Option<String>,
    pub pauses: Vec<Pause>,
    pub clocks: Vec<Clock>,
}

impl SlaState {
    #[must_use]
    pub fn clock(&self, metric: Metric) -> Option<&Clock> {
        self.clocks.iter().find(|c| c.metric == metric)
    }

    #[must_use]
    pub fn is_paused(&self) -> bool {
        self.pauses.iter().any(|p| p.until.is_none())
    }
}

/// The ticket as it is after the change being applied.
#[derive(Debug, Clone, Copy)]
pub struct TicketFacts<'a> {
    pub priority: Priority,
    pub status: TicketStatus,
    pub channel: Channel,
    pub tags: &'a [String],
    /// The catalog item's category and its parent (empty without an item).
    pub categories: &'a [String],
    pub created_at: DateTime<Utc>,
    /// Whether an agent had replied publicly before this change.
    pub agent_replied_before: bool,
}

/// A policy with its id and calendar, as the organisation orders them.
#[derive(Debug, Clone, Copy)]
pub struct PolicyChoice<'a> {
    pub id: &'a str,
    pub policy: &'a SlaPolicy,
    pub calendar: &'a BusinessCalendar,
}

/// What happened to the ticket in this change (besides its fields, which [`TicketFacts`] gives).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Happening {
    Created,
    StatusChanged {
        from: TicketStatus,
        to: TicketStatus,
    },
    /// A public reply by an agent (internal notes are not responses).
    AgentReplied,
    RequesterReplied,
}

/// The ticket's SLA after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub state: SlaState,
    /// Clocks fulfilled after their deadline before the sweep noticed: they are breached at the
    /// deadline now, and the change should record it.
    pub late_breaches: Vec<Metric>,
    /// Running clocks the applicable policy no longer measures.
    pub removed: Vec<Metric>,
}

/// The first policy (in the given order) whose conditions the ticket meets.
#[must_use]
pub fn applicable<'p, 'a>(
    policies: &'p [PolicyChoice<'a>],
    ticket: &TicketFacts<'_>,
) -> Option<&'p PolicyChoice<'a>> {
    let facts = MatchFacts {
        priority: ticket.priority,
        channel: ticket.channel,
        tags: ticket.tags,
        categories: ticket.categories,
    };
    policies
        .iter()
        .find(|p| p.policy.conditions.matches(&facts))
}

/// `computed`, but never earlier than the old deadline or now, whichever is earlier: a target
/// that shrinks (priority raised) or a calendar that changed cannot put a deadline in the past
/// the ticket was never held to, while a deadline that had already passed stays where it was.
fn not_backdated(
    computed: Option<DateTime<Utc>>,
    old: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let floor = old.map_or(now, |old| old.min(now));
    computed.map(|at| at.max(floor))
}

/// The instant `target` is reached; `None` while paused, and also if the calendar can never
/// reach it (no deadline is better than a failed ticket write).
fn deadline(
    calendar: &BusinessCalendar,
    start: DateTime<Utc>,
    target: TimeDelta,
    pauses: &[Pause],
) -> Option<DateTime<Utc>> {
    due_at(calendar, start, target, pauses).ok().flatten()
}

/// Applies one change of a ticket to its SLA state. Pure: the caller stores the result in the
/// same atomic write as the ticket change.
///
/// The applicable policy is matched again on every change, so a priority (or policy) change
/// retargets the running clocks from their original start and the pauses so far; fulfilled
/// clocks stay fulfilled.
#[must_use]
pub fn update(
    policies: &[PolicyChoice<'_>],
    before: &SlaState,
    ticket: &TicketFacts<'_>,
    happenings: &[Happening],
    now: DateTime<Utc>,
) -> Update {
    let matched = applicable(policies, ticket);
    let pause_statuses =
        matched.map_or_else(default_pause_statuses, |p| p.policy.pause_statuses.clone());
    let target_for = |metric| matched.and_then(|p| p.policy.target(ticket.priority, metric));
    let policy_id = matched.map(|p| p.id.to_owned());
    let mut state = before.clone();
    let mut late_breaches = Vec::new();
    let mut fulfil = |state: &mut SlaState, metric: Metric| {
        if let Some(clock) = state
            .clocks
            .iter_mut()
            .find(|c| c.metric == metric && c.is_running())
        {
            clock.fulfilled_at = Some(now);
            if clock.breached_at.is_none()
                && let Some(due) = clock.due_at.filter(|due| *due < now)
            {
                clock.breached_at = Some(due);
                clock.breach_detected_at = Some(now);
                late_breaches.push(metric);
            }
        }
    };
    let ended =
        |status: TicketStatus| matches!(status, TicketStatus::Solved | TicketStatus::Closed);

    for happening in happenings {
        match *happening {
            Happening::Created => {}
            Happening::StatusChanged { to, .. } => {
                if pause_statuses.contains(&to) {
                    if !state.is_paused() {
                        state.pauses.push(Pause {
                            from: now,
                            until: None,
                        });
                    }
                } else {
                    for pause in state.pauses.iter_mut().filter(|p| p.until.is_none()) {
                        pause.until = Some(now);
                    }
                }
                if ended(to) {
                    for metric in Metric::ALL {
                        fulfil(&mut state, metric);
                    }
                }
            }
            Happening::AgentReplied => {
                fulfil(&mut state, Metric::FirstResponse);
                fulfil(&mut state, Metric::NextResponse);
            }
            Happening::RequesterReplied => {
                let waiting = state
                    .clock(Metric::NextResponse)
                    .is_some_and(Clock::is_running);
                if ticket.agent_replied_before
                    && !ended(ticket.status)
                    && !waiting
                    && let Some(target) = target_for(Metric::NextResponse)
                {
                    // A new cycle replaces the last (fulfilled) one; its history is in the audit trail.
                    state.clocks.retain(|c| c.metric != Metric::NextResponse);
                    state.clocks.push(new_clock(
                        Metric::NextResponse,
                        target,
                        now,
                        policy_id.clone(),
                    ));
                }
            }
        }
    }

    let agent_replied =
        ticket.agent_replied_before || happenings.contains(&Happening::AgentReplied);
    let mut removed = Vec::new();
    for metric in Metric::ALL {
        let target = target_for(metric);
        match (state.clocks.iter().position(|c| c.metric == metric), target) {
            (Some(i), _) if !state.clocks[i].is_running() => {}
            (Some(i), None) => {
                state.clocks.remove(i);
                removed.push(metric);
            }
            (Some(i), Some(target)) => {
                let clock = &mut state.clocks[i];
                clock.target = target;
                clock.policy_id.clone_from(&policy_id);
            }
            (None, Some(target)) => {
                let starts = !ended(ticket.status)
                    && match metric {
                        Metric::FirstResponse => !agent_replied,
                        Metric::Resolution => true,
                        // Only a requester's reply starts one (above).
                        Metric::NextResponse => false,
                    };
                if starts {
                    state.clocks.push(new_clock(
                        metric,
                        target,
                        ticket.created_at,
                        policy_id.clone(),
                    ));
                }
            }
            (None, None) => {}
        }
    }
    state.clocks.sort_by_key(|c| c.metric);
    state.policy_id = policy_id;

    let always = BusinessCalendar::always_open();
    let lead = matched.map(|p| p.policy.warning);
    for clock in state.clocks.iter_mut().filter(|c| c.is_running()) {
        let calendar = match matched {
            Some(p) if clock.target.business => p.calendar,
            _ => &always,
        };
        let target = clock.target.duration();
        let warning = lead.map_or(target, |lead| lead.warning_target(target));
        let due = deadline(calendar, clock.started_at, target, &state.pauses);
        let warn = deadline(calendar, clock.started_at, warning, &state.pauses);
        clock.due_at = not_backdated(due, clock.due_at, now);
        clock.warn_at = not_backdated(warn, clock.warn_at, now);
    }
    Update {
        state,
        late_breaches,
        removed,
    }
}

fn new_clock(
    metric: Metric,
    target: Target,
    started_at: DateTime<Utc>,
    policy_id: Option<String>,
) -> Clock {
    Clock {
        metric,
        policy_id,
        target,
        started_at,
        due_at: None,
        warn_at: None,
        warned_at: None,
        breached_at: None,
        breach_detected_at: None,
        fulfilled_at: None,
    }
}

/// What the sweep does with a clock whose next deadline has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepStep {
    /// Set `warned_at`. Also set when the breach comes in the same run (after downtime), so the
    /// clock does not stay due for a warning that no longer makes sense.
    pub mark_warned: bool,
    pub breach: bool,
}

impl SweepStep {
    /// The event to record and escalate: a breach supersedes a warning found in the same run.
    #[must_use]
    pub const fn trigger(self) -> Option<Trigger> {
        if self.breach {
            Some(Trigger::Breach)
        } else if self.mark_warned {
            Some(Trigger::Warning)
        } else {
            None
        }
    }
}

/// What is due on `clock` at `now`.
#[must_use]
pub fn sweep_step(clock: &Clock, now: DateTime<Utc>) -> SweepStep {
    if !clock.is_running() {
        return SweepStep {
            mark_warned: false,
            breach: false,
        };
    }
    let breach = clock.breached_at.is_none() && clock.due_at.is_some_and(|due| due <= now);
    let warn = clock.warn_at.is_some_and(|at| at <= now) || breach;
    SweepStep {
        mark_warned: clock.warned_at.is_none() && warn,
        breach,
    }
}

/// A clock read at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// Business (or calendar) time counted so far, up to fulfilment.
    pub elapsed: TimeDelta,
    /// Negative once overdue.
    pub remaining: TimeDelta,
    /// Running and standing still.
    pub paused: bool,
}

/// Reads `clock` at `now`; `calendar` is its policy's (calendar-time targets ignore it).
#[must_use]
pub fn read(
    clock: &Clock,
    calendar: &BusinessCalendar,
    pauses: &[Pause],
    now: DateTime<Utc>,
) -> Reading {
    let always;
    let calendar = if clock.target.business {
        calendar
    } else {
        always = BusinessCalendar::always_open();
        &always
    };
    let end = clock.fulfilled_at.map_or(now, |at| at.min(now));
    let elapsed = business_time_between(calendar, clock.started_at, end, pauses);
    Reading {
        elapsed,
        remaining: clock.target.duration() - elapsed,
        paused: clock.is_running() && pauses.iter().any(|p| p.until.is_none() && p.from <= now),
    }
}

/// The agent's view of `clock` at `now`.
#[must_use]
pub fn clock_view(
    clock: &Clock,
    calendar: &BusinessCalendar,
    pauses: &[Pause],
    now: DateTime<Utc>,
) -> ClockView {
    let reading = read(clock, calendar, pauses, now);
    ClockView {
        metric: clock.metric,
        target: clock.target.minutes,
        business: clock.target.business,
        due_at: clock.due_at.map(format_instant),
        elapsed: reading.elapsed.num_minutes(),
        remaining: reading.remaining.num_minutes(),
        paused: reading.paused,
        warned_at: clock.warned_at.map(format_instant),
        breached_at: clock.breached_at.map(format_instant),
        fulfilled_at: clock.fulfilled_at.map(format_instant),
    }
}

/// The requester's view of `clock`: when, and whether the promise holds. Nothing internal.
#[must_use]
pub fn promise(clock: &Clock, now: DateTime<Utc>) -> Promise {
    Promise {
        metric: clock.metric,
        due_at: clock.due_at.map(format_instant),
        on_track: clock.on_track(now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::policy::{PolicyInput, SlaPolicy};

    fn at(raw: &str) -> DateTime<Utc> {
        parse_instant(raw).expect("instant")
    }

    fn minutes(m: i64) -> TimeDelta {
        TimeDelta::minutes(m)
    }

    /// Round the clock; normal: first response 60, next response 30, resolution 240 minutes;
    /// urgent: 10 / 10 / 60. Warning at 50 %.
    fn policy() -> SlaPolicy {
        let input: PolicyInput = serde_json::from_value(serde_json::json!({
            "name": "Test",
            "calendar_id": "cal",
            "targets": {
                "normal": {
                    "first_response": {"minutes": 60},
                    "next_response": {"minutes": 30},
                    "resolution": {"minutes": 240}
                },
                "urgent": {
                    "first_response": {"minutes": 10},
                    "next_response": {"minutes": 10},
                    "resolution": {"minutes": 60}
                }
            },
            "warning": {"percent": 50}
        }))
        .expect("input");
        SlaPolicy::parse(&input).expect("policy")
    }

    struct Desk {
        policy: SlaPolicy,
        calendar: BusinessCalendar,
        tags: Vec<String>,
    }

    impl Desk {
        fn new() -> Self {
            Self {
                policy: policy(),
                calendar: BusinessCalendar::always_open(),
                tags: Vec::new(),
            }
        }

        fn facts(
            &self,
            priority: Priority,
            status: TicketStatus,
            replied: bool,
        ) -> TicketFacts<'_> {
            TicketFacts {
                priority,
                status,
                channel: Channel::Portal,
                tags: &self.tags,
                categories: &[],
                created_at: at("2026-05-04T10:00:00Z"),
                agent_replied_before: replied,
            }
        }

        fn apply(
            &self,
            before: &SlaState,
            facts: &TicketFacts<'_>,
            happenings: &[Happening],
            now: &str,
        ) -> Update {
            let choices = [PolicyChoice {
                id: "p1",
                policy: &self.policy,
                calendar: &self.calendar,
            }];
            update(&choices, before, facts, happenings, at(now))
        }
    }

    fn due(state: &SlaState, metric: Metric) -> Option<DateTime<Utc>> {
        state.clock(metric).and_then(|c| c.due_at)
    }

    fn created(desk: &Desk) -> SlaState {
        let facts = desk.facts(Priority::Normal, TicketStatus::New, false);
        desk.apply(
            &SlaState::default(),
            &facts,
            &[Happening::Created],
            "2026-05-04T10:00:00Z",
        )
        .state
    }

    #[test]
    fn creation_starts_first_response_and_resolution_with_warnings() {
        let desk = Desk::new();
        let state = created(&desk);
        assert_eq!(state.policy_id.as_deref(), Some("p1"));
        let metrics: Vec<Metric> = state.clocks.iter().map(|c| c.metric).collect();
        assert_eq!(metrics, [Metric::FirstResponse, Metric::Resolution]);
        let first = state.clock(Metric::FirstResponse).expect("first response");
        assert_eq!(first.due_at, Some(at("2026-05-04T11:00:00Z")));
        assert_eq!(first.warn_at, Some(at("2026-05-04T10:30:00Z")));
        assert_eq!(first.next_deadline(), first.warn_at);
        assert_eq!(
            due(&state, Metric::Resolution),
            Some(at("2026-05-04T14:00:00Z"))
        );
    }

    #[test]
    fn no_matching_policy_means_no_clocks() {
        let mut desk = Desk::new();
        desk.policy.conditions.channels = vec![Channel::Api];
        let state = created(&desk);
        assert!(state.clocks.is_empty());
        assert_eq!(state.policy_id, None);
    }

    #[test]
    fn pending_pauses_and_reopening_moves_the_due_time_by_the_pause() {
        let desk = Desk::new();
        let state = created(&desk);
        let pending = desk.facts(Priority::Normal, TicketStatus::Pending, false);
        let paused = desk
            .apply(
                &state,
                &pending,
                &[Happening::StatusChanged {
                    from: TicketStatus::New,
                    to: TicketStatus::Pending,
                }],
                "2026-05-04T10:20:00Z",
            )
            .state;
        assert!(paused.is_paused());
        let first = paused.clock(Metric::FirstResponse).expect("clock");
        assert_eq!((first.due_at, first.next_deadline()), (None, None));
        let reading = read(
            first,
            &desk.calendar,
            &paused.pauses,
            at("2026-05-04T12:00:00Z"),
        );
        assert!(reading.paused);
        assert_eq!(
            reading.elapsed,
            minutes(20),
            "time stands still while pending"
        );

        let open = desk.facts(Priority::Normal, TicketStatus::Open, false);
        let resumed = desk
            .apply(
                &paused,
                &open,
                &[Happening::StatusChanged {
                    from: TicketStatus::Pending,
                    to: TicketStatus::Open,
                }],
                "2026-05-04T10:50:00Z",
            )
            .state;
        assert!(!resumed.is_paused());
        assert_eq!(
            due(&resumed, Metric::FirstResponse),
            Some(at("2026-05-04T11:30:00Z")),
            "30 paused minutes later"
        );
        assert_eq!(
            resumed.clock(Metric::FirstResponse).and_then(|c| c.warn_at),
            Some(at("2026-05-04T11:00:00Z"))
        );
    }

    #[test]
    fn agent_reply_fulfils_and_requester_reply_starts_next_response() {
        let desk = Desk::new();
        let state = created(&desk);
        let open = desk.facts(Priority::Normal, TicketStatus::New, false);
        let replied = desk
            .apply(
                &state,
                &open,
                &[Happening::AgentReplied],
                "2026-05-04T10:40:00Z",
            )
            .state;
        let first = replied.clock(Metric::FirstResponse).expect("clock");
        assert_eq!(first.fulfilled_at, Some(at("2026-05-04T10:40:00Z")));
        assert_eq!(first.next_deadline(), None);
        assert!(replied.clock(Metric::NextResponse).is_none());

        let facts = desk.facts(Priority::Normal, TicketStatus::Open, true);
        let asked = desk
            .apply(
                &replied,
                &facts,
                &[Happening::RequesterReplied],
                "2026-05-04T11:00:00Z",
            )
            .state;
        let next = asked.clock(Metric::NextResponse).expect("next response");
        assert_eq!(next.started_at, at("2026-05-04T11:00:00Z"));
        assert_eq!(next.due_at, Some(at("2026-05-04T11:30:00Z")));

        // A second requester reply does not restart the running clock.
        let again = desk
            .apply(
                &asked,
                &facts,
                &[Happening::RequesterReplied],
                "2026-05-04T11:10:00Z",
            )
            .state;
        assert_eq!(again.clock(Metric::NextResponse), Some(next));

        let answered = desk
            .apply(
                &again,
                &facts,
                &[Happening::AgentReplied],
                "2026-05-04T11:20:00Z",
            )
            .state;
        assert!(
            answered
                .clock(Metric::NextResponse)
                .is_some_and(|c| c.fulfilled_at.is_some())
        );
        // ... and the next requester reply starts a fresh cycle.
        let cycle = desk
            .apply(
                &answered,
                &facts,
                &[Happening::RequesterReplied],
                "2026-05-04T12:00:00Z",
            )
            .state;
        let next = cycle.clock(Metric::NextResponse).expect("new cycle");
        assert_eq!(
            (next.started_at, next.fulfilled_at),
            (at("2026-05-04T12:00:00Z"), None)
        );
    }

    #[test]
    fn requester_reply_before_any_agent_reply_starts_nothing() {
        let desk = Desk::new();
        let state = created(&desk);
        let facts = desk.facts(Priority::Normal, TicketStatus::New, false);
        let update = desk.apply(
            &state,
            &facts,
            &[Happening::RequesterReplied],
            "2026-05-04T10:10:00Z",
        );
        assert!(update.state.clock(Metric::NextResponse).is_none());
    }

    #[test]
    fn solving_fulfils_every_running_clock() {
        let desk = Desk::new();
        let state = created(&desk);
        let solved = desk.facts(Priority::Normal, TicketStatus::Solved, false);
        let update = desk.apply(
            &state,
            &solved,
            &[Happening::StatusChanged {
                from: TicketStatus::New,
                to: TicketStatus::Solved,
            }],
            "2026-05-04T10:05:00Z",
        );
        assert!(update.state.clocks.iter().all(|c| c.fulfilled_at.is_some()));
        assert!(update.late_breaches.is_empty());
        assert!(
            update
                .state
                .clocks
                .iter()
                .all(|c| c.next_deadline().is_none())
        );
    }

    #[test]
    fn a_late_fulfilment_the_sweep_missed_is_breached_at_the_deadline() {
        let desk = Desk::new();
        let state = created(&desk);
        let facts = desk.facts(Priority::Normal, TicketStatus::New, false);
        let update = desk.apply(
            &state,
            &facts,
            &[Happening::AgentReplied],
            "2026-05-04T11:45:00Z",
        );
        assert_eq!(update.late_breaches, [Metric::FirstResponse]);
        let first = update.state.clock(Metric::FirstResponse).expect("clock");
        assert_eq!(first.breached_at, Some(at("2026-05-04T11:00:00Z")));
        assert_eq!(first.breach_detected_at, Some(at("2026-05-04T11:45:00Z")));
    }

    #[test]
    fn raising_priority_retargets_from_the_start_but_never_into_the_past() {
        let desk = Desk::new();
        let state = created(&desk);
        // At 10:30 the ticket becomes urgent: first response 10 min would have been due at
        // 10:10, before anyone held the ticket to it, so it falls due at the change instead.
        let urgent = desk.facts(Priority::Urgent, TicketStatus::New, false);
        let update = desk.apply(&state, &urgent, &[], "2026-05-04T10:30:00Z");
        let first = update.state.clock(Metric::FirstResponse).expect("clock");
        assert_eq!(first.target.minutes, 10);
        assert_eq!(first.due_at, Some(at("2026-05-04T10:30:00Z")));
        assert_eq!(first.warn_at, Some(at("2026-05-04T10:30:00Z")));
        // Resolution 60 min from 10:00 is still ahead: it simply moves earlier.
        assert_eq!(
            due(&update.state, Metric::Resolution),
            Some(at("2026-05-04T11:00:00Z"))
        );
    }

    #[test]
    fn an_overdue_deadline_stays_where_it_was_when_retargeted() {
        let desk = Desk::new();
        let state = created(&desk);
        // First response was due 11:00; the sweep was down; at 11:30 priority becomes urgent
        // (due 10:10 by the new target). The breach is the 11:00 promise, not 10:10 nor 11:30.
        let urgent = desk.facts(Priority::Urgent, TicketStatus::New, false);
        let update = desk.apply(&state, &urgent, &[], "2026-05-04T11:30:00Z");
        assert_eq!(
            due(&update.state, Metric::FirstResponse),
            Some(at("2026-05-04T11:00:00Z"))
        );
    }

    #[test]
    fn fulfilled_clocks_stay_fulfilled_when_priority_changes() {
        let desk = Desk::new();
        let state = created(&desk);
        let facts = desk.facts(Priority::Normal, TicketStatus::New, false);
        let replied = desk
            .apply(
                &state,
                &facts,
                &[Happening::AgentReplied],
                "2026-05-04T10:20:00Z",
            )
            .state;
        let before = replied.clock(Metric::FirstResponse).cloned();
        let urgent = desk.facts(Priority::Urgent, TicketStatus::Open, true);
        let update = desk.apply(&replied, &urgent, &[], "2026-05-04T10:25:00Z");
        assert_eq!(update.state.clock(Metric::FirstResponse).cloned(), before);
    }

    #[test]
    fn a_policy_without_the_target_removes_the_running_clock() {
        let mut desk = Desk::new();
        let state = created(&desk);
        desk.policy
            .targets
            .get_mut(&Priority::Normal)
            .expect("normal")
            .resolution = None;
        let facts = desk.facts(Priority::Normal, TicketStatus::New, false);
        let update = desk.apply(&state, &facts, &[], "2026-05-04T10:01:00Z");
        assert_eq!(update.removed, [Metric::Resolution]);
        assert!(update.state.clock(Metric::Resolution).is_none());
    }

    #[test]
    fn sweep_warns_then_breaches_and_a_catch_up_breach_supersedes_the_warning() {
        let desk = Desk::new();
        let state = created(&desk);
        let first = state.clock(Metric::FirstResponse).expect("clock").clone();
        let early = sweep_step(&first, at("2026-05-04T10:29:00Z"));
        assert_eq!(early.trigger(), None);
        let warning = sweep_step(&first, at("2026-05-04T10:30:00Z"));
        assert_eq!(warning.trigger(), Some(Trigger::Warning));

        let mut warned = first.clone();
        warned.warned_at = Some(at("2026-05-04T10:30:00Z"));
        assert_eq!(warned.next_deadline(), warned.due_at);
        assert_eq!(
            sweep_step(&warned, at("2026-05-04T10:59:59Z")).trigger(),
            None
        );
        let breach = sweep_step(&warned, at("2026-05-04T11:00:00Z"));
        assert_eq!(
            breach,
            SweepStep {
                mark_warned: false,
                breach: true
            }
        );

        // Down from 10:00 to 13:00: one run finds both; the breach is what is recorded.
        let catch_up = sweep_step(&first, at("2026-05-04T13:00:00Z"));
        assert_eq!(
            catch_up,
            SweepStep {
                mark_warned: true,
                breach: true
            }
        );
        assert_eq!(catch_up.trigger(), Some(Trigger::Breach));

        let mut done = warned;
        done.breached_at = done.due_at;
        assert_eq!(done.next_deadline(), None, "nothing left to do");
        assert_eq!(
            sweep_step(&done, at("2026-05-05T00:00:00Z")).trigger(),
            None
        );
    }

    #[test]
    fn readings_count_until_fulfilment_and_go_negative_when_overdue() {
        let desk = Desk::new();
        let state = created(&desk);
        let first = state.clock(Metric::FirstResponse).expect("clock");
        let late = read(first, &desk.calendar, &[], at("2026-05-04T11:15:00Z"));
        assert_eq!(
            (late.elapsed, late.remaining, late.paused),
            (minutes(75), minutes(-15), false)
        );
        assert!(!first.on_track(at("2026-05-04T11:15:00Z")));
        assert!(first.on_track(at("2026-05-04T10:59:00Z")));
        let mut done = first.clone();
        done.fulfilled_at = Some(at("2026-05-04T10:45:00Z"));
        let reading = read(&done, &desk.calendar, &[], at("2026-05-04T12:00:00Z"));
        assert_eq!(reading.elapsed, minutes(45));
        assert!(done.on_track(at("2026-05-04T12:00:00Z")));
    }

    #[test]
    fn views_show_minutes_and_promises_hide_internals() {
        let desk = Desk::new();
        let state = created(&desk);
        let first = state.clock(Metric::FirstResponse).expect("clock");
        let view = clock_view(first, &desk.calendar, &[], at("2026-05-04T10:45:30Z"));
        assert_eq!((view.target, view.elapsed, view.remaining), (60, 45, 14));
        assert_eq!(view.due_at.as_deref(), Some("2026-05-04T11:00:00.000Z"));
        let promise = promise(first, at("2026-05-04T11:00:01Z"));
        assert!(!promise.on_track, "past due");
        let json = serde_json::to_value(&promise).expect("json");
        assert_eq!(
            json.as_object().map(|o| o.len()),
            Some(3),
            "metric, due_at, on_track only"
        );
    }

    #[test]
    fn instants_are_stored_as_sortable_millisecond_utc_text() {
        let instant = at("2026-05-04T12:00:00+02:00");
        assert_eq!(format_instant(instant), "2026-05-04T10:00:00.000Z");
        assert_eq!(parse_instant(&format_instant(instant)), Some(instant));
        assert!(format_instant(at("2026-05-04T09:59:59.999Z")) < format_instant(instant));
    }
}
