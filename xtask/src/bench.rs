//! `cargo xtask bench`: the real worker (`wrangler dev`, local D1, observability off) under wrk,
//! D1 round trips per endpoint, list/count latency at 100,000 tickets, sizes and portal load.
//! Prints one `bench …` line per figure and writes them all to `target/bench.json`.
//! `cargo xtask bench sla`: rows D1 reads per SLA sweep at 10,000 and 100,000 tickets.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use serde_json::{Value, json};

use crate::local::{LocalDesk, new_api_token};
use crate::procs::free_port;
use crate::project::{Project, run as run_cmd};
use crate::{build, debian, tools};

const WRK: &str = "/usr/bin/wrk";
/// Seconds per wrk run: long enough for a stable p99 on loopback, short enough for one command.
const SECONDS: u32 = 10;
/// Tickets added in bulk to show that listing and counting do not grow with the table.
const BULK_TICKETS: u32 = 100_000;
/// `bench sla`: table sizes (tickets with a running clock) and due clocks at each.
const SLA_TICKETS: [u32; 2] = [10_000, 100_000];
const SLA_DUE: u32 = 100;
/// The agent list of open tickets, a page of 25.
const LIST: &str = "/api/v1/tickets?status=new&page%5Bsize%5D=25";
/// How far the test clock moves before each sweep: past the due clocks' warnings (5 min) and
/// half their deadlines (10 min), far from the others (a month).
const SLA_ADVANCE_MINUTES: u32 = 15;
/// Figures of `bench sla` in `target/bench.json` (the full bench keeps them, and vice versa).
const SLA_FIGURE: &str = "sla";

/// The figures collected so far, printed as they come.
#[derive(Default)]
struct Figures(Vec<Value>);

impl Figures {
    fn record(&mut self, name: &str, fields: &[(&str, Value)]) {
        let mut line = format!("bench {name}");
        let mut object = serde_json::Map::new();
        object.insert("name".into(), name.into());
        for (key, value) in fields {
            let shown = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let _ = write!(line, " {key}={shown}");
            object.insert((*key).into(), value.clone());
        }
        println!("{line}");
        self.0.push(Value::Object(object));
    }

    /// Field `field` of the first figure `name` measured at concurrency `c`.
    fn get(&self, name: &str, c: u32, field: &str) -> Option<f64> {
        self.0
            .iter()
            .find(|f| f["name"] == name && f["c"] == c)
            .and_then(|f| f[field].as_f64())
    }
}

/// What one wrk run measured.
#[derive(Debug, Default, PartialEq)]
struct WrkResult {
    requests: u64,
    non_2xx: u64,
    socket_errors: u64,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

impl WrkResult {
    fn ok(&self) -> u64 {
        self.requests - self.non_2xx.min(self.requests)
    }

    fn fields(&self, concurrency: u32) -> Vec<(&'static str, Value)> {
        vec![
            ("c", concurrency.into()),
            ("rps", round(self.rps, 1)),
            ("p50_ms", round(self.p50_ms, 2)),
            ("p99_ms", round(self.p99_ms, 2)),
            ("requests", self.requests.into()),
            ("non2xx", self.non_2xx.into()),
            ("errors", self.socket_errors.into()),
        ]
    }
}

fn round(value: f64, digits: i32) -> Value {
    let factor = 10_f64.powi(digits);
    json!((value * factor).round() / factor)
}

/// `1.23ms`, `850.00us`, `1.02s` → milliseconds.
fn duration_ms(text: &str) -> Option<f64> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| c.is_ascii_alphabetic())?);
    let value: f64 = number.parse().ok()?;
    Some(match unit {
        "us" => value / 1000.0,
        "ms" => value,
        "s" => value * 1000.0,
        "m" => value * 60_000.0,
        _ => return None,
    })
}

/// Reads wrk's `--latency` report.
fn parse_wrk(output: &str) -> Result<WrkResult> {
    let mut result = WrkResult::default();
    for line in output.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("50%"), Some(v)) => result.p50_ms = duration_ms(v).unwrap_or_default(),
            (Some("99%"), Some(v)) => result.p99_ms = duration_ms(v).unwrap_or_default(),
            (Some("Requests/sec:"), Some(v)) => result.rps = v.parse().unwrap_or_default(),
            (Some(n), Some("requests")) => result.requests = n.parse().unwrap_or_default(),
            (Some("Non-2xx"), _) => {
                result.non_2xx = line
                    .rsplit(' ')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_default();
            }
            (Some("Socket"), Some("errors:")) => {
                // "Socket errors: connect 0, read 0, write 0, timeout 0"
                result.socket_errors = line
                    .split(',')
                    .filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok())
                    .sum();
            }
            _ => {}
        }
    }
    if result.requests == 0 {
        bail!("wrk reported no requests:\n{output}");
    }
    Ok(result)
}

