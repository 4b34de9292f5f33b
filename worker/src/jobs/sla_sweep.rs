//! The SLA sweep: every clock whose warning or deadline has come gets its warning or breach
//! recorded once (never back-dated: a breach is the deadline, with the time it was noticed),
//! and its policy's escalations run: raise priority, reassign the group, add tags, notify.

use edgedesk_core::sla::{Actions, Clock, SlaPolicy, Trigger, format_instant, sweep_step};
use worker::D1Database;

use crate::clock::{self, Now};
use crate::db;
use crate::db::sla::{ClockRow, SlaWrite};
use crate::db::sweep::{DueTicket, Notification, SweepAction, SystemEvent, TicketEscalation};
use crate::db::tickets::TicketKey;
use crate::error::ApiError;
use crate::ticket_sla;

/// What one sweep run did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SweepOutcome {
    /// Due clocks read (at most the batch size).
    pub due: usize,
    /// Rows D1 read to find them: stays near `due` however large the clocks table grows.
    pub rows_read: usize,
    pub warned: usize,
    pub breached: usize,
    /// Warnings or breaches whose escalation changed the ticket.
    pub escalated: usize,
    pub notified: usize,
    /// Already handled by an overlapping run, or changed since read (retried next run).
    pub skipped: usize,
    pub failed: usize,
    /// D1 statements issued for the actions.
    pub statements: usize,
    /// Due clocks left for the next run because the statement budget was spent.
    pub deferred: usize,
}

/// Handles up to `limit` due clocks at `now`, earliest first, issuing at most about `budget`
/// D1 statements (the clock that crosses it still completes).
///
/// # Errors
/// Only if the due clocks cannot be read; a failing clock is counted and logged, and the rest
/// of the batch still runs.
pub async fn run(
    db: &D1Database,
    now: &Now,
    limit: u32,
    budget: usize,
) -> Result<SweepOutcome, ApiError> {
    let (due, rows_read) = db::sweep::due(db, &now.rfc3339, limit).await?;
    let mut outcome = SweepOutcome {
        due: due.len(),
        rows_read,
        ..SweepOutcome::default()
    };
    for (i, (row, ticket)) in due.iter().enumerate() {
        if outcome.statements >= budget {
            outcome.deferred = due.len() - i;
            break;
        }
        match handle(db, now, row, ticket, &mut outcome.statements).await {
            Ok(Some(done)) => {
                match done.trigger {
                    Trigger::Warning => outcome.warned += 1,
                    Trigger::Breach => outcome.breached += 1,
                }
                outcome.escalated += usize::from(done.escalated);
                outcome.notified += usize::from(done.notified);
            }
            Ok(None) => outcome.skipped += 1,
            Err(error) => {
                outcome.failed += 1;
                worker::console_error!(
                    "SLA sweep: ticket {} ({}): {error}",
                    row.ticket_id,
                    ticket.reference
                );
            }
        }
    }
    Ok(outcome)
}

struct Done {
    trigger: Trigger,
    escalated: bool,
    notified: bool,
}

fn event_kind(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::Warning => "sla_warning",
        Trigger::Breach => "sla_breached",
    }
}

fn webhook_type(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::Warning => "sla.warning",
        Trigger::Breach => "sla.breached",
    }
}

async fn handle(
    db: &D1Database,
    now: &Now,
    row: &ClockRow,
    ticket: &DueTicket,
    statements: &mut usize,
) -> Result<Option<Done>, ApiError> {
    let Some(clock) = row.clock() else {
        return Err(ApiError::internal("unreadable clock"));
    };
    let step = sweep_step(&clock, now.instant);
    let Some(trigger) = step.trigger() else {
        return Ok(None);
    };
    let policy = ticket
        .policy
        .as_deref()
        .and_then(|json| serde_json::from_str::<SlaPolicy>(json).ok());
    let actions = policy
        .as_ref()
        .map(|p| p.actions(clock.metric, trigger))
        .unwrap_or_default();
    let claim = clock::new_id(now)?;
    let deadline = clock.due_at.map(format_instant);
    let mut events = vec![SystemEvent {
        id: String::new(),
        kind: event_kind(trigger),
        field: clock.metric.as_str().to_owned(),
        from: None,
        to: deadline.clone(),
    }];

    let wants_ticket_change = (actions.raise_priority
        && ticket.priority != edgedesk_core::priority::Priority::Urgent)
        || actions
            .group
            .as_ref()
            .is_some_and(|g| Some(g) != ticket.group_name.as_ref())
        || !actions.tags.is_empty();
    let escalation = if wants_ticket_change {
        let due = Due {
            row,
            ticket,
            clock: &clock,
            breach: step.breach,
        };
        // Loading the ticket with its clocks, tags and policies: one batch of four.
        *statements += 4;
        escalate(db, now, &due, &actions, &mut events).await?
    } else {
        None
    };
    let escalated = escalation.is_some();
    let priority = escalation
        .as_ref()
        .and_then(|e| e.priority)
        .unwrap_or(ticket.priority);
    let notify = actions.notify.then(|| Notification {
        event_type: webhook_type(trigger),
        payload: serde_json::json!({
            "type": webhook_type(trigger),
            "occurred_at": now.rfc3339,
            "ticket": {
                "id": row.ticket_id,
                "reference": ticket.reference,
                "priority": priority,
                "status": ticket.status,
            },
            "metric": clock.metric,
            "deadline": deadline,
            "detected_at": now.rfc3339,
        })
        .to_string(),
    });
    let notified = notify.is_some();
    // Ids that sort in the order the events happened (warning or breach first, then what the
    // escalation did), even within one millisecond.
    let ids = clock::new_ids(now, events.len())?;
    for (event, id) in events.iter_mut().zip(ids) {
        event.id = id;
    }
    let started_at = format_instant(clock.started_at);
    let warn_at = clock.warn_at.map(format_instant);
    let action = SweepAction {
        org_id: &ticket.org_id,
        ticket_id: &row.ticket_id,
        metric: clock.metric,
        claim: &claim,
        started_at: &started_at,
        warn_at: warn_at.as_deref(),
        due_at: deadline.as_deref(),
        mark_warned: step.mark_warned,
        breach: step.breach,
        now: &now.rfc3339,
        events,
        ticket: escalation,
        notify,
    };
    let (done, issued) = db::sweep::record(db, &action).await?;
    *statements += issued;
    Ok(done.then_some(Done {
        trigger,
        escalated,
        notified,
    }))
}

