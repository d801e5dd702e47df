//! How st turns SCSI failures into errno values (kernel `st_chk_result` and the callers):
//! everything that is not NO SENSE / RECOVERED ERROR is EIO, except a missing cartridge
//! (NOT READY, ASC 3Ah), which I/O reports as ENOMEDIUM, and an OS-level failure, which
//! keeps its own errno.

use nix::errno::Errno;
use scsi_sg::ScsiError;
use tape_io::TapeError;

/// ASC 3Ah: medium not present (SPC-4 Annex D).
pub(crate) const ASC_MEDIUM_NOT_PRESENT: u8 = 0x3A;
/// ASC 28h: not ready to ready change, medium may have changed.
pub(crate) const ASC_MEDIUM_MAY_HAVE_CHANGED: u8 = 0x28;
/// ASC 29h: power on, reset, or bus device reset occurred.
pub(crate) const ASC_POWER_ON_RESET: u8 = 0x29;

/// EIO.
pub(crate) fn eio() -> TapeError {
    TapeError::Os(Errno::EIO)
}

/// The errno st returns for a failed command.
pub(crate) fn from_scsi(e: &ScsiError) -> TapeError {
    match e {
        ScsiError::NotReady(s) if s.asc == ASC_MEDIUM_NOT_PRESENT => TapeError::NoMedium,
        ScsiError::Io(io) => TapeError::Os(io.raw_os_error().map_or(Errno::EIO, Errno::from_raw)),
        _ => eio(),
    }
}

/// The errno st returns for a failed write: DATA PROTECT is EACCES.
pub(crate) fn from_scsi_write(e: &ScsiError) -> TapeError {
    match e {
        ScsiError::DataProtect(_) => TapeError::WriteProtected(Errno::EACCES),
        other => from_scsi(other),
    }
}
