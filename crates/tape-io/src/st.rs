//! [`StTape`]: the [`Tape`] trait on a Linux st(4) node (`/dev/nstN`), with MTIOCTOP, MTIOCGET,
//! MTIOCPOS and read(2)/write(2) of records.
//!
//! Driver behaviours this backend surfaces (`reference/st-driver.md` §4, §5, §7):
//!
//! - **Nodes.** Use `/dev/nstN`; `/dev/stN` rewinds when the descriptor is closed.
//! - **Open.** `O_RDONLY` or `O_RDWR`, `O_NONBLOCK` when [`OpenMode::nonblock`] (st then does
//!   not wait for the drive to become ready; with no tape, later I/O fails with ENOMEDIUM), and
//!   always `O_CLOEXEC`. `O_NONBLOCK` stays set on the descriptor for every later call.
//! - **Filemark at close.** If the last operation was a write, closing the descriptor (dropping
//!   the `StTape`) makes st write one filemark (two with the `two-fms` option), except right
//!   after MTWEOFI. MTREW, MTOFFL, MTSEEK, MTBSF and MTBSFM after a write also write one first.
//! - **Records.** In variable-block mode one read(2) or write(2) is one tape block. A write is
//!   then all or nothing, so [`WriteOutcome::Written`] carries a short count only in fixed-block
//!   mode, where st returns the bytes written before the end of medium.
//! - **Filemarks and end of data.** A read returning 0 is a filemark ([`ReadOutcome::Filemark`]);
//!   a second 0 with no data between is end of data ([`ReadOutcome::EndOfData`]), and so is
//!   EIO when MTIOCGET then reports GMT_EOD (BLANK CHECK with no filemark just before). Hence
//!   an empty file (two adjacent filemarks) also reads as end of data; MTFSF passes it.
//! - **Record too long.** A variable-mode read with a buffer shorter than the block fails with
//!   ENOMEM ([`TapeError::RecordTooLong`]); st has already moved past the block, its data is
//!   lost. Size buffers to the largest record (READ BLOCK LIMITS maximum).
//! - **Early warning.** The write that crosses early warning succeeds; the next one fails with
//!   ENOSPC ([`WriteOutcome::NoSpace`]); after that writes alternate between success and ENOSPC
//!   until the physical end. One `NoSpace` is soft, two in a row mean the end.
//!   GMT_EOT is only visible through MTIOCGET, which costs a syscall and clears st's soft error
//!   counter, so `StTape` does not ask after every write. It asks after the first successful
//!   write that follows an ENOSPC, and after a short write; once GMT_EOT was seen, successful
//!   writes are reported as [`WriteOutcome::EarlyWarning`] without asking, until a read or an
//!   operation that repositions the tape. The write that first crosses early warning is thus
//!   reported as `Written`; the `NoSpace` after it is the signal.
//! - **Soft error counter.** MTIOCGET clears it; besides [`Tape::status`], `StTape` calls
//!   MTIOCGET only on a read EIO and in the early-warning check above.
//! - **SG_IO on the same descriptor** ([`StTape::fd`]) needs CAP_SYS_RAWIO and leaves st's
//!   file/block numbers and EOF state stale: re-read the position ([`Tape::tell`]) after
//!   passthrough commands that move the tape, and call [`StTape::reset_tracking`].

use std::fs::OpenOptions;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use nix::errno::Errno;

use crate::error::TapeError;
use crate::op::MtOp;
use crate::status::{GmtFlags, RawStatus, TapeStatus};
use crate::sys;
use crate::tape::{OpenMode, ReadOutcome, Tape, WriteOutcome};

/// What `StTape` knows about early warning on write (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum EarlyWarning {
    /// No sign of early warning: report writes as `Written` without asking.
    #[default]
    NotSeen,
    /// The last write failed with ENOSPC: ask MTIOCGET after the next successful write.
    CheckNextWrite,
    /// GMT_EOT was seen: report successful writes as `EarlyWarning`.
    Past,
}

/// A tape drive behind an st(4) character device.
#[derive(Debug)]
pub struct StTape {
    fd: OwnedFd,
    /// The previous call was a read that returned 0 (a filemark).
    last_read_zero: bool,
    early_warning: EarlyWarning,
}

/// The errno of an I/O error from std (EIO if, impossibly, there is none).
fn errno_of(e: &std::io::Error) -> Errno {
    Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO))
}

/// True for operations after which the tape is still where the last write left it, so a
/// known early-warning state stays valid.
fn keeps_write_position(op: MtOp) -> bool {
    matches!(
        op,
        MtOp::Weof
            | MtOp::WeofI
            | MtOp::Wsm
            | MtOp::Nop
            | MtOp::SetBlk
            | MtOp::SetDensity
            | MtOp::SetDrvBuffer
            | MtOp::Compression
            | MtOp::Lock
            | MtOp::Unlock
    )
}

impl StTape {
    /// Open a tape device: `O_RDWR` if `mode.write` else `O_RDONLY`, plus `O_NONBLOCK` if
    /// `mode.nonblock`, and `O_CLOEXEC`. A failure is [`TapeError::Open`] with open(2)'s errno.
    pub fn open(path: impl AsRef<Path>, mode: OpenMode) -> Result<StTape, TapeError> {
        let flags = if mode.nonblock { libc::O_NONBLOCK } else { 0 };
        let file = OpenOptions::new()
            .read(true)
            .write(mode.write)
            .custom_flags(flags)
            .open(path)
            .map_err(|e| TapeError::Open(errno_of(&e)))?;
        Ok(StTape::from_fd(OwnedFd::from(file)))
    }

