//! SPOUT page 0010h, Set Data Encryption (SSC-4 §8.5.3.2, `reference/scsi.md` §6.10,
//! `reference/stenc.md` §2): a 20-byte fixed part, exactly KEY LENGTH key bytes, then KAD
//! descriptors in ascending type order with byte 1 zero. PAGE LENGTH = 16 + key length +
//! KAD bytes; every reserved byte is zero (stenc 1.0.7's uninitialised KAD byte 1 made drives
//! answer 26/00). `parse` is the device side: strict, reporting the offending byte offset.

use std::fmt;

use zeroize::Zeroizing;

use super::kad::{self, Kad};
use super::key::Key;
use super::types::{
    len16, BuildError, Ceem, DecryptionMode, EncryptionMode, KadFormat, KadType, KeyFormat, Preset,
    Rdmc, Scope,
};
use crate::opcode::encryption_page;
use crate::wire;

const FIXED: usize = 20;
const KEY_LENGTH_OFFSET: u16 = 18;

/// A Set Data Encryption request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetDataEncryption {
    /// Byte 4 b7-5 SCOPE.
    pub scope: Scope,
    /// Byte 4 b0 LOCK: settings locked to this I_T nexus.
    pub lock: bool,
    /// Byte 5 b7-6 CEEM.
    pub ceem: Ceem,
    /// Byte 5 b5-4 RDMC.
    pub rdmc: Rdmc,
    /// Byte 5 b3 SDK: the key is a supplemental decryption key.
    pub sdk: bool,
    /// Byte 5 b2 CKOD: clear the key on demount.
    pub ckod: bool,
    /// Byte 5 b1 CKORP: clear the key on reservation preempt.
    pub ckorp: bool,
    /// Byte 5 b0 CKORL: clear the key on reservation loss.
    pub ckorl: bool,
    /// Byte 6 ENCRYPTION MODE.
    pub encryption_mode: EncryptionMode,
    /// Byte 7 DECRYPTION MODE.
    pub decryption_mode: DecryptionMode,
    /// Byte 8 ALGORITHM INDEX (take it from the capabilities page).
    pub algorithm_index: u8,
    /// Byte 9 KEY FORMAT.
    pub key_format: KeyFormat,
    /// Byte 10 KAD FORMAT.
    pub kad_format: KadFormat,
    /// The key; KEY LENGTH is its length (empty when switching off).
    pub key: Key,
    /// KAD descriptors (sent in ascending type order, AUTHENTICATED sent as 0).
    pub kads: Vec<Kad>,
}

impl SetDataEncryption {
    /// A request for a preset: scope all I_T nexus, no lock, CEEM vendor specific and RDMC
    /// algorithm default (what stenc 1.0.7 sends without flags), plain-text key format, KAD
    /// format unspecified, no KADs. `Off` drops the key (key length 0).
    pub fn preset(preset: Preset, algorithm_index: u8, key: Key) -> Self {
        let (encryption_mode, decryption_mode) = preset.modes();
        SetDataEncryption {
            scope: Scope::AllItNexus,
            encryption_mode,
            decryption_mode,
            algorithm_index,
            key: if preset == Preset::Off {
                Key::default()
            } else {
                key
            },
            ..Default::default()
        }
    }
    /// Encrypt and decrypt (2, 2): `-e on`.
    pub fn on(algorithm_index: u8, key: Key) -> Self {
        Self::preset(Preset::On, algorithm_index, key)
    }
    /// Encrypt, decrypt or pass plain blocks (2, 3): `-e mixed`.
    pub fn mixed(algorithm_index: u8, key: Key) -> Self {
        Self::preset(Preset::Mixed, algorithm_index, key)
    }
    /// Encrypt, read encrypted blocks raw (2, 1): `-e rawread`.
    pub fn rawread(algorithm_index: u8, key: Key) -> Self {
        Self::preset(Preset::RawRead, algorithm_index, key)
    }
    /// Switch off (0, 0), no key: a 20-byte page.
    pub fn off(algorithm_index: u8) -> Self {
        Self::preset(Preset::Off, algorithm_index, Key::default())
    }
    /// Set CKOD (`--ckod`).
    pub fn with_ckod(mut self, ckod: bool) -> Self {
        self.ckod = ckod;
        self
    }
    /// Set RDMC (`--protect` = [`Rdmc::Protect`], `--unprotect` = [`Rdmc::AllowRawRead`]).
    pub fn with_rdmc(mut self, rdmc: Rdmc) -> Self {
        self.rdmc = rdmc;
        self
    }
    /// Set CEEM (stenc 2.0 sends [`Ceem::NoCheck`]).
    pub fn with_ceem(mut self, ceem: Ceem) -> Self {
        self.ceem = ceem;
        self
    }
    /// Set KAD FORMAT.
    pub fn with_kad_format(mut self, format: KadFormat) -> Self {
        self.kad_format = format;
        self
    }
    /// Add a U-KAD (the key description).
    pub fn with_ukad(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.kads.push(Kad::ukad(data));
        self
    }
    /// The first U-KAD.
    pub fn ukad(&self) -> Option<&Kad> {
        kad::find(&self.kads, KadType::Ukad)
    }
    /// The tools' name of the mode pair, if any.
    pub fn preset_name(&self) -> Option<Preset> {
        Preset::from_modes(self.encryption_mode, self.decryption_mode)
    }

