//! `cargo xtask deploy`: the desk onto the organisation's own Cloudflare account (D1, migrations,
//! secrets, worker), and `deploy --dry-run`: every check that needs no account.
//!
//! The account steps go through [`Wrangler`] (arguments in, output back), so a stand-in
//! wrangler can prove their order, that a second run changes nothing, and that a failed
//! migration stops before any code is deployed.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, bail};

use crate::build::gzip_len;
use crate::project::Project;
use crate::tools::Tools;

/// Compressed upload Cloudflare accepts for one Worker on the Free plan (decimal megabytes:
/// the stricter reading of "3 MB").
pub const FREE_PLAN_UPLOAD: u64 = 3_000_000;
/// The same on the Workers Paid plan.
pub const PAID_PLAN_UPLOAD: u64 = 10_000_000;
/// Bindings the worker reads at start; a deployment without one of them cannot serve.
pub const BINDINGS: [&str; 4] = ["DB", "ASSETS", "TOKEN_RATE_LIMITER", "SIGN_IN_RATE_LIMITER"];
/// Secrets the desk needs on a real account: sealing of idempotent answers, and the bootstrap
/// of the first organisation.
pub const SECRETS: [&str; 2] = ["IDEMPOTENCY_SECRET", "BOOTSTRAP_SECRET"];
/// The committed configuration's database id: a placeholder, real only in the generated copy.
const PLACEHOLDER_DATABASE_ID: &str = "00000000-0000-0000-0000-000000000000";
/// The generated configuration with the account's database id, beside `wrangler.toml` so its
/// relative paths hold; git ignores it.
pub const DEPLOY_CONFIG: &str = "worker/wrangler.deploy.toml";

/// What one wrangler run gave back.
pub struct Output {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Both streams, for error messages (wrangler writes its errors to either).
    fn text(&self) -> String {
        format!("{}\n{}", self.stdout.trim(), self.stderr.trim())
            .trim()
            .to_owned()
    }
}

/// Runs wrangler with `args` (and `stdin`, for secrets) and returns what it printed.
pub trait Wrangler {
    fn run(&mut self, args: &[&str], stdin: Option<&str>) -> Result<Output>;
}

/// A wrangler executable (the pinned one, or a stand-in in tests) run in `dir`.
pub struct WranglerCli {
    pub program: PathBuf,
    pub dir: PathBuf,
    pub env: Vec<(String, std::ffi::OsString)>,
    /// Print each command before it runs (the real deploy).
    pub echo: bool,
}