    /// Wrap an already open descriptor (of an st node, for the ioctls to mean anything).
    pub fn from_fd(fd: OwnedFd) -> StTape {
        StTape {
            fd,
            last_read_zero: false,
            early_warning: EarlyWarning::NotSeen,
        }
    }

    /// The descriptor, e.g. for SG_IO through `scsi-sg` (see the module docs on stale state).
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    /// Give up the descriptor without closing it. Closing it later after a write still makes
    /// st write a filemark.
    pub fn into_fd(self) -> OwnedFd {
        self.fd
    }

    /// Forget what `StTape` tracked from earlier calls (a filemark just read, early warning
    /// seen). Call it after moving the tape behind st's back, e.g. with SG_IO.
    pub fn reset_tracking(&mut self) {
        self.last_read_zero = false;
        self.early_warning = EarlyWarning::NotSeen;
    }

    /// MTIOCGET without touching the tracked state.
    fn raw_status(&self) -> Result<TapeStatus, Errno> {
        sys::mtiocget(self.fd()).map(|g| TapeStatus::from_raw(RawStatus::from(g)))
    }

    /// True if MTIOCGET works and reports `bit`.
    fn status_has(&self, bit: u32) -> bool {
        self.raw_status().is_ok_and(|s| s.flags().contains(bit))
    }
}

impl AsFd for StTape {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for StTape {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl From<StTape> for OwnedFd {
    fn from(tape: StTape) -> OwnedFd {
        tape.into_fd()
    }
}

impl Tape for StTape {
    /// MTIOCTOP with the exact op code and count. EACCES / EROFS (st's answer to MTWEOF,
    /// MTERASE … on a protected tape) become [`TapeError::WriteProtected`].
    fn mtop(&mut self, op: MtOp, count: i32) -> Result<(), TapeError> {
        self.last_read_zero = false;
        if !keeps_write_position(op) {
            self.early_warning = EarlyWarning::NotSeen;
        }
        let raw = sys::MtOpRaw {
            mt_op: op.code(),
            mt_count: count,
        };
        sys::mtioctop(self.fd(), &raw).map_err(TapeError::from_write_errno)
    }

    /// MTIOCGET (clears st's soft error counter). Does not reset the filemark tracking: the
    /// tape does not move.
    fn status(&mut self) -> Result<TapeStatus, TapeError> {
        self.raw_status().map_err(TapeError::from_errno)
    }

    /// MTIOCPOS: READ POSITION's first block location (EIO if the drive does not know it).
    fn tell(&mut self) -> Result<u64, TapeError> {
        let pos = sys::mtiocpos(self.fd()).map_err(TapeError::from_errno)?;
        // st fills it from an unsigned 32-bit block address; a negative value cannot come
        // from st, report it as the I/O error it would be.
        u64::try_from(pos.mt_blkno).map_err(|_| TapeError::Os(Errno::EIO))
    }

    /// read(2) one record. An empty `buf` returns `Data(0)` without a syscall (st would not
    /// move the tape either) and leaves the filemark tracking as it was.
    fn read_record(&mut self, buf: &mut [u8]) -> Result<ReadOutcome, TapeError> {
        if buf.is_empty() {
            return Ok(ReadOutcome::Data(0));
        }
        self.early_warning = EarlyWarning::NotSeen;
        let after_filemark = std::mem::replace(&mut self.last_read_zero, false);
        let result = loop {
            match nix::unistd::read(self.fd.as_raw_fd(), buf) {
                Err(Errno::EINTR) => continue,
                other => break other,
            }
        };
        match result {
            Ok(0) => {
                self.last_read_zero = true;
                Ok(if after_filemark {
                    ReadOutcome::EndOfData
                } else {
                    ReadOutcome::Filemark
                })
            }
            Ok(n) => Ok(ReadOutcome::Data(n)),
            Err(Errno::ENOMEM) => Err(TapeError::RecordTooLong { buffer: buf.len() }),
            Err(Errno::EIO) if self.status_has(GmtFlags::EOD) => Ok(ReadOutcome::EndOfData),
            Err(e) => Err(TapeError::from_errno(e)),
        }
    }

    /// write(2) one record; see the module docs for early warning and ENOSPC.
    fn write_record(&mut self, buf: &[u8]) -> Result<WriteOutcome, TapeError> {
        self.last_read_zero = false;
        let written = loop {
            match nix::unistd::write(&self.fd, buf) {
                Ok(n) => break n,
                Err(Errno::EINTR) => continue,
                Err(Errno::ENOSPC) => {
                    if self.early_warning == EarlyWarning::NotSeen {
                        self.early_warning = EarlyWarning::CheckNextWrite;
                    }
                    return Ok(WriteOutcome::NoSpace);
                }
                Err(e) => return Err(TapeError::from_write_errno(e)),
            }
        };
        let ask = match self.early_warning {
            EarlyWarning::Past => return Ok(WriteOutcome::EarlyWarning(written)),
            EarlyWarning::CheckNextWrite => true,
            EarlyWarning::NotSeen => written < buf.len(),
        };
        if ask && self.status_has(GmtFlags::EOT) {
            self.early_warning = EarlyWarning::Past;
            return Ok(WriteOutcome::EarlyWarning(written));
        }
        self.early_warning = EarlyWarning::NotSeen;
        Ok(WriteOutcome::Written(written))
    }
}

#[cfg(test)]
mod tests;
