//! Typed attribute values (`reference/scsi.md` §4-§5, §10): numbers by their length, ASCII
//! (trailing spaces trimmed), TEXT in the character set of attribute 0805h (NULs trimmed),
//! dates (0406h YYYYMMDD, 0804h YYYYMMDDHHMM), TapeAlert flags (0002h, flag 1 = MSB of
//! byte 0), medium type (0408h), density codes (0006h/0405h), text localization (0805h),
//! volume coherency information (080Ch) and usage histories (0340h/0341h). Vendor and unknown
//! attributes, and values that do not fit their type, stay raw. Decoding never fails.

use std::fmt;

use super::record::Format;
use super::table::{self, Range};
use super::vci::{UsageHistory, Vci, USAGE_FIELD_NAMES};
use crate::wire;

/// Attribute 0805h: the character set of TEXT attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TextLocalization {
    /// 00h: ASCII.
    #[default]
    Ascii,
    /// 01h-0Ah: ISO/IEC 8859 part 1 to 10 (the part number).
    Iso8859(u8),
    /// 80h: UCS-2, big-endian.
    Ucs2Be,
    /// 81h: UTF-8.
    Utf8,
    /// Any other code.
    Reserved(u8),
}

impl TextLocalization {
    /// The localization of an 0805h code.
    pub fn from_code(code: u8) -> Self {
        match code {
            0x00 => TextLocalization::Ascii,
            0x01..=0x0a => TextLocalization::Iso8859(code),
            0x80 => TextLocalization::Ucs2Be,
            0x81 => TextLocalization::Utf8,
            _ => TextLocalization::Reserved(code),
        }
    }

    /// The 0805h code.
    pub fn code(self) -> u8 {
        match self {
            TextLocalization::Ascii => 0x00,
            TextLocalization::Iso8859(n) | TextLocalization::Reserved(n) => n,
            TextLocalization::Ucs2Be => 0x80,
            TextLocalization::Utf8 => 0x81,
        }
    }

    /// Human name ("ASCII", "ISO 8859-1", "UTF-8", "reserved (42h)").
    pub fn name(self) -> String {
        match self {
            TextLocalization::Ascii => "ASCII".into(),
            TextLocalization::Iso8859(n) => format!("ISO 8859-{n}"),
            TextLocalization::Ucs2Be => "UCS-2BE".into(),
            TextLocalization::Utf8 => "UTF-8".into(),
            TextLocalization::Reserved(n) => format!("reserved ({n:02X}h)"),
        }
    }

    /// Decode TEXT bytes: trailing NULs removed, control characters shown as `.`.
    pub fn decode(self, b: &[u8]) -> String {
        let s: String = match self {
            TextLocalization::Ucs2Be => {
                let units: Vec<u16> = b
                    .chunks_exact(2)
                    .map(|c| {
                        u16::from_be_bytes([
                            c.first().copied().unwrap_or(0),
                            c.get(1).copied().unwrap_or(0),
                        ])
                    })
                    .collect();
                char::decode_utf16(units)
                    .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect()
            }
            TextLocalization::Utf8 => String::from_utf8_lossy(b).into_owned(),
            TextLocalization::Iso8859(1) => b.iter().map(|&c| char::from(c)).collect(),
            _ => b
                .iter()
                .map(|&c| {
                    if c.is_ascii() {
                        char::from(c)
                    } else {
                        char::REPLACEMENT_CHARACTER
                    }
                })
                .collect(),
        };
        s.trim_end_matches('\0')
            .chars()
            .map(|c| if c.is_control() { '.' } else { c })
            .collect()
    }
}

/// Medium type (0408h).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediumType {
    /// 00h: data cartridge.
    Data,
    /// 01h: cleaning cartridge.
    Cleaning,
    /// 80h: write-once (WORM) cartridge.
    Worm,
    /// Any other code.
    Other(u8),
}

impl MediumType {
    /// The type of a 0408h code.
    pub fn from_code(code: u8) -> Self {
        match code {
            0x00 => MediumType::Data,
            0x01 => MediumType::Cleaning,
            0x80 => MediumType::Worm,
            _ => MediumType::Other(code),
        }
    }

    /// The 0408h code.
    pub fn code(self) -> u8 {
        match self {
            MediumType::Data => 0x00,
            MediumType::Cleaning => 0x01,
            MediumType::Worm => 0x80,
            MediumType::Other(c) => c,
        }
    }
}