impl Wrangler for WranglerCli {
    fn run(&mut self, args: &[&str], stdin: Option<&str>) -> Result<Output> {
        if self.echo {
            eprintln!("xtask: deploy: wrangler {}", args.join(" "));
        }
        let mut child = Command::new(&self.program)
            .args(args)
            .current_dir(&self.dir)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("could not start {}", self.program.display()))?;
        // Dropping stdin closes it: wrangler reads a secret until end of input.
        if let Some(mut pipe) = child.stdin.take() {
            pipe.write_all(stdin.unwrap_or_default().as_bytes())
                .context("writing to wrangler's input")?;
        }
        let out = child.wait_with_output().context("waiting for wrangler")?;
        Ok(Output {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }
}

/// Where the account steps write and what they deploy.
pub struct Plan {
    /// The committed `wrangler.toml`'s text.
    pub config_text: String,
    /// Where the generated configuration goes ([`DEPLOY_CONFIG`]).
    pub deploy_config: PathBuf,
}

/// What a run of the account steps did.
#[derive(Debug, Default)]
pub struct Deployed {
    pub database_id: String,
    pub database_created: bool,
    /// The secrets that were missing and were set.
    pub secrets_set: Vec<&'static str>,
    /// The bootstrap secret when this run set it: shown once, then only the account has it.
    pub bootstrap_secret: Option<String>,
    /// The worker's address, as wrangler printed it.
    pub url: Option<String>,
}

/// The account steps, in order: find or create the D1 database, write the deploy
/// configuration, apply migrations (stopping on failure with the restore command), set the
/// missing secrets, deploy. `new_secret` makes a secret's value.
pub fn account_steps(
    wrangler: &mut dyn Wrangler,
    plan: &Plan,
    new_secret: &mut dyn FnMut() -> Result<String>,
) -> Result<Deployed> {
    let mut done = Deployed::default();
    let database = database_name(&plan.config_text)?;
    done.database_id = match find_database(wrangler, &database)? {
        Some(id) => id,
        None => {
            let created = wrangler.run(&["d1", "create", &database], None)?;
            if !created.ok {
                bail!(
                    "creating D1 database {database} failed:\n{}",
                    created.text()
                );
            }
            done.database_created = true;
            find_database(wrangler, &database)?
                .with_context(|| format!("D1 database {database} was created but is not listed"))?
        }
    };
    std::fs::write(
        &plan.deploy_config,
        deploy_config(&plan.config_text, &done.database_id)?,
    )
    .with_context(|| format!("writing {}", plan.deploy_config.display()))?;
    let config = plan.deploy_config.to_string_lossy().into_owned();

    // Migrations before code: the new code may need the new schema; the old code keeps working
    // on it (migrations only add). The restore point is taken before anything is applied.
    let before = unix_now();
    let migrated = wrangler.run(
        &[
            "d1",
            "migrations",
            "apply",
            "DB",
            "--remote",
            "--config",
            &config,
        ],
        None,
    )?;
    if !migrated.ok {
        bail!(
            "applying migrations to D1 database {database} failed; nothing was deployed, the \
             running worker is unchanged.\n{}\n\nMigrations applied before the failing one stay \
             applied. To put the database back as it was before this run (D1 Time Travel):\n  \
             cd worker && ../node_modules/.bin/wrangler d1 time-travel restore {database} \
             --timestamp={before}",
            migrated.text()
        );
    }
    println!("{}", migrated.stdout.trim());

    let present = secret_names(wrangler, &config)?;
    for name in SECRETS {
        if present.iter().any(|p| p == name) {
            continue;
        }
        let value = new_secret()?;
        let put = wrangler.run(&["secret", "put", name, "--config", &config], Some(&value))?;
        if !put.ok {
            bail!("setting secret {name} failed:\n{}", put.text());
        }
        if name == "BOOTSTRAP_SECRET" {
            done.bootstrap_secret = Some(value);
        }
        done.secrets_set.push(name);
    }

    let deployed = wrangler.run(&["deploy", "--config", &config], None)?;
    if !deployed.ok {
        bail!("wrangler deploy failed:\n{}", deployed.text());
    }
    println!("{}", deployed.stdout.trim());
    done.url = worker_url(&deployed.stdout);
    Ok(done)
}

/// The id of D1 database `name` on the account, if it has one.
fn find_database(wrangler: &mut dyn Wrangler, name: &str) -> Result<Option<String>> {
    let listed = wrangler.run(&["d1", "list", "--json"], None)?;
    if !listed.ok {
        bail!(
            "listing D1 databases failed (log in with `wrangler login` or set \
             CLOUDFLARE_API_TOKEN):\n{}",
            listed.text()
        );
    }
    let databases: Vec<serde_json::Value> = serde_json::from_str(listed.stdout.trim())
        .with_context(|| format!("reading `wrangler d1 list --json`: {}", listed.stdout))?;
    Ok(databases.iter().find_map(|db| {
        (db.get("name")?.as_str()? == name).then(|| db.get("uuid")?.as_str().map(str::to_owned))?
    }))
}

/// The names of the worker's secrets; none when the worker does not exist yet.
fn secret_names(wrangler: &mut dyn Wrangler, config: &str) -> Result<Vec<String>> {
    let listed = wrangler.run(
        &["secret", "list", "--format", "json", "--config", config],
        None,
    )?;
    if !listed.ok {
        // First deployment: `secret put` creates the worker (as a draft) with its secrets.
        if listed.text().contains("not found") {
            return Ok(Vec::new());
        }
        bail!("listing the worker's secrets failed:\n{}", listed.text());
    }
    let secrets: Vec<serde_json::Value> = serde_json::from_str(listed.stdout.trim())
        .with_context(|| format!("reading `wrangler secret list`: {}", listed.stdout))?;
    Ok(secrets
        .iter()
        .filter_map(|s| Some(s.get("name")?.as_str()?.to_owned()))
        .collect())
}

/// The `database_name` of the `DB` binding.
fn database_name(config_text: &str) -> Result<String> {
    let config: toml::Table = config_text
        .parse()
        .context("reading worker/wrangler.toml")?;
    config
        .get("d1_databases")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .find(|db| db.get("binding").and_then(toml::Value::as_str) == Some("DB"))
        .and_then(|db| db.get("database_name")?.as_str())
        .map(str::to_owned)
        .context("worker/wrangler.toml has no D1 database with binding DB")
}

/// The committed configuration with the account's database id, and Workers Logs on (the
/// desk's request and cron lines are read there; local runs keep it off for speed).
fn deploy_config(config_text: &str, database_id: &str) -> Result<String> {
    let placeholder = format!("database_id = \"{PLACEHOLDER_DATABASE_ID}\"");
    if !config_text.contains(&placeholder) {
        bail!("worker/wrangler.toml has no `{placeholder}` to replace");
    }
    Ok(format!(
        "# Generated by `cargo xtask deploy` from wrangler.toml: not committed (it names this \
         account's database).\n{}",
        config_text
            .replace(&placeholder, &format!("database_id = \"{database_id}\""))
            .replace(
                "[observability]\nenabled = false",
                "[observability]\nenabled = true"
            )
    ))
}

/// The first `https://` address in wrangler deploy's output.
fn worker_url(stdout: &str) -> Option<String> {
    stdout
        .split_whitespace()
        .find(|word| word.starts_with("https://"))
        .map(|url| url.trim_end_matches(['.', ',', ')']).to_owned())
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Checks that need no account on wrangler's own dry run of the built worker, and prints the
/// compressed upload size. Expects the worker and the portal built.
pub fn dry_run(project: &Project, tools: &Tools) -> Result<()> {
    let config_text = std::fs::read_to_string(project.path("worker/wrangler.toml"))
        .context("reading worker/wrangler.toml")?;
    let mut problems = config_problems(&config_text)?;
    problems.extend(migration_problems(&migration_names(
        &project.path("worker/migrations"),
    )?));

    let outdir = project.work_dir()?.join("deploy-dry-run");
    let _ = std::fs::remove_dir_all(&outdir);
    let mut wrangler = WranglerCli {
        program: tools.wrangler.clone(),
        dir: project.path("worker"),
        env: local_env(project, tools)?,
        echo: false,
    };
    let outdir_arg = outdir.to_string_lossy().into_owned();
    let out = wrangler.run(&["deploy", "--dry-run", "--outdir", &outdir_arg], None)?;
    if !out.ok {
        bail!("wrangler deploy --dry-run failed:\n{}", out.text());
    }
    for binding in BINDINGS {
        if !out.stdout.contains(&format!("env.{binding}")) {
            problems.push(format!("wrangler's dry run lists no binding env.{binding}"));
        }
    }
    let upload = upload_gzip(&outdir)?;
    // wrangler's own figure, for comparison (it gzips the modules together).
    if let Some(total) = out.stdout.lines().find(|l| l.starts_with("Total Upload:")) {
        println!("deploy dry-run wrangler: {}", total.trim());
    }
    println!(
        "deploy dry-run upload gzip={upload} B ({:.2} MB): {:.0} % of the Free plan's 3 MB, \
         {:.0} % of the paid 10 MB",
        upload as f64 / 1e6,
        100.0 * upload as f64 / FREE_PLAN_UPLOAD as f64,
        100.0 * upload as f64 / PAID_PLAN_UPLOAD as f64,
    );
    if upload > FREE_PLAN_UPLOAD {
        problems.push(format!(
            "the upload is {upload} B compressed, over the Free plan's {FREE_PLAN_UPLOAD} B"
        ));
    }
    if problems.is_empty() {
        return Ok(());
    }
    bail!("not deployable:\n  {}", problems.join("\n  "))
}

/// The environment for wrangler commands that need no account (as the local runs use).
fn local_env(project: &Project, tools: &Tools) -> Result<Vec<(String, std::ffi::OsString)>> {
    let work = project.work_dir()?;
    Ok(vec![
        ("PATH".to_owned(), tools.path_env()),
        ("WRANGLER_SEND_METRICS".to_owned(), "false".into()),
        ("CLOUDFLARE_CF_FETCH_ENABLED".to_owned(), "false".into()),
        ("XDG_CONFIG_HOME".to_owned(), work.join("xdg-config").into()),
        ("XDG_CACHE_HOME".to_owned(), work.join("xdg-cache").into()),
    ])
}

/// The environment of the real deployment: the user's own wrangler login (their config
/// folder, or `CLOUDFLARE_API_TOKEN`), Node 22 first on PATH.
fn account_env(tools: &Tools) -> Vec<(String, std::ffi::OsString)> {
    vec![
        ("PATH".to_owned(), tools.path_env()),
        ("WRANGLER_SEND_METRICS".to_owned(), "false".into()),
    ]
}

/// Compressed size of what wrangler would upload: every module it wrote, gzipped one by one.
fn upload_gzip(outdir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in
        std::fs::read_dir(outdir).with_context(|| format!("reading {}", outdir.display()))?
    {
        let path = entry?.path();
        // Source maps are not uploaded (no `upload_source_maps`), nor wrangler's README.
        if path.is_file() && path.extension().is_none_or(|e| e != "map" && e != "md") {
            total += gzip_len(&std::fs::read(&path)?)?;
        }
    }
    if total == 0 {
        bail!("wrangler's dry run wrote nothing to {}", outdir.display());
    }
    Ok(total)
}

/// What the committed configuration lacks: the bindings and the cron trigger.
fn config_problems(config_text: &str) -> Result<Vec<String>> {
    let config: toml::Table = config_text
        .parse()
        .context("reading worker/wrangler.toml")?;
    let names_in = |table: &str| -> Vec<String> {
        config
            .get(table)
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|b| Some(b.get("binding").or(b.get("name"))?.as_str()?.to_owned()))
            .collect()
    };
    let mut bindings = names_in("d1_databases");
    bindings.extend(names_in("ratelimits"));
    if let Some(assets) = config
        .get("assets")
        .and_then(|a| a.get("binding")?.as_str())
    {
        bindings.push(assets.to_owned());
    }
    let mut problems: Vec<String> = BINDINGS
        .iter()
        .filter(|wanted| !bindings.iter().any(|b| b == *wanted))
        .map(|missing| format!("worker/wrangler.toml has no binding {missing}"))
        .collect();
    let crons = config
        .get("triggers")
        .and_then(|t| t.get("crons")?.as_array())
        .map_or(0, Vec::len);
    if crons == 0 {
        problems.push(
            "worker/wrangler.toml has no cron trigger ([triggers] crons): no SLA sweep would run"
                .to_owned(),
        );
    }
    Ok(problems)
}

/// The file names in `worker/migrations/`.
fn migration_names(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        names.push(entry?.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}

/// Migrations must be `NNNN_name.sql` numbered 1, 2, 3 … with no gap or repeat: wrangler
/// applies them in name order and remembers them by name, so a gap hides a lost file and a
/// repeat makes the order depend on the rest of the name.
fn migration_problems(names: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut numbers = Vec::new();
    for name in names {
        let number = name
            .strip_suffix(".sql")
            .and_then(|stem| stem.split_once('_'))
            .filter(|(digits, rest)| {
                digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty()
            })
            .and_then(|(digits, _)| digits.parse::<u32>().ok());
        match number {
            Some(number) => numbers.push((number, name)),
            None => problems.push(format!("migration {name} is not named NNNN_name.sql")),
        }
    }
    numbers.sort();
    for (expected, (number, name)) in (1..).zip(&numbers) {
        if *number != expected {
            problems.push(format!(
                "migration {name} is number {number} where {expected} was expected (a gap or \
                 a repeat)"
            ));
            break;
        }
    }
    problems
}

/// `cargo xtask deploy [--dry-run]`.
pub fn run(project: &Project, args: &[String]) -> Result<()> {
    let dry = match args {
        [] => false,
        [flag] if flag == "--dry-run" => true,
        _ => bail!("usage: cargo xtask deploy [--dry-run]"),
    };
    let tools = crate::tools::ensure(project)?;
    let sizes = crate::build::all(project, &tools)?;
    crate::build::print_sizes(&sizes);
    crate::build::check_budgets(&sizes)?;
    // The real deployment starts with the dry run too: nothing reaches the account unless the
    // build is deployable.
    dry_run(project, &tools)?;
    if dry {
        return Ok(());
    }
    let plan = Plan {
        config_text: std::fs::read_to_string(project.path("worker/wrangler.toml"))
            .context("reading worker/wrangler.toml")?,
        deploy_config: project.path(DEPLOY_CONFIG),
    };
    let mut wrangler = WranglerCli {
        program: tools.wrangler.clone(),
        dir: project.path("worker"),
        env: account_env(&tools),
        echo: true,
    };
    let done = account_steps(&mut wrangler, &plan, &mut crate::local::new_api_token)?;
    print_next_steps(&done);
    Ok(())
}

fn print_next_steps(done: &Deployed) {
    let url = done
        .url
        .as_deref()
        .unwrap_or("https://<your worker's address>");
    println!();
    println!("  EdgeDesk is deployed: {url}");
    println!(
        "  D1 database: {} ({})",
        done.database_id,
        if done.database_created {
            "created"
        } else {
            "existing"
        }
    );
    if done.secrets_set.is_empty() {
        println!("  Secrets: already set (unchanged)");
    } else {
        println!("  Secrets set: {}", done.secrets_set.join(", "));
    }
    let secret = match &done.bootstrap_secret {
        Some(secret) => {
            println!();
            println!("  BOOTSTRAP_SECRET (shown this once; keep it or rotate it later):");
            println!("    {secret}");
            "<the BOOTSTRAP_SECRET above>"
        }
        None => "<your BOOTSTRAP_SECRET>",
    };
    println!();
    println!("  First organisation and its admin (answers with an admin API token, shown once):");
    println!(
        "    curl -X POST {url}/api/v1/bootstrap -H 'x-bootstrap-secret: {secret}' \\\n      \
         -H 'content-type: application/json' \\\n      \
         -d '{{\"slug\": \"acme\", \"name\": \"Acme\", \"ref_prefix\": \"ACME\", \
         \"admin_email\": \"you@acme.example\", \"admin_name\": \"Your Name\"}}'"
    );
    println!(
        "  Then as that admin: a one-time sign-in link for yourself \
         (POST /api/v1/admin/people/<person>/sign-in-links, the person's id is in the answer), \
         people (POST /api/v1/admin/people) and integration tokens (POST /api/v1/admin/tokens); \
         requesters use the portal at {url}/ with no account."
    );
    println!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_must_be_numbered_in_order_without_gaps_or_repeats() {
        let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(migration_problems(&names(&["0001_init.sql", "0002_more.sql"])).is_empty());
        let gap = migration_problems(&names(&["0001_init.sql", "0003_more.sql"]));
        assert_eq!(gap.len(), 1, "{gap:?}");
        assert!(gap[0].contains("0003_more.sql"), "{gap:?}");
        let repeat = migration_problems(&names(&["0001_a.sql", "0001_b.sql", "0002_c.sql"]));
        assert_eq!(repeat.len(), 1, "{repeat:?}");
        let misnamed = migration_problems(&names(&["0001_init.sql", "2_more.sql", "notes.txt"]));
        assert_eq!(misnamed.len(), 2, "{misnamed:?}");
    }

    #[test]
    fn the_committed_configuration_has_the_bindings_and_the_cron_trigger() {
        let committed = include_str!("../../worker/wrangler.toml");
        assert_eq!(config_problems(committed).unwrap(), Vec::<String>::new());
        let without_cron = committed.replace("crons = [\"* * * * *\"]", "crons = []");
        let problems = config_problems(&without_cron).unwrap();
        assert!(problems.iter().any(|p| p.contains("cron")), "{problems:?}");
        let without_limiter = committed.replace("TOKEN_RATE_LIMITER", "OTHER");
        let problems = config_problems(&without_limiter).unwrap();
        assert!(
            problems.iter().any(|p| p.contains("TOKEN_RATE_LIMITER")),
            "{problems:?}"
        );
    }

    #[test]
    fn the_committed_migrations_are_in_order() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../worker/migrations");
        let names = migration_names(&dir).unwrap();
        assert!(names.len() >= 10, "{names:?}");
        assert_eq!(migration_problems(&names), Vec::<String>::new());
    }

    /// A stand-in wrangler in a fresh folder: it appends each call's arguments to `calls.log`
    /// and keeps the account's state (database, secrets, worker) as files beside it.
    struct StandIn {
        dir: PathBuf,
        /// One stand-in at a time: a script being written while another test thread forks
        /// could not be executed ("text file busy").
        _turn: std::sync::MutexGuard<'static, ()>,
    }

    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

    const STAND_IN: &str = r#"#!/bin/sh
dir="$(dirname "$0")"
echo "$*" >> "$dir/calls.log"
case "$1 $2" in
"d1 list")
  if [ -f "$dir/database" ]; then
    printf '[{"uuid":"%s","name":"edgedesk","version":"production"}]\n' "$(cat "$dir/database")"
  else
    echo '[]'
  fi ;;
"d1 create")
  echo "5f1e0c2a-1111-4222-8333-944445555666" > "$dir/database"
  echo "Successfully created DB '$3'" ;;
