//! The embeddable widget's rules: allowed embedding origins, the signed form token that enforces
//! a minimum fill time, the honeypot, and the hidden context a host page may attach.

use std::collections::BTreeMap;
use std::fmt;

use hmac::{Hmac, Mac as _};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::validation::{FieldError, FieldErrorCode, ValidationErrors};

/// A person types a request in no less than this; bots post at once.
pub const MIN_FILL_MS: i64 = 3_000;
/// A form token is good for a day: a widget left open overnight asks for a fresh one.
pub const FORM_TOKEN_TTL_MS: i64 = 24 * 60 * 60 * 1_000;
/// Most origins an organisation may allow.
pub const MAX_ORIGINS: usize = 50;
/// Limits on the hidden context a host page attaches (customer id, page URL, …).
pub const MAX_CONTEXT_KEYS: usize = 20;
pub const MAX_CONTEXT_KEY_LEN: usize = 64;
pub const MAX_CONTEXT_VALUE_LEN: usize = 500;

/// The texts a widget shows, by message id: the portal's form texts and the widget's own.
pub const TEXT_IDS: [&str; 28] = [
    "field-requester-name",
    "field-requester-email",
    "field-subject",
    "field-description",
    "field-details",
    "submit",
    "submitting",
    "fix-errors",
    "submit-failed",
    "optional-mark",
    "choose-option",
    "impact-high",
    "impact-medium",
    "impact-low",
    "urgency-high",
    "urgency-medium",
    "urgency-low",
    "answer-yes",
    "answer-no",
    "catalog-title",
    "catalog-free-form-link",
    "back-to-catalog",
    "widget-launcher",
    "widget-title",
    "widget-close",
    "widget-sent",
    "widget-new",
    "widget-saved-offline",
];

/// `GET /api/v1/orgs/{org}/widget`: what an opened widget needs, in its locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WidgetConfig {
    pub org: crate::api::OrgPublic,
    /// The locale the texts are in (`he`) and its writing direction (`rtl`).
    pub locale: String,
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["ltr", "rtl"])))]
    pub dir: String,
    /// Sent back with the request; proves the form was open long enough for a person to fill it
    /// (`MIN_FILL_MS`).
    pub form_token: String,
    /// The widget's texts by id (`TEXT_IDS`); `widget-sent` keeps a `{reference}` slot.
    pub texts: BTreeMap<String, String>,
    /// Field error messages by `code`, and by `code:limit` for the limits a widget meets.
    pub messages: BTreeMap<String, String>,
}

/// A web origin as browsers send it in the `Origin` header: `scheme://host[:port]`, lower-case,
/// no path, no default port.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct WebOrigin(String);

impl WebOrigin {
    /// Parses and normalises an origin; `https` anywhere, `http` only for loopback hosts
    /// (local development and tests).
    ///
    /// # Errors
    /// When `raw` is not an origin (a path, a query, userinfo, an unknown scheme, no host).
    pub fn parse(raw: &str) -> Result<Self, OriginError> {
        let text = raw.trim().to_ascii_lowercase();
        let (scheme, rest) = text.split_once("://").ok_or(OriginError)?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
            return Err(OriginError);
        }
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || rest.starts_with('[') => {
                let port: u16 = port.parse().map_err(|_| OriginError)?;
                (host, Some(port))
            }
            _ => (rest, None),
        };
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
        if !host_ok {
            return Err(OriginError);
        }
        let loopback = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
        let default_port = match scheme {
            "https" => 443,
            "http" if loopback => 80,
            _ => return Err(OriginError),
        };
        Ok(Self(match port {
            Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
            _ => format!("{scheme}://{host}"),
        }))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WebOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Not a web origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an origin like https://www.example.com")]
pub struct OriginError;

/// An organisation's widget settings as an admin sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WidgetSettingsInput {
    pub allowed_origins: Vec<String>,
}

/// Checked widget settings: distinct, normalised origins.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(extend("additionalProperties" = false)))]
pub struct WidgetSettings {
    #[cfg_attr(feature = "schema", schemars(length(max = 50)))]
    pub allowed_origins: Vec<WebOrigin>,
}

impl WidgetSettingsInput {
    /// # Errors
    /// One field error per bad origin (`allowed_origins[2]`), or for too many.
    pub fn parse(&self) -> Result<WidgetSettings, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.allowed_origins.len() > MAX_ORIGINS {
            errors.push(FieldError::new(
                "allowed_origins",
                FieldErrorCode::TooLong,
                Some(MAX_ORIGINS as u32),
            ));
        }
        let mut origins = Vec::new();
        for (i, raw) in self.allowed_origins.iter().enumerate() {
            match WebOrigin::parse(raw) {
                Ok(origin) if !origins.contains(&origin) => origins.push(origin),
                Ok(_) => {}
                Err(_) => errors.push(FieldError::new(
                    &format!("allowed_origins[{i}]"),
                    FieldErrorCode::InvalidOrigin,
                    None,
                )),
            }
        }
        errors.into_result().map(|()| WidgetSettings {
            allowed_origins: origins,
        })
    }
}

