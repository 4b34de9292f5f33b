//! JSON Schemas of the API's wire types (feature `schema`): what `cargo xtask openapi` writes
//! into `components.schemas` of `worker/openapi.json`.

use std::borrow::Cow;

use schemars::generate::{Contract, SchemaSettings};
use schemars::transform::transform_subschemas;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value};

use crate::api::{
    BootstrapInput, CalendarView, CommentInput, CommentView, CreatedRequest, CreatedToken,
    CreatedWebhook, EventView, Health, OrgPublic, PageMeta, PolicyView, Problem, ReplyAuthor,
    ReplyInput, RequestView, Role, TicketPatch, TicketView, TimelineEntry, TokenInput, TokenView,
    WebhookInput, WebhookView,
};
use crate::catalog::{CatalogView, CategoryInput, FormVersionView, ItemInput, ItemPatch, ItemView};
use crate::form::FieldKind;
use crate::group::{GroupInput, GroupView};
use crate::priority::{Priority, PriorityMatrix};
use crate::sla::{CalendarInput, HoursInput, Metric, PolicyInput, TargetInput, Trigger, WEEKDAYS};
use crate::widget::{WidgetConfig, WidgetSettings};
use crate::{Channel, FieldErrorCode, NewRequestInput, TicketStatus};

/// An instant on the wire: the API's timestamps are RFC 3339 text in UTC, held as `String`s.
pub struct Timestamp;

impl JsonSchema for Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date-time",
            "description": "An RFC 3339 instant in UTC."
        })
    }
}

/// Form answers by field key (`crate::form::Answers`, a map of JSON values).
pub struct Answers;

impl JsonSchema for Answers {
    fn schema_name() -> Cow<'static, str> {
        "Answers".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "Form answers by field key: text, a number, a boolean or a list of option values.",
            "additionalProperties": true
        })
    }
}

/// A calendar's week (`mon` … `sun`): the map's keys are checked by the desk, the schema names
/// them so that clients see which there are.
pub struct WeekHours;

impl JsonSchema for WeekHours {
    fn schema_name() -> Cow<'static, str> {
        "WeekHours".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let day =
            json_schema!({ "type": "array", "items": generator.subschema_for::<HoursInput>() });
        let days: Map<String, Value> = WEEKDAYS
            .iter()
            .map(|name| ((*name).to_owned(), day.clone().to_value()))
            .collect();
        json_schema!({
            "type": "object",
            "description": "Working intervals per weekday; a missing day is a day off.",
            "additionalProperties": false,
            "properties": days
        })
    }
}

/// A policy's targets of one priority as an admin sends them, by metric name.
pub struct MetricTargetsInput;

impl JsonSchema for MetricTargetsInput {
    fn schema_name() -> Cow<'static, str> {
        "MetricTargetsInput".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let target = generator.subschema_for::<TargetInput>().to_value();
        let metrics: Map<String, Value> = Metric::ALL
            .iter()
            .map(|metric| (metric.as_str().to_owned(), target.clone()))
            .collect();
        json_schema!({
            "type": "object",
            "description": "Targets of one priority by metric; a missing metric is not measured.",
            "additionalProperties": false,
            "properties": metrics
        })
    }
}

/// `PolicyInput::targets`: by priority name, then metric name (strings on the wire, so that a
/// wrong name is a 422 with its path); the schema names the priorities there are.
pub struct PolicyTargetsInput;

impl JsonSchema for PolicyTargetsInput {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "PolicyTargetsInput".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let targets = generator.subschema_for::<MetricTargetsInput>().to_value();
        let priorities: Map<String, Value> = Priority::ALL
            .iter()
            .map(|priority| (priority.as_str().to_owned(), targets.clone()))
            .collect();
        json_schema!({
            "type": "object",
            "description": "Targets by priority.",
            "additionalProperties": false,
            "properties": priorities
        })
    }
}

/// `FieldInput::kind`: text on the wire (an unknown kind is a 422 with its path), one of the
/// kinds a form knows.
pub fn field_kind(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": FieldKind::NAMES })
}

/// `PolicyInput::pause_statuses`: names on the wire (checked with their path); only the
/// statuses that wait on someone else may pause the clocks.
pub fn pause_statuses(_: &mut SchemaGenerator) -> Schema {
    let pausing = [TicketStatus::Pending, TicketStatus::OnHold].map(TicketStatus::as_str);
    json_schema!({
        "type": ["array", "null"],
        "items": { "type": "string", "enum": pausing }
    })
}

/// Where the schemas live in an OpenAPI document, so that their `$ref`s resolve there.
const DEFINITIONS_PATH: &str = "/components/schemas";

fn generator(contract: Contract) -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .with(|settings| {
            settings.definitions_path = DEFINITIONS_PATH.into();
            settings.meta_schema = None;
            settings.contract = contract;
        })
        .with_transform(drop_defaults_of_required as fn(&mut Schema))
        .into_generator()
}

