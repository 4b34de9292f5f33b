//! COSE_Key (RFC 9052/9053) public keys for ES256 and RS256, and signature verification.

use minicbor::Decoder;
use minicbor::data::Type;
use p256::ecdsa::signature::Verifier as _;
#[cfg(feature = "rs256")]
use sha2::{Digest, Sha256};

use crate::Checked;
use crate::error::Fail;

/// A signature algorithm we verify (COSE algorithm identifiers in comments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// ECDSA with P-256 and SHA-256 (-7): what nearly every passkey uses.
    Es256,
    /// RSASSA-PKCS1-v1_5 with SHA-256 (-257): Windows Hello's keys.
    Rs256,
}

impl Algorithm {
    /// The COSE algorithm identifier, as in `pubKeyCredParams`.
    pub fn cose_id(self) -> i64 {
        match self {
            Self::Es256 => ES256,
            Self::Rs256 => RS256,
        }
    }
}

const ES256: i64 = -7;
const RS256: i64 = -257;
const KTY_EC2: i64 = 2;
#[cfg(feature = "rs256")]
const KTY_RSA: i64 = 3;
const CRV_P256: i64 = 1;
// Labels of the COSE_Key map; -1, -2 and -3 mean different things per key type.
const LABEL_KTY: i64 = 1;
const LABEL_ALG: i64 = 3;

/// Below 2048 bits RSA is not considered safe (NIST SP 800-131A); above 4096 the rsa crate's
/// limit (against slow-verification denial of service) applies.
#[cfg(feature = "rs256")]
const RSA_MIN_BITS: usize = 2048;
#[cfg(feature = "rs256")]
const RSA_MAX_BITS: usize = 4096;

/// A credential public key, ready to verify.
pub(crate) enum PublicKey {
    Es256(p256::ecdsa::VerifyingKey),
    #[cfg(feature = "rs256")]
    Rs256(rsa::RsaPublicKey),
}

/// The value of a COSE_Key entry we may need; others are skipped.
#[derive(Clone, Copy)]
enum Value<'a> {
    Int(i64),
    Bytes(&'a [u8]),
    Other,
}

/// The entries of a COSE_Key map by label (only the labels ES256 and RS256 use).
#[derive(Default)]
struct Entries<'a> {
    kty: Option<Value<'a>>,
    alg: Option<Value<'a>>,
    minus1: Option<Value<'a>>,
    minus2: Option<Value<'a>>,
    minus3: Option<Value<'a>>,
}

fn malformed(_: minicbor::decode::Error) -> Fail {
    Fail::MalformedPublicKey("invalid CBOR")
}

fn read_entries(bytes: &[u8]) -> Checked<Entries<'_>> {
    let mut decoder = Decoder::new(bytes);
    // Authenticators send canonical CTAP2 CBOR: a definite-length map.
    let len = decoder
        .map()
        .map_err(malformed)?
        .ok_or(Fail::MalformedPublicKey("indefinite-length map"))?;
    let mut entries = Entries::default();
    for _ in 0..len {
        let label = match decoder.datatype().map_err(malformed)? {
            Type::U8
            | Type::U16
            | Type::U32
            | Type::U64
            | Type::I8
            | Type::I16
            | Type::I32
            | Type::I64 => Some(decoder.i64().map_err(malformed)?),
            // The decoder's skip would pass a lone break byte as an item.
            Type::Break => return Err(Fail::MalformedPublicKey("unexpected break")),
            // Text labels and huge integers name nothing we use.
            _ => {
                decoder.skip().map_err(malformed)?;
                None
            }
        };
        let value = match decoder.datatype().map_err(malformed)? {
            Type::U8
            | Type::U16
            | Type::U32
            | Type::U64
            | Type::I8
            | Type::I16
            | Type::I32
            | Type::I64 => Value::Int(decoder.i64().map_err(malformed)?),
            Type::Bytes => Value::Bytes(decoder.bytes().map_err(malformed)?),
            Type::Break => return Err(Fail::MalformedPublicKey("unexpected break")),
            _ => {
                decoder.skip().map_err(malformed)?;
                Value::Other
            }
        };
        let slot = match label {
            Some(LABEL_KTY) => &mut entries.kty,
            Some(LABEL_ALG) => &mut entries.alg,
            Some(-1) => &mut entries.minus1,
            Some(-2) => &mut entries.minus2,
            Some(-3) => &mut entries.minus3,
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return Err(Fail::MalformedPublicKey("duplicate label"));
        }
    }
    if decoder.position() != bytes.len() {
        return Err(Fail::MalformedPublicKey("bytes after the key"));
    }
    Ok(entries)
}

