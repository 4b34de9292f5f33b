//! The only place that makes HTTP requests: the API (`/api/v1`, same origin), and the bundles
//! of texts of the locales not compiled in.

use edgedesk_core::NewRequestInput;
use edgedesk_core::api::{
    CreatedRequest, OrgPublic, Problem, ReplyInput, RequestView, TRACKING_TOKEN_HEADER,
    TimelineEntry,
};
use edgedesk_core::catalog::CatalogView;
use edgedesk_core::form::{FormSchemaInput, LocalizedText};
use gloo_net::http::{Request, RequestBuilder};
use serde_json::Value;

use crate::wire::Wire;
use edgedesk_core::wire::{or_default, required, string};

/// Why an API call failed: the server said no (with a problem body), or it could not be reached.
#[derive(Debug, Clone)]
pub enum ApiFailure {
    Problem(Box<Problem>),
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

/// Sends `request` and returns its body when the status is 2xx, else its problem. Not generic
/// (only [`parse`] is), so each call's future does not carry its own copy of this (the portal's
/// download shrank by several KB when the reads were split so; issue 9).
async fn send(request: Result<Request, gloo_net::Error>) -> Result<String, ApiFailure> {
    let response = request?.send().await?;
    if response.ok() {
        return response
            .text()
            .await
            .map_err(|e| ApiFailure::Network(e.to_string()));
    }
    let status = response.status();
    // Proxies and crashed runtimes may answer without a problem body: synthesise one.
    let body = response.text().await.unwrap_or_default();
    let problem = parse::<Problem>(&body).unwrap_or_else(|_| Problem {
        kind: "about:blank".to_owned(),
        title: response.status_text(),
        status,
        detail: None,
        errors: Vec::new(),
        request_id: None,
    });
    Err(ApiFailure::Problem(Box::new(problem)))
}

/// One locale's texts (a static file named in `index.html`; see `i18n::load_texts`).
pub async fn texts(url: &str) -> Result<String, ApiFailure> {
    send(Request::get(url).build()).await
}

/// A body read as `T`: parsed into one `Value` by core's small JSON reader (not serde_json's
/// deserializer: less to download), then read by hand (see [`crate::wire`]).
fn parse<T: Wire>(body: &str) -> Result<T, ApiFailure> {
    let value = edgedesk_core::json::parse(body)
        .ok_or_else(|| ApiFailure::Network("the answer is not JSON".to_owned()))?;
    T::read(&value).ok_or_else(|| ApiFailure::Network("unexpected answer".to_owned()))
}

/// [`send`], then [`parse`].
async fn read<T: Wire>(request: Result<Request, gloo_net::Error>) -> Result<T, ApiFailure> {
    parse(&send(request).await?)
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

/// `GET /api/v1/portal`.
struct PortalConfig {
    default_org: String,
}

impl Wire for PortalConfig {
    fn read(v: &Value) -> Option<Self> {
        Some(Self {
            default_org: required(v.as_object()?, "default_org", string)?,
        })
    }
}

/// The organisation the root page leads to.
pub async fn default_org() -> Result<String, ApiFailure> {
    read::<PortalConfig>(in_locale(Request::get("/api/v1/portal")).build())
        .await
        .map(|c| c.default_org)
}

pub async fn org(slug: &str) -> Result<OrgPublic, ApiFailure> {
    read(in_locale(Request::get(&format!("/api/v1/orgs/{slug}"))).build()).await
}

pub async fn create_request(
    org: &str,
    input: &NewRequestInput,
) -> Result<CreatedRequest, ApiFailure> {
    read(in_locale(Request::post(&format!("/api/v1/orgs/{org}/requests"))).json(input)).await
}

pub async fn request(id: &str, tracking_token: &str) -> Result<RequestView, ApiFailure> {
    read(
        in_locale(Request::get(&format!("/api/v1/requests/{id}")))
            .header(TRACKING_TOKEN_HEADER, tracking_token)
            .build(),
    )
    .await
}

/// The request's public timeline (replies and status changes), oldest first.
pub async fn timeline(id: &str, tracking_token: &str) -> Result<Vec<TimelineEntry>, ApiFailure> {
    read(
        in_locale(Request::get(&format!("/api/v1/requests/{id}/timeline")))
            .header(TRACKING_TOKEN_HEADER, tracking_token)
            .build(),
    )
    .await
}

/// A follow-up request that a reply to a closed request started.
pub struct FollowUp {
    pub id: String,
    pub reference: String,
    pub tracking_token: String,
    pub created_at: String,
}

/// What the desk answers a reply with: the stored comment (skipped: the timeline is reloaded),
/// or, for a closed request, the follow-up request, which alone carries a tracking token.
struct ReplyAnswer(Option<FollowUp>);

impl Wire for ReplyAnswer {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        if !o.contains_key("tracking_token") {
            return Some(Self(None));
        }
        Some(Self(Some(FollowUp {
            id: required(o, "id", string)?,
            reference: required(o, "reference", string)?,
            tracking_token: required(o, "tracking_token", string)?,
            created_at: required(o, "created_at", string)?,
        })))
    }
}

/// Sends a reply; `Some` when it started a follow-up request (the request was closed).
pub async fn reply(
    id: &str,
    tracking_token: &str,
    input: &ReplyInput,
) -> Result<Option<FollowUp>, ApiFailure> {
    let request = in_locale(Request::post(&format!("/api/v1/requests/{id}/replies")))
        .header(TRACKING_TOKEN_HEADER, tracking_token)
        .json(input);
    read::<ReplyAnswer>(request).await.map(|answer| answer.0)
}

/// The organisation's active catalog; with a non-blank `query`, only the items it finds (the
/// worker folds case and diacritics, so "zolc" finds "Żółć").
pub async fn catalog(org: &str, query: &str) -> Result<CatalogView, ApiFailure> {
    let mut builder = in_locale(Request::get(&format!("/api/v1/orgs/{org}/catalog")));
    let query = query.trim();
    if !query.is_empty() {
        builder = builder.query([("q", query)]);
    }
    read(builder.build()).await
}

/// The parts of `edgedesk_core::catalog::ItemView` the item page shows, read from the same JSON.
/// Not `ItemView` itself: its `#[serde(flatten)]` brings serde's buffering deserializer into the
/// wasm (about 10 KB) for fields the page does not need.
#[derive(Debug, Clone)]
pub struct CatalogItem {
    pub slug: String,
    pub name: LocalizedText,
    /// Empty when absent.
    pub description: LocalizedText,
    pub default_locale: String,
    pub form: FormSchemaInput,
}

impl Wire for CatalogItem {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            slug: required(o, "slug", string)?,
            name: required(o, "name", LocalizedText::read)?,
            description: or_default(o, "description", LocalizedText::read)?,
            default_locale: required(o, "default_locale", string)?,
            form: required(o, "form", FormSchemaInput::read)?,
        })
    }
}

