//! Behaviour of the medium API: round trips, tape truncation semantics, partitions, early
//! warning / end of partition, write protect, exclusive use.
#![allow(clippy::unwrap_used, clippy::panic)] // test code: helpers fail the test

use vtape::medium::{
    FormatSize, Generation, Medium, MediumConfig, MediumError, ObjectKind, MAX_METADATA_LEN,
};

const MIB: u64 = 1 << 20;

fn cfg(capacity: u64) -> MediumConfig {
    MediumConfig::new(Generation::Lto5).with_capacity(capacity)
}

fn rec(n: u64, len: usize) -> Vec<u8> {
    (0..len).map(|i| (n as usize * 31 + i * 7) as u8).collect()
}

fn read_all(m: &Medium, p: u8, n: u64) -> Vec<u8> {
    let mut buf = vec![0u8; 1 << 20];
    let r = m.read_record(p, n, &mut buf).unwrap();
    buf.truncate(r.copied);
    buf
}

#[test]
fn generations_match_density_table() {
    // scsi.md §10: LTO-5 0x58, LTO-6 0x5A, LTO-7 0x5C, LTO-8 0x5E, LTO-9 0x60.
    let codes: Vec<u8> = Generation::ALL.iter().map(|g| g.density_code()).collect();
    assert_eq!(codes, [0x58, 0x5A, 0x5C, 0x5E, 0x60]);
    assert_eq!(Generation::Lto5.native_capacity(), 1_500_000_000_000);
    assert_eq!(Generation::Lto9.native_capacity(), 18_000_000_000_000);
    assert_eq!(Generation::Lto7.name(), "LTO-7");
    assert_eq!(Generation::from_density_code(0x5D), None);
}

#[test]
fn round_trip_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.vtape");
    let mut m = Medium::create(&path, &cfg(64 * MIB)).unwrap();
    for n in 0..10 {
        m.write_record(0, n, &rec(n, 1000 + n as usize), &[])
            .unwrap();
    }
    m.write_filemarks(0, 10, 2).unwrap();
    m.write_record(0, 12, b"after", b"kad").unwrap();
    m.set_drive_state(b"pos=13").unwrap();
    m.close().unwrap();

    let m = Medium::open(&path).unwrap();
    assert!(m.open_report().checkpoint_used);
    assert_eq!(m.generation(), Generation::Lto5);
    assert_eq!(m.object_count(0), 13);
    for n in 0..10 {
        assert_eq!(read_all(&m, 0, n), rec(n, 1000 + n as usize));
    }
    assert_eq!(m.object(0, 10).unwrap().kind, ObjectKind::Filemark);
    assert_eq!(
        m.object(0, 12).unwrap().kind,
        ObjectKind::Record {
            len: 5,
            metadata_len: 3
        }
    );
    let mut buf = [0u8; 16];
    let r = m.read_record(0, 12, &mut buf).unwrap();
    assert_eq!(
        (r.len, r.copied, r.metadata.as_slice()),
        (5, 5, &b"kad"[..])
    );
    assert_eq!(m.drive_state(), b"pos=13");
    assert_eq!(m.next_filemark(0, 0), Some(10));
    assert_eq!(m.next_filemark(0, 11), Some(11));
    assert_eq!(m.next_filemark(0, 12), None);
    assert_eq!(m.prev_filemark(0, 13), Some(11));
    assert_eq!(m.prev_filemark(0, 10), None);
    assert_eq!(m.filemark_count_before(0, 12), 2);
    assert_eq!(m.bytes_used(0, 10), (0..10).map(|n| 1000 + n).sum::<u64>());
    assert!(matches!(
        m.read_record(0, 10, &mut buf),
        Err(MediumError::NotARecord { .. })
    ));
    assert!(matches!(
        m.read_record(0, 13, &mut buf),
        Err(MediumError::BeyondEndOfData { eod: 13, .. })
    ));
}

#[test]
fn reopen_without_close_scans_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.vtape");
    let mut m = Medium::create(&path, &cfg(64 * MIB)).unwrap();
    m.write_record(0, 0, b"one", &[]).unwrap();
    m.sync().unwrap();
    m.write_record(0, 1, b"two", &[]).unwrap();
    // Simulate a killed writer: copy the file while the handle (and its lock) is still open.
    let copy = dir.path().join("copy.vtape");
    std::fs::copy(&path, &copy).unwrap();
    let m = Medium::open(&copy).unwrap();
    assert!(m.open_report().checkpoint_used);
    assert_eq!(m.open_report().entries_scanned, 1);
    assert_eq!(read_all(&m, 0, 1), b"two");
}

