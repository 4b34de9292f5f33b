//! Idempotency keys of creates: the key as clients send it, the request's fingerprint, and
//! sealing a response's secret with the key so that the database never holds it readable.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac as _};
use sha2::Sha256;

use crate::ids::sha256_hex;
use crate::validation::{FieldError, FieldErrorCode};

/// The request header, as RFC drafts and Stripe name it.
pub const HEADER: &str = "Idempotency-Key";
/// The field name a malformed or reused key is reported under (422).
pub const FIELD: &str = "Idempotency-Key";
/// How long a key is remembered: a retry a day later still gets the first answer.
pub const TTL_HOURS: i64 = 24;
/// Keys are opaque to us; a UUID is 36 characters, so this leaves room for any scheme.
const MAX_LEN: usize = 255;

/// A client's idempotency key: 1–255 visible ASCII characters. Clients should make it
/// unguessable (a UUID v4): it also unlocks the stored secret of the answer.
#[derive(Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl std::fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdempotencyKey(..)")
    }
}

impl IdempotencyKey {
    /// # Errors
    /// A [`FieldError`] on [`FIELD`]: empty (`required`), too long, or other characters.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let key = raw.trim();
        if key.is_empty() {
            return Err(FieldError::new(FIELD, FieldErrorCode::Required, None));
        }
        if key.len() > MAX_LEN {
            return Err(FieldError::new(
                FIELD,
                FieldErrorCode::TooLong,
                Some(MAX_LEN as u32),
            ));
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(FieldError::new(
                FIELD,
                FieldErrorCode::InvalidCharacters,
                None,
            ));
        }
        Ok(Self(key.to_owned()))
    }

    /// What the database keeps instead of the key.
    #[must_use]
    pub fn hash(&self) -> String {
        sha256_hex(format!("edgedesk idempotency key\0{}", self.0).as_bytes())
    }

    /// `secret` encrypted with a keystream of HMAC-SHA256 blocks keyed by this key, bound to
    /// the request (`request_hash`); base64url. One (key, request) pair seals one secret only,
    /// so a keystream is never reused.
    #[must_use]
    pub fn seal(&self, request_hash: &str, secret: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.xor(request_hash, secret.as_bytes()))
    }

    /// The secret [`seal`](Self::seal) sealed for this key and request; `None` if it is not.
    #[must_use]
    pub fn open(&self, request_hash: &str, sealed: &str) -> Option<String> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).ok()?;
        String::from_utf8(self.xor(request_hash, &bytes)).ok()
    }

    fn xor(&self, request_hash: &str, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(data.len());
        for (block, chunk) in (0_u32..).zip(data.chunks(32)) {
            // A key of any length is valid for HMAC.
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(self.0.as_bytes()) else {
                unreachable!("HMAC takes keys of any length")
            };
            mac.update(b"edgedesk idempotency seal\0");
            mac.update(request_hash.as_bytes());
            mac.update(&block.to_be_bytes());
            let stream = mac.finalize().into_bytes();
            out.extend(chunk.iter().zip(stream.iter()).map(|(d, s)| d ^ s));
        }
        out
    }
}

/// The request's fingerprint: method, path and the body as canonical JSON (object keys sorted,
/// no whitespace), so a retry that only re-formats its JSON is still the same request.
#[must_use]
pub fn request_hash(method: &str, path: &str, body: &serde_json::Value) -> String {
    // serde_json's map is ordered by key (no `preserve_order`), so this is canonical.
    sha256_hex(format!("{method} {path}\n{body}").as_bytes())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    #[test]
    fn keys_are_visible_ascii_up_to_255() {
        assert!(IdempotencyKey::parse("6f1c2b7e-1d4f-4a8e-9d0b-3f2a1c5e7b90").is_ok());
        assert_eq!(
            IdempotencyKey::parse(" ").map(|_| ()).unwrap_err().code,
            FieldErrorCode::Required
        );
        assert_eq!(
            IdempotencyKey::parse(&"k".repeat(256))
                .map(|_| ())
                .unwrap_err()
                .code,
            FieldErrorCode::TooLong
        );
        assert_eq!(
            IdempotencyKey::parse("a b").map(|_| ()).unwrap_err().code,
            FieldErrorCode::InvalidCharacters
        );
    }

    #[test]
    fn the_fingerprint_ignores_formatting_and_key_order_but_not_content_or_route() {
        let a: serde_json::Value = serde_json::from_str(r#"{"b": 1,  "a": "x"}"#).expect("json");
        let b: serde_json::Value = serde_json::from_str(r#"{"a":"x","b":1}"#).expect("json");
        assert_eq!(
            request_hash("POST", "/p", &a),
            request_hash("POST", "/p", &b)
        );
        assert_ne!(
            request_hash("POST", "/p", &a),
            request_hash("POST", "/p", &json!({"a": "x", "b": 2}))
        );
        assert_ne!(
            request_hash("POST", "/p", &a),
            request_hash("POST", "/q", &a)
        );
    }

    #[test]
    fn the_key_hash_is_not_the_key() {
        let key = IdempotencyKey::parse("retry-1").expect("key");
        assert_eq!(key.hash().len(), 64);
        assert!(!key.hash().contains("retry-1"));
    }

    #[test]
    fn a_sealed_secret_is_unreadable_without_its_key_and_request() {
        let key = IdempotencyKey::parse("key-one").expect("key");
        let other = IdempotencyKey::parse("key-two").expect("key");
        let secret = "edk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
        let sealed = key.seal("r1", secret);
        assert!(!sealed.contains("edk_"));
        assert_eq!(key.open("r1", &sealed).as_deref(), Some(secret));
        assert_ne!(other.open("r1", &sealed).as_deref(), Some(secret));
        assert_ne!(key.open("r2", &sealed).as_deref(), Some(secret));
    }

    proptest! {
        #[test]
        fn sealing_round_trips(key in "[!-~]{1,64}", secret in "\\PC{0,200}", request in "[0-9a-f]{64}") {
            let key = IdempotencyKey::parse(&key).expect("key");
            let sealed = key.seal(&request, &secret);
            prop_assert_eq!(key.open(&request, &sealed), Some(secret));
        }
    }
}
