//! The `/api/v1` router: matches method and path, runs a handler, maps every error in one place.

mod admin;
mod catalog;
mod groups;
mod health;
mod openapi;
mod orgs;
mod portal;
mod requests;
mod sla;
mod test_clock;
mod tickets;
mod webhooks;
mod widget;

use edgedesk_core::Locale;
use worker::{Env, Request, Response};

use crate::config::{self, Config};
use crate::error::ApiError;

/// A matched route; path parameters are raw segments, parsed by their handler.
#[derive(Debug, PartialEq, Eq)]
enum Route<'a> {
    Health,
    OpenApi,
    Portal,
    Org {
        org: &'a str,
    },
    CreateRequest {
        org: &'a str,
    },
    Request {
        id: &'a str,
    },
    RequestComments {
        id: &'a str,
    },
    RequestReplies {
        id: &'a str,
    },
    RequestTimeline {
        id: &'a str,
    },
    Bootstrap,
    Tokens,
    Token {
        id: &'a str,
    },
    Tickets,
    TicketCounts,
    Ticket {
        id: &'a str,
    },
    TicketComments {
        id: &'a str,
    },
    TicketEvents {
        id: &'a str,
    },
    Catalog {
        org: &'a str,
    },
    CatalogItem {
        org: &'a str,
        item: &'a str,
    },
    AdminCatalog,
    Categories,
    Category {
        slug: &'a str,
    },
    Items,
    Item {
        item: &'a str,
    },
    ItemForm {
        item: &'a str,
    },
    ItemFormVersion {
        item: &'a str,
        version: &'a str,
    },
    PriorityMatrix,
    SlaCalendars,
    SlaCalendar {
        id: &'a str,
    },
    SlaPolicies,
    SlaPolicy {
        id: &'a str,
    },
    Webhooks,
    Webhook {
        id: &'a str,
    },
    Widget {
        org: &'a str,
    },
    AdminWidget,
    Groups,
    Group {
        slug: &'a str,
    },
    /// Exists only in test deployments.
    TestClock,
}

/// Every path template the worker serves, with its methods: the one list that the router's
/// tests and the OpenAPI document's tests compare against (`resolve` keeps its slice patterns,
/// which capture parameters without allocating).
#[cfg(test)]
const ROUTES: &[(&str, &[&str])] = &[
    ("/api/v1/health", &["GET"]),
    ("/api/v1/openapi.json", &["GET"]),
    ("/api/v1/portal", &["GET"]),
    ("/api/v1/orgs/{org}", &["GET"]),
    ("/api/v1/orgs/{org}/requests", &["POST"]),
    ("/api/v1/requests/{id}", &["GET"]),
    ("/api/v1/requests/{id}/comments", &["GET"]),
    ("/api/v1/requests/{id}/replies", &["POST"]),
    ("/api/v1/requests/{id}/timeline", &["GET"]),
    ("/api/v1/bootstrap", &["POST"]),
    ("/api/v1/admin/tokens", &["GET", "POST"]),
    ("/api/v1/admin/tokens/{id}", &["DELETE"]),
    ("/api/v1/tickets", &["GET"]),
    ("/api/v1/tickets/counts", &["GET"]),
    ("/api/v1/tickets/{id}", &["GET", "PATCH"]),
    ("/api/v1/tickets/{id}/comments", &["GET", "POST"]),
    ("/api/v1/tickets/{id}/events", &["GET"]),
    ("/api/v1/orgs/{org}/catalog", &["GET"]),
    ("/api/v1/orgs/{org}/catalog/{item}", &["GET"]),
    ("/api/v1/admin/catalog", &["GET"]),
    ("/api/v1/admin/catalog/categories", &["POST"]),
    (
        "/api/v1/admin/catalog/categories/{slug}",
        &["PUT", "DELETE"],
    ),
    ("/api/v1/admin/catalog/items", &["POST"]),
    (
        "/api/v1/admin/catalog/items/{item}",
        &["GET", "PATCH", "DELETE"],
    ),
    ("/api/v1/admin/catalog/items/{item}/form", &["PUT"]),
    (
        "/api/v1/admin/catalog/items/{item}/forms/{version}",
        &["GET"],
    ),
    ("/api/v1/admin/priority-matrix", &["GET", "PUT"]),
    ("/api/v1/admin/sla/calendars", &["GET", "POST"]),
    (
        "/api/v1/admin/sla/calendars/{id}",
        &["GET", "PUT", "DELETE"],
    ),
    ("/api/v1/admin/sla/policies", &["GET", "POST"]),
    ("/api/v1/admin/sla/policies/{id}", &["GET", "PUT", "DELETE"]),
    ("/api/v1/admin/webhooks", &["GET", "POST"]),
    ("/api/v1/admin/webhooks/{id}", &["GET", "PUT", "DELETE"]),
    ("/api/v1/orgs/{org}/widget", &["GET"]),
    ("/api/v1/admin/widget", &["GET", "PUT"]),
    ("/api/v1/groups", &["GET", "POST"]),
    ("/api/v1/groups/{slug}", &["GET", "PUT", "DELETE"]),
    (TEST_ONLY_TEMPLATE, &["POST"]),
];

