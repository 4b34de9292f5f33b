//! Attestation objects (§6.5): their CBOR envelope and the statement formats we accept.
//!
//! Only `none` and `packed` self-attestation are accepted. Attestation with a certificate chain
//! proves which authenticator model made the key; verifying it needs the vendors' root
//! certificates (the FIDO Metadata Service) and only matters to a relying party that restricts
//! models. The desk does not, so it asks for `attestation: "none"` and refuses the rest rather
//! than accepting statements it has not verified.

use minicbor::Decoder;
use minicbor::data::Type;

use crate::cose::PublicKey;
use crate::error::RegistrationError;

/// The attestation object's three members.
pub(crate) struct AttestationObject<'a> {
    fmt: &'a str,
    /// The attStmt map, as its CBOR bytes.
    statement: &'a [u8],
    pub(crate) auth_data: &'a [u8],
}

fn malformed(what: &'static str) -> impl Fn(minicbor::decode::Error) -> RegistrationError {
    move |_| RegistrationError::MalformedAttestationObject(what)
}

pub(crate) fn parse(bytes: &[u8]) -> Result<AttestationObject<'_>, RegistrationError> {
    let mut decoder = Decoder::new(bytes);
    let len = decoder.map().map_err(malformed("not a CBOR map"))?.ok_or(
        RegistrationError::MalformedAttestationObject("indefinite-length map"),
    )?;
    let (mut fmt, mut statement, mut auth_data) = (None, None, None);
    for _ in 0..len {
        let key = decoder.str().map_err(malformed("a key is not text"))?;
        match key {
            "fmt" => {
                if fmt
                    .replace(decoder.str().map_err(malformed("fmt is not text"))?)
                    .is_some()
                {
                    return Err(RegistrationError::MalformedAttestationObject(
                        "duplicate fmt",
                    ));
                }
            }
            "attStmt" => {
                let start = decoder.position();
                if decoder
                    .datatype()
                    .map_err(malformed("attStmt is missing"))?
                    != Type::Map
                {
                    return Err(RegistrationError::MalformedAttestationObject(
                        "attStmt is not a map",
                    ));
                }
                decoder
                    .skip()
                    .map_err(malformed("attStmt is invalid CBOR"))?;
                let raw = bytes.get(start..decoder.position()).unwrap_or_default();
                if statement.replace(raw).is_some() {
                    return Err(RegistrationError::MalformedAttestationObject(
                        "duplicate attStmt",
                    ));
                }
            }
            "authData" => {
                let data = decoder
                    .bytes()
                    .map_err(malformed("authData is not bytes"))?;
                if auth_data.replace(data).is_some() {
                    return Err(RegistrationError::MalformedAttestationObject(
                        "duplicate authData",
                    ));
                }
            }
            _ => decoder.skip().map_err(malformed("invalid CBOR"))?,
        }
    }
    if decoder.position() != bytes.len() {
        return Err(RegistrationError::MalformedAttestationObject(
            "bytes after the object",
        ));
    }
    Ok(AttestationObject {
        fmt: fmt.ok_or(RegistrationError::MalformedAttestationObject(
            "fmt is missing",
        ))?,
        statement: statement.ok_or(RegistrationError::MalformedAttestationObject(
            "attStmt is missing",
        ))?,
        auth_data: auth_data.ok_or(RegistrationError::MalformedAttestationObject(
            "authData is missing",
        ))?,
    })
}

/// §7.1 steps 19–21 for the formats we accept; `key` is the credential's public key.
pub(crate) fn verify_statement(
    object: &AttestationObject<'_>,
    key: &PublicKey,
    client_data_hash: &[u8],
) -> Result<(), RegistrationError> {
    match object.fmt {
        // §8.7: an empty map, nothing to verify.
        "none" if object.statement == [0xa0] => Ok(()),
        "none" => Err(RegistrationError::MalformedAttestationObject(
            "none attestation with a non-empty statement",
        )),
        "packed" => verify_packed_self(object, key, client_data_hash),
        other => Err(RegistrationError::UnsupportedAttestation(other.to_owned())),
    }
}

/// §8.2 self attestation: no x5c, signed by the credential key itself with its own algorithm.
fn verify_packed_self(
    object: &AttestationObject<'_>,
    key: &PublicKey,
    client_data_hash: &[u8],
) -> Result<(), RegistrationError> {
    let mut decoder = Decoder::new(object.statement);
    let len = decoder
        .map()
        .map_err(malformed("attStmt is not a map"))?
        .ok_or(RegistrationError::MalformedAttestationObject(
            "indefinite-length attStmt",
        ))?;
    let (mut alg, mut sig) = (None, None);
    for _ in 0..len {
        match decoder
            .str()
            .map_err(malformed("an attStmt key is not text"))?
        {
            "alg" => {
                if alg
                    .replace(decoder.i64().map_err(malformed("alg is not an integer"))?)
                    .is_some()
                {
                    return Err(RegistrationError::MalformedAttestationObject(
                        "duplicate alg",
                    ));
                }
            }
            "sig" => {
                if sig
                    .replace(decoder.bytes().map_err(malformed("sig is not bytes"))?)
                    .is_some()
                {
                    return Err(RegistrationError::MalformedAttestationObject(
                        "duplicate sig",
                    ));
                }
            }
            // Full (x5c) and ECDAA attestation: a chain we do not verify (see the module doc).
            "x5c" | "ecdaaKeyId" => {
                return Err(RegistrationError::UnsupportedAttestation(
                    "packed".to_owned(),
                ));
            }
            _ => decoder
                .skip()
                .map_err(malformed("invalid CBOR in attStmt"))?,
        }
    }
    let alg = alg.ok_or(RegistrationError::MalformedAttestationObject(
        "packed alg is missing",
    ))?;
    let sig = sig.ok_or(RegistrationError::MalformedAttestationObject(
        "packed sig is missing",
    ))?;
    if alg != key.algorithm().cose_id() {
        return Err(RegistrationError::AttestationAlgorithmMismatch(alg));
    }
    let mut signed = Vec::with_capacity(object.auth_data.len() + client_data_hash.len());
    signed.extend_from_slice(object.auth_data);
    signed.extend_from_slice(client_data_hash);
    if !key.verifies(&signed, sig) {
        return Err(RegistrationError::BadAttestationSignature);
    }
    Ok(())
}
