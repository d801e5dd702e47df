//! `mt status` against the golden outputs of `mt-st.md` §6, on a fake drive; and the JSON form.

mod common;

use common::{parse_status_spec, raw, run_fake, with_status, Call, GOLDEN};
use tape_io::OpenMode;

#[test]
fn golden_status_texts() {
    for (name, spec, golden) in GOLDEN {
        let mut sys = with_status(parse_status_spec(spec));
        let ran = run_fake(&mut sys, &["-f", "/dev/nst0", "status"]);
        assert_eq!(ran.out, *golden, "state: {name}");
        assert_eq!(ran.err, "", "state: {name}");
        assert_eq!(ran.code, 0, "state: {name}");
        // status opens O_RDONLY | O_NONBLOCK (no ONLINE test) and reads MTIOCGET once.
        let open = Call::Open(
            "/dev/nst0".into(),
            OpenMode {
                write: false,
                nonblock: true,
            },
        );
        assert_eq!(ran.calls, vec![open, Call::Get], "state: {name}");
    }
}

#[test]
fn other_drive_types() {
    // Formats of mt-st.md §6 for the other mt_type values.
    let cases = [
        (
            raw(0x61, 5, 0x4400_0200, 0x1, 0x10005, 1, 2),
            "OnStream SC-, DI-, DP-, or USB tape drive:\nFile number=1, block number=2.\nTape block size 512 bytes. Density code 0x44 (LTO-3).\nSoft error count since last status=5\nGeneral status bits on (1):\n\n",
        ),
        (
            raw(0x8a_bcde, 0, 0, 0, 0, 1, 2),
            "qic-117 drive type = 0x0bcde\nFile number=1, block number=2.\nmt_resid: 0, mt_erreg: 0x0\nmt_dsreg: 0x0, mt_gstat: 0x0\nGeneral status bits on (0):\n\n",
        ),
        (
            raw(0, 0, 0, 0, 0, 0, 0),
            "IDE-Tape (type code 0) ?\nFile number=0, block number=0.\nmt_resid: 0, mt_erreg: 0x0\nmt_dsreg: 0x0, mt_gstat: 0x0\nGeneral status bits on (0):\n\n",
        ),
        (
            // C's %lx of a negative long prints its 64-bit two's complement.
            raw(0x72, 0x305, 0xff00_0000, -1, 0x12345, 1, 2),
            "SCSI 2 tape drive:\nFile number=1, block number=2, partition=5.\nTape block size 0 bytes. Density code 0xff (no translation).\nSoft error count since last status=9029\nGeneral status bits on (ffffffffffffffff):\n EOF BOT EOT SM EOD WR_PROT ONLINE D_6250 D_1600 D_800 DR_OPEN IM_REP_EN CLN\n",
        ),
        (
            raw(0x72, 0, 0x6000_0000, 0x4101_0000, 0, 0, 0),
            "SCSI 2 tape drive:\nFile number=0, block number=0, partition=0.\nTape block size 0 bytes. Density code 0x60 (LTO-9).\nSoft error count since last status=0\nGeneral status bits on (41010000):\n BOT ONLINE IM_REP_EN\n",
        ),
    ];
    for (status, expected) in cases {
        let ran = run_fake(&mut with_status(status), &["-f", "/dev/nst0", "status"]);
        assert_eq!(ran.out, expected);
        assert_eq!(ran.code, 0);
    }
}

#[test]
fn status_failure_is_perror_exit_2_without_hints() {
    let mut sys = with_status(raw(0x72, 0, 0, 0, 0, 0, 0));
    sys.script.status = Some(Err(nix::errno::Errno::EIO));
    let ran = run_fake(&mut sys, &["-f", "/dev/nst0", "status"]);
    assert_eq!((ran.code, ran.out.as_str()), (2, ""));
    assert_eq!(ran.err, "/dev/nst0: Input/output error\n");
}

#[test]
fn json_has_the_same_facts() {
    let (_, spec, _) = GOLDEN[1];
    let ran = run_fake(
        &mut with_status(parse_status_spec(spec)),
        &["-f", "/dev/nst0", "status", "--json"],
    );
    assert_eq!(ran.code, 0);
    let v: serde_json::Value = serde_json::from_str(&ran.out).expect("valid JSON");
    let expected = serde_json::json!({
        "drive_type": "scsi-2",
        "type_code": 0x72,
        "file": 2,
        "block": 0,
        "partition": 1,
        "block_size": 512,
        "density": { "code": 0x46, "name": "LTO-4" },
        "soft_errors": 3,
        "gstat": { "raw": 0x8500_0000_i64, "flags": ["EOF", "WR_PROT", "ONLINE"] },
        "online": true,
        "write_protected": true,
    });
    assert_eq!(v, expected);

    let (_, spec, _) = GOLDEN[2];
    let ran = run_fake(
        &mut with_status(parse_status_spec(spec)),
        &["-f", "/dev/nst0", "status", "--json"],
    );
    let v: serde_json::Value = serde_json::from_str(&ran.out).expect("valid JSON");
    assert_eq!(v["file"], serde_json::Value::Null);
    assert_eq!(v["block"], serde_json::Value::Null);
    assert_eq!(
        v["density"],
        serde_json::json!({ "code": 0x99, "name": null })
    );
    assert_eq!(v["online"], false);
    assert_eq!(
        v["gstat"]["flags"],
        serde_json::json!(["DR_OPEN", "IM_REP_EN"])
    );
}

#[test]
fn status_takes_no_other_argument() {
    let ran = run_fake(
        &mut with_status(raw(0x72, 0, 0, 0, 0, 0, 0)),
        &["-f", "/dev/nst0", "status", "--jsonx"],
    );
    assert_eq!(ran.code, 1);
    assert_eq!(
        ran.err,
        "mt: too many arguments for the command 'status'.\n"
    );
    assert!(ran.calls.is_empty());
}
