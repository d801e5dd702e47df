//! READ(6), WRITE(6), WRITE FILEMARKS(6): data, filemark/EOD sense, ILI residues in variable
//! and fixed mode, early warning, volume overflow and write protect (SSC-4 §6.8, §6.9,
//! §7.4; `reference/scsi.md` §7.5-7.6; `reference/st-driver.md` §5).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod drive_util;

use drive_util::*;
use scsi_sg::SenseKey;
use vtape::medium::{Generation, MediumConfig};

#[test]
fn variable_round_trip() {
    let (_dir, _p, mut d) = drive();
    assert_good(&write_var(&mut d, b"hello"));
    assert_good(&write_var(&mut d, b"world!"));
    assert_eq!(position(&mut d).2, 2);
    rewind(&mut d);
    let (c, b) = read_var(&mut d, 5);
    assert_good(&c);
    assert_eq!(b, b"hello");
    let (c, b) = read_var(&mut d, 6);
    assert_good(&c);
    assert_eq!(b, b"world!");
}

#[test]
fn read_filemark_then_eod() {
    let (_dir, _p, mut d) = drive();
    assert_good(&write_var(&mut d, b"x"));
    assert_good(&write_filemarks(&mut d, 1));
    rewind(&mut d);
    assert_good(&read_var(&mut d, 1).0);
    // At the filemark: NO SENSE, FILEMARK, 00/01, INFORMATION = requested length (nothing
    // transferred); the position is after the filemark.
    let (c, b) = read_var(&mut d, 512);
    let s = assert_sense(&c, SenseKey::NoSense, 0x00, 0x01);
    assert!(s.filemark && !s.eom && !s.ili);
    assert_eq!(s.information, Some(512));
    assert!(b.is_empty());
    assert_eq!(c.residual, 512);
    assert_eq!(position(&mut d).2, 2);
    // At end of data: BLANK CHECK 00/05, no EOM, INFORMATION = requested length.
    let (c, _) = read_var(&mut d, 512);
    let s = assert_sense(&c, SenseKey::BlankCheck, 0x00, 0x05);
    assert!(!s.eom);
    assert_eq!(s.information, Some(512));
    assert_eq!(position(&mut d).2, 2);
}

#[test]
fn variable_ili_short_and_long_records() {
    let (_dir, _p, mut d) = drive();
    assert_good(&write_var(&mut d, &[7u8; 10]));
    assert_good(&write_var(&mut d, &[9u8; 16]));
    assert_good(&write_var(&mut d, &[1u8; 4]));
    rewind(&mut d);
    // Short record: ILI, INFORMATION = requested − actual = 16 − 10 = +6.
    let (c, b) = read_var(&mut d, 16);
    let s = assert_sense(&c, SenseKey::NoSense, 0x00, 0x00);
    assert!(s.ili);
    assert_eq!(s.information, Some(6));
    assert_eq!(b, vec![7u8; 10]);
    assert_eq!(c.residual, 6);
    // Long record: ILI, INFORMATION = 10 − 16 = −6, 10 bytes transferred, position after it.
    let (c, b) = read_var(&mut d, 10);
    let s = assert_sense(&c, SenseKey::NoSense, 0x00, 0x00);
    assert!(s.ili);
    assert_eq!(s.information, Some(-6));
    assert_eq!(b, vec![9u8; 10]);
    assert_eq!(position(&mut d).2, 2);
    // SILI (byte 1 bit 1) in variable-block mode suppresses ILI for a short record.
    let mut buf = [0u8; 8];
    let c = d.execute(
        &[0x08, 0x02, 0, 0, 8, 0],
        scsi_sg::DataDir::FromDevice(&mut buf),
    );
    assert_good(&c);
    assert_eq!(c.residual, 4);
    assert_eq!(&buf[..4], &[1u8; 4]);
}

/// MODE SELECT(6) with a block descriptor: density 0 (keep), block length `len`.
fn set_block_len(d: &mut vtape::drive::Drive, len: u32) {
    let l = len.to_be_bytes();
    // Header: mode data length 0 (reserved), medium type 0, buffered mode 1, BD length 8.
    let list = [0, 0, 0x10, 8, 0, 0, 0, 0, 0, l[1], l[2], l[3]];
    // MODE SELECT(6): byte 1 PF = 1, byte 4 parameter list length 12.
    assert_good(&data_out(d, &[0x15, 0x10, 0, 0, 12, 0], &list));
}

