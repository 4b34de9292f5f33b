//! Registration and assertion against the software authenticator: what is accepted, and each
//! refusal by its exact error.

#![allow(clippy::unwrap_used)] // The helpers outside #[test] functions too.

mod soft;

use edgedesk_webauthn::{
    Algorithm, AssertionError, Expected, RegistrationError, client_challenge, verify_assertion,
    verify_registration,
};
use soft::*;

fn register(key: &Key) -> edgedesk_webauthn::NewCredential {
    let (client_data, object) = registration(key, UP, 0);
    verify_registration(&client_data, &object, &expected()).expect("registration verifies")
}

fn register_err(client_data: &[u8], object: &[u8]) -> RegistrationError {
    verify_registration(client_data, object, &expected()).expect_err("registration is refused")
}

fn assert_err(key: &Key, client_data: &[u8], data: &[u8], signature: &[u8]) -> AssertionError {
    verify_assertion(client_data, data, signature, &key.cose(), 0, &expected())
        .expect_err("assertion is refused")
}

// --- Registration, accepted ---

#[test]
fn registration_none_es256() {
    let key = es256_key(1);
    let (client_data, object) = registration(&key, UP | UV | BE | BS, 7);
    let credential = verify_registration(&client_data, &object, &expected()).unwrap();
    assert_eq!(credential.id, CREDENTIAL_ID);
    assert_eq!(credential.public_key, key.cose());
    assert_eq!(credential.algorithm, Algorithm::Es256);
    assert_eq!(credential.sign_count, 7);
    assert!(credential.user_verified);
    assert!(credential.backup_eligible);
    assert!(credential.backed_up);
}

#[test]
fn registration_none_rs256() {
    let key = rs256_key();
    let credential = register(&key);
    assert_eq!(credential.algorithm, Algorithm::Rs256);
    assert_eq!(credential.public_key, key.cose());
    assert!(!credential.user_verified && !credential.backup_eligible && !credential.backed_up);
}

#[test]
fn registration_packed_self_attestation() {
    for key in [es256_key(1), rs256_key()] {
        let cose = key.cose();
        let client_data = create_client_data();
        let data = auth_data(RP_ID, UP | UV | AT, 0, Some((CREDENTIAL_ID, &cose)), None);
        let statement = packed_self_statement(&key, key.alg(), &data, &client_data);
        let object = attestation_object("packed", &statement, &data);
        let credential = verify_registration(&client_data, &object, &expected()).unwrap();
        assert_eq!(credential.public_key, cose);
    }
}

#[test]
fn registration_with_extensions_reads_past_them() {
    let key = es256_key(1);
    let cose = key.cose();
    // {"credProtect": 2}
    let extensions = [
        0xa1, 0x6b, b'c', b'r', b'e', b'd', b'P', b'r', b'o', b't', b'e', b'c', b't', 0x02,
    ];
    let data = auth_data(
        RP_ID,
        UP | AT | ED,
        0,
        Some((CREDENTIAL_ID, &cose)),
        Some(&extensions),
    );
    let object = attestation_object("none", EMPTY_MAP, &data);
    let credential = verify_registration(&create_client_data(), &object, &expected()).unwrap();
    assert_eq!(credential.public_key, cose);
}

