//! `mamattr` end to end on an in-process `.vtape` (tapekit's emulated LTO-6 drive), as
//! separate processes: the acceptance (`set barcode FJK670L6`, `get barcode`, the
//! 37-byte ITDT raw file `08 06 01 00 20` + `FJK670L6` + 24 spaces, `write` of that file),
//! read-only attributes refused with nothing changed, `list` and `--json`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

const MAMATTR: &str = env!("CARGO_BIN_EXE_mamattr");
const VTAPE: &str = env!("CARGO_BIN_EXE_vtape");

fn mamattr(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = Command::new(MAMATTR)
        .args(args)
        .current_dir(dir)
        .env_remove("TAPE")
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (code, out, err) = mamattr(dir, args);
    assert_eq!(code, 0, "mamattr {args:?}: {err}");
    assert_eq!(err, "", "mamattr {args:?}");
    out
}

fn cartridge() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let st = Command::new(VTAPE)
        .args([
            "create",
            "t.vtape",
            "--generation",
            "lto6",
            "--capacity",
            "64M",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    dir
}

/// reference/scsi.md §4: header `08 06 01 00 20`, then the 32-byte space-padded value.
fn barcode_file(text: &str) -> Vec<u8> {
    let mut want = vec![0x08, 0x06, 0x01, 0x00, 0x20];
    want.extend(text.as_bytes());
    want.resize(37, b' ');
    want
}

#[test]
fn acceptance_barcode_round_trip() {
    let dir = cartridge();
    let d = dir.path();
    assert_eq!(ok(d, &["-f", "t.vtape", "set", "barcode", "FJK670L6"]), "");
    assert_eq!(ok(d, &["-f", "t.vtape", "get", "barcode"]), "FJK670L6\n");
    ok(d, &["-f", "t.vtape", "read", "0x0806", "-o", "0806.bin"]);
    let bytes = std::fs::read(d.join("0806.bin")).unwrap();
    assert_eq!(bytes.len(), 37);
    assert_eq!(bytes, barcode_file("FJK670L6"));
    // Written back unchanged: accepted, same value.
    ok(d, &["-f", "t.vtape", "write", "0806.bin"]);
    assert_eq!(ok(d, &["-f", "t.vtape", "get", "0x0806"]), "FJK670L6\n");
    // A raw file made by hand (as ITDT would) changes it.
    std::fs::write(d.join("new.bin"), barcode_file("ABC123L6")).unwrap();
    ok(d, &["-f", "t.vtape", "write", "new.bin"]);
    assert_eq!(ok(d, &["-f", "t.vtape", "get", "barcode"]), "ABC123L6\n");
    // $TAPE names the device when -f is absent.
    let o = Command::new(MAMATTR)
        .args(["get", "barcode"])
        .current_dir(d)
        .env("TAPE", "t.vtape")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "ABC123L6\n");
    // Delete: then absent.
    ok(d, &["-f", "t.vtape", "delete", "barcode"]);
    assert_eq!(
        mamattr(d, &["-f", "t.vtape", "get", "barcode"]),
        (
            1,
            String::new(),
            "mamattr: t.vtape: attribute 0x0806 not present\n".into()
        )
    );
}

