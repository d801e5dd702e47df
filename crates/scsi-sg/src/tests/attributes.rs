//! Fixtures written from `reference/scsi.md` §2-§5 (READ/WRITE ATTRIBUTE, the 5-byte record
//! header, the standard table, LTFS's VCI layout, usage histories) and the ITDT
//! example (`08 06 01 00 20` + "FJK670L6" + 24 spaces).

use super::*;
use proptest::prelude::*;

/// The ITDT raw file of the issue: barcode FJK670L6, 37 bytes.
fn barcode_file() -> Vec<u8> {
    let mut f = vec![0x08, 0x06, 0x01, 0x00, 0x20];
    f.extend_from_slice(b"FJK670L6");
    f.extend_from_slice(&[b' '; 24]);
    f
}

/// SA 00h reply: 0000h (RO binary 8), 1400h (host vendor, 300 bytes: length 01 2C, over 255),
/// 0806h (barcode). AVAILABLE DATA = 13 + 305 + 37 = 355 = 0x163.
fn values_fixture() -> Vec<u8> {
    let mut r = vec![0x00, 0x00, 0x01, 0x63];
    r.extend_from_slice(&[0x00, 0x00, 0x80, 0x00, 0x08]); // 0000h, READ ONLY, binary, 8
    r.extend_from_slice(&[0, 0, 0, 0, 0, 0x24, 0x9f, 0x00]); // 2 400 000 MiB
    r.extend_from_slice(&[0x14, 0x00, 0x00, 0x01, 0x2c]); // 1400h, binary, 300
    r.extend((0..300u32).map(|i| (i % 251) as u8));
    r.extend_from_slice(&barcode_file());
    r
}

#[test]
fn raw_file_barcode() {
    let f = barcode_file();
    assert_eq!(f.len(), 37);
    let a = parse_raw_file(&f).unwrap();
    assert_eq!(
        (a.id, a.read_only, a.format, a.value.len()),
        (0x0806, false, Format::Ascii, 32)
    );
    assert_eq!(a.decode(TextLocalization::Ascii).to_string(), "FJK670L6");
    assert_eq!(to_raw_file(&a).unwrap(), f);
    // Extra or missing bytes are refused, never ignored.
    let mut longer = f.clone();
    longer.push(b' ');
    assert!(parse_raw_file(&longer).is_err());
    for n in 0..f.len() {
        assert!(parse_raw_file(&f[..n]).is_err(), "prefix {n}");
    }
    // A 4-byte length prefix (not ITDT's format) is refused too.
    let mut prefixed = vec![0, 0, 0, 37];
    prefixed.extend_from_slice(&f);
    assert!(parse_raw_file(&prefixed).is_err());
}

#[test]
fn encode_barcode_matches_itdt_file() {
    let w = encode(resolve("barcode").unwrap(), "FJK670L6").unwrap();
    let a = Attribute::new(w.id, w.format, w.value);
    assert_eq!(to_raw_file(&a).unwrap(), barcode_file());
}

#[test]
fn values_reply_with_long_record() {
    let r = values_fixture();
    assert_eq!(r.len(), 4 + 355);
    let v = parse_values(&r).unwrap();
    assert_eq!(v.available, 355);
    assert!(!v.truncated && v.incomplete.is_none());
    let ids: Vec<u16> = v.attributes.iter().map(|a| a.id).collect();
    assert_eq!(ids, vec![0x0000, 0x1400, 0x0806]);
    let cap = &v.attributes[0];
    assert!(cap.read_only);
    assert_eq!(
        cap.decode(TextLocalization::Ascii),
        Value::Number(2_400_000)
    );
    assert_eq!(v.attributes[1].value.len(), 300);
    assert!(matches!(
        v.attributes[1].decode(TextLocalization::Ascii),
        Value::Raw(_)
    ));
    assert_eq!(v.attributes[2].value, barcode_file()[5..].to_vec());
}

#[test]
fn values_every_prefix() {
    let r = values_fixture();
    let full = parse_values(&r).unwrap().attributes;
    for n in 0..r.len() {
        let p = &r[..n];
        match parse_values(p) {
            Err(_) => assert!(n < 4),
            Ok(v) => {
                assert!(v.truncated, "prefix {n}");
                assert_eq!(v.attributes[..], full[..v.attributes.len()]);
                // Record boundaries at 4, 17, 322; anything cut after a header is incomplete.
                let complete = v.attributes.len();
                let next_start = [4usize, 17, 322][complete];
                assert_eq!(v.incomplete.is_some(), n >= next_start + 5, "prefix {n}");
            }
        }
    }
}

