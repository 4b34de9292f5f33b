//! A labelled text input or textarea with its inline, announced validation message.

use leptos::prelude::*;

/// One form field. The input's `id`/`name` is `name`; its message lives in `{name}-error` and is
/// linked with `aria-describedby` while the field is invalid.
#[component]
pub fn TextField(
    /// Field key, used as the input's id and name.
    name: &'static str,
    /// Visible label (reactive, so it follows the language).
    #[prop(into)]
    label: Signal<String>,
    /// Current value; typing writes it.
    value: RwSignal<String>,
    /// The message to show, when the field is invalid (already in the requester's language).
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Checks the field: on blur, and on every keystroke while it is invalid, so a fixed field
    /// clears its message as soon as it is right (not later, when a layout shift could make
    /// the next click miss).
    validate: Callback<()>,
    /// Renders a textarea instead of a single-line input.
    #[prop(optional)]
    multiline: bool,
    /// The input's `type` (e.g. `email`); `text` by default.
    #[prop(optional)]
    input_type: Option<&'static str>,
    /// Browser autofill hint.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// The field may be left empty (e.g. the description of a catalog request).
    #[prop(optional)]
    optional: bool,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error.get().map(|_| error_id.clone())
    };
    let invalid = move || error.get().map(|_| "true");
    let on_input = move |ev| {
        value.set(event_target_value(&ev));
        if error.get_untracked().is_some() {
            validate.run(());
        }
    };
    // Free text takes the direction of what is typed (a Hebrew subject in the English portal);
    // email addresses are left-to-right in every language.
    let dir = if input_type == Some("email") {
        "ltr"
    } else {
        "auto"
    };
    let control = if multiline {
        view! {
            <textarea
                id=name
                name=name
                rows="7"
                dir=dir
                required=!optional
                aria-invalid=invalid
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=on_input
                on:blur=move |_| validate.run(())
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=name
                name=name
                type=input_type.unwrap_or("text")
                autocomplete=autocomplete
                dir=dir
                required=!optional
                aria-invalid=invalid
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=on_input
                on:blur=move |_| validate.run(())
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label for=name>{move || label.get()}</label>
            {control}
            <p id=error_id class="field__error" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}
