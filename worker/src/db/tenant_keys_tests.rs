//! The schema keeps tenants apart by itself (migration 0009): rows that point at another
//! organisation's ticket, item, category, calendar, group, token or endpoint are refused by
//! SQLite under D1's rules, whatever a statement gets wrong; audit events name a known kind of
//! actor; comments cannot be changed or removed.

use rusqlite::Connection;
use serde_json::json;

use super::Constraint;
use super::Sql;
use super::api_sql_tests::{OTHER, demo_and_other, try_run};
use super::tickets::{Actor, Change, FieldChange, change_sql};

/// The demo organisation (ours, in these tests).
const ORG: &str = "01JD0000000000000000000000";
const NOW: &str = "2026-03-02T09:30:00.000Z";

/// Both organisations with the same kinds of things: a ticket (`T_A`, `T_B`), an agent token,
/// a category with an item, a calendar, a webhook endpoint, and a group `billing` only the
/// other organisation has (ours has the demo seed's `service-desk` and `tier-2`).
fn two_desks() -> Connection {
    let conn = demo_and_other();
    conn.execute_batch(&format!(
        "INSERT INTO api_tokens (id, org_id, name, role, token_hash, created_at) VALUES \
           ('tok_a', '{ORG}', 'Ann', 'agent', 'hash-a', '{NOW}'), \
           ('tok_b', '{OTHER}', 'Bo', 'agent', 'hash-b', '{NOW}'); \
         INSERT INTO agent_groups (org_id, slug, name, created_at, updated_at) \
           VALUES ('{OTHER}', 'billing', 'Billing', '{NOW}', '{NOW}'); \
         INSERT INTO sla_calendars (id, org_id, name, definition, created_at, updated_at) \
           VALUES ('cal_b', '{OTHER}', 'Office', '{{}}', '{NOW}', '{NOW}'); \
         INSERT INTO catalog_categories (id, org_id, slug, name, created_at, updated_at) VALUES \
           ('cat_a', '{ORG}', 'hardware', '{{}}', '{NOW}', '{NOW}'), \
           ('cat_b', '{OTHER}', 'hardware', '{{}}', '{NOW}', '{NOW}'); \
         INSERT INTO catalog_items (id, org_id, category_id, slug, name, form_version, \
           search_text, created_at, updated_at) VALUES \
           ('item_a', '{ORG}', 'cat_a', 'laptop', '{{}}', 1, 'laptop', '{NOW}', '{NOW}'), \
           ('item_b', '{OTHER}', 'cat_b', 'laptop', '{{}}', 1, 'laptop', '{NOW}', '{NOW}'); \
         INSERT INTO webhook_endpoints (id, org_id, url, secret, created_at, updated_at) VALUES \
           ('hook_a', '{ORG}', 'https://a.example/h', 's', '{NOW}', '{NOW}'), \
           ('hook_b', '{OTHER}', 'https://b.example/h', 's', '{NOW}', '{NOW}'); \
         INSERT INTO tickets (id, org_id, number, reference, status, subject, description, \
           requester_name, requester_email, channel, tracking_token_hash, created_at, \
           updated_at) VALUES \
           ('T_A', '{ORG}', 1, 'DEMO-1', 'open', 'Printer', 'It jams', 'Ida', \
            'ida@a.example', 'portal', 'h', '{NOW}', '{NOW}'), \
           ('T_B', '{OTHER}', 1, 'OTH-1', 'open', 'VPN', 'No access', 'Oz', \
            'oz@b.example', 'api', 'h', '{NOW}', '{NOW}');"
    ))
    .expect("two desks");
    conn
}

/// Runs `sql` (its parameters: `params`) as a one-statement batch.
fn write(conn: &mut Connection, sql: &str, params: &[&str]) -> rusqlite::Result<()> {
    let params = params.iter().map(|p| json!(p)).collect();
    try_run(conn, &[Sql::new(sql, params)]).map(|_| ())
}

/// The constraint SQLite refused `sql` for, as the worker reads it from D1's message.
fn refusal(conn: &mut Connection, sql: &str, params: &[&str]) -> Option<Constraint> {
    let error = write(conn, sql, params).expect_err(sql);
    Constraint::parse(&format!("D1_ERROR: {error}: SQLITE_CONSTRAINT"))
}

/// `sql` is accepted with `ours` and refused with `theirs` as its parameters, for a foreign
/// key: the reference across organisations is what fails.
fn only_within_the_organisation(conn: &mut Connection, sql: &str, ours: &[&str], theirs: &[&str]) {
    assert_eq!(
        refusal(conn, sql, theirs),
        Some(Constraint::ForeignKey),
        "{sql} with {theirs:?}"
    );
    write(conn, sql, ours).unwrap_or_else(|e| panic!("{sql} with {ours:?}: {e}"));
}

