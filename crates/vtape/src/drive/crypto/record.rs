//! How an encrypted record is stored on the medium (vtape's own format; LTO's on-tape
//! format is not public). The cipher is AES-256-GCM with a 128-bit tag, the algorithm of
//! SECURITY ALGORITHM CODE 0001_0014h (`reference/scsi.md` §6.4).
//!
//! - **Data** (what the medium counts as the record): ciphertext ‖ 16-byte tag, so the
//!   stored length is the plaintext length + [`TAG_LEN`].
//! - **Metadata** (the per-record bytes the medium keeps beside the data, ≤ 1 KiB):
//!
//! | off | size | field |
//! |---|---|---|
//! | 0 | 4 | magic `TKEN` |
//! | 4 | 1 | version (1) |
//! | 5 | 1 | algorithm index the block was written with |
//! | 6 | 1 | flags: b0 = block is not raw-read enabled (written with RDMC 11b) |
//! | 7 | 1 | KAD FORMAT in force when written |
//! | 8 | 8 | key check value: the first 8 bytes of AES-256(key, `KCV_BLOCK`) — identifies the key without revealing it; never the key |
//! | 16 | 12 | nonce (96 bits, fresh from the OS random source for every record) |
//! | 28 | 2 | U-KAD length u (little-endian) |
//! | 30 | 2 | A-KAD length a (little-endian) |
//! | 32 | u + a | U-KAD, then A-KAD |
//!
//! - **Associated data** = the whole metadata, so the U-KAD, the flags and the key check
//!   value cannot be altered without the record failing authentication. The record's
//!   position is *not* bound: a block keeps decrypting if the medium log is rewritten or
//!   the block is copied elsewhere (the drive authenticates each block, not the order).
//! - **Nonce**: 96 random bits per record (`getrandom`). Under one key the chance of a
//!   repeat stays below 2⁻³² up to 2³² records (NIST SP 800-38D §8.3), far more blocks than
//!   an LTO cartridge holds (≈ 10⁷ records of 256 KiB on LTO-6); a counter would have to be
//!   persisted across processes and crashes to be safe, random nonces need no state.

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::aes::cipher::BlockEncrypt;
use aes_gcm::aes::Aes256;
use aes_gcm::{Aes256Gcm, Nonce, Tag};
use zeroize::Zeroizing;

/// AES-256 key length in bytes.
pub(crate) const KEY_LEN: usize = 32;
/// GCM tag length in bytes (stored after the ciphertext).
pub(crate) const TAG_LEN: usize = 16;
/// GCM nonce length in bytes.
pub(crate) const NONCE_LEN: usize = 12;
/// Length of the key check value kept per record.
pub(crate) const KCV_LEN: usize = 8;

const MAGIC: &[u8; 4] = b"TKEN";
const VERSION: u8 = 1;
const FIXED_LEN: usize = 32;
const FLAG_PROTECTED: u8 = 0x01;
/// The block the key check value encrypts.
const KCV_BLOCK: &[u8; 16] = b"tapekit vtape kc";

/// A data encryption key as the drive holds it (zeroized on drop).
pub(crate) type DriveKey = Zeroizing<[u8; KEY_LEN]>;

/// The key check value of `key`.
pub(crate) fn key_check_value(key: &[u8; KEY_LEN]) -> [u8; KCV_LEN] {
    let cipher = Aes256::new(key.into());
    let mut block = (*KCV_BLOCK).into();
    cipher.encrypt_block(&mut block);
    let mut out = [0u8; KCV_LEN];
    out.copy_from_slice(block.get(..KCV_LEN).unwrap_or(&[0; KCV_LEN]));
    out
}

/// The per-record encryption header (the record's metadata).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordHeader {
    /// Algorithm index the block was written with.
    pub algorithm_index: u8,
    /// Written with RDMC "protect": raw reads are refused.
    pub protected: bool,
    /// KAD FORMAT when written.
    pub kad_format: u8,
    /// Key check value of the key.
    pub kcv: [u8; KCV_LEN],
    /// GCM nonce.
    pub nonce: [u8; NONCE_LEN],
    /// U-KAD of the key (may be empty).
    pub ukad: Vec<u8>,
    /// A-KAD of the key (may be empty).
    pub akad: Vec<u8>,
}

/// What a record's metadata says.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decoded {
    /// Not an encryption header (no metadata, or someone else's): a plain record.
    Plain,
    /// An encrypted record.
    Encrypted(RecordHeader),
    /// Starts like an encryption header but does not decode: a damaged record.
    Damaged,
}

impl RecordHeader {
    /// Serialises the header (the AAD of the record).
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(FIXED_LEN + self.ukad.len() + self.akad.len());
        out.extend_from_slice(MAGIC);
        let flags = if self.protected { FLAG_PROTECTED } else { 0 };
        out.extend_from_slice(&[VERSION, self.algorithm_index, flags, self.kad_format]);
        out.extend_from_slice(&self.kcv);
        out.extend_from_slice(&self.nonce);
        for kad in [&self.ukad, &self.akad] {
            let n = u16::try_from(kad.len()).unwrap_or(u16::MAX);
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(&self.ukad);
        out.extend_from_slice(&self.akad);
        out
    }

