//! Real resources of a fresh organisation (a ticket, a token, a catalog item, SLA calendar and
//! policy, a webhook, a person and an invitation) and the path parameters that name them, for
//! the tests that walk the whole OpenAPI document.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::Desk;

/// Ids no resource has, for the parameters the fixture does not fill.
pub const NO_SUCH_ID: &str = "01JD0000000000000000000000";

/// Real resources of a fresh organisation, so that documented reads answer 200 with bodies to
/// check, and the parameters that name them.
pub struct Fixture {
    pub org: String,
    pub admin: String,
    pub ticket: String,
    pub tracking_token: String,
    pub token: String,
    pub calendar: String,
    pub policy: String,
    pub webhook: String,
    pub person: String,
    pub invitation: String,
}

impl Fixture {
    pub async fn new(desk: &Desk) -> Self {
        let org = desk.new_org("openapi").await;
        let created = desk.new_request(&org.slug, "openapi").await;
        let admin = org.admin.clone();
        let post = |path: &'static str, body: Value| {
            let admin = admin.clone();
            async move {
                let response = desk
                    .call(Method::POST, path, Some(&admin))
                    .json(&body)
                    .send()
                    .await
                    .expect("fixture POST");
                let status = response.status();
                let body: Value = response.json().await.expect("fixture body");
                assert_eq!(status, StatusCode::CREATED, "{path}: {body}");
                body
            }
        };
        let token = post(
            "/api/v1/admin/tokens",
            json!({"name": "openapi", "role": "agent"}),
        )
        .await;
        post(
            "/api/v1/admin/catalog/categories",
            json!({"slug": "it", "name": {"en": "IT"}}),
        )
        .await;
        post(
            "/api/v1/admin/catalog/items",
            json!({"slug": "laptop", "category": "it", "name": {"en": "Laptop"},
                   "form": {"fields": [{"key": "model", "type": "text", "label": {"en": "Model"}}]}}),
        )
        .await;
        let calendars: Value = desk
            .call(Method::GET, "/api/v1/admin/sla/calendars", Some(&admin))
            .send()
            .await
            .expect("calendars")
            .json()
            .await
            .expect("calendars body");
        let calendar = calendars[0]["id"]
            .as_str()
            .expect("default calendar")
            .to_owned();
        let policy = post(
            "/api/v1/admin/sla/policies",
            json!({"name": "Standard", "calendar_id": calendar,
                   "targets": {"normal": {"resolution": {"minutes": 480}}}}),
        )
        .await;
        let webhook = post(
            "/api/v1/admin/webhooks",
            json!({"url": "https://example.com/hook"}),
        )
        .await;
        let person = post(
            "/api/v1/admin/people",
            json!({"name": "Ann", "email": "ann@openapi.example", "role": "agent"}),
        )
        .await;
        let invitation = post(
            "/api/v1/admin/invitations",
            json!({"name": "Eve", "email": "eve@openapi.example", "role": "agent"}),
        )
        .await;
        let id = |v: &Value| v["id"].as_str().expect("id").to_owned();
        Self {
            org: org.slug,
            admin: org.admin,
            ticket: created.id,
            tracking_token: created.tracking_token,
            token: id(&token),
            calendar,
            policy: id(&policy),
            webhook: id(&webhook),
            person: id(&person),
            invitation: id(&invitation),
        }
    }

    /// `template` with its parameters filled from the fixture (an unknown id otherwise).
    #[must_use]
    pub fn path(&self, template: &str) -> String {
        let mut previous = "";
        template
            .split('/')
            .map(|segment| {
                let value = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => self.parameter(previous, name),
                    None => segment.to_owned(),
                };
                previous = segment;
                value
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The values of `template`'s path parameters, by name.
    #[must_use]
    pub fn parameters(&self, template: &str) -> Vec<(String, String)> {
        let mut previous = "";
        let mut values = Vec::new();
        for segment in template.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                values.push((name.to_owned(), self.parameter(previous, name)));
            }
            previous = segment;
        }
        values
    }

    /// The fixture's value for parameter `name`, which follows the segment `previous`.
    fn parameter(&self, previous: &str, name: &str) -> String {
        match name {
            "org" => self.org.clone(),
            "slug" => "it".to_owned(),
            "item" => "laptop".to_owned(),
            "version" => "1".to_owned(),
            "id" => match previous {
                "requests" | "tickets" => self.ticket.clone(),
                "tokens" => self.token.clone(),
                "calendars" => self.calendar.clone(),
                "policies" => self.policy.clone(),
                "webhooks" => self.webhook.clone(),
                "people" => self.person.clone(),
                "invitations" => self.invitation.clone(),
                _ => NO_SUCH_ID.to_owned(),
            },
            _ => NO_SUCH_ID.to_owned(),
        }
    }
}