/// The one route the OpenAPI document leaves out: it exists only in test deployments.
#[cfg(test)]
const TEST_ONLY_TEMPLATE: &str = "/api/v1/test/clock";

/// The `{name}`s of a path template, in order.
#[cfg(test)]
fn template_parameters(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
}

#[cfg(test)]
impl Route<'_> {
    /// The template this route was resolved from. Exhaustive, so a new route cannot compile
    /// its tests without naming its template (which they then look up in [`ROUTES`]).
    const fn template(&self) -> &'static str {
        match self {
            Self::Health => "/api/v1/health",
            Self::OpenApi => "/api/v1/openapi.json",
            Self::Portal => "/api/v1/portal",
            Self::Org { .. } => "/api/v1/orgs/{org}",
            Self::CreateRequest { .. } => "/api/v1/orgs/{org}/requests",
            Self::Request { .. } => "/api/v1/requests/{id}",
            Self::RequestComments { .. } => "/api/v1/requests/{id}/comments",
            Self::RequestReplies { .. } => "/api/v1/requests/{id}/replies",
            Self::RequestTimeline { .. } => "/api/v1/requests/{id}/timeline",
            Self::Bootstrap => "/api/v1/bootstrap",
            Self::Tokens => "/api/v1/admin/tokens",
            Self::Token { .. } => "/api/v1/admin/tokens/{id}",
            Self::Tickets => "/api/v1/tickets",
            Self::TicketCounts => "/api/v1/tickets/counts",
            Self::Ticket { .. } => "/api/v1/tickets/{id}",
            Self::TicketComments { .. } => "/api/v1/tickets/{id}/comments",
            Self::TicketEvents { .. } => "/api/v1/tickets/{id}/events",
            Self::Catalog { .. } => "/api/v1/orgs/{org}/catalog",
            Self::CatalogItem { .. } => "/api/v1/orgs/{org}/catalog/{item}",
            Self::AdminCatalog => "/api/v1/admin/catalog",
            Self::Categories => "/api/v1/admin/catalog/categories",
            Self::Category { .. } => "/api/v1/admin/catalog/categories/{slug}",
            Self::Items => "/api/v1/admin/catalog/items",
            Self::Item { .. } => "/api/v1/admin/catalog/items/{item}",
            Self::ItemForm { .. } => "/api/v1/admin/catalog/items/{item}/form",
            Self::ItemFormVersion { .. } => "/api/v1/admin/catalog/items/{item}/forms/{version}",
            Self::PriorityMatrix => "/api/v1/admin/priority-matrix",
            Self::SlaCalendars => "/api/v1/admin/sla/calendars",
            Self::SlaCalendar { .. } => "/api/v1/admin/sla/calendars/{id}",
            Self::SlaPolicies => "/api/v1/admin/sla/policies",
            Self::SlaPolicy { .. } => "/api/v1/admin/sla/policies/{id}",
            Self::Webhooks => "/api/v1/admin/webhooks",
            Self::Webhook { .. } => "/api/v1/admin/webhooks/{id}",
            Self::Widget { .. } => "/api/v1/orgs/{org}/widget",
            Self::AdminWidget => "/api/v1/admin/widget",
            Self::Groups => "/api/v1/groups",
            Self::Group { .. } => "/api/v1/groups/{slug}",
            Self::TestClock => TEST_ONLY_TEMPLATE,
        }
    }
}

