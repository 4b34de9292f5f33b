//! Black-box tests of the requester's timeline (`GET /api/v1/requests/{id}/timeline`): public
//! replies and status changes in order, internal notes never, the same 404 as the other
//! requester routes; and the promises on the request, which leave once kept.

use edgedesk_core::TicketStatus;
use edgedesk_core::api::{
    CalendarView, CreatedRequest, ReplyAuthor, RequestView, TRACKING_TOKEN_HEADER, TimelineEntry,
};
use edgedesk_core::sla::Metric;
use edgedesk_tests::Desk;
use edgedesk_tests::agent::Org;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn timeline_path(id: &str) -> String {
    format!("/api/v1/requests/{id}/timeline")
}

/// The timeline with `token` (none: no header at all), as status and raw body.
async fn read_timeline(desk: &Desk, id: &str, token: Option<&str>) -> (StatusCode, String) {
    let mut request = desk.http.get(desk.url(&timeline_path(id)));
    if let Some(token) = token {
        request = request.header(TRACKING_TOKEN_HEADER, token);
    }
    let response = request.send().await.expect("timeline");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

/// The requester's timeline in words a test can compare, and the raw JSON.
async fn timeline(desk: &Desk, created: &CreatedRequest) -> (Vec<String>, String) {
    let (status, raw) = read_timeline(desk, &created.id, Some(&created.tracking_token)).await;
    assert_eq!(status, StatusCode::OK, "{raw}");
    let entries: Vec<TimelineEntry> = serde_json::from_str(&raw).expect("timeline entries");
    let words = entries
        .iter()
        .map(|entry| match entry {
            TimelineEntry::Reply(reply) => match reply.author {
                ReplyAuthor::Agent => format!("agent: {}", reply.body),
                ReplyAuthor::Requester => format!("requester: {}", reply.body),
            },
            TimelineEntry::StatusChanged(change) => match change.from {
                None => format!("submitted: {}", change.to.as_str()),
                Some(from) => format!("status: {} -> {}", from.as_str(), change.to.as_str()),
            },
        })
        .collect();
    (words, raw)
}

async fn request_view(desk: &Desk, created: &CreatedRequest) -> RequestView {
    let response = desk
        .http
        .get(desk.url(&format!("/api/v1/requests/{}", created.id)))
        .header(TRACKING_TOKEN_HEADER, &created.tracking_token)
        .send()
        .await
        .expect("request view");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("view")
}

fn metrics(view: &RequestView) -> Vec<(Metric, bool)> {
    view.promises
        .iter()
        .map(|p| (p.metric, p.due_at.is_some()))
        .collect()
}

async fn agent_comment(desk: &Desk, org: &Org, id: &str, body: &str, public: bool) {
    let response = desk
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/comments"),
            Some(&org.admin),
        )
        .json(&json!({"body": body, "public": public}))
        .send()
        .await
        .expect("comment");
    assert_eq!(response.status(), StatusCode::CREATED);
}

/// Moves the ticket to `status` as the agent, with the If-Match the API requires.
async fn set_status(desk: &Desk, org: &Org, id: &str, status: TicketStatus) {
    let path = format!("/api/v1/tickets/{id}");
    let current = desk
        .call(Method::GET, &path, Some(&org.admin))
        .send()
        .await
        .expect("ticket");
    let etag = current
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("etag")
        .to_owned();
    let response = desk
        .call(Method::PATCH, &path, Some(&org.admin))
        .header("if-match", etag)
        .json(&json!({"status": status}))
        .send()
        .await
        .expect("patch");
    assert_eq!(response.status(), StatusCode::OK, "to {status:?}");
}

async fn requester_reply(desk: &Desk, created: &CreatedRequest, body: &str) -> StatusCode {
    desk.http
        .post(desk.url(&format!("/api/v1/requests/{}/replies", created.id)))
        .header(TRACKING_TOKEN_HEADER, &created.tracking_token)
        .json(&json!({"body": body}))
        .send()
        .await
        .expect("reply")
        .status()
}

