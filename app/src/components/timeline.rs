//! The requester's timeline: public replies and status changes in plain words, oldest first.

use edgedesk_core::TicketStatus;
use edgedesk_core::api::{ReplyAuthor, TimelineEntry};
use edgedesk_core::i18n::{MessageId, ids};
use leptos::prelude::*;

use super::local_time;
use crate::i18n::tr;

/// A status change as one sentence per status, so languages that inflect the verb or the status
/// can; the first status is the submission itself.
fn status_change_id(from: Option<TicketStatus>, to: TicketStatus) -> MessageId {
    if from.is_none() {
        return ids::TIMELINE_SUBMITTED;
    }
    match to {
        TicketStatus::New => ids::TIMELINE_STATUS_NEW,
        TicketStatus::Open => ids::TIMELINE_STATUS_OPEN,
        TicketStatus::Pending => ids::TIMELINE_STATUS_PENDING,
        TicketStatus::OnHold => ids::TIMELINE_STATUS_ON_HOLD,
        TicketStatus::Solved => ids::TIMELINE_STATUS_SOLVED,
        TicketStatus::Closed => ids::TIMELINE_STATUS_CLOSED,
    }
}

/// One entry: who did what, when (in the viewer's locale and time zone), and a reply's text.
fn entry_view(entry: TimelineEntry) -> impl IntoView {
    let (what, kind, at, body) = match entry {
        TimelineEntry::Reply(reply) => {
            let (what, kind) = match reply.author {
                ReplyAuthor::Agent => (ids::TIMELINE_AGENT_REPLY, "agent-reply"),
                ReplyAuthor::Requester => (ids::TIMELINE_REQUESTER_REPLY, "requester-reply"),
            };
            (what, kind, reply.created_at, Some(reply.body))
        }
        TimelineEntry::StatusChanged(change) => (
            status_change_id(change.from, change.to),
            "status",
            change.created_at,
            None,
        ),
    };
    // The body is text, never markup; it takes its own direction (a Hebrew reply in English).
    let body = body.map(|body| view! { <p class="timeline__body" data-testid="timeline-body" dir="auto">{body}</p> });
    view! {
        <li class=format!("timeline__entry timeline__entry--{kind}") data-testid="timeline-entry" data-kind=kind>
            <p class="timeline__what">
                <span data-testid="timeline-what">{tr(what)}</span>
                {local_time(at)}
            </p>
            {body}
        </li>
    }
}

/// The timeline (`entries` oldest first, as the API returns them) as an ordered list; its texts
/// follow a language switch. A plain function rather than a component: it owns no state.
pub fn timeline_list(entries: Vec<TimelineEntry>) -> impl IntoView {
    view! {
        <ol class="timeline" data-testid="timeline">
            {entries.into_iter().map(|entry| entry_view(entry).into_any()).collect::<Vec<_>>()}
        </ol>
    }
}
