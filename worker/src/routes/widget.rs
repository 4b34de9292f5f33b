//! Widget routes: its public settings (texts, form token) and the admin's origin allowlist;
//! admitting a request that the widget sends.

use std::collections::BTreeMap;

use edgedesk_core::api::Role;
use edgedesk_core::i18n::{Catalog, FluentArgs, sources};
use edgedesk_core::request::{DESCRIPTION_RULE, EMAIL_MAX, NAME_RULE, SUBJECT_RULE};
use edgedesk_core::widget::{
    TEXT_IDS, WebOrigin, WidgetConfig, WidgetRefusal, WidgetSettingsInput, form_token,
};
use edgedesk_core::{Channel, FieldErrorCode, Locale, NewRequestInput, OrgSlug};
use worker::{Request, Response};

use super::Ctx;
use crate::auth;
use crate::db;
use crate::db::tickets::{OrgForTicket, WidgetSource};
use crate::error::ApiError;
use crate::http::{json, read_json};

thread_local! {
    static CATALOG: Catalog =
        const { Catalog::new(&[sources::portal, sources::widget, sources::fields]) };
}

/// The codes a requester's answers can get, with the limits of the contact fields.
const MESSAGE_CODES: [FieldErrorCode; 16] = [
    FieldErrorCode::Required,
    FieldErrorCode::TooShort,
    FieldErrorCode::TooLong,
    FieldErrorCode::InvalidEmail,
    FieldErrorCode::InvalidCharacters,
    FieldErrorCode::WrongType,
    FieldErrorCode::NotANumber,
    FieldErrorCode::BelowMinimum,
    FieldErrorCode::AboveMaximum,
    FieldErrorCode::StepMismatch,
    FieldErrorCode::InvalidDate,
    FieldErrorCode::InvalidDatetime,
    FieldErrorCode::InvalidPhone,
    FieldErrorCode::NotAnOption,
    FieldErrorCode::PatternMismatch,
    FieldErrorCode::UnknownField,
];

/// The `Origin` a browser sent, if any and if it is one.
fn origin(req: &Request) -> Result<Option<WebOrigin>, ApiError> {
    Ok(req
        .headers()
        .get("origin")?
        .and_then(|raw| WebOrigin::parse(&raw).ok()))
}

/// The page `req` came from is not on the allowlist (no `Origin`: not a cross-site browser
/// request, e.g. the portal's own page or a server).
fn refused_origin(req: &Request, allowed: &[WebOrigin]) -> Result<bool, ApiError> {
    let sent = req.headers().get("origin")?;
    Ok(match sent {
        None => false,
        Some(_) => !origin(req)?.is_some_and(|o| allowed.contains(&o)),
    })
}

/// `GET /api/v1/orgs/{org}/widget`: the texts in the widget's locale (`Accept-Language`) and a
/// fresh form token. A page that may not embed the widget gets a 403 it can show.
pub async fn public_config(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, org) = (&ctx.req, ctx.config, ctx.params.get("org")?);
    let slug = OrgSlug::parse(org).map_err(|_| ApiError::NotFound)?;
    let found = db::widget::for_widget(&config.db, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    if refused_origin(req, &found.allowed_origins)? {
        return Err(ApiError::Widget(WidgetRefusal::OriginNotAllowed));
    }
    let locale = req
        .headers()
        .get("accept-language")?
        .map_or(Locale::En, |header| Locale::from_accept_language(&header));
    let unix_ms = i64::try_from(config.now().unix_ms).unwrap_or(i64::MAX);
    let (texts, messages) =
        CATALOG.with(|catalog| (texts(catalog, locale), messages(catalog, locale)));
    let mut response = json(
        200,
        &WidgetConfig {
            org: found.public,
            locale: locale.code().to_owned(),
            dir: locale.dir().to_owned(),
            form_token: form_token(found.secret.as_bytes(), slug.as_str(), unix_ms),
            texts,
            messages,
        },
    )?;
    response
        .headers_mut()
        .set("content-language", locale.bcp47())?;
    Ok(response)
}

fn texts(catalog: &Catalog, locale: Locale) -> BTreeMap<String, String> {
    let mut args = FluentArgs::new();
    args.set("reference", "{reference}");
    TEXT_IDS
        .iter()
        .map(|id| {
            (
                id.as_str().to_owned(),
                catalog.message(locale, *id, Some(&args)),
            )
        })
        .collect()
}

/// Every requester-facing code without a limit, and the length codes with the limits of the
/// contact fields and default text limits (other limits fall back to the plain variant).
fn messages(catalog: &Catalog, locale: Locale) -> BTreeMap<String, String> {
    let mut messages: BTreeMap<String, String> = MESSAGE_CODES
        .iter()
        .map(|code| {
            (
                code.as_str().to_owned(),
                catalog.field_error(locale, *code, None),
            )
        })
        .collect();
    let limits = [
        (FieldErrorCode::TooShort, SUBJECT_RULE.min),
        (FieldErrorCode::TooLong, NAME_RULE.max),
        (FieldErrorCode::TooLong, SUBJECT_RULE.max),
        (FieldErrorCode::TooLong, DESCRIPTION_RULE.max),
        (FieldErrorCode::TooLong, EMAIL_MAX),
        (FieldErrorCode::TooLong, 500),
    ];
    for (code, limit) in limits {
        messages.insert(
            format!("{}:{limit}", code.as_str()),
            catalog.field_error(locale, code, Some(limit)),
        );
    }
    messages
}

/// `GET /api/v1/admin/widget`: the origins that may embed the widget.
pub async fn get_settings(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config) = (&ctx.req, ctx.config);
    let principal = auth::require(req, config, Role::Admin).await?;
    json(
        200,
        &db::widget::settings(&config.db, &principal.org_id)
            .await?
            .ok_or(ApiError::NotFound)?,
    )
}

/// `PUT /api/v1/admin/widget`: replaces the allowlist (422 names each bad origin).
pub async fn put_settings(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config) = (ctx.req, ctx.config);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let input: WidgetSettingsInput = read_json(&mut req).await?;
    let settings = input.parse().map_err(ApiError::Validation)?;
    db::widget::put_settings(&config.db, &principal.org_id, &settings).await?;
    json(200, &settings)
}

/// The channel of a new request and, for the widget, where it came from. A browser on another
/// site must come through the widget and the organisation's allowlist.
pub fn admit(
    req: &Request,
    input: &NewRequestInput,
    org: &OrgForTicket,
    slug: &OrgSlug,
    now_ms: u64,
) -> Result<(Channel, Option<WidgetSource>), ApiError> {
    let Some(widget) = &input.widget else {
        let url = req.inner().url();
        let own = crate::http::own_origin(&url);
        let foreign = req
            .headers()
            .get("origin")?
            .is_some_and(|sent| !sent.eq_ignore_ascii_case(&own));
        if foreign {
            return Err(ApiError::Widget(WidgetRefusal::OriginNotAllowed));
        }
        return Ok((Channel::Portal, None));
    };
    let from = origin(req)?;
    let now_ms = i64::try_from(now_ms).unwrap_or(i64::MAX);
    widget
        .admit(
            from.as_ref(),
            &org.widget_origins,
            org.widget_secret.as_bytes(),
            slug.as_str(),
            now_ms,
        )
        .map_err(ApiError::Widget)?;
    let context = widget.checked_context().map_err(ApiError::Validation)?;
    Ok((
        Channel::Widget,
        Some(WidgetSource {
            // `admit` refuses a missing origin, so this is the allowed one.
            origin: from.map(|o| o.to_string()).unwrap_or_default(),
            context_json: db::to_json(&context)?,
        }),
    ))
}
