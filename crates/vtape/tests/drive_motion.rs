//! SPACE(6)/(16), LOCATE(10)/(16), READ POSITION forms, REWIND, ERASE, FORMAT MEDIUM with
//! mode page 11h, and persistence of the position (SSC-4 §6.2, §6.3, §7.2-7.10).
//!
//! Layout used throughout (`two_files`): 0 "a0", 1 "a1", 2 FM, 3 "b0", 4 FM, EOD at 5.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod drive_util;

use drive_util::*;
use scsi_sg::SenseKey;
use vtape::drive::Drive;

/// SPACE codes (byte 1): 0 blocks, 1 filemarks, 3 end of data.
const BLOCKS: u8 = 0;
const FILEMARKS: u8 = 1;
const EOD: u8 = 3;

/// LOCATE(10): BT (byte 1 bit 2), CP (bit 1), object in bytes 3-6, partition in byte 8.
fn locate10(d: &mut Drive, cp: bool, partition: u8, obj: u32) -> scsi_sg::Completion {
    let o = obj.to_be_bytes();
    let b1 = 0x04 | if cp { 0x02 } else { 0 };
    no_data(d, &[0x2B, b1, 0, o[0], o[1], o[2], o[3], 0, partition, 0])
}

#[test]
fn space_blocks() {
    let (_dir, _p, mut d) = drive();
    two_files(&mut d);
    // Forward 3 blocks from 0: two records, then the filemark stops the command: FILEMARK
    // 00/01, INFORMATION = 3 − 2 = 1, positioned after the filemark.
    let s = assert_sense(&space(&mut d, BLOCKS, 3), SenseKey::NoSense, 0x00, 0x01);
    assert!(s.filemark);
    assert_eq!(s.information, Some(1));
    assert_eq!(position(&mut d).2, 3);
    // Forward 1: over "b0".
    assert_good(&space(&mut d, BLOCKS, 1));
    assert_eq!(position(&mut d).2, 4);
    // Backward 2 from 4: over "b0", then the filemark at 2: INFORMATION = 1, positioned
    // before the filemark (BOP side).
    let s = assert_sense(&space(&mut d, BLOCKS, -2), SenseKey::NoSense, 0x00, 0x01);
    assert!(s.filemark);
    assert_eq!(s.information, Some(1));
    assert_eq!(position(&mut d).2, 2);
    // Backward 3 from 2: two records, then BOP: EOM 00/04, INFORMATION = 1, at 0.
    let s = assert_sense(&space(&mut d, BLOCKS, -3), SenseKey::NoSense, 0x00, 0x04);
    assert!(s.eom);
    assert_eq!(s.information, Some(1));
    let (flags, _, pos) = position(&mut d);
    assert_eq!(pos, 0);
    assert_eq!(flags & 0x80, 0x80, "BOP");
    // At end of data, forward 2: BLANK CHECK 00/05, INFORMATION = 2.
    assert_good(&space(&mut d, EOD, 0));
    assert_eq!(position(&mut d).2, 5);
    let s = assert_sense(&space(&mut d, BLOCKS, 2), SenseKey::BlankCheck, 0x00, 0x05);
    assert!(!s.eom);
    assert_eq!(s.information, Some(2));
    assert_eq!(position(&mut d).2, 5);
}

#[test]
fn space_filemarks() {
    let (_dir, _p, mut d) = drive();
    two_files(&mut d);
    assert_good(&space(&mut d, FILEMARKS, 1));
    assert_eq!(position(&mut d).2, 3);
    rewind(&mut d);
    assert_good(&space(&mut d, FILEMARKS, 2));
    assert_eq!(position(&mut d).2, 5);
    rewind(&mut d);
    // Three filemarks forward, only two exist: BLANK CHECK at EOD, INFORMATION = 1.
    let s = assert_sense(
        &space(&mut d, FILEMARKS, 3),
        SenseKey::BlankCheck,
        0x00,
        0x05,
    );
    assert_eq!(s.information, Some(1));
    assert_eq!(position(&mut d).2, 5);
    // Backward 1 from EOD: before the filemark at 4.
    assert_good(&space(&mut d, FILEMARKS, -1));
    assert_eq!(position(&mut d).2, 4);
    // Backward 3 from 4: the filemark at 2, then BOP: EOM 00/04, INFORMATION = 2.
    let s = assert_sense(&space(&mut d, FILEMARKS, -3), SenseKey::NoSense, 0x00, 0x04);
    assert!(s.eom);
    assert_eq!(s.information, Some(2));
    assert_eq!(position(&mut d).2, 0);
}

