//! A real ceremony: a YubiKey 5 NFC registered and used in a browser on demo.yubico.com
//! (the vectors are published in Yubico's java-webauthn-server test suite, RealExamples).
//!
//! The real attestation is `packed` with a certificate chain, which we refuse; asked for
//! `attestation: "none"`, a browser sends the same authenticator data in a `none` object instead,
//! which is what the registration test builds. The assertion is untouched.

#![allow(clippy::unwrap_used)]

mod soft;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use edgedesk_webauthn::{
    Algorithm, AssertionError, Expected, RegistrationError, client_challenge, verify_assertion,
    verify_registration,
};

const RP_ID: &str = "demo.yubico.com";
const ORIGIN: &str = "https://demo.yubico.com";

const CREATE_CLIENT_DATA: &str = r#"{"type":"webauthn.create","challenge":"0b-5-z3_EvP6pqaBj6Fu7A4M5SdefgZ_jcAoFa6_miU","origin":"https://demo.yubico.com","crossOrigin":false}"#;
const ATTESTATION_OBJECT: &str = "o2NmbXRmcGFja2VkZ2F0dFN0bXSjY2FsZyZjc2lnWEcwRQIgZUEF7FMB8dEzallsJvUFVhHRU8xdWDkDwQQI-ZU8XRMCIQCqzI3-lWRlSEBLGk2XVqkp72q2QzbhdOzZyWOrke4jsmN4NWOBWQLAMIICvDCCAaSgAwIBAgIEA63wEjANBgkqhkiG9w0BAQsFADAuMSwwKgYDVQQDEyNZdWJpY28gVTJGIFJvb3QgQ0EgU2VyaWFsIDQ1NzIwMDYzMTAgFw0xNDA4MDEwMDAwMDBaGA8yMDUwMDkwNDAwMDAwMFowbTELMAkGA1UEBhMCU0UxEjAQBgNVBAoMCVl1YmljbyBBQjEiMCAGA1UECwwZQXV0aGVudGljYXRvciBBdHRlc3RhdGlvbjEmMCQGA1UEAwwdWXViaWNvIFUyRiBFRSBTZXJpYWwgNjE3MzA4MzQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQZnoecFi233DnuSkKgRhalswn-ygkvdr4JSPltbpXK5MxlzVSgWc-9x8mzGysdbBhEecLAYfQYqpVLWWosHPoXo2wwajAiBgkrBgEEAYLECgIEFTEuMy42LjEuNC4xLjQxNDgyLjEuNzATBgsrBgEEAYLlHAIBAQQEAwIEMDAhBgsrBgEEAYLlHAEBBAQSBBD6K5ncnjlCV4-SSjDSPEEYMAwGA1UdEwEB_wQCMAAwDQYJKoZIhvcNAQELBQADggEBACjrs2f-0djw4onryp_22AdXxg6a5XyxcoybHDjKu72E2SN9qDGsIZSfDy38DDFr_bF1s25joiu7WA6tylKA0HmEDloeJXJiWjv7h2Az2_siqWnJOLic4XE1lAChJS2XAqkSk9VFGelg3SLOiifrBet-ebdQwAL-2QFrcR7JrXRQG9kUy76O2VcSgbdPROsHfOYeywarhalyVSZ-6OOYK_Q_DLIaOC0jXrnkzm2ymMQFQlBAIysrYeEM1wxiFbwDt-lAcbcOEtHEf5ZlWi75nUzlWn8bSx_5FO4TbZ5hIEcUiGRpiIBEMRZlOIm4ZIbZycn_vJOFRTVps0V0S4ygtDdoYXV0aERhdGFYxMRs74KtG1Rkd1kdAIsIdZ7D5tLstPOUdL_qaWmSXQO3QQAAADn6K5ncnjlCV4-SSjDSPEEYAECSDhJoaRjVyhU9DO24CFhDHIm8rwh5dHFRVONEpTj2eXiqpzRs5xNoNlEq5cotavl1nTbQ6DhXaOYm_ulT16RMpQECAyYgASFYIJbLqy9JV7ETZUEdPtNzlfl6fBTDZNgioYpDIxIVhRGOIlggS8YE-ZzHh63D4jN3vShnN3F7heKxyJuAApMeRvTJuc8";
const CREDENTIAL_ID: &str =
    "kg4SaGkY1coVPQztuAhYQxyJvK8IeXRxUVTjRKU49nl4qqc0bOcTaDZRKuXKLWr5dZ020Og4V2jmJv7pU9ekTA";

