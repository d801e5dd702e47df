//! `mt -f t.vtape CMD`: every mt command an LTO drive supports, each in its own process as a
//! script would run them, on the in-process emulated drive. Expected results are what st(4)
//! reports on a real drive (reference/st-driver.md: file/block bookkeeping, GMT bits, the
//! partition in mt_resid, the options that gate partition commands), written out by hand.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use tape_io::{OpenMode, Tape};
use vtape::medium::{Generation, Medium, MediumConfig};
use vtape::st::VirtualTape;

fn mt(dev: &Path, args: &str) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mt"))
        .arg("-f")
        .arg(dev)
        .args(args.split_whitespace())
        .env_remove("TAPE")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn ok(dev: &Path, args: &str) -> String {
    let (code, out, err) = mt(dev, args);
    assert_eq!((code, err.as_str()), (0, ""), "mt {args}");
    out
}

/// The `mt status` text of an LTO-6 (density 0x5a) SCSI-2 drive in variable-block mode.
fn status(file: i32, block: i32, part: u8, bits: &str) -> String {
    let (gstat, names) = match bits {
        "BOT" => ("41010000", " BOT ONLINE IM_REP_EN"),
        "EOF" => ("81010000", " EOF ONLINE IM_REP_EN"),
        "EOD" => ("9010000", " EOD ONLINE IM_REP_EN"),
        "" => ("1010000", " ONLINE IM_REP_EN"),
        other => unreachable!("no such case {other}"),
    };
    format!(
        "SCSI 2 tape drive:\nFile number={file}, block number={block}, partition={part}.\n\
         Tape block size 0 bytes. Density code 0x5a (LTO-6).\n\
         Soft error count since last status=0\nGeneral status bits on ({gstat}):\n{names}\n"
    )
}

/// A 64 MiB LTO-6 cartridge holding three files of four records each.
fn cartridge(dir: &tempfile::TempDir) -> PathBuf {
    let p = dir.path().join("t.vtape");
    let cfg = MediumConfig::new(Generation::Lto6).with_capacity(64 << 20);
    Medium::create(&p, &cfg).unwrap().close().unwrap();
    let mode = OpenMode {
        write: true,
        nonblock: false,
    };
    let mut t = VirtualTape::open(&p, mode).unwrap();
    for f in 0..3u8 {
        for r in 0..4u8 {
            t.write_record(&vec![f * 16 + r; 1000 + usize::from(r)])
                .unwrap();
        }
        t.write_filemarks(1).unwrap();
    }
    t.close().unwrap();
    p
}

#[test]
fn positioning_survives_between_processes() {
    let dir = tempfile::tempdir().unwrap();
    let t = cartridge(&dir);
    ok(&t, "rewind");
    assert_eq!(ok(&t, "status"), status(0, 0, 0, "BOT"));
    ok(&t, "fsf 2");
    assert_eq!(ok(&t, "status"), status(2, 0, 0, "EOF"));
    // Two files of four records and a filemark each: logical object 10.
    assert_eq!(ok(&t, "tell"), "At block 10.\n");
    ok(&t, "fsr 1");
    assert_eq!(ok(&t, "status"), status(2, 1, 0, ""));
    ok(&t, "bsr 1");
    assert_eq!(ok(&t, "status"), status(2, 0, 0, "EOF"));
    // MTBSF leaves the tape before the filemark: the block number is unknown.
    ok(&t, "bsf 1");
    assert_eq!(ok(&t, "status"), status(1, -1, 0, ""));
    ok(&t, "asf 1");
    assert_eq!(ok(&t, "status"), status(1, 0, 0, "EOF"));
    ok(&t, "fsfm 1");
    assert_eq!(ok(&t, "tell"), "At block 9.\n");
    ok(&t, "bsfm 1");
    assert_eq!(ok(&t, "tell"), "At block 5.\n");
    ok(&t, "seek 6");
    assert_eq!(ok(&t, "tell"), "At block 6.\n");
    // After MTSEEK st no longer knows the file number; from BOT it counts again.
    assert!(ok(&t, "status").contains("File number=-1, block number=-1,"));
    ok(&t, "rewind");
    ok(&t, "eod");
    assert_eq!(ok(&t, "tell"), "At block 15.\n");
    let st = ok(&t, "status");
    assert!(st.contains("File number=3,"), "{st}");
    assert!(st.ends_with(" EOD ONLINE IM_REP_EN\n"), "{st}");
}

