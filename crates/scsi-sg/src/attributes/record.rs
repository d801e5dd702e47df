//! The attribute record (SPC-4 §7.4.1, `reference/scsi.md` §4) and the READ ATTRIBUTE replies
//! that carry it (§2): ATTRIBUTE IDENTIFIER (u16), byte 2 READ ONLY (bit 7) and FORMAT
//! (bits 1-0), ATTRIBUTE LENGTH (u16, unaligned at bytes 3-4), then the value. Records are
//! packed (`next = cur + 5 + len`); parsing stops when fewer than 5 bytes remain, and a record
//! whose value was cut (allocation length, short transfer) is reported as incomplete.
//!
//! Also the IBM ITDT raw attribute file: exactly one record, header + value, nothing else.

use super::error::AttributeError;
use super::table::{self, AttrInfo};
use super::value::{self, TextLocalization, Value};
use crate::error::ParseError;
use crate::wire::{self, clamped, u16_at, u32_at};

/// Length of the record header.
pub const HEADER_LEN: usize = 5;
const READ_ONLY: u8 = 0x80;
const FORMAT_MASK: u8 = 0x03;

/// FORMAT field of the record header (byte 2, bits 1-0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// 00b: binary (big-endian numbers or structures).
    Binary,
    /// 01b: ASCII 20h-7Eh, left-aligned, space padded.
    Ascii,
    /// 10b: text in the character set named by attribute 0805h.
    Text,
    /// 11b: reserved.
    Reserved,
}

impl Format {
    /// The format of FORMAT bits (only bits 1-0 are looked at).
    pub fn from_bits(b: u8) -> Self {
        match b & FORMAT_MASK {
            0 => Format::Binary,
            1 => Format::Ascii,
            2 => Format::Text,
            _ => Format::Reserved,
        }
    }

    /// The two FORMAT bits.
    pub fn bits(self) -> u8 {
        match self {
            Format::Binary => 0,
            Format::Ascii => 1,
            Format::Text => 2,
            Format::Reserved => 3,
        }
    }

    /// One-letter code used in tables: B, A, T, or `?`.
    pub fn letter(self) -> char {
        match self {
            Format::Binary => 'B',
            Format::Ascii => 'A',
            Format::Text => 'T',
            Format::Reserved => '?',
        }
    }

    /// Lower-case name: binary, ascii, text, reserved.
    pub fn name(self) -> &'static str {
        match self {
            Format::Binary => "binary",
            Format::Ascii => "ascii",
            Format::Text => "text",
            Format::Reserved => "reserved",
        }
    }
}

/// One attribute record as on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// ATTRIBUTE IDENTIFIER.
    pub id: u16,
    /// READ ONLY bit (state as reported by the device).
    pub read_only: bool,
    /// FORMAT.
    pub format: Format,
    /// The value, ATTRIBUTE LENGTH bytes.
    pub value: Vec<u8>,
}

impl Attribute {
    /// A writable record with this ID, format and value.
    pub fn new(id: u16, format: Format, value: impl Into<Vec<u8>>) -> Self {
        Attribute {
            id,
            read_only: false,
            format,
            value: value.into(),
        }
    }

    /// The same record with the READ ONLY bit set as given.
    pub fn read_only(mut self, ro: bool) -> Self {
        self.read_only = ro;
        self
    }

    /// The 5-byte header; `TooLong` when the value does not fit the u16 length.
    pub fn header(&self) -> Result<[u8; HEADER_LEN], AttributeError> {
        let len = u16::try_from(self.value.len()).map_err(|_| AttributeError::TooLong {
            id: self.id,
            len: self.value.len(),
            max: usize::from(u16::MAX),
        })?;
        let [i0, i1] = self.id.to_be_bytes();
        let [l0, l1] = len.to_be_bytes();
        let flags = if self.read_only { READ_ONLY } else { 0 } | self.format.bits();
        Ok([i0, i1, flags, l0, l1])
    }

    /// Header + value.
    pub fn to_bytes(&self) -> Result<Vec<u8>, AttributeError> {
        let mut out = Vec::with_capacity(HEADER_LEN + self.value.len());
        out.extend_from_slice(&self.header()?);
        out.extend_from_slice(&self.value);
        Ok(out)
    }

    /// The standard table entry for this ID.
    pub fn info(&self) -> Option<&'static AttrInfo> {
        table::lookup(self.id)
    }

    /// The typed value; `loc` is the character set of TEXT attributes (attribute 0805h).
    pub fn decode(&self, loc: TextLocalization) -> Value {
        value::decode(self.id, self.format, &self.value, loc)
    }
}

/// A record whose header was received but whose value was cut short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incomplete {
    /// ATTRIBUTE IDENTIFIER.
    pub id: u16,
    /// READ ONLY bit.
    pub read_only: bool,
    /// FORMAT.
    pub format: Format,
    /// ATTRIBUTE LENGTH as announced.
    pub length: u16,
    /// Value bytes actually present.
    pub present: usize,
}

