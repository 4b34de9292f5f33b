//! Authenticator data (§6.1): RP ID hash, flags, signature counter, attested credential data
//! and extensions.

use sha2::{Digest, Sha256};

use crate::error::Fail;
use crate::{Checked, Expected};

const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;
const BACKUP_ELIGIBLE: u8 = 0x08;
const BACKED_UP: u8 = 0x10;
const ATTESTED_CREDENTIAL_DATA: u8 = 0x40;
const EXTENSION_DATA: u8 = 0x80;

/// §7.1 step 24 (Level 3): longer credential ids are refused.
const MAX_CREDENTIAL_ID: usize = 1023;

/// Parsed authenticator data, borrowing from the bytes it was read from.
pub(crate) struct AuthData<'a> {
    rp_id_hash: &'a [u8],
    user_present: bool,
    pub(crate) user_verified: bool,
    pub(crate) backup_eligible: bool,
    pub(crate) backed_up: bool,
    pub(crate) sign_count: u32,
    pub(crate) credential: Option<CredentialData<'a>>,
}

/// Attested credential data (§6.5.1); the AAGUID is read past but not used, since we do not
/// restrict authenticator models.
pub(crate) struct CredentialData<'a> {
    pub(crate) id: &'a [u8],
    /// The COSE_Key, exactly its CBOR bytes.
    pub(crate) public_key: &'a [u8],
}

/// Reads the fixed-size fields without indexing that could panic.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Checked<&'a [u8]> {
        let end = self
            .at
            .checked_add(n)
            .ok_or(Fail::TruncatedAuthenticatorData)?;
        let taken = self
            .bytes
            .get(self.at..end)
            .ok_or(Fail::TruncatedAuthenticatorData)?;
        self.at = end;
        Ok(taken)
    }

    fn take_array<const N: usize>(&mut self) -> Checked<[u8; N]> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// The CBOR map that starts here (the COSE key, the extensions), as its bytes.
    fn take_cbor_map(&mut self, not_a_map: &'static str) -> Checked<&'a [u8]> {
        let rest = self
            .bytes
            .get(self.at..)
            .ok_or(Fail::TruncatedAuthenticatorData)?;
        // Major type 5; checked first because the decoder's skip also passes a lone break byte.
        match rest.first() {
            None => return Err(Fail::TruncatedAuthenticatorData),
            Some(b) if b >> 5 != 5 => return Err(Fail::MalformedAuthenticatorData(not_a_map)),
            Some(_) => {}
        }
        let mut decoder = minicbor::Decoder::new(rest);
        decoder.skip().map_err(|e| {
            if e.is_end_of_input() {
                Fail::TruncatedAuthenticatorData
            } else {
                Fail::MalformedAuthenticatorData("invalid CBOR")
            }
        })?;
        self.take(decoder.position())
    }
}

pub(crate) fn parse(bytes: &[u8]) -> Checked<AuthData<'_>> {
    let mut reader = Reader { bytes, at: 0 };
    let rp_id_hash = reader.take(32)?;
    let [flags] = reader.take_array::<1>()?;
    let sign_count = u32::from_be_bytes(reader.take_array()?);
    let credential = if flags & ATTESTED_CREDENTIAL_DATA != 0 {
        let _aaguid = reader.take(16)?;
        let id_len = usize::from(u16::from_be_bytes(reader.take_array()?));
        if id_len > MAX_CREDENTIAL_ID {
            return Err(Fail::MalformedAuthenticatorData(
                "credential id longer than 1023 bytes",
            ));
        }
        let id = reader.take(id_len)?;
        let public_key = reader.take_cbor_map("credential public key is not a CBOR map")?;
        Some(CredentialData { id, public_key })
    } else {
        None
    };
    if flags & EXTENSION_DATA != 0 {
        // We request no extensions; whatever the authenticator added is skipped, not trusted.
        reader.take_cbor_map("extensions are not a CBOR map")?;
    }
    if reader.at != bytes.len() {
        return Err(Fail::TrailingAuthenticatorData);
    }
    let backup_eligible = flags & BACKUP_ELIGIBLE != 0;
    let backed_up = flags & BACKED_UP != 0;
    // §6.1: a credential that cannot be backed up cannot be backed up now.
    if backed_up && !backup_eligible {
        return Err(Fail::MalformedAuthenticatorData(
            "backed up but not backup eligible",
        ));
    }
    Ok(AuthData {
        rp_id_hash,
        user_present: flags & USER_PRESENT != 0,
        user_verified: flags & USER_VERIFIED != 0,
        backup_eligible,
        backed_up,
        sign_count,
        credential,
    })
}

impl AuthData<'_> {
    /// §7.1 steps 13–16 and §7.2 steps 15–17.
    pub(crate) fn check(&self, expected: &Expected) -> Checked<()> {
        if self.rp_id_hash != Sha256::digest(expected.rp_id.as_bytes()).as_slice() {
            return Err(Fail::RpIdMismatch);
        }
        if !self.user_present {
            return Err(Fail::UserNotPresent);
        }
        if expected.require_user_verification && !self.user_verified {
            return Err(Fail::UserNotVerified);
        }
        Ok(())
    }
}