#[test]
fn available_data_larger_and_smaller() {
    // Larger than received (allocation cut): truncated, incomplete barcode record.
    let r = values_fixture();
    let v = parse_values(&r[..330]).unwrap();
    assert!(v.truncated);
    assert_eq!(v.attributes.len(), 2);
    let cut = v.incomplete.unwrap();
    assert_eq!((cut.id, cut.length, cut.present), (0x0806, 32, 3));
    // Smaller than received: bytes past AVAILABLE DATA are ignored.
    let mut r = values_fixture();
    r[0..4].copy_from_slice(&13u32.to_be_bytes());
    let v = parse_values(&r).unwrap();
    assert!(!v.truncated && v.incomplete.is_none());
    assert_eq!(v.attributes.len(), 1);
    // AVAILABLE DATA ending inside a record: that record is incomplete.
    r[0..4].copy_from_slice(&20u32.to_be_bytes());
    let v = parse_values(&r).unwrap();
    assert_eq!(v.incomplete.map(|c| (c.id, c.present)), Some((0x1400, 2)));
    // Fewer than 5 bytes left: no record, no incomplete.
    assert_eq!(parse_records(&[0x08, 0x06, 0x01, 0x00]), (vec![], None));
}

#[test]
fn id_and_volume_lists() {
    let l = parse_id_list(&[0, 0, 0, 6, 0x00, 0x00, 0x04, 0x08, 0x08, 0x06]).unwrap();
    assert_eq!(
        (l.available, l.ids.clone(), l.truncated),
        (6, vec![0, 0x0408, 0x0806], false)
    );
    let l = parse_id_list(&[0, 0, 0, 6, 0x00, 0x00, 0x04]).unwrap();
    assert_eq!((l.ids, l.truncated), (vec![0], true));
    assert!(parse_id_list(&[0, 0, 0]).is_err());
    // SA 03h on a two-partition tape: AVAILABLE DATA is a u16 = 2, first 0, count 2.
    let v = parse_volume_list(&[0x00, 0x02, 0x00, 0x02]).unwrap();
    assert_eq!((v.available, v.first, v.count), (2, 0, 2));
    assert!(parse_volume_list(&[0x00, 0x02, 0x00]).is_err());
}

#[test]
fn vci_ltfs_layout_at_documented_offsets() {
    let mut rec = vec![0x08, 0x0c, 0x00, 0x00, 70];
    rec.push(8); // 5: VCR length
    rec.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0x12, 0x34]); // 6: VCR
    rec.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 7]); // 14: generation 7
    rec.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0x01, 0x00]); // 22: block 256
    rec.extend_from_slice(&[0x00, 43]); // 30: app info length
    rec.extend_from_slice(b"LTFS\0"); // 32
    let uuid = "01234567-89ab-cdef-0123-456789abcdef";
    rec.extend_from_slice(uuid.as_bytes()); // 37
    rec.push(0);
    rec.push(1); // 74: version
    assert_eq!(rec.len(), 75);
    assert_eq!(&rec[32..36], b"LTFS");
    assert_eq!(rec[74], 1);
    let a = parse_raw_file(&rec).unwrap();
    let Value::Vci(v) = a.decode(TextLocalization::Ascii) else {
        panic!("not a VCI")
    };
    assert_eq!((v.count, v.set_id), (7, 256));
    assert_eq!(v.vcr, vec![0, 0, 0, 0, 0, 0, 0x12, 0x34]);
    assert_eq!(
        v.ltfs,
        Some(LtfsVci {
            uuid: uuid.into(),
            version: Some(1)
        })
    );
    assert_eq!(Vci::ltfs(0x1234, 7, 256, uuid, 1), v);
    assert_eq!(v.to_bytes(), rec[5..].to_vec());
    // LTFS 1.0's 42-byte information (no version byte).
    let mut old = rec[5..74].to_vec();
    old[26] = 42;
    let v = Vci::parse(&old).unwrap();
    assert_eq!(v.ltfs.unwrap().version, None);
    for n in 0..rec.len() - 5 {
        let _ = decode(
            0x080c,
            Format::Binary,
            &rec[5..5 + n],
            TextLocalization::Ascii,
        );
        assert!(Vci::parse(&rec[5..5 + n]).is_err(), "prefix {n}");
    }
}

