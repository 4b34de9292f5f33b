//! Catalog routes: the public catalog and item forms for the portal, and the admin's CRUD of
//! categories, items, form versions and the priority matrix.

use edgedesk_core::api::Role;
use edgedesk_core::catalog::{CategoryInput, ItemInput, ItemPatch, parse_form};
use edgedesk_core::form::FormSchemaInput;
use edgedesk_core::priority::PriorityMatrix;
use edgedesk_core::search::{CatalogQuery, catalog_query};
use edgedesk_core::{OrgSlug, ValidationErrors};
use worker::{Request, Response};

use super::Ctx;
use crate::auth;
use crate::clock;
use crate::config::Config;
use crate::db;
use crate::db::idempotency::{Guard, KeyOrg, StoredBody};
use crate::error::ApiError;
use crate::http::{json, query_param, read_json, read_json_raw};
use crate::idempotent::{self, Started};

/// `GET /api/v1/orgs/{org}/catalog[?q=]`: active categories and items, optionally searched.
pub async fn public_catalog(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, org) = (&ctx.req, ctx.config, ctx.params.get("org")?);
    let slug = OrgSlug::parse(org).map_err(|_| ApiError::NotFound)?;
    let query = match query_param(req, "q") {
        Some(raw) => {
            catalog_query(&raw).map_err(|e| ApiError::Validation(ValidationErrors(vec![e])))?
        }
        None => CatalogQuery::Everything,
    };
    let view = db::catalog::public_catalog(&config.db, slug.as_str(), &query)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(200, &view)
}

/// `GET /api/v1/orgs/{org}/catalog/{item}`: an active item with the form it uses now.
pub async fn public_item(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (config, org, item) = (ctx.config, ctx.params.get("org")?, ctx.params.get("item")?);
    let slug = OrgSlug::parse(org).map_err(|_| ApiError::NotFound)?;
    let loaded = db::catalog::public_item(&config.db, slug.as_str(), item)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(200, &loaded.view)
}

/// `GET /api/v1/admin/catalog`: every category and item, active or not.
pub async fn admin_catalog(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config) = (&ctx.req, ctx.config);
    let principal = auth::require(req, config, Role::Admin).await?;
    json(
        200,
        &db::catalog::list_admin(&config.db, &principal.org_id).await?,
    )
}

/// `POST /api/v1/admin/catalog/categories`: a new category.
pub async fn create_category(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    write_category(ctx.req, ctx.config, None).await
}

/// `PUT /api/v1/admin/catalog/categories/{slug}`: create or replace.
pub async fn put_category(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let slug = ctx.params.get("slug")?;
    write_category(ctx.req, ctx.config, Some(slug)).await
}

/// A create (no `slug`) or a replace of the category the path names.
async fn write_category(
    mut req: Request,
    config: &Config,
    slug: Option<&str>,
) -> Result<Response, ApiError> {
    let principal = auth::require(&req, config, Role::Admin).await?;
    // Only the create (POST) takes a key: a PUT is idempotent by itself.
    let key = if slug.is_none() {
        idempotent::key_of(&req)?
    } else {
        None
    };
    let (mut input, raw): (CategoryInput, _) = read_json_raw(&mut req).await?;
    let now = clock::now();
    let idempotent = match idempotent::begin(config, key, &principal, &req, &raw, None, &now)
        .await?
    {
        Started::Replayed(response) => return Ok(response),
        Started::Created => return Err(ApiError::internal("a category key without its answer")),
        Started::New(idempotent) => idempotent,
    };
    if let Some(slug) = slug {
        // The path names the category; a body slug, if any, must agree.
        if !input.slug.is_empty() && input.slug != slug {
            return Err(ApiError::Conflict(
                "The body's slug differs from the path's.".into(),
            ));
        }
        slug.clone_into(&mut input.slug);
    }
    input.check().map_err(ApiError::Validation)?;
    let id = clock::new_id(&now)?;
    let status = if slug.is_some() { 200 } else { 201 };
    // The view is the input as stored, so the answer is known before the batch runs.
    let answer = match &idempotent {
        Some(i) => Some(i.answer(
            KeyOrg::Id(&principal.org_id),
            status,
            StoredBody::Json(db::to_json(&category_view(&input))?),
            serde_json::json!({}),
            None,
            &now.rfc3339,
        )),
        None => None,
    };
    let view = db::catalog::put_category(
        &config.db,
        &principal.org_id,
        &id,
        &input,
        &now.rfc3339,
        &idempotent::store(answer, &Guard::Always),
    )
    .await?;
    json(status, &view)
}

