//! The embeddable widget's rules: allowed embedding origins, the signed form token that enforces
//! a minimum fill time, the honeypot, and the hidden context a host page may attach.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use hmac::{Hmac, Mac as _};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::i18n::{MessageId, ids};
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
pub const TEXT_IDS: [MessageId; 28] = [
    ids::FIELD_REQUESTER_NAME,
    ids::FIELD_REQUESTER_EMAIL,
    ids::FIELD_SUBJECT,
    ids::FIELD_DESCRIPTION,
    ids::FIELD_DETAILS,
    ids::SUBMIT,
    ids::SUBMITTING,
    ids::FIX_ERRORS,
    ids::SUBMIT_FAILED,
    ids::OPTIONAL_MARK,
    ids::CHOOSE_OPTION,
    ids::IMPACT_HIGH,
    ids::IMPACT_MEDIUM,
    ids::IMPACT_LOW,
    ids::URGENCY_HIGH,
    ids::URGENCY_MEDIUM,
    ids::URGENCY_LOW,
    ids::ANSWER_YES,
    ids::ANSWER_NO,
    ids::CATALOG_TITLE,
    ids::CATALOG_FREE_FORM_LINK,
    ids::BACK_TO_CATALOG,
    ids::WIDGET_LAUNCHER,
    ids::WIDGET_TITLE,
    ids::WIDGET_CLOSE,
    ids::WIDGET_SENT,
    ids::WIDGET_NEW,
    ids::WIDGET_SAVED_OFFLINE,
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
    /// The result is what browsers send for it (the `url` crate's
    /// `origin().ascii_serialization()`, which the tests compare it with) for the inputs it
    /// takes: `scheme://host[:port][/]` with spaces or control characters around it, where the
    /// host is a bracketed IPv6 address, a dotted-decimal IPv4 address, or a name of ASCII
    /// letters, digits, `-` and `.` whose last label is not a number (browsers would read that
    /// as an IPv4 address). Other spellings browsers accept too (`127.1`, `%2e`, names beyond
    /// ASCII, `_`) are refused: admins copy origins as browsers show them. Punycode labels
    /// (`xn--…`) are taken as written, unchecked: a valid one is what browsers send, an invalid
    /// one matches no `Origin`.
    ///
    /// # Errors
    /// When `raw` is not an origin (a path, a query, userinfo, an unknown scheme, no host).
    pub fn parse(raw: &str) -> Result<Self, OriginError> {
        let text = raw.trim_matches(|c: char| c <= ' ').to_ascii_lowercase();
        let (scheme, rest) = text.split_once("://").ok_or(OriginError)?;
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        let (host, port) = split_port(authority)?;
        let host = host_text(host)?;
        let loopback = matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]");
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

/// `host[:port]` split at the port's colon (after an IPv6 address's `]`); an empty port is
/// none, as in URLs.
fn split_port(authority: &str) -> Result<(&str, Option<u16>), OriginError> {
    let host_end = match authority.strip_prefix('[') {
        Some(inner) => inner.find(']').map_or(authority.len(), |end| end + 2),
        None => 0,
    };
    let Some(colon) = authority[host_end..].find(':').map(|at| host_end + at) else {
        return Ok((authority, None));
    };
    let digits = &authority[colon + 1..];
    // Digits only: `u16::from_str` would also take a `+`.
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(OriginError);
    }
    let port = match digits {
        "" => None,
        _ => Some(digits.parse().map_err(|_| OriginError)?),
    };
    Ok((&authority[..colon], port))
}

