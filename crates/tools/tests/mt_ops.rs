//! `mt` commands on a fake drive: the MTIOCTOP sequences and open modes, count errors,
//! failure hints, the default device, tell, stoptions errors and stshowoptions, with
//! expectations from `mt-st.md` §2-§5 and `st-driver.md` §6.

mod common;

use common::{long_usage, raw, run_fake, with_status, Call, FakeSystem, Script};
use nix::errno::Errno;
use tape_io::{MtOp, OpenMode};
use tapekit_tools::mt::PathInfo;

fn ro(nonblock: bool) -> OpenMode {
    OpenMode {
        write: false,
        nonblock,
    }
}
const RW: OpenMode = OpenMode {
    write: true,
    nonblock: false,
};

fn ops(args: &[&str]) -> (u8, Vec<Call>) {
    let mut sys = with_status(raw(0x72, 0, 0, 0x4101_0000, 0, 0, 0));
    let mut full = vec!["-f", "/dev/nst0"];
    full.extend_from_slice(args);
    let ran = run_fake(&mut sys, &full);
    (ran.code, ran.calls)
}

fn open(mode: OpenMode) -> Call {
    Call::Open("/dev/nst0".into(), mode)
}

/// Arguments, expected open mode, expected MTIOCTOPs.
type OpCase = (&'static [&'static str], OpenMode, &'static [(MtOp, i32)]);

#[test]
fn encodings_from_the_reference() {
    // mt-st.md §4 "Verified encodings" and table rows.
    let cases: &[OpCase] = &[
        (&["weof", "2k"], RW, &[(MtOp::Weof, 2048)]),
        (
            &["stoptions", "buffer-writes", "can-bsr"],
            ro(true),
            &[(MtOp::SetDrvBuffer, 0x1000_0101)],
        ),
        (
            &["defblksize", "-1"],
            ro(true),
            &[(MtOp::SetDrvBuffer, 0x5fff_ffff)],
        ),
        (
            &["sttimeout", "900"],
            ro(true),
            &[(MtOp::SetDrvBuffer, 0x7000_0384)],
        ),
        (&["mkpartition", "-100"], RW, &[(MtOp::MkPart, -100)]),
        (
            &["partseek", "1", "100"],
            ro(false),
            &[(MtOp::SetPart, 1), (MtOp::Seek, 100)],
        ),
        (
            &["partseek"],
            ro(false),
            &[(MtOp::SetPart, 0), (MtOp::Seek, 0)],
        ),
        (&["asf", "3"], ro(false), &[(MtOp::Rew, 1), (MtOp::Fsf, 3)]),
        (&["asf", "0"], ro(false), &[(MtOp::Rew, 1)]),
        (&["asf", "-2"], ro(false), &[(MtOp::Rew, 1)]),
        (&["load"], ro(true), &[(MtOp::Load, 1)]),
        (&["load", "10003"], ro(true), &[(MtOp::Load, 10003)]),
        (&["drvbuffer", "7"], ro(true), &[(MtOp::SetDrvBuffer, 7)]),
        (
            &["stwrthreshold", "0xffffffff"],
            ro(true),
            &[(MtOp::SetDrvBuffer, 0x2fff_ffff)],
        ),
        (
            &["stsetcln", "0x123"],
            ro(true),
            &[(MtOp::SetDrvBuffer, 0x8000_0123_u32 as i32)],
        ),
        (
            &["defdensity", "0x44"],
            ro(true),
            &[(MtOp::SetDrvBuffer, 0x6010_0044)],
        ),
        (
            &["defdrvbuffer", "1"],
            ro(true),
            &[(MtOp::SetDrvBuffer, 0x6030_0001)],
        ),
        (
            &["defcompression", "1"],
            ro(true),
            &[(MtOp::SetDrvBuffer, 0x6020_0001)],
        ),
        (
            &["stlongtimeout", "14000"],
            ro(true),
            &[(MtOp::SetDrvBuffer, 0x7010_0000 | 14000)],
        ),
        (
            &["stsetoptions", "sysv"],
            ro(true),
            &[(MtOp::SetDrvBuffer, 0x3000_1000)],
        ),
        (
            &["stclearoptions", "two-fms"],
            ro(true),
            &[(MtOp::SetDrvBuffer, 0x4000_0010)],
        ),
        (
            &["stoptions", "0xffffffff"],
            ro(true),
            &[(MtOp::SetDrvBuffer, 0x1fff_ffff)],
        ),
        (
            &["stoptions"],
            ro(true),
            &[(MtOp::SetDrvBuffer, 0x1000_0000)],
        ),
        (&["erase"], RW, &[(MtOp::Erase, 1)]),
        (&["eof"], RW, &[(MtOp::Weof, 1)]),
        (&["wset", "3"], RW, &[(MtOp::Wsm, 3)]),
        (&["eject"], ro(false), &[(MtOp::Offl, 1)]),
        (&["seod"], ro(false), &[(MtOp::Eom, 1)]),
        (&["setblk", "256k"], ro(true), &[(MtOp::SetBlk, 262_144)]),
        (&["compression", "0"], ro(true), &[(MtOp::Compression, 0)]),
    ];
    for (args, mode, expected) in cases {
        let (code, calls) = ops(args);
        let mut want = vec![open(*mode)];
        want.extend(expected.iter().map(|(op, n)| Call::Op(*op, *n)));
        assert_eq!((code, calls), (0, want), "{args:?}");
    }
}

