//! Rate limits of the anonymous routes that write: fixed-window request counters per client
//! address, bumped in the same batch as the request's first D1 statement, so limiting costs
//! no extra round trip and is exact where it must be. API tokens are limited without D1 (the
//! Workers Rate Limiting binding, `auth`), so their reads write nothing.

use serde::Deserialize;
use serde_json::{Value, json};

use super::Sql;

/// Who is counted, and through what their organisation is found (only existing callers are
/// counted: an unknown organisation, token or ticket writes nothing).
#[derive(Clone, Copy)]
pub enum Caller<'a> {
    /// A client address on an organisation's public routes.
    AddressAtOrg { ip: &'a str, org_slug: &'a str },
    /// A client address replying through a ticket's tracking token.
    AddressAtTicket {
        ip: &'a str,
        ticket_id: &'a str,
        token_hash: &'a str,
    },
}

/// The caller's hits in the current window after this request (`RETURNING`).
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Hits {
    pub hits: i64,
    pub window_start: i64,
}

/// Counts one request of `caller` in the window starting at `window_start` (unix seconds):
/// a new window starts again at 1.
pub fn bump_sql(caller: Caller<'_>, window_start: i64) -> Sql {
    let mut params: Vec<Value> = Vec::new();
    let mut bind = |v: Value| {
        params.push(v);
        format!("?{}", params.len())
    };
    let (source, subject) = match caller {
        Caller::AddressAtOrg { ip, org_slug } => (
            format!(
                "SELECT id AS org, {} AS subject FROM orgs WHERE slug = {}",
                bind(json!(format!("ip:{ip}"))),
                bind(json!(org_slug))
            ),
            "subject".to_owned(),
        ),
        Caller::AddressAtTicket {
            ip,
            ticket_id,
            token_hash,
        } => (
            format!(
                "SELECT org_id AS org, {} AS subject FROM tickets \
                 WHERE id = {} AND tracking_token_hash = {}",
                bind(json!(format!("ip:{ip}"))),
                bind(json!(ticket_id)),
                bind(json!(token_hash))
            ),
            "subject".to_owned(),
        ),
    };
    let window = bind(json!(window_start));
    Sql::new(
        format!(
            "INSERT INTO rate_limits (org_id, subject, window_start, hits) \
             SELECT s.org, s.{subject}, {window}, 1 FROM ({source}) s WHERE 1 \
             ON CONFLICT (org_id, subject) DO UPDATE SET \
             hits = CASE WHEN window_start = excluded.window_start THEN hits + 1 ELSE 1 END, \
             window_start = excluded.window_start \
             RETURNING hits, window_start"
        ),
        params,
    )
}

/// Counters of windows that ended before `window_start`, at most `limit` per call (cron).
/// Deployment-wide by design, through the window index.
pub fn delete_stale_sql(window_start: i64, limit: u32) -> Sql {
    Sql::new(
        "DELETE FROM rate_limits WHERE (org_id, subject) IN \
         (SELECT org_id, subject FROM rate_limits WHERE window_start < ?1 LIMIT ?2)",
        vec![json!(window_start), json!(limit)],
    )
}
