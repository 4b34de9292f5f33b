//! People of an organisation, their invitations, one-time sign-in links and signed-in
//! sessions.

use edgedesk_core::api::Role;
use edgedesk_core::people::{
    InvitationStatus, InvitationView, PersonChange, PersonView, SessionView, SignInMethod,
};
use serde::Deserialize;
use serde_json::{Value, json};
use worker::D1Database;

use super::{InOrder, Sql, StoreError, run_batch};

/// A person's columns as [`PersonRow`] reads them (`p` is the people table).
const PERSON_COLUMNS: &str = "p.id, p.name, p.email, p.role, p.locale, p.time_zone, p.languages, \
     p.capacity, p.away, p.deactivated_at, p.created_at, p.updated_at";

#[derive(Deserialize)]
struct PersonRow {
    id: String,
    name: String,
    email: String,
    role: Role,
    locale: String,
    time_zone: String,
    languages: String,
    capacity: u32,
    away: u8,
    deactivated_at: Option<String>,
    created_at: String,
    updated_at: String,
}

impl PersonRow {
    fn view(self) -> Result<PersonView, StoreError> {
        Ok(PersonView {
            languages: super::from_json(&self.languages)?,
            active: self.deactivated_at.is_none(),
            id: self.id,
            name: self.name,
            email: self.email,
            role: self.role,
            locale: self.locale,
            time_zone: self.time_zone,
            capacity: self.capacity,
            away: self.away != 0,
            deactivated_at: self.deactivated_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

fn views(rows: Vec<PersonRow>) -> Result<Vec<PersonView>, StoreError> {
    rows.into_iter().map(PersonRow::view).collect()
}

/// The organisation's people, by name.
pub async fn list(db: &D1Database, org_id: &str) -> Result<Vec<PersonView>, StoreError> {
    let sql = Sql::new(
        format!("SELECT {PERSON_COLUMNS} FROM people p WHERE p.org_id = ?1 ORDER BY p.name, p.id"),
        vec![json!(org_id)],
    );
    let results = run_batch(db, &[sql], "listing people").await?;
    views(InOrder::new(results, "listing people").rows()?)
}

fn get_sql(org_id: &str, id: &str) -> Sql {
    Sql::new(
        format!("SELECT {PERSON_COLUMNS} FROM people p WHERE p.org_id = ?1 AND p.id = ?2"),
        vec![json!(org_id), json!(id)],
    )
}

/// Person `id` of `org_id`.
pub async fn get(
    db: &D1Database,
    org_id: &str,
    id: &str,
) -> Result<Option<PersonView>, StoreError> {
    let results = run_batch(db, &[get_sql(org_id, id)], "reading a person").await?;
    InOrder::new(results, "reading a person")
        .first::<PersonRow>()?
        .map(PersonRow::view)
        .transpose()
}

/// The organisation's slug and, when given, person `person_id` of it.
pub async fn org_and_person(
    db: &D1Database,
    org_id: &str,
    person_id: Option<&str>,
) -> Result<(String, Option<PersonView>), StoreError> {
    let batch = [
        Sql::new("SELECT slug FROM orgs WHERE id = ?1", vec![json!(org_id)]),
        get_sql(org_id, person_id.unwrap_or_default()),
    ];
    let results = run_batch(db, &batch, "reading who is calling").await?;
    let mut results = InOrder::new(results, "reading who is calling");
    #[derive(Deserialize)]
    struct Slug {
        slug: String,
    }
    let org = results
        .first::<Slug>()?
        .ok_or_else(|| StoreError::broken("a caller's organisation is gone"))?;
    let person = results
        .first::<PersonRow>()?
        .map(PersonRow::view)
        .transpose()?;
    Ok((org.slug, person))
}

/// What a change to a person came to.
#[derive(Debug)]
pub enum PatchOutcome {
    Changed(Box<PersonView>),
    NotFound,
    /// It would leave the organisation without an active admin: nothing changed.
    LastAdmin,
    /// Another person of the organisation has the address: nothing changed.
    EmailTaken,
}

/// The change's statements: the update (guarded so the last active admin stays one), ending a
/// deactivated person's sessions, and whether the person exists. Atomic in one batch.
pub(crate) fn patch_sql(org_id: &str, id: &str, change: &PersonChange, now: &str) -> Vec<Sql> {
    let email = change.email.as_ref();
    // Only a change that could remove an admin needs another active admin to remain.
    let guard = if change.may_remove_an_admin() {
        "AND (p.role <> 'admin' OR p.deactivated_at IS NOT NULL OR EXISTS (SELECT 1 FROM people o \
         WHERE o.org_id = ?1 AND o.id <> ?2 AND o.role = 'admin' AND o.deactivated_at IS NULL))"
    } else {
        ""
    };
    // Stored as JSON text; a list of strings always serialises.
    let languages = change
        .languages
        .as_ref()
        .map(|l| Value::String(json!(l).to_string()));
    let params = vec![
        json!(org_id),
        json!(id),
        json!(change.name),
        json!(email.map(|e| e.as_str())),
        json!(email.map(edgedesk_core::people::email_key)),
        json!(change.role.map(Role::as_str)),
        json!(change.locale.map(|l| l.code())),
        json!(change.time_zone),
        languages.unwrap_or(Value::Null),
        json!(change.capacity),
        json!(change.away.map(i32::from)),
        json!(change.active.map(i32::from)),
        json!(now),
    ];
    vec![
        Sql::new(
            format!(
                "UPDATE people AS p SET name = COALESCE(?3, name), email = COALESCE(?4, email), \
                 email_key = COALESCE(?5, email_key), role = COALESCE(?6, role), \
                 locale = COALESCE(?7, locale), time_zone = COALESCE(?8, time_zone), \
                 languages = COALESCE(?9, languages), capacity = COALESCE(?10, capacity), \
                 away = COALESCE(?11, away), \
                 deactivated_at = CASE ?12 WHEN 0 THEN COALESCE(deactivated_at, ?13) \
                   WHEN 1 THEN NULL ELSE deactivated_at END, \
                 updated_at = ?13 \
                 WHERE p.org_id = ?1 AND p.id = ?2 {guard} RETURNING {}",
                PERSON_COLUMNS.replace("p.", "")
            ),
            params,
        ),
        Sql::new(
            "UPDATE person_sessions SET ended_at = ?3 WHERE org_id = ?1 AND person_id = ?2 \
             AND ended_at IS NULL AND EXISTS (SELECT 1 FROM people WHERE org_id = ?1 AND id = ?2 \
             AND deactivated_at IS NOT NULL)",
            vec![json!(org_id), json!(id), json!(now)],
        ),
        Sql::new(
            "SELECT 1 AS found FROM people WHERE org_id = ?1 AND id = ?2",
            vec![json!(org_id), json!(id)],
        ),
    ]
}

/// Changes person `id` of `org_id`.
pub async fn patch(
    db: &D1Database,
    org_id: &str,
    id: &str,
    change: &PersonChange,
    now: &str,
) -> Result<PatchOutcome, StoreError> {
    let results =
        match run_batch(db, &patch_sql(org_id, id, change, now), "changing a person").await {
            Ok(results) => results,
            Err(error)
                if error
                    .constraint()
                    .is_some_and(|c| c.is_unique_on("people", "email_key")) =>
            {
                return Ok(PatchOutcome::EmailTaken);
            }
            Err(error) => return Err(error),
        };
    let mut results = InOrder::new(results, "changing a person");
    let changed = results.first::<PersonRow>()?;
    results.skip(1)?;
    let exists = results.first::<Value>()?.is_some();
    Ok(match changed {
        Some(row) => PatchOutcome::Changed(Box::new(row.view()?)),
        None if exists => PatchOutcome::LastAdmin,
        None => PatchOutcome::NotFound,
    })
}

/// A new person an invitation makes, or the first admin of a new organisation.
pub struct NewPerson<'a> {
    pub id: &'a str,
    pub org_id: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub email_key: &'a str,
    pub role: Role,
    pub now: &'a str,
}

/// Inserts `person` when `only_if` (SQL over `?1` org id) holds; the organisation's locale and
/// time zone are theirs to start with.
pub(crate) fn insert_person_sql(person: &NewPerson<'_>, only_if: &str) -> Sql {
    Sql::new(
        format!(
            "INSERT INTO people (id, org_id, name, role, retired_key, created_at, email, \
             email_key, locale, time_zone, updated_at) \
             SELECT ?2, ?1, ?3, ?4, 'person:' || ?2, ?7, ?5, ?6, o.default_locale, o.time_zone, ?7 \
             FROM orgs o WHERE o.id = ?1 AND {only_if}"
        ),
        vec![
            json!(person.org_id),
            json!(person.id),
            json!(person.name),
            json!(person.role.as_str()),
            json!(person.email),
            json!(person.email_key),
            json!(person.now),
        ],
    )
}

/// Adds `person` unless a person of the organisation has the address (then `None`).
pub async fn create(
    db: &D1Database,
    person: &NewPerson<'_>,
) -> Result<Option<PersonView>, StoreError> {
    let batch = [
        insert_person_sql(
            person,
            "NOT EXISTS (SELECT 1 FROM people WHERE org_id = ?1 AND email_key = ?6)",
        ),
        get_sql(person.org_id, person.id),
    ];
    let results = run_batch(db, &batch, "adding a person").await?;
    let mut results = InOrder::new(results, "adding a person");
    results.skip(1)?;
    results
        .first::<PersonRow>()?
        .map(PersonRow::view)
        .transpose()
}

/// The columns of an invitation as [`InvitationRow`] reads them; `?now` decides "expired".
fn invitation_columns(now_param: &str) -> String {
    format!(
        "id, email, name, role, created_at, expires_at, person_id AS person, \
         CASE WHEN accepted_at IS NOT NULL THEN 'accepted' WHEN revoked_at IS NOT NULL \
         THEN 'revoked' WHEN expires_at <= {now_param} THEN 'expired' ELSE 'pending' END AS status"
    )
}

#[derive(Deserialize)]
struct InvitationRow {
    id: String,
    email: String,
    name: String,
    role: Role,
    created_at: String,
    expires_at: String,
    person: Option<String>,
    status: InvitationStatus,
}

impl From<InvitationRow> for InvitationView {
    fn from(row: InvitationRow) -> Self {
        Self {
            id: row.id,
            email: row.email,
            name: row.name,
            role: row.role,
            status: row.status,
            created_at: row.created_at,
            expires_at: row.expires_at,
            person: row.person,
        }
    }
}

/// A new invitation: only its secret's hash is stored.
pub struct NewInvitation<'a> {
    pub id: &'a str,
    pub org_id: &'a str,
    pub email: &'a str,
    pub email_key: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub secret_hash: &'a str,
    pub created_by: &'a str,
    pub now: &'a str,
    pub expires_at: &'a str,
}

/// Stores an invitation unless a person of the organisation has its address (then `None`).
pub async fn invite(
    db: &D1Database,
    invitation: &NewInvitation<'_>,
) -> Result<Option<InvitationView>, StoreError> {
    let sql = Sql::new(
        format!(
            "INSERT INTO invitations (id, org_id, email, email_key, name, role, secret_hash, \
             created_by, created_at, expires_at) \
             SELECT ?2, ?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE NOT EXISTS (SELECT 1 FROM people \
             WHERE org_id = ?1 AND email_key = ?4) RETURNING {}",
            invitation_columns("?9")
        ),
        vec![
            json!(invitation.org_id),
            json!(invitation.id),
            json!(invitation.email),
            json!(invitation.email_key),
            json!(invitation.name),
            json!(invitation.role.as_str()),
            json!(invitation.secret_hash),
            json!(invitation.created_by),
            json!(invitation.now),
            json!(invitation.expires_at),
        ],
    );
    let results = run_batch(db, &[sql], "inviting a person").await?;
    Ok(InOrder::new(results, "inviting a person")
        .first::<InvitationRow>()?
        .map(InvitationView::from))
}

/// The organisation's invitations, newest first.
pub async fn invitations(
    db: &D1Database,
    org_id: &str,
    now: &str,
) -> Result<Vec<InvitationView>, StoreError> {
    let sql = Sql::new(
        format!(
            "SELECT {} FROM invitations WHERE org_id = ?1 ORDER BY id DESC",
            invitation_columns("?2")
        ),
        vec![json!(org_id), json!(now)],
    );
    let results = run_batch(db, &[sql], "listing invitations").await?;
    Ok(InOrder::new(results, "listing invitations")
        .rows::<InvitationRow>()?
        .into_iter()
        .map(InvitationView::from)
        .collect())
}

/// Revokes a pending invitation; `None` if there is no such pending one.
pub async fn revoke_invitation(
    db: &D1Database,
    org_id: &str,
    id: &str,
    now: &str,
) -> Result<Option<InvitationView>, StoreError> {
    let sql = Sql::new(
        format!(
            "UPDATE invitations SET revoked_at = ?3 WHERE org_id = ?1 AND id = ?2 \
             AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?3 RETURNING {}",
            invitation_columns("?3")
        ),
        vec![json!(org_id), json!(id), json!(now)],
    );
    let results = run_batch(db, &[sql], "revoking an invitation").await?;
    Ok(InOrder::new(results, "revoking an invitation")
        .first::<InvitationRow>()?
        .map(InvitationView::from))
}

/// A one-time sign-in link for a person.
pub struct NewLink<'a> {
    pub id: &'a str,
    pub org_id: &'a str,
    pub person_id: &'a str,
    pub secret_hash: &'a str,
    pub created_by: &'a str,
    pub now: &'a str,
    pub expires_at: &'a str,
}

/// Stores a sign-in link for an active person of the organisation; `false` if there is none.
pub async fn create_link(db: &D1Database, link: &NewLink<'_>) -> Result<bool, StoreError> {
    let sql = Sql::new(
        "INSERT INTO sign_in_links (id, org_id, person_id, secret_hash, created_by, created_at, \
         expires_at) SELECT ?2, ?1, ?3, ?4, ?5, ?6, ?7 WHERE EXISTS (SELECT 1 FROM people \
         WHERE org_id = ?1 AND id = ?3 AND deactivated_at IS NULL) RETURNING id",
        vec![
            json!(link.org_id),
            json!(link.id),
            json!(link.person_id),
            json!(link.secret_hash),
            json!(link.created_by),
            json!(link.now),
            json!(link.expires_at),
        ],
    );
    let results = run_batch(db, &[sql], "making a sign-in link").await?;
    Ok(InOrder::new(results, "making a sign-in link")
        .first::<Value>()?
        .is_some())
}

/// A session about to be opened: only its secret's hash is stored.
pub struct NewSession<'a> {
    pub id: &'a str,
    pub secret_hash: &'a str,
    pub method: SignInMethod,
    pub user_agent: &'a str,
    pub now: &'a str,
    pub expires_at: &'a str,
}

