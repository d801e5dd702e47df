//! Records under encryption (SSC-4 §4.2.27): what WRITE stores while the encryption mode is
//! ENCRYPT, what READ returns for each decryption mode, and the next block encryption
//! status (page 0021h) of the object at the current position — without moving.
//!
//! READ, by the block and the DECRYPTION MODE (sense key DATA PROTECT, ASC 74h; the
//! position is after the block, as for other read errors of this drive):
//!
//! | block | DISABLE | RAW | DECRYPT | MIXED |
//! |---|---|---|---|---|
//! | plain | data | data | 74/02 unencrypted data encountered while decrypting | data |
//! | encrypted, right key | 74/01 unable to decrypt data | stored bytes, or 74/0A if not raw-read enabled | plaintext | plaintext |
//! | encrypted, other key | 74/01 | stored bytes, or 74/0A | 74/03 incorrect data encryption key | 74/03 |
//! | encrypted, authentication fails | 74/01 | stored bytes, or 74/0A | 74/04 cryptographic integrity validation failed | 74/04 |
//!
//! **Lengths.** A decrypting READ reports the plaintext length (ILI and INFORMATION are
//! computed from it). A RAW read returns the stored bytes — ciphertext ‖ 16-byte GCM tag,
//! the plaintext length + 16 — and reports that length. The nonce and KADs stay in the
//! record's metadata (see `record`) and are not part of the raw data; LTO's on-tape crypto
//! format is not public, and this drive has no raw WRITE that would need them back.

use scsi_sg::{Sense, SenseKey};

use super::record::{self, Decoded, RecordHeader};
use super::spout::ALGORITHM_INDEX;
use super::{dec_mode, enc_mode, Params};
use crate::drive::sense::{asc, medium_failure, sense};
use crate::drive::Drive;
use crate::medium::ObjectKind;

/// ASC/ASCQ of the encryption errors (`reference/scsi.md` §7.6).
pub(crate) mod code {
    /// 74/01 unable to decrypt data.
    pub const UNABLE_TO_DECRYPT: (u8, u8) = (0x74, 0x01);
    /// 74/02 unencrypted data encountered while decrypting.
    pub const UNENCRYPTED_DATA: (u8, u8) = (0x74, 0x02);
    /// 74/03 incorrect data encryption key.
    pub const INCORRECT_KEY: (u8, u8) = (0x74, 0x03);
    /// 74/04 cryptographic integrity validation failed.
    pub const INTEGRITY_FAILED: (u8, u8) = (0x74, 0x04);
    /// 74/07 encryption parameters not useable.
    pub const PARAMETERS_NOT_USABLE: (u8, u8) = (0x74, 0x07);
    /// 74/0A encrypted block not raw read enabled.
    pub const NOT_RAW_READ_ENABLED: (u8, u8) = (0x74, 0x0A);
}

fn data_protect(pair: (u8, u8)) -> Sense {
    sense(SenseKey::DataProtect, pair)
}

/// What to store for a record the host writes: `(data, metadata)`. Plain records are
/// returned unchanged with no metadata.
pub(crate) fn seal_record<'a>(
    p: &Params,
    plain: &'a [u8],
) -> Result<(std::borrow::Cow<'a, [u8]>, Vec<u8>), Sense> {
    if p.enc_mode != enc_mode::ENCRYPT {
        return Ok((plain.into(), Vec::new()));
    }
    let key = p
        .key
        .as_ref()
        .ok_or_else(|| data_protect(code::PARAMETERS_NOT_USABLE))?;
    let nonce = record::fresh_nonce()
        .ok_or_else(|| sense(SenseKey::HardwareError, asc::INTERNAL_TARGET_FAILURE))?;
    let header = RecordHeader {
        algorithm_index: p.algorithm_index,
        protected: p.protects(),
        kad_format: p.kad_format,
        kcv: record::key_check_value(key),
        nonce,
        ukad: p.ukad.clone(),
        akad: p.akad.clone(),
    };
    let meta = header.encode();
    let data = record::seal(key, &nonce, &meta, plain)
        .ok_or_else(|| sense(SenseKey::HardwareError, asc::INTERNAL_TARGET_FAILURE))?;
    Ok((data.into(), meta))
}

/// Whether READ must look at the record's metadata (otherwise the plain fast path is
/// exact): the record has metadata, or the mode refuses plain records.
pub(crate) fn needs_check(p: &Params, kind: ObjectKind) -> bool {
    match kind {
        ObjectKind::Record { metadata_len, .. } => {
            metadata_len > 0 || p.dec_mode == dec_mode::DECRYPT
        }
        ObjectKind::Filemark => false,
    }
}

