//! The sense decoder (SPC-4 §4.5; `reference/scsi.md` §7.1, §7.2, §7.4), bounded by both the
//! ADDITIONAL SENSE LENGTH and the bytes received (`reference/scsi.md` §13.10).

use super::{
    FieldPointer, Sense, SenseFormat, SenseKey, SenseKeySpecific, SenseKind, ADDITIONAL_LENGTH_AT,
    EOM, FILEMARK, HEADER_LEN, ILI, RESPONSE_FIXED_CURRENT, RESPONSE_FIXED_DEFERRED, SKSV,
    SKS_BIT_MASK, SKS_BPV, SKS_CD, VALID,
};
use crate::error::ParseError;

/// What the parse errors name.
const WHAT: &str = "sense data";
/// Response code: descriptor format, current error.
const RESPONSE_DESC_CURRENT: u8 = 0x72;
/// Response code: descriptor format, deferred error.
const RESPONSE_DESC_DEFERRED: u8 = 0x73;
/// Byte 0 of both formats: the response code occupies bits 6-0.
const RESPONSE_CODE_MASK: u8 = 0x7f;
/// Fewest bytes of fixed-format sense that still carry the sense key (byte 2).
const FIXED_MIN: usize = 3;
/// Fewest bytes of descriptor-format sense that still carry the sense key (byte 1).
const DESC_MIN: usize = 2;

/// Descriptor types (SPC-4 table 29; `reference/scsi.md` §7.2).
mod desc {
    /// Information.
    pub const INFORMATION: u8 = 0x00;
    /// Command-specific information.
    pub const COMMAND_SPECIFIC: u8 = 0x01;
    /// Sense-key-specific.
    pub const KEY_SPECIFIC: u8 = 0x02;
    /// Field replaceable unit.
    pub const FRU: u8 = 0x03;
    /// Stream commands (FILEMARK, EOM, ILI).
    pub const STREAM: u8 = 0x04;
    /// Block commands (ILI).
    pub const BLOCK: u8 = 0x05;
}

/// `N` bytes of `b` starting at `at`, when all of them are present.
fn array_at<const N: usize>(b: &[u8], at: usize) -> Option<[u8; N]> {
    b.get(at..at.checked_add(N)?)
        .and_then(|s| <[u8; N]>::try_from(s).ok())
}

/// `b` cut to the length its ADDITIONAL SENSE LENGTH byte claims (never longer than `b`).
fn bounded(b: &[u8]) -> &[u8] {
    match b.get(ADDITIONAL_LENGTH_AT) {
        Some(&extra) => b.get(..HEADER_LEN + usize::from(extra)).unwrap_or(b),
        None => b,
    }
}

impl SenseKeySpecific {
    /// Decode the three sense-key-specific bytes (SPC-4 §4.5.2.4; `reference/scsi.md` §7.4).
    /// `None` when SKSV is clear.
    fn decode(key: SenseKey, [b0, b1, b2]: [u8; 3]) -> Option<SenseKeySpecific> {
        if b0 & SKSV == 0 {
            return None;
        }
        let value = u16::from_be_bytes([b1, b2]);
        Some(match key {
            SenseKey::IllegalRequest => SenseKeySpecific::Field(FieldPointer {
                in_cdb: b0 & SKS_CD != 0,
                bit: (b0 & SKS_BPV != 0).then_some(b0 & SKS_BIT_MASK),
                byte: value,
            }),
            SenseKey::NotReady | SenseKey::NoSense => SenseKeySpecific::Progress(value),
            SenseKey::RecoveredError | SenseKey::MediumError | SenseKey::HardwareError => {
                SenseKeySpecific::RetryCount(value)
            }
            _ => SenseKeySpecific::Raw([b0 & !SKSV, b1, b2]),
        })
    }
}

impl Sense {
    /// Decode sense bytes as returned by the device (fixed or descriptor format).
    ///
    /// Accepts response codes 70h-73h only. Fails on an empty buffer, on a fixed-format
    /// buffer shorter than 3 bytes and on a descriptor-format buffer shorter than 2 bytes;
    /// a longer truncated buffer decodes what is present.
    pub fn parse(bytes: &[u8]) -> Result<Sense, ParseError> {
        let Some(&first) = bytes.first() else {
            return Err(ParseError::Short {
                what: WHAT,
                need: DESC_MIN,
                got: 0,
            });
        };
        match first & RESPONSE_CODE_MASK {
            RESPONSE_FIXED_CURRENT => Sense::parse_fixed(bytes, SenseKind::Current),
            RESPONSE_FIXED_DEFERRED => Sense::parse_fixed(bytes, SenseKind::Deferred),
            RESPONSE_DESC_CURRENT => Sense::parse_descriptor(bytes, SenseKind::Current),
            RESPONSE_DESC_DEFERRED => Sense::parse_descriptor(bytes, SenseKind::Deferred),
            code => Err(ParseError::Invalid {
                what: WHAT,
                detail: format!("response code {code:02X}h is not 70h-73h"),
            }),
        }
    }

