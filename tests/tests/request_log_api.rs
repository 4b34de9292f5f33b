//! Black-box tests of the worker's structured log: every request's id comes back in
//! `x-request-id` (and in problem bodies) and names one JSON line in the worker's log with the
//! route template and status, and no credential.

use std::time::Duration;

use edgedesk_tests::{DEMO_ORG, Desk};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// The JSON line of request `id` in the worker's log (`cargo xtask test` passes its path),
/// waiting a little: wrangler writes the worker's console output as it comes.
async fn log_line(id: &str) -> Value {
    let path = std::env::var("EDGEDESK_WORKER_LOG")
        .expect("EDGEDESK_WORKER_LOG is not set: run via `cargo xtask test`");
    let wanted = format!("\"request_id\":\"{id}\"");
    for _ in 0..50 {
        let log = std::fs::read_to_string(&path).expect("reading the worker's log");
        if let Some(line) = log.lines().find(|line| line.contains(&wanted)) {
            // wrangler may put a prefix before what the worker printed.
            let json = &line[line.find('{').expect("a JSON object")..];
            return serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {line}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no log line has request id {id}");
}

fn request_id(response: &reqwest::Response) -> String {
    let id = response
        .headers()
        .get("x-request-id")
        .expect("x-request-id header")
        .to_str()
        .expect("ASCII")
        .to_owned();
    assert!(!id.is_empty());
    id
}

#[tokio::test]
async fn a_request_is_one_json_log_line_under_its_route_template() {
    let desk = Desk::from_env();
    let response = desk
        .call(Method::GET, &format!("/api/v1/orgs/{DEMO_ORG}"), None)
        .send()
        .await
        .expect("GET org");
    assert_eq!(response.status(), StatusCode::OK);
    let id = request_id(&response);
    let line = log_line(&id).await;
    assert_eq!(line["kind"], "request", "{line}");
    assert_eq!(line["method"], "GET", "{line}");
    assert_eq!(line["route"], "/api/v1/orgs/{org}", "{line}");
    assert_eq!(line["status"], 200, "{line}");
    assert_eq!(line["org"], DEMO_ORG, "{line}");
    assert!(line["duration_ms"].is_u64(), "{line}");
    assert!(line.get("d1_round_trips").is_some(), "{line}");
}

#[tokio::test]
async fn every_request_gets_its_own_id() {
    let desk = Desk::from_env();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let response = desk
            .call(Method::GET, "/api/v1/health", None)
            .send()
            .await
            .expect("GET health");
        ids.push(request_id(&response));
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "{ids:?}");
}

#[tokio::test]
async fn an_error_names_its_request_id_and_the_log_line_has_no_credentials() {
    let desk = Desk::from_env();
    let token = std::env::var("EDGEDESK_ADMIN_TOKEN").expect("EDGEDESK_ADMIN_TOKEN");
    let response = desk
        .call(
            Method::GET,
            "/api/v1/tickets/01JD0000000000000000000000",
            Some(&token),
        )
        .send()
        .await
        .expect("GET ticket");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let id = request_id(&response);
    let problem: Value = response.json().await.expect("problem+json");
    assert_eq!(problem["request_id"], id.as_str(), "{problem}");
    let line = log_line(&id).await;
    assert_eq!(line["route"], "/api/v1/tickets/{id}", "{line}");
    assert_eq!(line["status"], 404, "{line}");
    let text = line.to_string();
    assert!(!text.contains(&token), "{text}");
    assert!(!text.contains("01JD0000000000000000000000"), "{text}");
}
