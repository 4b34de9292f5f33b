//! Wire types of `/api/v1`, shared by the worker (serialises) and the portal (deserialises).

use serde::{Deserialize, Serialize};

use crate::form::{Answers, FormSchemaInput, LocalizedText};
use crate::priority::Priority;
use crate::sla::{HolidayInput, HoursInput, Metric};
use crate::ticket::{Channel, TicketStatus};
use crate::validation::FieldError;

/// Header that carries a requester's tracking token.
pub const TRACKING_TOKEN_HEADER: &str = "x-tracking-token";

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Health {
    #[cfg_attr(feature = "schema", schemars(extend("const" = "ok")))]
    pub status: String,
    pub version: String,
}

/// `GET /api/v1/orgs/{org}`: what the public portal may know about an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrgPublic {
    pub slug: String,
    pub name: String,
    pub default_locale: String,
}

/// `201` answer to `POST /api/v1/orgs/{org}/requests`. The token is shown only here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreatedRequest {
    pub id: String,
    /// The human reference, e.g. `DEMO-12`.
    pub reference: String,
    pub status: TicketStatus,
    /// Shown only here: send it as `x-tracking-token` to follow the request.
    pub tracking_token: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
}

/// The catalog item and the exact form version a request was submitted with, so its answers
/// always render with the labels the requester saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SubmittedForm {
    pub slug: String,
    pub name: LocalizedText,
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub form_version: u32,
    pub form: FormSchemaInput,
    /// The organisation's default locale, the second step of the label fallback chain.
    pub default_locale: String,
}

/// `GET /api/v1/requests/{id}`: the requester's view of their request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RequestView {
    pub id: String,
    pub reference: String,
    pub org: String,
    pub status: TicketStatus,
    pub subject: String,
    pub description: String,
    pub requester_name: String,
    pub requester_email: String,
    pub channel: Channel,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_item: Option<SubmittedForm>,
    #[serde(default, skip_serializing_if = "Answers::is_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Answers"))]
    pub answers: Answers,
    /// What the desk promised and whether it is keeping it (no internal SLA details).
    #[serde(default)]
    pub promises: Vec<Promise>,
}

/// A promise as the requester sees it: when, and whether it still holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Promise {
    pub metric: Metric,
    /// `null` while the ticket waits on the requester (the clock is paused).
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub due_at: Option<String>,
    pub on_track: bool,
}

/// RFC 9457 problem details; every error the API returns has this shape. `type` and field
/// `code`s never change with the language; `title` and messages do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uri")))]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The request's id (also its `x-request-id` header and its line in the desk's log): quote
    /// it when reporting the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// Media type of [`Problem`] bodies.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// What an API token may do. Admins can do everything agents can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Agent,
    Admin,
}

impl Role {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Agent => "agent",
            Self::Admin => "admin",
        }
    }

    /// Whether a token with this role may act where `needed` is required.
    #[must_use]
    pub const fn allows(self, needed: Self) -> bool {
        matches!(
            (self, needed),
            (Self::Admin, _) | (Self::Agent, Self::Agent)
        )
    }
}

/// `GET /api/v1/tickets/{id}`: the agent's view of a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TicketView {
    pub id: String,
    pub reference: String,
    pub status: TicketStatus,
    pub priority: Priority,
    pub subject: String,
    pub description: String,
    pub requester_name: String,
    pub requester_email: String,
    pub channel: Channel,
    /// The catalog item's slug and form version, with the stored answers.
    pub catalog_item: Option<String>,
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub form_version: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Answers"))]
    pub answers: Answers,
    pub assignee: Option<String>,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub updated_at: String,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub first_response_at: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub solved_at: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub closed_at: Option<String>,
    /// The group the ticket is assigned to (e.g. by an SLA escalation).
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// The ticket's SLA clocks, read at the time of the response.
    #[serde(default)]
    pub clocks: Vec<ClockView>,
    /// Widget tickets: the origin of the page that embedded the widget.
    #[serde(default)]
    pub origin: Option<String>,
    /// Widget tickets: what the host page attached (customer id, page URL, …).
    #[serde(default)]
    pub context: std::collections::BTreeMap<String, String>,
}

