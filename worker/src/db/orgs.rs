//! Organisations: lookup by slug (and a slug by id).

use edgedesk_core::OrgSlug;
use edgedesk_core::api::OrgPublic;
use worker::D1Database;

use super::d1_error;
use crate::error::ApiError;

/// What the public portal may know about the organisation `slug`, if it exists.
pub async fn find_public(db: &D1Database, slug: &OrgSlug) -> Result<Option<OrgPublic>, ApiError> {
    db.prepare("SELECT slug, name, default_locale FROM orgs WHERE slug = ?1")
        .bind(&[slug.as_str().into()])
        .map_err(d1_error("binding the organisation lookup"))?
        .first::<OrgPublic>(None)
        .await
        .map_err(d1_error("looking up an organisation"))
}

/// The slug of organisation `id` (what new tickets are numbered under), if it exists.
pub async fn slug_of(db: &D1Database, id: &str) -> Result<Option<OrgSlug>, ApiError> {
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
        .map_err(|_| ApiError::internal("a stored organisation slug is invalid"))
}

/// A new organisation row.
pub struct NewOrg<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    pub name: &'a str,
    pub ref_prefix: &'a str,
    pub now: &'a str,
}
