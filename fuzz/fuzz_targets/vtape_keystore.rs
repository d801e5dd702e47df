//! Fuzz target: the vtape drive's key sidecar decoder (`<medium>.drive-keys`, layout in
//! `vtape/src/drive/crypto/keystore.rs`) on arbitrary file bytes. Must never panic; what
//! decodes re-encodes to a file that decodes to the same encoding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vtape::fuzzing::key_sidecar;

fuzz_target!(|data: &[u8]| {
    if let Some(encoded) = key_sidecar(data) {
        assert_eq!(key_sidecar(&encoded).as_ref(), Some(&encoded));
    }
});
