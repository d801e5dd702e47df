//! Our `mt` against Debian's mt-st 1.7, both run under the LD_PRELOAD shim of `tests/shim`
//! on `/dev/null`: same opens (flags), same MTIOCTOP sequence, same stdout, stderr and exit
//! code. The one allowed difference is mt-st 1.7's inverted write-protect hint.
//! Skipped (with a message) when mt-st or cc is missing, unless `$CI` is set.

mod common;

use common::live::{live, ours, Outcome, DEV, MT_ST};
use common::{long_usage, GOLDEN, SHORT_USAGE};

/// An online SCSI-2 drive at BOT.
const ONLINE: &str = "0x72,0,0x58000000,0x41010000,0,0,0";
const WP_LINE: &str = "mt: The tape is write-protected.\n";

fn args_with_dev<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["-f", DEV];
    v.extend_from_slice(args);
    v
}

fn assert_same(what: &str, theirs: &Outcome, ours: &Outcome) {
    assert_eq!(ours.log, theirs.log, "{what}: opens/ioctls differ");
    assert_eq!(ours.out, theirs.out, "{what}: stdout differs");
    assert_eq!(ours.err, theirs.err, "{what}: stderr differs");
    assert_eq!(ours.code, theirs.code, "{what}: exit code differs");
}

/// What we should print where mt-st 1.7 ran its error tests: 1.7 prints the write-protect
/// hint for weof/wset when GMT_WR_PROT is clear; we print it when it is set (`mt-st.md` §3).
fn without_wp_bug(theirs: &Outcome, wp_command: bool, wr_prot: bool) -> Outcome {
    let mut expected = theirs.clone();
    if wp_command && theirs.log.iter().any(|l| l == "get") {
        assert_eq!(
            theirs.err.ends_with(WP_LINE),
            !wr_prot,
            "1.7's inverted test, as documented"
        );
        expected.err = theirs.err.replace(WP_LINE, "");
        if wr_prot {
            expected.err.push_str(WP_LINE);
        }
    } else {
        assert!(!theirs.err.contains(WP_LINE));
    }
    expected
}

#[test]
fn golden_status_states_match_mt_st() {
    let Some(live) = live() else { return };
    for (name, spec, golden) in GOLDEN {
        let env = [("MTSHIM_STATUS", *spec)];
        let (theirs, ours) = live.both(&args_with_dev(&["status"]), &env);
        assert_eq!(
            theirs.out, *golden,
            "mt-st 1.7 disagrees with the reference for {name}"
        );
        assert_same(name, &theirs, &ours);
        assert_eq!(ours.log, ["open 0x800", "get"], "{name}");
    }
    for spec in [
        "0x61,5,0x44000200,0x1,0x10005,1,2",
        "0x800001,0,0,0,0,1,2",
        "0,0,0,0,0,0,0",
        "-5,-1,-1,-1,-1,-1,-1",
        "0x71,0x305,0x1234567890,0,0x12345,1,2",
        "0x72,0,0x60000000,0,0,0,0",
    ] {
        let (theirs, ours) = live.both(&args_with_dev(&["status"]), &[("MTSHIM_STATUS", spec)]);
        if spec.contains("0x60000000") {
            // 0x60 (LTO-9) is the one density name 1.7 lacks.
            assert!(theirs.out.contains("Density code 0x60 (no translation)."));
            assert_eq!(ours.out, theirs.out.replace("(no translation)", "(LTO-9)"));
        } else {
            assert_same(spec, &theirs, &ours);
        }
    }
}

