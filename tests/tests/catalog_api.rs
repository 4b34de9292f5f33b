//! Black-box tests of the service catalog: admin CRUD with schema validation, versioned forms,
//! search, answer validation and the impact × urgency priority of submissions.

use edgedesk_core::api::{CreatedRequest, Problem, RequestView, TRACKING_TOKEN_HEADER, TicketView};
use edgedesk_core::catalog::{CatalogView, FormVersionView, ItemView};
use edgedesk_core::priority::Priority;
use edgedesk_core::{FieldErrorCode, NewRequestInput};
use edgedesk_tests::agent::Org;
use edgedesk_tests::{Desk, sample_request};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The access-request form: a select, a text field shown only for "other", impact and urgency.
fn access_form(other_label: &str) -> Value {
    json!({"fields": [
        {"key": "system", "type": "select", "required": true,
         "label": {"en": "System", "he": "מערכת", "pl": "System"},
         "options": [
            {"value": "vpn", "label": {"en": "VPN"}},
            {"value": "email", "label": {"en": "Email", "pl": "Poczta"}},
            {"value": "other", "label": {"en": "Other", "he": "אחר"}}
         ]},
        {"key": "other_system", "type": "text", "required": true,
         "label": {"en": other_label},
         "visible_when": {"field": "system", "equals": "other"}},
        {"key": "impact", "type": "impact", "required": true, "label": {"en": "Impact"}},
        {"key": "urgency", "type": "urgency", "required": true, "label": {"en": "Urgency"}}
    ]})
}

async fn expect_status(response: reqwest::Response, status: StatusCode) -> Value {
    let got = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    body
}

