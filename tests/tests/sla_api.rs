//! Black-box tests of the SLA engine: admin configuration (calendars, policies, webhooks) with
//! roles, tenants and validation; clocks on tickets and promises to requesters; and the cron
//! sweep driven by the test clock: warning → breach → escalation → signed webhook, each once.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use edgedesk_core::api::{
    CalendarView, ClockView, CreatedRequest, CreatedWebhook, EventView, Page, PolicyView, Problem,
    RequestView, Role, TRACKING_TOKEN_HEADER, TicketView,
};
use edgedesk_core::priority::Priority;
use edgedesk_core::sla::Metric;
use edgedesk_core::{FieldErrorCode, TicketStatus};
use edgedesk_tests::Desk;
use edgedesk_tests::agent::Org;
use hmac::{Hmac, Mac as _};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::sync::Mutex;

/// The test clock and the sweep are deployment-wide: tests that move time or run the sweep
/// take this lock so their expectations about "now" hold.
static CLOCK: Mutex<()> = Mutex::const_new(());

fn at(raw: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(raw)
        .unwrap_or_else(|e| panic!("{raw:?} is not RFC 3339: {e}"))
        .with_timezone(&Utc)
}

async fn ok_json<T: serde::de::DeserializeOwned>(
    request: reqwest::RequestBuilder,
    expected: StatusCode,
) -> T {
    let response = request.send().await.expect("request");
    let status = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(status, expected, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Moves the desk's clock forward.
async fn advance(desk: &Desk, admin: &str, minutes: u32) {
    let response = desk
        .call(Method::POST, "/api/v1/test/clock", Some(admin))
        .json(&json!({ "advance_minutes": minutes }))
        .send()
        .await
        .expect("test clock");
    assert_eq!(response.status(), StatusCode::OK, "test clock route");
}

/// Runs the cron handler once, as the minute trigger would. (`/__scheduled` is answered by the
/// static assets' SPA fallback in this worker; the runtime's own handler path is not.)
async fn sweep(desk: &Desk) {
    let response = desk
        .http
        .get(desk.url("/cdn-cgi/handler/scheduled?cron=*+*+*+*+*"))
        .send()
        .await
        .expect("scheduled");
    assert_eq!(response.status(), StatusCode::OK, "scheduled handler");
}

/// Several sweeps at once: they overlap inside the worker, and must still act once.
async fn overlapping_sweeps(desk: &Desk) {
    tokio::join!(sweep(desk), sweep(desk), sweep(desk));
}

async fn default_calendar(desk: &Desk, admin: &str) -> CalendarView {
    let calendars: Vec<CalendarView> = ok_json(
        desk.call(Method::GET, "/api/v1/admin/sla/calendars", Some(admin)),
        StatusCode::OK,
    )
    .await;
    calendars
        .into_iter()
        .find(|c| c.is_default)
        .expect("every organisation has a default calendar")
}

/// Creates the policy, and first the group its escalations hand tickets to.
async fn create_policy(desk: &Desk, admin: &str, body: &Value) -> PolicyView {
    desk.ensure_group(admin, "tier-2", &[]).await;
    ok_json(
        desk.call(Method::POST, "/api/v1/admin/sla/policies", Some(admin))
            .json(body),
        StatusCode::CREATED,
    )
    .await
}

async fn ticket(desk: &Desk, token: &str, id: &str) -> (TicketView, String) {
    let response = desk
        .call(Method::GET, &format!("/api/v1/tickets/{id}"), Some(token))
        .send()
        .await
        .expect("get ticket");
    assert_eq!(response.status(), StatusCode::OK);
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("etag")
        .to_owned();
    (response.json().await.expect("ticket"), etag)
}

async fn events(desk: &Desk, token: &str, id: &str) -> Vec<EventView> {
    ok_json(
        desk.call(
            Method::GET,
            &format!("/api/v1/tickets/{id}/events"),
            Some(token),
        ),
        StatusCode::OK,
    )
    .await
}

async fn patch(desk: &Desk, token: &str, id: &str, body: Value) -> TicketView {
    let (_, etag) = ticket(desk, token, id).await;
    ok_json(
        desk.call(Method::PATCH, &format!("/api/v1/tickets/{id}"), Some(token))
            .header("if-match", etag)
            .json(&body),
        StatusCode::OK,
    )
    .await
}

async fn requester_view(desk: &Desk, created: &CreatedRequest) -> (RequestView, Value) {
    let response = desk
        .http
        .get(desk.url(&format!("/api/v1/requests/{}", created.id)))
        .header(TRACKING_TOKEN_HEADER, &created.tracking_token)
        .send()
        .await
        .expect("requester view");
    assert_eq!(response.status(), StatusCode::OK);
    let raw: Value = response.json().await.expect("json");
    (serde_json::from_value(raw.clone()).expect("view"), raw)
}

fn clock(view: &TicketView, metric: Metric) -> &ClockView {
    view.clocks
        .iter()
        .find(|c| c.metric == metric)
        .unwrap_or_else(|| panic!("no {metric:?} clock in {:?}", view.clocks))
}

fn count(events: &[EventView], kind: &str, field: &str) -> usize {
    events
        .iter()
        .filter(|e| e.kind == kind && e.field.as_deref() == Some(field))
        .count()
}

/// One webhook request as the receiver saw it.
#[derive(Debug, Clone)]
struct Delivery {
    headers: HashMap<String, String>,
    body: String,
}

/// A tiny HTTP server on a free loopback port that records every request and answers 200
/// (or 500 to the first `failures` requests).
struct Receiver {
    url: String,
    seen: Arc<std::sync::Mutex<Vec<Delivery>>>,
}

impl Receiver {
    async fn start() -> Self {
        Self::failing(0).await
    }

    async fn failing(failures: usize) -> Self {
        let failures = Arc::new(std::sync::atomic::AtomicUsize::new(failures));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a free port");
        let url = format!(
            "http://{}/edgedesk-hook",
            listener.local_addr().expect("addr")
        );
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let log = Arc::clone(&log);
                let failures = Arc::clone(&failures);
                tokio::spawn(async move {
                    if let Some(delivery) = read_request(&mut socket).await {
                        log.lock().expect("log").push(delivery);
                    }
                    let fail = failures
                        .fetch_update(
                            std::sync::atomic::Ordering::SeqCst,
                            std::sync::atomic::Ordering::SeqCst,
                            |n| n.checked_sub(1),
                        )
                        .is_ok();
                    let status = if fail {
                        "500 Internal Server Error"
                    } else {
                        "200 OK"
                    };
                    let answer = format!(
                        "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                    );
                    let _ = socket.write_all(answer.as_bytes()).await;
                });
            }
        });
        Self { url, seen }
    }

    fn deliveries(&self) -> Vec<Delivery> {
        self.seen.lock().expect("log").clone()
    }

    /// Waits a little for `n` deliveries (they are sent at the end of the cron run).
    async fn wait_for(&self, n: usize) -> Vec<Delivery> {
        for _ in 0..50 {
            if self.deliveries().len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.settled()
    }

    /// Everything the cron runs so far sent, with no pause: a run awaits each delivery's
    /// answer before it answers the scheduled call (`sweep`), and this server records a
    /// request before answering it, so a duplicate would already be here.
    fn settled(&self) -> Vec<Delivery> {
        self.deliveries()
    }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Delivery> {
    let mut buffer = Vec::new();
    let mut chunk = [0_u8; 4096];
    let header_end = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let headers: HashMap<String, String> = head
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers.get("content-length")?.parse().ok()?;
    while buffer.len() < header_end + length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buffer[header_end..]).into_owned();
    Some(Delivery { headers, body })
}

/// Checks `x-edgedesk-signature: t=<ts>,v1=<hex>` against HMAC-SHA256(secret, "<ts>.<body>"),
/// computed here with the hmac crate, not with the worker's code.
fn signature_is_valid(delivery: &Delivery, secret: &str) -> bool {
    let Some(header) = delivery.headers.get("x-edgedesk-signature") else {
        return false;
    };
    let mut timestamp = None;
    let mut given = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", v)) => timestamp = Some(v.to_owned()),
            Some(("v1", v)) => given = Some(v.to_owned()),
            _ => {}
        }
    }
    let (Some(timestamp), Some(given)) = (timestamp, given) else {
        return false;
    };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{timestamp}.{}", delivery.body).as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    expected == given
}

