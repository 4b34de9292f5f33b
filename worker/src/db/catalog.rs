//! The service catalog: categories, items and their versioned forms, and the organisation's
//! priority matrix. Texts are stored as JSON `{locale: text}`; forms as checked JSON schemas.

use edgedesk_core::catalog::{
    CatalogView, CategoryInput, CategoryView, FormVersionView, ItemInput, ItemPatch, ItemSummary,
    ItemView, item_search_text,
};
use edgedesk_core::form::{FormSchemaInput, LocalizedText};
use edgedesk_core::priority::{Priority, PriorityMatrix};
use edgedesk_core::search::CatalogQuery;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

use super::StoreError;
use super::{Sql, d1_error, from_json, statement, to_json};

fn num(value: i32) -> JsValue {
    JsValue::from_f64(f64::from(value))
}

fn flag(value: bool) -> JsValue {
    JsValue::from_f64(if value { 1.0 } else { 0.0 })
}

fn opt(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from)
}

/// An item with the same slug exists: "already exists" rather than a bug.
fn is_slug_taken(constraint: &super::Constraint) -> bool {
    constraint.is_unique_on("catalog_items", "slug")
}

#[derive(Deserialize)]
struct CategoryRow {
    slug: String,
    name: String,
    description: String,
    parent: Option<String>,
    position: i32,
    active: i32,
}

impl CategoryRow {
    fn view(self) -> Result<CategoryView, StoreError> {
        Ok(CategoryView {
            slug: self.slug,
            name: from_json(&self.name)?,
            description: from_json(&self.description)?,
            parent: self.parent,
            position: self.position,
            active: self.active != 0,
        })
    }
}

const CATEGORY_COLUMNS: &str = "c.slug, c.name, c.description, p.slug AS parent, c.position, \
     c.active";

#[derive(Deserialize)]
struct ItemRow {
    slug: String,
    category: String,
    name: String,
    description: String,
    icon: Option<String>,
    position: i32,
    active: i32,
    default_priority: Option<Priority>,
    default_group: Option<String>,
    form_version: u32,
}

impl ItemRow {
    fn summary(self) -> Result<ItemSummary, StoreError> {
        Ok(ItemSummary {
            slug: self.slug,
            category: self.category,
            name: from_json(&self.name)?,
            description: from_json(&self.description)?,
            icon: self.icon,
            position: self.position,
            active: self.active != 0,
            default_priority: self.default_priority,
            default_group: self.default_group,
            form_version: self.form_version,
        })
    }
}

const ITEM_COLUMNS: &str = "i.slug, c.slug AS category, i.name, i.description, i.icon, \
     i.position, i.active, i.default_priority, i.default_group, i.form_version";

/// The id of a top-level category `slug` of `org_id`, if there is one (`None`: none, or it is
/// itself a second-level category, which may not have children).
async fn top_level_category(
    db: &D1Database,
    org_id: &str,
    slug: &str,
) -> Result<Option<String>, StoreError> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
    }
    Ok(statement(
        db,
        "SELECT id FROM catalog_categories WHERE org_id = ?1 AND slug = ?2 AND parent_id IS NULL",
        &[org_id.into(), slug.into()],
    )?
    .first::<Row>(None)
    .await
    .map_err(d1_error("finding a parent category"))?
    .map(|r| r.id))
}

/// Why a catalog write was refused, or failed.
#[derive(Debug)]
pub enum CatalogError {
    /// `field` (`parent` or `category`) names no category it may name.
    UnknownCategory {
        field: &'static str,
    },
    /// Items or subcategories still use the category.
    CategoryInUse,
    /// Tickets were submitted with the item.
    ItemInUse,
    /// Another item of the organisation has this slug.
    SlugTaken {
        slug: String,
    },
    Store(StoreError),
}

impl From<StoreError> for CatalogError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

/// Creates or replaces (by slug) a category. The parent must be an existing top-level category.
pub async fn put_category(
    db: &D1Database,
    org_id: &str,
    id: &str,
    input: &CategoryInput,
    now: &str,
    extra: &[super::Sql],
) -> Result<CategoryView, CatalogError> {
    let parent = match &input.parent {
        Some(slug) => Some(
            top_level_category(db, org_id, slug)
                .await?
                .ok_or(CatalogError::UnknownCategory { field: "parent" })?,
        ),
        None => None,
    };
    let upsert = statement(
        db,
        "INSERT INTO catalog_categories (id, org_id, slug, parent_id, name, description, \
         position, active, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) \
         ON CONFLICT (org_id, slug) DO UPDATE SET parent_id = excluded.parent_id, \
         name = excluded.name, description = excluded.description, \
         position = excluded.position, active = excluded.active, updated_at = excluded.updated_at",
        &[
            id.into(),
            org_id.into(),
            input.slug.as_str().into(),
            opt(parent.as_deref()),
            to_json(&input.name)?.into(),
            to_json(&input.description)?.into(),
            num(input.position),
            flag(input.active.unwrap_or(true)),
            now.into(),
        ],
    )?;
    super::idempotency::batch_with_key(db, vec![upsert], extra, "storing a category").await?;
    Ok(CategoryView {
        slug: input.slug.clone(),
        name: input.name.clone(),
        description: input.description.clone(),
        parent: input.parent.clone(),
        position: input.position,
        active: input.active.unwrap_or(true),
    })
}

