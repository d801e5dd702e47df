//! Property test of the whole binary (issue 7 acceptance): random input chunk sizes written by a
//! feeder with random pauses, 1 to 4 outputs (plain files, FIFOs read slowly with random stalls,
//! stdout read slowly), random block size / buffer geometry and watermarks: every output is
//! byte-identical to the input and the exit code is 0 (reference/mbuffer.md §1 `-o` repeatable,
//! §6 fan-out: "the slowest sets the pace; a block is freed after every output wrote it").
//!
//! The same test passes against mbuffer R20230301 (`MBUF_TEST_BIN=/usr/bin/mbuffer`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod mbuf_common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::JoinHandle;
use std::time::Duration;

use mbuf_common::{bin, data, drain, feed, read, s, tmp, wait_for, Input, Rng};
use proptest::prelude::*;

/// One output of a case.
#[derive(Debug, Clone, Copy)]
enum Out {
    /// A plain file.
    File,
    /// A FIFO read by the test with random stalls (up to `stall_us` per read).
    SlowFifo { stall_us: u64 },
    /// `-o -`, read by the test with random stalls.
    SlowStdout { stall_us: u64 },
}

fn mkfifo(p: &Path) {
    let st = Command::new("mkfifo").arg(p).status().expect("mkfifo");
    assert!(st.success(), "mkfifo {p:?}");
}

/// Reads `r` to the end in random pieces with random stalls.
fn slow_reader<R: Read + Send + 'static>(
    mut r: R,
    seed: u64,
    stall_us: u64,
) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut rng = Rng::new(seed);
        let mut got = Vec::new();
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let want = 1 + rng.below(buf.len() as u64) as usize;
            match r.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
            if stall_us > 0 && rng.below(4) == 0 {
                std::thread::sleep(Duration::from_micros(rng.below(stall_us)));
            }
        }
        got
    })
}

/// Runs one case; returns a description of the first difference, if any.
fn case(
    len: usize,
    seed: u64,
    geometry: &[&str],
    watermark: &[&str],
    outs: &[Out],
    direct_off: bool,
) -> Result<(), String> {
    let dir = tmp();
    let input = data(seed, len);
    // `--no-direct`: mbuffer opens outputs with O_DIRECT by default, which turns a FIFO into a
    // packet-mode pipe (pipe(7)): a reader asking for less than one block loses the rest of it
    // (measured with R20230301). mbuf never uses O_DIRECT; see `fifo_without_no_direct` below.
    let mut args: Vec<String> = vec!["-q".into()];
    if direct_off {
        args.push("--no-direct".into());
    }
    args.extend(geometry.iter().map(|a| (*a).to_string()));
    args.extend(watermark.iter().map(|a| (*a).to_string()));
    let mut files: Vec<(usize, PathBuf)> = Vec::new();
    let mut fifo_readers: Vec<(usize, JoinHandle<Vec<u8>>)> = Vec::new();
    let mut stdout_stall = None;
    for (i, o) in outs.iter().enumerate() {
        let p = dir.path().join(format!("out{i}"));
        match *o {
            Out::File => files.push((i, p.clone())),
            Out::SlowFifo { stall_us } => {
                mkfifo(&p);
                // open() blocks until the writer opens its end: do it in the reader thread.
                let p2 = p.clone();
                let h = std::thread::spawn(move || match std::fs::File::open(&p2) {
                    Ok(f) => slow_reader(f, seed ^ i as u64, stall_us)
                        .join()
                        .unwrap_or_default(),
                    Err(_) => Vec::new(),
                });
                fifo_readers.push((i, h));
            }
            Out::SlowStdout { stall_us } => {
                stdout_stall = Some(stall_us);
                args.push("-o".into());
                args.push("-".into());
                continue;
            }
        }
        // mbuffer's `-f` applies to the next `-o` only (measured), so each file gets one.
        args.push("-f".into());
        args.push("-o".into());
        args.push(s(&p).to_string());
    }
    let mut child = Command::new(bin())
        .args(&args)
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn: {e}"))?;
    let feeder = feed(
        child.stdin.take().expect("stdin"),
        Input::Chunked(input.clone(), seed),
    );
    let stdout = child.stdout.take().expect("stdout");
    let out_reader = match stdout_stall {
        Some(st) => slow_reader(stdout, seed ^ 0xABCD, st),
        None => drain(stdout),
    };
    let err = drain(child.stderr.take().expect("stderr"));
    let status = wait_for(&mut child, Duration::from_secs(60), &format!("{args:?}"));
    let _ = feeder.join();
    let err = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
    if status.code() != Some(0) {
        return Err(format!("{args:?}: exit {status:?}, stderr: {err}"));
    }
    let stdout_bytes = out_reader.join().unwrap_or_default();
    if stdout_stall.is_some() && stdout_bytes != input {
        return Err(format!(
            "{args:?}: stdout has {} bytes, input {}",
            stdout_bytes.len(),
            input.len()
        ));
    }
    for (i, h) in fifo_readers {
        let got = h.join().unwrap_or_default();
        if got != input {
            return Err(format!(
                "{args:?}: fifo out{i} has {} bytes, input {}",
                got.len(),
                input.len()
            ));
        }
    }
    for (i, p) in files {
        let got = read(&p);
        if got != input {
            return Err(format!(
                "{args:?}: file out{i} has {} bytes, input {}",
                got.len(),
                input.len()
            ));
        }
    }
    Ok(())
}

