//! Property: under random input chunking, consumer stalls, consumer counts and watermarks,
//! every consumer receives the input byte for byte, in blocks of exactly the block size
//! except a shorter last one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Read;
use std::thread;
use std::time::Duration;

use proptest::prelude::*;
use stream_buffer::{buffer, Config};

/// A reader that returns the input in the given chunk sizes, like a pipe or socket.
struct Chunked<'a> {
    data: &'a [u8],
    sizes: Vec<usize>,
    next: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = self
            .sizes
            .get(self.next % self.sizes.len())
            .copied()
            .unwrap_or(1);
        self.next += 1;
        let n = want.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_consumer_gets_the_input_in_whole_blocks(
        len in 0usize..20_000,
        seed in any::<u8>(),
        chunks in prop::collection::vec(1usize..3000, 1..16),
        block_size in 1usize..600,
        blocks in 1usize..10,
        consumers in 1usize..=4,
        stalls in prop::collection::vec(prop::collection::vec(0u64..300, 1..8), 4),
        high in 0u8..=100,
        low in 0u8..=100,
        use_reader in any::<bool>(),
    ) {
        let input: Vec<u8> = (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect();
        let cfg = Config::new(block_size, blocks)
            .consumers(consumers)
            .high_watermark(high)
            .low_watermark(low);
        let (mut p, cs) = buffer(cfg).unwrap();
        let handles: Vec<_> = cs
            .into_iter()
            .zip(stalls)
            .map(|(mut c, stall)| {
                thread::spawn(move || {
                    let mut writes = Vec::new();
                    while let Some(b) = c.next_block().unwrap() {
                        writes.push(b.to_vec());
                        let us = stall[writes.len() % stall.len()];
                        if us > 150 {
                            thread::sleep(Duration::from_micros(us));
                        }
                    }
                    writes
                })
            })
            .collect();
        if use_reader {
            let mut r = Chunked { data: &input, sizes: chunks, next: 0 };
            prop_assert_eq!(p.copy_from(&mut r).unwrap(), len as u64);
        } else {
            let mut rest = &input[..];
            let mut i = 0;
            while !rest.is_empty() {
                let n = chunks[i % chunks.len()].min(rest.len());
                p.write_all(&rest[..n]).unwrap();
                rest = &rest[n..];
                i += 1;
            }
        }
        let stats = p.finish().unwrap();
        prop_assert_eq!(stats.bytes_in, len as u64);
        for h in handles {
            let writes = h.join().unwrap();
            if let Some((last, full)) = writes.split_last() {
                prop_assert!(full.iter().all(|w| w.len() == block_size));
                prop_assert!(!last.is_empty() && last.len() <= block_size);
            }
            prop_assert_eq!(writes.len(), len.div_ceil(block_size));
            prop_assert_eq!(writes.concat(), input.clone());
        }
    }
}
