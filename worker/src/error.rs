//! `ApiError`: every way a request can fail, and the one place that maps it to problem+json.

use edgedesk_core::api::{PROBLEM_CONTENT_TYPE, Problem};
use edgedesk_core::i18n::{Catalog, ids, sources};
use edgedesk_core::ticket_decision::Refusal;
use edgedesk_core::{FieldError, FieldErrorCode, Locale, ValidationErrors};
use worker::{Headers, Response};

use crate::db::catalog::CatalogError;
use crate::db::{Constraint, StoreError};
use crate::http::NO_STORE;

/// Base of the `type` URIs of our problems; the slug after it names the problem.
const PROBLEM_BASE: &str = "https://edgedesk.dev/problems/";

thread_local! {
    // problem titles and field messages; each locale parsed on its first error.
    static CATALOG: Catalog = const { Catalog::new(&[sources::api, sources::fields]) };
}

/// A failed request. Only [`ApiError::problem`] decides what the client sees.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not the JSON the route expects; the parser's message helps the caller.
    #[error("malformed body: {0}")]
    MalformedBody(String),
    /// 401: no valid API token (missing, unknown or revoked).
    #[error("unauthorized")]
    Unauthorized,
    /// 401: a sign-in link, invitation or passkey was not accepted. Never says why (unknown,
    /// used, expired, deactivated), so it reveals nothing about who exists.
    #[error("sign-in refused")]
    SignInRefused,
    /// 403: the token's role may not do this (e.g. an agent token on an admin route).
    #[error("forbidden")]
    Forbidden,
    /// 403 with a reason the caller can act on (e.g. a signed-in change from another origin).
    #[error("forbidden: {0}")]
    ForbiddenBecause(String),
    /// 404: no such route or resource. Also for malformed ids, wrong tracking tokens and other
    /// organisations' data, so a 404 never reveals that something exists.
    #[error("not found")]
    NotFound,
    /// 405: the path exists but not with this method; carries the methods it does accept.
    #[error("method not allowed")]
    MethodNotAllowed(&'static [&'static str]),
    /// 409: the change conflicts with the resource's state; `detail` says what is allowed.
    #[error("conflict: {0}")]
    Conflict(String),
    /// 412: `If-Match` names a version that is no longer current.
    #[error("precondition failed")]
    PreconditionFailed,
    /// 413: the body is larger than `limit` bytes.
    #[error("payload larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// 415: the body is not declared as JSON.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// 428: an update without `If-Match`: lost updates are refused rather than risked.
    #[error("precondition required")]
    PreconditionRequired,
    /// 429: the caller used up its requests of the current window; `retry_after` seconds until
    /// the next one starts.
    #[error("rate limited for {retry_after} s")]
    TooManyRequests { retry_after: u32 },
    /// 422: the JSON is well-formed but some fields are invalid.
    #[error("validation failed")]
    Validation(ValidationErrors),
    /// 403/422: the embeddable widget's request is refused (origin, bot checks).
    #[error("widget refused: {0}")]
    Widget(edgedesk_core::widget::WidgetRefusal),
    /// 500: a bug, missing configuration or an infrastructure failure. The message is for the
    /// log only: it may contain SQL or runtime details the client must not see.
    #[error("internal: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn internal(message: impl Into<String>) -> Self {
        Self::Internal(message.into())
    }

    /// What the client is told, in `locale`: the whole HTTP-facing meaning of each error lives
    /// here. `type` and field `code`s never change with the language; `title` and messages do.
    #[must_use]
    pub fn problem(&self, locale: Locale) -> Problem {
        let (status, title, detail) = match self {
            Self::MalformedBody(detail) => (400, ids::PROBLEM_MALFORMED_BODY, Some(detail.clone())),
            Self::Unauthorized => (
                401,
                ids::PROBLEM_UNAUTHORIZED,
                Some(
                    "Send an API token as `Authorization: Bearer <token>`, or sign in.".to_owned(),
                ),
            ),
            Self::SignInRefused => (
                401,
                ids::PROBLEM_UNAUTHORIZED,
                Some("Not accepted: ask an admin for a new link.".to_owned()),
            ),
            Self::Forbidden => (403, ids::PROBLEM_FORBIDDEN, None),
            Self::ForbiddenBecause(detail) => (403, ids::PROBLEM_FORBIDDEN, Some(detail.clone())),
            Self::NotFound => (404, ids::PROBLEM_NOT_FOUND, None),
            Self::MethodNotAllowed(allowed) => (
                405,
                ids::PROBLEM_METHOD_NOT_ALLOWED,
                Some(format!("Allowed: {}.", allowed.join(", "))),
            ),
            Self::Conflict(detail) => (409, ids::PROBLEM_CONFLICT, Some(detail.clone())),
            Self::PreconditionFailed => (
                412,
                ids::PROBLEM_STALE,
                Some("Fetch it again and retry with its new ETag in If-Match.".to_owned()),
            ),
            Self::PreconditionRequired => (
                428,
                ids::PROBLEM_IF_MATCH_REQUIRED,
                Some("Send the ETag from your last GET in If-Match.".to_owned()),
            ),
            Self::PayloadTooLarge { limit } => (
                413,
                ids::PROBLEM_PAYLOAD_TOO_LARGE,
                Some(format!("Send at most {limit} bytes.")),
            ),
            Self::UnsupportedMediaType => (415, ids::PROBLEM_UNSUPPORTED_MEDIA_TYPE, None),
            Self::Validation(_) => (422, ids::PROBLEM_VALIDATION, None),
            Self::Widget(refusal) => {
                use edgedesk_core::widget::WidgetRefusal as R;
                match refusal {
                    R::OriginNotAllowed => (403, ids::PROBLEM_WIDGET_ORIGIN_NOT_ALLOWED, None),
                    R::Automated => (422, ids::PROBLEM_WIDGET_AUTOMATED, None),
                    R::TooFast => (422, ids::PROBLEM_WIDGET_TOO_FAST, None),
                    R::Expired => (422, ids::PROBLEM_WIDGET_EXPIRED, None),
                }
            }
            Self::TooManyRequests { retry_after } => (
                429,
                ids::PROBLEM_RATE_LIMITED,
                Some(format!("Retry after {retry_after} seconds.")),
            ),
            Self::Internal(_) => (500, ids::PROBLEM_INTERNAL, None),
        };
        // The type's slug is its title's message id without `problem-`: one name for both.
        let slug = title
            .as_str()
            .strip_prefix("problem-")
            .unwrap_or(title.as_str());
        CATALOG.with(|catalog| Problem {
            kind: format!("{PROBLEM_BASE}{slug}"),
            title: catalog.message(locale, title, None),
            status,
            detail,
            errors: match self {
                Self::Validation(errors) => errors
                    .0
                    .iter()
                    .map(|error| {
                        let mut error = error.clone();
                        error.message = catalog.field_error(locale, error.code, error.limit);
                        error
                    })
                    .collect(),
                _ => Vec::new(),
            },
            request_id: None,
        })
    }

    /// The problem+json response for this error, in `locale`, naming the request's id (its
    /// log line's) so a report of the error can be found.
    ///
    /// # Errors
    /// Only if the runtime cannot build a Response or Headers object at all.
    pub fn into_response(self, locale: Locale, request_id: &str) -> worker::Result<Response> {
        let mut problem = self.problem(locale);
        problem.request_id = Some(request_id.to_owned());
        let headers = Headers::new();
        headers.set("content-type", PROBLEM_CONTENT_TYPE)?;
        headers.set("content-language", locale.bcp47())?;
        headers.set("vary", "Accept-Language")?;
        headers.set("cache-control", NO_STORE)?;
        if let Self::MethodNotAllowed(allowed) = &self {
            headers.set("allow", &allowed.join(", "))?;
        }
        if let Self::TooManyRequests { retry_after } = &self {
            headers.set("retry-after", &retry_after.to_string())?;
        }
        if matches!(self, Self::Unauthorized) {
            headers.set("www-authenticate", "Bearer realm=\"edgedesk\"")?;
        }
        // A struct of strings and numbers always serialises; the fallback is unreachable.
        let body = serde_json::to_string(&problem).unwrap_or_default();
        Ok(Response::ok(body)?
            .with_status(problem.status)
            .with_headers(headers))
    }
}

