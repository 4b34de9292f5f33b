//! `cargo xtask dev`: everything from a fresh checkout to a running local desk with demo data.

use std::net::TcpListener;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};

use crate::local::{LocalDesk, new_api_token};
use crate::project::Project;
use crate::{build, tools};

pub fn run(project: &Project) -> Result<()> {
    let started = Instant::now();
    let port: u16 = match std::env::var("EDGEDESK_PORT") {
        Ok(p) => p
            .parse()
            .with_context(|| format!("EDGEDESK_PORT={p:?} is not a port"))?,
        Err(_) => 8787,
    };
    if TcpListener::bind(("127.0.0.1", port)).is_err() {
        bail!("port {port} is in use; stop what uses it or set EDGEDESK_PORT=<another port>");
    }
    let tools = tools::ensure(project)?;
    build::print_sizes(&build::all(project, &tools)?);

    let work = project.work_dir()?;
    let desk = LocalDesk::new(project, &tools, work.join("dev-d1"));
    desk.migrate()?;
    // Keep the demo token across runs so scripts and bookmarks keep working.
    let token_file = work.join("demo-admin-token");
    let token = match std::fs::read_to_string(&token_file) {
        Ok(t) if t.starts_with("edk_") => t.trim().to_owned(),
        _ => {
            let t = new_api_token()?;
            std::fs::write(&token_file, &t).context("writing .work/demo-admin-token")?;
            t
        }
    };
    desk.seed_demo(&token)?;
    // Kept across runs like the token, so answers sealed in one run still open in the next.
    let seal_file = work.join("idempotency-secret");
    let seal = match std::fs::read_to_string(&seal_file) {
        Ok(s) if s.trim().len() >= 32 => s.trim().to_owned(),
        _ => {
            let s = new_api_token()?;
            std::fs::write(&seal_file, &s).context("writing .work/idempotency-secret")?;
            s
        }
    };
    let (service, _) = desk.serve(port, &[("IDEMPOTENCY_SECRET", &seal)])?;
    println!();
    println!(
        "  EdgeDesk is running (ready {:.1} s after start)",
        started.elapsed().as_secs_f64()
    );
    println!("  Portal:           http://127.0.0.1:{port}/");
    println!("  API:              http://127.0.0.1:{port}/api/v1/health");
    println!("  Demo admin token: {token}   (local demo only; also in .work/demo-admin-token)");
    println!("  Local D1:         {}", desk.d1_dir.display());
    println!("  Ctrl-C stops everything.");
    println!();
    let status = service.wait()?;
    if !status.success() {
        bail!("wrangler dev exited ({status})");
    }
    Ok(())
}
