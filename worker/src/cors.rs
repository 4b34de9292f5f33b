//! CORS for the routes the embeddable widget calls from other sites' pages.
//!
//! Reads are public anyway, and answering every origin lets the widget read our problem+json
//! (a refused origin must see *why*); whether a site may submit is decided by the
//! organisation's allowlist when the request is created, not here.

use worker::{Headers, Response};

/// Headers the widget sends.
const ALLOW_HEADERS: &str = "content-type, accept-language, idempotency-key";

/// Whether `path` is one the widget calls: an organisation's profile, its widget settings,
/// its catalog and items, and submitting a request.
#[must_use]
pub fn is_widget_route(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    matches!(
        segments.as_slice(),
        ["", "api", "v1", "orgs", _]
            | [
                "",
                "api",
                "v1",
                "orgs",
                _,
                "widget" | "requests" | "catalog"
            ]
            | ["", "api", "v1", "orgs", _, "catalog", _]
    )
}

/// The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`) from `origin`.
///
/// # Errors
/// Only if the runtime cannot build a response.
pub fn preflight(origin: &str) -> worker::Result<Response> {
    let headers = Headers::new();
    headers.set("access-control-allow-origin", origin)?;
    headers.set("access-control-allow-methods", "GET, POST")?;
    headers.set("access-control-allow-headers", ALLOW_HEADERS)?;
    headers.set("access-control-max-age", "600")?;
    headers.set("vary", "Origin")?;
    Ok(Response::empty()?.with_status(204).with_headers(headers))
}

/// Lets the page at `origin` read `response`.
///
/// # Errors
/// Only if the runtime refuses to set a header.
pub fn allow(response: &mut Response, origin: &str) -> worker::Result<()> {
    let headers = response.headers_mut();
    headers.set("access-control-allow-origin", origin)?;
    headers.set(
        "access-control-expose-headers",
        "location, content-language",
    )?;
    // Answers differ by origin (the allowlist) and may be cached by browsers per origin.
    headers.append("vary", "Origin")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_widget_route;

    #[test]
    fn only_the_public_widget_routes_are_cross_origin() {
        for path in [
            "/api/v1/orgs/acme",
            "/api/v1/orgs/acme/widget",
            "/api/v1/orgs/acme/requests",
            "/api/v1/orgs/acme/catalog",
            "/api/v1/orgs/acme/catalog/access-request/",
        ] {
            assert!(is_widget_route(path), "{path}");
        }
        for path in [
            "/api/v1/tickets",
            "/api/v1/admin/widget",
            "/api/v1/requests/01JD0000000000000000000000",
            "/api/v1/orgs/acme/catalog/a/b",
            "/api/v1/orgs",
        ] {
            assert!(!is_widget_route(path), "{path}");
        }
    }
}