fn out_strategy() -> impl Strategy<Value = Out> {
    prop_oneof![
        Just(Out::File),
        (0u64..3000).prop_map(|stall_us| Out::SlowFifo { stall_us }),
        (0u64..3000).prop_map(|stall_us| Out::SlowStdout { stall_us }),
    ]
}

/// Geometry choices: any two of -s/-m/-b (§1), including an odd block size.
const GEOMETRIES: [&[&str]; 5] = [
    &["-s", "4k", "-m", "64k"],
    &["-s64k", "-m1M"],
    &["-s", "128k", "-b", "8"],
    &["-s", "1000b", "-m", "20000b"],
    &["-m", "2M", "-b", "16"],
];

/// Watermark choices (§1 `-P`/`-p`).
const WATERMARKS: [&[&str]; 4] = [&[], &["-P", "80"], &["-P", "100"], &["-p", "20"]];

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_output_is_byte_identical_to_the_input(
        len in prop_oneof![0usize..3, 1usize..300_000, 300_000usize..3_000_000],
        seed in any::<u64>(),
        g in 0usize..GEOMETRIES.len(),
        w in 0usize..WATERMARKS.len(),
        outs in proptest::collection::vec(out_strategy(), 1..=4),
    ) {
        // At most one stdout output: mbuffer writes every `-o -` to the same fd.
        let mut seen_stdout = false;
        let outs: Vec<Out> = outs.into_iter().map(|o| match o {
            Out::SlowStdout { .. } if seen_stdout => Out::File,
            Out::SlowStdout { .. } => { seen_stdout = true; o }
            other => other,
        }).collect();
        // mbuffer R20230301 deadlocks (all threads in futex wait, nothing written) with `-P`
        // and more than one output in about half the runs (measured: 2 outputs, 1 MB, -P 100:
        // 4 hangs in 5). mbuf must not; the reference run leaves that combination out.
        let w = if mbuf_common::is_reference() && outs.len() > 1 && WATERMARKS[w].first() == Some(&"-P") { 0 } else { w };
        let r = case(len, seed, GEOMETRIES[g], WATERMARKS[w], &outs, true);
        prop_assert!(r.is_ok(), "{}", r.err().unwrap_or_default());
    }
}

/// Four slow FIFOs of different speeds behind a small ring with a high watermark: the buffer
/// runs empty and full many times, and every reader still gets every byte. (mbuffer
/// R20230301 often deadlocks here: `-P` with fan-out, see above; skipped for the reference.)
#[test]
fn four_slow_outputs_with_high_watermark() {
    if mbuf_common::is_reference() {
        eprintln!("skipped: mbuffer deadlocks with -P and several outputs");
        return;
    }
    let outs = [
        Out::SlowFifo { stall_us: 2000 },
        Out::SlowFifo { stall_us: 200 },
        Out::File,
        Out::SlowStdout { stall_us: 1000 },
    ];
    case(
        6 << 20,
        7,
        &["-s", "32k", "-m", "256k"],
        &["-P", "60"],
        &outs,
        true,
    )
    .unwrap();
}

/// Default output is stdout (no `-o`): the stream arrives unchanged.
#[test]
fn no_output_option_means_stdout() {
    let dir = tmp();
    let input = data(3, 1_234_567);
    let r = mbuf_common::run_in(
        &bin(),
        &["-q", "-s", "64k", "-m", "1M"],
        Input::Chunked(input.clone(), 3),
        dir.path(),
    );
    assert_eq!(r.code, Some(0), "{}", r.err);
    assert!(
        r.out == input,
        "stdout: {} bytes, input {}",
        r.out.len(),
        input.len()
    );
}

/// Without `--no-direct` a slow FIFO reader reading small pieces still gets every byte: mbuf
/// does not open outputs with O_DIRECT (reference/mbuffer.md §7 #9). mbuffer R20230301 fails
/// this (its O_DIRECT pipe drops the unread part of each block), so the test skips it.
#[test]
fn fifo_without_no_direct() {
    if mbuf_common::is_reference() {
        eprintln!("skipped: mbuffer loses data here (O_DIRECT packet-mode pipe)");
        return;
    }
    let outs = [Out::File, Out::SlowFifo { stall_us: 500 }];
    case(2 << 20, 11, &["-s", "32k", "-m", "256k"], &[], &outs, false).unwrap();
}
