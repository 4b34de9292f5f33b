//! The hand readers agree with serde's derived ones, on the worker's output and on the edges
//! (absent defaults, nulls, unknown fields, wrong types).

use std::fmt::Debug;

use edgedesk_core::api::{
    CreatedRequest, OrgPublic, Problem, Promise, RequestView, SubmittedForm, TimelineEntry,
    TimelineReply, TimelineStatusChange,
};
use edgedesk_core::catalog::{CatalogView, CategoryView, ItemSummary};
use edgedesk_core::form::{ChoiceOption, Condition, FieldInput, FormSchemaInput, LocalizedText};
use edgedesk_core::widget::WidgetSubmission;
use edgedesk_core::{FieldError, FieldErrorCode, NewRequestInput, TicketStatus};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::Wire;

/// Both readers take `value` to the same result, or both refuse it.
fn agree<T: Wire + DeserializeOwned + PartialEq + Debug>(value: &Value) -> Option<T> {
    let by_serde = serde_json::from_value::<T>(value.clone()).ok();
    let by_hand = T::read(value);
    assert_eq!(by_hand, by_serde, "{value}");
    by_hand
}

/// What the worker writes for `value`, read back both ways: all of it, unchanged.
fn round_trip<T: Wire + Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) {
    let json = serde_json::to_value(value).expect("serialises");
    assert_eq!(agree::<T>(&json).as_ref(), Some(value));
}

fn text(en: &str) -> LocalizedText {
    LocalizedText([("en".to_owned(), en.to_owned())].into())
}

fn field() -> FieldInput {
    FieldInput {
        key: "laptop".to_owned(),
        kind: "select".to_owned(),
        label: text("Laptop"),
        help: text("Pick one"),
        required: true,
        min_length: Some(2),
        max_length: Some(40),
        pattern: Some("[a-z]+".to_owned()),
        min: Some(1.5),
        max: Some(10.0),
        step: Some(0.5),
        options: vec![ChoiceOption {
            value: "mac".to_owned(),
            label: text("Mac"),
        }],
        default: Some(json!("mac")),
        visible_when: Some(Condition {
            field: "kind".to_owned(),
            equals: json!(["a", 1, null]),
        }),
    }
}

#[test]
fn the_workers_answers_read_back_whole() {
    round_trip(&OrgPublic {
        slug: "acme".to_owned(),
        name: "Acme".to_owned(),
        default_locale: "he".to_owned(),
    });
    round_trip(&CreatedRequest {
        id: "r1".to_owned(),
        reference: "ACME-1".to_owned(),
        status: TicketStatus::New,
        tracking_token: "tok".to_owned(),
        created_at: "2026-01-01T00:00:00Z".to_owned(),
    });
    round_trip(&Problem {
        kind: "about:blank".to_owned(),
        title: "Invalid".to_owned(),
        status: 422,
        detail: Some("see errors".to_owned()),
        errors: vec![
            FieldError::new("subject", FieldErrorCode::TooLong, Some(200)),
            FieldError::new("x", FieldErrorCode::Required, None),
        ],
        request_id: Some("8f1b2c3d4e5f6a7b-AMS".to_owned()),
    });
    let form = FormSchemaInput {
        fields: vec![field(), FieldInput::default()],
    };
    round_trip(&form);
    round_trip(&RequestView {
        id: "r1".to_owned(),
        reference: "ACME-1".to_owned(),
        org: "acme".to_owned(),
        status: TicketStatus::OnHold,
        subject: "Hi".to_owned(),
        description: "Body".to_owned(),
        requester_name: "Ada".to_owned(),
        requester_email: "ada@example.com".to_owned(),
        channel: edgedesk_core::Channel::Widget,
        created_at: "2026-01-01T00:00:00Z".to_owned(),
        updated_at: "2026-01-02T00:00:00Z".to_owned(),
        catalog_item: Some(SubmittedForm {
            slug: "laptop".to_owned(),
            name: text("Laptop"),
            form_version: 3,
            form,
            default_locale: "en".to_owned(),
        }),
        answers: [
            ("laptop".to_owned(), json!("mac")),
            ("n".to_owned(), json!(2.5)),
        ]
        .into(),
        promises: vec![
            Promise {
                metric: edgedesk_core::sla::Metric::Resolution,
                due_at: Some("2026-01-03T00:00:00Z".to_owned()),
                on_track: false,
            },
            Promise {
                metric: edgedesk_core::sla::Metric::FirstResponse,
                due_at: None,
                on_track: true,
            },
        ],
    });
    round_trip(&vec![
        TimelineEntry::StatusChanged(TimelineStatusChange {
            id: "e1".to_owned(),
            from: None,
            to: TicketStatus::New,
            created_at: "t".to_owned(),
        }),
        TimelineEntry::Reply(TimelineReply {
            id: "e2".to_owned(),
            author: edgedesk_core::api::ReplyAuthor::Agent,
            body: "Hello".to_owned(),
            created_at: "t".to_owned(),
        }),
        TimelineEntry::StatusChanged(TimelineStatusChange {
            id: "e3".to_owned(),
            from: Some(TicketStatus::New),
            to: TicketStatus::Closed,
            created_at: "t".to_owned(),
        }),
    ]);
    round_trip(&CatalogView {
        default_locale: "pl".to_owned(),
        categories: vec![CategoryView {
            slug: "hw".to_owned(),
            name: text("Hardware"),
            description: text("Things"),
            parent: Some("it".to_owned()),
            position: -3,
            active: false,
        }],
        items: vec![ItemSummary {
            slug: "laptop".to_owned(),
            category: "hw".to_owned(),
            name: text("Laptop"),
            description: LocalizedText::default(),
            icon: Some("💻".to_owned()),
            position: 7,
            active: true,
            default_priority: Some(edgedesk_core::priority::Priority::High),
            default_group: Some("desk".to_owned()),
            form_version: 2,
        }],
    });
    round_trip(&NewRequestInput {
        requester_name: "Ada".to_owned(),
        requester_email: "ada@example.com".to_owned(),
        subject: "S".to_owned(),
        description: "D".to_owned(),
        catalog_item: Some("laptop".to_owned()),
        answers: [("a".to_owned(), json!([true, {"x": 1}]))].into(),
        widget: Some(WidgetSubmission {
            form_token: "t".to_owned(),
            website: String::new(),
            context: [("customer".to_owned(), "C-42".to_owned())].into(),
        }),
    });
}

