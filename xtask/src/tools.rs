//! Installs and locates the pinned build tools: wasm target, wasm-bindgen CLI, worker-build, npm tools.
//!
//! Only package registries are reachable, so every tool comes from crates.io or npm and the
//! tools that would download binaries (worker-build) are pointed at these instead.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};

use crate::project::{Project, probe, run};

const WORKER_BUILD_VERSION: &str = "0.8.7";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Absolute paths of every tool a build or a local run needs.
pub struct Tools {
    pub wasm_bindgen: PathBuf,
    pub worker_build: PathBuf,
    pub wasm_opt: PathBuf,
    pub esbuild: PathBuf,
    pub wrangler: PathBuf,
    /// `node_modules/.bin`: holds Node 22 as `node`; put first on PATH for wrangler.
    pub node_bin_dir: PathBuf,
}

pub fn ensure(project: &Project) -> Result<Tools> {
    ensure_wasm_target()?;
    let root = tools_root()?;
    // The CLI must equal the wasm-bindgen crate the build links, or the bindings mismatch.
    let bindgen_version = locked_version(project, "wasm-bindgen")?;
    let wasm_bindgen =
        ensure_cargo_tool(&root, "wasm-bindgen-cli", &bindgen_version, "wasm-bindgen")?;
    let worker_build =
        ensure_cargo_tool(&root, "worker-build", WORKER_BUILD_VERSION, "worker-build")?;
    let node_bin_dir = ensure_npm_tools(project)?;
    Ok(Tools {
        wasm_bindgen,
        worker_build,
        wasm_opt: node_bin_dir.join("wasm-opt"),
        esbuild: node_bin_dir.join("esbuild"),
        wrangler: node_bin_dir.join("wrangler"),
        node_bin_dir,
    })
}

impl Tools {
    /// PATH with Node 22 first (wrangler refuses Debian's Node 20).
    pub fn path_env(&self) -> std::ffi::OsString {
        let mut paths = vec![self.node_bin_dir.clone()];
        if let Some(existing) = std::env::var_os("PATH") {
            paths.extend(std::env::split_paths(&existing));
        }
        std::env::join_paths(paths).unwrap_or_default()
    }
}

fn tools_root() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("EDGEDESK_TOOLS") {
        return Ok(PathBuf::from(dir));
    }
    let home = std::env::var_os("HOME").context("HOME is not set; set EDGEDESK_TOOLS")?;
    // Outside the checkout so fresh clones on the same machine reuse the compiled tools.
    Ok(Path::new(&home).join(".cache/edgedesk/tools"))
}

fn ensure_wasm_target() -> Result<()> {
    let installed = probe(Command::new("rustup").args(["target", "list", "--installed"]));
    match installed {
        Some(list) if list.lines().any(|l| l.trim() == WASM_TARGET) => Ok(()),
        Some(_) => {
            eprintln!("xtask: adding the {WASM_TARGET} Rust target");
            run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
        }
        None => bail!(
            "rustup not found; install Rust with rustup, then `rustup target add {WASM_TARGET}`"
        ),
    }
}

/// The version of `package` recorded in Cargo.lock.
fn locked_version(project: &Project, package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(project.path("Cargo.lock")).context("reading Cargo.lock")?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .with_context(|| format!("{package} is not in Cargo.lock"))?
        + needle.len();
    let version = lock[start..].split('"').next().unwrap_or_default();
    Ok(version.to_owned())
}

fn ensure_cargo_tool(root: &Path, krate: &str, version: &str, bin: &str) -> Result<PathBuf> {
    let path = root.join("bin").join(bin);
    let listed = probe(
        Command::new("cargo")
            .arg("install")
            .arg("--list")
            .arg("--root")
            .arg(root),
    );
    let wanted = format!("{krate} v{version}:");
    if path.exists() && listed.is_some_and(|l| l.lines().any(|line| line.trim() == wanted)) {
        return Ok(path);
    }
    eprintln!(
        "xtask: installing {krate} {version} into {} (once; a few minutes)",
        root.display()
    );
    let mut cmd = Command::new("cargo");
    cmd.args(["install", krate, "--version", version, "--force", "--root"])
        .arg(root);
    // wasm-bindgen-cli's own lock file names a yanked crate; worker-build's is fine.
    if krate != "wasm-bindgen-cli" {
        cmd.arg("--locked");
    }
    run(&mut cmd)?;
    Ok(path)
}

/// `npm ci` when package-lock.json changed since the last install; returns node_modules/.bin.
fn ensure_npm_tools(project: &Project) -> Result<PathBuf> {
    let lock =
        std::fs::read(project.path("package-lock.json")).context("reading package-lock.json")?;
    let digest = edgedesk_core::ids::sha256_hex(&lock);
    let marker = project.work_dir()?.join("npm-installed.sha256");
    let bin = project.path("node_modules/.bin");
    let current = std::fs::read_to_string(&marker).unwrap_or_default();
    if current.trim() != digest || !bin.join("wrangler").exists() || !bin.join("node").exists() {
        eprintln!(
            "xtask: installing npm tools (wrangler, Node 22, wasm-opt, esbuild, axe-core) with npm ci"
        );
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&project.root))?;
        std::fs::write(&marker, &digest).context("writing npm marker")?;
    }
    Ok(bin)
}