/// A date (0406h) or date and time (0804h).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month 1-12.
    pub month: u8,
    /// Day 1-31.
    pub day: u8,
    /// Hour 0-23 and minute 0-59, for YYYYMMDDHHMM.
    pub time: Option<(u8, u8)>,
}

impl Date {
    /// Parse `YYYYMMDD` or `YYYYMMDDHHMM` (ASCII digits, fields range-checked).
    pub fn parse(b: &[u8]) -> Option<Date> {
        if (b.len() != 8 && b.len() != 12) || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let num = |r: std::ops::Range<usize>| {
            b.get(r)
                .map(|d| d.iter().fold(0u16, |a, &c| a * 10 + u16::from(c - b'0')))
        };
        let month = u8::try_from(num(4..6)?).ok()?;
        let day = u8::try_from(num(6..8)?).ok()?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        let time = if b.len() == 12 {
            let h = u8::try_from(num(8..10)?).ok()?;
            let m = u8::try_from(num(10..12)?).ok()?;
            if h > 23 || m > 59 {
                return None;
            }
            Some((h, m))
        } else {
            None
        };
        Some(Date {
            year: num(0..4)?,
            month,
            day,
            time,
        })
    }

    /// The ASCII form (`YYYYMMDD` or `YYYYMMDDHHMM`).
    pub fn to_ascii(&self) -> String {
        let mut s = format!("{:04}{:02}{:02}", self.year, self.month, self.day);
        if let Some((h, m)) = self.time {
            s.push_str(&format!("{h:02}{m:02}"));
        }
        s
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?;
        if let Some((h, m)) = self.time {
            write!(f, " {h:02}:{m:02}")?;
        }
        Ok(())
    }
}

/// The LTO generation of a density code (`reference/scsi.md` §10); unknown codes give `None`.
pub fn density_name(code: u8) -> Option<&'static str> {
    Some(match code {
        0x40 => "LTO-1",
        0x42 => "LTO-2",
        0x44 => "LTO-3",
        0x46 => "LTO-4",
        0x58 => "LTO-5",
        0x5a => "LTO-6",
        0x5c => "LTO-7",
        0x5d => "LTO-7 Type M (M8)",
        0x5e => "LTO-8",
        0x60 => "LTO-9",
        _ => return None,
    })
}

/// A decoded attribute value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Length 0.
    Empty,
    /// Binary number of 1 to 8 bytes.
    Number(u64),
    /// ASCII, trailing spaces trimmed, non-printable bytes shown as `.`.
    Ascii(String),
    /// TEXT decoded per 0805h, trailing NULs trimmed.
    Text(String),
    /// 0406h / 0804h.
    Date(Date),
    /// 0002h: the numbers of the flags set (1 = MSB of byte 0).
    TapeAlert(Vec<u8>),
    /// 0408h.
    MediumType(MediumType),
    /// 0006h / 0405h.
    Density {
        /// The code.
        code: u8,
        /// Its LTO generation, if known.
        name: Option<&'static str>,
    },
    /// 0805h.
    Localization(TextLocalization),
    /// 080Ch.
    Vci(Vci),
    /// 0340h.
    MediumUsage(UsageHistory),
    /// 0341h.
    PartitionUsage(UsageHistory),
    /// Vendor, unknown, or a value that does not fit its type.
    Raw(Vec<u8>),
}

/// Identifiers of the attributes this crate decodes specially and of the host attributes
/// an application writes (SPC-4 / SSC attribute tables, `reference/scsi.md` §2). The full
/// table with names and formats is [`super::table`].
pub mod id {
    /// TapeAlert flags (0002h).
    pub const TAPE_ALERT: u16 = 0x0002;
    /// Formatted density code (0006h).
    pub const FORMATTED_DENSITY: u16 = 0x0006;
    /// Medium usage history (0340h).
    pub const MEDIUM_USAGE: u16 = 0x0340;
    /// Partition usage history (0341h).
    pub const PARTITION_USAGE: u16 = 0x0341;
    /// Medium density code (0405h).
    pub const MEDIUM_DENSITY: u16 = 0x0405;
    /// Medium manufacture date, `YYYYMMDD` (0406h).
    pub const MANUFACTURE_DATE: u16 = 0x0406;
    /// Medium type (0408h).
    pub const MEDIUM_TYPE: u16 = 0x0408;
    /// Application vendor (0800h).
    pub const APPLICATION_VENDOR: u16 = 0x0800;
    /// Application name (0801h).
    pub const APPLICATION_NAME: u16 = 0x0801;
    /// Application version (0802h).
    pub const APPLICATION_VERSION: u16 = 0x0802;
    /// Date and time last written, `YYYYMMDDHHMM` (0804h).
    pub const LAST_WRITTEN: u16 = 0x0804;
    /// Text localization identifier (0805h).
    pub const TEXT_LOCALIZATION: u16 = 0x0805;
    /// Barcode (0806h).
    pub const BARCODE: u16 = 0x0806;
    /// Volume coherency information (080Ch).
    pub const VCI: u16 = 0x080C;
}
pub(crate) use id::{LAST_WRITTEN, MANUFACTURE_DATE};

