//! A local EdgeDesk: wrangler against a local D1 folder — migrations, the demo seed, `wrangler dev`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, Result};

use crate::procs::Service;
use crate::project::{Project, run};
use crate::tools::Tools;

/// Not a worker var: among `serve`'s variables, the API tokens' rate limit (requests a
/// minute), which the worker's rate limiting binding takes from its configuration.
pub const TOKEN_LIMIT: &str = "RATE_LIMIT_AGENT_PER_MINUTE";

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

    /// A copy of `worker/wrangler.toml` whose token rate limiter allows `limit` requests a
    /// minute (a binding's limit is configuration, not a var), beside it so its relative paths
    /// hold; git ignores it.
    fn config_with_token_limit(&self, limit: &str) -> Result<PathBuf> {
        let limit: u32 = limit.parse().context("the token limit is a number")?;
        let original = self.project.path("worker/wrangler.toml");
        let text = std::fs::read_to_string(&original).context("reading worker/wrangler.toml")?;
        let line = "simple = { limit = 600, period = 60 }";
        if !text.contains(line) {
            anyhow::bail!("worker/wrangler.toml has no `{line}` for the token rate limiter");
        }
        let copy = self
            .project
            .path(&format!("worker/wrangler.limit-{limit}.generated.toml"));
        std::fs::write(
            &copy,
            text.replace(
                line,
                &format!("simple = {{ limit = {limit}, period = 60 }}"),
            ),
        )
        .with_context(|| format!("writing {}", copy.display()))?;
        Ok(copy)
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
        // The demo admin is a person (id as before people existed, so old data still names
        // them) whose token is the one printed.
        let token_row = format!(
            "INSERT OR IGNORE INTO people (id, org_id, name, role, retired_key, created_at, email,\n\
             email_key, locale, time_zone, updated_at)\n\
             SELECT 'tok_demo_admin', id, 'Demo Admin', 'admin', 'person:tok_demo_admin',\n\
             created_at, 'admin@demo.example', 'admin@demo.example', default_locale, time_zone,\n\
             created_at FROM orgs WHERE slug = 'demo';\n\
             INSERT OR REPLACE INTO api_tokens (id, org_id, person_id, name, role, token_hash,\n\
             created_at)\n\
             SELECT 'tok_demo_admin', id, 'tok_demo_admin', 'Demo admin (local only)', 'admin',\n\
             '{hash}', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM orgs WHERE slug = 'demo';\n\
             INSERT OR IGNORE INTO agent_group_members (org_id, group_slug, person_id)\n\
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

    /// [`LocalDesk::serve`], with the worker's console output (`console.log` and errors
    /// included) and wrangler's request lines written to `log`: for figures the worker logs
    /// (the SLA sweep's, in bench mode) and for the test run's check of its log.
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
        let mut vars = Vec::new();
        for (key, value) in extra_vars {
            if *key == TOKEN_LIMIT {
                cmd.arg("--config")
                    .arg(self.config_with_token_limit(value)?);
            } else {
                vars.push((key, value));
            }
        }
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
        for (key, value) in vars {
            cmd.arg("--var").arg(format!("{key}:{value}"));
        }
        if let Some(log) = log {
            let file = std::fs::File::create(log)
                .with_context(|| format!("creating {}", log.display()))?;
            // Errors (the runtime's and the worker's console.error) come on stderr.
            cmd.stderr(file.try_clone().context("sharing the log file")?);
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

/// The lines of a `wrangler dev` log that fail a test run: any `[ERROR]` (the runtime's, or
/// the worker's own for an answer it could only give as 500) and any request wrangler logged
/// with a 5xx status, whatever the client made of it. Colours are ignored.
pub fn log_failures(log: &str) -> Vec<String> {
    log.lines()
        .map(strip_ansi)
        .filter(|line| {
            line.contains("[ERROR]")
                || (line.contains("[wrangler:info]")
                    && line.split_whitespace().any(|word| {
                        word.len() == 3 && word.starts_with('5') && word.parse::<u16>().is_ok()
                    }))
        })
        .collect()
}

/// `line` without ANSI escape sequences (`ESC [ … letter`).
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::log_failures;

    #[test]
    fn errors_and_server_errors_fail_the_run_and_nothing_else_does() {
        let log = "\
[wrangler:info] GET /api/v1/health 200 OK (3ms)\n\
[wrangler:info] POST /api/v1/orgs/demo/requests 422 Unprocessable Entity (9ms)\n\
[wrangler:info] GET /api/v1/tickets?page[size]=500 500 Internal Server Error (12ms)\n\
\u{1b}[31m✘ \u{1b}[41;31m[\u{1b}[41;97mERROR\u{1b}[41;31m]\u{1b}[0m Uncaught RuntimeError: unreachable\n\
[ERROR] GET /api/v1/tickets: D1: too many SQL variables\n\
cron: SLA sweep at 2026-12-04T10:00:00Z: Outcome { warned: 500 }\n";
        let failures = log_failures(log);
        assert_eq!(failures.len(), 3, "{failures:#?}");
        assert!(failures[0].contains("500 Internal Server Error"));
        assert!(failures[1].contains("[ERROR] Uncaught"));
        assert!(failures[2].starts_with("[ERROR] GET"));
    }
}
