//! API tokens: authentication by hash (a read), recording last use, issuing, listing and
//! revoking.

use edgedesk_core::api::{Role, TokenView};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

use super::{InOrder, Sql, StoreError, d1_error, statement};

/// The token a request authenticated with.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenOwner {
    pub id: String,
    pub org_id: String,
    /// The role it acts with: a person's token has at most its person's role.
    pub role: Role,
    /// The person it acts as; `None` for an integration's token.
    pub person_id: Option<String>,
    /// When it was last recorded as used (RFC 3339), if ever.
    pub last_used_at: Option<String>,
}

/// Finds the live token with this hash (a person's only while the person is active): a read
/// only, so an authenticated GET writes nothing (and could be served by a read replica).
pub async fn authenticate(
    db: &D1Database,
    token_hash: &str,
) -> Result<Option<TokenOwner>, StoreError> {
    statement(
        db,
        "SELECT t.id, t.org_id, t.person_id, t.last_used_at, \
         CASE WHEN t.role = 'admin' AND (p.role IS NULL OR p.role = 'admin') THEN 'admin' \
         ELSE 'agent' END AS role FROM api_tokens t \
         LEFT JOIN people p ON p.org_id = t.org_id AND p.id = t.person_id \
         WHERE t.token_hash = ?1 AND t.revoked_at IS NULL \
         AND (t.person_id IS NULL OR p.deactivated_at IS NULL)",
        &[token_hash.into()],
    )?
    .first::<TokenOwner>(None)
    .await
    .map_err(d1_error("authenticating a token"))
}

/// Records that token `id` of `org_id` was used at `now`; `auth` calls it at most once per
/// token every `auth::LAST_USE_RESOLUTION_MINUTES`, not on every request.
pub async fn record_use(
    db: &D1Database,
    org_id: &str,
    id: &str,
    now: &str,
) -> Result<(), StoreError> {
    statement(
        db,
        "UPDATE api_tokens SET last_used_at = ?3 WHERE org_id = ?1 AND id = ?2",
        &[org_id.into(), id.into(), now.into()],
    )?
    .run()
    .await
    .map_err(d1_error("recording a token's use"))?;
    Ok(())
}

const TOKEN_COLUMNS: &str =
    "id, name, role, person_id AS person, created_at, last_used_at, revoked_at";

/// A new token row for `org_id`; the secret's hash is all that is stored.
pub struct NewToken<'a> {
    pub id: &'a str,
    pub org_id: &'a str,
    /// The person it acts as; `None` for an integration's token.
    pub person_id: Option<&'a str>,
    pub name: &'a str,
    pub role: Role,
    pub token_hash: &'a str,
    pub now: &'a str,
}

fn insert_values(token: &NewToken<'_>) -> Vec<JsValue> {
    vec![
        token.id.into(),
        token.org_id.into(),
        token.name.into(),
        token.role.as_str().into(),
        token.token_hash.into(),
        token.now.into(),
        token.person_id.map_or(JsValue::NULL, JsValue::from),
    ]
}

const INSERT_TOKEN_INTO: &str =
    "INSERT INTO api_tokens (id, org_id, name, role, token_hash, created_at, person_id)";

/// A person's token may not have more than the person's role, and only an active person gets
/// one (`?2` org, `?4` role, `?7` person).
const PERSON_MAY_HOLD: &str = "(?7 IS NULL OR EXISTS (SELECT 1 FROM people WHERE org_id = ?2 \
     AND id = ?7 AND deactivated_at IS NULL AND (role = 'admin' OR ?4 = 'agent')))";

/// Stores a new token, and with it the answer to an idempotent create (`extra`), atomically.
/// `None` when its person is not an active person of the organisation with at least its role
/// (then nothing was written).
pub async fn create(
    db: &D1Database,
    token: &NewToken<'_>,
    extra: &[super::Sql],
) -> Result<Option<TokenView>, StoreError> {
    let statements = vec![statement(
        db,
        &format!(
            "{INSERT_TOKEN_INTO} SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE {PERSON_MAY_HOLD} \
             RETURNING {TOKEN_COLUMNS}"
        ),
        &insert_values(token),
    )?];
    let results =
        super::idempotency::batch_with_key(db, statements, extra, "creating a token").await?;
    Ok(results
        .first()
        .map(|r| r.results::<TokenView>())
        .transpose()
        .map_err(d1_error("reading the created token"))?
        .and_then(|rows| rows.into_iter().next()))
}

