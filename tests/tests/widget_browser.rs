//! Browser tests of the embeddable widget on host pages served from other origins: a request
//! through a catalog item's form, the refusal on a site that is not allowed, isolation from the
//! host page's CSS (both ways), and a request kept offline and sent when back online.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use edgedesk_core::api::TicketView;
use edgedesk_tests::agent::Org;
use edgedesk_tests::host::{HostSite, like_a_person, page};
use edgedesk_tests::{DEMO_ORG, Desk, browser};
use fantoccini::Client;
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// Global styles as hostile as a real site's can be.
const AGGRESSIVE_CSS: &str = "* { all: unset !important; } html { font-size: 40px !important; } \
     body { font: 40px/3 Georgia, serif !important; color: #f0f !important; \
     letter-spacing: 4px !important; } button, input, select, textarea, label, p, h2 \
     { font-size: 48px !important; padding: 30px !important; color: #f0f !important; \
     display: inline !important; }";

/// The shadow root's `querySelector(css)` as a JS expression.
fn in_widget(css: &str) -> String {
    format!("document.querySelector('edgedesk-widget').shadowRoot.querySelector({css:?})")
}

async fn js(browser: &Client, script: &str) -> Value {
    browser
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

/// Waits up to 15 s for the JS expression `condition` to be true.
async fn until(browser: &Client, what: &str, condition: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if js(
            browser,
            &format!("try {{ return !!({condition}); }} catch (e) {{ return false; }}"),
        )
        .await
            == Value::Bool(true)
        {
            return;
        }
        if Instant::now() > deadline {
            let shadow = js(
                browser,
                "const w = document.querySelector('edgedesk-widget'); \
                 return w && w.shadowRoot ? w.shadowRoot.textContent : '(no widget)';",
            )
            .await;
            panic!("{what}: not within 15 s; the widget shows: {shadow}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits for an element of the widget matching `css`.
async fn appears(browser: &Client, what: &str, css: &str) {
    until(browser, what, &format!("{} !== null", in_widget(css))).await;
}

/// The text of the widget's element matching `css`.
async fn text_in(browser: &Client, css: &str) -> Value {
    js(browser, &format!("return {}.textContent;", in_widget(css))).await
}

async fn open_widget(browser: &Client, url: &str) {
    browser.goto(url).await.expect("open the host page");
    appears(browser, "launcher drawn", ".launcher").await;
    js(
        browser,
        &format!("{}.click(); return true;", in_widget(".launcher")),
    )
    .await;
}

/// Sets a control's value as typing would, with the events the widget listens to.
async fn fill(browser: &Client, id: &str, value: &str) {
    js(
        browser,
        &format!(
            "const e = {}; e.value = {value:?}; \
             e.dispatchEvent(new Event('input', {{ bubbles: true }})); \
             e.dispatchEvent(new Event('change', {{ bubbles: true }})); return true;",
            in_widget(&format!("#{id}"))
        ),
    )
    .await;
}

async fn click_submit(browser: &Client) {
    js(
        browser,
        &format!("{}.click(); return true;", in_widget(".submit")),
    )
    .await;
}

async fn allow(desk: &Desk, admin: &str, origins: &[&str]) {
    assert_eq!(
        desk.allow_widget(admin, origins).await.status(),
        StatusCode::OK
    );
}

async fn ticket(desk: &Desk, admin: &str, id: &str) -> TicketView {
    desk.call(Method::GET, &format!("/api/v1/tickets/{id}"), Some(admin))
        .send()
        .await
        .expect("GET ticket")
        .json()
        .await
        .expect("ticket")
}

async fn new_tickets(desk: &Desk, org: &Org) -> u64 {
    desk.counts(&org.admin).await["new"]
        .as_u64()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_requester_on_another_site_sends_a_catalog_request_through_the_widget() {
    let desk = Desk::from_env();
    let admin = std::env::var("EDGEDESK_ADMIN_TOKEN").expect("EDGEDESK_ADMIN_TOKEN");
    let site = HostSite::serve(page(
        &desk.base,
        &format!(
            "org=\"{DEMO_ORG}\" catalog-item=\"access-request\" locale=\"en\" theme-accent=\"#0a7\""
        ),
        "",
    ))
    .await;
    allow(&desk, &admin, &[&site.origin]).await;
    let browser = browser().await;
    browser.goto(&site.origin).await.expect("host page");
    appears(&browser, "launcher", ".launcher").await;
    js(
        &browser,
        "document.querySelector('edgedesk-widget').prefill({ name: 'Dana Levi', \
         email: 'dana@example.org', context: { customer_id: 'C-42' } }); return true;",
    )
    .await;
    js(
        &browser,
        &format!("{}.click(); return true;", in_widget(".launcher")),
    )
    .await;
    appears(&browser, "the item's form", "#ed-answers-system").await;
    assert_eq!(
        js(
            &browser,
            &format!("return {}.value;", in_widget("#ed-requester_name"))
        )
        .await,
        "Dana Levi",
        "prefilled by the host page"
    );
    let other_hidden = format!(
        "{}.closest('.field').hidden",
        in_widget("#ed-answers-other_system")
    );
    assert_eq!(js(&browser, &format!("return {other_hidden};")).await, true);
    fill(&browser, "ed-answers-system", "other").await;
    until(
        &browser,
        "the conditional field appears",
        &format!("!{other_hidden}"),
    )
    .await;

    // The same checks as the desk, before anything is sent.
    click_submit(&browser).await;
    until(
        &browser,
        "inline error on the missing answer",
        &format!(
            "!{e}.hidden && {e}.textContent.length > 0 && {i}.getAttribute('aria-invalid') === 'true'",
            e = in_widget("#ed-answers-other_system-error"),
            i = in_widget("#ed-answers-other_system"),
        ),
    )
    .await;
    fill(&browser, "ed-answers-other_system", "Payroll").await;
    fill(&browser, "ed-answers-impact", "low").await;
    fill(&browser, "ed-answers-urgency", "medium").await;
    like_a_person(&desk, DEMO_ORG, &admin).await;
    click_submit(&browser).await;
    until(
        &browser,
        "the host page hears of it",
        "document.body.dataset.submitted",
    )
    .await;
    let reference = js(&browser, "return document.body.dataset.submitted;").await;
    let id = js(&browser, "return document.body.dataset.ticket;").await;
    let reference = reference.as_str().unwrap_or_default().to_owned();
    assert!(reference.starts_with("DEMO-"), "{reference}");
    let shown = text_in(&browser, ".sent").await;
    assert!(
        shown.as_str().unwrap_or_default().contains(&reference),
        "{shown}"
    );

    let ticket = ticket(&desk, &admin, id.as_str().unwrap_or_default()).await;
    assert_eq!(ticket.reference, reference);
    assert_eq!(ticket.channel.as_str(), "widget");
    assert_eq!(ticket.origin.as_deref(), Some(site.origin.as_str()));
    assert_eq!(ticket.context["customer_id"], "C-42");
    assert!(ticket.context["page_url"].starts_with(&site.origin));
    assert_eq!(ticket.answers["other_system"], "Payroll");
    assert_eq!(ticket.catalog_item.as_deref(), Some("access-request"));
    assert_eq!(ticket.requester_email, "dana@example.org");
    browser.close().await.expect("close");
}

#[tokio::test]
async fn a_site_that_is_not_allowed_sees_the_refusal_and_creates_nothing() {
    let desk = Desk::from_env();
    let org = desk.new_org("widget-refused").await;
    allow(&desk, &org.admin, &["https://only-this.example"]).await;
    let site = HostSite::serve(page(
        &desk.base,
        &format!("org=\"{}\" locale=\"he\"", org.slug),
        "",
    ))
    .await;
    let browser = browser().await;
    open_widget(&browser, &site.origin).await;
    appears(&browser, "the refusal", ".alert").await;
    let alert = text_in(&browser, ".alert").await;
    assert_eq!(
        alert, "לאתר הזה אין הרשאה לשלוח פניות למוקד התמיכה הזה.",
        "the desk's refusal, in the widget's language"
    );
    assert_eq!(
        js(&browser, &format!("return {}.dir;", in_widget(".ed"))).await,
        "rtl"
    );
    assert_eq!(new_tickets(&desk, &org).await, 0);
    browser.close().await.expect("close");
}

/// Computed styles of the widget's parts that a host page could try to break.
async fn widget_styles(browser: &Client) -> BTreeMap<String, String> {
    let parts = [
        ".launcher",
        ".panel",
        ".title",
        "label[for=ed-subject]",
        "#ed-subject",
        ".submit",
    ];
    let props = [
        "font-size",
        "font-family",
        "font-weight",
        "line-height",
        "color",
        "background-color",
        "padding-top",
        "border-top-width",
        "display",
        "position",
        "width",
        "letter-spacing",
    ];
    let mut styles = BTreeMap::new();
    for part in parts {
        for prop in props {
            let value = js(
                browser,
                &format!(
                    "return getComputedStyle({}).getPropertyValue('{prop}');",
                    in_widget(part)
                ),
            )
            .await;
            styles.insert(
                format!("{part} {prop}"),
                value.as_str().unwrap_or_default().to_owned(),
            );
        }
    }
    styles
}

#[tokio::test]
async fn the_widget_looks_the_same_on_a_page_with_aggressive_global_styles() {
    let desk = Desk::from_env();
    let org = desk.new_org("widget-css").await;
    let attributes = format!("org=\"{}\" locale=\"en\"", org.slug);
    let plain = HostSite::serve(page(&desk.base, &attributes, "")).await;
    let hostile = HostSite::serve(page(&desk.base, &attributes, AGGRESSIVE_CSS)).await;
    allow(&desk, &org.admin, &[&plain.origin, &hostile.origin]).await;
    let browser = browser().await;

    let mut seen = Vec::new();
    for site in [&plain, &hostile] {
        open_widget(&browser, &site.origin).await;
        appears(&browser, "the form", "#ed-subject").await;
        let host_h1 = js(
            &browser,
            "return getComputedStyle(document.querySelector('h1')).fontSize;",
        )
        .await;
        // The widget's CSS does not leak: the page's own `.launcher.submit` button is unstyled by it.
        let host_button = js(
            &browser,
            "const s = getComputedStyle(document.getElementById('host-button')); \
             return [s.position, s.backgroundColor].join(' ');",
        )
        .await;
        assert!(
            !host_button.as_str().unwrap_or_default().contains("fixed"),
            "widget CSS reached the host page: {host_button}"
        );
        seen.push((host_h1, widget_styles(&browser).await));
    }
    let (plain_h1, plain_styles) = &seen[0];
    let (hostile_h1, hostile_styles) = &seen[1];
    assert_ne!(
        plain_h1, hostile_h1,
        "the hostile CSS is in force on its page"
    );
    assert_eq!(hostile_h1, "40px");
    assert_eq!(plain_styles["#ed-subject font-size"], "15px");
    let differences: Vec<String> = plain_styles
        .iter()
        .filter(|(key, value)| hostile_styles.get(*key) != Some(value))
        .map(|(key, value)| format!("{key}: {value} vs {:?}", hostile_styles.get(key)))
        .collect();
    assert!(
        differences.is_empty(),
        "the host page changed the widget: {differences:#?}"
    );
    browser.close().await.expect("close");
}

#[tokio::test]
async fn a_request_typed_offline_is_kept_and_sent_when_back_online() {
    let desk = Desk::from_env();
    let org = desk.new_org("widget-offline").await;
    let site = HostSite::serve(page(
        &desk.base,
        &format!("org=\"{}\" locale=\"pl\"", org.slug),
        "",
    ))
    .await;
    allow(&desk, &org.admin, &[&site.origin]).await;
    let browser = browser().await;
    open_widget(&browser, &site.origin).await;
    appears(&browser, "the form", "#ed-subject").await;
    fill(&browser, "ed-requester_name", "Zofia Nowak").await;
    fill(&browser, "ed-requester_email", "zofia@example.pl").await;
    fill(&browser, "ed-subject", "Drukarka nie drukuje").await;
    fill(&browser, "ed-description", "Od rana miga na czerwono.").await;
    like_a_person(&desk, &org.slug, &org.admin).await;
    // The network goes away (the widget's fetches fail like they do offline).
    js(
        &browser,
        "window.__fetch = window.fetch; \
         window.fetch = () => Promise.reject(new TypeError('Failed to fetch')); return true;",
    )
    .await;
    click_submit(&browser).await;
    let outbox = format!(
        "localStorage.getItem('edgedesk-widget:{}:outbox')",
        org.slug
    );
    until(
        &browser,
        "kept in the outbox",
        &format!("{outbox} !== null"),
    )
    .await;
    let status = text_in(&browser, ".status").await;
    assert!(
        status.as_str().unwrap_or_default().contains("połączenia"),
        "the requester is told, in Polish: {status}"
    );
    assert_eq!(new_tickets(&desk, &org).await, 0);

    js(
        &browser,
        "window.fetch = window.__fetch; window.dispatchEvent(new Event('online')); return true;",
    )
    .await;
    until(
        &browser,
        "sent once back online",
        "document.body.dataset.submitted",
    )
    .await;
    until(
        &browser,
        "the outbox is empty",
        &format!("{outbox} === null"),
    )
    .await;
    assert_eq!(new_tickets(&desk, &org).await, 1);
    browser.close().await.expect("close");
}
