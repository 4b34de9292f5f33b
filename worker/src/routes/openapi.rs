//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of this API (`worker/openapi.json`,
//! written by `cargo xtask openapi` from its template and core's wire types).

use worker::{Request, Response};

use crate::error::ApiError;

/// The document, compiled in: it describes this build's routes, so it ships with them.
const DOCUMENT: &str = include_str!("../../openapi.json");

/// The same for every caller until the next deployment: shared caches may keep it a while,
/// and revalidate with the ETag after that.
const CACHE_CONTROL: &str = "public, max-age=300";

/// FNV-1a of the document, computed at compile time: an ETag that changes with the document,
/// at no cost per request (it names a version; it is not a security check).
const DOCUMENT_HASH: u64 = fnv1a(DOCUMENT.as_bytes());

const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

fn etag() -> String {
    format!("\"{DOCUMENT_HASH:016x}\"")
}

/// Whether an `If-None-Match` value names the current document (`*`, a list, weak or strong).
fn still_fresh(if_none_match: &str, current: &str) -> bool {
    if_none_match
        .split(',')
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == current)
}

/// The document, or `304` when the caller's copy is current. Needs neither configuration nor
/// D1, like the health check.
pub fn get(req: &Request) -> Result<Response, ApiError> {
    let etag = etag();
    let fresh = req
        .headers()
        .get("if-none-match")?
        .is_some_and(|value| still_fresh(&value, &etag));
    let mut response = if fresh {
        Response::empty()?.with_status(304)
    } else {
        Response::ok(DOCUMENT)?
    };
    let headers = response.headers_mut();
    headers.set("content-type", "application/json")?;
    headers.set("cache-control", CACHE_CONTROL)?;
    headers.set("etag", &etag)?;
    // API explorers on other origins may read it: it holds nothing private.
    headers.set("access-control-allow-origin", "*")?;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use edgedesk_core::api::{
        BootstrapInput, CalendarView, ClockView, CommentInput, CommentView, CreatedRequest,
        CreatedToken, CreatedWebhook, EventView, Health, OrgPublic, Page, PageMeta, PolicyView,
        Problem, Promise, ReplyAuthor, ReplyInput, RequestView, Role, SubmittedForm, TicketPatch,
        TicketView, TimelineEntry, TimelineReply, TimelineStatusChange, TokenInput, TokenView,
        WebhookInput, WebhookView,
    };
    use edgedesk_core::catalog::{
        CatalogView, CategoryInput, CategoryView, FormVersionView, ItemInput, ItemPatch,
        ItemSummary, ItemView,
    };
    use edgedesk_core::form::{
        ChoiceOption, Condition, FieldInput, FormSchemaInput, LocalizedText,
    };
    use edgedesk_core::group::{GroupInput, GroupMember, GroupView};
    use edgedesk_core::people::{
        CreatedLink, Credential, InvitationStatus, InvitationView, LinkSignIn, Me, NewPersonInput,
        PersonPatch, PersonView, SessionView, SignInMethod, SignedIn,
    };
    use edgedesk_core::priority::{Priority, PriorityMatrix};
    use edgedesk_core::sla::{
        CalendarInput, Conditions, ConditionsInput, Escalation, EscalationInput, HolidayInput,
        HoursInput, Metric, MetricTargets, PolicyInput, SlaPolicy, Target, TargetInput, Trigger,
        WEEKDAYS, WarningInput, WarningLead,
    };
    use edgedesk_core::{
        Channel, FieldError, FieldErrorCode, Locale, NewRequestInput, TicketStatus,
        ValidationErrors,
    };
    use serde::Serialize;
    use serde_json::{Value, json};

    use super::*;
    use crate::routes::{ROUTES, template_parameters};

    const HTTP_METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];

    fn document() -> Value {
        serde_json::from_str(DOCUMENT).expect("worker/openapi.json is JSON")
    }

    /// What a `$ref` points at (the document uses local references only).
    fn resolve_ref<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference
                    .strip_prefix('#')
                    .unwrap_or_else(|| panic!("non-local $ref {reference}"));
                let target = doc
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("unresolved $ref {reference}"));
                resolve_ref(doc, target)
            }
            None => value,
        }
    }

    /// `(template, METHOD, operation)` for every operation of the document.
    fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
        let paths = doc["paths"].as_object().expect("paths");
        let mut found = Vec::new();
        for (template, item) in paths {
            for (key, operation) in item.as_object().expect("path item") {
                if HTTP_METHODS.contains(&key.as_str()) {
                    found.push((template.clone(), key.to_uppercase(), operation));
                }
            }
        }
        found
    }

    #[test]
    fn the_document_is_openapi_3_1_of_this_version() {
        let doc = document();
        assert!(
            doc["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3.1."))
        );
        assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn the_document_describes_exactly_the_routes_the_worker_serves() {
        let doc = document();
        let documented: BTreeSet<(String, String)> = operations(&doc)
            .into_iter()
            .map(|(template, method, _)| (template, method))
            .collect();
        // The test clock exists only in test deployments, so the document leaves it out.
        let served: BTreeSet<(String, String)> = ROUTES
            .iter()
            .filter(|route| !route.test_only)
            .flat_map(|route| {
                route
                    .methods
                    .iter()
                    .map(|method| (route.template.to_owned(), (*method).to_owned()))
            })
            .collect();
        let undocumented: Vec<_> = served.difference(&documented).collect();
        let unserved: Vec<_> = documented.difference(&served).collect();
        assert!(
            undocumented.is_empty() && unserved.is_empty(),
            "served but not documented: {undocumented:?}\ndocumented but not served: {unserved:?}"
        );
    }

    #[test]
    fn every_reference_resolves() {
        fn walk(doc: &Value, value: &Value, count: &mut usize) {
            match value {
                Value::Object(map) => {
                    if map.contains_key("$ref") {
                        resolve_ref(doc, value);
                        *count += 1;
                    }
                    map.values().for_each(|v| walk(doc, v, count));
                }
                Value::Array(items) => items.iter().for_each(|v| walk(doc, v, count)),
                _ => {}
            }
        }
        let doc = document();
        let mut count = 0;
        walk(&doc, &doc, &mut count);
        assert!(count > 100, "only {count} references: is the walk broken?");
    }

    #[test]
    fn every_component_is_used() {
        let doc = document();
        for (kind, components) in doc["components"].as_object().expect("components") {
            if kind == "securitySchemes" {
                continue;
            }
            for name in components.as_object().expect("component map").keys() {
                let reference = format!("\"#/components/{kind}/{name}\"");
                assert!(DOCUMENT.contains(&reference), "unused: {reference}");
            }
        }
    }

    #[test]
    fn path_parameters_are_exactly_those_of_the_template() {
        let doc = document();
        for (template, method, operation) in operations(&doc) {
            let path_level = doc["paths"][&template]["parameters"].as_array();
            let declared: Vec<&Value> = path_level
                .into_iter()
                .chain(operation["parameters"].as_array())
                .flatten()
                .map(|p| resolve_ref(&doc, p))
                .filter(|p| p["in"] == "path")
                .collect();
            for parameter in &declared {
                assert_eq!(
                    parameter["required"], true,
                    "{method} {template}: {parameter}"
                );
            }
            let names: BTreeSet<&str> =
                declared.iter().filter_map(|p| p["name"].as_str()).collect();
            let expected: BTreeSet<&str> = template_parameters(&template).collect();
            assert_eq!(names, expected, "{method} {template}");
        }
    }

    #[test]
    fn operations_are_named_once_and_their_errors_are_problems() {
        let doc = document();
        let mut ids = BTreeSet::new();
        for (template, method, operation) in operations(&doc) {
            let at = format!("{method} {template}");
            let id = operation["operationId"].as_str().expect("operationId");
            assert!(ids.insert(id.to_owned()), "{at}: operationId {id} twice");
            let responses = operation["responses"].as_object().expect("responses");
            // A JSON body can fail to arrive or to parse: those answers must be documented.
            if operation.get("requestBody").is_some() {
                for status in ["400", "413", "415"] {
                    assert!(responses.contains_key(status), "{at}: no {status}");
                }
            }
            // Every API token is rate-limited, on reads as on writes.
            if operation.get("security").is_some() {
                for status in ["401", "429"] {
                    assert!(responses.contains_key(status), "{at}: no {status}");
                }
            }
            for (status, response) in responses {
                let content = resolve_ref(&doc, response)["content"].as_object();
                let media: Vec<&str> = content
                    .map(|c| c.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                match status.as_bytes().first() {
                    Some(b'4' | b'5') => {
                        assert_eq!(media, ["application/problem+json"], "{at} {status}");
                        let schema =
                            &content.expect("content")["application/problem+json"]["schema"];
                        assert_eq!(
                            schema["$ref"], "#/components/schemas/Problem",
                            "{at} {status}"
                        );
                    }
                    _ if status == "204" || status == "304" => {
                        assert!(media.is_empty(), "{at} {status} has a body");
                    }
                    Some(b'2') => assert_eq!(media, ["application/json"], "{at} {status}"),
                    _ => panic!("{at}: unexpected status {status}"),
                }
            }
        }
    }

    /// The document with its schemas made stricter for these tests: an object schema allows no
    /// property it does not declare (so a field added to a wire type fails until it is
    /// documented), and with `complete` it requires every property it declares (so a sample
    /// that leaves a documented field out, or a documented field the type no longer has, fails).
    fn strict(doc: &Value, complete: bool) -> Value {
        fn tighten(schema: &mut Value, complete: bool) {
            let Some(map) = schema.as_object_mut() else {
                return;
            };
            if let Some(Value::Object(properties)) = map.get_mut("properties") {
                properties
                    .values_mut()
                    .for_each(|property| tighten(property, complete));
                let names: Vec<Value> = properties.keys().cloned().map(Value::from).collect();
                map.entry("additionalProperties")
                    .or_insert(Value::Bool(false));
                if complete {
                    map.insert("required".to_owned(), Value::Array(names));
                }
            }
            for key in ["items", "additionalProperties"] {
                if let Some(inner) = map.get_mut(key) {
                    tighten(inner, complete);
                }
            }
            for key in ["anyOf", "oneOf", "allOf"] {
                if let Some(Value::Array(alternatives)) = map.get_mut(key) {
                    alternatives
                        .iter_mut()
                        .for_each(|alternative| tighten(alternative, complete));
                }
            }
        }
        let mut strict = doc.clone();
        let schemas = strict["components"]["schemas"]
            .as_object_mut()
            .expect("components.schemas");
        schemas
            .values_mut()
            .for_each(|schema| tighten(schema, complete));
        strict
    }

    /// Why `value` does not fit `schema` (a schema of the document, usually a `$ref` into it),
    /// one line per problem, as a JSON Schema 2020-12 validator finds them (formats included).
    fn violations(doc: &Value, schema: &Value, value: &Value, complete: bool) -> Vec<String> {
        // The document is the root resource, so `#/components/schemas/…` resolves in it.
        let mut root = strict(doc, complete);
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

    /// Fails unless `value` serialises to exactly what component `name` documents.
    fn assert_documented(doc: &Value, name: &str, value: &impl Serialize) {
        let json = serde_json::to_value(value).expect("serialises");
        let schema = json!({ "$ref": format!("#/components/schemas/{name}") });
        let found = violations(doc, &schema, &json, true);
        assert!(found.is_empty(), "{name}:\n{}\n{json:#}", found.join("\n"));
    }

    #[test]
    fn the_strict_checks_refuse_an_undocumented_or_a_missing_field() {
        let doc = document();
        let org = json!({ "slug": "demo", "name": "Demo", "default_locale": "en" });
        let schema = json!({ "$ref": "#/components/schemas/OrgPublic" });
        assert!(violations(&doc, &schema, &org, true).is_empty());
        let mut extra = org;
        extra["secret"] = json!("x");
        assert!(!violations(&doc, &schema, &extra, false).is_empty());
        let missing = json!({ "slug": "demo", "name": "Demo" });
        assert!(!violations(&doc, &schema, &missing, false).is_empty());
        let status = json!({ "$ref": "#/components/schemas/TicketStatus" });
        assert!(!violations(&doc, &status, &json!("lost"), false).is_empty());
        // Formats are checked too.
        let at = json!({ "$ref": "#/components/schemas/Timestamp" });
        assert!(violations(&doc, &at, &json!(AT), false).is_empty());
        assert!(!violations(&doc, &at, &json!("yesterday"), false).is_empty());
    }

    fn text(en: &str) -> LocalizedText {
        LocalizedText(BTreeMap::from([("en".to_owned(), en.to_owned())]))
    }

    const AT: &str = "2026-11-23T10:00:00.000Z";

    /// A form field with every optional part set, so every documented property is checked.
    fn full_form() -> FormSchemaInput {
        FormSchemaInput {
            fields: vec![FieldInput {
                key: "system".into(),
                kind: "select".into(),
                label: text("System"),
                help: text("Which one?"),
                required: true,
                min_length: Some(1),
                max_length: Some(40),
                pattern: Some("[a-z]+".into()),
                min: Some(0.0),
                max: Some(9.0),
                step: Some(1.0),
                options: vec![ChoiceOption {
                    value: "vpn".into(),
                    label: text("VPN"),
                }],
                default: Some(json!("vpn")),
                visible_when: Some(Condition {
                    field: "kind".into(),
                    equals: json!("access"),
                }),
            }],
        }
    }

    fn answers() -> BTreeMap<String, Value> {
        BTreeMap::from([("system".to_owned(), json!("vpn"))])
    }

    fn item_summary() -> ItemSummary {
        ItemSummary {
            slug: "laptop".into(),
            category: "it".into(),
            name: text("Laptop"),
            description: text("A new laptop"),
            icon: Some("laptop".into()),
            position: 1,
            active: true,
            default_priority: Some(Priority::High),
            default_group: Some("it-desk".into()),
            form_version: 2,
        }
    }

    fn ticket_view() -> TicketView {
        TicketView {
            id: "01JD0000000000000000000000".into(),
            reference: "DEMO-12".into(),
            status: TicketStatus::Open,
            priority: Priority::Normal,
            subject: "VPN does not connect".into(),
            description: "Timeout".into(),
            requester_name: "Zofia".into(),
            requester_email: "zofia@example.pl".into(),
            channel: Channel::Portal,
            catalog_item: Some("laptop".into()),
            form_version: Some(2),
            answers: answers(),
            assignee: Some("agent-1".into()),
            created_at: AT.into(),
            updated_at: AT.into(),
            first_response_at: Some(AT.into()),
            solved_at: Some(AT.into()),
            closed_at: Some(AT.into()),
            group: Some("it-desk".into()),
            tags: vec!["vip".into()],
            clocks: vec![ClockView {
                metric: Metric::Resolution,
                target: 480,
                business: true,
                due_at: Some(AT.into()),
                elapsed: 10,
                remaining: -5,
                paused: false,
                warned_at: Some(AT.into()),
                breached_at: Some(AT.into()),
                fulfilled_at: Some(AT.into()),
            }],
            origin: Some("https://shop.example".into()),
            context: [("customer_id".to_owned(), "C-42".to_owned())].into(),
        }
    }

    fn token_view() -> TokenView {
        TokenView {
            id: "01JD0000000000000000000001".into(),
            name: "CI".into(),
            role: Role::Agent,
            person: Some("01JD0000000000000000000002".into()),
            created_at: AT.into(),
            last_used_at: Some(AT.into()),
            revoked_at: Some(AT.into()),
        }
    }

    fn week() -> BTreeMap<String, Vec<HoursInput>> {
        WEEKDAYS
            .iter()
            .map(|day| {
                let hours = HoursInput {
                    start: "09:00".into(),
                    end: "17:00".into(),
                };
                ((*day).to_owned(), vec![hours])
            })
            .collect()
    }

    fn every_target() -> MetricTargets {
        let target = Some(Target {
            minutes: 60,
            business: true,
        });
        MetricTargets {
            first_response: target,
            next_response: target,
            resolution: target,
        }
    }

    fn webhook_view() -> WebhookView {
        WebhookView {
            id: "01JD0000000000000000000002".into(),
            url: "https://example.com/hook".into(),
            active: true,
            created_at: AT.into(),
            updated_at: AT.into(),
        }
    }

    #[test]
    fn requester_wire_types_match_their_schemas() {
        let doc = document();
        assert_documented(
            &doc,
            "Health",
            &Health {
                status: "ok".into(),
                version: "0.1.0".into(),
            },
        );
        let org = OrgPublic {
            slug: "demo".into(),
            name: "Demo".into(),
            default_locale: "en".into(),
        };
        assert_documented(&doc, "OrgPublic", &org);
        assert_documented(
            &doc,
            "NewRequestInput",
            &NewRequestInput {
                requester_name: "Zofia".into(),
                requester_email: "zofia@example.pl".into(),
                subject: "VPN".into(),
                description: "Timeout".into(),
                catalog_item: Some("laptop".into()),
                answers: answers(),
                widget: Some(edgedesk_core::widget::WidgetSubmission {
                    form_token: "1700000000000.ab".into(),
                    website: String::new(),
                    context: [("customer_id".to_owned(), "C-42".to_owned())].into(),
                }),
            },
        );
        assert_documented(
            &doc,
            "WidgetSettings",
            &edgedesk_core::widget::WidgetSettings {
                allowed_origins: vec![
                    edgedesk_core::widget::WebOrigin::parse("https://shop.example")
                        .expect("an origin"),
                ],
            },
        );
        assert_documented(
            &doc,
            "CreatedRequest",
            &CreatedRequest {
                id: "01JD0000000000000000000000".into(),
                reference: "DEMO-12".into(),
                status: TicketStatus::New,
                tracking_token: "t".repeat(43),
                created_at: AT.into(),
            },
        );
        assert_documented(
            &doc,
            "RequestView",
            &RequestView {
                id: "01JD0000000000000000000000".into(),
                reference: "DEMO-12".into(),
                org: "demo".into(),
                status: TicketStatus::Pending,
                subject: "VPN".into(),
                description: "Timeout".into(),
                requester_name: "Zofia".into(),
                requester_email: "zofia@example.pl".into(),
                channel: Channel::Widget,
                created_at: AT.into(),
                updated_at: AT.into(),
                catalog_item: Some(SubmittedForm {
                    slug: "laptop".into(),
                    name: text("Laptop"),
                    form_version: 2,
                    form: full_form(),
                    default_locale: "en".into(),
                }),
                answers: answers(),
                promises: vec![
                    Promise {
                        metric: Metric::FirstResponse,
                        due_at: Some(AT.into()),
                        on_track: true,
                    },
                    Promise {
                        metric: Metric::Resolution,
                        due_at: None,
                        on_track: false,
                    },
                ],
            },
        );
        assert_documented(
            &doc,
            "ReplyInput",
            &ReplyInput {
                body: "Thanks".into(),
            },
        );
        let comment = CommentView {
            id: "c1".into(),
            author_kind: "requester".into(),
            body: "Thanks".into(),
            public: true,
            created_at: AT.into(),
        };
        assert_documented(&doc, "CommentView", &comment);
        let reply = TimelineEntry::Reply(TimelineReply {
            id: "c1".into(),
            author: ReplyAuthor::Agent,
            body: "Try again now.".into(),
            created_at: AT.into(),
        });
        assert_documented(&doc, "TimelineEntry", &reply);
        let change = TimelineEntry::StatusChanged(TimelineStatusChange {
            id: "e1".into(),
            from: Some(TicketStatus::New),
            to: TicketStatus::Open,
            created_at: AT.into(),
        });
        assert_documented(&doc, "TimelineEntry", &change);
    }

    #[test]
    fn every_problem_matches_the_problem_schema() {
        let doc = document();
        let full = Problem {
            kind: "https://edgedesk.dev/problems/validation".into(),
            title: "Invalid".into(),
            status: 422,
            detail: Some("Fix the fields.".into()),
            errors: vec![FieldError::new(
                "subject",
                FieldErrorCode::TooLong,
                Some(200),
            )],
            request_id: Some("8f1b2c3d4e5f6a7b-AMS".into()),
        };
        assert_documented(&doc, "Problem", &full);
        let errors = ValidationErrors(vec![FieldError::new(
            "subject",
            FieldErrorCode::Required,
            None,
        )]);
        for error in [
            ApiError::MalformedBody("expected value".into()),
            ApiError::Unauthorized,
            ApiError::Forbidden,
            ApiError::NotFound,
            ApiError::MethodNotAllowed(&["GET"]),
            ApiError::Conflict("closed".into()),
            ApiError::PreconditionFailed,
            ApiError::PayloadTooLarge { limit: 1 },
            ApiError::UnsupportedMediaType,
            ApiError::PreconditionRequired,
            ApiError::Validation(errors),
            ApiError::internal("x"),
        ] {
            let problem = serde_json::to_value(error.problem(Locale::Pl)).expect("serialises");
            let found = violations(
                &doc,
                &json!({"$ref": "#/components/schemas/Problem"}),
                &problem,
                false,
            );
            assert!(found.is_empty(), "{error:?}: {found:?}");
        }
    }

    #[test]
    fn agent_wire_types_match_their_schemas() {
        let doc = document();
        assert_documented(&doc, "TicketView", &ticket_view());
        assert_documented(
            &doc,
            "TicketPage",
            &Page {
                data: vec![ticket_view()],
                meta: PageMeta {
                    has_more: true,
                    after_cursor: Some("c".into()),
                },
            },
        );
        let patch = TicketPatch {
            status: Some(TicketStatus::Solved),
            priority: Some(Priority::Urgent),
            assignee: Some(Some("01JD0000000000000000000001".into())),
            group: Some(Some("tier-2".into())),
            tags_add: vec!["vip".into()],
            tags_remove: vec!["late".into()],
        };
        assert_documented(&doc, "TicketPatch", &patch);
        let clearing = TicketPatch {
            assignee: Some(None),
            group: Some(None),
            ..TicketPatch::default()
        };
        assert_documented(&doc, "TicketPatch", &clearing);
        // The counts route fills in every status, so the schema must list each one.
        let counts: BTreeMap<&str, i64> =
            TicketStatus::ALL.iter().map(|s| (s.as_str(), 0)).collect();
        assert_documented(&doc, "StatusCounts", &counts);
        assert_documented(
            &doc,
            "CommentInput",
            &CommentInput {
                body: "Note".into(),
                public: false,
            },
        );
        assert_documented(
            &doc,
            "EventView",
            &EventView {
                id: "e1".into(),
                actor_kind: "agent".into(),
                actor_id: Some("01JD0000000000000000000001".into()),
                kind: "changed".into(),
                field: Some("status".into()),
                from_value: Some("new".into()),
                to_value: Some("open".into()),
                created_at: AT.into(),
            },
        );
    }

    fn person_view() -> PersonView {
        PersonView {
            id: "01JD0000000000000000000002".into(),
            name: "Ann".into(),
            email: "ann@acme.example".into(),
            role: Role::Admin,
            locale: "he".into(),
            time_zone: "Asia/Jerusalem".into(),
            languages: vec!["he".into(), "en".into()],
            capacity: 20,
            away: false,
            active: false,
            deactivated_at: Some(AT.into()),
            created_at: AT.into(),
            updated_at: AT.into(),
        }
    }

    #[test]
    fn people_wire_types_match_their_schemas() {
        let doc = document();
        assert_documented(&doc, "PersonView", &person_view());
        let patch = PersonPatch {
            name: Some("Ann".into()),
            email: Some("ann@acme.example".into()),
            role: Some(Role::Agent),
            locale: Some("pl".into()),
            time_zone: Some("Europe/Warsaw".into()),
            languages: Some(vec!["pl".into()]),
            capacity: Some(5),
            away: Some(true),
            active: Some(false),
        };
        assert_documented(&doc, "PersonPatch", &patch);
        let invitation = NewPersonInput {
            email: "eve@acme.example".into(),
            name: "Eve".into(),
            role: Some(Role::Agent),
        };
        assert_documented(&doc, "NewPersonInput", &invitation);
        for status in [
            InvitationStatus::Pending,
            InvitationStatus::Accepted,
            InvitationStatus::Revoked,
            InvitationStatus::Expired,
        ] {
            let view = InvitationView {
                id: "01JD0000000000000000000003".into(),
                email: "eve@acme.example".into(),
                name: "Eve".into(),
                role: Role::Agent,
                status,
                created_at: AT.into(),
                expires_at: AT.into(),
                person: (status == InvitationStatus::Accepted).then(|| "P".into()),
            };
            assert_documented(&doc, "InvitationView", &view);
        }
        let link = CreatedLink {
            id: "01JD0000000000000000000004".into(),
            url: "https://desk.example/agent/sign-in#edl_x".into(),
            expires_at: AT.into(),
        };
        assert_documented(&doc, "CreatedLink", &link);
        assert_documented(
            &doc,
            "LinkSignIn",
            &LinkSignIn {
                token: "edl_x".into(),
            },
        );
        for method in [
            SignInMethod::Link,
            SignInMethod::Passkey,
            SignInMethod::Invitation,
        ] {
            let session = SessionView {
                id: "S".into(),
                method,
                user_agent: "Mozilla/5.0".into(),
                created_at: AT.into(),
                seen_at: AT.into(),
                expires_at: AT.into(),
                current: true,
            };
            assert_documented(&doc, "SessionView", &session);
        }
        assert_documented(
            &doc,
            "SignedIn",
            &SignedIn {
                person: "P".into(),
                session: "S".into(),
            },
        );
        for (person, via) in [
            (Some(person_view()), Credential::Session),
            (None, Credential::Token),
        ] {
            let me = Me {
                person,
                role: Role::Agent,
                org: "acme".into(),
                via,
            };
            assert_documented(&doc, "Me", &me);
        }
    }

    #[test]
    fn admin_wire_types_match_their_schemas() {
        let doc = document();
        assert_documented(
            &doc,
            "TokenInput",
            &TokenInput {
                name: "CI".into(),
                role: Role::Admin,
                person: Some("01JD0000000000000000000002".into()),
            },
        );
        assert_documented(&doc, "TokenView", &token_view());
        let created = CreatedToken {
            token: token_view(),
            secret: "edk_secret".into(),
        };
        assert_documented(&doc, "CreatedToken", &created);
        let bootstrap = BootstrapInput {
            slug: "acme".into(),
            name: "Acme".into(),
            ref_prefix: "ACME".into(),
            admin_email: Some("ann@acme.example".into()),
            admin_name: Some("Ann".into()),
        };
        assert_documented(&doc, "BootstrapInput", &bootstrap);
        let org = OrgPublic {
            slug: "acme".into(),
            name: "Acme".into(),
            default_locale: "en".into(),
        };
        // The shape `admin::bootstrap` answers with.
        assert_documented(
            &doc,
            "Bootstrapped",
            &json!({ "org": org, "token": created }),
        );
        assert_documented(&doc, "PriorityMatrix", &PriorityMatrix::default());
        let input = WebhookInput {
            url: "https://example.com/hook".into(),
            secret: Some("s".repeat(16)),
            active: Some(true),
        };
        assert_documented(&doc, "WebhookInput", &input);
        assert_documented(&doc, "WebhookView", &webhook_view());
        let created = CreatedWebhook {
            webhook: webhook_view(),
            secret: "whsec_x".into(),
        };
        assert_documented(&doc, "CreatedWebhook", &created);
        let group = GroupInput {
            slug: "tier-2".into(),
            name: "Second line".into(),
            description: "Specialists.".into(),
            members: vec!["01JD0000000000000000000001".into()],
        };
        assert_documented(&doc, "GroupInput", &group);
        let view = GroupView {
            slug: group.slug,
            name: group.name,
            description: group.description,
            members: vec![GroupMember {
                id: "01JD0000000000000000000001".into(),
                name: "Ann".into(),
                role: Role::Agent,
                revoked: false,
            }],
            created_at: "2026-05-04T10:00:00.000Z".into(),
            updated_at: "2026-05-04T10:00:00.000Z".into(),
        };
        assert_documented(&doc, "GroupView", &view);
    }

    #[test]
    fn catalog_wire_types_match_their_schemas() {
        let doc = document();
        let category = CategoryInput {
            slug: "it".into(),
            name: text("IT"),
            description: text("Computers"),
            parent: Some("top".into()),
            position: 1,
            active: Some(true),
        };
        assert_documented(&doc, "CategoryInput", &category);
        let item = ItemInput {
            slug: "laptop".into(),
            category: "it".into(),
            name: text("Laptop"),
            description: text("A new laptop"),
            icon: Some("laptop".into()),
            position: 1,
            active: Some(true),
            default_priority: Some(Priority::Low),
            default_group: Some("it-desk".into()),
            form: full_form(),
        };
        assert_documented(&doc, "ItemInput", &item);
        let patch = ItemPatch {
            category: Some("it".into()),
            name: Some(text("Laptop")),
            description: Some(text("A new laptop")),
            icon: Some("laptop".into()),
            position: Some(2),
            active: Some(false),
            default_priority: Some(Priority::High),
            default_group: Some("it-desk".into()),
        };
        assert_documented(&doc, "ItemPatch", &patch);
        let category_view = CategoryView {
            slug: "it".into(),
            name: text("IT"),
            description: text("Computers"),
            parent: Some("top".into()),
            position: 1,
            active: true,
        };
        assert_documented(
            &doc,
            "CatalogView",
            &CatalogView {
                default_locale: "en".into(),
                categories: vec![category_view],
                items: vec![item_summary()],
            },
        );
        let item_view = ItemView {
            item: item_summary(),
            default_locale: "pl".into(),
            form: full_form(),
        };
        assert_documented(&doc, "ItemView", &item_view);
        assert_documented(&doc, "FormSchemaInput", &full_form());
        let version = FormVersionView {
            item: "laptop".into(),
            version: 2,
            form: full_form(),
            created_at: AT.into(),
        };
        assert_documented(&doc, "FormVersionView", &version);
    }

    #[test]
    fn sla_wire_types_match_their_schemas() {
        let doc = document();
        let holiday = HolidayInput {
            date: "2026-12-25".into(),
            yearly: true,
        };
        let calendar = CalendarInput {
            name: "Office".into(),
            time_zone: "Europe/Warsaw".into(),
            week: week(),
            holidays: vec![holiday.clone()],
        };
        assert_documented(&doc, "CalendarInput", &calendar);
        let view = CalendarView {
            id: "c1".into(),
            name: "Office".into(),
            time_zone: "Europe/Warsaw".into(),
            week: week(),
            holidays: vec![holiday],
            is_default: false,
            created_at: AT.into(),
            updated_at: AT.into(),
        };
        assert_documented(&doc, "CalendarView", &view);
        let target = TargetInput {
            minutes: 60,
            business: false,
        };
        let by_metric: BTreeMap<String, TargetInput> = Metric::ALL
            .iter()
            .map(|m| (m.as_str().to_owned(), target.clone()))
            .collect();
        let input = PolicyInput {
            name: "Standard".into(),
            position: 1,
            calendar_id: "c1".into(),
            conditions: ConditionsInput {
                priorities: vec!["high".into()],
                channels: vec!["portal".into()],
                tags: vec!["vip".into()],
                categories: vec!["it".into()],
            },
            targets: Priority::ALL
                .iter()
                .map(|p| (p.as_str().to_owned(), by_metric.clone()))
                .collect(),
            warning: Some(WarningInput {
                percent: Some(80),
                minutes: Some(15),
            }),
            pause_statuses: Some(vec!["pending".into()]),
            escalations: vec![EscalationInput {
                on: "breach".into(),
                metrics: vec!["resolution".into()],
                raise_priority: true,
                group: Some("tier-2".into()),
                add_tag: Some("breached".into()),
                notify: true,
            }],
        };
        assert_documented(&doc, "PolicyInput", &input);
        for warning in [WarningLead::Percent(80), WarningLead::Minutes(15)] {
            let policy = PolicyView {
                id: "p1".into(),
                policy: SlaPolicy {
                    name: "Standard".into(),
                    position: 1,
                    calendar_id: "c1".into(),
                    conditions: Conditions {
                        priorities: vec![Priority::High],
                        channels: vec![Channel::Api],
                        tags: vec!["vip".into()],
                        categories: vec!["it".into()],
                    },
                    targets: Priority::ALL.iter().map(|p| (*p, every_target())).collect(),
                    warning,
                    pause_statuses: vec![TicketStatus::Pending, TicketStatus::OnHold],
                    escalations: vec![Escalation {
                        on: Trigger::Warning,
                        metrics: vec![Metric::FirstResponse],
                        raise_priority: true,
                        group: Some("tier-2".into()),
                        add_tag: Some("warned".into()),
                        notify: true,
                    }],
                },
                created_at: AT.into(),
                updated_at: AT.into(),
            };
            assert_documented(&doc, "PolicyView", &policy);
        }
    }

    /// Each documented enum value parses as the core type, and (where core lists them all)
    /// each value of the core type is documented.
    #[test]
    fn enums_match_the_core_vocabulary() {
        fn names<T: Serialize>(values: &[T]) -> BTreeSet<String> {
            values
                .iter()
                .map(|v| {
                    serde_json::to_value(v)
                        .expect("serialises")
                        .as_str()
                        .expect("a name")
                        .to_owned()
                })
                .collect()
        }
        /// The names an enum schema allows: its `enum`, or (where some values have their own
        /// description) the `enum`s and `const`s of its `oneOf` alternatives.
        fn documented(doc: &Value, name: &str) -> BTreeSet<String> {
            let schema = &doc["components"]["schemas"][name];
            let alternatives = match schema["oneOf"].as_array() {
                Some(several) => several.iter().collect(),
                None => vec![schema],
            };
            let names: BTreeSet<String> = alternatives
                .into_iter()
                .flat_map(|a| {
                    let listed = a["enum"].as_array().into_iter().flatten();
                    listed.chain(a.get("const"))
                })
                .map(|v| v.as_str().expect("a name").to_owned())
                .collect();
            assert!(!names.is_empty(), "{name} has no enum");
            names
        }
        let doc = document();
        assert_eq!(documented(&doc, "TicketStatus"), names(&TicketStatus::ALL));
        assert_eq!(documented(&doc, "Priority"), names(&Priority::ALL));
        assert_eq!(documented(&doc, "Channel"), names(&Channel::ALL));
        assert_eq!(documented(&doc, "Metric"), names(&Metric::ALL));
        assert_eq!(documented(&doc, "Role"), names(&[Role::Agent, Role::Admin]));
        assert_eq!(
            documented(&doc, "Trigger"),
            names(&[Trigger::Warning, Trigger::Breach])
        );
        let authors = [ReplyAuthor::Agent, ReplyAuthor::Requester];
        assert_eq!(documented(&doc, "ReplyAuthor"), names(&authors));
        // Core has no list of every error code: check that each documented one is real.
        for code in documented(&doc, "FieldErrorCode") {
            let parsed: Result<FieldErrorCode, _> = serde_json::from_value(json!(code));
            assert!(parsed.is_ok(), "{code} is not a FieldErrorCode");
        }
    }

    #[test]
    fn the_etag_matches_itself_and_nothing_else() {
        let current = etag();
        assert!(still_fresh(&current, &current));
        assert!(still_fresh(&format!("W/{current}, \"other\""), &current));
        assert!(still_fresh("*", &current));
        assert!(!still_fresh("\"0000000000000000\"", &current));
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
    }
}
