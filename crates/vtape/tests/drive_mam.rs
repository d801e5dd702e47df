//! READ ATTRIBUTE / WRITE ATTRIBUTE on the emulated drive: CDBs and parameter lists written
//! by hand from SPC-4 (`reference/scsi.md` §2-§5); expected bytes come from the standard's
//! layouts and the ITDT example (`08 06 01 00 20` + 32 bytes of space-padded text).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod drive_util;

use drive_util::*;
use scsi_sg::{DataDir, SenseKey};
use vtape::drive::{init_cartridge_memory, Drive};
use vtape::medium::{FormatSize, Generation, Medium, MediumConfig};

/// READ ATTRIBUTE(16): SA, partition (byte 7), first ID (8-9), allocation length (10-13).
fn read_cdb(sa: u8, part: u8, first: u16, alloc: u32) -> [u8; 16] {
    let [f0, f1] = first.to_be_bytes();
    let [a0, a1, a2, a3] = alloc.to_be_bytes();
    [0x8C, sa, 0, 0, 0, 0, 0, part, f0, f1, a0, a1, a2, a3, 0, 0]
}

fn read(d: &mut Drive, sa: u8, part: u8, first: u16, alloc: u32) -> (scsi_sg::Completion, Vec<u8>) {
    data_in(d, &read_cdb(sa, part, first, alloc), alloc as usize)
}

/// WRITE ATTRIBUTE(16) of `records` (already encoded), with the 4-byte PARAMETER DATA LENGTH.
fn write(d: &mut Drive, part: u8, records: &[u8]) -> scsi_sg::Completion {
    let mut list = (records.len() as u32).to_be_bytes().to_vec();
    list.extend_from_slice(records);
    let [a0, a1, a2, a3] = (list.len() as u32).to_be_bytes();
    let cdb = [0x8D, 0, 0, 0, 0, 0, 0, part, 0, 0, a0, a1, a2, a3, 0, 0];
    data_out(d, &cdb, &list)
}

/// One attribute record: ID, READ ONLY 0 + FORMAT, length, value.
fn record(id: u16, format: u8, value: &[u8]) -> Vec<u8> {
    let mut r = id.to_be_bytes().to_vec();
    r.push(format);
    r.extend_from_slice(&(value.len() as u16).to_be_bytes());
    r.extend_from_slice(value);
    r
}

/// The barcode record of the issue: `08 06 01 00 20` + `FJK670L6` + 24 spaces.
fn barcode_record() -> Vec<u8> {
    let mut r = vec![0x08, 0x06, 0x01, 0x00, 0x20];
    r.extend_from_slice(b"FJK670L6");
    r.extend_from_slice(&[b' '; 24]);
    r
}

/// Value of attribute `id` in partition `part` (GOOD and the returned ID checked).
fn value(d: &mut Drive, part: u8, id: u16) -> Vec<u8> {
    let (c, r) = read(d, 0x00, part, id, 4096);
    assert_good(&c);
    assert_eq!(u16::from_be_bytes([r[4], r[5]]), id);
    let len = usize::from(u16::from_be_bytes([r[7], r[8]]));
    r[9..9 + len].to_vec()
}

fn number(d: &mut Drive, part: u8, id: u16) -> u64 {
    value(d, part, id)
        .iter()
        .fold(0, |a, &b| a << 8 | u64::from(b))
}

fn assert_field(c: &scsi_sg::Completion, asc: u8, in_cdb: bool, byte: u16) {
    let s = assert_sense(c, SenseKey::IllegalRequest, asc, 0);
    let fp = s.field_pointer().expect("field pointer");
    assert_eq!((fp.in_cdb, fp.byte), (in_cdb, byte), "{s}");
}

#[test]
fn barcode_reads_back_exactly_and_continues_with_later_ids() {
    let (_dir, _path, mut d) = drive();
    assert_good(&write(&mut d, 0, &barcode_record()));
    // Exactly one record fits: AVAILABLE DATA still counts 0806h alone (nothing later yet).
    let (c, r) = read(&mut d, 0x00, 0, 0x0806, 4 + 37);
    assert_good(&c);
    let mut expected = vec![0, 0, 0, 37];
    expected.extend_from_slice(&barcode_record());
    assert_eq!(r, expected);
    // A later attribute (0809h partition label, ASCII 16) follows when the allocation allows.
    let label = record(0x0809, 0x01, b"BACKUP 2024     ");
    assert_good(&write(&mut d, 0, &label));
    let (c, r) = read(&mut d, 0x00, 0, 0x0806, 4 + 37);
    assert_good(&c);
    assert_eq!(
        &r[..4],
        &(37u32 + 21).to_be_bytes(),
        "AVAILABLE DATA is the full size"
    );
    assert_eq!(&r[4..], &barcode_record()[..]);
    let (c, r) = read(&mut d, 0x00, 0, 0x0806, 1000);
    assert_good(&c);
    assert_eq!(r.len(), 4 + 37 + 21);
    assert_eq!(&r[41..], &label[..]);
}

