//! Fixtures written from SPC-4 §6.6.2 (standard data) and §7.8 (VPD pages).

use super::*;
use crate::mock::{MockReply, MockTransport, RecordedData};

/// Standard INQUIRY data of a tape drive, 74 bytes.
fn standard_fixture() -> Vec<u8> {
    let mut b = vec![
        0x01, // PQ 000b, PDT 01h sequential access
        0x80, // RMB = 1
        0x06, // VERSION: SPC-4
        0x12, // HISUP = 1, RESPONSE DATA FORMAT = 2
        69,   // ADDITIONAL LENGTH: 74 - 5
        0x00, // SCCS ACC TPGS 3PC PROTECT
        0x00, // ENCSERV VS MULTIP
        0x02, // CMDQUE = 1
    ];
    b.extend_from_slice(b"IBM     "); // 8-15 T10 VENDOR IDENTIFICATION
    b.extend_from_slice(b"ULT3580-TD8     "); // 16-31 PRODUCT IDENTIFICATION
    b.extend_from_slice(b"Q4Q0"); // 32-35 PRODUCT REVISION LEVEL
    b.extend_from_slice(b"1068012345"); // 36-45 vendor specific
    b.extend_from_slice(&[0; 10]); // 46-55 vendor specific
    b.extend_from_slice(&[0, 0]); // 56-57 reserved
    b.extend_from_slice(&[0x04, 0x60]); // 58-59 VERSION DESCRIPTOR 1
    b.extend_from_slice(&[0x0d, 0x40]); // 60-61 VERSION DESCRIPTOR 2
    b.extend_from_slice(&[0; 12]); // 62-73 unused descriptors
    assert_eq!(b.len(), 74);
    b
}

#[test]
fn standard_data_decodes() {
    let d = parse(&standard_fixture()).unwrap();
    assert_eq!(d.qualifier, 0);
    assert_eq!(d.device_type, 1);
    assert!(d.is_tape());
    assert!(d.removable);
    assert_eq!(d.version, 6);
    assert!(d.hisup);
    assert_eq!(d.response_data_format, 2);
    assert!(d.cmdque);
    assert_eq!(d.vendor, "IBM");
    assert_eq!(d.product, "ULT3580-TD8");
    assert_eq!(d.revision, "Q4Q0");
    assert_eq!(&d.vendor_specific[..10], b"1068012345");
    assert_eq!(d.version_descriptors, vec![0x0460, 0x0d40]);
}

#[test]
fn standard_data_short_and_long() {
    let f = standard_fixture();
    for n in 0..=f.len() {
        let r = parse(&f[..n]);
        assert_eq!(r.is_ok(), n >= 8, "prefix {n}");
    }
    // 36 bytes (the SPC minimum many drives return): no version descriptors.
    let d = parse(&f[..36]).unwrap();
    assert_eq!(d.revision, "Q4Q0");
    assert!(d.version_descriptors.is_empty());
    // Cut inside PRODUCT IDENTIFICATION: the part present is decoded.
    assert_eq!(parse(&f[..20]).unwrap().product, "ULT3");
    // Over-long: bytes past ADDITIONAL LENGTH are ignored.
    let mut long = f.clone();
    long.extend_from_slice(&[0xff; 40]);
    assert_eq!(parse(&long).unwrap(), parse(&f).unwrap());
    // ADDITIONAL LENGTH smaller than the data: strings are cut at the length.
    let mut cut = f.clone();
    cut[4] = 31; // 36 bytes in all
    let d = parse(&cut).unwrap();
    assert_eq!(d.revision, "Q4Q0");
    assert!(d.vendor_specific.is_empty());
}

/// VPD 83h with a T10 vendor ID (ASCII) and an NAA (binary) descriptor.
fn device_id_fixture() -> Vec<u8> {
    let mut b = vec![0x01, 0x83, 0x00, 0x00]; // PDT 1, page 83h, PAGE LENGTH patched below
                                              // Descriptor 1: code set 2 (ASCII), PIV 0, association 0, type 1 (T10 vendor ID), len 16.
    b.extend_from_slice(&[0x02, 0x01, 0x00, 16]);
    b.extend_from_slice(b"IBM     12345678");
    // Descriptor 2: protocol 6 (SAS), code set 1 (binary), PIV 1, association 1 (target
    // port), type 3 (NAA), length 8.
    b.extend_from_slice(&[0x61, 0x93, 0x00, 8]);
    b.extend_from_slice(&[0x50, 0x05, 0x07, 0x63, 0x12, 0x34, 0x56, 0x78]);
    let len = (b.len() - 4) as u16;
    b[2..4].copy_from_slice(&len.to_be_bytes());
    b
}

