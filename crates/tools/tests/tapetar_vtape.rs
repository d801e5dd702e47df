//! `tapetar` end to end on an in-process `.vtape` (the emulated LTO-6 drive), each step a
//! separate process as on a real drive: create (label, manifest, index, listing, barcode,
//! statistics) → cartridge memory holds the barcode, date last written and application
//! attributes → list (= GNU tar's listing of the same archive in a file) → verify (and a
//! mismatching member named, exit 1) → extract → `extract --index` of one member positioned
//! with LOCATE (and with SPACE when the index has no block address), reading one record
//! where a dozen precede the member → encryption switched on from a key file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod tapetar_util;

use std::path::Path;

use tapetar_util::{cartridge, fixture, have, run, tapetar, tapetar_ok, MAMATTR, VTAPE};

const PINNED: [&str; 4] = [
    "--pinned-mtime",
    "1600000000",
    "--label-mtime",
    "1600000000",
];

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn create_args<'a>(dev: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "create",
        "-f",
        dev,
        "--label",
        "VT0001",
        "--exclude",
        ".DS_Store",
    ];
    v.extend_from_slice(&PINNED);
    v.extend_from_slice(extra);
    v.push("tree");
    v
}

/// `tapetar extract -f t.vtape --index INDEX -C DEST tree/zz-last.txt` into a new directory
/// `DEST`; returns the extracted file's bytes and the `--stats-json` report.
fn extract_last_member(d: &Path, index: &str, dest: &str) -> (Vec<u8>, serde_json::Value) {
    std::fs::create_dir(d.join(dest)).unwrap();
    let stats = format!("{dest}.json");
    let args = [
        "extract",
        "-f",
        "t.vtape",
        "--index",
        index,
        "-C",
        dest,
        "--stats-json",
        &stats,
        "tree/zz-last.txt",
    ];
    tapetar_ok(d, &args);
    let data = std::fs::read(d.join(dest).join("tree/zz-last.txt")).unwrap();
    (data, json(&d.join(stats)))
}