/// The desk under load and what the benchmark needs to call it.
struct Target {
    base: String,
    admin: String,
    scripts: std::path::PathBuf,
}

impl Target {
    fn wrk(&self, path: &str, concurrency: u32, extra: &[&str]) -> Result<WrkResult> {
        let mut cmd = Command::new(WRK);
        cmd.args(["--latency", "-d", &format!("{SECONDS}s")])
            .args(["-t", &concurrency.min(2).to_string()])
            .args(["-c", &concurrency.to_string()])
            .args(extra)
            .arg(format!("{}{path}", self.base));
        let output = cmd.output().context("running wrk")?;
        if !output.status.success() {
            bail!("wrk failed: {}", String::from_utf8_lossy(&output.stderr));
        }
        parse_wrk(&String::from_utf8_lossy(&output.stdout))
    }

    fn agent_header(&self) -> String {
        format!("authorization: Bearer {}", self.admin)
    }

    /// One request; its status, the worker's D1 round-trip count and the JSON body.
    fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<(u16, u32, Value)> {
        self.call_counted(method, path, headers, body)
            .map(|(status, trips, _, body)| (status, trips, body))
    }

    /// [`Target::call`], also returning the rows D1 reported writing for it.
    fn call_counted(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<(u16, u32, u32, Value)> {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        let url = format!("{}{path}", self.base);
        let response = match (method, body) {
            ("POST", Some(body)) => {
                let mut request = agent.post(&url);
                for (name, value) in headers {
                    request = request.header(*name, *value);
                }
                request.send_json(body)
            }
            _ => {
                let mut request = agent.get(&url);
                for (name, value) in headers {
                    request = request.header(*name, *value);
                }
                request.call()
            }
        }
        .with_context(|| format!("{method} {path}"))?;
        let status = response.status().as_u16();
        let trips = response
            .headers()
            .get("x-d1-round-trips")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .context("no x-d1-round-trips header: is EDGEDESK_BENCH set for the worker?")?;
        let written = response
            .headers()
            .get("x-d1-rows-written")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .context("no x-d1-rows-written header")?;
        let body: Value = response.into_body().read_json().unwrap_or(Value::Null);
        Ok((status, trips, written, body))
    }

    /// Tickets of the demo organisation, from the maintained per-status counters.
    fn ticket_count(&self) -> Result<u64> {
        let (_, _, counts) = self.call(
            "GET",
            "/api/v1/tickets/counts",
            &[("authorization", &format!("Bearer {}", self.admin))],
            None,
        )?;
        Ok(counts
            .as_object()
            .map(|o| o.values().filter_map(Value::as_u64).sum())
            .unwrap_or_default())
    }
}

fn request_body(n: u32) -> Value {
    json!({
        "requester_name": "Bench Requester",
        "requester_email": "bench@example.com",
        "subject": format!("Benchmark request {n}"),
        "description": "Created by cargo xtask bench."
    })
}

/// wrk Lua script that POSTs a request form.
fn create_script(dir: &Path) -> Result<std::path::PathBuf> {
    let body = request_body(0)
        .to_string()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    let script = format!(
        "wrk.method = \"POST\"\nwrk.body = \"{body}\"\nwrk.headers[\"content-type\"] = \"application/json\"\n"
    );
    let path = dir.join("create.lua");
    std::fs::write(&path, script).context("writing create.lua")?;
    Ok(path)
}

/// SQL adding `count` open tickets, numbered from `first`, to the demo organisation in one
/// statement.
fn bulk_tickets_sql(first: u32, count: u32) -> String {
    let last = first + count - 1;
    format!(
        "WITH RECURSIVE n(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM n WHERE i < {last})\n\
         INSERT INTO tickets (id, org_id, number, reference, status, subject, description,\n\
           requester_name, requester_email, channel, tracking_token_hash, created_at, updated_at)\n\
         SELECT {TICKET_ID}, o.id, 50000000 + i, o.ref_prefix || '-B' || i, 'new',\n\
           'Bulk ticket ' || i, 'Seeded by cargo xtask bench.', 'Bulk Requester',\n\
           'bulk@example.com', 'api', printf('%064d', i),\n\
           strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')\n\
         FROM n, orgs o WHERE o.slug = 'demo';\n\
         UPDATE org_counters SET value = value + {count}\n\
         WHERE name = 'status:new' AND org_id = (SELECT id FROM orgs WHERE slug = 'demo');\n\
         INSERT OR IGNORE INTO org_counters (org_id, name, value)\n\
         SELECT id, 'status:new', {count} FROM orgs WHERE slug = 'demo';\n"
    )
}

/// The id of bulk ticket `i` (a valid ULID: Crockford base 32 has no I, L, O or U).
const TICKET_ID: &str = "printf('01BENCH%019d', i)";

/// SQL giving bulk tickets `first..first + count` a running resolution clock each (no policy,
/// so no escalation), started at the desk's time (test clock included). The last `due` get a
/// warning 5 minutes ahead, every other one of those also its deadline 10 minutes ahead (the
/// rest 8 hours); all the others are a month away. Moving the test clock 15 minutes makes
/// exactly `due` clocks due: half warnings, half breaches.
fn sla_clocks_sql(first: u32, count: u32, due: u32) -> String {
    let last = first + count - 1;
    let at = |minutes: &str| {
        format!(
            "strftime('%Y-%m-%dT%H:%M:%fZ', (d.ms + ({minutes}) * 60000) / 1000.0, 'unixepoch')"
        )
    };
    let is_due = format!("i > {last} - {due}");
    format!(
        "WITH RECURSIVE n(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM n WHERE i < {last}),\n\
         d(ms) AS (SELECT (julianday('now') - 2440587.5) * 86400000.0\n\
           + COALESCE((SELECT offset_ms FROM test_clock WHERE id = 1), 0))\n\
         INSERT INTO sla_clocks (org_id, ticket_id, metric, policy_id, target_minutes, business,\n\
           started_at, due_at, warn_at)\n\
         SELECT o.id, {TICKET_ID}, 'resolution', NULL, 480, 0, {started},\n\
           {due_at},\n\
           {warn_at}\n\
         FROM n, d, orgs o WHERE o.slug = 'demo';\n",
        started = at("0"),
        due_at = at(&format!(
            "CASE WHEN {is_due} THEN (CASE WHEN i % 2 = 0 THEN 10 ELSE 480 END) ELSE 44640 END"
        )),
        warn_at = at(&format!("CASE WHEN {is_due} THEN 5 ELSE 43200 END")),
    )
}

/// `widget loader (widget.js)` → `widget-loader`: the words before the parenthesis.
fn figure_name(artefact: &str) -> String {
    artefact
        .split('(')
        .next()
        .unwrap_or(artefact)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
}

pub fn run(project: &Project) -> Result<()> {
    let started = Instant::now();
    let tools = tools::ensure(project)?;
    debian::ensure(&["wrk"], &[WRK], "benchmarks")?;
    let mut figures = Figures::default();

    // What a requester downloads: the portal, or on another site the widget's loader and,
    // once opened, the widget itself; and the worker's own size.
    for sizes in build::all(project, &tools)? {
        figures.record(
            &format!("size {}", figure_name(sizes.name)),
            &[("raw", sizes.raw.into()), ("gzip", sizes.gzip.into())],
        );
    }

    let work = project.work_dir()?;
    let d1_dir = work.join(format!("bench-d1-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d1_dir);
    let desk = LocalDesk::new(project, &tools, d1_dir.clone());
    desk.migrate()?;
    let admin = new_api_token()?;
    desk.seed_demo(&admin)?;
    let scripts = work.join("bench");
    std::fs::create_dir_all(&scripts).context("creating .work/bench")?;
    let port = free_port()?;
    // wrk hammers create from one address and lists with one token: no rate limit applies.
    let bench_vars = [
        ("EDGEDESK_BENCH", "enabled"),
        (
            "IDEMPOTENCY_SECRET",
            "bench-only-idempotency-sealing-secret",
        ),
        (crate::local::TOKEN_LIMIT, "1000000000"),
        ("RATE_LIMIT_ANONYMOUS_PER_MINUTE", "1000000000"),
    ];
    let (worker_process, _) = desk.serve(port, &bench_vars)?;
    let target = Target {
        base: format!("http://127.0.0.1:{port}"),
        admin,
        scripts,
    };

    let measured = measure(&target, &desk, &mut figures, &bench_vars, worker_process);
    if let Ok((_worker_process, base)) = &measured
        && let Err(error) = portal_load(project, base, &mut figures)
    {
        eprintln!("xtask: portal load not measured: {error:#}");
    }
    // Stops the worker before its D1 folder goes.
    drop(measured?);
    let _ = std::fs::remove_dir_all(&d1_dir);
    // The floor runs after the desk has stopped, so neither loads the machine for the other.
    if let Err(error) = floor(project, &tools, &mut figures) {
        eprintln!("xtask: the floor was not measured: {error:#}");
    }
    let out = save(project, figures, |name| name != SLA_FIGURE)?;
    println!(
        "bench done in {:.0} s; figures in {}",
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(())
}

/// Where the floor's bench lives: `EDGEDESK_FLOOR`, else `../shared/floor` beside the checkout.
fn floor_dir(project: &Project) -> std::path::PathBuf {
    std::env::var_os("EDGEDESK_FLOOR").map_or_else(
        || project.root.join("../shared/floor"),
        std::path::PathBuf::from,
    )
}

/// The floor: a one-statement JavaScript worker on the same runtime (`../shared/floor/`), run
/// with the same seconds per run and the same create concurrencies; its figures and ours side
/// by side (`bench floor_ratio`: our p50 over the floor's, 1.0 = as fast as the floor).
fn floor(project: &Project, tools: &tools::Tools, figures: &mut Figures) -> Result<()> {
    let script = floor_dir(project).join("bench.sh");
    if !script.exists() {
        bail!("no {} (set EDGEDESK_FLOOR to its folder)", script.display());
    }
    let output = Command::new("bash")
        .arg(&script)
        .arg(SECONDS.to_string())
        .args(["1", "10"])
        .env("WRANGLER", &tools.wrangler)
        .env("PORT", free_port()?.to_string())
        .output()
        .context("running the floor's bench")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "the floor's bench failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let mut floor = Figures::default();
    for line in stdout.lines() {
        if let Some((name, fields)) = floor_line(line) {
            let fields: Vec<(&str, Value)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            floor.record(&name, &fields);
        }
    }
    let ratio = |ours: Option<f64>, theirs: Option<f64>| match (ours, theirs) {
        (Some(ours), Some(theirs)) if theirs > 0.0 => round(ours / theirs, 2),
        _ => Value::Null,
    };
    figures.record(
        "floor_ratio",
        &[
            (
                "create_p50",
                ratio(
                    figures.get("create", 1, "p50_ms"),
                    floor.get("floor create", 1, "p50_ms"),
                ),
            ),
            (
                "get_p50",
                ratio(
                    figures.get("get_request", 1, "p50_ms"),
                    floor.get("floor get", 1, "p50_ms"),
                ),
            ),
            (
                "create_c10_rps",
                ratio(
                    figures.get("create", 10, "rps"),
                    floor.get("floor create", 10, "rps"),
                ),
            ),
        ],
    );
    figures.0.extend(floor.0);
    Ok(())
}

/// One `floor create c=1 req_s=… p50_ms=…` line as a figure named `floor create` with its
/// fields (`c` and `req_s` as this bench names them: `c`, `rps`); other lines are `None`.
fn floor_line(line: &str) -> Option<(String, Vec<(String, Value)>)> {
    let rest = line.strip_prefix("floor ")?;
    let mut words = rest.split_whitespace();
    let kind = words.next()?;
    let mut fields = Vec::new();
    for word in words {
        let (key, value) = word.split_once('=')?;
        let key = match key {
            "req_s" => "rps",
            other => other,
        };
        // `c` as an integer, as this bench's own figures have it (their lookup compares it).
        let value = match (key, value.parse::<u64>(), value.parse::<f64>()) {
            ("c", Ok(n), _) => Value::from(n),
            (_, _, Ok(n)) => round(n, 2),
            _ => Value::from(value),
        };
        fields.push((key.to_owned(), value));
    }
    fields
        .iter()
        .any(|(k, _)| k == "c")
        .then(|| (format!("floor {kind}"), fields))
}

/// Writes `figures` to `target/bench.json`, replacing the figures there that `ours` names
/// (so `bench` and `bench sla` each update their own); returns the file's path.
fn save(project: &Project, figures: Figures, ours: fn(&str) -> bool) -> Result<std::path::PathBuf> {
    let out = project.path("target/bench.json");
    let mut all: Vec<Value> = std::fs::read(&out)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    all.retain(|figure| !figure["name"].as_str().is_some_and(ours));
    all.extend(figures.0);
    std::fs::write(&out, serde_json::to_vec_pretty(&Value::Array(all))?)
        .with_context(|| format!("writing {}", out.display()))?;
    Ok(out)
}

/// `cargo xtask bench sla`: the real cron sweep (`wrangler dev --test-scheduled`, bench mode
/// and the test clock on) over 10,000 and then 100,000 tickets with running SLA clocks, of
/// which 100 are due each time; rows D1 read over the sweep's statements and its duration.
/// Fails unless every due clock is recorded and rows read stay flat as the table grows.
pub fn run_sla(project: &Project) -> Result<()> {
    let started = Instant::now();
    let tools = tools::ensure(project)?;
    // wrangler serves the portal's files too; any build of them will do here.
    if !project.path("dist/portal/index.html").exists() {
        build::portal(project, &tools)?;
    }
    build::worker(project, &tools)?;
    let work = project.work_dir()?;
    let d1_dir = work.join(format!("bench-sla-d1-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d1_dir);
    let desk = LocalDesk::new(project, &tools, d1_dir.clone());
    desk.migrate()?;
    let admin = new_api_token()?;
    desk.seed_demo(&admin)?;
    let scripts = work.join("bench");
    std::fs::create_dir_all(&scripts).context("creating .work/bench")?;

    let mut figures = Figures::default();
    let mut rows_read = Vec::new();
    let mut seeded = 0;
    for tickets in SLA_TICKETS {
        // Seeded while no dev server holds the D1 files.
        let (first, count) = (seeded + 1, tickets - seeded);
        let file = scripts.join("sla.sql");
        let sql = bulk_tickets_sql(first, count) + &sla_clocks_sql(first, count, SLA_DUE);
        std::fs::write(&file, sql).context("writing sla.sql")?;
        let seeding = Instant::now();
        run_cmd(
            desk.wrangler()?
                .args(["d1", "execute", "DB", "--local", "--persist-to"])
                .arg(&desk.d1_dir)
                .arg("--file")
                .arg(&file),
        )?;
        seeded = tickets;
        let seed_seconds = seeding.elapsed().as_secs_f64();
        let (sweep, cron_ms) = sla_sweep(&desk, &admin, &scripts.join("sla-worker.log"))?;
        let figure = |key: &str| sweep.get(key).copied().unwrap_or_default();
        figures.record(
            SLA_FIGURE,
            &[
                ("tickets", tickets.into()),
                ("due", figure("due").into()),
                ("rows_read", figure("rows_read").into()),
                ("sweep_ms", figure("sweep_ms").into()),
                ("recorded", figure("recorded").into()),
                ("statements", figure("statements").into()),
                ("round_trips", figure("round_trips").into()),
                ("cron_ms", round(cron_ms, 1)),
                ("seed_s", round(seed_seconds, 1)),
            ],
        );
        if figure("recorded") != u64::from(SLA_DUE) || figure("failed") != 0 {
            bail!("the sweep at {tickets} tickets should record {SLA_DUE} due clocks: {sweep:?}");
        }
        rows_read.push(figure("rows_read"));
    }
    let _ = std::fs::remove_dir_all(&d1_dir);
    let out = save(project, figures, |name| name == SLA_FIGURE)?;
    println!(
        "bench sla done in {:.0} s; figures in {}",
        started.elapsed().as_secs_f64(),
        out.display()
    );
    check_sla_growth(rows_read[0], rows_read[rows_read.len() - 1])
}

/// Starts the worker (bench mode, test clock), lets the due deadlines pass, runs the cron
/// handler once and returns the sweep's logged figures and the cron call's duration (ms).
fn sla_sweep(
    desk: &LocalDesk<'_>,
    admin: &str,
    log: &Path,
) -> Result<(std::collections::BTreeMap<String, u64>, f64)> {
    let port = free_port()?;
    let vars = [
        ("EDGEDESK_BENCH", "enabled"),
        ("EDGEDESK_TEST_CLOCK", "enabled"),
    ];
    let (worker_process, _) = desk.serve_logged(port, &vars, log)?;
    let base = format!("http://127.0.0.1:{port}");
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let moved = agent
        .post(&format!("{base}/api/v1/test/clock"))
        .header("authorization", &format!("Bearer {admin}"))
        .send_json(json!({ "advance_minutes": SLA_ADVANCE_MINUTES }))
        .context("moving the test clock")?;
    if moved.status() != 200 {
        bail!("moving the test clock answered {}", moved.status());
    }
    let cron = Instant::now();
    let ran = agent
        .get(&format!("{base}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*"))
        .call()
        .context("running the cron handler")?;
    let cron_ms = cron.elapsed().as_secs_f64() * 1000.0;
    if ran.status() != 200 {
        bail!("the cron handler answered {}", ran.status());
    }
    // The log line can trail the response by a moment.
    let waiting = Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(sweep) = last_sweep(&text) {
            drop(worker_process);
            return Ok((sweep, cron_ms));
        }
        if waiting.elapsed() > std::time::Duration::from_secs(15) {
            bail!("no bench-sla-sweep line in {}:\n{text}", log.display());
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// The figures of the last `bench-sla-sweep k=v …` line the worker logged.
fn last_sweep(log: &str) -> Option<std::collections::BTreeMap<String, u64>> {
    let line = log.lines().rev().find_map(|l| {
        let at = l.find("bench-sla-sweep ")?;
        Some(&l[at + "bench-sla-sweep ".len()..])
    })?;
    Some(
        line.split_whitespace()
            .filter_map(|kv| {
                let (key, value) = kv.split_once('=')?;
                Some((key.to_owned(), value.parse().ok()?))
            })
            .collect(),
    )
}

/// The sweep reads the due clocks through an index: ten times the tickets may not double the
/// rows it reads.
fn check_sla_growth(small_table: u64, large_table: u64) -> Result<()> {
    if large_table > 2 * small_table {
        bail!(
            "the SLA sweep read {large_table} rows at {} tickets but {small_table} at {}: its \
             cost grows with the table",
            SLA_TICKETS[SLA_TICKETS.len() - 1],
            SLA_TICKETS[0]
        );
    }
    Ok(())
}

/// A named GET for the round-trip count: path and headers.
type Endpoint<'a> = (&'a str, String, Vec<(&'a str, &'a str)>);

/// A least-squares line `y = intercept + slope · x` and how much of y's variance it explains.
#[derive(Debug)]
struct Line {
    intercept: f64,
    slope: f64,
    r2: f64,
}

impl Line {
    /// None for fewer than two distinct x.
    fn fit(points: &[(f64, f64)]) -> Option<Self> {
        let n = points.len() as f64;
        let mean = |f: fn(&(f64, f64)) -> f64| points.iter().map(f).sum::<f64>() / n;
        let (mx, my) = (mean(|p| p.0), mean(|p| p.1));
        let sxx: f64 = points.iter().map(|(x, _)| (x - mx).powi(2)).sum();
        let sxy: f64 = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
        let syy: f64 = points.iter().map(|(_, y)| (y - my).powi(2)).sum();
        if sxx <= f64::EPSILON {
            return None;
        }
        let slope = sxy / sxx;
        let r2 = if syy <= f64::EPSILON {
            1.0
        } else {
            sxy * sxy / (sxx * syy)
        };
        Some(Self {
            intercept: my - slope * mx,
            slope,
            r2,
        })
    }
}

fn measure(
    target: &Target,
    desk: &LocalDesk<'_>,
    figures: &mut Figures,
    bench_vars: &[(&str, &str)],
    worker_process: crate::procs::Service,
) -> Result<(crate::procs::Service, String)> {
    // Returns the running worker (restarted after the bulk seed) and its address, for the
    // portal measurement.
    let bearer = format!("Bearer {}", target.admin);
    let auth = [("authorization", bearer.as_str())];
    // Round trips per endpoint, one request each.
    let (status, trips, created) = target.call(
        "POST",
        "/api/v1/orgs/demo/requests",
        &[],
        Some(&request_body(1)),
    )?;
    if status != 201 {
        bail!("creating the benchmark's first request failed: {status} {created}");
    }
    figures.record("d1_round_trips create", &[("trips", trips.into())]);
    let id = created["id"].as_str().context("created id")?.to_owned();
    let token = created["tracking_token"]
        .as_str()
        .context("tracking token")?
        .to_owned();
    let request_path = format!("/api/v1/requests/{id}");
    let endpoints: [Endpoint<'_>; 5] = [
        (
            "get_request",
            request_path.clone(),
            vec![("x-tracking-token", token.as_str())],
        ),
        ("list", LIST.to_owned(), auth.to_vec()),
        ("counts", "/api/v1/tickets/counts".to_owned(), auth.to_vec()),
        ("get_ticket", format!("/api/v1/tickets/{id}"), auth.to_vec()),
        (
            "catalog",
            "/api/v1/orgs/demo/catalog".to_owned(),
            Vec::new(),
        ),
    ];
    let mut trips_of = Vec::new();
    for (name, path, headers) in &endpoints {
        // Twice: the first use of a token may record it (at most every 10 minutes); what every
        // later read costs is the second one's.
        target.call("GET", path, headers, None)?;
        let (status, trips, written, _) = target.call_counted("GET", path, headers, None)?;
        if status != 200 {
            bail!("{name}: {path} answered {status}");
        }
        figures.record(
            &format!("d1_round_trips {name}"),
            &[("trips", trips.into()), ("rows_written", written.into())],
        );
        trips_of.push(trips);
    }

    // What a request's time is made of: one client at a time on each read endpoint (their
    // `c=1` figures) and on the health check (no D1), then the line through (round trips,
    // median latency).
    let mut points = Vec::new();
    let health = target.wrk("/api/v1/health", 1, &[])?;
    figures.record("health", &health.fields(1));
    points.push((0.0, health.p50_ms));
    // The portal's page, answered by the dev server's asset handling without our worker: what
    // is left of the fixed part once the worker is out of the way.
    let asset = target.wrk("/", 1, &[])?;
    figures.record("static_asset", &asset.fields(1));
    for ((name, path, headers), trips) in endpoints.iter().zip(&trips_of) {
        let extra: Vec<String> = headers
            .iter()
            .flat_map(|(key, value)| ["-H".to_owned(), format!("{key}: {value}")])
            .collect();
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let result = target.wrk(path, 1, &extra)?;
        figures.record(name, &result.fields(1));
        points.push((f64::from(*trips), result.p50_ms));
    }
    if let Some(line) = Line::fit(&points) {
        figures.record(
            "request_time",
            &[
                ("fixed_ms", round(line.intercept, 2)),
                ("per_d1_round_trip_ms", round(line.slope, 2)),
                ("r2", round(line.r2, 3)),
                ("points", points.len().into()),
            ],
        );
    }

    // Throughput and latency.
    let script = create_script(&target.scripts)?;
    let script = script.to_string_lossy().into_owned();
    let before = target.ticket_count()?;
    let mut created_ok = 0;
    for c in [1, 10] {
        let result = target.wrk("/api/v1/orgs/demo/requests", c, &["-s", &script])?;
        created_ok += result.ok();
        figures.record("create", &result.fields(c));
    }
    let after = target.ticket_count()?;
    let stored = after - before;
    // wrk stops on the clock with requests in flight: those may be stored without wrk counting
    // their answers, at most one per connection (1 + 10). Fewer stored than answered is a loss.
    let lost = created_ok.saturating_sub(stored);
    let in_flight = stored.saturating_sub(created_ok);
    figures.record(
        "create_lost",
        &[
            ("ok_responses", created_ok.into()),
            ("stored", stored.into()),
            ("lost", lost.into()),
            ("in_flight_at_stop", in_flight.into()),
        ],
    );
    if lost > 0 || in_flight > 11 {
        bail!("{created_ok} creates answered 2xx but {stored} tickets were stored");
    }
    // Reads by ten clients (one client at a time was measured above).
    let token_header = format!("x-tracking-token: {token}");
    let result = target.wrk(&request_path, 10, &["-H", &token_header])?;
    figures.record("get_request", &result.fields(10));
    let agent = target.agent_header();
    let result = target.wrk(LIST, 10, &["-H", &agent])?;
    figures.record("list", &result.fields(10));
    let result = target.wrk("/api/v1/tickets/counts", 10, &["-H", &agent])?;
    figures.record("counts", &result.fields(10));

    // The same list and counts with 100,000 more tickets. The dev server is stopped while the
    // bulk insert runs, so nothing else holds the D1 file.
    drop(worker_process);
    let file = target.scripts.join("bulk.sql");
    std::fs::write(&file, bulk_tickets_sql(1, BULK_TICKETS)).context("writing bulk.sql")?;
    let seeded = Instant::now();
    run_cmd(
        desk.wrangler()?
            .args(["d1", "execute", "DB", "--local", "--persist-to"])
            .arg(&desk.d1_dir)
            .arg("--file")
            .arg(&file),
    )?;
    figures.record(
        "bulk_seed",
        &[
            ("tickets", BULK_TICKETS.into()),
            ("seconds", round(seeded.elapsed().as_secs_f64(), 1)),
        ],
    );
    // A new port: the stopped server's runtime may still hold the old one for a moment.
    let port = free_port()?;
    let (worker_process, _) = desk.serve(port, bench_vars)?;
    let target = Target {
        base: format!("http://127.0.0.1:{port}"),
        admin: target.admin.clone(),
        scripts: target.scripts.clone(),
    };
    let total = target.ticket_count()?;
    for c in [1, 10] {
        let result = target.wrk(LIST, c, &["-H", &agent])?;
        let mut fields = result.fields(c);
        fields.push(("tickets", total.into()));
        figures.record("list_100k", &fields);
    }
    let result = target.wrk("/api/v1/tickets/counts", 10, &["-H", &agent])?;
    let mut fields = result.fields(10);
    fields.push(("tickets", total.into()));
    figures.record("counts_100k", &fields);
    Ok((worker_process, target.base))
}

/// Portal first load in headless Chromium, measured by an ignored browser test that prints
/// `bench portal_load …` lines; they are passed through.
fn portal_load(project: &Project, base: &str, figures: &mut Figures) -> Result<()> {
    debian::ensure(
        &["chromium", "chromium-driver"],
        &["/usr/bin/chromium", "/usr/bin/chromedriver"],
        "the portal load measurement",
    )?;
    let driver_port = free_port()?;
    let mut driver = crate::procs::Service::spawn(
        "chromedriver",
        Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={driver_port}"))
            .stdout(std::process::Stdio::null()),
    )?;
    driver.wait_ready(driver_port, "/status", std::time::Duration::from_secs(30))?;
    let output = crate::test::ignored_test(project, "portal_load")
        .env("EDGEDESK_BASE_URL", base)
        .env(
            "EDGEDESK_WEBDRIVER_URL",
            format!("http://127.0.0.1:{driver_port}"),
        )
        .env("EDGEDESK_CHROMIUM", "/usr/bin/chromium")
        .output()
        .context("running the portal load test")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "portal load test failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    for line in stdout
        .lines()
        .filter(|l| l.starts_with("bench portal_load"))
    {
        let fields: Vec<(&str, Value)> = line
            .split_whitespace()
            .skip(2)
            .filter_map(|kv| {
                let (k, v) = kv.split_once('=')?;
                let value = v
                    .parse::<i64>()
                    .map(|n| json!(n))
                    .or_else(|_| v.parse::<f64>().map(|n| json!(n)))
                    .unwrap_or_else(|_| json!(v));
                Some((k, value))
            })
            .collect();
        figures.record("portal_load", &fields);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_figures_are_named_by_artefact() {
        assert_eq!(figure_name("widget loader (widget.js)"), "widget-loader");
        assert_eq!(figure_name("widget (wasm+glue)"), "widget");
        assert_eq!(figure_name("portal (wasm+js+css+html)"), "portal");
        assert_eq!(figure_name("worker"), "worker");
    }

    #[test]
    fn reads_wrk_latency_reports() {
        let output = "Running 10s test @ http://127.0.0.1:1/api/v1/health
  2 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.12ms    1.01ms  20.31ms   90.00%
    Req/Sec     1.21k   100.00     1.40k    70.00%
  Latency Distribution
     50%    3.90ms
     75%    4.50ms
     90%    5.20ms
     99%  850.00us
  24123 requests in 10.00s, 5.12MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:   2412.30
Transfer/sec:    524.00KB
";
        let result = parse_wrk(output).expect("parsed");
        assert_eq!(
            result,
            WrkResult {
                requests: 24123,
                non_2xx: 7,
                socket_errors: 3,
                rps: 2412.3,
                p50_ms: 3.9,
                p99_ms: 0.85,
            }
        );
        assert_eq!(result.ok(), 24116);
        assert!(parse_wrk("nothing here").is_err());
        assert_eq!(duration_ms("1.50s"), Some(1500.0));
    }

    #[test]
    fn a_line_through_round_trips_and_latency() {
        let line = Line::fit(&[(0.0, 5.0), (1.0, 9.0), (3.0, 17.0), (2.0, 13.0)]).expect("a line");
        assert!((line.intercept - 5.0).abs() < 1e-9, "{line:?}");
        assert!((line.slope - 4.0).abs() < 1e-9, "{line:?}");
        assert!((line.r2 - 1.0).abs() < 1e-9, "{line:?}");
        let noisy = Line::fit(&[(0.0, 5.0), (1.0, 12.0), (1.0, 8.0), (3.0, 17.0)]).expect("a line");
        assert!(noisy.r2 < 1.0 && noisy.r2 > 0.8, "{noisy:?}");
        assert!(Line::fit(&[(1.0, 5.0), (1.0, 9.0)]).is_none());
    }

    #[test]
    fn bulk_sql_names_the_count_everywhere() {
        let sql = bulk_tickets_sql(1, 123);
        assert!(sql.contains("WHERE i < 123"));
        assert_eq!(sql.matches("123").count(), 3);
        assert!(bulk_tickets_sql(10_001, 90_000).contains("SELECT 10001 UNION ALL"));
    }

    #[test]
    fn reads_the_floors_lines_and_nothing_else() {
        let (name, fields) = floor_line(
            "floor create c=10 req_s=469.2 p50_ms=5.1 p99_ms=12.0 non2xx=0 ok=9384 sockerr=0",
        )
        .expect("a figure");
        assert_eq!(name, "floor create");
        let field = |key: &str| {
            fields
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(field("c"), Some(json!(10)));
        assert_eq!(field("rps"), Some(json!(469.2)));
        assert_eq!(field("p50_ms"), Some(json!(5.1)));
        assert!(floor_line("floor env node=v22 wrangler=4 cores=2").is_none());
        assert!(floor_line("floor create stored=10 acked=10 unacked_max=11 lost=0").is_none());
        assert!(floor_line("something else").is_none());
    }

    #[test]
    fn reads_the_sweeps_bench_line() {
        let log = "[wrangler:info] Ready\n\
                   bench-sla-sweep due=100 recorded=100 rows_read=612 statements=250 \
                   round_trips=101 sweep_ms=180 deferred=0 failed=0\n\
                   cron: SLA sweep at …\n";
        let sweep = last_sweep(log).expect("a sweep line");
        assert_eq!(sweep.get("rows_read"), Some(&612));
        assert_eq!(sweep.get("recorded"), Some(&100));
        assert!(last_sweep("nothing").is_none());
    }

    #[test]
    fn rows_read_may_not_grow_with_the_table() {
        assert!(check_sla_growth(600, 640).is_ok());
        assert!(check_sla_growth(600, 1201).is_err());
    }
}
