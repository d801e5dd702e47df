//! Command outcomes and the sense data the drive reports (SPC-4 §4.5; tape ASC/ASCQ of
//! `reference/scsi.md` §7.6), plus the data-in/data-out buffer helpers.
//!
//! A handler returns `Ok(Outcome)` — GOOD, or CHECK CONDITION with informational sense
//! (filemark, EOM, ILI) — or `Err(Sense)` for a command that failed before moving data.

use scsi_sg::{DataDir, FieldPointer, Sense, SenseKey};

use crate::medium::MediumError;

/// ASC/ASCQ pairs used by the drive.
pub(crate) mod asc {
    /// 00/00 no additional sense information.
    pub const NO_ADDITIONAL: (u8, u8) = (0x00, 0x00);
    /// 00/01 filemark detected.
    pub const FILEMARK_DETECTED: (u8, u8) = (0x00, 0x01);
    /// 00/02 end of partition/medium detected.
    pub const END_OF_PARTITION: (u8, u8) = (0x00, 0x02);
    /// 00/04 beginning of partition/medium detected.
    pub const BEGINNING_OF_PARTITION: (u8, u8) = (0x00, 0x04);
    /// 00/05 end of data detected.
    pub const END_OF_DATA: (u8, u8) = (0x00, 0x05);
    /// 0C/00 write error.
    pub const WRITE_ERROR: (u8, u8) = (0x0C, 0x00);
    /// 11/00 unrecovered read error.
    pub const UNRECOVERED_READ_ERROR: (u8, u8) = (0x11, 0x00);
    /// 1A/00 parameter list length error.
    pub const PARAMETER_LIST_LENGTH: (u8, u8) = (0x1A, 0x00);
    /// 20/00 invalid command operation code.
    pub const INVALID_OPCODE: (u8, u8) = (0x20, 0x00);
    /// 24/00 invalid field in CDB.
    pub const INVALID_FIELD_IN_CDB: (u8, u8) = (0x24, 0x00);
    /// 26/00 invalid field in parameter list.
    pub const INVALID_FIELD_IN_PARAMETERS: (u8, u8) = (0x26, 0x00);
    /// 27/00 write protected.
    pub const WRITE_PROTECTED: (u8, u8) = (0x27, 0x00);
    /// 29/00 power on, reset, or bus device reset occurred.
    pub const POWER_ON: (u8, u8) = (0x29, 0x00);
    /// 28/00 not ready to ready change, medium may have changed.
    pub const MEDIUM_MAY_HAVE_CHANGED: (u8, u8) = (0x28, 0x00);
    /// 2C/00 command sequence error.
    pub const COMMAND_SEQUENCE_ERROR: (u8, u8) = (0x2C, 0x00);
    /// 39/00 saving parameters not supported.
    pub const SAVING_NOT_SUPPORTED: (u8, u8) = (0x39, 0x00);
    /// 3A/00 medium not present.
    pub const MEDIUM_NOT_PRESENT: (u8, u8) = (0x3A, 0x00);
    /// 44/00 internal target failure.
    pub const INTERNAL_TARGET_FAILURE: (u8, u8) = (0x44, 0x00);
    /// 53/02 medium removal prevented.
    pub const REMOVAL_PREVENTED: (u8, u8) = (0x53, 0x02);
}

/// How a command ended when it ran.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Outcome {
    /// Bytes moved in the data phase.
    pub moved: usize,
    /// Sense to report with CHECK CONDITION (informational keys only here).
    pub sense: Option<Sense>,
}

/// Result of a command handler.
pub(crate) type CmdResult = Result<Outcome, Sense>;

impl Outcome {
    /// GOOD with no data.
    pub(crate) fn good() -> CmdResult {
        Ok(Outcome::default())
    }

    /// GOOD or CHECK CONDITION after moving `moved` bytes.
    pub(crate) fn with(moved: usize, sense: Option<Sense>) -> CmdResult {
        Ok(Outcome { moved, sense })
    }
}

/// Sense with `key` and an ASC/ASCQ pair.
pub(crate) fn sense(key: SenseKey, (a, q): (u8, u8)) -> Sense {
    Sense::new(key, a, q)
}

/// ILLEGAL REQUEST, 24/00, field pointer into the CDB.
pub(crate) fn invalid_cdb(byte: u16, bit: Option<u8>) -> Sense {
    sense(SenseKey::IllegalRequest, asc::INVALID_FIELD_IN_CDB).with_field_pointer(FieldPointer {
        in_cdb: true,
        bit,
        byte,
    })
}

