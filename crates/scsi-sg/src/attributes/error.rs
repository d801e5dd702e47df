//! Why an attribute value or a WRITE ATTRIBUTE request is refused before anything is sent
//! (`reference/scsi.md` §3 and §13 item 3: read-only IDs, over-length values and wrong
//! lengths are refused by the library instead of emitting a malformed list).

use std::fmt;

use crate::error::ScsiError;

/// A host-side refusal: a bad user value or a WRITE ATTRIBUTE that must not be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeError {
    /// The attribute is read-only for the host (ID below 0800h, or read-only in the table).
    ReadOnly {
        /// The attribute identifier.
        id: u16,
    },
    /// The value is longer than the attribute's standard length (or than 65535 bytes).
    TooLong {
        /// The attribute identifier.
        id: u16,
        /// Length given.
        len: usize,
        /// Largest length allowed.
        max: usize,
    },
    /// A fixed-length binary attribute was given a value of another length.
    WrongLength {
        /// The attribute identifier.
        id: u16,
        /// Length given.
        len: usize,
        /// The standard length.
        expected: usize,
    },
    /// The value cannot be encoded (non-ASCII in an ASCII attribute, bad number, date or hex).
    BadValue {
        /// The attribute identifier.
        id: u16,
        /// What was wrong.
        detail: String,
    },
    /// The same ID appears twice in one WRITE ATTRIBUTE.
    Duplicate {
        /// The attribute identifier.
        id: u16,
    },
    /// A name given by the user is neither a known short name nor a hexadecimal ID.
    UnknownName(String),
}

impl fmt::Display for AttributeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttributeError::ReadOnly { id } => write!(f, "attribute {id:04X}h is read-only"),
            AttributeError::TooLong { id, len, max } => write!(
                f,
                "attribute {id:04X}h: value of {len} bytes is longer than {max} bytes"
            ),
            AttributeError::WrongLength { id, len, expected } => write!(
                f,
                "attribute {id:04X}h: value must be {expected} bytes, got {len}"
            ),
            AttributeError::BadValue { id, detail } => {
                write!(f, "attribute {id:04X}h: {detail}")
            }
            AttributeError::Duplicate { id } => {
                write!(f, "attribute {id:04X}h given more than once")
            }
            AttributeError::UnknownName(name) => write!(f, "unknown attribute {name:?}"),
        }
    }
}

impl std::error::Error for AttributeError {}

impl From<AttributeError> for ScsiError {
    fn from(e: AttributeError) -> Self {
        ScsiError::InvalidRequest(e.to_string())
    }
}
