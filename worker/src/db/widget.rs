//! Widget settings: an organisation's allowed embedding origins and its form-token secret.

use edgedesk_core::OrgSlug;
use edgedesk_core::api::OrgPublic;
use edgedesk_core::widget::{WebOrigin, WidgetSettings};
use serde::Deserialize;
use worker::D1Database;

use super::{StoreError, d1_error, from_json, statement, to_json};

/// What the public widget route needs of an organisation, in one read.
pub struct WidgetOrg {
    pub public: OrgPublic,
    pub allowed_origins: Vec<WebOrigin>,
    pub secret: String,
}

/// The organisation `slug` as its widget sees it.
pub async fn for_widget(db: &D1Database, slug: &OrgSlug) -> Result<Option<WidgetOrg>, StoreError> {
    #[derive(Deserialize)]
    struct Row {
        slug: String,
        name: String,
        default_locale: String,
        widget_origins: String,
        widget_secret: String,
    }
    let row = statement(
        db,
        "SELECT slug, name, default_locale, widget_origins, widget_secret FROM orgs \
         WHERE slug = ?1",
        &[slug.as_str().into()],
    )?
    .first::<Row>(None)
    .await
    .map_err(d1_error("reading an organisation's widget settings"))?;
    row.map(|row| {
        Ok(WidgetOrg {
            public: OrgPublic {
                slug: row.slug,
                name: row.name,
                default_locale: row.default_locale,
            },
            allowed_origins: from_json(&row.widget_origins)?,
            secret: row.widget_secret,
        })
    })
    .transpose()
}

/// The settings of organisation `org_id` (admin view; the secret never leaves the database);
/// `None` if there is no such organisation.
pub async fn settings(db: &D1Database, org_id: &str) -> Result<Option<WidgetSettings>, StoreError> {
    #[derive(Deserialize)]
    struct Row {
        widget_origins: String,
    }
    let row = statement(
        db,
        "SELECT widget_origins FROM orgs WHERE id = ?1",
        &[org_id.into()],
    )?
    .first::<Row>(None)
    .await
    .map_err(d1_error("reading widget settings"))?;
    row.map(|row| {
        Ok(WidgetSettings {
            allowed_origins: from_json(&row.widget_origins)?,
        })
    })
    .transpose()
}

/// Replaces the settings of organisation `org_id`.
pub async fn put_settings(
    db: &D1Database,
    org_id: &str,
    settings: &WidgetSettings,
) -> Result<(), StoreError> {
    statement(
        db,
        "UPDATE orgs SET widget_origins = ?2 WHERE id = ?1",
        &[
            org_id.into(),
            to_json(&settings.allowed_origins)?.as_str().into(),
        ],
    )?
    .run()
    .await
    .map_err(d1_error("saving widget settings"))?;
    Ok(())
}
