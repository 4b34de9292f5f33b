//! The worker's exact SQL run natively against SQLite with the real migrations: what D1 does
//! with a batch (statements in order, in one transaction), deterministically — including two
//! writers that read the same state, which local `wrangler dev` rarely lets overlap.

use chrono::{DateTime, TimeDelta, Utc};
use edgedesk_core::priority::Priority;
use edgedesk_core::sla::{Clock, Metric, Target, format_instant, parse_instant};
use rusqlite::Connection;
use rusqlite::types::Value as Sqlite;
use serde_json::{Value, json};

use super::Sql;
use super::sla::{SlaWrite, write_sql};
use super::sweep::{Notification, SweepAction, SystemEvent, TicketEscalation, due_sql, plan};
use super::tickets::{
    Actor, Change, FieldChange, IF_CHANGED, UPDATE_TICKET, change_sql, insert_event_sql,
};

const ORG: &str = "01JD0000000000000000000000";
const TICKET: &str = "01JD0000000000000000000001";
/// The demo organisation's agent (agents are their API tokens): the actor of changes here.
const AGENT: &str = "01JD00000000000000000AGENT";

fn at(raw: &str) -> DateTime<Utc> {
    parse_instant(raw).expect("instant")
}

/// SQLite's limits as D1 sets them (Cloudflare's D1 limits page): native tests refuse what D1
/// refuses, instead of passing on SQLite's far larger defaults.
pub(super) const D1_LIMITS: [(rusqlite::limits::Limit, i32); 4] = [
    (rusqlite::limits::Limit::SQLITE_LIMIT_VARIABLE_NUMBER, 100),
    (
        rusqlite::limits::Limit::SQLITE_LIMIT_LIKE_PATTERN_LENGTH,
        50,
    ),
    (rusqlite::limits::Limit::SQLITE_LIMIT_SQL_LENGTH, 100_000),
    (rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH, 2_000_000),
];

/// A fresh in-memory database with every migration applied in order and the demo seed: what
/// the worker's SQL runs against in these native tests, under D1's limits.
pub(super) fn migrated_demo() -> Connection {
    let mut conn = empty_d1();
    for file in migration_files() {
        apply(&mut conn, &file);
    }
    conn.execute_batch(include_str!("../../seed/demo.sql"))
        .expect("seed");
    conn
}

/// A fresh in-memory database as D1 runs one: D1's limits, foreign keys enforced.
pub(super) fn empty_d1() -> Connection {
    let conn = Connection::open_in_memory().expect("sqlite");
    for (limit, value) in D1_LIMITS {
        conn.set_limit(limit, value).expect("a D1 limit");
    }
    conn.execute_batch("PRAGMA foreign_keys = ON")
        .expect("foreign keys");
    conn
}

/// Every migration file, in the order they apply.
pub(super) fn migration_files() -> Vec<std::path::PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("migrations")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

/// Applies one migration file in one transaction, as `wrangler d1 migrations apply` does (so
/// `PRAGMA defer_foreign_keys` lasts until the migration's end).
pub(super) fn apply(conn: &mut Connection, file: &std::path::Path) {
    let sql = std::fs::read_to_string(file).expect("migration");
    let tx = conn.transaction().expect("transaction");
    tx.execute_batch(&sql)
        .and_then(|()| tx.commit())
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
}

/// A fresh database with every migration, the demo organisation, its agent, one ticket and
/// one webhook.
fn desk() -> Connection {
    let conn = migrated_demo();
    conn.execute(
        "INSERT INTO people (id, org_id, name, role, retired_key, created_at, email, email_key, \
         updated_at) VALUES (?1, ?2, 'Agent', 'agent', 'person:' || ?1, \
         '2026-05-04T09:00:00.000Z', 'agent@demo.example', 'agent@demo.example', \
         '2026-05-04T09:00:00.000Z')",
        [AGENT, ORG],
    )
    .expect("agent");
    conn.execute(
        "INSERT INTO tickets (id, org_id, number, reference, status, subject, description, \
         requester_name, requester_email, channel, tracking_token_hash, created_at, updated_at) \
         VALUES (?1, ?2, 1, 'DEMO-1', 'new', 's', 'd', 'n', 'e@example.com', 'portal', 'h', \
         '2026-05-04T10:00:00.000Z', '2026-05-04T10:00:00.000Z')",
        [TICKET, ORG],
    )
    .expect("ticket");
    conn.execute(
        "INSERT INTO webhook_endpoints (id, org_id, url, secret, created_at, updated_at) \
         VALUES ('01JD00000000000000000000WH', ?1, 'https://example.com/h', 'secret', 'x', 'x')",
        [ORG],
    )
    .expect("webhook");
    conn
}

