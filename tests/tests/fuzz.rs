//! The OpenAPI document validated as OpenAPI 3.1 (openapi-spec-validator), then the whole API
//! fuzzed from it (schemathesis; both pinned in `tests/fuzz/`)
//! against a desk of its own that `cargo xtask test` starts with rate limits out of the way:
//! every documented operation, with real ids of one organisation, called with that
//! organisation's admin token and then with another organisation's. Fails on any 5xx, any
//! status the document does not list, and any body, content type or header that breaks it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use edgedesk_core::api::TRACKING_TOKEN_HEADER;
use edgedesk_tests::Desk;
use edgedesk_tests::fixture::Fixture;
use serde_json::Value;

/// Generated cases per operation and pass; with the document's ~60 operations and two passes,
/// a few thousand calls in all, in about a minute locally.
const MAX_EXAMPLES: u32 = 25;

/// What every call is checked for (schemathesis' names). Left out on purpose: the checks that
/// a schema-valid body is accepted or an invalid one refused — the desk refuses valid-looking
/// values the schema cannot express (an unknown group slug, a finished status) with a
/// documented 422 — and the stateful phase's resource checks.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance,response_headers_conformance";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run via `cargo xtask test`"))
}

/// A TOML basic string.
fn toml_string(value: &str) -> String {
    serde_json::to_string(value).expect("a string serialises")
}

/// The config of one pass: `token` on every call, the fixture's ids in every path.
fn config(desk: &Desk, document: &Value, fixture: &Fixture, token: &str) -> String {
    let mut toml = format!(
        "base-url = {}\nheaders = {{ Authorization = {}, {} = {} }}\n\
         [generation]\nmax-examples = {MAX_EXAMPLES}\ndeterministic = true\n\
         [phases.stateful]\nenabled = false\n",
        toml_string(&desk.base),
        toml_string(&format!("Bearer {token}")),
        toml_string(TRACKING_TOKEN_HEADER),
        toml_string(&fixture.tracking_token),
    );
    let paths = document["paths"].as_object().expect("paths");
    for template in paths.keys() {
        let parameters = fixture.parameters(template);
        if parameters.is_empty() {
            continue;
        }
        let values: Vec<String> = parameters
            .iter()
            .map(|(name, value)| {
                format!(
                    "{} = {}",
                    toml_string(&format!("path.{name}")),
                    toml_string(value)
                )
            })
            .collect();
        let _ = write!(
            toml,
            "\n[[operations]]\ninclude-path = {}\nparameters = {{ {} }}\n",
            toml_string(template),
            values.join(", ")
        );
    }
    toml
}

/// Runs one pass and returns how many calls it made.
fn pass(schemathesis: &Path, work: &Path, label: &str, document_url: &str, config: &str) -> u64 {
    let config_file = work.join(format!("{label}.toml"));
    std::fs::write(&config_file, config).expect("writing the fuzz config");
    let report = work.join(format!("{label}.xml"));
    let output = Command::new(schemathesis)
        // Its example cache (`.schemathesis/`) stays in the work folder, out of the tree.
        .current_dir(work)
        .arg("--config-file")
        .arg(&config_file)
        // One worker: hypothesis' lambda-source cache is not thread-safe, and two workers made
        // schemathesis' coverage phase fail on its own error now and then.
        .args(["run", document_url, "--checks", CHECKS, "--workers", "1"])
        .args(["--report", "junit", "--report-junit-path"])
        .arg(&report)
        .env("NO_COLOR", "1")
        .output()
        .expect("starting schemathesis");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "schemathesis ({label}) found failures; see above"
    );
    calls(&stdout).unwrap_or_else(|| panic!("no call count in schemathesis' summary ({label})"))
}

/// The calls a run made, from its summary: the first number after `Test cases:` (on that line
/// or the next: `Test cases:\n  3932 generated, 3932 passed`).
fn calls(summary: &str) -> Option<u64> {
    let (_, after) = summary.split_once("Test cases:")?;
    after.split_whitespace().next()?.parse().ok()
}

#[tokio::test]
#[ignore = "run by `cargo xtask test` against a desk of its own (EDGEDESK_SCHEMATHESIS)"]
async fn the_whole_api_answers_only_as_documented_when_fuzzed_by_two_organisations() {
    let desk = Desk::from_env();
    let schemathesis = PathBuf::from(env("EDGEDESK_SCHEMATHESIS"));
    let work = PathBuf::from(env("EDGEDESK_FUZZ_DIR"));
    std::fs::create_dir_all(&work).expect("fuzz work folder");
    let fixture = Fixture::new(&desk).await;
    let stranger = desk.new_org("fuzz-stranger").await;
    let document_url = desk.url("/api/v1/openapi.json");
    let document: Value = desk
        .http
        .get(&document_url)
        .send()
        .await
        .expect("GET openapi.json")
        .json()
        .await
        .expect("the document");
    // The document itself, checked as OpenAPI 3.1 by a validator that is not ours.
    let file = work.join("openapi.json");
    std::fs::write(&file, document.to_string()).expect("writing the document");
    let validator = schemathesis.with_file_name("openapi-spec-validator");
    let checked = Command::new(&validator)
        .arg(&file)
        .output()
        .expect("starting openapi-spec-validator");
    assert!(
        checked.status.success(),
        "the document is not valid OpenAPI 3.1:\n{}",
        String::from_utf8_lossy(&checked.stdout)
    );
    let mut total = 0;
    for (label, token) in [("own", &fixture.admin), ("stranger", &stranger.admin)] {
        let config = config(&desk, &document, &fixture, token);
        let work = work.clone();
        let schemathesis = schemathesis.clone();
        let url = document_url.clone();
        let made =
            tokio::task::spawn_blocking(move || pass(&schemathesis, &work, label, &url, &config))
                .await
                .expect("the fuzz pass");
        assert!(made > 100, "{label}: only {made} calls");
        total += made;
    }
    // xtask adds this line's figure to the run's summary.
    println!("fuzz calls={total}");
}

#[test]
fn the_call_count_is_read_from_the_summary() {
    let summary =
        "API Operations:\n  Selected: 56/56\n\nTest cases:\n  3932 generated, 3932 passed\n";
    assert_eq!(calls(summary), Some(3932));
    assert_eq!(calls("Test cases: 12 generated, 12 passed"), Some(12));
    assert_eq!(calls("nothing here"), None);
}
