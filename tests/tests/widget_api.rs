//! Black-box tests of the widget's API: the admin's origin allowlist, CORS for other sites, the
//! form token's minimum fill time, the honeypot, and where widget tickets come from.

use edgedesk_core::api::{Role, TicketView};
use edgedesk_core::widget::{WidgetConfig, WidgetSubmission};
use edgedesk_tests::agent::Org;
use edgedesk_tests::host::like_a_person;
use edgedesk_tests::{Desk, sample_request};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const SHOP: &str = "https://shop.example";
const EVIL: &str = "https://evil.example";

async fn allow(desk: &Desk, org: &Org, origins: &[&str]) -> reqwest::Response {
    desk.allow_widget(&org.admin, origins).await
}

async fn config(desk: &Desk, org: &Org, origin: &str, locale: &str) -> reqwest::Response {
    desk.http
        .get(desk.url(&format!("/api/v1/orgs/{}/widget", org.slug)))
        .header("origin", origin)
        .header("accept-language", locale)
        .send()
        .await
        .expect("GET widget config")
}

async fn token(desk: &Desk, org: &Org) -> String {
    let response = config(desk, org, SHOP, "en").await;
    assert_eq!(response.status(), StatusCode::OK);
    let config: WidgetConfig = response.json().await.expect("config");
    config.form_token
}