fn sqlite(value: &Value) -> Sqlite {
    match value {
        Value::Null => Sqlite::Null,
        Value::Bool(b) => Sqlite::Integer(i64::from(*b)),
        Value::Number(n) => n.as_i64().map_or_else(
            || Sqlite::Real(n.as_f64().unwrap_or_default()),
            Sqlite::Integer,
        ),
        Value::String(s) => Sqlite::Text(s.clone()),
        other => Sqlite::Text(other.to_string()),
    }
}

/// Runs `batch` as D1 does (in order, atomically) and returns, per statement, the rows it
/// returned or (without RETURNING) the rows it changed. Also checks what D1 checks: exactly as
/// many parameters bound as the statement declares.
fn run(conn: &mut Connection, batch: &[Sql]) -> Vec<usize> {
    let tx = conn.transaction().expect("transaction");
    let mut counts = Vec::new();
    for sql in batch {
        let mut statement = tx
            .prepare(&sql.text)
            .unwrap_or_else(|e| panic!("{e}: {}", sql.text));
        assert_eq!(
            statement.parameter_count(),
            sql.params.len(),
            "parameters bound vs declared in {}",
            sql.text
        );
        for (i, value) in sql.params.iter().enumerate() {
            statement
                .raw_bind_parameter(i + 1, sqlite(value))
                .expect("bind");
        }
        let count = if statement.column_count() > 0 {
            let mut rows = statement.raw_query();
            let mut n = 0;
            while rows.next().expect("row").is_some() {
                n += 1;
            }
            n
        } else {
            statement.raw_execute().expect("execute")
        };
        counts.push(count);
    }
    tx.commit().expect("commit");
    counts
}

fn one<T: rusqlite::types::FromSql>(conn: &Connection, sql: &str) -> T {
    conn.query_row(sql, [], |row| row.get(0))
        .unwrap_or_else(|e| panic!("{e}: {sql}"))
}

fn clock(started: &str, target_minutes: u32) -> Clock {
    let started_at = at(started);
    Clock {
        metric: Metric::FirstResponse,
        policy_id: None,
        target: Target {
            minutes: target_minutes,
            business: false,
        },
        started_at,
        due_at: Some(started_at + TimeDelta::minutes(i64::from(target_minutes))),
        warn_at: Some(started_at + TimeDelta::minutes(i64::from(target_minutes) / 2)),
        warned_at: None,
        breached_at: None,
        breach_detected_at: None,
        fulfilled_at: None,
    }
}

/// Stores `clock` as a ticket change with token `token` would.
fn store(conn: &mut Connection, clock: &Clock, token: &str) {
    conn.execute(
        "UPDATE tickets SET change_id = ?1 WHERE id = ?2",
        [token, TICKET],
    )
    .expect("token");
    let write = SlaWrite {
        policy_id: None,
        pauses: "[]".to_owned(),
        clocks: vec![clock.clone()],
        removed: Vec::new(),
        late_breaches: Vec::new(),
    };
    let counts = run(
        conn,
        &write_sql(
            IF_CHANGED,
            [ORG, TICKET, token],
            &write,
            "2026-05-04T10:00:00.000Z",
        ),
    );
    assert_eq!(counts, [1], "the clock upsert ran");
}

fn action<'a>(
    clock: &'a Clock,
    strings: &'a ActionStrings,
    claim: &'a str,
    breach: bool,
) -> SweepAction<'a> {
    SweepAction {
        org_id: ORG,
        ticket_id: TICKET,
        metric: clock.metric,
        claim,
        started_at: &strings.started_at,
        warn_at: strings.warn_at.as_deref(),
        due_at: strings.due_at.as_deref(),
        mark_warned: clock.warned_at.is_none(),
        breach,
        now: &strings.now,
        events: vec![SystemEvent {
            id: format!("{claim}-event"),
            kind: if breach {
                "sla_breached"
            } else {
                "sla_warning"
            },
            field: clock.metric.as_str().to_owned(),
            from: None,
            to: strings.due_at.clone(),
        }],
        ticket: None,
        notify: Some(Notification {
            event_type: if breach {
                "sla.breached"
            } else {
                "sla.warning"
            },
            payload: json!({"claim": claim}).to_string(),
        }),
    }
}

