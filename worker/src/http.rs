//! Reading requests (body size, media type, JSON; the desk's own origin) and writing JSON
//! responses.

use futures_util::StreamExt as _;
use serde::Serialize;
use serde::de::DeserializeOwned;
use worker::{Request, Response};

use crate::error::ApiError;

/// Largest request body we read: request forms are a few KB, anything near this is abuse.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// API answers are per requester (tokens, drafts): no shared or browser cache may keep them.
pub const NO_STORE: &str = "no-store";

/// Reads a JSON body, refusing oversize bodies (413), other media types (415) and JSON that
/// does not fit `T` (400, with the parser's message).
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> Result<T, ApiError> {
    read_json_raw(req).await.map(|(value, _)| value)
}

/// [`read_json`], also returning the body's bytes (an idempotent create fingerprints them).
pub async fn read_json_raw<T: DeserializeOwned>(
    req: &mut Request,
) -> Result<(T, Vec<u8>), ApiError> {
    let too_large = || ApiError::PayloadTooLarge {
        limit: MAX_BODY_BYTES,
    };
    let declared = req.headers().get("content-length")?;
    if declared_too_large(declared.as_deref(), MAX_BODY_BYTES) {
        return Err(too_large());
    }
    let content_type = req.headers().get("content-type")?;
    if !is_json_media_type(content_type.as_deref().unwrap_or_default()) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let bytes = read_capped(req, MAX_BODY_BYTES)
        .await?
        .ok_or_else(too_large)?;
    let value =
        serde_json::from_slice(&bytes).map_err(|e| ApiError::MalformedBody(e.to_string()))?;
    Ok((value, bytes))
}

/// The client's address as Cloudflare reports it (`cf-connecting-ip`); `unknown` when absent.
#[must_use]
pub fn client_ip(req: &Request) -> String {
    req.headers()
        .get("cf-connecting-ip")
        .ok()
        .flatten()
        .map_or_else(|| "unknown".to_owned(), |ip| ip.trim().to_owned())
}