fn method_str(method: SignInMethod) -> &'static str {
    match method {
        SignInMethod::Link => "link",
        SignInMethod::Passkey => "passkey",
        SignInMethod::Invitation => "invitation",
    }
}

/// Opens `session` for the person `source` names (SQL yielding `org_id, person_id` rows;
/// nothing is opened when it yields none).
pub(crate) fn open_session_sql(session: &NewSession<'_>, source: &str, params: &[Value]) -> Sql {
    let mut all = vec![
        json!(session.id),
        json!(session.secret_hash),
        json!(method_str(session.method)),
        json!(session.user_agent),
        json!(session.now),
        json!(session.expires_at),
    ];
    all.extend_from_slice(params);
    Sql::new(
        format!(
            "INSERT INTO person_sessions (id, org_id, person_id, secret_hash, method, user_agent, \
             created_at, seen_at, expires_at) \
             SELECT ?1, s.org_id, s.person_id, ?2, ?3, ?4, ?5, ?5, ?6 FROM ({source}) s \
             RETURNING person_id"
        ),
        all,
    )
}

/// Who a session was opened for.
#[derive(Debug, Clone, Deserialize)]
pub struct SignedIn {
    pub person_id: String,
}

/// Uses the sign-in link with hash `link_hash` (once: it must be unused, unexpired and its
/// person active) and opens `session` with it, in one atomic batch. `None`: nothing happened.
pub async fn sign_in_with_link(
    db: &D1Database,
    link_hash: &str,
    session: &NewSession<'_>,
) -> Result<Option<SignedIn>, StoreError> {
    let results = run_batch(
        db,
        &link_sign_in_sql(link_hash, session),
        "signing in with a link",
    )
    .await?;
    let mut results = InOrder::new(results, "signing in with a link");
    results.skip(1)?;
    results.first::<SignedIn>()
}

