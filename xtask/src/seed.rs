//! The demo catalog as SQL: `worker/seed/demo-catalog.json` (the admin API's shapes), checked
//! with core's own rules and with search texts folded by core, so the seed matches the API.

use anyhow::{Context as _, Result, bail};
use edgedesk_core::catalog::{CategoryInput, ItemInput, item_search_text};
use serde::Deserialize;

#[derive(Deserialize)]
struct DemoCatalog {
    categories: Vec<CategoryInput>,
    items: Vec<ItemInput>,
}

/// A SQL string literal (our own file, but quoted properly all the same).
fn text(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

fn json(value: &impl serde::Serialize) -> Result<String> {
    Ok(text(&serde_json::to_string(value)?))
}

/// Idempotent inserts of the catalog for organisation `org` (existing rows are left alone).
pub fn catalog_sql(org: &str, source: &str) -> Result<String> {
    let catalog: DemoCatalog = serde_json::from_str(source).context("demo catalog JSON")?;
    let org_id = format!("(SELECT id FROM orgs WHERE slug = {})", text(org));
    let mut sql = String::new();
    let now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
    for category in &catalog.categories {
        if let Err(errors) = category.check() {
            bail!("demo category {}: {errors}", category.slug);
        }
        let parent = category.parent.as_deref().map_or_else(
            || "NULL".to_owned(),
            |p| {
                format!(
                    "(SELECT id FROM catalog_categories WHERE org_id = {org_id} AND slug = {})",
                    text(p)
                )
            },
        );
        sql.push_str(&format!(
            "INSERT OR IGNORE INTO catalog_categories (id, org_id, slug, parent_id, name, \
             description, position, active, created_at, updated_at) VALUES ({}, {org_id}, {}, \
             {parent}, {}, {}, {}, 1, {now}, {now});\n",
            text(&format!("cat_{org}_{}", category.slug)),
            text(&category.slug),
            json(&category.name)?,
            json(&category.description)?,
            category.position,
        ));
    }
    for item in &catalog.items {
        if let Err(errors) = item.parse() {
            bail!("demo item {}: {errors}", item.slug);
        }
        let id = text(&format!("item_{org}_{}", item.slug));
        sql.push_str(&format!(
            "INSERT OR IGNORE INTO catalog_items (id, org_id, category_id, slug, name, \
             description, icon, position, active, default_priority, default_group, form_version, \
             search_text, created_at, updated_at) VALUES ({id}, {org_id}, \
             (SELECT id FROM catalog_categories WHERE org_id = {org_id} AND slug = {}), {}, {}, \
             {}, {}, {}, 1, {}, NULL, 1, {}, {now}, {now});\n",
            text(&item.category),
            text(&item.slug),
            json(&item.name)?,
            json(&item.description)?,
            item.icon.as_deref().map_or_else(|| "NULL".to_owned(), text),
            item.position,
            item.default_priority
                .map_or_else(|| "NULL".to_owned(), |p| text(p.as_str())),
            text(&item_search_text(&item.name, &item.description)),
        ));
        sql.push_str(&format!(
            "INSERT OR IGNORE INTO catalog_forms (org_id, item_id, version, schema, created_at) \
             VALUES ({org_id}, {id}, 1, {}, {now});\n",
            json(&item.form)?,
        ));
    }
    Ok(sql)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_catalog_is_valid_and_quotes_its_texts() {
        let source = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../worker/seed/demo-catalog.json"
        ))
        .expect("demo catalog");
        let sql = catalog_sql("demo", &source).expect("valid demo catalog");
        assert!(sql.contains("'access-request'"));
        // The Uzbek turned comma and the inch marks survive; no quote breaks out of a literal.
        assert!(sql.contains("soʻrovi"));
        assert_eq!(
            sql.matches("INSERT OR IGNORE INTO catalog_forms").count(),
            3
        );
        let broken =
            r#"{"categories": [], "items": [{"slug": "x!", "category": "it", "name": {}}]}"#;
        assert!(catalog_sql("demo", broken).is_err());
        assert_eq!(text("it's"), "'it''s'");
    }
}
