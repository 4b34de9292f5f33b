//! Migration 0011 turns a database in use into one with people: every API token becomes a
//! person of the same id, and every membership, assignment, audit event and token keeps
//! pointing at the same actor.

use rusqlite::Connection;

use super::sqlite_tests::{apply, migration_files};
use super::tenant_keys_tests::{IN_USE, before, columns, rows, schema, select};

fn migration_0011() -> std::path::PathBuf {
    migration_files()
        .into_iter()
        .find(|f| f.to_string_lossy().ends_with("0011_people.sql"))
        .expect("0011")
}

/// A database at 0010 in full use (the same rows as 0009's test: every table has some).
fn in_use() -> Connection {
    let conn = before("0011", &[]);
    conn.execute_batch(IN_USE).expect("a database in use");
    conn
}

#[test]
fn every_token_becomes_a_person_of_the_same_id_and_stays_their_token() {
    let mut conn = in_use();
    let people = select(
        &conn,
        "SELECT t.id, t.org_id, t.name, t.role, t.created_at, t.revoked_at, \
             lower(t.id) || '@people.invalid', lower(t.id) || '@people.invalid', \
             o.default_locale, o.time_zone, '[]', 20, 0, t.created_at \
             FROM api_tokens t JOIN orgs o ON o.id = t.org_id",
    );
    let tokens = select(
        &conn,
        "SELECT id, org_id, id, name, role, token_hash, created_at, last_used_at, \
             revoked_at FROM api_tokens",
    );
    let members = select(
        &conn,
        "SELECT org_id, group_slug, token_id FROM agent_group_members",
    );
    apply(&mut conn, &migration_0011());
    let new = conn;
    assert_eq!(
        select(
            &new,
            "SELECT id, org_id, name, role, created_at, deactivated_at, email, email_key, \
             locale, time_zone, languages, capacity, away, updated_at FROM people"
        ),
        people,
        "one person per token: a revoked token's person is deactivated when it was revoked"
    );
    assert_eq!(
        select(
            &new,
            "SELECT id, org_id, person_id, name, role, token_hash, created_at, last_used_at, \
             revoked_at FROM api_tokens"
        ),
        tokens,
        "every token is kept, secret hash and use included, and belongs to its person"
    );
    assert_eq!(
        select(
            &new,
            "SELECT org_id, group_slug, person_id FROM agent_group_members"
        ),
        members,
    );
    // No secret is left behind in the people table.
    assert!(
        select(&new, "SELECT retired_key FROM people")
            .iter()
            .all(|key| key.contains("person:")),
    );
}

#[test]
fn every_other_table_keeps_its_rows_and_columns() {
    let mut conn = in_use();
    let changed = ["api_tokens", "agent_group_members"];
    let before: Vec<_> = schema(&conn, "table")
        .into_iter()
        .filter(|(table, _)| !changed.contains(&table.as_str()))
        .map(|(table, _)| {
            let (r, c) = (rows(&conn, &table), columns(&conn, &table));
            (table, r, c)
        })
        .collect();
    apply(&mut conn, &migration_0011());
    let new = conn;
    for (table, rows_before, columns_before) in before {
        assert!(!rows_before.is_empty(), "{table} has rows to carry");
        assert_eq!(columns(&new, &table), columns_before, "{table}");
        assert_eq!(rows(&new, &table), rows_before, "{table}");
    }
    let mut check = new.prepare("PRAGMA foreign_key_check").expect("check");
    let violations: Vec<String> = check
        .query_map([], |r| r.get::<_, String>(0))
        .expect("check")
        .map(|r| r.expect("row"))
        .collect();
    assert!(violations.is_empty(), "{violations:?}");
}

#[test]
fn assignees_and_members_now_name_people_of_the_same_organisation() {
    let mut new = in_use();
    apply(&mut new, &migration_0011());
    new.execute_batch(
        "INSERT INTO people (id, org_id, name, role, retired_key, created_at, email, email_key, \
           updated_at) VALUES ('P_NEW', 'ORG_A', 'Eve', 'agent', 'person:P_NEW', \
           '2026-03-01T00:00:00.000Z', 'eve@acme.example', 'eve@acme.example', \
           '2026-03-01T00:00:00.000Z');",
    )
    .expect("a person without a token");
    new.execute(
        "UPDATE tickets SET assignee = 'P_NEW' WHERE id = 'TKT_A2'",
        [],
    )
    .expect("a person without a token can be assigned");
    new.execute(
        "INSERT INTO agent_group_members (org_id, group_slug, person_id) \
         VALUES ('ORG_A', 'service-desk', 'P_NEW')",
        [],
    )
    .expect("and join a group");
    for refused in [
        "UPDATE tickets SET assignee = 'P_NEW' WHERE id = 'TKT_B1'",
        "UPDATE tickets SET assignee = 'NOBODY' WHERE id = 'TKT_A2'",
        "INSERT INTO agent_group_members (org_id, group_slug, person_id) \
         VALUES ('ORG_B', 'service-desk', 'P_NEW')",
        "INSERT INTO person_sessions (id, org_id, person_id, secret_hash, method, created_at, \
         seen_at, expires_at) VALUES ('S', 'ORG_B', 'P_NEW', 'h', 'link', 'x', 'x', 'x')",
        "INSERT INTO api_tokens (id, org_id, person_id, name, role, token_hash, created_at) \
         VALUES ('T', 'ORG_B', 'P_NEW', 'n', 'agent', 'h2', 'x')",
    ] {
        let error = new.execute(refused, []).expect_err(refused);
        assert!(
            error.to_string().contains("FOREIGN KEY"),
            "{refused}: {error}"
        );
    }
    let duplicate = new
        .execute(
            "INSERT INTO people (id, org_id, name, role, retired_key, created_at, email, \
             email_key, updated_at) VALUES ('P_TWO', 'ORG_A', 'Eve', 'agent', 'person:P_TWO', \
             'x', 'EVE@acme.example', 'eve@acme.example', 'x')",
            [],
        )
        .expect_err("one address per organisation, whatever its case");
    assert!(duplicate.to_string().contains("UNIQUE"), "{duplicate}");
}
