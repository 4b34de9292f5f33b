//! One structured JSON line per request and per cron run (Workers Logs, `wrangler tail`):
//! request id, route template, status, duration and counts, never tokens, emails or bodies.

use serde::Serialize;
use serde_json::Value;
use worker::Request;

/// The response header carrying the request's id; problem+json bodies repeat it as
/// `request_id`, so a user's error report leads to the request's log line.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// What one request's log line says. Only values the desk chose (templates, statuses, ids,
/// the path's own `{org}` slug) go in: the raw path and query could carry what users typed.
#[derive(Debug, Serialize)]
pub struct RequestLine<'a> {
    /// Always `"request"`: tells request lines from cron lines in one log.
    pub kind: &'static str,
    pub request_id: &'a str,
    pub method: &'a str,
    /// The matched route's template (`/api/v1/tickets/{id}`), `portal` for pages and assets,
    /// `null` for a path no route knows.
    pub route: Option<&'static str>,
    pub status: u16,
    pub duration_ms: u64,
    /// D1 round trips, where they are counted (bench deployments); `null` elsewhere: counting
    /// puts a JS proxy in front of every statement, CPU the Free plan's 10 ms cannot spare.
    pub d1_round_trips: Option<u32>,
    /// The organisation's slug when the path names it (`/orgs/{org}/…`).
    pub org: Option<&'a str>,
}

impl RequestLine<'_> {
    /// The line as one JSON object.
    #[must_use]
    pub fn to_json(&self) -> String {
        // Strings and numbers always serialise; the fallback cannot happen.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// What one cron run's log line says: when, how long, and each job's outcome (see [`job`]).
#[derive(Debug, Serialize)]
pub struct CronLine<'a> {
    /// Always `"cron"`.
    pub kind: &'static str,
    pub at: &'a str,
    pub duration_ms: u64,
    /// As in [`RequestLine`]: counted in bench deployments only.
    pub d1_round_trips: Option<u32>,
    pub sla_sweep: Value,
    pub webhooks: Value,
    pub housekeeping: Value,
}

impl CronLine<'_> {
    /// The line as one JSON object.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A job's outcome for [`CronLine`]: its counts, or `"failed"` (its `console.error` line has
/// the message, which may name SQL and stays out of the structured line).
pub fn job<T: Serialize, E>(result: &Result<T, E>) -> Value {
    match result {
        Ok(outcome) => serde_json::to_value(outcome).unwrap_or(Value::Null),
        Err(_) => Value::from("failed"),
    }
}

/// The request's id: Cloudflare's `cf-ray` when it looks like one (the id Cloudflare's own
/// logs and support know), else 16 random hex digits (local runs have no ray).
#[must_use]
pub fn request_id(req: &Request) -> String {
    let ray = req.headers().get("cf-ray").ok().flatten();
    ray.filter(|ray| is_ray(ray)).unwrap_or_else(|| {
        let bytes = crate::clock::random_bytes::<8>().unwrap_or_default();
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    })
}

/// `cf-ray`'s shape (`8f1b2c3d4e5f6a7b-AMS`): letters, digits and dashes, short. Anything else
/// is not put in a header or a log line.
fn is_ray(value: &str) -> bool {
    (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_line_is_one_json_object_with_the_route_template() {
        let line = RequestLine {
            kind: "request",
            request_id: "8f1b2c3d4e5f6a7b-AMS",
            method: "GET",
            route: Some("/api/v1/orgs/{org}"),
            status: 404,
            duration_ms: 12,
            d1_round_trips: None,
            org: Some("demo"),
        }
        .to_json();
        let value: serde_json::Value = serde_json::from_str(&line).expect("JSON");
        assert_eq!(value["kind"], "request");
        assert_eq!(value["request_id"], "8f1b2c3d4e5f6a7b-AMS");
        assert_eq!(value["route"], "/api/v1/orgs/{org}");
        assert_eq!(value["status"], 404);
        assert_eq!(value["duration_ms"], 12);
        assert!(value["d1_round_trips"].is_null());
        assert_eq!(value["org"], "demo");
        assert!(!line.contains('\n'));
    }

    #[test]
    fn a_cron_line_names_each_job_and_its_failure() {
        let line = CronLine {
            kind: "cron",
            at: "2026-12-04T10:00:00.000Z",
            duration_ms: 30,
            d1_round_trips: Some(4),
            sla_sweep: job(&Ok::<_, ()>(serde_json::json!({"due": 3}))),
            webhooks: job(&Err::<(), _>("D1_ERROR: no such table")),
            housekeeping: job(&Ok::<_, ()>(())),
        }
        .to_json();
        let value: serde_json::Value = serde_json::from_str(&line).expect("JSON");
        assert_eq!(value["kind"], "cron");
        assert_eq!(value["sla_sweep"]["due"], 3);
        assert_eq!(value["webhooks"], "failed");
        assert!(!line.contains("D1_ERROR"), "{line}");
    }

    #[test]
    fn only_ray_shaped_values_are_taken_as_the_request_id() {
        assert!(is_ray("8f1b2c3d4e5f6a7b-AMS"));
        assert!(!is_ray(""));
        assert!(!is_ray("abc\"},{\"status\":200"));
        assert!(!is_ray(&"a".repeat(65)));
    }
}
