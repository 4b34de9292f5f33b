//! Helpers for agent/admin API tests: fresh organisations through the bootstrap route, tokens,
//! and authenticated requests.

use std::sync::atomic::{AtomicU32, Ordering};

use edgedesk_core::FieldErrorCode;
use edgedesk_core::api::{BOOTSTRAP_SECRET_HEADER, CreatedRequest, CreatedToken, Problem, Role};
use edgedesk_core::people::{CreatedLink, PersonView};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::json;

use crate::{Desk, sample_request};

/// A tenant made for one test, with its first admin token.
pub struct Org {
    pub slug: String,
    pub admin: String,
}

static NEXT_ORG: AtomicU32 = AtomicU32::new(0);

/// A slug no other test (or run) uses.
pub fn unique_slug(label: &str) -> String {
    let n = NEXT_ORG.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("{label}-{n}-{nanos}")
}

impl Desk {
    /// A request to `path` with `token` as bearer (or none).
    pub fn call(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let request = self.http.request(method, self.url(path));
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// `POST /api/v1/bootstrap` with the test run's secret.
    pub async fn bootstrap(&self, body: &serde_json::Value, secret: &str) -> reqwest::Response {
        self.http
            .post(self.url("/api/v1/bootstrap"))
            .header(BOOTSTRAP_SECRET_HEADER, secret)
            .json(body)
            .send()
            .await
            .expect("bootstrap request")
    }

    /// A new organisation with its first admin token.
    pub async fn new_org(&self, label: &str) -> Org {
        let slug = unique_slug(label);
        let secret = std::env::var("EDGEDESK_BOOTSTRAP_SECRET")
            .expect("EDGEDESK_BOOTSTRAP_SECRET (run via cargo xtask test)");
        let response = self
            .bootstrap(
                &json!({"slug": slug, "name": format!("Test {label}"), "ref_prefix": "TST"}),
                &secret,
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "bootstrap {slug}");
        let body: serde_json::Value = response.json().await.expect("bootstrap body");
        let admin = body["token"]["secret"]
            .as_str()
            .expect("admin secret")
            .to_owned();
        Org { slug, admin }
    }

    /// A new person of `role` named `name` (with an address no other test uses), added by
    /// `admin`.
    pub async fn new_person(&self, admin: &str, role: Role, name: &str) -> PersonView {
        let email = format!("{}@people.test.example", unique_slug("person"));
        let response = self
            .call(Method::POST, "/api/v1/admin/people", Some(admin))
            .json(&json!({"name": name, "email": email, "role": role}))
            .send()
            .await
            .expect("add a person");
        assert_eq!(response.status(), StatusCode::CREATED, "add {name}");
        response.json().await.expect("the person")
    }

    /// A new person of `role` named `name`, with a token of theirs (its `person` is their id,
    /// what assignees and group members name).
    pub async fn new_token(&self, admin: &str, role: Role, name: &str) -> CreatedToken {
        let person = self.new_person(admin, role, name).await;
        let response = self
            .call(Method::POST, "/api/v1/admin/tokens", Some(admin))
            .json(&json!({"name": name, "role": role, "person": person.id}))
            .send()
            .await
            .expect("create token");
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.expect("created token")
    }

    /// `method path` as `token`, with `body` as JSON if given, and `If-Match: *` on a PATCH
    /// (for tests that are not about concurrent changes).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> reqwest::Response {
        let mut request = self.call(method.clone(), path, Some(token));
        if method == Method::PATCH {
            request = request.header("if-match", "*");
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request")
    }

    /// The desk's own origin, as its pages send it in `Origin`.
    #[must_use]
    pub fn origin(&self) -> String {
        self.base.trim_end_matches('/').to_owned()
    }

    /// `POST /api/v1/sign-in/link` from the desk's own page with a sign-in link's `token`, and
    /// `cookie` sent along if given.
    pub async fn sign_in(&self, token: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut request = self
            .http
            .post(self.url("/api/v1/sign-in/link"))
            .header("origin", self.origin())
            .json(&json!({ "token": token }));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("sign in")
    }

    /// A one-time sign-in link for `person`, made by `admin` (its secret is after the `#`).
    pub async fn sign_in_link(&self, admin: &str, person: &str) -> CreatedLink {
        let response = self
            .send(
                Method::POST,
                &format!("/api/v1/admin/people/{person}/sign-in-links"),
                admin,
                None,
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "a link for {person}"
        );
        response.json().await.expect("link")
    }

    /// A signed-in session of `person` (through a one-time link `admin` makes): the cookie to
    /// send, `name=value`.
    pub async fn session_of(&self, admin: &str, person: &str) -> String {
        let link = self.sign_in_link(admin, person).await;
        let (_, token) = link.url.split_once('#').expect("the secret after #");
        let response = self.sign_in(token, None).await;
        assert_eq!(response.status(), StatusCode::OK, "signing {person} in");
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .expect("set-cookie");
        cookie.split(';').next().expect("name=value").to_owned()
    }

    /// A request of a signed-in person (`cookie` from [`Desk::session_of`]) from the desk's
    /// own page.
    pub fn as_session(&self, method: Method, path: &str, cookie: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header("cookie", cookie)
            .header("origin", self.origin())
    }

    /// Deactivates person `id`: their sessions and tokens stop working at once.
    pub async fn deactivate(&self, admin: &str, id: &str) {
        let response = self
            .call(
                Method::PATCH,
                &format!("/api/v1/admin/people/{id}"),
                Some(admin),
            )
            .json(&json!({"active": false}))
            .send()
            .await
            .expect("deactivate");
        assert_eq!(response.status(), StatusCode::OK, "deactivate {id}");
    }

    /// Makes sure group `slug` exists in `admin`'s organisation (created with `members` if it
    /// did not; an existing one is left as it is).
    pub async fn ensure_group(&self, admin: &str, slug: &str, members: &[&str]) {
        let response = self
            .call(Method::POST, "/api/v1/groups", Some(admin))
            .json(&json!({"slug": slug, "name": slug, "members": members}))
            .send()
            .await
            .expect("create group");
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        assert!(
            status == StatusCode::CREATED
                || (status == StatusCode::UNPROCESSABLE_ENTITY && body.contains("duplicate_key")),
            "group {slug}: {status} {body}"
        );
    }

    /// `GET /api/v1/tickets/counts` of the token's organisation (per status).
    pub async fn counts(&self, token: &str) -> serde_json::Value {
        self.call(Method::GET, "/api/v1/tickets/counts", Some(token))
            .send()
            .await
            .expect("GET counts")
            .json()
            .await
            .expect("counts body")
    }

    /// Replaces the organisation's widget allowlist (`PUT /api/v1/admin/widget`).
    pub async fn allow_widget(&self, admin: &str, origins: &[&str]) -> reqwest::Response {
        self.call(Method::PUT, "/api/v1/admin/widget", Some(admin))
            .json(&json!({ "allowed_origins": origins }))
            .send()
            .await
            .expect("PUT widget settings")
    }

    /// A request submitted to `org` through the portal route.
    pub async fn new_request(&self, org: &str, tag: &str) -> CreatedRequest {
        let response = self.create_request(org, &sample_request(tag)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.expect("created request")
    }
}

/// The `(field, code)` pairs of a 422 answer, in order (it must be a 422).
pub async fn field_errors(response: reqwest::Response) -> Vec<(String, FieldErrorCode)> {
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Problem = response.json().await.expect("problem");
    problem
        .errors
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

/// The person a token made by [`Desk::new_token`] acts as: what assignees and members name.
#[must_use]
pub fn person(token: &CreatedToken) -> String {
    token.token.person.clone().expect("a person's token")
}
