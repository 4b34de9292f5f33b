//! Bench mode only: counts D1 round trips and rows read and written by wrapping the D1 binding
//! in a JS Proxy.
//!
//! A prepared statement costs one round trip when run alone; a `batch` costs one for all its
//! statements. So trips = prepared − batched + batches, counted at the binding without touching
//! any query. Rows read are summed from D1's result `meta.rows_read` of every `all()`, `run()`
//! and `batch()` (D1 gives `first()` and `raw()` no meta, so those are not in the sum; the SLA
//! sweep uses none). Counts are per isolate: read them with one request (or cron run) in
//! flight (the benchmark does).

use std::cell::Cell;

use wasm_bindgen::JsCast as _;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use worker::D1Database;

thread_local! {
    static PREPARED: Cell<u32> = const { Cell::new(0) };
    static BATCHED: Cell<u32> = const { Cell::new(0) };
    static BATCHES: Cell<u32> = const { Cell::new(0) };
    static ROWS_READ: Cell<u32> = const { Cell::new(0) };
    static ROWS_WRITTEN: Cell<u32> = const { Cell::new(0) };
    /// The proxy handlers, made once per isolate (their closures live as long as the isolate).
    static HANDLER: js_sys::Object = handler();
    static STATEMENT_HANDLER: js_sys::Object = statement_handler();
}

fn bump(counter: &'static std::thread::LocalKey<Cell<u32>>, by: u32) {
    counter.with(|c| c.set(c.get().saturating_add(by)));
}

/// Starts counting for a new request.
pub fn reset() {
    for counter in [&PREPARED, &BATCHED, &BATCHES, &ROWS_READ, &ROWS_WRITTEN] {
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

/// Rows D1 reported reading since [`reset`] (see the module doc for what is counted).
#[must_use]
pub fn rows_read() -> u32 {
    ROWS_READ.with(Cell::get)
}

/// Rows D1 reported writing since [`reset`] (`meta.rows_written`, counted as rows read are).
#[must_use]
pub fn rows_written() -> u32 {
    ROWS_WRITTEN.with(Cell::get)
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
                        counted_statement(call(&inner, "prepare", &query))
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
                        tally_rows(call(&inner, "batch", &statements))
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

/// A prepared statement behind a proxy that tallies the rows its results read.
fn counted_statement(statement: JsValue) -> JsValue {
    let Some(target) = statement.dyn_ref::<js_sys::Object>() else {
        return statement;
    };
    STATEMENT_HANDLER
        .with(|handler| js_sys::Proxy::new(target, handler))
        .into()
}

/// Statements: `bind` gives a new statement (counted too), `all` and `run` a result promise
/// whose `meta.rows_read` is tallied; everything else is the statement's own.
fn statement_handler() -> js_sys::Object {
    let get =
        Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(|target: JsValue, prop: JsValue| {
            let value = js_sys::Reflect::get(&target, &prop).unwrap_or(JsValue::UNDEFINED);
            let Some(function) = value.dyn_ref::<js_sys::Function>() else {
                return value;
            };
            // D1's methods need the real statement as `this`.
            let bound = function.bind0(&target);
            match prop.as_string().as_deref() {
                Some("bind") => after_call(&bound, counted_statement),
                Some("all" | "run") => after_call(&bound, tally_rows),
                _ => bound.into(),
            }
        });
    let handler = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&handler, &JsValue::from_str("get"), &get.into_js_value());
    handler
}

/// `function` with `then` applied to what it returns. A proxy's `apply` trap receives the
/// arguments as one array, which a Rust closure can take (`bind` is variadic in JS).
fn after_call(function: &js_sys::Function, then: fn(JsValue) -> JsValue) -> JsValue {
    let apply = Closure::<dyn FnMut(JsValue, JsValue, JsValue) -> JsValue>::new(
        move |target: JsValue, this: JsValue, args: JsValue| {
            let target: js_sys::Function = target.unchecked_into();
            match js_sys::Reflect::apply(&target, &this, &args.unchecked_into()) {
                Ok(result) => then(result),
                // A bind or query error stays the caller's exception, as without the proxy.
                Err(error) => wasm_bindgen::throw_val(error),
            }
        },
    );
    let handler = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &handler,
        &JsValue::from_str("apply"),
        &apply.into_js_value(),
    );
    js_sys::Proxy::new(function, &handler).into()
}

/// `promise` (of one D1 result or a batch's array of them), adding their rows read to the
/// tally when it resolves; it resolves to the same value.
fn tally_rows(promise: JsValue) -> JsValue {
    let Some(then) = js_sys::Reflect::get(&promise, &JsValue::from_str("then"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return promise;
    };
    let tally = Closure::once_into_js(|value: JsValue| -> JsValue {
        let results = match value.dyn_ref::<js_sys::Array>() {
            Some(array) => array.to_vec(),
            None => vec![value.clone()],
        };
        for result in &results {
            let meta = |name: &str| {
                js_sys::Reflect::get(result, &JsValue::from_str("meta"))
                    .and_then(|meta| js_sys::Reflect::get(&meta, &JsValue::from_str(name)))
                    .ok()
                    .and_then(|rows| rows.as_f64())
                    .unwrap_or_default()
            };
            bump(&ROWS_READ, meta("rows_read") as u32);
            bump(&ROWS_WRITTEN, meta("rows_written") as u32);
        }
        value
    });
    then.call1(&promise, &tally).unwrap_or(promise)
}
