//! The `/api/v1` router: matches method and path, runs a handler, maps every error in one place.

mod admin;
mod catalog;
mod health;
mod orgs;
mod requests;
mod sla;
mod test_clock;
mod tickets;
mod webhooks;

use edgedesk_core::Locale;
use worker::{Env, Request, Response};

use crate::config::{self, Config};
use crate::error::ApiError;

/// A matched route; path parameters are raw segments, parsed by their handler.
#[derive(Debug, PartialEq, Eq)]
enum Route<'a> {
    Health,
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
    /// Exists only in test deployments.
    TestClock,
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
    match dispatch(req, env, &method, &path).await {
        Ok(response) => Ok(response),
        Err(error) => {
            if let ApiError::Internal(message) = &error {
                // The only record of what went wrong: the client gets a generic 500.
                worker::console_error!("{method} {path}: {message}");
            }
            error.into_response(locale)
        }
    }
}

async fn dispatch(req: Request, env: &Env, method: &str, path: &str) -> Result<Response, ApiError> {
    let route = resolve(method, path, config::test_clock_enabled(env))?;
    if route == Route::Health {
        // Liveness must not depend on configuration or D1.
        return health::get();
    }
    let config = Config::load(env).await?;
    match route {
        Route::Health => health::get(),
        Route::Portal => orgs::portal(&config),
        Route::Org { org } => orgs::get(&config, org).await,
        Route::CreateRequest { org } => requests::create(req, &config, org).await,
        Route::Request { id } => requests::get(&req, &config, id).await,
        Route::RequestComments { id } => requests::comments(&req, &config, id).await,
        Route::RequestReplies { id } => requests::reply(req, &config, id).await,
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
        Route::TestClock => test_clock::advance(req, &config).await,
    }
}

/// Maps method and path to a route: unknown paths are 404, known paths with another method 405.
/// The test clock's path is unknown (404 for every method) unless `test_routes`.
fn resolve<'a>(method: &str, path: &'a str, test_routes: bool) -> Result<Route<'a>, ApiError> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let (route, allowed): (Route<'a>, &'static [&'static str]) = match segments.as_slice() {
        ["", "api", "v1", "health"] => (Route::Health, &["GET"]),
        ["", "api", "v1", "portal"] => (Route::Portal, &["GET"]),
        ["", "api", "v1", "orgs", org] => (Route::Org { org }, &["GET"]),
        ["", "api", "v1", "orgs", org, "requests"] => (Route::CreateRequest { org }, &["POST"]),
        ["", "api", "v1", "requests", id] => (Route::Request { id }, &["GET"]),
        ["", "api", "v1", "requests", id, "comments"] => (Route::RequestComments { id }, &["GET"]),
        ["", "api", "v1", "requests", id, "replies"] => (Route::RequestReplies { id }, &["POST"]),
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
}
