//! Native tests of the SQL behind idempotency keys, rate limits and ticket search, run on the
//! real migrations (`sqlite_tests::migrated_demo`), batches as D1 runs them (one transaction).

use rusqlite::Connection;
use rusqlite::types::Value as Sqlite;
use serde_json::{Value, json};

use super::Sql;
use super::idempotency::{
    Guard, KeyOrg, KeyRef, NewAnswer, StoredBody, find_sql, is_key_taken, store_sql,
};
use super::limits::{Caller, bump_sql};
use super::sqlite_tests::migrated_demo;

const ORG: &str = "01JD0000000000000000000000";
pub(super) const OTHER: &str = "01JD00000000000000000000ZZ";

/// The demo organisation and another one (`OTHER`, slug `other`), for tenant checks.
pub(super) fn demo_and_other() -> Connection {
    let conn = migrated_demo();
    conn.execute(
        "INSERT INTO orgs (id, slug, name, ref_prefix, created_at) \
         VALUES (?1, 'other', 'Other', 'OTH', 'x')",
        [OTHER],
    )
    .expect("other org");
    conn
}

fn bind(value: &Value) -> Sqlite {
    match value {
        Value::Null => Sqlite::Null,
        Value::Number(n) => n.as_i64().map_or(Sqlite::Null, Sqlite::Integer),
        Value::String(s) => Sqlite::Text(s.clone()),
        other => Sqlite::Text(other.to_string()),
    }
}

/// Runs `batch` in one transaction; the first failing statement rolls everything back. Returns
/// the first column of each statement's rows (as text).
pub(super) fn try_run(conn: &mut Connection, batch: &[Sql]) -> rusqlite::Result<Vec<Vec<String>>> {
    let tx = conn.transaction()?;
    let mut out = Vec::new();
    for sql in batch {
        let mut statement = tx.prepare(&sql.text)?;
        assert_eq!(
            statement.parameter_count(),
            sql.params.len(),
            "{}",
            sql.text
        );
        for (i, value) in sql.params.iter().enumerate() {
            statement.raw_bind_parameter(i + 1, bind(value))?;
        }
        let mut rows = statement.raw_query();
        let mut first = Vec::new();
        while let Some(row) = rows.next()? {
            let value: rusqlite::types::Value = row.get(0)?;
            first.push(match value {
                Sqlite::Integer(n) => n.to_string(),
                Sqlite::Text(t) => t,
                other => format!("{other:?}"),
            });
        }
        out.push(first);
    }
    tx.commit()?;
    Ok(out)
}

fn key(hash: &str) -> KeyRef<'_> {
    KeyRef {
        org: KeyOrg::Slug("demo"),
        scope: "token:t1",
        key_hash: hash,
    }
}

fn answer<'a>(key: KeyRef<'a>, now: &'a str, expires: &'a str) -> NewAnswer<'a> {
    NewAnswer {
        key,
        request_hash: "r1",
        status: 201,
        body: StoredBody::Json(json!({"id": "x"}).to_string()),
        headers: json!({}),
        sealed: Some("c2VhbGVk".to_owned()),
        now,
        expires_at: expires,
    }
}

