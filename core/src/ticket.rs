//! Ticket vocabulary: lifecycle statuses and the channels a ticket can arrive through.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Where a ticket is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    New,
    Open,
    Pending,
    OnHold,
    Solved,
    Closed,
}

impl TicketStatus {
    pub const ALL: [Self; 6] = [
        Self::New,
        Self::Open,
        Self::Pending,
        Self::OnHold,
        Self::Solved,
        Self::Closed,
    ];

    /// The stored and wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Open => "open",
            Self::Pending => "pending",
            Self::OnHold => "on_hold",
            Self::Solved => "solved",
            Self::Closed => "closed",
        }
    }
}

/// What a requester's public reply does to a ticket in a given status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyEffect {
    /// The ticket moves to (or stays in) this status.
    Status(TicketStatus),
    /// The ticket is closed for good: the reply starts a follow-up ticket linked to it.
    FollowUp,
}

/// A transition the lifecycle does not allow; carries what is allowed so the API can say so.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {} ticket cannot become {}", from.as_str(), to.as_str())]
pub struct IllegalTransition {
    pub from: TicketStatus,
    pub to: TicketStatus,
    pub allowed: &'static [TicketStatus],
}

impl TicketStatus {
    /// Statuses an agent may move a ticket to from this one. Closed is final.
    #[must_use]
    pub const fn allowed_transitions(self) -> &'static [Self] {
        use TicketStatus::{Closed, New, OnHold, Open, Pending, Solved};
        match self {
            New => &[Open, Pending, OnHold, Solved],
            Open => &[Pending, OnHold, Solved],
            Pending => &[Open, OnHold, Solved],
            OnHold => &[Open, Pending, Solved],
            Solved => &[Open, Closed],
            Closed => &[],
        }
    }

    /// Checks an agent's status change.
    ///
    /// # Errors
    /// [`IllegalTransition`] when `to` is not in [`Self::allowed_transitions`] (including `to == self`).
    pub fn transition(self, to: Self) -> Result<Self, IllegalTransition> {
        if self.allowed_transitions().contains(&to) {
            Ok(to)
        } else {
            Err(IllegalTransition {
                from: self,
                to,
                allowed: self.allowed_transitions(),
            })
        }
    }

    /// A requester replied publicly: waiting and solved tickets come back to the agents.
    #[must_use]
    pub const fn on_requester_reply(self) -> ReplyEffect {
        match self {
            Self::New => ReplyEffect::Status(Self::New),
            Self::Open | Self::Pending | Self::Solved => ReplyEffect::Status(Self::Open),
            // On hold waits for a third party, not for the requester.
            Self::OnHold => ReplyEffect::Status(Self::OnHold),
            Self::Closed => ReplyEffect::FollowUp,
        }
    }

    /// Whether agents may still change the ticket (fields, comments, notes). Closed is final:
    /// what follows goes to a new ticket (a requester's reply opens a follow-up by itself).
    #[must_use]
    pub const fn is_final(self) -> bool {
        matches!(self, Self::Closed)
    }

    /// Whether SLA clocks stop while a ticket is in this status, by default.
    #[must_use]
    pub const fn pauses_sla_by_default(self) -> bool {
        matches!(self, Self::Pending | Self::OnHold)
    }
}

/// A status name that is not one of [`TicketStatus::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown status {0:?}")]
pub struct UnknownStatus(pub String);

impl FromStr for TicketStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}

/// How a ticket reached the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Portal,
    Widget,
    Api,
}

impl Channel {
    pub const ALL: [Self; 3] = [Self::Portal, Self::Widget, Self::Api];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Portal => "portal",
            Self::Widget => "widget",
            Self::Api => "api",
        }
    }
}

/// A channel name that is not one of [`Channel::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown channel {0:?}")]
pub struct UnknownChannel(pub String);

impl FromStr for Channel {
    type Err = UnknownChannel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|channel| channel.as_str() == s)
            .ok_or_else(|| UnknownChannel(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_round_trip_through_str_and_json() {
        for status in TicketStatus::ALL {
            assert_eq!(status.as_str().parse::<TicketStatus>(), Ok(status));
            let json = serde_json::to_string(&status).expect("serialize");
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert!("onhold".parse::<TicketStatus>().is_err());
    }

    #[test]
    fn lifecycle_allows_only_the_documented_transitions() {
        use TicketStatus::{Closed, New, OnHold, Open, Pending, Solved};
        let allowed = [
            (New, Open),
            (New, Pending),
            (New, OnHold),
            (New, Solved),
            (Open, Pending),
            (Open, OnHold),
            (Open, Solved),
            (Pending, Open),
            (Pending, OnHold),
            (Pending, Solved),
            (OnHold, Open),
            (OnHold, Pending),
            (OnHold, Solved),
            (Solved, Open),
            (Solved, Closed),
        ];
        for from in TicketStatus::ALL {
            for to in TicketStatus::ALL {
                let result = from.transition(to);
                if allowed.contains(&(from, to)) {
                    assert_eq!(result, Ok(to), "{from:?} -> {to:?}");
                } else {
                    let error = result.expect_err("illegal");
                    assert_eq!(error.allowed, from.allowed_transitions());
                }
            }
        }
        assert!(Closed.allowed_transitions().is_empty(), "closed is final");
    }

    #[test]
    fn requester_replies_reopen_solved_and_follow_up_closed_tickets() {
        assert_eq!(
            TicketStatus::Solved.on_requester_reply(),
            ReplyEffect::Status(TicketStatus::Open)
        );
        assert_eq!(
            TicketStatus::Pending.on_requester_reply(),
            ReplyEffect::Status(TicketStatus::Open)
        );
        assert_eq!(
            TicketStatus::New.on_requester_reply(),
            ReplyEffect::Status(TicketStatus::New)
        );
        assert_eq!(
            TicketStatus::Closed.on_requester_reply(),
            ReplyEffect::FollowUp
        );
    }
}