/// The link's use and the session it opens, for one atomic batch.
pub(crate) fn link_sign_in_sql(link_hash: &str, session: &NewSession<'_>) -> [Sql; 2] {
    [
        Sql::new(
            "UPDATE sign_in_links AS l SET used_at = ?2, session_id = ?3 WHERE secret_hash = ?1 \
             AND used_at IS NULL AND expires_at > ?2 AND EXISTS (SELECT 1 FROM people p \
             WHERE p.org_id = l.org_id AND p.id = l.person_id AND p.deactivated_at IS NULL)",
            vec![json!(link_hash), json!(session.now), json!(session.id)],
        ),
        // Exactly the use above: a link used before has another session's id.
        open_session_sql(
            session,
            "SELECT org_id, person_id FROM sign_in_links WHERE session_id = ?1 AND used_at = ?5",
            &[],
        ),
    ]
}

/// Idle sessions end after this long without use.
pub const SESSION_IDLE_HOURS: i64 = 12;
/// Every session ends this long after sign-in.
pub const SESSION_DAYS: i64 = 7;

/// The live session with this secret hash, its person active.
#[derive(Debug, Clone, Deserialize)]
pub struct SessionOwner {
    pub id: String,
    pub org_id: String,
    pub person_id: String,
    pub role: Role,
    pub seen_at: String,
}