/// Answers one API request; every failure becomes problem+json.
///
/// # Errors
/// Only when the runtime cannot build even the error response.
pub async fn handle(req: Request, env: &Env) -> worker::Result<Response> {
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
                worker::console_error!("[ERROR] {method} {path}: {message}");
            }
            error.into_response(locale)?
        }
    };
    if let Some(origin) = &cross_origin {
        crate::cors::allow(&mut response, origin)?;
    }
    // Not on the portal's pages: the assets' answers have immutable headers (setting one fails).
    if bench && api {
        let trips = crate::db::round_trips::count().to_string();
        response.headers_mut().set("x-d1-round-trips", &trips)?;
    }
    Ok(response)
}

async fn dispatch(req: Request, env: &Env, method: &str, path: &str) -> Result<Response, ApiError> {
    let route = resolve(method, path, config::test_clock_enabled(env))?;
    match route {
        // Liveness and the API's description must not depend on configuration or D1.
        Route::Health => return health::get(),
        Route::OpenApi => return openapi::get(&req),
        _ => {}
    }
    let config = Config::load(env).await?;
    match route {
        Route::Health => health::get(),
        Route::OpenApi => openapi::get(&req),
        Route::Portal => orgs::portal(&config),
        Route::Org { org } => orgs::get(&config, org).await,
        Route::CreateRequest { org } => requests::create(req, &config, org).await,
        Route::Request { id } => requests::get(&req, &config, id).await,
        Route::RequestComments { id } => requests::comments(&req, &config, id).await,
        Route::RequestReplies { id } => requests::reply(req, &config, id).await,
        Route::RequestTimeline { id } => requests::timeline(&req, &config, id).await,
        Route::Bootstrap => admin::bootstrap(req, &config).await,
        Route::Tokens if method == "POST" => admin::create_token(req, &config).await,
        Route::Tokens => admin::list_tokens(&req, &config).await,
        Route::Token { id } => admin::revoke_token(&req, &config, id).await,
        Route::Tickets => tickets::list(&req, &config).await,
        Route::TicketCounts => tickets::counts(&req, &config).await,
        Route::Ticket { id } if method == "PATCH" => tickets::patch(req, &config, id).await,
        Route::Ticket { id } => tickets::get(&req, &config, id).await,
        Route::TicketComments { id } if method == "POST" => {
            tickets::add_comment(req, &config, id).await
        }
        Route::TicketComments { id } => tickets::comments(&req, &config, id).await,
        Route::TicketEvents { id } => tickets::events(&req, &config, id).await,
        Route::Catalog { org } => catalog::public_catalog(&req, &config, org).await,
        Route::CatalogItem { org, item } => catalog::public_item(&config, org, item).await,
        Route::AdminCatalog => catalog::admin_catalog(&req, &config).await,
        Route::Categories => catalog::put_category(req, &config, None).await,
        Route::Category { slug } if method == "DELETE" => {
            catalog::delete_category(&req, &config, slug).await
        }
        Route::Category { slug } => catalog::put_category(req, &config, Some(slug)).await,
        Route::Items => catalog::create_item(req, &config).await,
        Route::Item { item } if method == "PATCH" => catalog::patch_item(req, &config, item).await,
        Route::Item { item } if method == "DELETE" => {
            catalog::delete_item(&req, &config, item).await
        }
        Route::Item { item } => catalog::get_item(&req, &config, item).await,
        Route::ItemForm { item } => catalog::put_form(req, &config, item).await,
        Route::ItemFormVersion { item, version } => {
            catalog::get_form(&req, &config, item, version).await
        }
        Route::PriorityMatrix if method == "PUT" => catalog::put_matrix(req, &config).await,
        Route::PriorityMatrix => catalog::get_matrix(&req, &config).await,
        Route::SlaCalendars if method == "POST" => sla::create_calendar(req, &config).await,
        Route::SlaCalendars => sla::list_calendars(&req, &config).await,
        Route::SlaCalendar { id } if method == "PUT" => sla::put_calendar(req, &config, id).await,
        Route::SlaCalendar { id } if method == "DELETE" => {
            sla::delete_calendar(&req, &config, id).await
        }
        Route::SlaCalendar { id } => sla::get_calendar(&req, &config, id).await,
        Route::SlaPolicies if method == "POST" => sla::create_policy(req, &config).await,
        Route::SlaPolicies => sla::list_policies(&req, &config).await,
        Route::SlaPolicy { id } if method == "PUT" => sla::put_policy(req, &config, id).await,
        Route::SlaPolicy { id } if method == "DELETE" => {
            sla::delete_policy(&req, &config, id).await
        }
        Route::SlaPolicy { id } => sla::get_policy(&req, &config, id).await,
        Route::Webhooks if method == "POST" => webhooks::create(req, &config).await,
        Route::Webhooks => webhooks::list(&req, &config).await,
        Route::Webhook { id } if method == "PUT" => webhooks::put(req, &config, id).await,
        Route::Webhook { id } if method == "DELETE" => webhooks::delete(&req, &config, id).await,
        Route::Webhook { id } => webhooks::get(&req, &config, id).await,
        Route::Widget { org } => widget::public_config(&req, &config, org).await,
        Route::AdminWidget if method == "PUT" => widget::put_settings(req, &config).await,
        Route::AdminWidget => widget::get_settings(&req, &config).await,
        Route::Groups if method == "POST" => groups::create(req, &config).await,
        Route::Groups => groups::list(&req, &config).await,
        Route::Group { slug } if method == "PUT" => groups::put(req, &config, slug).await,
        Route::Group { slug } if method == "DELETE" => groups::delete(&req, &config, slug).await,
        Route::Group { slug } => groups::get(&req, &config, slug).await,
        Route::TestClock => test_clock::advance(req, &config).await,
    }
}