#[test]
fn count_errors_follow_the_open_and_get_hints() {
    // The device is opened before the count is parsed; then the error tests run.
    let mut sys = with_status(raw(0x72, 0, 0, 0, 0, 0, 0));
    let ran = run_fake(&mut sys, &["-f", "/dev/nst0", "fsf", "1x"]);
    assert_eq!(ran.code, 3);
    assert_eq!(
        ran.err,
        "mt: illegal count unit.\nmt: The device is offline (not powered on, no tape ?).\n"
    );
    assert_eq!(ran.calls, vec![open(ro(false)), Call::Get]);
    let ran = run_fake(
        &mut with_status(raw(0x72, 0, 0, 0x0100_0000, 0, 0, 0)),
        &["-f", "/dev/nst0", "bsf", "-1"],
    );
    assert_eq!(
        (ran.code, ran.err.as_str()),
        (1, "mt: negative repeat count\n")
    );
    let ran = run_fake(
        &mut with_status(raw(0x72, 0, 0, 0x0100_0000, 0, 0, 0)),
        &["-f", "/dev/nst0", "weof", "2048M"],
    );
    assert_eq!(
        (ran.code, ran.err.as_str()),
        (3, "mt: repeat count too large.\n")
    );
}

fn failing(gstat: i64, errno: Errno, args: &[&str]) -> common::Ran {
    let mut sys = FakeSystem {
        script: Script {
            status: Some(Ok(raw(0x72, 0, 0, gstat, 0, 0, 0))),
            fail_op: Some((0, errno)),
            ..Script::default()
        },
        ..FakeSystem::default()
    };
    let mut full = vec!["-f", "/dev/nst0"];
    full.extend_from_slice(args);
    run_fake(&mut sys, &full)
}

#[test]
fn failure_hints_write_protect_only_when_set() {
    const WP: &str = "mt: The tape is write-protected.\n";
    const OFF: &str = "mt: The device is offline (not powered on, no tape ?).\n";
    let ran = failing(0, Errno::EIO, &["weof"]);
    assert_eq!(
        (ran.code, ran.err),
        (2, format!("/dev/nst0: Input/output error\n{OFF}"))
    );
    let ran = failing(0x0500_0000, Errno::EACCES, &["weof"]);
    assert_eq!(ran.err, format!("/dev/nst0: Permission denied\n{WP}"));
    let ran = failing(0x0400_0000, Errno::EIO, &["wset"]);
    assert_eq!(ran.err, format!("/dev/nst0: Input/output error\n{OFF}{WP}"));
    // eof has only the ONLINE test.
    let ran = failing(0x0400_0000, Errno::EIO, &["eof"]);
    assert_eq!(ran.err, format!("/dev/nst0: Input/output error\n{OFF}"));
    // No tests for setblk: no status read.
    let ran = failing(0, Errno::EINVAL, &["setblk", "3"]);
    assert_eq!(ran.err, "/dev/nst0: Invalid argument\n");
    assert_eq!(ran.calls.last(), Some(&Call::Op(MtOp::SetBlk, 3)));
    // ENOSYS: the kernel message instead of the hints.
    let ran = failing(0, Errno::ENOSYS, &["fss"]);
    assert_eq!(
        ran.err,
        "/dev/nst0: Function not implemented\nmt: Command not supported by this kernel.\n"
    );
    assert!(!ran.calls.contains(&Call::Get));
}

