//! Paths of the repository and of the gitignored work folder, and how to run commands in them.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};

/// The checkout xtask runs in.
pub struct Project {
    pub root: PathBuf,
}

impl Project {
    /// The checkout around the current directory (`cargo xtask` runs from inside it). Not the
    /// path xtask was compiled in: checkouts that share a target folder share the binary too.
    pub fn locate() -> Result<Self> {
        let cwd = std::env::current_dir().context("reading the current directory")?;
        let root = cwd
            .ancestors()
            .find(|dir| dir.join("xtask/Cargo.toml").is_file() && dir.join("Cargo.toml").is_file())
            .map(Path::to_path_buf)
            .with_context(|| format!("{} is not inside an EdgeDesk checkout", cwd.display()))?;
        Ok(Self { root })
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Gitignored folder for local state: D1 files, wrangler config/cache, tokens.
    pub fn work_dir(&self) -> Result<PathBuf> {
        let dir = self.path(".work");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(dir)
    }
}

/// Runs `cmd` to completion with inherited output; a non-zero exit is an error naming the command.
pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = describe(cmd);
    let status = cmd
        .status()
        .with_context(|| format!("could not start `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// Runs `cmd` and returns its stdout, or `None` if it cannot start or fails (used for probes).
pub fn probe(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}
