//! `mbuf --framed` on the receiving side: bytes from the network (header, length-prefixed
//! frames, trailer with length and SHA-256) go through `FramedReader`. Arbitrary bytes must give
//! data or an error (truncation, bad header, digest mismatch), never a panic or an endless loop.
#![no_main]
use std::io::Read;

use libfuzzer_sys::fuzz_target;
use tapekit_tools::mbuf::engine::framed::FramedReader;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the read size, so frames are cut at every kind of boundary.
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let mut reader = FramedReader::new(rest);
    let mut buf = vec![0u8; 1 + usize::from(sel) * 37];
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
});