#[test]
fn short_buffer_reports_full_length() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = Medium::create(dir.path().join("t"), &cfg(64 * MIB)).unwrap();
    m.write_record(0, 0, &rec(1, 5000), &[]).unwrap();
    let mut buf = [0u8; 100];
    let r = m.read_record(0, 0, &mut buf).unwrap();
    assert_eq!((r.len, r.copied), (5000, 100));
    assert_eq!(&buf[..], &rec(1, 5000)[..100]);
}

#[test]
fn overwrite_in_the_middle_truncates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t");
    let mut m = Medium::create(&path, &cfg(64 * MIB)).unwrap();
    for n in 0..5 {
        m.write_record(0, n, &rec(n, 100), &[]).unwrap();
    }
    m.write_filemarks(0, 5, 1).unwrap();
    m.write_record(0, 6, &rec(6, 100), &[]).unwrap();
    m.write_record(0, 2, b"new", &[]).unwrap();
    assert_eq!(m.object_count(0), 3);
    assert_eq!(m.next_filemark(0, 0), None);
    assert_eq!(m.bytes_used(0, 3), 203);
    m.write_filemarks(0, 1, 1).unwrap();
    assert_eq!(m.object_count(0), 2);
    m.erase(0, 1).unwrap();
    assert_eq!(m.object_count(0), 1);
    drop(m);
    let m = Medium::open(&path).unwrap();
    assert_eq!(m.object_count(0), 1);
    assert_eq!(read_all(&m, 0, 0), rec(0, 100));
    assert!(matches!(Medium::open(&path), Err(MediumError::Busy)));
}

#[test]
fn write_beyond_eod_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = Medium::create(dir.path().join("t"), &cfg(64 * MIB)).unwrap();
    assert!(matches!(
        m.write_record(0, 1, b"x", &[]),
        Err(MediumError::BeyondEndOfData { .. })
    ));
    assert!(matches!(
        m.write_record(1, 0, b"x", &[]),
        Err(MediumError::NoSuchPartition(1))
    ));
    let big = vec![0u8; MAX_METADATA_LEN + 1];
    assert!(matches!(
        m.write_record(0, 0, b"x", &big),
        Err(MediumError::MetadataTooLarge(_))
    ));
}

#[test]
fn two_partitions_interleaved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t");
    let mut m = Medium::create(&path, &cfg(64 * MIB)).unwrap();
    m.format(FormatSize::Partition1(16 * MIB)).unwrap();
    assert_eq!(m.partitions(), 2);
    assert_eq!((m.capacity(0), m.capacity(1)), (48 * MIB, 16 * MIB));
    for n in 0..20 {
        m.write_record((n % 2) as u8, n / 2, &rec(n, 300), &[])
            .unwrap();
    }
    m.write_filemarks(1, 10, 1).unwrap();
    m.write_record(0, 3, b"p0", &[]).unwrap(); // truncates partition 0 only
    m.close().unwrap();
    let m = Medium::open(&path).unwrap();
    assert_eq!((m.object_count(0), m.object_count(1)), (4, 11));
    for n in 0..10 {
        assert_eq!(read_all(&m, 1, n), rec(2 * n + 1, 300));
    }
    assert_eq!(read_all(&m, 0, 3), b"p0");
    assert_eq!(m.config().partitions, FormatSize::Partition1(16 * MIB));
    drop(m);
    let mut m = Medium::open(&path).unwrap();
    m.format(FormatSize::Partition0(10 * MIB)).unwrap();
    assert_eq!((m.capacity(0), m.capacity(1)), (10 * MIB, 54 * MIB));
    assert_eq!((m.object_count(0), m.object_count(1)), (0, 0));
    assert!(m.format(FormatSize::Partition0(64 * MIB)).is_err());
    m.format(FormatSize::Single).unwrap();
    assert_eq!(m.partitions(), 1);
}

