//! Cron work, run every minute: the SLA sweep, then webhook deliveries. Each job is a function
//! of (store, now) returning an outcome that says what it did; the handler logs it.

pub mod sla_sweep;
pub mod webhooks;

use worker::Env;

use crate::config::Config;

/// Clocks handled per run. Bounded so a run never times out and stays well inside D1's
/// per-invocation query limit (each action is one batch of a few statements); a backlog
/// (after downtime, or a flood of due tickets) drains over the following runs, earliest first.
pub const SWEEP_BATCH: u32 = 200;
/// Webhook deliveries attempted per run, sent concurrently in groups (see `webhooks::run`);
/// well under the Workers limit on outgoing requests per invocation.
pub const DELIVERY_BATCH: u32 = 100;

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
    match sla_sweep::run(&config.db, &now, SWEEP_BATCH).await {
        Ok(outcome) => worker::console_log!("cron: SLA sweep at {}: {outcome:?}", now.rfc3339),
        Err(error) => worker::console_error!("cron: SLA sweep failed: {error}"),
    }
    match webhooks::run(&config.db, &now, DELIVERY_BATCH).await {
        Ok(outcome) => worker::console_log!("cron: webhooks at {}: {outcome:?}", now.rfc3339),
        Err(error) => worker::console_error!("cron: webhook delivery failed: {error}"),
    }
}
