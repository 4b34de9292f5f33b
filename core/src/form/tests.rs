use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::validation::FieldErrorCode as Code;

fn schema(value: Value) -> Result<FormSchema, crate::ValidationErrors> {
    let input: FormSchemaInput = serde_json::from_value(value).expect("schema json shape");
    FormSchema::parse(&input)
}

/// An access request: the "details" field only shows for the "other" system.
fn access_form() -> FormSchema {
    schema(json!({"fields": [
        {"key": "system", "type": "select", "label": {"en": "System", "pl": "System"}, "required": true,
         "options": [{"value": "vpn", "label": {"en": "VPN"}}, {"value": "other", "label": {"en": "Other"}}]},
        {"key": "details", "type": "text", "label": {"en": "Which system?"}, "required": true,
         "min_length": 3, "visible_when": {"field": "system", "equals": "other"}},
        {"key": "seats", "type": "number", "label": {"en": "Seats"}, "min": 1, "max": 50, "step": 1},
        {"key": "start", "type": "date", "label": {"en": "From"}},
        {"key": "phone", "type": "phone", "label": {"en": "Phone"}},
        {"key": "impact", "type": "impact", "label": {"en": "Impact"}},
        {"key": "agree", "type": "checkbox", "label": {"en": "I agree"}, "required": true},
        {"key": "tags", "type": "multiselect", "label": {"en": "Tags"},
         "options": [{"value": "a", "label": {"en": "A"}}, {"value": "b", "label": {"en": "B"}}]}
    ]}))
    .expect("valid schema")
}

fn answers(value: Value) -> Answers {
    serde_json::from_value(value).expect("answers")
}

fn codes(errors: &crate::ValidationErrors) -> Vec<(&str, Code)> {
    errors
        .0
        .iter()
        .map(|e| (e.field.as_str(), e.code))
        .collect()
}

#[test]
fn conditional_field_is_required_only_when_shown() {
    let form = access_form();
    let hidden = form
        .validate(&answers(
            json!({"system": "vpn", "agree": true, "details": 42}),
        ))
        .expect("hidden details ignored");
    assert!(
        !hidden.contains_key("details"),
        "hidden answers are not stored"
    );
    assert_eq!(
        form.visible_keys(&answers(json!({"system": "vpn"}))),
        [
            "system", "seats", "start", "phone", "impact", "agree", "tags"
        ]
    );

    let shown = form
        .validate(&answers(json!({"system": "other", "agree": true})))
        .expect_err("details missing");
    assert_eq!(codes(&shown), [("details", Code::Required)]);
    let ok = form
        .validate(&answers(
            json!({"system": "other", "agree": true, "details": "  SAP  "}),
        ))
        .expect("ok");
    assert_eq!(ok["details"], "SAP");
}

#[test]
fn answers_are_checked_and_normalised_by_type() {
    let form = access_form();
    let bad = form
        .validate(&answers(json!({
            "system": "mainframe", "seats": 2.5, "start": "31.12.2026", "phone": "call me",
            "impact": "extreme", "agree": false, "tags": ["a", "z"], "nope": 1
        })))
        .expect_err("all wrong");
    assert_eq!(
        codes(&bad),
        [
            ("nope", Code::UnknownField),
            ("system", Code::NotAnOption),
            ("seats", Code::StepMismatch),
            ("start", Code::InvalidDate),
            ("phone", Code::InvalidPhone),
            ("impact", Code::NotAnOption),
            ("agree", Code::Required),
            ("tags", Code::NotAnOption),
        ]
    );
    let good = form
        .validate(&answers(json!({
            "system": "vpn", "seats": "3", "start": "2026-12-31", "phone": "+48 601-234-567",
            "impact": "high", "agree": true, "tags": ["b", "a", "b"]
        })))
        .expect("all right");
    assert_eq!(good["seats"], json!(3.0));
    assert_eq!(good["tags"], json!(["b", "a"]));
    assert_eq!(
        form.check_field("seats", &answers(json!({"seats": 99})))
            .map(|e| e.code),
        Some(Code::AboveMaximum)
    );
}

#[test]
fn dates_and_wall_times_are_checked_on_the_calendar() {
    let form = schema(json!({"fields": [
        {"key": "day", "type": "date", "label": {"en": "Day"}},
        {"key": "at", "type": "datetime", "label": {"en": "At"}}
    ]}))
    .expect("valid schema");
    for at in [
        "2026-12-31T14:30",
        "2026-12-31T14:30:05",
        "2028-02-29T00:00",
        "2026-12-31T14:30:00+02:00",
        "2026-12-31T12:30:00Z",
    ] {
        let ok = form.validate(&answers(json!({"day": "2026-02-28", "at": at})));
        assert!(ok.is_ok(), "{at}: {ok:?}");
    }
    for (day, at) in [
        ("2026-02-30", "2026-12-31T14:30"),
        ("2026-12-31", "2026-13-01T10:00"),
        ("2026-12-31", "2026-12-31 14:30"),
        ("2026-12-31", "2026-12-31T25:00"),
        ("2026-12-31", "2027-02-29T10:00"),
        ("2026-12-31", "2026-12-31T14"),
    ] {
        let errors = form
            .validate(&answers(json!({"day": day, "at": at})))
            .expect_err(at);
        assert!(!errors.0.is_empty(), "{day} {at}");
    }
    let kept = form
        .validate(&answers(json!({"day": " 2026-01-05 "})))
        .expect("valid day");
    assert_eq!(kept["day"], "2026-01-05");
}

