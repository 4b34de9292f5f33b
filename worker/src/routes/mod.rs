//! The `/api/v1` router: matches method and path, runs a handler, maps every error in one place.

mod admin;
mod catalog;
mod groups;
mod health;
mod me;
mod openapi;
mod orgs;
mod people;
mod portal;
mod requests;
mod sla;
mod test_clock;
mod tickets;
mod webhooks;
mod widget;

use std::future::Future;
use std::pin::Pin;

use edgedesk_core::Locale;
use worker::{Env, Request, Response};

use crate::config::{self, Config};
use crate::error::ApiError;

/// Declares the routes, one entry each: the path template, optionally `[early]` (answered
/// before configuration loads) or `[test_only]` (routed only where test routes are enabled),
/// then each method with its handler. Matching, `405` with `Allow` and the OpenAPI document's
/// tests all read the table this makes, so they cannot drift apart.
macro_rules! routes {
    (@method GET) => { "GET" };
    (@method POST) => { "POST" };
    (@method PUT) => { "PUT" };
    (@method PATCH) => { "PATCH" };
    (@method DELETE) => { "DELETE" };
    (@handlers [early] $($handler:path),+) => { &[$(Handler::Early($handler)),+] };
    (@handlers [$(test_only)?] $($handler:path),+) => {
        &[$(Handler::Full(|ctx| Box::pin($handler(ctx)))),+]
    };
    (@test_only [test_only]) => { true };
    (@test_only [$(early)?]) => { false };
    ($($template:literal $([$flag:ident])? => $($method:ident $handler:path),+;)*) => {
        /// Every route, in matching order: the first template that fits a path decides it.
        const ROUTES: &[Route] = &[$(Route {
            template: $template,
            methods: &[$(routes!(@method $method)),+],
            handlers: routes!(@handlers [$($flag)?] $($handler),+),
            test_only: routes!(@test_only [$($flag)?]),
        }),*];
    };
}

routes! {
    "/api/v1/health" [early] => GET health::get;
    "/api/v1/openapi.json" [early] => GET openapi::get;
    "/api/v1/portal" => GET orgs::portal;
    "/api/v1/orgs/{org}" => GET orgs::get;
    "/api/v1/orgs/{org}/requests" => POST requests::create;
    "/api/v1/requests/{id}" => GET requests::get;
    "/api/v1/requests/{id}/comments" => GET requests::comments;
    "/api/v1/requests/{id}/replies" => POST requests::reply;
    "/api/v1/requests/{id}/timeline" => GET requests::timeline;
    "/api/v1/bootstrap" => POST admin::bootstrap;
    "/api/v1/admin/tokens" => GET admin::list_tokens, POST admin::create_token;
    "/api/v1/admin/tokens/{id}" => DELETE admin::revoke_token;
    "/api/v1/admin/people" => GET people::list, POST people::create;
    "/api/v1/admin/people/{id}" => GET people::get, PATCH people::patch;
    "/api/v1/admin/people/{id}/sign-in-links" => POST people::sign_in_link;
    "/api/v1/admin/invitations" => GET people::invitations, POST people::invite;
    "/api/v1/admin/invitations/{id}" => DELETE people::revoke_invitation;
    "/api/v1/me" => GET me::me;
    "/api/v1/me/sessions" => GET me::sessions;
    "/api/v1/me/sessions/{id}" => DELETE me::end_session;
    "/api/v1/sign-in/link" => POST me::sign_in_with_link;
    "/api/v1/sign-out" => POST me::sign_out;
    "/api/v1/tickets" => GET tickets::list;
    "/api/v1/tickets/counts" => GET tickets::counts;
    "/api/v1/tickets/{id}" => GET tickets::get, PATCH tickets::patch;
    "/api/v1/tickets/{id}/comments" => GET tickets::comments, POST tickets::add_comment;
    "/api/v1/tickets/{id}/events" => GET tickets::events;
    "/api/v1/orgs/{org}/catalog" => GET catalog::public_catalog;
    "/api/v1/orgs/{org}/catalog/{item}" => GET catalog::public_item;
    "/api/v1/admin/catalog" => GET catalog::admin_catalog;
    "/api/v1/admin/catalog/categories" => POST catalog::create_category;
    "/api/v1/admin/catalog/categories/{slug}" =>
        PUT catalog::put_category, DELETE catalog::delete_category;
    "/api/v1/admin/catalog/items" => POST catalog::create_item;
    "/api/v1/admin/catalog/items/{item}" =>
        GET catalog::get_item, PATCH catalog::patch_item, DELETE catalog::delete_item;
    "/api/v1/admin/catalog/items/{item}/form" => PUT catalog::put_form;
    "/api/v1/admin/catalog/items/{item}/forms/{version}" => GET catalog::get_form;
    "/api/v1/admin/priority-matrix" => GET catalog::get_matrix, PUT catalog::put_matrix;
    "/api/v1/admin/sla/calendars" => GET sla::list_calendars, POST sla::create_calendar;
    "/api/v1/admin/sla/calendars/{id}" =>
        GET sla::get_calendar, PUT sla::put_calendar, DELETE sla::delete_calendar;
    "/api/v1/admin/sla/policies" => GET sla::list_policies, POST sla::create_policy;
    "/api/v1/admin/sla/policies/{id}" =>
        GET sla::get_policy, PUT sla::put_policy, DELETE sla::delete_policy;
    "/api/v1/admin/webhooks" => GET webhooks::list, POST webhooks::create;
    "/api/v1/admin/webhooks/{id}" =>
        GET webhooks::get, PUT webhooks::put, DELETE webhooks::delete;
    "/api/v1/orgs/{org}/widget" => GET widget::public_config;
    "/api/v1/admin/widget" => GET widget::get_settings, PUT widget::put_settings;
    "/api/v1/groups" => GET groups::list, POST groups::create;
    "/api/v1/groups/{slug}" => GET groups::get, PUT groups::put, DELETE groups::delete;
    "/api/v1/test/clock" [test_only] => POST test_clock::advance;
}

