//! Small SPIN pages (`reference/scsi.md` §6.1, §6.3, §6.5, §6.6): protocol 00h supported
//! protocol list, protocol 20h in/out support pages (0000h/0001h), supported key formats
//! (0011h) and data encryption management capabilities (0012h). Each parses and builds.

use super::frame::{self, byte};
use super::types::{len16, BuildError, KeyFormat};
use crate::error::ParseError;
use crate::opcode::encryption_page;
use crate::wire;

/// Protocol 00h page 0000h: the security protocols the device supports.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SupportedProtocols {
    /// Protocol numbers in the order listed (e.g. 00h, 20h).
    pub protocols: Vec<u8>,
    /// The list length announced more than was received.
    pub truncated: bool,
}

impl SupportedProtocols {
    /// Parse: bytes 0-5 reserved, 6-7 list length, then one byte per protocol.
    pub fn parse(b: &[u8]) -> Result<Self, ParseError> {
        let what = "supported security protocols";
        let len = wire::u16_at(b, 6).ok_or_else(|| wire::short(what, 8, b.len()))?;
        let end = 8 + usize::from(len);
        Ok(SupportedProtocols {
            protocols: wire::clamped(b, 8, end).to_vec(),
            truncated: b.len() < end,
        })
    }
    /// Encode (device side).
    pub fn to_bytes(&self) -> Result<Vec<u8>, BuildError> {
        let len = len16("protocol list", self.protocols.len())?;
        let mut v = vec![0u8; 6];
        v.extend_from_slice(&len.to_be_bytes());
        v.extend_from_slice(&self.protocols);
        Ok(v)
    }
    /// Whether a protocol is listed.
    pub fn contains(&self, protocol: u8) -> bool {
        self.protocols.contains(&protocol)
    }
    /// Total bytes of the reply as announced by its header (for the read strategy).
    pub(crate) fn announced_len(b: &[u8]) -> Option<usize> {
        wire::u16_at(b, 6).map(|n| 8 + usize::from(n))
    }
}

/// Protocol 20h page 0000h (in-support) or 0001h (out-support): a list of u16 page codes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SupportPages {
    /// 0000h for the SPIN list, 0001h for the SPOUT list.
    pub page_code: u16,
    /// Page codes listed.
    pub pages: Vec<u16>,
    /// PAGE LENGTH announced more than was received (or an odd byte was left over).
    pub truncated: bool,
}

impl SupportPages {
    /// Parse either list (page code 0000h or 0001h).
    pub fn parse(b: &[u8]) -> Result<Self, ParseError> {
        let what = "tape data encryption support pages";
        let code = wire::u16_at(b, 0).ok_or_else(|| wire::short(what, 4, b.len()))?;
        if code != encryption_page::IN_SUPPORT && code != encryption_page::OUT_SUPPORT {
            return Err(ParseError::Invalid {
                what,
                detail: format!("page code {code:04X}h"),
            });
        }
        let f = frame::frame(b, code, what)?;
        let body = f.bounded.get(4..).unwrap_or(&[]);
        let pages = body
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([byte(c, 0), byte(c, 1)]))
            .collect();
        Ok(SupportPages {
            page_code: code,
            pages,
            truncated: f.truncated || body.len() % 2 != 0,
        })
    }
    /// Encode (device side).
    pub fn to_bytes(&self) -> Result<Vec<u8>, BuildError> {
        let mut v = frame::start(self.page_code);
        for p in &self.pages {
            v.extend_from_slice(&p.to_be_bytes());
        }
        frame::finish(v, "support page list")
    }
    /// Whether a page code is listed.
    pub fn contains(&self, page: u16) -> bool {
        self.pages.contains(&page)
    }
}

/// Page 0011h: supported key formats, one byte each from byte 4 (mhvtl sends a u16 0000h,
/// which reads as two plain-text entries).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SupportedKeyFormats {
    /// Key formats in the order listed.
    pub formats: Vec<KeyFormat>,
    /// PAGE LENGTH announced more than was received.
    pub truncated: bool,
}

impl SupportedKeyFormats {
    /// Parse page 0011h.
    pub fn parse(b: &[u8]) -> Result<Self, ParseError> {
        let f = frame::frame(
            b,
            encryption_page::SUPPORTED_KEY_FORMATS,
            "supported key formats",
        )?;
        Ok(SupportedKeyFormats {
            formats: f
                .bounded
                .get(4..)
                .unwrap_or(&[])
                .iter()
                .map(|&c| KeyFormat::from_bits(c))
                .collect(),
            truncated: f.truncated,
        })
    }
    /// Encode (device side).
    pub fn to_bytes(&self) -> Result<Vec<u8>, BuildError> {
        let mut v = frame::start(encryption_page::SUPPORTED_KEY_FORMATS);
        v.extend(self.formats.iter().map(|f| f.bits()));
        frame::finish(v, "key format list")
    }
    /// Whether a key format is listed.
    pub fn contains(&self, format: KeyFormat) -> bool {
        self.formats.contains(&format)
    }
}

/// Page 0012h: data encryption management capabilities (page length 0Ch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ManagementCapabilities {
    /// Byte 4 b0: LOCK may be set.
    pub lock_c: bool,
    /// Byte 5 b2: CKOD (clear key on demount) supported.
    pub ckod_c: bool,
    /// Byte 5 b1: CKORP (clear key on reservation preempt) supported (mhvtl: DKOPR_C).
    pub ckorp_c: bool,
    /// Byte 5 b0: CKORL (clear key on reservation loss) supported.
    pub ckorl_c: bool,
    /// Byte 7 b2: scope "all I_T nexus" supported.
    pub aitn_c: bool,
    /// Byte 7 b1: scope "local" supported.
    pub local_c: bool,
    /// Byte 7 b0: scope "public" supported.
    pub public_c: bool,
}

const MGMT_LEN: usize = 16;

impl ManagementCapabilities {
    /// Parse page 0012h (needs bytes 0-7; bytes 8-15 are reserved).
    pub fn parse(b: &[u8]) -> Result<Self, ParseError> {
        let what = "data encryption management capabilities";
        frame::frame(b, encryption_page::MANAGEMENT_CAPABILITIES, what)?;
        frame::need(b, 8, what)?;
        let (b4, b5, b7) = (byte(b, 4), byte(b, 5), byte(b, 7));
        Ok(ManagementCapabilities {
            lock_c: b4 & 1 != 0,
            ckod_c: b5 & 4 != 0,
            ckorp_c: b5 & 2 != 0,
            ckorl_c: b5 & 1 != 0,
            aitn_c: b7 & 4 != 0,
            local_c: b7 & 2 != 0,
            public_c: b7 & 1 != 0,
        })
    }
    /// Encode (16 bytes, page length 0Ch, reserved bytes zero).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = vec![0u8; MGMT_LEN];
        let code = encryption_page::MANAGEMENT_CAPABILITIES.to_be_bytes();
        let bits = |flags: &[(bool, u8)]| flags.iter().filter(|f| f.0).fold(0u8, |a, f| a | f.1);
        let fields = [
            (0, code[0]),
            (1, code[1]),
            (3, (MGMT_LEN - 4) as u8),
            (4, bits(&[(self.lock_c, 1)])),
            (
                5,
                bits(&[(self.ckod_c, 4), (self.ckorp_c, 2), (self.ckorl_c, 1)]),
            ),
            (
                7,
                bits(&[(self.aitn_c, 4), (self.local_c, 2), (self.public_c, 1)]),
            ),
        ];
        for (i, x) in fields {
            if let Some(slot) = v.get_mut(i) {
                *slot = x;
            }
        }
        v
    }
}