impl<'de> Deserialize<'de> for WebOrigin {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// What the widget adds to a request: the form token it was given when it opened, the
/// honeypot (a field people never see, so never fill), and the host page's hidden context.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct WidgetSubmission {
    pub form_token: String,
    /// The honeypot. Named like a field bots love to fill.
    pub website: String,
    #[cfg_attr(feature = "schema", schemars(extend("maxProperties" = 20, "additionalProperties" = { "type": "string", "maxLength": 500 })))]
    pub context: BTreeMap<String, String>,
}

/// Why a widget submission is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WidgetRefusal {
    /// The page embedding the widget is not on the organisation's allowlist (or sent no origin).
    #[error("origin not allowed")]
    OriginNotAllowed,
    /// The honeypot was filled in, or the form token is not one we issued for this organisation.
    #[error("looks automated")]
    Automated,
    /// Sent sooner than a person can fill the form.
    #[error("sent too fast")]
    TooFast,
    /// The form token is older than [`FORM_TOKEN_TTL_MS`].
    #[error("form expired")]
    Expired,
}

/// Issues the token a widget gets when it opens: `<issued ms>.<hmac>` over the organisation.
#[must_use]
pub fn form_token(secret: &[u8], org: &str, issued_ms: i64) -> String {
    format!("{issued_ms}.{}", form_mac(secret, org, issued_ms))
}