    /// Decodes record metadata; never panics.
    pub(crate) fn decode(meta: &[u8]) -> Decoded {
        if meta.get(..4) != Some(MAGIC.as_slice()) {
            return Decoded::Plain;
        }
        Self::decode_fields(meta).map_or(Decoded::Damaged, Decoded::Encrypted)
    }

    fn decode_fields(meta: &[u8]) -> Option<RecordHeader> {
        let fixed = meta.get(..FIXED_LEN)?;
        if *fixed.get(4)? != VERSION {
            return None;
        }
        let kcv = fixed.get(8..16)?.try_into().ok()?;
        let nonce = fixed.get(16..28)?.try_into().ok()?;
        let u = usize::from(u16::from_le_bytes(fixed.get(28..30)?.try_into().ok()?));
        let a = usize::from(u16::from_le_bytes(fixed.get(30..32)?.try_into().ok()?));
        let rest = meta.get(FIXED_LEN..)?;
        if rest.len() != u.checked_add(a)? {
            return None;
        }
        Some(RecordHeader {
            algorithm_index: *fixed.get(5)?,
            protected: fixed.get(6)? & FLAG_PROTECTED != 0,
            kad_format: *fixed.get(7)?,
            kcv,
            nonce,
            ukad: rest.get(..u)?.to_vec(),
            akad: rest.get(u..)?.to_vec(),
        })
    }
}

/// A fresh random nonce; `None` if the OS random source fails.
pub(crate) fn fresh_nonce() -> Option<[u8; NONCE_LEN]> {
    let mut n = [0u8; NONCE_LEN];
    getrandom::fill(&mut n).ok()?;
    Some(n)
}

/// Encrypts `plain` under `key` with the header's nonce and the header bytes `aad`:
/// returns ciphertext ‖ tag. `None` only if the cipher refuses (record too long for GCM,
/// impossible below 64 GiB).
pub(crate) fn seal(
    key: &DriveKey,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    plain: &[u8],
) -> Option<Vec<u8>> {
    let cipher = Aes256Gcm::new(key.as_slice().into());
    let mut buf = Vec::with_capacity(plain.len() + TAG_LEN);
    buf.extend_from_slice(plain);
    let tag = cipher
        .encrypt_in_place_detached(Nonce::from_slice(nonce), aad, &mut buf)
        .ok()?;
    buf.extend_from_slice(&tag);
    Some(buf)
}

/// Decrypts stored `ciphertext ‖ tag` in place; on success the buffer holds the plaintext
/// (zeroized when dropped). `None` when authentication fails.
pub(crate) fn open(
    key: &DriveKey,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    mut stored: Vec<u8>,
) -> Option<Zeroizing<Vec<u8>>> {
    let body_len = stored.len().checked_sub(TAG_LEN)?;
    let tag = Tag::clone_from_slice(stored.get(body_len..)?);
    stored.truncate(body_len);
    let mut plain = Zeroizing::new(stored);
    let cipher = Aes256Gcm::new(key.as_slice().into());
    cipher
        .decrypt_in_place_detached(Nonce::from_slice(nonce), aad, &mut plain, &tag)
        .ok()?;
    Some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> RecordHeader {
        RecordHeader {
            algorithm_index: 1,
            protected: true,
            kad_format: 2,
            kcv: [1; KCV_LEN],
            nonce: [2; NONCE_LEN],
            ukad: b"name".to_vec(),
            akad: b"auth".to_vec(),
        }
    }

    #[test]
    fn header_round_trip_and_damage() {
        let h = header();
        let b = h.encode();
        assert_eq!(b.len(), 32 + 8);
        assert_eq!(RecordHeader::decode(&b), Decoded::Encrypted(h));
        assert_eq!(RecordHeader::decode(b""), Decoded::Plain);
        assert_eq!(RecordHeader::decode(b"XXXX"), Decoded::Plain);
        for n in 4..b.len() {
            assert_eq!(
                RecordHeader::decode(&b[..n]),
                Decoded::Damaged,
                "prefix {n}"
            );
        }
    }

    #[test]
    fn seal_open_and_tamper() {
        let key = Zeroizing::new([7u8; KEY_LEN]);
        let other = Zeroizing::new([8u8; KEY_LEN]);
        let aad = header().encode();
        let nonce = [3u8; NONCE_LEN];
        let ct = seal(&key, &nonce, &aad, b"secret data").unwrap();
        assert_eq!(ct.len(), 11 + TAG_LEN);
        assert_ne!(&ct[..11], b"secret data");
        assert_eq!(
            &open(&key, &nonce, &aad, ct.clone()).unwrap()[..],
            b"secret data"
        );
        assert!(open(&other, &nonce, &aad, ct.clone()).is_none());
        assert!(open(&key, &nonce, b"other aad", ct.clone()).is_none());
        assert!(open(&key, &nonce, &aad, ct[..10].to_vec()).is_none());
        assert_ne!(key_check_value(&key), key_check_value(&other));
    }
}