#[test]
fn read_only_refused_and_unchanged() {
    let dir = cartridge();
    let d = dir.path();
    let before = ok(d, &["-f", "t.vtape", "list"]);
    let manufacturer = ok(d, &["-f", "t.vtape", "get", "medium-manufacturer"]);
    assert!(!manufacturer.trim().is_empty());
    let (code, out, err) = mamattr(d, &["-f", "t.vtape", "set", "medium-manufacturer", "ACME"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.starts_with("mamattr: t.vtape: "), "{err}");
    assert!(err.contains("read-only"), "{err}");
    // The same through a raw file (READ ONLY bit clear in the header, as a forged file).
    let mut raw = vec![0x04, 0x00, 0x01, 0x00, 0x08];
    raw.extend(b"ACME    ");
    std::fs::write(d.join("ro.bin"), &raw).unwrap();
    let (code, _, err) = mamattr(d, &["-f", "t.vtape", "write", "ro.bin"]);
    assert_eq!(code, 1);
    assert!(err.contains("read-only"), "{err}");
    let (code, _, err) = mamattr(d, &["-f", "t.vtape", "delete", "load-count"]);
    assert_eq!(code, 1);
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(
        ok(d, &["-f", "t.vtape", "get", "medium-manufacturer"]),
        manufacturer
    );
    // Nothing else changed either (the load count moves only when the cartridge is loaded,
    // and each mamattr run loads it, so compare without it).
    let after = ok(d, &["-f", "t.vtape", "list"]);
    let strip = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| {
                !l.starts_with("0x0003") && !l.starts_with("0x0340") && !l.starts_with("0x0341")
            })
            .map(str::to_string)
            .collect()
    };
    assert_eq!(strip(&before), strip(&after));
}

#[test]
fn list_and_json() {
    let dir = cartridge();
    let d = dir.path();
    ok(d, &["-f", "t.vtape", "set", "barcode", "FJK670L6"]);
    let text = ok(d, &["-f", "t.vtape", "list"]);
    let ids: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for id in ["0x0003", "0x0400", "0x0401", "0x0806"] {
        assert!(ids.contains(&id), "{id} missing from:\n{text}");
    }
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "ascending order");
    let line = |id: &str| {
        text.lines()
            .find(|l| l.starts_with(id))
            .unwrap()
            .to_string()
    };
    assert!(line("0x0003").contains(" ro  binary  Load count"), "{text}");
    assert!(line("0x0400").contains(" ro  ascii "), "{text}");
    assert!(line("0x0806").contains(" rw  ascii ") && line("0x0806").ends_with("FJK670L6"));

    let v: serde_json::Value =
        serde_json::from_str(&ok(d, &["-f", "t.vtape", "list", "--json"])).unwrap();
    let rows = v["attributes"].as_array().unwrap();
    assert_eq!(rows.len(), ids.len());
    let row = |id: u16| rows.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(row(0x0806)["value"], "FJK670L6");
    assert_eq!(
        row(0x0806)["raw"],
        format!("{}{}", "464a4b3637304c36", "20".repeat(24))
    );
    assert!(row(0x0003)["number"].as_u64().unwrap() >= 1);
    assert_eq!(row(0x0401)["read_only"], true);
    assert_eq!(
        row(0x0400)["value"].as_str().unwrap(),
        ok(d, &["-f", "t.vtape", "get", "0x0400"]).trim_end()
    );
    let one: serde_json::Value =
        serde_json::from_str(&ok(d, &["-f", "t.vtape", "--json", "get", "barcode"])).unwrap();
    assert_eq!(one["id_hex"], "0x0806");
    assert_eq!(one["value"], "FJK670L6");
}

#[test]
fn errors() {
    let dir = cartridge();
    let d = dir.path();
    assert_eq!(
        mamattr(d, &["-f", "t.vtape", "get", "0x0C99"]),
        (
            1,
            String::new(),
            "mamattr: t.vtape: attribute 0x0C99 not present\n".into()
        )
    );
    // Partition 1 does not exist on a one-partition cartridge: the drive's sense.
    let (code, _, err) = mamattr(d, &["-f", "t.vtape", "-p", "1", "list"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("mamattr: t.vtape: ILLEGAL REQUEST, 24/00"),
        "{err}"
    );
    // Over-length ASCII: refused before sending.
    let (code, _, err) = mamattr(d, &["-f", "t.vtape", "set", "barcode", &"X".repeat(33)]);
    assert_eq!(code, 1);
    assert!(err.starts_with("mamattr: t.vtape: "), "{err}");
    let (code, _, err) = mamattr(d, &["-f", "missing.vtape", "list"]);
    assert_eq!(
        (code, err.as_str()),
        (1, "mamattr: missing.vtape: No such file or directory\n")
    );
    let (code, _, _) = mamattr(d, &["-f", "t.vtape", "frobnicate"]);
    assert_eq!(code, 2);
}
