//! `mamattr` in process: attribute names and identifiers, command-line parsing, usage
//! errors, output formats, and the commands sent to a scripted drive (scsi-sg's mock).
//! Expected bytes come from reference/scsi.md §3-§5 (SPC-4 READ/WRITE ATTRIBUTE).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;
use std::rc::Rc;

use clap::Parser;
use scsi_sg::attributes::{Attribute, Format};
use scsi_sg::mock::{MockReply, MockTransport, RecordedData};
use scsi_sg::{Command as ScsiCommand, Completion, Transport};
use tapekit_tools::mamattr::cli::{Cli, Command};
use tapekit_tools::mamattr::hexin::parse_hex;
use tapekit_tools::mamattr::ident::{id_hex, AttrRef};
use tapekit_tools::mamattr::{device_path, output, run, Env};

/// A mock shared with the test, so the commands can be inspected after the run.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<MockTransport>>);

impl Transport for Shared {
    fn execute(&mut self, cmd: ScsiCommand<'_>) -> std::io::Result<Completion> {
        self.0.borrow_mut().execute(cmd)
    }
}

/// Runs mamattr with `args` (no program name) on `mock`; returns (status, stdout, stderr,
/// devices opened).
fn run_on(
    args: &[&str],
    mock: &Shared,
    tape_env: Option<&str>,
) -> (u8, String, String, Vec<String>) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut input: &[u8] = &[];
    let opened = RefCell::new(Vec::new());
    let m = mock.clone();
    let mut open = |p: &str| {
        opened.borrow_mut().push(p.to_string());
        Ok(Box::new(m.clone()) as Box<dyn Transport>)
    };
    let code = {
        let mut env = Env {
            out: &mut out,
            err: &mut err,
            input: &mut input,
            tape_env: tape_env.map(str::to_string),
            open: &mut open,
        };
        run(
            std::iter::once("mamattr").chain(args.iter().copied()),
            &mut env,
        )
    };
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
        opened.into_inner(),
    )
}

/// The barcode record of reference/scsi.md §4: `08 06 01 00 20` + 32 space-padded bytes.
fn barcode_record(text: &str) -> Vec<u8> {
    let mut v = vec![0x08, 0x06, 0x01, 0x00, 0x20];
    let mut value = text.as_bytes().to_vec();
    value.resize(32, b' ');
    v.extend(value);
    v
}

#[test]
fn attribute_ids_and_names() {
    for (text, id) in [
        ("0x0806", 0x0806),
        ("0X0806", 0x0806),
        ("0806", 0x0806),
        ("806h", 0x0806),
        ("barcode", 0x0806),
        ("BARCODE", 0x0806),
        ("medium-serial", 0x0401),
        ("medium_serial", 0x0401),
        ("load-count", 0x0003),
        ("0x0000", 0x0000),
        ("0C00", 0x0C00),
        ("vci", 0x080C),
    ] {
        assert_eq!(text.parse::<AttrRef>().unwrap(), AttrRef(id), "{text}");
    }
    for bad in ["", "nope", "0x10000", "0xZZ", "bar code"] {
        assert!(bad.parse::<AttrRef>().is_err(), "{bad:?} accepted");
    }
    assert_eq!(id_hex(0x0806), "0x0806");
    assert_eq!(id_hex(0x080C), "0x080C");
    assert_eq!(AttrRef(0x0c00).to_string(), "0x0C00");
}

#[test]
fn command_line() {
    let cli =
        Cli::try_parse_from(["mamattr", "-f", "/dev/sg1", "set", "barcode", "FJK670L6"]).unwrap();
    assert_eq!(cli.opts.device.as_deref(), Some("/dev/sg1"));
    match cli.command {
        Some(Command::Set(s)) => {
            assert_eq!(s.attr, AttrRef(0x0806));
            assert_eq!(s.value, "FJK670L6");
        }
        other => panic!("{other:?}"),
    }
    // Global options after the command; a value that starts with '-'.
    let cli = Cli::try_parse_from([
        "mamattr",
        "set",
        "user-label",
        "-x-",
        "-p",
        "1",
        "--file",
        "t.vtape",
    ])
    .unwrap();
    assert_eq!(cli.opts.partition, 1);
    assert_eq!(cli.opts.device.as_deref(), Some("t.vtape"));
    let cli = Cli::try_parse_from(["mamattr", "read", "0x0806", "-o", "0806.bin"]).unwrap();
    assert!(
        matches!(cli.command, Some(Command::Read(ref r)) if r.output.to_str() == Some("0806.bin"))
    );
    // --raw needs --inhex; read needs -o; unknown names are usage errors.
    assert!(Cli::try_parse_from(["mamattr", "--raw", "list"]).is_err());
    assert!(Cli::try_parse_from(["mamattr", "read", "0x0806"]).is_err());
    assert!(Cli::try_parse_from(["mamattr", "get", "nosuchname"]).is_err());
}

