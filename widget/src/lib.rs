//! EdgeDesk's embeddable request widget: `widget.js` (the loader) opens a shadow root on the
//! host page and calls [`mount`] the first time the requester opens the widget. Everything here
//! is plain DOM (no framework) to stay small; texts come from the desk in the widget's locale,
//! answers are checked by the same core code as in the worker, and what the requester typed is
//! kept in the host's `localStorage` (drafts, and an outbox retried when back online).

mod api;
mod dom;
mod form;
mod store;
mod wire;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use edgedesk_core::form::{FormSchema, FormSchemaInput, LocalizedText};
use edgedesk_core::i18n::{MessageId, ids};
use edgedesk_core::widget::{WidgetConfig, WidgetSubmission};
use serde_json::Value;
use wasm_bindgen::JsCast as _;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::Element;

use crate::dom::{append, clear, el, on, set, text};
use crate::form::Form;
use crate::wire::{Object, list, optional, or_default, required, string, strings};

/// What the loader hands over (JSON): the desk's origin and the element's attributes.
#[derive(Debug, Default)]
struct Options {
    base: String,
    org: String,
    item: Option<String>,
    locale: String,
    name: String,
    email: String,
    context: BTreeMap<String, String>,
    page_url: String,
}

impl Options {
    /// All or nothing, as before: one value of the wrong type leaves every option empty.
    fn read(value: &Value) -> Option<Self> {
        let obj = value.as_object()?;
        Some(Self {
            base: or_default(obj, "base", string)?,
            org: or_default(obj, "org", string)?,
            item: optional(obj, "item", string)?,
            locale: or_default(obj, "locale", string)?,
            name: or_default(obj, "name", string)?,
            email: or_default(obj, "email", string)?,
            context: or_default(obj, "context", strings)?,
            page_url: or_default(obj, "page_url", string)?,
        })
    }
}

struct Widget {
    opts: Options,
    root: Element,
    config: WidgetConfig,
    on_submitted: js_sys::Function,
    form: Option<Rc<Form>>,
    /// Whether the catalog was shown (then the form offers a way back).
    from_catalog: bool,
}

type Shared = Rc<RefCell<Widget>>;

/// Draws the widget into `root` (inside the loader's shadow root). `options` is JSON (see
/// `Options`); `on_submitted(reference, id)` runs after each accepted request.
#[wasm_bindgen]
pub fn mount(root: Element, options: &str, on_submitted: js_sys::Function) {
    let opts = edgedesk_core::json::parse(options)
        .as_ref()
        .and_then(Options::read)
        .unwrap_or_default();
    spawn_local(start(root, opts, on_submitted));
}

/// Message `id` as the desk rendered it for this widget (else the id itself, visibly).
fn t(config: &WidgetConfig, id: MessageId) -> String {
    config
        .texts
        .get(id.as_str())
        .cloned()
        .unwrap_or_else(|| id.as_str().to_owned())
}

/// An alert in `root` in place of everything else (refusals, an unreachable desk).
fn alert(root: &Element, message: &str) {
    clear(root);
    let p = el("p", "alert", &[("role", "alert")]);
    text(&p, message);
    append(root, &p);
}

/// What the widget reads of a problem+json answer.
#[derive(Debug, Default)]
struct Problem {
    title: String,
    /// Field name and message of each field error.
    errors: Vec<(String, String)>,
}

impl Problem {
    fn read(obj: &Object) -> Option<Self> {
        Some(Self {
            title: or_default(obj, "title", string)?,
            errors: or_default(obj, "errors", |v| {
                list(v, |e| {
                    let e = e.as_object()?;
                    Some((
                        or_default(e, "field", string)?,
                        or_default(e, "message", string)?,
                    ))
                })
            })?,
        })
    }

    fn of(reply: &api::Reply) -> Self {
        let mut problem = reply.object(Self::read).unwrap_or_default();
        if problem.title.is_empty() {
            "The help desk could not take this request.".clone_into(&mut problem.title);
        }
        problem
    }
}