struct ActionStrings {
    started_at: String,
    warn_at: Option<String>,
    due_at: Option<String>,
    now: String,
}

impl ActionStrings {
    fn read(clock: &Clock, now: &str) -> Self {
        Self {
            started_at: format_instant(clock.started_at),
            warn_at: clock.warn_at.map(format_instant),
            due_at: clock.due_at.map(format_instant),
            now: format_instant(at(now)),
        }
    }
}

#[test]
fn two_sweeps_that_read_the_same_due_clock_record_one_warning_and_one_notification() {
    let mut conn = desk();
    let first = clock("2026-05-04T10:00:00Z", 30);
    store(&mut conn, &first, "create");
    let next: String = one(&conn, "SELECT next_deadline FROM sla_clocks");
    assert_eq!(
        Some(next.as_str()),
        first.warn_at.map(format_instant).as_deref()
    );

    // Both runs read the clock at 10:16, before either wrote.
    let read = ActionStrings::read(&first, "2026-05-04T10:16:00Z");
    let (a, a_claim) = plan(&action(&first, &read, "run-a", false));
    let (b, b_claim) = plan(&action(&first, &read, "run-b", false));
    assert_eq!(
        run(&mut conn, &a)[a_claim],
        1,
        "the first run claims the clock"
    );
    assert_eq!(run(&mut conn, &b)[b_claim], 0, "the second finds it done");

    let warnings: i64 = one(
        &conn,
        "SELECT COUNT(*) FROM ticket_events WHERE kind = 'sla_warning'",
    );
    let outbox: i64 = one(&conn, "SELECT COUNT(*) FROM webhook_outbox");
    let payload: String = one(&conn, "SELECT payload FROM webhook_outbox");
    assert_eq!((warnings, outbox), (1, 1));
    assert!(payload.contains("run-a"));
    let warned_at: String = one(&conn, "SELECT warned_at FROM sla_clocks");
    assert_eq!(warned_at, read.now);
    let next: String = one(&conn, "SELECT next_deadline FROM sla_clocks");
    assert_eq!(
        Some(next.as_str()),
        read.due_at.as_deref(),
        "next comes the deadline"
    );
}