#[test]
fn default_device_is_tape_then_dev_tape() {
    let cli = Cli::try_parse_from(["mamattr", "list"]).unwrap();
    assert_eq!(device_path(&cli, Some("/dev/nst1")), "/dev/nst1");
    assert_eq!(device_path(&cli, None), "/dev/tape");
    assert_eq!(device_path(&cli, Some("")), "/dev/tape");
    let cli = Cli::try_parse_from(["mamattr", "-f", "/dev/sg3", "list"]).unwrap();
    assert_eq!(device_path(&cli, Some("/dev/nst1")), "/dev/sg3");
}

#[test]
fn usage_errors_exit_2() {
    let mock = Shared::default();
    let (code, out, err, opened) = run_on(&[], &mock, None);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("Usage: mamattr"), "{err}");
    assert!(opened.is_empty());
    let (code, _, err, _) = run_on(&["get", "nosuchname"], &mock, None);
    assert_eq!(code, 2);
    assert!(err.contains("nosuchname"), "{err}");
    let (code, _, err, opened) = run_on(&["--inhex", "x.hex", "set", "barcode", "A"], &mock, None);
    assert_eq!(code, 2, "{err}");
    assert!(opened.is_empty());
    let (code, out, _, _) = run_on(&["--help"], &mock, None);
    assert_eq!(code, 0);
    assert!(out.contains("barcode"));
}

#[test]
fn set_barcode_sends_one_padded_record_with_wtc() {
    let mock = Shared::default();
    mock.0.borrow_mut().push(MockReply::good());
    let (code, out, err, opened) = run_on(&["set", "barcode", "FJK670L6"], &mock, Some("/dev/sg0"));
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    assert_eq!(opened, ["/dev/sg0"]);
    let m = mock.0.borrow();
    let [cmd] = m.commands() else {
        panic!("{:?}", m.commands())
    };
    // WRITE ATTRIBUTE (8Dh), WTC, partition 0, parameter list length 4 + 37 = 41.
    assert_eq!(cmd.cdb.len(), 16);
    assert_eq!(cmd.cdb.first(), Some(&0x8D));
    assert_eq!(cmd.cdb.get(1).map(|b| b & 1), Some(1));
    assert_eq!(cmd.cdb.get(7), Some(&0));
    assert_eq!(cmd.cdb.get(10..14), Some(&[0u8, 0, 0, 41][..]));
    let mut want = vec![0, 0, 0, 37];
    want.extend(barcode_record("FJK670L6"));
    assert_eq!(cmd.data, RecordedData::ToDevice(want));
}

#[test]
fn delete_and_partition() {
    let mock = Shared::default();
    mock.0.borrow_mut().push(MockReply::good());
    let (code, _, err, _) = run_on(&["-f", "d", "-p", "1", "delete", "user-label"], &mock, None);
    assert_eq!(code, 0, "{err}");
    let m = mock.0.borrow();
    let cmd = m.commands().first().unwrap();
    assert_eq!(cmd.cdb.get(7), Some(&1));
    // 0803h with length 0: header only (format TEXT = 10b).
    assert_eq!(
        cmd.data,
        RecordedData::ToDevice(vec![0, 0, 0, 5, 0x08, 0x03, 0x02, 0x00, 0x00])
    );
}

#[test]
fn read_only_refused_before_sending() {
    let mock = Shared::default();
    for args in [
        &["-f", "/dev/sg0", "set", "medium-manufacturer", "ACME"][..],
        &["-f", "/dev/sg0", "set", "0x0003", "7"][..],
        &["-f", "/dev/sg0", "delete", "0x0401"][..],
    ] {
        let (code, out, err, _) = run_on(args, &mock, None);
        assert_eq!(code, 1, "{args:?}");
        assert_eq!(out, "");
        assert!(err.starts_with("mamattr: /dev/sg0: "), "{err}");
        assert!(
            err.to_lowercase().contains("read-only") || err.to_lowercase().contains("read only"),
            "{err}"
        );
    }
    assert!(mock.0.borrow().commands().is_empty());
    // Over-length ASCII value: also refused before sending.
    let (code, _, err, _) = run_on(&["-f", "d", "set", "barcode", &"X".repeat(33)], &mock, None);
    assert_eq!(code, 1, "{err}");
    assert!(mock.0.borrow().commands().is_empty());
}

