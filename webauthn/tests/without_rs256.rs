//! Built without the `rs256` feature, RS256 keys are refused as unsupported
//! (`cargo test -p edgedesk-webauthn --no-default-features`).
#![cfg(not(feature = "rs256"))]

mod soft;

use edgedesk_webauthn::{AssertionError, RegistrationError, verify_assertion, verify_registration};
use soft::*;

#[test]
fn rs256_is_unsupported() {
    let key = rs256_key();
    let (client_data, object) = registration(&key, UP, 0);
    assert_eq!(
        verify_registration(&client_data, &object, &expected()),
        Err(RegistrationError::UnsupportedAlgorithm(-257))
    );
    let (client_data, data, signature) = assertion(&key, UP, 0);
    assert_eq!(
        verify_assertion(&client_data, &data, &signature, &key.cose(), 0, &expected()),
        Err(AssertionError::UnsupportedAlgorithm(-257))
    );
    // ES256 still verifies.
    let key = es256_key(1);
    let (client_data, object) = registration(&key, UP, 0);
    assert!(verify_registration(&client_data, &object, &expected()).is_ok());
}