const GET_CLIENT_DATA: &str = r#"{"type":"webauthn.get","challenge":"AK6EVGBeT_DvQQk3hoUCocO8k3WVvnQnwL5Kd2oFWzM","origin":"https://demo.yubico.com","crossOrigin":false,"extra_keys_may_be_added_here":"do not compare clientDataJSON against a template. See https://goo.gl/yabPex"}"#;
const AUTHENTICATOR_DATA: &str = "xGzvgq0bVGR3WR0Aiwh1nsPm0uy085R0v-ppaZJdA7cBAAAAOg";
const SIGNATURE: &str = "MEUCIDkZa6d7HwRxGCZdAldFuTo4qUZvaV8j7IYGjO74liKcAiEAj_PLArWm-VylAUsKgWoj50NQSpnn_qhZEgasgfWmG1Y";

fn b64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).unwrap()
}

/// The authData out of the real attestation object (its last member, a byte string).
fn real_auth_data() -> Vec<u8> {
    let object = b64(ATTESTATION_OBJECT);
    let mut decoder = minicbor::Decoder::new(&object);
    decoder.map().unwrap();
    loop {
        if decoder.str().unwrap() == "authData" {
            return decoder.bytes().unwrap().to_vec();
        }
        decoder.skip().unwrap();
    }
}

fn expected(challenge: &[u8]) -> Expected<'_> {
    Expected {
        rp_id: RP_ID,
        origin: ORIGIN,
        challenge,
        require_user_verification: false,
    }
}

#[test]
fn real_registration_then_sign_in() {
    // Registration, as sent for attestation "none".
    let challenge = client_challenge(CREATE_CLIENT_DATA.as_bytes()).unwrap();
    let object = soft::attestation_object("none", soft::EMPTY_MAP, &real_auth_data());
    let credential = verify_registration(
        CREATE_CLIENT_DATA.as_bytes(),
        &object,
        &expected(&challenge),
    )
    .unwrap();
    assert_eq!(credential.id, b64(CREDENTIAL_ID));
    assert_eq!(credential.algorithm, Algorithm::Es256);
    assert_eq!(credential.sign_count, 57);
    assert!(!credential.user_verified && !credential.backup_eligible && !credential.backed_up);

    // Sign-in with the stored key and counter.
    let challenge = client_challenge(GET_CLIENT_DATA.as_bytes()).unwrap();
    let assertion = verify_assertion(
        GET_CLIENT_DATA.as_bytes(),
        &b64(AUTHENTICATOR_DATA),
        &b64(SIGNATURE),
        &credential.public_key,
        credential.sign_count,
        &expected(&challenge),
    )
    .unwrap();
    assert_eq!(assertion.sign_count, 58);

    // Replayed once the counter has moved on.
    assert_eq!(
        verify_assertion(
            GET_CLIENT_DATA.as_bytes(),
            &b64(AUTHENTICATOR_DATA),
            &b64(SIGNATURE),
            &credential.public_key,
            assertion.sign_count,
            &expected(&challenge),
        ),
        Err(AssertionError::CounterRegressed {
            stored: 58,
            received: 58
        })
    );
}

#[test]
fn real_packed_attestation_with_certificate_chain_is_refused() {
    let challenge = client_challenge(CREATE_CLIENT_DATA.as_bytes()).unwrap();
    assert_eq!(
        verify_registration(
            CREATE_CLIENT_DATA.as_bytes(),
            &b64(ATTESTATION_OBJECT),
            &expected(&challenge)
        ),
        Err(RegistrationError::UnsupportedAttestation("packed".into()))
    );
}