/// Maps method and path to a route: unknown paths are 404, known paths with another method 405.
/// The test clock's path is unknown (404 for every method) unless `test_routes`.
fn resolve<'a>(method: &str, path: &'a str, test_routes: bool) -> Result<Route<'a>, ApiError> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let (route, allowed): (Route<'a>, &'static [&'static str]) = match segments.as_slice() {
        ["", "api", "v1", "health"] => (Route::Health, &["GET"]),
        ["", "api", "v1", "openapi.json"] => (Route::OpenApi, &["GET"]),
        ["", "api", "v1", "portal"] => (Route::Portal, &["GET"]),
        ["", "api", "v1", "orgs", org] => (Route::Org { org }, &["GET"]),
        ["", "api", "v1", "orgs", org, "requests"] => (Route::CreateRequest { org }, &["POST"]),
        ["", "api", "v1", "requests", id] => (Route::Request { id }, &["GET"]),
        ["", "api", "v1", "requests", id, "comments"] => (Route::RequestComments { id }, &["GET"]),
        ["", "api", "v1", "requests", id, "replies"] => (Route::RequestReplies { id }, &["POST"]),
        ["", "api", "v1", "requests", id, "timeline"] => (Route::RequestTimeline { id }, &["GET"]),
        ["", "api", "v1", "bootstrap"] => (Route::Bootstrap, &["POST"]),
        ["", "api", "v1", "admin", "tokens"] => (Route::Tokens, &["GET", "POST"]),
        ["", "api", "v1", "admin", "tokens", id] => (Route::Token { id }, &["DELETE"]),
        ["", "api", "v1", "tickets"] => (Route::Tickets, &["GET"]),
        ["", "api", "v1", "tickets", "counts"] => (Route::TicketCounts, &["GET"]),
        ["", "api", "v1", "tickets", id] => (Route::Ticket { id }, &["GET", "PATCH"]),
        ["", "api", "v1", "tickets", id, "comments"] => {
            (Route::TicketComments { id }, &["GET", "POST"])
        }
        ["", "api", "v1", "tickets", id, "events"] => (Route::TicketEvents { id }, &["GET"]),
        ["", "api", "v1", "orgs", org, "catalog"] => (Route::Catalog { org }, &["GET"]),
        ["", "api", "v1", "orgs", org, "catalog", item] => {
            (Route::CatalogItem { org, item }, &["GET"])
        }
        ["", "api", "v1", "admin", "catalog"] => (Route::AdminCatalog, &["GET"]),
        ["", "api", "v1", "admin", "catalog", "categories"] => (Route::Categories, &["POST"]),
        ["", "api", "v1", "admin", "catalog", "categories", slug] => {
            (Route::Category { slug }, &["PUT", "DELETE"])
        }
        ["", "api", "v1", "admin", "catalog", "items"] => (Route::Items, &["POST"]),
        ["", "api", "v1", "admin", "catalog", "items", item] => {
            (Route::Item { item }, &["GET", "PATCH", "DELETE"])
        }
        ["", "api", "v1", "admin", "catalog", "items", item, "form"] => {
            (Route::ItemForm { item }, &["PUT"])
        }
        [
            "",
            "api",
            "v1",
            "admin",
            "catalog",
            "items",
            item,
            "forms",
            version,
        ] => (Route::ItemFormVersion { item, version }, &["GET"]),
        ["", "api", "v1", "admin", "priority-matrix"] => (Route::PriorityMatrix, &["GET", "PUT"]),
        ["", "api", "v1", "admin", "sla", "calendars"] => (Route::SlaCalendars, &["GET", "POST"]),
        ["", "api", "v1", "admin", "sla", "calendars", id] => {
            (Route::SlaCalendar { id }, &["GET", "PUT", "DELETE"])
        }
        ["", "api", "v1", "admin", "sla", "policies"] => (Route::SlaPolicies, &["GET", "POST"]),
        ["", "api", "v1", "admin", "sla", "policies", id] => {
            (Route::SlaPolicy { id }, &["GET", "PUT", "DELETE"])
        }
        ["", "api", "v1", "admin", "webhooks"] => (Route::Webhooks, &["GET", "POST"]),
        ["", "api", "v1", "admin", "webhooks", id] => {
            (Route::Webhook { id }, &["GET", "PUT", "DELETE"])
        }
        ["", "api", "v1", "orgs", org, "widget"] => (Route::Widget { org }, &["GET"]),
        ["", "api", "v1", "admin", "widget"] => (Route::AdminWidget, &["GET", "PUT"]),
        ["", "api", "v1", "groups"] => (Route::Groups, &["GET", "POST"]),
        ["", "api", "v1", "groups", slug] => (Route::Group { slug }, &["GET", "PUT", "DELETE"]),
        ["", "api", "v1", "test", "clock"] if test_routes => (Route::TestClock, &["POST"]),
        _ => return Err(ApiError::NotFound),
    };
    if allowed.contains(&method) {
        Ok(route)
    } else {
        Err(ApiError::MethodNotAllowed(allowed))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn known_paths_resolve_with_their_parameters() {
        assert_eq!(
            resolve("GET", "/api/v1/health", false).ok(),
            Some(Route::Health)
        );
        assert_eq!(
            resolve("GET", "/api/v1/portal/", false).ok(),
            Some(Route::Portal)
        );
        assert_eq!(
            resolve("GET", "/api/v1/orgs/demo", false).ok(),
            Some(Route::Org { org: "demo" })
        );
        assert_eq!(
            resolve("POST", "/api/v1/orgs/demo/requests", false).ok(),
            Some(Route::CreateRequest { org: "demo" })
        );
        assert_eq!(
            resolve("GET", "/api/v1/requests/01JD0000000000000000000000", false).ok(),
            Some(Route::Request {
                id: "01JD0000000000000000000000"
            })
        );
    }

    #[test]
    fn catalog_paths_resolve_with_their_parameters() {
        assert_eq!(
            resolve("GET", "/api/v1/orgs/demo/catalog/access-request", false).ok(),
            Some(Route::CatalogItem {
                org: "demo",
                item: "access-request"
            })
        );
        assert_eq!(
            resolve("GET", "/api/v1/admin/catalog/items/laptop/forms/2", false).ok(),
            Some(Route::ItemFormVersion {
                item: "laptop",
                version: "2"
            })
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
            resolve("POST", "/api/v1/test/clock", true).ok(),
            Some(Route::TestClock)
        );
    }

    #[test]
    fn sla_admin_paths_resolve() {
        assert_eq!(
            resolve("PUT", "/api/v1/admin/sla/policies/p1", false).ok(),
            Some(Route::SlaPolicy { id: "p1" })
        );
        assert!(matches!(
            resolve("PATCH", "/api/v1/admin/sla/calendars/c1", false),
            Err(ApiError::MethodNotAllowed(["GET", "PUT", "DELETE"]))
        ));
    }

    #[test]
    fn unknown_paths_are_not_found() {
        for path in [
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

    /// `Org { org: "x" }` → `Org`.
    fn variant_name(route: &Route<'_>) -> String {
        format!("{route:?}")
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect()
    }

    #[test]
    fn every_listed_route_resolves_with_exactly_its_methods_and_parameters() {
        for (template, methods) in ROUTES {
            let path = instantiate(template);
            for method in PROBED_METHODS {
                match resolve(method, &path, true) {
                    Ok(route) => {
                        assert!(
                            methods.contains(&method),
                            "{method} {path} is served, unlisted"
                        );
                        assert_eq!(route.template(), *template, "{method} {path}");
                        // Each parameter is captured under its template name, and no other.
                        let debug = format!("{route:?}");
                        let names: Vec<&str> = template_parameters(template).collect();
                        for name in &names {
                            let capture = format!("{name}: \"sample-{name}\"");
                            assert!(debug.contains(&capture), "{debug} lacks {capture}");
                        }
                        assert_eq!(debug.matches(": \"").count(), names.len(), "{debug}");
                    }
                    Err(ApiError::MethodNotAllowed(allowed)) => {
                        assert!(
                            !methods.contains(&method),
                            "{method} {path} is listed, not served"
                        );
                        assert_eq!(sorted(allowed), sorted(methods), "{method} {path}");
                    }
                    Err(other) => panic!("{method} {path}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn every_route_variant_is_listed_once() {
        let mut templates: Vec<&str> = ROUTES.iter().map(|(template, _)| *template).collect();
        templates.sort_unstable();
        templates.dedup();
        assert_eq!(templates.len(), ROUTES.len(), "a template is listed twice");
        // The compiler cannot enumerate an enum's variants, so read them from this file: a
        // variant that no listed template reaches would escape every other check here.
        let source = include_str!("mod.rs");
        let body = source
            .split_once("enum Route<'a> {")
            .and_then(|(_, rest)| rest.split_once("\n}\n"))
            .expect("the Route enum in mod.rs")
            .0;
        let declared: BTreeSet<String> = body
            .lines()
            .filter_map(|line| line.strip_prefix("    "))
            .filter(|line| line.starts_with(|c: char| c.is_ascii_uppercase()))
            .map(|line| line.trim_end_matches([',', ' ', '{']).to_owned())
            .collect();
        let reached: BTreeSet<String> = ROUTES
            .iter()
            .map(|(template, methods)| {
                let path = instantiate(template);
                let route = resolve(methods[0], &path, true)
                    .unwrap_or_else(|e| panic!("{template}: {e:?}"));
                variant_name(&route)
            })
            .collect();
        assert!(declared.len() > 30, "parsed only {declared:?}");
        assert_eq!(declared, reached);
    }

    #[test]
    fn only_the_test_clock_depends_on_test_routes() {
        for (template, methods) in ROUTES {
            let path = instantiate(template);
            let outside_tests = resolve(methods[0], &path, false);
            if *template == TEST_ONLY_TEMPLATE {
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
