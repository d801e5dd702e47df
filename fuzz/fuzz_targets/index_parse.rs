//! Index files (`archive::index::Index::parse`): arbitrary bytes never panic, and every
//! parsed index written back with `IndexWriter` parses to the same entries.
#![no_main]
use libfuzzer_sys::fuzz_target;

use archive::index::{Index, IndexWriter};

fuzz_target!(|data: &[u8]| {
    if let Ok(idx) = Index::parse(data) {
        let _ = idx.find(b"a");
        if let Ok(mut w) = IndexWriter::new(Vec::new(), idx.record_size()) {
            for e in idx.entries() {
                let _ = w.write_entry(e);
            }
            if let Ok(out) = w.into_inner() {
                let again = Index::parse(&out);
                assert_eq!(again.as_ref().ok(), Some(&idx));
            }
        }
    }
});
