//! Black-box tests of the API's safety nets: idempotent creates (`Idempotency-Key`) and rate
//! limits (429 with `Retry-After`), against the real worker.

use std::collections::BTreeMap;

use edgedesk_core::FieldErrorCode;
use edgedesk_core::api::{CommentView, CreatedRequest, CreatedToken, Problem, Role, TokenView};
use edgedesk_tests::{Desk, sample_request};
use reqwest::{Method, StatusCode};
use serde_json::json;

const KEY: &str = "Idempotency-Key";

fn limit(name: &str) -> usize {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} (run via cargo xtask test)"))
        .parse()
        .expect("a number")
}

async fn counts(desk: &Desk, token: &str) -> BTreeMap<String, i64> {
    desk.call(Method::GET, "/api/v1/tickets/counts", Some(token))
        .send()
        .await
        .expect("counts")
        .json()
        .await
        .expect("counts body")
}

#[tokio::test]
async fn a_retried_request_with_its_key_gets_the_first_answer_and_creates_one_ticket() {
    let desk = Desk::from_env();
    let org = desk.new_org("idem-request").await;
    let url = desk.url(&format!("/api/v1/orgs/{}/requests", org.slug));
    let body = sample_request("idempotent");
    let send = |key: &'static str, body: serde_json::Value| {
        let request = desk.http.post(&url).header(KEY, key).json(&body);
        async move { request.send().await.expect("create") }
    };
    let first = send("7b2c-retry-one", json!(body)).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let location = first.headers().get("location").cloned();
    let first: CreatedRequest = first.json().await.expect("created");

    // The same JSON re-formatted (key order) is the same request.
    let mut reordered = serde_json::Map::new();
    for (k, v) in json!(body).as_object().expect("object").iter().rev() {
        reordered.insert(k.clone(), v.clone());
    }
    let again = send("7b2c-retry-one", serde_json::Value::Object(reordered)).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(
        again
            .headers()
            .get("idempotent-replayed")
            .map(|v| v.as_bytes()),
        Some(&b"true"[..])
    );
    assert_eq!(again.headers().get("location").cloned(), location);
    let again: CreatedRequest = again.json().await.expect("replayed");
    assert_eq!(again, first, "the same answer, tracking token included");

    // The replayed tracking token is the real one.
    let view = desk
        .http
        .get(desk.url(&format!("/api/v1/requests/{}", first.id)))
        .header(
            edgedesk_core::api::TRACKING_TOKEN_HEADER,
            &again.tracking_token,
        )
        .send()
        .await
        .expect("view");
    assert_eq!(view.status(), StatusCode::OK);

    let mut changed = json!(body);
    changed["subject"] = json!("Something else entirely");
    let reused = send("7b2c-retry-one", changed).await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Problem = reused.json().await.expect("problem");
    assert_eq!(problem.errors[0].field, KEY);
    assert_eq!(problem.errors[0].code, FieldErrorCode::DuplicateKey);

    // Another key is another request.
    assert_eq!(
        send("7b2c-retry-two", json!(body)).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(counts(&desk, &org.admin).await["new"], 2);

    let malformed = desk
        .http
        .post(&url)
        .header(KEY, "not a key")
        .json(&body)
        .send()
        .await
        .expect("malformed key");
    assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn concurrent_first_uses_of_a_key_create_once() {
    let desk = Desk::from_env();
    let org = desk.new_org("idem-race").await;
    let url = desk.url(&format!("/api/v1/orgs/{}/requests", org.slug));
    let body = sample_request("race");
    let sends = (0..6).map(|_| {
        let request = desk.http.post(&url).header(KEY, "race-key").json(&body);
        async move { request.send().await.expect("create").status() }
    });
    let statuses = futures_join(sends).await;
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    assert_eq!(counts(&desk, &org.admin).await["new"], 1, "{statuses:?}");
}

async fn futures_join<F: std::future::Future<Output = StatusCode> + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<StatusCode> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.expect("task"));
    }
    out
}

