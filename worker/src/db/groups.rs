//! Agent groups and their members: admin CRUD, and the checks a ticket change batches with its
//! read (does the group exist, is the assignee in it).

use edgedesk_core::group::{GroupMember, GroupSpec, GroupView};
use serde::Deserialize;
use serde_json::json;
use worker::D1Database;

use super::{InOrder, StoreError};
use super::{Sql, d1_error};
use edgedesk_core::ValidationErrors;

/// A group row with its members as JSON (one query, no N+1), ordered by member name.
const GROUP_SELECT: &str = "SELECT g.slug, g.name, g.description, g.created_at, g.updated_at, \
     (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'role', t.role, \
       'revoked', CASE WHEN t.deactivated_at IS NULL THEN json('false') ELSE json('true') END)) \
      FROM (SELECT t.id, t.name, t.role, t.deactivated_at FROM agent_group_members m \
            JOIN people t ON t.org_id = m.org_id AND t.id = m.person_id \
            WHERE m.org_id = g.org_id AND m.group_slug = g.slug ORDER BY t.name, t.id) t \
     ) AS members FROM agent_groups g";

#[derive(Deserialize)]
pub(crate) struct GroupRow {
    slug: String,
    name: String,
    description: String,
    created_at: String,
    updated_at: String,
    members: String,
}

