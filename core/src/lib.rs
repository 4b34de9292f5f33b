//! EdgeDesk's help-desk domain: identifiers, requests, tickets and the API's wire types.
//!
//! Pure Rust with no I/O, shared by the worker (authoritative checks) and the portal
//! (the same checks as the requester types), and tested natively.

pub mod api;
pub mod catalog;
pub mod form;
pub mod group;
pub mod i18n;
pub mod idempotency;
pub mod ids;
pub mod json;
pub mod people;
pub mod priority;
pub mod request;
#[cfg(feature = "schema")]
pub mod schema;
pub mod search;
pub mod sla;
pub mod ticket;
pub mod ticket_change;
pub mod ticket_decision;
pub mod validation;
pub mod webhook;
pub mod widget;
pub mod wire;

pub use i18n::Locale;
pub use ids::{ApiSecret, OrgSlug, PersonSecret, SecretKind, TicketId, TicketRef, TrackingToken};
pub use request::{NewRequest, NewRequestInput};
pub use ticket::{Channel, TicketStatus};
pub use validation::{FieldError, FieldErrorCode, ValidationErrors};
