//! Tickets: the stored row and the guard every write shares; each job of the store lives in
//! its own part (create, the requester's view, load, lists, change) and is re-exported here.

mod change;
mod create;
mod list;
mod load;
mod requester_view;

pub use change::*;
pub use create::*;
pub use list::*;
pub use load::*;
pub use requester_view::*;

use edgedesk_core::api::TicketView;
use edgedesk_core::priority::Priority;
use edgedesk_core::sla::Pause;
use edgedesk_core::{Channel, TicketStatus};
use serde::Deserialize;

/// Statements batched after a ticket write run only if that write happened: it left *its*
/// change token (`?3`) on the ticket. (Checking the new version instead would let a write that
/// lost a race to the same version run its events and counters on the winner's row.)
pub(crate) const IF_CHANGED: &str =
    "EXISTS (SELECT 1 FROM tickets WHERE org_id = ?1 AND id = ?2 AND change_id = ?3)";

/// `org_counters` row that counts an organisation's tickets in `status`: lists and dashboards
/// read counts from here instead of `COUNT(*)` over tickets. Status changes must move them too.
fn status_count(status: TicketStatus) -> String {
    format!("status:{}", status.as_str())
}

/// Columns of [`TicketRow`], in one place for every agent-side query.
const TICKET_COLUMNS: &str = "id, org_id, version, reference, status, priority, subject, \
     description, requester_name, requester_email, channel, assignee, created_at, updated_at, \
     first_response_at, solved_at, closed_at, group_name, sla_policy_id, sla_pauses, \
     catalog_item, form_version, answers, catalog_categories, origin, context";

/// [`TICKET_COLUMNS`] of the table aliased `t`, for joins.
fn t_columns() -> String {
    TICKET_COLUMNS
        .split(", ")
        .map(|column| format!("t.{column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A stored ticket with what the agent API needs besides the view: its tenant and version.
#[derive(Debug, Clone, Deserialize)]
pub struct TicketRow {
    pub org_id: String,
    pub version: i64,
    pub id: String,
    pub reference: String,
    pub status: TicketStatus,
    pub priority: Priority,
    pub subject: String,
    pub description: String,
    pub requester_name: String,
    pub requester_email: String,
    pub channel: Channel,
    pub assignee: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub first_response_at: Option<String>,
    pub solved_at: Option<String>,
    pub closed_at: Option<String>,
    pub group_name: Option<String>,
    pub sla_policy_id: Option<String>,
    /// JSON of the ticket's SLA pauses.
    pub sla_pauses: String,
    /// The earliest deadline of the ticket's running clocks; only deadline lists select it.
    #[serde(default)]
    pub sla_due: Option<String>,
    pub catalog_item: Option<String>,
    pub form_version: Option<u32>,
    pub answers: Option<String>,
    /// The catalog item's category slugs at submission (see [`category_list`]).
    #[serde(default, deserialize_with = "category_list")]
    pub catalog_categories: Vec<String>,
    /// Widget tickets: the embedding page's origin and the host's context (JSON object).
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(default)]
    pub context: Option<String>,
}

/// A stored JSON list of slugs; unreadable text (never written by us) is an empty list.
fn category_list<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    Ok(text
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default())
}

impl TicketRow {
    /// The stored pauses; unreadable JSON (never written by us) counts as none.
    #[must_use]
    pub fn pauses(&self) -> Vec<Pause> {
        serde_json::from_str(&self.sla_pauses).unwrap_or_default()
    }

    /// The view without clocks and tags (the caller adds what it loaded).
    #[must_use]
    pub fn view(self) -> TicketView {
        TicketView {
            id: self.id,
            reference: self.reference,
            status: self.status,
            priority: self.priority,
            subject: self.subject,
            description: self.description,
            requester_name: self.requester_name,
            requester_email: self.requester_email,
            channel: self.channel,
            // Stored answers were checked JSON when written; unreadable ones (never written by
            // us) show as none rather than failing the whole ticket.
            answers: self
                .answers
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok())
                .unwrap_or_default(),
            catalog_item: self.catalog_item,
            form_version: self.form_version,
            assignee: self.assignee,
            created_at: self.created_at,
            updated_at: self.updated_at,
            first_response_at: self.first_response_at,
            solved_at: self.solved_at,
            closed_at: self.closed_at,
            group: self.group_name,
            tags: Vec::new(),
            clocks: Vec::new(),
            origin: self.origin,
            context: self
                .context
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok())
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_counters_are_named_by_the_stored_status() {
        assert_eq!(status_count(TicketStatus::OnHold), "status:on_hold");
    }

    #[test]
    fn ticket_batch_binds_every_placeholder_it_uses() {
        // The bind arrays above must match the highest ?N of each statement.
        assert!(BUMP_COUNTER.contains("?2") && !BUMP_COUNTER.contains("?3"));
        assert!(INSERT_TICKET.contains("?22") && !INSERT_TICKET.contains("?23"));
        assert!(UPDATE_TICKET.contains("?15") && !UPDATE_TICKET.contains("?16"));
        assert!(INSERT_CREATED_EVENT.contains("?2") && !INSERT_CREATED_EVENT.contains("?3"));
    }
}
