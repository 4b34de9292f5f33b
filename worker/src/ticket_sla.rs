//! The SLA side of ticket writes and reads: runs core's clock tracker on a loaded ticket, turns
//! the result into what the write batch stores, and reads clocks for the API views.

use chrono::{DateTime, Utc};
use edgedesk_core::TicketStatus;
use edgedesk_core::api::TicketView;
use edgedesk_core::priority::Priority;
use edgedesk_core::sla::{
    BusinessCalendar, Clock, Happening, TicketFacts, Update, clock_view, parse_instant, update,
};

use crate::clock::{self, Now};
use crate::db::sla::{ClockSet, LoadedPolicy, SlaWrite, choices};
use crate::db::tickets::{LoadedTicket, TicketRow};
use crate::error::ApiError;

/// The ticket as it will be after a change, for the tracker.
pub fn facts<'a>(
    row: &'a TicketRow,
    priority: Priority,
    status: TicketStatus,
    tags: &'a [String],
    now: &Now,
) -> TicketFacts<'a> {
    TicketFacts {
        priority,
        status,
        channel: row.channel,
        tags,
        categories: &row.catalog_categories,
        created_at: parse_instant(&row.created_at).unwrap_or(now.instant),
        agent_replied_before: row.first_response_at.is_some(),
    }
}

/// Applies a change to the loaded ticket's clocks; the write stores the result atomically with
/// the ticket change.
///
/// # Errors
/// Only if event ids cannot be made (no randomness).
pub fn change(
    loaded: &LoadedTicket,
    facts: &TicketFacts<'_>,
    happenings: &[Happening],
    now: &Now,
) -> Result<(Update, SlaWrite), ApiError> {
    let update = update(
        &choices(&loaded.policies),
        &loaded.sla_state(),
        facts,
        happenings,
        now.instant,
    );
    let write = SlaWrite::from_update(&update, || clock::new_id(now))?;
    Ok((update, write))
}

/// The calendar of policy `id` among `policies`, else round the clock.
fn calendar_of<'a>(
    policies: &'a [LoadedPolicy],
    id: Option<&str>,
    always: &'a BusinessCalendar,
) -> &'a BusinessCalendar {
    policies
        .iter()
        .find(|p| Some(p.id.as_str()) == id)
        .map_or(always, |p| &p.calendar)
}

/// The agent's view of a ticket with the given clocks and tags, read at `now`.
pub fn view(
    row: TicketRow,
    clocks: impl Iterator<Item = (Clock, BusinessCalendar)>,
    tags: Vec<String>,
    now: DateTime<Utc>,
) -> TicketView {
    let pauses = row.pauses();
    let mut view = row.view();
    view.clocks = clocks
        .map(|(clock, calendar)| clock_view(&clock, &calendar, &pauses, now))
        .collect();
    view.tags = tags;
    view
}

/// The view after a change, from the state the change stored (no second read).
pub fn view_after(
    row: TicketRow,
    update: &Update,
    policies: &[LoadedPolicy],
    tags: Vec<String>,
    now: DateTime<Utc>,
) -> TicketView {
    let always = BusinessCalendar::always_open();
    let clocks = update.state.clocks.iter().map(|clock| {
        let calendar = calendar_of(policies, clock.policy_id.as_deref(), &always);
        (clock.clone(), calendar.clone())
    });
    view(row, clocks, tags, now)
}

/// The view of a loaded ticket.
pub fn view_loaded(loaded: LoadedTicket, now: DateTime<Utc>) -> TicketView {
    let always = BusinessCalendar::always_open();
    let clocks = clocks_of(&loaded.clocks, &loaded.row.id, &always);
    view(loaded.row, clocks.into_iter(), loaded.tags, now)
}

/// The clocks of `ticket_id` in `set`, each with its calendar.
pub fn clocks_of(
    set: &ClockSet,
    ticket_id: &str,
    always: &BusinessCalendar,
) -> Vec<(Clock, BusinessCalendar)> {
    set.of(ticket_id, always)
        .map(|(clock, calendar)| (clock.clone(), calendar.clone()))
        .collect()
}