#[test]
fn space16() {
    let (_dir, _p, mut d) = drive();
    two_files(&mut d);
    // SPACE(16): code in byte 1, signed 64-bit count in bytes 4-11, parameter length 12-13.
    let count = 4i64.to_be_bytes();
    let mut cdb = [0u8; 16];
    cdb[0] = 0x91;
    cdb[1] = BLOCKS;
    cdb[4..12].copy_from_slice(&count);
    let s = assert_sense(&no_data(&mut d, &cdb), SenseKey::NoSense, 0x00, 0x01);
    assert_eq!(s.information, Some(2));
    assert_eq!(position(&mut d).2, 3);
    // Back 1 from 3: the object before is the filemark at 2: FILEMARK, INFORMATION 1,
    // positioned before it.
    cdb[4..12].copy_from_slice(&(-1i64).to_be_bytes());
    let s = assert_sense(&no_data(&mut d, &cdb), SenseKey::NoSense, 0x00, 0x01);
    assert_eq!(s.information, Some(1));
    assert_eq!(position(&mut d).2, 2);
    // Back 1 from 2 crosses "a1".
    assert_good(&no_data(&mut d, &cdb));
    assert_eq!(position(&mut d).2, 1);
}

#[test]
fn locate_and_read_position_forms() {
    let (_dir, _p, mut d) = drive();
    two_files(&mut d);
    assert_good(&locate10(&mut d, false, 0, 3));
    assert_eq!(position(&mut d), (0, 0, 3));
    // Long form (SA 06h): partition u32 at 4, object u64 at 8, file number u64 at 16.
    let (c, b) = data_in(&mut d, &[0x34, 0x06, 0, 0, 0, 0, 0, 0, 0, 0], 32);
    assert_good(&c);
    assert_eq!(b.len(), 32);
    assert_eq!(u32::from_be_bytes(b[4..8].try_into().unwrap()), 0);
    assert_eq!(u64::from_be_bytes(b[8..16].try_into().unwrap()), 3);
    assert_eq!(u64::from_be_bytes(b[16..24].try_into().unwrap()), 1);
    // Extended form (SA 08h), allocation 32: additional length 1Ch, first location at 8.
    let (c, b) = data_in(&mut d, &[0x34, 0x08, 0, 0, 0, 0, 0, 0, 32, 0], 32);
    assert_good(&c);
    assert_eq!(&b[2..4], &[0x00, 0x1C]);
    assert_eq!(u64::from_be_bytes(b[8..16].try_into().unwrap()), 3);
    // Beyond end of data: BLANK CHECK 00/05, positioned at EOD.
    assert_sense(
        &locate10(&mut d, false, 0, 10),
        SenseKey::BlankCheck,
        0x00,
        0x05,
    );
    assert_eq!(position(&mut d).2, 5);
    // LOCATE(16) to logical file 1 (DEST_TYPE 001b = byte 1 0x08): after the first FM.
    let mut cdb = [0u8; 16];
    cdb[0] = 0x92;
    cdb[1] = 0x08;
    cdb[4..12].copy_from_slice(&1u64.to_be_bytes());
    assert_good(&no_data(&mut d, &cdb));
    assert_eq!(position(&mut d).2, 3);
    // DEST_TYPE 000b, object 1.
    cdb[1] = 0x00;
    assert_good(&no_data(&mut d, &cdb));
    assert_eq!(position(&mut d).2, 1);
    // Unknown service action of READ POSITION: 24/00.
    let (c, _) = data_in(&mut d, &[0x34, 0x1F, 0, 0, 0, 0, 0, 0, 0, 0], 32);
    assert_sense(&c, SenseKey::IllegalRequest, 0x24, 0x00);
}