/// The organisation's tokens, newest first (secrets are never stored, so never listed).
pub async fn list(db: &D1Database, org_id: &str) -> Result<Vec<TokenView>, StoreError> {
    statement(
        db,
        &format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE org_id = ?1 ORDER BY id DESC"),
        &[org_id.into()],
    )?
    .all()
    .await
    .and_then(|r| r.results::<TokenView>())
    .map_err(d1_error("listing tokens"))
}

/// Revokes token `id` of `org_id`; `None` if there is no such live token.
pub async fn revoke(
    db: &D1Database,
    org_id: &str,
    id: &str,
    now: &str,
) -> Result<Option<TokenView>, StoreError> {
    statement(
        db,
        &format!(
            "UPDATE api_tokens SET revoked_at = ?3 WHERE org_id = ?1 AND id = ?2 AND revoked_at IS NULL \
             RETURNING {TOKEN_COLUMNS}"
        ),
        &[org_id.into(), id.into(), now.into()],
    )?
    .first::<TokenView>(None)
    .await
    .map_err(d1_error("revoking a token"))
}

/// A new organisation with its first admin token (and the admin person it belongs to, when
/// given), atomically. `false` if the slug is taken (then nothing was written: the other
/// inserts only run for the org this batch created).
pub async fn bootstrap_org(
    db: &D1Database,
    org: &super::orgs::NewOrg<'_>,
    admin: &NewToken<'_>,
    person: Option<&super::people::NewPerson<'_>>,
) -> Result<bool, StoreError> {
    // The organisation's id is new: it exists only if the batch's first insert made it.
    let person = person
        .map(|p| super::people::insert_person_sql(p, "1").prepare(db))
        .transpose()?;
    let mut statements = vec![statement(
        db,
        "INSERT INTO orgs (id, slug, name, ref_prefix, created_at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (slug) DO NOTHING RETURNING id",
        &[
            org.id.into(),
            org.slug.into(),
            org.name.into(),
            org.ref_prefix.into(),
            org.now.into(),
        ],
    )?];
    // The person goes before the token that belongs to them.
    statements.extend(person);
    statements.extend([
        statement(
            db,
            // The org id is new, so it exists only if the insert above did not hit a taken slug.
            &format!(
                "{INSERT_TOKEN_INTO} SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 \
                 WHERE EXISTS (SELECT 1 FROM orgs WHERE id = ?2)"
            ),
            &insert_values(admin),
        )?,
        // Every organisation starts with a round-the-clock business calendar.
        super::sla::insert_default_calendar(db, org.id, org.now)?,
    ]);
    let results = db
        .batch(statements)
        .await
        .map_err(d1_error("bootstrapping an organisation"))?;
    // The organisation's insert comes first and returns it only if its slug was free.
    let created = InOrder::new(results, "reading the bootstrapped organisation")
        .rows::<serde_json::Value>()?;
    Ok(!created.is_empty())
}

/// Looks up person `id` of `org_id` as a possible ticket assignee: an active agent or admin.
/// Batched with the ticket's load; read its result with [`is_assignable`].
pub(crate) fn assignable_sql(org_id: &str, id: &str) -> Sql {
    Sql::new(
        "SELECT id FROM people WHERE org_id = ?1 AND id = ?2 AND deactivated_at IS NULL",
        vec![org_id.into(), id.into()],
    )
}

/// Whether [`assignable_sql`] found the token.
pub(crate) fn is_assignable(result: &worker::D1Result) -> Result<bool, StoreError> {
    Ok(!result
        .results::<serde_json::Value>()
        .map_err(d1_error("reading an assignee"))?
        .is_empty())
}
