//! SPIN page 0010h, Data Encryption Capabilities (SSC-4 §8.5.2.4, `reference/scsi.md` §6.4):
//! byte 4 EXTDECC/CFG_P, bytes 5-19 reserved, then 24-byte algorithm descriptors (length
//! field 14h). The descriptor walk steps `4 + descriptor length` and stops at the smaller of
//! the page end and the bytes received (stenc 2.0's own fixtures disagree with their length).

use super::frame::{self, byte};
use super::types::{
    BuildError, Capability, ConfigurationPrevented, DkadCapability, RdmcCapability,
};
use crate::error::ParseError;
use crate::opcode::encryption_page;
use crate::wire;

/// AES-256-CBC-HMAC-SHA-1.
pub const AES_256_CBC_HMAC_SHA_1: u32 = 0x0001_000C;
/// AES-256-CCM-128.
pub const AES_256_CCM_128: u32 = 0x0001_0010;
/// AES-256-GCM-128, the LTO algorithm.
pub const AES_256_GCM_128: u32 = 0x0001_0014;
/// AES-256-XTS-HMAC-SHA-512.
pub const AES_256_XTS_HMAC_SHA_512: u32 = 0x0001_0016;

/// The standard name of a SECURITY ALGORITHM CODE; `None` for vendor-specific or unknown codes.
pub fn algorithm_name(code: u32) -> Option<&'static str> {
    match code {
        AES_256_CBC_HMAC_SHA_1 => Some("AES-256-CBC-HMAC-SHA-1"),
        AES_256_CCM_128 => Some("AES-256-CCM-128"),
        AES_256_GCM_128 => Some("AES-256-GCM-128"),
        AES_256_XTS_HMAC_SHA_512 => Some("AES-256-XTS-HMAC-SHA-512"),
        _ => None,
    }
}

const HEADER: usize = 20;
const DESC_LEN: u16 = 0x14;

/// One algorithm descriptor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AlgorithmDescriptor {
    /// ALGORITHM INDEX (vendor-chosen: IBM/HP/Tandberg 01h); what SDE byte 8 must name.
    pub index: u8,
    /// Byte 4 b7 AVFMV: the algorithm is valid for the mounted volume.
    pub avfmv: bool,
    /// Byte 4 b6 SDK_C: supplemental decryption keys supported.
    pub sdk_c: bool,
    /// Byte 4 b5 MAC_C: message authentication codes supported.
    pub mac_c: bool,
    /// Byte 4 b4 DELB_C: distinguishes encrypted logical blocks.
    pub delb_c: bool,
    /// Byte 4 b3-2 DECRYPT_C.
    pub decrypt_c: Capability,
    /// Byte 4 b1-0 ENCRYPT_C.
    pub encrypt_c: Capability,
    /// Byte 5 b7-6 AVFCP (algorithm valid for current logical position), raw 2 bits.
    pub avfcp: u8,
    /// Byte 5 b5-4 NONCE_C (nonce capabilities), raw 2 bits.
    pub nonce_c: u8,
    /// Byte 5 b3 KADF_C: KAD FORMAT supported (stenc 2.0 then sends KAD format 2).
    pub kadf_c: bool,
    /// Byte 5 b2 VCELB_C: volume contains encrypted logical blocks capable.
    pub vcelb_c: bool,
    /// Byte 5 b1 UKADF: the U-KAD has a fixed length (= maximum U-KAD length).
    pub ukadf: bool,
    /// Byte 5 b0 AKADF: the A-KAD has a fixed length.
    pub akadf: bool,
    /// Bytes 6-7 maximum U-KAD length.
    pub max_ukad_length: u16,
    /// Bytes 8-9 maximum A-KAD length.
    pub max_akad_length: u16,
    /// Bytes 10-11 key length in bytes.
    pub key_length: u16,
    /// Byte 12 b7-6 DKAD_C.
    pub dkad_c: DkadCapability,
    /// Byte 12 b5-4 EEMC_C (external encryption mode control), raw 2 bits.
    pub eemc_c: u8,
    /// Byte 12 b3-1 RDMC_C.
    pub rdmc_c: RdmcCapability,
    /// Byte 12 b0 EAREM: encryption algorithm records encryption mode.
    pub earem: bool,
    /// Byte 13 b3-0 maximum EEDK count.
    pub max_eedk_count: u8,
    /// Bytes 14-15 MSDK count.
    pub msdk_count: u16,
    /// Bytes 16-17 maximum EEDK size.
    pub max_eedk_size: u16,
    /// Bytes 20-23 SECURITY ALGORITHM CODE.
    pub algorithm_code: u32,
}

fn bit(b: u8, n: u8) -> bool {
    b & (1 << n) != 0
}

fn set(on: bool, n: u8) -> u8 {
    u8::from(on) << n
}

