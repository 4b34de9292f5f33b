//! One field of a catalog item's form, rendered by its kind, with its help and inline error.

use std::sync::Arc;

use edgedesk_core::form::{Answers, Field, FieldKind, LocalizedText};
use edgedesk_core::i18n::ids;
use leptos::prelude::*;
use serde_json::Value;

use crate::i18n::{self, optional_label, plain_number, t, tr};

/// The DOM id of an answer's control. Prefixed so that a form key such as `subject` cannot
/// collide with the contact fields, which use their bare names.
#[must_use]
pub fn answer_id(key: &str) -> String {
    format!("answer-{key}")
}

/// The labels of the fixed impact and urgency choices, by value, in the current language.
#[must_use]
pub fn level_label(kind: &str, value: &str) -> Option<String> {
    let id = match (kind, value) {
        ("impact", "high") => ids::IMPACT_HIGH,
        ("impact", "medium") => ids::IMPACT_MEDIUM,
        ("impact", "low") => ids::IMPACT_LOW,
        ("urgency", "high") => ids::URGENCY_HIGH,
        ("urgency", "medium") => ids::URGENCY_MEDIUM,
        ("urgency", "low") => ids::URGENCY_LOW,
        _ => return None,
    };
    Some(t(id))
}

/// Text of a localized label in the current language (reactive), with the organisation's
/// default and English as fallbacks.
#[must_use]
pub fn localized(text: &LocalizedText, default_locale: &str) -> String {
    text.resolve(i18n::locale().code(), default_locale)
        .to_owned()
}

/// What an input shows for a stored answer: text as is, a number (a default from the schema)
/// in plain digits, anything else as empty.
fn as_input_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        _ => String::new(),
    }
}

/// The element ids that describe a control: its help, and its message while it is invalid.
fn described_by(help_id: Option<&str>, error_id: &str, invalid: bool) -> Option<String> {
    // Written out rather than `[&str]::join`: the portal's other join (of `String`s) is
    // compiled separately, and this one would be a second copy.
    match (help_id, invalid) {
        (Some(help), true) => Some(format!("{help} {error_id}")),
        (Some(help), false) => Some(help.to_owned()),
        (None, true) => Some(error_id.to_owned()),
        (None, false) => None,
    }
}