/// Whether a category `slug` of `org_id` exists.
pub async fn category_exists(
    db: &D1Database,
    org_id: &str,
    slug: &str,
) -> Result<bool, StoreError> {
    #[derive(Deserialize)]
    struct Row {
        #[allow(dead_code, reason = "only its presence matters")]
        slug: String,
    }
    Ok(statement(
        db,
        "SELECT slug FROM catalog_categories WHERE org_id = ?1 AND slug = ?2",
        &[org_id.into(), slug.into()],
    )?
    .first::<Row>(None)
    .await
    .map_err(d1_error("finding a category"))?
    .is_some())
}

/// Deletes an empty category: `Ok(false)` when there is no such category.
///
/// # Errors
/// [`CatalogError::CategoryInUse`] when items or subcategories still use it (deactivate it
/// instead).
pub async fn delete_category(
    db: &D1Database,
    org_id: &str,
    slug: &str,
) -> Result<bool, CatalogError> {
    #[derive(Deserialize)]
    struct Row {
        used: i32,
    }
    let used = statement(
        db,
        "SELECT (SELECT COUNT(*) FROM catalog_items i WHERE i.category_id = c.id) + \
         (SELECT COUNT(*) FROM catalog_categories k WHERE k.parent_id = c.id) AS used \
         FROM catalog_categories c WHERE c.org_id = ?1 AND c.slug = ?2",
        &[org_id.into(), slug.into()],
    )?
    .first::<Row>(None)
    .await
    .map_err(d1_error("checking a category's use"))?;
    match used {
        None => Ok(false),
        Some(Row { used }) if used > 0 => Err(CatalogError::CategoryInUse),
        Some(_) => {
            statement(
                db,
                "DELETE FROM catalog_categories WHERE org_id = ?1 AND slug = ?2",
                &[org_id.into(), slug.into()],
            )?
            .run()
            .await
            .map_err(d1_error("deleting a category"))?;
            Ok(true)
        }
    }
}

/// Creates an item and version 1 of its form in one atomic batch.
///
/// # Errors
/// An unknown category, or a slug another item has.
pub async fn create_item(
    db: &D1Database,
    org_id: &str,
    id: &str,
    input: &ItemInput,
    now: &str,
    extra: &[super::Sql],
) -> Result<(), CatalogError> {
    let insert_item = statement(
        db,
        "INSERT INTO catalog_items (id, org_id, category_id, slug, name, description, icon, \
         position, active, default_priority, default_group, form_version, search_text, \
         created_at, updated_at) \
         SELECT ?1, ?2, c.id, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12, ?13, ?13 \
         FROM catalog_categories c WHERE c.org_id = ?2 AND c.slug = ?3",
        &[
            id.into(),
            org_id.into(),
            input.category.as_str().into(),
            input.slug.as_str().into(),
            to_json(&input.name)?.into(),
            to_json(&input.description)?.into(),
            opt(input.icon.as_deref()),
            num(input.position),
            flag(input.active.unwrap_or(true)),
            opt(input.default_priority.map(Priority::as_str)),
            opt(input.default_group.as_deref()),
            item_search_text(&input.name, &input.description).into(),
            now.into(),
        ],
    )?;
    let insert_form = statement(
        db,
        "INSERT INTO catalog_forms (org_id, item_id, version, schema, created_at) \
         SELECT org_id, id, 1, ?2, ?3 FROM catalog_items WHERE id = ?1",
        &[id.into(), to_json(&input.form)?.into(), now.into()],
    )?;
    let results = match super::idempotency::batch_with_key(
        db,
        vec![insert_item, insert_form],
        extra,
        "creating a catalog item",
    )
    .await
    {
        Ok(results) => results,
        Err(error) if error.constraint().is_some_and(is_slug_taken) => {
            return Err(CatalogError::SlugTaken {
                slug: input.slug.clone(),
            });
        }
        Err(error) => return Err(error.into()),
    };
    let written = results
        .first()
        .and_then(|r| r.meta().ok().flatten())
        .and_then(|m| m.changes)
        .unwrap_or(0);
    if written == 0 {
        return Err(CatalogError::UnknownCategory { field: "category" });
    }
    Ok(())
}

