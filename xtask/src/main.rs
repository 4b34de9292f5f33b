//! `cargo xtask`: the project's commands, so a fresh machine needs only rustup, cargo and Node.

mod bench;
mod build;
mod debian;
mod deploy;
mod dev;
mod fuzz;
mod local;
mod openapi;
mod procs;
mod project;
mod seed;
mod test;
mod tools;
mod widget;

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  dev     install tools, build, migrate + seed a local D1, serve portal + API (default http://127.0.0.1:8787)
  test    install tools (and Chromium), then fmt, clippy, unit, API and browser tests
          `test <filter>…`: only the black-box tests whose names contain a filter (development)
  build   build the portal and the worker (release) and print their sizes
  bench   load-test the real worker (wrk), count D1 round trips, list at 100k tickets, portal load;
          figures go to stdout (`bench …` lines) and target/bench.json
          `bench sla`: only the SLA sweep's rows read and time at 10,000 and 100,000 tickets
  deploy  onto your own Cloudflare account (wrangler login or CLOUDFLARE_API_TOKEN): finds or
          creates the D1 database, applies migrations (--remote), sets missing secrets, deploys,
          prints the URL and how to create the first organisation and admin
          `deploy --dry-run`: build and check the upload (size, bindings, cron, migrations)
          without an account
  openapi write worker/openapi.json: worker/openapi/template.json with the schemas core's wire
          types derive (run it after changing either)

environment:
  EDGEDESK_PORT   port for `dev` (default 8787)
  EDGEDESK_TOOLS  where pinned cargo tools are installed (default ~/.cache/edgedesk/tools)";

fn main() {
    if let Err(error) = run() {
        eprintln!("xtask: error: {error:#}");
        procs::stop_all();
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    procs::install_ctrlc_handler()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let project = project::Project::locate()?;
    match args.first().map(String::as_str) {
        Some("dev") => dev::run(&project),
        Some("test") => test::run(&project, &args[1..]),
        Some("bench") => match args.get(1).map(String::as_str) {
            None => bench::run(&project),
            Some("sla") => bench::run_sla(&project),
            Some(other) => bail!("unknown benchmark {other:?}\n\n{USAGE}"),
        },
        Some("build") => {
            let tools = tools::ensure(&project)?;
            build::print_sizes(&build::all(&project, &tools)?);
            Ok(())
        }
        Some("deploy") => deploy::run(&project, &args[1..]),
        Some("openapi") => openapi::run(&project),
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown command {other:?}\n\n{USAGE}"),
    }
}
