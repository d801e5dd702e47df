//! mt's count argument parser (strtol base 0 semantics with k/M/G suffixes).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = tapekit_tools::mt::count::parse_count(s);
    }
});
