//! `cargo xtask test`: every check CI runs — format, lints, unit tests, then black-box API and
//! browser tests against a real `wrangler dev` on a free port with a fresh local D1.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use crate::local::{LocalDesk, log_failures, new_api_token};
use crate::procs::{Service, free_port};
use crate::project::{Project, run as run_cmd};
use crate::{build, deploy, fuzz, tools};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Rate limits of the test deployment (requests per minute), also told to the tests.
const TEST_AGENT_LIMIT: &str = "300";
const TEST_ANONYMOUS_LIMIT: &str = "100";
/// The fuzzed desk's limits: far above what the fuzzer sends, so its calls reach the routes.
const FUZZ_LIMIT: &str = "1000000";

/// Test counts summed over every `cargo test` run.
#[derive(Default)]
struct Summary {
    passed: u64,
    failed: u64,
    ignored: u64,
    /// Calls the API fuzzer made (its test prints `fuzz calls=N`).
    fuzz_calls: u64,
}

/// `filters` (optional) narrow a development run to the black-box tests whose names contain
/// one of them and skip fmt, clippy and unit tests; CI runs with none.
pub fn run(project: &Project, filters: &[String]) -> Result<()> {
    let started = Instant::now();
    let tools = tools::ensure(project)?;
    ensure_browser()?;
    let mut summary = Summary::default();
    let result = run_steps(project, &tools, filters, &mut summary);
    println!();
    println!(
        "xtask test finished in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    // The plain closing line CI reads, summed over all test runs.
    println!(
        "summary: {} passed, {} failed, {} skipped, {} fuzz calls",
        summary.passed, summary.failed, summary.ignored, summary.fuzz_calls
    );
    result?;
    if summary.failed > 0 {
        bail!("{} test(s) failed", summary.failed);
    }
    if summary.passed == 0 {
        bail!("no test ran");
    }
    Ok(())
}

fn run_steps(
    project: &Project,
    tools: &tools::Tools,
    filters: &[String],
    summary: &mut Summary,
) -> Result<()> {
    let cargo = || {
        let mut cmd = Command::new("cargo");
        cmd.current_dir(&project.root);
        cmd
    };
    if filters.is_empty() {
        static_checks(&cargo, summary)?;
    } else {
        eprintln!("xtask: partial run (black-box tests matching {filters:?}); CI runs everything");
    }

    let sizes = build::all(project, tools)?;
    build::print_sizes(&sizes);
    step("size budgets", || build::check_budgets(&sizes))?;
    if filters.is_empty() {
        step("deploy dry run", || deploy::dry_run(project, tools))?;
    }
    // Compile the black-box tests before any server starts, so compile time cannot time them out.
    run_cmd(cargo().args(["test", "--package", "edgedesk-tests", "--no-run"]))?;

    let d1_dir = project
        .work_dir()?
        .join(format!("test-d1-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d1_dir);
    let desk = LocalDesk::new(project, tools, d1_dir.clone());
    desk.migrate()?;
    let admin_token = new_api_token()?;
    desk.seed_demo(&admin_token)?;
    let port = free_port()?;
    // Lets the tests create further organisations (tenant isolation) through the real route.
    let bootstrap_secret = new_api_token()?;
    // The test clock lets the SLA tests move time forward; only this command turns it on.
    // Rate limits: above what the suite does from one address, low enough that the rate-limit
    // tests can pass them with a short burst on their own token or organisation.
    let worker_log = project
        .work_dir()?
        .join(format!("test-worker-{}.log", std::process::id()));
    let (worker, ready) = desk.serve_logged(
        port,
        &[
            ("BOOTSTRAP_SECRET", &bootstrap_secret),
            ("IDEMPOTENCY_SECRET", &new_api_token()?),
            ("EDGEDESK_TEST_CLOCK", "enabled"),
            (crate::local::TOKEN_LIMIT, TEST_AGENT_LIMIT),
            ("RATE_LIMIT_ANONYMOUS_PER_MINUTE", TEST_ANONYMOUS_LIMIT),
        ],
        &worker_log,
    )?;
    eprintln!(
        "xtask: wrangler dev ready on port {port} in {:.1} s",
        ready.as_secs_f64()
    );
    let driver_port = free_port()?;
    let mut driver = Service::spawn(
        "chromedriver",
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null()),
    )?;
    driver.wait_ready(driver_port, "/status", Duration::from_secs(30))?;

    let result = step("API and browser tests", || {
        cargo_test(
            cargo()
                .args([
                    "test",
                    "--no-fail-fast",
                    "--package",
                    "edgedesk-tests",
                    "--",
                ])
                .args(filters)
                .env("EDGEDESK_BASE_URL", format!("http://127.0.0.1:{port}"))
                .env(
                    "EDGEDESK_WEBDRIVER_URL",
                    format!("http://127.0.0.1:{driver_port}"),
                )
                .env("EDGEDESK_CHROMIUM", CHROMIUM)
                .env("EDGEDESK_ADMIN_TOKEN", &admin_token)
                .env("EDGEDESK_BOOTSTRAP_SECRET", &bootstrap_secret)
                .env("EDGEDESK_RATE_LIMIT_AGENT", TEST_AGENT_LIMIT)
                .env("EDGEDESK_RATE_LIMIT_ANONYMOUS", TEST_ANONYMOUS_LIMIT)
                // The request log tests find their requests' lines in it.
                .env("EDGEDESK_WORKER_LOG", &worker_log),
            summary,
        )
    });
    drop(driver);
    drop(worker);
    let _ = std::fs::remove_dir_all(&d1_dir);
    let logged = step("worker log of the API and browser tests", || {
        check_log(&worker_log)
    });
    let fuzzed = if filters.is_empty() {
        step("API fuzzing", || fuzz(project, tools, summary))
    } else {
        Ok(())
    };
    result.and(logged).and(fuzzed)
}

/// `cargo test` of the ignored tests of black-box test file `name`, uncaptured: the ones
/// xtask runs on their own, against a desk of their own (the fuzzer, the portal load bench).
pub fn ignored_test(project: &Project, name: &str) -> Command {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(&project.root).args([
        "test",
        "--package",
        "edgedesk-tests",
        "--test",
        name,
        "--",
        "--ignored",
        "--nocapture",
    ]);
    cmd
}

/// Fails on any line of the worker's log that [`log_failures`] finds.
fn check_log(log: &std::path::Path) -> Result<()> {
    let text =
        std::fs::read_to_string(log).with_context(|| format!("reading {}", log.display()))?;
    let failures = log_failures(&text);
    if failures.is_empty() {
        return Ok(());
    }
    for line in &failures {
        eprintln!("xtask: worker log: {line}");
    }
    bail!(
        "{} error or 5xx line(s) in the worker's log ({})",
        failures.len(),
        log.display()
    )
}

/// The whole API fuzzed from its OpenAPI document (`tests/tests/fuzz.rs`) against a desk of its
/// own: a fresh D1, the demo seed, rate limits out of the way.
fn fuzz(project: &Project, tools: &tools::Tools, summary: &mut Summary) -> Result<()> {
    let schemathesis = fuzz::ensure(project)?;
    let work = project.work_dir()?;
    let d1_dir = work.join(format!("fuzz-d1-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d1_dir);
    let desk = LocalDesk::new(project, tools, d1_dir.clone());
    desk.migrate()?;
    desk.seed_demo(&new_api_token()?)?;
    let bootstrap_secret = new_api_token()?;
    let log = work.join(format!("fuzz-worker-{}.log", std::process::id()));
    let port = free_port()?;
    let (worker, _) = desk.serve_logged(
        port,
        &[
            ("BOOTSTRAP_SECRET", &bootstrap_secret),
            ("IDEMPOTENCY_SECRET", &new_api_token()?),
            (crate::local::TOKEN_LIMIT, FUZZ_LIMIT),
            ("RATE_LIMIT_ANONYMOUS_PER_MINUTE", FUZZ_LIMIT),
        ],
        &log,
    )?;
    let result = cargo_test(
        // Uncaptured: the call count line is read from its output.
        ignored_test(project, "fuzz")
            .env("EDGEDESK_BASE_URL", format!("http://127.0.0.1:{port}"))
            .env("EDGEDESK_BOOTSTRAP_SECRET", &bootstrap_secret)
            .env("EDGEDESK_SCHEMATHESIS", &schemathesis)
            .env("EDGEDESK_FUZZ_DIR", work.join("fuzz")),
        summary,
    );
    drop(worker);
    let _ = std::fs::remove_dir_all(&d1_dir);
    result.and(check_log(&log))
}

/// The checks that need no server: format, lints, native unit tests.
fn static_checks(cargo: &dyn Fn() -> Command, summary: &mut Summary) -> Result<()> {
    step("cargo fmt --check", || {
        run_cmd(cargo().args(["fmt", "--all", "--check"]))
    })?;
    step("cargo clippy", || {
        run_cmd(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("unit tests", || {
        cargo_test(
            cargo().args([
                "test",
                "--no-fail-fast",
                "--workspace",
                "--exclude",
                "edgedesk-tests",
            ]),
            summary,
        )
    })
}

fn step(name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
    eprintln!("xtask: == {name}");
    let started = Instant::now();
    let result = f();
    eprintln!(
        "xtask: == {name}: {} in {:.1} s",
        if result.is_ok() { "ok" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    result.with_context(|| format!("step `{name}` failed"))
}

/// Runs a `cargo test`, echoing its output and adding its result lines to `summary`.
fn cargo_test(cmd: &mut Command, summary: &mut Summary) -> Result<()> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .context("starting cargo test")?;
    let stdout = child.stdout.take().context("cargo test stdout")?;
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        println!("{line}");
        if let Some(calls) = line.strip_prefix("fuzz calls=") {
            summary.fuzz_calls += calls.trim().parse::<u64>().unwrap_or_default();
        }
        if let Some(counts) = parse_result_line(&line) {
            summary.passed += counts.0;
            summary.failed += counts.1;
            summary.ignored += counts.2;
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("cargo test failed ({status})");
    }
    Ok(())
}

/// Parses libtest's `test result: ok. 3 passed; 0 failed; 1 ignored; ...` line.
fn parse_result_line(line: &str) -> Option<(u64, u64, u64)> {
    let rest = line.strip_prefix("test result: ")?;
    let count = |label: &str| -> Option<u64> {
        rest.split(';').find_map(|part| {
            part.trim()
                .strip_suffix(label)?
                .split_whitespace()
                .last()?
                .parse()
                .ok()
        })
    };
    Some((
        count(" passed")?,
        count(" failed")?,
        count(" ignored").unwrap_or(0),
    ))
}

/// Makes sure Debian's Chromium and ChromeDriver are installed, installing them when we can.
fn ensure_browser() -> Result<()> {
    crate::debian::ensure(
        &["chromium", "chromium-driver"],
        &[CHROMIUM, CHROMEDRIVER],
        "browser tests",
    )
}

#[cfg(test)]
mod tests {
    use super::parse_result_line;

    #[test]
    fn reads_libtest_result_lines() {
        let line = "test result: ok. 14 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 1.16s";
        assert_eq!(parse_result_line(line), Some((14, 0, 2)));
        let failed =
            "test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(parse_result_line(failed), Some((3, 1, 0)));
        assert_eq!(parse_result_line("running 3 tests"), None);
    }
}