#[tokio::test]
async fn a_retried_token_create_returns_the_same_working_secret_once_stored() {
    let desk = Desk::from_env();
    let org = desk.new_org("idem-token").await;
    let create = || {
        desk.call(Method::POST, "/api/v1/admin/tokens", Some(&org.admin))
            .header(KEY, "token-key-1")
            .json(&json!({"name": "Integration", "role": "agent"}))
            .send()
    };
    let first: CreatedToken = create().await.expect("first").json().await.expect("token");
    let again = create().await.expect("again");
    assert_eq!(again.status(), StatusCode::CREATED);
    let again: CreatedToken = again.json().await.expect("token");
    assert_eq!(again, first);
    let listed: Vec<TokenView> = desk
        .call(Method::GET, "/api/v1/admin/tokens", Some(&org.admin))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("tokens");
    assert_eq!(listed.iter().filter(|t| t.name == "Integration").count(), 1);
    assert_eq!(
        desk.call(Method::GET, "/api/v1/tickets", Some(&again.secret))
            .send()
            .await
            .expect("use")
            .status(),
        StatusCode::OK
    );
    // That the key's row never holds the secret readable is shown on the stored row itself,
    // natively: the worker's `db::api_sql_tests::a_stored_answer_never_holds_its_secret_readable`.
}

#[tokio::test]
async fn retried_comments_replies_and_catalog_creates_happen_once() {
    let desk = Desk::from_env();
    let org = desk.new_org("idem-misc").await;
    let ticket = desk.new_request(&org.slug, "idem misc").await;
    let comments = format!("/api/v1/tickets/{}/comments", ticket.id);
    let comment = || {
        desk.call(Method::POST, &comments, Some(&org.admin))
            .header(KEY, "comment-1")
            .json(&json!({"body": "We are on it.", "public": true}))
            .send()
    };
    let first: CommentView = comment().await.expect("c1").json().await.expect("c1");
    let second: CommentView = comment().await.expect("c2").json().await.expect("c2");
    assert_eq!(first, second);

    let reply = || {
        desk.http
            .post(desk.url(&format!("/api/v1/requests/{}/replies", ticket.id)))
            .header(
                edgedesk_core::api::TRACKING_TOKEN_HEADER,
                &ticket.tracking_token,
            )
            .header(KEY, "reply-1")
            .json(&json!({"body": "Thanks!"}))
            .send()
    };
    let r1: CommentView = reply().await.expect("r1").json().await.expect("r1");
    let r2 = reply().await.expect("r2");
    assert_eq!(r2.status(), StatusCode::CREATED);
    assert_eq!(r2.json::<CommentView>().await.expect("r2"), r1);
    let all: Vec<CommentView> = desk
        .call(Method::GET, &comments, Some(&org.admin))
        .send()
        .await
        .expect("comments")
        .json()
        .await
        .expect("comments");
    assert_eq!(all.len(), 2, "{all:?}");

    for (path, body) in [
        (
            "/api/v1/admin/catalog/categories",
            json!({"slug": "idem-cat", "name": {"en": "Cat"}}),
        ),
        (
            "/api/v1/admin/catalog/items",
            json!({"slug": "idem-item", "category": "idem-cat", "name": {"en": "I"}, "form": {"fields": []}}),
        ),
    ] {
        let send = || {
            desk.call(Method::POST, path, Some(&org.admin))
                .header(KEY, format!("{path}-key"))
                .json(&body)
                .send()
        };
        let first = send().await.expect("first");
        assert_eq!(first.status(), StatusCode::CREATED, "{path}");
        let first: serde_json::Value = first.json().await.expect("first");
        let again = send().await.expect("again");
        assert_eq!(
            again.status(),
            StatusCode::CREATED,
            "{path}: not a 409 for the slug"
        );
        assert_eq!(
            again.json::<serde_json::Value>().await.expect("again"),
            first
        );
    }
}

/// Sends `total` requests made by `make`, 10 at a time, and returns the first 429 seen.
async fn burst<F>(total: usize, make: F) -> Option<reqwest::Response>
where
    F: Fn() -> reqwest::RequestBuilder,
{
    let mut sent = 0;
    while sent < total {
        let wave: Vec<_> = (0..10.min(total - sent))
            .map(|_| tokio::spawn(make().send()))
            .collect();
        sent += wave.len();
        for handle in wave {
            let response = handle.await.expect("task").expect("request");
            if response.status() == StatusCode::TOO_MANY_REQUESTS {
                return Some(response);
            }
        }
    }
    None
}