#[test]
fn early_warning_then_end_of_partition() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t");
    let mut m = Medium::create(&path, &cfg(64 * MIB)).unwrap();
    // Default rule: max(min(64 MiB / 50, 64 MiB), min(64 MiB / 4, 2 MiB)) = 2 MiB.
    assert_eq!(m.early_warning_size(0), 2 * MIB);
    let rec_len = 256 * 1024u64;
    let data = vec![0x5Au8; rec_len as usize];
    let mut n = 0u64;
    let mut first_ew = None;
    loop {
        match m.write_record(0, n, &data, &[]) {
            Ok(s) => {
                if s.early_warning && first_ew.is_none() {
                    first_ew = Some(n);
                }
                n += 1;
            }
            Err(MediumError::EndOfPartition(0)) => break,
            Err(e) => panic!("{e}"),
        }
    }
    // 256 records fill 64 MiB exactly; the zone starts after 62 MiB = 248 records.
    assert_eq!(n, 256);
    assert_eq!(first_ew, Some(248));
    assert_eq!(m.object_count(0), 256);
    assert_eq!(m.remaining(0, 256), 0);
    assert!(m.early_warning(0, 256));
    assert!(!m.early_warning(0, 248));
    // Filemarks still fit; a rewrite from earlier frees space.
    m.write_filemarks(0, 256, 1).unwrap();
    m.write_record(0, 100, &data, &[]).unwrap();
    assert_eq!(m.object_count(0), 101);
}

#[test]
fn write_protect_refuses_writes_and_persists() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t");
    let mut m = Medium::create(&path, &cfg(64 * MIB)).unwrap();
    m.write_record(0, 0, b"x", &[]).unwrap();
    m.set_write_protect(true).unwrap();
    assert!(matches!(
        m.write_record(0, 1, b"y", &[]),
        Err(MediumError::WriteProtected)
    ));
    assert!(matches!(
        m.write_filemarks(0, 1, 1),
        Err(MediumError::WriteProtected)
    ));
    assert!(matches!(m.erase(0, 0), Err(MediumError::WriteProtected)));
    assert!(matches!(
        m.format(FormatSize::Single),
        Err(MediumError::WriteProtected)
    ));
    m.close().unwrap();
    let mut m = Medium::open(&path).unwrap();
    assert!(m.write_protected());
    assert_eq!(read_all(&m, 0, 0), b"x");
    m.set_write_protect(false).unwrap();
    m.write_record(0, 1, b"y", &[]).unwrap();
}

#[test]
fn second_open_is_busy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t");
    let m = Medium::create(&path, &cfg(64 * MIB)).unwrap();
    assert!(matches!(Medium::open(&path), Err(MediumError::Busy)));
    assert!(matches!(
        Medium::create(&path, &cfg(64 * MIB)),
        Err(MediumError::Busy)
    ));
    drop(m);
    Medium::open(&path).unwrap();
}

#[test]
fn rewrite_from_start_reclaims_space() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t");
    let mut m = Medium::create(&path, &cfg(64 * MIB)).unwrap();
    for n in 0..20 {
        m.write_record(0, n, &vec![1u8; 100_000], &[]).unwrap();
    }
    let big = std::fs::metadata(&path).unwrap().len();
    assert!(big > 2_000_000);
    m.write_record(0, 0, b"fresh", &[]).unwrap();
    let small = std::fs::metadata(&path).unwrap().len();
    assert!(small < 20_000, "{small}");
    m.close().unwrap();
    let m = Medium::open(&path).unwrap();
    assert_eq!(m.object_count(0), 1);
    assert_eq!(read_all(&m, 0, 0), b"fresh");
}

#[test]
fn drive_state_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = Medium::create(dir.path().join("t"), &cfg(64 * MIB)).unwrap();
    assert!(m.set_drive_state(&[1u8; 2048]).is_ok());
    assert!(matches!(
        m.set_drive_state(&[1u8; 2049]),
        Err(MediumError::DriveStateTooLarge(2049))
    ));
}

#[test]
fn invalid_configs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    assert!(Medium::create(dir.path().join("a"), &cfg(1000)).is_err());
    let c = cfg(64 * MIB).with_partitions(FormatSize::Partition1(64 * MIB));
    assert!(Medium::create(dir.path().join("b"), &c).is_err());
}