/// Reads the body chunk by chunk and stops as soon as it passes `limit` (`None`), so a chunked
/// upload without Content-Length cannot make us buffer more than `limit` bytes.
async fn read_capped(req: &mut Request, limit: usize) -> Result<Option<Vec<u8>>, ApiError> {
    // A POST without a body has no stream at all; an empty body then fails JSON parsing (400).
    if req.inner().body().is_none() {
        return Ok(Some(Vec::new()));
    }
    let mut stream = req
        .stream()
        .map_err(|e| ApiError::internal(format!("opening the request body: {e}")))?;
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        // The body broke off (shorter than its Content-Length, or the client went away):
        // the request is incomplete, so nothing of it is acted on.
        let chunk = chunk.map_err(|_| {
            ApiError::MalformedBody("the body ended before its declared length".to_owned())
        })?;
        if body.len() + chunk.len() > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// Whether a Content-Length header announces more than `limit` bytes. An unparsable value is
/// not judged here: the capped read still enforces the limit on what actually arrives.
fn declared_too_large(content_length: Option<&str>, limit: usize) -> bool {
    content_length
        .and_then(|v| v.trim().parse::<u128>().ok())
        .is_some_and(|len| len > limit as u128)
}

/// `application/json`, in any case, with or without parameters such as `charset`.
fn is_json_media_type(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// A JSON response with `status`, never cached.
pub fn json<T: Serialize>(status: u16, value: &T) -> Result<Response, ApiError> {
    let mut response = Response::from_json(value)?.with_status(status);
    response.headers_mut().set("cache-control", NO_STORE)?;
    Ok(response)
}

/// A query parameter's value, if present. Read from the raw URL string: `Request::url()`
/// would link the `url` crate's IDNA tables, doubling the worker's size for a query string.
#[must_use]
pub fn query_param(req: &Request, name: &str) -> Option<String> {
    let url = req.inner().url();
    let query = url.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// `204 No Content` (after a delete).
pub fn no_content() -> Result<Response, ApiError> {
    let mut response = Response::empty()?.with_status(204);
    response.headers_mut().set("cache-control", NO_STORE)?;
    Ok(response)
}

/// `scheme://host[:port]` of a request URL, from the raw string: `Request::url()` would link the
/// `url` crate's IDNA tables into the worker (85 KB of its gzip, measured) for this.
///
/// Its input is a URL as the runtime hands it over: absolute `http(s)`, serialised by WHATWG's
/// rules (lower-case host, no default port, IPv6 compressed). For those it is the URL's origin as
/// the `url` crate serialises it (the tests compare on generated URLs); userinfo, which requests
/// cannot carry, is left out of it too.
pub fn own_origin(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    format!("{scheme}://{host}")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn json_media_type_allows_parameters_and_any_case() {
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON;charset=UTF-8",
            " application/json ",
        ] {
            assert!(is_json_media_type(ok), "{ok:?}");
        }
        for bad in [
            "",
            "text/plain",
            "application/jsonx",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/problem+json",
        ] {
            assert!(!is_json_media_type(bad), "{bad:?}");
        }
    }

    #[test]
    fn declared_length_is_refused_only_above_the_limit() {
        assert!(!declared_too_large(None, 10));
        assert!(!declared_too_large(Some("10"), 10));
        assert!(declared_too_large(Some(" 11 "), 10));
        assert!(declared_too_large(Some("99999999999999999999"), 10));
        // Garbage is left to the capped read rather than rejected as too large.
        assert!(!declared_too_large(Some("lots"), 10));
    }

    #[test]
    fn the_own_origin_is_the_url_up_to_its_path() {
        assert_eq!(
            own_origin("https://desk.example/api/v1/orgs/acme/requests"),
            "https://desk.example"
        );
        assert_eq!(
            own_origin("http://127.0.0.1:8787/x?y=1"),
            "http://127.0.0.1:8787"
        );
        assert_eq!(own_origin("http://127.0.0.1:8787"), "http://127.0.0.1:8787");
        assert_eq!(
            own_origin("https://u:p@desk.example/"),
            "https://desk.example"
        );
    }

    /// A host of every kind URLs have: names (beyond ASCII too), IPv4 in the forms browsers
    /// rewrite, IPv6 literals in any spelling.
    fn host() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::collection::vec("[a-zA-Z0-9-]{1,6}", 1..4).prop_map(|labels| labels.join(".")),
            prop::sample::select(vec![
                "bücher.example",
                "ÉCOLE.fr",
                "xn--mnchen-3ya.de",
                "localhost"
            ])
            .prop_map(str::to_owned),
            any::<std::net::Ipv4Addr>().prop_map(|ip| ip.to_string()),
            any::<u32>().prop_map(|n| format!("{n:#x}")),
            prop::sample::select(vec!["127.1", "0x7f.0.0.1", "010.0.0.1"]).prop_map(str::to_owned),
            any::<[u16; 8]>()
                .prop_map(|pieces| { format!("[{}]", std::net::Ipv6Addr::from(pieces)) }),
            any::<[u16; 8]>()
                .prop_map(|pieces| { format!("[{}]", pieces.map(|p| format!("{p:X}")).join(":")) }),
        ]
    }

    /// Absolute URLs with any userinfo, port, path, query and fragment.
    fn url_text() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec!["http", "https", "HTTPS"]),
            prop::option::of(prop::sample::select(vec!["user@", "u:p@", "a%40b:@", "@"])),
            host(),
            prop::option::of(any::<u16>()),
            "(/[a-z0-9.%@:]{0,6}){0,3}",
            prop::option::of("[a-z0-9=&/?@:]{0,8}"),
            prop::option::of("[a-z0-9/?@]{0,6}"),
        )
            .prop_map(|(scheme, user, host, port, path, query, fragment)| {
                let mut url = format!("{scheme}://{}{host}", user.unwrap_or_default());
                if let Some(port) = port {
                    url.push_str(&format!(":{port}"));
                }
                url.push_str(&path);
                if let Some(query) = query {
                    url.push_str(&format!("?{query}"));
                }
                if let Some(fragment) = fragment {
                    url.push_str(&format!("#{fragment}"));
                }
                url
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1_000))]

        #[test]
        fn the_own_origin_is_the_urls_origin(raw in url_text()) {
            // The runtime hands over URLs as WHATWG serialises them.
            if let Ok(url) = url::Url::parse(&raw) {
                prop_assert_eq!(own_origin(url.as_str()), url.origin().ascii_serialization());
            }
        }
    }
}
