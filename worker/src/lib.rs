//! EdgeDesk's Cloudflare Worker entry points: the fetch event to the API router, the cron
//! trigger to the jobs.

mod auth;
mod clock;
mod config;
mod cors;
mod db;
mod error;
mod http;
mod idempotent;
mod jobs;
mod rate_limit;
mod request_log;
mod routes;
mod ticket_sla;

use worker::{Context, Env, Request, Response, ScheduleContext, ScheduledEvent, event};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    routes::handle(req, &env).await
}

/// Every minute (`[triggers]` in wrangler.toml): SLA sweep and webhook deliveries.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    jobs::run(&env).await;
}
