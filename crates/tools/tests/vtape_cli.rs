//! The `vtape` binary end to end: create each generation, refuse to overwrite, inspect a
//! cartridge written through the emulated st driver, JSON output, write protect, damaged,
//! busy and uncleanly closed files, usage errors.
//!
//! Expected values come from the references, not from running the tool: density codes from
//! the SSC density code table (`reference/scsi.md`), native capacities from the LTO
//! Consortium, st's implicit filemark at close after a write (`reference/st-driver.md`), and
//! the medium file layout / early-warning rule documented in the `vtape` crate.
// A test reports a broken precondition (cannot run the binary, not JSON) by panicking.
#![allow(clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tape_io::{OpenMode, Tape, WriteOutcome};
use vtape::medium::{Generation, Medium, MediumConfig};
use vtape::st::VirtualTape;

const MIB: u64 = 1 << 20;

fn vtape(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_vtape"))
        .args(args)
        .output()
    {
        Ok(out) => out,
        Err(e) => panic!("cannot run vtape: {e}"),
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs vtape, expecting success; returns stdout.
fn ok(args: &[&str]) -> String {
    let o = vtape(args);
    assert_eq!(o.status.code(), Some(0), "vtape {args:?}: {}", stderr(&o));
    stdout(&o)
}

/// Runs vtape, expecting exit 1 with a `vtape: ` message and no panic; returns stderr.
fn fails(args: &[&str]) -> String {
    let o = vtape(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "vtape {args:?}: {err}");
    assert!(err.starts_with("vtape: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(stdout(&o).is_empty());
    err
}

fn json(args: &[&str]) -> Value {
    let text = ok(args);
    match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => panic!("not JSON ({e}): {text}"),
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap_or_default()
}

fn tmp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let path = dir.path().join("t.vtape");
    (dir, path)
}

fn open_rw(path: &Path) -> VirtualTape<vtape::drive::Drive> {
    VirtualTape::open(
        path,
        OpenMode {
            write: true,
            nonblock: false,
        },
    )
    .unwrap_or_else(|e| panic!("open {path:?}: {e}"))
}

fn write(tape: &mut VirtualTape<vtape::drive::Drive>, len: usize, count: usize) {
    let buf = vec![0xA5u8; len];
    for _ in 0..count {
        match tape.write_record(&buf) {
            Ok(WriteOutcome::Written(n)) => assert_eq!(n, len),
            other => panic!("write {len}: {other:?}"),
        }
    }
}

#[test]
fn each_generation_has_its_density_code_and_native_capacity() {
    // SSC density codes; LTO Consortium native capacities (decimal TB).
    let cases = [
        ("lto5", "LTO-5", 5, 0x58, 1_500_000_000_000u64),
        ("lto6", "LTO-6", 6, 0x5A, 2_500_000_000_000),
        ("lto7", "LTO-7", 7, 0x5C, 6_000_000_000_000),
        ("lto8", "LTO-8", 8, 0x5E, 12_000_000_000_000),
        ("lto9", "LTO-9", 9, 0x60, 18_000_000_000_000),
    ];
    let (dir, _) = tmp();
    for (arg, name, number, code, native) in cases {
        let path = dir.path().join(format!("{arg}.vtape"));
        ok(&["create", s(&path), "--generation", arg]);
        let info = json(&["info", s(&path), "--json"]);
        assert_eq!(info["density_code"], code, "{arg}");
        assert_eq!(info["generation"], name);
        assert_eq!(info["generation_number"], number);
        assert_eq!(info["capacity"], native);
        assert_eq!(info["partitions"][0]["capacity"], native);
        assert_eq!(info["write_protected"], false);
        assert_eq!(info["clean"], true);
        let text = ok(&["info", s(&path)]);
        assert!(text.contains(&format!("0x{code:02X}")), "{text}");
        assert!(text.contains(name), "{text}");
    }
}

#[test]
fn default_generation_is_lto9() {
    let (_dir, path) = tmp();
    ok(&["create", s(&path)]);
    let info = json(&["info", s(&path), "--json"]);
    assert_eq!(info["density_code"], 0x60);
    assert_eq!(info["partitions"].as_array().map(Vec::len), Some(1));
}

#[test]
fn refuses_to_overwrite_without_force() {
    let (_dir, path) = tmp();
    ok(&["create", s(&path), "--capacity", "64M"]);
    let mut tape = open_rw(&path);
    write(&mut tape, 1000, 2);
    assert!(tape.close().is_ok());

    let err = fails(&["create", s(&path), "--capacity", "64M"]);
    assert!(err.contains("exists") && err.contains("--force"), "{err}");
    let info = json(&["info", s(&path), "--json"]);
    assert_eq!(info["partitions"][0]["records"], 2, "file was changed");

    ok(&["create", s(&path), "--capacity", "64M", "--force"]);
    let info = json(&["info", s(&path), "--json"]);
    assert_eq!(info["partitions"][0]["records"], 0);
    assert_eq!(info["partitions"][0]["eod"], 0);
}

#[test]
fn force_refuses_a_directory() {
    let (dir, _) = tmp();
    let err = fails(&["create", s(dir.path()), "--force", "--capacity", "64M"]);
    assert!(err.contains("not a regular file"), "{err}");
}

#[test]
fn info_and_dump_show_what_was_written() {
    let (_dir, path) = tmp();
    ok(&["create", s(&path), "-g", "lto7", "--capacity", "64M"]);
    let mut tape = open_rw(&path);
    write(&mut tape, 65536, 10);
    write(&mut tape, 1024, 1);
    write(&mut tape, 17, 1);
    assert!(tape.write_filemarks(2).is_ok());
    write(&mut tape, 512, 3);
    // st writes one filemark at close after a write.
    assert!(tape.close().is_ok());

    // Objects: 12 records (0..=11), filemarks 12 and 13, 3 records (14..=16), filemark 17.
    let bytes = 10 * 65536 + 1024 + 17 + 3 * 512;
    let info = json(&["info", s(&path), "--json"]);
    let p0 = &info["partitions"][0];
    assert_eq!(p0["filemarks"], 3);
    assert_eq!(p0["records"], 15);
    assert_eq!(p0["bytes"], bytes);
    assert_eq!(p0["eod"], 18);
    assert_eq!(p0["capacity"], 64 * MIB);
    assert_eq!(p0["remaining"], 64 * MIB - bytes);
    // Documented rule: max(min(cap/50, 64 MiB), min(cap/4, 2 MiB)) = 2 MiB for 64 MiB.
    assert_eq!(p0["early_warning_size"], 2 * MIB);
    assert_eq!(p0["early_warning"], false);
    assert_eq!(info["clean"], true);

    let text = ok(&["info", s(&path)]);
    for want in [
        "LTO-7",
        "0x5C",
        "last close:    clean",
        "files (filemarks): 3",
        "records:           15",
        "end of data:       object 18",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }

    let dump = ok(&["dump", s(&path)]);
    let lines: Vec<&str> = dump.lines().map(str::trim).collect();
    let expected = [
        "partition 0:",
        "file 0: 12 records: 10 × 65536, 1 × 1024, 1 × 17",
        "filemark at object 12",
        "file 1: 0 records",
        "filemark at object 13",
        "file 2: 3 records: 3 × 512",
        "filemark at object 17",
        "end of data at object 18",
    ];
    assert_eq!(lines.get(1..), Some(&expected[..]), "{dump}");

    let d = json(&["dump", s(&path), "--json"]);
    let files = &d["partitions"][0]["files"];
    assert_eq!(files.as_array().map(Vec::len), Some(3));
    assert_eq!(files[0]["records"], 12);
    assert_eq!(files[0]["runs"][0]["count"], 10);
    assert_eq!(files[0]["runs"][0]["size"], 65536);
    assert_eq!(files[0]["runs"][2]["size"], 17);
    assert_eq!(files[0]["filemark"], 12);
    assert_eq!(files[1]["records"], 0);
    assert_eq!(files[1]["filemark"], 13);
    assert_eq!(files[2]["first_object"], 14);
    assert_eq!(files[2]["bytes"], 3 * 512);
    assert_eq!(d["partitions"][0]["eod"], 18);
}

#[test]
fn records_after_the_last_filemark_form_an_unterminated_file() {
    let (_dir, path) = tmp();
    ok(&["create", s(&path), "--capacity", "64M"]);
    {
        let mut m = Medium::open(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(m.write_filemarks(0, 0, 1).is_ok());
        assert!(m.write_record(0, 1, &[1u8; 100], &[]).is_ok());
        assert!(m.write_record(0, 2, &[1u8; 100], &[]).is_ok());
        assert!(m.close().is_ok());
    }
    let dump = ok(&["dump", s(&path)]);
    let lines: Vec<&str> = dump.lines().map(str::trim).collect();
    let expected = [
        "partition 0:",
        "file 0: 0 records",
        "filemark at object 0",
        "file 1: 2 records: 2 × 100",
        "end of data at object 3",
    ];
    assert_eq!(lines.get(1..), Some(&expected[..]), "{dump}");
    let d = json(&["dump", s(&path), "--json"]);
    assert_eq!(d["partitions"][0]["files"][1]["filemark"], Value::Null);
}

#[test]
fn two_partitions() {
    let (_dir, path) = tmp();
    ok(&["create", s(&path), "--capacity", "64M", "--partitions", "2"]);
    let info = json(&["info", s(&path), "--json"]);
    assert_eq!(info["partitions"][0]["capacity"], 32 * MIB);
    assert_eq!(info["partitions"][1]["capacity"], 32 * MIB);

    ok(&[
        "create",
        s(&path),
        "--force",
        "--capacity",
        "64MiB",
        "--partitions",
        "2",
        "--partition-size",
        "16M",
    ]);
    let info = json(&["info", s(&path), "--json"]);
    assert_eq!(info["capacity"], 64 * MIB);
    assert_eq!(info["partitions"][0]["capacity"], 48 * MIB);
    assert_eq!(info["partitions"][1]["capacity"], 16 * MIB);
    let dump = ok(&["dump", s(&path)]);
    assert!(dump.contains("partition 1:"), "{dump}");
}

#[test]
fn invalid_layouts_fail_and_leave_no_file() {
    let (_dir, path) = tmp();
    let err = fails(&["create", s(&path), "--capacity", "512K"]);
    assert!(err.contains("invalid medium configuration"), "{err}");
    assert!(!path.exists());
    let err = fails(&[
        "create",
        s(&path),
        "--capacity",
        "64M",
        "--partitions",
        "2",
        "--partition-size",
        "64M",
    ]);
    assert!(err.contains("invalid medium configuration"), "{err}");
    assert!(!path.exists());
}

#[test]
fn write_protect_switch() {
    let (_dir, path) = tmp();
    ok(&["create", s(&path), "--capacity", "64M", "--write-protect"]);
    assert_eq!(json(&["info", s(&path), "--json"])["write_protected"], true);
    assert!(ok(&["info", s(&path)]).contains("write protect: on"));
    ok(&["protect", s(&path), "off"]);
    assert_eq!(
        json(&["info", s(&path), "--json"])["write_protected"],
        false
    );
    ok(&["protect", s(&path), "on"]);
    ok(&["protect", s(&path), "on"]);
    let m = Medium::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(m.write_protected());
}

#[test]
fn damaged_files_are_reported() {
    let (dir, path) = tmp();
    ok(&["create", s(&path), "--capacity", "64M"]);
    let good = std::fs::read(&path).unwrap_or_default();

    // A byte inside the CRC-protected part of the header (bytes 0..4092).
    let mut bad = good.clone();
    if let Some(b) = bad.get_mut(20) {
        *b ^= 0xFF;
    }
    let hdr = dir.path().join("hdr.vtape");
    assert!(std::fs::write(&hdr, &bad).is_ok());
    let err = fails(&["info", s(&hdr)]);
    assert!(err.contains("corrupt medium header"), "{err}");
    assert!(err.contains("hdr.vtape"), "{err}");
    fails(&["dump", s(&hdr), "--json"]);

    // The magic.
    let mut bad = good.clone();
    if let Some(b) = bad.get_mut(0) {
        *b ^= 0xFF;
    }
    let magic = dir.path().join("magic.vtape");
    assert!(std::fs::write(&magic, &bad).is_ok());
    let err = fails(&["info", s(&magic)]);
    assert!(err.contains("not a vtape medium file"), "{err}");

    // Too short, and empty.
    let short = dir.path().join("short.vtape");
    assert!(std::fs::write(&short, good.get(..100).unwrap_or_default()).is_ok());
    fails(&["info", s(&short)]);
    assert!(std::fs::write(&short, b"").is_ok());
    fails(&["dump", s(&short)]);

    let err = fails(&["info", s(&dir.path().join("missing.vtape"))]);
    assert!(err.contains("No such file or directory"), "{err}");
}

#[test]
fn busy_file() {
    let (_dir, path) = tmp();
    ok(&["create", s(&path), "--capacity", "64M"]);
    let held = Medium::open(&path).unwrap_or_else(|e| panic!("{e}"));
    for args in [
        vec!["info", s(&path)],
        vec!["dump", s(&path)],
        vec!["protect", s(&path), "on"],
        vec!["create", s(&path), "--force", "--capacity", "64M"],
    ] {
        let err = fails(&args);
        assert!(err.contains("device busy"), "{args:?}: {err}");
    }
    drop(held);
    ok(&["info", s(&path)]);
}

#[test]
fn unclean_close_is_reported() {
    let (dir, path) = tmp();
    let cfg = MediumConfig::new(Generation::Lto6).with_capacity(64 * MIB);
    let mut m = Medium::create(&path, &cfg).unwrap_or_else(|e| panic!("{e}"));
    assert!(m.write_record(0, 0, &[7u8; 1000], &[]).is_ok());
    assert!(m.write_record(0, 1, &[7u8; 1000], &[]).is_ok());
    assert!(m.write_record(0, 2, &[7u8; 1000], &[]).is_ok());
    // Images of the file while the writer still has it open: what a crash leaves.
    let crash = dir.path().join("crash.vtape");
    let torn = dir.path().join("torn.vtape");
    assert!(std::fs::copy(&path, &crash).is_ok());
    assert!(std::fs::copy(&path, &torn).is_ok());
    drop(m);

    let info = json(&["info", s(&crash), "--json"]);
    assert_eq!(info["clean"], false);
    assert_eq!(info["open_report"]["entries_scanned"], 3);
    assert_eq!(info["partitions"][0]["records"], 3);

    // Cut 100 bytes off the last entry (48-byte header + 1000 data bytes).
    let len = std::fs::metadata(&torn).map(|m| m.len()).unwrap_or(0);
    let f = std::fs::OpenOptions::new().write(true).open(&torn);
    assert!(f.and_then(|f| f.set_len(len - 100)).is_ok());
    let text = ok(&["info", s(&torn)]);
    assert!(text.contains("not clean"), "{text}");
    assert!(text.contains("torn tail of 948 bytes discarded"), "{text}");
    assert!(text.contains("records:           2"), "{text}");
}

#[test]
fn usage_errors_exit_2() {
    let (_dir, path) = tmp();
    for args in [
        vec![],
        vec!["frobnicate"],
        vec!["info"],
        vec!["create", s(&path), "--capacity", "12Q"],
        vec!["create", s(&path), "--capacity", "-1"],
        vec!["create", s(&path), "--generation", "lto4"],
        vec!["create", s(&path), "--partitions", "3"],
        vec!["create", s(&path), "--partition-size", "16M"],
        vec!["protect", s(&path), "maybe"],
    ] {
        let o = vtape(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(!stderr(&o).is_empty(), "{args:?}");
    }
    assert!(!path.exists());
    let help = vtape(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("create"));
}
