//! The WRITE ATTRIBUTE parameter list (SPC-4 §6.33, `reference/scsi.md` §3): u32 PARAMETER
//! DATA LENGTH, then attribute records in ascending identifier order with READ ONLY = 0; a
//! record of length 0 deletes the attribute. The host side refuses, before anything is sent,
//! read-only identifiers, over-length values and wrong lengths for fixed-length standard
//! binary attributes. The device side parses a received list and names the offending byte
//! for PARAMETER LIST LENGTH ERROR (1A/00) or INVALID FIELD IN PARAMETER LIST (26/00).

use super::error::AttributeError;
use super::record::{Attribute, Format, HEADER_LEN};
use super::table;

/// Length of the PARAMETER DATA LENGTH field.
pub const LIST_HEADER_LEN: usize = 4;

/// One attribute to write; an empty value deletes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeWrite {
    /// ATTRIBUTE IDENTIFIER.
    pub id: u16,
    /// FORMAT.
    pub format: Format,
    /// The value (already encoded and padded; empty = delete).
    pub value: Vec<u8>,
}

impl AttributeWrite {
    /// A write of this value.
    pub fn new(id: u16, format: Format, value: impl Into<Vec<u8>>) -> Self {
        AttributeWrite {
            id,
            format,
            value: value.into(),
        }
    }

    /// Delete the attribute (length 0; format from the table, binary if unknown).
    pub fn delete(id: u16) -> Self {
        let format = table::lookup(id).map_or(Format::Binary, |i| i.format);
        AttributeWrite::new(id, format, Vec::new())
    }

    /// Write back a record as read (e.g. from an ITDT raw attribute file).
    pub fn from_attribute(a: &Attribute) -> Self {
        AttributeWrite::new(a.id, a.format, a.value.clone())
    }
}

/// Check one write: not read-only, not longer than the standard length (or 65535), exactly
/// the standard length for a fixed-length binary attribute (deletion is always allowed).
pub fn validate(w: &AttributeWrite) -> Result<(), AttributeError> {
    let id = w.id;
    if table::is_read_only(id) {
        return Err(AttributeError::ReadOnly { id });
    }
    let len = w.value.len();
    if len > usize::from(u16::MAX) {
        return Err(AttributeError::TooLong {
            id,
            len,
            max: usize::from(u16::MAX),
        });
    }
    if len == 0 {
        return Ok(());
    }
    if let Some(std_len) = table::lookup(id).and_then(|i| i.length.map(|l| (i.format, l))) {
        let (format, max) = (std_len.0, usize::from(std_len.1));
        if format == Format::Binary && len != max {
            return Err(AttributeError::WrongLength {
                id,
                len,
                expected: max,
            });
        }
        if len > max {
            return Err(AttributeError::TooLong { id, len, max });
        }
    }
    Ok(())
}

/// Build the parameter list: validates every write, sorts by identifier, refuses duplicates,
/// READ ONLY = 0.
pub fn build_write_list(writes: &[AttributeWrite]) -> Result<Vec<u8>, AttributeError> {
    let mut sorted: Vec<&AttributeWrite> = writes.iter().collect();
    sorted.sort_by_key(|w| w.id);
    let mut body = Vec::new();
    let mut prev: Option<u16> = None;
    for w in sorted {
        validate(w)?;
        if prev == Some(w.id) {
            return Err(AttributeError::Duplicate { id: w.id });
        }
        prev = Some(w.id);
        body.extend_from_slice(&Attribute::new(w.id, w.format, w.value.clone()).to_bytes()?);
    }
    let len = u32::try_from(body.len()).map_err(|_| AttributeError::TooLong {
        id: prev.unwrap_or(0),
        len: body.len(),
        max: u32::MAX as usize,
    })?;
    let mut out = Vec::with_capacity(LIST_HEADER_LEN + body.len());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// Which sense a refused parameter list gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WriteListErrorKind {
    /// PARAMETER LIST LENGTH ERROR (1A/00): a record is cut short.
    ParameterListLength,
    /// INVALID FIELD IN PARAMETER LIST (26/00).
    InvalidField,
}

impl WriteListErrorKind {
    /// The ASC/ASCQ pair.
    pub fn asc_ascq(self) -> (u8, u8) {
        match self {
            WriteListErrorKind::ParameterListLength => (0x1a, 0x00),
            WriteListErrorKind::InvalidField => (0x26, 0x00),
        }
    }
}

/// Why a device refuses a WRITE ATTRIBUTE parameter list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteListError {
    /// Offending byte in the parameter list (for the sense-key-specific field pointer).
    pub offset: usize,
    /// Which sense to return.
    pub kind: WriteListErrorKind,
    /// What was wrong.
    pub detail: &'static str,
}

impl std::fmt::Display for WriteListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at parameter list byte {}", self.detail, self.offset)
    }
}

impl std::error::Error for WriteListError {}

fn refuse(offset: usize, kind: WriteListErrorKind, detail: &'static str) -> WriteListError {
    WriteListError {
        offset,
        kind,
        detail,
    }
}

/// Device side: the records of a received parameter list. The bytes received (the CDB's
/// PARAMETER LIST LENGTH) bound the records; PARAMETER DATA LENGTH is not trusted, as HP
/// drives ignore it (`reference/scsi.md` §3). An empty list (parameter list length 0) is
/// valid and empty. A cut header or value is 1A/00; a reserved format or identifiers not in
/// ascending order are 26/00. The READ ONLY bit only reports state and is ignored. Read-only
/// and length checks against the MAM are the caller's ([`table::is_read_only`],
/// [`table::lookup`]).
pub fn parse_write_list(list: &[u8]) -> Result<Vec<Attribute>, WriteListError> {
    use WriteListErrorKind::{InvalidField, ParameterListLength};
    if list.is_empty() {
        return Ok(Vec::new());
    }
    if list.len() < LIST_HEADER_LEN {
        return Err(refuse(
            0,
            ParameterListLength,
            "parameter data length cut short",
        ));
    }
    let body = list;
    let mut out: Vec<Attribute> = Vec::new();
    let mut off = LIST_HEADER_LEN;
    while off < body.len() {
        let hdr = body.get(off..off + HEADER_LEN).ok_or(refuse(
            off,
            ParameterListLength,
            "attribute header cut short",
        ))?;
        let (id, flags, len) = match hdr {
            [i0, i1, fl, l0, l1] => (
                u16::from_be_bytes([*i0, *i1]),
                *fl,
                usize::from(u16::from_be_bytes([*l0, *l1])),
            ),
            _ => {
                return Err(refuse(
                    off,
                    ParameterListLength,
                    "attribute header cut short",
                ))
            }
        };
        if out.last().is_some_and(|p| p.id >= id) {
            return Err(refuse(
                off,
                InvalidField,
                "attribute identifiers not in ascending order",
            ));
        }
        let format = Format::from_bits(flags);
        if format == Format::Reserved {
            return Err(refuse(off + 2, InvalidField, "reserved attribute format"));
        }
        let start = off + HEADER_LEN;
        let value = body.get(start..start + len).ok_or(refuse(
            off + 3,
            ParameterListLength,
            "attribute value cut short",
        ))?;
        out.push(Attribute::new(id, format, value));
        off = start + len;
    }
    Ok(out)
}