/// A retried token create's stored answer, written by the same code as the route's
/// (`Idempotent::answer`, `store_sql`): the row keeps the secret only sealed with the client's
/// key, so neither the database alone nor the database with the deployment's pepper reads it.
/// (The answer's body is a `TokenView`, a type without the secret.)
#[test]
fn a_stored_answer_never_holds_its_secret_readable() {
    use crate::clock::Now;
    use crate::idempotent::Idempotent;
    use edgedesk_core::idempotency::IdempotencyKey;

    let mut conn = migrated_demo();
    let secret = "edk_5ecret-that-must-never-be-stored-readable";
    let pepper = "deployment-pepper";
    let now = Now {
        unix_ms: 1_767_225_600_000,
        rfc3339: "2026-01-01T00:00:00.000Z".to_owned(),
        instant: chrono::DateTime::from_timestamp_millis(1_767_225_600_000).expect("an instant"),
    };
    let request = br#"{"name":"Integration","role":"agent"}"#;
    let key = || IdempotencyKey::parse("token-key-1").expect("a key");
    let idempotent = Idempotent::new(
        key(),
        "token:t1".to_owned(),
        "POST",
        "/api/v1/admin/tokens",
        request,
        &now,
        pepper,
    )
    .expect("a keyed create");
    let view = json!({"id": "tok1", "name": "Integration", "role": "agent",
        "created_at": now.rfc3339, "last_used_at": null, "revoked_at": null});
    let answer = idempotent.answer(
        KeyOrg::Slug("demo"),
        201,
        StoredBody::Json(view.to_string()),
        json!({}),
        Some(secret),
        &now.rfc3339,
    );
    try_run(&mut conn, &store_sql(&answer, &Guard::Always)).expect("stored");

    let (rows, clear, request_hash, sealed): (i64, i64, String, String) = conn
        .query_row(
            "SELECT COUNT(*), \
             COALESCE(SUM(instr(body || headers || COALESCE(sealed, ''), ?1) > 0), 0), \
             MAX(request_hash), MAX(sealed) FROM idempotency_keys",
            [secret],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("idempotency rows");
    assert_eq!(
        (rows, clear),
        (1, 0),
        "one key row, without the secret in the clear"
    );
    assert_eq!(
        key()
            .open(pepper.as_bytes(), &request_hash, &sealed)
            .as_deref(),
        Some(secret),
        "the client's key opens it"
    );
    let other = IdempotencyKey::parse("token-key-2").expect("a key");
    assert_eq!(other.open(pepper.as_bytes(), &request_hash, &sealed), None);
    assert_eq!(key().open(b"another-pepper", &request_hash, &sealed), None);
}

#[test]
fn a_live_key_aborts_the_whole_batch_and_an_expired_one_is_replaced() {
    let mut conn = migrated_demo();
    let first = store_sql(
        &answer(
            key("k"),
            "2026-01-01T00:00:00.000Z",
            "2026-01-02T00:00:00.000Z",
        ),
        &Guard::Always,
    );
    try_run(&mut conn, &first).expect("first use");
    // A second first use (a concurrent retry) fails, and with it a create in the same batch.
    let create_category = Sql::new(
        "INSERT INTO catalog_categories (id, org_id, slug, name, created_at, updated_at) \
         VALUES ('c9', ?1, 'raced', '{}', 'x', 'x')",
        vec![json!(ORG)],
    );
    let mut second = vec![create_category.clone()];
    second.extend(store_sql(
        &answer(
            key("k"),
            "2026-01-01T01:00:00.000Z",
            "2026-01-02T01:00:00.000Z",
        ),
        &Guard::Always,
    ));
    let error = try_run(&mut conn, &second).expect_err("the key is taken");
    // What the store sees from D1: SQLite's message inside D1's.
    let from_d1 = format!("D1_ERROR: {error}: SQLITE_CONSTRAINT");
    assert!(is_key_taken(&worker::Error::RustError(from_d1)), "{error}");
    let created: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM catalog_categories WHERE slug = 'raced'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(created, 0, "the create rolled back with its key");

    // Lookups see the key until it expires; after that a new first use takes it over.
    let found = |conn: &mut Connection, now: &str| {
        try_run(conn, &[find_sql(key("k"), now)]).expect("find")[0].len()
    };
    assert_eq!(found(&mut conn, "2026-01-01T12:00:00.000Z"), 1);
    assert_eq!(found(&mut conn, "2026-01-02T00:00:00.000Z"), 0);
    let mut later = vec![create_category];
    later.extend(store_sql(
        &answer(
            key("k"),
            "2026-01-03T00:00:00.000Z",
            "2026-01-04T00:00:00.000Z",
        ),
        &Guard::Always,
    ));
    try_run(&mut conn, &later).expect("an expired key is free again");
    assert_eq!(found(&mut conn, "2026-01-03T00:00:01.000Z"), 1);
}

#[test]
fn a_key_of_an_unknown_organisation_is_never_stored() {
    let mut conn = migrated_demo();
    let unknown = KeyRef {
        org: KeyOrg::Slug("nobody"),
        scope: "s",
        key_hash: "k",
    };
    try_run(
        &mut conn,
        &store_sql(&answer(unknown, "a", "b"), &Guard::Always),
    )
    .expect("runs");
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM idempotency_keys", [], |r| r.get(0))
        .expect("count");
    assert_eq!(rows, 0);
}

#[test]
fn the_rate_counter_counts_within_a_window_and_restarts_in_the_next() {
    let mut conn = migrated_demo();
    let caller = Caller::AddressAtOrg {
        ip: "203.0.113.9",
        org_slug: "demo",
    };
    let hits = |conn: &mut Connection, window: i64| {
        try_run(conn, &[bump_sql(caller, window)]).expect("bump")[0].clone()
    };
    assert_eq!(hits(&mut conn, 60), ["1"]);
    assert_eq!(hits(&mut conn, 60), ["2"]);
    assert_eq!(hits(&mut conn, 60), ["3"]);
    assert_eq!(hits(&mut conn, 120), ["1"], "a new window starts again");
    let other = Caller::AddressAtOrg {
        ip: "203.0.113.10",
        org_slug: "demo",
    };
    assert_eq!(
        try_run(&mut conn, &[bump_sql(other, 120)]).expect("bump")[0],
        ["1"]
    );
    let unknown = Caller::AddressAtOrg {
        ip: "203.0.113.9",
        org_slug: "nobody",
    };
    assert!(try_run(&mut conn, &[bump_sql(unknown, 120)]).expect("bump")[0].is_empty());
}

mod lists {
    use edgedesk_core::TicketId;
    use edgedesk_core::priority::Priority;

    use super::*;
    use crate::db::tickets::{
        Cursor, ListFilters, ListOrder, ListQuery, RangeColumn, RangeOp, SortKey, list_sql,
    };

    /// Tickets `n` of the demo organisation: id `01JD…000n`, priority and times varying.
    fn desk() -> Connection {
        let conn = demo_and_other();
        let priorities = ["low", "urgent", "normal", "high", "urgent", "low"];
        for (n, priority) in priorities.iter().enumerate() {
            conn.execute(
                "INSERT INTO tickets (id, org_id, number, reference, status, subject, \
                 description, requester_name, requester_email, channel, tracking_token_hash, \
                 created_at, updated_at, priority) \
                 VALUES (?1, ?2, ?3, 'R', 'new', ?4, 'printer jams', 'n', ?5, 'portal', 'h', \
                 ?6, ?7, ?8)",
                rusqlite::params![
                    format!("01JD000000000000000000000{n}"),
                    ORG,
                    n,
                    format!("Ticket {n}"),
                    if n % 2 == 0 {
                        "even@example.com"
                    } else {
                        "odd@example.com"
                    },
                    format!("2026-01-0{}T00:00:00.000Z", n + 1),
                    format!("2026-02-0{}T00:00:00.000Z", 6 - n),
                    priority,
                ],
            )
            .expect("ticket");
        }
        conn.execute(
            "INSERT INTO tickets (id, org_id, number, reference, status, subject, description, \
             requester_name, requester_email, channel, tracking_token_hash, created_at, \
             updated_at) VALUES ('01JD000000000000000000000X', ?1, 1, 'O-1', 'new', \
             'Other tenant printer', 'printer', 'n', 'e@example.com', 'portal', 'h', 'x', 'x')",
            [OTHER],
        )
        .expect("other ticket");
        for (id, public, body) in [
            ("c1", 1, "toner replaced"),
            ("c2", 0, "secretword internal"),
        ] {
            conn.execute(
                "INSERT INTO ticket_comments (id, org_id, ticket_id, author_kind, body, public, \
                 created_at) VALUES (?1, ?2, '01JD0000000000000000000002', 'agent', ?3, ?4, 'x')",
                rusqlite::params![id, ORG, body, public],
            )
            .expect("comment");
        }
        conn
    }

    fn ids(
        conn: &mut Connection,
        filters: &ListFilters,
        order: ListOrder,
        after: Option<&Cursor>,
        limit: u32,
    ) -> Vec<String> {
        let query = ListQuery {
            filters,
            breached: false,
            due_before: None,
            order,
            after,
            limit,
        };
        try_run(conn, &[list_sql(ORG, &query)]).expect("list")[0]
            .iter()
            .map(|id| id.chars().last().map(String::from).unwrap_or_default())
            .collect()
    }

    fn search(q: &str) -> ListFilters {
        ListFilters {
            search: edgedesk_core::search::fts_query(q),
            ..ListFilters::default()
        }
    }

    #[test]
    fn search_finds_subjects_descriptions_and_public_replies_of_this_organisation_only() {
        let mut conn = desk();
        let newest = ListOrder::NEWEST;
        assert_eq!(ids(&mut conn, &search("TONER"), newest, None, 10), ["2"]);
        assert!(
            ids(&mut conn, &search("secretword"), newest, None, 10).is_empty(),
            "notes are never indexed"
        );
        assert_eq!(ids(&mut conn, &search("Ticket 4"), newest, None, 10), ["4"]);
        let printers = ids(&mut conn, &search("print*"), newest, None, 10);
        assert_eq!(
            printers,
            ["5", "4", "3", "2", "1", "0"],
            "not the other tenant's"
        );
    }

    #[test]
    fn every_sort_pages_through_all_tickets_once_in_order() {
        let mut conn = desk();
        let all = ListFilters::default();
        let cases = [
            (ListOrder::NEWEST, ["5", "4", "3", "2", "1", "0"]),
            (
                ListOrder::By {
                    key: SortKey::Created,
                    descending: false,
                },
                ["0", "1", "2", "3", "4", "5"],
            ),
            // updated_at runs backwards from created_at in the fixture.
            (
                ListOrder::By {
                    key: SortKey::Updated,
                    descending: true,
                },
                ["0", "1", "2", "3", "4", "5"],
            ),
            // urgent (1, 4), high (3), normal (2), low (0, 5); ties by id, same direction.
            (
                ListOrder::By {
                    key: SortKey::Priority,
                    descending: true,
                },
                ["4", "1", "3", "2", "5", "0"],
            ),
            (
                ListOrder::By {
                    key: SortKey::Priority,
                    descending: false,
                },
                ["0", "5", "2", "3", "1", "4"],
            ),
        ];
        for (order, expected) in cases {
            let mut seen = Vec::new();
            let mut after: Option<Cursor> = None;
            loop {
                let page = ids(&mut conn, &all, order, after.as_ref(), 2);
                if page.is_empty() {
                    break;
                }
                let last = format!("01JD000000000000000000000{}", page[page.len() - 1]);
                let n: usize = page[page.len() - 1].parse().expect("n");
                let priorities = [0, 3, 1, 2, 3, 0];
                after = Some(match order {
                    ListOrder::By {
                        key: SortKey::Created,
                        ..
                    } => Cursor::Id(TicketId::parse(&last).expect("id")),
                    ListOrder::By {
                        key: SortKey::Updated,
                        ..
                    } => Cursor::Keyed {
                        value: format!("2026-02-0{}T00:00:00.000Z", 6 - n),
                        id: TicketId::parse(&last).expect("id"),
                    },
                    _ => Cursor::Keyed {
                        value: priorities[n].to_string(),
                        id: TicketId::parse(&last).expect("id"),
                    },
                });
                seen.extend(page);
            }
            assert_eq!(seen, expected, "{order:?}");
        }
    }

    #[test]
    fn filters_combine_and_ranges_are_half_open_as_asked() {
        let mut conn = desk();
        let filters = ListFilters {
            requester: Some("even@example.com".into()),
            ranges: vec![
                (
                    RangeColumn::Created,
                    RangeOp::Gte,
                    "2026-01-03T00:00:00.000Z".into(),
                ),
                (
                    RangeColumn::Created,
                    RangeOp::Lt,
                    "2026-01-05T00:00:00.000Z".into(),
                ),
            ],
            ..ListFilters::default()
        };
        assert_eq!(ids(&mut conn, &filters, ListOrder::NEWEST, None, 10), ["2"]);
        let urgent = ListFilters {
            priority: Some(Priority::Urgent),
            ..ListFilters::default()
        };
        assert_eq!(
            ids(&mut conn, &urgent, ListOrder::NEWEST, None, 10),
            ["4", "1"]
        );
    }

    #[test]
    fn sorted_and_filtered_lists_walk_an_index_of_the_organisation() {
        let conn = desk();
        let plan = |filters: &ListFilters, order: ListOrder| {
            let sql = list_sql(
                ORG,
                &ListQuery {
                    filters,
                    breached: false,
                    due_before: None,
                    order,
                    after: None,
                    limit: 26,
                },
            );
            let mut statement = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {}", sql.text))
                .expect("plan");
            for (i, value) in sql.params.iter().enumerate() {
                statement
                    .raw_bind_parameter(i + 1, bind(value))
                    .expect("bind");
            }
            let mut rows = statement.raw_query();
            let mut out = Vec::new();
            while let Some(row) = rows.next().expect("row") {
                out.push(row.get::<_, String>(3).expect("detail"));
            }
            out.join(" | ")
        };
        let none = ListFilters::default();
        for (order, index) in [
            (ListOrder::NEWEST, "tickets_org_id"),
            (
                ListOrder::By {
                    key: SortKey::Updated,
                    descending: true,
                },
                "tickets_org_updated",
            ),
            (
                ListOrder::By {
                    key: SortKey::Priority,
                    descending: true,
                },
                "tickets_org_priority",
            ),
        ] {
            let plan = plan(&none, order);
            assert!(plan.contains(index), "{order:?}: {plan}");
            assert!(
                !plan.contains("TEMP B-TREE"),
                "{order:?} sorts in memory: {plan}"
            );
        }
        let by_assignee = ListFilters {
            assignee: Some("a".into()),
            ..ListFilters::default()
        };
        let plan_text = plan(&by_assignee, ListOrder::NEWEST);
        assert!(plan_text.contains("tickets_org_assignee"), "{plan_text}");
        let by_tag = ListFilters {
            tag: Some("vip".into()),
            ..ListFilters::default()
        };
        let plan_text = plan(&by_tag, ListOrder::NEWEST);
        assert!(
            plan_text.contains("ticket_tags_org_tag") || plan_text.contains("ticket_tags"),
            "{plan_text}"
        );
    }
}

mod groups {
    use edgedesk_core::group::GroupSpec;

    use super::*;
    use crate::db::groups::{
        create_sql, delete_sql, get_sql, memberships_sql, missing_sql, replace_sql,
        unknown_members_sql,
    };

    const OTHER: &str = "01JD00000000000000000000ZZ";
    const NOW: &str = "2026-03-01T00:00:00.000Z";

    /// The demo org with agents `ann` and `bob`, revoked `old` and admin `ada`, and `eve`, an
    /// agent of another organisation; one ticket assigned to `ann`.
    fn desk() -> Connection {
        let conn = demo_and_other();
        for (id, org, role, revoked) in [
            ("ann", ORG, "agent", None),
            ("bob", ORG, "agent", None),
            ("ada", ORG, "admin", None),
            ("old", ORG, "agent", Some("2026-01-02T00:00:00.000Z")),
            ("eve", OTHER, "agent", None),
        ] {
            conn.execute(
                "INSERT INTO people (id, org_id, name, role, retired_key, created_at, \
                 deactivated_at, email, email_key, updated_at) \
                 VALUES (?1, ?2, ?1, ?3, ?1, 'x', ?4, ?1 || '@x.example', ?1 || '@x.example', 'x')",
                rusqlite::params![id, org, role, revoked],
            )
            .expect("person");
        }
        conn.execute(
            "INSERT INTO tickets (id, org_id, number, reference, status, subject, description, \
             requester_name, requester_email, channel, tracking_token_hash, created_at, \
             updated_at, assignee) VALUES ('T1', ?1, 1, 'DEMO-1', 'new', 's', 'd', 'n', \
             'e@example.com', 'portal', 'h', 'x', 'x', 'ann')",
            [ORG],
        )
        .expect("ticket");
        conn
    }

    fn spec(slug: &str, members: &[&str]) -> GroupSpec {
        GroupSpec {
            slug: slug.into(),
            name: format!("Group {slug}"),
            description: String::new(),
            members: members.iter().map(|m| (*m).to_owned()).collect(),
        }
    }

    /// The member ids of group `slug` as its view lists them.
    fn members(conn: &mut Connection, slug: &str) -> Vec<String> {
        let sql = get_sql(ORG, slug);
        let json: String = conn
            .query_row(&sql.text, rusqlite::params![ORG, slug], |row| {
                row.get("members")
            })
            .expect("group");
        let members: Vec<edgedesk_core::group::GroupMember> =
            serde_json::from_str(&json).expect("members JSON");
        members.into_iter().map(|m| m.id).collect()
    }

    #[test]
    fn a_taken_slug_keeps_its_group_and_members() {
        let mut conn = desk();
        let out = try_run(
            &mut conn,
            &create_sql(ORG, &spec("ops", &["bob", "ann"]), NOW),
        )
        .expect("create");
        assert_eq!(out[0], ["ops"]);
        assert_eq!(out[2], ["ops"]);
        assert_eq!(members(&mut conn, "ops"), ["ann", "bob"]);
        let again = try_run(&mut conn, &create_sql(ORG, &spec("ops", &["ada"]), NOW))
            .expect("second create");
        assert!(again[0].is_empty(), "a taken slug inserts nothing");
        assert_eq!(members(&mut conn, "ops"), ["ann", "bob"]);
        // The seeded groups are untouched and another org may use the same slug.
        let theirs =
            try_run(&mut conn, &create_sql(OTHER, &spec("ops", &["eve"]), NOW)).expect("other org");
        assert_eq!(theirs[0], ["ops"]);
    }

    #[test]
    fn replacing_sets_exactly_the_new_members_and_a_missing_group_stays_missing() {
        let mut conn = desk();
        try_run(
            &mut conn,
            &create_sql(ORG, &spec("ops", &["ann", "bob"]), NOW),
        )
        .expect("create");
        let out =
            try_run(&mut conn, &replace_sql(ORG, &spec("ops", &["ada"]), NOW)).expect("replace");
        assert_eq!(out.last().expect("view"), &["ops"]);
        assert_eq!(members(&mut conn, "ops"), ["ada"]);
        let out = try_run(&mut conn, &replace_sql(ORG, &spec("nope", &["ann"]), NOW))
            .expect("replace missing");
        assert!(out.last().expect("view").is_empty());
        let orphans: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM agent_group_members WHERE group_slug = 'nope'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(orphans, 0);
    }

    #[test]
    fn only_live_agents_and_admins_of_the_org_can_be_members() {
        let mut conn = desk();
        let ids: Vec<String> = ["ann", "ada", "old", "eve", "ghost"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let out = try_run(&mut conn, &[unknown_members_sql(ORG, &ids)]).expect("check");
        assert_eq!(out[0], ["old", "eve", "ghost"]);
    }

    #[test]
    fn a_group_named_by_a_ticket_or_an_escalation_cannot_be_deleted() {
        let mut conn = desk();
        try_run(&mut conn, &create_sql(ORG, &spec("ops", &["ann"]), NOW)).expect("create");
        conn.execute("UPDATE tickets SET group_name = 'ops'", [])
            .expect("assign group");
        let out = try_run(&mut conn, &delete_sql(ORG, "ops")).expect("delete");
        assert_eq!((out[0].len(), out[2].len()), (1, 0), "found but in use");
        assert_eq!(members(&mut conn, "ops"), ["ann"]);
        conn.execute("UPDATE tickets SET group_name = NULL", [])
            .expect("clear group");
        conn.execute(
            "INSERT INTO sla_policies (id, org_id, name, position, calendar_id, definition, \
             created_at, updated_at) SELECT 'P1', ?1, 'p', 1, id, \
             '{\"escalations\":[{\"actions\":{\"group\":\"ops\"}}]}', 'x', 'x' \
             FROM sla_calendars WHERE org_id = ?1",
            [ORG],
        )
        .expect("policy");
        let out = try_run(&mut conn, &delete_sql(ORG, "ops")).expect("delete");
        assert!(out[2].is_empty(), "an escalation names it");
        conn.execute("DELETE FROM sla_policies", [])
            .expect("drop policy");
        let out = try_run(&mut conn, &delete_sql(ORG, "ops")).expect("delete");
        assert_eq!(out[2], ["ops"]);
        let left: i64 = conn
            .query_row("SELECT COUNT(*) FROM agent_group_members", [], |r| r.get(0))
            .expect("count");
        assert_eq!(left, 0);
        let out = try_run(&mut conn, &delete_sql(ORG, "ops")).expect("delete again");
        assert!(out[0].is_empty(), "gone: 404");
    }

    #[test]
    fn memberships_follow_the_new_or_else_the_current_assignee() {
        let mut conn = desk();
        try_run(&mut conn, &create_sql(ORG, &spec("ops", &["ann"]), NOW)).expect("create");
        try_run(
            &mut conn,
            &create_sql(ORG, &spec("net", &["bob", "ann"]), NOW),
        )
        .expect("create");
        let out = try_run(
            &mut conn,
            &[
                memberships_sql(ORG, "T1", None),
                memberships_sql(ORG, "T1", Some("bob")),
                memberships_sql(OTHER, "T1", None),
                missing_sql(ORG, &["ops", "nope", "service-desk", "nope"]),
            ],
        )
        .expect("checks");
        let mut current = out[0].clone();
        current.sort();
        assert_eq!(current, ["net", "ops"]);
        assert_eq!(out[1], ["net"]);
        assert!(out[2].is_empty(), "another org sees no assignee of ours");
        assert_eq!(out[3], ["nope"]);
    }
}
