//! Generated values of core's wire types (every field set or not, any text, any JSON), each one
//! a value serde writes and reads back unchanged.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{Number, Value};

use crate::api::{
    CommentView, CreatedRequest, OrgPublic, Problem, Promise, ReplyAuthor, RequestView,
    SubmittedForm, TimelineEntry, TimelineReply, TimelineStatusChange,
};
use crate::catalog::{CatalogView, CategoryView, ItemSummary, ItemView};
use crate::form::{Answers, ChoiceOption, Condition, FieldInput, FormSchemaInput, LocalizedText};
use crate::priority::Priority;
use crate::sla::Metric;
use crate::widget::{WidgetConfig, WidgetSubmission};
use crate::{Channel, FieldError, FieldErrorCode, NewRequestInput, TicketStatus};

/// Any text: quotes, backslashes, controls, right-to-left and astral characters.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9_-]{0,8}",
        any::<String>(),
        "[\"\\\\/\u{0}-\u{1f}\u{5d0}\u{1f600}é ]{0,4}",
    ]
}

/// Any JSON value, numbers of every kind included (finite: JSON has no others).
pub fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn finite() -> impl Strategy<Value = f64> {
    any::<f64>().prop_filter("finite", |f| f.is_finite())
}

fn one_of<T: Clone + std::fmt::Debug + 'static>(all: &[T]) -> impl Strategy<Value = T> + use<T> {
    prop::sample::select(all.to_vec())
}

pub fn localized() -> impl Strategy<Value = LocalizedText> {
    strings().prop_map(LocalizedText)
}

pub fn org_public() -> impl Strategy<Value = OrgPublic> {
    (text(), text(), text()).prop_map(|(slug, name, default_locale)| OrgPublic {
        slug,
        name,
        default_locale,
    })
}

pub fn status() -> impl Strategy<Value = TicketStatus> {
    one_of(&TicketStatus::ALL)
}

pub fn created_request() -> impl Strategy<Value = CreatedRequest> {
    (text(), text(), status(), text(), text()).prop_map(
        |(id, reference, status, tracking_token, created_at)| CreatedRequest {
            id,
            reference,
            status,
            tracking_token,
            created_at,
        },
    )
}

pub fn comment_view() -> impl Strategy<Value = CommentView> {
    (text(), text(), text(), any::<bool>(), text()).prop_map(
        |(id, author_kind, body, public, created_at)| CommentView {
            id,
            author_kind,
            body,
            public,
            created_at,
        },
    )
}

pub fn field_error() -> impl Strategy<Value = FieldError> {
    use FieldErrorCode as C;
    let codes = [
        C::Required,
        C::TooShort,
        C::TooLong,
        C::InvalidEmail,
        C::WrongType,
        C::NotAnOption,
        C::PatternMismatch,
        C::UnknownField,
        C::InvalidOrigin,
        C::NotAGroupMember,
    ];
    (text(), one_of(&codes), text(), any::<Option<u32>>()).prop_map(
        |(field, code, message, limit)| FieldError {
            field,
            code,
            message,
            limit,
        },
    )
}

pub fn problem() -> impl Strategy<Value = Problem> {
    (
        text(),
        text(),
        any::<u16>(),
        prop::option::of(text()),
        prop::collection::vec(field_error(), 0..3),
        prop::option::of(text()),
    )
        .prop_map(
            |(kind, title, status, detail, errors, request_id)| Problem {
                kind,
                title,
                status,
                detail,
                errors,
                request_id,
            },
        )
}

pub fn condition() -> impl Strategy<Value = Condition> {
    (text(), json()).prop_map(|(field, equals)| Condition { field, equals })
}

pub fn choice_option() -> impl Strategy<Value = ChoiceOption> {
    (text(), localized()).prop_map(|(value, label)| ChoiceOption { value, label })
}

pub fn field_input() -> impl Strategy<Value = FieldInput> {
    (
        (
            text(),
            text(),
            localized(),
            // serde leaves out a help of blank texts, which then reads back empty.
            localized().prop_filter("written", |help| help.0.is_empty() || !help.is_empty()),
            any::<bool>(),
            any::<Option<u32>>(),
            any::<Option<u32>>(),
        ),
        (
            prop::option::of(text()),
            prop::option::of(finite()),
            prop::option::of(finite()),
            prop::option::of(finite()),
            prop::collection::vec(choice_option(), 0..3),
            // A `null` default is written as `null`, which reads as no default.
            prop::option::of(json().prop_filter("not null", |v| !v.is_null())),
            prop::option::of(condition()),
        ),
    )
        .prop_map(
            |(
                (key, kind, label, help, required, min_length, max_length),
                (pattern, min, max, step, options, default, visible_when),
            )| FieldInput {
                key,
                kind,
                label,
                help,
                required,
                min_length,
                max_length,
                pattern,
                min,
                max,
                step,
                options,
                default,
                visible_when,
            },
        )
}

pub fn form_schema_input() -> impl Strategy<Value = FormSchemaInput> {
    prop::collection::vec(field_input(), 0..3).prop_map(|fields| FormSchemaInput { fields })
}

