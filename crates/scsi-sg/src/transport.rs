//! The [`Transport`] trait: execute one SCSI command and report how it completed.
//!
//! A transport moves a CDB and its data to a device and returns a [`Completion`]: the SAM
//! status byte, the host and driver status of the path, the residual and the decoded sense.
//! [`Completion::check`] turns that into `Ok(info)` or a typed [`ScsiError`], following the
//! rule of SPC and the Linux SG driver (`reference/scsi.md` §8): success is status GOOD with
//! host and driver status OK; CHECK CONDITION with NO SENSE or RECOVERED ERROR is information
//! (filemark, early warning, short block), not failure.

use std::time::Duration;

use crate::error::ScsiError;
use crate::sense::{Sense, SenseKey};

/// Direction and buffer of a command's data phase.
#[derive(Debug)]
pub enum DataDir<'a> {
    /// No data phase.
    None,
    /// Data comes from the device into this buffer (data-in).
    FromDevice(&'a mut [u8]),
    /// Data goes from this buffer to the device (data-out).
    ToDevice(&'a [u8]),
}

impl DataDir<'_> {
    /// Length of the data buffer in bytes (0 for [`DataDir::None`]).
    pub fn len(&self) -> usize {
        match self {
            DataDir::None => 0,
            DataDir::FromDevice(b) => b.len(),
            DataDir::ToDevice(b) => b.len(),
        }
    }

    /// True when there is no data to move.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How long a command may take, by class. Tape motion can take minutes; queries should not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeoutClass {
    /// INQUIRY, TEST UNIT READY, REQUEST SENSE, READ POSITION, LOG SENSE: 30 s.
    Query,
    /// MODE SENSE/SELECT, READ BLOCK LIMITS, REPORT DENSITY SUPPORT, attributes, security: 60 s.
    Config,
    /// READ, WRITE, WRITE FILEMARKS, SPACE, LOCATE, REWIND, LOAD/UNLOAD: 900 s (st's default).
    Motion,
    /// ERASE and FORMAT MEDIUM (LTO-9 media optimisation runs up to two hours): 14 400 s.
    Long,
}

impl TimeoutClass {
    /// The timeout of this class.
    pub const fn duration(self) -> Duration {
        match self {
            TimeoutClass::Query => Duration::from_secs(30),
            TimeoutClass::Config => Duration::from_secs(60),
            TimeoutClass::Motion => Duration::from_secs(900),
            TimeoutClass::Long => Duration::from_secs(14_400),
        }
    }
}

/// One SCSI command to execute.
#[derive(Debug)]
pub struct Command<'a> {
    /// The command descriptor block (6, 10, 12 or 16 bytes).
    pub cdb: &'a [u8],
    /// The data phase.
    pub data: DataDir<'a>,
    /// How long the transport waits before aborting the command.
    pub timeout: Duration,
}

impl<'a> Command<'a> {
    /// A command with the timeout of `class`.
    pub fn new(cdb: &'a [u8], data: DataDir<'a>, class: TimeoutClass) -> Self {
        Command {
            cdb,
            data,
            timeout: class.duration(),
        }
    }
}

/// SAM status byte (SAM-5 §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScsiStatus(pub u8);

impl ScsiStatus {
    /// GOOD.
    pub const GOOD: ScsiStatus = ScsiStatus(0x00);
    /// CHECK CONDITION: sense data describe what happened.
    pub const CHECK_CONDITION: ScsiStatus = ScsiStatus(0x02);
    /// CONDITION MET.
    pub const CONDITION_MET: ScsiStatus = ScsiStatus(0x04);
    /// BUSY.
    pub const BUSY: ScsiStatus = ScsiStatus(0x08);
    /// RESERVATION CONFLICT.
    pub const RESERVATION_CONFLICT: ScsiStatus = ScsiStatus(0x18);
    /// TASK SET FULL.
    pub const TASK_SET_FULL: ScsiStatus = ScsiStatus(0x28);
    /// ACA ACTIVE.
    pub const ACA_ACTIVE: ScsiStatus = ScsiStatus(0x30);
    /// TASK ABORTED.
    pub const TASK_ABORTED: ScsiStatus = ScsiStatus(0x40);
}

