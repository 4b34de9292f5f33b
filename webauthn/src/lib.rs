//! WebAuthn (passkey) ceremony verification: registration (§7.1) and assertion (§7.2).
//!
//! Pure functions over the bytes the browser sent and what the relying party stored: no I/O,
//! no clock, no randomness. The worker keeps challenges and credentials in D1 and passes them in.

mod attestation;
mod auth_data;
mod client_data;
mod cose;
mod error;

use sha2::{Digest, Sha256};

pub use client_data::client_challenge;
pub use cose::Algorithm;
pub use error::{AssertionError, ChallengeError, RegistrationError};

use error::Fail;

/// What the relying party expects of a ceremony.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// The RP ID (a registrable domain, e.g. `desk.example.com`); its SHA-256 is in authenticator data.
    pub rp_id: &'a str,
    /// The exact origin the page ran on, e.g. `https://desk.example.com`.
    pub origin: &'a str,
    /// The challenge the relying party issued for this ceremony (raw bytes, not base64).
    pub challenge: &'a [u8],
    /// Refuse the ceremony unless the authenticator verified the user (PIN, biometrics).
    pub require_user_verification: bool,
}

/// A verified registration: what the worker stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCredential {
    /// The credential id (raw bytes; the browser's `rawId`).
    pub id: Vec<u8>,
    /// The credential public key, as COSE_Key bytes exactly as received; pass it back to
    /// [`verify_assertion`].
    pub public_key: Vec<u8>,
    pub algorithm: Algorithm,
    pub sign_count: u32,
    pub user_verified: bool,
    /// The credential may be synced to other devices (a multi-device passkey).
    pub backup_eligible: bool,
    /// The credential is currently backed up (synced).
    pub backed_up: bool,
}

/// A verified assertion (sign-in): what the worker updates on the stored credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assertion {
    pub sign_count: u32,
    pub user_verified: bool,
    /// The backup state may change over a credential's life (§7.2 step 19): store it again.
    pub backed_up: bool,
}

/// Verifies a registration ceremony (`navigator.credentials.create()`), WebAuthn §7.1.
///
/// `client_data_json` is `response.clientDataJSON` and `attestation_object` is
/// `response.attestationObject`, both as raw bytes.
pub fn verify_registration(
    client_data_json: &[u8],
    attestation_object: &[u8],
    expected: &Expected,
) -> Result<NewCredential, RegistrationError> {
    client_data::check(client_data_json, "webauthn.create", expected)?;
    let object = attestation::parse(attestation_object)?;
    let data = auth_data::parse(object.auth_data)?;
    data.check(expected)?;
    let credential = data
        .credential
        .ok_or(RegistrationError::MissingCredentialData)?;
    let key = cose::PublicKey::parse(credential.public_key)?;
    let client_data_hash = Sha256::digest(client_data_json);
    attestation::verify_statement(&object, &key, &client_data_hash)?;
    Ok(NewCredential {
        id: credential.id.to_vec(),
        public_key: credential.public_key.to_vec(),
        algorithm: key.algorithm(),
        sign_count: data.sign_count,
        user_verified: data.user_verified,
        backup_eligible: data.backup_eligible,
        backed_up: data.backed_up,
    })
}

/// Verifies an assertion ceremony (`navigator.credentials.get()`), WebAuthn §7.2.
///
/// `stored_public_key` and `stored_sign_count` are what [`verify_registration`] (and the last
/// assertion) returned for the credential whose id the browser sent; the caller looks that up
/// and checks it belongs to the user being signed in.
pub fn verify_assertion(
    client_data_json: &[u8],
    authenticator_data: &[u8],
    signature: &[u8],
    stored_public_key: &[u8],
    stored_sign_count: u32,
    expected: &Expected,
) -> Result<Assertion, AssertionError> {
    client_data::check(client_data_json, "webauthn.get", expected)?;
    let data = auth_data::parse(authenticator_data)?;
    if data.credential.is_some() {
        return Err(AssertionError::UnexpectedCredentialData);
    }
    data.check(expected)?;
    let key = cose::PublicKey::parse(stored_public_key)?;
    let mut signed = Vec::with_capacity(authenticator_data.len() + 32);
    signed.extend_from_slice(authenticator_data);
    signed.extend_from_slice(&Sha256::digest(client_data_json));
    if !key.verifies(&signed, signature) {
        return Err(AssertionError::BadSignature);
    }
    // §7.2 step 21: a counter that did not grow (unless both are 0, i.e. the authenticator
    // does not count) suggests a cloned authenticator.
    if (data.sign_count != 0 || stored_sign_count != 0) && data.sign_count <= stored_sign_count {
        return Err(AssertionError::CounterRegressed {
            stored: stored_sign_count,
            received: data.sign_count,
        });
    }
    Ok(Assertion {
        sign_count: data.sign_count,
        user_verified: data.user_verified,
        backed_up: data.backed_up,
    })
}

/// Results of the checks both ceremonies share, mapped into each ceremony's error.
type Checked<T> = Result<T, Fail>;