/// Calendar minutes, so the test does not depend on the day of the week it runs.
fn fast_policy(calendar_id: &str) -> Value {
    let calendar = |minutes: u32| json!({"minutes": minutes, "business": false});
    json!({
        "name": "Fast lane",
        "calendar_id": calendar_id,
        "targets": {
            "normal": {"first_response": calendar(30), "next_response": calendar(20), "resolution": calendar(600)},
            "high": {"first_response": calendar(10), "next_response": calendar(10), "resolution": calendar(120)}
        },
        "warning": {"percent": 50},
        "escalations": [
            {"on": "warning", "metrics": ["first_response"], "notify": true},
            {"on": "breach", "metrics": ["first_response"], "raise_priority": true,
             "group": "tier-2", "add_tag": "sla-breached", "notify": true}
        ]
    })
}

#[tokio::test]
async fn warning_breach_escalation_and_signed_webhook_each_happen_once() {
    let _clock = CLOCK.lock().await;
    let desk = Desk::from_env();
    let org = desk.new_org("sla-flow").await;
    let receiver = Receiver::start().await;
    let hook: CreatedWebhook = ok_json(
        desk.call(Method::POST, "/api/v1/admin/webhooks", Some(&org.admin))
            .json(&json!({"url": receiver.url})),
        StatusCode::CREATED,
    )
    .await;
    assert!(hook.secret.len() >= 32, "a generated signing secret");
    let listed = desk
        .call(Method::GET, "/api/v1/admin/webhooks", Some(&org.admin))
        .send()
        .await
        .expect("list webhooks")
        .text()
        .await
        .expect("body");
    assert!(!listed.contains(&hook.secret), "secrets are never listed");

    let calendar = default_calendar(&desk, &org.admin).await;
    create_policy(&desk, &org.admin, &fast_policy(&calendar.id)).await;
    let created = desk.new_request(&org.slug, "sla-flow").await;
    let (view, _) = ticket(&desk, &org.admin, &created.id).await;
    let first = clock(&view, Metric::FirstResponse);
    let due = at(first.due_at.as_deref().expect("running"));
    assert_eq!(
        due - at(&view.created_at),
        TimeDelta::minutes(30),
        "calendar minutes: due = created + target"
    );
    assert_eq!((first.target, first.business), (30, false));
    assert!(first.warned_at.is_none() && first.breached_at.is_none());
    assert_eq!(
        clock(&view, Metric::Resolution).target,
        600,
        "resolution runs too"
    );

    let (promised, raw) = requester_view(&desk, &created).await;
    let promise = promised
        .promises
        .iter()
        .find(|p| p.metric == Metric::FirstResponse)
        .expect("first response promise");
    assert_eq!(promise.due_at.as_deref(), first.due_at.as_deref());
    assert!(promise.on_track);
    let raw = raw.to_string();
    for internal in ["warned_at", "breached_at", "target", "policy", "business"] {
        assert!(
            !raw.contains(internal),
            "{internal} leaked to the requester: {raw}"
        );
    }

    // 16 of 30 minutes: past the 50 % warning, not yet due.
    advance(&desk, &org.admin, 16).await;
    overlapping_sweeps(&desk).await;
    sweep(&desk).await;
    let trail = events(&desk, &org.admin, &created.id).await;
    assert_eq!(
        count(&trail, "sla_warning", "first_response"),
        1,
        "{trail:#?}"
    );
    assert_eq!(count(&trail, "sla_breached", "first_response"), 0);
    let warning = receiver.wait_for(1).await;
    assert_eq!(warning.len(), 1, "one warning notification: {warning:#?}");

    // 31 minutes in: breached.
    advance(&desk, &org.admin, 15).await;
    overlapping_sweeps(&desk).await;
    sweep(&desk).await;
    let trail = events(&desk, &org.admin, &created.id).await;
    assert_eq!(count(&trail, "sla_warning", "first_response"), 1);
    assert_eq!(
        count(&trail, "sla_breached", "first_response"),
        1,
        "{trail:#?}"
    );
    let breach = trail
        .iter()
        .find(|e| e.kind == "sla_breached")
        .expect("breach event");
    assert_eq!(
        breach.to_value.as_deref().map(at),
        Some(due),
        "the breach is the deadline"
    );
    assert!(
        at(&breach.created_at) >= due,
        "recorded when noticed, never back-dated"
    );
    assert_eq!(breach.actor_kind, "system");

    // The escalation: priority raised one step, group reassigned, tag added — once.
    let (view, _) = ticket(&desk, &org.admin, &created.id).await;
    assert_eq!(view.priority, Priority::High);
    assert_eq!(view.group.as_deref(), Some("tier-2"));
    assert_eq!(view.tags, ["sla-breached"]);
    assert_eq!(count(&trail, "changed", "priority"), 1);
    assert_eq!(count(&trail, "changed", "group"), 1);
    assert_eq!(count(&trail, "tag_added", "tags"), 1);
    let first = clock(&view, Metric::FirstResponse);
    assert_eq!(first.breached_at.as_deref().map(at), Some(due));
    assert!(first.remaining < 0);
    // Raising the priority retargets the other clocks from the ticket's start.
    let resolution = clock(&view, Metric::Resolution);
    assert_eq!(resolution.target, 120);
    assert_eq!(
        resolution.due_at.as_deref().map(at),
        Some(at(&view.created_at) + TimeDelta::minutes(120))
    );

    let deliveries = receiver.wait_for(2).await;
    let kinds: Vec<&str> = deliveries
        .iter()
        .filter_map(|d| d.headers.get("x-edgedesk-event").map(String::as_str))
        .collect();
    assert_eq!(kinds, ["sla.warning", "sla.breached"], "each exactly once");
    for delivery in &deliveries {
        assert!(
            signature_is_valid(delivery, &hook.secret),
            "bad signature: {delivery:?}"
        );
        assert!(!signature_is_valid(delivery, "not-the-secret-at-all"));
        let payload: Value = serde_json::from_str(&delivery.body).expect("json payload");
        assert_eq!(payload["ticket"]["id"], created.id.as_str());
        assert_eq!(payload["metric"], "first_response");
    }
    let breach_payload: Value = serde_json::from_str(&deliveries[1].body).expect("json");
    assert_eq!(breach_payload["ticket"]["priority"], "high");
    assert_eq!(
        breach_payload["deadline"].as_str().map(at),
        Some(due),
        "{breach_payload}"
    );

    // The requester sees that the promise was not kept; agents find the ticket as breached.
    let (promised, _) = requester_view(&desk, &created).await;
    assert!(
        promised
            .promises
            .iter()
            .any(|p| p.metric == Metric::FirstResponse && !p.on_track)
    );
    let other = desk.new_request(&org.slug, "sla-flow-fresh").await;
    let breached: Page<TicketView> = ok_json(
        desk.call(
            Method::GET,
            "/api/v1/tickets?breached=true",
            Some(&org.admin),
        ),
        StatusCode::OK,
    )
    .await;
    let ids: Vec<&str> = breached.data.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, [created.id.as_str()], "only the breached ticket");
    assert!(!ids.contains(&other.id.as_str()));

    // Later runs find nothing more to do.
    advance(&desk, &org.admin, 5).await;
    overlapping_sweeps(&desk).await;
    let trail = events(&desk, &org.admin, &created.id).await;
    assert_eq!(count(&trail, "sla_breached", "first_response"), 1);
    assert_eq!(count(&trail, "changed", "priority"), 1);
    assert_eq!(receiver.settled().len(), 2, "no duplicate webhooks");
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_growing_delays_under_one_delivery_id() {
    let _clock = CLOCK.lock().await;
    let desk = Desk::from_env();
    let org = desk.new_org("sla-retry").await;
    let receiver = Receiver::failing(2).await;
    let hook: CreatedWebhook = ok_json(
        desk.call(Method::POST, "/api/v1/admin/webhooks", Some(&org.admin))
            .json(&json!({"url": receiver.url, "secret": "retry-test-secret-0123456789"})),
        StatusCode::CREATED,
    )
    .await;
    let calendar = default_calendar(&desk, &org.admin).await;
    create_policy(&desk, &org.admin, &fast_policy(&calendar.id)).await;
    desk.new_request(&org.slug, "sla-retry").await;

    // Warning at 15 of 30 minutes: first attempt, answered 500.
    advance(&desk, &org.admin, 16).await;
    sweep(&desk).await;
    assert_eq!(receiver.wait_for(1).await.len(), 1, "first attempt");
    sweep(&desk).await;
    assert_eq!(receiver.settled().len(), 1, "not retried at once");
    // Retried after 1 minute (500 again), then after 2 more minutes (200).
    advance(&desk, &org.admin, 1).await;
    sweep(&desk).await;
    assert_eq!(
        receiver.wait_for(2).await.len(),
        2,
        "second attempt after 1 min"
    );
    advance(&desk, &org.admin, 1).await;
    sweep(&desk).await;
    assert_eq!(receiver.settled().len(), 2, "the wait doubles");
    advance(&desk, &org.admin, 1).await;
    sweep(&desk).await;
    let attempts = receiver.wait_for(3).await;
    assert_eq!(attempts.len(), 3, "third attempt, delivered");
    advance(&desk, &org.admin, 10).await;
    sweep(&desk).await;
    let attempts = receiver.settled();
    assert_eq!(attempts.len(), 3, "nothing after delivery");
    let ids: Vec<&str> = attempts
        .iter()
        .filter_map(|d| d.headers.get("x-edgedesk-delivery").map(String::as_str))
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "one delivery id: {ids:?}"
    );
    assert!(attempts.iter().all(|d| signature_is_valid(d, &hook.secret)));
}

