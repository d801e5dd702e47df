//! `mamattr --inhex`: a hand-written READ ATTRIBUTE (ATTRIBUTE VALUES) response, decoded
//! without a device. The fixture follows reference/scsi.md §2 and §4-§5 (AVAILABLE DATA, then
//! packed 5-byte headers + values); the expected values are the ones written into it. When
//! sg3-utils' `sg_read_attr` is installed, it decodes the same file (`--in`) as the
//! reference, and the plain values must agree.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

const MAMATTR: &str = env!("CARGO_BIN_EXE_mamattr");

/// 125 bytes of records after AVAILABLE DATA (13+13+13+6+13+6+17+37+7).
const FIXTURE: &str = "\
# READ ATTRIBUTE (ATTRIBUTE VALUES) response, hand-written from SPC-4 (reference/scsi.md 4-5)
00 00 00 7d                                   # AVAILABLE DATA = 125
00 02 80 00 08  40 00 00 00 00 00 00 01       # 0002h TapeAlert flags: 2 and 64
00 03 80 00 08  00 00 00 00 00 00 00 05       # 0003h Load count = 5
04 00 81 00 08  48 50 20 20 20 20 20 20       # 0400h Medium manufacturer 'HP'
04 05 80 00 01  5a                            # 0405h Medium density code 5Ah (LTO-6)
04 06 81 00 08  32 30 32 33 31 31 31 35       # 0406h Manufacture date 20231115
04 08 80 00 01  00                            # 0408h Medium type: data
08 04 01 00 0c  32 30 32 34 30 31 30 32 31 33 34 35   # 0804h last written 202401021345
08 06 01 00 20  46 4a 4b 36 37 30 4c 36       # 0806h Barcode 'FJK670L6' + 24 spaces
                20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20
0c 00 00 00 02  ab cd                         # 0C00h device vendor attribute
";

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

fn fixture_bytes() -> Vec<u8> {
    tapekit_tools::mamattr::hexin::parse_hex(FIXTURE).unwrap()
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("values.hex"), FIXTURE).unwrap();
    std::fs::write(dir.path().join("values.bin"), fixture_bytes()).unwrap();
    dir
}

#[test]
fn fixture_is_consistent() {
    let b = fixture_bytes();
    assert_eq!(b.len(), 4 + 125);
    assert_eq!(b.get(..4), Some(&[0u8, 0, 0, 0x7d][..]));
}

#[test]
fn get_values() {
    let dir = setup();
    let d = dir.path();
    for (attr, want) in [
        ("barcode", "FJK670L6\n"),
        ("0x0806", "FJK670L6\n"),
        ("load-count", "5\n"),
        ("0400", "HP\n"),
        ("medium-type", "data\n"),
    ] {
        assert_eq!(
            mamattr(d, &["--inhex", "values.hex", "get", attr]),
            (0, want.to_string(), String::new()),
            "{attr}"
        );
        assert_eq!(
            mamattr(d, &["get", attr, "--inhex", "values.bin", "--raw"]),
            (0, want.to_string(), String::new()),
            "{attr} (binary)"
        );
    }
    // Dates and the density code are decoded, with their digits.
    let (code, out, _) = mamattr(d, &["--inhex", "values.hex", "get", "manufacture-date"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("2023") && out.contains("11") && out.contains("15"),
        "{out}"
    );
    let (_, out, _) = mamattr(d, &["--inhex", "values.hex", "get", "0x0405"]);
    assert!(out.to_uppercase().contains("5A"), "{out}");
    // Not in the response.
    assert_eq!(
        mamattr(d, &["--inhex", "values.hex", "get", "0x0807"]),
        (
            1,
            String::new(),
            "mamattr: values.hex: attribute 0x0807 not present\n".to_string()
        )
    );
}

#[test]
fn list_and_json() {
    let dir = setup();
    let d = dir.path();
    let (code, out, err) = mamattr(d, &["--inhex", "values.hex"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    let ids: Vec<&str> = out
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        ids,
        [
            "0x0002", "0x0003", "0x0400", "0x0405", "0x0406", "0x0408", "0x0804", "0x0806",
            "0x0C00"
        ]
    );
    assert_eq!(out, mamattr(d, &["--inhex", "values.hex", "list"]).1);
    let (code, out, _) = mamattr(d, &["--inhex", "values.bin", "--raw", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v["attributes"].as_array().unwrap();
    assert_eq!(rows.len(), 9);
    let vendor = &rows[8];
    assert_eq!(vendor["id"], 0x0C00);
    assert_eq!(vendor["raw"], "abcd");
    assert_eq!(vendor["read_only"], false);
    assert!(vendor["short"].is_null());
    assert_eq!(rows[1]["number"], 5);
    assert_eq!(rows[7]["value"], "FJK670L6");
}

#[test]
fn read_raw_file_from_saved_response() {
    let dir = setup();
    let d = dir.path();
    let (code, _, err) = mamattr(
        d,
        &["--inhex", "values.hex", "read", "barcode", "-o", "0806.bin"],
    );
    assert_eq!(code, 0, "{err}");
    let mut want = vec![0x08, 0x06, 0x01, 0x00, 0x20];
    want.extend(b"FJK670L6");
    want.extend([b' '; 24]);
    assert_eq!(std::fs::read(d.join("0806.bin")).unwrap(), want);
}

#[test]
fn bad_and_short_inputs() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(d.join("bad.hex"), "00 00 00 05\n08 06 zz\n").unwrap();
    let (code, _, err) = mamattr(d, &["--inhex", "bad.hex"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("mamattr: bad.hex: line 2: 'zz'"), "{err}");
    // Shorter than AVAILABLE DATA, last record cut: the complete ones are listed, with warnings.
    let cut: String =
        FIXTURE.lines().take(3).collect::<Vec<_>>().join("\n") + "\n00 03 80 00 08 00 00\n";
    std::fs::write(d.join("cut.hex"), cut).unwrap();
    let (code, out, err) = mamattr(d, &["--inhex", "cut.hex"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        err.contains("warning: AVAILABLE DATA is 125 bytes"),
        "{err}"
    );
    assert!(err.contains("attribute 0x0003 is cut: 2 of 8"), "{err}");
    std::fs::write(d.join("tiny.hex"), "00 00").unwrap();
    let (code, _, err) = mamattr(d, &["--inhex", "tiny.hex"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("mamattr: tiny.hex: "), "{err}");
    let (code, _, err) = mamattr(d, &["--inhex", "missing.hex"]);
    assert_eq!(
        (code, err.as_str()),
        (1, "mamattr: missing.hex: No such file or directory\n")
    );
}

/// sg3-utils' sg_read_attr decodes the same fixture; ASCII values (trailing spaces trimmed)
/// and decimal numbers must agree with `mamattr get`.
#[test]
fn agrees_with_sg_read_attr() {
    let dir = setup();
    let d = dir.path();
    let probe = Command::new("sg_read_attr").arg("-V").output();
    if probe.is_err() {
        eprintln!("sg_read_attr not installed: comparison skipped");
        return;
    }
    for id in ["0x0003", "0x0400", "0x0806"] {
        let o = Command::new("sg_read_attr")
            .args(["-qq", &format!("--filter={id}"), "--in=values.hex"])
            .current_dir(d)
            .output()
            .unwrap();
        let theirs = String::from_utf8_lossy(&o.stdout).trim_end().to_string();
        let (code, ours, _) = mamattr(d, &["--inhex", "values.hex", "get", id]);
        assert_eq!(code, 0);
        assert_eq!(ours.trim_end(), theirs, "{id}");
    }
}
