//! Organisations: lookup by slug.

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

/// A new organisation row.
pub struct NewOrg<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    pub name: &'a str,
    pub ref_prefix: &'a str,
    pub now: &'a str,
}
