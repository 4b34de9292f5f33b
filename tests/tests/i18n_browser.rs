//! Browser tests of the portal's languages (Hebrew right to left, CLDR plurals in Hebrew and
//! Polish, the remembered choice) and an axe-core accessibility scan of every page in en and he.

use edgedesk_core::i18n::{Catalog, sources};
use edgedesk_core::{FieldErrorCode, Locale};
use edgedesk_tests::{
    Desk, assert_accessible, axe_violations, browser, find, html_attr_becomes, text_of,
    value_becomes, visible,
};
use fantoccini::Client;

async fn choose_language(browser: &Client, locale: Locale) {
    find(
        browser,
        &format!("#language option[value={}]", locale.code()),
    )
    .await
    .click()
    .await
    .expect("choose language");
}

async fn fill_and_submit(browser: &Client, subject: &str) -> String {
    for (field, value) in [
        ("#requester_name", "נועה כהן"),
        ("#requester_email", "noa@example.co.il"),
        ("#subject", subject),
        ("#description", "המדפסת בקומה 3 לא מדפיסה."),
    ] {
        find(browser, field)
            .await
            .send_keys(value)
            .await
            .expect("type");
    }
    find(browser, "button[type=submit]")
        .await
        .click()
        .await
        .expect("submit");
    text_of(browser, "[data-testid=reference]").await
}

#[tokio::test]
async fn hebrew_and_polish_requesters_get_their_language_and_every_page_passes_axe() {
    let desk = Desk::from_env();
    let catalog = Catalog::new(&[sources::portal, sources::fields]);
    let browser = browser().await;

    // English first (the headless browser asks for en-US).
    browser.goto(&desk.url("/demo")).await.expect("home");
    find(&browser, "h1").await;
    html_attr_becomes(&browser, "lang", "en").await;
    html_attr_becomes(&browser, "dir", "ltr").await;
    assert_accessible(&browser, "en home").await;
    browser
        .goto(&desk.url("/demo/requests/new"))
        .await
        .expect("form");
    find(&browser, "button[type=submit]")
        .await
        .click()
        .await
        .expect("submit empty");
    text_of(&browser, "#subject-error").await;
    assert_accessible(&browser, "en form with errors").await;
    browser
        .goto(&desk.url("/demo/no/such/page"))
        .await
        .expect("404");
    find(&browser, "h1").await;
    assert_accessible(&browser, "en not found").await;

    // A bundle of texts that cannot be had (here a name no build made: a 404) leaves the
    // language as it was: the menu goes back and the page stays in English.
    browser
        .goto(&desk.url("/demo/requests/new"))
        .await
        .expect("form");
    find(&browser, "label[for=subject]").await;
    browser
        .execute(
            "document.querySelector(\"meta[name='edgedesk:texts:el']\").content = \
             '/assets/texts-el-0000000000000000.txt'",
            Vec::new(),
        )
        .await
        .expect("point Greek at a missing bundle");
    // The click has chosen Greek; the refusal puts English back.
    choose_language(&browser, Locale::El).await;
    value_becomes(&browser, "#language", Locale::En.code()).await;
    html_attr_becomes(&browser, "lang", "en").await;
    assert_eq!(
        text_of(&browser, "label[for=subject]").await,
        catalog.format(Locale::En, "field-subject", None)
    );

    // Hebrew through the switcher: right to left, translated labels and messages.
    browser
        .goto(&desk.url("/demo/requests/new"))
        .await
        .expect("form");
    choose_language(&browser, Locale::He).await;
    html_attr_becomes(&browser, "lang", "he").await;
    html_attr_becomes(&browser, "dir", "rtl").await;
    assert_eq!(
        text_of(&browser, "label[for=subject]").await,
        catalog.format(Locale::He, "field-subject", None)
    );
    find(&browser, "button[type=submit]")
        .await
        .click()
        .await
        .expect("submit empty");
    assert_eq!(
        text_of(&browser, "#subject-error").await,
        catalog.field_error(Locale::He, FieldErrorCode::Required, None)
    );
    assert_accessible(&browser, "he form with errors").await;
    let first = fill_and_submit(&browser, "המדפסת לא עובדת").await;
    assert_eq!(
        text_of(&browser, "[data-testid=status]").await,
        catalog.format(Locale::He, "status-new", None)
    );
    assert_accessible(&browser, "he request page").await;
    // A first load in Hebrew: its texts come once, preloaded by index.html next to the wasm
    // (a second, `fetch` entry would mean the portal did not get the preloaded answer).
    browser
        .goto(&desk.url("/demo/requests/new"))
        .await
        .expect("form");
    find(&browser, "label[for=subject]").await;
    let fetched = browser
        .execute(
            "return performance.getEntriesByType('resource')
                .filter((e) => e.name.includes('/assets/texts-'))
                .map((e) => e.name.split('/').pop().split('-')[1] + ':' + e.initiatorType)",
            Vec::new(),
        )
        .await
        .expect("resources");
    assert_eq!(fetched, serde_json::json!(["he:link"]));
    let second = fill_and_submit(&browser, "אין גישה ל-VPN").await;
    assert_ne!(first, second);

    // Two requests: Hebrew has a dual form that English lacks.
    browser
        .goto(&desk.url("/demo/requests"))
        .await
        .expect("my requests");
    let hebrew_count = visible(&text_of(&browser, "[data-testid=request-count]").await);
    assert_eq!(
        hebrew_count,
        visible(&catalog.format_count(Locale::He, "my-requests-count", "count", 2))
    );
    assert_ne!(
        hebrew_count,
        visible(&catalog.format_count(Locale::He, "my-requests-count", "count", 5)),
        "the dual is its own form"
    );
    assert_accessible(&browser, "he my requests").await;
    browser.goto(&desk.url("/demo")).await.expect("home");
    find(&browser, "h1").await;
    html_attr_becomes(&browser, "dir", "rtl").await;
    assert_accessible(&browser, "he home").await;
    browser
        .goto(&desk.url("/demo/no/such/page"))
        .await
        .expect("404");
    find(&browser, "h1").await;
    assert_accessible(&browser, "he not found").await;

    // Polish: 2 takes the CLDR "few" form; the choice survives a reload.
    browser
        .goto(&desk.url("/demo/requests"))
        .await
        .expect("my requests");
    choose_language(&browser, Locale::Pl).await;
    html_attr_becomes(&browser, "dir", "ltr").await;
    let polish_count = visible(&text_of(&browser, "[data-testid=request-count]").await);
    let few = visible(&catalog.format_count(Locale::Pl, "my-requests-count", "count", 2));
    let many = visible(&catalog.format_count(Locale::Pl, "my-requests-count", "count", 5));
    assert_eq!(polish_count, few);
    assert_ne!(few, many, "few and many differ in Polish");
    browser.refresh().await.expect("reload");
    assert_eq!(
        visible(&text_of(&browser, "[data-testid=request-count]").await),
        few,
        "remembered after reload"
    );
    html_attr_becomes(&browser, "lang", "pl").await;

    // The scanner itself can fail: an unlabelled image is a critical violation.
    browser
        .execute(
            "document.querySelector('main').append(document.createElement('img'))",
            Vec::new(),
        )
        .await
        .expect("break the page");
    let violations = axe_violations(&browser).await;
    assert!(
        violations.iter().any(|v| v.starts_with("image-alt")),
        "{violations:?}"
    );

    browser.close().await.expect("close browser");
}
