//! The portal's addresses that are not files: the single-page app's `index.html` for a page,
//! a 404 for a missing file under `/assets/` (a stale hashed name must fail, not load HTML).

use worker::{Env, Request, Response};

use crate::error::ApiError;

/// What the assets did not have (wrangler.toml: `not_found_handling = "none"`).
pub async fn fallback(
    req: &Request,
    env: &Env,
    method: &str,
    path: &str,
) -> Result<Response, ApiError> {
    if path.starts_with("/assets/") || !matches!(method, "GET" | "HEAD") {
        return Err(ApiError::NotFound);
    }
    let index = format!("{}/", crate::http::own_origin(&req.inner().url()));
    Ok(env.assets("ASSETS")?.fetch(index, None).await?)
}
