//! core's hand readers agree with serde's derived ones: on every value serde writes, and on that
//! JSON with fields added, removed, made `null`, given other types or renamed.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::testing::{agree, edits, reads_back_and_agrees_after as check, strategies as s};
use super::*;

proptest! {
    #[test]
    fn organisations_read_like_serde(value in s::org_public(), edits in edits()) {
        check(org_public, &value, &edits);
    }

    #[test]
    fn localized_texts_read_like_serde(value in s::localized(), edits in edits()) {
        check(localized_text, &value, &edits);
    }

    #[test]
    fn conditions_read_like_serde(value in s::condition(), edits in edits()) {
        check(condition, &value, &edits);
    }

    #[test]
    fn choice_options_read_like_serde(value in s::choice_option(), edits in edits()) {
        check(choice_option, &value, &edits);
    }

    #[test]
    fn fields_read_like_serde(value in s::field_input(), edits in edits()) {
        check(field_input, &value, &edits);
    }

    #[test]
    fn forms_read_like_serde(value in s::form_schema_input(), edits in edits()) {
        check(form_schema_input, &value, &edits);
    }

    #[test]
    fn widget_submissions_read_like_serde(value in s::widget_submission(), edits in edits()) {
        check(widget_submission, &value, &edits);
    }

    #[test]
    fn request_drafts_read_like_serde(value in s::new_request_input(), edits in edits()) {
        check(new_request_input, &value, &edits);
    }
}

#[test]
fn renamed_fields_are_read_under_the_names_serde_writes() {
    let field = FieldInput {
        kind: "select".to_owned(),
        ..FieldInput::default()
    };
    let written = serde_json::to_value(&field).expect("serialises");
    assert_eq!(written.get("type"), Some(&json!("select")));
    assert_eq!(written.get("kind"), None);
    assert_eq!(agree(field_input, &written), Some(field));
    // Under its Rust name it is an unknown field (the type denies those).
    assert_eq!(agree(field_input, &json!({"kind": "select"})), None);
}

/// The two forms the readers leave out, which the desk never writes: serde reads them.
#[test]
fn the_forms_left_out_are_exactly_those_documented() {
    let as_array = json!({"key": "k", "visible_when": ["other", 1]});
    assert_eq!(field_input(&as_array), None);
    let by_serde: FieldInput = serde_json::from_value(as_array).expect("serde's array form");
    assert_eq!(
        by_serde.visible_when.map(|c| c.field),
        Some("other".to_owned())
    );
    assert_eq!(agree(field_input, &json!({"options": [[]]})), None);

    let twice = r#"{"form_token": "a", "form_token": "b"}"#;
    assert!(serde_json::from_str::<WidgetSubmission>(twice).is_err());
    let by_hand = crate::json::parse(twice)
        .as_ref()
        .and_then(widget_submission);
    assert_eq!(by_hand.map(|w| w.form_token), Some("b".to_owned()));
    // Maps keep the last of a key twice both ways.
    let map = r#"{"en": "a", "en": "b"}"#;
    let by_serde: LocalizedText = serde_json::from_str(map).expect("a map");
    let parsed: Option<Value> = crate::json::parse(map);
    assert_eq!(parsed.as_ref().and_then(localized_text), Some(by_serde));
}
