//! EdgeDesk's Cloudflare Worker entry points: wires the fetch event to the API router.

mod auth;
mod clock;
mod config;
mod db;
mod error;
mod http;
mod routes;

use worker::{Context, Env, Request, Response, event};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    routes::handle(req, &env).await
}