/// Parse packed records (no AVAILABLE DATA in front). Stops when fewer than 5 bytes remain;
/// a record whose value is cut is returned as [`Incomplete`] and ends the list.
pub fn parse_records(body: &[u8]) -> (Vec<Attribute>, Option<Incomplete>) {
    let mut out = Vec::new();
    let mut off = 0usize;
    while let Some(hdr) = wire::array_at::<HEADER_LEN>(body, off) {
        let [i0, i1, flags, l0, l1] = hdr;
        let id = u16::from_be_bytes([i0, i1]);
        let length = u16::from_be_bytes([l0, l1]);
        let read_only = flags & READ_ONLY != 0;
        let format = Format::from_bits(flags);
        let start = off + HEADER_LEN;
        let end = start + usize::from(length);
        match body.get(start..end) {
            Some(v) => out.push(Attribute {
                id,
                read_only,
                format,
                value: v.to_vec(),
            }),
            None => {
                let present = body.len().saturating_sub(start);
                let cut = Incomplete {
                    id,
                    read_only,
                    format,
                    length,
                    present,
                };
                return (out, Some(cut));
            }
        }
        off = end;
    }
    (out, None)
}

/// A READ ATTRIBUTE ATTRIBUTE VALUES (SA 00h) reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuesReply {
    /// AVAILABLE DATA: bytes after the 4-byte field the device had to send.
    pub available: u32,
    /// Complete records, in the order received.
    pub attributes: Vec<Attribute>,
    /// A record cut by the allocation length or a short transfer.
    pub incomplete: Option<Incomplete>,
    /// AVAILABLE DATA announced more than was received.
    pub truncated: bool,
}

fn announced_body(reply: &[u8], hdr: usize, available: usize) -> (&[u8], bool) {
    let end = hdr.saturating_add(available);
    (clamped(reply, hdr, end), end > reply.len())
}

/// Parse an SA 00h reply, bounded by AVAILABLE DATA and by the bytes received.
pub fn parse_values(reply: &[u8]) -> Result<ValuesReply, ParseError> {
    let available =
        u32_at(reply, 0).ok_or_else(|| wire::short("attribute values", 4, reply.len()))?;
    let (body, truncated) =
        announced_body(reply, 4, usize::try_from(available).unwrap_or(usize::MAX));
    let (attributes, incomplete) = parse_records(body);
    Ok(ValuesReply {
        available,
        attributes,
        incomplete,
        truncated,
    })
}

/// A READ ATTRIBUTE ATTRIBUTE LIST (01h) or SUPPORTED ATTRIBUTES (05h) reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdList {
    /// AVAILABLE DATA.
    pub available: u32,
    /// The identifiers received (an odd trailing byte is dropped).
    pub ids: Vec<u16>,
    /// AVAILABLE DATA announced more than was received.
    pub truncated: bool,
}

/// Parse an SA 01h/05h reply, bounded by AVAILABLE DATA and by the bytes received.
pub fn parse_id_list(reply: &[u8]) -> Result<IdList, ParseError> {
    let available =
        u32_at(reply, 0).ok_or_else(|| wire::short("attribute list", 4, reply.len()))?;
    let (body, truncated) =
        announced_body(reply, 4, usize::try_from(available).unwrap_or(usize::MAX));
    let ids = body.chunks_exact(2).filter_map(|c| u16_at(c, 0)).collect();
    Ok(IdList {
        available,
        ids,
        truncated,
    })
}

/// A LOGICAL VOLUME LIST (02h) or PARTITION LIST (03h) reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VolumeList {
    /// AVAILABLE DATA (u16; 2 on a conforming device).
    pub available: u16,
    /// First logical volume / partition number.
    pub first: u8,
    /// Number of logical volumes / partitions.
    pub count: u8,
}

/// Parse an SA 02h/03h reply (needs 4 bytes).
pub fn parse_volume_list(reply: &[u8]) -> Result<VolumeList, ParseError> {
    match wire::array_at::<4>(reply, 0) {
        Some([a0, a1, first, count]) => Ok(VolumeList {
            available: u16::from_be_bytes([a0, a1]),
            first,
            count,
        }),
        None => Err(wire::short("volume/partition list", 4, reply.len())),
    }
}

/// Parse an ITDT raw attribute file: exactly one record (5-byte header + value), whose
/// ATTRIBUTE LENGTH must account for every byte of the file.
pub fn parse_raw_file(bytes: &[u8]) -> Result<Attribute, ParseError> {
    const WHAT: &str = "raw attribute file";
    let [i0, i1, flags, l0, l1] = wire::array_at::<HEADER_LEN>(bytes, 0)
        .ok_or_else(|| wire::short(WHAT, HEADER_LEN, bytes.len()))?;
    let need = HEADER_LEN + usize::from(u16::from_be_bytes([l0, l1]));
    let value = bytes
        .get(HEADER_LEN..need)
        .ok_or_else(|| wire::short(WHAT, need, bytes.len()))?;
    if bytes.len() != need {
        return Err(ParseError::Invalid {
            what: WHAT,
            detail: format!("{} bytes after the record", bytes.len() - need),
        });
    }
    Ok(Attribute {
        id: u16::from_be_bytes([i0, i1]),
        read_only: flags & READ_ONLY != 0,
        format: Format::from_bits(flags),
        value: value.to_vec(),
    })
}

/// An ITDT raw attribute file for this record: header + value.
pub fn to_raw_file(attr: &Attribute) -> Result<Vec<u8>, AttributeError> {
    attr.to_bytes()
}