    /// Encode the whole parameter list (header included) in zeroized memory; send it with
    /// transfer length = its length.
    pub fn to_bytes(&self) -> Result<Zeroizing<Vec<u8>>, BuildError> {
        let key_len = len16("key", self.key.len())?;
        let kads: Vec<Kad> = self
            .kads
            .iter()
            .map(|k| Kad {
                authenticated: 0,
                ..k.clone()
            })
            .collect();
        let total = FIXED + self.key.len() + kad::kads_len(&kads);
        let page_len = len16("set data encryption page", total - 4)?;
        let mut v = Zeroizing::new(Vec::with_capacity(total));
        v.extend_from_slice(&encryption_page::SET_DATA_ENCRYPTION.to_be_bytes());
        v.extend_from_slice(&page_len.to_be_bytes());
        v.push((self.scope.bits() << 5) | u8::from(self.lock));
        v.push(
            (self.ceem.bits() << 6)
                | (self.rdmc.bits() << 4)
                | (u8::from(self.sdk) << 3)
                | (u8::from(self.ckod) << 2)
                | (u8::from(self.ckorp) << 1)
                | u8::from(self.ckorl),
        );
        v.push(self.encryption_mode.bits());
        v.push(self.decryption_mode.bits());
        v.push(self.algorithm_index);
        v.push(self.key_format.bits());
        v.push(self.kad_format.bits());
        v.extend_from_slice(&[0; 7]);
        v.extend_from_slice(&key_len.to_be_bytes());
        v.extend_from_slice(self.key.as_bytes());
        kad::write_kads(&mut v, &kads)?;
        Ok(v)
    }

    /// Decode a parameter list as a device server does: the page must be 0010h, PAGE
    /// LENGTH must match the bytes received, reserved fields must be zero, and the key and
    /// KADs must fit the page exactly.
    pub fn parse(b: &[u8]) -> Result<Self, SdeError> {
        let err = |field: u16, bit: Option<u8>, reason| SdeError { field, bit, reason };
        if b.len() < FIXED {
            return Err(err(2, None, "parameter list shorter than 20 bytes"));
        }
        if wire::u16_at(b, 0) != Some(encryption_page::SET_DATA_ENCRYPTION) {
            return Err(err(0, None, "page code is not 0010h"));
        }
        let page_end = wire::u16_at(b, 2).map_or(0, |n| 4 + usize::from(n));
        if page_end != b.len() {
            return Err(err(
                2,
                None,
                "page length does not match the parameter list",
            ));
        }
        let byte = |o: usize| b.get(o).copied().unwrap_or(0);
        let (b4, b5) = (byte(4), byte(5));
        if b4 & 0x1e != 0 {
            return Err(err(4, Some(4), "reserved bits set in byte 4"));
        }
        if let Some(i) = (11..18).find(|&i| byte(i) != 0) {
            return Err(err(i as u16, Some(7), "reserved byte is not zero"));
        }
        let key_len = usize::from(wire::u16_at(b, 18).unwrap_or(0));
        let Some(key) = b.get(FIXED..FIXED + key_len) else {
            return Err(err(KEY_LENGTH_OFFSET, None, "key length exceeds the page"));
        };
        let mut kads = Vec::new();
        let mut off = FIXED + key_len;
        while off < b.len() {
            let field = u16::try_from(off).unwrap_or(u16::MAX);
            let Some(len) = wire::u16_at(b, off + 2) else {
                return Err(err(field, None, "KAD descriptor cut short"));
            };
            if byte(off + 1) != 0 {
                return Err(err(
                    field.saturating_add(1),
                    Some(7),
                    "KAD byte 1 is reserved",
                ));
            }
            let end = off + 4 + usize::from(len);
            let Some(data) = b.get(off + 4..end) else {
                return Err(err(
                    field.saturating_add(2),
                    None,
                    "KAD length exceeds the page",
                ));
            };
            kads.push(Kad::new(KadType::from_bits(byte(off)), data));
            off = end;
        }
        Ok(SetDataEncryption {
            scope: Scope::from_bits(b4 >> 5),
            lock: b4 & 1 != 0,
            ceem: Ceem::from_bits(b5 >> 6),
            rdmc: Rdmc::from_bits(b5 >> 4),
            sdk: b5 & 0x08 != 0,
            ckod: b5 & 0x04 != 0,
            ckorp: b5 & 0x02 != 0,
            ckorl: b5 & 0x01 != 0,
            encryption_mode: EncryptionMode::from_bits(byte(6)),
            decryption_mode: DecryptionMode::from_bits(byte(7)),
            algorithm_index: byte(8),
            key_format: KeyFormat::from_bits(byte(9)),
            kad_format: KadFormat::from_bits(byte(10)),
            key: Key::from_bytes(key),
            kads,
        })
    }
}

/// Why a device server rejects a Set Data Encryption parameter list: answer ILLEGAL
/// REQUEST, INVALID FIELD IN PARAMETER LIST (26/00) with C/D = 0 and this field pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdeError {
    /// Byte offset in the parameter list of the bad field.
    pub field: u16,
    /// Bit pointer (BPV = 1), when one bit range is at fault.
    pub bit: Option<u8>,
    /// What was wrong.
    pub reason: &'static str,
}

impl fmt::Display for SdeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (parameter list byte {})", self.reason, self.field)
    }
}

impl std::error::Error for SdeError {}
