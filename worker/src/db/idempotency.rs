//! Idempotency keys: finding a key's stored answer, and the statements a create adds to its
//! own batch to store one (so a create and its key are written together or not at all).

use serde::Deserialize;
use serde_json::{Value, json};
use worker::D1Database;

use super::{Sql, StoreError, d1_error};

/// The organisation a key belongs to: by id (agents), by slug (a requester's new request) or
/// through a requester's ticket (a reply).
#[derive(Clone, Copy)]
pub enum KeyOrg<'a> {
    Id(&'a str),
    Slug(&'a str),
    Ticket { id: &'a str, token_hash: &'a str },
}

impl KeyOrg<'_> {
    /// An SQL expression for the organisation's id; pushes its parameters.
    fn expr(self, params: &mut Vec<Value>) -> String {
        let mut bind = |v: &str| {
            params.push(json!(v));
            format!("?{}", params.len())
        };
        match self {
            Self::Id(id) => bind(id),
            Self::Slug(slug) => format!("(SELECT id FROM orgs WHERE slug = {})", bind(slug)),
            Self::Ticket { id, token_hash } => {
                let id = bind(id);
                let hash = bind(token_hash);
                format!(
                    "(SELECT org_id FROM tickets WHERE id = {id} AND tracking_token_hash = {hash})"
                )
            }
        }
    }
}

/// A key's identity: organisation, whose key (scope) and the key's hash.
#[derive(Clone, Copy)]
pub struct KeyRef<'a> {
    pub org: KeyOrg<'a>,
    pub scope: &'a str,
    pub key_hash: &'a str,
}

/// What is stored for a key: the request it was used with and the answer to replay.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredAnswer {
    pub request_hash: String,
    pub status: u16,
    /// `None`: the create happened but its answer was not stored (read the resource again).
    pub body: Option<String>,
    pub headers: String,
    pub sealed: Option<String>,
}

/// The live (unexpired) answer stored for `key`, as a statement to batch with other reads.
pub fn find_sql(key: KeyRef<'_>, now: &str) -> Sql {
    let mut params = Vec::new();
    let org = key.org.expr(&mut params);
    params.extend([json!(key.scope), json!(key.key_hash), json!(now)]);
    let n = params.len();
    Sql::new(
        format!(
            "SELECT request_hash, status, body, headers, sealed FROM idempotency_keys \
             WHERE org_id = {org} AND scope = ?{} AND key_hash = ?{} AND expires_at > ?{n}",
            n - 2,
            n - 1
        ),
        params,
    )
}

/// [`find_sql`] on its own: one round trip.
pub async fn find(
    db: &D1Database,
    key: KeyRef<'_>,
    now: &str,
) -> Result<Option<StoredAnswer>, StoreError> {
    find_sql(key, now)
        .prepare(db)?
        .first::<StoredAnswer>(None)
        .await
        .map_err(d1_error("reading an idempotency key"))
}

/// How the stored body is made.
pub enum StoredBody {
    /// JSON known before the batch runs.
    Json(String),
    /// A requester's new ticket: `{id, reference, status, created_at}` read from the row the
    /// batch inserts (its reference is numbered inside the batch).
    NewTicket { id: String, created_at: String },
    /// Stored after the batch ([`store_body`]); until then a replay reads the resource again.
    Later,
}

/// When the key row may be written: always, or only if the ticket change it belongs to
/// happened (see `tickets::IF_CHANGED`).
pub enum Guard<'a> {
    Always,
    TicketChanged {
        org_id: &'a str,
        ticket_id: &'a str,
        change_id: &'a str,
    },
}

/// One answer to store for a key.
pub struct NewAnswer<'a> {
    pub key: KeyRef<'a>,
    pub request_hash: &'a str,
    pub status: u16,
    pub body: StoredBody,
    /// Headers to replay, as a JSON object.
    pub headers: Value,
    /// The secret field of the answer, already sealed with the key.
    pub sealed: Option<String>,
    pub now: &'a str,
    pub expires_at: &'a str,
}