/// One SLA clock of a ticket as agents see it. Durations are whole minutes (business minutes
/// when `business`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClockView {
    pub metric: Metric,
    pub target: u32,
    pub business: bool,
    /// `null` while paused.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub due_at: Option<String>,
    pub elapsed: i64,
    /// Negative once overdue.
    pub remaining: i64,
    pub paused: bool,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub warned_at: Option<String>,
    /// The missed deadline.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub breached_at: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub fulfilled_at: Option<String>,
}

/// `PATCH /api/v1/tickets/{id}` (with `If-Match`): the fields to change; absent ones stay as
/// they are. A `null` status or priority changes nothing; a `null` assignee or group clears it.
/// Tags change by difference (a tag may not be both added and removed), so a patch never drops
/// a tag it did not name (an SLA escalation may add some). Each change is an audit event and a
/// new ETag; tags re-evaluate the SLA policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct TicketPatch {
    pub status: Option<TicketStatus>,
    pub priority: Option<Priority>,
    /// The id of an API token of role agent or admin of the organisation (not revoked); anything
    /// else is a 422 on `assignee`. `null` unassigns.
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub assignee: Option<Option<String>>,
    /// A group's slug (`/api/v1/groups`; an unknown one is 422). When the ticket then has both a
    /// group and an assignee, the assignee must be a member of the group (else 422 on `assignee`,
    /// or on `group` when only the group changes). `null` takes the ticket out of its group.
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 80)))]
    pub group: Option<Option<String>>,
    #[cfg_attr(
        feature = "schema",
        schemars(length(max = 50), inner(regex(pattern = r"^[a-z0-9_-]{1,40}$")))
    )]
    pub tags_add: Vec<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(length(max = 50), inner(regex(pattern = r"^[a-z0-9_-]{1,40}$")))
    )]
    pub tags_remove: Vec<String>,
}

/// A field that is present in the JSON (possibly `null`): `Some(value)`; absent fields get the
/// `default` `None`.
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A page of a cursor-paginated list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub meta: PageMeta,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PageMeta {
    pub has_more: bool,
    /// Pass as `page[after]` for the next page; `null` on the last page.
    pub after_cursor: Option<String>,
}

/// `POST /api/v1/tickets/{id}/comments`: an agent's public reply or internal note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
// Required by validation (a 422 when missing), though serde fills in a default.
#[cfg_attr(feature = "schema", schemars(extend("required" = ["body"])))]
pub struct CommentInput {
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 20000)))]
    pub body: String,
    /// Public replies reach the requester; internal notes (`false`) never do.
    pub public: bool,
}

/// `POST /api/v1/requests/{id}/replies`: the requester's reply through their tracking link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
// Required by validation (a 422 when missing), though serde fills in a default.
#[cfg_attr(feature = "schema", schemars(extend("required" = ["body"])))]
pub struct ReplyInput {
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 20000)))]
    pub body: String,
}

/// A comment on a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CommentView {
    pub id: String,
    /// `agent` or `requester`.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["agent", "requester"])))]
    pub author_kind: String,
    pub body: String,
    pub public: bool,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
}

/// Who wrote a public reply, as the requester's timeline tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReplyAuthor {
    /// Someone at the desk (the requester sees "Support").
    Agent,
    /// The requester, through their tracking link.
    Requester,
}

/// A public reply on the requester's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TimelineReply {
    pub id: String,
    pub author: ReplyAuthor,
    pub body: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
}

/// A status change on the requester's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TimelineStatusChange {
    pub id: String,
    /// `null` for the submission itself (the ticket's first status).
    pub from: Option<TicketStatus>,
    pub to: TicketStatus,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
}

