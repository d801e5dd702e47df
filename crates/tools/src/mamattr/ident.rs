//! Naming an attribute on the command line: its identifier in hex (`0x0806`, `0806`, `806h`,
//! as ITDT's `-a 0806`) or its short name from the standard table (`barcode`,
//! `medium-serial`), resolved by `scsi_sg::attributes::resolve` (reference/scsi.md §5).

use std::fmt;
use std::str::FromStr;

use scsi_sg::attributes::{self, AttributeError};

/// An attribute named by the user, resolved to its identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttrRef(pub u16);

impl AttrRef {
    /// The attribute identifier.
    pub fn id(self) -> u16 {
        self.0
    }
}

impl FromStr for AttrRef {
    type Err = AttributeError;

    fn from_str(s: &str) -> Result<AttrRef, AttributeError> {
        attributes::resolve(s.trim()).map(AttrRef)
    }
}

impl fmt::Display for AttrRef {
    /// `0x0806`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", id_hex(self.0))
    }
}

/// An identifier as `0x%04X` (`0x0806`, `0x080C`).
pub fn id_hex(id: u16) -> String {
    format!("0x{id:04X}")
}