fn form_mac(secret: &[u8], org: &str, issued_ms: i64) -> String {
    // HMAC takes keys of any length, so `new_from_slice` cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(format!("widget-form.{org}.{issued_ms}").as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl WidgetSubmission {
    /// Admits a submission from `origin` at `now_ms`, or says why not. Checked in this order so
    /// that a foreign page learns only that it is not allowed.
    ///
    /// # Errors
    /// The first [`WidgetRefusal`] that applies.
    pub fn admit(
        &self,
        origin: Option<&WebOrigin>,
        allowed: &[WebOrigin],
        secret: &[u8],
        org: &str,
        now_ms: i64,
    ) -> Result<(), WidgetRefusal> {
        if !origin.is_some_and(|o| allowed.contains(o)) {
            return Err(WidgetRefusal::OriginNotAllowed);
        }
        if !self.website.is_empty() {
            return Err(WidgetRefusal::Automated);
        }
        let (issued, mac) = self
            .form_token
            .split_once('.')
            .ok_or(WidgetRefusal::Automated)?;
        let issued: i64 = issued.parse().map_err(|_| WidgetRefusal::Automated)?;
        if secret.is_empty() || !constant_time_eq(mac, &form_mac(secret, org, issued)) {
            return Err(WidgetRefusal::Automated);
        }
        let age = now_ms - issued;
        if age < MIN_FILL_MS {
            return Err(WidgetRefusal::TooFast);
        }
        if age > FORM_TOKEN_TTL_MS {
            return Err(WidgetRefusal::Expired);
        }
        Ok(())
    }

    /// The context trimmed and checked against the limits, as field errors (`widget.context.x`).
    ///
    /// # Errors
    /// Too many keys, a bad key, or a value that is too long.
    pub fn checked_context(&self) -> Result<BTreeMap<String, String>, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.context.len() > MAX_CONTEXT_KEYS {
            errors.push(FieldError::new(
                "widget.context",
                FieldErrorCode::TooLong,
                Some(MAX_CONTEXT_KEYS as u32),
            ));
        }
        for (key, value) in &self.context {
            let key_ok = !key.is_empty()
                && key.len() <= MAX_CONTEXT_KEY_LEN
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
            if !key_ok {
                errors.push(FieldError::new(
                    "widget.context",
                    FieldErrorCode::InvalidKey,
                    None,
                ));
            } else if value.chars().count() > MAX_CONTEXT_VALUE_LEN {
                errors.push(FieldError::new(
                    &format!("widget.context.{key}"),
                    FieldErrorCode::TooLong,
                    Some(MAX_CONTEXT_VALUE_LEN as u32),
                ));
            }
        }
        errors.into_result().map(|()| {
            self.context
                .iter()
                .map(|(k, v)| (k.clone(), v.trim().to_owned()))
                .collect()
        })
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0_u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(raw: &str) -> WebOrigin {
        WebOrigin::parse(raw).expect(raw)
    }

    #[test]
    fn origins_are_normalised_like_browsers_send_them() {
        assert_eq!(
            origin("HTTPS://Shop.Example.com/").as_str(),
            "https://shop.example.com"
        );
        assert_eq!(
            origin("https://shop.example.com:443").as_str(),
            "https://shop.example.com"
        );
        assert_eq!(
            origin("https://shop.example.com:8443").as_str(),
            "https://shop.example.com:8443"
        );
        assert_eq!(
            origin("http://127.0.0.1:9000").as_str(),
            "http://127.0.0.1:9000"
        );
    }

    #[test]
    fn paths_plain_http_and_junk_are_not_origins() {
        for bad in [
            "https://shop.example.com/page",
            "http://shop.example.com",
            "ftp://example.com",
            "example.com",
            "https://",
            "https://user@example.com",
            "https://example.com:99999",
            "https://exa mple.com",
            "*",
        ] {
            assert_eq!(WebOrigin::parse(bad), Err(OriginError), "{bad}");
        }
    }

    #[test]
    fn settings_report_each_bad_origin_by_index_and_drop_duplicates() {
        let input = WidgetSettingsInput {
            allowed_origins: vec![
                "https://a.example".into(),
                "nope".into(),
                "https://A.example/".into(),
            ],
        };
        let errors = input.parse().expect_err("one bad origin");
        assert_eq!(errors.0.len(), 1);
        assert_eq!(errors.0[0].field, "allowed_origins[1]");
        assert_eq!(errors.0[0].code, FieldErrorCode::InvalidOrigin);
        let ok = WidgetSettingsInput {
            allowed_origins: vec!["https://a.example".into(), "https://A.example/".into()],
        }
        .parse()
        .expect("valid");
        assert_eq!(ok.allowed_origins, vec![origin("https://a.example")]);
    }

    fn submission(token: String) -> WidgetSubmission {
        WidgetSubmission {
            form_token: token,
            ..WidgetSubmission::default()
        }
    }

    #[test]
    fn a_person_on_an_allowed_site_is_admitted_after_the_minimum_fill_time() {
        let site = origin("https://shop.example");
        let token = form_token(b"secret", "acme", 1_000_000);
        let ok = submission(token.clone()).admit(
            Some(&site),
            std::slice::from_ref(&site),
            b"secret",
            "acme",
            1_000_000 + MIN_FILL_MS,
        );
        assert_eq!(ok, Ok(()));
        let fast = submission(token).admit(
            Some(&site),
            std::slice::from_ref(&site),
            b"secret",
            "acme",
            1_000_000 + MIN_FILL_MS - 1,
        );
        assert_eq!(fast, Err(WidgetRefusal::TooFast));
    }

    #[test]
    fn other_sites_bots_forged_and_stale_tokens_are_refused() {
        let site = origin("https://shop.example");
        let allowed = [site.clone()];
        let now = 10_000_000;
        let token = form_token(b"secret", "acme", now - 5_000);
        let admit = |s: &WidgetSubmission, from: Option<&WebOrigin>, org: &str| {
            s.admit(from, &allowed, b"secret", org, now)
        };
        let good = submission(token);
        assert_eq!(admit(&good, Some(&site), "acme"), Ok(()));
        assert_eq!(
            admit(&good, Some(&origin("https://evil.example")), "acme"),
            Err(WidgetRefusal::OriginNotAllowed)
        );
        assert_eq!(
            admit(&good, None, "acme"),
            Err(WidgetRefusal::OriginNotAllowed)
        );
        // A token of another organisation, a forged one, a filled honeypot.
        assert_eq!(
            admit(&good, Some(&site), "other"),
            Err(WidgetRefusal::Automated)
        );
        let forged = submission(format!("{}.{}", now - 5_000, "00".repeat(32)));
        assert_eq!(
            admit(&forged, Some(&site), "acme"),
            Err(WidgetRefusal::Automated)
        );
        let honeypot = WidgetSubmission {
            website: "http://spam.example".into(),
            ..good
        };
        assert_eq!(
            admit(&honeypot, Some(&site), "acme"),
            Err(WidgetRefusal::Automated)
        );
        let stale = submission(form_token(b"secret", "acme", now - FORM_TOKEN_TTL_MS - 1));
        assert_eq!(
            admit(&stale, Some(&site), "acme"),
            Err(WidgetRefusal::Expired)
        );
    }

    #[test]
    fn every_widget_text_exists_in_every_locale() {
        use crate::i18n::{Catalog, sources};
        let catalog = Catalog::new(&[sources::portal, sources::widget]);
        for locale in crate::Locale::ALL {
            for id in TEXT_IDS {
                assert!(catalog.has(locale, id), "{}: {id}", locale.code());
            }
        }
    }

    #[test]
    fn context_keys_and_value_lengths_are_limited() {
        let mut s = WidgetSubmission::default();
        s.context.insert("customer_id".into(), " 42 ".into());
        assert_eq!(s.checked_context().expect("ok")["customer_id"], "42");
        s.context.insert("bad key".into(), "x".into());
        s.context
            .insert("page".into(), "x".repeat(MAX_CONTEXT_VALUE_LEN + 1));
        let errors = s.checked_context().expect_err("two problems");
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["widget.context", "widget.context.page"]);
    }
}
