//! Builds the embeddable widget into `dist/portal/`: the loader `widget.js` (hashed asset
//! names, CSS and launcher texts filled in, comments and indentation dropped) and the widget's
//! wasm + glue under `widget/`, with CORS headers so other sites may load them.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};

use crate::build::{Sizes, browser_wasm, hashed_copy, sizes};
use crate::project::Project;
use crate::tools::Tools;

/// The loader's own texts (it runs before any text is fetched), by locale, in this order.
const LOADER_TEXTS: [&str; 3] = ["widget-launcher", "widget-close", "widget-unavailable"];

/// Static-asset headers (Workers Static Assets `_headers`): the loader and the widget's files
/// are fetched by pages on other origins (`import()` and wasm streaming need CORS).
const HEADERS: &str = "/widget.js\n  Access-Control-Allow-Origin: *\n  Cache-Control: public, max-age=300\n\
/widget/*\n  Access-Control-Allow-Origin: *\n  Cache-Control: public, max-age=31536000, immutable\n";

/// Builds the widget after the portal (which recreates `dist/portal/`). Returns the sizes of
/// the loader and of the lazily loaded part.
pub fn build(project: &Project, tools: &Tools) -> Result<Vec<Sizes>> {
    eprintln!("xtask: building the widget");
    let built = browser_wasm(project, tools, "edgedesk-widget", "edgedesk_widget")?;
    let dist = project.path("dist/portal");
    let dir = dist.join("widget");
    std::fs::create_dir_all(&dir).context("creating dist/portal/widget")?;
    let wasm = hashed_copy(&built.wasm, &dir, "edgedesk_widget", "wasm")?;
    let glue = hashed_copy(&built.glue, &dir, "edgedesk_widget", "js")?;

    let read = |path: &str| {
        std::fs::read_to_string(project.path(path)).with_context(|| format!("reading {path}"))
    };
    let loader = read("widget/loader.js")?
        .replace("__GLUE__", &format!("/widget/{glue}"))
        .replace("__WASM__", &format!("/widget/{wasm}"))
        .replace("__CSS__", read("widget/widget.css")?.trim())
        .replace("__TEXTS__", &loader_texts(project)?);
    let loader_path = dist.join("widget.js");
    std::fs::write(&loader_path, minify(&loader)).context("writing widget.js")?;
    std::fs::write(dist.join("_headers"), HEADERS).context("writing _headers")?;
    Ok(vec![
        sizes("widget loader (widget.js)", &[loader_path])?,
        sizes("widget (wasm+glue)", &[dir.join(wasm), dir.join(glue)])?,
    ])
}

/// `{"en": ["Get help", "Close", …], "he": …}` from `locales/*/widget.ftl`.
fn loader_texts(project: &Project) -> Result<String> {
    let mut all = BTreeMap::new();
    for entry in std::fs::read_dir(project.path("locales")).context("reading locales/")? {
        let dir = entry?.path();
        let Some(locale) = dir.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        let ftl = std::fs::read_to_string(dir.join("widget.ftl"))
            .with_context(|| format!("reading {}/widget.ftl", dir.display()))?;
        let texts: Vec<String> = LOADER_TEXTS
            .iter()
            .map(|id| simple_message(&ftl, id).unwrap_or_else(|| (*id).to_owned()))
            .collect();
        all.insert(locale, texts);
    }
    serde_json::to_string(&all).context("encoding loader texts")
}

/// The value of a one-line FTL message without placeables.
fn simple_message(ftl: &str, id: &str) -> Option<String> {
    ftl.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        (key.trim() == id).then(|| value.trim().to_owned())
    })
}

/// Drops comment lines and indentation: the loader is small enough that this is most of what
/// a minifier would gain, without another tool.
fn minify(js: &str) -> String {
    js.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::{minify, simple_message};

    #[test]
    fn reads_one_line_messages_and_strips_comments_and_indentation() {
        let ftl = "# comment\nwidget-launcher = Get help\nwidget-close = Close\n";
        assert_eq!(
            simple_message(ftl, "widget-close").as_deref(),
            Some("Close")
        );
        assert_eq!(simple_message(ftl, "widget-nope"), None);
        assert_eq!(
            minify("// head\n  const a = 1;\n\n  // why\n  f(a);\n"),
            "const a = 1;\nf(a);"
        );
    }
}