/// Every command, alias and abbreviation with arguments, on an online drive.
#[rustfmt::skip]
const CASES: &[&[&str]] = &[
    &["weof"], &["weof", "2k"], &["wset"], &["wset", "3"], &["eof"], &["eof", "0"], &["fsf"],
    &["fsf", "3"], &["fsfm", "2"], &["bsf", "1"], &["bsfm", "4"], &["fsr", "10"], &["bsr", "0x10"],
    &["fss", "2"], &["bss", "1"], &["rewind"], &["offline"], &["rewoffl"], &["eject"],
    &["retension"], &["eod"], &["seod"], &["seek", "100"], &["seek", "0x1000"], &["tell"],
    &["status"], &["erase"], &["erase", "0"], &["setblk", "0"], &["setblk", "256k"], &["setblk"],
    &["lock"], &["unlock"], &["load"], &["load", "10003"], &["compression", "0"],
    &["compression", "1"], &["setdensity", "0x58"], &["drvbuffer", "7"], &["drvbuffer", "1k"],
    &["drvbuffer"], &["stwrthreshold", "0xffffffff"], &["stoptions", "buffer-writes", "can-bsr"],
    &["stoptions"], &["stoptions", "0xffffffff"], &["stoptions", "5", "zz"],
    &["stoptions", "cleaning"], &["stoptions", "s"], &["stoptions", "zz"],
    &["stoptions", "buffer-writes", "5"], &["stoptions", ""], &["stsetoptions", "sysv", "no-w"],
    &["stclearoptions", "two-fms", "sil"], &["defblksize", "-1"], &["defblksize", "512"],
    &["defdensity", "0x44"], &["defdrvbuffer", "1"], &["defcompression", "1"],
    &["stsetcln", "0x123"], &["sttimeout", "900"], &["stlongtimeout", "14000"],
    &["stlongtimeout", "0xffffffff"], &["setpartition", "1"], &["mkpartition", "-100"],
    &["mkpartition", "0"], &["mkpartition", "1G"], &["mkpartition", "-1M"],
    &["partseek", "1", "100"], &["partseek"], &["partseek", "1"], &["asf", "3"], &["asf", "0"],
    &["asf", "-2"], &["asf"], &["asf", "3k"], &["stshowoptions"],
    // abbreviations
    &["we", "2"], &["ws"], &["ej"], &["rewi"], &["ret"], &["of"], &["see", "5"], &["sta"], &["te"],
    &["t"], &["er"], &["setb", "512"], &["loc"], &["loa"], &["un"], &["c", "1"], &["setd", "3"],
    &["dr", "3"], &["stw", "5"], &["sto", "buf"], &["stse", "two"], &["stc", "two"],
    &["defb", "1k"], &["defde", "3"], &["defdr", "3"], &["defc", "1"], &["stsetc", "3"],
    &["stt", "60"], &["stl", "60"], &["setp", "1"], &["m", "-5"], &["p", "1", "2"], &["a", "2"],
    &["stsh"], &["fsfm"], &["bsfm"], &["r"],
    // ambiguous, unknown, too many arguments
    &["s"], &["st"], &["eo"], &["fs"], &["re"], &["rew"], &["lo"], &["defd"], &["d"], &[""],
    &["eom"], &["foo"], &["rewind", "1"], &["fsf", "1", "2"], &["partseek", "1", "2", "3"],
    &["densities", "1"], &["status", "x"],
    // counts
    &["fsf", "1x"], &["fsf", "0x"], &["fsf", "2048M"], &["fsf", "2047M"], &["fsf", "-1"],
    &["weof", "-2k"], &["fsf", "abc"], &["fsf", "08"], &["fsf", "1kx"], &["fsf", ""],
    &["bsr", "-0x10"], &["seek", " 12"],
];

