//! Admin routes: the organisation's API tokens (issue, list, revoke) and bootstrapping a new
//! organisation with its first admin token.

use edgedesk_core::api::{
    BOOTSTRAP_SECRET_HEADER, BootstrapInput, CreatedToken, OrgPublic, Role, TokenInput, TokenView,
};
use edgedesk_core::validation::TextRule;
use edgedesk_core::{ApiSecret, FieldError, FieldErrorCode, OrgSlug, ValidationErrors};
use worker::Response;

use super::Ctx;
use crate::auth;
use crate::clock;
use crate::db;
use crate::db::idempotency::{Guard, KeyOrg, StoredBody};
use crate::db::orgs::NewOrg;
use crate::db::people::NewPerson;
use crate::db::tokens::NewToken;
use crate::error::ApiError;
use crate::http::{json, read_json, read_json_raw};
use crate::idempotent::{self, Started};

const NAME_RULE: TextRule = TextRule {
    min: 1,
    max: 120,
    multiline: false,
};

fn invalid(errors: Vec<FieldError>) -> ApiError {
    ApiError::Validation(ValidationErrors(errors))
}

/// `GET /api/v1/admin/tokens`.
pub async fn list_tokens(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config) = (&ctx.req, ctx.config);
    let principal = auth::require(req, config, Role::Admin).await?;
    json(200, &db::tokens::list(&config.db, &principal.org_id).await?)
}

/// `POST /api/v1/admin/tokens`: the secret is in this response and nowhere else, ever (a retry
/// with the same `Idempotency-Key` gets it again: it is stored sealed with that key).
pub async fn create_token(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config) = (ctx.req, ctx.config);
    let principal = auth::require(&req, config, Role::Admin).await?;
    let key = idempotent::key_of(&req)?;
    let (input, raw): (TokenInput, _) = read_json_raw(&mut req).await?;
    let now = config.now();
    let org = KeyOrg::Id(&principal.org_id);
    let idempotent =
        match idempotent::begin(config, key, &principal, &req, &raw, Some("secret"), &now).await? {
            Started::Replayed(response) => return Ok(response),
            // The token row and its answer are written in one batch: never one without the other.
            Started::Created => return Err(ApiError::internal("a token key without its answer")),
            Started::New(idempotent) => idempotent,
        };
    let name = NAME_RULE
        .parse("name", &input.name)
        .map_err(|e| invalid(vec![e]))?;
    let id = clock::new_id(&now)?;
    let secret = ApiSecret::from_random(clock::random_bytes()?);
    let view = TokenView {
        id: id.clone(),
        name: name.clone(),
        role: input.role,
        person: input.person.clone(),
        created_at: now.rfc3339.clone(),
        last_used_at: None,
        revoked_at: None,
    };
    let answer = match &idempotent {
        Some(i) => Some(i.answer(
            org,
            201,
            // `CreatedToken` without its secret: the view's fields, flattened.
            StoredBody::Json(db::to_json(&view)?),
            serde_json::json!({}),
            Some(secret.expose()),
            &now.rfc3339,
        )),
        None => None,
    };
    let token = db::tokens::create(
        &config.db,
        &NewToken {
            id: &id,
            org_id: &principal.org_id,
            person_id: input.person.as_deref(),
            name: &name,
            role: input.role,
            token_hash: &secret.hash(),
            now: &now.rfc3339,
        },
        &idempotent::store(answer, &Guard::Always),
    )
    .await?
    // Nothing was written: the person is no active person of the organisation, or their role
    // is below the token's.
    .ok_or_else(|| {
        invalid(vec![FieldError::new(
            "person",
            FieldErrorCode::NotAnOption,
            None,
        )])
    })?;
    json(
        201,
        &CreatedToken {
            token,
            secret: secret.expose().to_owned(),
        },
    )
}

/// `DELETE /api/v1/admin/tokens/{id}`: revoked tokens stop working at once; the row stays
/// (with `revoked_at`) for the record.
pub async fn revoke_token(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (req, config, id) = (&ctx.req, ctx.config, ctx.params.get("id")?);
    let principal = auth::require(req, config, Role::Admin).await?;
    let revoked = db::tokens::revoke(&config.db, &principal.org_id, id, &config.now().rfc3339)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(200, &revoked)
}

