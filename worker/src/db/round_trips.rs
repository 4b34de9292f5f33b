//! Bench mode only: counts D1 round trips per request by wrapping the D1 binding in a JS Proxy.
//!
//! A prepared statement costs one round trip when run alone; a `batch` costs one for all its
//! statements. So trips = prepared − batched + batches, counted at the binding without touching
//! any query. Counts are per isolate: read them with one request in flight (the benchmark does).

use std::cell::Cell;

use wasm_bindgen::JsCast as _;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use worker::D1Database;

thread_local! {
    static PREPARED: Cell<u32> = const { Cell::new(0) };
    static BATCHED: Cell<u32> = const { Cell::new(0) };
    static BATCHES: Cell<u32> = const { Cell::new(0) };
    /// The proxy handler, made once per isolate (its closures live as long as the isolate).
    static HANDLER: js_sys::Object = handler();
}

fn bump(counter: &'static std::thread::LocalKey<Cell<u32>>, by: u32) {
    counter.with(|c| c.set(c.get().saturating_add(by)));
}

/// Starts counting for a new request.
pub fn reset() {
    for counter in [&PREPARED, &BATCHED, &BATCHES] {
        counter.with(|c| c.set(0));
    }
}

/// D1 round trips since [`reset`].
#[must_use]
pub fn count() -> u32 {
    let prepared = PREPARED.with(Cell::get);
    let batched = BATCHED.with(Cell::get);
    prepared.saturating_sub(batched) + BATCHES.with(Cell::get)
}

/// `db` behind a counting proxy; every method behaves as before.
#[must_use]
pub fn counted(db: &D1Database) -> D1Database {
    let target: &JsValue = db.as_ref();
    let target: js_sys::Object = target.clone().unchecked_into();
    HANDLER
        .with(|handler| js_sys::Proxy::new(&target, handler))
        .unchecked_into::<JsValue>()
        .unchecked_into()
}

/// Calls `target[name](arg)` with `target` as `this` (D1's methods need the real object).
fn call(target: &JsValue, name: &str, arg: &JsValue) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .map_or(JsValue::UNDEFINED, |f| {
            f.call1(target, arg).unwrap_or_else(|error| {
                // Rethrowing is not possible from here; a rejected promise keeps the error.
                js_sys::Promise::reject(&error).into()
            })
        })
}

fn handler() -> js_sys::Object {
    let get =
        Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(|target: JsValue, prop: JsValue| {
            match prop.as_string().as_deref() {
                Some("prepare") => {
                    let inner = target;
                    Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |query: JsValue| {
                        bump(&PREPARED, 1);
                        call(&inner, "prepare", &query)
                    })
                    .into_js_value()
                }
                Some("batch") => {
                    let inner = target;
                    Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |statements: JsValue| {
                        let len = statements
                            .dyn_ref::<js_sys::Array>()
                            .map_or(0, js_sys::Array::length);
                        bump(&BATCHED, len);
                        bump(&BATCHES, 1);
                        call(&inner, "batch", &statements)
                    })
                    .into_js_value()
                }
                _ => {
                    let value = js_sys::Reflect::get(&target, &prop).unwrap_or(JsValue::UNDEFINED);
                    match value.dyn_ref::<js_sys::Function>() {
                        Some(function) => function.bind0(&target).into(),
                        None => value,
                    }
                }
            }
        });
    let handler = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&handler, &JsValue::from_str("get"), &get.into_js_value());
    handler
}