#[test]
fn usage_histories() {
    // 0340h: 15 × u48; field 0 (current MiB written) = 0x010203040506, field 12 (load count) = 42.
    let mut m = vec![0u8; 90];
    m[0..6].copy_from_slice(&[1, 2, 3, 4, 5, 6]);
    m[12 * 6 + 5] = 42;
    let Value::MediumUsage(u) = decode(0x0340, Format::Binary, &m, TextLocalization::Ascii) else {
        panic!("not 0340")
    };
    assert_eq!(
        (u.fields[0], u.fields[12], u.fields[14]),
        (0x0102_0304_0506, 42, 0)
    );
    assert_eq!(u.to_bytes(6), m);
    // 0341h: 15 × u32; field 14 (partition initializations) = 3.
    let mut p = vec![0u8; 60];
    p[59] = 3;
    p[0..4].copy_from_slice(&[0, 0, 1, 0]);
    let Value::PartitionUsage(u) = decode(0x0341, Format::Binary, &p, TextLocalization::Ascii)
    else {
        panic!("not 0341")
    };
    assert_eq!((u.fields[0], u.fields[14]), (256, 3));
    assert_eq!(USAGE_FIELD_NAMES[12], "load count");
    // Wrong length: raw.
    assert!(matches!(
        decode(0x0341, Format::Binary, &p[..59], TextLocalization::Ascii),
        Value::Raw(_)
    ));
}

#[test]
fn typed_values() {
    let l = TextLocalization::Ascii;
    // TapeAlert: flag 1 = MSB of byte 0; flag 20 (14h) = byte 2 bit 4; flag 64 = LSB of byte 7.
    let v = decode(
        0x0002,
        Format::Binary,
        &[0x80, 0, 0x10, 0, 0, 0, 0, 0x01],
        l,
    );
    assert_eq!(v, Value::TapeAlert(vec![1, 0x14, 64]));
    assert_eq!(v.to_string(), "01h 14h 40h");
    assert_eq!(
        decode(0x0408, Format::Binary, &[0x80], l),
        Value::MediumType(MediumType::Worm)
    );
    assert_eq!(
        decode(0x0408, Format::Binary, &[0x01], l).to_string(),
        "cleaning"
    );
    assert_eq!(
        decode(0x0405, Format::Binary, &[0x5a], l).to_string(),
        "0x5A (LTO-6)"
    );
    assert_eq!(
        decode(0x0006, Format::Binary, &[0x99], l),
        Value::Density {
            code: 0x99,
            name: None
        }
    );
    assert_eq!(
        decode(0x0805, Format::Binary, &[0x81], l),
        Value::Localization(TextLocalization::Utf8)
    );
    assert_eq!(
        decode(0x0406, Format::Ascii, b"20240131", l).to_string(),
        "2024-01-31"
    );
    assert_eq!(
        decode(0x0804, Format::Ascii, b"202401311259", l).to_string(),
        "2024-01-31 12:59"
    );
    // Not a date: kept as ASCII.
    assert_eq!(
        decode(0x0406, Format::Ascii, b"20241399", l),
        Value::Ascii("20241399".into())
    );
    assert_eq!(
        decode(0x0800, Format::Ascii, b"IBM     ", l),
        Value::Ascii("IBM".into())
    );
    assert_eq!(
        decode(0x0007, Format::Binary, &[0x01, 0x02], l),
        Value::Number(258)
    );
    assert_eq!(decode(0x0806, Format::Ascii, b"", l), Value::Empty);
    // TEXT in each localization, NUL padded.
    let t = |loc, b: &[u8]| decode(0x0803, Format::Text, b, loc);
    assert_eq!(
        t(TextLocalization::Ascii, b"label\0\0\0"),
        Value::Text("label".into())
    );
    assert_eq!(
        t(TextLocalization::Iso8859(1), b"caf\xe9\0"),
        Value::Text("caf\u{e9}".into())
    );
    assert_eq!(
        t(TextLocalization::Utf8, "café\0\0".as_bytes()),
        Value::Text("café".into())
    );
    assert_eq!(
        t(TextLocalization::Ucs2Be, &[0, b'h', 0, 0xe9, 0, 0]),
        Value::Text("h\u{e9}".into())
    );
    // Vendor and unknown: raw.
    assert_eq!(decode(0x1623, Format::Binary, &[1], l), Value::Raw(vec![1]));
    assert_eq!(
        decode(0x0bff, Format::Ascii, b"x", l),
        Value::Raw(b"x".to_vec())
    );
}

