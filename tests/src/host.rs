//! A host page on another origin (its own port), the way an organisation's website embeds the
//! widget: one small HTTP server per test, answering every GET with the same HTML.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

use crate::Desk;

/// A running host site; stops when dropped.
pub struct HostSite {
    pub origin: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for HostSite {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl HostSite {
    /// Serves `html` at `http://127.0.0.1:<free port>/`.
    pub async fn serve(html: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind host site");
        let port = listener.local_addr().expect("host address").port();
        let html = Arc::new(html);
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let html = html.clone();
                tokio::spawn(async move {
                    let mut request = [0_u8; 4096];
                    let _ = socket.read(&mut request).await;
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n",
                        html.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(html.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self {
            origin: format!("http://127.0.0.1:{port}"),
            task,
        }
    }
}

/// A shop's page embedding the widget of `desk` with `attributes`, styled with `css`; it
/// records the `edgedesk:submitted` event on `<body data-submitted="<reference>" data-ticket>`.
/// Its own `button.launcher.submit` shows whether the widget's CSS leaks out.
#[must_use]
pub fn page(desk: &str, attributes: &str, css: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Shop</title>\
         <style>{css}</style></head><body><main><h1>Our shop</h1><p>Welcome.</p>\
         <button id=\"host-button\" class=\"launcher submit\">Buy</button></main>\
         <script src=\"{desk}/widget.js\" defer></script>\
         <edgedesk-widget {attributes}></edgedesk-widget>\
         <script>document.addEventListener('edgedesk:submitted', e => \
         {{ document.body.dataset.submitted = e.detail.reference; \
         document.body.dataset.ticket = e.detail.id; }});</script>\
         </body></html>"
    )
}

/// Ages organisation `org`'s widget form tokens past the minimum fill time, as a person
/// filling the form would, without the wait: it moves that organisation's widget clock on
/// the test clock route (its `admin` may), and only its, so tests alongside keep their "now".
pub async fn like_a_person(desk: &Desk, org: &str, admin: &str) {
    let seconds = edgedesk_core::widget::MIN_FILL_MS / 1_000 + 1;
    let response = desk
        .call(Method::POST, "/api/v1/test/clock", Some(admin))
        .json(&serde_json::json!({ "advance_seconds": seconds, "org": org }))
        .send()
        .await
        .expect("test clock");
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "organisation's test clock"
    );
}
