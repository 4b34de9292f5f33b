//! The API's answers read by hand into core's wire types, from one parsed `serde_json::Value`.
//!
//! serde's derived readers cost the portal's download 1.5–7 KB of wasm per type (issue 9);
//! these share a few small helpers. Each takes the objects that type's `Deserialize` takes
//! (defaults, nulls, unknown fields; property tests check both agree); left out are serde's
//! rarely used array form of a struct and `{"name": null}` form of a unit variant, which the
//! worker never writes. Enums still go through their `Deserialize` (small, and it keeps their
//! names in one place), from their string.

use edgedesk_core::api::{
    CreatedRequest, OrgPublic, Problem, Promise, RequestView, SubmittedForm, TimelineEntry,
    TimelineReply, TimelineStatusChange,
};
use edgedesk_core::catalog::{CatalogView, CategoryView, ItemSummary};
use edgedesk_core::form::{ChoiceOption, Condition, FieldInput, FormSchemaInput, LocalizedText};
use edgedesk_core::widget::WidgetSubmission;
use edgedesk_core::wire::{self, answers, boolean, optional, or_default, required, string, uint};
use edgedesk_core::{FieldError, NewRequestInput};
use serde::de::value::StrDeserializer;
use serde::de::{DeserializeOwned, IntoDeserializer as _};
use serde_json::Value;

/// A type read from the API's JSON: `None` where its `Deserialize` would fail.
pub trait Wire: Sized {
    fn read(value: &Value) -> Option<Self>;
}

fn int32(v: &Value) -> Option<i32> {
    i32::try_from(v.as_i64()?).ok()
}

/// A unit enum (status, metric, …) by its own `Deserialize`, from the string it is written as.
fn named<T: DeserializeOwned>(v: &Value) -> Option<T> {
    let text: StrDeserializer<'_, Unreadable> = v.as_str()?.into_deserializer();
    T::deserialize(text).ok()
}

/// A deserializer error that keeps no message: serde's messages (which can describe floats)
/// would link Rust's float printing into the download, and a `None` says enough here.
#[derive(Debug)]
struct Unreadable;

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unreadable")
    }
}

impl std::error::Error for Unreadable {}

impl serde::de::Error for Unreadable {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Self
    }
}

fn list<T: Wire>(v: &Value) -> Option<Vec<T>> {
    wire::list(v, T::read)
}

impl Wire for () {
    fn read(_: &Value) -> Option<Self> {
        Some(())
    }
}

impl Wire for LocalizedText {
    fn read(v: &Value) -> Option<Self> {
        wire::localized_text(v)
    }
}

impl Wire for OrgPublic {
    fn read(v: &Value) -> Option<Self> {
        wire::org_public(v)
    }
}

impl Wire for CreatedRequest {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            id: required(o, "id", string)?,
            reference: required(o, "reference", string)?,
            status: required(o, "status", named)?,
            tracking_token: required(o, "tracking_token", string)?,
            created_at: required(o, "created_at", string)?,
        })
    }
}

impl Wire for FieldError {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            field: required(o, "field", string)?,
            code: required(o, "code", named)?,
            message: required(o, "message", string)?,
            limit: optional(o, "limit", uint)?,
        })
    }
}

impl Wire for Problem {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            kind: required(o, "type", string)?,
            title: required(o, "title", string)?,
            status: required(o, "status", uint)?,
            detail: optional(o, "detail", string)?,
            errors: or_default(o, "errors", list)?,
            request_id: optional(o, "request_id", string)?,
        })
    }
}

impl Wire for Condition {
    fn read(v: &Value) -> Option<Self> {
        wire::condition(v)
    }
}

impl Wire for ChoiceOption {
    fn read(v: &Value) -> Option<Self> {
        wire::choice_option(v)
    }
}

impl Wire for FieldInput {
    fn read(v: &Value) -> Option<Self> {
        wire::field_input(v)
    }
}

