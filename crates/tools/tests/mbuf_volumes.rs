//! Multi-volume output (reference/mbuffer.md §1 `-D`/`-A`, §4, §5): `-D` on a regular file with
//! an `-A` command that saves each full volume (each volume overwrites the same file; the saved
//! volumes concatenated equal the input), side by side with mbuffer; `-A` failing and `-D`
//! without a TTY or `-A` give exit 1; and on a small-capacity `.vtape` (mbuf writes it through
//! the emulated st driver): end of medium changes the volume, the volumes' records
//! concatenated equal the input, and every record is exactly one block except the last.
//!
//! Runs are started under `setsid` so that no controlling terminal exists (§3: mbuffer opens
//! /dev/tty otherwise and would prompt).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod mbuf_common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use mbuf_common::{bin, data, has_kind, is_reference, mbuffer, read, run_in, s, tmp, Input, Run};
use tape_io::{OpenMode, ReadOutcome, Tape};
use vtape::st::VirtualTape;

/// `setsid BIN args` (no controlling terminal).
fn run_nottty(b: &Path, args: &[&str], input: Input, dir: &Path) -> Run {
    let mut a: Vec<&str> = vec![s(b)];
    a.extend_from_slice(args);
    run_in(Path::new("setsid"), &a, input, dir)
}

/// A script (sh) in `dir` named `name`, executable.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{body}")).expect("write script");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    p
}

/// `-D 1M -A save.sh -o out` with 3.5 MiB: volumes of 1 MiB are saved by the script; the
/// saved ones plus the last file equal the input.
fn file_volumes(b: &Path) {
    let dir = tmp();
    let d = dir.path();
    let save = script(
        d,
        "save.sh",
        &format!(
            "n=$(cat {d}/count 2>/dev/null || echo 0); n=$((n+1)); echo $n >{d}/count\ncp {d}/out {d}/vol$n\n",
            d = s(d)
        ),
    );
    let input = data(31, 3 * (1 << 20) + 512 * 1024 + 7);
    let r = run_nottty(
        b,
        &[
            "-q",
            "-s",
            "64k",
            "-m",
            "1M",
            "-D",
            "1M",
            "-A",
            s(&save),
            "-o",
            "out",
        ],
        Input::Chunked(input.clone(), 31),
        d,
    );
    assert_eq!(r.code, Some(0), "{b:?}: {}", r.err);
    let mut all = Vec::new();
    let mut n = 1;
    while d.join(format!("vol{n}")).exists() {
        let v = read(&d.join(format!("vol{n}")));
        assert_eq!(v.len(), 1 << 20, "{b:?}: volume {n} size");
        all.extend(v);
        n += 1;
    }
    assert_eq!(n - 1, 3, "{b:?}: volume changes");
    all.extend(read(&d.join("out")));
    assert!(
        all == input,
        "{b:?}: volumes concatenated: {} bytes of {}",
        all.len(),
        input.len()
    );
}

#[test]
fn volume_size_on_a_file_with_autoloader_command() {
    file_volumes(&bin());
}

#[test]
fn volume_size_on_a_file_mbuffer_reference() {
    if let Some(m) = mbuffer() {
        file_volumes(&m);
    }
}

/// §4: the `-A` command exits non-zero → exit 1; and `-D` with no TTY and no `-A` → exit 1.
#[test]
fn failing_autoloader_and_missing_autoloader_exit_1() {
    let mut bins = vec![bin()];
    bins.extend(mbuffer());
    for b in bins {
        let dir = tmp();
        let input = data(32, 3 << 20);
        let r = run_nottty(
            &b,
            &[
                "-q",
                "-s",
                "64k",
                "-m",
                "1M",
                "-D",
                "1M",
                "-A",
                "/bin/false",
                "-o",
                "out",
            ],
            Input::Bytes(input.clone()),
            dir.path(),
        );
        assert_eq!(r.code, Some(1), "{b:?} -A false: {}", r.err);
        assert!(has_kind(&r.err, "error"), "{b:?} -A false: {}", r.err);
        let r = run_nottty(
            &b,
            &["-q", "-s", "64k", "-m", "1M", "-D", "1M", "-o", "out2"],
            Input::Bytes(input),
            dir.path(),
        );
        assert_eq!(r.code, Some(1), "{b:?} no -A: {}", r.err);
        assert!(has_kind(&r.err, "error"), "{b:?} no -A: {}", r.err);
        // mbuffer: "End of volume, but not end of input." — the first volume was written whole.
        assert_eq!(read(&dir.path().join("out2")).len(), 1 << 20, "{b:?}");
    }
}

