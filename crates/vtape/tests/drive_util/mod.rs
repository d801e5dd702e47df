//! Shared helpers for the drive tests: a drive on a fresh temporary medium and one-line
//! command runners. CDBs are written by hand in each test, from SSC-4 / SPC-4.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use scsi_sg::{Completion, DataDir, ScsiStatus, Sense, SenseKey};
use vtape::drive::Drive;
use vtape::medium::{Generation, Medium, MediumConfig};

pub const MIB: u64 = 1 << 20;

/// A drive on a new medium; the directory must outlive the drive.
pub fn drive_with(cfg: MediumConfig) -> (tempfile::TempDir, PathBuf, Drive) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.vtape");
    Medium::create(&path, &cfg).unwrap().close().unwrap();
    let d = Drive::open(&path).unwrap();
    (dir, path, d)
}

/// An LTO-8 drive on a 64 MiB medium.
pub fn drive() -> (tempfile::TempDir, PathBuf, Drive) {
    drive_with(MediumConfig::new(Generation::Lto8).with_capacity(64 * MIB))
}

pub fn no_data(d: &mut Drive, cdb: &[u8]) -> Completion {
    d.execute(cdb, DataDir::None)
}

pub fn data_in(d: &mut Drive, cdb: &[u8], len: usize) -> (Completion, Vec<u8>) {
    let mut buf = vec![0u8; len];
    let c = d.execute(cdb, DataDir::FromDevice(&mut buf));
    let n = len - c.residual;
    buf.truncate(n);
    (c, buf)
}

pub fn data_out(d: &mut Drive, cdb: &[u8], data: &[u8]) -> Completion {
    d.execute(cdb, DataDir::ToDevice(data))
}

pub fn assert_good(c: &Completion) {
    assert_eq!(c.status, ScsiStatus::GOOD, "sense: {:?}", c.sense);
    assert!(c.sense_bytes.is_empty());
}

/// The sense of a CHECK CONDITION, parsed from the raw bytes.
pub fn sense(c: &Completion) -> Sense {
    assert_eq!(c.status, ScsiStatus::CHECK_CONDITION);
    Sense::parse(&c.sense_bytes).expect("parseable sense")
}

/// Asserts key/ASC/ASCQ.
pub fn assert_sense(c: &Completion, key: SenseKey, asc: u8, ascq: u8) -> Sense {
    let s = sense(c);
    assert_eq!((s.key, s.asc, s.ascq), (key, asc, ascq), "{s}");
    s
}

/// WRITE(6), variable mode (byte 1 FIXED = 0), transfer length = data length.
pub fn write_var(d: &mut Drive, data: &[u8]) -> Completion {
    let l = (data.len() as u32).to_be_bytes();
    data_out(d, &[0x0A, 0x00, l[1], l[2], l[3], 0x00], data)
}

/// READ(6), variable mode, transfer length `len`.
pub fn read_var(d: &mut Drive, len: usize) -> (Completion, Vec<u8>) {
    let l = (len as u32).to_be_bytes();
    data_in(d, &[0x08, 0x00, l[1], l[2], l[3], 0x00], len)
}

/// WRITE FILEMARKS(6) with IMMED = 0.
pub fn write_filemarks(d: &mut Drive, n: u32) -> Completion {
    let l = n.to_be_bytes();
    no_data(d, &[0x10, 0x00, l[1], l[2], l[3], 0x00])
}

/// REWIND (byte 1 IMMED = 0).
pub fn rewind(d: &mut Drive) {
    assert_good(&no_data(d, &[0x01, 0, 0, 0, 0, 0]));
}

/// READ POSITION short form (SA 00h): (flags byte, partition, first block location).
pub fn position(d: &mut Drive) -> (u8, u8, u32) {
    let (c, b) = data_in(d, &[0x34, 0x00, 0, 0, 0, 0, 0, 0, 0, 0], 20);
    assert_good(&c);
    assert_eq!(b.len(), 20);
    (b[0], b[1], u32::from_be_bytes([b[4], b[5], b[6], b[7]]))
}

/// SPACE(6): code in byte 1, 24-bit two's-complement count in bytes 2-4.
pub fn space(d: &mut Drive, code: u8, count: i32) -> Completion {
    let c = count.to_be_bytes();
    no_data(d, &[0x11, code, c[1], c[2], c[3], 0])
}

/// Lays down: records "a0" "a1" FM "b0" FM (objects 0..5), then EOD at 5.
pub fn two_files(d: &mut Drive) {
    assert_good(&write_var(d, b"a0"));
    assert_good(&write_var(d, b"a1"));
    assert_good(&write_filemarks(d, 1));
    assert_good(&write_var(d, b"b0"));
    assert_good(&write_filemarks(d, 1));
    rewind(d);
}