/// One entry of `GET /api/v1/requests/{id}/timeline`: what the requester may see of their
/// request's history, oldest first. Internal notes and internal events never appear.
//
// Externally tagged (`{"reply": {…}}`, `{"status_changed": {…}}`): an internally tagged enum
// would bring serde's buffering deserializer into the portal's wasm. (A plain comment: the doc
// comment above is the API document's description.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimelineEntry {
    Reply(TimelineReply),
    StatusChanged(TimelineStatusChange),
}

/// One entry of a ticket's audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventView {
    pub id: String,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    /// `created`, `changed` (field from → to), `reply_added`, `note_added`, `tag_added`,
    /// `tag_removed`, `sla_warning` or `sla_breached`.
    pub kind: String,
    pub field: Option<String>,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
}

/// `POST /api/v1/admin/tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 120)))]
    pub name: String,
    pub role: Role,
    /// The person the token acts as (with at most their role; it stops working when they are
    /// deactivated). Without one it is a named integration's token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
}

/// An API token as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TokenView {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// The person it acts as; `null` for an integration's token.
    pub person: Option<String>,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub last_used_at: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub revoked_at: Option<String>,
}

/// `201` answer to creating a token: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreatedToken {
    #[serde(flatten)]
    pub token: TokenView,
    /// Send as `Authorization: Bearer <secret>`.
    pub secret: String,
}

/// `POST /api/v1/bootstrap` (needs the deployment's bootstrap secret): a new organisation
/// and its first admin token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
// Required by validation (a 422 when missing), though serde fills in a default.
#[cfg_attr(feature = "schema", schemars(extend("required" = ["slug", "name", "ref_prefix"])))]
pub struct BootstrapInput {
    pub slug: String,
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 120)))]
    pub name: String,
    /// Prefix of human ticket references, e.g. `ACME` for `ACME-1042`.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^[A-Z][A-Z0-9]{1,9}$")))]
    pub ref_prefix: String,
    /// The first admin as a person (who can then be sent a sign-in link); without it the
    /// first admin token is an integration's.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "email")))]
    pub admin_email: Option<String>,
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 120)))]
    pub admin_name: Option<String>,
}

/// Header carrying the bootstrap secret.
pub const BOOTSTRAP_SECRET_HEADER: &str = "x-bootstrap-secret";

/// A business calendar as `/api/v1/admin/sla/calendars` shows it (the input's fields plus id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CalendarView {
    pub id: String,
    pub name: String,
    pub time_zone: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WeekHours"))]
    pub week: std::collections::BTreeMap<String, Vec<HoursInput>>,
    pub holidays: Vec<HolidayInput>,
    /// The organisation's round-the-clock calendar, created with it.
    pub is_default: bool,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub updated_at: String,
}

/// An SLA policy as `/api/v1/admin/sla/policies` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PolicyView {
    pub id: String,
    #[serde(flatten)]
    pub policy: crate::sla::SlaPolicy,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub updated_at: String,
}

/// `POST`/`PUT /api/v1/admin/webhooks`. Without a `secret`, the desk generates one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
// Required by validation (a 422 when missing), though serde fills in a default.
#[cfg_attr(feature = "schema", schemars(extend("required" = ["url"])))]
pub struct WebhookInput {
    #[cfg_attr(feature = "schema", schemars(url))]
    pub url: String,
    /// Printable ASCII; without one the desk generates it.
    #[cfg_attr(feature = "schema", schemars(length(min = 16, max = 200)))]
    pub secret: Option<String>,
    /// Default true.
    pub active: Option<bool>,
}

/// A webhook endpoint as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WebhookView {
    pub id: String,
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uri")))]
    pub url: String,
    pub active: bool,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub updated_at: String,
}

/// `201` answer to creating a webhook: the only time its signing secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookView,
    pub secret: String,
}

/// The desk's clock after a `POST /api/v1/test/clock`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestClockView {
    pub now: String,
    pub offset_minutes: i64,
}
