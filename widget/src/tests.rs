//! The widget's partial readers of the desk's answers take what the desk's own types write:
//! whatever serde reads as that type (also after edits to its JSON), they read the same parts of.
//! They are lenient by design (a missing part is empty), so only that direction holds.

use edgedesk_core::api::{CreatedRequest, Problem as DeskProblem};
use edgedesk_core::catalog::{CatalogView, ItemView};
use edgedesk_core::form::{FormSchemaInput, LocalizedText};
use edgedesk_core::wire::testing::{Edit, edited, edits, strategies as s, strict};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{CatalogItems, ItemForm, Problem, created_request};

/// `read` takes `part(value)` from what serde writes for `value`, and after `edits`, from
/// whatever serde still reads as a `T`.
fn reads_its_part<T, P>(
    value: &T,
    edits: &[(proptest::sample::Index, Edit)],
    read: impl Fn(&Value) -> Option<P>,
    part: impl Fn(&T) -> P,
) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned,
    P: PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_value(value).expect("serialises");
    prop_assert_eq!(read(&json), Some(part(value)), "{}", json);
    let json = edited(&json, edits);
    if let Ok(value) = strict::read::<T>(&json) {
        prop_assert_eq!(read(&json), Some(part(&value)), "{}", json);
    }
    Ok(())
}

fn object<T>(read: fn(&super::Object) -> Option<T>) -> impl Fn(&Value) -> Option<T> {
    move |json| read(json.as_object()?)
}

proptest! {
    #[test]
    fn a_problem_gives_its_title_and_field_messages(value in s::problem(), edits in edits()) {
        let read = |json: &Value| object(Problem::read)(json).map(|p| (p.title, p.errors));
        reads_its_part(&value, &edits, read, |p: &DeskProblem| {
            let errors = p.errors.iter().map(|e| (e.field.clone(), e.message.clone()));
            (p.title.clone(), errors.collect::<Vec<_>>())
        })?;
    }

    #[test]
    fn a_catalog_gives_its_items_names(value in s::catalog_view(), edits in edits()) {
        let read = |json: &Value| {
            object(CatalogItems::read)(json).map(|c| (c.default_locale, c.items))
        };
        reads_its_part(&value, &edits, read, |c: &CatalogView| {
            let items = c.items.iter().map(|i| (i.slug.clone(), i.name.clone()));
            (c.default_locale.clone(), items.collect::<Vec<_>>())
        })?;
    }

    #[test]
    fn an_item_gives_its_form(value in s::item_view(), edits in edits()) {
        let read = |json: &Value| -> Option<(String, LocalizedText, String, FormSchemaInput)> {
            object(ItemForm::read)(json).map(|i| (i.slug, i.name, i.default_locale, i.form))
        };
        reads_its_part(&value, &edits, read, |i: &ItemView| {
            (
                i.item.slug.clone(),
                i.item.name.clone(),
                i.default_locale.clone(),
                i.form.clone(),
            )
        })?;
    }

    #[test]
    fn a_created_request_gives_its_reference_and_id(
        value in s::created_request(),
        edits in edits(),
    ) {
        reads_its_part(&value, &edits, object(created_request), |c: &CreatedRequest| {
            (c.reference.clone(), c.id.clone())
        })?;
    }
}