/// §5 / the mbuf contract: `-D`/`-A` with several outputs is fatal. (mbuffer R20230301, measured,
/// does NOT refuse it: with 3 MiB in, `-D 1M -A /bin/true -o a -o b` exits 0 with all of `a` and
/// only the first 1 MiB in `b` — silent data loss; so this part is mbuf only.)
#[test]
fn multi_volume_with_several_outputs_is_fatal() {
    if is_reference() {
        return;
    }
    let dir = tmp();
    let r = run_nottty(
        &bin(),
        &[
            "-q",
            "-s",
            "64k",
            "-m",
            "1M",
            "-D",
            "1M",
            "-A",
            "/bin/true",
            "-o",
            "a",
            "-o",
            "b",
        ],
        Input::Null,
        dir.path(),
    );
    assert_eq!(r.code, Some(1), "-D with two outputs: {}", r.err);
    assert!(has_kind(&r.err, "fatal"), "{}", r.err);
}

/// §5: `-A` with both `-i` and `-o` is fatal ("Which one is your autoloader?").
#[test]
fn autoloader_with_input_and_output_file_is_fatal() {
    let mut bins = vec![bin()];
    bins.extend(mbuffer());
    for b in bins {
        let dir = tmp();
        std::fs::write(dir.path().join("in"), b"abc").expect("write");
        let r = run_nottty(
            &b,
            &["-q", "-A", "/bin/true", "-i", "in", "-o", "c"],
            Input::Null,
            dir.path(),
        );
        assert_eq!(r.code, Some(1), "{b:?} -A with -i and -o: {}", r.err);
        assert!(has_kind(&r.err, "fatal"), "{b:?}: {}", r.err);
    }
}

fn vtape_create(path: &Path, capacity: &str) {
    let st = Command::new(env!("CARGO_BIN_EXE_vtape"))
        .args(["create", s(path), "--capacity", capacity])
        .status()
        .expect("vtape create");
    assert!(st.success(), "vtape create {path:?}");
}

/// Every record of the first file of a cartridge (read from BOT up to the filemark / EOD).
fn records(path: &Path) -> Vec<Vec<u8>> {
    let mut t = VirtualTape::open(
        path,
        OpenMode {
            write: false,
            nonblock: false,
        },
    )
    .unwrap_or_else(|e| panic!("open {path:?}: {e}"));
    t.rewind().expect("rewind");
    let mut buf = vec![0u8; 4 << 20];
    let mut out = Vec::new();
    loop {
        match t.read_record(&mut buf) {
            Ok(ReadOutcome::Data(n)) => out.push(buf[..n].to_vec()),
            Ok(ReadOutcome::Filemark | ReadOutcome::EndOfData) => break,
            Err(e) => panic!("read {path:?}: {e}"),
        }
    }
    out
}

/// 10 MiB onto 4 MiB cartridges, 64 KiB blocks, the `-A` script saves the full cartridge and
/// loads a blank one under the same name.
fn vtape_volumes(extra: &[&str]) {
    if is_reference() {
        eprintln!("skipped: mbuffer cannot write a .vtape");
        return;
    }
    let dir = tmp();
    let d = dir.path();
    let tape = d.join("t.vtape");
    vtape_create(&tape, "4M");
    let change = script(
        d,
        "change.sh",
        &format!(
            "n=$(cat {d}/count 2>/dev/null || echo 0); n=$((n+1)); echo $n >{d}/count\n\
             mv {d}/t.vtape {d}/vol$n.vtape && exec {vt} create {d}/t.vtape --capacity 4M\n",
            d = s(d),
            vt = env!("CARGO_BIN_EXE_vtape")
        ),
    );
    let input = data(33, 10 * (1 << 20) + 12345);
    let mut args = vec!["-q", "-s", "64k", "-m", "1M"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-A", s(&change), "-f", "-o", s(&tape)]);
    let r = run_nottty(&bin(), &args, Input::Chunked(input.clone(), 33), d);
    assert_eq!(r.code, Some(0), "{args:?}: {}", r.err);
    let mut vols: Vec<PathBuf> = Vec::new();
    let mut n = 1;
    while d.join(format!("vol{n}.vtape")).exists() {
        vols.push(d.join(format!("vol{n}.vtape")));
        n += 1;
    }
    vols.push(tape);
    assert!(
        vols.len() >= 3,
        "10 MiB on 4 MiB cartridges needs at least 3 volumes, got {}",
        vols.len()
    );
    let mut all = Vec::new();
    let mut recs = Vec::new();
    for v in &vols {
        for rec in records(v) {
            all.extend_from_slice(&rec);
            recs.push(rec.len());
        }
    }
    assert!(
        all == input,
        "{extra:?}: volumes concatenated: {} bytes of {}",
        all.len(),
        input.len()
    );
    // Reblocking (§6): every record one block, the last one the rest.
    let (last, whole) = recs.split_last().expect("records");
    assert!(whole.iter().all(|&n| n == 65536), "record sizes {recs:?}");
    assert_eq!(*last, 12345, "last record");
}

#[test]
fn vtape_end_of_medium_changes_volume() {
    vtape_volumes(&[]);
}

#[test]
fn vtape_end_of_medium_changes_volume_tapeaware() {
    vtape_volumes(&["--tapeaware"]);
}

/// `-D` smaller than the cartridge on a `.vtape`: volume change after each 2 MiB.
#[test]
fn vtape_volume_size() {
    vtape_volumes(&["-D", "2M"]);
}