/// How a command completed, as the transport reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// SAM status byte.
    pub status: ScsiStatus,
    /// Host adapter status (Linux `DID_*`; 0 = OK).
    pub host_status: u16,
    /// Driver status (Linux `DRIVER_*` in the low nibble; 0 = OK, 6 = timeout).
    pub driver_status: u16,
    /// Decoded sense data, when the device returned any.
    pub sense: Option<Sense>,
    /// Raw sense bytes as returned (empty when none).
    pub sense_bytes: Vec<u8>,
    /// Requested data length minus bytes actually moved.
    pub residual: usize,
}

/// What a successful command may still report: a filemark, early warning, a short block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompletionInfo {
    /// Informational sense (key NO SENSE or RECOVERED ERROR), if any.
    pub sense: Option<Sense>,
    /// Requested data length minus bytes actually moved.
    pub residual: usize,
}

impl Completion {
    /// A GOOD completion with no sense and no residual (for emulators and tests).
    pub fn good() -> Self {
        Completion {
            status: ScsiStatus::GOOD,
            host_status: 0,
            driver_status: 0,
            sense: None,
            sense_bytes: Vec::new(),
            residual: 0,
        }
    }

    /// Classify the completion: `Ok` for GOOD, or for CHECK CONDITION whose sense key is
    /// NO SENSE or RECOVERED ERROR (information such as FILEMARK, EOM, ILI); a typed error
    /// otherwise.
    pub fn check(self) -> Result<CompletionInfo, ScsiError> {
        const DRIVER_TIMEOUT: u16 = 0x06;
        const DID_TIME_OUT: u16 = 0x03;
        if self.host_status == DID_TIME_OUT || (self.driver_status & 0x0f) == DRIVER_TIMEOUT {
            return Err(ScsiError::Timeout);
        }
        // DRIVER_SENSE (8) only says that sense is present; other driver codes are failures.
        let driver = self.driver_status & 0x0f;
        if self.host_status != 0 || (driver != 0 && driver != 0x08) {
            return Err(ScsiError::Transport {
                host_status: self.host_status,
                driver_status: self.driver_status,
            });
        }
        match self.status {
            ScsiStatus::GOOD | ScsiStatus::CONDITION_MET => Ok(CompletionInfo {
                sense: self.sense,
                residual: self.residual,
            }),
            ScsiStatus::CHECK_CONDITION => match self.sense {
                None => Err(ScsiError::NoSense),
                Some(s) if matches!(s.key, SenseKey::NoSense | SenseKey::RecoveredError) => {
                    Ok(CompletionInfo {
                        sense: Some(s),
                        residual: self.residual,
                    })
                }
                Some(s) => Err(ScsiError::from_sense(s)),
            },
            ScsiStatus::BUSY | ScsiStatus::TASK_SET_FULL => Err(ScsiError::Busy),
            ScsiStatus::RESERVATION_CONFLICT => Err(ScsiError::ReservationConflict),
            other => Err(ScsiError::Status(other.0)),
        }
    }
}

/// Something that executes SCSI commands: [`crate::SgDevice`] over SG_IO, or an emulator.
pub trait Transport {
    /// Execute one command. `Err` means the command could not be issued at all (the OS call
    /// failed); a command that ran and failed returns `Ok` with a non-GOOD [`Completion`].
    fn execute(&mut self, cmd: Command<'_>) -> std::io::Result<Completion>;

    /// Execute and classify: `Ok` with any informational sense, or a typed error.
    fn run(&mut self, cmd: Command<'_>) -> Result<CompletionInfo, ScsiError> {
        self.execute(cmd).map_err(ScsiError::Io)?.check()
    }
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn execute(&mut self, cmd: Command<'_>) -> std::io::Result<Completion> {
        (**self).execute(cmd)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn execute(&mut self, cmd: Command<'_>) -> std::io::Result<Completion> {
        (**self).execute(cmd)
    }
}