/// Finds the live session with hash `secret_hash` at `now` (used since `idle_since`): a read
/// only, like a token's.
pub async fn authenticate_session(
    db: &D1Database,
    secret_hash: &str,
    now: &str,
    idle_since: &str,
) -> Result<Option<SessionOwner>, StoreError> {
    let sql = Sql::new(
        "SELECT s.id, s.org_id, s.person_id, p.role, s.seen_at FROM person_sessions s \
         JOIN people p ON p.org_id = s.org_id AND p.id = s.person_id \
         WHERE s.secret_hash = ?1 AND s.ended_at IS NULL AND s.expires_at > ?2 \
         AND s.seen_at > ?3 AND p.deactivated_at IS NULL",
        vec![json!(secret_hash), json!(now), json!(idle_since)],
    );
    let results = run_batch(db, &[sql], "authenticating a session").await?;
    InOrder::new(results, "authenticating a session").first::<SessionOwner>()
}

/// Records that session `id` was used at `now` (at most every ten minutes: see `auth`).
pub async fn touch_session(
    db: &D1Database,
    org_id: &str,
    id: &str,
    now: &str,
) -> Result<(), StoreError> {
    let sql = Sql::new(
        "UPDATE person_sessions SET seen_at = ?3 WHERE org_id = ?1 AND id = ?2",
        vec![json!(org_id), json!(id), json!(now)],
    );
    run_batch(db, &[sql], "recording a session's use").await?;
    Ok(())
}