/// One route: its path template and what answers each of its methods.
struct Route {
    /// `/`-separated; a `{name}` segment matches any one segment and captures it as `name`.
    template: &'static str,
    /// The methods served, as `Allow` lists them.
    methods: &'static [&'static str],
    /// The handler of each method, in the order of `methods`.
    handlers: &'static [Handler],
    /// Routed only in test deployments; elsewhere its path is unknown (404 for every method).
    test_only: bool,
}

/// A handler's answer, still to be awaited (workers-rs futures are not `Send`).
type Answer<'a> = Pin<Box<dyn Future<Output = Result<Response, ApiError>> + 'a>>;

/// What answers one method of a route.
#[derive(Clone, Copy)]
enum Handler {
    /// Answers before configuration loads: liveness and the API's description must not depend
    /// on configuration or D1.
    Early(fn(&Request) -> Result<Response, ApiError>),
    /// Everything else, given the loaded configuration.
    Full(for<'a> fn(Ctx<'a>) -> Answer<'a>),
}

/// What a handler is given: the request, the deployment's configuration and the path's
/// parameters (fields, so a handler can take the request and still read a parameter).
pub struct Ctx<'a> {
    pub req: Request,
    pub config: &'a Config,
    pub params: Params<'a>,
}

/// Most `{name}`s a template may have (the tests check every template): the captures live in
/// an array, so matching allocates nothing.
const MAX_PARAMS: usize = 3;

/// A matched path's parameters: template names with the segments they captured.
#[derive(Debug, Clone, Copy)]
pub struct Params<'p> {
    template: &'static str,
    found: [(&'static str, &'p str); MAX_PARAMS],
    len: usize,
}

impl<'p> Params<'p> {
    const fn of(template: &'static str) -> Self {
        Self {
            template,
            found: [("", ""); MAX_PARAMS],
            len: 0,
        }
    }

    /// The path segment captured as `{name}`, raw: its handler parses it.
    ///
    /// # Errors
    /// Internal if the route's template has no `{name}`: the handler asks for the wrong one.
    pub fn get(&self, name: &str) -> Result<&'p str, ApiError> {
        self.as_slice()
            .iter()
            .find_map(|(found, value)| (*found == name).then_some(*value))
            .ok_or_else(|| ApiError::internal(format!("{} has no {{{name}}}", self.template)))
    }

    /// `None` when full, which the tests rule out for every template.
    fn push(&mut self, name: &'static str, value: &'p str) -> Option<()> {
        *self.found.get_mut(self.len)? = (name, value);
        self.len += 1;
        Some(())
    }

    fn as_slice(&self) -> &[(&'static str, &'p str)] {
        self.found.get(..self.len).unwrap_or_default()
    }
}