#[test]
fn table_lookups() {
    let b = lookup(0x0806).unwrap();
    assert_eq!(
        (b.short, b.format, b.length, b.read_only),
        ("barcode", Format::Ascii, Some(32), false)
    );
    assert_eq!(resolve("barcode"), Ok(0x0806));
    assert_eq!(resolve("BARCODE"), Ok(0x0806));
    assert_eq!(resolve("0x0806"), Ok(0x0806));
    assert_eq!(resolve("0806"), Ok(0x0806));
    assert_eq!(resolve("806h"), Ok(0x0806));
    assert_eq!(resolve("volume-serial"), Ok(0x0401));
    assert_eq!(resolve("load_count"), Ok(0x0003));
    assert!(resolve("nonsense").is_err() && resolve("0x10000").is_err());
    assert!(is_read_only(0x0000) && is_read_only(0x07ff) && is_read_only(0x0401));
    assert!(!is_read_only(0x0800) && !is_read_only(0x1623));
    assert_eq!(Range::of(0x0c00), Range::DeviceVendor);
    assert_eq!(Range::of(0x1800), Range::Reserved);
    assert_eq!(display_name(0x0c12), "Device vendor attribute 0C12h");
    assert!(lookup(0x080c).unwrap().per_partition);
    // Ascending, short names unique.
    assert!(STANDARD.windows(2).all(|w| w[0].id < w[1].id));
    let mut names: Vec<&str> = STANDARD.iter().map(|i| i.short).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), STANDARD.len());
}

#[test]
fn encoding_user_values() {
    let w = encode(0x0800, "ACME").unwrap();
    assert_eq!(w.value, b"ACME    ".to_vec());
    let w = encode(0x0803, "label").unwrap();
    assert_eq!(w.value.len(), 160);
    assert!(w.value[5..].iter().all(|&c| c == 0));
    assert_eq!(encode(0x080a, "1").unwrap().value, vec![1]);
    assert_eq!(encode(0x0805, "0x81").unwrap().value, vec![0x81]);
    assert_eq!(
        encode(0x1623, "01").unwrap(),
        AttributeWrite::new(0x1623, Format::Binary, vec![1])
    );
    assert_eq!(
        encode(0x0804, "202401311259").unwrap().value,
        b"202401311259".to_vec()
    );
    assert!(matches!(
        encode(0x0804, "2024"),
        Err(AttributeError::BadValue { .. })
    ));
    assert!(matches!(
        encode(0x0804, "202413311259"),
        Err(AttributeError::BadValue { .. })
    ));
    assert_eq!(
        encode(0x0806, &"X".repeat(33)),
        Err(AttributeError::TooLong {
            id: 0x0806,
            len: 33,
            max: 32
        })
    );
    assert!(matches!(
        encode(0x0806, "caf\u{e9}"),
        Err(AttributeError::BadValue { .. })
    ));
    assert!(matches!(
        encode(0x080a, "256"),
        Err(AttributeError::BadValue { .. })
    ));
    assert_eq!(
        encode(0x0401, "X"),
        Err(AttributeError::ReadOnly { id: 0x0401 })
    );
    assert_eq!(encode(0x0000, "1"), Err(AttributeError::ReadOnly { id: 0 }));
}

#[test]
fn write_list_ordering_and_refusals() {
    let writes = [
        encode(0x0806, "FJK670L6").unwrap(),
        AttributeWrite::delete(0x0803),
        encode(0x0800, "ACME").unwrap(),
    ];
    let list = build_write_list(&writes).unwrap();
    // 4 + (5 + 8) + (5 + 0) + (5 + 32) = 59; PARAMETER DATA LENGTH = 55.
    assert_eq!(list.len(), 59);
    assert_eq!(&list[0..4], &[0, 0, 0, 55]);
    assert_eq!(&list[4..9], &[0x08, 0x00, 0x01, 0x00, 0x08]);
    assert_eq!(&list[17..22], &[0x08, 0x03, 0x02, 0x00, 0x00]);
    assert_eq!(&list[22..27], &[0x08, 0x06, 0x01, 0x00, 0x20]);
    let parsed = parse_write_list(&list).unwrap();
    assert_eq!(
        parsed.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![0x0800, 0x0803, 0x0806]
    );
    assert!(parsed[1].value.is_empty());
    // Refusals.
    let ro = AttributeWrite::new(0x0400, Format::Ascii, b"ACME    ".to_vec());
    assert_eq!(
        build_write_list(&[ro]),
        Err(AttributeError::ReadOnly { id: 0x0400 })
    );
    let long = AttributeWrite::new(0x0806, Format::Ascii, vec![b' '; 33]);
    assert!(matches!(
        build_write_list(&[long]),
        Err(AttributeError::TooLong { .. })
    ));
    let wrong = AttributeWrite::new(0x080a, Format::Binary, vec![0, 1]);
    assert_eq!(
        build_write_list(&[wrong]),
        Err(AttributeError::WrongLength {
            id: 0x080a,
            len: 2,
            expected: 1
        })
    );
    let dup = [
        AttributeWrite::delete(0x0806),
        AttributeWrite::delete(0x0806),
    ];
    assert_eq!(
        build_write_list(&dup),
        Err(AttributeError::Duplicate { id: 0x0806 })
    );
    // A short ASCII value is allowed (the caller chose not to pad).
    assert!(validate(&AttributeWrite::new(0x0806, Format::Ascii, b"A".to_vec())).is_ok());
}