#[test]
fn defaults_nulls_and_absent_fields_read_alike() {
    for value in [
        json!({"type": "t", "title": "T", "status": 500}),
        json!({"type": "t", "title": "T", "status": 500, "detail": null}),
        json!({"type": "t", "title": "T", "status": 500, "errors": null}),
        json!({"type": "t", "title": "T", "status": 70000}),
        json!({"type": "t", "title": "T", "status": -1}),
        json!({"type": "t", "title": "T", "status": 4.5}),
        json!({"type": "t", "title": "T"}),
        json!({"type": "t", "title": "T", "status": 409, "extra": [1]}),
        json!({"type": "t", "title": 5, "status": 409}),
        json!({"type": "t", "title": "T", "status": 422,
               "errors": [{"field": "f", "code": "no_such_code", "message": "m"}]}),
        json!({"type": "t", "title": "T", "status": 422,
               "errors": [{"field": "f", "code": "too_long", "message": "m", "limit": null}]}),
        json!([]),
        json!("text"),
        json!(null),
    ] {
        agree::<Problem>(&value);
    }
    for value in [
        json!({}),
        json!({"key": "k", "type": "text", "default": null, "visible_when": null}),
        json!({"key": "k", "min": 1, "max": -2, "step": null, "min_length": null}),
        json!({"key": "k", "min_length": -1}),
        json!({"key": "k", "label": null}),
        json!({"key": "k", "label": {"en": 5}}),
        json!({"key": "k", "required": null}),
        json!({"key": "k", "surprise": true}),
        json!({"key": "k", "options": [{"value": "v"}, {}]}),
        json!({"key": "k", "options": [{"value": "v", "other": 1}]}),
        json!({"key": "k", "visible_when": {"field": "f"}}),
        json!({"key": "k", "visible_when": {"field": "f", "equals": null}}),
        json!({"key": "k", "visible_when": {"field": "f", "equals": 1, "and": 2}}),
    ] {
        agree::<FieldInput>(&value);
    }
    for value in [
        json!({}),
        json!({"fields": null}),
        json!({"fields": [], "x": 1}),
    ] {
        agree::<FormSchemaInput>(&value);
    }
    let request = json!({
        "id": "r", "reference": "R-1", "org": "o", "status": "open", "subject": "s",
        "description": "", "requester_name": "n", "requester_email": "e", "channel": "portal",
        "created_at": "c", "updated_at": "u"
    });
    agree::<RequestView>(&request).expect("a minimal request view reads");
    for (key, value) in [
        ("catalog_item", json!(null)),
        ("answers", json!(null)),
        ("answers", json!({"a": null})),
        ("promises", json!(null)),
        (
            "promises",
            json!([{"metric": "resolution", "on_track": true}]),
        ),
        (
            "promises",
            json!([{"metric": "resolution", "due_at": null, "on_track": 1}]),
        ),
        ("status", json!("lost")),
        ("channel", json!(null)),
        ("unknown", json!(1)),
    ] {
        let mut changed = request.clone();
        changed[key] = value;
        agree::<RequestView>(&changed);
    }
    for value in [
        json!([]),
        json!([{}]),
        json!([{"reply": {"id": "i", "author": "requester", "body": "b", "created_at": "c"}}]),
        json!([{"reply": {"id": "i", "author": "robot", "body": "b", "created_at": "c"}}]),
        json!([{"status_changed": {"id": "i", "to": "open", "created_at": "c"}}]),
        json!([{"status_changed": {"id": "i", "from": null, "to": "open", "created_at": "c"}}]),
        json!([{"status_changed": {"id": "i", "to": "open", "created_at": "c"}, "reply": {}}]),
        json!([{"other": {}}]),
        json!(["reply"]),
    ] {
        agree::<Vec<TimelineEntry>>(&value);
    }
    let catalog = json!({
        "default_locale": "en",
        "categories": [{"slug": "c", "name": {"en": "C"}, "position": 1}],
        "items": [{"slug": "i", "category": "c", "name": {}, "position": 2, "form_version": 1}]
    });
    agree::<CatalogView>(&catalog).expect("a minimal catalog reads");
    for (pointer, value) in [
        ("/categories/0/active", json!(null)),
        ("/categories/0/position", json!(3_000_000_000_u64)),
        ("/categories/0/parent", json!(null)),
        ("/items/0/default_priority", json!("urgent")),
        ("/items/0/default_priority", json!("high")),
        ("/items/0/form_version", json!(-1)),
        ("/items/0/description", json!(null)),
    ] {
        let mut changed = catalog.clone();
        let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
        changed.pointer_mut(parent).expect("exists")[key] = value;
        agree::<CatalogView>(&changed);
    }
    for value in [
        json!({}),
        json!({"widget": null, "catalog_item": null}),
        json!({"widget": {}}),
        json!({"widget": {"context": {"a": 1}}}),
        json!({"widget": {"spam": ""}}),
        json!({"subject": null}),
        json!({"answers": []}),
        json!({"draft": true}),
    ] {
        agree::<NewRequestInput>(&value);
    }
    for value in [
        json!({"slug": "s", "name": "n", "default_locale": "en"}),
        json!({"slug": "s", "name": "n"}),
    ] {
        agree::<OrgPublic>(&value);
    }
}