impl Wire for FormSchemaInput {
    fn read(v: &Value) -> Option<Self> {
        wire::form_schema_input(v)
    }
}

impl Wire for SubmittedForm {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            slug: required(o, "slug", string)?,
            name: required(o, "name", LocalizedText::read)?,
            form_version: required(o, "form_version", uint)?,
            form: required(o, "form", FormSchemaInput::read)?,
            default_locale: required(o, "default_locale", string)?,
        })
    }
}

impl Wire for Promise {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            metric: required(o, "metric", named)?,
            due_at: optional(o, "due_at", string)?,
            on_track: required(o, "on_track", boolean)?,
        })
    }
}

impl Wire for RequestView {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            id: required(o, "id", string)?,
            reference: required(o, "reference", string)?,
            org: required(o, "org", string)?,
            status: required(o, "status", named)?,
            subject: required(o, "subject", string)?,
            description: required(o, "description", string)?,
            requester_name: required(o, "requester_name", string)?,
            requester_email: required(o, "requester_email", string)?,
            channel: required(o, "channel", named)?,
            created_at: required(o, "created_at", string)?,
            updated_at: required(o, "updated_at", string)?,
            catalog_item: optional(o, "catalog_item", SubmittedForm::read)?,
            answers: or_default(o, "answers", answers)?,
            promises: or_default(o, "promises", list)?,
        })
    }
}

impl Wire for TimelineEntry {
    fn read(v: &Value) -> Option<Self> {
        // Externally tagged: one key naming the variant.
        let o = v.as_object()?;
        if o.len() != 1 {
            return None;
        }
        if let Some(reply) = o.get("reply") {
            let r = reply.as_object()?;
            return Some(Self::Reply(TimelineReply {
                id: required(r, "id", string)?,
                author: required(r, "author", named)?,
                body: required(r, "body", string)?,
                created_at: required(r, "created_at", string)?,
            }));
        }
        let c = o.get("status_changed")?.as_object()?;
        Some(Self::StatusChanged(TimelineStatusChange {
            id: required(c, "id", string)?,
            from: optional(c, "from", named)?,
            to: required(c, "to", named)?,
            created_at: required(c, "created_at", string)?,
        }))
    }
}

impl Wire for CategoryView {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            slug: required(o, "slug", string)?,
            name: required(o, "name", LocalizedText::read)?,
            description: or_default(o, "description", LocalizedText::read)?,
            parent: optional(o, "parent", string)?,
            position: required(o, "position", int32)?,
            active: o.get("active").map_or(Some(true), boolean)?,
        })
    }
}

impl Wire for ItemSummary {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            slug: required(o, "slug", string)?,
            category: required(o, "category", string)?,
            name: required(o, "name", LocalizedText::read)?,
            description: or_default(o, "description", LocalizedText::read)?,
            icon: optional(o, "icon", string)?,
            position: required(o, "position", int32)?,
            active: o.get("active").map_or(Some(true), boolean)?,
            default_priority: optional(o, "default_priority", named)?,
            default_group: optional(o, "default_group", string)?,
            form_version: required(o, "form_version", uint)?,
        })
    }
}

impl Wire for CatalogView {
    fn read(v: &Value) -> Option<Self> {
        let o = v.as_object()?;
        Some(Self {
            default_locale: required(o, "default_locale", string)?,
            categories: required(o, "categories", list)?,
            items: required(o, "items", list)?,
        })
    }
}

impl Wire for WidgetSubmission {
    fn read(v: &Value) -> Option<Self> {
        wire::widget_submission(v)
    }
}

/// A form draft kept in this browser (the portal writes it with serde).
impl Wire for NewRequestInput {
    fn read(v: &Value) -> Option<Self> {
        wire::new_request_input(v)
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn read(v: &Value) -> Option<Self> {
        list(v)
    }
}

#[cfg(test)]
mod tests;
