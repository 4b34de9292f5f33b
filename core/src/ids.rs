//! Identifiers: organisation slugs, ticket ids, human ticket references and tracking tokens.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

/// An identifier that could not be parsed; callers answer "not found", since no such thing exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed {kind}")]
pub struct MalformedId {
    pub kind: &'static str,
}

/// An organisation's URL name: 2–32 of `a-z`, `0-9`, `-`, starting and ending alphanumeric.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgSlug(String);

impl OrgSlug {
    /// # Errors
    /// [`MalformedId`] when `raw` is not a valid slug.
    pub fn parse(raw: &str) -> Result<Self, MalformedId> {
        let ok_len = (2..=32).contains(&raw.len());
        let ok_chars = raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let ok_ends = !raw.starts_with('-') && !raw.ends_with('-');
        if ok_len && ok_chars && ok_ends {
            Ok(Self(raw.to_owned()))
        } else {
            Err(MalformedId {
                kind: "organisation",
            })
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrgSlug {
    type Error = MalformedId;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OrgSlug> for String {
    fn from(value: OrgSlug) -> Self {
        value.0
    }
}

impl fmt::Display for OrgSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A ticket's primary key: a ULID, so ids sort by creation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TicketId(ulid::Ulid);

impl TicketId {
    /// Builds an id from its creation time and 80 random bits supplied by the caller (no I/O here).
    #[must_use]
    pub fn from_parts(unix_ms: u64, random: u128) -> Self {
        Self(ulid::Ulid::from_parts(unix_ms, random))
    }

    /// # Errors
    /// [`MalformedId`] when `raw` is not a 26-character ULID.
    pub fn parse(raw: &str) -> Result<Self, MalformedId> {
        ulid::Ulid::from_string(raw)
            .map(Self)
            .map_err(|_| MalformedId { kind: "ticket id" })
    }
}

impl fmt::Display for TicketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for TicketId {
    type Err = MalformedId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A human ticket reference, `PREFIX-NUMBER` (e.g. `DEMO-42`), unique within an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TicketRef(String);

impl TicketRef {
    #[must_use]
    pub fn new(prefix: &str, number: u64) -> Self {
        Self(format!("{prefix}-{number}"))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TicketRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The requester's secret for one request: 32 random bytes, base64url. Only its hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct TrackingToken(String);

impl TrackingToken {
    const BYTES: usize = 32;

    /// Encodes caller-supplied random bytes (the caller owns the randomness source).
    #[must_use]
    pub fn from_random(bytes: [u8; Self::BYTES]) -> Self {
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// # Errors
    /// [`MalformedId`] when `raw` is not 32 bytes of unpadded base64url.
    pub fn parse(raw: &str) -> Result<Self, MalformedId> {
        let malformed = MalformedId {
            kind: "tracking token",
        };
        let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| malformed.clone())?;
        if bytes.len() == Self::BYTES {
            Ok(Self(raw.to_owned()))
        } else {
            Err(malformed)
        }
    }

    /// Hex SHA-256 of the token: what the database keeps and compares.
    #[must_use]
    pub fn hash(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }

    /// The token itself, to hand to the requester exactly once.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TrackingToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TrackingToken(..)")
    }
}

/// An API token's secret: `edk_` and 32 random bytes in base64url. Only its hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiSecret(String);

impl ApiSecret {
    const PREFIX: &'static str = "edk_";

    /// Encodes caller-supplied random bytes.
    #[must_use]
    pub fn from_random(bytes: [u8; 32]) -> Self {
        Self(format!("{}{}", Self::PREFIX, URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// # Errors
    /// [`MalformedId`] unless `raw` is `edk_` and 32 bytes of unpadded base64url.
    pub fn parse(raw: &str) -> Result<Self, MalformedId> {
        random_secret(Self::PREFIX, raw, "API token").map(Self)
    }

    /// Hex SHA-256 of the whole token, as stored in `api_tokens.token_hash`.
    #[must_use]
    pub fn hash(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }

    /// The secret, to show exactly once when the token is created.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiSecret(..)")
    }
}

/// What a [`PersonSecret`] opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// A signed-in browser's session (the cookie's value).
    Session,
    /// A one-time sign-in link.
    SignInLink,
    /// An invitation to join an organisation.
    Invitation,
}

impl SecretKind {
    const fn prefix(self) -> &'static str {
        match self {
            Self::Session => "eds_",
            Self::SignInLink => "edl_",
            Self::Invitation => "edi_",
        }
    }

    const fn name(self) -> &'static str {
        match self {
            Self::Session => "session",
            Self::SignInLink => "sign-in link",
            Self::Invitation => "invitation",
        }
    }
}

/// A secret a person holds: a prefix naming its kind (so one kind is never taken for another)
/// and 32 random bytes in base64url. Only its hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct PersonSecret(String);

impl PersonSecret {
    /// Encodes caller-supplied random bytes.
    #[must_use]
    pub fn from_random(kind: SecretKind, bytes: [u8; 32]) -> Self {
        Self(format!(
            "{}{}",
            kind.prefix(),
            URL_SAFE_NO_PAD.encode(bytes)
        ))
    }

    /// # Errors
    /// [`MalformedId`] unless `raw` is `kind`'s prefix and 32 bytes of unpadded base64url.
    pub fn parse(kind: SecretKind, raw: &str) -> Result<Self, MalformedId> {
        random_secret(kind.prefix(), raw, kind.name()).map(Self)
    }

    /// Hex SHA-256 of the whole secret, as stored.
    #[must_use]
    pub fn hash(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }

    /// The secret, to hand over once (a cookie, a link).
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PersonSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonSecret(..)")
    }
}

/// `raw` if it is `prefix` and 32 bytes of unpadded base64url (a secret [`ApiSecret`] or
/// [`PersonSecret`] made), else malformed as a `kind`.
fn random_secret(prefix: &str, raw: &str, kind: &'static str) -> Result<String, MalformedId> {
    let malformed = || MalformedId { kind };
    let encoded = raw.strip_prefix(prefix).ok_or_else(malformed)?;
    match URL_SAFE_NO_PAD.decode(encoded) {
        Ok(bytes) if bytes.len() == 32 => Ok(raw.to_owned()),
        _ => Err(malformed()),
    }
}

/// Lower-case hex SHA-256, used for every stored secret (tracking and API tokens).
#[must_use]
pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            use fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_secret_of_one_kind_is_never_read_as_another() {
        let secret = PersonSecret::from_random(SecretKind::Session, [7; 32]);
        let text = secret.expose().to_owned();
        assert_eq!(
            PersonSecret::parse(SecretKind::Session, &text).map(|s| s.hash()),
            Ok(secret.hash())
        );
        assert!(PersonSecret::parse(SecretKind::SignInLink, &text).is_err());
        assert!(PersonSecret::parse(SecretKind::Session, &text[..text.len() - 1]).is_err());
        assert!(ApiSecret::parse(&text).is_err());
    }

    #[test]
    fn org_slug_accepts_lowercase_words_and_rejects_the_rest() {
        for ok in ["demo", "acme-it", "a1", "x2-y3-z4"] {
            assert!(OrgSlug::parse(ok).is_ok(), "{ok} should parse");
        }
        for bad in [
            "",
            "a",
            "-demo",
            "demo-",
            "Demo",
            "de mo",
            "dé",
            &"a".repeat(33),
        ] {
            assert!(OrgSlug::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn ticket_id_round_trips_and_sorts_by_time() {
        let early = TicketId::from_parts(1_000, u128::MAX);
        let late = TicketId::from_parts(2_000, 0);
        assert!(early < late);
        assert!(early.to_string() < late.to_string());
        assert_eq!(TicketId::parse(&late.to_string()), Ok(late));
        assert!(TicketId::parse("not-a-ulid").is_err());
    }

    #[test]
    fn tracking_token_parses_only_its_own_encoding_and_hashes_stably() {
        let token = TrackingToken::from_random([7; 32]);
        let parsed = TrackingToken::parse(token.expose()).expect("own encoding parses");
        assert_eq!(parsed.hash(), token.hash());
        assert_eq!(token.hash().len(), 64);
        assert_ne!(token.hash(), TrackingToken::from_random([8; 32]).hash());
        assert!(TrackingToken::parse("short").is_err());
        assert!(TrackingToken::parse(&"A".repeat(44)).is_err());
    }

    #[test]
    fn api_secrets_carry_their_prefix_and_parse_only_their_own_form() {
        let secret = ApiSecret::from_random([3; 32]);
        assert!(secret.expose().starts_with("edk_"));
        assert_eq!(
            ApiSecret::parse(secret.expose()).map(|s| s.hash()),
            Ok(secret.hash())
        );
        assert!(
            ApiSecret::parse(&secret.expose()[4..]).is_err(),
            "prefix required"
        );
        assert!(ApiSecret::parse("edk_short").is_err());
        assert_eq!(format!("{secret:?}"), "ApiSecret(..)", "never printed");
    }

    #[test]
    fn sha256_matches_the_known_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