#[test]
fn create_list_verify_extract_on_vtape() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fixture(d);
    cartridge(d, "t.vtape", "64M");

    // ---- create: tape file 0.
    let args = create_args(
        "t.vtape",
        &[
            "--manifest",
            "m0.sha256sum",
            "--index",
            "i0.idx",
            "--listing",
            "l0.txt",
            "--listing-style",
            "verbose",
            "--barcode",
            "FJK670L6",
            "--stats-json",
            "s0.json",
        ],
    );
    tapetar_ok(d, &args);
    let s0 = json(&d.join("s0.json"));
    assert_eq!(s0["tape_file"], 0);
    assert_eq!(s0["first_lba"], 0);
    assert_eq!(
        s0["files"],
        8 - 1,
        "7 regular files (the hard link is not one)"
    );
    assert_eq!(s0["bytes"].as_u64().unwrap() % 262_144, 0);
    let records = s0["records"].as_u64().unwrap();
    assert!(records >= 12, "3 MB + 100 kB of data: {records} records");

    // ---- cartridge memory.
    let get = |attr: &str| {
        let (code, out, err) = run(MAMATTR, d, &["-f", "t.vtape", "get", attr]);
        assert_eq!(code, 0, "mamattr get {attr}: {err}");
        out.trim_end().to_string()
    };
    assert_eq!(get("barcode"), "FJK670L6");
    assert_eq!(get("application-vendor"), "TAPEKIT");
    assert_eq!(get("application-name"), "tapetar");
    assert_eq!(get("application-version"), env!("CARGO_PKG_VERSION"));
    let written = get("last-written");
    assert_eq!(written.len(), "2026-11-26 07:52".len(), "{written}");

    // ---- the tape holds one file of `records` records and a filemark.
    let (code, dump, _) = run(VTAPE, d, &["dump", "t.vtape"]);
    assert_eq!(code, 0);
    assert!(
        dump.contains(&format!("file 0: {records} records: {records} × 262144\n")),
        "{dump}"
    );

    // ---- list = GNU tar's listing of the same archive written to a plain file.
    tapetar_ok(d, &create_args("same.tar", &["--no-mam"]));
    let listed = tapetar_ok(d, &["list", "-f", "t.vtape", "--file", "0"]);
    assert!(listed.starts_with("V--------- 0/0"), "{listed}");
    if have("tar") {
        let (code, gnu, err) = run("tar", d, &["-b512", "-tvf", "same.tar"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(listed, gnu);
    }
    // The create listing (-cvv style) has the same member lines after the label.
    let l0 = std::fs::read_to_string(d.join("l0.txt")).unwrap();
    assert_eq!(
        l0.lines().skip(1).collect::<Vec<_>>(),
        listed.lines().skip(1).collect::<Vec<_>>()
    );

    // ---- verify.
    let out = tapetar_ok(
        d,
        &[
            "verify",
            "-f",
            "t.vtape",
            "--file",
            "0",
            "--manifest",
            "m0.sha256sum",
        ],
    );
    assert_eq!(
        out,
        "8 members checked, 0 differ, 0 missing from the archive, 0 not in the manifest\n"
    );

    // ---- tape file 1: the same tree with one member changed (same size).
    std::fs::write(d.join("tree/zz-last.txt"), b"THE LAST MEMBER\n").unwrap();
    // verify left the tape inside tape file 0: writing there is refused ...
    let (code, _, err) = tapetar(d, &create_args("t.vtape", &["--no-mam"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("the tape is inside tape file 0 (block "),
        "{err}"
    );
    // ... --append spaces to the end of data first.
    let args = create_args("t.vtape", &["--append", "--index", "i1.idx", "--no-mam"]);
    tapetar_ok(d, &args);
    let (code, out, err) = tapetar(
        d,
        &[
            "verify",
            "-f",
            "t.vtape",
            "--file",
            "1",
            "--manifest",
            "m0.sha256sum",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        out.starts_with("tree/zz-last.txt: FAILED (manifest "),
        "{out}"
    );
    assert_eq!(
        out.lines().filter(|l| l.contains("FAILED")).count(),
        1,
        "{out}"
    );
    assert!(out.ends_with(
        "8 members checked, 1 differ, 0 missing from the archive, 0 not in the manifest\n"
    ));
    assert_eq!(err, "tapetar: verify: 1 problem(s) found\n");

    // ---- extract everything of tape file 0.
    std::fs::write(d.join("tree/zz-last.txt"), b"the last member\n").unwrap();
    std::fs::remove_file(d.join("tree/.DS_Store")).unwrap();
    std::fs::create_dir(d.join("all")).unwrap();
    tapetar_ok(d, &["extract", "-f", "t.vtape", "--file", "0", "-C", "all"]);
    // Pinned mtimes: compare contents and types, not times.
    let strip = |l: Vec<String>| -> Vec<String> {
        l.into_iter()
            .map(|s| {
                let p: Vec<&str> = s.split('|').collect();
                format!("{}|{}|{}|{}|{}", p[0], p[1], p[2], p[3], p[5])
            })
            .collect()
    };
    assert_eq!(
        strip(tapetar_util::tree_listing(&d.join("tree"))),
        strip(tapetar_util::tree_listing(&d.join("all/tree")))
    );
    assert_eq!(
        std::fs::read(d.join("all/tree/dir/big.bin")).unwrap(),
        std::fs::read(d.join("tree/dir/big.bin")).unwrap()
    );

    // ---- extract --index: LOCATE to the member's record, one record read.
    let idx = std::fs::read_to_string(d.join("i0.idx")).unwrap();
    let line = idx
        .lines()
        .find(|l| l.ends_with(" tree/zz-last.txt"))
        .unwrap();
    let record: u64 = line.split(' ').nth(2).unwrap().parse().unwrap();
    assert!(
        record >= 11,
        "the member starts after the 3 MB file: {line}"
    );
    let (data, e) = extract_last_member(d, "i0.idx", "one");
    assert_eq!(data, b"the last member\n");
    assert_eq!(e["located"][0]["method"], "locate");
    assert_eq!(e["located"][0]["lba"], record);
    assert_eq!(e["members_extracted"], 1);
    let read = e["records_read"].as_u64().unwrap();
    assert!(
        read < record,
        "read {read} records; {record} precede the member"
    );
    assert_eq!(read, 1);

    // ---- without the block address: rewind, space 1 file and `record` records.
    let idx1 = std::fs::read_to_string(d.join("i1.idx")).unwrap();
    let no_lba: String = idx1
        .lines()
        .map(|l| {
            if l.starts_with('#') {
                format!("{l}\n")
            } else {
                let (file, rest) = l.split_once(' ').unwrap();
                let (_, rest) = rest.split_once(' ').unwrap();
                format!("{file} - {rest}\n")
            }
        })
        .collect();
    assert!(no_lba.contains("\n1 - "), "{no_lba}");
    std::fs::write(d.join("i1-space.idx"), no_lba).unwrap();
    let (data, e1) = extract_last_member(d, "i1-space.idx", "two");
    assert_eq!(data, b"THE LAST MEMBER\n");
    assert_eq!(e1["located"][0]["method"], "space");
    assert_eq!(e1["located"][0]["tape_file"], 1);
    assert_eq!(e1["records_read"], 1);

    // ---- the label of each tape file.
    assert_eq!(
        tapetar_ok(d, &["label", "-f", "t.vtape", "--file", "1"]),
        "VT0001\n"
    );
    assert_eq!(
        tapetar(d, &["label", "-f", "t.vtape", "--file", "0", "OTHER"]).0,
        1
    );
}

#[test]
fn extract_index_on_a_plain_file_seeks() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fixture(d);
    tapetar_ok(d, &["create", "-f", "a.tar", "--index", "a.idx", "tree"]);
    let idx = std::fs::read_to_string(d.join("a.idx")).unwrap();
    assert!(
        idx.starts_with("# tapekit-index 1 record_size=262144\n"),
        "{idx}"
    );
    assert!(idx.contains("\n- - "), "no tape position for a file: {idx}");
    std::fs::create_dir(d.join("x")).unwrap();
    tapetar_ok(
        d,
        &[
            "extract",
            "-f",
            "a.tar",
            "--index",
            "a.idx",
            "-C",
            "x",
            "--stats-json",
            "e.json",
            "tree/zz-last.txt",
            "tree/dir/with space.txt",
        ],
    );
    assert_eq!(
        std::fs::read(d.join("x/tree/zz-last.txt")).unwrap(),
        b"the last member\n"
    );
    assert_eq!(
        std::fs::read(d.join("x/tree/dir/with space.txt")).unwrap(),
        b"spaced\n"
    );
    let e = json(&d.join("e.json"));
    assert_eq!(e["located"][0]["method"], "seek");
    assert_eq!(e["located"].as_array().unwrap().len(), 2);
    assert_eq!(e["records_read"], 2);
    // A name the index does not have: reported, exit 2.
    let (code, _, err) = tapetar(
        d,
        &[
            "extract",
            "-f",
            "a.tar",
            "--index",
            "a.idx",
            "-C",
            "x",
            "tree/nope",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("tree/nope: Not found in index"), "{err}");
}

#[test]
fn encryption_from_a_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fixture(d);
    cartridge(d, "e.vtape", "64M");
    let stenc = env!("CARGO_BIN_EXE_stenc");
    let audit = d.join("audit.log");
    let audit = audit.to_str().unwrap();
    let gen = std::process::Command::new(stenc)
        .args(["-g", "256", "-k", "key", "-kd", "tapetar key"])
        .current_dir(d)
        .env("STENC_AUDIT_LOG", audit)
        .output()
        .unwrap();
    assert!(gen.status.success());
    tapetar_ok(
        d,
        &[
            "create",
            "-f",
            "e.vtape",
            "--encrypt-key",
            "key",
            "--no-mam",
            "tree",
        ],
    );
    // The drive has encryption on with the key's description; the records carry the
    // encryption metadata; reading back works (the drive still holds the key).
    let detail = std::process::Command::new(stenc)
        .args(["-f", "e.vtape", "--detail"])
        .current_dir(d)
        .env("STENC_AUDIT_LOG", audit)
        .output()
        .unwrap();
    let detail = String::from_utf8_lossy(&detail.stdout);
    assert!(detail.contains("Drive Encryption:        on\n"), "{detail}");
    assert!(
        detail.contains("Drive Key Desc.(uKAD):   tapetar key\n"),
        "{detail}"
    );
    let (_, dump, _) = run(VTAPE, d, &["dump", "e.vtape"]);
    assert!(dump.contains("with metadata"), "{dump}");
    let listed = tapetar_ok(d, &["list", "-f", "e.vtape", "--file", "0"]);
    assert!(listed.contains(" tree/zz-last.txt\n"), "{listed}");

    // A key file others can read: used, with a warning.
    std::fs::copy(d.join("key"), d.join("key644")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(d.join("key644"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, _, err) = tapetar(
        d,
        &[
            "create",
            "-f",
            "e.vtape",
            "--append",
            "--encrypt-key",
            "key644",
            "--no-mam",
            "tree/hello.txt",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("readable by group or others"), "{err}");
    // ... refused with --strict-key-perms, before anything is written.
    let (code, _, err) = tapetar(
        d,
        &[
            "create",
            "-f",
            "e.vtape",
            "--append",
            "--encrypt-key",
            "key644",
            "--strict-key-perms",
            "tree/hello.txt",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("readable by group or others"), "{err}");
    let (_, dump, _) = run(VTAPE, d, &["dump", "e.vtape"]);
    assert!(
        dump.contains("file 1:") && !dump.contains("file 2:"),
        "{dump}"
    );
    // Encryption needs a drive.
    let (code, _, err) = tapetar(
        d,
        &["create", "-f", "x.tar", "--encrypt-key", "key", "tree"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--encrypt-key needs a tape"), "{err}");
}