/// A change the ticket's state refuses is a conflict; the refusal says what is allowed instead.
impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        Self::Conflict(refusal.to_string())
    }
}

/// A store's failure: a key another request holds is that request's 409 (it is still being
/// handled), and so is a reference the database refused (routes check what a write refers to
/// before writing it, so a foreign key fails only when another request removed the row in
/// between, or still refers to the one being removed); anything else is ours, a 500 whose
/// detail only the log sees.
impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::KeyInFlight => Self::Conflict(
                "A request with this Idempotency-Key is being handled; retry in a moment."
                    .to_owned(),
            ),
            StoreError::Constraint {
                constraint: Constraint::ForeignKey,
                ..
            } => Self::Conflict(
                "Something this change refers to was changed or removed meanwhile; reload and \
                 retry."
                    .to_owned(),
            ),
            StoreError::D1 { .. }
            | StoreError::Constraint { .. }
            | StoreError::Decode { .. }
            | StoreError::Encode { .. }
            | StoreError::Broken(_) => Self::Internal(error.to_string()),
        }
    }
}

/// A refused catalog write: a reference to no category is the field's 422, a category or item
/// still in use and a taken slug are 409s that say what to do instead.
impl From<CatalogError> for ApiError {
    fn from(error: CatalogError) -> Self {
        match error {
            CatalogError::UnknownCategory { field } => {
                Self::Validation(ValidationErrors(vec![FieldError::new(
                    field,
                    FieldErrorCode::NotAnOption,
                    None,
                )]))
            }
            CatalogError::CategoryInUse => Self::Conflict(
                "The category still has items or subcategories; move them or set active to false."
                    .to_owned(),
            ),
            CatalogError::ItemInUse => Self::Conflict(
                "Tickets were submitted with this item; set active to false instead.".to_owned(),
            ),
            CatalogError::SlugTaken { slug } => {
                Self::Conflict(format!("An item with slug {slug:?} already exists."))
            }
            CatalogError::Store(error) => error.into(),
        }
    }
}

