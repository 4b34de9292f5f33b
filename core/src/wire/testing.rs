//! Test support for hand readers of wire types (core's, the portal's, the widget's): generated
//! values, edits that damage their JSON, and the comparison with serde's derived readers.
//!
//! Built for tests only: core's own, and other crates' through the `testing` feature, which they
//! turn on as a dev-dependency (nothing of it reaches a wasm build).

pub mod strategies;
pub mod strict;

use std::fmt::Debug;

use proptest::prelude::*;
use proptest::sample::Index;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A field name an edit uses: the wire types' own names (so a field can move onto another's
/// name, or come back), the Rust names serde renames (`kind` for `type`, variants in Rust case),
/// and any text.
pub fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "type", "kind", "Type", "id", "slug", "name", "status", "title", "detail", "errors",
            "field", "code", "message", "limit", "label", "help", "required", "min_length",
            "max_length", "pattern", "min", "max", "step", "options", "default",
            "visible_when", "equals", "value", "fields", "form", "form_version",
            "default_locale", "catalog_item", "answers", "promises", "metric", "due_at",
            "on_track", "reply", "status_changed", "Reply", "StatusChanged", "from", "to",
            "author", "body", "created_at", "updated_at", "tracking_token", "reference",
            "active", "position", "parent", "description", "icon", "default_priority",
            "default_group", "category", "categories", "items", "widget", "context",
            "form_token", "website", "requester_name", "requester_email", "subject", "org",
            "channel", "locale", "dir", "texts", "messages", "public", "author_kind", "en",
        ])
        .prop_map(str::to_owned),
        1 => strategies::text(),
    ]
}

/// A change to one object of a JSON tree (which one: the index paired with it).
#[derive(Debug, Clone)]
pub enum Edit {
    /// A field added, or replaced if there.
    Set(String, Value),
    /// One of the object's fields removed, made `null`, given another value, or renamed.
    Remove(Index),
    Null(Index),
    Replace(Index, Value),
    Rename(Index, String),
}

/// One to three edits: unknown fields, missing ones, `null`s, wrong types, other names.
pub fn edits() -> impl Strategy<Value = Vec<(Index, Edit)>> {
    let edit = prop_oneof![
        (field_name(), strategies::json()).prop_map(|(name, value)| Edit::Set(name, value)),
        any::<Index>().prop_map(Edit::Remove),
        any::<Index>().prop_map(Edit::Null),
        (any::<Index>(), strategies::json()).prop_map(|(at, value)| Edit::Replace(at, value)),
        (any::<Index>(), field_name()).prop_map(|(at, name)| Edit::Rename(at, name)),
    ];
    prop::collection::vec((any::<Index>(), edit), 1..4)
}

/// JSON pointers of every object in `value`, outermost first.
fn objects(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            out.push(at.to_owned());
            for (key, item) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                objects(item, &format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                objects(item, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// `json` with `edits` applied, each to one of its objects (a tree without any is unchanged).
#[must_use]
pub fn edited(json: &Value, edits: &[(Index, Edit)]) -> Value {
    let mut json = json.clone();
    for (which, edit) in edits {
        let mut pointers = Vec::new();
        objects(&json, "", &mut pointers);
        if pointers.is_empty() {
            continue;
        }
        if let Some(Value::Object(map)) = json.pointer_mut(&pointers[which.index(pointers.len())]) {
            apply(map, edit);
        }
    }
    json
}

fn apply(map: &mut Map<String, Value>, edit: &Edit) {
    let keys: Vec<String> = map.keys().cloned().collect();
    let key = |at: &Index| (!keys.is_empty()).then(|| keys[at.index(keys.len())].clone());
    match edit {
        Edit::Set(name, value) => {
            map.insert(name.clone(), value.clone());
        }
        Edit::Remove(at) => {
            if let Some(key) = key(at) {
                map.remove(&key);
            }
        }
        Edit::Null(at) => {
            if let Some(key) = key(at) {
                map.insert(key, Value::Null);
            }
        }
        Edit::Replace(at, value) => {
            if let Some(key) = key(at) {
                map.insert(key, value.clone());
            }
        }
        Edit::Rename(at, name) => {
            if let Some(value) = key(at).and_then(|key| map.remove(&key)) {
                map.insert(name.clone(), value);
            }
        }
    }
}

/// `read` (a hand reader) and `T`'s `Deserialize` agree on `json`: the same value, or both
/// refuse. The only exceptions are the two forms the hand readers leave out (see
/// [`crate::wire`]), which serde reads; [`strict`] tells them apart. Returns the hand result.
///
/// # Panics
/// Where they disagree (it is an assertion).
pub fn agree<T>(read: impl Fn(&Value) -> Option<T>, json: &Value) -> Option<T>
where
    T: DeserializeOwned + PartialEq + Debug,
{
    let by_hand = read(json);
    let by_strict = strict::read::<T>(json);
    assert_eq!(by_hand.as_ref(), by_strict.as_ref().ok(), "{json}");
    match (by_strict, serde_json::from_value::<T>(json.clone())) {
        (Ok(strict), Ok(serde)) => assert_eq!(strict, serde, "{json}"),
        (Ok(_), Err(e)) => panic!("serde refuses what the strict reader takes ({e}): {json}"),
        (Err(e), Ok(_)) => assert!(
            [strict::ARRAY_FORM, strict::MAP_FORM].contains(&e.to_string().as_str()),
            "serde reads what the strict reader refuses ({e}): {json}"
        ),
        (Err(_), Err(_)) => {}
    }
    by_hand
}

/// What serde writes for `value` reads back whole by hand, from the `Value` and from its text
/// (through core's JSON reader); then, with `edits` made to it, both readers agree.
///
/// # Panics
/// When they do not (it is an assertion).
pub fn reads_back_and_agrees_after<T>(
    read: impl Fn(&Value) -> Option<T>,
    value: &T,
    edits: &[(Index, Edit)],
) where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let Ok(json) = serde_json::to_value(value) else {
        panic!("{value:?} does not serialise");
    };
    assert_eq!(agree(&read, &json).as_ref(), Some(value), "{json}");
    let text = json.to_string();
    let parsed = crate::json::parse(&text);
    assert_eq!(
        parsed.as_ref().and_then(&read).as_ref(),
        Some(value),
        "{text}"
    );
    agree(&read, &edited(&json, edits));
}
