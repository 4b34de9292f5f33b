//! The desk's HTTP API as the widget calls it (cross-origin, CORS), with `fetch`.

use serde_json::Value;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, RequestMode, Response};

/// An answer: its status and body text.
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> Option<Value> {
        edgedesk_core::json::parse(&self.body)
    }

    /// The body as a JSON object read by `read`.
    pub fn object<T>(&self, read: impl Fn(&crate::wire::Object) -> Option<T>) -> Option<T> {
        read(self.json()?.as_object()?)
    }
}

/// The network failed (offline, DNS, CORS refused): nothing reached the desk, or we cannot know.
pub struct Unreachable;

pub async fn call(
    method: &str,
    url: &str,
    locale: &str,
    body: Option<&str>,
) -> Result<Reply, Unreachable> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_mode(RequestMode::Cors);
    if let Some(body) = body {
        init.set_body(&body.into());
    }
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| Unreachable)?;
    let headers = request.headers();
    let _ = headers.set("accept-language", locale);
    if body.is_some() {
        let _ = headers.set("content-type", "application/json");
    }
    let window = web_sys::window().ok_or(Unreachable)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| Unreachable)?
        .dyn_into()
        .map_err(|_| Unreachable)?;
    let text = JsFuture::from(response.text().map_err(|_| Unreachable)?)
        .await
        .map_err(|_| Unreachable)?
        .as_string()
        .unwrap_or_default();
    Ok(Reply {
        status: response.status(),
        body: text,
    })
}
