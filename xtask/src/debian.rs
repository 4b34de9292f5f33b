//! Debian packages the commands need (Chromium for tests, wrk for benchmarks), installed with
//! apt when missing: as root, or with passwordless sudo; otherwise the exact command to run.

use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, Result, bail};

use crate::project::{probe, run};

/// Makes sure every path in `binaries` exists, installing `packages` for `purpose` if not.
pub fn ensure(packages: &[&str], binaries: &[&str], purpose: &str) -> Result<()> {
    let present = || binaries.iter().all(|b| Path::new(b).exists());
    if present() {
        return Ok(());
    }
    let install = format!(
        "apt-get update && apt-get install -y {}",
        packages.join(" ")
    );
    let is_root = probe(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    let sudo_ok = !is_root && probe(Command::new("sudo").args(["-n", "true"])).is_some();
    if !is_root && !sudo_ok {
        bail!(
            "{purpose} need {}; install with:\n  sudo sh -c '{install}'",
            packages.join(", ")
        );
    }
    eprintln!(
        "xtask: installing {} from Debian (once)",
        packages.join(", ")
    );
    let mut cmd = if is_root {
        Command::new("sh")
    } else {
        let mut sudo = Command::new("sudo");
        sudo.arg("sh");
        sudo
    };
    cmd.args(["-c", &install])
        .env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut cmd).with_context(|| format!("installing failed; run: {install}"))?;
    if !present() {
        bail!("{} still missing after `{install}`", binaries.join(" or "));
    }
    Ok(())
}