#[test]
fn nothing_of_another_organisation_can_point_at_our_ticket() {
    let mut conn = two_desks();
    for sql in [
        "INSERT INTO ticket_comments (id, org_id, ticket_id, author_kind, author_id, body, \
         public, created_at) VALUES (?1 || '-c', ?1, ?2, 'agent', 'tok', 'On it', 1, ?3)",
        "INSERT INTO ticket_events (id, org_id, ticket_id, actor_kind, actor_id, kind, field, \
         to_value, created_at) VALUES (?1 || '-e', ?1, ?2, 'agent', 'tok', 'changed', 'status', \
         'open', ?3)",
        "INSERT INTO ticket_tags (org_id, ticket_id, tag, created_at) VALUES (?1, ?2, 'vip', ?3)",
        "INSERT INTO sla_clocks (org_id, ticket_id, metric, target_minutes, business, \
         started_at) VALUES (?1, ?2, 'resolution', 60, 0, ?3)",
    ] {
        only_within_the_organisation(&mut conn, sql, &[ORG, "T_A", NOW], &[OTHER, "T_A", NOW]);
    }
    // Nor can our rows point at theirs.
    assert_eq!(
        refusal(
            &mut conn,
            "INSERT INTO ticket_comments (id, org_id, ticket_id, author_kind, body, public, \
             created_at) VALUES ('c9', ?1, ?2, 'requester', 'Hello', 1, ?3)",
            &[ORG, "T_B", NOW],
        ),
        Some(Constraint::ForeignKey)
    );
}

/// An agent's change of ticket `T_A` at version `version` (the worker's own statements).
fn change(version: i64, token: &str, field: FieldChange) -> Vec<Sql> {
    let event_ids = (0..field.event_count())
        .map(|i| format!("{token}-{i}"))
        .collect();
    change_sql(&Change {
        org_id: ORG,
        ticket_id: "T_A",
        expected_version: version,
        fields: vec![field],
        comment: None,
        actor: Actor {
            kind: "agent",
            id: "tok_a",
        },
        now: NOW,
        event_ids,
        change_id: token.to_owned(),
        sla: None,
    })
    .expect("a change")
}