mod properties {
    //! The same on generated values of every type, and on their JSON with fields added,
    //! removed, made `null`, given other types or renamed (core's `wire::testing`).

    use edgedesk_core::api::TimelineEntry;
    use edgedesk_core::wire::testing::{
        agree, edits, reads_back_and_agrees_after as check, strategies as s,
    };
    use proptest::prelude::*;
    use serde_json::json;

    use super::super::Wire;

    proptest! {
        #[test]
        fn created_requests_read_like_serde(value in s::created_request(), edits in edits()) {
            check(Wire::read, &value, &edits);
        }

        #[test]
        fn problems_read_like_serde(value in s::problem(), edits in edits()) {
            check(Wire::read, &value, &edits);
        }

        #[test]
        fn field_errors_read_like_serde(value in s::field_error(), edits in edits()) {
            check(Wire::read, &value, &edits);
        }

        #[test]
        fn submitted_forms_read_like_serde(value in s::submitted_form(), edits in edits()) {
            check(Wire::read, &value, &edits);
        }

        #[test]
        fn promises_read_like_serde(value in s::promise(), edits in edits()) {
            check(Wire::read, &value, &edits);
        }

        #[test]
        fn request_views_read_like_serde(value in s::request_view(), edits in edits()) {
            check(Wire::read, &value, &edits);
        }

        #[test]
        fn timelines_read_like_serde(
            value in prop::collection::vec(s::timeline_entry(), 0..4),
            edits in edits(),
        ) {
            check(Wire::read, &value, &edits);
        }

        #[test]
        fn catalogs_read_like_serde(value in s::catalog_view(), edits in edits()) {
            check(Wire::read, &value, &edits);
        }

        #[test]
        fn categories_and_items_read_like_serde(
            category in s::category_view(),
            item in s::item_summary(),
            edits in edits(),
        ) {
            check(Wire::read, &category, &edits);
            check(Wire::read, &item, &edits);
        }

        #[test]
        fn organisations_forms_and_drafts_read_like_serde(
            org in s::org_public(),
            form in s::form_schema_input(),
            draft in s::new_request_input(),
            edits in edits(),
        ) {
            check(Wire::read, &org, &edits);
            check(Wire::read, &form, &edits);
            check(Wire::read, &draft, &edits);
        }
    }

    /// `type` (Rust `kind`), snake_case variants and the timeline's tags are the names read.
    #[test]
    fn renamed_fields_and_variants_are_read_under_the_names_serde_writes() {
        let problem = json!({"type": "t", "title": "T", "status": 404});
        assert!(agree(<edgedesk_core::api::Problem as Wire>::read, &problem).is_some());
        let rust_name = json!({"kind": "t", "title": "T", "status": 404});
        assert_eq!(
            agree(<edgedesk_core::api::Problem as Wire>::read, &rust_name),
            None
        );
        let change = json!({"id": "i", "to": "on_hold", "created_at": "c"});
        for (tag, to, reads) in [
            ("status_changed", "on_hold", true),
            ("StatusChanged", "on_hold", false),
            ("status_changed", "OnHold", false),
        ] {
            let mut body = change.clone();
            body["to"] = json!(to);
            let entry = json!({ tag: body });
            assert_eq!(
                agree(<TimelineEntry as Wire>::read, &entry).is_some(),
                reads,
                "{entry}"
            );
        }
        // A unit variant as `{"name": null}` is serde's alone (documented in `wire`).
        let map_form = json!({"id": "i", "to": {"open": null}, "created_at": "c"});
        assert_eq!(
            agree(
                <TimelineEntry as Wire>::read,
                &json!({"status_changed": map_form})
            ),
            None
        );
    }
}
