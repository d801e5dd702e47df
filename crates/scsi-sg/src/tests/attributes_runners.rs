//! Runner tests against the mock transport: two-pass reads driven by AVAILABLE DATA, the
//! first-ID semantics of a single read (`reference/scsi.md` §2: check the returned ID;
//! ILLEGAL REQUEST 24/00 = absent), and WRITE ATTRIBUTE refusals before anything is sent.

use super::*;
use crate::mock::{MockReply, MockTransport, RecordedData};

/// Fixed-format sense: ILLEGAL REQUEST, INVALID FIELD IN CDB (24/00).
const SENSE_24_00: [u8; 18] = [
    0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0x00, 0, 0, 0, 0,
];
/// Fixed-format sense: NOT READY, MEDIUM NOT PRESENT (3A/00).
const SENSE_3A_00: [u8; 18] = [
    0x70, 0, 0x02, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x3a, 0x00, 0, 0, 0, 0,
];

fn barcode() -> Attribute {
    let mut v = b"FJK670L6".to_vec();
    v.resize(32, b' ');
    Attribute::new(0x0806, Format::Ascii, v)
}

fn alloc_of(cdb: &[u8]) -> u32 {
    u32::from_be_bytes([cdb[10], cdb[11], cdb[12], cdb[13]])
}

