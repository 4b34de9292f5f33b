//! A software authenticator and browser for the tests: keys, COSE keys, authenticator data,
//! attestation objects and clientDataJSON, built byte by byte as the specification lays them out.
#![allow(dead_code)] // Each test file uses part of it.
#![allow(clippy::unwrap_used)] // Encoding into a Vec cannot fail.

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use edgedesk_webauthn::Expected;
use minicbor::Encoder;
use p256::ecdsa::signature::Signer as _;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng as _;
use rsa::traits::PublicKeyParts as _;
use sha2::{Digest, Sha256};

pub const RP_ID: &str = "desk.example.com";
pub const ORIGIN: &str = "https://desk.example.com";
pub const CHALLENGE: &[u8] = b"a challenge of 32 bytes, random!";

pub const UP: u8 = 0x01;
pub const UV: u8 = 0x04;
pub const BE: u8 = 0x08;
pub const BS: u8 = 0x10;
pub const AT: u8 = 0x40;
pub const ED: u8 = 0x80;

pub fn expected() -> Expected<'static> {
    Expected {
        rp_id: RP_ID,
        origin: ORIGIN,
        challenge: CHALLENGE,
        require_user_verification: false,
    }
}

/// A credential's private key.
#[derive(Clone)]
pub enum Key {
    Es256(p256::ecdsa::SigningKey),
    Rs256(Box<rsa::RsaPrivateKey>),
}

/// A fixed P-256 key: no randomness needed; `n` picks one of several.
pub fn es256_key(n: u8) -> Key {
    let mut secret = [0x11u8; 32];
    secret[31] = n;
    Key::Es256(p256::ecdsa::SigningKey::from_slice(&secret).expect("valid scalar"))
}

/// RSA keys are slow to generate (above all in debug builds): each is made once per test binary.
pub fn rs256_key() -> Key {
    static KEY: OnceLock<rsa::RsaPrivateKey> = OnceLock::new();
    Key::Rs256(Box::new(KEY.get_or_init(|| rsa_key(1)).clone()))
}

pub fn other_rs256_key() -> Key {
    static KEY: OnceLock<rsa::RsaPrivateKey> = OnceLock::new();
    Key::Rs256(Box::new(KEY.get_or_init(|| rsa_key(2)).clone()))
}

fn rsa_key(seed: u64) -> rsa::RsaPrivateKey {
    rsa::RsaPrivateKey::new(&mut ChaCha8Rng::seed_from_u64(seed), 2048).expect("RSA keygen")
}

impl Key {
    pub fn alg(&self) -> i64 {
        match self {
            Key::Es256(_) => -7,
            Key::Rs256(_) => -257,
        }
    }

    /// The public key as a COSE_Key map (CTAP2 canonical order of labels).
    pub fn cose(&self) -> Vec<u8> {
        let mut e = Encoder::new(Vec::new());
        match self {
            Key::Es256(key) => {
                let point = key.verifying_key().to_encoded_point(false);
                e.map(5).unwrap();
                e.i64(1).unwrap().i64(2).unwrap(); // kty: EC2
                e.i64(3).unwrap().i64(-7).unwrap(); // alg: ES256
                e.i64(-1).unwrap().i64(1).unwrap(); // crv: P-256
                e.i64(-2).unwrap().bytes(point.x().unwrap()).unwrap();
                e.i64(-3).unwrap().bytes(point.y().unwrap()).unwrap();
            }
            Key::Rs256(key) => {
                e.map(4).unwrap();
                e.i64(1).unwrap().i64(3).unwrap(); // kty: RSA
                e.i64(3).unwrap().i64(-257).unwrap(); // alg: RS256
                e.i64(-1).unwrap().bytes(&key.n().to_bytes_be()).unwrap();
                e.i64(-2).unwrap().bytes(&key.e().to_bytes_be()).unwrap();
            }
        }
        e.into_writer()
    }

