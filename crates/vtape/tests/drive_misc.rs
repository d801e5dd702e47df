//! TEST UNIT READY, INQUIRY + VPD, REQUEST SENSE, READ BLOCK LIMITS, MODE SENSE/SELECT,
//! REPORT DENSITY SUPPORT, LOG SENSE, LOAD/UNLOAD with UNIT ATTENTION, PREVENT ALLOW,
//! unknown opcodes, the dispatch table and the Transport impl (SPC-4, SSC-4).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod drive_util;

use drive_util::*;
use scsi_sg::{opcode, SenseKey};
use vtape::drive::Drive;

const TUR: [u8; 6] = [0x00, 0, 0, 0, 0, 0];

#[test]
fn unknown_opcode_and_short_cdb() {
    let (_dir, _p, mut d) = drive();
    // 02h is not assigned to sequential-access devices.
    let s = assert_sense(
        &no_data(&mut d, &[0x02, 0, 0, 0, 0, 0]),
        SenseKey::IllegalRequest,
        0x20,
        0x00,
    );
    assert_eq!(
        s.field_pointer().map(|f| (f.in_cdb, f.byte)),
        Some((true, 0))
    );
    assert_sense(&no_data(&mut d, &[]), SenseKey::IllegalRequest, 0x20, 0x00);
    // A LOCATE(10) opcode with a 6-byte CDB.
    assert_sense(
        &no_data(&mut d, &[0x2B, 0, 0, 0, 0, 0]),
        SenseKey::IllegalRequest,
        0x24,
        0x00,
    );
}

#[test]
fn inquiry_standard_and_vpd() {
    let (_dir, _p, mut d) = drive();
    // INQUIRY: EVPD 0, page 0, allocation length 96 (bytes 3-4).
    let (c, b) = data_in(&mut d, &[0x12, 0, 0, 0, 96, 0], 96);
    assert_good(&c);
    let inq = scsi_sg::inquiry::parse(&b).unwrap();
    assert_eq!(inq.device_type, 1);
    assert!(inq.removable);
    assert_eq!(inq.vendor, "TAPEKIT");
    assert_eq!(inq.product, "VTAPE LTO-8");
    assert_eq!(c.residual, 96 - 36);
    // Allocation length 5 cuts the reply.
    let (c, b) = data_in(&mut d, &[0x12, 0, 0, 0, 5, 0], 96);
    assert_good(&c);
    assert_eq!(b.len(), 5);
    // VPD 00h lists 00h, 80h, 83h.
    let (c, b) = data_in(&mut d, &[0x12, 1, 0x00, 0, 255, 0], 255);
    assert_good(&c);
    assert_eq!(&b[..], &[0x01, 0x00, 0x00, 0x03, 0x00, 0x80, 0x83]);
    // VPD 80h: the serial number.
    let (c, b) = data_in(&mut d, &[0x12, 1, 0x80, 0, 255, 0], 255);
    assert_good(&c);
    let page = scsi_sg::inquiry::parse_vpd(&b).unwrap();
    let serial = scsi_sg::inquiry::parse_unit_serial(&page);
    assert!(serial.starts_with("VT") && serial.len() == 10, "{serial}");
    // VPD 83h: one T10 vendor ID designator.
    let (c, b) = data_in(&mut d, &[0x12, 1, 0x83, 0, 255, 0], 255);
    assert_good(&c);
    let page = scsi_sg::inquiry::parse_vpd(&b).unwrap();
    let ids = scsi_sg::inquiry::parse_device_identification(&page);
    assert_eq!(ids.len(), 1);
    assert_eq!(ids[0].designator_type, 1);
    // Unsupported VPD page: 24/00 pointing at byte 2.
    let (c, _) = data_in(&mut d, &[0x12, 1, 0xB5, 0, 255, 0], 255);
    let s = assert_sense(&c, SenseKey::IllegalRequest, 0x24, 0x00);
    assert_eq!(s.field_pointer().map(|f| f.byte), Some(2));
}

