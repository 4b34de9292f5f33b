//! Browser test of the service catalog: search that ignores case and diacritics, a form with a
//! conditional field validated in the browser, the draft kept across a reload, and the answers
//! shown with their labels on the request page, in English and Hebrew, with axe-core scans.

use std::time::Duration;

use edgedesk_core::i18n::{Catalog, sources};
use edgedesk_core::{FieldErrorCode, Locale};
use edgedesk_tests::{
    DEMO_ORG, Desk, assert_accessible, browser, find, html_attr_becomes, path_of, text_becomes,
    text_of, visible,
};
use fantoccini::{Client, Locator};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Creates something through the demo organisation's admin API and expects a 201.
async fn admin_post(desk: &Desk, path: &str, body: Value) {
    let token = std::env::var("EDGEDESK_ADMIN_TOKEN")
        .expect("EDGEDESK_ADMIN_TOKEN (run via cargo xtask test)");
    let response = desk
        .call(Method::POST, path, Some(&token))
        .json(&body)
        .send()
        .await
        .expect("admin request");
    let status = response.status();
    let answer = response.text().await.unwrap_or_default();
    assert_eq!(status, StatusCode::CREATED, "POST {path}: {answer}");
}

/// Waits up to 10 s until keyboard focus is on the element with `id`.
async fn focus_moves_to(browser: &Client, id: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut last = Value::Null;
    while std::time::Instant::now() < deadline {
        last = browser
            .execute(
                "return document.activeElement && document.activeElement.id",
                Vec::new(),
            )
            .await
            .expect("active element");
        if last.as_str() == Some(id) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("focus is on {last}, expected #{id}");
}

/// Waits up to 10 s until nothing matches `css`.
async fn gone(browser: &Client, css: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        if browser.find(Locator::Css(css)).await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{css:?} is still on the page");
}

async fn type_into(browser: &Client, css: &str, text: &str) {
    find(browser, css)
        .await
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
}

async fn choose(browser: &Client, select: &str, value: &str) {
    find(browser, &format!("{select} option[value=\"{value}\"]"))
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("choosing {value} in {select}: {e}"));
}

async fn prop(browser: &Client, css: &str, name: &str) -> Option<String> {
    find(browser, css).await.prop(name).await.expect("property")
}

async fn submit(browser: &Client) {
    find(browser, "button[type=submit]")
        .await
        .click()
        .await
        .expect("submit");
}

/// The labels of the answers on the request page, in page order.
async fn answer_labels(browser: &Client) -> Vec<String> {
    let mut labels = Vec::new();
    for dt in browser
        .find_all(Locator::Css("[data-testid=answers] dt"))
        .await
        .expect("answer labels")
    {
        labels.push(visible(&dt.text().await.expect("label text")));
    }
    labels
}

/// The answers of the English flow: labels and option labels, never the stored values.
async fn expect_english_answers(browser: &Client, catalog: &Catalog, page: &str) {
    assert_eq!(
        answer_labels(browser).await,
        ["System", "Which system?", "Impact", "Urgency"],
        "{page}"
    );
    assert_eq!(
        text_of(browser, "[data-testid=answer-system] dd").await,
        "Other"
    );
    assert_eq!(
        text_of(browser, "[data-testid=answer-other_system] dd").await,
        "Łódź badge printer"
    );
    assert_eq!(
        text_of(browser, "[data-testid=answer-impact] dd").await,
        catalog.format(Locale::En, "impact-high", None)
    );
    assert_eq!(
        text_of(browser, "[data-testid=answer-urgency] dd").await,
        catalog.format(Locale::En, "urgency-medium", None)
    );
}