/// Reads record `n` of partition `part` through the decryption rules into `buf`:
/// `(length the host sees, bytes copied)`.
pub(crate) fn read_record(
    d: &Drive,
    part: u8,
    n: u64,
    stored_len: usize,
    buf: &mut [u8],
) -> Result<(usize, usize), Sense> {
    let mut stored = vec![0u8; stored_len];
    let r = d
        .medium
        .read_record(part, n, &mut stored)
        .map_err(|e| medium_failure(&e, false))?;
    stored.truncate(r.copied);
    let p = &d.crypto.params;
    let out = match RecordHeader::decode(&r.metadata) {
        Decoded::Damaged => return Err(medium_failure(&corrupt(part, n), false)),
        Decoded::Plain if p.dec_mode == dec_mode::DECRYPT => {
            return Err(data_protect(code::UNENCRYPTED_DATA))
        }
        Decoded::Plain => zeroize::Zeroizing::new(stored),
        Decoded::Encrypted(h) => match p.dec_mode {
            dec_mode::RAW if h.protected => return Err(data_protect(code::NOT_RAW_READ_ENABLED)),
            dec_mode::RAW => zeroize::Zeroizing::new(stored),
            dec_mode::DECRYPT | dec_mode::MIXED => decrypt(p, &h, &r.metadata, stored)?,
            _ => return Err(data_protect(code::UNABLE_TO_DECRYPT)),
        },
    };
    let copied = out.len().min(buf.len());
    if let (Some(dst), Some(src)) = (buf.get_mut(..copied), out.get(..copied)) {
        dst.copy_from_slice(src);
    }
    Ok((out.len(), copied))
}

fn corrupt(partition: u8, object: u64) -> crate::medium::MediumError {
    crate::medium::MediumError::CorruptRecord { partition, object }
}

fn key_matches(p: &Params, h: &RecordHeader) -> bool {
    p.key
        .as_ref()
        .is_some_and(|k| record::key_check_value(k) == h.kcv)
}

fn decrypt(
    p: &Params,
    h: &RecordHeader,
    meta: &[u8],
    stored: Vec<u8>,
) -> Result<zeroize::Zeroizing<Vec<u8>>, Sense> {
    if h.algorithm_index != ALGORITHM_INDEX {
        return Err(data_protect(code::UNABLE_TO_DECRYPT));
    }
    let Some(key) = p.key.as_ref().filter(|_| key_matches(p, h)) else {
        return Err(data_protect(code::INCORRECT_KEY));
    };
    record::open(key, &h.nonce, meta, stored).ok_or_else(|| data_protect(code::INTEGRITY_FAILED))
}

/// Next block encryption status values (page 0021h byte 12 bits 3-0).
pub(crate) mod status {
    /// Cannot be determined (no cartridge, damaged header).
    pub const CANNOT_DETERMINE: u8 = 0;
    /// Not now: end of data.
    pub const NOT_YET: u8 = 1;
    /// Not a logical block (filemark).
    pub const NOT_A_BLOCK: u8 = 2;
    /// Not encrypted.
    pub const NOT_ENCRYPTED: u8 = 3;
    /// Encrypted with an algorithm this drive does not have.
    pub const UNSUPPORTED: u8 = 4;
    /// Encrypted, and decryptable with the current key and mode.
    pub const DECRYPTABLE: u8 = 5;
    /// Encrypted, but the key is not the current one or decryption is not enabled.
    pub const NOT_DECRYPTABLE: u8 = 6;
}

/// What page 0021h reports for the object at the current position.
#[derive(Debug, Default)]
pub(crate) struct BlockStatus {
    /// ENCRYPTION STATUS.
    pub status: u8,
    /// The block's header, when it is encrypted.
    pub header: Option<RecordHeader>,
}

/// Status of the object at the drive's position (reads metadata only; never moves).
pub(crate) fn block_status(d: &Drive) -> BlockStatus {
    let (part, n) = (d.part(), d.pos());
    let with = |status| BlockStatus {
        status,
        header: None,
    };
    let Some(obj) = d.medium.object(part, n) else {
        return with(status::NOT_YET);
    };
    match obj.kind {
        ObjectKind::Filemark => return with(status::NOT_A_BLOCK),
        ObjectKind::Record {
            metadata_len: 0, ..
        } => return with(status::NOT_ENCRYPTED),
        ObjectKind::Record { .. } => {}
    }
    let Ok(meta) = d.medium.read_record_metadata(part, n) else {
        return with(status::CANNOT_DETERMINE);
    };
    match RecordHeader::decode(&meta) {
        Decoded::Plain => with(status::NOT_ENCRYPTED),
        Decoded::Damaged => with(status::CANNOT_DETERMINE),
        Decoded::Encrypted(h) => {
            let p = &d.crypto.params;
            let decrypting = matches!(p.dec_mode, dec_mode::DECRYPT | dec_mode::MIXED);
            let status = if h.algorithm_index != ALGORITHM_INDEX {
                status::UNSUPPORTED
            } else if decrypting && key_matches(p, &h) {
                status::DECRYPTABLE
            } else {
                status::NOT_DECRYPTABLE
            };
            BlockStatus {
                status,
                header: Some(h),
            }
        }
    }
}
