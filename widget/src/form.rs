//! The request form inside the widget: contact fields, the catalog item's fields by kind (with
//! their conditions), the honeypot; reading it back as a [`NewRequestInput`] and showing errors.

use std::collections::BTreeMap;

use edgedesk_core::form::{Answers, Field, FieldKind, FormSchema};
use edgedesk_core::i18n::{MessageId, ids};
use edgedesk_core::request::fields;
use edgedesk_core::widget::WidgetConfig;
use edgedesk_core::{NewRequestInput, ValidationErrors};
use serde_json::Value;
use wasm_bindgen::JsCast as _;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use crate::dom::{append, el, set, show, text};

/// One control of the form and where its error goes.
struct Control {
    /// `requester_name` … or `answers.<key>`: the names API errors use.
    name: String,
    kind: Option<FieldKind>,
    wrapper: Element,
    /// The input, select or textarea (for multiselects: the fieldset of checkboxes).
    input: Element,
    error: Element,
}

/// A rendered form.
pub struct Form {
    pub element: Element,
    pub status: Element,
    pub submit: Element,
    controls: Vec<Control>,
    honeypot: Element,
    schema: Option<FormSchema>,
    item: Option<String>,
}

/// What the requester typed, kept as a draft and restored on the next open.
pub type Draft = NewRequestInput;

/// Message `id` as the desk rendered it for this widget (else the id itself, visibly).
fn t(config: &WidgetConfig, id: MessageId) -> &str {
    config
        .texts
        .get(id.as_str())
        .map_or(id.as_str(), String::as_str)
}

impl Form {
    /// Builds the form for `item` (with its schema) or a plain request, filled from `draft`.
    pub fn new(
        config: &WidgetConfig,
        item: Option<(String, String, FormSchema)>,
        draft: &Draft,
    ) -> Self {
        let element = el("form", "form", &[("novalidate", "")]);
        let mut controls = Vec::new();
        let mut add = |name: &str, label: &str, kind: Option<FieldKind>, input: Element| {
            let control = labelled(name, label, kind, input);
            append(&element, &control.wrapper);
            controls.push(control);
        };
        add(
            fields::REQUESTER_NAME,
            t(config, ids::FIELD_REQUESTER_NAME),
            None,
            input("text", &draft.requester_name, &[("autocomplete", "name")]),
        );
        add(
            fields::REQUESTER_EMAIL,
            t(config, ids::FIELD_REQUESTER_EMAIL),
            None,
            input(
                "email",
                &draft.requester_email,
                &[("autocomplete", "email")],
            ),
        );
        let (item_slug, item_name, schema) = match item {
            Some((slug, name, schema)) => (Some(slug), name, Some(schema)),
            None => (None, String::new(), None),
        };
        let subject = if draft.subject.is_empty() {
            item_name
        } else {
            draft.subject.clone()
        };
        add(
            fields::SUBJECT,
            t(config, ids::FIELD_SUBJECT),
            None,
            input("text", &subject, &[]),
        );
        if let Some(schema) = &schema {
            for field in &schema.fields {
                let value = draft.answers.get(&field.key);
                let control = answer_control(config, field, value);
                let label = label_text(config, field);
                add(
                    &format!("answers.{}", field.key),
                    &label,
                    Some(field.kind.clone()),
                    control,
                );
            }
        }
        // A catalog form carries the details; the free text is then optional.
        let details = if schema.is_some() {
            format!(
                "{} {}",
                t(config, ids::FIELD_DETAILS),
                t(config, ids::OPTIONAL_MARK)
            )
        } else {
            t(config, ids::FIELD_DESCRIPTION).to_owned()
        };
        let area = el("textarea", "", &[("rows", "4")]);
        if let Some(area) = area.dyn_ref::<HtmlTextAreaElement>() {
            area.set_value(&draft.description);
        }
        add(fields::DESCRIPTION, &details, None, area);

        // People never see or reach the honeypot; form-filling bots do.
        let trap = el("div", "trap", &[("aria-hidden", "true")]);
        let honeypot = input("text", "", &[("tabindex", "-1"), ("autocomplete", "off")]);
        set(&honeypot, "name", "website");
        append(&trap, &honeypot);
        append(&element, &trap);

        let status = el(
            "p",
            "status",
            &[("role", "status"), ("aria-live", "polite")],
        );
        append(&element, &status);
        let submit = el("button", "submit", &[("type", "submit")]);
        text(&submit, t(config, ids::SUBMIT));
        append(&element, &submit);
        let form = Self {
            element,
            status,
            submit,
            controls,
            honeypot,
            schema,
            item: item_slug,
        };
        form.apply_conditions();
        form
    }