#[test]
fn every_command_matches_mt_st() {
    let Some(live) = live() else { return };
    let env = [("MTSHIM_STATUS", ONLINE), ("MTSHIM_POS", "1234")];
    for case in CASES {
        let (theirs, ours) = live.both(&args_with_dev(case), &env);
        let wp_command = matches!(case.first(), Some(&("weof" | "wset" | "we" | "ws")));
        assert_same(
            &format!("{case:?}"),
            &without_wp_bug(&theirs, wp_command, false),
            &ours,
        );
    }
    // The shim really sees the calls: mt-st.md §4's verified encodings (O_RDWR = 0x2,
    // O_NONBLOCK = 0x800).
    let verified: &[(&[&str], &[&str])] = &[
        (&["weof", "2k"], &["open 0x2", "op 5 2048"]),
        (
            &["stoptions", "buffer-writes", "can-bsr"],
            &["open 0x800", "op 24 268435713"],
        ),
        (&["defblksize", "-1"], &["open 0x800", "op 24 1610612735"]),
        (&["sttimeout", "900"], &["open 0x800", "op 24 1879049092"]),
        (&["mkpartition", "-100"], &["open 0x2", "op 34 -100"]),
        (&["asf", "3"], &["open 0x0", "op 6 1", "op 1 3"]),
    ];
    for (args, log) in verified {
        let o = live.run(ours(), &args_with_dev(args), &env, true);
        assert_eq!(o.log, *log, "{args:?}");
    }
}

#[test]
fn options_and_device_choice_match_mt_st() {
    let Some(live) = live() else { return };
    let env = [("MTSHIM_STATUS", ONLINE)];
    for args in [
        &["-h"][..],
        &["-v"],
        &["--version"],
        &["--vx"],
        &["--help"],
        &["-x"],
        &["-"],
        &["--"],
        &["-f"],
        &[],
        &["-f", DEV],
        &["-fxyz", DEV, "status"],
        &["-t", DEV, "rewind"],
        &["-h", "-f"],
        &["-x", "-v"],
    ] {
        let (theirs, ours) = live.both(args, &env);
        assert_same(&format!("{args:?}"), &theirs, &ours);
    }
    let with_tape = [("MTSHIM_STATUS", ONLINE), ("TAPE", DEV)];
    let (theirs, ours) = live.both(&["status"], &with_tape);
    assert_same("$TAPE", &theirs, &ours);
    assert_eq!(ours.log, ["open 0x800", "get"]);
}

#[test]
fn failing_ioctls_match_mt_st_except_the_write_protect_bug() {
    let Some(live) = live() else { return };
    let commands: &[&[&str]] = &[
        &["weof"],
        &["wset", "2"],
        &["eof"],
        &["fsf", "2"],
        &["bsfm"],
        &["rewind"],
        &["eject"],
        &["seek", "9"],
        &["erase"],
        &["setblk", "512"],
        &["lock"],
        &["load"],
        &["compression", "1"],
        &["drvbuffer", "1"],
        &["stoptions", "sili"],
        &["sttimeout", "60"],
        &["setpartition", "1"],
        &["mkpartition", "100"],
        &["partseek", "1", "5"],
        &["asf", "2"],
        &["fsf", "1x"],
    ];
    let states = [
        ("0x72,0,0,0,0,0,0", false),          // offline, not protected
        ("0x72,0,0,0x05000000,0,0,0", true),  // online, write protected
        ("0x72,0,0,0x01000000,0,0,0", false), // online
        ("0x71,0,0,0x04000000,0,0,0", true),  // SCSI-1, offline, protected
        ("0x61,0,0,0,0,0,0", false),          // not SCSI: no hints
    ];
    for errno in ["5", "13", "38"] {
        for (status, wr_prot) in states {
            for cmd in commands {
                let env = [("MTSHIM_STATUS", status), ("MTSHIM_FAIL_ERRNO", errno)];
                let (theirs, ours) = live.both(&args_with_dev(cmd), &env);
                let what = format!("{cmd:?} errno {errno} status {status}");
                let scsi = !status.starts_with("0x61");
                let wp_command = scsi && matches!(cmd.first(), Some(&("weof" | "wset")));
                assert_same(&what, &without_wp_bug(&theirs, wp_command, wr_prot), &ours);
            }
        }
    }
    // A failure in the second ioctl of asf and partseek.
    for cmd in [&["asf", "2"][..], &["partseek", "1", "5"]] {
        let env = [
            ("MTSHIM_STATUS", ONLINE),
            ("MTSHIM_FAIL_ERRNO", "5"),
            ("MTSHIM_FAIL_AT", "1"),
        ];
        let (theirs, ours) = live.both(&args_with_dev(cmd), &env);
        assert_same(&format!("{cmd:?} second op fails"), &theirs, &ours);
        assert_eq!(ours.log.len(), 4, "open, two ops, get");
    }
    // MTIOCGET and MTIOCPOS failing.
    let env = [("MTSHIM_STATUS", ONLINE), ("MTSHIM_GET_ERRNO", "5")];
    let (theirs, ours) = live.both(&args_with_dev(&["status"]), &env);
    assert_same("status EIO", &theirs, &ours);
    let (theirs, ours) = live.both(
        &args_with_dev(&["tell"]),
        &[("MTSHIM_STATUS", "0x72,0,0,0,0,0,0")],
    );
    assert_same("tell ENOTTY", &theirs, &ours);
}

