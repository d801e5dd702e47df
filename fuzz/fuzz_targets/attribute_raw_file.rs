//! ITDT raw attribute files (one 5-byte header + value, nothing else): parse, decode,
//! and write back.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scsi_sg::attributes::{self, TextLocalization};

fuzz_target!(|data: &[u8]| {
    if let Ok(a) = attributes::parse_raw_file(data) {
        let _ = a.decode(TextLocalization::Ascii).to_string();
        // Written back byte for byte, except the reserved bits 6-2 of byte 2.
        let back = attributes::to_raw_file(&a).unwrap_or_default();
        assert_eq!(back.len(), data.len());
        assert_eq!(attributes::parse_raw_file(&back).as_ref(), Ok(&a));
    }
});