#[test]
fn block_limits_and_request_sense() {
    let (_dir, _p, mut d) = drive();
    let (c, b) = data_in(&mut d, &[0x05, 0, 0, 0, 0, 0], 6);
    assert_good(&c);
    // Granularity 0, maximum 0xFFFFFF, minimum 1.
    assert_eq!(b, [0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x01]);
    let l = scsi_sg::block_limits::parse(&b).unwrap();
    assert_eq!(l.max, 0x00FF_FFFF);
    // REQUEST SENSE with nothing pending: NO SENSE 00/00 (fixed, 18 bytes).
    let (c, b) = data_in(&mut d, &[0x03, 0, 0, 0, 252, 0], 252);
    assert_good(&c);
    assert_eq!(b.len(), 18);
    assert_eq!(b[0] & 0x7F, 0x70);
    assert_eq!(b[2] & 0x0F, 0);
}

#[test]
fn mode_sense_select_block_descriptor_and_compression() {
    let (_dir, _p, mut d) = drive();
    // st's open: MODE SENSE(6), page 0, allocation 12.
    let (c, b) = data_in(&mut d, &[0x1A, 0, 0, 0, 12, 0], 12);
    assert_good(&c);
    // Mode data length 11, medium type 0, buffered mode 1, BD length 8; density 5Eh
    // (LTO-8), block length 0 (variable).
    assert_eq!(b, [11, 0, 0x10, 8, 0x5E, 0, 0, 0, 0, 0, 0, 0]);
    // MODE SELECT(6) block length 1024.
    let list = [0, 0, 0x10, 8, 0, 0, 0, 0, 0, 0x00, 0x04, 0x00];
    assert_good(&data_out(&mut d, &[0x15, 0x10, 0, 0, 12, 0], &list));
    let (_, b) = data_in(&mut d, &[0x1A, 0, 0, 0, 12, 0], 12);
    assert_eq!(&b[9..12], &[0x00, 0x04, 0x00]);
    // Parameter list length 12 but only 8 bytes sent: 1A/00.
    let c = data_out(&mut d, &[0x15, 0x10, 0, 0, 12, 0], &list[..8]);
    assert_sense(&c, SenseKey::IllegalRequest, 0x1A, 0x00);
    // Unsupported density code 01h: 26/00, field pointer in the parameter list at the
    // descriptor's density byte (offset 4).
    let bad = [0, 0, 0x10, 8, 0x01, 0, 0, 0, 0, 0, 0, 0];
    let c = data_out(&mut d, &[0x15, 0x10, 0, 0, 12, 0], &bad);
    let s = assert_sense(&c, SenseKey::IllegalRequest, 0x26, 0x00);
    let fp = s.field_pointer().unwrap();
    assert_eq!((fp.in_cdb, fp.byte), (false, 4));
    // Page 0Fh: DCE = 1, DCC = 1 by default.
    let (c, b) = data_in(&mut d, &[0x1A, 0x08, 0x0F, 0, 255, 0], 255);
    assert_good(&c);
    let md = scsi_sg::mode::parse6(&b).unwrap();
    let dc = md.data_compression().unwrap();
    assert!(dc.dce && dc.dcc);
    // MODE SELECT(6) page 0Fh with DCE = 0.
    let mut list = vec![0, 0, 0x10, 0, 0x0F, 0x0E, 0x00, 0x80];
    list.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    assert_good(&data_out(
        &mut d,
        &[0x15, 0x10, 0, 0, list.len() as u8, 0],
        &list,
    ));
    let (_, b) = data_in(&mut d, &[0x1A, 0x08, 0x0F, 0, 255, 0], 255);
    let dc = scsi_sg::mode::parse6(&b)
        .unwrap()
        .data_compression()
        .unwrap();
    assert!(!dc.dce);
    // MODE SENSE(10) all pages: 0Fh, 10h, 11h.
    let (c, b) = data_in(&mut d, &[0x5A, 0, 0x3F, 0, 0, 0, 0, 0x10, 0x00, 0], 4096);
    assert_good(&c);
    let md = scsi_sg::mode::parse10(&b).unwrap();
    let codes: Vec<u8> = md.pages.iter().map(|p| p.code).collect();
    assert_eq!(codes, [0x0F, 0x10, 0x11]);
    assert_eq!(md.block_descriptor().unwrap().block_length, 1024);
    // Unsupported page 01h: 24/00 pointing at CDB byte 2.
    let (c, _) = data_in(&mut d, &[0x1A, 0, 0x01, 0, 255, 0], 255);
    let s = assert_sense(&c, SenseKey::IllegalRequest, 0x24, 0x00);
    assert_eq!(
        s.field_pointer().map(|f| (f.in_cdb, f.byte)),
        Some((true, 2))
    );
}

