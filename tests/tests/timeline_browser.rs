//! Browser test of the request page's conversation: an agent's public reply shows after a
//! reload and an internal note never does; the requester replies through the form (validated
//! inline, Enter adds a line, the draft survives a reload and a failed send); the timeline
//! follows; the SLA promises are shown; and the page passes axe-core in English and Hebrew.

use std::time::Duration;

use edgedesk_core::api::{CalendarView, PolicyView};
use edgedesk_core::i18n::{Catalog, sources};
use edgedesk_core::{FieldErrorCode, Locale};
use edgedesk_tests::{
    DEMO_ORG, Desk, assert_accessible, browser, find, html_attr_becomes, text_becomes, text_of,
    value_becomes, visible,
};
use fantoccini::{Client, Locator};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The demo organisation's first admin token, seeded by `cargo xtask test`.
fn admin_token() -> String {
    std::env::var("EDGEDESK_ADMIN_TOKEN").expect("EDGEDESK_ADMIN_TOKEN (run via cargo xtask test)")
}

async fn admin(
    desk: &Desk,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = desk.call(method.clone(), path, Some(&admin_token()));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let status = response.status();
    (status, response.json().await.unwrap_or_default())
}

/// The demo organisation has no SLA policy of its own: give it one with day-long targets (once
/// per desk), so its requests carry promises. Long targets: nothing in other tests falls due.
async fn ensure_demo_policy(desk: &Desk) {
    const NAME: &str = "Portal promises (browser tests)";
    let (_, policies) = admin(desk, Method::GET, "/api/v1/admin/sla/policies", None).await;
    let policies: Vec<PolicyView> = serde_json::from_value(policies).expect("policies");
    if policies.iter().any(|p| p.policy.name == NAME) {
        return;
    }
    let (_, calendars) = admin(desk, Method::GET, "/api/v1/admin/sla/calendars", None).await;
    let calendars: Vec<CalendarView> = serde_json::from_value(calendars).expect("calendars");
    let calendar = calendars
        .into_iter()
        .find(|c| c.is_default)
        .expect("the demo organisation has a 24/7 calendar");
    let day = json!({"minutes": 24 * 60, "business": false});
    let week = json!({"minutes": 7 * 24 * 60, "business": false});
    let (status, body) = admin(
        desk,
        Method::POST,
        "/api/v1/admin/sla/policies",
        Some(json!({
            "name": NAME,
            "position": 1000,
            "calendar_id": calendar.id,
            "targets": {"normal": {"first_response": day, "next_response": day, "resolution": week}}
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// An agent's comment on ticket `id`, public or internal.
async fn agent_comment(desk: &Desk, id: &str, body: &str, public: bool) {
    let (status, answer) = admin(
        desk,
        Method::POST,
        &format!("/api/v1/tickets/{id}/comments"),
        Some(json!({"body": body, "public": public})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}

/// Moves ticket `id` to `status` as an agent (with the If-Match the API requires).
async fn set_status(desk: &Desk, id: &str, status: &str) {
    let path = format!("/api/v1/tickets/{id}");
    let current = desk
        .call(Method::GET, &path, Some(&admin_token()))
        .send()
        .await
        .expect("ticket");
    let etag = current
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("etag")
        .to_owned();
    let response = desk
        .call(Method::PATCH, &path, Some(&admin_token()))
        .header("if-match", etag)
        .json(&json!({"status": status}))
        .send()
        .await
        .expect("patch");
    assert_eq!(response.status(), StatusCode::OK, "to {status}");
}

/// One timeline entry as a reader sees it: its kind, what happened, and a reply's text.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    kind: String,
    what: String,
    body: String,
}

fn entry(kind: &str, what: &str, body: &str) -> Entry {
    Entry {
        kind: kind.to_owned(),
        what: what.to_owned(),
        body: body.to_owned(),
    }
}

/// The timeline, waiting up to 10 s until it has `count` entries.
async fn timeline(browser: &Client, count: usize) -> Vec<Entry> {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let mut entries = Vec::new();
        for element in browser
            .find_all(Locator::Css("[data-testid=timeline-entry]"))
            .await
            .expect("entries")
        {
            let part = |css: &'static str| {
                let element = element.clone();
                async move {
                    match element.find(Locator::Css(css)).await {
                        Ok(found) => visible(&found.text().await.unwrap_or_default()),
                        Err(_) => String::new(),
                    }
                }
            };
            entries.push(Entry {
                kind: element
                    .attr("data-kind")
                    .await
                    .expect("kind")
                    .unwrap_or_default(),
                what: part("[data-testid=timeline-what]").await,
                body: part("[data-testid=timeline-body]").await,
            });
        }
        if entries.len() == count {
            return entries;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "expected {count} timeline entries: {entries:#?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn reply_value(browser: &Client) -> String {
    find(browser, "#reply")
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

async fn send(browser: &Client) {
    find(browser, ".reply-form button[type=submit]")
        .await
        .click()
        .await
        .expect("send");
}

#[tokio::test]
async fn requester_reads_the_public_timeline_replies_and_sees_the_promises() {
    let desk = Desk::from_env();
    let catalog = Catalog::new(&[sources::portal, sources::fields]);
    let en = |id: &str| visible(&catalog.format(Locale::En, id, None));
    let he = |id: &str| visible(&catalog.format(Locale::He, id, None));
    ensure_demo_policy(&desk).await;

    // A request submitted in the portal starts its timeline and its promises.
    let browser = browser().await;
    browser
        .goto(&desk.url(&format!("/{DEMO_ORG}/requests/new")))
        .await
        .expect("form");
    for (field, value) in [
        ("#requester_name", "Noa Cohen"),
        ("#requester_email", "noa@example.co.il"),
        ("#subject", "Printer on floor 3 is offline"),
        ("#description", "It says: offline."),
    ] {
        find(&browser, field)
            .await
            .send_keys(value)
            .await
            .expect("type");
    }
    find(&browser, "button[type=submit]")
        .await
        .click()
        .await
        .expect("submit");
    text_of(&browser, "[data-testid=reference]").await;
    let url = browser.current_url().await.expect("url");
    let id = url.path().rsplit('/').next().expect("ticket id").to_owned();
    assert_eq!(
        timeline(&browser, 1).await,
        [entry("status", &en("timeline-submitted"), "")]
    );
    let first_response = "[data-testid=promise][data-metric=first_response]";
    assert_eq!(
        visible(&text_of(&browser, &format!("{first_response} dt")).await),
        en("promise-due-first-response")
    );
    assert_eq!(
        visible(
            &text_of(
                &browser,
                &format!("{first_response} [data-testid=promise-state]")
            )
            .await
        ),
        en("promise-on-track")
    );
    let due = find(&browser, &format!("{first_response} time"))
        .await
        .attr("datetime")
        .await
        .expect("datetime");
    assert!(
        due.is_some_and(|d| d.ends_with('Z')),
        "a machine-readable due time"
    );

    // The desk answers publicly and leaves itself a note; the requester reloads.
    let public = "Please restart the printer and tell us what its light shows.";
    let internal = "VIP floor: handle before lunch (internal).";
    agent_comment(&desk, &id, internal, false).await;
    agent_comment(&desk, &id, public, true).await;
    browser.refresh().await.expect("reload");
    assert_eq!(
        timeline(&browser, 2).await,
        [
            entry("status", &en("timeline-submitted"), ""),
            entry("agent-reply", &en("timeline-agent-reply"), public),
        ]
    );
    let page = text_of(&browser, "main").await;
    assert!(!page.contains("VIP"), "internal note on the page: {page}");
    // The first response was given: that promise is kept and gone; resolution still runs.
    find(&browser, "[data-testid=promise][data-metric=resolution]").await;
    assert!(
        browser.find(Locator::Css(first_response)).await.is_err(),
        "a kept promise is not shown"
    );

    // Sending nothing: the worker's own rule, said inline and linked to the field.
    send(&browser).await;
    assert_eq!(
        visible(&text_of(&browser, "#reply-error").await),
        visible(&catalog.field_error(Locale::En, FieldErrorCode::Required, None))
    );
    assert_eq!(
        find(&browser, "#reply")
            .await
            .attr("aria-invalid")
            .await
            .expect("attr")
            .as_deref(),
        Some("true")
    );

    // Enter adds a line; it does not send. A send would start with a POST, so count them:
    // once the keys typed after Enter are in the box, any send Enter started has begun.
    browser
        .execute(
            "window.posts = 0; window.countedFetch = window.fetch; \
             window.fetch = (input, init) => { \
               const method = (init && init.method) || (input && input.method) || 'GET'; \
               if (method.toUpperCase() === 'POST') { window.posts += 1; } \
               return window.countedFetch(input, init); };",
            Vec::new(),
        )
        .await
        .expect("count sends");
    find(&browser, "#reply")
        .await
        .send_keys("The light is orange.\u{e007}It blinks twice.")
        .await
        .expect("type reply");
    let typed = "The light is orange.\nIt blinks twice.";
    value_becomes(&browser, "#reply", typed).await;
    assert_eq!(reply_value(&browser).await, typed);
    let posts = browser
        .execute("return window.posts;", Vec::new())
        .await
        .expect("sends counted");
    assert_eq!(posts, json!(0), "Enter started no send");
    assert_eq!(timeline(&browser, 2).await.len(), 2, "Enter sent nothing");

    // The draft survives a reload, and a failed send keeps it for the retry.
    browser.refresh().await.expect("reload");
    timeline(&browser, 2).await;
    assert_eq!(
        reply_value(&browser).await,
        typed,
        "draft kept across a reload"
    );
    for failure in [
        "Promise.resolve(new Response('upstream down', {status: 503}))",
        "Promise.reject(new TypeError('Failed to fetch'))",
    ] {
        browser
            .execute(
                &format!(
                    "window.realFetch = window.realFetch || window.fetch; \
                     window.fetch = () => {failure};"
                ),
                Vec::new(),
            )
            .await
            .expect("break the network");
        send(&browser).await;
        text_becomes(&browser, "[data-testid=reply-notice]", &en("reply-failed")).await;
        assert_eq!(reply_value(&browser).await, typed, "kept after {failure}");
    }
    browser
        .execute("window.fetch = window.realFetch;", Vec::new())
        .await
        .expect("restore the network");
    send(&browser).await;
    assert_eq!(
        timeline(&browser, 3).await[2],
        entry("requester-reply", &en("timeline-requester-reply"), typed)
    );
    text_becomes(&browser, "[data-testid=reply-sent]", &en("reply-sent")).await;
    assert_eq!(
        reply_value(&browser).await,
        "",
        "the sent reply leaves the form"
    );
    // A reply after the desk's answer starts a next-response promise.
    find(&browser, "[data-testid=promise][data-metric=next_response]").await;
    assert_accessible(&browser, "en request page with a conversation").await;

    // Hebrew: the same conversation in its words, right to left, and accessible.
    find(&browser, "#language option[value=he]")
        .await
        .click()
        .await
        .expect("choose Hebrew");
    html_attr_becomes(&browser, "dir", "rtl").await;
    text_becomes(
        &browser,
        "[data-testid=timeline-entry][data-kind=agent-reply] [data-testid=timeline-what]",
        &he("timeline-agent-reply"),
    )
    .await;
    text_becomes(
        &browser,
        "[data-testid=promise][data-metric=resolution] dt",
        &he("promise-due-resolution"),
    )
    .await;
    assert_accessible(&browser, "he request page with a conversation").await;

    // Closed for good: the page says a reply starts a new request, and sending one does.
    set_status(&desk, &id, "solved").await;
    set_status(&desk, &id, "closed").await;
    browser.refresh().await.expect("reload");
    let entries = timeline(&browser, 5).await;
    assert_eq!(
        entries[4],
        entry("status", &he("timeline-status-closed"), "")
    );
    assert_eq!(
        visible(&text_of(&browser, "[data-testid=closed-notice]").await),
        he("reply-closed")
    );
    assert_accessible(&browser, "he closed request").await;
    find(&browser, "#reply")
        .await
        .send_keys("It is offline again.")
        .await
        .expect("type follow-up");
    send(&browser).await;
    let link = find(&browser, "[data-testid=follow-up-link]").await;
    let reference = link.text().await.expect("reference");
    assert!(reference.starts_with("DEMO-"), "{reference}");
    assert!(
        visible(&text_of(&browser, "[data-testid=reply-sent]").await)
            .starts_with(&he("reply-follow-up"))
    );
    assert_eq!(
        reply_value(&browser).await,
        "",
        "the sent reply leaves the form"
    );
    assert_eq!(
        timeline(&browser, 5).await.len(),
        5,
        "the closed request stays as it was"
    );
    // The follow-up is kept in this browser with its token: its page opens from the link.
    link.click().await.expect("open the follow-up");
    text_becomes(
        &browser,
        "[data-testid=subject]",
        "Re: Printer on floor 3 is offline",
    )
    .await;
    assert_eq!(
        visible(&text_of(&browser, "[data-testid=reference]").await),
        reference
    );
    assert!(
        browser
            .find(Locator::Css("[data-testid=closed-notice]"))
            .await
            .is_err(),
        "the follow-up is open"
    );

    browser.close().await.expect("close browser");
}
