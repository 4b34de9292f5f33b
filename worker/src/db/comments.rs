//! Ticket comments: listing public replies (for requesters) or everything (for agents).
//! Comments are written together with their ticket change by `tickets::apply`.

use edgedesk_core::api::CommentView;
use serde::Deserialize;
use worker::D1Database;

use super::{StoreError, d1_error, statement};

/// D1 has no boolean type: `public` is stored as 0/1.
#[derive(Debug, Deserialize)]
struct CommentRow {
    id: String,
    author_kind: String,
    body: String,
    public: i64,
    created_at: String,
}

/// Comments of a ticket, oldest first. With `public_only`, internal notes are filtered in SQL,
/// so they never even leave the database for a requester.
pub async fn list(
    db: &D1Database,
    org_id: &str,
    ticket_id: &str,
    public_only: bool,
) -> Result<Vec<CommentView>, StoreError> {
    let sql = if public_only {
        "SELECT id, author_kind, body, public, created_at FROM ticket_comments \
         WHERE org_id = ?1 AND ticket_id = ?2 AND public = 1 ORDER BY id"
    } else {
        "SELECT id, author_kind, body, public, created_at FROM ticket_comments \
         WHERE org_id = ?1 AND ticket_id = ?2 ORDER BY id"
    };
    let rows = statement(db, sql, &[org_id.into(), ticket_id.into()])?
        .all()
        .await
        .and_then(|r| r.results::<CommentRow>())
        .map_err(d1_error("listing comments"))?;
    Ok(rows
        .into_iter()
        .map(|r| CommentView {
            id: r.id,
            author_kind: r.author_kind,
            body: r.body,
            public: r.public == 1,
            created_at: r.created_at,
        })
        .collect())
}
