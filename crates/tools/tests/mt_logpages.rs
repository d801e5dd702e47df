//! tapekit's `mt tapealert` and `mt volstats` on a scripted SG_IO transport. Page bytes are
//! built by hand from SSC-4 §8.2.4 (TapeAlert response page 12h: one 8-byte parameter 0000h,
//! flag 1 in the most significant bit) and §8.2.6 (volume statistics page 17h).

mod common;

use common::{run_fake, Call, FakeSystem};
use nix::errno::Errno;
use scsi_sg::mock::MockReply;

/// LOG SENSE(10) opcode (SPC-4 §6.8).
const LOG_SENSE: u8 = 0x4d;

fn sys_with_reply(page: Vec<u8>) -> FakeSystem {
    let sys = FakeSystem::default();
    sys.sg.0.borrow_mut().push(MockReply::data(page));
    sys
}

#[test]
fn tapealert_lists_set_flags() {
    // Flags 1 (read warning) and 4 (media, critical by the reference's masks): byte 0 bits 7
    // and 4.
    let page = vec![0x12, 0, 0, 12, 0, 0, 0x03, 8, 0x90, 0, 0, 0, 0, 0, 0, 0];
    let mut sys = sys_with_reply(page);
    let ran = run_fake(&mut sys, &["-f", "/dev/nst0", "tapealert"]);
    assert_eq!((ran.code, ran.err.as_str()), (0, ""));
    assert_eq!(
        ran.out,
        "TapeAlert flags set:\n  1 (0x01) info     Read warning\n  4 (0x04) critical Media\n"
    );
    // Opened once, for SG_IO only (st allows a single open), never as a tape.
    assert_eq!(ran.calls, vec![Call::OpenSg("/dev/nst0".into())]);
    let mock = sys.sg.0.borrow();
    let cdb = mock.last_cdb().expect("one command");
    assert_eq!(cdb.first(), Some(&LOG_SENSE));
    // PC = 01b (cumulative) and page 12h: the page that reading does not clear.
    assert_eq!(cdb.get(2), Some(&0x52));
}

#[test]
fn tapealert_none_set_and_prefix() {
    let page = vec![0x12, 0, 0, 12, 0, 0, 0x03, 8, 0, 0, 0, 0, 0, 0, 0, 0];
    let ran = run_fake(&mut sys_with_reply(page), &["-f", "/dev/nst0", "ta"]);
    assert_eq!(
        (ran.code, ran.out.as_str()),
        (0, "No TapeAlert flags set.\n")
    );
}

#[test]
fn volstats_prints_present_counters() {
    let mut page = vec![0x17, 0, 0, 0];
    let params: &[(u16, &[u8])] = &[
        (0x0000, &[1]),
        (0x0001, &[0, 0, 0, 42]),
        (0x0010, &[0, 0, 0x30, 0x39]),
        (0x0040, b"ABC123  "),
        (0x0101, &[0, 0, 0, 7]),
    ];
    for (code, value) in params {
        page.extend_from_slice(&code.to_be_bytes());
        page.push(0x03);
        page.push(value.len() as u8);
        page.extend_from_slice(value);
    }
    let len = (page.len() - 4) as u16;
    page[2..4].copy_from_slice(&len.to_be_bytes());
    let ran = run_fake(&mut sys_with_reply(page), &["-f", "/dev/nst0", "volstats"]);
    assert_eq!((ran.code, ran.err.as_str()), (0, ""));
    assert!(ran
        .out
        .starts_with("Page valid: 1\nVolume mounts: 42\nLifetime MB written: 12345\n"));
    assert!(ran.out.contains("Beginning of medium passes: 7\n"));
    assert!(ran.out.contains("Volume serial number: ABC123"));
}

#[test]
fn log_command_errors() {
    let mut sys = FakeSystem {
        sg_open_error: Some(Errno::EACCES),
        ..FakeSystem::default()
    };
    let ran = run_fake(&mut sys, &["-f", "/dev/nst0", "volstats"]);
    assert_eq!(
        (ran.code, ran.err.as_str()),
        (1, "/dev/nst0: Permission denied\n")
    );
    // CHECK CONDITION, ILLEGAL REQUEST 24/00 (fixed sense): the drive lacks the page.
    let sense = vec![
        0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0, 0, 0, 0, 0,
    ];
    let sys = FakeSystem::default();
    sys.sg
        .0
        .borrow_mut()
        .push(MockReply::check_condition(sense));
    let mut sys = sys;
    let ran = run_fake(&mut sys, &["-f", "/dev/nst0", "tapealert"]);
    assert_eq!(ran.code, 2);
    assert!(
        ran.err
            .starts_with("mt: /dev/nst0: LOG SENSE failed: illegal request"),
        "{}",
        ran.err
    );
}