fn category_view(input: &CategoryInput) -> edgedesk_core::catalog::CategoryView {
    edgedesk_core::catalog::CategoryView {
        slug: input.slug.clone(),
        name: input.name.clone(),
        description: input.description.clone(),
        parent: input.parent.clone(),
        position: input.position,
        active: input.active.unwrap_or(true),
    }
}

/// `DELETE /api/v1/admin/catalog/categories/{slug}`: only an empty category.
pub async fn delete_category(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, slug) = (&ctx.req, ctx.config, ctx.params.get("slug")?);
    let principal = auth::require(req, config, Role::Admin).await?;
    if db::catalog::delete_category(&config.db, &principal.org_id, slug).await? {
        Ok(Response::empty()?.with_status(204))
    } else {
        Err(ApiError::NotFound)
    }
}

/// `POST /api/v1/admin/catalog/items`: an item with version 1 of its form.
pub async fn create_item(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config) = (ctx.req, ctx.config);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let key = idempotent::key_of(&req)?;
    let (input, raw): (ItemInput, _) = read_json_raw(&mut req).await?;
    let now = clock::now();
    let org = KeyOrg::Id(&principal.org_id);
    let idempotent =
        match idempotent::begin(config, key, &principal, &req, &raw, None, &now).await? {
            Started::Replayed(response) => return Ok(response),
            // Created, but the worker stopped before storing the answer: the item as it is now
            // (the same request, so the same slug).
            Started::Created => {
                return admin_item_response(config, &principal.org_id, &input.slug, 201).await;
            }
            Started::New(idempotent) => idempotent,
        };
    input.parse().map_err(ApiError::Validation)?;
    default_group_exists(config, &principal.org_id, input.default_group.as_deref()).await?;
    let id = clock::new_id(&now)?;
    // The item's view is read back after the batch, so its key is stored with the item and
    // its answer right after (one more round trip, only for keyed creates).
    let answer = match &idempotent {
        Some(i) => Some(i.answer(
            org,
            201,
            StoredBody::Later,
            serde_json::json!({}),
            None,
            &now.rfc3339,
        )),
        None => None,
    };
    db::catalog::create_item(
        &config.db,
        &principal.org_id,
        &id,
        &input,
        &now.rfc3339,
        &idempotent::store(answer, &Guard::Always),
    )
    .await?;
    let loaded = db::catalog::admin_item(&config.db, &principal.org_id, &input.slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    if let Some(i) = &idempotent {
        db::idempotency::store_body(&config.db, i.key_ref(org), &db::to_json(&loaded.view)?)
            .await?;
    }
    json(201, &loaded.view)
}

/// An item's default group must be one of the organisation's groups.
async fn default_group_exists(
    config: &Config,
    org_id: &str,
    group: Option<&str>,
) -> Result<(), ApiError> {
    let references: Vec<(String, &str)> = group
        .map(str::trim)
        .map(|slug| ("default_group".to_owned(), slug))
        .into_iter()
        .collect();
    db::groups::missing_references(&config.db, org_id, &references)
        .await?
        .into_result()
        .map_err(ApiError::Validation)
}