#[tokio::test]
async fn pending_pauses_clocks_and_replies_fulfil_and_restart_them() {
    let _clock = CLOCK.lock().await;
    let desk = Desk::from_env();
    let org = desk.new_org("sla-pause").await;
    let calendar = default_calendar(&desk, &org.admin).await;
    create_policy(&desk, &org.admin, &fast_policy(&calendar.id)).await;
    let created = desk.new_request(&org.slug, "sla-pause").await;
    let (view, _) = ticket(&desk, &org.admin, &created.id).await;
    let due_before = at(clock(&view, Metric::FirstResponse)
        .due_at
        .as_deref()
        .expect("due"));

    let pending = patch(&desk, &org.admin, &created.id, json!({"status": "pending"})).await;
    let paused = clock(&pending, Metric::FirstResponse);
    assert!(paused.paused, "pending stops the clock");
    assert_eq!(paused.due_at, None, "no deadline while paused");
    let (promised, _) = requester_view(&desk, &created).await;
    assert!(promised.promises.iter().all(|p| p.due_at.is_none()));

    advance(&desk, &org.admin, 20).await;
    // A paused clock is never due, however long it waits.
    sweep(&desk).await;
    let opened = patch(&desk, &org.admin, &created.id, json!({"status": "open"})).await;
    let resumed = clock(&opened, Metric::FirstResponse);
    assert!(!resumed.paused);
    let moved = at(resumed.due_at.as_deref().expect("running again")) - due_before;
    assert!(
        moved >= TimeDelta::minutes(20) && moved < TimeDelta::minutes(21),
        "the deadline moves later by the pause (20 test minutes + real seconds): {moved}"
    );
    let trail = events(&desk, &org.admin, &created.id).await;
    assert_eq!(count(&trail, "sla_warning", "first_response"), 0);

    // A public agent reply fulfils the first response; an internal note would not.
    let note = desk
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{}/comments", created.id),
            Some(&org.admin),
        )
        .json(&json!({"body": "Checking the VPN logs", "public": false}));
    assert_eq!(
        note.send().await.expect("note").status(),
        StatusCode::CREATED
    );
    let (view, _) = ticket(&desk, &org.admin, &created.id).await;
    assert!(clock(&view, Metric::FirstResponse).fulfilled_at.is_none());
    let reply = desk
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{}/comments", created.id),
            Some(&org.admin),
        )
        .json(&json!({"body": "Please restart the client.", "public": true}));
    assert_eq!(
        reply.send().await.expect("reply").status(),
        StatusCode::CREATED
    );
    let (view, _) = ticket(&desk, &org.admin, &created.id).await;
    let first = clock(&view, Metric::FirstResponse);
    assert!(first.fulfilled_at.is_some() && first.breached_at.is_none());
    assert!(
        view.clocks.iter().all(|c| c.metric != Metric::NextResponse),
        "no next-response clock before the requester answers"
    );

    // The requester's answer starts a next-response clock.
    let answer = desk
        .http
        .post(desk.url(&format!("/api/v1/requests/{}/replies", created.id)))
        .header(TRACKING_TOKEN_HEADER, &created.tracking_token)
        .json(&json!({"body": "Still broken."}))
        .send()
        .await
        .expect("requester reply");
    assert_eq!(answer.status(), StatusCode::CREATED);
    let (view, _) = ticket(&desk, &org.admin, &created.id).await;
    let next = clock(&view, Metric::NextResponse);
    assert_eq!(next.target, 20);
    assert!(next.fulfilled_at.is_none() && next.due_at.is_some());

    // Solving fulfils what is still running; fulfilled clocks stay fulfilled.
    let solved = patch(&desk, &org.admin, &created.id, json!({"status": "solved"})).await;
    assert_eq!(solved.status, TicketStatus::Solved);
    assert!(
        solved.clocks.iter().all(|c| c.fulfilled_at.is_some()),
        "{:?}",
        solved.clocks
    );
    assert_eq!(
        clock(&solved, Metric::FirstResponse).fulfilled_at,
        first.fulfilled_at
    );
}

