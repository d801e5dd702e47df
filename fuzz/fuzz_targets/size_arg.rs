//! Size arguments of the tools (`--capacity 64M`, `1.5T`, `2500GB`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(n) = tapekit_tools::size::parse_size(s) {
            let _ = tapekit_tools::size::format_size(n);
        }
    }
});