#[test]
fn a_ticket_change_naming_another_organisations_group_or_agent_writes_nothing() {
    let mut conn = two_desks();
    // What the handler checks before; the database refuses it even when that check is missed.
    for (field, ours) in [
        (
            FieldChange::Group(None, Some("billing".to_owned())),
            FieldChange::Group(None, Some("tier-2".to_owned())),
        ),
        (
            FieldChange::Assignee(None, Some("tok_b".to_owned())),
            FieldChange::Assignee(None, Some("tok_a".to_owned())),
        ),
    ] {
        let state = |conn: &Connection| -> (i64, i64) {
            conn.query_row(
                "SELECT version, (SELECT COUNT(*) FROM ticket_events) FROM tickets \
                 WHERE id = 'T_A'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("ticket")
        };
        let before = state(&conn);
        let version = before.0;
        let error = try_run(&mut conn, &change(version, "theirs", field)).expect_err("refused");
        assert!(error.to_string().contains("FOREIGN KEY"), "{error}");
        assert_eq!(state(&conn), before, "the whole batch rolled back");
        try_run(
            &mut conn,
            &change(version, &format!("ours-{version}"), ours),
        )
        .expect("ours");
    }
    let (group, assignee): (String, String) = conn
        .query_row(
            "SELECT group_name, assignee FROM tickets WHERE id = 'T_A'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("ticket");
    assert_eq!((group.as_str(), assignee.as_str()), ("tier-2", "tok_a"));
}

#[test]
fn a_ticket_can_only_follow_up_and_come_from_its_own_organisations_ticket_and_item() {
    let mut conn = two_desks();
    only_within_the_organisation(
        &mut conn,
        "UPDATE tickets SET catalog_item_id = ?2, catalog_item = 'laptop' WHERE id = ?1",
        &["T_A", "item_a"],
        &["T_A", "item_b"],
    );
    write(
        &mut conn,
        "INSERT INTO tickets (id, org_id, number, reference, status, subject, description, \
         requester_name, requester_email, channel, tracking_token_hash, created_at, \
         updated_at) VALUES ('T_A2', ?1, 2, 'DEMO-2', 'new', 'Printer again', 'Jams', 'Ida', \
         'ida@a.example', 'portal', 'h', ?2, ?2)",
        &[ORG, NOW],
    )
    .expect("a second ticket");
    only_within_the_organisation(
        &mut conn,
        "UPDATE tickets SET follow_up_of = ?2 WHERE id = ?1",
        &["T_A2", "T_A"],
        &["T_A2", "T_B"],
    );
}

#[test]
fn catalog_sla_webhook_and_group_rows_point_only_inside_their_organisation() {
    let mut conn = two_desks();
    let our_calendar = format!("{ORG}-24x7");
    let cases: [(&str, [&str; 2], [&str; 2]); 7] = [
        (
            "INSERT INTO catalog_categories (id, org_id, slug, parent_id, name, created_at, \
             updated_at) VALUES ('sub-' || ?2, ?1, 'laptops-' || ?2, ?2, '{}', 'x', 'x')",
            [ORG, "cat_a"],
            [ORG, "cat_b"],
        ),
        (
            "INSERT INTO catalog_items (id, org_id, category_id, slug, name, form_version, \
             search_text, created_at, updated_at) \
             VALUES ('phone-' || ?2, ?1, ?2, 'phone-' || ?2, '{}', 1, 'phone', 'x', 'x')",
            [ORG, "cat_a"],
            [ORG, "cat_b"],
        ),
        (
            "UPDATE catalog_items SET default_group = ?2 WHERE org_id = ?1 AND id = 'item_a'",
            [ORG, "service-desk"],
            [ORG, "billing"],
        ),
        (
            "INSERT INTO catalog_forms (org_id, item_id, version, schema, created_at) \
             VALUES (?1, ?2, 2, '{}', 'x')",
            [ORG, "item_a"],
            [ORG, "item_b"],
        ),
        (
            "INSERT INTO sla_policies (id, org_id, name, position, calendar_id, definition, \
             created_at, updated_at) VALUES ('p-' || ?2, ?1, 'Default', 1, ?2, '{}', 'x', 'x')",
            [ORG, &our_calendar],
            [ORG, "cal_b"],
        ),
        (
            "INSERT INTO webhook_outbox (id, org_id, endpoint_id, event_type, payload, \
             created_at) VALUES ('out-' || ?2, ?1, ?2, 'sla.breached', '{}', 'x')",
            [ORG, "hook_a"],
            [ORG, "hook_b"],
        ),
        (
            "INSERT INTO agent_group_members (org_id, group_slug, token_id) \
             VALUES (?1, 'service-desk', ?2)",
            [ORG, "tok_a"],
            [ORG, "tok_b"],
        ),
    ];
    for (sql, ours, theirs) in &cases {
        only_within_the_organisation(&mut conn, sql, ours, theirs);
    }
}

#[test]
fn an_audit_event_by_an_unknown_kind_of_actor_is_refused() {
    let mut conn = two_desks();
    let insert = "INSERT INTO ticket_events (id, org_id, ticket_id, actor_kind, actor_id, kind, \
         created_at) VALUES ('e-' || ?2, ?1, 'T_A', ?2, 'x', 'created', 'x')";
    for known in ["agent", "requester", "system"] {
        write(&mut conn, insert, &[ORG, known]).expect(known);
    }
    for unknown in ["admin", "Agent", ""] {
        let refused = refusal(&mut conn, insert, &[ORG, unknown]);
        assert!(
            matches!(&refused, Some(Constraint::Check { check }) if check.contains("actor_kind")),
            "{unknown:?}: {refused:?}"
        );
    }
}

#[test]
fn replies_and_internal_notes_cannot_be_changed_or_removed() {
    let mut conn = two_desks();
    for (id, public) in [("reply", "1"), ("note", "0")] {
        write(
            &mut conn,
            "INSERT INTO ticket_comments (id, org_id, ticket_id, author_kind, author_id, body, \
             public, created_at) VALUES (?1, ?2, 'T_A', 'agent', 'tok_a', 'Original', ?3, ?4)",
            &[id, ORG, public, NOW],
        )
        .expect("a comment");
    }
    for sql in [
        "UPDATE ticket_comments SET body = 'Rewritten' WHERE id = ?1",
        "UPDATE ticket_comments SET public = 1 - public WHERE id = ?1",
        "DELETE FROM ticket_comments WHERE id = ?1",
    ] {
        for id in ["reply", "note"] {
            let error = write(&mut conn, sql, &[id]).expect_err(sql);
            assert!(error.to_string().contains("append-only"), "{sql}: {error}");
        }
    }
    let kept: Vec<(String, String, i64)> = conn
        .prepare("SELECT id, body, public FROM ticket_comments ORDER BY id")
        .expect("comments")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .map(|c| c.expect("comment"))
        .collect();
    assert_eq!(
        kept,
        [
            ("note".to_owned(), "Original".to_owned(), 0),
            ("reply".to_owned(), "Original".to_owned(), 1)
        ]
    );
}