#[derive(Deserialize)]
struct SessionRow {
    id: String,
    method: SignInMethod,
    user_agent: String,
    created_at: String,
    seen_at: String,
    expires_at: String,
}

/// A person's live sessions, newest first; `current` is the caller's own.
pub async fn sessions(
    db: &D1Database,
    org_id: &str,
    person_id: &str,
    now: &str,
    idle_since: &str,
    current: Option<&str>,
) -> Result<Vec<SessionView>, StoreError> {
    let sql = Sql::new(
        "SELECT id, method, user_agent, created_at, seen_at, expires_at FROM person_sessions \
         WHERE org_id = ?1 AND person_id = ?2 AND ended_at IS NULL AND expires_at > ?3 \
         AND seen_at > ?4 ORDER BY id DESC",
        vec![
            json!(org_id),
            json!(person_id),
            json!(now),
            json!(idle_since),
        ],
    );
    let results = run_batch(db, &[sql], "listing sessions").await?;
    Ok(InOrder::new(results, "listing sessions")
        .rows::<SessionRow>()?
        .into_iter()
        .map(|row| SessionView {
            current: current == Some(row.id.as_str()),
            id: row.id,
            method: row.method,
            user_agent: row.user_agent,
            created_at: row.created_at,
            seen_at: row.seen_at,
            expires_at: row.expires_at,
        })
        .collect())
}

/// Ends session `id` of the person; `false` if they have no such live session.
pub async fn end_session(
    db: &D1Database,
    org_id: &str,
    person_id: &str,
    id: &str,
    now: &str,
) -> Result<bool, StoreError> {
    let sql = Sql::new(
        "UPDATE person_sessions SET ended_at = ?4 WHERE org_id = ?1 AND person_id = ?2 \
         AND id = ?3 AND ended_at IS NULL RETURNING id",
        vec![json!(org_id), json!(person_id), json!(id), json!(now)],
    );
    let results = run_batch(db, &[sql], "ending a session").await?;
    Ok(InOrder::new(results, "ending a session")
        .first::<Value>()?
        .is_some())
}
