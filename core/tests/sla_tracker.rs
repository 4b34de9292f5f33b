//! Properties of a ticket's SLA clocks over random histories: status changes, priority changes
//! and replies at random times, against random business calendars.

use chrono::{DateTime, TimeDelta, Utc};
use edgedesk_core::priority::Priority;
use edgedesk_core::sla::{
    BusinessCalendar, Happening, Metric, PolicyChoice, PolicyInput, SlaPolicy, SlaState,
    TicketFacts, WorkInterval, update,
};
use edgedesk_core::{Channel, TicketStatus};
use proptest::prelude::*;

fn policy() -> SlaPolicy {
    let target = |minutes: u32, business: bool| serde_json::json!({"minutes": minutes, "business": business});
    let input: PolicyInput = serde_json::from_value(serde_json::json!({
        "name": "Property",
        "calendar_id": "cal",
        "targets": {
            "low": {"first_response": target(600, true), "resolution": target(6000, true)},
            "normal": {"first_response": target(240, true), "next_response": target(240, true), "resolution": target(2400, true)},
            "high": {"first_response": target(60, false), "next_response": target(120, true), "resolution": target(480, false)},
            "urgent": {"first_response": target(15, false), "next_response": target(30, false), "resolution": target(120, false)}
        },
        "warning": {"percent": 75}
    }))
    .expect("input");
    SlaPolicy::parse(&input).expect("policy")
}

fn calendars() -> impl Strategy<Value = BusinessCalendar> {
    let zones = prop::sample::select(vec![
        chrono_tz::Europe::Warsaw,
        chrono_tz::Asia::Jerusalem,
        chrono_tz::America::New_York,
        chrono_tz::Tz::UTC,
    ]);
    let day = prop::collection::vec((0_u16..1440, 30_u16..720), 0..3).prop_map(|spans| {
        spans
            .into_iter()
            .filter_map(|(start, length)| WorkInterval::new(start, start + length).ok())
            .collect::<Vec<_>>()
    });
    (zones, prop::array::uniform7(day)).prop_filter_map("has working time", |(tz, week)| {
        BusinessCalendar::new(tz, week, Vec::new()).ok()
    })
}

/// One step of a random history.
#[derive(Debug, Clone)]
enum Step {
    Status(TicketStatus),
    Priority(Priority),
    AgentReply,
    RequesterReply,
}

fn steps() -> impl Strategy<Value = Vec<(i64, Step)>> {
    let step = prop_oneof![
        prop::sample::select(TicketStatus::ALL.to_vec()).prop_map(Step::Status),
        prop::sample::select(Priority::ALL.to_vec()).prop_map(Step::Priority),
        Just(Step::AgentReply),
        Just(Step::RequesterReply),
    ];
    prop::collection::vec((1_i64..3000, step), 1..12)
}

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-27T08:00:00Z")
        .expect("start")
        .with_timezone(&Utc)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn clocks_keep_their_invariants_over_any_history(calendar in calendars(), history in steps()) {
        let policy = policy();
        let choices = [PolicyChoice { id: "p", policy: &policy, calendar: &calendar }];
        let created_at = start();
        let mut now = created_at;
        let mut status = TicketStatus::New;
        let mut priority = Priority::Normal;
        let mut replied = false;
        let facts = |priority, status, replied| TicketFacts {
            priority,
            status,
            channel: Channel::Portal,
            tags: &[],
            categories: &[],
            created_at,
            agent_replied_before: replied,
        };
        let mut state = update(&choices, &SlaState::default(), &facts(priority, status, replied), &[Happening::Created], now).state;

        for (minutes, step) in history {
            now += TimeDelta::minutes(minutes);
            let mut happenings = Vec::new();
            match step {
                Step::Status(to) => match status.transition(to) {
                    Ok(to) => {
                        happenings.push(Happening::StatusChanged { from: status, to });
                        status = to;
                    }
                    Err(_) => continue,
                },
                Step::Priority(p) => priority = p,
                Step::AgentReply => happenings.push(Happening::AgentReplied),
                Step::RequesterReply => {
                    happenings.push(Happening::RequesterReplied);
                    if matches!(status, TicketStatus::Pending | TicketStatus::Solved) {
                        happenings.push(Happening::StatusChanged { from: status, to: TicketStatus::Open });
                        status = TicketStatus::Open;
                    }
                }
            }
            let before = state.clone();
            let after = update(&choices, &before, &facts(priority, status, replied), &happenings, now);
            if happenings.contains(&Happening::AgentReplied) {
                replied = true;
            }

            for old in before.clocks.iter().filter(|c| !c.is_running()) {
                let same = after.state.clock(old.metric);
                // A fulfilled next-response clock may be replaced by a new cycle; nothing else changes it.
                if old.metric != Metric::NextResponse || same.is_some_and(|c| c.started_at == old.started_at) {
                    prop_assert_eq!(same, Some(old), "fulfilled clocks stay fulfilled");
                }
            }
            for clock in &after.state.clocks {
                if let (Some(warn), Some(due)) = (clock.warn_at, clock.due_at) {
                    prop_assert!(warn <= due, "warning after the deadline: {:?}", clock);
                }
                if let Some(breached) = clock.breached_at {
                    prop_assert!(Some(breached) <= clock.breach_detected_at, "breach noticed before it happened");
                    prop_assert!(breached <= now);
                }
                let old = before.clock(clock.metric).filter(|c| c.started_at == clock.started_at && c.is_running());
                if let (Some(old_due), Some(due)) = (old.and_then(|c| c.due_at), clock.due_at) {
                    prop_assert!(due >= old_due.min(now), "a deadline moved into the past: {old_due} -> {due} at {now}");
                }
                if clock.is_running() && clock.due_at.is_none() {
                    prop_assert!(after.state.is_paused(), "only a pause stops a running clock: {:?}", clock);
                }
                if clock.is_running() {
                    prop_assert!(!matches!(status, TicketStatus::Solved | TicketStatus::Closed), "solved tickets have no running clocks");
                }
            }
            let pausing = matches!(status, TicketStatus::Pending | TicketStatus::OnHold);
            prop_assert_eq!(after.state.is_paused(), pausing);
            state = after.state;
        }
    }
}