impl AlgorithmDescriptor {
    /// The LTO drive's algorithm as IBM/HP drives (and mhvtl) report it: AES-256-GCM-128,
    /// byte 4 = BAh (AVFMV, MAC_C, DELB_C, encrypt and decrypt in hardware), 32-byte key, U-KAD up to 32 bytes, A-KAD up to 12,
    /// KAD format supported, KADs allowed, raw decryption allowed but disabled by default.
    pub fn aes256_gcm(index: u8) -> Self {
        AlgorithmDescriptor {
            index,
            avfmv: true,
            mac_c: true,
            delb_c: true,
            decrypt_c: Capability::Hardware,
            encrypt_c: Capability::Hardware,
            kadf_c: true,
            max_ukad_length: 32,
            max_akad_length: 12,
            key_length: 32,
            dkad_c: DkadCapability::Allowed,
            rdmc_c: RdmcCapability::AllowedDisabledByDefault,
            algorithm_code: AES_256_GCM_128,
            ..Default::default()
        }
    }
    /// ENCRYPT_C says "capable in hardware".
    pub fn can_encrypt(&self) -> bool {
        self.encrypt_c == Capability::Hardware
    }
    /// DECRYPT_C says "capable in hardware".
    pub fn can_decrypt(&self) -> bool {
        self.decrypt_c == Capability::Hardware
    }
    /// The standard algorithm name, if the code is a standard one.
    pub fn name(&self) -> Option<&'static str> {
        algorithm_name(self.algorithm_code)
    }

    /// Decode from a descriptor's bytes (header included); missing bytes read as zero.
    fn decode(d: &[u8]) -> Self {
        let (b4, b5, b12) = (byte(d, 4), byte(d, 5), byte(d, 12));
        let u16f = |o| wire::u16_at(d, o).unwrap_or(0);
        AlgorithmDescriptor {
            index: byte(d, 0),
            avfmv: bit(b4, 7),
            sdk_c: bit(b4, 6),
            mac_c: bit(b4, 5),
            delb_c: bit(b4, 4),
            decrypt_c: Capability::from_bits(b4 >> 2),
            encrypt_c: Capability::from_bits(b4),
            avfcp: (b5 >> 6) & 3,
            nonce_c: (b5 >> 4) & 3,
            kadf_c: bit(b5, 3),
            vcelb_c: bit(b5, 2),
            ukadf: bit(b5, 1),
            akadf: bit(b5, 0),
            max_ukad_length: u16f(6),
            max_akad_length: u16f(8),
            key_length: u16f(10),
            dkad_c: DkadCapability::from_bits(b12 >> 6),
            eemc_c: (b12 >> 4) & 3,
            rdmc_c: RdmcCapability::from_bits(b12 >> 1),
            earem: bit(b12, 0),
            max_eedk_count: byte(d, 13) & 0x0f,
            msdk_count: u16f(14),
            max_eedk_size: u16f(16),
            algorithm_code: wire::u32_at(d, 20).unwrap_or(0),
        }
    }

    /// Encode the 24-byte descriptor (length field 14h, reserved bytes zero).
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.index);
        out.push(0);
        out.extend_from_slice(&DESC_LEN.to_be_bytes());
        out.push(
            set(self.avfmv, 7)
                | set(self.sdk_c, 6)
                | set(self.mac_c, 5)
                | set(self.delb_c, 4)
                | (self.decrypt_c.bits() << 2)
                | self.encrypt_c.bits(),
        );
        out.push(
            ((self.avfcp & 3) << 6)
                | ((self.nonce_c & 3) << 4)
                | set(self.kadf_c, 3)
                | set(self.vcelb_c, 2)
                | set(self.ukadf, 1)
                | set(self.akadf, 0),
        );
        out.extend_from_slice(&self.max_ukad_length.to_be_bytes());
        out.extend_from_slice(&self.max_akad_length.to_be_bytes());
        out.extend_from_slice(&self.key_length.to_be_bytes());
        out.push(
            (self.dkad_c.bits() << 6)
                | ((self.eemc_c & 3) << 4)
                | (self.rdmc_c.bits() << 1)
                | set(self.earem, 0),
        );
        out.push(self.max_eedk_count & 0x0f);
        out.extend_from_slice(&self.msdk_count.to_be_bytes());
        out.extend_from_slice(&self.max_eedk_size.to_be_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&self.algorithm_code.to_be_bytes());
    }
}

/// The Data Encryption Capabilities page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DataEncryptionCapabilities {
    /// Byte 4 b3-2 EXTDECC (external data encryption control capable), raw 2 bits.
    pub extdecc: u8,
    /// Byte 4 b1-0 CFG_P.
    pub cfg_p: ConfigurationPrevented,
    /// Algorithm descriptors, in page order.
    pub algorithms: Vec<AlgorithmDescriptor>,
    /// PAGE LENGTH announced more than was received, or a descriptor was cut short (a cut
    /// descriptor is dropped).
    pub truncated: bool,
}

impl DataEncryptionCapabilities {
    /// Parse page 0010h. Needs the 4-byte header; a page cut inside the fixed part simply
    /// has no descriptors.
    pub fn parse(b: &[u8]) -> Result<Self, ParseError> {
        let f = frame::frame(
            b,
            encryption_page::CAPABILITIES,
            "data encryption capabilities",
        )?;
        let page = f.bounded;
        let mut truncated = f.truncated;
        let b4 = byte(page, 4);
        let mut algorithms = Vec::new();
        let mut off = HEADER;
        while off < page.len() {
            let Some(len) = wire::u16_at(page, off + 2) else {
                truncated = true;
                break;
            };
            let end = off + 4 + usize::from(len);
            let Some(d) = page.get(off..end) else {
                truncated = true;
                break;
            };
            algorithms.push(AlgorithmDescriptor::decode(d));
            off = end;
        }
        Ok(DataEncryptionCapabilities {
            extdecc: (b4 >> 2) & 3,
            cfg_p: ConfigurationPrevented::from_bits(b4),
            algorithms,
            truncated,
        })
    }

    /// Encode (device side): page length 16 + 24 × descriptors.
    pub fn to_bytes(&self) -> Result<Vec<u8>, BuildError> {
        let mut v = frame::start(encryption_page::CAPABILITIES);
        v.push(((self.extdecc & 3) << 2) | self.cfg_p.bits());
        v.resize(HEADER, 0);
        for a in &self.algorithms {
            a.encode(&mut v);
        }
        frame::finish(v, "algorithm descriptor list")
    }

    /// The descriptor with this ALGORITHM INDEX.
    pub fn algorithm(&self, index: u8) -> Option<&AlgorithmDescriptor> {
        self.algorithms.iter().find(|a| a.index == index)
    }
}
