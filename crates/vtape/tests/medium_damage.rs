//! Damaged medium files: every kind of damage is detected and reported, never trusted and
//! never a panic; completed records stay readable where the format allows it.
#![allow(clippy::unwrap_used, clippy::panic)] // test code: helpers fail the test

use vtape::medium::{check_bytes, FormatSize, Generation, Medium, MediumConfig, MediumError};

const MIB: u64 = 1 << 20;
const LOG_START: usize = 3 * 4096;

fn rec(p: u8, n: u64) -> Vec<u8> {
    let len = 50 + (n as usize * 37) % 300;
    let mut x = (u64::from(p) << 32 | n).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Writes a small two-partition medium; returns (file bytes without a checkpoint, file bytes
/// after close with a checkpoint).
fn small_images() -> (Vec<u8>, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t");
    let cfg = MediumConfig::new(Generation::Lto6)
        .with_capacity(8 * MIB)
        .with_partitions(FormatSize::Partition1(2 * MIB));
    let mut m = Medium::create(&path, &cfg).unwrap();
    for n in 0..8 {
        m.write_record(0, n, &rec(0, n), b"meta").unwrap();
    }
    m.write_filemarks(0, 8, 1).unwrap();
    for n in 0..4 {
        m.write_record(1, n, &rec(1, n), &[]).unwrap();
    }
    m.write_record(0, 9, &rec(0, 9), &[]).unwrap();
    let no_checkpoint = std::fs::read(&path).unwrap();
    m.close().unwrap();
    (no_checkpoint, std::fs::read(&path).unwrap())
}

fn expected_objects() -> Vec<u64> {
    vec![10, 4]
}

fn open_image(bytes: &[u8]) -> Result<Medium, MediumError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("img");
    std::fs::write(&path, bytes).unwrap();
    let m = Medium::open(&path);
    drop(dir); // the open file stays valid after unlink
    m
}

fn find(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn clean_images_check_out() {
    for img in [small_images().0, small_images().1] {
        let s = check_bytes(&img).unwrap();
        assert_eq!(s.objects, expected_objects());
        assert_eq!(s.filemarks, vec![1, 0]);
        assert!(s.bad_records.is_empty());
        assert_eq!(s.report.discarded_tail, 0);
    }
}

#[test]
fn every_header_byte_flip_is_detected() {
    let (_, img) = small_images();
    for at in 0..4096 {
        let mut bad = img.clone();
        bad[at] ^= 0x01;
        let err = check_bytes(&bad).unwrap_err();
        assert!(
            matches!(err, MediumError::BadMagic | MediumError::CorruptHeader(_)),
            "byte {at}: {err}"
        );
    }
    let mut bad = img.clone();
    bad[100] ^= 0xFF;
    assert!(matches!(
        open_image(&bad),
        Err(MediumError::CorruptHeader(_))
    ));
    bad = img.clone();
    bad[0] = b'X';
    assert!(matches!(open_image(&bad), Err(MediumError::BadMagic)));
}

#[test]
fn one_damaged_state_slot_falls_back_to_the_other() {
    let (_, img) = small_images();
    for at in (4096..3 * 4096).step_by(7) {
        let mut bad = img.clone();
        bad[at] ^= 0x40;
        let s = check_bytes(&bad).unwrap();
        assert_eq!(s.objects, expected_objects(), "byte {at}");
    }
    let mut bad = img.clone();
    bad[4096 + 10] ^= 1;
    bad[8192 + 10] ^= 1;
    assert!(matches!(check_bytes(&bad), Err(MediumError::CorruptState)));
    assert!(matches!(open_image(&bad), Err(MediumError::CorruptState)));
}

#[test]
fn truncation_at_every_length_errors_or_recovers() {
    let (raw, img) = small_images();
    for base in [raw, img] {
        let mut last = vec![0u64, 0];
        for len in 0..=base.len() {
            match check_bytes(&base[..len]) {
                Err(e) => assert!(len < LOG_START, "len {len}: {e}"),
                Ok(s) => {
                    assert!(len >= LOG_START);
                    assert!(s.bad_records.is_empty(), "len {len}");
                    // Completed objects never disappear as the file grows.
                    assert!(
                        s.objects.iter().zip(&last).all(|(a, b)| a >= b),
                        "len {len}"
                    );
                    last = s.objects;
                }
            }
            if len >= LOG_START && len % 61 == 0 {
                let m = open_image(&base[..len]).unwrap();
                for p in 0..2u8 {
                    for n in 0..m.object_count(p) {
                        if p == 0 && n == 8 {
                            continue; // the filemark
                        }
                        let mut buf = [0u8; 512];
                        let r = m.read_record(p, n, &mut buf).unwrap();
                        assert_eq!(&buf[..r.copied], rec(p, n), "len {len} p {p} n {n}");
                    }
                }
            }
        }
        assert_eq!(last, expected_objects());
    }
}

#[test]
fn corrupt_checkpoint_falls_back_to_full_scan() {
    let (_, img) = small_images();
    let at = *find(&img, b"TKVI").last().unwrap();
    let mut bad = img.clone();
    bad[at + 6] ^= 0x10;
    let m = open_image(&bad).unwrap();
    assert!(!m.open_report().checkpoint_used);
    assert!(m.open_report().checkpoint_error.is_some());
    assert_eq!(m.object_count(0), 10);
    assert_eq!(m.object_count(1), 4);
    let s = check_bytes(&bad).unwrap();
    assert!(s.report.checkpoint_error.is_some());
}

#[test]
fn corrupt_record_data_affects_only_that_record() {
    let (_, img) = small_images();
    let at = find(&img, &rec(0, 5)[..40])[0];
    let mut bad = img.clone();
    bad[at + 3] ^= 0x01;
    let m = open_image(&bad).unwrap();
    let mut buf = [0u8; 512];
    assert!(matches!(
        m.read_record(0, 5, &mut buf),
        Err(MediumError::CorruptRecord {
            partition: 0,
            object: 5
        })
    ));
    for n in [0, 4, 6, 9] {
        let r = m.read_record(0, n, &mut buf).unwrap();
        assert_eq!(&buf[..r.copied], rec(0, n));
    }
    assert_eq!(check_bytes(&bad).unwrap().bad_records, vec![(0, 5)]);
    // The metadata-only read does not look at the data, so it still answers.
    assert_eq!(m.read_record_metadata(0, 5).unwrap(), b"meta");
    assert_eq!(m.read_record_metadata(1, 0).unwrap(), b"");
    assert!(matches!(
        m.read_record_metadata(0, 8),
        Err(MediumError::NotARecord { .. })
    ));
    assert!(matches!(
        m.read_record_metadata(0, 10),
        Err(MediumError::BeyondEndOfData { .. })
    ));
    // Metadata is covered by the same CRC.
    let meta_at = find(&img, b"meta")[2];
    let mut bad = img.clone();
    bad[meta_at] = b'M';
    assert_eq!(check_bytes(&bad).unwrap().bad_records, vec![(0, 2)]);
}

#[test]
fn corrupt_entry_header() {
    let (raw, img) = small_images();
    // Header of the second entry (record 1 of partition 0).
    let entries = find(&img, b"TKVE");
    let second = entries[1];
    // With a checkpoint, the damage surfaces when that record is read.
    let mut bad = img.clone();
    bad[second + 20] ^= 0x02;
    let m = open_image(&bad).unwrap();
    let mut buf = [0u8; 512];
    assert!(matches!(
        m.read_record(0, 1, &mut buf),
        Err(MediumError::CorruptRecord { .. })
    ));
    assert!(m.read_record(0, 2, &mut buf).is_ok());
    // The metadata-only read checks the header too.
    assert!(matches!(
        m.read_record_metadata(0, 1),
        Err(MediumError::CorruptRecord {
            partition: 0,
            object: 1
        })
    ));
    assert_eq!(m.read_record_metadata(0, 2).unwrap(), b"meta");
    // Without one, the scan meets it and refuses the image.
    let mut bad = raw.clone();
    bad[second + 20] ^= 0x02;
    assert!(
        matches!(check_bytes(&bad), Err(MediumError::CorruptLog { offset, .. }) if offset as usize == second)
    );
    assert!(matches!(
        open_image(&bad),
        Err(MediumError::CorruptLog { .. })
    ));
}

#[test]
fn every_byte_flip_anywhere_never_panics() {
    let (raw, img) = small_images();
    for base in [raw, img] {
        for at in 0..base.len() {
            for mask in [0x01u8, 0x80] {
                let mut bad = base.clone();
                bad[at] ^= mask;
                let _ = check_bytes(&bad);
            }
        }
    }
}

#[test]
fn garbage_is_not_a_medium() {
    assert!(check_bytes(&[]).is_err());
    assert!(matches!(
        check_bytes(&[0u8; 20000]),
        Err(MediumError::BadMagic)
    ));
    let mut v = b"TKVTAPE\0".to_vec();
    v.resize(5000, 0xFF);
    assert!(check_bytes(&v).is_err());
}

#[test]
fn stale_entries_after_an_interrupted_reset_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t");
    let mut m = Medium::create(
        &path,
        &MediumConfig::new(Generation::Lto5).with_capacity(8 * MIB),
    )
    .unwrap();
    for n in 0..5 {
        m.write_record(0, n, &rec(0, n), &[]).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    m.write_record(0, 0, b"new epoch", &[]).unwrap(); // reclaim: new epoch, file truncated
    let after = std::fs::read(&path).unwrap();
    drop(m);
    // As if killed between the state-slot write and the truncation: new state, old log.
    let mut img = after[..LOG_START].to_vec();
    img.extend_from_slice(&before[LOG_START..]);
    let s = check_bytes(&img).unwrap();
    assert_eq!(s.objects, vec![0]);
    assert_eq!(s.report.discarded_tail as usize, before.len() - LOG_START);
    let mut m = open_image(&img).unwrap();
    m.write_record(0, 0, b"again", &[]).unwrap();
    let mut buf = [0u8; 16];
    assert_eq!(m.read_record(0, 0, &mut buf).unwrap().len, 5);
}
