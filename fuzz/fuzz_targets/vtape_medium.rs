//! Fuzz target: the vtape medium file parsers (header, state slots, index checkpoint, entry
//! log, record checks) over an arbitrary in-memory image. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = vtape::medium::check_bytes(data);
});
