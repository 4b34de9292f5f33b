//! Cron work, run every minute: the SLA sweep, webhook deliveries, then housekeeping. Each job is a function
//! of (store, now) returning an outcome that says what it did; the handler logs it.

pub mod housekeeping;
pub mod sla_sweep;
pub mod webhooks;

use worker::Env;

use crate::config::Config;

/// Due clocks read per run. A backlog (after downtime, or a flood of due tickets) drains over
/// the following runs, earliest deadline first.
pub const SWEEP_BATCH: u32 = 200;
/// D1 statements the sweep may issue per run (a plain warning costs 2-3, an escalation ~15):
/// with the deliveries below, a run stays under the 1,000 queries a Workers Paid invocation
/// may make. Clocks left over wait for the next run.
pub const SWEEP_STATEMENT_BUDGET: usize = 650;
/// Webhook deliveries attempted per run (each is one outgoing request and two D1 statements),
/// sent concurrently in groups (see `webhooks::run`).
pub const DELIVERY_BATCH: u32 = 40;
/// Expired idempotency keys and stale rate-limit counters removed per run (each).
pub const HOUSEKEEPING_BATCH: u32 = 500;

/// One cron tick: sweep, then deliver. Failures are logged; the next tick tries again.
pub async fn run(env: &Env) {
    let config = match Config::load(env).await {
        Ok(config) => config,
        Err(error) => {
            worker::console_error!("cron: configuration: {error}");
            return;
        }
    };
    let now = config.now();
    let bench = crate::config::bench_enabled(env);
    if bench {
        crate::db::round_trips::reset();
    }
    // The runtime clock advances across I/O, which is what a sweep spends its time on.
    let started_ms = worker::Date::now().as_millis();
    let sweep = sla_sweep::run(&config.db, &now, SWEEP_BATCH, SWEEP_STATEMENT_BUDGET).await;
    match &sweep {
        Ok(outcome) if bench => log_bench(outcome, worker::Date::now().as_millis() - started_ms),
        Ok(_) => {}
        Err(error) => worker::console_error!("cron: SLA sweep failed: {error}"),
    }
    let delivered = webhooks::run(&config.db, &now, DELIVERY_BATCH).await;
    if let Err(error) = &delivered {
        worker::console_error!("cron: webhook delivery failed: {error}");
    }
    let housekept = housekeeping::run(&config.db, &now, HOUSEKEEPING_BATCH).await;
    if let Err(error) = &housekept {
        worker::console_error!("cron: housekeeping failed: {error}");
    }
    // One structured line per run (what the old `cron: …` lines said, as JSON).
    let line = crate::request_log::CronLine {
        kind: "cron",
        at: &now.rfc3339,
        duration_ms: worker::Date::now().as_millis().saturating_sub(started_ms),
        d1_round_trips: bench.then(crate::db::round_trips::count),
        sla_sweep: crate::request_log::job(&sweep),
        webhooks: crate::request_log::job(&delivered),
        housekeeping: crate::request_log::job(&housekept),
    };
    worker::console_log!("{}", line.to_json());
}

/// Bench mode only: one line `cargo xtask bench sla` reads from the dev server's log, with the
/// rows D1 read over all the sweep's statements (counted at the binding) and its duration.
fn log_bench(outcome: &sla_sweep::SweepOutcome, sweep_ms: u64) {
    worker::console_log!(
        "bench-sla-sweep due={} recorded={} rows_read={} statements={} round_trips={} \
         sweep_ms={sweep_ms} deferred={} failed={}",
        outcome.due,
        outcome.warned + outcome.breached,
        crate::db::round_trips::rows_read(),
        outcome.statements,
        crate::db::round_trips::count(),
        outcome.deferred,
        outcome.failed,
    );
}