    /// Signs as an authenticator does: ES256 in ASN.1 DER, RS256 PKCS#1 v1.5, both over SHA-256.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        match self {
            Key::Es256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(message);
                signature.to_der().as_bytes().to_vec()
            }
            Key::Rs256(key) => key
                .sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(message))
                .expect("RSA signature"),
        }
    }
}

/// clientDataJSON as a browser writes it.
pub fn client_data_json(kind: &str, challenge: &[u8], origin: &str, cross_origin: bool) -> Vec<u8> {
    format!(
        r#"{{"type":"{kind}","challenge":"{}","origin":"{origin}","crossOrigin":{cross_origin},"other_keys_can_be_added_here":"ignored"}}"#,
        URL_SAFE_NO_PAD.encode(challenge)
    )
    .into_bytes()
}

pub fn create_client_data() -> Vec<u8> {
    client_data_json("webauthn.create", CHALLENGE, ORIGIN, false)
}

pub fn get_client_data() -> Vec<u8> {
    client_data_json("webauthn.get", CHALLENGE, ORIGIN, false)
}

/// Authenticator data (§6.1), with attested credential data when `credential` is given.
pub fn auth_data(
    rp_id: &str,
    flags: u8,
    counter: u32,
    credential: Option<(&[u8], &[u8])>,
    extensions: Option<&[u8]>,
) -> Vec<u8> {
    let mut out = Sha256::digest(rp_id.as_bytes()).to_vec();
    out.push(flags);
    out.extend_from_slice(&counter.to_be_bytes());
    if let Some((id, cose_key)) = credential {
        out.extend_from_slice(&[0xAA; 16]); // AAGUID
        out.extend_from_slice(&u16::try_from(id.len()).unwrap().to_be_bytes());
        out.extend_from_slice(id);
        out.extend_from_slice(cose_key);
    }
    if let Some(extensions) = extensions {
        out.extend_from_slice(extensions);
    }
    out
}

/// An attestation object; `statement` is the attStmt map's CBOR.
pub fn attestation_object(fmt: &str, statement: &[u8], auth_data: &[u8]) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    e.map(3).unwrap();
    e.str("fmt").unwrap().str(fmt).unwrap();
    e.str("attStmt").unwrap();
    e.writer_mut().extend_from_slice(statement);
    e.str("authData").unwrap().bytes(auth_data).unwrap();
    e.into_writer()
}

pub const EMPTY_MAP: &[u8] = &[0xa0];

/// A packed self-attestation statement: the credential key signs authData || SHA-256(clientData).
pub fn packed_self_statement(key: &Key, alg: i64, auth_data: &[u8], client_data: &[u8]) -> Vec<u8> {
    let mut signed = auth_data.to_vec();
    signed.extend_from_slice(&Sha256::digest(client_data));
    let mut e = Encoder::new(Vec::new());
    e.map(2).unwrap();
    e.str("alg").unwrap().i64(alg).unwrap();
    e.str("sig").unwrap().bytes(&key.sign(&signed)).unwrap();
    e.into_writer()
}

pub const CREDENTIAL_ID: &[u8] = b"credential-id-0123456789";

/// A registration with `none` attestation: (clientDataJSON, attestationObject).
pub fn registration(key: &Key, flags: u8, counter: u32) -> (Vec<u8>, Vec<u8>) {
    let cose = key.cose();
    let data = auth_data(
        RP_ID,
        flags | AT,
        counter,
        Some((CREDENTIAL_ID, &cose)),
        None,
    );
    (
        create_client_data(),
        attestation_object("none", EMPTY_MAP, &data),
    )
}

/// An assertion: (clientDataJSON, authenticatorData, signature).
pub fn assertion(key: &Key, flags: u8, counter: u32) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let client_data = get_client_data();
    let data = auth_data(RP_ID, flags, counter, None, None);
    let signature = sign_assertion(key, &data, &client_data);
    (client_data, data, signature)
}

pub fn sign_assertion(key: &Key, auth_data: &[u8], client_data: &[u8]) -> Vec<u8> {
    let mut signed = auth_data.to_vec();
    signed.extend_from_slice(&Sha256::digest(client_data));
    key.sign(&signed)
}