/// One answer control chosen by the field's kind. The control's id is [`answer_id`]; its
/// message lives in `{id}-error` (announced politely) and its help in `{id}-help`, both linked
/// with `aria-describedby`. A multiselect is a fieldset of checkboxes whose first box carries
/// the id, so focus can land on it.
#[component]
pub fn FormField(
    /// The checked field from the item's schema.
    field: Field,
    /// The organisation's default locale: the second step of the label fallback chain.
    default_locale: Arc<str>,
    /// Every answer of the form; this field reads and writes its own key.
    answers: RwSignal<Answers>,
    /// The message to show while the field is invalid (already in the requester's language).
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Checks the field: on blur and on choice changes, and on every keystroke while it is
    /// invalid, so a fixed field clears its message at once.
    validate: Callback<()>,
) -> impl IntoView {
    let Field {
        key,
        kind,
        label,
        help,
        required,
        options,
        ..
    } = field;
    let id = answer_id(&key);
    let error_id = format!("{id}-error");
    let help_id = (!help.is_empty()).then(|| format!("{id}-help"));
    let key = Arc::<str>::from(key);

    // The choices below need the locale too; the label closure takes the original.
    let choices_locale = default_locale.clone();
    let help_view = help_id.clone().map(|help_id| {
        let default_locale = default_locale.clone();
        view! { <p id=help_id class="field__help">{move || localized(&help, &default_locale)}</p> }
    });
    let label_text = move || {
        let text = localized(&label, &default_locale);
        if required {
            text
        } else {
            optional_label(&text)
        }
    };
    let describe = {
        let error_id = error_id.clone();
        move || described_by(help_id.as_deref(), &error_id, error.get().is_some())
    };
    let invalid = move || error.get().map(|_| "true");
    let current = {
        let key = key.clone();
        move || as_input_text(answers.read().get(&*key))
    };
    let set_text = {
        let key = key.clone();
        move |text: String| {
            answers.update(|all| {
                all.insert(key.to_string(), Value::String(text));
            });
        }
    };
    let on_input = {
        let set_text = set_text.clone();
        move |ev| {
            set_text(event_target_value(&ev));
            if error.get_untracked().is_some() {
                validate.run(());
            }
        }
    };
    let on_change = move |ev| {
        set_text(event_target_value(&ev));
        validate.run(());
    };
    let message = view! {
        <p id=error_id class="field__error" aria-live="polite">{move || error.get()}</p>
    };

    let control = match kind {
        FieldKind::Textarea => view! {
            <textarea
                id=id.clone()
                name=id.clone()
                rows="5"
                dir="auto"
                required=required
                aria-invalid=invalid
                aria-describedby=describe
                prop:value=current
                on:input=on_input
                on:blur=move |_| validate.run(())
            ></textarea>
        }
        .into_any(),
        FieldKind::Select | FieldKind::Impact | FieldKind::Urgency => {
            let kind_name = kind.as_str();
            // Impact and urgency offer fixed choices whose labels are the portal's own.
            let choices: Vec<(String, Option<LocalizedText>)> = match kind {
                FieldKind::Select => options
                    .into_iter()
                    .map(|o| (o.value, Some(o.label)))
                    .collect(),
                _ => ["high", "medium", "low"]
                    .into_iter()
                    .map(|v| (v.to_owned(), None))
                    .collect(),
            };
            let placeholder_selected = {
                let current = current.clone();
                move || current().is_empty()
            };
            view! {
                <select
                    id=id.clone()
                    name=id.clone()
                    required=required
                    aria-invalid=invalid
                    aria-describedby=describe
                    on:change=on_change
                    on:blur=move |_| validate.run(())
                >
                    <option value="" prop:selected=placeholder_selected>{tr(ids::CHOOSE_OPTION)}</option>
                    {choices
                        .into_iter()
                        .map(|(value, text)| {
                            let default_locale = choices_locale.clone();
                            let current = current.clone();
                            let chosen = value.clone();
                            let shown = value.clone();
                            view! {
                                <option
                                    value=value
                                    prop:selected=move || current() == chosen
                                >
                                    {move || match &text {
                                        Some(text) => localized(text, &default_locale),
                                        None => level_label(kind_name, &shown).unwrap_or_else(|| shown.clone()),
                                    }}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        FieldKind::Checkbox => {
            let checked = {
                let key = key.clone();
                move || answers.read().get(&*key).and_then(Value::as_bool) == Some(true)
            };
            // The box sits before its label, as platform checkboxes do; so the whole field is
            // returned here rather than as a control between label and message.
            return view! {
                <div class="field field--choice" class:field--invalid=move || error.get().is_some()>
                    <div class="choice">
                        <input
                            type="checkbox"
                            id=id.clone()
                            name=id.clone()
                            required=required
                            aria-invalid=invalid
                            aria-describedby=describe
                            prop:checked=checked
                            on:change=move |ev| {
                                let ticked = event_target_checked(&ev);
                                answers.update(|all| {
                                    all.insert(key.to_string(), Value::Bool(ticked));
                                });
                                validate.run(());
                            }
                        />
                        <label for=id>{label_text}</label>
                    </div>
                    {help_view}
                    {message}
                </div>
            }
            .into_any();
        }
        FieldKind::Multiselect => {
            let boxes = options
                .into_iter()
                .enumerate()
                .map(|(i, option)| {
                    // The first box carries the field's id: focus lands there on an error.
                    let box_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                    let (key, value, default_locale) =
                        (key.clone(), option.value.clone(), choices_locale.clone());
                    let is_chosen = {
                        let (key, value) = (key.clone(), value.clone());
                        move || {
                            answers
                                .read()
                                .get(&*key)
                                .and_then(Value::as_array)
                                .is_some_and(|all| all.iter().any(|v| v.as_str() == Some(&value)))
                        }
                    };
                    let on_toggle = move |ev| {
                        let ticked = event_target_checked(&ev);
                        answers.update(|all| {
                            let mut chosen: Vec<Value> = all
                                .get(&*key)
                                .and_then(Value::as_array)
                                .cloned()
                                .unwrap_or_default();
                            chosen.retain(|v| v.as_str() != Some(&value));
                            if ticked {
                                chosen.push(Value::String(value.clone()));
                            }
                            all.insert(key.to_string(), Value::Array(chosen));
                        });
                        validate.run(());
                    };
                    view! {
                        <div class="choice">
                            <input
                                type="checkbox"
                                id=box_id.clone()
                                name=id.clone()
                                value=option.value
                                aria-invalid=invalid
                                prop:checked=is_chosen
                                on:change=on_toggle
                            />
                            <label for=box_id>{move || localized(&option.label, &default_locale)}</label>
                        </div>
                    }
                })
                .collect_view();
            return view! {
                <fieldset
                    class="field field--group"
                    class:field--invalid=move || error.get().is_some()
                    aria-describedby=describe
                >
                    <legend>{label_text}</legend>
                    {help_view}
                    <div class="choices">{boxes}</div>
                    {message}
                </fieldset>
            }
            .into_any();
        }
        other => {
            // Single-line inputs; addresses, numbers and dates read left to right everywhere.
            let (input_type, dir, inputmode) = match other {
                FieldKind::Email => ("email", "ltr", None),
                FieldKind::Phone => ("tel", "ltr", Some("tel")),
                FieldKind::Number { .. } => ("number", "ltr", Some("decimal")),
                FieldKind::Date => ("date", "ltr", None),
                FieldKind::Datetime => ("datetime-local", "ltr", None),
                _ => ("text", "auto", None),
            };
            let (min, max, step) = match other {
                FieldKind::Number { min, max, step } => (
                    min.map(plain_number),
                    max.map(plain_number),
                    // Without a step any number is valid, so say so to the browser too.
                    Some(step.map_or_else(|| "any".to_owned(), plain_number)),
                ),
                _ => (None, None, None),
            };
            view! {
                <input
                    id=id.clone()
                    name=id.clone()
                    type=input_type
                    dir=dir
                    inputmode=inputmode
                    min=min
                    max=max
                    step=step
                    required=required
                    aria-invalid=invalid
                    aria-describedby=describe
                    prop:value=current
                    on:input=on_input
                    on:change=move |_| {
                        // Date pickers may change the value without an input event.
                        if error.get_untracked().is_some() {
                            validate.run(());
                        }
                    }
                    on:blur=move |_| validate.run(())
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label for=id>{label_text}</label>
            {help_view}
            {control}
            {message}
        </div>
    }
    .into_any()
}
