//! Black-box test of `/api/v1/openapi.json` against the live desk: every documented path is
//! served with exactly its documented methods, answers only documented statuses, and its JSON
//! bodies fit the documented schemas.

use std::collections::BTreeSet;

use edgedesk_core::api::TRACKING_TOKEN_HEADER;
use edgedesk_tests::Desk;
use edgedesk_tests::fixture::Fixture;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The methods probed on every path: a documented one must be served, any other must be 405.
/// No route documents OPTIONS, so every path gets at least one 405 probe.
const METHODS: [&str; 6] = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// Served only by test deployments such as this one, and therefore left out of the document.
const TEST_CLOCK: &str = "/api/v1/test/clock";

async fn fetch_document(desk: &Desk) -> (Value, String) {
    let response = desk
        .http
        .get(desk.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("GET openapi.json");
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(header("content-type").starts_with("application/json"));
    assert!(header("cache-control").contains("public"));
    let etag = header("etag");
    assert!(!etag.is_empty(), "no ETag");
    (response.json().await.expect("the document is JSON"), etag)
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_revalidates_with_its_etag() {
    let desk = Desk::from_env();
    let (doc, etag) = fetch_document(&desk).await;
    let version = doc["openapi"].as_str().unwrap_or_default();
    assert!(version.starts_with("3.1"), "openapi {version:?}");
    assert!(doc["paths"].as_object().is_some_and(|p| p.len() > 20));
    let again = desk
        .http
        .get(desk.url("/api/v1/openapi.json"))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("conditional GET");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn the_test_clock_is_served_here_but_left_out_of_the_document() {
    let desk = Desk::from_env();
    let (doc, _) = fetch_document(&desk).await;
    assert!(doc["paths"].get(TEST_CLOCK).is_none());
    // 405, not 404: this deployment does serve it (POST only).
    let response = desk
        .http
        .get(desk.url(TEST_CLOCK))
        .send()
        .await
        .expect("GET test clock");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(allowed(&response), BTreeSet::from(["POST".to_owned()]));
}

/// The methods of a 405's `Allow` header.
fn allowed(response: &reqwest::Response) -> BTreeSet<String> {
    response
        .headers()
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(',')
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty())
        .collect()
}

/// What a `$ref` points at.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let target = doc
                .pointer(reference.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("unresolved $ref {reference}"));
            resolve(doc, target)
        }
        None => value,
    }
}

/// The document with its schemas made stricter for this test: an object schema allows no
/// property it does not declare, so an undocumented response field fails here even where the
/// document leaves `additionalProperties` open.
fn strict(doc: &Value) -> Value {
    fn tighten(schema: &mut Value) {
        let Some(map) = schema.as_object_mut() else {
            return;
        };
        if let Some(Value::Object(properties)) = map.get_mut("properties") {
            properties.values_mut().for_each(tighten);
            map.entry("additionalProperties")
                .or_insert(Value::Bool(false));
        }
        for key in ["items", "additionalProperties"] {
            if let Some(inner) = map.get_mut(key) {
                tighten(inner);
            }
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(Value::Array(alternatives)) = map.get_mut(key) {
                alternatives.iter_mut().for_each(tighten);
            }
        }
    }
    let mut strict = doc.clone();
    strict["components"]["schemas"]
        .as_object_mut()
        .expect("components.schemas")
        .values_mut()
        .for_each(tighten);
    strict
}

/// Why `value` does not fit `schema` (a schema of the document, usually a `$ref` into it), one
/// line per problem, as a JSON Schema 2020-12 validator finds them (formats included).
fn violations(doc: &Value, schema: &Value, value: &Value) -> Vec<String> {
    // The document is the root resource, so `#/components/schemas/…` resolves in it.
    let mut root = doc.clone();
    root["$defs"] = json!({ "checked": schema });
    root["$ref"] = json!("#/$defs/checked");
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .expect("the document's schemas compile");
    validator
        .iter_errors(value)
        .map(|error| format!("at {:?}: {error}", error.instance_path().as_str()))
        .collect()
}

/// A sample value for a documented query parameter: its default, else its first option, else
/// its minimum, else some text.
fn sample_query_value(doc: &Value, parameter: &Value) -> String {
    let schema = resolve(doc, &parameter["schema"]);
    let value = schema
        .get("default")
        .or_else(|| schema["enum"].get(0))
        .or_else(|| schema.get("minimum"))
        .cloned()
        .unwrap_or_else(|| json!("laptop"));
    match value {
        Value::String(text) => text,
        other => other.to_string(),
    }
}