#[test]
fn a_breach_escalation_changes_the_ticket_once_even_when_two_runs_race() {
    let mut conn = desk();
    let mut first = clock("2026-05-04T10:00:00Z", 30);
    first.warned_at = Some(at("2026-05-04T10:16:00Z"));
    store(&mut conn, &first, "create");
    conn.execute(
        "UPDATE sla_clocks SET warned_at = '2026-05-04T10:16:00.000Z'",
        [],
    )
    .expect("warned");

    // Detected at 10:45 (the sweep was down for a while): breached at the 10:30 deadline.
    let read = ActionStrings::read(&first, "2026-05-04T10:45:00Z");
    let escalation = |claim: &str| {
        let mut breached = first.clone();
        breached.breached_at = first.due_at;
        breached.breach_detected_at = Some(at("2026-05-04T10:45:00Z"));
        let mut step = action(&first, &read, claim, true);
        step.mark_warned = false;
        step.events.push(SystemEvent {
            id: format!("{claim}-priority"),
            kind: "changed",
            field: "priority".to_owned(),
            from: Some("normal".to_owned()),
            to: Some("high".to_owned()),
        });
        step.ticket = Some(TicketEscalation {
            expected_version: 1,
            priority: Some(Priority::High),
            group: Some("tier-2".to_owned()),
            tags: vec!["sla-breached".to_owned()],
            sla: SlaWrite {
                policy_id: None,
                pauses: "[]".to_owned(),
                clocks: vec![breached],
                removed: Vec::new(),
                late_breaches: Vec::new(),
            },
        });
        plan(&step)
    };
    let ((a, a_claim), (b, b_claim)) = (escalation("run-a"), escalation("run-b"));
    assert_eq!(run(&mut conn, &a)[a_claim], 1);
    assert_eq!(run(&mut conn, &b)[b_claim], 0);

    let (priority, group, version): (String, String, i64) = conn
        .query_row(
            "SELECT priority, group_name, version FROM tickets",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("ticket");
    assert_eq!(
        (priority.as_str(), group.as_str(), version),
        ("high", "tier-2", 2)
    );
    let tags: i64 = one(&conn, "SELECT COUNT(*) FROM ticket_tags");
    let breaches: i64 = one(
        &conn,
        "SELECT COUNT(*) FROM ticket_events WHERE kind = 'sla_breached'",
    );
    let raised: i64 = one(
        &conn,
        "SELECT COUNT(*) FROM ticket_events WHERE field = 'priority'",
    );
    let outbox: i64 = one(&conn, "SELECT COUNT(*) FROM webhook_outbox");
    assert_eq!((tags, breaches, raised, outbox), (1, 1, 1, 1));
    let (breached_at, detected_at): (String, String) = conn
        .query_row(
            "SELECT breached_at, breach_detected_at FROM sla_clocks",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("clock");
    assert_eq!(breached_at, "2026-05-04T10:30:00.000Z", "the deadline");
    assert_eq!(
        detected_at, "2026-05-04T10:45:00.000Z",
        "when it was noticed"
    );
    let next: Option<String> = one(&conn, "SELECT next_deadline FROM sla_clocks");
    assert_eq!(next, None, "nothing left for the sweep");
}

#[test]
fn an_escalation_waits_when_the_ticket_changed_since_the_sweep_read_it() {
    let mut conn = desk();
    let first = clock("2026-05-04T10:00:00Z", 30);
    store(&mut conn, &first, "create");
    // An agent changed the ticket after the sweep read it (version 1 -> 2).
    conn.execute("UPDATE tickets SET version = 2", [])
        .expect("agent change");
    let read = ActionStrings::read(&first, "2026-05-04T10:45:00Z");
    let mut step = action(&first, &read, "run-a", true);
    step.ticket = Some(TicketEscalation {
        expected_version: 1,
        priority: Some(Priority::High),
        group: None,
        tags: Vec::new(),
        sla: SlaWrite {
            policy_id: None,
            pauses: "[]".to_owned(),
            clocks: Vec::new(),
            removed: Vec::new(),
            late_breaches: Vec::new(),
        },
    });
    let (batch, claim_at) = plan(&step);
    assert_eq!(run(&mut conn, &batch)[claim_at], 0, "nothing happens");
    let events: i64 = one(&conn, "SELECT COUNT(*) FROM ticket_events");
    let breached: Option<String> = one(&conn, "SELECT breached_at FROM sla_clocks");
    assert_eq!((events, breached), (0, None), "the next run retries");
}

#[test]
fn a_ticket_change_that_lost_the_race_writes_nothing() {
    let mut conn = desk();
    // Two agents read version 1 and both send their change.
    let change = |token: &str, to: &str| {
        vec![
            Sql::new(
                UPDATE_TICKET,
                vec![
                    ORG.into(),
                    TICKET.into(),
                    token.into(),
                    to.into(),
                    Value::Null,
                    "2026-05-04T10:05:00.000Z".into(),
                    0.into(),
                    1.into(),
                    0.into(),
                    Value::Null,
                    Value::Null,
                    0.into(),
                    Value::Null,
                    0.into(),
                    Value::Null,
                ],
            ),
            Sql::new(
                insert_event_sql(),
                vec![
                    ORG.into(),
                    TICKET.into(),
                    token.into(),
                    format!("{token}-event").into(),
                    "agent".into(),
                    "tok".into(),
                    "changed".into(),
                    "status".into(),
                    "new".into(),
                    to.into(),
                    "2026-05-04T10:05:00.000Z".into(),
                ],
            ),
        ]
    };
    assert_eq!(run(&mut conn, &change("change-a", "pending")), [1, 1]);
    assert_eq!(
        run(&mut conn, &change("change-b", "on_hold")),
        [0, 0],
        "the loser's event must not land on the winner's row"
    );
    let events: i64 = one(&conn, "SELECT COUNT(*) FROM ticket_events");
    let status: String = one(&conn, "SELECT status FROM tickets");
    assert_eq!((events, status.as_str()), (1, "pending"));
}

#[test]
fn clock_upserts_keep_what_the_sweep_recorded_and_a_new_cycle_starts_clean() {
    let mut conn = desk();
    let first = clock("2026-05-04T10:00:00Z", 30);
    store(&mut conn, &first, "create");
    conn.execute(
        "UPDATE sla_clocks SET warned_at = '2026-05-04T10:16:00.000Z'",
        [],
    )
    .expect("sweep warned");
    // A change computed from a read before the warning: same cycle, warned_at unknown to it.
    let mut retargeted = first.clone();
    retargeted.target.minutes = 20;
    store(&mut conn, &retargeted, "change-1");
    let (warned, target): (Option<String>, i64) = conn
        .query_row(
            "SELECT warned_at, target_minutes FROM sla_clocks",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("clock");
    assert_eq!(
        (warned.as_deref(), target),
        (Some("2026-05-04T10:16:00.000Z"), 20)
    );

    let mut fulfilled = retargeted.clone();
    fulfilled.fulfilled_at = Some(at("2026-05-04T10:18:00Z"));
    store(&mut conn, &fulfilled, "change-2");
    store(&mut conn, &retargeted, "change-3");
    let done: Option<String> = one(&conn, "SELECT fulfilled_at FROM sla_clocks");
    assert!(done.is_some(), "fulfilled stays fulfilled");

    let cycle = clock("2026-05-04T11:00:00Z", 30);
    store(&mut conn, &cycle, "change-4");
    let (warned, done): (Option<String>, Option<String>) = conn
        .query_row("SELECT warned_at, fulfilled_at FROM sla_clocks", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("clock");
    assert_eq!((warned, done), (None, None), "a new cycle starts clean");
}

#[test]
fn the_stored_next_deadline_is_the_engines() {
    let mut conn = desk();
    let base = clock("2026-05-04T10:00:00Z", 30);
    let mut warned = base.clone();
    warned.warned_at = Some(at("2026-05-04T10:15:00Z"));
    let mut breached = warned.clone();
    breached.breached_at = breached.due_at;
    let mut fulfilled = base.clone();
    fulfilled.fulfilled_at = Some(at("2026-05-04T10:10:00Z"));
    let mut paused = base.clone();
    paused.due_at = None;
    paused.warn_at = None;
    for (i, case) in [base, warned, breached, fulfilled, paused]
        .iter()
        .enumerate()
    {
        store(&mut conn, case, &format!("case-{i}"));
        // Force the exact state (upserts preserve some fields on purpose).
        let opt = |v: Option<DateTime<Utc>>| v.map(format_instant);
        conn.execute(
            "UPDATE sla_clocks SET due_at = ?1, warn_at = ?2, warned_at = ?3, breached_at = ?4, \
             fulfilled_at = ?5",
            rusqlite::params![
                opt(case.due_at),
                opt(case.warn_at),
                opt(case.warned_at),
                opt(case.breached_at),
                opt(case.fulfilled_at)
            ],
        )
        .expect("state");
        let stored: Option<String> = one(&conn, "SELECT next_deadline FROM sla_clocks");
        assert_eq!(stored, case.next_deadline().map(format_instant), "case {i}");
    }
}

#[test]
fn the_sweep_reads_only_due_clocks_through_the_deadline_index() {
    let mut conn = desk();
    // 10,000 clocks, 3 of them due: the sweep's query must not scan the others.
    let tx = conn.transaction().expect("tx");
    for i in 0..10_000 {
        let id = format!("T{i:025}");
        let due = if i % 4000 == 0 {
            "2026-05-04T10:00:00.000Z"
        } else {
            "2027-01-01T00:00:00.000Z"
        };
        tx.execute(
            "INSERT INTO tickets (id, org_id, number, reference, status, subject, description, \
             requester_name, requester_email, channel, tracking_token_hash, created_at, updated_at) \
             VALUES (?1, ?2, ?3, 'R', 'new', 's', 'd', 'n', 'e', 'portal', 'h', 'x', 'x')",
            rusqlite::params![id, ORG, i + 10],
        )
        .expect("ticket");
        tx.execute(
            "INSERT INTO sla_clocks (org_id, ticket_id, metric, target_minutes, business, \
             started_at, due_at, warn_at, warned_at) \
             VALUES (?1, ?2, 'resolution', 60, 0, 'x', ?3, ?3, 'x')",
            rusqlite::params![ORG, id, due],
        )
        .expect("clock");
    }
    tx.commit().expect("commit");
    let plan: String = conn
        .query_row(
            &format!("EXPLAIN QUERY PLAN {}", due_sql()),
            rusqlite::params!["2026-05-04T10:45:00.000Z", 200],
            |r| r.get(3),
        )
        .expect("plan");
    assert!(plan.contains("sla_clocks_next_deadline"), "{plan}");
    let mut statement = conn.prepare(&due_sql()).expect("prepare");
    let rows = statement
        .query_map(rusqlite::params!["2026-05-04T10:45:00.000Z", 200], |_| {
            Ok(())
        })
        .expect("query")
        .count();
    assert_eq!(rows, 3);
    let full_scan_steps = statement.get_status(rusqlite::StatementStatus::FullscanStep);
    assert_eq!(full_scan_steps, 0, "no table scan");
}

#[test]
fn every_organisation_gets_its_own_widget_secret_and_an_empty_allowlist() {
    let conn = migrated_demo();
    conn.execute(
        "INSERT INTO orgs (id, slug, name, ref_prefix, created_at) \
         VALUES ('01JD00000000000000000000OB', 'other', 'Other', 'OTH', 'x')",
        [],
    )
    .expect("second org");
    let mut rows = conn
        .prepare("SELECT widget_secret, widget_origins FROM orgs ORDER BY slug")
        .expect("query");
    let settings: Vec<(String, String)> = rows
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(settings.len(), 2);
    for (secret, origins) in &settings {
        assert_eq!(secret.len(), 64, "{secret}");
        assert_eq!(origins, "[]");
    }
    assert_ne!(settings[0].0, settings[1].0);
}

/// An agent's change of the ticket at version 1, marked by `token`, as statements.
fn agent_change(token: &str, fields: Vec<FieldChange>) -> Vec<Sql> {
    change_sql(&plan_change(token, fields)).expect("plan")
}

fn tags(conn: &Connection) -> Vec<String> {
    let mut statement = conn
        .prepare("SELECT tag FROM ticket_tags WHERE org_id = ?1 AND ticket_id = ?2 ORDER BY tag")
        .expect("tags");
    statement
        .query_map([ORG, TICKET], |row| row.get(0))
        .expect("query")
        .map(|tag| tag.expect("tag"))
        .collect()
}

#[test]
fn assignee_group_and_tags_change_with_one_event_each_and_a_new_version() {
    let mut conn = desk();
    conn.execute(
        "INSERT INTO ticket_tags (org_id, ticket_id, tag, created_at) VALUES (?1, ?2, 'late', 'x')",
        [ORG, TICKET],
    )
    .expect("escalation tag");
    let plan = agent_change(
        "change-a",
        vec![
            FieldChange::Assignee(None, Some(AGENT.to_owned())),
            FieldChange::Group(None, Some("tier-2".to_owned())),
            FieldChange::Tags {
                from: vec!["late".to_owned()],
                to: vec!["billing".to_owned(), "vip".to_owned()],
            },
        ],
    );
    let counts = run(&mut conn, &plan);
    assert_eq!(counts[0], 1, "the ticket row comes back");
    assert!(
        counts.iter().all(|n| *n == 1),
        "every statement wrote: {counts:?}"
    );
    let (assignee, group, version): (String, String, i64) = conn
        .query_row(
            "SELECT assignee, group_name, version FROM tickets",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .expect("ticket");
    assert_eq!(
        (assignee.as_str(), group.as_str(), version),
        (AGENT, "tier-2", 2)
    );
    assert_eq!(tags(&conn), ["billing", "vip"]);
    let events: Vec<(String, String, Option<String>, Option<String>)> = conn
        .prepare("SELECT actor_id, field, from_value, to_value FROM ticket_events ORDER BY id")
        .expect("events")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .map(|e| e.expect("event"))
        .collect();
    let agent = AGENT.to_owned();
    assert_eq!(
        events,
        [
            (
                agent.clone(),
                "assignee".to_owned(),
                None,
                Some(agent.clone())
            ),
            (
                agent.clone(),
                "group".to_owned(),
                None,
                Some("tier-2".to_owned())
            ),
            (
                agent.clone(),
                "tags".to_owned(),
                None,
                Some("billing".to_owned())
            ),
            (
                agent.clone(),
                "tags".to_owned(),
                None,
                Some("vip".to_owned())
            ),
            (
                agent.clone(),
                "tags".to_owned(),
                Some("late".to_owned()),
                None
            ),
        ]
    );
    let kinds: Vec<String> = conn
        .prepare("SELECT kind FROM ticket_events ORDER BY id")
        .expect("kinds")
        .query_map([], |r| r.get(0))
        .expect("query")
        .map(|k| k.expect("kind"))
        .collect();
    assert_eq!(
        kinds,
        [
            "changed",
            "changed",
            "tag_added",
            "tag_added",
            "tag_removed"
        ]
    );

    // Clearing: null assignee and group, no tags left.
    let cleared = change_sql(&Change {
        expected_version: 2,
        ..plan_change(
            "change-b",
            vec![
                FieldChange::Assignee(Some(agent), None),
                FieldChange::Group(Some("tier-2".to_owned()), None),
                FieldChange::Tags {
                    from: vec!["billing".to_owned(), "vip".to_owned()],
                    to: Vec::new(),
                },
            ],
        )
    })
    .expect("plan");
    run(&mut conn, &cleared);
    let (assignee, group): (Option<String>, Option<String>) = conn
        .query_row("SELECT assignee, group_name FROM tickets", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .expect("ticket");
    assert_eq!((assignee, group), (None, None));
    assert!(tags(&conn).is_empty());
    let removed: i64 = one(
        &conn,
        "SELECT COUNT(*) FROM ticket_events WHERE kind = 'tag_removed' AND to_value IS NULL",
    );
    assert_eq!(removed, 3, "late earlier, billing and vip now");
}

/// An agent's change of the ticket at version 1, marked by `token`.
fn plan_change(token: &str, fields: Vec<FieldChange>) -> Change<'_> {
    let count = fields.iter().map(FieldChange::event_count).sum();
    let event_ids = (0..count).map(|i| format!("{token}-{i}")).collect();
    Change {
        org_id: ORG,
        ticket_id: TICKET,
        expected_version: 1,
        fields,
        comment: None,
        actor: Actor {
            kind: "agent",
            id: AGENT,
        },
        now: "2026-05-04T10:05:00.000Z",
        event_ids,
        change_id: token.to_owned(),
        sla: None,
    }
}

#[test]
fn a_tag_change_that_lost_the_race_adds_and_removes_nothing() {
    let mut conn = desk();
    let tag_change = |token: &str, to: &str| {
        agent_change(
            token,
            vec![FieldChange::Tags {
                from: Vec::new(),
                to: vec![to.to_owned()],
            }],
        )
    };
    run(&mut conn, &tag_change("change-a", "vip"));
    let lost = run(&mut conn, &tag_change("change-b", "billing"));
    assert!(lost.iter().all(|n| *n == 0), "the loser wrote: {lost:?}");
    assert_eq!(tags(&conn), ["vip"]);
    let events: i64 = one(&conn, "SELECT COUNT(*) FROM ticket_events");
    assert_eq!(events, 1);
}

/// Sizes around D1's 100-parameter limit, and far past it.
const LIST_SIZES: [usize; 6] = [0, 1, 99, 100, 101, 1000];

#[test]
fn the_native_database_refuses_what_d1_refuses() {
    let conn = migrated_demo();
    let placeholders = vec!["?"; 101].join(", ");
    let too_many = conn.prepare(&format!("SELECT 1 WHERE 1 IN ({placeholders})"));
    assert!(too_many.is_err(), "101 parameters were accepted");
    let pattern = format!("%{}%", "a".repeat(49));
    let too_long: Result<i64, _> =
        conn.query_row("SELECT 'x' LIKE ?1", [pattern], |row| row.get(0));
    assert!(too_long.is_err(), "a 51-byte LIKE pattern was accepted");
}

#[test]
fn a_page_of_any_size_loads_its_clocks_and_tags_in_two_statements() {
    for size in LIST_SIZES {
        let mut conn = desk();
        let mut ids = Vec::new();
        for n in 0..size {
            let id = format!("01JE000000000000000000{n:04}");
            conn.execute(
                "INSERT INTO tickets (id, org_id, number, reference, status, subject, \
                 description, requester_name, requester_email, channel, tracking_token_hash, \
                 created_at, updated_at) VALUES (?1, ?2, ?3, 'DEMO-' || ?3, 'new', 's', 'd', \
                 'n', 'e@example.com', 'portal', 'h', '2026-05-04T10:00:00.000Z', \
                 '2026-05-04T10:00:00.000Z')",
                rusqlite::params![id, ORG, i64::try_from(n).expect("small") + 2],
            )
            .expect("ticket");
            conn.execute(
                "INSERT INTO ticket_tags (org_id, ticket_id, tag, created_at) \
                 VALUES (?1, ?2, 'vip', 'x')",
                [ORG, id.as_str()],
            )
            .expect("tag");
            ids.push(id);
        }
        let [clocks, tags] = super::tickets::page_details_sql(ORG, &ids);
        let counts = run(&mut conn, &[clocks, tags]);
        assert_eq!(counts, [0, size], "page of {size}");
    }
}

#[test]
fn group_members_of_any_number_are_checked_in_one_statement() {
    for size in LIST_SIZES {
        let mut conn = desk();
        let members: Vec<String> = (0..size).map(|n| format!("tok_unknown_{n}")).collect();
        let unknown = super::groups::unknown_members_sql(ORG, &members);
        assert_eq!(run(&mut conn, &[unknown]), [size], "{size} members");
    }
}

#[test]
fn catalog_search_takes_sentences_and_long_words_that_a_like_pattern_could_not() {
    use edgedesk_core::catalog::item_search_text;
    use edgedesk_core::form::LocalizedText;
    use edgedesk_core::search::{CatalogQuery, catalog_query};

    let mut conn = desk();
    conn.execute(
        "INSERT INTO catalog_categories (id, org_id, slug, name, created_at, updated_at) \
         VALUES ('cat1', ?1, 'it', '{}', 'x', 'x')",
        [ORG],
    )
    .expect("category");
    let text = |pairs: &[(&str, &str)]| {
        LocalizedText(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    };
    let items = [
        (
            "laptop",
            item_search_text(
                &text(&[("en", "New laptop"), ("pl", "Nowy laptop dla zespołu")]),
                &text(&[("el", "Παραγγελία φορητού υπολογιστή για την ομάδα")]),
            ),
        ),
        (
            "vpn",
            item_search_text(&text(&[("en", "VPN access")]), &text(&[])),
        ),
    ];
    for (slug, search_text) in &items {
        conn.execute(
            "INSERT INTO catalog_items (id, org_id, category_id, slug, name, form_version, \
             search_text, created_at, updated_at) VALUES (?1, ?2, 'cat1', ?1, '{}', 1, ?3, 'x', 'x')",
            rusqlite::params![slug, ORG, search_text],
        )
        .expect("item");
    }
    let found = |conn: &mut Connection, raw: &str| -> Vec<String> {
        let query = catalog_query(raw).expect("a query");
        let sql = super::catalog::items_sql("o.id = ?1", ORG, true, &query);
        let mut rows = super::api_sql_tests::try_run(conn, &[sql]).expect("the item query");
        rows.pop().unwrap_or_default()
    };
    // 60 bytes of Greek and a whole sentence: both over D1's 50-byte LIKE pattern.
    assert_eq!(
        found(&mut conn, "ΠΑΡΑΓΓΕΛΙΑ ΦΟΡΗΤΟΥ ΥΠΟΛΟΓΙΣΤΗ"),
        ["laptop"]
    );
    assert_eq!(
        found(
            &mut conn,
            "a new laptop for the whole team please, thank you kindly"
        ),
        Vec::<String>::new(),
        "every word must occur"
    );
    assert_eq!(found(&mut conn, "zespol lap"), ["laptop"]);
    assert_eq!(found(&mut conn, " "), ["laptop", "vpn"]);
    assert!(found(&mut conn, "%").is_empty());
    assert!(matches!(catalog_query("%"), Ok(CatalogQuery::Nothing)));
    // An edit re-indexes the item; a delete drops it from the index.
    conn.execute(
        "UPDATE catalog_items SET search_text = 'printer' WHERE slug = 'vpn'",
        [],
    )
    .expect("update");
    assert_eq!(found(&mut conn, "print"), ["vpn"]);
    assert!(found(&mut conn, "access").is_empty());
    conn.execute("DELETE FROM catalog_items WHERE slug = 'vpn'", [])
        .expect("delete");
    let indexed: i64 = one(&conn, "SELECT COUNT(*) FROM catalog_search");
    assert_eq!(indexed, 1);
}

#[test]
fn a_long_conversation_stays_within_d1s_value_limit_and_keeps_its_first_replies_searchable() {
    // The ticket's search row comes from its insert trigger.
    let conn = desk();
    // 60 replies of the longest body (20,000 characters) in Greek: 2.4 MB of UTF-8 in all.
    let body = "α".repeat(19_990);
    for n in 0..60 {
        conn.execute(
            "INSERT INTO ticket_comments (id, org_id, ticket_id, author_kind, body, public, \
             created_at) VALUES (?1, ?2, ?3, 'requester', ?4, 1, 'x')",
            rusqlite::params![format!("c{n:03}"), ORG, TICKET, format!("word{n} {body}")],
        )
        .unwrap_or_else(|e| panic!("reply {n}: {e}"));
    }
    let indexed: i64 = one(
        &conn,
        "SELECT length(s.replies) FROM ticket_search s JOIN tickets t ON t.search_rowid = s.rowid",
    );
    assert_eq!(indexed, 400_000);
    let first: i64 = one(
        &conn,
        "SELECT COUNT(*) FROM ticket_search WHERE ticket_search MATCH 'word0'",
    );
    assert_eq!(first, 1);
}
