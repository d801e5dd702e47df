//! End to end on an in-process `.vtape` (the emulated LTO-6 drive): the seed's invocations
//! `-e on -a 1 --ckod --protect -k key`, `--detail`, `-e off -a 1`, run as separate
//! processes (the key state outlives the program, as on a real drive).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

const STENC: &str = env!("CARGO_BIN_EXE_stenc");
const VTAPE: &str = env!("CARGO_BIN_EXE_vtape");

fn stenc(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = Command::new(STENC)
        .args(args)
        .current_dir(dir)
        .env("STENC_AUDIT_LOG", dir.join("audit.log"))
        .env_remove("TAPE")
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn seed_workflow_on_vtape() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ok = Command::new(VTAPE)
        .args([
            "create",
            "t.vtape",
            "--generation",
            "lto6",
            "--capacity",
            "64M",
        ])
        .current_dir(d)
        .status()
        .unwrap();
    assert!(ok.success());
    let (code, out, err) = stenc(d, &["-g", "256", "-k", "key", "-kd", "seed key"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Random key saved into 'key'"));
    assert_eq!(
        std::fs::metadata(d.join("key"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );

    let (code, out, err) = stenc(
        d,
        &[
            "-f",
            "t.vtape",
            "-e",
            "on",
            "-a",
            "1",
            "--ckod",
            "--protect",
            "-k",
            "key",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("Provided key length is 256 bits.\nKey checksum is "),
        "{out}"
    );
    assert!(out.contains("Turning on encryption on device 't.vtape'...\n"));
    assert!(out.ends_with("for a key change audit log.\n"));

    let (code, out, err) = stenc(d, &["-f", "t.vtape", "--detail"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("Status for t.vtape\n--------------------------------------------------\n")
    );
    assert!(out.contains("Drive Encryption:        on\n"), "{out}");
    assert!(out.contains("Drive Input:             Encrypting\n                         Protecting from raw read\n"), "{out}");
    assert!(out.contains("Encryption Algorithm:    1\n"), "{out}");
    assert!(out.contains("Drive Key Desc.(uKAD):   seed key\n"), "{out}");
    assert!(out.contains("Volume Encryption:       "), "{out}");

    let (code, out, _) = stenc(d, &["-f", "t.vtape"]);
    assert_eq!(code, 0);
    assert!(
        out.ends_with("Drive Encryption:        on\nDrive Key Desc.(uKAD):   seed key\n"),
        "{out}"
    );

    let (code, out, err) = stenc(d, &["-f", "t.vtape", "-e", "off", "-a", "1"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("Turning off encryption on device 't.vtape'...\nSuccess!"));
    let (_, out, _) = stenc(d, &["-f", "t.vtape", "--detail"]);
    assert!(out.contains("Drive Encryption:        off\n"), "{out}");

    let log = std::fs::read_to_string(d.join("audit.log")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(lines[0].ends_with(": Encryption turned on for device 't.vtape'. Key Descriptor: 'seed key' Key Instance: 1"), "{log}");
    assert!(
        lines[1].contains(": Encryption turned off for device 't.vtape'. Key Instance: "),
        "{log}"
    );
    let key_hex = std::fs::read_to_string(d.join("key")).unwrap();
    assert!(!log.contains(key_hex.lines().next().unwrap()));
    assert_eq!(
        std::fs::metadata(d.join("audit.log"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
}
