//! Ticket vocabulary: lifecycle statuses and the channels a ticket can arrive through.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Where a ticket is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Portal,
    Widget,
    Api,
}

impl Channel {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Portal => "portal",
            Self::Widget => "widget",
            Self::Api => "api",
        }
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
}
