//! `/:org`: the organisation's start page: its service catalog, searchable, by category.

use std::sync::Arc;
use std::time::Duration;

use edgedesk_core::api::OrgPublic;
use edgedesk_core::catalog::{CatalogView, CategoryView, ItemSummary};
use edgedesk_core::i18n::ids;
use leptos::prelude::*;

use super::{latest, param, resource, set_title};
use crate::api::{self, ApiFailure};
use crate::components::localized;
use crate::i18n::{t_count, tr};

/// How long typing must pause before the catalog is searched: one request per word, not per key.
const SEARCH_DELAY: Duration = Duration::from_millis(250);

#[component]
pub fn OrgHomePage() -> impl IntoView {
    let org = param("org");
    // The answer names the organisation it is for, so that a change of `:org` shows the
    // loading notice until the new one is in (as a `Suspense` would, without its code).
    let profile = resource(move || {
        let slug = org.get();
        async move {
            let result = api::org(&slug).await;
            (slug, result)
        }
    });
    view! {
        {move || match latest::<(String, Result<OrgPublic, ApiFailure>)>(profile).as_deref() {
            Some((slug, Ok(profile))) if *slug == org.get() => {
                let name = profile.name.clone();
                set_title(move || name.clone());
                let slug = profile.slug.clone();
                view! {
                    <section class="hero">
                        <h1>{profile.name.clone()}</h1>
                        <p class="lead">{tr(ids::HOME_LEAD)}</p>
                        <div class="actions">
                            <a href=format!("/{slug}/requests") class="button">{tr(ids::NAV_MY_REQUESTS)}</a>
                        </div>
                    </section>
                    <CatalogBrowser org=profile.slug.clone() />
                }.into_any()
            }
            Some((slug, Err(failure))) if *slug == org.get() => view! {
                <p role="alert" class="notice notice--error">
                    {tr(if failure.status() == Some(404) { ids::UNKNOWN_ORG } else { ids::LOAD_FAILED })}
                </p>
            }.into_any(),
            _ => view! { <p role="status">{tr(ids::LOADING)}</p> }.into_any(),
        }}
    }
}

/// The search box and the catalog it filters; the worker does the (diacritics-blind) matching.
#[component]
fn CatalogBrowser(
    /// The organisation's slug.
    org: String,
) -> impl IntoView {
    let org = StoredValue::new(org);
    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let mut search_later = debounce(SEARCH_DELAY, move |text: String| query.set(text));
    let catalog = resource(move || {
        let (org, query) = (org.get_value(), query.get());
        async move { api::catalog(&org, &query).await.map(|view| (query, view)) }
    });
    // Announced to screen readers as the results change, only while searching.
    let status = move || {
        latest::<Result<(String, CatalogView), ApiFailure>>(catalog).and_then(|result| {
            match &*result {
                Ok((query, view)) if !query.trim().is_empty() => {
                    let count = u32::try_from(view.items.len()).unwrap_or(u32::MAX);
                    Some(t_count(ids::CATALOG_RESULTS, count))
                }
                _ => None,
            }
        })
    };
    view! {
        <section class="catalog" aria-labelledby="catalog-title">
            <h2 id="catalog-title">{tr(ids::CATALOG_TITLE)}</h2>
            <form
                role="search"
                class="catalog-search"
                on:submit=move |ev| {
                    // Enter searches at once instead of waiting for the pause.
                    ev.prevent_default();
                    query.set(typed.get_untracked());
                }
            >
                <label for="catalog-search">{tr(ids::CATALOG_SEARCH_LABEL)}</label>
                <input
                    id="catalog-search"
                    type="search"
                    name="q"
                    autocomplete="off"
                    dir="auto"
                    prop:value=move || typed.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        typed.set(text.clone());
                        search_later(text);
                    }
                />
            </form>
            <p role="status" class="catalog-status" data-testid="catalog-status">{status}</p>
            // Read directly rather than through `Transition` (less code): a new search keeps
            // showing the last results until its own are in.
            {move || match latest::<Result<(String, CatalogView), ApiFailure>>(catalog).as_deref() {
                None => view! { <p>{tr(ids::LOADING)}</p> }.into_any(),
                Some(Ok((query, view))) => catalog_groups(&org.get_value(), query, view).into_any(),
                Some(Err(failure)) => {
                    leptos::logging::warn!("loading the catalog failed: {failure}");
                    view! { <p role="alert" class="notice notice--error">{tr(ids::LOAD_FAILED)}</p> }.into_any()
                }
            }}
            <p class="catalog-fallback">
                {tr(ids::CATALOG_FREE_FORM)}" "
                <a href=format!("/{}/requests/new", org.get_value())>{tr(ids::CATALOG_FREE_FORM_LINK)}</a>
            </p>
        </section>
    }
}