/// ILLEGAL REQUEST, 26/00, field pointer into the parameter list.
pub(crate) fn invalid_param(byte: usize, bit: Option<u8>) -> Sense {
    sense(SenseKey::IllegalRequest, asc::INVALID_FIELD_IN_PARAMETERS).with_field_pointer(
        FieldPointer {
            in_cdb: false,
            bit,
            byte: u16::try_from(byte).unwrap_or(u16::MAX),
        },
    )
}

/// ILLEGAL REQUEST, 1A/00 (the data-out buffer does not hold the announced length).
pub(crate) fn parameter_list_length() -> Sense {
    sense(SenseKey::IllegalRequest, asc::PARAMETER_LIST_LENGTH)
}

/// ILLEGAL REQUEST, 20/00, field pointer on the operation code.
pub(crate) fn invalid_opcode() -> Sense {
    sense(SenseKey::IllegalRequest, asc::INVALID_OPCODE).with_field_pointer(FieldPointer {
        in_cdb: true,
        bit: None,
        byte: 0,
    })
}

/// NOT READY, 3A/00.
pub(crate) fn not_present() -> Sense {
    sense(SenseKey::NotReady, asc::MEDIUM_NOT_PRESENT)
}

/// UNIT ATTENTION, 29/00 (power on).
pub(crate) fn power_on() -> Sense {
    sense(SenseKey::UnitAttention, asc::POWER_ON)
}

/// DATA PROTECT, 27/00.
pub(crate) fn write_protected() -> Sense {
    sense(SenseKey::DataProtect, asc::WRITE_PROTECTED)
}

/// BLANK CHECK, 00/05 (end of data met on READ, SPACE or LOCATE).
pub(crate) fn end_of_data() -> Sense {
    sense(SenseKey::BlankCheck, asc::END_OF_DATA)
}

/// Maps a medium failure to sense. `writing` selects the write-side MEDIUM ERROR for I/O
/// failures (0C/00 instead of 11/00).
pub(crate) fn medium_failure(e: &MediumError, writing: bool) -> Sense {
    match e {
        MediumError::WriteProtected => write_protected(),
        MediumError::EndOfPartition(_) => {
            sense(SenseKey::VolumeOverflow, asc::END_OF_PARTITION).with_eom(true)
        }
        MediumError::BeyondEndOfData { .. } => end_of_data(),
        MediumError::CorruptRecord { .. } => {
            sense(SenseKey::MediumError, asc::UNRECOVERED_READ_ERROR)
        }
        MediumError::Io(_) if writing => sense(SenseKey::MediumError, asc::WRITE_ERROR),
        MediumError::Io(_) => sense(SenseKey::MediumError, asc::UNRECOVERED_READ_ERROR),
        _ => sense(SenseKey::HardwareError, asc::INTERNAL_TARGET_FAILURE),
    }
}

/// The data-in buffer (empty when the caller gave another direction).
pub(crate) fn data_in<'b>(data: &'b mut DataDir<'_>) -> &'b mut [u8] {
    match data {
        DataDir::FromDevice(b) => b,
        _ => &mut [],
    }
}

/// The data-out buffer (empty when the caller gave another direction).
pub(crate) fn data_out<'b>(data: &'b DataDir<'_>) -> &'b [u8] {
    match data {
        DataDir::ToDevice(b) => b,
        _ => &[],
    }
}

/// The first `len` bytes of the data-out buffer, or 1A/00 when fewer were sent.
pub(crate) fn parameter_list<'b>(data: &'b DataDir<'_>, len: usize) -> Result<&'b [u8], Sense> {
    data_out(data).get(..len).ok_or_else(parameter_list_length)
}

/// Returns `reply` as data-in, cut to the allocation length and the buffer (SPC-4 §4.2.5.6).
pub(crate) fn reply(data: &mut DataDir<'_>, reply: &[u8], allocation: usize) -> CmdResult {
    let buf = data_in(data);
    let n = reply.len().min(allocation).min(buf.len());
    if let (Some(dst), Some(src)) = (buf.get_mut(..n), reply.get(..n)) {
        dst.copy_from_slice(src);
    }
    Outcome::with(n, None)
}

/// Informational sense (NO SENSE) with an ASC/ASCQ pair and INFORMATION.
pub(crate) fn info(pair: (u8, u8), information: i64) -> Sense {
    sense(SenseKey::NoSense, pair).with_information(information)
}

/// Converts a count to INFORMATION (saturating; the fixed format drops VALID above 32 bits).
pub(crate) fn residue(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