#[test]
fn device_side_write_list_errors() {
    let list = build_write_list(&[
        encode(0x0800, "ACME").unwrap(),
        encode(0x0806, "X").unwrap(),
    ])
    .unwrap();
    assert_eq!(parse_write_list(&[]), Ok(vec![]));
    // Every cut of the list inside a header or value: 1A/00 at a byte inside the list. A cut
    // at a record boundary (4, 17) cannot be told from a shorter list.
    for n in 1..list.len() {
        if n == 4 || n == 17 {
            assert_eq!(parse_write_list(&list[..n]).unwrap().len(), (n - 4) / 13);
            continue;
        }
        let e = parse_write_list(&list[..n]).unwrap_err();
        assert_eq!(
            e.kind,
            WriteListErrorKind::ParameterListLength,
            "prefix {n}"
        );
        assert_eq!(e.kind.asc_ascq(), (0x1a, 0x00));
        assert!(e.offset < n, "prefix {n}");
    }
    // Descending order: 26/00 at the second record (offset 4 + 13 = 17).
    let mut bad = vec![0, 0, 0, 10];
    bad.extend_from_slice(&[0x08, 0x06, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00]);
    let e = parse_write_list(&bad).unwrap_err();
    assert_eq!((e.offset, e.kind), (9, WriteListErrorKind::InvalidField));
    assert_eq!(e.kind.asc_ascq(), (0x26, 0x00));
    // Reserved format 11b: field pointer at byte 2 of the record.
    let e = parse_write_list(&[0, 0, 0, 5, 0x08, 0x06, 0x03, 0x00, 0x00]).unwrap_err();
    assert_eq!((e.offset, e.kind), (6, WriteListErrorKind::InvalidField));
    // PARAMETER DATA LENGTH is not trusted (HP ignores it): the bytes received count.
    let ok = parse_write_list(&[0, 0, 0, 0, 0x08, 0x06, 0x01, 0x00, 0x00]).unwrap();
    assert_eq!(ok.len(), 1);
    let e = parse_write_list(&[0, 0, 0, 5, 0x08, 0x06, 0x01, 0x00, 0x00, 0xff, 0xff]).unwrap_err();
    assert_eq!(
        (e.offset, e.kind),
        (9, WriteListErrorKind::ParameterListLength)
    );
}

#[test]
fn reply_builders() {
    let attrs = vec![
        Attribute::new(0x0806, Format::Ascii, b"FJK670L6".to_vec()),
        Attribute::new(0x0000, Format::Binary, vec![0; 8]).read_only(true),
        Attribute::new(0x0400, Format::Ascii, b"FUJIFILM".to_vec()).read_only(true),
    ];
    let r = values_reply(&attrs, 0x0400, 1000);
    // 0400h (13) + 0806h (13) = 26.
    assert_eq!(&r[0..4], &[0, 0, 0, 26]);
    assert_eq!(&r[4..9], &[0x04, 0x00, 0x81, 0x00, 0x08]);
    assert_eq!(parse_values(&r).unwrap().attributes.len(), 2);
    // Cut by the allocation length: AVAILABLE DATA still the full size.
    let r = values_reply(&attrs, 0, 10);
    assert_eq!(r, vec![0, 0, 0, 39, 0x00, 0x00, 0x80, 0x00, 0x08, 0x00]);
    let r = id_list_reply(&[0x0806, 0x0000, 0x0806], 100);
    assert_eq!(r, vec![0, 0, 0, 4, 0x00, 0x00, 0x08, 0x06]);
    assert_eq!(id_list_reply(&[1, 2], 5), vec![0, 0, 0, 4, 0]);
    assert_eq!(volume_list_reply(0, 2, 100), vec![0, 2, 0, 2]);
    assert_eq!(volume_list_reply(0, 1, 2), vec![0, 2]);
}

