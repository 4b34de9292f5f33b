//! The errors of each ceremony, and the failures of the checks they share.

use thiserror::Error;

/// Why the challenge could not be read out of clientDataJSON.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChallengeError {
    #[error("clientDataJSON is not JSON with type, challenge and origin: {0}")]
    MalformedClientData(String),
    #[error("the challenge in clientDataJSON is not unpadded base64url")]
    MalformedChallenge,
}

/// Why a registration was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RegistrationError {
    #[error("clientDataJSON is not JSON with type, challenge and origin: {0}")]
    MalformedClientData(String),
    #[error("the challenge in clientDataJSON is not unpadded base64url")]
    MalformedChallenge,
    #[error("clientDataJSON type is {found:?}, expected {expected:?}")]
    WrongType {
        expected: &'static str,
        found: String,
    },
    #[error("the challenge is not the one issued for this ceremony")]
    ChallengeMismatch,
    #[error("the ceremony ran on origin {found:?}, not the desk's")]
    OriginMismatch { found: String },
    #[error("cross-origin ceremonies (in another site's iframe) are refused")]
    CrossOrigin,
    #[error("the attestation object is malformed: {0}")]
    MalformedAttestationObject(&'static str),
    #[error("authenticator data is truncated")]
    TruncatedAuthenticatorData,
    #[error("authenticator data has bytes after its last field")]
    TrailingAuthenticatorData,
    #[error("authenticator data is malformed: {0}")]
    MalformedAuthenticatorData(&'static str),
    #[error("authenticator data is for another relying party (RP ID hash differs)")]
    RpIdMismatch,
    #[error("the authenticator did not report user presence")]
    UserNotPresent,
    #[error("the authenticator did not verify the user, which is required")]
    UserNotVerified,
    #[error("authenticator data has no attested credential data")]
    MissingCredentialData,
    #[error("the credential public key is malformed: {0}")]
    MalformedPublicKey(&'static str),
    #[error("COSE algorithm {0} is not supported (only ES256 -7 and RS256 -257)")]
    UnsupportedAlgorithm(i64),
    #[error("RSA key of {0} bits refused (2048 to 4096 are accepted)")]
    RsaKeySize(usize),
    #[error("attestation format {0:?} is not accepted (only none and packed self-attestation)")]
    UnsupportedAttestation(String),
    #[error("packed self-attestation uses algorithm {0}, not the credential key's")]
    AttestationAlgorithmMismatch(i64),
    #[error("the packed self-attestation signature does not verify")]
    BadAttestationSignature,
}

/// Why an assertion (sign-in) was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AssertionError {
    #[error("clientDataJSON is not JSON with type, challenge and origin: {0}")]
    MalformedClientData(String),
    #[error("the challenge in clientDataJSON is not unpadded base64url")]
    MalformedChallenge,
    #[error("clientDataJSON type is {found:?}, expected {expected:?}")]
    WrongType {
        expected: &'static str,
        found: String,
    },
    #[error("the challenge is not the one issued for this ceremony")]
    ChallengeMismatch,
    #[error("the ceremony ran on origin {found:?}, not the desk's")]
    OriginMismatch { found: String },
    #[error("cross-origin ceremonies (in another site's iframe) are refused")]
    CrossOrigin,
    #[error("authenticator data is truncated")]
    TruncatedAuthenticatorData,
    #[error("authenticator data has bytes after its last field")]
    TrailingAuthenticatorData,
    #[error("authenticator data is malformed: {0}")]
    MalformedAuthenticatorData(&'static str),
    #[error("authenticator data of an assertion carries attested credential data")]
    UnexpectedCredentialData,
    #[error("authenticator data is for another relying party (RP ID hash differs)")]
    RpIdMismatch,
    #[error("the authenticator did not report user presence")]
    UserNotPresent,
    #[error("the authenticator did not verify the user, which is required")]
    UserNotVerified,
    #[error("the stored public key is malformed: {0}")]
    MalformedPublicKey(&'static str),
    #[error("COSE algorithm {0} is not supported (only ES256 -7 and RS256 -257)")]
    UnsupportedAlgorithm(i64),
    #[error("RSA key of {0} bits refused (2048 to 4096 are accepted)")]
    RsaKeySize(usize),
    #[error("the signature does not verify with the credential's public key")]
    BadSignature,
    #[error(
        "signature counter {received} is not above the stored {stored}: possibly a cloned authenticator"
    )]
    CounterRegressed { stored: u32, received: u32 },
}

/// A failed check that both ceremonies make; each maps it to its own variant of the same name.
#[derive(Debug)]
pub(crate) enum Fail {
    Challenge(ChallengeError),
    WrongType {
        expected: &'static str,
        found: String,
    },
    ChallengeMismatch,
    OriginMismatch {
        found: String,
    },
    CrossOrigin,
    TruncatedAuthenticatorData,
    TrailingAuthenticatorData,
    MalformedAuthenticatorData(&'static str),
    RpIdMismatch,
    UserNotPresent,
    UserNotVerified,
    MalformedPublicKey(&'static str),
    UnsupportedAlgorithm(i64),
    #[cfg_attr(not(feature = "rs256"), allow(dead_code))]
    RsaKeySize(usize),
}

impl From<ChallengeError> for Fail {
    fn from(error: ChallengeError) -> Self {
        Self::Challenge(error)
    }
}

/// Writes `From<Fail>` for a ceremony's error: the variants share their names.
macro_rules! from_fail {
    ($error:ident) => {
        impl From<Fail> for $error {
            fn from(fail: Fail) -> Self {
                match fail {
                    Fail::Challenge(ChallengeError::MalformedClientData(e)) => {
                        Self::MalformedClientData(e)
                    }
                    Fail::Challenge(ChallengeError::MalformedChallenge) => Self::MalformedChallenge,
                    Fail::WrongType { expected, found } => Self::WrongType { expected, found },
                    Fail::ChallengeMismatch => Self::ChallengeMismatch,
                    Fail::OriginMismatch { found } => Self::OriginMismatch { found },
                    Fail::CrossOrigin => Self::CrossOrigin,
                    Fail::TruncatedAuthenticatorData => Self::TruncatedAuthenticatorData,
                    Fail::TrailingAuthenticatorData => Self::TrailingAuthenticatorData,
                    Fail::MalformedAuthenticatorData(e) => Self::MalformedAuthenticatorData(e),
                    Fail::RpIdMismatch => Self::RpIdMismatch,
                    Fail::UserNotPresent => Self::UserNotPresent,
                    Fail::UserNotVerified => Self::UserNotVerified,
                    Fail::MalformedPublicKey(e) => Self::MalformedPublicKey(e),
                    Fail::UnsupportedAlgorithm(alg) => Self::UnsupportedAlgorithm(alg),
                    Fail::RsaKeySize(bits) => Self::RsaKeySize(bits),
                }
            }
        }
    };
}

from_fail!(RegistrationError);
from_fail!(AssertionError);
