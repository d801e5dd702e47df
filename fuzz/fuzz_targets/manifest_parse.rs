//! `sha256sum` manifests (`archive::manifest::Manifest::parse`): arbitrary bytes never panic,
//! and every parsed manifest written back with `write_entry` parses to the same entries.
#![no_main]
use libfuzzer_sys::fuzz_target;

use archive::manifest::{to_hex, write_entry, Manifest};

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = Manifest::parse(data) {
        let mut out = Vec::new();
        for (name, digest) in m.iter() {
            let _ = write_entry(&mut out, &to_hex(digest), name);
        }
        let again = Manifest::parse(&out);
        assert_eq!(again.as_ref().ok(), Some(&m));
    }
});