#[test]
fn challenge_is_read_before_verification() {
    assert_eq!(client_challenge(&create_client_data()).unwrap(), CHALLENGE);
    assert!(client_challenge(b"{}").is_err());
    assert!(client_challenge(br#"{"type":"x","challenge":"!!","origin":"o"}"#).is_err());
}

// --- Registration, refused ---

#[test]
fn registration_wrong_type() {
    let (_, object) = registration(&es256_key(1), UP, 0);
    let client_data = get_client_data();
    assert_eq!(
        register_err(&client_data, &object),
        RegistrationError::WrongType {
            expected: "webauthn.create",
            found: "webauthn.get".into()
        }
    );
}

#[test]
fn registration_wrong_challenge() {
    let (_, object) = registration(&es256_key(1), UP, 0);
    let client_data = client_data_json("webauthn.create", b"another challenge", ORIGIN, false);
    assert_eq!(
        register_err(&client_data, &object),
        RegistrationError::ChallengeMismatch
    );
}

#[test]
fn registration_wrong_origin() {
    let (_, object) = registration(&es256_key(1), UP, 0);
    let client_data = client_data_json(
        "webauthn.create",
        CHALLENGE,
        "https://evil.example.com",
        false,
    );
    assert_eq!(
        register_err(&client_data, &object),
        RegistrationError::OriginMismatch {
            found: "https://evil.example.com".into()
        }
    );
}

#[test]
fn registration_cross_origin() {
    let (_, object) = registration(&es256_key(1), UP, 0);
    let client_data = client_data_json("webauthn.create", CHALLENGE, ORIGIN, true);
    assert_eq!(
        register_err(&client_data, &object),
        RegistrationError::CrossOrigin
    );
}

#[test]
fn registration_wrong_rp_id() {
    let cose = es256_key(1).cose();
    let data = auth_data(
        "evil.example.com",
        UP | AT,
        0,
        Some((CREDENTIAL_ID, &cose)),
        None,
    );
    let object = attestation_object("none", EMPTY_MAP, &data);
    assert_eq!(
        register_err(&create_client_data(), &object),
        RegistrationError::RpIdMismatch
    );
}

#[test]
fn registration_user_not_present() {
    let (client_data, object) = registration(&es256_key(1), 0, 0);
    assert_eq!(
        register_err(&client_data, &object),
        RegistrationError::UserNotPresent
    );
}

#[test]
fn registration_user_not_verified_when_required() {
    let (client_data, object) = registration(&es256_key(1), UP, 0);
    let expected = Expected {
        require_user_verification: true,
        ..expected()
    };
    assert_eq!(
        verify_registration(&client_data, &object, &expected),
        Err(RegistrationError::UserNotVerified)
    );
}

#[test]
fn registration_without_credential_data() {
    let data = auth_data(RP_ID, UP, 0, None, None);
    let object = attestation_object("none", EMPTY_MAP, &data);
    assert_eq!(
        register_err(&create_client_data(), &object),
        RegistrationError::MissingCredentialData
    );
}

#[test]
fn registration_truncated_auth_data() {
    let cose = es256_key(1).cose();
    let data = auth_data(RP_ID, UP | AT, 0, Some((CREDENTIAL_ID, &cose)), None);
    // Cut inside the header, inside the credential id, and inside the COSE key.
    for len in [0, 20, 36, 60, data.len() - 1] {
        let object = attestation_object("none", EMPTY_MAP, &data[..len]);
        assert_eq!(
            register_err(&create_client_data(), &object),
            RegistrationError::TruncatedAuthenticatorData,
            "cut at {len}"
        );
    }
}

#[test]
fn registration_trailing_bytes() {
    let cose = es256_key(1).cose();
    let mut data = auth_data(RP_ID, UP | AT, 0, Some((CREDENTIAL_ID, &cose)), None);
    data.push(0);
    let object = attestation_object("none", EMPTY_MAP, &data);
    assert_eq!(
        register_err(&create_client_data(), &object),
        RegistrationError::TrailingAuthenticatorData
    );
}

#[test]
fn registration_backed_up_without_eligibility() {
    let (client_data, object) = registration(&es256_key(1), UP | BS, 0);
    assert!(matches!(
        register_err(&client_data, &object),
        RegistrationError::MalformedAuthenticatorData(_)
    ));
}

/// A COSE key with the given alg and kty, and otherwise an EC2 key's parameters.
fn cose_with(kty: i64, alg: i64) -> Vec<u8> {
    let mut e = minicbor::Encoder::new(Vec::new());
    e.map(4).unwrap();
    e.i64(1).unwrap().i64(kty).unwrap();
    e.i64(3).unwrap().i64(alg).unwrap();
    e.i64(-1).unwrap().i64(6).unwrap(); // Ed25519
    e.i64(-2).unwrap().bytes(&[7; 32]).unwrap();
    e.into_writer()
}

fn register_key(cose: &[u8]) -> RegistrationError {
    let data = auth_data(RP_ID, UP | AT, 0, Some((CREDENTIAL_ID, cose)), None);
    let object = attestation_object("none", EMPTY_MAP, &data);
    register_err(&create_client_data(), &object)
}

#[test]
fn registration_unsupported_algorithm() {
    // EdDSA (OKP, -8).
    assert_eq!(
        register_key(&cose_with(1, -8)),
        RegistrationError::UnsupportedAlgorithm(-8)
    );
}

#[test]
fn registration_es256_key_of_wrong_type() {
    assert!(matches!(
        register_key(&cose_with(1, -7)),
        RegistrationError::MalformedPublicKey(_)
    ));
}

#[test]
fn registration_point_not_on_curve() {
    let mut e = minicbor::Encoder::new(Vec::new());
    e.map(5).unwrap();
    e.i64(1).unwrap().i64(2).unwrap();
    e.i64(3).unwrap().i64(-7).unwrap();
    e.i64(-1).unwrap().i64(1).unwrap();
    e.i64(-2).unwrap().bytes(&[1; 32]).unwrap();
    e.i64(-3).unwrap().bytes(&[2; 32]).unwrap();
    assert!(matches!(
        register_key(&e.into_writer()),
        RegistrationError::MalformedPublicKey(_)
    ));
}

#[test]
fn registration_rsa_1024_refused() {
    let mut n = vec![0xc5; 128]; // a 1024-bit modulus (its value does not matter: it is refused first)
    n[127] = 0x01;
    let mut e = minicbor::Encoder::new(Vec::new());
    e.map(4).unwrap();
    e.i64(1).unwrap().i64(3).unwrap();
    e.i64(3).unwrap().i64(-257).unwrap();
    e.i64(-1).unwrap().bytes(&n).unwrap();
    e.i64(-2).unwrap().bytes(&[1, 0, 1]).unwrap();
    assert_eq!(
        register_key(&e.into_writer()),
        RegistrationError::RsaKeySize(1024)
    );
}

#[test]
fn registration_unsupported_attestation_formats() {
    let key = es256_key(1);
    let cose = key.cose();
    let client_data = create_client_data();
    let data = auth_data(RP_ID, UP | AT, 0, Some((CREDENTIAL_ID, &cose)), None);
    for fmt in ["tpm", "android-key", "fido-u2f", "apple"] {
        let object = attestation_object(fmt, EMPTY_MAP, &data);
        assert_eq!(
            register_err(&client_data, &object),
            RegistrationError::UnsupportedAttestation(fmt.into())
        );
    }
    // packed with a certificate chain (x5c)
    let mut e = minicbor::Encoder::new(Vec::new());
    e.map(3).unwrap();
    e.str("alg").unwrap().i64(-7).unwrap();
    e.str("sig").unwrap().bytes(&[0x30, 0x00]).unwrap();
    e.str("x5c")
        .unwrap()
        .array(1)
        .unwrap()
        .bytes(&[0x30, 0x00])
        .unwrap();
    let object = attestation_object("packed", &e.into_writer(), &data);
    assert_eq!(
        register_err(&client_data, &object),
        RegistrationError::UnsupportedAttestation("packed".into())
    );
}

#[test]
fn registration_none_with_statement_refused() {
    let cose = es256_key(1).cose();
    let data = auth_data(RP_ID, UP | AT, 0, Some((CREDENTIAL_ID, &cose)), None);
    let statement = [0xa1, 0x63, b's', b'i', b'g', 0x40]; // {"sig": h''}
    let object = attestation_object("none", &statement, &data);
    assert!(matches!(
        register_err(&create_client_data(), &object),
        RegistrationError::MalformedAttestationObject(_)
    ));
}

#[test]
fn registration_packed_self_attestation_refusals() {
    let key = es256_key(1);
    let cose = key.cose();
    let client_data = create_client_data();
    let data = auth_data(RP_ID, UP | AT, 0, Some((CREDENTIAL_ID, &cose)), None);
    // Signed by another key.
    let statement = packed_self_statement(&es256_key(2), -7, &data, &client_data);
    let object = attestation_object("packed", &statement, &data);
    assert_eq!(
        register_err(&client_data, &object),
        RegistrationError::BadAttestationSignature
    );
    // An algorithm that is not the credential key's.
    let statement = packed_self_statement(&key, -257, &data, &client_data);
    let object = attestation_object("packed", &statement, &data);
    assert_eq!(
        register_err(&client_data, &object),
        RegistrationError::AttestationAlgorithmMismatch(-257)
    );
    // Signed over other client data.
    let other = client_data_json("webauthn.create", b"other", ORIGIN, false);
    let statement = packed_self_statement(&key, -7, &data, &other);
    let object = attestation_object("packed", &statement, &data);
    assert_eq!(
        register_err(&client_data, &object),
        RegistrationError::BadAttestationSignature
    );
}

#[test]
fn registration_garbage() {
    let client_data = create_client_data();
    for garbage in [&[][..], &[0xff], &[0xa3, 0x01], b"not cbor at all", &[0x80]] {
        assert!(
            matches!(
                register_err(&client_data, garbage),
                RegistrationError::MalformedAttestationObject(_)
            ),
            "{garbage:?}"
        );
    }
    let (_, object) = registration(&es256_key(1), UP, 0);
    assert!(matches!(
        register_err(b"{not json", &object),
        RegistrationError::MalformedClientData(_)
    ));
    let no_padding =
        br#"{"type":"webauthn.create","challenge":"YQ==","origin":"https://desk.example.com"}"#;
    assert_eq!(
        register_err(no_padding, &object),
        RegistrationError::MalformedChallenge
    );
    // A COSE key that is not CBOR.
    let data = auth_data(
        RP_ID,
        UP | AT,
        0,
        Some((CREDENTIAL_ID, &[0xff, 0xff])),
        None,
    );
    let object = attestation_object("none", EMPTY_MAP, &data);
    assert!(matches!(
        register_err(&client_data, &object),
        RegistrationError::MalformedAuthenticatorData(_)
    ));
}

// --- Assertion, accepted ---

#[test]
fn assertion_es256() {
    let key = es256_key(1);
    let stored = register(&key);
    let (client_data, data, signature) = assertion(&key, UP | UV | BE | BS, 0);
    let assertion = verify_assertion(
        &client_data,
        &data,
        &signature,
        &stored.public_key,
        0,
        &expected(),
    )
    .unwrap();
    assert_eq!(assertion.sign_count, 0);
    assert!(assertion.user_verified);
    assert!(assertion.backed_up);
}

#[test]
fn assertion_rs256() {
    let key = rs256_key();
    let stored = register(&key);
    let (client_data, data, signature) = assertion(&key, UP, 0);
    let assertion = verify_assertion(
        &client_data,
        &data,
        &signature,
        &stored.public_key,
        0,
        &expected(),
    )
    .unwrap();
    assert!(!assertion.user_verified);
}

#[test]
fn assertion_counter_increasing() {
    let key = es256_key(1);
    for (stored, received) in [(0, 1), (5, 6), (5, 1000), (u32::MAX - 1, u32::MAX)] {
        let (client_data, data, signature) = assertion(&key, UP, received);
        let assertion = verify_assertion(
            &client_data,
            &data,
            &signature,
            &key.cose(),
            stored,
            &expected(),
        )
        .unwrap();
        assert_eq!(assertion.sign_count, received);
    }
}

#[test]
fn assertion_user_verification_required_and_present() {
    let key = es256_key(1);
    let (client_data, data, signature) = assertion(&key, UP | UV, 0);
    let expected = Expected {
        require_user_verification: true,
        ..expected()
    };
    assert!(verify_assertion(&client_data, &data, &signature, &key.cose(), 0, &expected).is_ok());
}

// --- Assertion, refused ---

#[test]
fn assertion_counter_regressed() {
    let key = es256_key(1);
    for (stored, received) in [(5, 5), (5, 4), (5, 0)] {
        let (client_data, data, signature) = assertion(&key, UP, received);
        assert_eq!(
            verify_assertion(
                &client_data,
                &data,
                &signature,
                &key.cose(),
                stored,
                &expected()
            ),
            Err(AssertionError::CounterRegressed { stored, received })
        );
    }
}

#[test]
fn assertion_wrong_type() {
    let key = es256_key(1);
    let (_, data, _) = assertion(&key, UP, 0);
    let client_data = create_client_data();
    let signature = sign_assertion(&key, &data, &client_data);
    assert_eq!(
        assert_err(&key, &client_data, &data, &signature),
        AssertionError::WrongType {
            expected: "webauthn.get",
            found: "webauthn.create".into()
        }
    );
}

#[test]
fn assertion_wrong_challenge() {
    let key = es256_key(1);
    let (_, data, _) = assertion(&key, UP, 0);
    let client_data = client_data_json("webauthn.get", b"replayed", ORIGIN, false);
    let signature = sign_assertion(&key, &data, &client_data);
    assert_eq!(
        assert_err(&key, &client_data, &data, &signature),
        AssertionError::ChallengeMismatch
    );
}

#[test]
fn assertion_wrong_origin() {
    let key = es256_key(1);
    let (_, data, _) = assertion(&key, UP, 0);
    let client_data = client_data_json("webauthn.get", CHALLENGE, "http://desk.example.com", false);
    let signature = sign_assertion(&key, &data, &client_data);
    assert_eq!(
        assert_err(&key, &client_data, &data, &signature),
        AssertionError::OriginMismatch {
            found: "http://desk.example.com".into()
        }
    );
}

#[test]
fn assertion_cross_origin() {
    let key = es256_key(1);
    let (_, data, _) = assertion(&key, UP, 0);
    let client_data = client_data_json("webauthn.get", CHALLENGE, ORIGIN, true);
    let signature = sign_assertion(&key, &data, &client_data);
    assert_eq!(
        assert_err(&key, &client_data, &data, &signature),
        AssertionError::CrossOrigin
    );
}

#[test]
fn assertion_wrong_rp_id() {
    let key = es256_key(1);
    let client_data = get_client_data();
    let data = auth_data("example.com", UP, 0, None, None);
    let signature = sign_assertion(&key, &data, &client_data);
    assert_eq!(
        assert_err(&key, &client_data, &data, &signature),
        AssertionError::RpIdMismatch
    );
}

#[test]
fn assertion_user_not_present() {
    let key = es256_key(1);
    let (client_data, data, signature) = assertion(&key, UV, 0);
    assert_eq!(
        assert_err(&key, &client_data, &data, &signature),
        AssertionError::UserNotPresent
    );
}

#[test]
fn assertion_user_not_verified_when_required() {
    let key = es256_key(1);
    let (client_data, data, signature) = assertion(&key, UP, 0);
    let expected = Expected {
        require_user_verification: true,
        ..expected()
    };
    assert_eq!(
        verify_assertion(&client_data, &data, &signature, &key.cose(), 0, &expected),
        Err(AssertionError::UserNotVerified)
    );
}

#[test]
fn assertion_tampered_signature() {
    for key in [es256_key(1), rs256_key()] {
        let (client_data, data, mut signature) = assertion(&key, UP, 0);
        let last = signature.len() - 1;
        signature[last] ^= 0x01;
        assert_eq!(
            assert_err(&key, &client_data, &data, &signature),
            AssertionError::BadSignature
        );
    }
}

#[test]
fn assertion_tampered_data() {
    let key = es256_key(1);
    let (client_data, mut data, signature) = assertion(&key, UP, 0);
    data[32] |= UV; // claim a verification that did not happen
    assert_eq!(
        assert_err(&key, &client_data, &data, &signature),
        AssertionError::BadSignature
    );
    let (_, data, signature) = assertion(&key, UP, 0);
    let other = client_data_json("webauthn.get", CHALLENGE, ORIGIN, false)
        .into_iter()
        .chain(*b" ")
        .collect::<Vec<_>>();
    assert_eq!(
        assert_err(&key, &other, &data, &signature),
        AssertionError::BadSignature
    );
}

#[test]
fn assertion_signed_by_another_key() {
    for (key, other) in [
        (es256_key(1), es256_key(2)),
        (rs256_key(), other_rs256_key()),
    ] {
        let (client_data, data, signature) = assertion(&other, UP, 0);
        assert_eq!(
            assert_err(&key, &client_data, &data, &signature),
            AssertionError::BadSignature
        );
    }
}

#[test]
fn assertion_signature_of_the_other_algorithm() {
    // An RSA signature for an EC key and a DER ECDSA signature for an RSA key.
    let (client_data, data, signature) = assertion(&rs256_key(), UP, 0);
    assert_eq!(
        assert_err(&es256_key(1), &client_data, &data, &signature),
        AssertionError::BadSignature
    );
    let (client_data, data, signature) = assertion(&es256_key(1), UP, 0);
    assert_eq!(
        assert_err(&rs256_key(), &client_data, &data, &signature),
        AssertionError::BadSignature
    );
}

#[test]
fn assertion_truncated_auth_data() {
    let key = es256_key(1);
    let (client_data, data, signature) = assertion(&key, UP, 0);
    for len in [0, 31, 32, 36] {
        assert_eq!(
            assert_err(&key, &client_data, &data[..len], &signature),
            AssertionError::TruncatedAuthenticatorData
        );
    }
}

#[test]
fn assertion_trailing_bytes() {
    let key = es256_key(1);
    let client_data = get_client_data();
    let mut data = auth_data(RP_ID, UP, 0, None, None);
    data.extend_from_slice(&[0xa0]); // an extensions map without the ED flag
    let signature = sign_assertion(&key, &data, &client_data);
    assert_eq!(
        assert_err(&key, &client_data, &data, &signature),
        AssertionError::TrailingAuthenticatorData
    );
    // With the flag it is read past.
    let data = auth_data(RP_ID, UP | ED, 0, None, Some(&[0xa0]));
    let signature = sign_assertion(&key, &data, &client_data);
    assert!(verify_assertion(&client_data, &data, &signature, &key.cose(), 0, &expected()).is_ok());
    // ED set but the extensions are not a map.
    let data = auth_data(RP_ID, UP | ED, 0, None, Some(&[0x80]));
    let signature = sign_assertion(&key, &data, &client_data);
    assert!(matches!(
        assert_err(&key, &client_data, &data, &signature),
        AssertionError::MalformedAuthenticatorData(_)
    ));
}

#[test]
fn assertion_with_credential_data_refused() {
    let key = es256_key(1);
    let cose = key.cose();
    let client_data = get_client_data();
    let data = auth_data(RP_ID, UP | AT, 0, Some((CREDENTIAL_ID, &cose)), None);
    let signature = sign_assertion(&key, &data, &client_data);
    assert_eq!(
        assert_err(&key, &client_data, &data, &signature),
        AssertionError::UnexpectedCredentialData
    );
}

#[test]
fn assertion_stored_key_unsupported_or_garbage() {
    let (client_data, data, signature) = assertion(&es256_key(1), UP, 0);
    assert_eq!(
        verify_assertion(
            &client_data,
            &data,
            &signature,
            &cose_with(1, -8),
            0,
            &expected()
        ),
        Err(AssertionError::UnsupportedAlgorithm(-8))
    );
    for garbage in [&[][..], &[0xff], &[0xa1], b"garbage"] {
        assert!(matches!(
            verify_assertion(&client_data, &data, &signature, garbage, 0, &expected()),
            Err(AssertionError::MalformedPublicKey(_))
        ));
    }
}