impl Route {
    /// `path`'s parameters when it has this route's shape: as many segments, the literal ones
    /// equal.
    fn capture<'p>(&self, path: &'p str) -> Option<Params<'p>> {
        let mut params = Params::of(self.template);
        let mut given = path.split('/');
        for wanted in self.template.split('/') {
            let segment = given.next()?;
            match wanted.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                Some(name) => params.push(name, segment)?,
                None if wanted == segment => {}
                None => return None,
            }
        }
        given.next().is_none().then_some(params)
    }
}

/// A request's route, the handler of its method and its path's parameters.
struct Endpoint<'p> {
    route: &'static Route,
    handler: Handler,
    params: Params<'p>,
}

impl std::fmt::Debug for Endpoint<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("template", &self.route.template)
            .field("params", &self.params.as_slice())
            .finish_non_exhaustive()
    }
}

/// Answers one API request; every failure becomes problem+json.
///
/// # Errors
/// Only when the runtime cannot build even the error response.
pub async fn handle(req: Request, env: &Env) -> worker::Result<Response> {
    let started_ms = worker::Date::now().as_millis();
    let request_id = crate::request_log::request_id(&req);
    // The raw method: worker's `Method` maps unknown methods to GET, which would hide a 405.
    let method = req.inner().method();
    let path = req.path();
    let locale = req
        .headers()
        .get("accept-language")
        .ok()
        .flatten()
        .map_or(Locale::En, |header| Locale::from_accept_language(&header));
    // The embeddable widget calls a few public routes from other sites' pages.
    let cross_origin = crate::cors::is_widget_route(&path)
        .then(|| req.headers().get("origin").ok().flatten())
        .flatten();
    if let Some(origin) = &cross_origin
        && method == "OPTIONS"
        && req
            .headers()
            .get("access-control-request-method")
            .ok()
            .flatten()
            .is_some()
    {
        return crate::cors::preflight(origin);
    }
    let bench = config::bench_enabled(env);
    if bench {
        crate::db::round_trips::reset();
    }
    let api = path.starts_with("/api/");
    // For the log line only (dispatch resolves again): a few string comparisons.
    let endpoint = api
        .then(|| resolve(&method, &path, config::test_clock_enabled(env)).ok())
        .flatten();
    let result = if api {
        dispatch(req, env, &method, &path).await
    } else {
        portal::fallback(&req, env, &method, &path).await
    };
    let mut response = match result {
        Ok(response) => response,
        Err(error) => {
            if let ApiError::Internal(message) = &error {
                // The only record of what went wrong: the client gets a generic 500.
                // `[ERROR]` whatever the log viewer adds: the test run fails on any such line.
                worker::console_error!("[ERROR] {request_id} {method} {path}: {message}");
            }
            error.into_response(locale, &request_id)?
        }
    };
    if let Some(origin) = &cross_origin {
        crate::cors::allow(&mut response, origin)?;
    }
    // Not on the portal's pages: the assets' answers have immutable headers (setting one fails).
    if bench && api {
        let trips = crate::db::round_trips::count().to_string();
        response.headers_mut().set("x-d1-round-trips", &trips)?;
        let written = crate::db::round_trips::rows_written().to_string();
        response.headers_mut().set("x-d1-rows-written", &written)?;
    }
    if api {
        let header = crate::request_log::REQUEST_ID_HEADER;
        response.headers_mut().set(header, &request_id)?;
    }
    let line = crate::request_log::RequestLine {
        kind: "request",
        request_id: &request_id,
        method: &method,
        route: if api {
            endpoint.as_ref().map(|e| e.route.template)
        } else {
            Some("portal")
        },
        status: response.status_code(),
        duration_ms: worker::Date::now().as_millis().saturating_sub(started_ms),
        d1_round_trips: bench.then(crate::db::round_trips::count),
        org: endpoint.as_ref().and_then(|e| e.params.get("org").ok()),
    };
    worker::console_log!("{}", line.to_json());
    Ok(response)
}

