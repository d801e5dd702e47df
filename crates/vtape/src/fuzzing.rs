//! Entry points for the fuzz targets in `fuzz/` (DESIGN: one fuzz target per parser of bytes
//! from a device, a file or the kernel). Not part of the stable API.
//!
//! Each function runs one internal decoder on arbitrary bytes and hands back the value
//! re-encoded, so a target can check that decoding never panics and that what decodes is
//! stable under a round trip. The TCMU ring needs no hook: [`crate::tcmu::ring::Ring`] runs
//! on any [`crate::tcmu::shm::SharedMap`], including a plain `[u8]`.

use crate::drive::crypto::keystore;
use crate::drive::crypto::record::{Decoded, RecordHeader};

/// Decodes `bytes` as a drive key sidecar file (`<medium>.drive-keys`, layout in
/// [`crate::drive::KeyStore`]'s module) and re-encodes what decoded; `None` when the bytes
/// are not a valid sidecar.
pub fn key_sidecar(bytes: &[u8]) -> Option<Vec<u8>> {
    keystore::decode(bytes).map(|p| keystore::encode(&p).to_vec())
}

/// What [`record_header`] found in a record's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordMeta {
    /// Not an encryption header: a plain record.
    Plain,
    /// An encryption header, re-encoded.
    Encrypted(Vec<u8>),
    /// Starts like an encryption header but does not decode.
    Damaged,
}

/// Decodes `meta` as the metadata of an encrypted record (the `TKEN` header of
/// `drive::crypto::record`) and re-encodes it when it is one.
pub fn record_header(meta: &[u8]) -> RecordMeta {
    match RecordHeader::decode(meta) {
        Decoded::Plain => RecordMeta::Plain,
        Decoded::Encrypted(h) => RecordMeta::Encrypted(h.encode()),
        Decoded::Damaged => RecordMeta::Damaged,
    }
}

/// Decodes `blob` as the drive's cartridge-memory snapshot (the data of a medium's MAM
/// snapshot entry, layout in `drive::mam::store`) and re-encodes what decoded; `None` when the
/// bytes are not a valid snapshot.
pub fn mam_snapshot(blob: &[u8]) -> Option<Vec<u8>> {
    crate::drive::mam::Mam::decode(blob).map(|m| m.encode())
}