/// Removes the `default` of every required property, and every empty text as a default. Serde
/// fills those in only so that the desk can answer a missing field with a 422 naming it: they
/// are no defaults a client can rely on, and a default that breaks its own schema (an empty
/// slug) is not valid OpenAPI.
fn drop_defaults_of_required(schema: &mut Schema) {
    transform_subschemas(&mut (drop_defaults_of_required as fn(&mut Schema)), schema);
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let required: Vec<String> = object
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, property) in properties.iter_mut() {
        let Some(property) = property.as_object_mut() else {
            continue;
        };
        if required.contains(name) || property.get("default") == Some(&Value::from("")) {
            property.remove("default");
        }
    }
}

/// Every wire type the document names, by schema name.
///
/// Request bodies are described as the desk reads them (a field serde fills with its default
/// is optional), answers as the desk writes them (a field is required unless it may be left
/// out). A type used both ways keeps the reading side's schema, the more lenient of the two,
/// so that it still fits every answer.
#[must_use]
pub fn components() -> Map<String, Value> {
    let mut reading = generator(Contract::Deserialize);
    reading.subschema_for::<NewRequestInput>();
    reading.subschema_for::<ReplyInput>();
    reading.subschema_for::<CommentInput>();
    reading.subschema_for::<TicketPatch>();
    reading.subschema_for::<TokenInput>();
    reading.subschema_for::<BootstrapInput>();
    reading.subschema_for::<CategoryInput>();
    reading.subschema_for::<ItemInput>();
    reading.subschema_for::<ItemPatch>();
    reading.subschema_for::<CalendarInput>();
    reading.subschema_for::<PolicyInput>();
    reading.subschema_for::<WebhookInput>();
    reading.subschema_for::<GroupInput>();
    reading.subschema_for::<crate::people::PersonPatch>();
    reading.subschema_for::<crate::people::NewPersonInput>();
    reading.subschema_for::<crate::people::LinkSignIn>();

    let mut writing = generator(Contract::Serialize);
    writing.subschema_for::<Health>();
    writing.subschema_for::<OrgPublic>();
    writing.subschema_for::<Problem>();
    writing.subschema_for::<WidgetConfig>();
    writing.subschema_for::<WidgetSettings>();
    writing.subschema_for::<CreatedRequest>();
    writing.subschema_for::<RequestView>();
    writing.subschema_for::<CommentView>();
    writing.subschema_for::<TimelineEntry>();
    writing.subschema_for::<EventView>();
    writing.subschema_for::<TicketView>();
    writing.subschema_for::<PageMeta>();
    writing.subschema_for::<TokenView>();
    writing.subschema_for::<CreatedToken>();
    writing.subschema_for::<CatalogView>();
    writing.subschema_for::<ItemView>();
    writing.subschema_for::<FormVersionView>();
    writing.subschema_for::<PriorityMatrix>();
    writing.subschema_for::<CalendarView>();
    writing.subschema_for::<PolicyView>();
    writing.subschema_for::<WebhookView>();
    writing.subschema_for::<CreatedWebhook>();
    writing.subschema_for::<GroupView>();
    writing.subschema_for::<crate::people::PersonView>();
    writing.subschema_for::<crate::people::InvitationView>();
    writing.subschema_for::<crate::people::CreatedLink>();
    writing.subschema_for::<crate::people::SessionView>();
    writing.subschema_for::<crate::people::SignedIn>();
    writing.subschema_for::<crate::people::Me>();
    writing.subschema_for::<TicketStatus>();
    writing.subschema_for::<Priority>();
    writing.subschema_for::<Channel>();
    writing.subschema_for::<Role>();
    writing.subschema_for::<Metric>();
    writing.subschema_for::<Trigger>();
    writing.subschema_for::<ReplyAuthor>();
    writing.subschema_for::<FieldErrorCode>();

    let mut schemas = writing.take_definitions(true);
    schemas.extend(reading.take_definitions(true));
    schemas
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema<'a>(schemas: &'a Map<String, Value>, name: &str) -> &'a Value {
        schemas
            .get(name)
            .unwrap_or_else(|| panic!("no schema {name}"))
    }

    #[test]
    fn request_bodies_refuse_unknown_fields_and_state_what_validation_requires() {
        let schemas = components();
        let bootstrap = schema(&schemas, "BootstrapInput");
        assert_eq!(bootstrap["additionalProperties"], false);
        assert_eq!(
            bootstrap["required"],
            serde_json::json!(["slug", "name", "ref_prefix"])
        );
        // Serde's empty default of a required field is no default to document.
        assert!(bootstrap["properties"]["name"].get("default").is_none());
        // A real default stays.
        assert_eq!(
            schema(&schemas, "CommentInput")["properties"]["public"]["default"],
            false
        );
    }

    #[test]
    fn answers_require_what_the_desk_always_writes_and_may_be_null() {
        let schemas = components();
        let ticket = schema(&schemas, "TicketView");
        let required = ticket["required"].as_array().expect("required");
        assert!(required.contains(&Value::from("assignee")));
        assert_eq!(
            ticket["properties"]["assignee"]["type"],
            serde_json::json!(["string", "null"])
        );
        assert_eq!(
            ticket["properties"]["created_at"]["$ref"],
            "#/components/schemas/Timestamp"
        );
        // Left out when empty, so not required.
        let request = schema(&schemas, "RequestView");
        let required = request["required"].as_array().expect("required");
        assert!(!required.contains(&Value::from("answers")));
    }
}
