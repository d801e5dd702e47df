//! Typed errors for SCSI commands: callers match on variants, never on raw sense triples.

use crate::sense::{Sense, SenseKey};

/// A page or reply from the device could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Fewer bytes than the fixed part of the structure needs.
    #[error("{what}: need at least {need} bytes, got {got}")]
    Short {
        /// What was being parsed.
        what: &'static str,
        /// Minimum length required.
        need: usize,
        /// Bytes available.
        got: usize,
    },
    /// A field holds a value that the parser cannot accept.
    #[error("{what}: {detail}")]
    Invalid {
        /// What was being parsed.
        what: &'static str,
        /// What was wrong.
        detail: String,
    },
}

/// Why a SCSI command failed.
#[derive(Debug, thiserror::Error)]
pub enum ScsiError {
    /// The OS call itself failed (open, ioctl): the command was not issued.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The command timed out in the transport.
    #[error("command timed out")]
    Timeout,
    /// The host adapter or driver reported an error (no SCSI status to trust).
    #[error(
        "transport error: host_status 0x{host_status:02x}, driver_status 0x{driver_status:02x}"
    )]
    Transport {
        /// Linux `DID_*` code.
        host_status: u16,
        /// Linux `DRIVER_*` code.
        driver_status: u16,
    },
    /// CHECK CONDITION without any sense data.
    #[error("CHECK CONDITION without sense data")]
    NoSense,
    /// BUSY or TASK SET FULL.
    #[error("device busy")]
    Busy,
    /// RESERVATION CONFLICT.
    #[error("reservation conflict")]
    ReservationConflict,
    /// Another SAM status.
    #[error("unexpected SCSI status 0x{0:02x}")]
    Status(u8),
    /// NOT READY: no medium, becoming ready, manual intervention required.
    #[error("not ready: {0}")]
    NotReady(Sense),
    /// MEDIUM ERROR: unrecovered read/write error, MAM unreadable.
    #[error("medium error: {0}")]
    MediumError(Sense),
    /// HARDWARE ERROR.
    #[error("hardware error: {0}")]
    HardwareError(Sense),
    /// ILLEGAL REQUEST, with the field pointer when the device gave one.
    #[error("illegal request: {sense}")]
    IllegalRequest {
        /// The full sense.
        sense: Sense,
        /// Which byte (and bit) of the CDB or parameter list was wrong.
        field: Option<crate::sense::FieldPointer>,
    },
    /// UNIT ATTENTION: medium changed, reset, parameters changed by another initiator.
    #[error("unit attention: {0}")]
    UnitAttention(Sense),
    /// DATA PROTECT: write protected, encryption errors.
    #[error("data protect: {0}")]
    DataProtect(Sense),
    /// BLANK CHECK: end of data met on READ or SPACE.
    #[error("blank check: {0}")]
    BlankCheck(Sense),
    /// VOLUME OVERFLOW: physical end of partition met on write.
    #[error("volume overflow: {0}")]
    VolumeOverflow(Sense),
    /// ABORTED COMMAND.
    #[error("aborted command: {0}")]
    Aborted(Sense),
    /// MISCOMPARE.
    #[error("miscompare: {0}")]
    Miscompare(Sense),
    /// Any other sense key (vendor specific, copy aborted, ...).
    #[error("check condition: {0}")]
    Other(Sense),
    /// The device answered, but its reply could not be decoded.
    #[error("bad reply: {0}")]
    Parse(#[from] ParseError),
    /// The request was refused before anything was sent.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

impl ScsiError {
    /// Classify a sense whose key is an error (not NO SENSE / RECOVERED ERROR).
    pub fn from_sense(sense: Sense) -> Self {
        match sense.key {
            SenseKey::NotReady => ScsiError::NotReady(sense),
            SenseKey::MediumError => ScsiError::MediumError(sense),
            SenseKey::HardwareError => ScsiError::HardwareError(sense),
            SenseKey::IllegalRequest => {
                let field = sense.field_pointer();
                ScsiError::IllegalRequest { sense, field }
            }
            SenseKey::UnitAttention => ScsiError::UnitAttention(sense),
            SenseKey::DataProtect => ScsiError::DataProtect(sense),
            SenseKey::BlankCheck => ScsiError::BlankCheck(sense),
            SenseKey::VolumeOverflow => ScsiError::VolumeOverflow(sense),
            SenseKey::AbortedCommand => ScsiError::Aborted(sense),
            SenseKey::Miscompare => ScsiError::Miscompare(sense),
            _ => ScsiError::Other(sense),
        }
    }

    /// The sense data behind this error, if it came from the device.
    pub fn sense(&self) -> Option<&Sense> {
        match self {
            ScsiError::NotReady(s)
            | ScsiError::MediumError(s)
            | ScsiError::HardwareError(s)
            | ScsiError::IllegalRequest { sense: s, .. }
            | ScsiError::UnitAttention(s)
            | ScsiError::DataProtect(s)
            | ScsiError::BlankCheck(s)
            | ScsiError::VolumeOverflow(s)
            | ScsiError::Aborted(s)
            | ScsiError::Miscompare(s)
            | ScsiError::Other(s) => Some(s),
            _ => None,
        }
    }
}
