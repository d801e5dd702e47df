//! Throughput check (not a test): writes then reads 1 GiB as 256 KiB records through
//! `Medium`, and the same through a plain file for comparison, printing MB/s.
//!
//! `cargo run --release -p vtape --example medium_bench [DIR] [MiB]`

use std::fs::File;
use std::io::{Read, Write};
use std::time::Instant;

use vtape::medium::{Generation, Medium, MediumConfig};

const RECORD: usize = 256 * 1024;

fn rate(bytes: u64, secs: f64) -> f64 {
    bytes as f64 / secs / 1e6
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let mib: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1024);
    let records = mib * (1 << 20) / RECORD as u64;
    let total = records * RECORD as u64;
    let data: Vec<u8> = (0..RECORD).map(|i| (i * 31 % 251) as u8).collect();
    let mut buf = vec![0u8; RECORD];

    let plain = dir.join("medium_bench.plain");
    let t = Instant::now();
    let mut f = File::create(&plain)?;
    for _ in 0..records {
        f.write_all(&data)?;
    }
    f.sync_data()?;
    let plain_w = rate(total, t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut f = File::open(&plain)?;
    for _ in 0..records {
        f.read_exact(&mut buf)?;
    }
    let plain_r = rate(total, t.elapsed().as_secs_f64());
    std::fs::remove_file(&plain)?;

    let path = dir.join("medium_bench.vtape");
    let cfg = MediumConfig::new(Generation::Lto9);
    let t = Instant::now();
    let mut m = Medium::create(&path, &cfg)?;
    for n in 0..records {
        m.write_record(0, n, &data, &[])?;
    }
    m.close()?;
    let med_w = rate(total, t.elapsed().as_secs_f64());
    let t = Instant::now();
    let m = Medium::open(&path)?;
    for n in 0..records {
        m.read_record(0, n, &mut buf)?;
    }
    let med_r = rate(total, t.elapsed().as_secs_f64());
    drop(m);
    std::fs::remove_file(&path)?;

    println!("{mib} MiB in {RECORD}-byte records");
    println!("plain file: write {plain_w:.0} MB/s, read {plain_r:.0} MB/s");
    println!(
        "medium:     write {med_w:.0} MB/s ({:.2}x), read {med_r:.0} MB/s ({:.2}x)",
        med_w / plain_w,
        med_r / plain_r
    );
    Ok(())
}