#[test]
fn broken_schemas_are_rejected_with_the_path_of_each_problem() {
    let errors = schema(json!({"fields": [
        {"key": "a", "type": "select", "label": {"en": "A"}, "options": []},
        {"key": "a", "type": "text", "label": {"en": "Dup"}},
        {"key": "b", "type": "hologram", "label": {"en": "B"}},
        {"key": "c", "type": "text", "label": {"en": "C"}, "visible_when": {"field": "zzz", "equals": "x"}},
        {"key": "Bad Key", "type": "text", "label": {}},
        {"key": "d", "type": "text", "label": {"en": "D"}, "pattern": "(unclosed", "min_length": 5, "max_length": 2},
        {"key": "e", "type": "number", "label": {"en": "E"}, "min": 10, "max": 1, "default": "x"}
    ]}))
    .expect_err("broken");
    assert_eq!(
        codes(&errors),
        [
            ("fields[0].options", Code::NoOptions),
            ("fields[1].key", Code::DuplicateKey),
            ("fields[2].type", Code::UnknownFieldType),
            ("fields[3].visible_when.field", Code::MissingConditionField),
            ("fields[4].key", Code::InvalidKey),
            ("fields[4].label", Code::Required),
            ("fields[5].min_length", Code::InvalidBounds),
            ("fields[5].pattern", Code::InvalidPattern),
            ("fields[6].min", Code::InvalidBounds),
            ("fields[6].default", Code::InvalidDefault),
        ]
    );
}

#[test]
fn conditions_may_only_point_backwards_at_offered_values() {
    let forward = schema(json!({"fields": [
        {"key": "x", "type": "text", "label": {"en": "X"}, "visible_when": {"field": "y", "equals": "on"}},
        {"key": "y", "type": "select", "label": {"en": "Y"}, "options": [{"value": "on", "label": {"en": "On"}}]}
    ]}))
    .expect_err("forward reference");
    assert_eq!(
        codes(&forward),
        [("fields[0].visible_when.field", Code::MissingConditionField)]
    );
    let unoffered = schema(json!({"fields": [
        {"key": "y", "type": "select", "label": {"en": "Y"}, "options": [{"value": "on", "label": {"en": "On"}}]},
        {"key": "x", "type": "text", "label": {"en": "X"}, "visible_when": {"field": "y", "equals": "off"}}
    ]}))
    .expect_err("value not offered");
    assert_eq!(
        codes(&unoffered),
        [("fields[1].visible_when.equals", Code::NotAnOption)]
    );
}

#[test]
fn schema_round_trips_through_json() {
    let form = access_form();
    let json = serde_json::to_value(&form).expect("serialize");
    let again: FormSchema = serde_json::from_value(json.clone()).expect("parse again");
    assert_eq!(serde_json::to_value(&again).expect("serialize"), json);
    assert_eq!(json["fields"][1]["visible_when"]["field"], "system");
}

#[test]
fn patterns_round_trip_as_the_admin_wrote_them() {
    let form = schema(json!({"fields": [
        {"key": "code", "type": "text", "label": {"en": "Code"}, "pattern": "[A-Z]{3}-[0-9]+"}
    ]}))
    .expect("valid");
    let input = FormSchemaInput::from(form);
    assert_eq!(input.fields[0].pattern.as_deref(), Some("[A-Z]{3}-[0-9]+"));
    let again = FormSchema::parse(&input).expect("still valid");
    assert_eq!(
        FormSchemaInput::from(again).fields[0].pattern.as_deref(),
        Some("[A-Z]{3}-[0-9]+")
    );
}

#[test]
fn localized_text_falls_back_to_org_default_then_english() {
    let text: LocalizedText =
        serde_json::from_value(json!({"en": "Laptop", "pl": "Laptop (PL)", "he": "מחשב נייד"}))
            .expect("text");
    assert_eq!(text.resolve("he", "pl"), "מחשב נייד");
    assert_eq!(text.resolve("uz", "pl"), "Laptop (PL)");
    assert_eq!(text.resolve("uz", "el"), "Laptop");
    let greek_only: LocalizedText = serde_json::from_value(json!({"el": "Φορητός"})).expect("text");
    assert_eq!(greek_only.resolve("en", "en"), "Φορητός");
}

fn any_answer() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-100.0_f64..100.0).prop_map(|n| json!(n)),
        (0_i64..60).prop_map(|n| json!(n)),
        "[a-z0-9 +().-]{0,20}".prop_map(Value::String),
        prop::sample::select(vec![
            "vpn",
            "other",
            "a",
            "b",
            "high",
            "2026-02-30",
            "2026-12-31"
        ])
        .prop_map(|s| json!(s)),
        prop::collection::vec(prop::sample::select(vec!["a", "b", "c"]), 0..4)
            .prop_map(|v| json!(v)),
    ]
}

proptest! {
    #[test]
    fn accepted_answers_round_trip_through_storage_and_revalidate(
        values in prop::collection::vec(any_answer(), 8),
    ) {
        let form = access_form();
        let keys = ["system", "details", "seats", "start", "phone", "impact", "agree", "tags"];
        let submitted: Answers = keys.iter().map(|k| (*k).to_owned()).zip(values).collect();
        if let Ok(kept) = form.validate(&submitted) {
            let stored = serde_json::to_string(&kept).expect("store");
            let loaded: Answers = serde_json::from_str(&stored).expect("load");
            prop_assert_eq!(form.validate(&loaded), Ok(kept));
        }
    }

    #[test]
    fn hidden_fields_never_cause_errors(details in any_answer(), system in prop::sample::select(vec!["vpn", "", "bogus"])) {
        let form = access_form();
        let submitted = answers(json!({"system": system, "agree": true, "details": details}));
        let result = form.validate(&submitted);
        let details_error = result.as_ref().err().and_then(|e| e.for_field("details"));
        prop_assert!(details_error.is_none(), "details is hidden unless system = other");
        if let Ok(kept) = result {
            prop_assert!(!kept.contains_key("details"));
        }
    }
}
