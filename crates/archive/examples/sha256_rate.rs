//! Single-core SHA-256 rate of the `sha2` crate as the archive writer uses it
//! (`reference/tar-format.md` §9, "Hash-rate ceiling": 1 GiB in memory hashed as
//! 1024 × `update(1 MiB)`), for `bench/tapetar.sh` when `openssl speed` is not available.
//!
//! Usage: `cargo run --release -p archive --example sha256_rate [MIB] [RUNS]` (defaults 1024
//! MiB, 3 runs). Prints the median rate in GB/s (10^9 bytes per second) alone on stdout, and
//! the runs on stderr.

use std::time::Instant;

use sha2::{Digest, Sha256};

const MIB: usize = 1 << 20;

fn arg(n: usize, default: usize) -> Result<usize, String> {
    match std::env::args().nth(n) {
        None => Ok(default),
        Some(s) => s.parse().ok().filter(|&v| v > 0).ok_or(format!(
            "argument {n}: expected a positive integer, got {s:?}"
        )),
    }
}

fn main() -> Result<(), String> {
    let mib = arg(1, 1024)?;
    let runs = arg(2, 3)?;
    let len = mib.checked_mul(MIB).ok_or("size too large")?;
    // Pseudo-random contents (xorshift64), touched once before timing.
    let mut data = vec![0u8; len];
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for chunk in data.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let bytes = x.to_le_bytes();
        chunk.copy_from_slice(bytes.get(..chunk.len()).unwrap_or(&[]));
    }
    let mut rates = Vec::with_capacity(runs);
    for run in 0..runs {
        let start = Instant::now();
        let mut hasher = Sha256::new();
        for chunk in data.chunks(MIB) {
            hasher.update(chunk);
        }
        let digest = hasher.finalize();
        let secs = start.elapsed().as_secs_f64();
        let rate = len as f64 / secs / 1e9;
        eprintln!(
            "run {}: {len} bytes in {secs:.3} s = {rate:.3} GB/s (digest {:02x}{:02x}..)",
            run + 1,
            digest.first().copied().unwrap_or(0),
            digest.get(1).copied().unwrap_or(0),
        );
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    let median = rates.get(rates.len() / 2).copied().unwrap_or(0.0);
    println!("{median:.3}");
    Ok(())
}