    /// What the form holds now (without the widget's own block).
    pub fn read(&self) -> Draft {
        let mut draft = Draft {
            catalog_item: self.item.clone(),
            ..Draft::default()
        };
        for control in &self.controls {
            let value = read_value(control);
            match control.name.as_str() {
                fields::REQUESTER_NAME => draft.requester_name = as_text(value),
                fields::REQUESTER_EMAIL => draft.requester_email = as_text(value),
                fields::SUBJECT => draft.subject = as_text(value),
                fields::DESCRIPTION => draft.description = as_text(value),
                name => {
                    if let (Some(key), Some(value)) = (name.strip_prefix("answers."), value) {
                        draft.answers.insert(key.to_owned(), value);
                    }
                }
            }
        }
        draft
    }

    pub fn honeypot(&self) -> String {
        self.honeypot
            .dyn_ref::<HtmlInputElement>()
            .map(HtmlInputElement::value)
            .unwrap_or_default()
    }

    /// Shows only the fields whose conditions hold for the current answers.
    pub fn apply_conditions(&self) {
        let Some(schema) = &self.schema else { return };
        let answers: Answers = self.read().answers;
        let visible = schema.visible_keys(&answers);
        for control in &self.controls {
            if let Some(key) = control.name.strip_prefix("answers.") {
                show(&control.wrapper, visible.contains(&key));
            }
        }
    }

    /// The same checks the desk runs, before anything is sent.
    pub fn check(&self, draft: &Draft) -> ValidationErrors {
        let mut errors = edgedesk_core::NewRequest::parse(draft)
            .err()
            .unwrap_or_default();
        if let Some(schema) = &self.schema
            && let Err(answers) = schema.validate(&draft.answers)
        {
            for mut error in answers.0 {
                error.field = format!("answers.{}", error.field);
                errors.push(error);
            }
        }
        errors
    }

    /// Marks each control with its error (by field name) and focuses the first; `messages`
    /// gives each error's text.
    pub fn show_errors(&self, errors: &[(String, String)]) {
        let mut first = None;
        for control in &self.controls {
            let message = errors
                .iter()
                .find(|(field, _)| *field == control.name)
                .map(|(_, m)| m.as_str());
            text(&control.error, message.unwrap_or_default());
            show(&control.error, message.is_some());
            if message.is_some() {
                set(&control.input, "aria-invalid", "true");
                first.get_or_insert_with(|| control.input.clone());
            } else {
                let _ = control.input.remove_attribute("aria-invalid");
            }
        }
        if let Some(first) = first {
            crate::dom::focus(&first);
        }
    }
}

/// The error messages of `errors` in the widget's language (by code, and limit when there is a
/// message for that exact limit).
pub fn messages(config: &WidgetConfig, errors: &ValidationErrors) -> Vec<(String, String)> {
    errors
        .0
        .iter()
        .map(|e| {
            let code = e.code.as_str();
            let message = e
                .limit
                .and_then(|limit| config.messages.get(&format!("{code}:{limit}")))
                .or_else(|| config.messages.get(code))
                .cloned()
                .unwrap_or_else(|| e.message.clone());
            (e.field.clone(), message)
        })
        .collect()
}

fn input(kind: &str, value: &str, attrs: &[(&str, &str)]) -> Element {
    let element = el("input", "", attrs);
    set(&element, "type", kind);
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        input.set_value(value);
    }
    element
}

/// Wraps `input` with its label and error slot; ids come from the field name so that labels,
/// `aria-describedby` and tests can find them.
fn labelled(name: &str, label: &str, kind: Option<FieldKind>, input: Element) -> Control {
    let id = format!("ed-{}", name.replace('.', "-"));
    let wrapper = el("div", "field", &[]);
    let group = matches!(kind, Some(FieldKind::Multiselect));
    let caption = if group {
        el("span", "label", &[("id", &format!("{id}-label"))])
    } else {
        el("label", "label", &[("for", &id)])
    };
    text(&caption, label);
    let error_id = format!("{id}-error");
    let error = el("p", "error", &[("id", &error_id), ("hidden", "")]);
    set(&input, "id", &id);
    set(&input, "name", name);
    set(&input, "aria-describedby", &error_id);
    if group {
        set(&input, "aria-labelledby", &format!("{id}-label"));
    }
    append(&wrapper, &caption);
    append(&wrapper, &input);
    append(&wrapper, &error);
    Control {
        name: name.to_owned(),
        kind,
        wrapper,
        input,
        error,
    }
}

