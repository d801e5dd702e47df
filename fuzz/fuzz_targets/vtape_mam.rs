//! The drive's cartridge-memory snapshot decoder (read from a medium file); whatever decodes
//! must re-encode to bytes that decode to the same snapshot.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(once) = vtape::fuzzing::mam_snapshot(data) {
        let twice = vtape::fuzzing::mam_snapshot(&once);
        assert_eq!(twice.as_deref(), Some(once.as_slice()));
    }
});