#[test]
fn cdbs() {
    let c = read_cdb(0x00, 1, 0x0806, 41);
    assert_eq!(
        c,
        [0x8c, 0, 0, 0, 0, 0, 0, 1, 0x08, 0x06, 0, 0, 0, 41, 0, 0]
    );
    let p = parse_read_cdb(&c).unwrap();
    assert_eq!(
        (
            p.service_action,
            p.partition,
            p.first_id,
            p.allocation_length,
            p.cache
        ),
        (0, 1, 0x0806, 41, false)
    );
    let c = write_cdb(true, 0, 59);
    assert_eq!(c, [0x8d, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 59, 0, 0]);
    assert!(parse_write_cdb(&c).unwrap().wtc);
    assert!(parse_write_cdb(&c[..15]).is_err());
    assert!(parse_read_cdb(&c).is_err());
}

proptest! {
    #[test]
    fn record_list_round_trip(recs in proptest::collection::vec((any::<u16>(), any::<bool>(), 0u8..3, proptest::collection::vec(any::<u8>(), 0..300)), 0..6)) {
        let attrs: Vec<Attribute> = recs
            .into_iter()
            .map(|(id, ro, f, v)| Attribute::new(id, Format::from_bits(f), v).read_only(ro))
            .collect();
        let body: Vec<u8> = attrs.iter().flat_map(|a| a.to_bytes().unwrap()).collect();
        prop_assert_eq!(parse_records(&body), (attrs.clone(), None));
        let mut reply = (body.len() as u32).to_be_bytes().to_vec();
        reply.extend_from_slice(&body);
        let v = parse_values(&reply).unwrap();
        prop_assert_eq!(v.attributes, attrs);
        prop_assert!(!v.truncated);
    }

    #[test]
    fn write_list_round_trip(ids in proptest::collection::btree_set(0x0800u16..0x0c00, 0..5), text in "[ -~]{0,8}") {
        let writes: Vec<AttributeWrite> = ids
            .iter()
            .map(|&id| AttributeWrite::new(id, Format::Ascii, text.clone().into_bytes()))
            .filter(|w| validate(w).is_ok())
            .collect();
        let list = build_write_list(&writes).unwrap();
        let back = parse_write_list(&list).unwrap();
        prop_assert_eq!(back.iter().map(AttributeWrite::from_attribute).collect::<Vec<_>>(), writes);
    }

    #[test]
    fn ascii_encode_decode(s in "[!-~]([ -~]{0,30}[!-~])?") {
        let w = encode(0x0806, &s).unwrap();
        prop_assert_eq!(w.value.len(), 32);
        prop_assert_eq!(decode(w.id, w.format, &w.value, TextLocalization::Ascii), Value::Ascii(s));
    }

    #[test]
    fn number_encode_decode(n in any::<u8>(), m in any::<u16>()) {
        let w = encode(0x080a, &n.to_string()).unwrap();
        prop_assert_eq!(decode(w.id, w.format, &w.value, TextLocalization::Ascii), Value::Number(u64::from(n)));
        let w = encode(0x1500, &format!("{:02x}", n)).unwrap();
        prop_assert_eq!(w.value, vec![n]);
        let _ = m;
    }

    #[test]
    fn date_encode_decode(y in 0u16..10000, mo in 1u8..=12, d in 1u8..=31, h in 0u8..24, mi in 0u8..60) {
        let date = Date { year: y, month: mo, day: d, time: Some((h, mi)) };
        let w = encode(0x0804, &date.to_ascii()).unwrap();
        prop_assert_eq!(decode(w.id, w.format, &w.value, TextLocalization::Ascii), Value::Date(date));
    }

    #[test]
    fn parsers_never_panic(b in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_values(&b);
        let _ = parse_id_list(&b);
        let _ = parse_volume_list(&b);
        let _ = parse_write_list(&b);
        if let Ok(a) = parse_raw_file(&b) {
            // Byte for byte, except the reserved bits 6-2 of byte 2.
            let mut expect = b.clone();
            expect[2] &= 0x83;
            prop_assert_eq!(to_raw_file(&a).unwrap(), expect);
        }
    }
}