#[test]
fn fixed_mode_blocks_filemark_and_ili() {
    let (_dir, _p, mut d) = drive();
    set_block_len(&mut d, 512);
    // WRITE(6) FIXED = 1, 3 blocks of 512.
    let data: Vec<u8> = (0..1536u32).map(|i| i as u8).collect();
    assert_good(&data_out(&mut d, &[0x0A, 0x01, 0, 0, 3, 0], &data));
    assert_good(&write_filemarks(&mut d, 1));
    // A 100-byte record written in variable mode (FIXED = 0 is allowed in fixed mode).
    assert_good(&write_var(&mut d, &[5u8; 100]));
    rewind(&mut d);
    // READ(6) FIXED = 1, 4 blocks: 3 read, then the filemark; INFORMATION = 4 − 3 = 1.
    let (c, b) = data_in(&mut d, &[0x08, 0x01, 0, 0, 4, 0], 2048);
    let s = assert_sense(&c, SenseKey::NoSense, 0x00, 0x01);
    assert!(s.filemark);
    assert_eq!(s.information, Some(1));
    assert_eq!(b, data);
    assert_eq!(position(&mut d).2, 4);
    // Fixed read of 2 blocks meets the 100-byte record: ILI, INFORMATION = 2 blocks not
    // transferred, position after the record.
    let (c, _) = data_in(&mut d, &[0x08, 0x01, 0, 0, 2, 0], 1024);
    let s = assert_sense(&c, SenseKey::NoSense, 0x00, 0x00);
    assert!(s.ili);
    assert_eq!(s.information, Some(2));
    assert_eq!(position(&mut d).2, 5);
    // FIXED = 1 together with SILI = 1 is an invalid CDB (byte 1).
    let (c, _) = data_in(&mut d, &[0x08, 0x03, 0, 0, 1, 0], 512);
    let s = assert_sense(&c, SenseKey::IllegalRequest, 0x24, 0x00);
    let fp = s.field_pointer().unwrap();
    assert!(fp.in_cdb);
    assert_eq!(fp.byte, 1);
}

#[test]
fn fixed_read_into_a_short_buffer_stops_before_the_block_that_does_not_fit() {
    let (_dir, _p, mut d) = drive();
    set_block_len(&mut d, 512);
    let data: Vec<u8> = (0..1536u32).map(|i| (i * 7) as u8).collect();
    assert_good(&data_out(&mut d, &[0x0A, 0x01, 0, 0, 3, 0], &data));
    rewind(&mut d);
    // READ(6) FIXED = 1, 3 blocks, into a buffer of 1.5 blocks: one block is transferred,
    // INFORMATION = 2 blocks not transferred, and the next block is still on the medium.
    let (c, b) = data_in(&mut d, &[0x08, 0x01, 0, 0, 3, 0], 768);
    let s = assert_sense(&c, SenseKey::NoSense, 0x00, 0x00);
    assert!(!s.ili && !s.filemark && !s.eom);
    assert_eq!(s.information, Some(2));
    assert_eq!(c.residual, 768 - 512);
    assert_eq!(&b[..512], &data[..512]);
    assert_eq!(position(&mut d).2, 1);
    // A buffer smaller than one block: nothing moves.
    let (c, _) = data_in(&mut d, &[0x08, 0x01, 0, 0, 2, 0], 100);
    assert_eq!(sense(&c).information, Some(2));
    assert_eq!(c.residual, 100);
    assert_eq!(position(&mut d).2, 1);
    // The remaining two blocks read normally.
    let (c, b) = data_in(&mut d, &[0x08, 0x01, 0, 0, 2, 0], 1024);
    assert_good(&c);
    assert_eq!(b, &data[512..]);
}

#[test]
fn fixed_bit_in_variable_mode_is_invalid() {
    let (_dir, _p, mut d) = drive();
    let c = data_out(&mut d, &[0x0A, 0x01, 0, 0, 1, 0], &[0u8; 512]);
    let s = assert_sense(&c, SenseKey::IllegalRequest, 0x24, 0x00);
    let fp = s.field_pointer().unwrap();
    assert_eq!((fp.in_cdb, fp.byte, fp.bit), (true, 1, Some(0)));
    // Transfer length larger than the data sent: parameter list length error.
    let c = data_out(&mut d, &[0x0A, 0x00, 0, 0x10, 0, 0], &[0u8; 16]);
    assert_sense(&c, SenseKey::IllegalRequest, 0x1A, 0x00);
}

