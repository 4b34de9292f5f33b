//! Builds the portal (wasm + hashed assets + index.html) and the worker, and measures their sizes.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result};

use crate::project::{Project, run};
use crate::tools::Tools;

/// Rust's default wasm features since 1.82; wasm-opt must be told it may keep them.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// One built artefact's sizes, in bytes.
pub struct Sizes {
    pub name: &'static str,
    pub raw: u64,
    pub gzip: u64,
}

/// Builds `app/` into `dist/portal/`: hashed wasm, JS glue and CSS under `assets/`, plus index.html.
pub fn portal(project: &Project, tools: &Tools) -> Result<Sizes> {
    eprintln!("xtask: building the portal");
    // Leptos' `erase_components`: every component returns a type-erased view, so view types do
    // not nest (and monomorphise) across components: 3 % less wasm gzip, measured (issue 9).
    // Only the portal's own build gets it; with `--target`, build scripts do not.
    let rustflags = format!(
        "{} --cfg erase_components",
        std::env::var("RUSTFLAGS").unwrap_or_default()
    );
    run(Command::new("cargo")
        .current_dir(&project.root)
        .env("RUSTFLAGS", rustflags.trim())
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .args([
            "build",
            "--package",
            "edgedesk-app",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ]))?;
    let compiled = project.path("target/wasm32-unknown-unknown/wasm-release/edgedesk_app.wasm");
    let bindgen_dir = project.path("target/portal-bindgen");
    let _ = std::fs::remove_dir_all(&bindgen_dir);
    run(Command::new(&tools.wasm_bindgen)
        .arg(&compiled)
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "edgedesk_app",
            "--out-dir",
        ])
        .arg(&bindgen_dir))?;
    let optimised = bindgen_dir.join("edgedesk_app_opt.wasm");
    run(Command::new(&tools.wasm_opt)
        .env("PATH", tools.path_env())
        .arg(bindgen_dir.join("edgedesk_app_bg.wasm"))
        // `--converge` repeats the passes while they still shrink: 0.4 % less gzip for ~30 s.
        // -Os rather than -Oz: 3 % more raw wasm but 0.4 % less gzip (what is transferred;
        // measured on this portal, issue 9), and its code is the faster one.
        .args(["-Os", "--converge", "--strip-debug", "--strip-producers"])
        .args(WASM_FEATURES)
        .arg("-o")
        .arg(&optimised))?;

    let dist = project.path("dist/portal");
    let _ = std::fs::remove_dir_all(&dist);
    let assets = dist.join("assets");
    std::fs::create_dir_all(&assets).context("creating dist/portal/assets")?;
    // wasm-bindgen's glue and our stylesheet, minified (names the wasm imports stay: they are
    // object keys): about a quarter less gzip for both.
    let js_min = bindgen_dir.join("edgedesk_app.min.js");
    minify(tools, &bindgen_dir.join("edgedesk_app.js"), &js_min)?;
    let css_min = bindgen_dir.join("portal.min.css");
    minify(tools, &project.path("style/portal.css"), &css_min)?;
    let wasm = hashed_copy(&optimised, &assets, "edgedesk_app", "wasm")?;
    let js = hashed_copy(&js_min, &assets, "edgedesk_app", "js")?;
    let css = hashed_copy(&css_min, &assets, "portal", "css")?;
    copy_public(&project.path("public"), &dist)?;

    let template = std::fs::read_to_string(project.path("public/index.html"))
        .context("reading public/index.html")?;
    let index = template
        .replace("{{APP_JS}}", &js)
        .replace("{{APP_WASM}}", &wasm)
        .replace("{{STYLE_CSS}}", &css);
    std::fs::write(dist.join("index.html"), index).context("writing dist/portal/index.html")?;

    let shipped = [
        assets.join(&wasm),
        assets.join(&js),
        assets.join(&css),
        dist.join("index.html"),
    ];
    sizes("portal (wasm+js+css+html)", &shipped)
}

/// `src` (JS module or CSS) minified by esbuild into `out`.
fn minify(tools: &Tools, src: &Path, out: &Path) -> Result<()> {
    run(Command::new(&tools.esbuild)
        .env("PATH", tools.path_env())
        .arg(src)
        .args(["--minify", "--log-level=warning"])
        .arg(format!("--outfile={}", out.display())))
}