/// Decode a value by its identifier and format; `loc` is the TEXT character set (0805h).
pub fn decode(attr_id: u16, format: Format, v: &[u8], loc: TextLocalization) -> Value {
    if v.is_empty() {
        return Value::Empty;
    }
    let one = |f: fn(u8) -> Value| match v {
        [c] => Some(f(*c)),
        _ => None,
    };
    let special = match attr_id {
        id::TAPE_ALERT => wire::u64_at(v, 0).filter(|_| v.len() == 8).map(|w| {
            Value::TapeAlert(
                (1..=64u8)
                    .filter(|n| w & (1u64 << (64 - u32::from(*n))) != 0)
                    .collect(),
            )
        }),
        id::FORMATTED_DENSITY | id::MEDIUM_DENSITY => one(|c| Value::Density {
            code: c,
            name: density_name(c),
        }),
        id::MEDIUM_TYPE => one(|c| Value::MediumType(MediumType::from_code(c))),
        id::TEXT_LOCALIZATION => one(|c| Value::Localization(TextLocalization::from_code(c))),
        id::MANUFACTURE_DATE | id::LAST_WRITTEN => Date::parse(v).map(Value::Date),
        id::VCI => Vci::parse(v).ok().map(Value::Vci),
        id::MEDIUM_USAGE => UsageHistory::parse(v, 6).map(Value::MediumUsage),
        id::PARTITION_USAGE => UsageHistory::parse(v, 4).map(Value::PartitionUsage),
        _ => None,
    };
    if let Some(value) = special {
        return value;
    }
    if table::lookup(attr_id).is_none() || Range::of(attr_id).is_vendor() {
        return Value::Raw(v.to_vec());
    }
    match format {
        Format::Binary => wire::be_uint(v).map_or_else(|| Value::Raw(v.to_vec()), Value::Number),
        Format::Ascii => Value::Ascii(wire::ascii(v)),
        Format::Text => Value::Text(loc.decode(v)),
        Format::Reserved => Value::Raw(v.to_vec()),
    }
}

/// Lower-case hexadecimal, no separators.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Empty => Ok(()),
            Value::Number(n) => write!(f, "{n}"),
            Value::Ascii(s) | Value::Text(s) => f.write_str(s),
            Value::Date(d) => write!(f, "{d}"),
            Value::TapeAlert(flags) if flags.is_empty() => f.write_str("none"),
            Value::TapeAlert(flags) => {
                let s: Vec<String> = flags.iter().map(|n| format!("{n:02X}h")).collect();
                f.write_str(&s.join(" "))
            }
            Value::MediumType(MediumType::Data) => f.write_str("data"),
            Value::MediumType(MediumType::Cleaning) => f.write_str("cleaning"),
            Value::MediumType(MediumType::Worm) => f.write_str("WORM"),
            Value::MediumType(MediumType::Other(c)) => write!(f, "unknown ({c:02X}h)"),
            Value::Density { code, name } => {
                write!(f, "0x{code:02X} ({})", name.unwrap_or("unknown"))
            }
            Value::Localization(l) => f.write_str(&l.name()),
            Value::Vci(v) => {
                write!(
                    f,
                    "VCR {}, count {}, set {}",
                    hex(&v.vcr),
                    v.count,
                    v.set_id
                )?;
                match &v.ltfs {
                    Some(l) => {
                        write!(f, ", LTFS volume {}", l.uuid)?;
                        match l.version {
                            Some(n) => write!(f, " (version {n})"),
                            None => Ok(()),
                        }
                    }
                    None => write!(f, ", application info {}", hex(&v.app_info)),
                }
            }
            Value::MediumUsage(u) | Value::PartitionUsage(u) => {
                let s: Vec<String> = USAGE_FIELD_NAMES
                    .iter()
                    .zip(u.fields.iter())
                    .map(|(n, v)| format!("{n} {v}"))
                    .collect();
                f.write_str(&s.join(", "))
            }
            Value::Raw(b) => write!(f, "0x{}", hex(b)),
        }
    }
}