impl GroupRow {
    pub(crate) fn view(self) -> Result<GroupView, StoreError> {
        Ok(GroupView {
            slug: self.slug,
            name: self.name,
            description: self.description,
            members: super::from_json::<Vec<GroupMember>>(&self.members)?,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// Nothing references the group: no ticket, catalog item or SLA escalation names it
/// (`?1` org id, `?2` slug).
const UNREFERENCED: &str = "NOT EXISTS (SELECT 1 FROM tickets WHERE org_id = ?1 AND group_name = ?2) \
     AND NOT EXISTS (SELECT 1 FROM catalog_items WHERE org_id = ?1 AND default_group = ?2) \
     AND NOT EXISTS (SELECT 1 FROM sla_policies p, json_tree(p.definition) j \
                     WHERE p.org_id = ?1 AND j.key = 'group' AND j.value = ?2)";

pub(crate) fn list_sql(org_id: &str) -> Sql {
    Sql::new(
        format!("{GROUP_SELECT} WHERE g.org_id = ?1 ORDER BY g.name, g.slug"),
        vec![json!(org_id)],
    )
}

pub(crate) fn get_sql(org_id: &str, slug: &str) -> Sql {
    Sql::new(
        format!("{GROUP_SELECT} WHERE g.org_id = ?1 AND g.slug = ?2"),
        vec![json!(org_id), json!(slug)],
    )
}

/// The ids among `members` that are not active people of `org_id`.
pub(crate) fn unknown_members_sql(org_id: &str, members: &[String]) -> Sql {
    Sql::new(
        "SELECT j.value AS id FROM json_each(?2) j WHERE NOT EXISTS (SELECT 1 FROM people t \
         WHERE t.org_id = ?1 AND t.id = j.value AND t.deactivated_at IS NULL)",
        vec![json!(org_id), super::json_list(members)],
    )
}

const GROUP_EXISTS: &str = "EXISTS (SELECT 1 FROM agent_groups WHERE org_id = ?1 AND slug = ?2)";

/// Removes every member of group `slug` (the first half of setting its members).
fn clear_members_sql(org_id: &str, slug: &str) -> Sql {
    Sql::new(
        "DELETE FROM agent_group_members WHERE org_id = ?1 AND group_slug = ?2",
        vec![json!(org_id), json!(slug)],
    )
}

/// Adds `spec.members` to group `spec.slug` when `only_if` holds (only active people of the
/// org are inserted; the handler has already refused others).
fn insert_members_sql(org_id: &str, spec: &GroupSpec, only_if: &str) -> Sql {
    Sql::new(
        format!(
            "INSERT INTO agent_group_members (org_id, group_slug, person_id) \
             SELECT ?1, ?2, t.id FROM json_each(?3) j JOIN people t \
             ON t.org_id = ?1 AND t.id = j.value AND t.deactivated_at IS NULL WHERE {only_if}"
        ),
        vec![
            json!(org_id),
            json!(spec.slug),
            super::json_list(&spec.members),
        ],
    )
}

/// `?1` org, `?2` slug, `?3` name, `?4` description, `?5` now: a group row's own values.
fn group_params(org_id: &str, spec: &GroupSpec, now: &str) -> Vec<serde_json::Value> {
    vec![
        json!(org_id),
        json!(spec.slug),
        json!(spec.name),
        json!(spec.description),
        json!(now),
    ]
}

/// A new group with its members; its view is the batch's last result (empty if the slug was
/// taken: then nothing was written).
pub(crate) fn create_sql(org_id: &str, spec: &GroupSpec, now: &str) -> Vec<Sql> {
    vec![
        Sql::new(
            "INSERT INTO agent_groups (org_id, slug, name, description, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (org_id, slug) DO NOTHING RETURNING slug",
            group_params(org_id, spec, now),
        ),
        // `changes()` is the group insert's (the statement before it in the batch): members
        // join only a group this batch created, never the one that holds a taken slug.
        insert_members_sql(org_id, spec, "changes() = 1"),
        get_sql(org_id, &spec.slug),
    ]
}

/// Replaces an existing group's name, description and members; its view is the batch's last
/// result (empty if there is no such group).
pub(crate) fn replace_sql(org_id: &str, spec: &GroupSpec, now: &str) -> Vec<Sql> {
    let mut batch = vec![Sql::new(
        "UPDATE agent_groups SET name = ?3, description = ?4, updated_at = ?5 \
         WHERE org_id = ?1 AND slug = ?2",
        group_params(org_id, spec, now),
    )];
    // Members of a group that does not exist would be orphans: both are no-ops then.
    batch.push(clear_members_sql(org_id, &spec.slug));
    batch.push(insert_members_sql(org_id, spec, GROUP_EXISTS));
    batch.push(get_sql(org_id, &spec.slug));
    batch
}

/// Whether the group exists, then its deletion (members first) when nothing references it.
pub(crate) fn delete_sql(org_id: &str, slug: &str) -> Vec<Sql> {
    let params = vec![json!(org_id), json!(slug)];
    vec![
        Sql::new(
            "SELECT slug FROM agent_groups WHERE org_id = ?1 AND slug = ?2",
            params.clone(),
        ),
        Sql::new(
            format!(
                "DELETE FROM agent_group_members WHERE org_id = ?1 AND group_slug = ?2 \
                 AND {UNREFERENCED}"
            ),
            params.clone(),
        ),
        Sql::new(
            format!(
                "DELETE FROM agent_groups WHERE org_id = ?1 AND slug = ?2 AND {UNREFERENCED} \
                 RETURNING slug"
            ),
            params,
        ),
    ]
}

/// What became of a delete.
#[derive(Debug, PartialEq, Eq)]
pub enum Deleted {
    Yes,
    NoSuchGroup,
    /// A ticket, catalog item or SLA escalation still names it.
    InUse,
}

/// Group `slug` of `org_id` exists (batched with a ticket change; read with [`found`]).
pub(crate) fn exists_sql(org_id: &str, slug: &str) -> Sql {
    Sql::new(
        "SELECT slug FROM agent_groups WHERE org_id = ?1 AND slug = ?2",
        vec![json!(org_id), json!(slug)],
    )
}

/// The groups the ticket's assignee after a change belongs to: `assignee` if the change sets
/// one, else the ticket's current assignee (batched with the ticket's read).
pub(crate) fn memberships_sql(org_id: &str, ticket_id: &str, assignee: Option<&str>) -> Sql {
    Sql::new(
        "SELECT group_slug FROM agent_group_members WHERE org_id = ?1 AND person_id = \
         COALESCE(?3, (SELECT assignee FROM tickets WHERE org_id = ?1 AND id = ?2))",
        vec![json!(org_id), json!(ticket_id), json!(assignee)],
    )
}

/// The single-column values a batched check returned.
pub(crate) fn found(result: &worker::D1Result) -> Result<Vec<String>, StoreError> {
    #[derive(Deserialize)]
    struct One {
        #[serde(alias = "group_slug", alias = "id")]
        slug: String,
    }
    Ok(result
        .results::<One>()
        .map_err(d1_error("reading a group check"))?
        .into_iter()
        .map(|r| r.slug)
        .collect())
}

fn last_group(results: &[worker::D1Result]) -> Result<Option<GroupView>, StoreError> {
    let Some(last) = results.last() else {
        return Err(StoreError::broken("a group batch returned no result"));
    };
    last.results::<GroupRow>()
        .map_err(d1_error("reading a group"))?
        .into_iter()
        .next()
        .map(GroupRow::view)
        .transpose()
}

pub async fn list(db: &D1Database, org_id: &str) -> Result<Vec<GroupView>, StoreError> {
    let results = super::run_batch(db, &[list_sql(org_id)], "listing groups").await?;
    InOrder::new(results, "reading groups")
        .rows::<GroupRow>()?
        .into_iter()
        .map(GroupRow::view)
        .collect()
}

pub async fn get(
    db: &D1Database,
    org_id: &str,
    slug: &str,
) -> Result<Option<GroupView>, StoreError> {
    last_group(&super::run_batch(db, &[get_sql(org_id, slug)], "reading a group").await?)
}

/// The submitted member ids that are not live agents or admins of the organisation.
pub async fn unknown_members(
    db: &D1Database,
    org_id: &str,
    members: &[String],
) -> Result<Vec<String>, StoreError> {
    if members.is_empty() {
        return Ok(Vec::new());
    }
    let results = super::run_batch(
        db,
        &[unknown_members_sql(org_id, members)],
        "checking members",
    )
    .await?;
    found(&InOrder::new(results, "reading a member check").result()?)
}

/// `None` if the slug is taken.
pub async fn create(
    db: &D1Database,
    org_id: &str,
    spec: &GroupSpec,
    now: &str,
) -> Result<Option<GroupView>, StoreError> {
    let results = super::run_batch(db, &create_sql(org_id, spec, now), "creating a group").await?;
    let created = results
        .first()
        .map(|r| r.results::<serde_json::Value>())
        .transpose()
        .map_err(d1_error("reading a created group"))?
        .is_some_and(|rows| !rows.is_empty());
    if created {
        last_group(&results)
    } else {
        Ok(None)
    }
}

/// `None` if there is no such group.
pub async fn replace(
    db: &D1Database,
    org_id: &str,
    spec: &GroupSpec,
    now: &str,
) -> Result<Option<GroupView>, StoreError> {
    last_group(&super::run_batch(db, &replace_sql(org_id, spec, now), "replacing a group").await?)
}

pub async fn delete(db: &D1Database, org_id: &str, slug: &str) -> Result<Deleted, StoreError> {
    let results = super::run_batch(db, &delete_sql(org_id, slug), "deleting a group").await?;
    let mut results = InOrder::new(results, "reading a group delete");
    // Whether the group exists, the delete of its members, then its own delete (which returns
    // it only if nothing refers to it).
    let existed = results.rows::<serde_json::Value>()?.len();
    results.skip(1)?;
    let deleted = results.rows::<serde_json::Value>()?.len();
    Ok(match (existed, deleted) {
        (0, _) => Deleted::NoSuchGroup,
        (_, 0) => Deleted::InUse,
        _ => Deleted::Yes,
    })
}

/// The slugs among `slugs` that name no group of `org_id` (for items' default groups and SLA
/// escalations, which refer to groups by slug).
pub(crate) fn missing_sql(org_id: &str, slugs: &[&str]) -> Sql {
    Sql::new(
        "SELECT DISTINCT j.value AS slug FROM json_each(?2) j WHERE NOT EXISTS \
         (SELECT 1 FROM agent_groups g WHERE g.org_id = ?1 AND g.slug = j.value)",
        vec![json!(org_id), super::json_list(slugs)],
    )
}

/// The references among `(field, slug)` whose slug names no group of `org_id`, each a
/// `not_an_option` on its field (none: all exist). No round trip when nothing is referenced.
pub async fn missing_references(
    db: &D1Database,
    org_id: &str,
    references: &[(String, &str)],
) -> Result<ValidationErrors, StoreError> {
    if references.is_empty() {
        return Ok(ValidationErrors::default());
    }
    let slugs: Vec<&str> = references.iter().map(|(_, slug)| *slug).collect();
    let results = super::run_batch(db, &[missing_sql(org_id, &slugs)], "checking groups").await?;
    let missing = found(&InOrder::new(results, "reading a group check").result()?)?;
    Ok(ValidationErrors(
        references
            .iter()
            .filter(|(_, slug)| missing.iter().any(|m| m == slug))
            .map(|(field, _)| {
                edgedesk_core::FieldError::new(
                    field,
                    edgedesk_core::FieldErrorCode::NotAnOption,
                    None,
                )
            })
            .collect(),
    ))
}