/// Runtime failures (headers, bodies, bindings) that no handler expected are ours to fix.
impl From<worker::Error> for ApiError {
    fn from(error: worker::Error) -> Self {
        Self::Internal(format!("worker runtime: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_details_never_reach_the_problem() {
        let problem = ApiError::internal("D1_ERROR: no such table: tickets").problem(Locale::En);
        assert_eq!(problem.status, 500);
        assert_eq!(problem.kind, "https://edgedesk.dev/problems/internal");
        let body = serde_json::to_string(&problem).expect("serialises");
        assert!(!body.contains("D1_ERROR"), "{body}");
        assert!(!body.contains("tickets"), "{body}");
    }

    #[test]
    fn store_failures_are_ours_except_a_key_in_flight_or_a_reference_removed_meanwhile() {
        let refused = worker::Error::RustError(
            "D1_ERROR: UNIQUE constraint failed: tickets.org_id, tickets.number: SQLITE_CONSTRAINT"
                .to_owned(),
        );
        for error in [
            StoreError::d1("creating a ticket", &refused),
            StoreError::decode("stored JSON", "expected value"),
            StoreError::broken("reading a loaded ticket: too few results"),
        ] {
            let problem = ApiError::from(error).problem(Locale::En);
            assert_eq!(problem.status, 500);
            let body = serde_json::to_string(&problem).expect("serialises");
            assert!(
                !body.contains("tickets") && !body.contains("JSON"),
                "{body}"
            );
        }
        // A row removed meanwhile (a group deleted between a change's check and its write).
        let gone = worker::Error::RustError(
            "D1_ERROR: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT".to_owned(),
        );
        let problem =
            ApiError::from(StoreError::d1("changing a ticket", &gone)).problem(Locale::En);
        assert_eq!(problem.status, 409);
        assert!(
            !serde_json::to_string(&problem)
                .expect("serialises")
                .contains("FOREIGN")
        );
        let problem = ApiError::from(StoreError::KeyInFlight).problem(Locale::En);
        assert_eq!(problem.status, 409);
        assert_eq!(
            problem.detail.as_deref(),
            Some("A request with this Idempotency-Key is being handled; retry in a moment.")
        );
    }

    #[test]
    fn refused_catalog_writes_keep_their_statuses_and_words() {
        let unknown =
            ApiError::from(CatalogError::UnknownCategory { field: "parent" }).problem(Locale::En);
        assert_eq!(unknown.status, 422);
        assert_eq!(unknown.errors[0].field, "parent");
        assert_eq!(unknown.errors[0].code, FieldErrorCode::NotAnOption);
        let taken = ApiError::from(CatalogError::SlugTaken {
            slug: "laptop".to_owned(),
        })
        .problem(Locale::En);
        assert_eq!(taken.status, 409);
        assert_eq!(
            taken.detail.as_deref(),
            Some("An item with slug \"laptop\" already exists.")
        );
        for in_use in [CatalogError::CategoryInUse, CatalogError::ItemInUse] {
            let problem = ApiError::from(in_use).problem(Locale::En);
            assert_eq!(problem.status, 409);
            assert!(
                problem
                    .detail
                    .is_some_and(|d| d.contains("active to false")),
                "says what to do instead"
            );
        }
        let failed = ApiError::from(CatalogError::Store(StoreError::broken("x")));
        assert_eq!(failed.problem(Locale::En).status, 500);
    }

    #[test]
    fn validation_problem_carries_the_field_errors() {
        let errors = ValidationErrors(vec![FieldError::new(
            "subject",
            FieldErrorCode::Required,
            None,
        )]);
        let problem = ApiError::Validation(errors).problem(Locale::En);
        assert_eq!(problem.status, 422);
        assert_eq!(problem.errors.len(), 1);
        assert_eq!(problem.errors[0].field, "subject");
    }

    #[test]
    fn titles_and_field_messages_follow_the_locale_and_codes_do_not() {
        let errors = ValidationErrors(vec![FieldError::new(
            "subject",
            FieldErrorCode::TooShort,
            Some(3),
        )]);
        let english = ApiError::Validation(errors.clone()).problem(Locale::En);
        let polish = ApiError::Validation(errors).problem(Locale::Pl);
        assert_eq!(english.kind, polish.kind);
        assert_eq!(english.errors[0].code, polish.errors[0].code);
        assert_ne!(english.title, polish.title);
        assert_eq!(polish.errors[0].message, "Wpisz co najmniej 3 znaki.");
        assert_eq!(english.errors[0].message, "Enter at least 3 characters.");
    }

    #[test]
    fn each_error_has_its_status_and_its_own_type() {
        let cases = [
            (ApiError::MalformedBody("x".into()), 400),
            (ApiError::NotFound, 404),
            (ApiError::MethodNotAllowed(&["GET"]), 405),
            (ApiError::PayloadTooLarge { limit: 1 }, 413),
            (ApiError::UnsupportedMediaType, 415),
            (ApiError::Validation(ValidationErrors::default()), 422),
            (ApiError::TooManyRequests { retry_after: 1 }, 429),
            (ApiError::internal("x"), 500),
        ];
        let mut kinds = Vec::new();
        for (error, status) in cases {
            let problem = error.problem(Locale::En);
            assert_eq!(problem.status, status, "{error:?}");
            assert!(problem.kind.starts_with(PROBLEM_BASE));
            kinds.push(problem.kind);
        }
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), 8);
    }
}