/// Reference prefixes: 2–10 of `A-Z0-9`, starting with a letter (`ACME` → `ACME-1042`).
fn parse_ref_prefix(raw: &str) -> Result<String, FieldError> {
    let prefix = raw.trim();
    let ok = (2..=10).contains(&prefix.len())
        && prefix.starts_with(|c: char| c.is_ascii_uppercase())
        && prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(prefix.to_owned())
    } else {
        Err(FieldError::new(
            "ref_prefix",
            FieldErrorCode::InvalidKey,
            None,
        ))
    }
}

/// `POST /api/v1/bootstrap`: a new organisation and its first admin token. Exists only when
/// the deployment has a `BOOTSTRAP_SECRET`, and needs it in `x-bootstrap-secret`.
pub async fn bootstrap(ctx: Ctx<'_>) -> Result<Response, ApiError> {
    let (mut req, config) = (ctx.req, ctx.config);
    let expected = config
        .bootstrap_secret
        .as_deref()
        .ok_or(ApiError::NotFound)?;
    let given = req
        .headers()
        .get(BOOTSTRAP_SECRET_HEADER)?
        .unwrap_or_default();
    // Compare digests so the comparison time says nothing about the secret.
    let digest = |s: &str| edgedesk_core::ids::sha256_hex(s.as_bytes());
    if digest(&given) != digest(expected) {
        return Err(ApiError::Unauthorized);
    }
    let input: BootstrapInput = read_json(&mut req).await?;
    let mut errors = ValidationErrors::default();
    let slug = errors.collect(
        OrgSlug::parse(input.slug.trim())
            .map_err(|_| FieldError::new("slug", FieldErrorCode::InvalidKey, None)),
    );
    let name = errors.collect(NAME_RULE.parse("name", &input.name));
    let prefix = errors.collect(parse_ref_prefix(&input.ref_prefix));
    let admin_person = match (&input.admin_email, &input.admin_name) {
        (None, None) => Some(None),
        (email, name) => {
            let email = errors.collect(edgedesk_core::request::Email::parse(
                "admin_email",
                email.as_deref().unwrap_or_default(),
            ));
            let name =
                errors.collect(NAME_RULE.parse("admin_name", name.as_deref().unwrap_or_default()));
            email.zip(name).map(Some)
        }
    };
    let (Some(slug), Some(name), Some(prefix), Some(admin_person)) =
        (slug, name, prefix, admin_person)
    else {
        return Err(ApiError::Validation(errors));
    };
    let now = config.now();
    let org_id = clock::new_id(&now)?;
    let token_id = clock::new_id(&now)?;
    let secret = ApiSecret::from_random(clock::random_bytes()?);
    let org = NewOrg {
        id: &org_id,
        slug: slug.as_str(),
        name: &name,
        ref_prefix: &prefix,
        now: &now.rfc3339,
    };
    let person_id = clock::new_id(&now)?;
    let email_key = admin_person
        .as_ref()
        .map(|(email, _)| edgedesk_core::people::email_key(email));
    let person =
        admin_person
            .as_ref()
            .zip(email_key.as_deref())
            .map(|((email, name), email_key)| NewPerson {
                id: &person_id,
                org_id: &org_id,
                name,
                email: email.as_str(),
                email_key,
                role: Role::Admin,
                now: &now.rfc3339,
            });
    let admin = NewToken {
        id: &token_id,
        org_id: &org_id,
        person_id: person.as_ref().map(|p| p.id),
        name: "First admin (bootstrap)",
        role: Role::Admin,
        token_hash: &secret.hash(),
        now: &now.rfc3339,
    };
    if !db::tokens::bootstrap_org(&config.db, &org, &admin, person.as_ref()).await? {
        return Err(invalid(vec![FieldError::new(
            "slug",
            FieldErrorCode::DuplicateKey,
            None,
        )]));
    }
    let token = edgedesk_core::api::TokenView {
        id: token_id.clone(),
        name: admin.name.to_owned(),
        role: Role::Admin,
        person: admin.person_id.map(str::to_owned),
        created_at: now.rfc3339.clone(),
        last_used_at: None,
        revoked_at: None,
    };
    json(
        201,
        &serde_json::json!({
            "org": OrgPublic { slug: slug.to_string(), name, default_locale: "en".to_owned() },
            "token": CreatedToken { token, secret: secret.expose().to_owned() },
            "person": person.as_ref().map(|p| p.id),
        }),
    )
}
