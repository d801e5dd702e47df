//! SPIN page 0020h, Data Encryption Status (SSC-4 §8.5.2.7, `reference/scsi.md` §6.7): a
//! 24-byte fixed part (page length 14h without KADs), then KAD descriptors. mhvtl puts 20h
//! in the page length; the parser tolerates it (KADs are bounded by the bytes received too).

use super::frame::{self, byte};
use super::kad::{self, Kad};
use super::types::{
    BuildError, Ceem, DecryptionMode, EncryptionMode, KadFormat, KadType, Preset, Scope,
};
use crate::error::ParseError;
use crate::opcode::encryption_page;
use crate::wire;

const FIXED: usize = 24;

/// The Data Encryption Status page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DataEncryptionStatus {
    /// Byte 4 b7-5 I_T NEXUS SCOPE.
    pub it_nexus_scope: Scope,
    /// Byte 4 b2-0 KEY SCOPE.
    pub key_scope: Scope,
    /// Byte 5 ENCRYPTION MODE.
    pub encryption_mode: EncryptionMode,
    /// Byte 6 DECRYPTION MODE.
    pub decryption_mode: DecryptionMode,
    /// Byte 7 ALGORITHM INDEX.
    pub algorithm_index: u8,
    /// Bytes 8-11 KEY INSTANCE COUNTER.
    pub key_instance_counter: u32,
    /// Byte 12 b6-4 PARAMETERS CONTROL, raw 3 bits.
    pub parameters_control: u8,
    /// Byte 12 b3 VCELB: the volume contains encrypted logical blocks.
    pub vcelb: bool,
    /// Byte 12 b2-1 CEEMS.
    pub ceems: Ceem,
    /// Byte 12 b0 RDMD: raw decryption mode disabled (blocks written are protected).
    pub rdmd: bool,
    /// Byte 13 KAD FORMAT.
    pub kad_format: KadFormat,
    /// Bytes 14-15 ASDK COUNT.
    pub asdk_count: u16,
    /// KAD descriptors from byte 24.
    pub kads: Vec<Kad>,
    /// PAGE LENGTH announced more than was received, or a KAD was cut short (and dropped).
    pub truncated: bool,
}

impl DataEncryptionStatus {
    /// Parse page 0020h (the 24-byte fixed part must have been received).
    pub fn parse(b: &[u8]) -> Result<Self, ParseError> {
        let what = "data encryption status";
        let f = frame::frame(b, encryption_page::STATUS, what)?;
        frame::need(b, FIXED, what)?;
        let (b4, b12) = (byte(b, 4), byte(b, 12));
        let (kads, cut) = kad::parse_kads(wire::clamped(f.bounded, FIXED, f.bounded.len()));
        Ok(DataEncryptionStatus {
            it_nexus_scope: Scope::from_bits(b4 >> 5),
            key_scope: Scope::from_bits(b4),
            encryption_mode: EncryptionMode::from_bits(byte(b, 5)),
            decryption_mode: DecryptionMode::from_bits(byte(b, 6)),
            algorithm_index: byte(b, 7),
            key_instance_counter: wire::u32_at(b, 8).unwrap_or(0),
            parameters_control: (b12 >> 4) & 7,
            vcelb: b12 & 0x08 != 0,
            ceems: Ceem::from_bits(b12 >> 1),
            rdmd: b12 & 1 != 0,
            kad_format: KadFormat::from_bits(byte(b, 13)),
            asdk_count: wire::u16_at(b, 14).unwrap_or(0),
            kads,
            truncated: f.truncated || cut,
        })
    }

    /// Encode (device side): page length 14h + KAD bytes, reserved bytes zero, KADs in
    /// ascending type order with their AUTHENTICATED values.
    pub fn to_bytes(&self) -> Result<Vec<u8>, BuildError> {
        let mut v = frame::start(encryption_page::STATUS);
        v.push((self.it_nexus_scope.bits() << 5) | self.key_scope.bits());
        v.push(self.encryption_mode.bits());
        v.push(self.decryption_mode.bits());
        v.push(self.algorithm_index);
        v.extend_from_slice(&self.key_instance_counter.to_be_bytes());
        v.push(
            ((self.parameters_control & 7) << 4)
                | (u8::from(self.vcelb) << 3)
                | (self.ceems.bits() << 1)
                | u8::from(self.rdmd),
        );
        v.push(self.kad_format.bits());
        v.extend_from_slice(&self.asdk_count.to_be_bytes());
        v.resize(FIXED, 0);
        kad::write_kads(&mut v, &self.kads)?;
        frame::finish(v, "data encryption status KADs")
    }

    /// The tools' name for the mode pair, if it is one of off/on/mixed/rawread.
    pub fn preset(&self) -> Option<Preset> {
        Preset::from_modes(self.encryption_mode, self.decryption_mode)
    }
    /// The first U-KAD.
    pub fn ukad(&self) -> Option<&Kad> {
        kad::find(&self.kads, KadType::Ukad)
    }
    /// The first A-KAD.
    pub fn akad(&self) -> Option<&Kad> {
        kad::find(&self.kads, KadType::Akad)
    }
}