/// A due clock as the sweep found it.
struct Due<'a> {
    row: &'a ClockRow,
    ticket: &'a DueTicket,
    clock: &'a Clock,
    breach: bool,
}

/// The ticket changes the escalation makes (and their audit events), with its clocks
/// recomputed for them; `None` when nothing would change after all.
async fn escalate(
    db: &D1Database,
    now: &Now,
    due: &Due<'_>,
    actions: &Actions,
    events: &mut Vec<SystemEvent>,
) -> Result<Option<TicketEscalation>, ApiError> {
    let Due {
        row,
        ticket,
        clock,
        breach,
    } = *due;
    let id = edgedesk_core::TicketId::parse(&row.ticket_id)
        .map_err(|_| ApiError::internal("a clock's ticket id is not a ULID"))?;
    let key = TicketKey::Agent {
        org_id: &ticket.org_id,
        id: &id,
    };
    let Some(loaded) = db::tickets::load(db, key, true).await? else {
        return Ok(None);
    };
    let current = &loaded.row;
    let raised = current.priority.raised();
    let priority = (actions.raise_priority && raised != current.priority).then_some(raised);
    let group = actions
        .group
        .clone()
        .filter(|g| current.group_name.as_ref() != Some(g));
    let new_tags: Vec<String> = actions
        .tags
        .iter()
        .filter(|t| !loaded.tags.contains(t))
        .cloned()
        .collect();
    if priority.is_none() && group.is_none() && new_tags.is_empty() {
        return Ok(None);
    }
    if let Some(to) = priority {
        events.push(SystemEvent {
            id: String::new(),
            kind: "changed",
            field: "priority".to_owned(),
            from: Some(current.priority.as_str().to_owned()),
            to: Some(to.as_str().to_owned()),
        });
    }
    if let Some(to) = &group {
        events.push(SystemEvent {
            id: String::new(),
            kind: "changed",
            field: "group".to_owned(),
            from: current.group_name.clone(),
            to: Some(to.clone()),
        });
    }
    for tag in &new_tags {
        events.push(SystemEvent {
            id: String::new(),
            kind: "tag_added",
            field: "tags".to_owned(),
            from: None,
            to: Some(tag.clone()),
        });
    }

    // Recompute the clocks as the ticket will be: this clock as the sweep leaves it, the new
    // priority (targets shrink, never into the past) and tags (another policy may match).
    let mut state = loaded.sla_state();
    for c in state.clocks.iter_mut().filter(|c| c.metric == clock.metric) {
        c.warned_at = c.warned_at.or(Some(now.instant));
        if breach {
            c.breached_at = c.due_at;
            c.breach_detected_at = Some(now.instant);
        }
    }
    let mut tags = loaded.tags.clone();
    tags.extend(new_tags.iter().cloned());
    let facts = ticket_sla::facts(
        current,
        priority.unwrap_or(current.priority),
        current.status,
        &tags,
        now,
    );
    let update = edgedesk_core::sla::update(
        &db::sla::choices(&loaded.policies),
        &state,
        &facts,
        &[],
        now.instant,
    );
    let sla = SlaWrite::from_update(&update, || clock::new_id(now))?;
    Ok(Some(TicketEscalation {
        expected_version: current.version,
        priority,
        group,
        tags: new_tags,
        sla,
    }))
}
