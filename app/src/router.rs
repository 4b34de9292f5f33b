//! The portal's client-side routes: the address parsed into a page, history, and same-origin
//! link clicks turned into in-page navigation.
//!
//! Six fixed routes need no routing library: leptos_router was about a sixth of the portal's
//! download (measured: a two-route app with it 104 KB gzip, with this 49 KB).

use leptos::prelude::*;
use wasm_bindgen::JsCast as _;
use wasm_bindgen::closure::Closure;

/// A page of the portal and its parameters, as the address names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    /// `/`: forwards to the default organisation.
    Root,
    /// `/:org`
    OrgHome {
        org: String,
    },
    /// `/:org/catalog/:item`
    CatalogItem {
        org: String,
        item: String,
    },
    /// `/:org/requests`
    MyRequests {
        org: String,
    },
    /// `/:org/requests/new`
    NewRequest {
        org: String,
    },
    /// `/:org/requests/:id`
    Request {
        org: String,
        id: String,
    },
    NotFound,
}

impl Page {
    /// The page at `path` (an address's path, without query or fragment); a trailing slash
    /// names the same page.
    #[must_use]
    pub fn parse(path: &str) -> Self {
        let path = path.strip_prefix('/').unwrap_or(path);
        let path = path.strip_suffix('/').unwrap_or(path);
        let segments: Vec<&str> = path.split('/').collect();
        // An empty segment (`/demo//requests`) names no page; only `/` has one, alone.
        if segments.len() > 1 && segments.contains(&"") {
            return Self::NotFound;
        }
        let owned = |s: &str| s.to_owned();
        match segments.as_slice() {
            [""] => Self::Root,
            [org] => Self::OrgHome { org: owned(org) },
            [org, "catalog", item] => Self::CatalogItem {
                org: owned(org),
                item: owned(item),
            },
            [org, "requests"] => Self::MyRequests { org: owned(org) },
            [org, "requests", "new"] => Self::NewRequest { org: owned(org) },
            [org, "requests", id] => Self::Request {
                org: owned(org),
                id: owned(id),
            },
            _ => Self::NotFound,
        }
    }

    /// Route parameter `name` (`org`, `item`, `id`), empty when this page has none.
    #[must_use]
    pub fn param(&self, name: &str) -> String {
        let value = match (self, name) {
            (
                Self::OrgHome { org }
                | Self::CatalogItem { org, .. }
                | Self::MyRequests { org }
                | Self::NewRequest { org }
                | Self::Request { org, .. },
                "org",
            ) => org,
            (Self::CatalogItem { item, .. }, "item") => item,
            (Self::Request { id, .. }, "id") => id,
            _ => return String::new(),
        };
        value.clone()
    }
}

thread_local! {
    // The address's path; reference-counted like the locale (see `i18n`).
    static PATH: ArcRwSignal<String> = ArcRwSignal::new(current_path());
}

fn current_path() -> String {
    window().location().pathname().unwrap_or_default()
}

/// Takes the address's path into [`PATH`], after the history changed it.
fn sync_path() {
    PATH.with(|path| path.set(current_path()));
}

/// The address's path (tracked).
pub fn path() -> String {
    PATH.with(ArcRwSignal::get)
}

/// The page the address names (tracked).
pub fn page() -> Page {
    Page::parse(&path())
}

/// The page the address names, without subscribing.
pub fn page_untracked() -> Page {
    Page::parse(&PATH.with(ArcRwSignal::get_untracked))
}

/// Goes to `to` (a same-origin path, query and fragment allowed) without reloading; `replace`
/// keeps the current entry out of the history (a redirect).
pub fn navigate(to: &str, replace: bool) {
    let history = window().history();
    let pushed = history.and_then(|history| {
        if replace {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to))
        } else {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to))
        }
    });
    if pushed.is_err() {
        // No history API (or a refused URL): an ordinary page load still gets there.
        let _ = window().location().set_href(to);
        return;
    }
    // A new page starts at its top, as after a full load.
    window().scroll_to_with_x_and_y(0.0, 0.0);
    sync_path();
}

/// Follows the browser's back and forward buttons, and turns clicks on same-origin links into
/// in-page navigation. Called once, before the portal mounts.
pub fn start() {
    let on_pop = Closure::<dyn Fn()>::new(sync_path);
    let _ = window().add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    // Lives as long as the page.
    on_pop.forget();
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(|event: web_sys::MouseEvent| {
        on_link_click(&event)
    });
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
}

/// A plain left click on a link to another page of this portal: navigate in place. Everything
/// else (new tab, download, another site, a fragment on this page) is left to the browser.
fn on_link_click(event: &web_sys::MouseEvent) {
    if event.default_prevented()
        || event.button() != 0
        || event.ctrl_key()
        || event.meta_key()
        || event.shift_key()
        || event.alt_key()
    {
        return;
    }
    let Some(link) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest("a[href]").ok().flatten())
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    if link.has_attribute("download")
        || !matches!(link.target().as_str(), "" | "_self")
        || link.rel().split_whitespace().any(|rel| rel == "external")
    {
        return;
    }
    let location = window().location();
    if location.origin().ok() != Some(link.origin()) {
        return;
    }
    let (path, search, hash) = (link.pathname(), link.search(), link.hash());
    // A fragment of the current page (the skip link): the browser scrolls and moves focus.
    let here = location.pathname().ok() == Some(path.clone())
        && location.search().ok() == Some(search.clone());
    if here && !hash.is_empty() {
        return;
    }
    event.prevent_default();
    navigate(&format!("{path}{search}{hash}"), false);
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn every_route_and_its_parameters() {
        let org = || "demo".to_owned();
        let cases = [
            ("/", Page::Root),
            ("", Page::Root),
            ("/demo", Page::OrgHome { org: org() }),
            ("/demo/", Page::OrgHome { org: org() }),
            (
                "/demo/catalog/laptop",
                Page::CatalogItem {
                    org: org(),
                    item: "laptop".to_owned(),
                },
            ),
            ("/demo/requests", Page::MyRequests { org: org() }),
            ("/demo/requests/new", Page::NewRequest { org: org() }),
            (
                "/demo/requests/01JABCDEF",
                Page::Request {
                    org: org(),
                    id: "01JABCDEF".to_owned(),
                },
            ),
            ("/demo/catalog", Page::NotFound),
            ("/demo/catalog/laptop/more", Page::NotFound),
            ("/demo/elsewhere/x", Page::NotFound),
            ("/demo//requests", Page::NotFound),
            ("//requests", Page::NotFound),
        ];
        for (path, page) in cases {
            assert_eq!(Page::parse(path), page, "{path:?}");
        }
    }

    #[test]
    fn parameters_by_name() {
        let page = Page::parse("/demo/requests/01JABCDEF");
        assert_eq!(page.param("org"), "demo");
        assert_eq!(page.param("id"), "01JABCDEF");
        assert_eq!(page.param("item"), "");
        assert_eq!(Page::parse("/demo/catalog/vpn").param("item"), "vpn");
        assert_eq!(Page::Root.param("org"), "");
    }
}