#[tokio::test]
async fn requester_finds_an_item_fills_its_conditional_form_and_sees_labelled_answers() {
    let desk = Desk::from_env();
    let catalog = Catalog::new(&[sources::portal, sources::fields]);
    // The D1 is shared by every test of the run (and keeps the demo catalog): unique slugs.
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() % 1_000_000_000_000)
        .unwrap_or_default();
    let category = format!("browser-{stamp}");
    let item = format!("lodz-access-{stamp}");
    let item_name = format!("Access to the Łódź office {stamp}");
    admin_post(
        &desk,
        "/api/v1/admin/catalog/categories",
        json!({"slug": category, "position": 90,
               "name": {"en": format!("Browser test {stamp}"), "he": format!("בדיקת דפדפן {stamp}")}}),
    )
    .await;
    admin_post(
        &desk,
        "/api/v1/admin/catalog/items",
        json!({
            "slug": item,
            "category": category,
            "icon": "key",
            "name": {"en": item_name, "he": format!("גישה למשרד בלודז' {stamp}")},
            "description": {"en": "Doors, printers and systems of the Łódź office"},
            "form": {"fields": [
                {"key": "system", "type": "select", "required": true,
                 "label": {"en": "System", "he": "מערכת"},
                 "options": [
                    // No Hebrew label: Hebrew readers get the organisation's default, then English.
                    {"value": "vpn", "label": {"en": "VPN"}},
                    {"value": "email", "label": {"en": "Email", "he": "דואר אלקטרוני"}},
                    {"value": "other", "label": {"en": "Other", "he": "אחר"}}
                 ]},
                {"key": "other_system", "type": "text", "required": true,
                 "label": {"en": "Which system?", "he": "איזו מערכת?"},
                 "visible_when": {"field": "system", "equals": "other"}},
                {"key": "impact", "type": "impact", "required": true,
                 "label": {"en": "Impact", "he": "השפעה"}},
                {"key": "urgency", "type": "urgency", "required": true,
                 "label": {"en": "Urgency", "he": "דחיפות"}}
            ]}
        }),
    )
    .await;

    let browser = browser().await;

    // The catalog: found by a query that differs in case and diacritics ("lodz" for "Łódź").
    browser.goto(&desk.url("/demo")).await.expect("home");
    find(&browser, "#catalog-search").await;
    find(&browser, "[data-testid=catalog-item]").await;
    html_attr_becomes(&browser, "dir", "ltr").await;
    assert_accessible(&browser, "en catalog").await;
    type_into(&browser, "#catalog-search", &format!("LODZ office {stamp}")).await;
    text_becomes(
        &browser,
        "[data-testid=catalog-status]",
        &catalog.format_count(Locale::En, "catalog-results", "count", 1),
    )
    .await;
    let found = browser
        .find_all(Locator::Css("[data-testid=catalog-item]"))
        .await
        .expect("items");
    assert_eq!(found.len(), 1, "only the item searched for");
    let card = found[0].text().await.expect("card text");
    assert!(card.contains(&item_name), "{card}");
    assert_eq!(
        text_of(&browser, "section.catalog-category h3").await,
        format!("Browser test {stamp}"),
        "shown under its category"
    );
    find(&browser, ".catalog-item__link")
        .await
        .click()
        .await
        .expect("open item");

    // The form: contact fields, the item's fields; "Which system?" only for "other".
    text_becomes(&browser, "h1", &item_name).await;
    find(&browser, "#answer-system").await;
    assert!(
        browser
            .find(Locator::Css("#answer-other_system"))
            .await
            .is_err(),
        "the conditional field starts hidden"
    );
    assert_eq!(
        prop(&browser, "#subject", "value").await.as_deref(),
        Some(item_name.as_str()),
        "the subject starts as the item's name"
    );
    type_into(&browser, "#requester_name", "Zofia Nowak").await;
    type_into(&browser, "#requester_email", "zofia@example.pl").await;
    choose(&browser, "#answer-system", "other").await;
    find(&browser, "#answer-other_system").await;
    assert_eq!(
        text_of(&browser, "label[for=answer-other_system]").await,
        "Which system?"
    );
    choose(&browser, "#answer-impact", "high").await;
    choose(&browser, "#answer-urgency", "medium").await;
    assert_accessible(&browser, "en item form").await;

    // Submitting without the conditional answer: an inline error, linked and focused.
    submit(&browser).await;
    text_becomes(
        &browser,
        "#answer-other_system-error",
        &catalog.field_error(Locale::En, FieldErrorCode::Required, None),
    )
    .await;
    focus_moves_to(&browser, "answer-other_system").await;
    let other = find(&browser, "#answer-other_system").await;
    assert_eq!(
        other.attr("aria-invalid").await.expect("attr").as_deref(),
        Some("true")
    );
    let described = other
        .attr("aria-describedby")
        .await
        .expect("attr")
        .unwrap_or_default();
    assert!(
        described
            .split(' ')
            .any(|id| id == "answer-other_system-error"),
        "{described}"
    );
    assert!(
        path_of(&browser)
            .await
            .ends_with(&format!("/catalog/{item}")),
        "stayed on the form"
    );
    assert_accessible(&browser, "en item form with errors").await;

    // The draft survives a reload: contact fields, the choice and the field it reveals.
    browser.refresh().await.expect("reload");
    find(&browser, "#answer-other_system").await;
    assert_eq!(
        prop(&browser, "#requester_name", "value").await.as_deref(),
        Some("Zofia Nowak")
    );
    assert_eq!(
        prop(&browser, "#answer-system", "value").await.as_deref(),
        Some("other")
    );
    assert_eq!(
        prop(&browser, "#answer-urgency", "value").await.as_deref(),
        Some("medium")
    );

    type_into(&browser, "#answer-other_system", "Łódź badge printer").await;
    assert!(
        browser
            .find(Locator::Css("#answer-other_system-error"))
            .await
            .expect("message element")
            .text()
            .await
            .expect("text")
            .is_empty(),
        "the message clears as soon as the field is right"
    );

    // Server trouble, then no network: nothing typed is lost and the same button retries.
    let failed = catalog.format(Locale::En, "submit-failed", None);
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
        submit(&browser).await;
        text_becomes(&browser, "[data-testid=form-notice]", &failed).await;
        assert_eq!(
            prop(&browser, "#answer-other_system", "value")
                .await
                .as_deref(),
            Some("Łódź badge printer"),
            "kept after {failure}"
        );
        assert_eq!(
            prop(&browser, "#requester_email", "value").await.as_deref(),
            Some("zofia@example.pl")
        );
    }
    browser
        .execute("window.fetch = window.realFetch;", Vec::new())
        .await
        .expect("restore the network");
    submit(&browser).await;

    // The request page: the answers with the labels of the form version used, in form order.
    let reference = text_of(&browser, "[data-testid=reference]").await;
    assert_eq!(
        text_of(&browser, "[data-testid=catalog-item]").await,
        item_name
    );
    expect_english_answers(&browser, &catalog, "after submitting").await;
    browser.refresh().await.expect("reload");
    assert_eq!(
        text_of(&browser, "[data-testid=reference]").await,
        reference
    );
    expect_english_answers(&browser, &catalog, "after reload").await;
    assert_accessible(&browser, "en request page with answers").await;

    // Hebrew: labels from the form's Hebrew texts, fixed choices from the portal's own.
    find(&browser, "#language option[value=he]")
        .await
        .click()
        .await
        .expect("choose Hebrew");
    html_attr_becomes(&browser, "dir", "rtl").await;
    text_becomes(&browser, "[data-testid=answer-system] dt", "מערכת").await;
    text_becomes(&browser, "[data-testid=answer-system] dd", "אחר").await;
    text_becomes(
        &browser,
        "[data-testid=answer-impact] dd",
        &visible(&catalog.format(Locale::He, "impact-high", None)),
    )
    .await;
    assert_accessible(&browser, "he request page with answers").await;

    browser.goto(&desk.url("/demo")).await.expect("home");
    find(&browser, "[data-testid=catalog-item]").await;
    assert_eq!(
        visible(&text_of(&browser, "label[for=catalog-search]").await),
        visible(&catalog.format(Locale::He, "catalog-search-label", None))
    );
    assert_accessible(&browser, "he catalog").await;

    // A field hidden again is neither checked nor sent.
    browser
        .goto(&desk.url(&format!("/{DEMO_ORG}/catalog/{item}")))
        .await
        .expect("item in Hebrew");
    assert_eq!(
        visible(&text_of(&browser, "label[for=answer-system]").await),
        "מערכת"
    );
    assert_eq!(
        prop(&browser, "#requester_name", "value").await.as_deref(),
        Some(""),
        "the sent draft was cleared"
    );
    type_into(&browser, "#requester_name", "נועה כהן").await;
    type_into(&browser, "#requester_email", "noa@example.co.il").await;
    choose(&browser, "#answer-system", "other").await;
    type_into(&browser, "#answer-other_system", "מדפסת").await;
    choose(&browser, "#answer-system", "vpn").await;
    gone(&browser, "#answer-other_system").await;
    choose(&browser, "#answer-impact", "low").await;
    choose(&browser, "#answer-urgency", "low").await;
    assert_accessible(&browser, "he item form").await;
    submit(&browser).await;
    let second = text_of(&browser, "[data-testid=reference]").await;
    assert_ne!(second, reference);
    text_becomes(&browser, "[data-testid=answer-system] dd", "VPN").await;
    assert_eq!(
        answer_labels(&browser).await,
        ["מערכת", "השפעה", "דחיפות"],
        "the hidden field's answer was not sent"
    );

    browser.close().await.expect("close browser");
}