/// A glyph for a few well-known icon names, or the icon itself when it is a symbol (an emoji);
/// other names show nothing rather than a word out of place.
fn icon_glyph(icon: Option<&str>) -> Option<String> {
    let icon = icon?.trim();
    let known = match icon {
        "laptop" | "computer" | "hardware" => "💻",
        "key" | "access" | "password" => "🔑",
        "lock" | "vpn" | "security" => "🔒",
        "mail" | "email" => "✉️",
        "phone" | "mobile" => "📱",
        "printer" | "print" => "🖨️",
        "network" | "wifi" | "globe" => "🌐",
        "software" | "app" | "package" => "📦",
        "user" | "person" | "account" => "👤",
        "document" | "file" => "📄",
        "calendar" => "📅",
        "tool" | "wrench" | "repair" => "🔧",
        "question" | "help" => "❓",
        _ if !icon.is_empty() && !icon.chars().any(|c| c.is_alphanumeric()) => {
            return Some(icon.to_owned());
        }
        _ => return None,
    };
    Some(known.to_owned())
}

/// One item: its name links to its form; the whole card is clickable (see the CSS).
fn item_card(org: &str, item: ItemSummary, default_locale: &Arc<str>) -> impl IntoView + use<> {
    let glyph = icon_glyph(item.icon.as_deref());
    let (name, description) = (item.name, item.description);
    let has_description = !description.is_empty();
    let (dl_name, dl_description) = (default_locale.clone(), default_locale.clone());
    view! {
        <li class="catalog-item" data-testid="catalog-item">
            <span class="catalog-item__icon" aria-hidden="true">{glyph}</span>
            <div class="catalog-item__text">
                <a href=format!("/{org}/catalog/{}", item.slug) class="catalog-item__link" dir="auto">
                    {move || localized(&name, &dl_name)}
                </a>
                {has_description.then(|| view! {
                    <p class="catalog-item__description" dir="auto">{move || localized(&description, &dl_description)}</p>
                })}
            </div>
        </li>
    }
}

/// The items of one category, in the API's order (by position: the portal does not sort, which
/// keeps a sort implementation out of the wasm).
fn items_of(items: &[ItemSummary], category: &str) -> Vec<ItemSummary> {
    items
        .iter()
        .filter(|i| i.category == category)
        .cloned()
        .collect()
}

/// One category with its items and, for a top-level one, its sub-categories; `None` when
/// nothing in it is offered (or matches the search).
fn category_section(
    org: &str,
    category: &CategoryView,
    view: &CatalogView,
    default_locale: &Arc<str>,
    level: u8,
) -> Option<AnyView> {
    let items = items_of(&view.items, &category.slug);
    let children: Vec<AnyView> = if level == 0 {
        view.categories
            .iter()
            .filter(|c| c.parent.as_deref() == Some(category.slug.as_str()))
            .filter_map(|child| category_section(org, child, view, default_locale, 1))
            .collect()
    } else {
        Vec::new()
    };
    if items.is_empty() && children.is_empty() {
        return None;
    }
    let heading_id = format!("category-{}", category.slug);
    let name = category.name.clone();
    let description = category.description.clone();
    let (dl_name, dl_description) = (default_locale.clone(), default_locale.clone());
    let heading = move || localized(&name, &dl_name);
    let heading = if level == 0 {
        view! { <h3 id=heading_id.clone() dir="auto">{heading}</h3> }.into_any()
    } else {
        view! { <h4 id=heading_id.clone() dir="auto">{heading}</h4> }.into_any()
    };
    let list = (!items.is_empty()).then(|| {
        view! {
            <ul class="catalog-items">
                {items.into_iter().map(|item| item_card(org, item, default_locale)).collect_view()}
            </ul>
        }
    });
    Some(
        view! {
            <section
                class=if level == 0 { "catalog-category" } else { "catalog-category catalog-category--sub" }
                aria-labelledby=heading_id
            >
                {heading}
                {(!description.is_empty()).then(|| view! {
                    <p class="catalog-category__description" dir="auto">{move || localized(&description, &dl_description)}</p>
                })}
                {list}
                {children}
            </section>
        }
        .into_any(),
    )
}

/// The catalog by category: top-level categories in the API's order (by position), each with
/// its items and its sub-categories. A category whose parent is not shown stands at the top level.
fn catalog_groups(org: &str, query: &str, view: &CatalogView) -> impl IntoView + use<> {
    let default_locale: Arc<str> = Arc::from(view.default_locale.as_str());
    let sections: Vec<AnyView> = view
        .categories
        .iter()
        .filter(|c| {
            c.parent
                .as_deref()
                .is_none_or(|p| !view.categories.iter().any(|o| o.slug == p))
        })
        .filter_map(|c| category_section(org, c, view, &default_locale, 0))
        .collect();
    if sections.is_empty() {
        let message = if query.trim().is_empty() {
            ids::CATALOG_EMPTY
        } else {
            ids::CATALOG_NO_MATCH
        };
        return view! { <p class="empty" data-testid="catalog-empty">{tr(message)}</p> }.into_any();
    }
    view! { <div class="catalog-groups">{sections}</div> }.into_any()
}
