//! `StoreError`: every way a store can fail, in the store's terms; `crate::error` alone says
//! what the client sees of it.

use super::Constraint;

/// A failed store call. Except for [`StoreError::KeyInFlight`] these are ours to fix, not the
/// client's: the `Display` text is for the log and may name tables, SQL or D1's own words.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// D1 (or the runtime under it) failed to bind, run or read statements while `context`.
    #[error("{context}: {detail}")]
    D1 {
        context: &'static str,
        detail: String,
    },
    /// SQLite refused a write for a constraint the store does not expect to meet while
    /// `context` (stores that do expect one name it in their own outcome).
    #[error("{context}: {detail}")]
    Constraint {
        context: &'static str,
        constraint: Constraint,
        detail: String,
    },
    /// Stored text is not what we wrote (JSON, a slug): `context` says which.
    #[error("{context}: {detail}")]
    Decode {
        context: &'static str,
        detail: String,
    },
    /// One of our own values could not be written as the JSON its column stores.
    #[error("encoding JSON: {detail}")]
    Encode { detail: String },
    /// A store's own contract broke (a batch without its results, a write without its ids):
    /// a bug.
    #[error("{0}")]
    Broken(String),
    /// A concurrent request with the same idempotency key holds it: that one is still being
    /// handled, so this one wrote nothing.
    #[error("idempotency key in flight")]
    KeyInFlight,
}

impl StoreError {
    /// The failure of a D1 call while `context`; a constraint failure says which constraint.
    pub(crate) fn d1(context: &'static str, error: &worker::Error) -> Self {
        let detail = match error {
            // D1's own message ("UNIQUE constraint failed: …") on one log line, not the
            // multi-line debug dump with a JS stack that `Display` of `worker::Error` gives.
            worker::Error::D1(d1) => format!("D1: {}", d1.cause()),
            other => other.to_string(),
        };
        match super::constraint(error) {
            Some(constraint) => Self::Constraint {
                context,
                constraint,
                detail,
            },
            None => Self::D1 { context, detail },
        }
    }

    /// Stored text that is not what we wrote.
    pub(crate) fn decode(context: &'static str, detail: impl std::fmt::Display) -> Self {
        Self::Decode {
            context,
            detail: detail.to_string(),
        }
    }

    /// A broken contract of our own.
    pub(crate) fn broken(what: impl Into<String>) -> Self {
        Self::Broken(what.into())
    }

    /// The constraint a write was refused for, if that is why it failed.
    #[must_use]
    pub(crate) fn constraint(&self) -> Option<&Constraint> {
        match self {
            Self::Constraint { constraint, .. } => Some(constraint),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_write_names_its_constraint_and_keeps_the_log_text() {
        let error = worker::Error::RustError(
            "D1_ERROR: UNIQUE constraint failed: catalog_items.org_id, catalog_items.slug: \
             SQLITE_CONSTRAINT"
                .to_owned(),
        );
        let store = StoreError::d1("creating a catalog item", &error);
        assert!(
            store
                .constraint()
                .is_some_and(|c| c.is_unique_on("catalog_items", "slug")),
            "{store:?}"
        );
        assert_eq!(
            store.to_string(),
            format!("creating a catalog item: {error}")
        );
    }

    #[test]
    fn other_d1_failures_are_no_constraint() {
        let error = worker::Error::RustError("D1_ERROR: Network connection lost.".to_owned());
        let store = StoreError::d1("loading a ticket", &error);
        assert!(store.constraint().is_none());
        assert!(matches!(store, StoreError::D1 { .. }));
        assert_eq!(
            store.to_string(),
            "loading a ticket: D1_ERROR: Network connection lost."
        );
    }
}
