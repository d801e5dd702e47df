//! Encoding a user-supplied string into an attribute value for WRITE ATTRIBUTE
//! (`reference/scsi.md` §4, §13 item 3): ASCII 20h-7Eh padded with spaces to the standard
//! length (never NULs), TEXT padded with NULs, binary numbers sized to the standard length,
//! dates checked; identifiers outside the table take hexadecimal bytes.

use super::error::AttributeError;
use super::record::Format;
use super::table::{self, AttrInfo};
use super::value::{Date, LAST_WRITTEN, MANUFACTURE_DATE};
use super::write::{validate, AttributeWrite};

const SPACE: u8 = b' ';
const NUL: u8 = 0;

fn bad(id: u16, detail: impl Into<String>) -> AttributeError {
    AttributeError::BadValue {
        id,
        detail: detail.into(),
    }
}

/// Hexadecimal bytes (`0x01ab`, `01ab`, `01:ab`, `01 ab`), as for vendor attributes.
pub fn parse_hex(id: u16, input: &str) -> Result<Vec<u8>, AttributeError> {
    let t = input.trim();
    let t = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    let digits: Vec<u8> = t
        .bytes()
        .filter(|c| !matches!(c, b':' | b' ' | b'-'))
        .collect();
    if digits.len() % 2 != 0 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return Err(bad(id, format!("not hexadecimal bytes: {input:?}")));
    }
    digits
        .chunks_exact(2)
        .map(|c| {
            std::str::from_utf8(c)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 16).ok())
                .ok_or_else(|| bad(id, format!("not hexadecimal bytes: {input:?}")))
        })
        .collect()
}

/// A number in decimal or `0x` hexadecimal.
fn parse_number(id: u16, input: &str) -> Result<u64, AttributeError> {
    let t = input.trim();
    let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16),
        None => t.parse::<u64>(),
    };
    parsed.map_err(|_| bad(id, format!("not a number: {input:?}")))
}

fn padded(mut v: Vec<u8>, len: Option<u16>, pad: u8, id: u16) -> Result<Vec<u8>, AttributeError> {
    if let Some(max) = len.map(usize::from) {
        if v.len() > max {
            return Err(AttributeError::TooLong {
                id,
                len: v.len(),
                max,
            });
        }
        v.resize(max, pad);
    }
    Ok(v)
}

fn encode_known(info: &AttrInfo, input: &str) -> Result<Vec<u8>, AttributeError> {
    let id = info.id;
    match info.format {
        Format::Ascii => {
            if let Some(pos) = input.bytes().position(|c| !(0x20..=0x7e).contains(&c)) {
                return Err(bad(id, format!("byte {pos} is not printable ASCII")));
            }
            if matches!(id, LAST_WRITTEN | MANUFACTURE_DATE)
                && (Some(input.len()) != info.length.map(usize::from)
                    || Date::parse(input.as_bytes()).is_none())
            {
                let want = if id == LAST_WRITTEN {
                    "YYYYMMDDHHMM"
                } else {
                    "YYYYMMDD"
                };
                return Err(bad(id, format!("expected a date {want}, got {input:?}")));
            }
            padded(input.as_bytes().to_vec(), info.length, SPACE, id)
        }
        Format::Text => padded(input.as_bytes().to_vec(), info.length, NUL, id),
        Format::Binary | Format::Reserved => match info.length {
            Some(len @ 1..=8) => {
                let n = parse_number(id, input)?;
                let bytes = n.to_be_bytes();
                let width = usize::from(len);
                let (high, low) = bytes.split_at(8 - width);
                if high.iter().any(|&b| b != 0) {
                    return Err(bad(id, format!("{n} does not fit in {width} bytes")));
                }
                Ok(low.to_vec())
            }
            _ => parse_hex(id, input),
        },
    }
}

/// Encode `input` for attribute `id`. Table attributes: ASCII padded with spaces to the
/// standard length (0406h/0804h must be valid dates), TEXT as UTF-8 padded with NULs, binary
/// of 1-8 bytes from a decimal or `0x` number, longer/variable binary from hex bytes.
/// Identifiers not in the table: hex bytes, binary format. Read-only identifiers,
/// over-length values and wrong lengths are refused ([`validate`]).
pub fn encode(id: u16, input: &str) -> Result<AttributeWrite, AttributeError> {
    if table::is_read_only(id) {
        return Err(AttributeError::ReadOnly { id });
    }
    let w = match table::lookup(id) {
        Some(info) => AttributeWrite::new(id, info.format, encode_known(info, input)?),
        None => AttributeWrite::new(id, Format::Binary, parse_hex(id, input)?),
    };
    validate(&w)?;
    Ok(w)
}
