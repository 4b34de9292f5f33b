//! clientDataJSON: reading it and checking its type, challenge, origin and crossOrigin.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use crate::error::{ChallengeError, Fail};
use crate::{Checked, Expected};

/// The members we check; others (`topOrigin`, `tokenBinding`, future ones) are ignored, as §5.8.1
/// asks of relying parties.
#[derive(Deserialize)]
struct ClientData {
    #[serde(rename = "type")]
    kind: String,
    challenge: String,
    origin: String,
    #[serde(rename = "crossOrigin", default)]
    cross_origin: Option<bool>,
}

fn read(client_data_json: &[u8]) -> Result<ClientData, ChallengeError> {
    serde_json::from_slice(client_data_json)
        .map_err(|e| ChallengeError::MalformedClientData(e.to_string()))
}

fn decode_challenge(challenge: &str) -> Result<Vec<u8>, ChallengeError> {
    URL_SAFE_NO_PAD
        .decode(challenge)
        .map_err(|_| ChallengeError::MalformedChallenge)
}

/// The challenge in clientDataJSON, decoded, before any verification: the worker looks the
/// ceremony up by it. Nothing else in clientDataJSON is trusted by this call.
pub fn client_challenge(client_data_json: &[u8]) -> Result<Vec<u8>, ChallengeError> {
    decode_challenge(&read(client_data_json)?.challenge)
}

/// §7.1 steps 5–9 and §7.2 steps 9–13.
pub(crate) fn check(
    client_data_json: &[u8],
    kind: &'static str,
    expected: &Expected,
) -> Checked<()> {
    let data = read(client_data_json)?;
    if data.kind != kind {
        return Err(Fail::WrongType {
            expected: kind,
            found: data.kind,
        });
    }
    if decode_challenge(&data.challenge)? != expected.challenge {
        return Err(Fail::ChallengeMismatch);
    }
    if data.origin != expected.origin {
        return Err(Fail::OriginMismatch { found: data.origin });
    }
    // The desk is never embedded in another site's iframe: a cross-origin ceremony is refused.
    if data.cross_origin == Some(true) {
        return Err(Fail::CrossOrigin);
    }
    Ok(())
}