#[test]
fn available_data_is_full_size_with_a_small_allocation() {
    let (_dir, _path, mut d) = drive();
    let (c, full) = read(&mut d, 0x00, 0, 0x0000, 65536);
    assert_good(&c);
    let available = u32::from_be_bytes(full[..4].try_into().unwrap()) as usize;
    assert_eq!(available + 4, full.len());
    let (c, small) = read(&mut d, 0x00, 0, 0x0000, 8);
    assert_good(&c);
    assert_eq!(small.len(), 8);
    assert_eq!(&small[..], &full[..8]);
    // SA 01h: the same identifiers as SA 00h lists records.
    let (c, ids) = read(&mut d, 0x01, 0, 0, 65536);
    assert_good(&c);
    let (records, _) = scsi_sg::attributes::parse_records(&full[4..]);
    let listed: Vec<u16> = ids[4..]
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(listed, records.iter().map(|a| a.id).collect::<Vec<_>>());
    // Medium attributes as created: manufacturer, width 127, type data, date of 8 bytes.
    assert_eq!(value(&mut d, 0, 0x0400), b"TAPEKIT ");
    assert_eq!(number(&mut d, 0, 0x0403), 127);
    assert_eq!(number(&mut d, 0, 0x0405), 0x5E);
    assert_eq!(value(&mut d, 0, 0x0406).len(), 8);
    assert_eq!(number(&mut d, 0, 0x0408), 0);
    assert_eq!(value(&mut d, 0, 0x0005), b"LTO-CVE ");
    assert_eq!(value(&mut d, 0, 0x0224), [0xFF; 8]);
    let drive0 = value(&mut d, 0, 0x020A);
    assert_eq!(drive0.len(), 40);
    assert_eq!(&drive0[..8], b"TAPEKIT ");
    // READ ONLY bit set on a medium attribute, clear on a host one.
    let (_, r) = read(&mut d, 0x00, 0, 0x0400, 64);
    assert_eq!(r[6], 0x81);
}

#[test]
fn missing_first_id_and_bad_cdb_fields() {
    let (_dir, _path, mut d) = drive();
    let (c, _) = read(&mut d, 0x00, 0, 0x0806, 512);
    assert_field(&c, 0x24, true, 8);
    let (c, _) = read(&mut d, 0x04, 0, 0, 512);
    assert_field(&c, 0x24, true, 1);
    let (c, _) = read(&mut d, 0x00, 1, 0, 512); // no partition 1
    assert_field(&c, 0x24, true, 7);
    let c = write(&mut d, 1, &barcode_record());
    assert_field(&c, 0x24, true, 7);
    let (c, r) = read(&mut d, 0x02, 0, 0, 64);
    assert_good(&c);
    assert_eq!(r, [0, 2, 0, 1]);
}

#[test]
fn read_only_and_wrong_length_change_nothing() {
    let (_dir, _path, mut d) = drive();
    let before = value(&mut d, 0, 0x0400);
    let c = write(&mut d, 0, &record(0x0400, 0x01, b"EVILCORP"));
    assert_field(&c, 0x26, false, 4);
    assert_eq!(value(&mut d, 0, 0x0400), before);
    // A good record then a bad one (0809h must be 16 bytes): nothing is written.
    let mut list = barcode_record();
    list.extend(record(0x0809, 0x01, b"SEVENTEEN BYTES!!"));
    let c = write(&mut d, 0, &list);
    assert_field(&c, 0x26, false, (4 + 37 + 3) as u16);
    let (c, _) = read(&mut d, 0x00, 0, 0x0806, 512);
    assert_field(&c, 0x24, true, 8);
    // Barcode of 33 bytes.
    let c = write(&mut d, 0, &record(0x0806, 0x01, &[b'A'; 33]));
    assert_field(&c, 0x26, false, 7);
    // Non-printable byte in an ASCII attribute.
    let mut v = [b' '; 32];
    v[0] = 0x07;
    let c = write(&mut d, 0, &record(0x0806, 0x01, &v));
    assert_field(&c, 0x26, false, 9);
    // A cut record: 1A/00.
    let mut cut = barcode_record();
    cut.truncate(20);
    let c = write(&mut d, 0, &cut);
    assert_sense(&c, SenseKey::IllegalRequest, 0x1A, 0);
}

#[test]
fn length_zero_deletes() {
    let (_dir, _path, mut d) = drive();
    assert_good(&write(&mut d, 0, &barcode_record()));
    assert_eq!(&value(&mut d, 0, 0x0806)[..8], b"FJK670L6");
    assert_good(&write(&mut d, 0, &record(0x0806, 0x01, &[])));
    let (c, _) = read(&mut d, 0x00, 0, 0x0806, 512);
    assert_field(&c, 0x24, true, 8);
    assert_good(&write(&mut d, 0, &record(0x0806, 0x01, &[])));
}

