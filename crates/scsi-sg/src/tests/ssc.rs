//! CDB layouts from SSC-4 §7 (expected bytes written by hand from the tables).

use super::*;
use crate::mock::{MockReply, MockTransport, RecordedData};

#[test]
fn read_write_cdbs() {
    // READ(6) variable, 256 KiB: 08 00 04 00 00 00.
    assert_eq!(
        read6_cdb(false, false, 262_144).unwrap(),
        [0x08, 0x00, 0x04, 0x00, 0x00, 0x00]
    );
    // READ(6) SILI, 10 240 bytes: byte 1 = 02.
    assert_eq!(
        read6_cdb(false, true, 10_240).unwrap(),
        [0x08, 0x02, 0x00, 0x28, 0x00, 0x00]
    );
    // READ(6) FIXED, 20 blocks.
    assert_eq!(
        read6_cdb(true, false, 20).unwrap(),
        [0x08, 0x01, 0x00, 0x00, 0x14, 0x00]
    );
    // WRITE(6) variable, max 24-bit length.
    assert_eq!(
        write6_cdb(false, 0xFF_FFFF).unwrap(),
        [0x0A, 0x00, 0xFF, 0xFF, 0xFF, 0x00]
    );
    assert_eq!(
        write6_cdb(true, 1).unwrap(),
        [0x0A, 0x01, 0x00, 0x00, 0x01, 0x00]
    );
    assert!(write6_cdb(false, 0x100_0000).is_err());
    assert!(read6_cdb(true, false, 0x100_0000).is_err());
}

#[test]
fn filemark_and_space_cdbs() {
    assert_eq!(
        write_filemarks6_cdb(false, 1).unwrap(),
        [0x10, 0x00, 0x00, 0x00, 0x01, 0x00]
    );
    assert_eq!(
        write_filemarks6_cdb(true, 0).unwrap(),
        [0x10, 0x01, 0x00, 0x00, 0x00, 0x00]
    );
    // WSMK is byte 1 bit 1.
    assert_eq!(
        write_setmarks6_cdb(false, 1).unwrap(),
        [0x10, 0x02, 0x00, 0x00, 0x01, 0x00]
    );
    // SPACE(6) back 1 filemark: 11 01 FF FF FF 00.
    assert_eq!(
        space6_cdb(SpaceCode::Filemarks, -1).unwrap(),
        [0x11, 0x01, 0xFF, 0xFF, 0xFF, 0x00]
    );
    // Forward 2 filemarks.
    assert_eq!(
        space6_cdb(SpaceCode::Filemarks, 2).unwrap(),
        [0x11, 0x01, 0x00, 0x00, 0x02, 0x00]
    );
    // Back 3 blocks: -3 = FF FF FD.
    assert_eq!(
        space6_cdb(SpaceCode::Blocks, -3).unwrap(),
        [0x11, 0x00, 0xFF, 0xFF, 0xFD, 0x00]
    );
    // st's MTEOM first spaces 0x7FFFFF filemarks, then to EOD (code 011b).
    assert_eq!(
        space6_cdb(SpaceCode::Filemarks, 0x7F_FFFF).unwrap(),
        [0x11, 0x01, 0x7F, 0xFF, 0xFF, 0x00]
    );
    assert_eq!(
        space6_cdb(SpaceCode::EndOfData, 0).unwrap(),
        [0x11, 0x03, 0x00, 0x00, 0x00, 0x00]
    );
    assert_eq!(
        space6_cdb(SpaceCode::Blocks, -0x80_0000).unwrap(),
        [0x11, 0x00, 0x80, 0x00, 0x00, 0x00]
    );
    assert!(space6_cdb(SpaceCode::Blocks, 0x80_0000).is_err());
    assert!(space6_cdb(SpaceCode::Blocks, -0x80_0001).is_err());
    // SPACE(16) back 1 block: count in bytes 4-11.
    assert_eq!(
        space16_cdb(SpaceCode::Blocks, -1),
        [0x91, 0x00, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]
    );
    assert_eq!(
        space16_cdb(SpaceCode::Filemarks, 0x1_0000_0000),
        [0x91, 0x01, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0]
    );
}