/// Categories and items of `org_id` (all, for admins) in display order.
pub async fn list_admin(db: &D1Database, org_id: &str) -> Result<CatalogView, StoreError> {
    load_catalog(db, "o.id = ?1", org_id, false, &CatalogQuery::Everything).await
}

/// The active catalog of organisation `slug` (`None`: no such organisation), with only the
/// items that `query` finds (case and diacritics ignored).
pub async fn public_catalog(
    db: &D1Database,
    slug: &str,
    query: &CatalogQuery,
) -> Result<Option<CatalogView>, StoreError> {
    let view = load_catalog(db, "o.slug = ?1", slug, true, query).await?;
    Ok((!view.default_locale.is_empty()).then_some(view))
}

/// The items of one organisation (`org_filter` over `o`, bound to `?1`) that `query` finds.
pub(crate) fn items_sql(
    org_filter: &str,
    org: &str,
    active_only: bool,
    query: &CatalogQuery,
) -> Sql {
    let active = if active_only {
        " AND i.active = 1 AND c.active = 1"
    } else {
        ""
    };
    let mut params = vec![serde_json::Value::from(org)];
    // The match runs over every organisation's rows; the join back to `i` keeps ?1's.
    let search = match query {
        CatalogQuery::Everything => "",
        CatalogQuery::Nothing => " AND 0",
        CatalogQuery::Words(words) => {
            params.push(words.as_str().into());
            " AND i.search_rowid IN \
             (SELECT rowid FROM catalog_search WHERE catalog_search MATCH ?2)"
        }
    };
    Sql::new(
        format!(
            "SELECT {ITEM_COLUMNS} FROM catalog_items i \
             JOIN catalog_categories c ON c.id = i.category_id \
             JOIN orgs o ON o.id = i.org_id \
             WHERE {org_filter}{active}{search} ORDER BY i.position, i.slug"
        ),
        params,
    )
}

/// One batch (one round trip): the organisation's locale, its categories (top level first),
/// its items.
async fn load_catalog(
    db: &D1Database,
    org_filter: &str,
    org: &str,
    active_only: bool,
    query: &CatalogQuery,
) -> Result<CatalogView, StoreError> {
    let active = if active_only { " AND c.active = 1" } else { "" };
    let statements = vec![
        statement(
            db,
            &format!("SELECT o.default_locale FROM orgs o WHERE {org_filter}"),
            &[org.into()],
        )?,
        statement(
            db,
            &format!(
                "SELECT {CATEGORY_COLUMNS} FROM catalog_categories c \
                 JOIN orgs o ON o.id = c.org_id \
                 LEFT JOIN catalog_categories p ON p.id = c.parent_id \
                 WHERE {org_filter}{active} \
                 ORDER BY c.parent_id IS NOT NULL, c.position, c.slug"
            ),
            &[org.into()],
        )?,
        items_sql(org_filter, org, active_only, query).prepare(db)?,
    ];
    let results = db
        .batch(statements)
        .await
        .map_err(d1_error("reading the catalog"))?;
    #[derive(Deserialize)]
    struct OrgRow {
        default_locale: String,
    }
    let rows = |i: usize| {
        results
            .get(i)
            .ok_or_else(|| StoreError::broken("the catalog batch returned too few results"))
    };
    let default_locale = rows(0)?
        .results::<OrgRow>()
        .map_err(d1_error("reading the organisation"))?
        .into_iter()
        .next()
        .map(|r| r.default_locale)
        .unwrap_or_default();
    let categories = rows(1)?
        .results::<CategoryRow>()
        .map_err(d1_error("reading categories"))?
        .into_iter()
        .map(CategoryRow::view)
        .collect::<Result<_, _>>()?;
    let items = rows(2)?
        .results::<ItemRow>()
        .map_err(d1_error("reading items"))?
        .into_iter()
        .map(ItemRow::summary)
        .collect::<Result<_, _>>()?;
    Ok(CatalogView {
        default_locale,
        categories,
        items,
    })
}

/// An item with its current form, the organisation's locale and priority matrix: what the
/// portal renders and what a submission is checked against.
pub struct LoadedItem {
    pub id: String,
    /// The item's category slug and its parent's, if any (what SLA conditions match on).
    pub categories: Vec<String>,
    pub view: ItemView,
    pub matrix: PriorityMatrix,
}