async fn assert_rate_limited(response: reqwest::Response) {
    let retry_after: u64 = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let problem: Problem = response.json().await.expect("problem");
    assert_eq!(problem.kind, "https://edgedesk.dev/problems/rate-limited");
    assert_eq!(problem.status, 429);
}

#[tokio::test]
async fn anonymous_creates_past_the_limit_get_429_and_other_organisations_do_not() {
    let desk = Desk::from_env();
    let org = desk.new_org("rate-anon").await;
    let limit = limit("EDGEDESK_RATE_LIMIT_ANONYMOUS");
    let url = desk.url(&format!("/api/v1/orgs/{}/requests", org.slug));
    let body = sample_request("burst");
    // Two windows at most can share a burst, so 2 × limit + 1 must meet a 429.
    let limited = burst(2 * limit + 1, || desk.http.post(&url).json(&body))
        .await
        .expect("a 429 within 2 × limit + 1 creates");
    assert_rate_limited(limited).await;
    // The limit is per organisation and address: the demo organisation still takes requests.
    let other = desk
        .create_request("demo", &sample_request("not limited"))
        .await;
    assert_eq!(other.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_token_past_its_limit_gets_429_and_other_tokens_do_not() {
    let desk = Desk::from_env();
    let org = desk.new_org("rate-token").await;
    let busy = desk.new_token(&org.admin, Role::Agent, "busy").await.secret;
    let limit = limit("EDGEDESK_RATE_LIMIT_AGENT");
    let limited = burst(2 * limit + 1, || {
        desk.call(Method::GET, "/api/v1/tickets/counts", Some(&busy))
    })
    .await
    .expect("a 429 within 2 × limit + 1 requests");
    assert_rate_limited(limited).await;
    assert_eq!(
        desk.call(Method::GET, "/api/v1/tickets/counts", Some(&org.admin))
            .send()
            .await
            .expect("admin")
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn search_finds_public_text_of_the_own_organisation_but_never_internal_notes() {
    let desk = Desk::from_env();
    let org = desk.new_org("search").await;
    let other = desk.new_org("search-other").await;
    let mine = desk.new_request(&org.slug, "zebracrossing").await;
    desk.new_request(&other.slug, "zebracrossing").await;
    for (body, public) in [
        ("the quokkafix worked", true),
        ("hushhushword internal", false),
    ] {
        let added = desk
            .call(
                Method::POST,
                &format!("/api/v1/tickets/{}/comments", mine.id),
                Some(&org.admin),
            )
            .json(&json!({"body": body, "public": public}))
            .send()
            .await
            .expect("comment");
        assert_eq!(added.status(), StatusCode::CREATED);
    }
    let found = |q: &'static str| {
        let request = desk
            .call(Method::GET, "/api/v1/tickets", Some(&org.admin))
            .query(&[("q", q)]);
        async move {
            let page: edgedesk_core::api::Page<edgedesk_core::api::TicketView> = request
                .send()
                .await
                .expect("search")
                .json()
                .await
                .expect("page");
            page.data.into_iter().map(|t| t.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        found("ZEBRACROSSING").await,
        vec![mine.id.clone()],
        "own org only"
    );
    assert_eq!(
        found("quokka*").await,
        vec![mine.id.clone()],
        "public replies"
    );
    assert!(
        found("hushhushword").await.is_empty(),
        "internal notes are not searchable"
    );

    for (parameter, value) in [
        ("q", "\"*"),
        ("sort", "sideways"),
        ("priority", "meh"),
        ("requester", "not-an-email"),
        ("created[gte]", "yesterday"),
    ] {
        let response = desk
            .call(Method::GET, "/api/v1/tickets", Some(&org.admin))
            .query(&[(parameter, value)])
            .send()
            .await
            .expect("bad filter");
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{parameter}"
        );
        let problem: Problem = response.json().await.expect("problem");
        assert_eq!(problem.errors[0].field, parameter);
    }
}