#[test]
fn writing_erasing_and_drive_settings() {
    let dir = tempfile::tempdir().unwrap();
    let t = cartridge(&dir);
    ok(&t, "asf 1");
    // Writing in the middle discards what follows: two filemarks now end file 1 and 2.
    ok(&t, "weof 2");
    assert_eq!(ok(&t, "status"), status(3, 0, 0, "EOF"));
    ok(&t, "eod");
    assert_eq!(ok(&t, "tell"), "At block 7.\n");
    ok(&t, "setblk 512");
    assert!(ok(&t, "status").contains("Tape block size 512 bytes."));
    ok(&t, "setblk 0");
    ok(&t, "compression 1");
    ok(&t, "compression 0");
    ok(&t, "lock");
    ok(&t, "unlock");
    ok(&t, "retension");
    ok(&t, "rewind");
    ok(&t, "erase");
    assert_eq!(ok(&t, "status"), status(0, 0, 0, "BOT"));
    ok(&t, "eod");
    assert_eq!(ok(&t, "tell"), "At block 0.\n");
    // LTO has no setmarks: the drive refuses, st answers EIO, mt exits 2.
    let (code, _, err) = mt(&t, "wset 1");
    assert_eq!(
        (code, err.as_str()),
        (2, format!("{}: Input/output error\n", t.display()).as_str())
    );
}

#[test]
fn unload_load_and_partitions() {
    let dir = tempfile::tempdir().unwrap();
    let t = cartridge(&dir);
    ok(&t, "offline");
    let st = ok(&t, "status");
    assert!(
        st.contains("File number=-1, block number=-1, partition=0."),
        "{st}"
    );
    assert!(
        st.ends_with("General status bits on (50000):\n DR_OPEN IM_REP_EN\n"),
        "{st}"
    );
    ok(&t, "load");
    assert_eq!(ok(&t, "status"), status(0, 0, 0, "BOT"));
    // st refuses partition commands until the can-partitions option is set.
    let (code, _, err) = mt(&t, "setpartition 1");
    assert_eq!(
        (code, err.as_str()),
        (2, format!("{}: Invalid argument\n", t.display()).as_str())
    );
    ok(&t, "stsetoptions can-partitions");
    ok(&t, "mkpartition 20");
    ok(&t, "setpartition 1");
    assert_eq!(ok(&t, "status"), status(0, 0, 1, "BOT"));
    ok(&t, "weof 1");
    assert_eq!(ok(&t, "status"), status(1, 0, 1, "EOF"));
    ok(&t, "partseek 0 0");
    assert_eq!(ok(&t, "status"), status(0, 0, 0, "BOT"));
}

#[test]
fn json_log_pages_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let t = cartridge(&dir);
    let v: serde_json::Value = serde_json::from_str(&ok(&t, "status --json")).unwrap();
    assert_eq!(v["density"]["code"], 0x5a);
    assert_eq!(v["online"], true);
    assert_eq!(ok(&t, "tapealert"), "No TapeAlert flags set.\n");
    assert!(ok(&t, "volstats").contains("Volume mounts: "));
    // A regular file without the vtape header: mt-st opens it and its ioctl fails (exit 2).
    let plain = dir.path().join("plain");
    std::fs::write(&plain, b"not a tape").unwrap();
    let (code, _, err) = mt(&plain, "status");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!("{}: Inappropriate ioctl for device\n", plain.display())
    );
    // Held by another process: EBUSY, as a second open of /dev/nst0 gives.
    let _held = VirtualTape::open(&t, OpenMode::default()).unwrap();
    let (code, _, err) = mt(&t, "status");
    assert_eq!(code, 1);
    assert_eq!(err, format!("{}: Device or resource busy\n", t.display()));
}