/// Builds `worker/` with worker-build into `worker/build/`, pointing it at the pinned tools.
pub fn worker(project: &Project, tools: &Tools) -> Result<Sizes> {
    eprintln!("xtask: building the worker");
    run(Command::new(&tools.worker_build)
        .current_dir(project.path("worker"))
        .arg("--release")
        .env("PATH", tools.path_env())
        .env("WASM_BINDGEN_BIN", &tools.wasm_bindgen)
        .env("WASM_OPT_BIN", &tools.wasm_opt)
        .env("ESBUILD_BIN", &tools.esbuild))?;
    let wasm = std::fs::read_dir(project.path("worker/build"))
        .context("reading worker/build")?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .collect::<Vec<_>>();
    sizes("worker (wasm)", &wasm)
}

/// Copies `src` to `dir/<stem>-<hash>.<ext>` (content hash, so assets can be cached forever).
fn hashed_copy(src: &Path, dir: &Path, stem: &str, ext: &str) -> Result<String> {
    let bytes = std::fs::read(src).with_context(|| format!("reading {}", src.display()))?;
    let hash = edgedesk_core::ids::sha256_hex(&bytes);
    let name = format!("{stem}-{}.{ext}", &hash[..16]);
    std::fs::write(dir.join(&name), bytes).with_context(|| format!("writing {name}"))?;
    Ok(name)
}

/// Copies everything in public/ except the index template (rendered separately).
fn copy_public(public: &Path, dist: &Path) -> Result<()> {
    for entry in std::fs::read_dir(public).context("reading public/")? {
        let path = entry?.path();
        let Some(name) = path.file_name() else {
            continue;
        };
        if path.is_file() && name != "index.html" {
            std::fs::copy(&path, dist.join(name))
                .with_context(|| format!("copying {}", path.display()))?;
        }
    }
    Ok(())
}

fn sizes(name: &'static str, files: &[PathBuf]) -> Result<Sizes> {
    let (mut raw, mut gzip) = (0, 0);
    for file in files {
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        raw += bytes.len() as u64;
        gzip += gzip_len(&bytes)?;
    }
    Ok(Sizes { name, raw, gzip })
}

/// Size after gzip -9, what a CDN would transfer.
pub fn gzip_len(bytes: &[u8]) -> Result<u64> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len() as u64)
}

pub fn print_sizes(all: &[Sizes]) {
    for s in all {
        println!(
            "size {:<28} raw={:>8} B ({:.1} KiB) gzip={:>8} B ({:.1} KiB)",
            s.name,
            s.raw,
            s.raw as f64 / 1024.0,
            s.gzip,
            s.gzip as f64 / 1024.0
        );
    }
}

/// A size limit on one artefact (gzip bytes).
pub struct Budget {
    /// The start of the artefact's `Sizes::name`.
    pub artefact: &'static str,
    /// Fails the tests when exceeded.
    pub limit: u64,
    /// The size we promise (issue 9); above it a notice is printed until `limit` reaches it.
    pub target: u64,
}

/// The enforced budgets. The worker meets its target; the portal does not yet, so its limit is
/// a ratchet just above today's size that stops growth while it is brought down to the target.
pub const BUDGETS: [Budget; 2] = [
    Budget {
        artefact: "portal",
        limit: 407 * 1024,
        target: 150 * 1024,
    },
    Budget {
        artefact: "worker",
        limit: 1024 * 1024,
        target: 1024 * 1024,
    },
];

/// Checks `all` against [`BUDGETS`]: every artefact over its limit is an error naming the figure.
pub fn check_budgets(all: &[Sizes]) -> Result<()> {
    let mut over = Vec::new();
    for budget in &BUDGETS {
        for sizes in all.iter().filter(|s| s.name.starts_with(budget.artefact)) {
            if sizes.gzip > budget.limit {
                over.push(format!(
                    "{}: {} B gzip is over its budget of {} B",
                    sizes.name, sizes.gzip, budget.limit
                ));
            } else if sizes.gzip > budget.target {
                eprintln!(
                    "xtask: notice: {} is {} B gzip, within its limit ({} B) but above the \
                     {} B target",
                    sizes.name, sizes.gzip, budget.limit, budget.target
                );
            }
        }
    }
    if over.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("size budget exceeded:\n  {}", over.join("\n  "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_artefact_over_its_limit_fails_with_the_figures() {
        let fine = Sizes {
            name: "worker (wasm)",
            raw: 1,
            gzip: 1000,
        };
        assert!(check_budgets(&[fine]).is_ok());
        let heavy = Sizes {
            name: "worker (wasm)",
            raw: 1,
            gzip: 2 * 1024 * 1024,
        };
        let error = check_budgets(&[heavy])
            .expect_err("over budget")
            .to_string();
        assert!(error.contains("2097152 B gzip"), "{error}");
        assert!(error.contains("1048576 B"), "{error}");
    }
}
