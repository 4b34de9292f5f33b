//! Black-box tests of the requester API against a live `wrangler dev` with a fresh local D1.

use edgedesk_core::api::{CreatedRequest, Problem, RequestView, TRACKING_TOKEN_HEADER};
use edgedesk_core::{FieldErrorCode, NewRequestInput, TicketStatus};
use edgedesk_tests::{DEMO_ORG, Desk, reference_number, sample_request};
use reqwest::StatusCode;

/// Asserts the response is RFC 9457 problem+json with `status`, and returns it.
async fn expect_problem(response: reqwest::Response, status: StatusCode) -> Problem {
    assert_eq!(response.status(), status, "status of {}", response.url());
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/problem+json"),
        "content type {content_type:?}"
    );
    let problem: Problem = response.json().await.expect("problem body");
    assert_eq!(problem.status, status.as_u16());
    assert!(!problem.title.is_empty());
    problem
}

async fn create(desk: &Desk, input: &NewRequestInput) -> CreatedRequest {
    let response = desk.create_request(DEMO_ORG, input).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let created: CreatedRequest = response.json().await.expect("created body");
    assert_eq!(
        location.as_deref(),
        Some(format!("/api/v1/requests/{}", created.id).as_str())
    );
    created
}

#[tokio::test]
async fn health_answers_without_auth() {
    let desk = Desk::from_env();
    let response = desk
        .http
        .get(desk.url("/api/v1/health"))
        .send()
        .await
        .expect("health");
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn created_request_is_readable_with_its_tracking_token() {
    let desk = Desk::from_env();
    let input = sample_request("create-then-read");
    let created = create(&desk, &input).await;
    assert_eq!(created.status, TicketStatus::New);
    assert!(
        created.reference.starts_with("DEMO-"),
        "{}",
        created.reference
    );
    assert!(created.tracking_token.len() >= 40);

    let view: RequestView = desk
        .http
        .get(desk.url(&format!("/api/v1/requests/{}", created.id)))
        .header(TRACKING_TOKEN_HEADER, &created.tracking_token)
        .send()
        .await
        .expect("get")
        .error_for_status()
        .expect("200")
        .json()
        .await
        .expect("view");
    assert_eq!(view.id, created.id);
    assert_eq!(view.reference, created.reference);
    assert_eq!(view.status, TicketStatus::New);
    assert_eq!(view.subject, input.subject);
    assert_eq!(view.description, input.description);
    assert_eq!(view.requester_email, input.requester_email);
    assert_eq!(view.created_at, created.created_at);
}

#[tokio::test]
async fn references_count_up_per_organisation() {
    let desk = Desk::from_env();
    let first = create(&desk, &sample_request("numbering-1")).await;
    let second = create(&desk, &sample_request("numbering-2")).await;
    assert!(reference_number(&second.reference) > reference_number(&first.reference));
    assert_ne!(first.id, second.id);
    assert_ne!(first.tracking_token, second.tracking_token);
}

#[tokio::test]
async fn wrong_missing_or_foreign_tokens_get_404() {
    let desk = Desk::from_env();
    let mine = create(&desk, &sample_request("token-a")).await;
    let other = create(&desk, &sample_request("token-b")).await;
    let url = desk.url(&format!("/api/v1/requests/{}", mine.id));
    for token in [
        Some(other.tracking_token.as_str()),
        Some("not-a-token"),
        None,
    ] {
        let mut request = desk.http.get(&url);
        if let Some(token) = token {
            request = request.header(TRACKING_TOKEN_HEADER, token);
        }
        expect_problem(request.send().await.expect("get"), StatusCode::NOT_FOUND).await;
    }
    let malformed_id = desk
        .http
        .get(desk.url("/api/v1/requests/nope"))
        .header(TRACKING_TOKEN_HEADER, &mine.tracking_token);
    expect_problem(
        malformed_id.send().await.expect("get"),
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn invalid_fields_get_422_with_field_errors() {
    let desk = Desk::from_env();
    let mut input = sample_request("invalid");
    input.requester_email = "zofia-at-example".into();
    input.subject = String::new();
    let problem = expect_problem(
        desk.create_request(DEMO_ORG, &input).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let fields: Vec<(&str, FieldErrorCode)> = problem
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("requester_email", FieldErrorCode::InvalidEmail),
            ("subject", FieldErrorCode::Required)
        ]
    );
}

#[tokio::test]
async fn problems_speak_the_accept_language_and_keep_their_codes() {
    let desk = Desk::from_env();
    let mut input = sample_request("localised");
    input.subject = "ab".into();
    let url = desk.url("/api/v1/orgs/demo/requests");
    let mut seen = Vec::new();
    for language in ["en-GB,en;q=0.9", "pl-PL,pl;q=0.9,en;q=0.5", "xx, he;q=0.8"] {
        let response = desk
            .http
            .post(&url)
            .header("accept-language", language)
            .json(&input)
            .send()
            .await
            .expect("POST");
        let content_language = response
            .headers()
            .get("content-language")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(problem.kind, "https://edgedesk.dev/problems/validation");
        assert_eq!(problem.errors.len(), 1, "{problem:?}");
        assert_eq!(problem.errors[0].code, FieldErrorCode::TooShort);
        seen.push((
            content_language,
            problem.title,
            problem.errors[0].message.clone(),
        ));
    }
    assert_eq!(seen[0].0.as_deref(), Some("en"));
    assert_eq!(seen[1].0.as_deref(), Some("pl"));
    assert_eq!(seen[2].0.as_deref(), Some("he"));
    // Polish "few" form for 3 (CLDR), not the English plural.
    assert!(seen[1].2.contains("znaki"), "{:?}", seen[1]);
    assert!(seen[0].2.contains("characters"), "{:?}", seen[0]);
    assert!(
        seen[2]
            .1
            .chars()
            .any(|c| ('\u{05D0}'..='\u{05EA}').contains(&c)),
        "{:?}",
        seen[2]
    );
    assert_ne!(seen[0].1, seen[1].1);

    // A 404 is localised too.
    let response = desk
        .http
        .get(desk.url("/api/v1/orgs/no-such-org"))
        .header("accept-language", "el")
        .send()
        .await
        .expect("GET");
    let problem = expect_problem(response, StatusCode::NOT_FOUND).await;
    assert!(
        problem
            .title
            .chars()
            .any(|c| ('\u{0370}'..='\u{03FF}').contains(&c)),
        "{problem:?}"
    );
}

#[tokio::test]
async fn malformed_json_and_garbage_bodies_get_400() {
    let desk = Desk::from_env();
    let url = desk.url("/api/v1/orgs/demo/requests");
    let bodies: [&[u8]; 5] = [
        b"{\"subject\": ",
        b"[1,2,3]",
        b"{\"subject\": 42}",
        b"\xff\xfe\x00garbage",
        b"{\"unknown_field\": \"x\"}",
    ];
    for body in bodies {
        let response = desk
            .http
            .post(&url)
            .header("content-type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .expect("post");
        let problem = expect_problem(response, StatusCode::BAD_REQUEST).await;
        assert!(
            problem.detail.is_some_and(|d| !d.is_empty()),
            "400 explains what is wrong"
        );
    }
}

#[tokio::test]
async fn wrong_content_type_gets_415() {
    let desk = Desk::from_env();
    let body = serde_json::to_vec(&sample_request("content-type")).expect("json");
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut request = desk
            .http
            .post(desk.url("/api/v1/orgs/demo/requests"))
            .body(body.clone());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        expect_problem(
            request.send().await.expect("post"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        )
        .await;
    }
}

#[tokio::test]
async fn bodies_over_one_mebibyte_get_413() {
    let desk = Desk::from_env();
    let mut input = sample_request("huge");
    input.description = "x".repeat(2 * 1024 * 1024);
    expect_problem(
        desk.create_request(DEMO_ORG, &input).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
}

#[tokio::test]
async fn unknown_organisation_gets_404() {
    let desk = Desk::from_env();
    expect_problem(
        desk.create_request("no-such-org", &sample_request("org"))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    expect_problem(
        desk.create_request("Bad_Slug!", &sample_request("org"))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let response = desk
        .http
        .get(desk.url("/api/v1/orgs/no-such-org"))
        .send()
        .await
        .expect("get");
    expect_problem(response, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn organisation_public_profile_is_served() {
    let desk = Desk::from_env();
    let org: serde_json::Value = desk
        .http
        .get(desk.url("/api/v1/orgs/demo"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(org["slug"], "demo");
    assert!(org["name"].as_str().is_some_and(|n| !n.is_empty()));
}

#[tokio::test]
async fn unknown_api_routes_and_methods_are_problems() {
    let desk = Desk::from_env();
    let response = desk
        .http
        .get(desk.url("/api/v1/no-such-thing"))
        .send()
        .await
        .expect("get");
    expect_problem(response, StatusCode::NOT_FOUND).await;
    let response = desk
        .http
        .delete(desk.url("/api/v1/health"))
        .send()
        .await
        .expect("delete");
    expect_problem(response, StatusCode::METHOD_NOT_ALLOWED).await;
}

#[tokio::test]
async fn portal_routes_fall_back_to_the_single_page_app() {
    let desk = Desk::from_env();
    for path in [
        "/",
        "/demo/requests/new",
        "/demo/requests/01JZZZZZZZZZZZZZZZZZZZZZZZ",
    ] {
        let response = desk
            .http
            .get(desk.url(path))
            .header("accept", "text/html")
            .header("sec-fetch-mode", "navigate")
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = response.text().await.expect("html");
        assert!(
            html.contains("edgedesk_app-"),
            "{path} serves the portal's index.html"
        );
    }
}

#[tokio::test]
async fn portal_routes_do_not_stand_in_for_a_missing_asset() {
    let desk = Desk::from_env();
    // As the portal fetches a texts bundle: a stale hashed name fails, it does not load HTML.
    let response = desk
        .http
        .get(desk.url("/assets/texts-el-0000000000000000.txt"))
        .header("sec-fetch-mode", "cors")
        .send()
        .await
        .expect("get");
    expect_problem(response, StatusCode::NOT_FOUND).await;
    // Nor does a page take a write.
    let response = desk
        .http
        .post(desk.url("/demo/requests/new"))
        .send()
        .await
        .expect("post");
    expect_problem(response, StatusCode::NOT_FOUND).await;
}