/// A category `it` and an access-request item in a fresh organisation.
async fn org_with_access_item(desk: &Desk, label: &str) -> Org {
    let org = desk.new_org(label).await;
    expect_status(
        desk.send(
            Method::POST,
            "/api/v1/admin/catalog/categories",
            &org.admin,
            Some(json!({"slug": "it", "name": {"en": "IT", "he": "מחשוב"}, "position": 1})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    expect_status(
        desk.send(
            Method::POST,
            "/api/v1/admin/catalog/categories",
            &org.admin,
            Some(json!({"slug": "it-access", "parent": "it", "name": {"en": "Access"}})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    expect_status(
        desk.send( Method::POST, "/api/v1/admin/catalog/items", &org.admin, Some(json!({
            "slug": "access-request",
            "category": "it-access",
            "name": {"en": "Access request", "he": "בקשת גישה", "el": "Αίτηση πρόσβασης", "pl": "Prośba o dostęp"},
            "description": {"en": "Get access to a system"},
            "icon": "key",
            "form": access_form("Which system?")
        }))).await,
        StatusCode::CREATED,
    )
    .await;
    org
}

fn catalog_request(item: &str, answers: Value) -> NewRequestInput {
    NewRequestInput {
        description: String::new(),
        catalog_item: Some(item.into()),
        answers: serde_json::from_value(answers).expect("answers"),
        ..sample_request("catalog")
    }
}

async fn submit(desk: &Desk, org: &str, input: &NewRequestInput) -> reqwest::Response {
    desk.create_request(org, input).await
}

async fn agent_view(desk: &Desk, org: &Org, id: &str) -> TicketView {
    let body = expect_status(
        desk.send(
            Method::GET,
            &format!("/api/v1/tickets/{id}"),
            &org.admin,
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    serde_json::from_value(body).expect("ticket view")
}

async fn requester_view(desk: &Desk, created: &CreatedRequest) -> RequestView {
    desk.http
        .get(desk.url(&format!("/api/v1/requests/{}", created.id)))
        .header(TRACKING_TOKEN_HEADER, &created.tracking_token)
        .send()
        .await
        .expect("get request")
        .json()
        .await
        .expect("request view")
}

#[tokio::test]
async fn a_catalog_submission_keeps_its_form_version_and_gets_the_matrix_priority() {
    let desk = Desk::from_env();
    let org = org_with_access_item(&desk, "catalog-flow").await;

    let catalog: CatalogView = desk
        .http
        .get(desk.url(&format!("/api/v1/orgs/{}/catalog", org.slug)))
        .send()
        .await
        .expect("catalog")
        .json()
        .await
        .expect("catalog body");
    let slugs: Vec<(&str, Option<&str>)> = catalog
        .categories
        .iter()
        .map(|c| (c.slug.as_str(), c.parent.as_deref()))
        .collect();
    assert_eq!(slugs, vec![("it", None), ("it-access", Some("it"))]);
    assert_eq!(catalog.items.len(), 1);
    assert_eq!(catalog.items[0].form_version, 1);

    // "other_system" is hidden for "vpn": its answer is dropped, not validated.
    let response = submit(
        &desk,
        &org.slug,
        &catalog_request(
            "access-request",
            json!({
                "system": "vpn", "other_system": "", "impact": "high", "urgency": "medium"
            }),
        ),
    )
    .await;
    let first: CreatedRequest =
        serde_json::from_value(expect_status(response, StatusCode::CREATED).await)
            .expect("created");
    let ticket = agent_view(&desk, &org, &first.id).await;
    assert_eq!(
        ticket.priority,
        Priority::High,
        "ITIL: high impact × medium urgency"
    );
    assert_eq!(ticket.catalog_item.as_deref(), Some("access-request"));
    assert_eq!(ticket.form_version, Some(1));
    assert_eq!(
        serde_json::to_value(&ticket.answers).expect("json"),
        json!({"system": "vpn", "impact": "high", "urgency": "medium"})
    );

    // A new version relabels the conditional field; the old ticket still shows version 1.
    let version: FormVersionView = serde_json::from_value(
        expect_status(
            desk.send(
                Method::PUT,
                "/api/v1/admin/catalog/items/access-request/form",
                &org.admin,
                Some(access_form("Name the system")),
            )
            .await,
            StatusCode::CREATED,
        )
        .await,
    )
    .expect("version");
    assert_eq!(version.version, 2);
    let old = requester_view(&desk, &first).await;
    let submitted = old.catalog_item.expect("catalog item on the request");
    assert_eq!(submitted.form_version, 1);
    assert_eq!(
        submitted.form.fields[1].label.resolve("en", "en"),
        "Which system?"
    );
    assert_eq!(submitted.name.resolve("he", "en"), "בקשת גישה");
    assert_eq!(old.answers.get("system"), Some(&json!("vpn")));

    let response = submit(
        &desk,
        &org.slug,
        &catalog_request(
            "access-request",
            json!({
                "system": "other", "other_system": "  Payroll  ", "impact": "low", "urgency": "low"
            }),
        ),
    )
    .await;
    let second: CreatedRequest =
        serde_json::from_value(expect_status(response, StatusCode::CREATED).await)
            .expect("created");
    let ticket = agent_view(&desk, &org, &second.id).await;
    assert_eq!(
        (ticket.form_version, ticket.priority),
        (Some(2), Priority::Low)
    );
    assert_eq!(
        ticket.answers.get("other_system"),
        Some(&json!("Payroll")),
        "normalised"
    );
    let view = requester_view(&desk, &second).await;
    assert_eq!(
        view.catalog_item.expect("item").form.fields[1]
            .label
            .resolve("en", "en"),
        "Name the system"
    );

    let v1: FormVersionView = serde_json::from_value(
        expect_status(
            desk.send(
                Method::GET,
                "/api/v1/admin/catalog/items/access-request/forms/1",
                &org.admin,
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .expect("v1");
    assert_eq!(v1.form.fields[1].label.resolve("en", "en"), "Which system?");

    // The organisation's own matrix decides from now on; an agent override is audited.
    let flat = json!([
        ["low", "low", "low"],
        ["low", "low", "low"],
        ["low", "low", "urgent"]
    ]);
    expect_status(
        desk.send(
            Method::PUT,
            "/api/v1/admin/priority-matrix",
            &org.admin,
            Some(flat.clone()),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let response = submit(
        &desk,
        &org.slug,
        &catalog_request(
            "access-request",
            json!({
                "system": "email", "impact": "low", "urgency": "low"
            }),
        ),
    )
    .await;
    let third: CreatedRequest =
        serde_json::from_value(expect_status(response, StatusCode::CREATED).await)
            .expect("created");
    assert_eq!(
        agent_view(&desk, &org, &third.id).await.priority,
        Priority::Urgent
    );
    expect_status(
        desk.send(
            Method::PUT,
            "/api/v1/admin/priority-matrix",
            &org.admin,
            Some(json!([["low", "low"], ["low", "low"]])),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

#[tokio::test]
async fn broken_schemas_are_rejected_with_the_path_of_each_problem() {
    let desk = Desk::from_env();
    let org = org_with_access_item(&desk, "catalog-schema").await;
    let problem: Problem = serde_json::from_value(
        expect_status(
            desk.send(
                Method::POST,
                "/api/v1/admin/catalog/items",
                &org.admin,
                Some(json!({
                    "slug": "broken",
                    "category": "it",
                    "name": {"en": "Broken"},
                    "form": {"fields": [
                        {"key": "kind", "type": "select", "label": {"en": "Kind"}, "options": []},
                        {"key": "kind", "type": "colour", "label": {"en": "Colour"}},
                        {"key": "why", "type": "text", "label": {"en": "Why"},
                         "visible_when": {"field": "missing", "equals": "x"}}
                    ]}
                })),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await,
    )
    .expect("problem");
    let paths: Vec<(&str, FieldErrorCode)> = problem
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code))
        .collect();
    assert_eq!(
        paths,
        vec![
            ("form.fields[0].options", FieldErrorCode::NoOptions),
            ("form.fields[1].key", FieldErrorCode::DuplicateKey),
            ("form.fields[1].type", FieldErrorCode::UnknownFieldType),
            (
                "form.fields[2].visible_when.field",
                FieldErrorCode::MissingConditionField
            ),
        ]
    );
    // Nothing of the rejected item was stored.
    expect_status(
        desk.send(
            Method::GET,
            "/api/v1/admin/catalog/items/broken",
            &org.admin,
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    // A bad new version leaves the current one in place.
    expect_status(
        desk.send(
            Method::PUT,
            "/api/v1/admin/catalog/items/access-request/form",
            &org.admin,
            Some(json!({"fields": [{"key": "Bad Key", "type": "text", "label": {"en": "x"}}]})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let item: ItemView = serde_json::from_value(
        expect_status(
            desk.send(
                Method::GET,
                "/api/v1/admin/catalog/items/access-request",
                &org.admin,
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .expect("item");
    assert_eq!(item.item.form_version, 1);

    // Unknown category, duplicate slug, a third category level.
    let mut body =
        json!({"slug": "dup", "category": "nope", "name": {"en": "X"}, "form": {"fields": []}});
    let problem = expect_status(
        desk.send(
            Method::POST,
            "/api/v1/admin/catalog/items",
            &org.admin,
            Some(body.clone()),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "category");
    body["slug"] = json!("access-request");
    body["category"] = json!("it");
    expect_status(
        desk.send(
            Method::POST,
            "/api/v1/admin/catalog/items",
            &org.admin,
            Some(body),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    let problem = expect_status(
        desk.send(
            Method::POST,
            "/api/v1/admin/catalog/categories",
            &org.admin,
            Some(json!({"slug": "deep", "parent": "it-access", "name": {"en": "Too deep"}})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "parent");
}

#[tokio::test]
async fn answers_are_checked_against_the_current_form_with_contact_fields_together() {
    let desk = Desk::from_env();
    let org = org_with_access_item(&desk, "catalog-answers").await;
    let mut input = catalog_request(
        "access-request",
        json!({
            "system": "other", "impact": "extreme", "colour": "red"
        }),
    );
    input.requester_email = "not-an-email".into();
    let problem: Problem = serde_json::from_value(
        expect_status(
            submit(&desk, &org.slug, &input).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await,
    )
    .expect("problem");
    let fields: Vec<(&str, FieldErrorCode)> = problem
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("requester_email", FieldErrorCode::InvalidEmail),
            ("answers.colour", FieldErrorCode::UnknownField),
            ("answers.other_system", FieldErrorCode::Required),
            ("answers.impact", FieldErrorCode::NotAnOption),
            ("answers.urgency", FieldErrorCode::Required),
        ]
    );

    // Unknown and deactivated items are field errors; answers without an item too.
    let problem = expect_status(
        submit(
            &desk,
            &org.slug,
            &catalog_request("no-such-item", json!({})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "catalog_item");
    let mut stray = sample_request("stray answers");
    stray.answers = serde_json::from_value(json!({"system": "vpn"})).expect("answers");
    expect_status(
        submit(&desk, &org.slug, &stray).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    expect_status(
        desk.send(
            Method::PATCH,
            "/api/v1/admin/catalog/items/access-request",
            &org.admin,
            Some(json!({"active": false})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_status(
        desk.http
            .get(desk.url(&format!("/api/v1/orgs/{}/catalog/access-request", org.slug)))
            .send()
            .await
            .expect("item"),
        StatusCode::NOT_FOUND,
    )
    .await;
    let valid = catalog_request(
        "access-request",
        json!({
            "system": "vpn", "impact": "low", "urgency": "low"
        }),
    );
    expect_status(
        submit(&desk, &org.slug, &valid).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    // An unknown organisation stays a 404, item or not.
    expect_status(
        submit(&desk, "no-such-org", &valid).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn search_ignores_case_and_diacritics_in_hebrew_greek_and_polish() {
    let desk = Desk::from_env();
    let org = org_with_access_item(&desk, "catalog-search").await;
    expect_status(
        desk.send(
            Method::POST,
            "/api/v1/admin/catalog/items",
            &org.admin,
            Some(json!({
                "slug": "laptop",
                "category": "it",
                "name": {"en": "New laptop", "pl": "Nowy laptop dla zespołu", "he": "מַחְשֵׁב נייד"},
                "description": {"el": "Παραγγελία φορητού υπολογιστή"},
                "form": {"fields": []}
            })),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let search = |q: &'static str| {
        let url = desk.url(&format!("/api/v1/orgs/{}/catalog", org.slug));
        let http = desk.http.clone();
        async move {
            let view: CatalogView = http
                .get(url)
                .query(&[("q", q)])
                .send()
                .await
                .expect("search")
                .json()
                .await
                .expect("catalog");
            view.items.into_iter().map(|i| i.slug).collect::<Vec<_>>()
        }
    };
    assert_eq!(search("ZESPOLU").await, vec!["laptop"]);
    assert_eq!(search("מחשב").await, vec!["laptop"]);
    assert_eq!(search("ΦΟΡΗΤΟΥ").await, vec!["laptop"]);
    assert_eq!(search("αιτηση").await, vec!["access-request"]);
    assert_eq!(search("dostep").await, vec!["access-request"]);
    assert!(search("printer").await.is_empty());
    assert!(search("%").await.is_empty(), "wildcards match literally");
    assert_eq!(search(" ").await.len(), 2, "a blank query lists everything");
}

#[tokio::test]
async fn used_items_and_non_empty_categories_cannot_be_deleted() {
    let desk = Desk::from_env();
    let org = org_with_access_item(&desk, "catalog-delete").await;
    let response = submit(
        &desk,
        &org.slug,
        &catalog_request(
            "access-request",
            json!({
                "system": "vpn", "impact": "low", "urgency": "low"
            }),
        ),
    )
    .await;
    expect_status(response, StatusCode::CREATED).await;
    let del = |path: &'static str| desk.send(Method::DELETE, path, &org.admin, None);
    expect_status(
        del("/api/v1/admin/catalog/items/access-request").await,
        StatusCode::CONFLICT,
    )
    .await;
    expect_status(
        del("/api/v1/admin/catalog/categories/it-access").await,
        StatusCode::CONFLICT,
    )
    .await;
    expect_status(
        desk.send(
            Method::POST,
            "/api/v1/admin/catalog/items",
            &org.admin,
            Some(json!({
                "slug": "unused", "category": "it", "name": {"en": "Unused"}, "form": {"fields": []}
            })),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        del("/api/v1/admin/catalog/items/unused").await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        del("/api/v1/admin/catalog/items/unused").await.status(),
        StatusCode::NOT_FOUND
    );
}