pub fn submitted_form() -> impl Strategy<Value = SubmittedForm> {
    (
        text(),
        localized(),
        any::<u32>(),
        form_schema_input(),
        text(),
    )
        .prop_map(
            |(slug, name, form_version, form, default_locale)| SubmittedForm {
                slug,
                name,
                form_version,
                form,
                default_locale,
            },
        )
}

pub fn promise() -> impl Strategy<Value = Promise> {
    (
        one_of(&Metric::ALL),
        prop::option::of(text()),
        any::<bool>(),
    )
        .prop_map(|(metric, due_at, on_track)| Promise {
            metric,
            due_at,
            on_track,
        })
}

pub fn answers() -> impl Strategy<Value = Answers> {
    prop::collection::btree_map(text(), json(), 0..3)
}

pub fn request_view() -> impl Strategy<Value = RequestView> {
    (
        (text(), text(), text(), status(), text(), text(), text()),
        (
            text(),
            one_of(&Channel::ALL),
            text(),
            text(),
            prop::option::of(submitted_form()),
            answers(),
            prop::collection::vec(promise(), 0..3),
        ),
    )
        .prop_map(
            |(
                (id, reference, org, status, subject, description, requester_name),
                (requester_email, channel, created_at, updated_at, catalog_item, answers, promises),
            )| RequestView {
                id,
                reference,
                org,
                status,
                subject,
                description,
                requester_name,
                requester_email,
                channel,
                created_at,
                updated_at,
                catalog_item,
                answers,
                promises,
            },
        )
}

pub fn timeline_entry() -> impl Strategy<Value = TimelineEntry> {
    prop_oneof![
        (
            text(),
            one_of(&[ReplyAuthor::Agent, ReplyAuthor::Requester]),
            text(),
            text()
        )
            .prop_map(|(id, author, body, created_at)| {
                TimelineEntry::Reply(TimelineReply {
                    id,
                    author,
                    body,
                    created_at,
                })
            }),
        (text(), prop::option::of(status()), status(), text()).prop_map(
            |(id, from, to, created_at)| {
                TimelineEntry::StatusChanged(TimelineStatusChange {
                    id,
                    from,
                    to,
                    created_at,
                })
            }
        ),
    ]
}

pub fn category_view() -> impl Strategy<Value = CategoryView> {
    (
        text(),
        localized(),
        localized(),
        prop::option::of(text()),
        any::<i32>(),
        any::<bool>(),
    )
        .prop_map(
            |(slug, name, description, parent, position, active)| CategoryView {
                slug,
                name,
                description,
                parent,
                position,
                active,
            },
        )
}

pub fn item_summary() -> impl Strategy<Value = ItemSummary> {
    (
        (
            text(),
            text(),
            localized(),
            localized(),
            prop::option::of(text()),
        ),
        (
            any::<i32>(),
            any::<bool>(),
            prop::option::of(one_of(&Priority::ALL)),
            prop::option::of(text()),
            any::<u32>(),
        ),
    )
        .prop_map(
            |(
                (slug, category, name, description, icon),
                (position, active, default_priority, default_group, form_version),
            )| ItemSummary {
                slug,
                category,
                name,
                description,
                icon,
                position,
                active,
                default_priority,
                default_group,
                form_version,
            },
        )
}

pub fn item_view() -> impl Strategy<Value = ItemView> {
    (item_summary(), text(), form_schema_input()).prop_map(|(item, default_locale, form)| {
        ItemView {
            item,
            default_locale,
            form,
        }
    })
}

pub fn catalog_view() -> impl Strategy<Value = CatalogView> {
    (
        text(),
        prop::collection::vec(category_view(), 0..3),
        prop::collection::vec(item_summary(), 0..3),
    )
        .prop_map(|(default_locale, categories, items)| CatalogView {
            default_locale,
            categories,
            items,
        })
}

pub fn widget_submission() -> impl Strategy<Value = WidgetSubmission> {
    (text(), text(), strings()).prop_map(|(form_token, website, context)| WidgetSubmission {
        form_token,
        website,
        context,
    })
}

pub fn new_request_input() -> impl Strategy<Value = NewRequestInput> {
    (
        (text(), text(), text(), text()),
        (
            prop::option::of(text()),
            answers(),
            prop::option::of(widget_submission()),
        ),
    )
        .prop_map(
            |(
                (requester_name, requester_email, subject, description),
                (catalog_item, answers, widget),
            )| NewRequestInput {
                requester_name,
                requester_email,
                subject,
                description,
                catalog_item,
                answers,
                widget,
            },
        )
}

pub fn strings() -> impl Strategy<Value = BTreeMap<String, String>> {
    prop::collection::btree_map(text(), text(), 0..3)
}

pub fn widget_config() -> impl Strategy<Value = WidgetConfig> {
    (org_public(), text(), text(), text(), strings(), strings()).prop_map(
        |(org, locale, dir, form_token, texts, messages)| WidgetConfig {
            org,
            locale,
            dir,
            form_token,
            texts,
            messages,
        },
    )
}
