//! Properties: no input makes verification panic, and no change to signed bytes verifies.

mod soft;

use edgedesk_webauthn::{client_challenge, verify_assertion, verify_registration};
use std::sync::OnceLock;

use proptest::prelude::*;
use soft::*;

/// Signing is slow in debug builds: the valid ceremonies are made once.
fn valid_registration() -> &'static (Vec<u8>, Vec<u8>) {
    static VALID: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    VALID.get_or_init(|| registration(&es256_key(1), UP, 0))
}

/// (clientDataJSON, authenticatorData, signature, public key)
fn valid_assertion() -> &'static [Vec<u8>; 4] {
    static VALID: OnceLock<[Vec<u8>; 4]> = OnceLock::new();
    VALID.get_or_init(|| {
        let key = es256_key(1);
        let (client_data, data, signature) = assertion(&key, UP, 1);
        [client_data, data, signature, key.cose()]
    })
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..300)
}

/// A valid input with one byte changed, one inserted, or the tail cut off.
fn mutate(valid: &[u8], at: usize, byte: u8, how: u8) -> Vec<u8> {
    let mut out = valid.to_vec();
    let at = at % (valid.len() + 1);
    match how % 3 {
        0 if at < out.len() => out[at] ^= byte | 1,
        1 => out.insert(at, byte),
        _ => out.truncate(at),
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(a in bytes(), b in bytes(), c in bytes(), d in bytes(), n in any::<u32>()) {
        let _ = client_challenge(&a);
        let _ = verify_registration(&a, &b, &expected());
        let _ = verify_assertion(&a, &b, &c, &d, n, &expected());
    }

    #[test]
    fn mutated_registration_never_panics(which in 0..2u8, at in any::<usize>(), byte in any::<u8>(), how in any::<u8>()) {
        let (client_data, object) = valid_registration();
        let (client_data, object) = if which == 0 {
            (mutate(client_data, at, byte, how), object.clone())
        } else {
            (client_data.clone(), mutate(object, at, byte, how))
        };
        let _ = verify_registration(&client_data, &object, &expected());
    }

    #[test]
    fn mutated_assertion_never_verifies(which in 0..4u8, at in any::<usize>(), byte in any::<u8>(), how in any::<u8>()) {
        let original = valid_assertion();
        let [mut client_data, mut data, mut signature, mut public_key] = original.clone();
        match which {
            0 => client_data = mutate(&client_data, at, byte, how),
            1 => data = mutate(&data, at, byte, how),
            2 => signature = mutate(&signature, at, byte, how),
            _ => public_key = mutate(&public_key, at, byte, how),
        }
        let changed = [&client_data, &data, &signature, &public_key]
            .iter()
            .zip(original)
            .any(|(now, before)| *now != before);
        let result = verify_assertion(&client_data, &data, &signature, &public_key, 0, &expected());
        // A DER signature has exactly one encoding, so any change to any input is refused.
        prop_assert_eq!(result.is_ok(), !changed, "{:?}", result);
    }
}

#[test]
fn deeply_nested_cbor_does_not_overflow() {
    // 100,000 nested one-entry maps ({0: {0: ...}}) as a COSE key and as the attestation object.
    let nested = [[0xa1, 0x00].repeat(100_000), vec![0x00]].concat();
    let data = auth_data(RP_ID, UP | AT, 0, Some((CREDENTIAL_ID, &nested)), None);
    let object = attestation_object("none", EMPTY_MAP, &data);
    assert!(verify_registration(&create_client_data(), &object, &expected()).is_err());
    assert!(verify_registration(&create_client_data(), &nested, &expected()).is_err());
    let (client_data, data, signature) = assertion(&es256_key(1), UP, 0);
    assert!(verify_assertion(&client_data, &data, &signature, &nested, 0, &expected()).is_err());
}
