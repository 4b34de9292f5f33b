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
    // The origin by hand: `Request::url` parses with the url crate, whose IDNA tables were
    // 85 KB of the worker's gzip.
    let url = req.inner().url();
    let origin_end = url
        .find("://")
        .and_then(|scheme| url[scheme + 3..].find('/').map(|path| scheme + 3 + path))
        .unwrap_or(url.len());
    let index = format!("{}/", &url[..origin_end]);
    Ok(env.assets("ASSETS")?.fetch(index, None).await?)
}
