//! Organisations: lookup by slug (and a slug by id).

use edgedesk_core::OrgSlug;
use edgedesk_core::api::OrgPublic;
use worker::D1Database;

use super::{StoreError, d1_error};

/// What the public portal may know about the organisation `slug`, if it exists.
pub async fn find_public(db: &D1Database, slug: &OrgSlug) -> Result<Option<OrgPublic>, StoreError> {
    db.prepare("SELECT slug, name, default_locale FROM orgs WHERE slug = ?1")
        .bind(&[slug.as_str().into()])
        .map_err(d1_error("binding the organisation lookup"))?
        .first::<OrgPublic>(None)
        .await
        .map_err(d1_error("looking up an organisation"))
}

/// The slug of organisation `id` (what new tickets are numbered under), if it exists.
pub async fn slug_of(db: &D1Database, id: &str) -> Result<Option<OrgSlug>, StoreError> {
    #[derive(serde::Deserialize)]
    struct Row {
        slug: String,
    }
    let row = db
        .prepare("SELECT slug FROM orgs WHERE id = ?1")
        .bind(&[id.into()])
        .map_err(d1_error("binding the organisation lookup"))?
        .first::<Row>(None)
        .await
        .map_err(d1_error("looking up an organisation"))?;
    row.map(|r| OrgSlug::parse(&r.slug))
        .transpose()
        .map_err(|_| StoreError::broken("a stored organisation slug is invalid"))
}

/// The slug of the organisation of the ticket a requester holds (ticket id and tracking token
/// hash), batched with that ticket's read; read it with [`read_slug`].
pub(crate) fn slug_of_ticket_sql(ticket_id: &str, token_hash: &str) -> super::Sql {
    super::Sql::new(
        "SELECT o.slug FROM tickets t JOIN orgs o ON o.id = t.org_id \
         WHERE t.id = ?1 AND t.tracking_token_hash = ?2",
        vec![ticket_id.into(), token_hash.into()],
    )
}

/// The slug [`slug_of_ticket_sql`] found, if any.
pub(crate) fn read_slug(result: &worker::D1Result) -> Result<Option<OrgSlug>, StoreError> {
    #[derive(serde::Deserialize)]
    struct Row {
        slug: String,
    }
    result
        .results::<Row>()
        .map_err(d1_error("reading an organisation slug"))?
        .into_iter()
        .next()
        .map(|r| OrgSlug::parse(&r.slug))
        .transpose()
        .map_err(|_| StoreError::broken("a stored organisation slug is invalid"))
}

/// A new organisation row.
pub struct NewOrg<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    pub name: &'a str,
    pub ref_prefix: &'a str,
    pub now: &'a str,
}
