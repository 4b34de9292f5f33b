//! Portal first load in headless Chromium, for `cargo xtask bench` (ignored in normal test runs):
//! time from navigation to an interactive request form, and the bytes the page transferred.

use edgedesk_tests::{Desk, browser, find};

/// Navigation start → the moment the form was seen interactive, on the browser's own clock: an
/// upper bound (WebDriver looks after navigation ends), next to when the wasm finished loading.
const INTERACTIVE_MS: &str = r"
    const field = document.querySelector('#requester_name');
    return field && !field.disabled ? performance.now() : null;
";

const WASM_LOADED_MS: &str = r"
    const wasm = performance.getEntriesByType('resource').find(e => e.name.endsWith('.wasm'));
    return wasm ? wasm.responseEnd : null;
";

/// Bytes of the document and every resource, as sent over the wire and decoded.
const BYTES: &str = r"
    const entries = [...performance.getEntriesByType('navigation'),
                     ...performance.getEntriesByType('resource')];
    return {
        transfer: entries.reduce((sum, e) => sum + (e.transferSize || 0), 0),
        encoded: entries.reduce((sum, e) => sum + (e.encodedBodySize || 0), 0),
        decoded: entries.reduce((sum, e) => sum + (e.decodedBodySize || 0), 0),
        resources: entries.length,
        files: entries.map(e => `${e.name.split('/').pop() || '/'}:${e.encodedBodySize || 0}`).join(','),
    };
";

/// The first visits: the free-form request form and a catalog item's form in English (built
/// into the wasm), and the form in Hebrew, whose texts are fetched before the portal shows.
const PAGES: [(&str, &str); 3] = [
    ("/demo/requests/new", "en"),
    ("/demo/catalog/new-laptop", "en"),
    ("/demo/requests/new", "he"),
];

#[tokio::test]
#[ignore = "a measurement for cargo xtask bench, not a check"]
async fn portal_first_load() {
    let desk = Desk::from_env();
    for (run, (page, locale)) in (1..=3).flat_map(|run| PAGES.map(|page| (run, page))) {
        // A fresh profile each time: a first visit, nothing cached.
        let browser = browser().await;
        if locale != "en" {
            // The requester's stored choice, set on a page of the origin that loads no assets.
            browser
                .goto(&desk.url("/api/v1/health"))
                .await
                .expect("origin");
            browser
                .execute(
                    "localStorage.setItem('edgedesk.locale.v1', JSON.stringify(arguments[0]))",
                    vec![locale.into()],
                )
                .await
                .expect("choose the language");
        }
        browser.goto(&desk.url(page)).await.expect("open the form");
        find(&browser, "#requester_name").await;
        let interactive = browser
            .execute(INTERACTIVE_MS, Vec::new())
            .await
            .expect("timing")
            .as_f64()
            .expect("the form is interactive");
        let wasm_loaded = browser
            .execute(WASM_LOADED_MS, Vec::new())
            .await
            .expect("wasm timing")
            .as_f64()
            .unwrap_or_default();
        let bytes = browser.execute(BYTES, Vec::new()).await.expect("bytes");
        assert!(interactive > 0.0);
        let lang = browser
            .execute("return document.documentElement.lang", Vec::new())
            .await
            .expect("lang");
        assert_eq!(
            lang.as_str(),
            Some(locale),
            "the form is in the chosen language"
        );
        println!(
            "bench portal_load page={page} locale={locale} run={run} wasm_loaded_ms={wasm_loaded:.0} interactive_ms_at_most={interactive:.0} transfer_bytes={} encoded_bytes={} decoded_bytes={} resources={}",
            bytes["transfer"], bytes["encoded"], bytes["decoded"], bytes["resources"]
        );
        // The files by name (not a `bench` line: names are not figures).
        println!(
            "portal_load files page={page} locale={locale} run={run} {}",
            bytes["files"].as_str().unwrap_or_default()
        );
        browser.close().await.expect("close");
    }
}