/// An SLA policy on the organisation's 24/7 calendar with hour-long response targets.
async fn hourly_policy(desk: &Desk, org: &Org) {
    let calendars: Vec<CalendarView> = desk
        .call(Method::GET, "/api/v1/admin/sla/calendars", Some(&org.admin))
        .send()
        .await
        .expect("calendars")
        .json()
        .await
        .expect("calendar list");
    let calendar = calendars
        .into_iter()
        .find(|c| c.is_default)
        .expect("every organisation has a 24/7 calendar");
    let target = |minutes: u32| json!({"minutes": minutes, "business": false});
    let response = desk
        .call(Method::POST, "/api/v1/admin/sla/policies", Some(&org.admin))
        .json(&json!({
            "name": "Hourly",
            "calendar_id": calendar.id,
            "targets": {"normal": {
                "first_response": target(60),
                "next_response": target(60),
                "resolution": target(600)
            }}
        }))
        .send()
        .await
        .expect("policy");
    let status = response.status();
    let body: Value = response.json().await.unwrap_or_default();
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn requesters_see_public_replies_and_status_changes_but_never_internal_notes() {
    let desk = Desk::from_env();
    let org = desk.new_org("timeline").await;
    hourly_policy(&desk, &org).await;
    let created = desk.new_request(&org.slug, "timeline").await;
    assert_eq!(timeline(&desk, &created).await.0, ["submitted: new"]);
    assert_eq!(
        metrics(&request_view(&desk, &created).await),
        [(Metric::FirstResponse, true), (Metric::Resolution, true)],
        "both promises run from the start"
    );

    agent_comment(&desk, &org, &created.id, "Secret: VIP customer", false).await;
    agent_comment(&desk, &org, &created.id, "We are on it.", true).await;
    set_status(&desk, &org, &created.id, TicketStatus::Pending).await;
    assert_eq!(
        metrics(&request_view(&desk, &created).await),
        [(Metric::Resolution, false)],
        "the kept first response is gone; resolution waits on the requester"
    );
    assert_eq!(
        requester_reply(&desk, &created, "Here is the log.").await,
        StatusCode::CREATED
    );

    let (words, raw) = timeline(&desk, &created).await;
    assert_eq!(
        words,
        [
            "submitted: new",
            "agent: We are on it.",
            "status: new -> pending",
            "requester: Here is the log.",
            "status: pending -> open",
        ]
    );
    for internal in ["VIP", "note", "first_response", "sla"] {
        assert!(!raw.contains(internal), "{internal} leaked: {raw}");
    }
    assert_eq!(
        metrics(&request_view(&desk, &created).await),
        [(Metric::NextResponse, true), (Metric::Resolution, true)],
        "the requester's reply starts a next-response clock and resumes resolution"
    );

    // Closed is final: the reply becomes a follow-up request with its own tracking token,
    // and the closed request's timeline stays as it was.
    set_status(&desk, &org, &created.id, TicketStatus::Solved).await;
    set_status(&desk, &org, &created.id, TicketStatus::Closed).await;
    let response = desk
        .http
        .post(desk.url(&format!("/api/v1/requests/{}/replies", created.id)))
        .header(TRACKING_TOKEN_HEADER, &created.tracking_token)
        .json(&json!({"body": "One more thing"}))
        .send()
        .await
        .expect("reply");
    assert_eq!(response.status(), StatusCode::CREATED);
    let follow_up: CreatedRequest = response.json().await.expect("follow-up");
    assert_ne!(follow_up.id, created.id);
    assert_ne!(follow_up.tracking_token, created.tracking_token);
    assert_eq!(follow_up.status, TicketStatus::New);
    let (words, _) = timeline(&desk, &created).await;
    assert_eq!(
        words[5..],
        ["status: open -> solved", "status: solved -> closed"]
    );
    let closed = request_view(&desk, &created).await;
    assert_eq!(
        closed.status,
        TicketStatus::Closed,
        "the closed request stays closed"
    );
    assert!(closed.promises.is_empty());
    let new = request_view(&desk, &follow_up).await;
    assert_eq!(
        (new.subject.as_str(), new.description.as_str()),
        (format!("Re: {}", closed.subject).as_str(), "One more thing")
    );
    assert_eq!(
        (new.requester_email, new.channel, new.org),
        (closed.requester_email, closed.channel, closed.org)
    );
    // The old token does not open the new request.
    let (status, _) = read_timeline(&desk, &follow_up.id, Some(&created.tracking_token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Both audit trails record the link.
    for (id, kind, other) in [
        (&follow_up.id, "follow_up_of", &created.id),
        (&created.id, "follow_up_created", &follow_up.id),
    ] {
        let trail: Vec<Value> = desk
            .call(
                Method::GET,
                &format!("/api/v1/tickets/{id}/events"),
                Some(&org.admin),
            )
            .send()
            .await
            .expect("events")
            .json()
            .await
            .expect("events");
        let links: Vec<&Value> = trail.iter().filter(|e| e["kind"] == kind).collect();
        assert_eq!(links.len(), 1, "{kind}: {trail:?}");
        assert_eq!(links[0]["to_value"], json!(other));
        assert_eq!(links[0]["actor_kind"], json!("requester"));
    }
}

#[tokio::test]
async fn a_retried_reply_to_a_closed_request_creates_one_follow_up_with_the_same_token() {
    let desk = Desk::from_env();
    let org = desk.new_org("follow-up-key").await;
    let created = desk.new_request(&org.slug, "follow-up-key").await;
    set_status(&desk, &org, &created.id, TicketStatus::Solved).await;
    set_status(&desk, &org, &created.id, TicketStatus::Closed).await;
    let send = || {
        desk.http
            .post(desk.url(&format!("/api/v1/requests/{}/replies", created.id)))
            .header(TRACKING_TOKEN_HEADER, &created.tracking_token)
            .header("idempotency-key", "follow-up-retry-1")
            .json(&json!({"body": "Still broken"}))
            .send()
    };
    let first = send().await.expect("reply");
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: CreatedRequest = first.json().await.expect("follow-up");
    let again = send().await.expect("retry");
    assert_eq!(again.status(), StatusCode::CREATED);
    let again: CreatedRequest = again.json().await.expect("replayed follow-up");
    assert_eq!(
        again, first,
        "the retry gets the same follow-up, token included"
    );
    let counts: Value = desk
        .call(Method::GET, "/api/v1/tickets/counts", Some(&org.admin))
        .send()
        .await
        .expect("counts")
        .json()
        .await
        .expect("counts");
    assert_eq!(
        (counts["new"].clone(), counts["closed"].clone()),
        (json!(1), json!(1))
    );
}

#[tokio::test]
async fn a_wrong_missing_or_foreign_token_is_a_404_like_the_other_requester_routes() {
    let desk = Desk::from_env();
    let org = desk.new_org("timeline-404").await;
    let mine = desk.new_request(&org.slug, "timeline-mine").await;
    let theirs = desk.new_request(&org.slug, "timeline-theirs").await;
    let wrong = "x".repeat(mine.tracking_token.len());
    for (id, token) in [
        (mine.id.as_str(), Some(wrong.as_str())),
        (mine.id.as_str(), None),
        (mine.id.as_str(), Some(theirs.tracking_token.as_str())),
        (
            "01JD0000000000000000000000",
            Some(mine.tracking_token.as_str()),
        ),
        ("not-a-ticket", Some(mine.tracking_token.as_str())),
    ] {
        let (status, body) = read_timeline(&desk, id, token).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{id} {token:?}: {body}");
        let problem: Value = serde_json::from_str(&body).expect("problem+json");
        assert_eq!(problem["status"], 404);
        // The same answer the request itself gives, so the timeline reveals nothing more.
        let request = desk.http.get(desk.url(&format!("/api/v1/requests/{id}")));
        let request = match token {
            Some(token) => request.header(TRACKING_TOKEN_HEADER, token),
            None => request,
        };
        assert_eq!(
            request.send().await.expect("request").status(),
            StatusCode::NOT_FOUND
        );
    }
    let post = desk
        .http
        .post(desk.url(&timeline_path(&mine.id)))
        .header(TRACKING_TOKEN_HEADER, &mine.tracking_token)
        .json(&json!({}))
        .send()
        .await
        .expect("post");
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
}