async fn dispatch(req: Request, env: &Env, method: &str, path: &str) -> Result<Response, ApiError> {
    let endpoint = resolve(method, path, config::test_clock_enabled(env))?;
    match endpoint.handler {
        Handler::Early(answer) => answer(&req),
        Handler::Full(answer) => {
            let start = session_start(&req, method)?;
            let config = Config::load_in_session(env, &start).await?;
            let params = endpoint.params;
            let mut response = answer(Ctx {
                req,
                config: &config,
                params,
            })
            .await?;
            if let Some(bookmark) = config.bookmark() {
                response.headers_mut().set(BOOKMARK_HEADER, &bookmark)?;
            }
            Ok(response)
        }
    }
}

/// A D1 session bookmark: sent back on every answer that ran in a session, and taken from a
/// request, so a client that wrote reads its own write (or newer) even on a read replica.
pub const BOOKMARK_HEADER: &str = "x-d1-bookmark";

/// Where a request's D1 session starts: a read at the client's bookmark (anywhere, without
/// one); a write at the primary.
///
/// # Errors
/// 400 for a bookmark that is not one (D1's are hex groups and dashes).
fn session_start(req: &Request, method: &str) -> Result<String, ApiError> {
    if !matches!(method, "GET" | "HEAD") {
        return Ok("first-primary".to_owned());
    }
    match req.headers().get(BOOKMARK_HEADER)? {
        None => Ok("first-unconstrained".to_owned()),
        Some(bookmark) if is_bookmark(&bookmark) => Ok(bookmark),
        Some(_) => Err(ApiError::MalformedBody(format!(
            "{BOOKMARK_HEADER} is not a bookmark this desk gave"
        ))),
    }
}

/// The shape of D1's bookmarks: groups of hex digits joined by dashes, at most 128 bytes.
fn is_bookmark(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 128
        && value.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-')
}

/// Maps method and path to a route: unknown paths are 404, known paths with another method 405.
/// A trailing `/` is ignored. Test-only routes are unknown paths unless `test_routes`.
fn resolve<'p>(method: &str, path: &'p str, test_routes: bool) -> Result<Endpoint<'p>, ApiError> {
    let path = path.trim_end_matches('/');
    let (route, params) = ROUTES
        .iter()
        .filter(|route| test_routes || !route.test_only)
        .find_map(|route| Some((route, route.capture(path)?)))
        .ok_or(ApiError::NotFound)?;
    let handler = route
        .methods
        .iter()
        .zip(route.handlers)
        .find_map(|(served, handler)| (*served == method).then_some(*handler))
        .ok_or(ApiError::MethodNotAllowed(route.methods))?;
    Ok(Endpoint {
        route,
        handler,
        params,
    })
}