#[test]
fn erase_from_position() {
    let (_dir, _p, mut d) = drive();
    two_files(&mut d);
    assert_good(&locate10(&mut d, false, 0, 2));
    // ERASE(6), LONG = 1: end of data moves to the current position.
    assert_good(&no_data(&mut d, &[0x19, 0x01, 0, 0, 0, 0]));
    assert_good(&space(&mut d, EOD, 0));
    assert_eq!(position(&mut d).2, 2);
}

#[test]
fn partition_with_mode_select_and_format() {
    let (_dir, _p, mut d) = drive();
    assert_good(&write_var(&mut d, b"data"));
    rewind(&mut d);
    // MODE SELECT(6) page 11h as st's MTMKPART sends it: IDP, PSUM = MB (byte 4 = 0x30),
    // partition 0 descriptor FFFFh (the rest), partition 1 = 10 MB.
    let list = [
        0, 0, 0x10, 0, // header, no block descriptor
        0x11, 0x0A, 1, 1, 0x30, 0x03, 0, 0, 0xFF, 0xFF, 0x00, 0x0A,
    ];
    assert_good(&data_out(
        &mut d,
        &[0x15, 0x10, 0, 0, list.len() as u8, 0],
        &list,
    ));
    // FORMAT MEDIUM, FORMAT 0: applies the selected partitioning.
    assert_good(&no_data(&mut d, &[0x04, 0, 0, 0, 0, 0]));
    let m = d.medium().unwrap();
    assert_eq!(m.partitions(), 2);
    assert_eq!(m.capacity(1), 10_000_000);
    assert_eq!(m.object_count(0), 0);
    // LOCATE(10) with CP to partition 1, object 0.
    assert_good(&locate10(&mut d, true, 1, 0));
    assert_eq!(position(&mut d), (0x80, 1, 0));
    assert_good(&write_var(&mut d, b"p1"));
    // MODE SENSE(6) page 11h: two partitions, sizes in MB.
    let (c, b) = data_in(&mut d, &[0x1A, 0x08, 0x11, 0, 0xFF, 0], 255);
    assert_good(&c);
    assert_eq!(b[3], 0, "DBD: no block descriptor");
    let page = &b[4..];
    assert_eq!(page[0] & 0x3F, 0x11);
    assert_eq!(page[3], 1, "additional partitions defined");
    assert_eq!(page[4] & 0x04, 0x04, "POFM");
    assert_eq!(u16::from_be_bytes([page[10], page[11]]), 10);
    // FORMAT away from BOP of partition 0: ILLEGAL REQUEST 2C/00.
    let c = no_data(&mut d, &[0x04, 0, 0, 0, 0, 0]);
    assert_sense(&c, SenseKey::IllegalRequest, 0x2C, 0x00);
}

#[test]
fn position_persists_across_reopen() {
    let (_dir, path, mut d) = drive();
    two_files(&mut d);
    assert_good(&space(&mut d, FILEMARKS, 1));
    assert_good(&space(&mut d, BLOCKS, 1));
    let before = position(&mut d);
    assert_eq!(before.2, 4);
    d.set_host_state(b"st-state");
    d.persist().unwrap();
    drop(d);
    let mut d = Drive::open(&path).unwrap();
    assert_eq!(position(&mut d), before);
    assert_eq!(d.host_state(), b"st-state");
    // No UNIT ATTENTION on open: TEST UNIT READY is GOOD at once.
    assert_good(&no_data(&mut d, &[0, 0, 0, 0, 0, 0]));
}