#[test]
fn drive_refusal_prints_sense() {
    // ILLEGAL REQUEST, 26/00, SKSV with a field pointer into the parameter list (byte 4).
    let sense = vec![
        0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x26, 0x00, 0, 0x80, 0x00, 0x04,
    ];
    let mock = Shared::default();
    mock.0
        .borrow_mut()
        .push(MockReply::check_condition(sense.clone()));
    let (code, _, err, _) = run_on(&["-f", "/dev/sg0", "set", "barcode", "X"], &mock, None);
    assert_eq!(code, 1);
    let s = scsi_sg::Sense::parse(&sense).unwrap();
    assert_eq!(err, format!("mamattr: /dev/sg0: {s}\n"));
    assert!(err.contains("26/00"), "{err}");
}

#[test]
fn get_absent_attribute() {
    // The drive answers with the next existing attribute (0807h), not the one asked for.
    let mut reply = vec![0, 0, 0, 13];
    reply.extend([0x08, 0x07, 0x02, 0x00, 0x08]);
    reply.extend(b"hostname");
    let mock = Shared::default();
    mock.0.borrow_mut().push(MockReply::data(reply));
    let (code, out, err, _) = run_on(&["-f", "/dev/sg0", "get", "barcode"], &mock, None);
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(err, "mamattr: /dev/sg0: attribute 0x0806 not present\n");
}

#[test]
fn open_failure_message() {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut input: &[u8] = &[];
    let mut open = |p: &str| tapekit_tools::device::open_transport(p);
    let code = {
        let mut env = Env {
            out: &mut out,
            err: &mut err,
            input: &mut input,
            tape_env: None,
            open: &mut open,
        };
        run(["mamattr", "-f", "/nonexistent/sg9", "list"], &mut env)
    };
    assert_eq!(code, 1);
    assert_eq!(
        String::from_utf8_lossy(&err),
        "mamattr: /nonexistent/sg9: No such file or directory\n"
    );
}

#[test]
fn hex_input() {
    assert_eq!(parse_hex("").unwrap(), Vec::<u8>::new());
    assert_eq!(
        parse_hex("# header\n00 00 00 05\n08 06 01,00\t20 # trailing\n").unwrap(),
        vec![0, 0, 0, 5, 8, 6, 1, 0, 0x20]
    );
    assert_eq!(
        parse_hex("0a0B ff f").unwrap(),
        vec![0x0a, 0x0b, 0xff, 0x0f]
    );
    let e = parse_hex("00\n0g").unwrap_err();
    assert_eq!(e.line, 2);
    assert!(parse_hex("abc").is_err());
}

fn sample() -> Vec<Attribute> {
    vec![
        Attribute::new(0x0003, Format::Binary, 5u64.to_be_bytes().to_vec()).read_only(true),
        Attribute::new(0x0400, Format::Ascii, b"HP      ".to_vec()).read_only(true),
        Attribute::new(
            0x0806,
            Format::Ascii,
            barcode_record("FJK670L6").split_off(5),
        ),
    ]
}

#[test]
fn list_text_format() {
    let text = output::list_text(&sample());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(header, ["ID", "RO", "FORMAT", "NAME", "VALUE"]);
    for (line, id, ro, value) in [
        (lines[1], "0x0003", "ro", "5"),
        (lines[2], "0x0400", "ro", "HP"),
        (lines[3], "0x0806", "rw", "FJK670L6"),
    ] {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words.first(), Some(&id), "{line}");
        assert_eq!(words.get(1), Some(&ro), "{line}");
        assert_eq!(words.last(), Some(&value), "{line}");
        assert!(!line.ends_with(' '));
    }
    assert!(lines[3].contains("Barcode"));
    // Values start in the same column.
    let col = |l: &str, v: &str| l.rfind(v).unwrap();
    assert_eq!(col(lines[1], "5"), col(lines[3], "FJK670L6"));
}

#[test]
fn json_formats() {
    let v: serde_json::Value = serde_json::from_str(&output::list_json(&sample())).unwrap();
    let rows = v["attributes"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["id"], 3);
    assert_eq!(rows[0]["id_hex"], "0x0003");
    assert_eq!(rows[0]["read_only"], true);
    assert_eq!(rows[0]["number"], 5);
    assert_eq!(rows[0]["raw"], "0000000000000005");
    assert_eq!(rows[2]["short"], "barcode");
    assert_eq!(rows[2]["value"], "FJK670L6");
    assert_eq!(rows[2]["length"], 32);
    assert_eq!(rows[2]["read_only"], false);
    assert!(rows[2]["number"].is_null());
    let one: serde_json::Value =
        serde_json::from_str(&output::get_json(&sample()[1], Default::default())).unwrap();
    assert_eq!(one["name"], "Medium manufacturer");
    assert_eq!(one["value"], "HP");
    let names: serde_json::Value = serde_json::from_str(&output::names_json()).unwrap();
    assert!(names["names"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["short"] == "barcode" && n["id"] == 0x0806 && n["read_only"] == false));
    assert!(output::names_text()
        .lines()
        .any(|l| l.starts_with("0x0806  barcode ")));
}
