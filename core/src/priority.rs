//! Ticket priority and the organisation's impact × urgency matrix that derives it.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How soon the desk works on a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Self; 4] = [Self::Low, Self::Normal, Self::High, Self::Urgent];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }

    /// One step up, for escalations; urgent stays urgent.
    #[must_use]
    pub const fn raised(self) -> Self {
        match self {
            Self::Low => Self::Normal,
            Self::Normal => Self::High,
            Self::High | Self::Urgent => Self::Urgent,
        }
    }
}

impl FromStr for Priority {
    type Err = UnknownLevel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownLevel(s.to_owned()))
    }
}

/// A name that is not a known priority, impact or urgency level.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown level {0:?}")]
pub struct UnknownLevel(pub String);

/// Impact or urgency as the requester states it (ITIL's three levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    High,
    Medium,
    Low,
}

impl Level {
    pub const ALL: [Self; 3] = [Self::High, Self::Medium, Self::Low];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
        }
    }

    const fn index(self) -> usize {
        match self {
            Self::High => 0,
            Self::Medium => 1,
            Self::Low => 2,
        }
    }
}

impl FromStr for Level {
    type Err = UnknownLevel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| UnknownLevel(s.to_owned()))
    }
}

/// Rows are impact (high, medium, low), columns urgency (high, medium, low).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PriorityMatrix(pub [[Priority; 3]; 3]);

impl Default for PriorityMatrix {
    /// The ITIL 3 × 3 default.
    fn default() -> Self {
        use Priority::{High, Low, Normal, Urgent};
        Self([
            [Urgent, High, Normal],
            [High, Normal, Low],
            [Normal, Low, Low],
        ])
    }
}

impl PriorityMatrix {
    #[must_use]
    pub const fn priority(&self, impact: Level, urgency: Level) -> Priority {
        self.0[impact.index()][urgency.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Level::{High as H, Low as L, Medium as M};

    #[test]
    fn itil_default_matrix() {
        let table = [
            (H, H, Priority::Urgent),
            (H, M, Priority::High),
            (H, L, Priority::Normal),
            (M, H, Priority::High),
            (M, M, Priority::Normal),
            (M, L, Priority::Low),
            (L, H, Priority::Normal),
            (L, M, Priority::Low),
            (L, L, Priority::Low),
        ];
        let matrix = PriorityMatrix::default();
        for (impact, urgency, expected) in table {
            assert_eq!(
                matrix.priority(impact, urgency),
                expected,
                "{impact:?} × {urgency:?}"
            );
        }
    }

    #[test]
    fn custom_matrix_is_read_by_impact_row_and_urgency_column() {
        let mut matrix = PriorityMatrix::default();
        matrix.0[2][0] = Priority::Urgent;
        assert_eq!(matrix.priority(L, H), Priority::Urgent);
        assert_eq!(matrix.priority(H, L), Priority::Normal);
    }

    #[test]
    fn raising_priority_saturates_at_urgent() {
        assert_eq!(Priority::Low.raised(), Priority::Normal);
        assert_eq!(Priority::High.raised(), Priority::Urgent);
        assert_eq!(Priority::Urgent.raised(), Priority::Urgent);
        for p in Priority::ALL {
            assert_eq!(p.as_str().parse::<Priority>(), Ok(p));
            assert!(p.raised() >= p);
        }
    }
}
