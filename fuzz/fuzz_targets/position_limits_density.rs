//! READ POSITION (short and long), READ BLOCK LIMITS and REPORT DENSITY SUPPORT replies.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scsi_sg::{block_limits, density, position};

fuzz_target!(|data: &[u8]| {
    let _ = position::parse_short(data);
    let _ = position::parse_long(data);
    let _ = block_limits::parse(data);
    if let Ok(d) = density::parse(data) {
        let _ = d.highest_primary_code();
        let _ = d.default_density();
    }
});