/// The statements a create adds to its batch: an expired row for the same key is removed,
/// then the key is inserted. A live row for the key makes the insert (and so the whole batch,
/// the create included) fail: two concurrent first uses of a key create once.
pub fn store_sql(answer: &NewAnswer<'_>, guard: &Guard<'_>) -> [Sql; 2] {
    let delete = {
        let mut params = Vec::new();
        let org = answer.key.org.expr(&mut params);
        params.extend([
            json!(answer.key.scope),
            json!(answer.key.key_hash),
            json!(answer.now),
        ]);
        let n = params.len();
        Sql::new(
            format!(
                "DELETE FROM idempotency_keys WHERE org_id = {org} AND scope = ?{} \
                 AND key_hash = ?{} AND expires_at <= ?{n}",
                n - 2,
                n - 1
            ),
            params,
        )
    };
    let mut params = Vec::new();
    let org = answer.key.org.expr(&mut params);
    let mut bind = |v: Value| {
        params.push(v);
        format!("?{}", params.len())
    };
    let scope = bind(json!(answer.key.scope));
    let key_hash = bind(json!(answer.key.key_hash));
    let now = bind(json!(answer.now));
    let request_hash = bind(json!(answer.request_hash));
    let status = bind(json!(answer.status));
    let headers = bind(json!(answer.headers.to_string()));
    let sealed = bind(answer.sealed.clone().map_or(Value::Null, Value::String));
    let expires = bind(json!(answer.expires_at));
    let body = match &answer.body {
        StoredBody::Json(text) => bind(json!(text)),
        StoredBody::NewTicket { id, created_at } => {
            let id = bind(json!(id));
            let created = bind(json!(created_at));
            format!(
                "(SELECT json_object('id', t.id, 'reference', t.reference, 'status', t.status, \
                 'created_at', {created}) FROM tickets t WHERE t.id = {id})"
            )
        }
        StoredBody::Later => "NULL".to_owned(),
    };
    let guard = match guard {
        Guard::Always => "1".to_owned(),
        Guard::TicketChanged {
            org_id,
            ticket_id,
            change_id,
        } => format!(
            "EXISTS (SELECT 1 FROM tickets WHERE org_id = {} AND id = {} AND change_id = {})",
            bind(json!(org_id)),
            bind(json!(ticket_id)),
            bind(json!(change_id))
        ),
    };
    let insert = Sql::new(
        format!(
            "INSERT INTO idempotency_keys (org_id, scope, key_hash, request_hash, status, body, \
             headers, sealed, created_at, expires_at) \
             SELECT {org}, {scope}, {key_hash}, {request_hash}, {status}, {body}, {headers}, \
             {sealed}, {now}, {expires} WHERE {org} IS NOT NULL AND {guard}"
        ),
        params,
    );
    [delete, insert]
}

/// Stores the answer of a create whose body was [`StoredBody::Later`].
pub async fn store_body(db: &D1Database, key: KeyRef<'_>, body: &str) -> Result<(), StoreError> {
    let mut params = Vec::new();
    let org = key.org.expr(&mut params);
    params.extend([json!(key.scope), json!(key.key_hash), json!(body)]);
    let n = params.len();
    Sql::new(
        format!(
            "UPDATE idempotency_keys SET body = ?{n} WHERE org_id = {org} AND scope = ?{} \
             AND key_hash = ?{}",
            n - 2,
            n - 1
        ),
        params,
    )
    .prepare(db)?
    .run()
    .await
    .map_err(d1_error("storing an idempotent answer"))?;
    Ok(())
}

/// Whether a failed batch failed on an idempotency key that is already in use: a concurrent
/// request with the same key won the race.
pub fn is_key_taken(error: &worker::Error) -> bool {
    super::constraint(error).is_some_and(|c| c.is_unique_on("idempotency_keys", "key_hash"))
}

/// Runs `statements` and then the idempotency key's `extra` statements as one atomic batch,
/// which does `context`. A key that a concurrent request with the same key took meanwhile is
/// [`StoreError::KeyInFlight`]; other constraints come back named for the caller to judge.
pub(crate) async fn batch_with_key(
    db: &worker::D1Database,
    mut statements: Vec<worker::D1PreparedStatement>,
    extra: &[Sql],
    context: &'static str,
) -> Result<Vec<worker::D1Result>, StoreError> {
    for sql in extra {
        statements.push(sql.prepare(db)?);
    }
    match db.batch(statements).await {
        Ok(results) => Ok(results),
        Err(error) if is_key_taken(&error) => Err(StoreError::KeyInFlight),
        Err(error) => Err(StoreError::d1(context, &error)),
    }
}

/// Expired keys, oldest first, at most `limit` per call (the cron calls it every minute).
/// Deployment-wide by design, through the expiry index.
pub fn delete_expired_sql(now: &str, limit: u32) -> Sql {
    Sql::new(
        "DELETE FROM idempotency_keys WHERE (org_id, scope, key_hash) IN \
         (SELECT org_id, scope, key_hash FROM idempotency_keys WHERE expires_at <= ?1 \
          ORDER BY expires_at LIMIT ?2)",
        vec![json!(now), json!(limit)],
    )
}
