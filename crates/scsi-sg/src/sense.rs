//! Sense data (SPC-4 §4.5): fixed (70h/71h) and descriptor (72h/73h) formats.
//!
//! SKELETON: types are final; the decoder and the ASC/ASCQ table are being written.

use std::fmt;

/// Sense key (SPC-4 table 51).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SenseKey {
    /// 0h: no specific key; may carry FILEMARK, EOM or ILI.
    NoSense,
    /// 1h: recovered error (may carry EOM at early warning).
    RecoveredError,
    /// 2h.
    NotReady,
    /// 3h.
    MediumError,
    /// 4h.
    HardwareError,
    /// 5h.
    IllegalRequest,
    /// 6h.
    UnitAttention,
    /// 7h.
    DataProtect,
    /// 8h: end of data on READ/SPACE.
    BlankCheck,
    /// 9h.
    VendorSpecific,
    /// Ah.
    CopyAborted,
    /// Bh.
    AbortedCommand,
    /// Ch (obsolete).
    Obsolete,
    /// Dh: physical end of partition on write.
    VolumeOverflow,
    /// Eh.
    Miscompare,
    /// Fh.
    Completed,
}

/// Whether the sense describes the command that just ran or an earlier, buffered one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SenseKind {
    /// 70h / 72h: the error belongs to the command that returned it.
    Current,
    /// 71h / 73h: a deferred error from an earlier command (e.g. a buffered write).
    Deferred,
}

/// Which wire format the sense came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SenseFormat {
    /// 70h / 71h.
    Fixed,
    /// 72h / 73h.
    Descriptor,
}

/// The ILLEGAL REQUEST sense-key-specific field pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldPointer {
    /// True if the bad field is in the CDB, false if in the parameter list.
    pub in_cdb: bool,
    /// Bit within the byte, when the device named one.
    pub bit: Option<u8>,
    /// Byte offset of the bad field.
    pub byte: u16,
}

/// Sense-key-specific information (SKSV = 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SenseKeySpecific {
    /// ILLEGAL REQUEST: which field was wrong.
    Field(FieldPointer),
    /// NOT READY / NO SENSE: progress, out of 65536.
    Progress(u16),
    /// RECOVERED / MEDIUM / HARDWARE ERROR: actual retry count.
    RetryCount(u16),
    /// Any other key: the raw 3 bytes (SKSV bit cleared).
    Raw([u8; 3]),
}

/// Decoded sense data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sense {
    /// Current or deferred.
    pub kind: SenseKind,
    /// Fixed or descriptor format.
    pub format: SenseFormat,
    /// Sense key.
    pub key: SenseKey,
    /// Additional sense code.
    pub asc: u8,
    /// Additional sense code qualifier.
    pub ascq: u8,
    /// FILEMARK bit (fixed byte 2 b7, or the stream-commands descriptor).
    pub filemark: bool,
    /// EOM bit.
    pub eom: bool,
    /// ILI bit (incorrect length indicator).
    pub ili: bool,
    /// INFORMATION field, sign-extended, present only when VALID = 1.
    pub information: Option<i64>,
    /// COMMAND-SPECIFIC INFORMATION.
    pub command_specific: Option<u64>,
    /// Sense-key-specific field (SKSV = 1).
    pub key_specific: Option<SenseKeySpecific>,
    /// Field replaceable unit code (0 = none).
    pub fru: u8,
}

impl Sense {
    /// The field pointer, for ILLEGAL REQUEST sense that carries one.
    pub fn field_pointer(&self) -> Option<FieldPointer> {
        match self.key_specific {
            Some(SenseKeySpecific::Field(f)) => Some(f),
            _ => None,
        }
    }
}

impl fmt::Display for Sense {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} {:02X}/{:02X}", self.key, self.asc, self.ascq)
    }
}

impl Sense {
    /// Decode sense bytes as returned by the device (fixed or descriptor format).
    ///
    /// SKELETON: not implemented yet.
    pub fn parse(bytes: &[u8]) -> Result<Sense, crate::error::ParseError> {
        Err(crate::error::ParseError::Short { what: "sense", need: 8, got: bytes.len() })
    }
}
