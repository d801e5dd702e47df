//! Cartridge memory snapshots in the medium file (format version 2): latest wins, survives
//! reopen and log resets, damage falls back to the previous snapshot or is reported, version
//! 1 files open without one. Never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use vtape::medium::{check_bytes, FormatSize, Generation, Medium, MediumConfig, MediumError};

const MIB: u64 = 1 << 20;
const LOG_START: usize = 3 * 4096;

fn cfg() -> MediumConfig {
    MediumConfig::new(Generation::Lto7).with_capacity(16 * MIB)
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .rposition(|w| w == needle)
        .expect("needle present")
}

#[test]
fn latest_snapshot_wins_and_persists() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m");
    let mut m = Medium::create(&path, &cfg()).unwrap();
    assert_eq!(m.mam().unwrap(), None);
    m.set_mam(b"first snapshot").unwrap();
    m.write_record(0, 0, b"data", &[]).unwrap();
    m.set_mam(b"second snapshot").unwrap();
    assert_eq!(m.mam().unwrap(), Some(&b"second snapshot"[..]));
    drop(m); // no sync: found by the scan
    let m = Medium::open(&path).unwrap();
    assert_eq!(m.mam().unwrap(), Some(&b"second snapshot"[..]));
    m.close().unwrap(); // checkpoint: found through the state slot
    let mut m = Medium::open(&path).unwrap();
    assert!(m.open_report().checkpoint_used);
    assert_eq!(m.mam().unwrap(), Some(&b"second snapshot"[..]));
    assert!(m.set_mam(&vec![0; vtape::medium::MAX_MAM_LEN + 1]).is_err());
}

#[test]
fn survives_log_resets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m");
    let mut m = Medium::create(&path, &cfg()).unwrap();
    m.set_mam(b"cartridge memory").unwrap();
    for n in 0..20 {
        m.write_record(0, n, &[n as u8; 1000], &[]).unwrap();
    }
    m.write_record(0, 0, b"rewritten from BOT", &[]).unwrap();
    assert_eq!(m.object_count(0), 1);
    // The log was moved back to its start: MAM copy + one record.
    let len = std::fs::metadata(&path).unwrap().len() as usize;
    assert_eq!(len, LOG_START + 48 + 16 + 48 + 18);
    m.format(FormatSize::Partition1(4 * MIB)).unwrap();
    assert_eq!(m.partitions(), 2);
    m.close().unwrap();
    let m = Medium::open(&path).unwrap();
    assert_eq!(m.mam().unwrap(), Some(&b"cartridge memory"[..]));
    assert_eq!(m.object_count(0), 0);
    drop(m);
    // A reset right after the MAM was created (old log too short to move it back).
    let mut m = Medium::create(&path, &cfg()).unwrap();
    m.set_mam(&[7u8; 3000]).unwrap();
    m.write_record(0, 0, b"x", &[]).unwrap();
    m.write_record(0, 0, b"y", &[]).unwrap();
    drop(m);
    let m = Medium::open(&path).unwrap();
    assert_eq!(m.mam().unwrap(), Some(&[7u8; 3000][..]));
    let mut buf = [0u8; 4];
    assert_eq!(m.read_record(0, 0, &mut buf).unwrap().copied, 1);
    assert_eq!(buf[0], b'y');
}

/// An image with two snapshots (`OLD-MAM…`, `NEW-MAM…`) and a record.
fn two_snapshots() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m");
    let mut m = Medium::create(&path, &cfg()).unwrap();
    m.set_mam(b"OLD-MAM-SNAPSHOT").unwrap();
    m.write_record(0, 0, b"record", &[]).unwrap();
    m.set_mam(b"NEW-MAM-SNAPSHOT").unwrap();
    m.close().unwrap();
    std::fs::read(&path).unwrap()
}

fn open_image(img: &[u8]) -> Medium {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("img");
    std::fs::write(&path, img).unwrap();
    let m = Medium::open(&path).unwrap();
    drop(dir); // the open file stays usable
    m
}

#[test]
fn damaged_snapshot_falls_back_then_reports() {
    let img = two_snapshots();
    let new_at = find(&img, b"NEW-MAM-SNAPSHOT");
    let old_at = find(&img, b"OLD-MAM-SNAPSHOT");
    let mut bad = img.clone();
    bad[new_at + 3] ^= 0x40;
    let m = open_image(&bad);
    assert!(m.open_report().mam_fallback);
    assert_eq!(m.mam().unwrap(), Some(&b"OLD-MAM-SNAPSHOT"[..]));
    let mut buf = [0u8; 16];
    assert_eq!(m.read_record(0, 0, &mut buf).unwrap().copied, 6);
    let s = check_bytes(&bad).unwrap();
    assert_eq!(s.mam_len, Some(16));
    // Both damaged: reported, data unaffected.
    bad[old_at] ^= 0x01;
    let m = open_image(&bad);
    assert!(matches!(m.mam(), Err(MediumError::CorruptMam(_))));
    assert_eq!(m.read_record(0, 0, &mut buf).unwrap().copied, 6);
    let s = check_bytes(&bad).unwrap();
    assert_eq!((s.mam_len, s.mam_error.is_some()), (None, true));
    // Every byte of the newest snapshot entry (header included) flipped: never a panic.
    for at in new_at - 48..new_at + 16 {
        let mut b = img.clone();
        b[at] ^= 0x10;
        let _ = check_bytes(&b);
    }
    // Every prefix: an error or a summary, never a panic.
    for n in (0..img.len()).step_by(13) {
        let _ = check_bytes(&img[..n]);
    }
}

#[test]
fn version_1_file_opens_without_mam_and_is_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1");
    Medium::create(&path, &cfg()).unwrap().close().unwrap();
    let mut img = std::fs::read(&path).unwrap();
    img[8..12].copy_from_slice(&1u32.to_le_bytes());
    let crc = crc32fast::hash(&img[..4092]);
    img[4092..4096].copy_from_slice(&crc.to_le_bytes());
    std::fs::write(&path, &img).unwrap();
    let mut m = Medium::open(&path).unwrap();
    assert_eq!(m.mam().unwrap(), None);
    m.set_mam(b"now with MAM").unwrap();
    m.close().unwrap();
    let img = std::fs::read(&path).unwrap();
    assert_eq!(&img[8..12], &2u32.to_le_bytes());
    let m = Medium::open(&path).unwrap();
    assert_eq!(m.mam().unwrap(), Some(&b"now with MAM"[..]));
}