fn int_entry(value: Option<Value<'_>>, what: &'static str) -> Checked<i64> {
    match value {
        Some(Value::Int(i)) => Ok(i),
        _ => Err(Fail::MalformedPublicKey(what)),
    }
}

fn bytes_entry<'a>(value: Option<Value<'a>>, what: &'static str) -> Checked<&'a [u8]> {
    match value {
        Some(Value::Bytes(b)) => Ok(b),
        _ => Err(Fail::MalformedPublicKey(what)),
    }
}

impl PublicKey {
    /// Reads a COSE_Key; the algorithm decides which key type and parameters must be there.
    pub(crate) fn parse(bytes: &[u8]) -> Checked<Self> {
        let entries = read_entries(bytes)?;
        let alg = int_entry(entries.alg, "missing or invalid alg")?;
        let kty = int_entry(entries.kty, "missing or invalid kty")?;
        match alg {
            ES256 => {
                if kty != KTY_EC2 {
                    return Err(Fail::MalformedPublicKey("ES256 key is not of type EC2"));
                }
                if int_entry(entries.minus1, "missing or invalid crv")? != CRV_P256 {
                    return Err(Fail::MalformedPublicKey("ES256 key is not on P-256"));
                }
                let x = bytes_entry(entries.minus2, "missing or invalid x")?;
                let y = bytes_entry(entries.minus3, "missing or invalid y")?;
                if x.len() != 32 || y.len() != 32 {
                    return Err(Fail::MalformedPublicKey(
                        "P-256 coordinates are not 32 bytes",
                    ));
                }
                // Uncompressed SEC1 point; from_sec1_bytes also checks it is on the curve.
                let mut point = [0u8; 65];
                point[0] = 0x04;
                point[1..33].copy_from_slice(x);
                point[33..].copy_from_slice(y);
                p256::ecdsa::VerifyingKey::from_sec1_bytes(&point)
                    .map(Self::Es256)
                    .map_err(|_| Fail::MalformedPublicKey("point is not on P-256"))
            }
            #[cfg(feature = "rs256")]
            RS256 => {
                if kty != KTY_RSA {
                    return Err(Fail::MalformedPublicKey("RS256 key is not of type RSA"));
                }
                let n = rsa::BigUint::from_bytes_be(bytes_entry(
                    entries.minus1,
                    "missing or invalid n",
                )?);
                let e = rsa::BigUint::from_bytes_be(bytes_entry(
                    entries.minus2,
                    "missing or invalid e",
                )?);
                let bits = n.bits();
                if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
                    return Err(Fail::RsaKeySize(bits));
                }
                rsa::RsaPublicKey::new(n, e)
                    .map(Self::Rs256)
                    .map_err(|_| Fail::MalformedPublicKey("invalid RSA public key"))
            }
            other => Err(Fail::UnsupportedAlgorithm(other)),
        }
    }

    pub(crate) fn algorithm(&self) -> Algorithm {
        match self {
            Self::Es256(_) => Algorithm::Es256,
            #[cfg(feature = "rs256")]
            Self::Rs256(_) => Algorithm::Rs256,
        }
    }

    /// Verifies `signature` over `message` (SHA-256 is applied here). ES256 signatures are
    /// ASN.1 DER, as WebAuthn specifies (§6.5.6), not the raw r||s of JOSE.
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            Self::Es256(key) => p256::ecdsa::Signature::from_der(signature)
                .is_ok_and(|signature| key.verify(message, &signature).is_ok()),
            #[cfg(feature = "rs256")]
            Self::Rs256(key) => key
                .verify(
                    rsa::Pkcs1v15Sign::new::<Sha256>(),
                    &Sha256::digest(message),
                    signature,
                )
                .is_ok(),
        }
    }
}