#[test]
fn unload_load_unit_attention_and_prevent() {
    let (_dir, _p, mut d) = drive();
    // PREVENT ALLOW MEDIUM REMOVAL, PREVENT = 1 (byte 4).
    assert_good(&no_data(&mut d, &[0x1E, 0, 0, 0, 1, 0]));
    // LOAD UNLOAD with LOAD = 0 while prevented: ILLEGAL REQUEST 53/02.
    let c = no_data(&mut d, &[0x1B, 0, 0, 0, 0, 0]);
    assert_sense(&c, SenseKey::IllegalRequest, 0x53, 0x02);
    assert_good(&no_data(&mut d, &[0x1E, 0, 0, 0, 0, 0]));
    assert_good(&no_data(&mut d, &[0x1B, 0, 0, 0, 0, 0]));
    assert!(d.medium().is_none());
    // No medium: NOT READY 3A/00 for TUR and READ; INQUIRY still works.
    assert_sense(&no_data(&mut d, &TUR), SenseKey::NotReady, 0x3A, 0x00);
    assert_sense(&read_var(&mut d, 10).0, SenseKey::NotReady, 0x3A, 0x00);
    assert_good(&data_in(&mut d, &[0x12, 0, 0, 0, 36, 0], 36).0);
    // REQUEST SENSE reports the not-ready condition as data.
    let (c, b) = data_in(&mut d, &[0x03, 0, 0, 0, 18, 0], 18);
    assert_good(&c);
    assert_eq!((b[2] & 0x0F, b[12], b[13]), (0x02, 0x3A, 0x00));
    // LOAD = 1: the next command (not INQUIRY / REQUEST SENSE) gets UNIT ATTENTION 28/00
    // once.
    assert_good(&no_data(&mut d, &[0x1B, 0, 0, 0, 1, 0]));
    assert_good(&data_in(&mut d, &[0x12, 0, 0, 0, 36, 0], 36).0);
    assert_sense(&no_data(&mut d, &TUR), SenseKey::UnitAttention, 0x28, 0x00);
    assert_good(&no_data(&mut d, &TUR));
    // After another unload/load, REQUEST SENSE returns (and clears) the UNIT ATTENTION.
    assert_good(&no_data(&mut d, &[0x1B, 0, 0, 0, 0, 0]));
    assert_good(&no_data(&mut d, &[0x1B, 0, 0, 0, 1, 0]));
    let (c, b) = data_in(&mut d, &[0x03, 0, 0, 0, 18, 0], 18);
    assert_good(&c);
    assert_eq!((b[2] & 0x0F, b[12]), (0x06, 0x28));
    assert_good(&no_data(&mut d, &TUR));
}

#[test]
fn report_density_support() {
    let (_dir, _p, mut d) = drive();
    // MEDIA = 0: the drive's densities. LTO-8 writes 5Eh and 5Ch, reads 5Ah too.
    let (c, b) = data_in(&mut d, &[0x44, 0, 0, 0, 0, 0, 0, 0x20, 0x00, 0], 8192);
    assert_good(&c);
    let ds = scsi_sg::density::parse(&b).unwrap();
    let codes: Vec<(u8, bool)> = ds
        .descriptors
        .iter()
        .map(|x| (x.primary_code, x.writable))
        .collect();
    assert_eq!(codes, [(0x5E, true), (0x5C, true), (0x5A, false)]);
    assert_eq!(ds.default_density().map(|x| x.primary_code), Some(0x5E));
    // MEDIA = 1: the loaded medium's density.
    let (c, b) = data_in(&mut d, &[0x44, 1, 0, 0, 0, 0, 0, 0x20, 0x00, 0], 8192);
    assert_good(&c);
    let ds = scsi_sg::density::parse(&b).unwrap();
    assert_eq!(ds.highest_primary_code(), Some(0x5E));
    assert_eq!(ds.descriptors.len(), 1);
}