/// Item `item` with its current form, by organisation (`o.slug` or `o.id`, per `org_filter`).
async fn load_item(
    db: &D1Database,
    org_filter: &str,
    org: &str,
    item: &str,
    active_only: bool,
) -> Result<Option<LoadedItem>, StoreError> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        default_locale: String,
        priority_matrix: Option<String>,
        schema: String,
        category_parent: Option<String>,
        #[serde(flatten)]
        item: ItemRow,
    }
    let active = if active_only {
        " AND i.active = 1 AND c.active = 1"
    } else {
        ""
    };
    let row = statement(
        db,
        &format!(
            "SELECT i.id, o.default_locale, o.priority_matrix, f.schema, \
             p.slug AS category_parent, {ITEM_COLUMNS} \
             FROM catalog_items i \
             JOIN orgs o ON o.id = i.org_id \
             JOIN catalog_categories c ON c.id = i.category_id \
             LEFT JOIN catalog_categories p ON p.id = c.parent_id \
             JOIN catalog_forms f ON f.item_id = i.id AND f.version = i.form_version \
             WHERE {org_filter} AND i.slug = ?2{active}"
        ),
        &[org.into(), item.into()],
    )?
    .first::<Row>(None)
    .await
    .map_err(d1_error("reading a catalog item"))?;
    row.map(|row| {
        let categories = std::iter::once(row.item.category.clone())
            .chain(row.category_parent)
            .collect();
        Ok(LoadedItem {
            id: row.id,
            categories,
            matrix: row
                .priority_matrix
                .as_deref()
                .map(from_json)
                .transpose()?
                .unwrap_or_default(),
            view: ItemView {
                item: row.item.summary()?,
                default_locale: row.default_locale,
                form: from_json(&row.schema)?,
            },
        })
    })
    .transpose()
}

/// An active item of organisation `slug`, for the portal and for submissions.
pub async fn public_item(
    db: &D1Database,
    slug: &str,
    item: &str,
) -> Result<Option<LoadedItem>, StoreError> {
    load_item(db, "o.slug = ?1", slug, item, true).await
}

/// Any item of `org_id`, for admins.
pub async fn admin_item(
    db: &D1Database,
    org_id: &str,
    item: &str,
) -> Result<Option<LoadedItem>, StoreError> {
    load_item(db, "o.id = ?1", org_id, item, false).await
}

/// Applies `patch` to item `current` (already loaded); the search text follows the new texts.
///
/// # Errors
/// An unknown category.
pub async fn patch_item(
    db: &D1Database,
    org_id: &str,
    current: &ItemSummary,
    patch: &ItemPatch,
    now: &str,
) -> Result<(), CatalogError> {
    if let Some(category) = &patch.category
        && !category_exists(db, org_id, category).await?
    {
        return Err(CatalogError::UnknownCategory { field: "category" });
    }
    let name = patch.name.as_ref().unwrap_or(&current.name);
    let description = patch.description.as_ref().unwrap_or(&current.description);
    statement(
        db,
        "UPDATE catalog_items SET \
         category_id = COALESCE((SELECT id FROM catalog_categories WHERE org_id = ?1 AND slug = ?3), \
             category_id), \
         name = ?4, description = ?5, icon = ?6, position = ?7, active = ?8, \
         default_priority = ?9, default_group = ?10, search_text = ?11, updated_at = ?12 \
         WHERE org_id = ?1 AND slug = ?2",
        &[
            org_id.into(),
            current.slug.as_str().into(),
            opt(patch.category.as_deref()),
            to_json(name)?.into(),
            to_json(description)?.into(),
            opt(patch.icon.as_deref().or(current.icon.as_deref())),
            num(patch.position.unwrap_or(current.position)),
            flag(patch.active.unwrap_or(current.active)),
            opt(patch
                .default_priority
                .or(current.default_priority)
                .map(Priority::as_str)),
            opt(patch
                .default_group
                .as_deref()
                .or(current.default_group.as_deref())),
            item_search_text(name, description).into(),
            now.into(),
        ],
    )?
    .run()
    .await
    .map_err(d1_error("updating a catalog item"))?;
    Ok(())
}

