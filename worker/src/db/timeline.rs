//! The requester's timeline of a ticket: public replies and status changes, never internal notes.

use edgedesk_core::api::{ReplyAuthor, TimelineEntry, TimelineReply, TimelineStatusChange};
use edgedesk_core::{TicketId, TicketStatus};
use serde::Deserialize;
use worker::D1Database;

use super::{InOrder, Sql, StoreError};

/// The ticket, only if the tracking token hash (`?2`) is its own: a wrong token and a missing
/// ticket look the same.
const TICKET: &str = "SELECT id FROM tickets WHERE id = ?1 AND tracking_token_hash = ?2";

/// Public replies only: internal notes are filtered here, so on this path they never even
/// leave the database.
const REPLIES: &str = "SELECT c.id, c.author_kind, c.body, c.created_at FROM tickets t \
     JOIN ticket_comments c ON c.org_id = t.org_id AND c.ticket_id = t.id \
     WHERE t.id = ?1 AND t.tracking_token_hash = ?2 AND c.public = 1 \
     ORDER BY c.created_at, c.id";

/// The submission and later status changes. Other events (notes added, priority, tags, SLA
/// warnings and breaches) are the desk's business, so the kinds are listed, not excluded.
const STATUS_CHANGES: &str = "SELECT e.id, e.from_value, e.to_value, e.created_at \
     FROM tickets t JOIN ticket_events e ON e.org_id = t.org_id AND e.ticket_id = t.id \
     WHERE t.id = ?1 AND t.tracking_token_hash = ?2 AND e.field = 'status' \
     AND e.kind IN ('created', 'changed') ORDER BY e.created_at, e.id";

