//! The tar reader and the listing on arbitrary bytes: every entry is listed (verbose, with
//! block numbers) and half of them have their data read; nothing may panic or loop. Seeds in
//! fuzz/seeds/tar_reader/ are one selector byte followed by a small GNU tar 1.34 archive.
#![no_main]
use std::io::Read;

use archive::listing::{Lister, Style, Zone};
use archive::read::Reader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the record size (1..=64 blocks) and whether data is read.
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let record = 512 * (1 + usize::from(sel & 0x3f));
    let Ok(mut reader) = Reader::new(rest, record) else {
        return;
    };
    let mut lister = Lister::new().with_zone(Zone::utc());
    let mut out = Vec::new();
    let mut n = 0u32;
    while let Ok(Some(mut entry)) = reader.next_entry() {
        let _ = lister.write(&mut out, entry.info(), Style::Verbose, true);
        let _ = (entry.list_block(), entry.header_block());
        if sel & 0x40 != 0 || n.is_multiple_of(2) {
            let mut sink = Vec::new();
            let _ = entry.read_to_end(&mut sink);
        }
        n += 1;
        out.clear();
    }
    let _ = (
        reader.label(),
        reader.blocks_read(),
        reader.records_read(),
        reader.end_block(),
    );
    assert!(reader.next_entry().map_or(true, |e| e.is_none()));
});