/// The part of `GET …/catalog` the widget lists (core's `CatalogView` has far more).
#[derive(Debug, Default)]
struct CatalogItems {
    default_locale: String,
    /// Slug and name of each item.
    items: Vec<(String, LocalizedText)>,
}

impl CatalogItems {
    fn read(obj: &Object) -> Option<Self> {
        Some(Self {
            default_locale: or_default(obj, "default_locale", string)?,
            items: or_default(obj, "items", |v| {
                list(v, |item| {
                    let item = item.as_object()?;
                    Some((
                        or_default(item, "slug", string)?,
                        LocalizedText(or_default(item, "name", strings)?),
                    ))
                })
            })?,
        })
    }
}

/// The part of `GET …/catalog/{item}` the widget uses.
#[derive(Debug)]
struct ItemForm {
    slug: String,
    name: LocalizedText,
    default_locale: String,
    form: FormSchemaInput,
}

impl ItemForm {
    fn read(obj: &Object) -> Option<Self> {
        Some(Self {
            slug: required(obj, "slug", string)?,
            name: LocalizedText(required(obj, "name", strings)?),
            default_locale: required(obj, "default_locale", string)?,
            form: required(obj, "form", wire::form_schema_input)?,
        })
    }
}

async fn start(root: Element, opts: Options, on_submitted: js_sys::Function) {
    let url = format!("{}/api/v1/orgs/{}/widget", opts.base, opts.org);
    let config = match api::call("GET", &url, &opts.locale, None).await {
        Ok(reply) if reply.status == 200 => reply.json().as_ref().and_then(wire::widget_config),
        Ok(reply) => return alert(&root, &Problem::of(&reply).title),
        Err(api::Unreachable) => None,
    };
    let Some(config) = config else {
        return alert(
            &root,
            "The help desk could not be reached. Please try again later.",
        );
    };
    set(&root, "dir", &config.dir);
    set(&root, "lang", &config.locale);
    let widget = Rc::new(RefCell::new(Widget {
        opts,
        root,
        config,
        on_submitted,
        form: None,
        from_catalog: false,
    }));
    let item = widget.borrow().opts.item.clone();
    match item {
        Some(item) => open_item(&widget, &item).await,
        None => open_catalog(&widget).await,
    }
    flush_outbox(&widget).await;
    // Requests kept while offline go out as soon as the browser is back online.
    if let Some(window) = web_sys::window() {
        let shared = widget.clone();
        let closure = Closure::<dyn FnMut()>::new(move || {
            let shared = shared.clone();
            spawn_local(async move { flush_outbox(&shared).await });
        });
        let _ = window.add_event_listener_with_callback("online", closure.as_ref().unchecked_ref());
        closure.forget();
    }
}

fn catalog_url(widget: &Shared, rest: &str) -> (String, String) {
    let w = widget.borrow();
    (
        format!("{}/api/v1/orgs/{}/catalog{rest}", w.opts.base, w.opts.org),
        w.config.locale.clone(),
    )
}

/// The form of catalog item `slug`; an item that is gone falls back to a plain request.
async fn open_item(widget: &Shared, slug: &str) {
    let (url, locale) = catalog_url(widget, &format!("/{slug}"));
    let item = match api::call("GET", &url, &locale, None).await {
        Ok(reply) if reply.status == 200 => reply.object(ItemForm::read),
        _ => None,
    };
    let item = item.and_then(|view| {
        let schema = FormSchema::parse(&view.form).ok()?;
        let w = widget.borrow();
        let name = view
            .name
            .resolve(&w.config.locale, &view.default_locale)
            .to_owned();
        Some((view.slug, name, schema))
    });
    show_form(widget, item);
}

