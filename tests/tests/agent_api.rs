//! Black-box tests of the agent/admin API: tokens and roles, tenant isolation, the ticket
//! lifecycle with If-Match, comments and internal notes, the audit trail, lists and counts.

use edgedesk_core::api::{
    CommentView, EventView, Page, Problem, Role, TRACKING_TOKEN_HEADER, TicketView, TokenView,
};
use edgedesk_core::{FieldErrorCode, TicketStatus};
use edgedesk_tests::Desk;
use edgedesk_tests::agent::{field_errors, person};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn status_of(request: reqwest::RequestBuilder) -> StatusCode {
    request.send().await.expect("request").status()
}

async fn get_ticket(desk: &Desk, token: &str, id: &str) -> (TicketView, String) {
    let response = desk
        .call(Method::GET, &format!("/api/v1/tickets/{id}"), Some(token))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::OK);
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("etag")
        .to_owned();
    (response.json().await.expect("ticket"), etag)
}

async fn patch(
    desk: &Desk,
    token: &str,
    id: &str,
    etag: Option<&str>,
    body: serde_json::Value,
) -> reqwest::Response {
    let mut request = desk
        .call(Method::PATCH, &format!("/api/v1/tickets/{id}"), Some(token))
        .json(&body);
    if let Some(etag) = etag {
        request = request.header("if-match", etag);
    }
    request.send().await.expect("patch")
}

#[tokio::test]
async fn bootstrap_needs_the_secret_valid_fields_and_a_free_slug() {
    let desk = Desk::from_env();
    let secret = std::env::var("EDGEDESK_BOOTSTRAP_SECRET").expect("secret");
    let body = json!({"slug": "boot-check", "name": "Boot", "ref_prefix": "BOOT"});
    assert_eq!(
        desk.bootstrap(&body, "wrong-secret-wrong-secret")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    let invalid = desk
        .bootstrap(
            &json!({"slug": "Bad Slug", "name": "", "ref_prefix": "x"}),
            &secret,
        )
        .await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Problem = invalid.json().await.expect("problem");
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["slug", "name", "ref_prefix"]);

    let taken = desk
        .bootstrap(
            &json!({"slug": "demo", "name": "Again", "ref_prefix": "AGN"}),
            &secret,
        )
        .await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Problem = taken.json().await.expect("problem");
    assert_eq!(problem.errors[0].code, FieldErrorCode::DuplicateKey);
}

#[tokio::test]
async fn tokens_are_shown_once_listed_without_secrets_and_revocable() {
    let desk = Desk::from_env();
    let org = desk.new_org("tokens").await;
    let agent = desk
        .new_token(&org.admin, Role::Agent, "Dana (agent)")
        .await;
    assert!(agent.secret.starts_with("edk_"));
    assert_eq!(
        status_of(desk.call(Method::GET, "/api/v1/tickets", Some(&agent.secret))).await,
        StatusCode::OK
    );

    let listed = desk
        .call(Method::GET, "/api/v1/admin/tokens", Some(&org.admin))
        .send()
        .await
        .expect("list");
    let text = listed.text().await.expect("body");
    assert!(!text.contains(&agent.secret), "secrets are never listed");
    let tokens: Vec<TokenView> = serde_json::from_str(&text).expect("tokens");
    let listed_agent = tokens
        .iter()
        .find(|t| t.id == agent.token.id)
        .expect("agent token listed");
    assert!(listed_agent.last_used_at.is_some(), "use is recorded");

    let revoke = desk.call(
        Method::DELETE,
        &format!("/api/v1/admin/tokens/{}", agent.token.id),
        Some(&org.admin),
    );
    assert_eq!(status_of(revoke).await, StatusCode::OK);
    assert_eq!(
        status_of(desk.call(Method::GET, "/api/v1/tickets", Some(&agent.secret))).await,
        StatusCode::UNAUTHORIZED
    );
    let again = desk.call(
        Method::DELETE,
        &format!("/api/v1/admin/tokens/{}", agent.token.id),
        Some(&org.admin),
    );
    assert_eq!(status_of(again).await, StatusCode::NOT_FOUND);
}