#[test]
fn full_memory_is_refused_whole() {
    let (_dir, _path, mut d) = drive();
    let space = number(&mut d, 0, 0x0004);
    assert!(space > 3 * 5005 && space < 16384, "{space}");
    let big = vec![0x5A; 5000];
    for id in 0x1400..0x1403u16 {
        assert_good(&write(&mut d, 0, &record(id, 0x00, &big)));
    }
    assert_eq!(number(&mut d, 0, 0x0004), space - 3 * 5005);
    let c = write(&mut d, 0, &record(0x1403, 0x00, &big));
    assert_sense(&c, SenseKey::IllegalRequest, 0x55, 0x06);
    let (c, _) = read(&mut d, 0x00, 0, 0x1403, 512);
    assert_field(&c, 0x24, true, 8);
}

#[test]
fn load_count_and_mib_counters() {
    let (_dir, _path, mut d) = drive();
    let loads = number(&mut d, 0, 0x0003);
    assert_good(&no_data(&mut d, &[0x1B, 0, 0, 0, 0, 0])); // UNLOAD
    let (c, _) = read(&mut d, 0x00, 0, 0, 512);
    assert_sense(&c, SenseKey::NotReady, 0x3A, 0);
    assert_good(&no_data(&mut d, &[0x1B, 0, 0, 0, 1, 0])); // LOAD
    let _ = no_data(&mut d, &[0, 0, 0, 0, 0, 0]); // UNIT ATTENTION
    assert_eq!(number(&mut d, 0, 0x0003), loads + 1);
    // 2 MiB in eight 256 KiB records (WRITE(6), variable).
    let rec = vec![0xA5u8; 256 * 1024];
    for _ in 0..8 {
        assert_good(&d.execute(&[0x0A, 0, 0x04, 0, 0, 0], DataDir::ToDevice(&rec)));
    }
    assert_eq!(number(&mut d, 0, 0x0220), 2);
    assert_eq!(number(&mut d, 0, 0x0222), 2);
    assert_eq!(number(&mut d, 0, 0x0221), 0);
    assert_eq!(number(&mut d, 0, 0x0001), 64);
    assert_eq!(number(&mut d, 0, 0x0000), 62);
}

#[test]
fn persists_across_open() {
    let (_dir, path, mut d) = drive();
    assert_good(&write(&mut d, 0, &barcode_record()));
    let serial = value(&mut d, 0, 0x0401);
    d.persist().unwrap();
    drop(d);
    let mut d = Drive::open(&path).unwrap();
    assert_eq!(value(&mut d, 0, 0x0806), barcode_record()[5..]);
    assert_eq!(value(&mut d, 0, 0x0401), serial);
    // Rewriting from BOT and FORMAT start a new log; the MAM stays.
    assert_good(&no_data(&mut d, &[0x01, 0, 0, 0, 0, 0]));
    assert_good(&d.execute(&[0x0A, 0, 0, 0, 3, 0], DataDir::ToDevice(b"abc")));
    drop(d);
    let mut d = Drive::open(&path).unwrap();
    assert_eq!(value(&mut d, 0, 0x0806), barcode_record()[5..]);
}

#[test]
fn create_with_barcode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.vtape");
    let mut m = Medium::create(
        &path,
        &MediumConfig::new(Generation::Lto9).with_capacity(64 * MIB),
    )
    .unwrap();
    assert!(init_cartridge_memory(&mut m, Some("FJK670L6\u{7}")).is_err());
    assert!(init_cartridge_memory(&mut m, Some(&"X".repeat(33))).is_err());
    init_cartridge_memory(&mut m, Some("FJK670L6")).unwrap();
    m.close().unwrap();
    let mut d = Drive::open(&path).unwrap();
    let (c, r) = read(&mut d, 0x00, 0, 0x0806, 4 + 37);
    assert_good(&c);
    assert_eq!(&r[4..], &barcode_record()[..]);
    assert_eq!(number(&mut d, 0, 0x0405), 0x60);
    assert_eq!(number(&mut d, 0, 0x0402), 1035);
}

#[test]
fn two_partitions() {
    let cfg = MediumConfig::new(Generation::Lto6)
        .with_capacity(64 * MIB)
        .with_partitions(FormatSize::Partition1(16 * MIB));
    let (_dir, _path, mut d) = drive_with(cfg);
    let (c, r) = read(&mut d, 0x03, 0, 0, 64);
    assert_good(&c);
    assert_eq!(r, [0, 2, 0, 2]);
    assert_eq!(number(&mut d, 0, 0x0001), 48);
    assert_eq!(number(&mut d, 1, 0x0001), 16);
    // The VCI (080Ch) is per partition: written to 1, absent from 0.
    let vci = record(0x080C, 0x00, &[8, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert_good(&write(&mut d, 1, &vci));
    assert_eq!(value(&mut d, 1, 0x080C), [8, 1, 2, 3, 4, 5, 6, 7, 8]);
    let (c, _) = read(&mut d, 0x00, 0, 0x080C, 512);
    assert_field(&c, 0x24, true, 8);
    // A volume attribute is the same in both partitions.
    assert_good(&write(&mut d, 1, &barcode_record()));
    assert_eq!(value(&mut d, 0, 0x0806), value(&mut d, 1, 0x0806));
}