/// Stores `form` as the item's next version and makes it current, atomically; returns the
/// version (`None`: no such item). Earlier versions stay for the tickets that used them.
pub async fn new_form_version(
    db: &D1Database,
    org_id: &str,
    item: &str,
    form: &FormSchemaInput,
    now: &str,
) -> Result<Option<u32>, StoreError> {
    let insert = statement(
        db,
        "INSERT INTO catalog_forms (org_id, item_id, version, schema, created_at) \
         SELECT org_id, id, form_version + 1, ?3, ?4 FROM catalog_items \
         WHERE org_id = ?1 AND slug = ?2",
        &[
            org_id.into(),
            item.into(),
            to_json(form)?.into(),
            now.into(),
        ],
    )?;
    let bump = statement(
        db,
        "UPDATE catalog_items SET form_version = form_version + 1, updated_at = ?3 \
         WHERE org_id = ?1 AND slug = ?2 RETURNING form_version",
        &[org_id.into(), item.into(), now.into()],
    )?;
    #[derive(Deserialize)]
    struct Row {
        form_version: u32,
    }
    let results = db
        .batch(vec![insert, bump])
        .await
        .map_err(d1_error("storing a form version"))?;
    Ok(results
        .get(1)
        .map(|r| r.results::<Row>())
        .transpose()
        .map_err(d1_error("reading the new form version"))?
        .and_then(|rows| rows.into_iter().next())
        .map(|r| r.form_version))
}

/// Version `version` of item `item`'s form.
pub async fn form_version(
    db: &D1Database,
    org_id: &str,
    item: &str,
    version: u32,
) -> Result<Option<FormVersionView>, StoreError> {
    #[derive(Deserialize)]
    struct Row {
        schema: String,
        created_at: String,
    }
    let row = statement(
        db,
        "SELECT f.schema, f.created_at FROM catalog_forms f \
         JOIN catalog_items i ON i.id = f.item_id \
         WHERE i.org_id = ?1 AND i.slug = ?2 AND f.version = ?3",
        &[
            org_id.into(),
            item.into(),
            JsValue::from_f64(f64::from(version)),
        ],
    )?
    .first::<Row>(None)
    .await
    .map_err(d1_error("reading a form version"))?;
    row.map(|row| {
        Ok(FormVersionView {
            item: item.to_owned(),
            version,
            form: from_json(&row.schema)?,
            created_at: row.created_at,
        })
    })
    .transpose()
}

/// Deletes an item no ticket used: `Ok(false)` when there is no such item.
///
/// # Errors
/// [`CatalogError::ItemInUse`] when tickets were submitted with it (deactivate it instead, so
/// they keep their form).
pub async fn delete_item(db: &D1Database, org_id: &str, item: &str) -> Result<bool, CatalogError> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        used: i32,
    }
    let row = statement(
        db,
        "SELECT i.id, EXISTS (SELECT 1 FROM tickets t WHERE t.org_id = i.org_id \
         AND t.catalog_item_id = i.id) AS used \
         FROM catalog_items i WHERE i.org_id = ?1 AND i.slug = ?2",
        &[org_id.into(), item.into()],
    )?
    .first::<Row>(None)
    .await
    .map_err(d1_error("checking an item's use"))?;
    let Some(row) = row else {
        return Ok(false);
    };
    if row.used != 0 {
        return Err(CatalogError::ItemInUse);
    }
    db.batch(vec![
        statement(
            db,
            "DELETE FROM catalog_forms WHERE org_id = ?1 AND item_id = ?2",
            &[org_id.into(), row.id.as_str().into()],
        )?,
        statement(
            db,
            "DELETE FROM catalog_items WHERE org_id = ?1 AND id = ?2",
            &[org_id.into(), row.id.as_str().into()],
        )?,
    ])
    .await
    .map_err(d1_error("deleting a catalog item"))?;
    Ok(true)
}

/// The organisation's impact × urgency matrix (ITIL's default until an admin sets one).
pub async fn priority_matrix(db: &D1Database, org_id: &str) -> Result<PriorityMatrix, StoreError> {
    #[derive(Deserialize)]
    struct Row {
        priority_matrix: Option<String>,
    }
    statement(
        db,
        "SELECT priority_matrix FROM orgs WHERE id = ?1",
        &[org_id.into()],
    )?
    .first::<Row>(None)
    .await
    .map_err(d1_error("reading the priority matrix"))?
    .and_then(|r| r.priority_matrix)
    .map_or_else(|| Ok(PriorityMatrix::default()), |text| from_json(&text))
}

pub async fn set_priority_matrix(
    db: &D1Database,
    org_id: &str,
    matrix: &PriorityMatrix,
) -> Result<(), StoreError> {
    statement(
        db,
        "UPDATE orgs SET priority_matrix = ?2 WHERE id = ?1",
        &[org_id.into(), to_json(matrix)?.into()],
    )?
    .run()
    .await
    .map_err(d1_error("storing the priority matrix"))?;
    Ok(())
}

/// Texts of a submitted item for the requester's view.
pub fn localized(text: &str) -> Result<LocalizedText, StoreError> {
    from_json(text)
}
