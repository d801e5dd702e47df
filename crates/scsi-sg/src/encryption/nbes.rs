//! SPIN page 0021h, Next Block Encryption Status (SSC-4 §8.5.2.8, `reference/scsi.md` §6.8):
//! a 16-byte fixed part (page length 0Ch without KADs), then KAD descriptors. With no tape,
//! or a tape that cannot be encrypted, a drive returns the fixed part all zero. A BLANK
//! CHECK on this page is "unable to determine" (see [`super::next_block_status`]).

use super::frame::{self, byte};
use super::kad::{self, Kad};
use super::types::{BlockEncryptionStatus, BuildError, KadFormat, KadType};
use crate::error::ParseError;
use crate::opcode::encryption_page;
use crate::wire;

const FIXED: usize = 16;

/// The Next Block Encryption Status page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NextBlockStatus {
    /// Bytes 4-11 LOGICAL OBJECT NUMBER of the next block.
    pub logical_object_number: u64,
    /// Byte 12 b7-4 COMPRESSION STATUS, raw 4 bits (0 cannot determine; 3 not compressed,
    /// 4 compressed, unverified).
    pub compression_status: u8,
    /// Byte 12 b3-0 ENCRYPTION STATUS.
    pub encryption_status: BlockEncryptionStatus,
    /// Byte 13 ALGORITHM INDEX the block was written with.
    pub algorithm_index: u8,
    /// Byte 14 b1 EMES: the encryption mode is recorded with the block.
    pub emes: bool,
    /// Byte 14 b0 RDMDS: the block is protected from raw reads.
    pub rdmds: bool,
    /// Byte 15 KAD FORMAT.
    pub kad_format: KadFormat,
    /// KAD descriptors from byte 16 (the block's U-KAD, A-KAD, ...).
    pub kads: Vec<Kad>,
    /// PAGE LENGTH announced more than was received, or a KAD was cut short (and dropped).
    pub truncated: bool,
}

impl NextBlockStatus {
    /// "Can determine, but not now": what a BLANK CHECK on this page means.
    pub fn unable_to_determine() -> Self {
        NextBlockStatus {
            encryption_status: BlockEncryptionStatus::NotYetDetermined,
            ..Default::default()
        }
    }

    /// Parse page 0021h (the 16-byte fixed part must have been received).
    pub fn parse(b: &[u8]) -> Result<Self, ParseError> {
        let what = "next block encryption status";
        let f = frame::frame(b, encryption_page::NEXT_BLOCK_STATUS, what)?;
        frame::need(b, FIXED, what)?;
        let (b12, b14) = (byte(b, 12), byte(b, 14));
        let (kads, cut) = kad::parse_kads(wire::clamped(f.bounded, FIXED, f.bounded.len()));
        Ok(NextBlockStatus {
            logical_object_number: wire::u64_at(b, 4).unwrap_or(0),
            compression_status: b12 >> 4,
            encryption_status: BlockEncryptionStatus::from_bits(b12),
            algorithm_index: byte(b, 13),
            emes: b14 & 2 != 0,
            rdmds: b14 & 1 != 0,
            kad_format: KadFormat::from_bits(byte(b, 15)),
            kads,
            truncated: f.truncated || cut,
        })
    }

    /// Encode (device side): page length 0Ch + KAD bytes, reserved bits zero.
    pub fn to_bytes(&self) -> Result<Vec<u8>, BuildError> {
        let mut v = frame::start(encryption_page::NEXT_BLOCK_STATUS);
        v.extend_from_slice(&self.logical_object_number.to_be_bytes());
        v.push(((self.compression_status & 0x0f) << 4) | self.encryption_status.bits());
        v.push(self.algorithm_index);
        v.push((u8::from(self.emes) << 1) | u8::from(self.rdmds));
        v.push(self.kad_format.bits());
        kad::write_kads(&mut v, &self.kads)?;
        frame::finish(v, "next block status KADs")
    }

    /// The block's first U-KAD.
    pub fn ukad(&self) -> Option<&Kad> {
        kad::find(&self.kads, KadType::Ukad)
    }
}