#[test]
fn open_failure_and_default_device() {
    let mut sys = FakeSystem {
        script: Script {
            open_error: Some(Errno::ENOENT),
            ..Script::default()
        },
        ..FakeSystem::default()
    };
    let ran = run_fake(&mut sys, &["rewind"]);
    assert_eq!(
        (ran.code, ran.err.as_str()),
        (1, "/dev/tape: No such file or directory\n")
    );
    assert_eq!(ran.calls, vec![Call::Open("/dev/tape".into(), ro(false))]);

    let mut sys = with_status(raw(0x72, 0, 0, 0, 0, 0, 0));
    sys.tape_env = Some("/dev/nst1".into());
    let ran = run_fake(&mut sys, &["status"]);
    assert_eq!(
        ran.calls.first(),
        Some(&Call::Open("/dev/nst1".into(), ro(true)))
    );
    sys.tape_env = Some("/dev/nst1".into());
    let ran = run_fake(&mut sys, &["-t", "/dev/nst2", "status"]);
    assert_eq!(
        ran.calls.first(),
        Some(&Call::Open("/dev/nst2".into(), ro(true)))
    );

    let mut sys = FakeSystem::default();
    sys.files.insert(
        "/dev/tape".into(),
        PathInfo {
            is_char_device: false,
            has_char_bit: false,
            minor: 0,
        },
    );
    let ran = run_fake(&mut sys, &["status"]);
    assert_eq!(ran.code, 1);
    assert_eq!(
        ran.err,
        format!(
            "The default '/dev/tape' is not a character device.\n\n{}",
            long_usage()
        )
    );
    assert!(ran.calls.is_empty());
    // Only the compiled default is checked.
    sys.tape_env = Some("/dev/tape".into());
    assert_eq!(run_fake(&mut sys, &["status"]).calls.len(), 2);
}

#[test]
fn tell_and_densities() {
    let mut sys = with_status(raw(0x72, 0, 0, 0x0100_0000, 0, 0, 0));
    sys.script.pos = Some(Ok(1234));
    let ran = run_fake(&mut sys, &["-f", "/dev/nst0", "tell"]);
    assert_eq!((ran.code, ran.out.as_str()), (0, "At block 1234.\n"));
    assert_eq!(ran.calls, vec![open(ro(false)), Call::Pos]);
    let ran = run_fake(
        &mut FakeSystem::default(),
        &["-f", "/dev/nst0", "densities"],
    );
    assert!(ran.calls.is_empty(), "densities opens nothing");
    assert!(ran.out.starts_with("Some SCSI tape density codes:\n"));
}

#[test]
fn stoptions_errors() {
    let ran = run_fake(
        &mut with_status(raw(0x72, 0, 0, 0, 0, 0, 0)),
        &["-f", "/dev/nst0", "stoptions", "s"],
    );
    assert_eq!(
        (ran.code, ran.err.as_str()),
        (1, "Property name 's' ambiguous.\n")
    );
    assert_eq!(ran.calls, vec![open(ro(true))]);
    let ran = run_fake(
        &mut with_status(raw(0x72, 0, 0, 0, 0, 0, 0)),
        &["-f", "/dev/nst0", "stoptions", "zz"],
    );
    assert_eq!(ran.code, 1);
    assert!(ran.err.starts_with("Illegal property name 'zz'.\nThe implemented property names are:\n  buffer-writes -> buffered writes\n"));
    assert!(ran
        .err
        .contains("\n      debug -> debugging (if compiled into driver)\n"));
    assert_eq!(ran.err.lines().count(), 2 + 16);
}

#[test]
fn stshowoptions_reads_sysfs_by_minor() {
    let mut sys = with_status(raw(0x72, 0, 0, 0, 0, 0, 0));
    // /dev/nst1l: minor 128 | 0x20 | 1.
    sys.files.insert(
        "/dev/nst1l".into(),
        PathInfo {
            is_char_device: true,
            has_char_bit: true,
            minor: 0xa1,
        },
    );
    sys.texts.insert(
        "/sys/class/scsi_tape/st1l/options".into(),
        "0x00004d01\n".into(),
    );
    let ran = run_fake(&mut sys, &["-f", "/dev/nst1l", "stshowoptions"]);
    assert_eq!((ran.code, ran.err.as_str()), (0, ""));
    assert_eq!(
        ran.out,
        "The options set: buffer-writes can-bsr can-partitions scsi2logical sili\n"
    );
    assert_eq!(ran.calls, vec![Call::Open("/dev/nst1l".into(), ro(true))]);

    sys.files.insert(
        "/dev/nst0".into(),
        PathInfo {
            is_char_device: true,
            has_char_bit: true,
            minor: 0x80,
        },
    );
    let ran = run_fake(&mut sys, &["-f", "/dev/nst0", "stshowoptions"]);
    assert_eq!(
        (ran.code, ran.err.as_str()),
        (
            2,
            "Can't read the sysfs file '/sys/class/scsi_tape/st0/options'.\n"
        )
    );

    sys.files.insert(
        "/tmp/file".into(),
        PathInfo {
            is_char_device: false,
            has_char_bit: false,
            minor: 0,
        },
    );
    let ran = run_fake(&mut sys, &["-f", "/tmp/file", "stshowoptions"]);
    assert_eq!(
        (ran.code, ran.err.as_str()),
        (1, "mt: not a character device.\n")
    );
}