#[test]
fn early_warning_then_volume_overflow() {
    // 4 MiB partition: early-warning zone = min(4 MiB / 4, 2 MiB) = 1 MiB (rule of
    // medium::early_warning_size), so early warning starts once more than 3 MiB is used.
    let (_dir, _p, mut d) = drive_with(MediumConfig::new(Generation::Lto6).with_capacity(4 * MIB));
    let rec = vec![0xA5u8; 256 * 1024];
    for i in 0..12 {
        assert_good(&write_var(&mut d, &rec));
        assert_eq!(position(&mut d).2, i + 1);
    }
    // Records 13..16 end inside the zone: written, NO SENSE + EOM 00/02, INFORMATION 0.
    for i in 12..16 {
        let c = write_var(&mut d, &rec);
        let s = assert_sense(&c, SenseKey::NoSense, 0x00, 0x02);
        assert!(s.eom);
        assert_eq!(s.information, Some(0));
        assert_eq!(c.residual, 0);
        assert_eq!(position(&mut d).2, i + 1);
        // READ POSITION reports EOP in the zone.
        assert_ne!(position(&mut d).0 & 0x40, 0);
    }
    // The 17th would pass the end: VOLUME OVERFLOW 00/02 with EOM, nothing written.
    let c = write_var(&mut d, &rec);
    let s = assert_sense(&c, SenseKey::VolumeOverflow, 0x00, 0x02);
    assert!(s.eom);
    assert_eq!(s.information, Some(rec.len() as i64));
    assert_eq!(position(&mut d).2, 16);
    // Filemarks still fit (they take no capacity) and report early warning.
    let c = write_filemarks(&mut d, 1);
    assert!(assert_sense(&c, SenseKey::NoSense, 0x00, 0x02).eom);
}

#[test]
fn write_protect() {
    let mut cfg = MediumConfig::new(Generation::Lto7).with_capacity(16 * MIB);
    cfg.write_protect = true;
    let (_dir, _p, mut d) = drive_with(cfg);
    assert_sense(&write_var(&mut d, b"x"), SenseKey::DataProtect, 0x27, 0x00);
    // TapeAlert flag 09h (write protect) is raised: page 12h shows it, page 2Eh shows and
    // clears it.
    let page12 = [0x4D, 0, 0x52, 0, 0, 0, 0, 0x02, 0x00, 0];
    let page2e = [0x4D, 0, 0x6E, 0, 0, 0, 0, 0x02, 0x00, 0];
    let flags = |d: &mut vtape::drive::Drive, cdb: &[u8], clearing: bool| {
        let (c, b) = data_in(d, cdb, 512);
        assert_good(&c);
        let page = scsi_sg::log::parse(&b).unwrap();
        if clearing {
            scsi_sg::TapeAlertFlags::from_tape_alert_page(&page).unwrap()
        } else {
            scsi_sg::TapeAlertFlags::from_response_page(&page).unwrap()
        }
    };
    assert!(flags(&mut d, &page12, false).flag(9));
    assert!(flags(&mut d, &page12, false).flag(9), "12h does not clear");
    assert!(flags(&mut d, &page2e, true).flag(9));
    assert!(
        flags(&mut d, &page12, false).is_empty(),
        "2Eh cleared the flags"
    );
    assert_sense(
        &write_filemarks(&mut d, 1),
        SenseKey::DataProtect,
        0x27,
        0x00,
    );
    // ERASE(6) LONG = 1.
    let c = no_data(&mut d, &[0x19, 0x01, 0, 0, 0, 0]);
    assert_sense(&c, SenseKey::DataProtect, 0x27, 0x00);
    // FORMAT MEDIUM, FORMAT 0.
    let c = no_data(&mut d, &[0x04, 0, 0, 0, 0, 0]);
    assert_sense(&c, SenseKey::DataProtect, 0x27, 0x00);
    // MODE SENSE(6), page 0, allocation 12: WP is bit 7 of the device-specific byte.
    let (c, b) = data_in(&mut d, &[0x1A, 0, 0, 0, 12, 0], 12);
    assert_good(&c);
    assert_eq!(b[2] & 0x80, 0x80);
}