/// The catalog's items to choose from, and a plain request.
async fn open_catalog(widget: &Shared) {
    let (url, locale) = catalog_url(widget, "");
    let catalog = match api::call("GET", &url, &locale, None).await {
        Ok(reply) if reply.status == 200 => reply.object(CatalogItems::read),
        _ => None,
    };
    let Some(catalog) = catalog.filter(|c| !c.items.is_empty()) else {
        return show_form(widget, None);
    };
    let w = widget.borrow();
    clear(&w.root);
    let heading = el("h2", "title", &[]);
    text(&heading, &t(&w.config, ids::CATALOG_TITLE));
    append(&w.root, &heading);
    let list = el("ul", "items", &[]);
    let mut entries: Vec<(Option<String>, String)> = catalog
        .items
        .iter()
        .map(|(slug, name)| {
            (
                Some(slug.clone()),
                name.resolve(&w.config.locale, &catalog.default_locale)
                    .to_owned(),
            )
        })
        .collect();
    entries.push((None, t(&w.config, ids::CATALOG_FREE_FORM_LINK)));
    for (slug, name) in entries {
        let row = el("li", "", &[]);
        let button = el("button", "item", &[("type", "button")]);
        text(&button, &name);
        let shared = widget.clone();
        on(&button, "click", move |_| {
            shared.borrow_mut().from_catalog = true;
            let shared = shared.clone();
            let slug = slug.clone();
            spawn_local(async move {
                match slug {
                    Some(slug) => open_item(&shared, &slug).await,
                    None => show_form(&shared, None),
                }
            });
        });
        append(&row, &button);
        append(&list, &row);
    }
    append(&w.root, &list);
}

fn show_form(widget: &Shared, item: Option<(String, String, FormSchema)>) {
    let slug = item.as_ref().map(|(slug, _, _)| slug.clone());
    let form = {
        let w = widget.borrow();
        let draft = store::draft(&w.opts.org, slug.as_deref()).unwrap_or_else(|| form::Draft {
            requester_name: w.opts.name.clone(),
            requester_email: w.opts.email.clone(),
            ..form::Draft::default()
        });
        clear(&w.root);
        if w.from_catalog {
            let back = el("button", "back", &[("type", "button")]);
            text(&back, &t(&w.config, ids::BACK_TO_CATALOG));
            let shared = widget.clone();
            on(&back, "click", move |_| {
                let shared = shared.clone();
                spawn_local(async move { open_catalog(&shared).await });
            });
            append(&w.root, &back);
        }
        let heading = el("h2", "title", &[]);
        text(&heading, &t(&w.config, ids::WIDGET_TITLE));
        append(&w.root, &heading);
        let form = Rc::new(Form::new(&w.config, item, &draft));
        append(&w.root, &form.element);
        form
    };
    let org = widget.borrow().opts.org.clone();
    let kept = form.clone();
    let draft_slug = slug.clone();
    on(&form.element, "input", move |_| {
        kept.apply_conditions();
        store::save_draft(&org, draft_slug.as_deref(), &kept.read());
    });
    let kept = form.clone();
    on(&form.element, "change", move |_| kept.apply_conditions());
    let shared = widget.clone();
    on(&form.element, "submit", move |event| {
        event.prevent_default();
        let shared = shared.clone();
        let slug = slug.clone();
        spawn_local(async move { submit(&shared, slug.as_deref()).await });
    });
    widget.borrow_mut().form = Some(form);
}

/// What became of one request sent to the desk.
enum Outcome {
    Accepted {
        reference: String,
        id: String,
    },
    /// Not sent (offline) or the desk could not take it now (5xx, 429): keep it and retry.
    Later,
    /// The desk refused it (4xx): its problem+json.
    Refused(Problem),
}

/// The reference and id of what the desk answered to a created request (core's
/// `CreatedRequest`).
fn created_request(obj: &Object) -> Option<(String, String)> {
    Some((
        or_default(obj, "reference", string)?,
        or_default(obj, "id", string)?,
    ))
}

async fn send(widget: &Shared, body: &str) -> Outcome {
    let (url, locale) = {
        let w = widget.borrow();
        (
            format!("{}/api/v1/orgs/{}/requests", w.opts.base, w.opts.org),
            w.config.locale.clone(),
        )
    };
    match api::call("POST", &url, &locale, Some(body)).await {
        Ok(reply) if reply.status == 201 => {
            let (reference, id) = reply.object(created_request).unwrap_or_default();
            Outcome::Accepted { reference, id }
        }
        Ok(reply) if reply.status == 429 || reply.status >= 500 => Outcome::Later,
        Ok(reply) => Outcome::Refused(Problem::of(&reply)),
        Err(api::Unreachable) => Outcome::Later,
    }
}

