//! Throughput of the st emulation against dd, in one run (not a test).
//!
//! Writes then reads N GiB of 256 KiB records through `VirtualTape` (the in-process st
//! driver over a `Drive` and a `.vtape` file) and runs `dd bs=256k` of the same amount to and
//! from a plain file in the same directory, several repetitions, then prints medians and the
//! ratio vtape/dd. Same conditions for both: the data come from memory (dd reads
//! `/dev/zero`; vtape writes a zeroed buffer), nothing is dropped from caches, and both write
//! phases end with `fdatasync` (vtape's close syncs the medium; dd gets `conv=fdatasync`).
//!
//! `cargo run --release -p vtape --example st_bench -- [DIR] [GiB=4] [REPS=3]`

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use tape_io::{OpenMode, ReadOutcome, Tape, WriteOutcome};
use vtape::medium::{Generation, Medium, MediumConfig};
use vtape::st::VirtualTape;

const RECORD: usize = 256 * 1024;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

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

fn vtape_read(path: &Path, records: u64, buf: &mut [u8]) -> Res<f64> {
    let t0 = Instant::now();
    let mut tape = VirtualTape::open(path, OpenMode::default())?;
    tape.rewind()?;
    let mut n = 0u64;
    while let ReadOutcome::Data(len) = tape.read_record(buf)? {
        if len != RECORD {
            return Err(format!("short record {len}").into());
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
    let reps: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(3);
    let records = (gib * f64::from(1u32 << 30) / RECORD as f64) as u64;
    let total = records * RECORD as u64;
    let data = vec![0u8; RECORD];
    let mut buf = vec![0u8; RECORD];
    let tape = dir.join("st_bench.vtape");
    let plain = dir.join("st_bench.plain");
    let of = format!("of={}", plain.display());
    let dd_w: Vec<String> = vec![
        "if=/dev/zero".into(),
        of,
        "bs=256k".into(),
        format!("count={records}"),
        "conv=fdatasync".into(),
    ];
    let dd_r: Vec<String> = vec![
        format!("if={}", plain.display()),
        "of=/dev/null".into(),
        "bs=256k".into(),
    ];
    let (mut vw, mut vr, mut dw, mut dr) = (vec![], vec![], vec![], vec![]);
    for rep in 0..reps {
        vw.push(vtape_write(&tape, records, &data)?);
        dw.push(dd(&dd_w)?);
        vr.push(vtape_read(&tape, records, &mut buf)?);
        dr.push(dd(&dd_r)?);
        println!(
            "rep {rep}: vtape write {:.2}s read {:.2}s | dd write {:.2}s read {:.2}s",
            vw[rep], vr[rep], dw[rep], dr[rep]
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
    println!(
        "write: vtape {vw:.0} MB/s, dd {dw:.0} MB/s, ratio {:.2}",
        vw / dw
    );
    println!(
        "read:  vtape {vr:.0} MB/s, dd {dr:.0} MB/s, ratio {:.2}",
        vr / dr
    );
    let _ = std::fs::remove_file(&tape);
    let _ = std::fs::remove_file(&plain);
    Ok(())
}