async fn submit(
    desk: &Desk,
    org: &Org,
    origin: &str,
    widget: WidgetSubmission,
) -> reqwest::Response {
    let mut body = sample_request("widget");
    body.widget = Some(widget);
    desk.http
        .post(desk.url(&format!("/api/v1/orgs/{}/requests", org.slug)))
        .header("origin", origin)
        .json(&body)
        .send()
        .await
        .expect("POST widget request")
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn problem_type(response: reqwest::Response) -> String {
    let body: Value = response.json().await.expect("problem body");
    body["type"].as_str().unwrap_or_default().to_owned()
}

async fn new_tickets(desk: &Desk, org: &Org) -> u64 {
    desk.counts(&org.admin).await["new"]
        .as_u64()
        .unwrap_or_default()
}

#[tokio::test]
async fn admins_keep_a_normalised_allowlist_and_bad_origins_are_named() {
    let desk = Desk::from_env();
    let org = desk.new_org("widget-admin").await;
    let response = allow(&desk, &org, &["HTTPS://Shop.Example/", "shop.example/page"]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("problem");
    assert_eq!(body["errors"][0]["field"], "allowed_origins[1]");
    assert_eq!(body["errors"][0]["code"], "invalid_origin");

    let response = allow(&desk, &org, &["HTTPS://Shop.Example/", SHOP]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let stored: Value = desk
        .call(Method::GET, "/api/v1/admin/widget", Some(&org.admin))
        .send()
        .await
        .expect("GET settings")
        .json()
        .await
        .expect("settings");
    assert_eq!(stored, json!({ "allowed_origins": [SHOP] }));

    let agent = desk.new_token(&org.admin, Role::Agent, "agent").await;
    let response = allow(&desk, &org, &[EVIL]).await;
    assert_eq!(response.status(), StatusCode::OK, "admin may change it");
    let response = desk
        .call(Method::PUT, "/api/v1/admin/widget", Some(&agent.secret))
        .json(&json!({ "allowed_origins": [] }))
        .send()
        .await
        .expect("agent PUT");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn other_sites_get_cors_and_only_allowed_ones_get_a_form() {
    let desk = Desk::from_env();
    let org = desk.new_org("widget-cors").await;
    assert_eq!(allow(&desk, &org, &[SHOP]).await.status(), StatusCode::OK);

    let preflight = desk
        .http
        .request(
            Method::OPTIONS,
            desk.url(&format!("/api/v1/orgs/{}/requests", org.slug)),
        )
        .header("origin", SHOP)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .expect("preflight");
    assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&preflight, "access-control-allow-origin"), SHOP);
    assert!(header(&preflight, "access-control-allow-headers").contains("content-type"));

    let allowed = config(&desk, &org, SHOP, "he").await;
    assert_eq!(allowed.status(), StatusCode::OK);
    assert_eq!(header(&allowed, "access-control-allow-origin"), SHOP);
    let config_body: WidgetConfig = allowed.json().await.expect("config");
    assert_eq!(config_body.dir, "rtl");
    assert_eq!(config_body.texts["widget-close"], "סגירה");
    assert!(config_body.texts["widget-sent"].contains("{reference}"));
    assert!(config_body.messages.contains_key("too_short:3"));

    // Refused, but readable by the refused page, so the widget can say why.
    let refused = config(&desk, &org, EVIL, "pl").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(header(&refused, "access-control-allow-origin"), EVIL);
    assert_eq!(
        problem_type(refused).await,
        "https://edgedesk.dev/problems/widget-origin-not-allowed"
    );
    // Routes the widget never calls stay same-origin.
    let tickets = desk
        .call(Method::GET, "/api/v1/tickets", Some(&org.admin))
        .header("origin", SHOP)
        .send()
        .await
        .expect("tickets");
    assert!(header(&tickets, "access-control-allow-origin").is_empty());
}

#[tokio::test]
async fn a_person_on_an_allowed_site_creates_a_widget_ticket_with_its_origin_and_context() {
    let desk = Desk::from_env();
    let org = desk.new_org("widget-submit").await;
    assert_eq!(allow(&desk, &org, &[SHOP]).await.status(), StatusCode::OK);
    let form_token = token(&desk, &org).await;
    like_a_person(&desk, &org.slug, &org.admin).await;
    let response = submit(
        &desk,
        &org,
        SHOP,
        WidgetSubmission {
            form_token,
            website: String::new(),
            context: [("customer_id".to_owned(), "C-42".to_owned())].into(),
        },
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(header(&response, "access-control-allow-origin"), SHOP);
    let created: Value = response.json().await.expect("created");
    let ticket: TicketView = desk
        .call(
            Method::GET,
            &format!(
                "/api/v1/tickets/{}",
                created["id"].as_str().unwrap_or_default()
            ),
            Some(&org.admin),
        )
        .send()
        .await
        .expect("agent GET")
        .json()
        .await
        .expect("ticket");
    assert_eq!(ticket.channel.as_str(), "widget");
    assert_eq!(ticket.origin.as_deref(), Some(SHOP));
    assert_eq!(ticket.context["customer_id"], "C-42");
}

#[tokio::test]
async fn bots_fast_forms_forged_tokens_and_other_sites_create_nothing() {
    let desk = Desk::from_env();
    let org = desk.new_org("widget-spam").await;
    assert_eq!(allow(&desk, &org, &[SHOP]).await.status(), StatusCode::OK);
    let form_token = token(&desk, &org).await;
    let widget = |website: &str, form_token: &str| WidgetSubmission {
        form_token: form_token.to_owned(),
        website: website.to_owned(),
        context: Default::default(),
    };

    let fast = submit(&desk, &org, SHOP, widget("", &form_token)).await;
    assert_eq!(fast.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem_type(fast).await,
        "https://edgedesk.dev/problems/widget-too-fast"
    );
    // Another organisation's admin cannot age this organisation's form tokens.
    let other = desk.new_org("widget-other").await;
    let moved = desk
        .call(Method::POST, "/api/v1/test/clock", Some(&other.admin))
        .json(&json!({"advance_seconds": 60, "org": org.slug}))
        .send()
        .await
        .expect("test clock");
    assert_eq!(moved.status(), StatusCode::NOT_FOUND);
    let still_fast = submit(&desk, &org, SHOP, widget("", &form_token)).await;
    assert_eq!(
        problem_type(still_fast).await,
        "https://edgedesk.dev/problems/widget-too-fast"
    );
    like_a_person(&desk, &org.slug, &org.admin).await;
    let honeypot = submit(
        &desk,
        &org,
        SHOP,
        widget("http://spam.example", &form_token),
    )
    .await;
    assert_eq!(
        problem_type(honeypot).await,
        "https://edgedesk.dev/problems/widget-automated"
    );
    let forged = submit(&desk, &org, SHOP, widget("", "1700000000000.00")).await;
    assert_eq!(
        problem_type(forged).await,
        "https://edgedesk.dev/problems/widget-automated"
    );
    let elsewhere = submit(&desk, &org, EVIL, widget("", &form_token)).await;
    assert_eq!(elsewhere.status(), StatusCode::FORBIDDEN);
    assert_eq!(header(&elsewhere, "access-control-allow-origin"), EVIL);
    // A page on another site cannot skip the widget's checks by posting a plain request.
    let plain = desk
        .http
        .post(desk.url(&format!("/api/v1/orgs/{}/requests", org.slug)))
        .header("origin", EVIL)
        .json(&sample_request("plain"))
        .send()
        .await
        .expect("plain POST");
    assert_eq!(plain.status(), StatusCode::FORBIDDEN);
    assert_eq!(new_tickets(&desk, &org).await, 0, "nothing was created");

    // The same token from the allowed site still works: refusals consumed nothing.
    let ok = submit(&desk, &org, SHOP, widget("", &form_token)).await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    assert_eq!(new_tickets(&desk, &org).await, 1);
}

#[tokio::test]
async fn the_loader_and_the_widget_files_may_be_loaded_by_other_sites() {
    let desk = Desk::from_env();
    let loader = desk
        .http
        .get(desk.url("/widget.js"))
        .header("origin", SHOP)
        .send()
        .await
        .expect("GET widget.js");
    assert_eq!(loader.status(), StatusCode::OK);
    assert_eq!(header(&loader, "access-control-allow-origin"), "*");
    assert!(header(&loader, "content-type").contains("javascript"));
    let script = loader.text().await.expect("loader text");
    assert!(script.contains("edgedesk-widget"));
    let wasm_path = script
        .split('"')
        .find(|part| part.starts_with("/widget/") && part.ends_with(".wasm"))
        .expect("the loader names the widget's wasm")
        .to_owned();
    let wasm = desk
        .http
        .get(desk.url(&wasm_path))
        .header("origin", SHOP)
        .send()
        .await
        .expect("GET widget wasm");
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(header(&wasm, "access-control-allow-origin"), "*");
    assert_eq!(header(&wasm, "content-type"), "application/wasm");
}
