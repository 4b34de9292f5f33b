//! Black-box tests of agent groups: admin CRUD with members, validation, and what groups
//! mean for tickets (a group must exist, the assignee must be in it, a used group stays).

use edgedesk_core::api::{Role, TicketView};
use edgedesk_core::group::GroupView;
use edgedesk_core::{FieldErrorCode, TicketStatus};
use edgedesk_tests::Desk;
use edgedesk_tests::agent::{field_errors, person};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// An agent's change to `ticket` (`If-Match: *`: these tests are not about concurrency).
async fn patch(desk: &Desk, ticket: &str, token: &str, body: Value) -> reqwest::Response {
    desk.send(Method::PATCH, ticket, token, Some(body)).await
}

fn field(name: &str, code: FieldErrorCode) -> (String, FieldErrorCode) {
    (name.to_owned(), code)
}

#[tokio::test]
async fn admins_manage_groups_and_their_members_and_agents_read_them() {
    let desk = Desk::from_env();
    let org = desk.new_org("groups-crud").await;
    let other = desk.new_org("groups-crud-other").await;
    let ann = desk.new_person(&org.admin, Role::Agent, "Ann").await;
    let bob = desk.new_token(&org.admin, Role::Agent, "Bob").await;
    let bob_id = person(&bob);
    let gone = desk.new_person(&org.admin, Role::Agent, "Gone").await;
    let eve = desk.new_person(&other.admin, Role::Agent, "Eve").await;
    desk.deactivate(&org.admin, &gone.id).await;

    let invalid = desk
        .send(
            Method::POST,
            "/api/v1/groups",
            &org.admin,
            Some(
                json!({"slug": "Network Team", "name": " ", "members": [ann.id, gone.id, eve.id]}),
            ),
        )
        .await;
    assert_eq!(
        field_errors(invalid).await,
        [
            field("slug", FieldErrorCode::InvalidKey),
            field("name", FieldErrorCode::Required)
        ],
        "the body's own problems first, all together"
    );
    let strangers = desk.send(
        Method::POST,
        "/api/v1/groups",
        &org.admin,
        Some(json!({"slug": "network", "name": "Network", "members": [ann.id, gone.id, eve.id, "nobody"]})),
    )
    .await;
    assert_eq!(
        field_errors(strangers).await,
        [
            field("members[1]", FieldErrorCode::NotAnOption),
            field("members[2]", FieldErrorCode::NotAnOption),
            field("members[3]", FieldErrorCode::NotAnOption),
        ],
        "revoked tokens and other organisations' agents cannot be members"
    );
    let agents_cannot = desk
        .send(
            Method::POST,
            "/api/v1/groups",
            &bob.secret,
            Some(json!({"slug": "network", "name": "Network"})),
        )
        .await;
    assert_eq!(agents_cannot.status(), StatusCode::FORBIDDEN);

    let created = desk.send(
        Method::POST,
        "/api/v1/groups",
        &org.admin,
        Some(json!({"slug": "network", "name": " Network ", "description": "Switches, Wi-Fi, VPN", "members": [ann.id]})),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let view: GroupView = created.json().await.expect("group");
    assert_eq!(
        (view.slug.as_str(), view.name.as_str()),
        ("network", "Network")
    );
    let members: Vec<(&str, &str, Role)> = view
        .members
        .iter()
        .map(|m| (m.id.as_str(), m.name.as_str(), m.role))
        .collect();
    assert_eq!(members, [(ann.id.as_str(), "Ann", Role::Agent)]);

    let again = desk
        .send(
            Method::POST,
            "/api/v1/groups",
            &org.admin,
            Some(json!({"slug": "network", "name": "Impostor", "members": [bob_id]})),
        )
        .await;
    assert_eq!(
        field_errors(again).await,
        [field("slug", FieldErrorCode::DuplicateKey)]
    );

    let renamed = desk
        .send(
            Method::PUT,
            "/api/v1/groups/network",
            &org.admin,
            Some(json!({"name": "Network & Wi-Fi", "members": [bob_id, ann.id]})),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let moved = desk
        .send(
            Method::PUT,
            "/api/v1/groups/network",
            &org.admin,
            Some(json!({"slug": "net", "name": "Net"})),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::CONFLICT, "a slug never changes");
    let missing = desk
        .send(
            Method::PUT,
            "/api/v1/groups/nowhere",
            &org.admin,
            Some(json!({"name": "N"})),
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    // Agents read the groups (to assign tickets); the other organisation sees none of them.
    let listed: Vec<GroupView> = desk
        .send(Method::GET, "/api/v1/groups", &bob.secret, None)
        .await
        .json()
        .await
        .expect("groups");
    let network = listed.iter().find(|g| g.slug == "network").expect("listed");
    assert_eq!(network.name, "Network & Wi-Fi");
    let names: Vec<&str> = network.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Ann", "Bob"], "members by name");
    let theirs: Vec<GroupView> = desk
        .send(Method::GET, "/api/v1/groups", &other.admin, None)
        .await
        .json()
        .await
        .expect("groups");
    assert!(theirs.iter().all(|g| g.slug != "network"));
    let hidden = desk
        .send(Method::GET, "/api/v1/groups/network", &other.admin, None)
        .await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn tickets_go_to_existing_groups_and_to_their_members_only() {
    let desk = Desk::from_env();
    let org = desk.new_org("groups-tickets").await;
    let ann = desk.new_token(&org.admin, Role::Agent, "Ann").await;
    let bob = desk.new_token(&org.admin, Role::Agent, "Bob").await;
    let (ann_id, bob_id) = (person(&ann), person(&bob));
    desk.ensure_group(&org.admin, "network", &[&ann_id]).await;
    desk.ensure_group(&org.admin, "printers", &[&bob_id]).await;
    let created = desk.new_request(&org.slug, "groups").await;
    let ticket = format!("/api/v1/tickets/{}", created.id);

    let unknown = patch(&desk, &ticket, &ann.secret, json!({"group": "nowhere"})).await;
    assert_eq!(
        field_errors(unknown).await,
        [field("group", FieldErrorCode::NotAnOption)]
    );

    let outsider = patch(
        &desk,
        &ticket,
        &ann.secret,
        json!({"group": "network", "assignee": bob_id}),
    )
    .await;
    assert_eq!(
        field_errors(outsider).await,
        [field("assignee", FieldErrorCode::NotAGroupMember)]
    );

    let assigned = patch(
        &desk,
        &ticket,
        &ann.secret,
        json!({"group": "network", "assignee": ann_id, "status": "open"}),
    )
    .await;
    assert_eq!(assigned.status(), StatusCode::OK);
    let view: TicketView = assigned.json().await.expect("ticket");
    assert_eq!(view.group.as_deref(), Some("network"));
    assert_eq!(view.status, TicketStatus::Open);

    // Moving the ticket alone to a group its assignee is not in names the group.
    let moved = patch(&desk, &ticket, &ann.secret, json!({"group": "printers"})).await;
    assert_eq!(
        field_errors(moved).await,
        [field("group", FieldErrorCode::NotAGroupMember)]
    );
    // So does reassigning alone to someone outside the ticket's group.
    let handed = patch(&desk, &ticket, &ann.secret, json!({"assignee": bob_id})).await;
    assert_eq!(
        field_errors(handed).await,
        [field("assignee", FieldErrorCode::NotAGroupMember)]
    );
    // Both at once is a proper hand-over.
    let handed = patch(
        &desk,
        &ticket,
        &ann.secret,
        json!({"group": "printers", "assignee": bob_id}),
    )
    .await;
    assert_eq!(handed.status(), StatusCode::OK);

    // Catalog items and SLA escalations name groups too, and only existing ones.
    let item = desk
        .send(
            Method::POST,
            "/api/v1/admin/catalog/categories",
            &org.admin,
            Some(json!({"slug": "it", "name": {"en": "IT"}})),
        )
        .await;
    assert_eq!(item.status(), StatusCode::CREATED);
    let item = desk.send(
        Method::POST,
        "/api/v1/admin/catalog/items",
        &org.admin,
        Some(json!({"slug": "vpn", "category": "it", "name": {"en": "VPN"}, "default_group": "nowhere", "form": {"fields": []}})),
    )
    .await;
    assert_eq!(
        field_errors(item).await,
        [field("default_group", FieldErrorCode::NotAnOption)]
    );
    let calendars: Vec<Value> = desk
        .send(Method::GET, "/api/v1/admin/sla/calendars", &org.admin, None)
        .await
        .json()
        .await
        .expect("calendars");
    let policy = desk
        .send(
            Method::POST,
            "/api/v1/admin/sla/policies",
            &org.admin,
            Some(json!({
                "name": "Escalating",
                "calendar_id": calendars[0]["id"],
                "targets": {"normal": {"first_response": {"minutes": 30}}},
                "escalations": [
                    {"on": "breach", "metrics": ["first_response"], "group": "printers"},
                    {"on": "breach", "metrics": ["first_response"], "group": "nowhere"}
                ]
            })),
        )
        .await;
    assert_eq!(
        field_errors(policy).await,
        [field("escalations[1].group", FieldErrorCode::NotAnOption)]
    );

    // A group a ticket is in cannot be deleted; once empty it can.
    let in_use = desk
        .send(Method::DELETE, "/api/v1/groups/printers", &org.admin, None)
        .await;
    assert_eq!(in_use.status(), StatusCode::CONFLICT);
    let cleared = patch(&desk, &ticket, &ann.secret, json!({"group": null})).await;
    assert_eq!(cleared.status(), StatusCode::OK);
    let deleted = desk
        .send(Method::DELETE, "/api/v1/groups/printers", &org.admin, None)
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = desk
        .send(Method::GET, "/api/v1/groups/printers", &ann.secret, None)
        .await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let read: TicketView = desk
        .send(Method::GET, &ticket, &ann.secret, None)
        .await
        .json()
        .await
        .expect("ticket");
    assert_eq!(
        (read.group, read.assignee.as_deref()),
        (None, Some(bob_id.as_str())),
        "the assignee stays when the group is cleared"
    );
}