async fn submit(widget: &Shared, slug: Option<&str>) {
    let Some(form) = widget.borrow().form.clone() else {
        return;
    };
    if form.submit.has_attribute("disabled") {
        return;
    }
    let draft = form.read();
    let errors = form.check(&draft);
    if !errors.is_empty() {
        let w = widget.borrow();
        form.show_errors(&form::messages(&w.config, &errors));
        text(&form.status, &t(&w.config, ids::FIX_ERRORS));
        return;
    }
    form.show_errors(&[]);
    let body = {
        let w = widget.borrow();
        let mut body = draft.clone();
        body.widget = Some(WidgetSubmission {
            form_token: w.config.form_token.clone(),
            website: form.honeypot(),
            context: form::with_page(w.opts.context.clone(), &w.opts.page_url),
        });
        serde_json::to_string(&body).unwrap_or_default()
    };
    let (submit_label, sending_label) = {
        let w = widget.borrow();
        (t(&w.config, ids::SUBMIT), t(&w.config, ids::SUBMITTING))
    };
    set(&form.submit, "disabled", "");
    text(&form.submit, &sending_label);
    let outcome = send(widget, &body).await;
    let _ = form.submit.remove_attribute("disabled");
    text(&form.submit, &submit_label);
    let org = widget.borrow().opts.org.clone();
    match outcome {
        Outcome::Accepted { reference, id } => {
            store::clear_draft(&org, slug);
            show_sent(widget, &reference, &id);
        }
        Outcome::Later => {
            store::push_outbox(&org, &body);
            store::clear_draft(&org, slug);
            let w = widget.borrow();
            text(&form.status, &t(&w.config, ids::WIDGET_SAVED_OFFLINE));
        }
        Outcome::Refused(problem) => {
            form.show_errors(&problem.errors);
            set(&form.status, "role", "alert");
            text(&form.status, &problem.title);
        }
    }
}

/// The thank-you view with the reference; tells the host page.
fn show_sent(widget: &Shared, reference: &str, id: &str) {
    let w = widget.borrow();
    let _ = w
        .on_submitted
        .call2(&JsValue::NULL, &reference.into(), &id.into());
    clear(&w.root);
    let done = el("p", "sent", &[("role", "status")]);
    text(
        &done,
        &t(&w.config, ids::WIDGET_SENT).replace("{reference}", reference),
    );
    append(&w.root, &done);
    let again = el("button", "submit", &[("type", "button")]);
    text(&again, &t(&w.config, ids::WIDGET_NEW));
    let shared = widget.clone();
    on(&again, "click", move |_| {
        let shared = shared.clone();
        spawn_local(async move {
            let item = shared.borrow().opts.item.clone();
            match item {
                Some(item) => open_item(&shared, &item).await,
                None => open_catalog(&shared).await,
            }
        });
    });
    append(&w.root, &again);
    dom::focus(&done);
}

/// Sends what was kept while offline; refused ones come back as the current draft so nothing
/// typed is lost.
async fn flush_outbox(widget: &Shared) {
    let org = widget.borrow().opts.org.clone();
    let kept = store::take_outbox(&org);
    let mut later = Vec::new();
    for body in kept {
        match send(widget, &body).await {
            Outcome::Accepted { reference, id } => {
                let w = widget.borrow();
                let _ =
                    w.on_submitted
                        .call2(&JsValue::NULL, &reference.as_str().into(), &id.into());
                if let Some(form) = &w.form {
                    text(
                        &form.status,
                        &t(&w.config, ids::WIDGET_SENT).replace("{reference}", &reference),
                    );
                }
            }
            Outcome::Later => later.push(body),
            Outcome::Refused(_) => {
                if let Some(mut draft) = edgedesk_core::json::parse(&body)
                    .as_ref()
                    .and_then(wire::new_request_input)
                {
                    draft.widget = None;
                    store::save_draft(&org, draft.catalog_item.clone().as_deref(), &draft);
                }
            }
        }
    }
    for body in later {
        store::push_outbox(&org, &body);
    }
}

#[cfg(test)]
mod tests;
