use serde_json::json;

use super::*;

fn item(value: serde_json::Value) -> ItemInput {
    serde_json::from_value(value).expect("item input")
}

#[test]
fn search_ignores_case_and_diacritics_in_every_script() {
    let cases = [
        ("Żółć i Łódź", "zolc i lodz"),
        // Tonos dropped, final sigma folded into σ.
        ("ΑΊΤΗΣΗ Πρόσβασης", "αιτηση προσβασησ"),
        // Niqqud and dagesh dropped: pointed text matches plain letters.
        ("בַּקָּשָׁה לְגִישָׁה", "בקשה לגישה"),
        ("Oʻzbek tili", "o'zbek tili"),
        ("VPN Access", "vpn access"),
    ];
    for (text, expected) in cases {
        assert_eq!(search_key(text), expected, "{text}");
    }
    let haystack = item_search_text(
        &LocalizedText([("pl".into(), "Dostęp do zasobów".into())].into()),
        &LocalizedText([("el".into(), "Πρόσβαση".into())].into()),
    );
    assert!(haystack.contains(&search_key("ZASOBOW")));
    assert!(haystack.contains(&search_key("προσβαση")));
    assert!(!haystack.contains(&search_key("laptop")));
}

#[test]
fn priority_follows_the_matrix_when_impact_and_urgency_are_answered() {
    let form = parse_form(
        &serde_json::from_value(json!({"fields": [
            {"key": "impact", "type": "impact", "label": {"en": "Impact"}},
            {"key": "urgency", "type": "urgency", "label": {"en": "Urgency"}},
        ]}))
        .expect("form"),
    )
    .expect("valid form");
    let matrix = PriorityMatrix::default();
    let answers = |i: &str, u: &str| -> Answers {
        serde_json::from_value(json!({"impact": i, "urgency": u})).expect("answers")
    };
    assert_eq!(
        priority_for(&form, &answers("high", "high"), &matrix, None),
        Priority::Urgent
    );
    assert_eq!(
        priority_for(&form, &answers("low", "medium"), &matrix, None),
        Priority::Low
    );
    // Only one of the two answered: the item's default decides.
    let only_impact: Answers = serde_json::from_value(json!({"impact": "high"})).expect("answers");
    assert_eq!(
        priority_for(&form, &only_impact, &matrix, Some(Priority::High)),
        Priority::High
    );
    assert_eq!(
        priority_for(&form, &Answers::new(), &matrix, None),
        Priority::Normal
    );
    // An organisation's own matrix wins over ITIL's.
    let flat = PriorityMatrix([[Priority::Low; 3]; 3]);
    assert_eq!(
        priority_for(&form, &answers("high", "high"), &flat, None),
        Priority::Low
    );
}

#[test]
fn item_problems_are_reported_with_their_paths() {
    let input = item(json!({
        "slug": "Bad Slug",
        "category": "it",
        "name": {},
        "form": {"fields": [
            {"key": "system", "type": "select", "label": {"en": "System"}, "options": []},
            {"key": "system", "type": "colour", "label": {"en": "Colour"}},
            {"key": "why", "type": "text", "label": {"en": "Why"},
             "visible_when": {"field": "nothing", "equals": "x"}},
        ]}
    }));
    let errors = input.parse().expect_err("invalid");
    let found: Vec<(&str, Code)> = errors
        .0
        .iter()
        .map(|e| (e.field.as_str(), e.code))
        .collect();
    assert_eq!(
        found,
        vec![
            ("slug", Code::InvalidKey),
            ("name", Code::Required),
            ("form.fields[0].options", Code::NoOptions),
            ("form.fields[1].key", Code::DuplicateKey),
            ("form.fields[1].type", Code::UnknownFieldType),
            (
                "form.fields[2].visible_when.field",
                Code::MissingConditionField
            ),
        ]
    );
}

#[test]
fn a_valid_item_yields_its_form() {
    let input = item(json!({
        "slug": "access-request",
        "category": "it",
        "name": {"en": "Access request", "he": "בקשת גישה"},
        "icon": "key",
        "default_priority": "high",
        "form": {"fields": [{"key": "system", "type": "text", "label": {"en": "System"}, "required": true}]}
    }));
    let form = input.parse().expect("valid");
    assert_eq!(form.fields.len(), 1);
    assert_eq!(input.default_priority, Some(Priority::High));
}

#[test]
fn categories_check_slug_name_and_parent() {
    let category = |v| serde_json::from_value::<CategoryInput>(v).expect("category");
    assert!(
        category(json!({"slug": "it", "name": {"en": "IT"}}))
            .check()
            .is_ok()
    );
    let errors = category(json!({"slug": "it", "name": {"en": " "}, "parent": "it"}))
        .check()
        .expect_err("invalid");
    let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["name", "parent"]);
    assert!(!valid_slug("-it"));
    assert!(!valid_slug("i"));
    assert!(valid_slug("hardware-2"));
}
