//! Browser end-to-end test of the request flow in headless Chromium against the live desk.

use edgedesk_tests::{
    DEMO_ORG, Desk, browser, find, path_of, reference_number, sample_request, text_of,
};
use fantoccini::Locator;

#[tokio::test]
async fn requester_submits_a_request_sees_it_after_reload_and_in_my_requests() {
    let desk = Desk::from_env();
    // The reference counter only moves when a ticket is stored, so the number tells whether
    // the invalid submission below reached the database.
    let before: edgedesk_core::api::CreatedRequest = desk
        .create_request(DEMO_ORG, &sample_request("browser-baseline"))
        .await
        .json()
        .await
        .expect("baseline");

    let browser = browser().await;
    browser
        .goto(&desk.url("/demo/requests/new"))
        .await
        .expect("open form");

    find(&browser, "#requester_name")
        .await
        .send_keys("Noa Cohen")
        .await
        .expect("type name");
    find(&browser, "#requester_email")
        .await
        .send_keys("noa-at-example")
        .await
        .expect("type email");
    find(&browser, "#subject")
        .await
        .send_keys("Cannot print to the 3rd floor printer")
        .await
        .expect("type subject");
    find(&browser, "#description")
        .await
        .send_keys("It says: offline.\nRestarted it twice.")
        .await
        .expect("type description");
    find(&browser, "button[type=submit]")
        .await
        .click()
        .await
        .expect("submit");

    let email_error = text_of(&browser, "#requester_email-error").await;
    assert!(
        email_error.to_lowercase().contains("email"),
        "inline email error: {email_error}"
    );
    let email = find(&browser, "#requester_email").await;
    assert_eq!(
        email.attr("aria-invalid").await.expect("attr").as_deref(),
        Some("true")
    );
    assert!(
        path_of(&browser).await.ends_with("/requests/new"),
        "stayed on the form"
    );

    // Erase as a person would: WebDriver's clear() fires no input event, so the app never sees it.
    let backspaces = "\u{e003}".repeat("noa-at-example".len());
    email.send_keys(&backspaces).await.expect("erase email");
    email
        .send_keys("noa@example.co.il")
        .await
        .expect("retype email");
    find(&browser, "button[type=submit]")
        .await
        .click()
        .await
        .expect("submit again");

    let reference = text_of(&browser, "[data-testid=reference]").await;
    assert_eq!(
        reference_number(&reference),
        reference_number(&before.reference) + 1,
        "the invalid submission created no ticket"
    );
    assert_eq!(text_of(&browser, "[data-testid=status]").await, "New");
    assert_eq!(
        text_of(&browser, "[data-testid=subject]").await,
        "Cannot print to the 3rd floor printer"
    );
    let page = browser.current_url().await.expect("url");

    browser.refresh().await.expect("reload");
    assert_eq!(
        text_of(&browser, "[data-testid=reference]").await,
        reference,
        "still there after reload"
    );
    assert_eq!(text_of(&browser, "[data-testid=status]").await, "New");
    assert!(
        text_of(&browser, "[data-testid=description]")
            .await
            .contains("Restarted it twice.")
    );
    assert_eq!(browser.current_url().await.expect("url"), page);

    // From here on the portal navigates in place: a marker on the page survives only if no
    // link or back button reloads it.
    browser
        .execute("window.edgedeskSamePage = true;", Vec::new())
        .await
        .expect("mark the page");
    let same_page = async |browser: &fantoccini::Client| {
        browser
            .execute("return window.edgedeskSamePage === true;", Vec::new())
            .await
            .expect("read the mark")
            .as_bool()
            .unwrap_or_default()
    };
    let my_requests_link = "nav a[href='/demo/requests']";
    assert_eq!(
        find(&browser, my_requests_link)
            .await
            .attr("aria-current")
            .await
            .expect("attr"),
        None,
        "not the page being shown"
    );
    find(&browser, my_requests_link)
        .await
        .click()
        .await
        .expect("open my requests");
    let mine = text_of(&browser, "[data-testid=my-request]").await;
    assert!(
        same_page(&browser).await,
        "the link did not reload the portal"
    );
    assert_eq!(
        find(&browser, my_requests_link)
            .await
            .attr("aria-current")
            .await
            .expect("attr")
            .as_deref(),
        Some("page")
    );
    assert!(
        mine.contains(&reference),
        "my requests lists {reference}: {mine}"
    );
    let items = browser
        .find_all(Locator::Css("[data-testid=my-request]"))
        .await
        .expect("items");
    assert_eq!(items.len(), 1, "only the request made from this browser");

    // Into the request from the list, and back with the browser's button.
    find(&browser, "[data-testid=my-request] a")
        .await
        .click()
        .await
        .expect("open the request");
    assert_eq!(
        text_of(&browser, "[data-testid=reference]").await,
        reference
    );
    assert_eq!(browser.current_url().await.expect("url"), page);
    browser.back().await.expect("back");
    assert!(
        text_of(&browser, "[data-testid=my-request]")
            .await
            .contains(&reference)
    );
    assert!(path_of(&browser).await.ends_with("/demo/requests"));
    assert!(same_page(&browser).await, "back did not reload the portal");

    browser.close().await.expect("close browser");
}
