//! Harness for EdgeDesk's black-box tests: where the running desk is, an HTTP client for its API,
//! and a headless Chromium session. `cargo xtask test` starts the desk and sets the environment.

pub mod agent;
pub mod fixture;
pub mod host;

use std::time::Duration;

use edgedesk_core::NewRequestInput;
use fantoccini::{Client, ClientBuilder, Locator};

pub const DEMO_ORG: &str = "demo";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: these tests run against a live desk; use `cargo xtask test`")
    })
}

/// The desk under test.
pub struct Desk {
    pub base: String,
    pub http: reqwest::Client,
}

impl Desk {
    #[must_use]
    pub fn from_env() -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("building the HTTP client");
        Self {
            base: env("EDGEDESK_BASE_URL"),
            http,
        }
    }

    #[must_use]
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `POST /api/v1/orgs/{org}/requests` with a JSON body.
    pub async fn create_request(&self, org: &str, input: &NewRequestInput) -> reqwest::Response {
        self.http
            .post(self.url(&format!("/api/v1/orgs/{org}/requests")))
            .json(input)
            .send()
            .await
            .expect("POST request")
    }
}

/// A valid request whose subject carries `tag`, so a test can recognise its own data.
#[must_use]
pub fn sample_request(tag: &str) -> NewRequestInput {
    NewRequestInput {
        requester_name: "Zofia Nowak".into(),
        requester_email: "zofia@example.pl".into(),
        subject: format!("VPN does not connect ({tag})"),
        description: "Since this morning the VPN client says: timeout.\nI work from home today."
            .into(),
        ..NewRequestInput::default()
    }
}

/// The number part of a reference like `DEMO-12`.
#[must_use]
pub fn reference_number(reference: &str) -> u64 {
    reference
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("malformed reference {reference:?}"))
}

/// A fresh headless Chromium (own profile) driven through the chromedriver xtask started.
pub async fn browser() -> Client {
    let profile = std::env::temp_dir().join(format!(
        "edgedesk-chromium-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    ));
    let args = serde_json::json!([
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        format!("--user-data-dir={}", profile.display()),
    ]);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({ "binary": env("EDGEDESK_CHROMIUM"), "args": args }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&env("EDGEDESK_WEBDRIVER_URL"))
        .await
        .expect("connecting to chromedriver")
}

/// Waits up to 10 s for an element matching `css`.
pub async fn find(browser: &Client, css: &str) -> fantoccini::elements::Element {
    browser
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element {css:?} within 10 s: {e}"))
}

/// The path of the page the browser shows.
pub async fn path_of(browser: &Client) -> String {
    browser
        .current_url()
        .await
        .expect("the browser's address")
        .path()
        .to_owned()
}

/// Waits up to 10 s until the element matching `css` has non-empty text, and returns it.
/// On timeout it saves a screenshot and prints the page's text, so a failure can be read.
pub async fn text_of(browser: &Client, css: &str) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(element) = browser.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
            && !text.trim().is_empty()
        {
            return text.trim().to_owned();
        }
        if std::time::Instant::now() >= deadline {
            let report = failure_report(browser, css).await;
            panic!("no text in {css:?} within 10 s\n{report}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Where the browser is, what it shows, and a screenshot path.
async fn failure_report(browser: &Client, what: &str) -> String {
    let url = browser
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default();
    let text = match browser.find(Locator::Css("body")).await {
        Ok(body) => body.text().await.unwrap_or_default(),
        Err(e) => format!("(no body: {e})"),
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-failures");
    let shot = dir.join(format!(
        "{}.png",
        what.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
    ));
    let saved = match browser.screenshot().await {
        Ok(png) => std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&shot, png))
            .map_or_else(
                |e| format!("screenshot not saved: {e}"),
                |()| format!("screenshot: {}", shot.display()),
            ),
        Err(e) => format!("no screenshot: {e}"),
    };
    format!("at {url}\npage text:\n{text}\n{saved}")
}

/// Serious and critical accessibility violations axe-core (from node_modules) finds on the page
/// as it is now, each as `rule-id: help (selectors)`.
pub async fn axe_violations(browser: &Client) -> Vec<String> {
    let axe = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&axe).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (cargo xtask test installs it with npm ci)",
            axe.display()
        )
    });
    browser
        .execute(&source, Vec::new())
        .await
        .expect("inject axe-core");
    let result = browser
        .execute_async(
            r"const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })
              .then(r => done(r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')))
              .catch(e => done(['axe failed: ' + e]));",
            Vec::new(),
        )
        .await
        .expect("run axe-core");
    serde_json::from_value(result).expect("axe result is a list of strings")
}

/// Fails with the violations when axe-core finds a serious or critical one on the page.
pub async fn assert_accessible(browser: &Client, page: &str) {
    let violations = axe_violations(browser).await;
    assert!(
        violations.is_empty(),
        "accessibility violations on {page}:\n{}",
        violations.join("\n")
    );
}

/// Waits up to 10 s until the page's `<html>` element has attribute `name` = `expected` (the
/// portal sets `lang` and `dir` once a language's texts are in, which can take a fetch).
pub async fn html_attr_becomes(browser: &Client, name: &str, expected: &str) {
    becomes(
        browser,
        "html",
        &format!("has {name}"),
        expected,
        |element| async move { element.attr(name).await.ok().flatten() },
    )
    .await;
}

/// Text as a reader sees it: Fluent's bidi isolation marks (U+2068, U+2069) are invisible.
#[must_use]
pub fn visible(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{2068}' | '\u{2069}'))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Waits up to 10 s until the element matching `css` shows exactly `expected` (as [`visible`]).
pub async fn text_becomes(browser: &Client, css: &str, expected: &str) {
    becomes(browser, css, "shows", expected, |element| async move {
        element.text().await.ok().map(|text| visible(&text))
    })
    .await;
}

/// Waits up to 10 s until the control matching `css` (an input, a select) has the value
/// `expected`.
pub async fn value_becomes(browser: &Client, css: &str, expected: &str) {
    becomes(
        browser,
        css,
        "has the value",
        expected,
        |element| async move { element.prop("value").await.ok().flatten() },
    )
    .await;
}

/// Waits up to 10 s until `read` gives `expected` for the element matching `css`; the panic
/// says what it gave last (`what`: "shows", …).
async fn becomes<F, Fut>(browser: &Client, css: &str, what: &str, expected: &str, read: F)
where
    F: Fn(fantoccini::elements::Element) -> Fut,
    Fut: std::future::Future<Output = Option<String>>,
{
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut last = String::new();
    while std::time::Instant::now() < deadline {
        if let Ok(element) = browser.find(Locator::Css(css)).await
            && let Some(value) = read(element).await
        {
            last = value;
            if last == expected {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css:?} {what} {last:?}, expected {expected:?}");
}
