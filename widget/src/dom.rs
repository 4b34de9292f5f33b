//! Small DOM helpers: elements are built with text nodes and attributes only, never HTML
//! strings, so requester and admin text can never become markup.

use wasm_bindgen::JsCast as _;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event, HtmlElement};

pub fn document() -> Document {
    // The widget only ever runs in a page.
    web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("no document")
}

/// `<tag class=…>` with `attrs`.
pub fn el(tag: &str, class: &str, attrs: &[(&str, &str)]) -> Element {
    let element = document().create_element(tag).expect_throw("createElement");
    if !class.is_empty() {
        element.set_class_name(class);
    }
    for (name, value) in attrs {
        set(&element, name, value);
    }
    element
}

pub fn set(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

/// Replaces the children of `element` with `text` (a text node).
pub fn text(element: &Element, text: &str) {
    element.set_text_content(Some(text));
}

pub fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

pub fn clear(element: &Element) {
    element.set_text_content(None);
}

pub fn show(element: &Element, visible: bool) {
    if visible {
        let _ = element.remove_attribute("hidden");
    } else {
        set(element, "hidden", "");
    }
}

pub fn focus(element: &Element) {
    if let Some(html) = element.dyn_ref::<HtmlElement>() {
        let _ = html.focus();
    }
}

/// Runs `handler` on every `event` of `target` for the page's lifetime.
pub fn on(target: &Element, event: &str, handler: impl FnMut(Event) + 'static) {
    let closure = Closure::<dyn FnMut(Event)>::new(handler);
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    closure.forget();
}
