//! Wire types of `/api/v1`, shared by the worker (serialises) and the portal (deserialises).

use serde::{Deserialize, Serialize};

use crate::ticket::{Channel, TicketStatus};
use crate::validation::FieldError;

/// Header that carries a requester's tracking token.
pub const TRACKING_TOKEN_HEADER: &str = "x-tracking-token";

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// `GET /api/v1/orgs/{org}`: what the public portal may know about an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgPublic {
    pub slug: String,
    pub name: String,
    pub default_locale: String,
}

/// `201` answer to `POST /api/v1/orgs/{org}/requests`. The token is shown only here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedRequest {
    pub id: String,
    pub reference: String,
    pub status: TicketStatus,
    pub tracking_token: String,
    pub created_at: String,
}

/// `GET /api/v1/requests/{id}`: the requester's view of their request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub created_at: String,
    pub updated_at: String,
}

/// RFC 9457 problem details; every error the API returns has this shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// Media type of [`Problem`] bodies.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";