#[test]
fn log_sense_pages() {
    let (_dir, _p, mut d) = drive();
    for _ in 0..8 {
        assert_good(&write_var(&mut d, &vec![0u8; 262_144]));
    }
    // LOG SENSE page 00h, PC = 01b (byte 2 = 0x40), allocation 256.
    let (c, b) = data_in(&mut d, &[0x4D, 0, 0x40, 0, 0, 0, 0, 0x01, 0x00, 0], 256);
    assert_good(&c);
    assert_eq!(&b[4..], &[0x00, 0x12, 0x17, 0x2E]);
    // Page 17h: 8 × 262144 = 2 097 152 bytes = 2 MB (10^6) written.
    let (c, b) = data_in(&mut d, &[0x4D, 0, 0x57, 0, 0, 0, 0, 0x20, 0x00, 0], 8192);
    assert_good(&c);
    let page = scsi_sg::log::parse(&b).unwrap();
    let v = scsi_sg::VolumeStatistics::from_page(&page).unwrap();
    assert!(v.is_valid());
    assert_eq!(v.volume_mounts, Some(1));
    assert_eq!(v.lifetime_mb_written, Some(2));
    assert_eq!(v.last_mount_mb_written, Some(2));
    assert_eq!(v.total_native_capacity, Some(64 * MIB / 1_000_000));
    // Page 12h: no TapeAlert flags.
    let (c, b) = data_in(&mut d, &[0x4D, 0, 0x52, 0, 0, 0, 0, 0x02, 0x00, 0], 512);
    assert_good(&c);
    let page = scsi_sg::log::parse(&b).unwrap();
    assert!(scsi_sg::TapeAlertFlags::from_response_page(&page)
        .unwrap()
        .is_empty());
    // Page 2Eh parses as the clearing TapeAlert page.
    let (c, b) = data_in(&mut d, &[0x4D, 0, 0x6E, 0, 0, 0, 0, 0x02, 0x00, 0], 512);
    assert_good(&c);
    let page = scsi_sg::log::parse(&b).unwrap();
    assert!(scsi_sg::TapeAlertFlags::from_tape_alert_page(&page)
        .unwrap()
        .is_empty());
}

#[test]
fn table_has_every_command_in_scope_once() {
    let scope = [
        opcode::TEST_UNIT_READY,
        opcode::REWIND,
        opcode::REQUEST_SENSE,
        opcode::FORMAT_MEDIUM,
        opcode::READ_BLOCK_LIMITS,
        opcode::READ_6,
        opcode::WRITE_6,
        opcode::WRITE_FILEMARKS_6,
        opcode::SPACE_6,
        opcode::INQUIRY,
        opcode::MODE_SELECT_6,
        opcode::ERASE_6,
        opcode::MODE_SENSE_6,
        opcode::LOAD_UNLOAD,
        opcode::PREVENT_ALLOW_MEDIUM_REMOVAL,
        opcode::LOCATE_10,
        opcode::READ_POSITION,
        opcode::REPORT_DENSITY_SUPPORT,
        opcode::LOG_SENSE,
        opcode::MODE_SELECT_10,
        opcode::MODE_SENSE_10,
        opcode::SPACE_16,
        opcode::LOCATE_16,
    ];
    let ops: Vec<u8> = Drive::commands().map(|c| c.opcode).collect();
    for op in scope {
        assert_eq!(
            ops.iter().filter(|&&o| o == op).count(),
            1,
            "opcode {op:02X}h"
        );
    }
    assert!(Drive::commands().all(|c| !c.name.is_empty()));
}

#[test]
fn transport_runners_work_on_a_drive() {
    let (_dir, _p, mut d) = drive();
    assert_good(&write_var(&mut d, b"abc"));
    let pos = scsi_sg::position::read_short(&mut d).unwrap();
    assert_eq!(pos.first_block, Some(1));
    let pos = scsi_sg::position::read_long(&mut d).unwrap();
    assert_eq!(pos.block_number, Some(1));
    let inq = scsi_sg::inquiry::standard(&mut d).unwrap();
    assert!(inq.is_tape());
}