#[tokio::test]
async fn priority_changes_retarget_and_lists_sort_and_filter_by_deadline() {
    let _clock = CLOCK.lock().await;
    let desk = Desk::from_env();
    let org = desk.new_org("sla-list").await;
    let calendar = default_calendar(&desk, &org.admin).await;
    create_policy(&desk, &org.admin, &fast_policy(&calendar.id)).await;
    let slow = desk.new_request(&org.slug, "sla-list-slow").await;
    let fast = desk.new_request(&org.slug, "sla-list-fast").await;
    let (before, _) = ticket(&desk, &org.admin, &fast.id).await;
    let raised = patch(&desk, &org.admin, &fast.id, json!({"priority": "high"})).await;
    let first = clock(&raised, Metric::FirstResponse);
    assert_eq!(first.target, 10, "the high-priority target applies");
    assert_eq!(
        first.due_at.as_deref().map(at),
        Some(at(&before.created_at) + TimeDelta::minutes(10)),
        "counted from the ticket's start"
    );

    let by_deadline: Page<TicketView> = ok_json(
        desk.call(
            Method::GET,
            "/api/v1/tickets?sort=deadline&page[size]=1",
            Some(&org.admin),
        ),
        StatusCode::OK,
    )
    .await;
    assert_eq!(by_deadline.data[0].id, fast.id, "earliest deadline first");
    let cursor = by_deadline.meta.after_cursor.expect("a second page");
    let second: Page<TicketView> = ok_json(
        desk.call(
            Method::GET,
            &format!("/api/v1/tickets?sort=deadline&page[size]=1&page[after]={cursor}"),
            Some(&org.admin),
        ),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        second
            .data
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>(),
        [slow.id.as_str()]
    );
    assert!(!second.meta.has_more);

    let soon: Page<TicketView> = ok_json(
        desk.call(
            Method::GET,
            "/api/v1/tickets?due_within=15",
            Some(&org.admin),
        ),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        soon.data.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        [fast.id.as_str()],
        "only the 10-minute ticket is due within 15 minutes"
    );
    assert!(
        soon.data[0]
            .clocks
            .iter()
            .any(|c| c.metric == Metric::FirstResponse),
        "list items carry their clocks"
    );
    for bad in [
        "due_within=-1",
        "breached=yes",
        "sort=urgency",
        "sort=deadline&page[after]=nope",
    ] {
        let response = desk
            .call(
                Method::GET,
                &format!("/api/v1/tickets?{bad}"),
                Some(&org.admin),
            )
            .send()
            .await
            .expect("list");
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
}

#[tokio::test]
async fn sla_admin_is_for_admins_of_the_organisation_and_validates_with_paths() {
    let desk = Desk::from_env();
    let own = desk.new_org("sla-admin").await;
    let other: Org = desk.new_org("sla-admin-other").await;
    let agent = desk
        .new_token(&own.admin, Role::Agent, "agent")
        .await
        .secret;
    let calendar: CalendarView = ok_json(
        desk.call(Method::POST, "/api/v1/admin/sla/calendars", Some(&own.admin))
            .json(&json!({
                "name": "Warsaw office",
                "time_zone": "Europe/Warsaw",
                "week": {"mon": [{"start": "09:00", "end": "17:00"}], "fri": [{"start": "09:00", "end": "15:00"}]},
                "holidays": [{"date": "2026-12-25", "yearly": true}]
            })),
        StatusCode::CREATED,
    )
    .await;
    assert!(!calendar.is_default);
    let policy = create_policy(&desk, &own.admin, &fast_policy(&calendar.id)).await;
    let hook: CreatedWebhook = ok_json(
        desk.call(Method::POST, "/api/v1/admin/webhooks", Some(&own.admin))
            .json(&json!({"url": "https://hooks.example.com/edgedesk"})),
        StatusCode::CREATED,
    )
    .await;

    // The other organisation has a group of that slug too: its refusals below are about the
    // policy and calendar, not the group.
    desk.ensure_group(&other.admin, "tier-2", &[]).await;
    let cal = format!("/api/v1/admin/sla/calendars/{}", calendar.id);
    let pol = format!("/api/v1/admin/sla/policies/{}", policy.id);
    let web = format!("/api/v1/admin/webhooks/{}", hook.webhook.id);
    // (method, path, [no token, agent, other organisation's admin])
    let matrix = [
        (Method::GET, "/api/v1/admin/sla/calendars", [401, 403, 200]),
        (Method::GET, "/api/v1/admin/sla/policies", [401, 403, 200]),
        (Method::GET, "/api/v1/admin/webhooks", [401, 403, 200]),
        (Method::GET, cal.as_str(), [401, 403, 404]),
        (Method::DELETE, cal.as_str(), [401, 403, 404]),
        (Method::GET, pol.as_str(), [401, 403, 404]),
        (Method::PUT, pol.as_str(), [401, 403, 404]),
        (Method::DELETE, pol.as_str(), [401, 403, 404]),
        (Method::GET, web.as_str(), [401, 403, 404]),
        (Method::DELETE, web.as_str(), [401, 403, 404]),
        (Method::POST, "/api/v1/test/clock", [401, 403, 200]),
    ];
    let callers = [None, Some(agent.as_str()), Some(other.admin.as_str())];
    let mut mismatches = Vec::new();
    for (method, path, expected) in &matrix {
        for (caller, want) in callers.iter().zip(expected) {
            let mut request = desk.call(method.clone(), path, *caller);
            if *method == Method::PUT {
                request = request.json(&fast_policy(&calendar.id));
            }
            if path.ends_with("/test/clock") {
                request = request.json(&json!({"advance_minutes": 0}));
            }
            let got = request.send().await.expect("request").status().as_u16();
            if got != *want {
                mismatches.push(format!(
                    "{method} {path} as {caller:?}: got {got}, want {want}"
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));

    // Still there after the other organisation's attempts; a policy cannot use its calendar.
    let view: PolicyView = ok_json(
        desk.call(Method::GET, &pol, Some(&own.admin)),
        StatusCode::OK,
    )
    .await;
    assert_eq!(view.policy.calendar_id, calendar.id);
    let foreign = desk
        .call(
            Method::POST,
            "/api/v1/admin/sla/policies",
            Some(&other.admin),
        )
        .json(&fast_policy(&calendar.id))
        .send()
        .await
        .expect("foreign calendar");
    assert_eq!(foreign.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Problem = foreign.json().await.expect("problem");
    assert_eq!(problem.errors[0].field, "calendar_id");

    let invalid = desk
        .call(Method::POST, "/api/v1/admin/sla/policies", Some(&own.admin))
        .json(&json!({
            "name": "Broken",
            "calendar_id": calendar.id,
            "targets": {"urgent": {"first_response": {"minutes": 0}}, "someday": {}},
            "escalations": [{"on": "breach", "add_tag": "Not A Tag"}]
        }))
        .send()
        .await
        .expect("invalid policy");
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Problem = invalid.json().await.expect("problem");
    let fields: Vec<(&str, FieldErrorCode)> = problem
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code))
        .collect();
    assert_eq!(
        fields,
        [
            ("targets.someday", FieldErrorCode::NotAnOption),
            (
                "targets.urgent.first_response.minutes",
                FieldErrorCode::BelowMinimum
            ),
            ("escalations[0].add_tag", FieldErrorCode::PatternMismatch),
        ]
    );
    let bad_calendar = desk
        .call(Method::POST, "/api/v1/admin/sla/calendars", Some(&own.admin))
        .json(&json!({"name": "Mars", "time_zone": "Mars/Olympus", "week": {"mon": [{"start": "9", "end": "17:00"}]}}))
        .send()
        .await
        .expect("invalid calendar");
    let problem: Problem = bad_calendar.json().await.expect("problem");
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["time_zone", "week.mon[0].start"]);
    let bad_hook = desk
        .call(Method::POST, "/api/v1/admin/webhooks", Some(&own.admin))
        .json(&json!({"url": "http://example.com/plain-http", "secret": "short"}))
        .send()
        .await
        .expect("invalid webhook");
    let problem: Problem = bad_hook.json().await.expect("problem");
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["url", "secret"]);

    // Calendars in use, or the default, stay; others go.
    let in_use = desk
        .call(Method::DELETE, &cal, Some(&own.admin))
        .send()
        .await
        .expect("delete");
    assert_eq!(in_use.status(), StatusCode::CONFLICT);
    let default = default_calendar(&desk, &own.admin).await;
    let default_path = format!("/api/v1/admin/sla/calendars/{}", default.id);
    let keep = desk
        .call(Method::DELETE, &default_path, Some(&own.admin))
        .send()
        .await
        .expect("delete");
    assert_eq!(keep.status(), StatusCode::CONFLICT);
    let gone = desk
        .call(Method::DELETE, &pol, Some(&own.admin))
        .send()
        .await
        .expect("delete");
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let freed = desk
        .call(Method::DELETE, &cal, Some(&own.admin))
        .send()
        .await
        .expect("delete");
    assert_eq!(freed.status(), StatusCode::NO_CONTENT);
    let again = desk
        .call(Method::GET, &cal, Some(&own.admin))
        .send()
        .await
        .expect("get");
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn policies_can_match_on_the_catalog_category_or_its_parent() {
    let desk = Desk::from_env();
    let org = desk.new_org("sla-category").await;
    let calendar = default_calendar(&desk, &org.admin).await;
    let minutes = |n: u32| json!({"minutes": n, "business": false});
    for body in [
        json!({"slug": "it", "name": {"en": "IT"}}),
        json!({"slug": "it-access", "parent": "it", "name": {"en": "Access"}}),
    ] {
        ok_json::<Value>(
            desk.call(
                Method::POST,
                "/api/v1/admin/catalog/categories",
                Some(&org.admin),
            )
            .json(&body),
            StatusCode::CREATED,
        )
        .await;
    }
    ok_json::<Value>(
        desk.call(
            Method::POST,
            "/api/v1/admin/catalog/items",
            Some(&org.admin),
        )
        .json(
            &json!({"slug": "vpn", "category": "it-access", "name": {"en": "VPN"},
                          "form": {"fields": []}}),
        ),
        StatusCode::CREATED,
    )
    .await;
    // The IT policy comes first; everything else falls through to the general one.
    for (position, name, categories, first_response) in
        [(1, "IT", json!(["it"]), 7), (2, "General", json!([]), 90)]
    {
        create_policy(
            &desk,
            &org.admin,
            &json!({
                "name": name,
                "position": position,
                "calendar_id": calendar.id,
                "conditions": {"categories": categories},
                "targets": {"normal": {"first_response": minutes(first_response),
                                       "resolution": minutes(600)}}
            }),
        )
        .await;
    }
    let mut from_catalog = edgedesk_tests::sample_request("vpn");
    from_catalog.catalog_item = Some("vpn".into());
    let response = desk.create_request(&org.slug, &from_catalog).await;
    let via_item: CreatedRequest = ok_json_response(response).await;
    let plain = desk.new_request(&org.slug, "no item").await;

    let (item_ticket, _) = ticket(&desk, &org.admin, &via_item.id).await;
    let (plain_ticket, _) = ticket(&desk, &org.admin, &plain.id).await;
    assert_eq!(
        clock(&item_ticket, Metric::FirstResponse).target,
        7,
        "matched via parent `it`"
    );
    assert_eq!(clock(&plain_ticket, Metric::FirstResponse).target, 90);

    // A category slug that cannot exist is a 422 with its path.
    let response = desk
        .call(Method::POST, "/api/v1/admin/sla/policies", Some(&org.admin))
        .json(&json!({
            "name": "Broken", "calendar_id": calendar.id,
            "conditions": {"categories": ["Not A Slug"]},
            "targets": {"normal": {"first_response": minutes(5)}}
        }))
        .send()
        .await
        .expect("post policy");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Problem = response.json().await.expect("problem");
    assert!(
        problem
            .errors
            .iter()
            .any(|e| e.field == "conditions.categories[0]" && e.code == FieldErrorCode::InvalidKey),
        "{problem:?}"
    );
}

async fn ok_json_response<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    let status = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(status, StatusCode::CREATED, "{text}");
    serde_json::from_str(&text).expect("json body")
}

#[tokio::test]
async fn tags_set_by_an_agent_re_evaluate_which_policy_applies() {
    let desk = Desk::from_env();
    let org = desk.new_org("sla-tags").await;
    let calendar = default_calendar(&desk, &org.admin).await;
    let minutes = |n: u32| json!({"minutes": n, "business": false});
    for (position, name, tags, first_response) in
        [(1, "VIP", json!(["vip"]), 5), (2, "General", json!([]), 90)]
    {
        create_policy(
            &desk,
            &org.admin,
            &json!({
                "name": name,
                "position": position,
                "calendar_id": calendar.id,
                "conditions": {"tags": tags},
                "targets": {"normal": {"first_response": minutes(first_response),
                                       "resolution": minutes(600)}}
            }),
        )
        .await;
    }
    let created = desk.new_request(&org.slug, "vip later").await;
    let (view, etag) = ticket(&desk, &org.admin, &created.id).await;
    assert_eq!(clock(&view, Metric::FirstResponse).target, 90);

    let change = |etag: String, body: Value| {
        desk.call(
            Method::PATCH,
            &format!("/api/v1/tickets/{}", created.id),
            Some(&org.admin),
        )
        .header("if-match", etag)
        .json(&body)
        .send()
    };
    let tagged = change(etag, json!({"tags_add": ["vip"]}))
        .await
        .expect("patch");
    assert_eq!(tagged.status(), StatusCode::OK);
    let answered: TicketView = tagged.json().await.expect("ticket");
    assert_eq!(clock(&answered, Metric::FirstResponse).target, 5);
    let (stored, etag) = ticket(&desk, &org.admin, &created.id).await;
    assert_eq!(
        clock(&stored, Metric::FirstResponse).target,
        5,
        "the VIP policy's clocks are stored with the tag"
    );

    let untagged = change(etag, json!({"tags_remove": ["vip"]}))
        .await
        .expect("patch");
    assert_eq!(untagged.status(), StatusCode::OK);
    let (stored, _) = ticket(&desk, &org.admin, &created.id).await;
    assert!(stored.tags.is_empty());
    assert_eq!(clock(&stored, Metric::FirstResponse).target, 90);
}