/// One active catalog item with the form it uses now (404 when unknown or inactive).
pub async fn catalog_item(org: &str, item: &str) -> Result<CatalogItem, ApiFailure> {
    read(in_locale(Request::get(&format!("/api/v1/orgs/{org}/catalog/{item}"))).build()).await
}

#[cfg(test)]
mod tests {
    //! The answers read here by hand take what the desk's own types write: whatever serde
    //! reads as that type (also after edits to its JSON), these read the same of it.

    use edgedesk_core::api::{CommentView, CreatedRequest};
    use edgedesk_core::catalog::ItemView;
    use edgedesk_core::form::{FormSchemaInput, LocalizedText};
    use edgedesk_core::wire::testing::{edited, edits, strategies as s, strict};
    use proptest::prelude::*;
    use serde_json::Value;

    use super::{CatalogItem, ReplyAnswer, Wire as _};

    type ItemPage = (
        String,
        LocalizedText,
        LocalizedText,
        String,
        FormSchemaInput,
    );

    /// What the item page shows.
    fn shown(item: &CatalogItem) -> ItemPage {
        (
            item.slug.clone(),
            item.name.clone(),
            item.description.clone(),
            item.default_locale.clone(),
            item.form.clone(),
        )
    }

    fn of_view(view: &ItemView) -> ItemPage {
        (
            view.item.slug.clone(),
            view.item.name.clone(),
            view.item.description.clone(),
            view.default_locale.clone(),
            view.form.clone(),
        )
    }

    fn follow_up(json: &Value) -> Option<Option<(String, String, String, String)>> {
        ReplyAnswer::read(json).map(|answer| {
            answer
                .0
                .map(|f| (f.id, f.reference, f.tracking_token, f.created_at))
        })
    }

    proptest! {
        #[test]
        fn an_item_page_reads_what_the_desks_item_view_holds(
            view in s::item_view(),
            edits in edits(),
        ) {
            let json = serde_json::to_value(&view).expect("serialises");
            prop_assert_eq!(CatalogItem::read(&json).as_ref().map(shown), Some(of_view(&view)));
            let json = edited(&json, &edits);
            if let Ok(view) = strict::read::<ItemView>(&json) {
                prop_assert_eq!(CatalogItem::read(&json).as_ref().map(shown), Some(of_view(&view)));
            }
        }

        #[test]
        fn a_reply_answer_is_a_comment_or_a_follow_up_request(
            comment in s::comment_view(),
            created in s::created_request(),
            edits in edits(),
        ) {
            let json = serde_json::to_value(&comment).expect("serialises");
            prop_assert_eq!(follow_up(&json), Some(None));
            let json = edited(&json, &edits);
            if strict::read::<CommentView>(&json).is_ok() && json.get("tracking_token").is_none() {
                prop_assert_eq!(follow_up(&json), Some(None));
            }

            let of = |c: CreatedRequest| Some(Some((c.id, c.reference, c.tracking_token, c.created_at)));
            let json = serde_json::to_value(&created).expect("serialises");
            prop_assert_eq!(follow_up(&json), of(created));
            let json = edited(&json, &edits);
            if let Ok(created) = strict::read::<CreatedRequest>(&json) {
                prop_assert_eq!(follow_up(&json), of(created));
            }
        }
    }
}