/// The `{name}`s of a path template, in order.
#[cfg(test)]
fn template_parameters(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The template a request resolves to, with its captured parameters.
    fn resolved<'p>(
        method: &str,
        path: &'p str,
        test_routes: bool,
    ) -> Option<(&'static str, Vec<(&'static str, &'p str)>)> {
        let endpoint = resolve(method, path, test_routes).ok()?;
        Some((endpoint.route.template, endpoint.params.as_slice().to_vec()))
    }

    #[test]
    fn known_paths_resolve_with_their_parameters() {
        assert_eq!(
            resolved("GET", "/api/v1/health", false),
            Some(("/api/v1/health", vec![]))
        );
        assert_eq!(
            resolved("GET", "/api/v1/portal/", false),
            Some(("/api/v1/portal", vec![]))
        );
        assert_eq!(
            resolved("GET", "/api/v1/orgs/demo", false),
            Some(("/api/v1/orgs/{org}", vec![("org", "demo")]))
        );
        assert_eq!(
            resolved("POST", "/api/v1/orgs/demo/requests", false),
            Some(("/api/v1/orgs/{org}/requests", vec![("org", "demo")]))
        );
        assert_eq!(
            resolved("GET", "/api/v1/requests/01JD0000000000000000000000", false),
            Some((
                "/api/v1/requests/{id}",
                vec![("id", "01JD0000000000000000000000")]
            ))
        );
        // A literal segment listed before a parameter in the same place wins.
        assert_eq!(
            resolved("GET", "/api/v1/tickets/counts", false),
            Some(("/api/v1/tickets/counts", vec![]))
        );
    }

    #[test]
    fn catalog_paths_resolve_with_their_parameters() {
        assert_eq!(
            resolved("GET", "/api/v1/orgs/demo/catalog/access-request", false),
            Some((
                "/api/v1/orgs/{org}/catalog/{item}",
                vec![("org", "demo"), ("item", "access-request")]
            ))
        );
        assert_eq!(
            resolved("GET", "/api/v1/admin/catalog/items/laptop/forms/2", false),
            Some((
                "/api/v1/admin/catalog/items/{item}/forms/{version}",
                vec![("item", "laptop"), ("version", "2")]
            ))
        );
        assert!(matches!(
            resolve("POST", "/api/v1/admin/catalog/items/laptop/form", false),
            Err(ApiError::MethodNotAllowed(["PUT"]))
        ));
        assert!(matches!(
            resolve("GET", "/api/v1/admin/catalog/categories", false),
            Err(ApiError::MethodNotAllowed(["POST"]))
        ));
    }

    #[test]
    fn the_test_clock_exists_only_in_test_deployments() {
        for method in ["POST", "GET"] {
            assert!(
                matches!(
                    resolve(method, "/api/v1/test/clock", false),
                    Err(ApiError::NotFound)
                ),
                "{method}"
            );
        }
        assert_eq!(
            resolved("POST", "/api/v1/test/clock", true),
            Some(("/api/v1/test/clock", vec![]))
        );
    }

    #[test]
    fn sla_admin_paths_resolve() {
        assert_eq!(
            resolved("PUT", "/api/v1/admin/sla/policies/p1", false),
            Some(("/api/v1/admin/sla/policies/{id}", vec![("id", "p1")]))
        );
        assert!(matches!(
            resolve("PATCH", "/api/v1/admin/sla/calendars/c1", false),
            Err(ApiError::MethodNotAllowed(["GET", "PUT", "DELETE"]))
        ));
    }

    #[test]
    fn only_bookmark_shaped_values_start_a_session() {
        assert!(is_bookmark(
            "0000000a-00000001-00004e5e-7b2d7a4b3f1c5e9d8a6b4c2e0f1a3b5c"
        ));
        for bad in [
            "",
            "-",
            "first-primary",
            "0000000a-",
            "12 34",
            &"a".repeat(129),
        ] {
            assert!(!is_bookmark(bad), "{bad:?}");
        }
    }

    #[test]
    fn unknown_paths_are_not_found() {
        for path in [
            "",
            "/",
            "/api",
            "/api/v1",
            "/api/v2/health",
            "/api/v1/nope",
            "/api/v1//health",
            "/api/v1/orgs",
            "/api/v1/orgs/demo/requests/extra",
            "api/v1/health",
        ] {
            assert!(
                matches!(resolve("GET", path, false), Err(ApiError::NotFound)),
                "{path}"
            );
        }
    }

    #[test]
    fn known_paths_with_another_method_list_what_is_allowed() {
        assert!(matches!(
            resolve("POST", "/api/v1/health", false),
            Err(ApiError::MethodNotAllowed(["GET"]))
        ));
        assert!(matches!(
            resolve("GET", "/api/v1/orgs/demo/requests", false),
            Err(ApiError::MethodNotAllowed(["POST"]))
        ));
        for method in ["DELETE", "HEAD", "PROPFIND", "get"] {
            assert!(
                matches!(
                    resolve(method, "/api/v1/requests/x", false),
                    Err(ApiError::MethodNotAllowed(["GET"]))
                ),
                "{method}"
            );
        }
    }

    #[test]
    fn a_parameter_the_template_lacks_is_an_internal_error_naming_the_template() {
        let params = resolve("GET", "/api/v1/tickets/t1", false)
            .expect("a ticket path")
            .params;
        assert_eq!(params.get("id").ok(), Some("t1"));
        match params.get("org") {
            Err(ApiError::Internal(message)) => {
                assert_eq!(message, "/api/v1/tickets/{id} has no {org}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn liveness_and_the_description_are_answered_without_configuration() {
        for route in ROUTES {
            let early = route
                .handlers
                .iter()
                .any(|handler| matches!(handler, Handler::Early(_)));
            let expected = ["/api/v1/health", "/api/v1/openapi.json"].contains(&route.template);
            assert_eq!(early, expected, "{}", route.template);
        }
    }

    /// Methods probed on every listed path: the listed ones must resolve, any other is a 405.
    const PROBED_METHODS: [&str; 8] = [
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND",
    ];

    /// A concrete path for `template`: each `{name}` becomes `sample-name`.
    fn instantiate(template: &str) -> String {
        template
            .split('/')
            .map(
                |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => format!("sample-{name}"),
                    None => segment.to_owned(),
                },
            )
            .collect::<Vec<_>>()
            .join("/")
    }

    fn sorted(methods: &[&str]) -> Vec<String> {
        let mut methods: Vec<String> = methods.iter().map(|m| (*m).to_owned()).collect();
        methods.sort();
        methods
    }

    #[test]
    fn every_listed_route_resolves_with_exactly_its_methods_and_parameters() {
        for route in ROUTES {
            let template = route.template;
            let path = instantiate(template);
            // Each parameter is captured under its template name, and no other.
            let expected: Vec<(&str, String)> = template_parameters(template)
                .map(|name| (name, format!("sample-{name}")))
                .collect();
            for method in PROBED_METHODS {
                match resolve(method, &path, true) {
                    Ok(endpoint) => {
                        assert!(
                            route.methods.contains(&method),
                            "{method} {path} is served, unlisted"
                        );
                        assert_eq!(endpoint.route.template, template, "{method} {path}");
                        let captured: Vec<(&str, String)> = endpoint
                            .params
                            .as_slice()
                            .iter()
                            .map(|(name, value)| (*name, (*value).to_owned()))
                            .collect();
                        assert_eq!(captured, expected, "{method} {path}");
                    }
                    Err(ApiError::MethodNotAllowed(allowed)) => {
                        assert!(
                            !route.methods.contains(&method),
                            "{method} {path} is listed, not served"
                        );
                        assert_eq!(sorted(allowed), sorted(route.methods), "{method} {path}");
                    }
                    Err(other) => panic!("{method} {path}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn every_template_and_method_is_declared_once_and_well_formed() {
        let templates: BTreeSet<&str> = ROUTES.iter().map(|route| route.template).collect();
        assert_eq!(
            templates.len(),
            ROUTES.len(),
            "a template is declared twice"
        );
        for route in ROUTES {
            let template = route.template;
            let methods: BTreeSet<&str> = route.methods.iter().copied().collect();
            assert_eq!(
                methods.len(),
                route.methods.len(),
                "{template}: a method twice"
            );
            assert_eq!(route.handlers.len(), route.methods.len(), "{template}");
            assert!(
                template.starts_with("/api/v1/") && !template.ends_with('/'),
                "{template}"
            );
            // A `{` or `}` outside a whole `{name}` segment would be matched literally.
            let braces = template.matches(['{', '}']).count();
            let parameters = template_parameters(template).count();
            assert_eq!(braces, 2 * parameters, "{template}");
            assert!(parameters <= MAX_PARAMS, "{template}: raise MAX_PARAMS");
        }
    }

    #[test]
    fn only_the_test_clock_depends_on_test_routes() {
        let test_only: Vec<&str> = ROUTES
            .iter()
            .filter(|route| route.test_only)
            .map(|route| route.template)
            .collect();
        assert_eq!(test_only, ["/api/v1/test/clock"]);
        for route in ROUTES {
            let template = route.template;
            let path = instantiate(template);
            let outside_tests = resolve(route.methods[0], &path, false);
            if route.test_only {
                assert!(
                    matches!(outside_tests, Err(ApiError::NotFound)),
                    "{template}"
                );
            } else {
                assert!(outside_tests.is_ok(), "{template}: {outside_tests:?}");
            }
        }
    }
}