#[test]
fn read_values_two_pass() {
    // 200 host-vendor records of 30 bytes: 7000 bytes, more than the first pass.
    let attrs: Vec<Attribute> = (0..200u16)
        .map(|i| Attribute::new(0x1400 + i, Format::Binary, vec![i as u8; 25]))
        .collect();
    let full = values_reply(&attrs, 0, u32::MAX);
    assert_eq!(full.len(), 4 + 200 * 30);
    let mut t = MockTransport::with_replies([
        MockReply::data(full[..FIRST_PASS_ALLOCATION as usize].to_vec()),
        MockReply::data(full.clone()),
    ]);
    let got = read_values(&mut t, 1, 0).unwrap();
    assert_eq!(got, attrs);
    let c = t.commands();
    assert_eq!(c.len(), 2);
    assert_eq!(&c[0].cdb[..10], &[0x8c, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    assert_eq!(alloc_of(&c[0].cdb), FIRST_PASS_ALLOCATION);
    assert_eq!(alloc_of(&c[1].cdb), 6004);
    assert_eq!(c[1].data, RecordedData::FromDevice(6004));
}

#[test]
fn read_values_one_pass_when_it_fits() {
    let reply = values_reply(&[barcode()], 0, u32::MAX);
    let mut t = MockTransport::with_replies([MockReply::data(reply)]);
    assert_eq!(read_values(&mut t, 0, 0).unwrap(), vec![barcode()]);
    assert_eq!(t.commands().len(), 1);
    // A reply without even AVAILABLE DATA is a parse error, not a panic.
    let mut t = MockTransport::with_replies([MockReply::data(vec![0, 0])]);
    assert!(matches!(
        read_values(&mut t, 0, 0),
        Err(ScsiError::Parse(_))
    ));
}

#[test]
fn read_one_first_id_semantics() {
    // Found: allocation 4 + 5 + 32 = 41, first ID 0806h.
    let mut t =
        MockTransport::with_replies([MockReply::data(values_reply(&[barcode()], 0x0806, 41))]);
    assert_eq!(read_one(&mut t, 0, 0x0806).unwrap(), Some(barcode()));
    let cdb = t.last_cdb().unwrap();
    assert_eq!((&cdb[8..10], alloc_of(cdb)), (&[0x08, 0x06][..], 41));
    // The drive returned the next existing ID instead: absent.
    let next = Attribute::new(0x0808, Format::Text, vec![0; 160]);
    let mut t = MockTransport::with_replies([MockReply::data(values_reply(&[next], 0x0807, 89))]);
    assert_eq!(read_one(&mut t, 0, 0x0807).unwrap(), None);
    // ILLEGAL REQUEST 24/00: absent. Other errors propagate.
    let mut t = MockTransport::with_replies([MockReply::check_condition(SENSE_24_00.to_vec())]);
    assert_eq!(read_one(&mut t, 0, 0x0806).unwrap(), None);
    let mut t = MockTransport::with_replies([MockReply::check_condition(SENSE_3A_00.to_vec())]);
    assert!(matches!(
        read_one(&mut t, 0, 0x0806),
        Err(ScsiError::NotReady(_))
    ));
    // Empty list: absent.
    let mut t = MockTransport::with_replies([MockReply::data(vec![0, 0, 0, 0])]);
    assert_eq!(read_one(&mut t, 0, 0x0806).unwrap(), None);
}

#[test]
fn read_one_rereads_a_cut_record() {
    // A device whose barcode is 40 bytes (longer than standard): cut at 41, re-read at 49.
    let long = Attribute::new(0x0806, Format::Ascii, vec![b'A'; 40]);
    let mut t = MockTransport::with_replies([
        MockReply::data(values_reply(std::slice::from_ref(&long), 0x0806, 41)),
        MockReply::data(values_reply(std::slice::from_ref(&long), 0x0806, 49)),
    ]);
    assert_eq!(read_one(&mut t, 0, 0x0806).unwrap(), Some(long));
    assert_eq!(alloc_of(&t.commands()[1].cdb), 49);
}

#[test]
fn lists() {
    let mut t = MockTransport::with_replies([
        MockReply::data(id_list_reply(&[0, 1, 0x0806], 4096)),
        MockReply::data(id_list_reply(&[0, 1, 0x0800, 0x0806], 4096)),
        MockReply::data(volume_list_reply(0, 1, 4)),
        MockReply::data(volume_list_reply(0, 2, 4)),
    ]);
    assert_eq!(list(&mut t, 1).unwrap(), vec![0, 1, 0x0806]);
    assert_eq!(supported(&mut t, 0).unwrap(), vec![0, 1, 0x0800, 0x0806]);
    assert_eq!(volume_list(&mut t).unwrap().count, 1);
    assert_eq!(partition_list(&mut t).unwrap().count, 2);
    let sas: Vec<u8> = t.commands().iter().map(|c| c.cdb[1]).collect();
    assert_eq!(sas, vec![0x01, 0x05, 0x02, 0x03]);
    assert_eq!(t.commands()[0].cdb[7], 1);
}

#[test]
fn write_sends_sorted_list_with_wtc() {
    let mut t = MockTransport::with_replies([MockReply::good()]);
    let writes = [
        encode(0x0806, "FJK670L6").unwrap(),
        AttributeWrite::delete(0x0800),
    ];
    write(&mut t, 1, &writes, true).unwrap();
    let c = &t.commands()[0];
    assert_eq!(
        c.cdb,
        vec![0x8d, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 46, 0, 0]
    );
    let RecordedData::ToDevice(data) = &c.data else {
        panic!("not data-out")
    };
    assert_eq!(data.len(), 4 + 5 + 37);
    assert_eq!(&data[..9], &[0, 0, 0, 42, 0x08, 0x00, 0x01, 0x00, 0x00]);
    assert_eq!(&data[9..14], &[0x08, 0x06, 0x01, 0x00, 0x20]);
}

#[test]
fn write_refused_before_sending() {
    let mut t = MockTransport::new();
    let ro = AttributeWrite::new(0x0401, Format::Ascii, vec![b' '; 32]);
    let ok = encode(0x0806, "X").unwrap();
    assert!(matches!(
        write(&mut t, 0, &[ok.clone(), ro], false),
        Err(ScsiError::InvalidRequest(_))
    ));
    let long = AttributeWrite::new(0x0800, Format::Ascii, vec![b' '; 9]);
    assert!(matches!(
        write(&mut t, 0, &[long], false),
        Err(ScsiError::InvalidRequest(_))
    ));
    assert!(t.commands().is_empty());
}
