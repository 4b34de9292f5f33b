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

/// The SQL the people routes send, run natively: the last-admin guard, deactivation ending
/// sessions, and single-use sign-in links.
mod statements {
    use edgedesk_core::api::Role;
    use edgedesk_core::people::{PersonChange, SignInMethod};
    use rusqlite::Connection;

    use super::super::api_sql_tests::{demo_and_other, try_run};
    use super::super::people::{
        NewPerson, NewSession, insert_person_sql, link_sign_in_sql, patch_sql,
    };

    const ORG: &str = "01JD0000000000000000000000";
    const NOW: &str = "2026-06-01T10:00:00.000Z";

    fn desk() -> Connection {
        let mut conn = demo_and_other();
        for (id, role) in [
            ("ada", Role::Admin),
            ("bea", Role::Admin),
            ("cy", Role::Agent),
        ] {
            let email = format!("{id}@demo.example");
            let person = NewPerson {
                id,
                org_id: ORG,
                name: id,
                email: &email,
                email_key: &email,
                role,
                now: NOW,
            };
            try_run(&mut conn, &[insert_person_sql(&person, "1")]).expect("person");
        }
        conn
    }

    fn change(conn: &mut Connection, id: &str, change: &PersonChange) -> bool {
        let results = try_run(conn, &patch_sql(ORG, id, change, NOW)).expect("patch");
        !results[0].is_empty()
    }

    fn session<'a>(id: &'a str, hash: &'a str) -> NewSession<'a> {
        NewSession {
            id,
            secret_hash: hash,
            method: SignInMethod::Link,
            user_agent: "test",
            now: NOW,
            expires_at: "2026-06-08T10:00:00.000Z",
        }
    }

    fn link(conn: &Connection, hash: &str, person: &str, expires_at: &str) {
        conn.execute(
            "INSERT INTO sign_in_links (id, org_id, person_id, secret_hash, created_by, created_at, \
             expires_at) VALUES (?1, ?2, ?3, ?1, 'ada', ?4, ?5)",
            [hash, ORG, person, NOW, expires_at],
        )
        .expect("link");
    }

    #[test]
    fn of_two_admins_one_may_step_down_and_the_other_then_may_not() {
        let mut conn = desk();
        let demote = PersonChange {
            role: Some(Role::Agent),
            ..PersonChange::default()
        };
        let deactivate = PersonChange {
            active: Some(false),
            ..PersonChange::default()
        };
        assert!(change(&mut conn, "ada", &demote));
        assert!(!change(&mut conn, "bea", &demote), "the last admin");
        assert!(!change(&mut conn, "bea", &deactivate), "the last admin");
        let away = PersonChange {
            away: Some(true),
            ..PersonChange::default()
        };
        assert!(change(&mut conn, "bea", &away), "other changes pass");
        assert!(change(&mut conn, "cy", &deactivate), "an agent may go");
    }

    #[test]
    fn a_link_opens_one_session_once_and_deactivation_ends_it() {
        let mut conn = desk();
        link(&conn, "h1", "cy", "2026-06-01T10:15:00.000Z");
        link(&conn, "h2", "cy", "2026-06-01T09:59:00.000Z");
        let opened =
            try_run(&mut conn, &link_sign_in_sql("h1", &session("s1", "c1"))).expect("sign in");
        assert_eq!(opened[1].len(), 1, "one session for cy");
        let again =
            try_run(&mut conn, &link_sign_in_sql("h1", &session("s2", "c2"))).expect("again");
        assert!(again[1].is_empty(), "a used link opens nothing");
        let expired =
            try_run(&mut conn, &link_sign_in_sql("h2", &session("s3", "c3"))).expect("expired");
        assert!(expired[1].is_empty(), "an expired link opens nothing");

        let deactivate = PersonChange {
            active: Some(false),
            ..PersonChange::default()
        };
        assert!(change(&mut conn, "cy", &deactivate));
        let ended: Option<String> = conn
            .query_row(
                "SELECT ended_at FROM person_sessions WHERE id = 's1'",
                [],
                |r| r.get(0),
            )
            .expect("session");
        assert_eq!(ended.as_deref(), Some(NOW), "deactivation ends the session");
        link(&conn, "h3", "cy", "2026-06-01T10:15:00.000Z");
        let refused =
            try_run(&mut conn, &link_sign_in_sql("h3", &session("s4", "c4"))).expect("refused");
        assert!(
            refused[1].is_empty(),
            "a deactivated person's link opens nothing"
        );
    }
}