#[test]
fn device_identification_decodes() {
    let page = parse_vpd(&device_id_fixture()).unwrap();
    assert_eq!(page.page_code, 0x83);
    assert_eq!(page.page_length, 32);
    let ds = parse_device_identification(&page);
    assert_eq!(ds.len(), 2);
    assert_eq!(ds[0].code_set, CodeSet::Ascii);
    assert_eq!(ds[0].association, Association::LogicalUnit);
    assert_eq!(ds[0].designator_type, designator_type::T10_VENDOR_ID);
    assert_eq!(ds[0].text().as_deref(), Some("IBM     12345678"));
    assert_eq!(ds[1].protocol_identifier, 6);
    assert!(ds[1].piv);
    assert_eq!(ds[1].association, Association::TargetPort);
    assert_eq!(ds[1].designator_type, designator_type::NAA);
    assert_eq!(
        ds[1].value,
        [0x50, 0x05, 0x07, 0x63, 0x12, 0x34, 0x56, 0x78]
    );
    assert_eq!(ds[1].text(), None);
}

#[test]
fn vpd_prefixes_never_panic() {
    let f = device_id_fixture();
    for n in 0..=f.len() {
        match parse_vpd(&f[..n]) {
            Ok(p) => {
                let ds = parse_device_identification(&p);
                // A descriptor is kept only when complete: 4+16 and 4+16+4+8 bytes of payload.
                let expect = usize::from(n >= 24) + usize::from(n >= 36);
                assert_eq!(ds.len(), expect, "prefix {n}");
            }
            Err(_) => assert!(n < 4),
        }
    }
}

#[test]
fn runner_standard_sends_exact_cdb() {
    let mut t = MockTransport::with_replies([MockReply::data(standard_fixture())]);
    let d = standard(&mut t).unwrap();
    assert_eq!(d.product, "ULT3580-TD8");
    assert_eq!(t.commands()[0].cdb, [0x12, 0x00, 0x00, 0x00, 0xff, 0x00]);
    assert_eq!(t.commands()[0].data, RecordedData::FromDevice(255));
    assert_eq!(t.commands()[0].timeout, TimeoutClass::Query.duration());
}

#[test]
fn runner_serial_number() {
    // VPD 80h: PDT 1, page 80h, length 12, serial right-aligned with leading spaces.
    let mut reply = vec![0x01, 0x80, 0x00, 12];
    reply.extend_from_slice(b"  1068012345");
    let mut t = MockTransport::with_replies([MockReply::data(reply)]);
    assert_eq!(serial_number(&mut t).unwrap(), "1068012345");
    assert_eq!(t.commands()[0].cdb, [0x12, 0x01, 0x80, 0x00, 0xff, 0x00]);
}

#[test]
fn runner_supported_pages() {
    let reply = vec![0x01, 0x00, 0x00, 3, 0x00, 0x80, 0x83];
    let mut t = MockTransport::with_replies([MockReply::data(reply)]);
    assert_eq!(supported_vpd_pages(&mut t).unwrap(), vec![0x00, 0x80, 0x83]);
    assert_eq!(t.commands()[0].cdb, [0x12, 0x01, 0x00, 0x00, 0xff, 0x00]);
}

#[test]
fn runner_rereads_long_vpd_page() {
    // First reply: 255 bytes of a page that claims 300 bytes of payload.
    let mut first = vec![0x01, 0x83, 0x01, 0x2c];
    first.resize(255, 0);
    let mut second = vec![0x01, 0x83, 0x01, 0x2c];
    second.resize(304, 0);
    let mut t = MockTransport::with_replies([MockReply::data(first), MockReply::data(second)]);
    let page = vpd(&mut t, 0x83).unwrap();
    assert_eq!(page.data.len(), 300);
    assert!(!page.is_truncated());
    assert_eq!(t.commands()[1].cdb, [0x12, 0x01, 0x83, 0x01, 0x30, 0x00]);
}

#[test]
fn runner_short_reply_is_parse_error() {
    let mut t = MockTransport::with_replies([MockReply::data(vec![0x01, 0x80])]);
    assert!(matches!(standard(&mut t), Err(ScsiError::Parse(_))));
}
