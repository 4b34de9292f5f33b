//! The only place that calls the HTTP API (`/api/v1`, same origin).

use edgedesk_core::NewRequestInput;
use edgedesk_core::api::{
    CreatedRequest, OrgPublic, Problem, ReplyInput, RequestView, TRACKING_TOKEN_HEADER,
    TimelineEntry,
};
use edgedesk_core::catalog::CatalogView;
use edgedesk_core::form::{FormSchemaInput, LocalizedText};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Why an API call failed: the server said no (with a problem body), or it could not be reached.
#[derive(Debug, Clone)]
pub enum ApiFailure {
    Problem(Problem),
    Network(String),
}

impl ApiFailure {
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Problem(problem) => Some(problem.status),
            Self::Network(_) => None,
        }
    }
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|e| ApiFailure::Network(e.to_string()));
    }
    let status = response.status();
    // Proxies and crashed runtimes may answer without a problem body: synthesise one.
    let problem = response
        .json::<Problem>()
        .await
        .unwrap_or_else(|_| Problem {
            kind: "about:blank".to_owned(),
            title: response.status_text(),
            status,
            detail: None,
            errors: Vec::new(),
        });
    Err(ApiFailure::Problem(problem))
}

impl From<gloo_net::Error> for ApiFailure {
    fn from(error: gloo_net::Error) -> Self {
        Self::Network(error.to_string())
    }
}

impl std::fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Problem(problem) => write!(f, "{} ({})", problem.title, problem.status),
            Self::Network(detail) => write!(f, "network: {detail}"),
        }
    }
}

/// A request in the portal's language, so problem titles come back in it too (the browser's own
/// `Accept-Language` may name another).
fn in_locale(builder: RequestBuilder) -> RequestBuilder {
    builder.header("accept-language", crate::i18n::locale_untracked().bcp47())
}

#[derive(Deserialize)]
struct PortalConfig {
    default_org: String,
}

/// The organisation the root page leads to.
pub async fn default_org() -> Result<String, ApiFailure> {
    let response = in_locale(Request::get("/api/v1/portal")).send().await?;
    read::<PortalConfig>(response).await.map(|c| c.default_org)
}

pub async fn org(slug: &str) -> Result<OrgPublic, ApiFailure> {
    let response = in_locale(Request::get(&format!("/api/v1/orgs/{slug}")))
        .send()
        .await?;
    read(response).await
}

pub async fn create_request(
    org: &str,
    input: &NewRequestInput,
) -> Result<CreatedRequest, ApiFailure> {
    let response = in_locale(Request::post(&format!("/api/v1/orgs/{org}/requests")))
        .json(input)?
        .send()
        .await?;
    read(response).await
}

pub async fn request(id: &str, tracking_token: &str) -> Result<RequestView, ApiFailure> {
    let response = in_locale(Request::get(&format!("/api/v1/requests/{id}")))
        .header(TRACKING_TOKEN_HEADER, tracking_token)
        .send()
        .await?;
    read(response).await
}

/// The request's public timeline (replies and status changes), oldest first.
pub async fn timeline(id: &str, tracking_token: &str) -> Result<Vec<TimelineEntry>, ApiFailure> {
    let response = in_locale(Request::get(&format!("/api/v1/requests/{id}/timeline")))
        .header(TRACKING_TOKEN_HEADER, tracking_token)
        .send()
        .await?;
    read(response).await
}

/// Sends the requester's reply; 409 when the request is closed (a reply would need a new
/// request). The stored comment in the answer is skipped unread: the timeline is reloaded.
pub async fn reply(id: &str, tracking_token: &str, input: &ReplyInput) -> Result<(), ApiFailure> {
    let response = in_locale(Request::post(&format!("/api/v1/requests/{id}/replies")))
        .header(TRACKING_TOKEN_HEADER, tracking_token)
        .json(input)?
        .send()
        .await?;
    read::<serde::de::IgnoredAny>(response).await.map(|_| ())
}

/// The organisation's active catalog; with a non-blank `query`, only the items it finds (the
/// worker folds case and diacritics, so "zolc" finds "Żółć").
pub async fn catalog(org: &str, query: &str) -> Result<CatalogView, ApiFailure> {
    let mut builder = in_locale(Request::get(&format!("/api/v1/orgs/{org}/catalog")));
    let query = query.trim();
    if !query.is_empty() {
        builder = builder.query([("q", query)]);
    }
    read(builder.send().await?).await
}

/// The parts of `edgedesk_core::catalog::ItemView` the item page shows, read from the same JSON.
/// Not `ItemView` itself: its `#[serde(flatten)]` brings serde's buffering deserializer into the
/// wasm (about 10 KB) for fields the page does not need.
#[derive(Debug, Clone, Deserialize)]
pub struct CatalogItem {
    pub slug: String,
    pub name: LocalizedText,
    #[serde(default)]
    pub description: LocalizedText,
    pub default_locale: String,
    pub form: FormSchemaInput,
}

/// One active catalog item with the form it uses now (404 when unknown or inactive).
pub async fn catalog_item(org: &str, item: &str) -> Result<CatalogItem, ApiFailure> {
    let response = in_locale(Request::get(&format!("/api/v1/orgs/{org}/catalog/{item}")))
        .send()
        .await?;
    read(response).await
}
