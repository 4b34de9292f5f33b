//! The schema keeps tenants apart by itself (migration 0009): rows that point at another
//! organisation's ticket, item, category, calendar, group, token or endpoint are refused by
//! SQLite under D1's rules, whatever a statement gets wrong; audit events name a known kind of
//! actor; comments and audit events cannot be changed or removed. And 0009 brings every row
//! across unchanged.

use rusqlite::Connection;
use rusqlite::types::Value as Sqlite;
use serde_json::json;

use super::Constraint;
use super::Sql;
use super::api_sql_tests::{OTHER, demo_and_other, try_run};
use super::sqlite_tests::{apply, empty_d1, migration_files};
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
        "INSERT INTO people (id, org_id, name, role, retired_key, created_at, email, email_key, \
           updated_at) VALUES \
           ('tok_a', '{ORG}', 'Ann', 'agent', 'person:a', '{NOW}', 'a@x.example', 'a@x.example', '{NOW}'), \
           ('tok_b', '{OTHER}', 'Bo', 'agent', 'person:b', '{NOW}', 'b@x.example', 'b@x.example', '{NOW}'); \
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
            "INSERT INTO agent_group_members (org_id, group_slug, person_id) \
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

#[test]
fn audit_events_cannot_be_changed_or_removed() {
    let mut conn = two_desks();
    write(
        &mut conn,
        "INSERT INTO ticket_events (id, org_id, ticket_id, actor_kind, actor_id, kind, \
         field, from_value, to_value, created_at) \
         VALUES ('e1', ?1, 'T_A', 'agent', 'tok_a', 'changed', 'status', 'new', 'open', ?2)",
        &[ORG, NOW],
    )
    .expect("an event");
    let trail = |conn: &Connection| -> Vec<(String, String, Option<String>, String)> {
        conn.prepare("SELECT id, kind, to_value, created_at FROM ticket_events ORDER BY id")
            .expect("events")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("query")
            .map(|e| e.expect("event"))
            .collect()
    };
    let before = trail(&conn);
    assert!(before.iter().any(|e| e.0 == "e1"), "{before:?}");
    for (sql, params) in [
        (
            "UPDATE ticket_events SET kind = 'forged' WHERE id = ?1",
            &["e1"][..],
        ),
        (
            "UPDATE ticket_events SET to_value = 'closed' WHERE id = ?1",
            &["e1"],
        ),
        (
            "UPDATE ticket_events SET created_at = '2000-01-01T00:00:00.000Z' WHERE id = ?1",
            &["e1"],
        ),
        ("DELETE FROM ticket_events WHERE id = ?1", &["e1"]),
        // Whole-table statements too, as a careless or hostile one would be.
        ("UPDATE ticket_events SET kind = 'forged'", &[]),
        ("DELETE FROM ticket_events", &[]),
    ] {
        let error = write(&mut conn, sql, params).expect_err(sql);
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
    assert_eq!(trail(&conn), before);
}

// ---------------------------------------------------------------------------------------------
// Migration 0009 on a database in use

/// A database that has not applied 0009 yet: the migrations before it, applied as D1 applies
/// them, and then `later` ones it may have applied first (`wrangler d1 migrations apply`
/// applies whichever are missing, in order; so a database that got 0010 before 0009 existed,
/// such as a local one, applies 0009 after 0010).
pub(super) fn before_0009(later: &[&str]) -> Connection {
    before("0009", later)
}

/// A database that applied every migration before `migration` (its number, e.g. `"0011"`) and
/// then `later` ones.
pub(super) fn before(migration: &str, later: &[&str]) -> Connection {
    let mut conn = empty_d1();
    for file in migration_files() {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name < migration || later.contains(&name) {
            apply(&mut conn, &file);
        }
    }
    conn
}

/// Trigger `name` as `migration` creates it (as SQLite keeps it: without the semicolon).
fn trigger_in(migration: &str, name: &str) -> String {
    let path = format!("{}/migrations/{migration}", env!("CARGO_MANIFEST_DIR"));
    let sql = std::fs::read_to_string(path).expect("migration");
    let start = sql
        .find(&format!("CREATE TRIGGER {name} "))
        .expect("the trigger");
    let end = start + sql[start..].find("\nEND;").expect("its end") + "\nEND".len();
    sql[start..end].to_owned()
}

/// Two organisations in full use, written against the schema of 0008: every table has rows,
/// with NULLs, numbers and JSON where the desk stores them. Tickets get rowids of their own
/// (not their search rows' rowids), so a broken search link would show.
pub(super) const IN_USE: &str = r#"
INSERT INTO orgs (id, slug, name, ref_prefix, default_locale, time_zone, created_at, priority_matrix, widget_origins)
VALUES ('ORG_A', 'acme', 'Acme', 'ACME', 'en', 'Europe/Warsaw', '2026-01-01T00:00:00.000Z', NULL, '["https://acme.example"]'),
       ('ORG_B', 'globex', 'Globex', 'GLX', 'he', 'Asia/Jerusalem', '2026-01-02T00:00:00.000Z', '{"high":{"high":"urgent"}}', '[]');
INSERT INTO org_counters (org_id, name, value) VALUES
  ('ORG_A', 'ticket_number', 3), ('ORG_A', 'status:open', 2), ('ORG_A', 'status:closed', 1),
  ('ORG_B', 'ticket_number', 1), ('ORG_B', 'status:new', 1);
INSERT INTO api_tokens (id, org_id, name, role, token_hash, created_at, last_used_at, revoked_at) VALUES
  ('TOK_A1', 'ORG_A', 'Ann', 'admin', 'hash-a1', '2026-01-01T01:00:00.000Z', '2026-03-01T08:00:00.000Z', NULL),
  ('TOK_A2', 'ORG_A', 'Bob', 'agent', 'hash-a2', '2026-01-01T02:00:00.000Z', NULL, '2026-02-01T00:00:00.000Z'),
  ('TOK_B1', 'ORG_B', 'Dana', 'agent', 'hash-b1', '2026-01-02T01:00:00.000Z', NULL, NULL);
INSERT INTO agent_groups (org_id, slug, name, description, created_at, updated_at) VALUES
  ('ORG_A', 'service-desk', 'Service desk', 'First line', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
  ('ORG_A', 'tier-2', 'Second line', '', '2026-01-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z'),
  ('ORG_B', 'service-desk', 'מוקד', '', '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z');
INSERT INTO agent_group_members (org_id, group_slug, token_id) VALUES
  ('ORG_A', 'service-desk', 'TOK_A1'), ('ORG_A', 'tier-2', 'TOK_A1'), ('ORG_A', 'tier-2', 'TOK_A2'),
  ('ORG_B', 'service-desk', 'TOK_B1');
INSERT INTO sla_calendars (id, org_id, name, definition, is_default, created_at, updated_at) VALUES
  ('ORG_A-24x7', 'ORG_A', '24/7', '{"name":"24/7","time_zone":"UTC","week":{},"holidays":[]}', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
  ('CAL_A', 'ORG_A', 'Office', '{"name":"Office","time_zone":"Europe/Warsaw","week":{"mon":[{"start":"09:00","end":"17:00"}]},"holidays":[{"date":"2026-12-25","yearly":true}]}', 0, '2026-01-05T00:00:00.000Z', '2026-01-05T00:00:00.000Z'),
  ('ORG_B-24x7', 'ORG_B', '24/7', '{"name":"24/7","time_zone":"UTC","week":{},"holidays":[]}', 1, '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z');
INSERT INTO sla_policies (id, org_id, name, position, calendar_id, definition, created_at, updated_at) VALUES
  ('POL_A', 'ORG_A', 'Urgent hardware', 1, 'CAL_A', '{"conditions":{"priority":["urgent"]},"escalations":[{"actions":{"group":"tier-2"}}]}', '2026-01-05T00:00:00.000Z', '2026-01-06T00:00:00.000Z'),
  ('POL_B', 'ORG_B', 'Everything', 1, 'ORG_B-24x7', '{}', '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z');
INSERT INTO catalog_categories (id, org_id, slug, parent_id, name, description, position, active, created_at, updated_at) VALUES
  ('CAT_A1', 'ORG_A', 'hardware', NULL, '{"en":"Hardware"}', '{}', 0, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
  ('CAT_A2', 'ORG_A', 'laptops', 'CAT_A1', '{"en":"Laptops","pl":"Laptopy"}', '{"en":"Portable"}', 2, 0, '2026-01-01T00:00:00.000Z', '2026-01-04T00:00:00.000Z'),
  ('CAT_B1', 'ORG_B', 'hardware', NULL, '{"he":"חומרה"}', '{}', 0, 1, '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z');
INSERT INTO catalog_items (id, org_id, category_id, slug, name, description, icon, position, active, default_priority, default_group, form_version, search_text, created_at, updated_at) VALUES
  ('ITEM_A1', 'ORG_A', 'CAT_A2', 'new-laptop', '{"en":"New laptop"}', '{"en":"For new hires"}', 'laptop', 1, 1, 'high', 'service-desk', 2, 'new laptop for new hires', '2026-01-01T00:00:00.000Z', '2026-01-07T00:00:00.000Z'),
  ('ITEM_A2', 'ORG_A', 'CAT_A1', 'broken-screen', '{"en":"Broken screen"}', '{}', NULL, 0, 0, NULL, NULL, 1, 'broken screen', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
  ('ITEM_B1', 'ORG_B', 'CAT_B1', 'new-laptop', '{"he":"מחשב נייד"}', '{}', NULL, 0, 1, NULL, 'service-desk', 1, 'מחשב נייד', '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z');
INSERT INTO catalog_forms (org_id, item_id, version, schema, created_at) VALUES
  ('ORG_A', 'ITEM_A1', 1, '{"fields":[]}', '2026-01-01T00:00:00.000Z'),
  ('ORG_A', 'ITEM_A1', 2, '{"fields":[{"key":"model","kind":"select"}]}', '2026-01-07T00:00:00.000Z'),
  ('ORG_A', 'ITEM_A2', 1, '{"fields":[]}', '2026-01-01T00:00:00.000Z'),
  ('ORG_B', 'ITEM_B1', 1, '{"fields":[]}', '2026-01-02T00:00:00.000Z');
INSERT INTO tickets (rowid, id, org_id, number, reference, status, subject, description, requester_name, requester_email, channel, tracking_token_hash, created_at, updated_at, priority, assignee, version, first_response_at, solved_at, closed_at, catalog_item_id, form_version, answers, catalog_item, catalog_categories, sla_policy_id, sla_pauses, group_name, change_id, follow_up_of, origin, context) VALUES
  (40, 'TKT_A1', 'ORG_A', 1, 'ACME-1', 'closed', 'Laptop for Zoë', 'Needs a laptop by Monday', 'Zoë', 'zoe@acme.example', 'portal', 'th-a1', '2026-02-01T09:00:00.000Z', '2026-02-03T10:00:00.000Z', 'urgent', 'TOK_A1', 5, '2026-02-01T09:10:00.000Z', '2026-02-02T12:00:00.000Z', '2026-02-03T10:00:00.000Z', 'ITEM_A1', 2, '{"model":"x1"}', 'new-laptop', '["laptops","hardware"]', 'POL_A', '[{"from":"2026-02-01T10:00:00.000Z","until":"2026-02-01T11:00:00.000Z"}]', 'tier-2', 'chg-1', NULL, NULL, NULL),
  (20, 'TKT_A2', 'ORG_A', 2, 'ACME-2', 'open', 'Printer jams', 'The third floor printer jams', 'Yan', 'yan@acme.example', 'widget', 'th-a2', '2026-02-05T09:00:00.000Z', '2026-02-05T09:30:00.000Z', 'normal', NULL, 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '[]', NULL, '[]', 'service-desk', 'chg-2', NULL, 'https://acme.example', '{"page":"/help"}'),
  (30, 'TKT_A3', 'ORG_A', 3, 'ACME-3', 'open', 'Laptop again', 'Follow-up: the laptop', 'Zoë', 'zoe@acme.example', 'portal', 'th-a3', '2026-02-06T09:00:00.000Z', '2026-02-06T09:00:00.000Z', 'normal', 'TOK_A2', 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '[]', NULL, '[]', NULL, NULL, 'TKT_A1', NULL, NULL),
  (10, 'TKT_B1', 'ORG_B', 1, 'GLX-1', 'new', 'מחשב נייד חדש', 'Laptop wanted', 'Noa', 'noa@globex.example', 'api', 'th-b1', '2026-02-02T09:00:00.000Z', '2026-02-02T09:00:00.000Z', 'low', 'TOK_B1', 1, NULL, NULL, NULL, 'ITEM_B1', 1, '{}', 'new-laptop', '["hardware"]', 'POL_B', '[]', 'service-desk', 'chg-b', NULL, NULL, NULL);
INSERT INTO ticket_comments (id, org_id, ticket_id, author_kind, author_id, body, public, created_at) VALUES
  ('CMT_1', 'ORG_A', 'TKT_A1', 'agent', 'TOK_A1', 'Ordered a ThinkPad', 1, '2026-02-01T09:10:00.000Z'),
  ('CMT_2', 'ORG_A', 'TKT_A1', 'agent', 'TOK_A1', 'Budget code 42 (internal)', 0, '2026-02-01T09:11:00.000Z'),
  ('CMT_3', 'ORG_A', 'TKT_A1', 'requester', 'zoe@acme.example', 'Thanks!', 1, '2026-02-02T08:00:00.000Z'),
  ('CMT_4', 'ORG_B', 'TKT_B1', 'requester', NULL, 'Any news?', 1, '2026-02-02T10:00:00.000Z');
INSERT INTO ticket_events (id, org_id, ticket_id, actor_kind, actor_id, kind, field, from_value, to_value, created_at) VALUES
  ('EVT_1', 'ORG_A', 'TKT_A1', 'requester', 'zoe@acme.example', 'created', 'status', NULL, 'new', '2026-02-01T09:00:00.000Z'),
  ('EVT_2', 'ORG_A', 'TKT_A1', 'agent', 'TOK_A1', 'reply_added', 'comment', NULL, 'CMT_1', '2026-02-01T09:10:00.000Z'),
  ('EVT_3', 'ORG_A', 'TKT_A1', 'system', 'sla', 'sla_breached', 'resolution', NULL, '2026-02-01T17:00:00.000Z', '2026-02-01T17:01:00.000Z'),
  ('EVT_4', 'ORG_A', 'TKT_A3', 'requester', 'zoe@acme.example', 'follow_up_of', 'follow_up_of', NULL, 'TKT_A1', '2026-02-06T09:00:00.000Z'),
  ('EVT_5', 'ORG_B', 'TKT_B1', 'requester', 'noa@globex.example', 'created', 'status', NULL, 'new', '2026-02-02T09:00:00.000Z');
INSERT INTO ticket_tags (org_id, ticket_id, tag, created_at) VALUES
  ('ORG_A', 'TKT_A1', 'sla-breached', '2026-02-01T17:01:00.000Z'), ('ORG_A', 'TKT_A1', 'vip', '2026-02-01T09:05:00.000Z'),
  ('ORG_B', 'TKT_B1', 'vip', '2026-02-02T09:00:00.000Z');
INSERT INTO sla_clocks (org_id, ticket_id, metric, policy_id, target_minutes, business, started_at, due_at, warn_at, warned_at, breached_at, breach_detected_at, fulfilled_at, claim) VALUES
  ('ORG_A', 'TKT_A1', 'first_response', 'POL_A', 30, 1, '2026-02-01T09:00:00.000Z', '2026-02-01T09:30:00.000Z', '2026-02-01T09:15:00.000Z', NULL, NULL, NULL, '2026-02-01T09:10:00.000Z', NULL),
  ('ORG_A', 'TKT_A1', 'resolution', 'POL_A', 480, 1, '2026-02-01T09:00:00.000Z', '2026-02-01T17:00:00.000Z', '2026-02-01T15:00:00.000Z', '2026-02-01T15:00:30.000Z', '2026-02-01T17:00:00.000Z', '2026-02-01T17:01:00.000Z', NULL, 'claim-7'),
  ('ORG_A', 'TKT_A2', 'first_response', NULL, 60, 0, '2026-02-05T09:00:00.000Z', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('ORG_B', 'TKT_B1', 'first_response', 'POL_B', 120, 0, '2026-02-02T09:00:00.000Z', '2026-02-02T11:00:00.000Z', '2026-02-02T10:00:00.000Z', NULL, NULL, NULL, NULL, NULL);
INSERT INTO webhook_endpoints (id, org_id, url, secret, active, created_at, updated_at) VALUES
  ('HOOK_A', 'ORG_A', 'https://hooks.acme.example/desk', 'whsec-a', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
  ('HOOK_B', 'ORG_B', 'https://hooks.globex.example/desk', 'whsec-b', 0, '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z');
INSERT INTO webhook_outbox (id, org_id, endpoint_id, event_type, payload, attempts, next_attempt_at, delivered_at, last_error, created_at) VALUES
  ('OUT_1', 'ORG_A', 'HOOK_A', 'sla.breached', '{"ticket":"ACME-1"}', 1, NULL, '2026-02-01T17:01:05.000Z', NULL, '2026-02-01T17:01:00.000Z'),
  ('OUT_2', 'ORG_A', 'HOOK_A', 'sla.warning', '{"ticket":"ACME-2"}', 3, '2026-02-05T10:00:00.000Z', NULL, 'HTTP 503', '2026-02-05T09:30:00.000Z'),
  ('OUT_3', 'ORG_B', 'HOOK_B', 'sla.warning', '{"ticket":"GLX-1"}', 0, '2026-02-02T10:00:00.000Z', NULL, NULL, '2026-02-02T10:00:00.000Z');
INSERT INTO idempotency_keys (org_id, scope, key_hash, request_hash, status, body, headers, sealed, created_at, expires_at) VALUES
  ('ORG_A', 'requester:zoe@acme.example', 'k1', 'r1', 201, '{"reference":"ACME-1"}', '{"Location":"/api/v1/requests/ACME-1"}', 'c2VhbGVk', '2026-02-01T09:00:00.000Z', '2026-02-02T09:00:00.000Z'),
  ('ORG_B', 'token:TOK_B1', 'k2', 'r2', 201, NULL, '{}', NULL, '2026-02-02T09:00:00.000Z', '2026-02-03T09:00:00.000Z');
INSERT INTO rate_limits (org_id, subject, window_start, hits) VALUES
  ('ORG_A', 'ip:203.0.113.9', 1770000000, 7), ('ORG_B', 'token:TOK_B1', 1770000060, 1);
INSERT INTO test_clock (id, offset_ms) VALUES (1, 86400000);
"#;

/// Every row of `table` with its rowid when it has one, each as text that tells types apart
/// (`Integer(1)` is not `Text("1")`), sorted.
pub(super) fn rows(conn: &Connection, table: &str) -> Vec<String> {
    let statement = conn
        .prepare(&format!("SELECT rowid, * FROM \"{table}\""))
        .or_else(|_| conn.prepare(&format!("SELECT * FROM \"{table}\"")))
        .expect("select");
    rows_of(statement)
}

/// The rows of `sql`, each as text that tells types apart, sorted.
pub(super) fn select(conn: &Connection, sql: &str) -> Vec<String> {
    rows_of(conn.prepare(sql).expect(sql))
}

fn rows_of(mut statement: rusqlite::Statement<'_>) -> Vec<String> {
    let columns = statement.column_count();
    let mut rows: Vec<String> = statement
        .query_map([], |row| {
            (0..columns)
                .map(|i| row.get::<_, Sqlite>(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .expect("rows")
        .map(|row| format!("{:?}", row.expect("row")))
        .collect();
    rows.sort();
    rows
}

/// Name and SQL of every table, index and trigger (SQLite's own indexes left out).
pub(super) fn schema(conn: &Connection, kind: &str) -> Vec<(String, String)> {
    conn.prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = ?1 AND sql IS NOT NULL ORDER BY name",
    )
    .expect("schema")
    .query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))
    .expect("query")
    .map(|r| r.expect("row"))
    .collect()
}

pub(super) fn columns(conn: &Connection, table: &str) -> Vec<(String, String, i64)> {
    conn.prepare("SELECT name, type, hidden FROM pragma_table_xinfo(?1)")
        .expect("columns")
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .map(|r| r.expect("column"))
        .collect()
}

fn migration_0009() -> std::path::PathBuf {
    migration_files()
        .into_iter()
        .find(|f| f.to_string_lossy().ends_with("0009_tenant_keys.sql"))
        .expect("0009")
}

#[test]
fn migration_0009_brings_every_row_of_a_database_in_use_across_unchanged() {
    for later in [&[][..], &["0010_search_bounds.sql"][..]] {
        carried_across(later);
    }
}

/// Applies 0009 to a database in use that applied `later` migrations before it.
fn carried_across(later: &[&str]) {
    let mut conn = before_0009(later);
    conn.execute_batch(IN_USE).expect("a database in use");
    let tables: Vec<String> = schema(&conn, "table").into_iter().map(|t| t.0).collect();
    for table in &tables {
        assert!(
            !rows(&conn, table).is_empty(),
            "{table} has no rows to carry"
        );
    }
    let before: Vec<_> = tables
        .iter()
        .map(|t| (rows(&conn, t), columns(&conn, t)))
        .collect();
    let (indexes, triggers) = (schema(&conn, "index"), schema(&conn, "trigger"));

    apply(&mut conn, &migration_0009());

    assert_eq!(
        schema(&conn, "table")
            .into_iter()
            .map(|t| t.0)
            .collect::<Vec<_>>(),
        tables,
        "the same tables, no leftovers (after {later:?})"
    );
    for (table, (rows_before, columns_before)) in tables.iter().zip(before) {
        assert_eq!(
            columns(&conn, table),
            columns_before,
            "columns of {table} (after {later:?})"
        );
        assert_eq!(
            rows(&conn, table),
            rows_before,
            "rows of {table} (after {later:?})"
        );
    }
    let mut violations = conn.prepare("PRAGMA foreign_key_check").expect("check");
    let violations: Vec<String> = violations
        .query_map([], |r| r.get::<_, String>(0))
        .expect("check")
        .map(|r| r.expect("row"))
        .collect();
    assert!(violations.is_empty(), "{violations:?}");

    // Indexes and triggers are recreated as they were; the parents' (org_id, id) are unique.
    let unique = |name: &str, on: &str, column: &str| {
        (
            name.to_owned(),
            format!("CREATE UNIQUE INDEX {name} ON {on} (org_id, {column})"),
        )
    };
    let mut expected: Vec<_> = indexes
        .into_iter()
        .filter(|(name, _)| {
            ![
                "api_tokens_org",
                "sla_calendars_org",
                "tickets_org_id",
                "webhook_endpoints_org",
            ]
            .contains(&name.as_str())
        })
        .chain([
            unique("api_tokens_org_id", "api_tokens", "id"),
            unique("sla_calendars_org", "sla_calendars", "id"),
            unique("tickets_org_id", "tickets", "id"),
            unique("webhook_endpoints_org", "webhook_endpoints", "id"),
        ])
        .collect();
    expected.sort();
    assert_eq!(schema(&conn, "index"), expected, "after {later:?}");
    // Replies' search text keeps 0010's bound, whichever of the two came first.
    let bounded = trigger_in("0010_search_bounds.sql", "comments_search_insert");
    let expected: Vec<_> = triggers
        .into_iter()
        .map(|(name, sql)| match name.as_str() {
            "comments_search_insert" => (name, bounded.clone()),
            _ => (name, sql),
        })
        .collect();
    let mut after = schema(&conn, "trigger");
    after.retain(|(name, _)| !name.starts_with("ticket_comments_no_"));
    assert_eq!(after, expected, "after {later:?}");
}

#[test]
fn after_0009_search_still_finds_old_and_new_tickets_and_items() {
    let mut conn = before_0009(&[]);
    conn.execute_batch(IN_USE).expect("a database in use");
    apply(&mut conn, &migration_0009());
    let found = |conn: &Connection, sql: &str, query: &str| -> Vec<String> {
        conn.prepare(sql)
            .expect("search")
            .query_map([query], |r| r.get(0))
            .expect("query")
            .map(|r| r.expect("id"))
            .collect()
    };
    let tickets = "SELECT t.id FROM ticket_search s JOIN tickets t ON t.search_rowid = s.rowid \
         WHERE ticket_search MATCH ?1 ORDER BY t.id";
    let items = "SELECT i.id FROM catalog_search s JOIN catalog_items i \
         ON i.search_rowid = s.rowid WHERE catalog_search MATCH ?1 ORDER BY i.id";
    assert_eq!(
        found(&conn, tickets, "thinkpad"),
        ["TKT_A1"],
        "a public reply"
    );
    assert!(found(&conn, tickets, "budget").is_empty(), "notes stay out");
    assert_eq!(found(&conn, tickets, "printer"), ["TKT_A2"]);
    assert_eq!(found(&conn, items, "hires"), ["ITEM_A1"]);

    conn.execute_batch(
        "INSERT INTO tickets (id, org_id, number, reference, status, subject, description, \
         requester_name, requester_email, channel, tracking_token_hash, created_at, updated_at) \
         VALUES ('TKT_A4', 'ORG_A', 4, 'ACME-4', 'new', 'Scanner', 'Scanner offline', 'Yan', \
         'yan@acme.example', 'portal', 'th-a4', 'x', 'x'); \
         INSERT INTO ticket_comments (id, org_id, ticket_id, author_kind, body, public, created_at) \
         VALUES ('CMT_5', 'ORG_A', 'TKT_A4', 'agent', 'Rebooted the scanner hub', 1, 'x'); \
         UPDATE tickets SET subject = 'Printer fixed' WHERE id = 'TKT_A2'; \
         INSERT INTO catalog_items (id, org_id, category_id, slug, name, form_version, \
         search_text, created_at, updated_at) \
         VALUES ('ITEM_A3', 'ORG_A', 'CAT_A1', 'dock', '{}', 1, 'docking station', 'x', 'x'); \
         UPDATE catalog_items SET search_text = 'cracked screen' WHERE id = 'ITEM_A2'; \
         DELETE FROM catalog_items WHERE id = 'ITEM_A3';",
    )
    .expect("writes after the migration");
    assert_eq!(found(&conn, tickets, "hub"), ["TKT_A4"]);
    assert_eq!(found(&conn, tickets, "fixed"), ["TKT_A2"]);
    assert_eq!(found(&conn, items, "cracked"), ["ITEM_A2"]);
    assert!(found(&conn, items, "docking").is_empty());
}
