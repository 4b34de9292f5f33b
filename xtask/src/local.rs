//! A local EdgeDesk: wrangler against a local D1 folder — migrations, the demo seed, `wrangler dev`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, Result};

use crate::procs::Service;
use crate::project::{Project, run};
use crate::tools::Tools;

/// One local deployment: the worker and assets of this checkout over the D1 files in `d1_dir`.
pub struct LocalDesk<'a> {
    project: &'a Project,
    tools: &'a Tools,
    pub d1_dir: PathBuf,
}

impl<'a> LocalDesk<'a> {
    pub fn new(project: &'a Project, tools: &'a Tools, d1_dir: PathBuf) -> Self {
        Self {
            project,
            tools,
            d1_dir,
        }
    }

    pub fn wrangler(&self) -> Result<Command> {
        let work = self.project.work_dir()?;
        let mut cmd = Command::new(&self.tools.wrangler);
        cmd.current_dir(self.project.path("worker"))
            .env("PATH", self.tools.path_env())
            .env("WRANGLER_SEND_METRICS", "false")
            .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
            .env("XDG_CONFIG_HOME", work.join("xdg-config"))
            .env("XDG_CACHE_HOME", work.join("xdg-cache"));
        Ok(cmd)
    }

    /// Applies `worker/migrations/` to the local D1.
    pub fn migrate(&self) -> Result<()> {
        run(self
            .wrangler()?
            .args(["d1", "migrations", "apply", "DB", "--local", "--persist-to"])
            .arg(&self.d1_dir))
    }

    /// Seeds the demo organisation (idempotent) and (re)registers `admin_token` as its admin.
    pub fn seed_demo(&self, admin_token: &str) -> Result<()> {
        let demo = std::fs::read_to_string(self.project.path("worker/seed/demo.sql"))
            .context("reading worker/seed/demo.sql")?;
        // The hash is hex, so inlining it cannot inject SQL.
        let hash = edgedesk_core::ApiSecret::parse(admin_token)
            .map_err(|e| anyhow::anyhow!("demo admin token: {e}"))?
            .hash();
        let token_row = format!(
            "INSERT OR REPLACE INTO api_tokens (id, org_id, name, role, token_hash, created_at)\n\
             SELECT 'tok_demo_admin', id, 'Demo admin (local only)', 'admin', '{hash}',\n\
             strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM orgs WHERE slug = 'demo';\n\
             INSERT OR IGNORE INTO agent_group_members (org_id, group_slug, token_id)\n\
             SELECT id, 'service-desk', 'tok_demo_admin' FROM orgs WHERE slug = 'demo';\n"
        );
        let catalog = std::fs::read_to_string(self.project.path("worker/seed/demo-catalog.json"))
            .context("reading worker/seed/demo-catalog.json")?;
        let catalog = crate::seed::catalog_sql("demo", &catalog)?;
        let file = self.project.work_dir()?.join("seed.sql");
        std::fs::write(&file, format!("{demo}\n{catalog}\n{token_row}"))
            .context("writing .work/seed.sql")?;
        run(self
            .wrangler()?
            .args(["d1", "execute", "DB", "--local", "--persist-to"])
            .arg(&self.d1_dir)
            .arg("--file")
            .arg(&file))
    }

    /// Starts `wrangler dev` on `port` and waits until the API answers.
    pub fn serve(&self, port: u16, extra_vars: &[(&str, &str)]) -> Result<(Service, Duration)> {
        self.start(port, extra_vars, None)
    }

    /// [`LocalDesk::serve`], with the worker's console output (`console.log` included) written
    /// to `log`, for figures the worker logs (the SLA sweep's, in bench mode).
    pub fn serve_logged(
        &self,
        port: u16,
        extra_vars: &[(&str, &str)],
        log: &std::path::Path,
    ) -> Result<(Service, Duration)> {
        self.start(port, extra_vars, Some(log))
    }

    fn start(
        &self,
        port: u16,
        extra_vars: &[(&str, &str)],
        log: Option<&std::path::Path>,
    ) -> Result<(Service, Duration)> {
        let mut cmd = self.wrangler()?;
        cmd.args(["dev", "--local", "--ip", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .args([
                "--show-interactive-dev-session=false",
                "--log-level",
                // `warn` hides the worker's console.log lines.
                if log.is_some() { "log" } else { "warn" },
                "--test-scheduled",
            ])
            .arg("--persist-to")
            .arg(&self.d1_dir);
        for (key, value) in extra_vars {
            cmd.arg("--var").arg(format!("{key}:{value}"));
        }
        if let Some(log) = log {
            let file = std::fs::File::create(log)
                .with_context(|| format!("creating {}", log.display()))?;
            cmd.stdout(file);
        }
        let mut service = Service::spawn("wrangler dev", &mut cmd)?;
        let ready = service.wait_ready(port, "/api/v1/health", Duration::from_secs(90))?;
        Ok((service, ready))
    }
}

/// A new random API token in the format the worker issues (`edk_` + 32 random bytes, base64url).
pub fn new_api_token() -> Result<String> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(edgedesk_core::ApiSecret::from_random(bytes)
        .expose()
        .to_owned())
}