/// The three reads, each scoped to the ticket that `tracking_token_hash` opens.
pub(crate) fn statements(ticket_id: &TicketId, tracking_token_hash: &str) -> [Sql; 3] {
    let params = || vec![ticket_id.to_string().into(), tracking_token_hash.into()];
    [
        Sql::new(TICKET, params()),
        Sql::new(REPLIES, params()),
        Sql::new(STATUS_CHANGES, params()),
    ]
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReplyRow {
    id: String,
    author_kind: String,
    body: String,
    created_at: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct StatusRow {
    id: String,
    from_value: Option<String>,
    to_value: Option<String>,
    created_at: String,
}

/// The timeline of ticket `id` for the holder of its tracking token, oldest first, in one D1
/// round trip; `None` when the ticket does not exist or the token is not its own.
pub async fn for_requester(
    db: &D1Database,
    id: &TicketId,
    tracking_token_hash: &str,
) -> Result<Option<Vec<TimelineEntry>>, StoreError> {
    let results = super::run_batch(
        db,
        &statements(id, tracking_token_hash),
        "reading a request's timeline",
    )
    .await?;
    let mut results = InOrder::new(results, "reading a request's timeline");
    if results.rows::<serde_json::Value>()?.is_empty() {
        return Ok(None);
    }
    let replies = results.rows::<ReplyRow>()?;
    Ok(Some(merge(replies, results.rows::<StatusRow>()?)))
}

/// Replies and status changes in one list, oldest first. At the same instant (one change that
/// both adds a reply and moves the status, as a requester's reply to a solved ticket does) the
/// reply comes first: it is what moved the status. Rows we cannot read (never written by us)
/// are left out rather than hiding the whole timeline.
pub(crate) fn merge(replies: Vec<ReplyRow>, changes: Vec<StatusRow>) -> Vec<TimelineEntry> {
    let replies = replies.into_iter().filter_map(|row| {
        let author = match row.author_kind.as_str() {
            "agent" => ReplyAuthor::Agent,
            "requester" => ReplyAuthor::Requester,
            _ => return None,
        };
        Some((
            row.created_at.clone(),
            0_u8,
            TimelineEntry::Reply(TimelineReply {
                id: row.id,
                author,
                body: row.body,
                created_at: row.created_at,
            }),
        ))
    });
    let changes = changes.into_iter().filter_map(|row| {
        let to = row.to_value.as_deref()?.parse::<TicketStatus>().ok()?;
        let from = match row.from_value.as_deref() {
            Some(from) => Some(from.parse::<TicketStatus>().ok()?),
            None => None,
        };
        Some((
            row.created_at.clone(),
            1_u8,
            TimelineEntry::StatusChanged(TimelineStatusChange {
                id: row.id,
                from,
                to,
                created_at: row.created_at,
            }),
        ))
    });
    let mut entries: Vec<_> = replies.chain(changes).collect();
    // Stable: within one kind and instant, the SQL's id order (ULIDs) stays.
    entries.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    entries.into_iter().map(|(_, _, entry)| entry).collect()
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;
    use rusqlite::types::Value as Sqlite;
    use serde_json::Value;

    use super::*;

    const ORG: &str = "01JD0000000000000000000000";
    const TICKET_ID: &str = "01JD0000000000000000000001";
    const HASH: &str = "token-hash";

    /// A fresh database with every migration and the demo organisation, one ticket with a
    /// conversation: every kind of comment and event the desk writes.
    fn desk() -> Connection {
        let conn = super::super::sqlite_tests::migrated_demo();
        conn.execute(
            "INSERT INTO tickets (id, org_id, number, reference, status, subject, description, \
             requester_name, requester_email, channel, tracking_token_hash, created_at, \
             updated_at) VALUES (?1, ?2, 1, 'DEMO-1', 'open', 's', 'd', 'n', 'e@example.com', \
             'portal', ?3, '2026-05-04T10:00:00.000Z', '2026-05-04T10:00:00.000Z')",
            [TICKET_ID, ORG, HASH],
        )
        .expect("ticket");
        let at = |minute: &str| format!("2026-05-04T10:{minute}:00.000Z");
        for (id, author, body, public, minute) in [
            ("C1", "agent", "Secret: VIP", 0, "01"),
            ("C2", "agent", "We are on it.", 1, "02"),
            ("C3", "requester", "Thanks!", 1, "04"),
        ] {
            conn.execute(
                "INSERT INTO ticket_comments (id, org_id, ticket_id, author_kind, author_id, \
                 body, public, created_at) VALUES (?1, ?2, ?3, ?4, 'x', ?5, ?6, ?7)",
                rusqlite::params![id, ORG, TICKET_ID, author, body, public, at(minute)],
            )
            .expect("comment");
        }
        // Every kind of event the desk writes; the requester's reply that reopens writes two
        // at one instant, its comment's event first.
        for (id, kind, field, from, to, minute) in [
            ("E1", "created", "status", None, "new", "00"),
            ("E2", "note_added", "comment", None, "C1", "01"),
            ("E3", "reply_added", "comment", None, "C2", "02"),
            ("E4", "changed", "status", Some("new"), "pending", "03"),
            ("E5", "changed", "priority", Some("normal"), "high", "03"),
            ("E6", "sla_breached", "first_response", None, "x", "03"),
            ("E7", "reply_added", "comment", None, "C3", "04"),
            ("E8", "changed", "status", Some("pending"), "open", "04"),
        ] {
            conn.execute(
                "INSERT INTO ticket_events (id, org_id, ticket_id, actor_kind, actor_id, kind, \
                 field, from_value, to_value, created_at) \
                 VALUES (?1, ?2, ?3, 'agent', 'x', ?4, ?5, ?6, ?7, ?8)",
                rusqlite::params![id, ORG, TICKET_ID, kind, field, from, to, at(minute)],
            )
            .expect("event");
        }
        conn
    }

    fn sqlite(value: &Value) -> Sqlite {
        match value {
            Value::String(s) => Sqlite::Text(s.clone()),
            Value::Null => Sqlite::Null,
            other => Sqlite::Text(other.to_string()),
        }
    }

    /// Runs one statement as D1 would and returns its rows as JSON objects (D1's shape).
    fn rows(conn: &Connection, sql: &Sql) -> Vec<Value> {
        let mut statement = conn
            .prepare(&sql.text)
            .unwrap_or_else(|e| panic!("{e}: {}", sql.text));
        assert_eq!(
            statement.parameter_count(),
            sql.params.len(),
            "{}",
            sql.text
        );
        let names: Vec<String> = statement
            .column_names()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let params: Vec<Sqlite> = sql.params.iter().map(sqlite).collect();
        statement
            .query_map(rusqlite::params_from_iter(params), |row| {
                let mut object = serde_json::Map::new();
                for (i, name) in names.iter().enumerate() {
                    let value = match row.get::<_, Sqlite>(i)? {
                        Sqlite::Null => Value::Null,
                        Sqlite::Integer(n) => n.into(),
                        Sqlite::Real(x) => x.into(),
                        Sqlite::Text(s) => s.into(),
                        Sqlite::Blob(_) => Value::Null,
                    };
                    object.insert(name.clone(), value);
                }
                Ok(Value::Object(object))
            })
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    fn timeline(conn: &Connection, hash: &str) -> Option<Vec<TimelineEntry>> {
        let id = TicketId::parse(TICKET_ID).expect("id");
        let [ticket, replies, changes] = statements(&id, hash);
        if rows(conn, &ticket).is_empty() {
            return None;
        }
        let replies = serde_json::from_value(Value::Array(rows(conn, &replies))).expect("replies");
        let changes = serde_json::from_value(Value::Array(rows(conn, &changes))).expect("changes");
        Some(merge(replies, changes))
    }

    #[test]
    fn requesters_see_public_replies_and_status_changes_in_order_and_nothing_internal() {
        let conn = desk();
        let entries = timeline(&conn, HASH).expect("the token opens the ticket");
        let seen: Vec<String> = entries
            .iter()
            .map(|entry| match entry {
                TimelineEntry::Reply(r) => format!("{:?}: {}", r.author, r.body),
                TimelineEntry::StatusChanged(c) => format!("{:?} -> {:?}", c.from, c.to),
            })
            .collect();
        assert_eq!(
            seen,
            [
                "None -> New",
                "Agent: We are on it.",
                "Some(New) -> Pending",
                "Requester: Thanks!",
                "Some(Pending) -> Open",
            ]
        );
        let json = serde_json::to_string(&entries).expect("json");
        // The note, the other events, and the comment events (replies carry their comment's id).
        for internal in [
            "VIP",
            "priority",
            "high",
            "first_response",
            "E2",
            "E3",
            "E5",
            "E6",
            "E7",
        ] {
            assert!(!json.contains(internal), "{internal} leaked: {json}");
        }
    }

    #[test]
    fn a_wrong_token_reads_nothing_at_all() {
        let conn = desk();
        assert!(timeline(&conn, "another-hash").is_none());
        let id = TicketId::parse(TICKET_ID).expect("id");
        for sql in statements(&id, "another-hash") {
            assert!(rows(&conn, &sql).is_empty(), "{}", sql.text);
        }
    }

    #[test]
    fn rows_the_desk_never_writes_are_left_out() {
        let reply = |author: &str| ReplyRow {
            id: "c".into(),
            author_kind: author.into(),
            body: "b".into(),
            created_at: "2026-05-04T10:00:00.000Z".into(),
        };
        let change = |to: Option<&str>| StatusRow {
            id: "e".into(),
            from_value: None,
            to_value: to.map(str::to_owned),
            created_at: "2026-05-04T10:00:00.000Z".into(),
        };
        let entries = merge(
            vec![reply("robot"), reply("agent")],
            vec![change(Some("archived")), change(None), change(Some("new"))],
        );
        assert_eq!(entries.len(), 2);
    }
}