#[test]
fn locate_cdbs() {
    // LOCATE(10), BT = 1 (st default), block 0x12345678, same partition.
    assert_eq!(
        locate10_cdb(true, None, 0x1234_5678, false),
        [0x2B, 0x04, 0x00, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00]
    );
    // CP + partition 1, IMMED.
    assert_eq!(
        locate10_cdb(false, Some(1), 5, true),
        [0x2B, 0x03, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x01, 0x00]
    );
    // LOCATE(16) to file 3 of partition 1: DEST_TYPE 001b in bits 5-3 = 08, CP = 02.
    assert_eq!(
        locate16_cdb(DestType::File, Some(1), 3, false),
        [0x92, 0x0A, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x03, 0, 0, 0, 0]
    );
    assert_eq!(
        locate16_cdb(DestType::Object, None, 0x0102_0304_0506_0708, false),
        [0x92, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]
    );
    assert_eq!(locate16_cdb(DestType::EndOfData, None, 0, true)[1], 0x19);
}

#[test]
fn medium_cdbs() {
    assert_eq!(rewind_cdb(false), [0x01, 0, 0, 0, 0, 0]);
    assert_eq!(rewind_cdb(true), [0x01, 0x01, 0, 0, 0, 0]);
    // Unload: LOAD = 0; MTRETEN: byte 4 = 03 (RETEN + LOAD); MTLOAD: 01.
    assert_eq!(
        load_unload_cdb(false, false, false),
        [0x1B, 0, 0, 0, 0x00, 0]
    );
    assert_eq!(load_unload_cdb(true, true, false), [0x1B, 0, 0, 0, 0x03, 0]);
    assert_eq!(
        load_unload_cdb(true, false, true),
        [0x1B, 0x01, 0, 0, 0x01, 0]
    );
    // ERASE(6): LONG = bit 0, IMMED = bit 1.
    assert_eq!(erase6_cdb(true, false), [0x19, 0x01, 0, 0, 0, 0]);
    assert_eq!(erase6_cdb(true, true), [0x19, 0x03, 0, 0, 0, 0]);
    assert_eq!(erase6_cdb(false, false), [0x19, 0x00, 0, 0, 0, 0]);
    assert_eq!(prevent_allow_cdb(true), [0x1E, 0, 0, 0, 0x01, 0]);
    assert_eq!(prevent_allow_cdb(false), [0x1E, 0, 0, 0, 0x00, 0]);
    // FORMAT MEDIUM, FORMAT = 1 (partition per mode page 11h).
    assert_eq!(format_medium_cdb(1, false), [0x04, 0x00, 0x01, 0, 0, 0]);
    assert_eq!(format_medium_cdb(2, true), [0x04, 0x01, 0x02, 0, 0, 0]);
}

#[test]
fn runners_send_builders_with_timeouts() {
    let mut t = MockTransport::with_replies([
        MockReply::good(),
        MockReply::good(),
        MockReply::data(vec![7u8; 8]),
        MockReply::good(),
    ]);
    space(&mut t, SpaceCode::Filemarks, -1).unwrap();
    erase(&mut t, true, false).unwrap();
    let mut buf = [0u8; 1024];
    read6(&mut t, 512, false, &mut buf).unwrap();
    write6(&mut t, 0, b"abc").unwrap();
    let c = t.commands();
    assert_eq!(c[0].cdb, [0x11, 0x01, 0xFF, 0xFF, 0xFF, 0x00]);
    assert_eq!(c[0].timeout, TimeoutClass::Motion.duration());
    assert_eq!(c[1].timeout, TimeoutClass::Long.duration());
    assert_eq!(c[2].cdb, [0x08, 0x01, 0x00, 0x00, 0x02, 0x00]);
    assert_eq!(c[2].data, RecordedData::FromDevice(1024));
    assert_eq!(c[3].cdb, [0x0A, 0x00, 0x00, 0x00, 0x03, 0x00]);
    assert_eq!(c[3].data, RecordedData::ToDevice(b"abc".to_vec()));
    // Fixed mode with a length that is not a multiple: refused, nothing sent.
    assert!(write6(&mut t, 512, &[0u8; 100]).is_err());
    assert_eq!(t.commands().len(), 4);
}