/// A (lower-case) host as browsers write it, if it is one [`WebOrigin::parse`] takes.
fn host_text(host: &str) -> Result<String, OriginError> {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let address: Ipv6Addr = inner.parse().map_err(|_| OriginError)?;
        return Ok(format!("[{}]", ipv6_text(address)));
    }
    let name = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.');
    if host.is_empty() || !host.chars().all(name) {
        return Err(OriginError);
    }
    // A last label that is a number (decimal, or `0x` hex) makes browsers read an IPv4 address,
    // in forms (`127.1`, `0x7f.1`) that only the dotted-decimal one is taken of.
    let last = host.strip_suffix('.').unwrap_or(host).rsplit('.').next();
    let numeric = last.is_some_and(|label| {
        (!label.is_empty() && label.bytes().all(|b| b.is_ascii_digit()))
            || label
                .strip_prefix("0x")
                .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if numeric {
        host.parse::<Ipv4Addr>().map_err(|_| OriginError)?;
    }
    Ok(host.to_owned())
}

/// An IPv6 address as URLs write it: lower-case hex pieces, the first longest run of two or
/// more zero pieces as `::`, never an embedded IPv4 address (std's `Display` writes one).
fn ipv6_text(address: Ipv6Addr) -> String {
    let pieces = address.segments();
    let (mut longest, mut run) = ((0, 0), (0, 0));
    for (at, piece) in pieces.iter().enumerate() {
        if *piece == 0 {
            run = (if run.1 == 0 { at } else { run.0 }, run.1 + 1);
            if run.1 > longest.1 {
                longest = run;
            }
        } else {
            run.1 = 0;
        }
    }
    let mut text = String::new();
    let mut at = 0;
    while at < pieces.len() {
        if longest.1 >= 2 && at == longest.0 {
            text.push_str(if at == 0 { "::" } else { ":" });
            at += longest.1;
            continue;
        }
        text.push_str(&format!("{:x}", pieces[at]));
        if at + 1 < pieces.len() {
            text.push(':');
        }
        at += 1;
    }
    text
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

/// The token's MAC, hex.
fn form_mac(secret: &[u8], org: &str, issued_ms: i64) -> String {
    form_hmac(secret, org, issued_ms)
        .map(|mac| {
            mac.finalize()
                .into_bytes()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        })
        .unwrap_or_default()
}

/// The HMAC of a token issued to `org` at `issued_ms`, before it is finalised.
fn form_hmac(secret: &[u8], org: &str, issued_ms: i64) -> Option<Hmac<Sha256>> {
    // HMAC takes keys of any length, so `new_from_slice` cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).ok()?;
    mac.update(format!("widget-form.{org}.{issued_ms}").as_bytes());
    Some(mac)
}

/// Lower-case hex (as tokens are issued) as bytes.
fn hex_bytes(hex: &str) -> Option<Vec<u8>> {
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    hex.as_bytes()
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
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
        // `verify_slice` compares in constant time: the time taken says nothing of the MAC.
        let genuine = hex_bytes(mac).is_some_and(|mac| {
            form_hmac(secret, org, issued)
                .is_some_and(|expected| expected.verify_slice(&mac).is_ok())
        });
        if secret.is_empty() || !genuine {
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
    fn ip_addresses_are_written_as_browsers_write_them() {
        assert_eq!(origin("http://[::1]").as_str(), "http://[::1]");
        assert_eq!(
            origin("http://[0:0:0:0:0:0:0:1]:8080/").as_str(),
            "http://[::1]:8080"
        );
        assert_eq!(
            origin("https://[::FFFF:192.0.2.1]:443").as_str(),
            "https://[::ffff:c000:201]"
        );
        assert_eq!(origin("https://10.0.0.1:").as_str(), "https://10.0.0.1");
        for bad in [
            "https://127.1",
            "https://a.0x1",
            "https://example.com:+443",
            "https://[::1",
            "https://a[b]",
            "\u{a0}https://example.com",
        ] {
            assert_eq!(WebOrigin::parse(bad), Err(OriginError), "{bad}");
        }
    }

    mod against_url {
        //! The parser against the `url` crate (what browsers make of a URL).

        use proptest::prelude::*;

        use super::super::WebOrigin;

        /// What browsers make of `raw` if it is an origin this desk allows: `https`, or `http`
        /// to a loopback host, with no userinfo, path, query or fragment.
        fn by_url(raw: &str) -> Option<String> {
            let url = url::Url::parse(raw).ok()?;
            let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
            let allowed = url.scheme() == "https" || (url.scheme() == "http" && loopback);
            let bare = url.username().is_empty()
                && url.password().is_none()
                && url.path() == "/"
                && url.query().is_none()
                && url.fragment().is_none();
            (allowed && bare).then(|| url.origin().ascii_serialization())
        }

        /// Punycode is taken as written, not checked (see `WebOrigin::parse`).
        fn has_punycode(raw: &str) -> bool {
            raw.to_ascii_lowercase()
                .split(['/', '.', '@', '['])
                .any(|label| label.starts_with("xn--"))
        }

        fn ipv6() -> impl Strategy<Value = String> {
            (any::<[u16; 8]>(), 0..4_u8, any::<bool>()).prop_map(|(pieces, form, upper)| {
                let address = std::net::Ipv6Addr::from(pieces);
                let text = match form {
                    // std's own form (with `::` and embedded IPv4 for mapped addresses).
                    0 => address.to_string(),
                    1 => pieces.map(|p| format!("{p:x}")).join(":"),
                    2 => pieces.map(|p| format!("{p:04x}")).join(":"),
                    _ => {
                        let [a, b, c, d] = address.octets()[12..] else {
                            return address.to_string();
                        };
                        format!("::ffff:{a}.{b}.{c}.{d}")
                    }
                };
                format!("[{}]", if upper { text.to_uppercase() } else { text })
            })
        }

        /// A host of the kinds the parser takes: names, dotted-decimal IPv4, IPv6, loopback.
        fn host() -> impl Strategy<Value = String> {
            prop_oneof![
                (
                    prop::collection::vec("[a-zA-Z0-9-]{1,8}", 1..4),
                    "[a-zA-Z-][a-zA-Z0-9-]{0,5}",
                    any::<bool>()
                )
                    .prop_map(|(labels, last, dot)| {
                        let dot = if dot { "." } else { "" };
                        format!("{}.{last}{dot}", labels.join("."))
                    }),
                any::<std::net::Ipv4Addr>().prop_map(|ip| ip.to_string()),
                ipv6(),
                prop::sample::select(vec!["localhost", "LocalHost", "127.0.0.1", "[::1]"])
                    .prop_map(str::to_owned),
            ]
        }

        /// Origins as the parser takes them: `https`, or `http` to a loopback host (the latter
        /// only when the host is one).
        fn origin_text() -> impl Strategy<Value = String> {
            (
                prop::sample::select(vec!["https", "HTTPS", "http"]),
                host(),
                prop::option::of(prop_oneof![
                    any::<u16>().prop_map(|p| p.to_string()),
                    Just(String::new()),
                    (0..65_536_u32).prop_map(|p| format!("00{p}")),
                ]),
                prop::sample::select(vec!["", "/"]),
                prop::sample::select(vec!["", " ", "\t", "\n ", "\u{0}"]),
            )
                .prop_map(|(scheme, host, port, slash, space)| {
                    let loopback = ["localhost", "127.0.0.1", "[::1]"]
                        .contains(&host.to_ascii_lowercase().as_str());
                    let scheme = if loopback || scheme != "http" {
                        scheme
                    } else {
                        "https"
                    };
                    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
                    format!("{space}{scheme}://{host}{port}{slash}{space}")
                })
        }

        /// Anything near an origin: other schemes, hosts browsers rewrite or refuse, userinfo,
        /// signed or long ports, paths, queries, fragments, other white space.
        fn near_origin_text() -> impl Strategy<Value = String> {
            (
                prop::sample::select(vec!["https", "http", "ftp", "ws", "HTTP", "https:", ""]),
                prop::sample::select(vec!["://", ":/", ":", ":///", ":\\\\"]),
                prop::option::of(prop::sample::select(vec!["user@", "u:p@", "@", ":@"])),
                prop_oneof![
                    host(),
                    "[a-z0-9.%_~!$&'()*+,;=:\\[\\]-]{0,12}",
                    prop::sample::select(vec![
                        "127.1",
                        "0x7f.0.0.1",
                        "010.0.0.1",
                        "4294967295",
                        "1.2.3.4.",
                        "a.0x",
                        "a.1",
                        "ex\u{e4}mple.com",
                        "a..b",
                        ".",
                        "a_b.c",
                        "[::1%25eth0]",
                        "[1::2::3]",
                        "[::1.2.3]"
                    ])
                    .prop_map(str::to_owned),
                ],
                prop::option::of("[+-]?[0-9]{0,7}"),
                prop::sample::select(vec!["", "/", "/a", "?", "?q=1", "#", "#f", "//", "/?#"]),
                prop::sample::select(vec!["", " ", "\u{a0}", "\t", "\u{3000}", "\u{1f}"]),
            )
                .prop_map(|(scheme, slashes, user, host, port, tail, space)| {
                    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
                    let user = user.unwrap_or_default();
                    format!("{space}{scheme}{slashes}{user}{host}{port}{tail}{space}")
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2_000))]

            #[test]
            fn origins_of_the_kinds_it_takes_are_written_as_browsers_write_them(
                raw in origin_text(),
            ) {
                let expected = by_url(&raw);
                prop_assert!(expected.is_some(), "the url crate refuses {raw:?}");
                let parsed = WebOrigin::parse(&raw).map(|o| o.as_str().to_owned());
                prop_assert_eq!(parsed.ok(), expected, "{:?}", raw);
            }

            #[test]
            fn whatever_it_takes_browsers_take_as_the_same_origin(
                raw in prop_oneof![near_origin_text(), any::<String>()],
            ) {
                if let Ok(origin) = WebOrigin::parse(&raw)
                    && !has_punycode(&raw)
                {
                    prop_assert_eq!(Some(origin.as_str().to_owned()), by_url(&raw), "{:?}", raw);
                }
            }
        }

        #[test]
        fn punycode_is_taken_as_written() {
            for (raw, valid) in [
                ("https://xn--mnchen-3ya.de", true),
                ("https://XN--BCHER-KVA.example:8443/", true),
                ("https://xn--a.example", false),
            ] {
                let origin = WebOrigin::parse(raw).map(|o| o.as_str().to_owned());
                let written = raw.trim_end_matches('/').to_ascii_lowercase();
                assert_eq!(origin.as_deref(), Ok(written.as_str()), "{raw}");
                assert_eq!(by_url(raw).is_some(), valid, "{raw}");
                if valid {
                    assert_eq!(origin.ok(), by_url(raw), "{raw}");
                }
            }
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
        // The genuine MAC altered, cut short, lengthened, upper-cased or not hex at all.
        let genuine = form_token(b"secret", "acme", now - 5_000);
        let (issued, mac) = genuine.split_once('.').expect("a token");
        let flipped = format!(
            "{}{}",
            if mac.starts_with('0') { '1' } else { '0' },
            &mac[1..]
        );
        for mac in [
            flipped,
            mac[..mac.len() - 2].to_owned(),
            mac[..mac.len() - 1].to_owned(),
            format!("{mac}00"),
            mac.to_uppercase(),
            "zz".repeat(32),
            String::new(),
        ] {
            assert_eq!(
                admit(&submission(format!("{issued}.{mac}")), Some(&site), "acme"),
                Err(WidgetRefusal::Automated),
                "{mac}"
            );
        }
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
                assert!(catalog.has_message(locale, id), "{}: {id:?}", locale.code());
            }
        }
    }

    /// The widget puts the ids of impact and urgency choices together from the field type and
    /// the choice (`impact-high`): each must be one of the texts it is sent.
    #[test]
    fn impact_and_urgency_choices_are_widget_texts() {
        let form = crate::form::FormSchemaInput {
            fields: ["impact", "urgency"]
                .map(|kind| crate::form::FieldInput {
                    key: kind.to_owned(),
                    kind: kind.to_owned(),
                    label: crate::form::LocalizedText([("en".into(), kind.into())].into()),
                    ..Default::default()
                })
                .to_vec(),
        };
        let schema = crate::form::FormSchema::parse(&form).expect("a valid form");
        for field in &schema.fields {
            let choices = field.choice_values();
            assert_eq!(choices.len(), 3, "{}", field.kind.as_str());
            for choice in choices {
                let id = format!("{}-{choice}", field.kind.as_str());
                assert!(TEXT_IDS.iter().any(|t| t.as_str() == id), "{id}");
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