fn label_text(config: &WidgetConfig, field: &Field) -> String {
    let label = field
        .label
        .resolve(&config.locale, &config.org.default_locale)
        .to_owned();
    if field.required {
        label
    } else {
        format!("{label} {}", t(config, ids::OPTIONAL_MARK))
    }
}

/// The control for one answer, by the field's kind, showing `value`.
fn answer_control(config: &WidgetConfig, field: &Field, value: Option<&Value>) -> Element {
    let shown = match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let localized = |text: &edgedesk_core::form::LocalizedText| {
        text.resolve(&config.locale, &config.org.default_locale)
            .to_owned()
    };
    match &field.kind {
        FieldKind::Textarea => {
            let area = el("textarea", "", &[("rows", "3")]);
            if let Some(area) = area.dyn_ref::<HtmlTextAreaElement>() {
                area.set_value(&shown);
            }
            area
        }
        FieldKind::Email => input("email", &shown, &[]),
        FieldKind::Phone => input("tel", &shown, &[]),
        FieldKind::Number { .. } => input("number", &shown, &[("inputmode", "decimal")]),
        FieldKind::Date => input("date", &shown, &[]),
        FieldKind::Datetime => input("datetime-local", &shown, &[]),
        FieldKind::Checkbox => {
            let check = input("checkbox", "", &[]);
            if let Some(check) = check.dyn_ref::<HtmlInputElement>() {
                check.set_checked(matches!(value, Some(Value::Bool(true))));
            }
            check
        }
        FieldKind::Multiselect => {
            let set_el = el("div", "choices", &[("role", "group")]);
            let chosen: Vec<&str> = match value {
                Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            for option in &field.options {
                let row = el("label", "choice", &[]);
                let check = input("checkbox", &option.value, &[]);
                if let Some(check) = check.dyn_ref::<HtmlInputElement>() {
                    check.set_checked(chosen.contains(&option.value.as_str()));
                }
                append(&row, &check);
                let caption = el("span", "", &[]);
                text(&caption, &localized(&option.label));
                append(&row, &caption);
                append(&set_el, &row);
            }
            set_el
        }
        FieldKind::Select | FieldKind::Impact | FieldKind::Urgency => {
            let select = el("select", "", &[]);
            let placeholder = el("option", "", &[("value", "")]);
            text(&placeholder, t(config, ids::CHOOSE_OPTION));
            append(&select, &placeholder);
            let choices: Vec<(String, String)> = match field.kind {
                FieldKind::Impact | FieldKind::Urgency => ["high", "medium", "low"]
                    .iter()
                    .map(|v| {
                        // The id put together from the field type, as TEXT_IDS names these
                        // (core's tests check each is one): six constants would add their
                        // text to the download.
                        let id = format!("{}-{v}", field.kind.as_str());
                        let label = config.texts.get(&id).unwrap_or(&id);
                        ((*v).to_owned(), label.clone())
                    })
                    .collect(),
                _ => field
                    .options
                    .iter()
                    .map(|o| (o.value.clone(), localized(&o.label)))
                    .collect(),
            };
            for (value, label) in choices {
                let option = el("option", "", &[("value", &value)]);
                text(&option, &label);
                append(&select, &option);
            }
            if let Some(select) = select.dyn_ref::<HtmlSelectElement>() {
                select.set_value(&shown);
            }
            select
        }
        FieldKind::Text => input("text", &shown, &[]),
    }
}

/// A control's value as an answer: `None` when empty.
fn read_value(control: &Control) -> Option<Value> {
    let element = &control.input;
    match control.kind {
        Some(FieldKind::Checkbox) => element
            .dyn_ref::<HtmlInputElement>()
            .map(|c| Value::Bool(c.checked())),
        Some(FieldKind::Multiselect) => {
            let mut chosen = Vec::new();
            if let Ok(list) = element.query_selector_all("input:checked") {
                for i in 0..list.length() {
                    if let Some(check) = list
                        .get(i)
                        .and_then(|n| n.dyn_into::<HtmlInputElement>().ok())
                    {
                        chosen.push(Value::String(check.value()));
                    }
                }
            }
            (!chosen.is_empty()).then_some(Value::Array(chosen))
        }
        _ => {
            let raw = if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
                input.value()
            } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
                area.value()
            } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
                select.value()
            } else {
                String::new()
            };
            (!raw.is_empty()).then_some(Value::String(raw))
        }
    }
}

fn as_text(value: Option<Value>) -> String {
    match value {
        Some(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Context keys the host page may not override.
pub fn with_page(
    mut context: BTreeMap<String, String>,
    page_url: &str,
) -> BTreeMap<String, String> {
    if !page_url.is_empty() {
        context.insert("page_url".to_owned(), page_url.chars().take(500).collect());
    }
    context
}
