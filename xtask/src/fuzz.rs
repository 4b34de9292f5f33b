//! The API fuzzer of the test run: schemathesis from PyPI (pinned with every dependency in
//! `tests/fuzz/requirements.txt`) in a virtual environment under `.work/`, reinstalled only
//! when that file changes.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context as _, Result, bail};

use crate::project::{Project, run};

const REQUIREMENTS: &str = "tests/fuzz/requirements.txt";

/// The `schemathesis` command, installed first if needed.
pub fn ensure(project: &Project) -> Result<PathBuf> {
    let requirements = std::fs::read_to_string(project.path(REQUIREMENTS))
        .with_context(|| format!("reading {REQUIREMENTS}"))?;
    let venv = project.work_dir()?.join("fuzz-venv");
    let schemathesis = venv.join("bin/schemathesis");
    let marker = venv.join("installed-requirements.txt");
    if schemathesis.exists() && std::fs::read_to_string(&marker).ok() == Some(requirements.clone())
    {
        return Ok(schemathesis);
    }
    eprintln!(
        "xtask: installing the API fuzzer (schemathesis) into {}",
        venv.display()
    );
    let _ = std::fs::remove_dir_all(&venv);
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| {
            Command::new(p)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .context("the API fuzz step needs Python 3 (python3) with its venv module")?;
    run(Command::new(python).args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(project.path(REQUIREMENTS)))?;
    if !schemathesis.exists() {
        bail!("pip installed no {}", schemathesis.display());
    }
    std::fs::write(&marker, requirements).context("recording the fuzzer's requirements")?;
    Ok(schemathesis)
}