/// Whether the path item or the operation declares header parameter `name`.
fn declares_header(doc: &Value, item: &Value, operation: &Value, name: &str) -> bool {
    [&item["parameters"], &operation["parameters"]]
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .map(|p| resolve(doc, p))
        .any(|p| {
            p["in"] == "header"
                && p["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
}

/// One request as `operation` documents it: the fixture's ids, the tracking token and bearer
/// token where declared, and `{}` as any body (most operations refuse it with a documented
/// problem; none may answer with an undocumented status).
async fn call(
    desk: &Desk,
    fixture: &Fixture,
    method: &str,
    path: &str,
    operation: &Value,
    tracking_token: bool,
    query: Option<(&str, &str)>,
) -> reqwest::Response {
    let method = Method::from_bytes(method.as_bytes()).expect("a method");
    let mut request = desk.http.request(method, desk.url(path));
    if operation.get("security").is_some() {
        request = request.bearer_auth(&fixture.admin);
    }
    if operation.get("requestBody").is_some() {
        request = request.json(&json!({}));
    }
    if let Some(pair) = query {
        request = request.query(&[pair]);
    }
    if tracking_token {
        request = request.header(TRACKING_TOKEN_HEADER, &fixture.tracking_token);
    }
    request.send().await.expect("request")
}

/// Fails unless the answer's status is one `operation` documents, with the documented media
/// type and a body that fits the documented schema.
async fn check_answer(doc: &Value, at: &str, operation: &Value, response: reqwest::Response) {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.text().await.expect("body");
    let Some(documented) = operation["responses"].get(status.as_str()) else {
        panic!("{at} answered {status}, which is not documented: {body}");
    };
    let Some(content) = resolve(doc, documented)["content"].as_object() else {
        assert!(
            body.is_empty(),
            "{at} {status}: an undocumented body {body}"
        );
        return;
    };
    let (media, described) = content.iter().next().expect("a media type");
    assert!(
        content_type.starts_with(media.as_str()),
        "{at} {status}: {content_type:?}, documented {media}"
    );
    let value: Value = serde_json::from_str(&body).expect("a JSON body");
    let found = violations(doc, &described["schema"], &value);
    assert!(
        found.is_empty(),
        "{at} {status}:\n{}\n{value:#}",
        found.join("\n")
    );
}

#[tokio::test]
async fn every_documented_operation_is_served_as_documented() {
    let desk = Desk::from_env();
    let (served, _) = fetch_document(&desk).await;
    let doc = strict(&served);
    let fixture = Fixture::new(&desk).await;

    // A path the worker does not serve is 404 whatever the method, so a 405 below proves that
    // the path itself is routed.
    for method in [Method::GET, Method::POST] {
        let response = desk
            .http
            .request(method, desk.url("/api/v1/no-such-route"))
            .send()
            .await
            .expect("unknown path");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }

    let paths = doc["paths"].as_object().expect("paths");
    let mut answered = 0;
    // Deletes last, so that every other operation still finds the fixture's resources.
    for deletes in [false, true] {
        for (template, item) in paths {
            let path = fixture.path(template);
            let documented: BTreeSet<String> = METHODS
                .iter()
                .filter(|m| item.get(m.to_lowercase()).is_some())
                .map(|m| (*m).to_owned())
                .collect();
            assert!(!documented.is_empty(), "{template} documents no operation");
            // The 405 probe is what tells a routed path from an unknown one.
            assert!(
                documented.len() < METHODS.len(),
                "{template}: no method left to probe"
            );
            for method in METHODS.into_iter().filter(|m| (*m == "DELETE") == deletes) {
                let at = format!("{method} {path} ({template})");
                let Some(operation) = item.get(method.to_lowercase()) else {
                    // Not documented: the worker must know the path but refuse the method.
                    let response =
                        call(&desk, &fixture, method, &path, &Value::Null, false, None).await;
                    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{at}");
                    assert_eq!(allowed(&response), documented, "{at}: Allow");
                    continue;
                };
                let tracking = declares_header(&doc, item, operation, TRACKING_TOKEN_HEADER);
                let response =
                    call(&desk, &fixture, method, &path, operation, tracking, None).await;
                assert_ne!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{at}");
                check_answer(&doc, &at, operation, response).await;
                answered += 1;
                // Each documented query parameter, one at a time, with a sample value: the answer
                // must be documented too (a made-up cursor is the documented 422).
                let parameters = operation["parameters"].as_array().into_iter().flatten();
                for parameter in parameters.map(|p| resolve(&doc, p)) {
                    if parameter["in"] != "query" {
                        continue;
                    }
                    let name = parameter["name"].as_str().expect("a name");
                    let value = sample_query_value(&doc, parameter);
                    let at = format!("{at} ?{name}={value}");
                    let query = Some((name, value.as_str()));
                    let response =
                        call(&desk, &fixture, method, &path, operation, tracking, query).await;
                    check_answer(&doc, &at, operation, response).await;
                }
            }
        }
    }
    assert!(answered > 40, "only {answered} operations answered");
}