"d1 migrations")
  if [ -f "$dir/fail-migration" ]; then
    echo "Migration 0011_broken.sql failed with: near \"TABEL\": syntax error" >&2
    exit 1
  fi
  echo "Migrations applied" ;;
"secret list")
  if [ ! -f "$dir/worker" ]; then
    echo 'Worker "edgedesk" not found.' >&2
    exit 1
  fi
  printf '['
  sep=''
  for f in "$dir"/secret-*; do
    [ -f "$f" ] || continue
    printf '%s{"name":"%s","type":"secret_text"}' "$sep" "${f##*/secret-}"
    sep=','
  done
  echo ']' ;;
"secret put")
  cat > "$dir/secret-$3"
  touch "$dir/worker" ;;
deploy*)
  touch "$dir/worker"
  echo "Uploaded edgedesk"
  echo "Deployed edgedesk triggers"
  echo "  https://edgedesk.acme.workers.dev"
  echo "  schedule: * * * * *" ;;
*)
  echo "stand-in wrangler: unexpected $*" >&2
  exit 2 ;;
esac
"#;

    impl StandIn {
        fn new(name: &str) -> Self {
            use std::os::unix::fs::PermissionsExt as _;
            let turn = TURN
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let dir =
                std::env::temp_dir().join(format!("edgedesk-deploy-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            let script = dir.join("wrangler");
            std::fs::write(&script, STAND_IN).unwrap();
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
            Self { dir, _turn: turn }
        }

        fn wrangler(&self) -> WranglerCli {
            WranglerCli {
                program: self.dir.join("wrangler"),
                dir: self.dir.clone(),
                env: Vec::new(),
                echo: false,
            }
        }

        fn plan(&self) -> Plan {
            Plan {
                config_text: include_str!("../../worker/wrangler.toml").to_owned(),
                deploy_config: self.dir.join("wrangler.deploy.toml"),
            }
        }

        fn deploy(&self) -> Result<Deployed> {
            let mut counter = 0;
            account_steps(&mut self.wrangler(), &self.plan(), &mut || {
                counter += 1;
                Ok(format!("generated-secret-{counter}"))
            })
        }

        /// The calls so far (first word pair of each, plus the secret's name), then forgets them.
        fn take_calls(&self) -> Vec<String> {
            let log = self.dir.join("calls.log");
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            let _ = std::fs::remove_file(&log);
            text.lines()
                .map(|line| {
                    let words: Vec<&str> = line.split_whitespace().collect();
                    let take = match words.first().copied() {
                        Some("secret") if words.get(1) == Some(&"put") => 3,
                        Some("d1") if words.get(1) == Some(&"migrations") => 3,
                        Some("deploy") => 1,
                        _ => 2,
                    };
                    words[..take.min(words.len())].join(" ")
                })
                .collect()
        }
    }

    impl Drop for StandIn {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    #[test]
    fn first_run_creates_migrates_sets_secrets_then_deploys_and_a_second_changes_nothing() {
        let account = StandIn::new("twice");
        let first = account.deploy().unwrap();
        assert_eq!(
            account.take_calls(),
            [
                "d1 list",
                "d1 create",
                "d1 list",
                "d1 migrations apply",
                "secret list",
                "secret put IDEMPOTENCY_SECRET",
                "secret put BOOTSTRAP_SECRET",
                "deploy",
            ]
        );
        assert!(first.database_created);
        assert_eq!(first.database_id, "5f1e0c2a-1111-4222-8333-944445555666");
        assert_eq!(
            first.url.as_deref(),
            Some("https://edgedesk.acme.workers.dev")
        );
        // The value given to the account is the one shown, and only the bootstrap one is shown.
        let bootstrap =
            std::fs::read_to_string(account.dir.join("secret-BOOTSTRAP_SECRET")).unwrap();
        assert_eq!(first.bootstrap_secret.as_deref(), Some(bootstrap.as_str()));
        let config = std::fs::read_to_string(account.dir.join("wrangler.deploy.toml")).unwrap();
        assert!(config.contains("database_id = \"5f1e0c2a-1111-4222-8333-944445555666\""));
        assert!(!config.contains(PLACEHOLDER_DATABASE_ID));
        assert!(config.contains("[observability]\nenabled = true"));

        let second = account.deploy().unwrap();
        assert_eq!(
            account.take_calls(),
            ["d1 list", "d1 migrations apply", "secret list", "deploy"]
        );
        assert!(!second.database_created);
        assert!(second.secrets_set.is_empty());
        assert_eq!(second.bootstrap_secret, None);
        assert_eq!(second.database_id, first.database_id);
    }

    #[test]
    fn a_failed_migration_stops_before_deploying_and_says_how_to_restore() {
        let account = StandIn::new("broken");
        account.deploy().unwrap();
        account.take_calls();
        std::fs::write(account.dir.join("fail-migration"), "").unwrap();
        let error = format!("{:#}", account.deploy().expect_err("the migration fails"));
        assert_eq!(account.take_calls(), ["d1 list", "d1 migrations apply"]);
        assert!(error.contains("TABEL"), "{error}");
        assert!(
            error.contains("wrangler d1 time-travel restore edgedesk --timestamp="),
            "{error}"
        );
    }

    #[test]
    fn an_account_wrangler_cannot_reach_stops_at_the_first_step() {
        let account = StandIn::new("offline");
        std::fs::write(
            account.dir.join("wrangler"),
            "#!/bin/sh\necho \"$*\" >> \"$(dirname \"$0\")/calls.log\"\necho 'Not logged in' >&2\nexit 1\n",
        )
        .unwrap();
        let error = format!("{:#}", account.deploy().expect_err("not logged in"));
        assert_eq!(account.take_calls(), ["d1 list"]);
        assert!(error.contains("wrangler login"), "{error}");
    }
}