#[test]
fn every_prefix_resolves_as_in_mt_st() {
    let Some(live) = live() else { return };
    let names: Vec<&str> = tapekit_tools::mt::commands::COMMANDS
        .iter()
        .map(|c| c.name)
        .collect();
    let mut prefixes: Vec<&str> = names
        .iter()
        .flat_map(|n| (1..=n.len()).map(move |i| &n[..i]))
        .collect();
    prefixes.sort_unstable();
    prefixes.dedup();
    for p in prefixes {
        // Three extra arguments reveal the resolved name ("too many arguments for the command
        // 'NAME'") without running it, or for the stoptions family the selector sent.
        let (theirs, ours) =
            live.both(&["-f", DEV, p, "1", "2", "3"], &[("MTSHIM_STATUS", ONLINE)]);
        assert_same(&format!("prefix {p:?}"), &theirs, &ours);
    }
}

#[test]
fn error_cases_with_fixed_expectations() {
    let Some(live) = live() else { return };
    let no_shim = |bin: &str, args: &[&str]| live.run(bin, args, &[], false);
    let fixed: &[(&[&str], i32, &str)] = &[
        (
            &["-f", "/nonexistent", "status"],
            1,
            "/nonexistent: No such file or directory\n",
        ),
        (
            &["-f", DEV, "status"],
            2,
            "/dev/null: Inappropriate ioctl for device\n",
        ),
        (&["-f", DEV, "fsf", "1x"], 3, "mt: illegal count unit.\n"),
    ];
    for (args, code, err) in fixed {
        for bin in [MT_ST, ours()] {
            let o = no_shim(bin, args);
            assert_eq!(
                (o.code, o.err.as_str(), o.out.as_str()),
                (Some(*code), *err, ""),
                "{bin} {args:?}"
            );
        }
    }
    for bin in [MT_ST, ours()] {
        let o = no_shim(bin, &["foo"]);
        assert_eq!(
            (o.code, o.err),
            (
                Some(1),
                format!("mt: unknown command \"foo\"\n{}", long_usage())
            ),
            "{bin}"
        );
        let o = no_shim(bin, &["s"]);
        assert_eq!(
            (o.code, o.err),
            (
                Some(1),
                format!("mt: ambiguous command \"s\"\n{}", long_usage())
            ),
            "{bin}"
        );
        let o = no_shim(bin, &["--help"]);
        assert_eq!((o.code, o.err.as_str()), (Some(1), SHORT_USAGE), "{bin}");
    }
}

#[test]
fn densities_keep_every_1_7_row() {
    let Some(live) = live() else { return };
    let theirs = live.run(MT_ST, &["densities"], &[], false);
    let ours = live.run(ours(), &["densities"], &[], false);
    assert_eq!((theirs.code, ours.code), (Some(0), Some(0)));
    // 1.7's text is a prefix of ours, byte for byte; the one extra row is LTO-9 (0x60), laid
    // out in the same cell format (see `mt::densities`).
    let extra = ours
        .out
        .strip_prefix(theirs.out.as_str())
        .expect("1.7's rows come first, unchanged");
    assert_eq!(extra, format!("0x60   {:<28}\n", "LTO-9"));
    assert_eq!(theirs.out.lines().count(), 2 + 45);
}