/// Route × caller → status. Callers: none, a malformed token, agent and admin of the ticket's
/// organisation, and agent and admin of another organisation (always 404: existence never leaks).
/// Also: a requester's tracking token is no credential here (401 wherever the malformed token
/// is), and a signed-in agent's and admin's sessions read exactly what their tokens read.
#[tokio::test]
async fn authorization_matrix_over_every_agent_and_admin_route() {
    let desk = Desk::from_env();
    let own = desk.new_org("matrix-own").await;
    let other = desk.new_org("matrix-other").await;
    let own_agent_token = desk.new_token(&own.admin, Role::Agent, "own agent").await;
    let own_agent = own_agent_token.secret.clone();
    let agent_session = desk.session_of(&own.admin, &person(&own_agent_token)).await;
    let own_admin_person = desk.new_person(&own.admin, Role::Admin, "own admin").await;
    let admin_session = desk.session_of(&own.admin, &own_admin_person.id).await;
    let other_agent = desk
        .new_token(&other.admin, Role::Agent, "other agent")
        .await
        .secret;
    let ticket = desk.new_request(&own.slug, "matrix").await;
    let token_to_revoke = desk
        .new_token(&own.admin, Role::Agent, "victim")
        .await
        .token
        .id;
    let t = format!("/api/v1/tickets/{}", ticket.id);
    let comments = format!("{t}/comments");
    let events = format!("{t}/events");
    let token_path = format!("/api/v1/admin/tokens/{token_to_revoke}");
    for (path, body, status) in [
        (
            "/api/v1/admin/catalog/categories",
            json!({"slug": "m-cat", "name": {"en": "M"}}),
            201,
        ),
        (
            "/api/v1/admin/catalog/categories",
            json!({"slug": "m-empty", "name": {"en": "Empty"}}),
            201,
        ),
        (
            "/api/v1/admin/catalog/items",
            json!({"slug": "m-item", "category": "m-cat", "name": {"en": "I"}, "form": {"fields": []}}),
            201,
        ),
        (
            "/api/v1/admin/catalog/items",
            json!({"slug": "m-doomed", "category": "m-cat", "name": {"en": "D"}, "form": {"fields": []}}),
            201,
        ),
    ] {
        let response = desk
            .call(Method::POST, path, Some(&own.admin))
            .json(&body)
            .send()
            .await
            .expect("catalog setup");
        assert_eq!(response.status().as_u16(), status, "{path} {body}");
    }
    let group = desk
        .call(Method::POST, "/api/v1/groups", Some(&own.admin))
        .json(&json!({"slug": "m-own", "name": "Own group"}))
        .send()
        .await
        .expect("group setup");
    assert_eq!(group.status(), StatusCode::CREATED);
    let item = "/api/v1/admin/catalog/items/m-item";
    let item_form = format!("{item}/form");
    let item_v1 = format!("{item}/forms/1");

    // (method, path, body, [none, garbage, own agent, own admin, other agent, other admin])
    let matrix: Vec<(Method, &str, Option<serde_json::Value>, [u16; 6])> = vec![
        (
            Method::GET,
            "/api/v1/tickets",
            None,
            [401, 401, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/tickets/counts",
            None,
            [401, 401, 200, 200, 200, 200],
        ),
        (Method::GET, &t, None, [401, 401, 200, 200, 404, 404]),
        (
            Method::PATCH,
            &t,
            Some(json!({"priority": "high"})),
            [401, 401, 200, 200, 404, 404],
        ),
        (Method::GET, &comments, None, [401, 401, 200, 200, 404, 404]),
        (
            Method::POST,
            &comments,
            Some(json!({"body": "Looking into it", "public": false})),
            [401, 401, 201, 201, 404, 404],
        ),
        (Method::GET, &events, None, [401, 401, 200, 200, 404, 404]),
        (
            Method::GET,
            "/api/v1/admin/tokens",
            None,
            [401, 401, 403, 200, 403, 200],
        ),
        (
            Method::POST,
            "/api/v1/admin/tokens",
            Some(json!({"name": "n", "role": "agent"})),
            [401, 401, 403, 201, 403, 201],
        ),
        (
            // The own admin revokes it (200); the other admin cannot even see it (404).
            Method::DELETE,
            &token_path,
            None,
            [401, 401, 403, 200, 403, 404],
        ),
        (
            Method::GET,
            "/api/v1/admin/catalog",
            None,
            [401, 401, 403, 200, 403, 200],
        ),
        (
            // Each admin writes a category into their own organisation only.
            Method::PUT,
            "/api/v1/admin/catalog/categories/m-cat",
            Some(json!({"name": {"en": "M2"}})),
            [401, 401, 403, 200, 403, 200],
        ),
        (
            Method::POST,
            "/api/v1/admin/catalog/items",
            Some(
                json!({"slug": "m-new", "category": "m-cat", "name": {"en": "N"}, "form": {"fields": []}}),
            ),
            [401, 401, 403, 201, 403, 201],
        ),
        (Method::GET, item, None, [401, 401, 403, 200, 403, 404]),
        (
            Method::PATCH,
            item,
            Some(json!({"position": 3})),
            [401, 401, 403, 200, 403, 404],
        ),
        (
            Method::PUT,
            &item_form,
            Some(json!({"fields": []})),
            [401, 401, 403, 201, 403, 404],
        ),
        (Method::GET, &item_v1, None, [401, 401, 403, 200, 403, 404]),
        (
            Method::DELETE,
            "/api/v1/admin/catalog/items/m-doomed",
            None,
            [401, 401, 403, 204, 403, 404],
        ),
        (
            Method::DELETE,
            "/api/v1/admin/catalog/categories/m-empty",
            None,
            [401, 401, 403, 204, 403, 404],
        ),
        (
            Method::GET,
            "/api/v1/admin/priority-matrix",
            None,
            [401, 401, 403, 200, 403, 200],
        ),
        (
            Method::PUT,
            "/api/v1/admin/priority-matrix",
            Some(json!([
                ["urgent", "high", "normal"],
                ["high", "normal", "low"],
                ["normal", "low", "low"]
            ])),
            [401, 401, 403, 200, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/groups",
            None,
            [401, 401, 200, 200, 200, 200],
        ),
        (
            // Each admin creates the group in their own organisation.
            Method::POST,
            "/api/v1/groups",
            Some(json!({"slug": "m-both", "name": "Both"})),
            [401, 401, 403, 201, 403, 201],
        ),
        (
            Method::GET,
            "/api/v1/groups/m-own",
            None,
            [401, 401, 200, 200, 404, 404],
        ),
        (
            Method::PUT,
            "/api/v1/groups/m-own",
            Some(json!({"name": "Own group, renamed"})),
            [401, 401, 403, 200, 403, 404],
        ),
        (
            Method::DELETE,
            "/api/v1/groups/m-own",
            None,
            [401, 401, 403, 204, 403, 404],
        ),
    ];
    let callers = [
        None,
        Some("edk_not-a-real-token"),
        Some(own_agent.as_str()),
        Some(own.admin.as_str()),
        Some(other_agent.as_str()),
        Some(other.admin.as_str()),
    ];
    let mut mismatches = Vec::new();
    // Reads first, while every resource still exists: sessions as their tokens, a tracking token
    // as no credential.
    for (method, path, _, expected) in matrix.iter().filter(|row| row.0 == Method::GET) {
        let session = |cookie: &str| desk.as_session(method.clone(), path, cookie);
        for (label, request, want) in [
            ("agent session", session(&agent_session), expected[2]),
            ("admin session", session(&admin_session), expected[3]),
            (
                "tracking token",
                desk.call(method.clone(), path, Some(&ticket.tracking_token)),
                expected[1],
            ),
        ] {
            let got = status_of(request).await.as_u16();
            if got != want {
                mismatches.push(format!(
                    "{method} {path} as {label}: got {got}, want {want}"
                ));
            }
        }
    }
    for (method, path, body, expected) in &matrix {
        for (caller, want) in callers.iter().zip(expected) {
            let mut request = desk.call(method.clone(), path, *caller);
            if *method == Method::PATCH {
                request = request.header("if-match", "*");
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let got = status_of(request).await.as_u16();
            if got != *want {
                mismatches.push(format!(
                    "{method} {path} as caller #{}: got {got}, want {want}",
                    callers.iter().position(|c| c == caller).unwrap_or(9)
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "authorization mismatches:\n{}",
        mismatches.join("\n")
    );
}

#[tokio::test]
async fn status_follows_the_lifecycle_with_if_match() {
    let desk = Desk::from_env();
    let org = desk.new_org("lifecycle").await;
    let created = desk.new_request(&org.slug, "lifecycle").await;
    let (ticket, etag) = get_ticket(&desk, &org.admin, &created.id).await;
    assert_eq!(
        (ticket.status, ticket.reference.as_str()),
        (TicketStatus::New, "TST-1")
    );

    let missing = patch(
        &desk,
        &org.admin,
        &created.id,
        None,
        json!({"status": "open"}),
    )
    .await;
    assert_eq!(missing.status(), StatusCode::PRECONDITION_REQUIRED);

    let opened = patch(
        &desk,
        &org.admin,
        &created.id,
        Some(&etag),
        json!({"status": "open"}),
    )
    .await;
    assert_eq!(opened.status(), StatusCode::OK);
    let new_etag = opened
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("etag")
        .to_owned();
    assert_ne!(new_etag, etag);
    assert_eq!(
        opened.json::<TicketView>().await.expect("ticket").status,
        TicketStatus::Open
    );

    let stale = patch(
        &desk,
        &org.admin,
        &created.id,
        Some(&etag),
        json!({"priority": "urgent"}),
    )
    .await;
    assert_eq!(
        stale.status(),
        StatusCode::PRECONDITION_FAILED,
        "the old ETag is refused"
    );

    let solved = patch(
        &desk,
        &org.admin,
        &created.id,
        Some(&new_etag),
        json!({"status": "solved"}),
    )
    .await;
    assert_eq!(solved.status(), StatusCode::OK);
    let (ticket, etag) = get_ticket(&desk, &org.admin, &created.id).await;
    assert!(ticket.solved_at.is_some());

    let closed = patch(
        &desk,
        &org.admin,
        &created.id,
        Some(&etag),
        json!({"status": "closed"}),
    )
    .await;
    assert_eq!(closed.status(), StatusCode::OK);
    let (_, etag) = get_ticket(&desk, &org.admin, &created.id).await;
    let reopen = patch(
        &desk,
        &org.admin,
        &created.id,
        Some(&etag),
        json!({"status": "open"}),
    )
    .await;
    assert_eq!(reopen.status(), StatusCode::CONFLICT, "closed is final");
    let problem: Problem = reopen.json().await.expect("problem");
    assert!(
        problem
            .detail
            .is_some_and(|d| d.contains("closed is final"))
    );
    // Nothing else changes a closed ticket either: fields, replies and notes are all refused.
    let renamed = patch(
        &desk,
        &org.admin,
        &created.id,
        Some(&etag),
        json!({"priority": "urgent", "tags_add": ["late"]}),
    )
    .await;
    assert_eq!(renamed.status(), StatusCode::CONFLICT);
    for public in [true, false] {
        let comment = desk
            .call(
                Method::POST,
                &format!("/api/v1/tickets/{}/comments", created.id),
                Some(&org.admin),
            )
            .json(&json!({"body": "One more thing", "public": public}))
            .send()
            .await
            .expect("comment");
        assert_eq!(comment.status(), StatusCode::CONFLICT, "public: {public}");
        let problem: Problem = comment.json().await.expect("problem");
        assert!(problem.detail.is_some_and(|d| d.contains("follow-up")));
    }
    let (after, after_etag) = get_ticket(&desk, &org.admin, &created.id).await;
    assert_eq!(after_etag, etag, "the refused changes left no trace");
    assert!(after.tags.is_empty());

    let illegal = desk.new_request(&org.slug, "illegal").await;
    let (_, etag) = get_ticket(&desk, &org.admin, &illegal.id).await;
    let jump = patch(
        &desk,
        &org.admin,
        &illegal.id,
        Some(&etag),
        json!({"status": "closed"}),
    )
    .await;
    assert_eq!(jump.status(), StatusCode::CONFLICT);
    let problem: Problem = jump.json().await.expect("problem");
    assert!(
        problem
            .detail
            .is_some_and(|d| d.contains("open, pending, on_hold, solved")),
        "409 lists what is allowed"
    );
}

#[tokio::test]
async fn internal_notes_never_reach_the_requester_and_replies_reopen() {
    let desk = Desk::from_env();
    let org = desk.new_org("comments").await;
    let created = desk.new_request(&org.slug, "comments").await;
    let comments = format!("/api/v1/tickets/{}/comments", created.id);

    let note = desk
        .call(Method::POST, &comments, Some(&org.admin))
        .json(&json!({"body": "Secret: VIP customer", "public": false}));
    assert_eq!(status_of(note).await, StatusCode::CREATED);
    let (ticket, _) = get_ticket(&desk, &org.admin, &created.id).await;
    assert!(
        ticket.first_response_at.is_none(),
        "an internal note is not a response"
    );

    let reply = desk
        .call(Method::POST, &comments, Some(&org.admin))
        .json(&json!({"body": "We are on it.", "public": true}));
    assert_eq!(status_of(reply).await, StatusCode::CREATED);
    let (ticket, etag) = get_ticket(&desk, &org.admin, &created.id).await;
    assert!(
        ticket.first_response_at.is_some(),
        "the first public reply is the first response"
    );

    let requester_view = desk
        .http
        .get(desk.url(&format!("/api/v1/requests/{}/comments", created.id)))
        .header(TRACKING_TOKEN_HEADER, &created.tracking_token)
        .send()
        .await
        .expect("requester comments");
    let text = requester_view.text().await.expect("body");
    assert!(!text.contains("VIP"), "internal note leaked: {text}");
    let visible: Vec<CommentView> = serde_json::from_str(&text).expect("comments");
    assert_eq!(
        visible.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(),
        ["We are on it."]
    );
    let all: Vec<CommentView> = desk
        .call(Method::GET, &comments, Some(&org.admin))
        .send()
        .await
        .expect("all")
        .json()
        .await
        .expect("json");
    assert_eq!(all.len(), 2);

    assert_eq!(
        patch(
            &desk,
            &org.admin,
            &created.id,
            Some(&etag),
            json!({"status": "solved"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let requester_reply = desk
        .http
        .post(desk.url(&format!("/api/v1/requests/{}/replies", created.id)))
        .header(TRACKING_TOKEN_HEADER, &created.tracking_token)
        .json(&json!({"body": "It broke again."}))
        .send()
        .await
        .expect("reply");
    assert_eq!(requester_reply.status(), StatusCode::CREATED);
    let (ticket, _) = get_ticket(&desk, &org.admin, &created.id).await;
    assert_eq!(
        ticket.status,
        TicketStatus::Open,
        "a reply to a solved ticket reopens it"
    );

    let events: Vec<EventView> = desk
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{}/events", created.id),
            Some(&org.admin),
        )
        .send()
        .await
        .expect("events")
        .json()
        .await
        .expect("json");
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "created",
            "note_added",
            "reply_added",
            "changed",
            "reply_added",
            "changed"
        ]
    );
    let change = |e: &EventView| (e.field.clone(), e.from_value.clone(), e.to_value.clone());
    let status = Some("status".to_owned());
    assert_eq!(
        change(&events[3]),
        (status.clone(), Some("new".into()), Some("solved".into()))
    );
    assert_eq!(
        change(&events[5]),
        (status, Some("solved".into()), Some("open".into()))
    );
    assert_eq!(events[4].actor_kind, "requester");
    assert_eq!(events[1].actor_kind, "agent");
}

#[tokio::test]
async fn lists_page_newest_first_filter_by_status_and_counts_follow() {
    let desk = Desk::from_env();
    let org = desk.new_org("list").await;
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(desk.new_request(&org.slug, &format!("list-{n}")).await.id);
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/tickets?page[size]=2".to_owned();
    loop {
        let page: Page<TicketView> = desk
            .call(Method::GET, &path, Some(&org.admin))
            .send()
            .await
            .expect("page")
            .json()
            .await
            .expect("json");
        assert!(page.data.len() <= 2);
        seen.extend(page.data.iter().map(|t| t.id.clone()));
        match page.meta.after_cursor {
            Some(cursor) if page.meta.has_more => {
                path = format!("/api/v1/tickets?page[size]=2&page[after]={cursor}")
            }
            _ => break,
        }
    }
    ids.reverse();
    assert_eq!(seen, ids, "all five, newest first, no repeats");

    let (_, etag) = get_ticket(&desk, &org.admin, &ids[0]).await;
    assert_eq!(
        patch(
            &desk,
            &org.admin,
            &ids[0],
            Some(&etag),
            json!({"status": "pending"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let pending: Page<TicketView> = desk
        .call(
            Method::GET,
            "/api/v1/tickets?status=pending",
            Some(&org.admin),
        )
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(
        pending
            .data
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>(),
        [ids[0].as_str()]
    );
    assert!(!pending.meta.has_more);

    let counts = desk.counts(&org.admin).await;
    assert_eq!(counts["new"], 4);
    assert_eq!(counts["pending"], 1);
    assert_eq!(counts["solved"], 0);

    for bad in [
        "page[size]=0",
        "page[size]=101",
        "status=lost",
        "page[after]=nope",
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

/// The audit trail only grows: no route changes or removes an event, and each change adds to
/// what was there. (The database refuses too, whatever a statement does: the worker's native
/// `db::tenant_keys_tests::audit_events_cannot_be_changed_or_removed`.)
#[tokio::test]
async fn audit_trail_only_grows_and_no_route_changes_or_removes_an_event() {
    let desk = Desk::from_env();
    let org = desk.new_org("append-only").await;
    let created = desk.new_request(&org.slug, "append-only").await;
    let path = format!("/api/v1/tickets/{}/events", created.id);
    let trail = || async {
        let response = desk
            .call(Method::GET, &path, Some(&org.admin))
            .send()
            .await
            .expect("events");
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<Vec<EventView>>().await.expect("json")
    };
    let first = trail().await;
    assert!(!first.is_empty(), "a new ticket has its created event");

    for method in [Method::PATCH, Method::PUT, Method::DELETE, Method::POST] {
        let response = desk
            .call(method.clone(), &path, Some(&org.admin))
            .json(&json!([{"id": first[0].id, "kind": "forged"}]))
            .send()
            .await
            .expect("write to the trail");
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method}"
        );
        let allow = response
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert_eq!(allow, "GET", "{method}");
        let event = desk
            .call(
                method.clone(),
                &format!("{path}/{}", first[0].id),
                Some(&org.admin),
            )
            .send()
            .await
            .expect("one event");
        assert_eq!(event.status(), StatusCode::NOT_FOUND, "{method} one event");
    }
    assert_eq!(trail().await, first, "nothing changed");

    let mut seen = first;
    for change in [
        json!({"status": "pending"}),
        json!({"priority": "high"}),
        json!({"status": "open"}),
    ] {
        let (_, etag) = get_ticket(&desk, &org.admin, &created.id).await;
        let response = patch(&desk, &org.admin, &created.id, Some(&etag), change.clone()).await;
        assert_eq!(response.status(), StatusCode::OK, "{change}");
        let now = trail().await;
        assert!(now.len() > seen.len(), "{change} added an event");
        assert_eq!(
            now[..seen.len()],
            seen[..],
            "{change} kept every earlier event"
        );
        seen = now;
    }
}

/// Several changes sent at once with the same ETag: one wins, the rest are 412, and only the
/// winner's change reaches the audit trail and the status counters. (Local workerd seldom lets
/// these requests overlap between read and write; the SQL-level guarantee that a losing write
/// runs none of its dependent statements is tested deterministically in the worker's
/// `db::sqlite_tests`.)
#[tokio::test]
async fn concurrent_changes_with_one_etag_record_exactly_one_change() {
    let desk = Desk::from_env();
    let org = desk.new_org("race").await;
    let created = desk.new_request(&org.slug, "race").await;
    let (_, etag) = get_ticket(&desk, &org.admin, &created.id).await;
    let change = || {
        patch(
            &desk,
            &org.admin,
            &created.id,
            Some(&etag),
            json!({"status": "pending"}),
        )
    };
    let (a, b, c, d, e, f) =
        tokio::join!(change(), change(), change(), change(), change(), change());
    let statuses: Vec<StatusCode> = [a, b, c, d, e, f].iter().map(|r| r.status()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::PRECONDITION_FAILED),
        "{statuses:?}"
    );
    let events: Vec<EventView> = desk
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{}/events", created.id),
            Some(&org.admin),
        )
        .send()
        .await
        .expect("events")
        .json()
        .await
        .expect("json");
    assert_eq!(
        events.iter().filter(|e| e.kind == "changed").count(),
        1,
        "{events:#?}"
    );
    let counts: serde_json::Value = desk
        .call(Method::GET, "/api/v1/tickets/counts", Some(&org.admin))
        .send()
        .await
        .expect("counts")
        .json()
        .await
        .expect("json");
    assert_eq!(
        (counts["new"].as_i64(), counts["pending"].as_i64()),
        (Some(0), Some(1))
    );
}

fn etag_of(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("etag")
        .to_owned()
}

#[tokio::test]
async fn assignee_group_and_tags_change_with_if_match_and_an_event_each() {
    let desk = Desk::from_env();
    let org = desk.new_org("assign").await;
    let other = desk.new_org("assign-other").await;
    let agent = desk.new_token(&org.admin, Role::Agent, "Ann").await;
    let revoked = desk.new_token(&org.admin, Role::Agent, "Gone").await;
    let foreign = desk.new_token(&other.admin, Role::Agent, "Zed").await;
    let (agent_id, revoked_id, foreign_id) = (person(&agent), person(&revoked), person(&foreign));
    desk.deactivate(&org.admin, &revoked_id).await;
    let created = desk.new_request(&org.slug, "assign").await;
    let (_, etag) = get_ticket(&desk, &agent.secret, &created.id).await;

    // Only an active person of the same organisation can be assigned.
    for bad in [
        foreign_id.as_str(),
        revoked_id.as_str(),
        "01JD00000000000000000NOONE",
        "",
    ] {
        let refused = patch(
            &desk,
            &agent.secret,
            &created.id,
            Some(&etag),
            json!({"assignee": bad}),
        )
        .await;
        assert_eq!(
            field_errors(refused).await,
            [("assignee".to_owned(), FieldErrorCode::NotAnOption)],
            "{bad:?}"
        );
    }
    let bad_tags = patch(
        &desk,
        &agent.secret,
        &created.id,
        Some(&etag),
        json!({"tags_add": ["ok", "Not A Tag"], "group": ""}),
    )
    .await;
    assert_eq!(
        field_errors(bad_tags).await,
        [
            ("group".to_owned(), FieldErrorCode::Required),
            ("tags_add[1]".to_owned(), FieldErrorCode::PatternMismatch)
        ]
    );

    // Groups are the organisation's own (see groups_api.rs); the assignee must be a member.
    let group = desk
        .call(Method::POST, "/api/v1/groups", Some(&org.admin))
        .json(&json!({"slug": "tier-2", "name": "Second line", "members": [agent_id]}))
        .send()
        .await
        .expect("group");
    assert_eq!(group.status(), StatusCode::CREATED);
    let assigned = patch(
        &desk,
        &agent.secret,
        &created.id,
        Some(&etag),
        json!({"assignee": agent_id, "group": "tier-2", "tags_add": ["vip", "billing"]}),
    )
    .await;
    assert_eq!(assigned.status(), StatusCode::OK);
    let assigned_etag = etag_of(&assigned);
    assert_ne!(assigned_etag, etag, "the change bumps the ETag");
    let view: TicketView = assigned.json().await.expect("ticket");
    assert_eq!(view.assignee.as_deref(), Some(agent_id.as_str()));
    assert_eq!(view.group.as_deref(), Some("tier-2"));
    assert_eq!(view.tags, ["billing", "vip"]);
    let (read, read_etag) = get_ticket(&desk, &agent.secret, &created.id).await;
    assert_eq!(
        (read.assignee, read.group, read.tags),
        (view.assignee, view.group, view.tags)
    );
    assert_eq!(read_etag, assigned_etag);

    // The list filters see the stored assignee, group and tags.
    for filter in [
        format!("assignee={}", agent_id),
        "group=tier-2".to_owned(),
        "tag=billing".to_owned(),
    ] {
        let page: Page<TicketView> = desk
            .call(
                Method::GET,
                &format!("/api/v1/tickets?{filter}"),
                Some(&agent.secret),
            )
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("page");
        let ids: Vec<&str> = page.data.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, [created.id.as_str()], "{filter}");
    }

    // A stale ETag changes nothing.
    let stale = patch(
        &desk,
        &agent.secret,
        &created.id,
        Some(&etag),
        json!({"assignee": null}),
    )
    .await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);

    let cleared = patch(
        &desk,
        &org.admin,
        &created.id,
        Some(&assigned_etag),
        json!({"assignee": null, "group": null, "tags_remove": ["vip", "never-there"]}),
    )
    .await;
    assert_eq!(cleared.status(), StatusCode::OK);
    let view: TicketView = cleared.json().await.expect("ticket");
    assert_eq!((view.assignee, view.group), (None, None));
    assert_eq!(view.tags, ["billing"]);

    let trail: Vec<EventView> = desk
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{}/events", created.id),
            Some(&agent.secret),
        )
        .send()
        .await
        .expect("events")
        .json()
        .await
        .expect("events");
    let changes: Vec<(&str, &str, Option<&str>, Option<&str>)> = trail
        .iter()
        .filter(|e| e.kind != "created")
        .map(|e| {
            (
                e.kind.as_str(),
                e.field.as_deref().unwrap_or_default(),
                e.from_value.as_deref(),
                e.to_value.as_deref(),
            )
        })
        .collect();
    let ann = agent_id.as_str();
    assert_eq!(
        changes,
        [
            ("changed", "assignee", None, Some(ann)),
            ("changed", "group", None, Some("tier-2")),
            ("tag_added", "tags", None, Some("billing")),
            ("tag_added", "tags", None, Some("vip")),
            ("changed", "assignee", Some(ann), None),
            ("changed", "group", Some("tier-2"), None),
            ("tag_removed", "tags", Some("vip"), None),
        ]
    );
    let by_ann = trail
        .iter()
        .filter(|e| e.actor_id.as_deref() == Some(ann))
        .count();
    assert_eq!(by_ann, 4, "the first change's events name its actor");
}
