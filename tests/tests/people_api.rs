//! People, sign-in links and sessions against the real worker: admins manage people, a link
//! opens a session that acts through the same routes as tokens, and sessions resist fixation,
//! cross-site requests and deactivation.

use edgedesk_core::api::{Role, TokenView};
use edgedesk_core::people::{
    CreatedLink, InvitationStatus, InvitationView, Me, PersonView, SessionView,
};
use edgedesk_core::{FieldErrorCode, people::Credential};
use edgedesk_tests::Desk;
use edgedesk_tests::agent::{Org, field_errors, unique_slug};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::json;

/// A fresh organisation whose first admin is a person (so the last-admin rule applies).
async fn org_with_admin_person(desk: &Desk, label: &str) -> (Org, String) {
    let secret = std::env::var("EDGEDESK_BOOTSTRAP_SECRET").expect("bootstrap secret");
    let slug = unique_slug(label);
    let response = desk
        .bootstrap(
            &json!({"slug": slug, "name": "People test", "ref_prefix": "PPL",
                    "admin_email": format!("Admin@{slug}.example"), "admin_name": "Ada Admin"}),
            &secret,
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: serde_json::Value = response.json().await.expect("bootstrap body");
    let admin = body["token"]["secret"].as_str().expect("secret").to_owned();
    let person = body["person"].as_str().expect("admin person").to_owned();
    assert_eq!(body["token"]["person"].as_str(), Some(person.as_str()));
    (Org { slug, admin }, person)
}

/// A one-time sign-in link for `person`, made by `admin`; its secret is after the `#`.
async fn link_for(desk: &Desk, admin: &str, person: &str) -> String {
    let link = desk.sign_in_link(admin, person).await;
    assert!(
        link.url
            .starts_with(&format!("{}/agent/sign-in#edl_", desk.origin()))
    );
    link.url.split_once('#').expect("fragment").1.to_owned()
}

/// The session cookie a sign-in set (`name=value`), after checking its flags.
fn session_cookie(response: &reqwest::Response) -> String {
    let header = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("set-cookie")
        .to_owned();
    let mut parts = header.split("; ");
    let pair = parts.next().expect("name=value").to_owned();
    assert!(pair.starts_with("__Host-edgedesk-session=eds_"), "{header}");
    let flags: Vec<&str> = parts.collect();
    for flag in ["Path=/", "Secure", "HttpOnly", "SameSite=Strict"] {
        assert!(flags.contains(&flag), "{flag} missing from {header}");
    }
    assert!(!header.contains("Domain"), "{header}");
    pair
}

async fn status(request: RequestBuilder) -> StatusCode {
    request.send().await.expect("request").status()
}

#[tokio::test]
async fn admins_add_change_and_list_people_and_the_last_admin_stays_one() {
    let desk = Desk::from_env();
    let (org, ada) = org_with_admin_person(&desk, "people-admin").await;
    let other = desk.new_org("people-admin-other").await;
    let ann = desk.new_person(&org.admin, Role::Agent, "Ann").await;
    assert!(ann.active);
    assert_eq!((ann.locale.as_str(), ann.capacity), ("en", 20));

    let same_address = desk
        .send(
            Method::POST,
            "/api/v1/admin/people",
            &org.admin,
            Some(json!({"name": "Ann again", "email": ann.email.to_uppercase(), "role": "agent"})),
        )
        .await;
    assert_eq!(
        same_address.status(),
        StatusCode::CONFLICT,
        "unique whatever the case"
    );

    let invalid = desk
        .send(
            Method::PATCH,
            &format!("/api/v1/admin/people/{}", ann.id),
            &org.admin,
            Some(json!({"locale": "de", "time_zone": "Mars/Base", "capacity": 5000})),
        )
        .await;
    assert_eq!(
        field_errors(invalid).await,
        [
            ("locale".to_owned(), FieldErrorCode::NotAnOption),
            ("time_zone".to_owned(), FieldErrorCode::NotAnOption),
            ("capacity".to_owned(), FieldErrorCode::AboveMaximum),
        ]
    );
    let changed = desk
        .send(
            Method::PATCH,
            &format!("/api/v1/admin/people/{}", ann.id),
            &org.admin,
            Some(
                json!({"locale": "he", "time_zone": "Asia/Jerusalem", "languages": ["he", "EN"],
                        "capacity": 8, "away": true, "role": "admin"}),
            ),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let changed: PersonView = changed.json().await.expect("person");
    assert_eq!(
        (
            changed.locale.as_str(),
            changed.time_zone.as_str(),
            changed.capacity,
            changed.away
        ),
        ("he", "Asia/Jerusalem", 8, true)
    );
    assert_eq!(changed.languages, ["he", "en"]);

    // Two admins: Ada may step down, and then Ann is the last one. (An integration's admin
    // token acts from here on: the bootstrap token is Ada's, an agent's once she steps down.)
    let ops: serde_json::Value = desk
        .send(
            Method::POST,
            "/api/v1/admin/tokens",
            &org.admin,
            Some(json!({"name": "ops", "role": "admin"})),
        )
        .await
        .json()
        .await
        .expect("integration token");
    let ops = ops["secret"].as_str().expect("secret").to_owned();
    let demote = |id: String| {
        desk.call(
            Method::PATCH,
            &format!("/api/v1/admin/people/{id}"),
            Some(&ops),
        )
        .json(&json!({"role": "agent"}))
    };
    assert_eq!(status(demote(ada.clone())).await, StatusCode::OK);
    assert_eq!(
        status(demote(changed.id.clone())).await,
        StatusCode::CONFLICT
    );
    let deactivate_last = desk
        .call(
            Method::PATCH,
            &format!("/api/v1/admin/people/{}", changed.id),
            Some(&ops),
        )
        .json(&json!({"active": false}));
    assert_eq!(status(deactivate_last).await, StatusCode::CONFLICT);

    let people: Vec<PersonView> = desk
        .send(Method::GET, "/api/v1/admin/people", &ops, None)
        .await
        .json()
        .await
        .expect("people");
    let names: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Ada Admin", "Ann"]);
    // Another organisation's admin cannot see or change them.
    for (method, body) in [
        (Method::GET, None),
        (Method::PATCH, Some(json!({"away": true}))),
    ] {
        let response = desk
            .send(
                method,
                &format!("/api/v1/admin/people/{}", ann.id),
                &other.admin,
                body,
            )
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_sign_in_link_opens_one_session_that_works_like_the_persons_token() {
    let desk = Desk::from_env();
    let (org, ada) = org_with_admin_person(&desk, "people-link").await;
    let token = link_for(&desk, &org.admin, &ada).await;

    // A cookie planted before sign-in is never adopted: the session gets a new secret.
    let planted = "__Host-edgedesk-session=eds_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let response = desk.sign_in(&token, Some(planted)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = session_cookie(&response);
    assert_ne!(cookie, planted);
    assert_eq!(
        status(desk.as_session(Method::GET, "/api/v1/me", planted)).await,
        StatusCode::UNAUTHORIZED
    );

    let me: Me = desk
        .as_session(Method::GET, "/api/v1/me", &cookie)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("me body");
    assert_eq!(
        (me.role, me.via, me.org.as_str()),
        (Role::Admin, Credential::Session, org.slug.as_str())
    );
    assert_eq!(me.person.map(|p| p.id), Some(ada.clone()));
    // The same routes as tokens, with the person's role.
    assert_eq!(
        status(desk.as_session(Method::GET, "/api/v1/tickets", &cookie)).await,
        StatusCode::OK
    );
    assert_eq!(
        status(desk.as_session(Method::GET, "/api/v1/admin/people", &cookie)).await,
        StatusCode::OK
    );
    let created = desk
        .as_session(Method::POST, "/api/v1/groups", &cookie)
        .json(&json!({"slug": "night", "name": "Night shift", "members": [ada]}));
    assert_eq!(status(created).await, StatusCode::CREATED);

    // Single use.
    assert_eq!(
        desk.sign_in(&token, None).await.status(),
        StatusCode::UNAUTHORIZED
    );

    let sessions: Vec<SessionView> = desk
        .as_session(Method::GET, "/api/v1/me/sessions", &cookie)
        .send()
        .await
        .expect("sessions")
        .json()
        .await
        .expect("sessions body");
    assert_eq!(sessions.len(), 1);
    assert!(sessions[0].current);

    let out = desk
        .as_session(Method::POST, "/api/v1/sign-out", &cookie)
        .send()
        .await
        .expect("sign out");
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let cleared = out
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(
        status(desk.as_session(Method::GET, "/api/v1/me", &cookie)).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_session_refuses_changes_from_other_origins_and_sign_in_from_other_sites() {
    let desk = Desk::from_env();
    let (org, ada) = org_with_admin_person(&desk, "people-csrf").await;
    let cookie = desk.session_of(&org.admin, &ada).await;
    let body = json!({"slug": "csrf", "name": "CSRF"});
    let post = || {
        desk.http
            .post(desk.url("/api/v1/groups"))
            .header("cookie", &cookie)
            .json(&body)
    };
    // A fetch without Origin, one from another site, and a same-site form from a sibling.
    assert_eq!(status(post()).await, StatusCode::FORBIDDEN);
    assert_eq!(
        status(post().header("origin", "https://evil.example")).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status(
            post()
                .header("origin", desk.origin())
                .header("sec-fetch-site", "cross-site")
        )
        .await,
        StatusCode::FORBIDDEN
    );
    // Reads need no Origin; the desk's own page may change things.
    let read = desk
        .http
        .get(desk.url("/api/v1/groups"))
        .header("cookie", &cookie);
    assert_eq!(status(read).await, StatusCode::OK);
    assert_eq!(
        status(post().header("origin", desk.origin())).await,
        StatusCode::CREATED
    );

    // Nobody can be signed in from another site's page (login CSRF).
    let token = link_for(&desk, &org.admin, &ada).await;
    let foreign = desk
        .http
        .post(desk.url("/api/v1/sign-in/link"))
        .header("origin", "https://evil.example")
        .json(&json!({ "token": token }));
    assert_eq!(status(foreign).await, StatusCode::FORBIDDEN);
    assert_eq!(
        desk.sign_in(&token, None).await.status(),
        StatusCode::OK,
        "still unused"
    );
}

#[tokio::test]
async fn deactivation_stops_sessions_and_tokens_at_once_and_keeps_assignments() {
    let desk = Desk::from_env();
    let (org, _) = org_with_admin_person(&desk, "people-off").await;
    let bea = desk.new_token(&org.admin, Role::Agent, "Bea").await;
    let bea_id = bea.token.person.clone().expect("person");
    let cookie = desk.session_of(&org.admin, &bea_id).await;
    let ticket = desk.new_request(&org.slug, "people-off").await;
    let assigned = desk
        .send(
            Method::PATCH,
            &format!("/api/v1/tickets/{}", ticket.id),
            &bea.secret,
            Some(json!({"assignee": bea_id})),
        )
        .await;
    assert_eq!(assigned.status(), StatusCode::OK);

    desk.deactivate(&org.admin, &bea_id).await;
    assert_eq!(
        status(desk.as_session(Method::GET, "/api/v1/tickets", &cookie)).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(desk.call(Method::GET, "/api/v1/tickets", Some(&bea.secret))).await,
        StatusCode::UNAUTHORIZED
    );
    let token = link_for_status(&desk, &org.admin, &bea_id).await;
    assert_eq!(
        token,
        StatusCode::NOT_FOUND,
        "no link for a deactivated person"
    );
    let view: serde_json::Value = desk
        .send(
            Method::GET,
            &format!("/api/v1/tickets/{}", ticket.id),
            &org.admin,
            None,
        )
        .await
        .json()
        .await
        .expect("ticket");
    assert_eq!(
        view["assignee"].as_str(),
        Some(bea_id.as_str()),
        "still theirs"
    );
}

async fn link_for_status(desk: &Desk, admin: &str, person: &str) -> StatusCode {
    desk.send(
        Method::POST,
        &format!("/api/v1/admin/people/{person}/sign-in-links"),
        admin,
        None,
    )
    .await
    .status()
}

#[tokio::test]
async fn a_persons_token_acts_with_at_most_their_role() {
    let desk = Desk::from_env();
    let (org, ada) = org_with_admin_person(&desk, "people-role").await;
    let ann = desk.new_person(&org.admin, Role::Agent, "Ann").await;
    let too_high = desk
        .send(
            Method::POST,
            "/api/v1/admin/tokens",
            &org.admin,
            Some(json!({"name": "Ann's", "role": "admin", "person": ann.id})),
        )
        .await;
    assert_eq!(
        field_errors(too_high).await,
        [("person".to_owned(), FieldErrorCode::NotAnOption)]
    );
    let other = desk.new_org("people-role-other").await;
    let stranger = desk.new_person(&other.admin, Role::Admin, "Zed").await;
    let foreign = desk
        .send(
            Method::POST,
            "/api/v1/admin/tokens",
            &org.admin,
            Some(json!({"name": "Zed's", "role": "agent", "person": stranger.id})),
        )
        .await;
    assert_eq!(foreign.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Ada's admin token, once Ada is only an agent, acts as an agent.
    let second = desk
        .new_person(&org.admin, Role::Admin, "Second admin")
        .await;
    let token: TokenView = desk
        .send(
            Method::POST,
            "/api/v1/admin/tokens",
            &org.admin,
            Some(json!({"name": "Ada's", "role": "admin", "person": ada})),
        )
        .await
        .json::<serde_json::Value>()
        .await
        .map(|v| serde_json::from_value(v).expect("token"))
        .expect("body");
    assert_eq!(token.person.as_deref(), Some(ada.as_str()));
    let demoted = desk
        .send(
            Method::PATCH,
            &format!("/api/v1/admin/people/{ada}"),
            &org.admin,
            Some(json!({"role": "agent"})),
        )
        .await;
    assert_eq!(demoted.status(), StatusCode::OK, "{second:?} remains admin");
    assert_eq!(
        status(desk.call(Method::GET, "/api/v1/admin/people", Some(&org.admin))).await,
        StatusCode::FORBIDDEN,
        "the bootstrap token is Ada's"
    );
    assert_eq!(
        status(desk.call(Method::GET, "/api/v1/tickets", Some(&org.admin))).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn invitations_are_listed_revocable_and_refuse_a_taken_address() {
    let desk = Desk::from_env();
    let (org, _) = org_with_admin_person(&desk, "people-invite").await;
    let ann = desk.new_person(&org.admin, Role::Agent, "Ann").await;
    let taken = desk
        .send(
            Method::POST,
            "/api/v1/admin/invitations",
            &org.admin,
            Some(json!({"name": "Ann", "email": ann.email, "role": "agent"})),
        )
        .await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    let invalid = desk
        .send(
            Method::POST,
            "/api/v1/admin/invitations",
            &org.admin,
            Some(json!({})),
        )
        .await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let made = desk
        .send(
            Method::POST,
            "/api/v1/admin/invitations",
            &org.admin,
            Some(json!({"name": "Eve", "email": "eve@invite.example", "role": "agent"})),
        )
        .await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let link: CreatedLink = made.json().await.expect("link");
    assert!(link.url.contains("/agent/invitation#edi_"), "{}", link.url);
    let listed = invitations(&desk, &org.admin).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].status, InvitationStatus::Pending);
    assert!(
        !serde_json::to_string(&listed)
            .expect("json")
            .contains("edi_"),
        "links are never listed"
    );
    let revoke = format!("/api/v1/admin/invitations/{}", link.id);
    assert_eq!(
        desk.send(Method::DELETE, &revoke, &org.admin, None)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        invitations(&desk, &org.admin).await[0].status,
        InvitationStatus::Revoked
    );
    assert_eq!(
        desk.send(Method::DELETE, &revoke, &org.admin, None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_requesters_tracking_token_or_garbage_never_opens_a_session() {
    let desk = Desk::from_env();
    let request = desk
        .new_request(edgedesk_tests::DEMO_ORG, "people-requester")
        .await;
    for token in [request.tracking_token.as_str(), "edl_nope", ""] {
        assert_eq!(
            desk.sign_in(token, None).await.status(),
            StatusCode::UNAUTHORIZED,
            "{token}"
        );
    }
    let garbage = desk.http.get(desk.url("/api/v1/me")).header(
        "cookie",
        format!("__Host-edgedesk-session={}", request.tracking_token),
    );
    assert_eq!(status(garbage).await, StatusCode::UNAUTHORIZED);
}

async fn invitations(desk: &Desk, admin: &str) -> Vec<InvitationView> {
    desk.send(Method::GET, "/api/v1/admin/invitations", admin, None)
        .await
        .json()
        .await
        .expect("invitations")
}