async fn admin_item_response(
    config: &Config,
    org_id: &str,
    item: &str,
    status: u16,
) -> Result<Response, ApiError> {
    let loaded = db::catalog::admin_item(&config.db, org_id, item)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(status, &loaded.view)
}

/// `GET /api/v1/admin/catalog/items/{item}`.
pub async fn get_item(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, item) = (&ctx.req, ctx.config, ctx.params.get("item")?);
    let principal = auth::require(req, config, Role::Admin).await?;
    admin_item_response(config, &principal.org_id, item, 200).await
}

/// `PATCH /api/v1/admin/catalog/items/{item}`: texts, category, ordering, defaults, active.
pub async fn patch_item(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config, item) = (ctx.req, ctx.config, ctx.params.get("item")?);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let patch: ItemPatch = read_json(&mut req).await?;
    patch.check().map_err(ApiError::Validation)?;
    default_group_exists(config, &principal.org_id, patch.default_group.as_deref()).await?;
    let current = db::catalog::admin_item(&config.db, &principal.org_id, item)
        .await?
        .ok_or(ApiError::NotFound)?;
    let now = clock::now();
    db::catalog::patch_item(
        &config.db,
        &principal.org_id,
        &current.view.item,
        &patch,
        &now.rfc3339,
    )
    .await?;
    admin_item_response(config, &principal.org_id, item, 200).await
}

/// `DELETE /api/v1/admin/catalog/items/{item}`: only an item no ticket used.
pub async fn delete_item(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, item) = (&ctx.req, ctx.config, ctx.params.get("item")?);
    let principal = auth::require(req, config, Role::Admin).await?;
    if db::catalog::delete_item(&config.db, &principal.org_id, item).await? {
        Ok(Response::empty()?.with_status(204))
    } else {
        Err(ApiError::NotFound)
    }
}

/// `PUT /api/v1/admin/catalog/items/{item}/form`: a new form version, which becomes current.
pub async fn put_form(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config, item) = (ctx.req, ctx.config, ctx.params.get("item")?);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let form: FormSchemaInput = read_json(&mut req).await?;
    parse_form(&form).map_err(ApiError::Validation)?;
    let now = clock::now();
    let version =
        db::catalog::new_form_version(&config.db, &principal.org_id, item, &form, &now.rfc3339)
            .await?
            .ok_or(ApiError::NotFound)?;
    form_response(config, &principal.org_id, item, version, 201).await
}

async fn form_response(
    config: &Config,
    org_id: &str,
    item: &str,
    version: u32,
    status: u16,
) -> Result<Response, ApiError> {
    let view = db::catalog::form_version(&config.db, org_id, item, version)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(status, &view)
}

/// `GET /api/v1/admin/catalog/items/{item}/forms/{version}`: any earlier version.
pub async fn get_form(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, item, version) = (
        &ctx.req,
        ctx.config,
        ctx.params.get("item")?,
        ctx.params.get("version")?,
    );
    let principal = auth::require(req, config, Role::Admin).await?;
    let version: u32 = version.parse().map_err(|_| ApiError::NotFound)?;
    form_response(config, &principal.org_id, item, version, 200).await
}

/// `GET /api/v1/admin/priority-matrix`.
pub async fn get_matrix(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config) = (&ctx.req, ctx.config);
    let principal = auth::require(req, config, Role::Admin).await?;
    json(
        200,
        &db::catalog::priority_matrix(&config.db, &principal.org_id).await?,
    )
}

/// `PUT /api/v1/admin/priority-matrix`: rows impact high/medium/low, columns urgency.
pub async fn put_matrix(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config) = (ctx.req, ctx.config);
    let principal = auth::require(&req, config, Role::Admin).await?;
    // Serde's shape check is the whole validation: 3 × 3 known priorities.
    let matrix: PriorityMatrix = read_json(&mut req).await?;
    db::catalog::set_priority_matrix(&config.db, &principal.org_id, &matrix).await?;
    json(200, &matrix)
}