    /// Fixed format (`reference/scsi.md` §7.1).
    fn parse_fixed(bytes: &[u8], kind: SenseKind) -> Result<Sense, ParseError> {
        let (Some(&byte0), Some(&byte2)) = (bytes.first(), bytes.get(2)) else {
            return Err(ParseError::Short {
                what: WHAT,
                need: FIXED_MIN,
                got: bytes.len(),
            });
        };
        let b = bounded(bytes);
        let mut sense = Sense::new(SenseKey::from_u8(byte2), 0, 0).with_kind(kind);
        sense.filemark = byte2 & FILEMARK != 0;
        sense.eom = byte2 & EOM != 0;
        sense.ili = byte2 & ILI != 0;
        if byte0 & VALID != 0 {
            sense.information = array_at(b, 3).map(|v| i64::from(i32::from_be_bytes(v)));
        }
        sense.command_specific = array_at(b, 8)
            .map(u32::from_be_bytes)
            .filter(|&v| v != 0)
            .map(u64::from);
        sense.asc = b.get(12).copied().unwrap_or(0);
        sense.ascq = b.get(13).copied().unwrap_or(0);
        sense.fru = b.get(14).copied().unwrap_or(0);
        sense.key_specific = array_at(b, 15).and_then(|v| SenseKeySpecific::decode(sense.key, v));
        Ok(sense)
    }

    /// Descriptor format (`reference/scsi.md` §7.2).
    fn parse_descriptor(bytes: &[u8], kind: SenseKind) -> Result<Sense, ParseError> {
        let Some(&byte1) = bytes.get(1) else {
            return Err(ParseError::Short {
                what: WHAT,
                need: DESC_MIN,
                got: bytes.len(),
            });
        };
        let b = bounded(bytes);
        let asc = b.get(2).copied().unwrap_or(0);
        let ascq = b.get(3).copied().unwrap_or(0);
        let mut sense = Sense::new(SenseKey::from_u8(byte1), asc, ascq).with_kind(kind);
        sense.format = SenseFormat::Descriptor;
        let mut rest = b.get(HEADER_LEN..).unwrap_or(&[]);
        // Each descriptor: [type][additional length][additional length bytes].
        while let [dtype, dlen, tail @ ..] = rest {
            let Some(payload) = tail.get(..usize::from(*dlen)) else {
                break; // runs past the end: stop, keep what was decoded
            };
            sense.apply_descriptor(*dtype, payload);
            rest = tail.get(usize::from(*dlen)..).unwrap_or(&[]);
        }
        Ok(sense)
    }

    /// Merge one descriptor; `p` holds the descriptor's bytes from byte 2 on.
    fn apply_descriptor(&mut self, dtype: u8, p: &[u8]) {
        match dtype {
            desc::INFORMATION => {
                let valid = p.first().is_some_and(|&b| b & VALID != 0);
                if let Some(v) = array_at(p, 2).filter(|_| valid) {
                    self.information = Some(i64::from_be_bytes(v));
                }
            }
            desc::COMMAND_SPECIFIC => {
                if let Some(v) = array_at(p, 2) {
                    self.command_specific = Some(u64::from_be_bytes(v));
                }
            }
            desc::KEY_SPECIFIC => {
                if let Some(v) = array_at(p, 2) {
                    self.key_specific = SenseKeySpecific::decode(self.key, v);
                }
            }
            desc::FRU => {
                if let Some(&fru) = p.get(1) {
                    self.fru = fru;
                }
            }
            desc::STREAM => {
                if let Some(&bits) = p.get(1) {
                    self.filemark = bits & FILEMARK != 0;
                    self.eom = bits & EOM != 0;
                    self.ili = bits & ILI != 0;
                }
            }
            desc::BLOCK => {
                if let Some(&bits) = p.get(1) {
                    self.ili = bits & ILI != 0;
                }
            }
            _ => {}
        }
    }
}
