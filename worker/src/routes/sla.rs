//! Admin routes for SLA configuration: business calendars and ordered SLA policies
//! (`/api/v1/admin/sla/...`). Input is checked by core with field paths (422).

use edgedesk_core::api::Role;
use edgedesk_core::sla::{CalendarInput, CalendarSpec, PolicyInput, SlaPolicy};
use edgedesk_core::{FieldError, FieldErrorCode, ValidationErrors};
use worker::Response;

use super::Ctx;
use crate::auth;
use crate::clock;
use crate::config::Config;
use crate::db;
use crate::db::sla::{CalendarDeletion, PolicyWrite};
use crate::error::ApiError;
use crate::http::{json, no_content, read_json};

/// Ids in paths are ours (ULIDs, or `<org id>-24x7`): anything else cannot exist.
fn path_id(raw: &str) -> Result<&str, ApiError> {
    let ok = (1..=64).contains(&raw.len())
        && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok { Ok(raw) } else { Err(ApiError::NotFound) }
}

/// `GET /api/v1/admin/sla/calendars`.
pub async fn list_calendars(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config) = (&ctx.req, ctx.config);
    let principal = auth::require(req, config, Role::Admin).await?;
    json(
        200,
        &db::sla::list_calendars(&config.db, &principal.org_id).await?,
    )
}

/// `POST /api/v1/admin/sla/calendars`.
pub async fn create_calendar(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config) = (ctx.req, ctx.config);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let input: CalendarInput = read_json(&mut req).await?;
    let spec = CalendarSpec::parse(&input).map_err(ApiError::Validation)?;
    let now = config.now();
    let id = clock::new_id(&now)?;
    let view = db::sla::create_calendar(
        &config.db,
        &principal.org_id,
        &id,
        &spec.definition,
        &now.rfc3339,
    )
    .await?;
    json(201, &view)
}

/// `GET /api/v1/admin/sla/calendars/{id}`.
pub async fn get_calendar(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, id) = (&ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(req, config, Role::Admin).await?;
    let view = db::sla::get_calendar(&config.db, &principal.org_id, path_id(id)?)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(200, &view)
}

/// `PUT /api/v1/admin/sla/calendars/{id}`: replaces the definition.
pub async fn put_calendar(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config, id) = (ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let id = path_id(id)?;
    let input: CalendarInput = read_json(&mut req).await?;
    let spec = CalendarSpec::parse(&input).map_err(ApiError::Validation)?;
    let view = db::sla::update_calendar(
        &config.db,
        &principal.org_id,
        id,
        &spec.definition,
        &config.now().rfc3339,
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    json(200, &view)
}

/// `DELETE /api/v1/admin/sla/calendars/{id}`: not the default one, nor one a policy uses (409).
pub async fn delete_calendar(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, id) = (&ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(req, config, Role::Admin).await?;
    match db::sla::delete_calendar(&config.db, &principal.org_id, path_id(id)?).await? {
        CalendarDeletion::Deleted => no_content(),
        CalendarDeletion::NotFound => Err(ApiError::NotFound),
        CalendarDeletion::InUse => Err(ApiError::Conflict(
            "This is the default calendar or a policy uses it; change those policies first."
                .to_owned(),
        )),
    }
}

fn unknown_calendar() -> ApiError {
    ApiError::Validation(ValidationErrors(vec![FieldError::new(
        "calendar_id",
        FieldErrorCode::NotAnOption,
        None,
    )]))
}

/// `GET /api/v1/admin/sla/policies`: in the order they are tried.
pub async fn list_policies(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config) = (&ctx.req, ctx.config);
    let principal = auth::require(req, config, Role::Admin).await?;
    json(
        200,
        &db::sla::list_policies(&config.db, &principal.org_id).await?,
    )
}

/// `POST /api/v1/admin/sla/policies`.
pub async fn create_policy(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config) = (ctx.req, ctx.config);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let input: PolicyInput = read_json(&mut req).await?;
    let policy = SlaPolicy::parse(&input).map_err(ApiError::Validation)?;
    escalation_groups_exist(config, &principal.org_id, &input).await?;
    let now = config.now();
    let id = clock::new_id(&now)?;
    match db::sla::create_policy(&config.db, &principal.org_id, &id, &policy, &now.rfc3339).await? {
        PolicyWrite::Done(view) => json(201, &*view),
        PolicyWrite::UnknownCalendar | PolicyWrite::NotFound => Err(unknown_calendar()),
    }
}

/// Escalations that hand a ticket to a group must name one of the organisation's groups.
async fn escalation_groups_exist(
    config: &Config,
    org_id: &str,
    input: &PolicyInput,
) -> Result<(), ApiError> {
    let references: Vec<(String, &str)> = input
        .escalations
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            Some((
                format!("escalations[{i}].group"),
                e.group.as_deref()?.trim(),
            ))
        })
        .collect();
    db::groups::missing_references(&config.db, org_id, &references)
        .await?
        .into_result()
        .map_err(ApiError::Validation)
}

/// `GET /api/v1/admin/sla/policies/{id}`.
pub async fn get_policy(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, id) = (&ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(req, config, Role::Admin).await?;
    let view = db::sla::get_policy(&config.db, &principal.org_id, path_id(id)?)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(200, &view)
}

/// `PUT /api/v1/admin/sla/policies/{id}`: replaces the policy.
pub async fn put_policy(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config, id) = (ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let id = path_id(id)?;
    let input: PolicyInput = read_json(&mut req).await?;
    let policy = SlaPolicy::parse(&input).map_err(ApiError::Validation)?;
    escalation_groups_exist(config, &principal.org_id, &input).await?;
    match db::sla::update_policy(
        &config.db,
        &principal.org_id,
        id,
        &policy,
        &config.now().rfc3339,
    )
    .await?
    {
        PolicyWrite::Done(view) => json(200, &*view),
        PolicyWrite::NotFound => Err(ApiError::NotFound),
        PolicyWrite::UnknownCalendar => Err(unknown_calendar()),
    }
}

/// `DELETE /api/v1/admin/sla/policies/{id}`.
pub async fn delete_policy(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, id) = (&ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(req, config, Role::Admin).await?;
    if db::sla::delete_policy(&config.db, &principal.org_id, path_id(id)?).await? {
        no_content()
    } else {
        Err(ApiError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_ids_are_ours_or_not_found() {
        assert!(path_id("01JD0000000000000000000000").is_ok());
        assert!(path_id("01JD0000000000000000000000-24x7").is_ok());
        for bad in ["", "a b", "../x", "x'--", &"a".repeat(65)] {
            assert!(matches!(path_id(bad), Err(ApiError::NotFound)), "{bad}");
        }
    }
}
