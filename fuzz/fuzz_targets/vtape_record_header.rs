//! Fuzz target: the header (record metadata, magic `TKEN`) of an encrypted vtape record,
//! as read back from a medium file. Must never panic; a header that decodes re-encodes to
//! bytes that decode to the same encoding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vtape::fuzzing::{record_header, RecordMeta};

fuzz_target!(|data: &[u8]| {
    if let RecordMeta::Encrypted(encoded) = record_header(data) {
        assert_eq!(record_header(&encoded), RecordMeta::Encrypted(encoded));
    }
});
