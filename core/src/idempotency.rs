//! Idempotency keys of creates: the key as clients send it, the request's fingerprint, and
//! sealing a response's secret (AEAD, keyed by a server secret, the key and the request) so
//! that the database never holds it readable.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead as _, KeyInit as _, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use hmac::{Hmac, Mac};
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

    /// `secret` sealed with ChaCha20-Poly1305 under a key derived (HMAC-SHA256) from the
    /// deployment's `pepper` (a server secret the database never holds), this idempotency key
    /// and the request (`request_hash`, also the associated data); `nonce` must be random.
    /// Opening it takes all three, so neither the database alone nor a guessed client key
    /// reveals it. Text: `v2.` + base64url(nonce ‖ ciphertext ‖ tag).
    #[must_use]
    pub fn seal(&self, pepper: &[u8], request_hash: &str, secret: &str, nonce: [u8; 12]) -> String {
        let cipher = self.cipher(pepper, request_hash);
        let payload = Payload {
            msg: secret.as_bytes(),
            aad: request_hash.as_bytes(),
        };
        // Encryption of an in-memory buffer only fails past 256 GiB.
        let sealed = cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{SEAL_VERSION}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The secret [`seal`](Self::seal) sealed for this pepper, key and request; `None` if it
    /// is not (wrong key or request, tampered or unknown text).
    #[must_use]
    pub fn open(&self, pepper: &[u8], request_hash: &str, sealed: &str) -> Option<String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(sealed.strip_prefix(SEAL_VERSION)?)
            .ok()?;
        if bytes.len() < 12 {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(12);
        let payload = Payload {
            msg: sealed,
            aad: request_hash.as_bytes(),
        };
        let plain = self
            .cipher(pepper, request_hash)
            .decrypt(Nonce::from_slice(nonce), payload)
            .ok()?;
        String::from_utf8(plain).ok()
    }

    fn cipher(&self, pepper: &[u8], request_hash: &str) -> ChaCha20Poly1305 {
        // A key of any length is valid for HMAC.
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(pepper) else {
            unreachable!("HMAC takes keys of any length")
        };
        mac.update(b"edgedesk idempotency seal v2\0");
        // Length-prefixed, so no (key, request) pair can be re-split into another.
        mac.update(&(self.0.len() as u64).to_be_bytes());
        mac.update(self.0.as_bytes());
        mac.update(request_hash.as_bytes());
        ChaCha20Poly1305::new(&mac.finalize().into_bytes())
    }
}

/// Marks the sealing scheme of [`IdempotencyKey::seal`].
const SEAL_VERSION: &str = "v2.";

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

    const PEPPER: &[u8] = b"server-secret-of-this-deployment";

    #[test]
    fn a_sealed_secret_opens_only_with_its_pepper_key_and_request_and_untouched() {
        let key = IdempotencyKey::parse("key-one").expect("key");
        let other = IdempotencyKey::parse("key-two").expect("key");
        let secret = "edk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
        let sealed = key.seal(PEPPER, "r1", secret, [7; 12]);
        assert!(sealed.starts_with("v2.") && !sealed.contains("edk_"));
        assert_eq!(key.open(PEPPER, "r1", &sealed).as_deref(), Some(secret));
        assert_eq!(other.open(PEPPER, "r1", &sealed), None);
        assert_eq!(key.open(PEPPER, "r2", &sealed), None);
        assert_eq!(key.open(b"another deployment", "r1", &sealed), None);
        // Any flipped bit fails authentication instead of opening to other text.
        let mut bytes = URL_SAFE_NO_PAD.decode(&sealed[3..]).expect("base64");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let tampered = format!("v2.{}", URL_SAFE_NO_PAD.encode(&bytes));
        assert_eq!(key.open(PEPPER, "r1", &tampered), None);
        assert_eq!(key.open(PEPPER, "r1", "v2.AAAA"), None);
        assert_eq!(key.open(PEPPER, "r1", "not sealed"), None);
    }

    #[test]
    fn sealing_twice_with_fresh_nonces_gives_unrelated_texts() {
        let key = IdempotencyKey::parse("key-one").expect("key");
        let a = key.seal(PEPPER, "r1", "secret-a", [1; 12]);
        let b = key.seal(PEPPER, "r1", "secret-b", [2; 12]);
        assert_ne!(a[3 + 16..], b[3 + 16..], "no shared keystream");
        assert_eq!(key.open(PEPPER, "r1", &b).as_deref(), Some("secret-b"));
    }

    proptest! {
        #[test]
        fn sealing_round_trips(key in "[!-~]{1,64}", secret in "\\PC{0,200}", request in "[0-9a-f]{64}", nonce in any::<[u8; 12]>()) {
            let key = IdempotencyKey::parse(&key).expect("key");
            let sealed = key.seal(PEPPER, &request, &secret, nonce);
            prop_assert_eq!(key.open(PEPPER, &request, &sealed), Some(secret));
        }
    }
}
