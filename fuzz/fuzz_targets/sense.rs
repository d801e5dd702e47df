//! Sense decoder (fixed and descriptor formats) on arbitrary bytes, plus REQUEST SENSE replies.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = scsi_sg::Sense::parse(data) {
        // Display, ASC text and the builder must cope with whatever was decoded.
        let _ = s.to_string();
        let _ = s.description();
        let rebuilt = s.to_fixed_bytes();
        let _ = scsi_sg::Sense::parse(&rebuilt);
    }
    let _ = scsi_sg::request_sense::parse(data);
});
