//! Black-box tests of ordinary requests that once met a limit of D1's and got a 500: a full page
//! of tickets (D1 binds at most 100 parameters per statement) and a catalog search typed as a
//! sentence or in Greek (D1 refuses LIKE patterns over 50 bytes).

use edgedesk_core::FieldErrorCode;
use edgedesk_core::api::{Page, TicketView};
use edgedesk_core::catalog::CatalogView;
use edgedesk_tests::agent::Org;
use edgedesk_tests::{DEMO_ORG, Desk, sample_request};
use reqwest::{Method, StatusCode};

/// Creates `count` requests in `org`, from a few client addresses so the anonymous rate limit
/// (per address and organisation) is not what the test meets. Locally, `wrangler dev` keeps a
/// `cf-connecting-ip` the client sends; Cloudflare's edge sets it itself.
async fn fill(desk: &Desk, org: &Org, count: usize) {
    let url = desk.url(&format!("/api/v1/orgs/{}/requests", org.slug));
    for n in 0..count {
        let response = desk
            .http
            .post(&url)
            .header("cf-connecting-ip", format!("198.51.100.{}", n % 4))
            .json(&sample_request(&format!("page {n}")))
            .send()
            .await
            .expect("POST request");
        assert_eq!(response.status(), StatusCode::CREATED, "request {n}");
    }
}

#[tokio::test]
async fn a_full_page_of_a_hundred_tickets_loads_with_their_clocks_and_tags() {
    let desk = Desk::from_env();
    let org = desk.new_org("full-page").await;
    fill(&desk, &org, 101).await;
    let response = desk
        .send(
            Method::GET,
            "/api/v1/tickets?page[size]=100",
            &org.admin,
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page: Page<TicketView> = response.json().await.expect("a page");
    assert_eq!(page.data.len(), 100);
    assert!(page.meta.has_more);
    // Deadline order reads the same page through the running clocks.
    let by_deadline = desk
        .send(
            Method::GET,
            "/api/v1/tickets?page[size]=100&sort=deadline",
            &org.admin,
            None,
        )
        .await;
    assert_eq!(by_deadline.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_catalog_search_may_be_a_sentence_or_greek_and_only_its_length_is_bounded() {
    let desk = Desk::from_env();
    let search = |q: String| {
        let request = desk
            .http
            .get(desk.url(&format!("/api/v1/orgs/{DEMO_ORG}/catalog")))
            .query(&[("q", q)]);
        async move { request.send().await.expect("catalog search") }
    };
    for q in [
        "I need a new laptop because mine is broken since yesterday".to_owned(),
        "Χρειάζομαι καινούργιο φορητό υπολογιστή για την ομάδα μας".to_owned(),
        "אני צריך מחשב נייד חדש כי הישן שלי התקלקל אתמול בערב".to_owned(),
        "% _ \\ * \" ( ) OR NEAR".to_owned(),
        "α".repeat(200),
    ] {
        let response = search(q.clone()).await;
        assert_eq!(response.status(), StatusCode::OK, "{q}");
        let _: CatalogView = response.json().await.expect("a catalog");
    }
    let found: CatalogView = search("LAPTOP".to_owned())
        .await
        .json()
        .await
        .expect("a catalog");
    assert!(!found.items.is_empty(), "a word of a demo item finds it");
    let too_long = search("α".repeat(201)).await;
    assert_eq!(too_long.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: edgedesk_core::api::Problem = too_long.json().await.expect("a problem");
    assert_eq!(problem.errors[0].field, "q");
    assert_eq!(problem.errors[0].code, FieldErrorCode::TooLong);
}

#[tokio::test]
async fn a_client_reads_its_own_write_by_the_bookmark_of_its_answer() {
    let desk = Desk::from_env();
    let org = desk.new_org("bookmark").await;
    let written = desk
        .send(
            Method::POST,
            "/api/v1/admin/tokens",
            &org.admin,
            Some(serde_json::json!({"name": "bookmarked", "role": "agent"})),
        )
        .await;
    assert_eq!(written.status(), StatusCode::CREATED);
    let bookmark = written
        .headers()
        .get("x-d1-bookmark")
        .and_then(|v| v.to_str().ok())
        .expect("a write's answer carries its D1 bookmark")
        .to_owned();
    let read = desk
        .call(Method::GET, "/api/v1/admin/tokens", Some(&org.admin))
        .header("x-d1-bookmark", &bookmark)
        .send()
        .await
        .expect("GET tokens");
    assert_eq!(read.status(), StatusCode::OK);
    let tokens: Vec<edgedesk_core::api::TokenView> = read.json().await.expect("tokens");
    assert!(tokens.iter().any(|t| t.name == "bookmarked"));
    let forged = desk
        .call(Method::GET, "/api/v1/admin/tokens", Some(&org.admin))
        .header("x-d1-bookmark", "first-primary; DROP")
        .send()
        .await
        .expect("GET tokens");
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
}
