//! Fixtures written from SSC-4 §7.7 (READ POSITION data formats).

use super::*;
use crate::mock::{MockReply, MockTransport, RecordedData};

/// Short form: at BOP of partition 1, first block 0, last block 0, buffer empty.
const SHORT_BOP: [u8; 20] = [
    0x80, // BOP=1 EOP=0 LOCU=0 BYCU=0 rsvd LOLU=0 PERR=0 BPEW=0
    0x01, // PARTITION NUMBER
    0x00, 0x00, // reserved
    0x00, 0x00, 0x00, 0x00, // FIRST LOGICAL OBJECT LOCATION
    0x00, 0x00, 0x00, 0x00, // LAST LOGICAL OBJECT LOCATION
    0x00, // reserved
    0x00, 0x00, 0x00, // NUMBER OF LOGICAL OBJECTS IN OBJECT BUFFER
    0x00, 0x00, 0x00, 0x00, // NUMBER OF BYTES IN OBJECT BUFFER
];

/// Short form mid-tape: first 0x00012345, last 0x00012340, 5 blocks / 0x00140000 bytes
/// buffered, beyond programmable early warning.
const SHORT_MID: [u8; 20] = [
    0x01, // BPEW
    0x00, // partition 0
    0x00, 0x00, // reserved
    0x00, 0x01, 0x23, 0x45, // first
    0x00, 0x01, 0x23, 0x40, // last
    0x00, // reserved
    0x00, 0x00, 0x05, // objects in buffer
    0x00, 0x14, 0x00, 0x00, // bytes in buffer
];

#[test]
fn short_form_decodes() {
    let p = parse_short(&SHORT_BOP).unwrap();
    assert!(p.bop && !p.eop && !p.lolu && !p.bpew);
    assert_eq!(p.partition, 1);
    assert_eq!(p.first_block, Some(0));
    let p = parse_short(&SHORT_MID).unwrap();
    assert!(!p.bop && p.bpew);
    assert_eq!(p.first_block, Some(0x12345));
    assert_eq!(p.last_block, Some(0x12340));
    assert_eq!(p.blocks_in_buffer, Some(5));
    assert_eq!(p.bytes_in_buffer, Some(0x0014_0000));
}

#[test]
fn short_form_unknown_flags_hide_fields() {
    let mut b = SHORT_MID;
    b[0] = 0x34; // LOCU | BYCU | LOLU
    let p = parse_short(&b).unwrap();
    assert!(p.lolu && p.locu && p.bycu);
    assert_eq!((p.first_block, p.last_block), (None, None));
    assert_eq!((p.blocks_in_buffer, p.bytes_in_buffer), (None, None));
    b[0] = 0x42; // EOP | PERR
    let p = parse_short(&b).unwrap();
    assert!(p.eop && p.perr);
}

#[test]
fn short_form_prefixes() {
    for n in 0..=SHORT_MID.len() {
        let r = parse_short(&SHORT_MID[..n]);
        assert_eq!(r.is_ok(), n >= 8, "prefix {n}");
        if let Ok(p) = r {
            assert_eq!(p.last_block.is_some(), n >= 12);
            assert_eq!(p.bytes_in_buffer.is_some(), n >= 20);
        }
    }
    let mut long = SHORT_MID.to_vec();
    long.extend_from_slice(&[0xff; 12]);
    assert_eq!(
        parse_short(&long).unwrap(),
        parse_short(&SHORT_MID).unwrap()
    );
}

/// Long form: partition 1, object number 0x0000_0001_0000_0002, file 7, set 0.
const LONG: [u8; 32] = [
    0x00, // BOP EOP rsvd rsvd MPU LONU rsvd BPEW
    0x00, 0x00, 0x00, // reserved
    0x00, 0x00, 0x00, 0x01, // PARTITION NUMBER
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, // LOGICAL OBJECT NUMBER
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, // LOGICAL FILE IDENTIFIER
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // LOGICAL SET IDENTIFIER
];

#[test]
fn long_form_decodes() {
    let p = parse_long(&LONG).unwrap();
    assert!(!p.bop && !p.eop && !p.mpu && !p.lonu);
    assert_eq!(p.partition, 1);
    assert_eq!(p.block_number, Some(0x1_0000_0002));
    assert_eq!(p.file_number, Some(7));
    assert_eq!(p.set_number, Some(0));
    let mut b = LONG;
    b[0] = 0x80 | 0x40 | 0x01; // BOP EOP BPEW
    let p = parse_long(&b).unwrap();
    assert!(p.bop && p.eop && p.bpew);
    b[0] = 0x08; // MPU
    let p = parse_long(&b).unwrap();
    assert!(p.mpu && p.file_number.is_none() && p.block_number.is_some());
    b[0] = 0x04; // LONU
    let p = parse_long(&b).unwrap();
    assert!(p.lonu && p.block_number.is_none() && p.file_number.is_some());
}

#[test]
fn long_form_prefixes() {
    for n in 0..=LONG.len() {
        let r = parse_long(&LONG[..n]);
        assert_eq!(r.is_ok(), n >= 16, "prefix {n}");
        if let Ok(p) = r {
            assert_eq!(p.file_number.is_some(), n >= 24);
        }
    }
}

#[test]
fn runners_send_exact_cdbs() {
    let mut t = MockTransport::with_replies([
        MockReply::data(SHORT_BOP.to_vec()),
        MockReply::data(LONG.to_vec()),
    ]);
    assert!(read_short(&mut t).unwrap().bop);
    assert_eq!(read_long(&mut t).unwrap().file_number, Some(7));
    let c = t.commands();
    assert_eq!(c[0].cdb, [0x34, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(c[0].data, RecordedData::FromDevice(20));
    assert_eq!(c[1].cdb, [0x34, 0x06, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(c[1].data, RecordedData::FromDevice(32));
    assert_eq!(c[1].timeout, TimeoutClass::Query.duration());
    assert_eq!(
        cdb(read_position_sa::EXTENDED_FORM, 32),
        [0x34, 0x08, 0, 0, 0, 0, 0, 0, 32, 0]
    );
}
