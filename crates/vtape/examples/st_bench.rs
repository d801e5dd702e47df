//! Throughput of the st emulation against dd, in one run (not a test).
//!
//! Writes then reads N GiB of 256 KiB records through `VirtualTape` (the in-process st
//! driver over a `Drive` and a `.vtape` file) and runs `dd bs=256k` of the same bytes to and
//! from a plain file in the same directory. The bytes are one pseudo-random 256 KiB pattern
//! repeated (nothing a zero-detecting path could shortcut); dd copies them from a source file
//! made once (`dd if=SOURCE of=TARGET bs=256k conv=fdatasync`, then `dd if=TARGET
//! of=/dev/null bs=256k`), vtape writes the pattern from memory and checks every record it
//! reads back (in an untimed pass after the first timed read). Both write phases end with `fdatasync` (vtape's close syncs the medium);
//! nothing is dropped from caches. Repetitions are interleaved (dd, vtape, dd, vtape, …);
//! the medians and the ratios vtape/dd are printed, then PASS or FAIL against 0.7 for both.
//!
//! `cargo run --release -p vtape --example st_bench -- [DIR] [GiB=4] [REPS=5]`

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use tape_io::{OpenMode, ReadOutcome, Tape, WriteOutcome};
use vtape::medium::{Generation, Medium, MediumConfig};
use vtape::st::VirtualTape;

const RECORD: usize = 256 * 1024;
/// The acceptance threshold for vtape/dd.
const THRESHOLD: f64 = 0.7;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// One 256 KiB block of xorshift64 output (fixed seed).
fn pattern() -> Vec<u8> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut v = Vec::with_capacity(RECORD);
    while v.len() < RECORD {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v
}

fn vtape_write(path: &Path, records: u64, data: &[u8]) -> Res<f64> {
    let cfg = MediumConfig::new(Generation::Lto6);
    Medium::create(path, &cfg)?.close()?;
    let t0 = Instant::now();
    let mode = OpenMode {
        write: true,
        nonblock: false,
    };
    let mut tape = VirtualTape::open(path, mode)?;
    for _ in 0..records {
        match tape.write_record(data)? {
            WriteOutcome::Written(_) => {}
            other => return Err(format!("unexpected write outcome {other:?}").into()),
        }
    }
    tape.close()?;
    Ok(t0.elapsed().as_secs_f64())
}

/// Reads every record back and compares it with the pattern (untimed).
fn vtape_verify(path: &Path, records: u64, buf: &mut [u8], expect: &[u8]) -> Res<()> {
    let mut tape = VirtualTape::open(path, OpenMode::default())?;
    tape.rewind()?;
    let mut n = 0u64;
    while let ReadOutcome::Data(len) = tape.read_record(buf)? {
        if buf.get(..len) != Some(expect) {
            return Err(format!("record {n}: content differs from what was written").into());
        }
        n += 1;
    }
    tape.close()?;
    if n != records {
        return Err(format!("verify: read {n} records, wrote {records}").into());
    }
    Ok(())
}

fn vtape_read(path: &Path, records: u64, buf: &mut [u8]) -> Res<f64> {
    let t0 = Instant::now();
    let mut tape = VirtualTape::open(path, OpenMode::default())?;
    tape.rewind()?;
    let mut n = 0u64;
    while let ReadOutcome::Data(len) = tape.read_record(buf)? {
        if len != RECORD {
            return Err(format!("record {n}: wrong length {len}").into());
        }
        n += 1;
    }
    tape.close()?;
    let secs = t0.elapsed().as_secs_f64();
    if n != records {
        return Err(format!("read {n} records, wrote {records}").into());
    }
    Ok(secs)
}

fn dd(args: &[String]) -> Res<f64> {
    let t0 = Instant::now();
    let out = Command::new("dd").args(args).output()?;
    let secs = t0.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(format!("dd failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(secs)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() -> Res<()> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let gib: f64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(4.0);
    let reps: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(5);
    let records = (gib * f64::from(1u32 << 30) / RECORD as f64) as u64;
    let total = records * RECORD as u64;
    let data = pattern();
    let mut buf = vec![0u8; RECORD];
    let tape = dir.join("st_bench.vtape");
    let source = dir.join("st_bench.source");
    let plain = dir.join("st_bench.plain");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&source)?);
        for _ in 0..records {
            f.write_all(&data)?;
        }
        f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    }
    let dd_w: Vec<String> = vec![
        format!("if={}", source.display()),
        format!("of={}", plain.display()),
        "bs=256k".into(),
        "conv=fdatasync".into(),
    ];
    let dd_r: Vec<String> = vec![
        format!("if={}", plain.display()),
        "of=/dev/null".into(),
        "bs=256k".into(),
    ];
    println!("dd write: dd {}", dd_w.join(" "));
    println!("dd read:  dd {}", dd_r.join(" "));
    let (mut vw, mut vr, mut dw, mut dr) = (vec![], vec![], vec![], vec![]);
    for rep in 0..reps {
        let _ = std::fs::remove_file(&plain);
        dw.push(dd(&dd_w)?);
        vw.push(vtape_write(&tape, records, &data)?);
        dr.push(dd(&dd_r)?);
        vr.push(vtape_read(&tape, records, &mut buf)?);
        if rep == 0 {
            vtape_verify(&tape, records, &mut buf, &data)?;
        }
        println!(
            "rep {rep}: dd write {:.3}s read {:.3}s | vtape write {:.3}s read {:.3}s",
            dw[rep], dr[rep], vw[rep], vr[rep]
        );
    }
    let mb = total as f64 / 1e6;
    let (vw, vr, dw, dr) = (
        mb / median(&mut vw),
        mb / median(&mut vr),
        mb / median(&mut dw),
        mb / median(&mut dr),
    );
    println!(
        "{} MiB in 256 KiB records, {reps} repetitions, medians:",
        total >> 20
    );
    let (rw, rr) = (vw / dw, vr / dr);
    println!("write: vtape {vw:.0} MB/s, dd {dw:.0} MB/s, ratio {rw:.2}");
    println!("read:  vtape {vr:.0} MB/s, dd {dr:.0} MB/s, ratio {rr:.2}");
    let verdict = if rw >= THRESHOLD && rr >= THRESHOLD {
        "PASS"
    } else {
        "FAIL"
    };
    println!("{verdict}: write {rw:.2}, read {rr:.2} (threshold {THRESHOLD})");
    for p in [&tape, &source, &plain] {
        let _ = std::fs::remove_file(p);
    }
    Ok(())
}
