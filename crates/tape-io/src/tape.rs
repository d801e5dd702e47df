//! The [`Tape`] trait: what a program can do with a tape through st(4) (or an emulator that
//! behaves like it).

use crate::error::TapeError;
use crate::op::MtOp;
use crate::options::DrvBufferRequest;
use crate::status::TapeStatus;

/// What one record read returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOutcome {
    /// A record (variable mode) or this many bytes (fixed mode) were read.
    Data(usize),
    /// A filemark was read (st: a 0-byte read); the tape is now at the start of the next file.
    Filemark,
    /// End of recorded data (st: a second 0-byte read, or EIO with BLANK CHECK).
    EndOfData,
}

/// What one record write returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The whole record was written.
    Written(usize),
    /// The record was written, and the drive is past early warning (GMT_EOT): finish up.
    EarlyWarning(usize),
    /// st refused the write with ENOSPC after early warning; nothing was written. One
    /// `NoSpace` is soft (the next write may succeed, room for trailers); two in a row mean
    /// the physical end.
    NoSpace,
}

/// Open mode of a tape device, mirroring the flags mt-st passes to open(2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct OpenMode {
    /// Open read-write (`O_RDWR`) rather than read-only.
    pub write: bool,
    /// Do not wait for the drive to become ready (`O_NONBLOCK`).
    pub nonblock: bool,
}

/// A tape drive seen through st(4)'s model: records, filemarks, MTIOCTOP operations.
///
/// The required methods map one-to-one onto the driver's calls; the provided ones are named
/// shorthands for the MTIOCTOP operations.
pub trait Tape {
    /// Execute one MTIOCTOP operation with its count, exactly as given.
    fn mtop(&mut self, op: MtOp, count: i32) -> Result<(), TapeError>;

    /// MTIOCGET: the decoded drive status. On st, this clears the soft error counter.
    fn status(&mut self) -> Result<TapeStatus, TapeError>;

    /// MTIOCPOS: the logical block address the drive reports (READ POSITION).
    fn tell(&mut self) -> Result<u64, TapeError>;

    /// Read one record (variable mode) or up to `buf.len()` bytes (fixed mode).
    fn read_record(&mut self, buf: &mut [u8]) -> Result<ReadOutcome, TapeError>;

    /// Write one record (variable mode) or `buf.len()` bytes (fixed mode).
    fn write_record(&mut self, buf: &[u8]) -> Result<WriteOutcome, TapeError>;

    /// MTFSF: space forward over `n` filemarks.
    fn space_files_forward(&mut self, n: i32) -> Result<(), TapeError> {
        self.mtop(MtOp::Fsf, n)
    }
    /// MTBSF: space backward over `n` filemarks (ends on the BOT side of the last one).
    fn space_files_backward(&mut self, n: i32) -> Result<(), TapeError> {
        self.mtop(MtOp::Bsf, n)
    }
    /// MTFSR: space forward `n` records.
    fn space_records_forward(&mut self, n: i32) -> Result<(), TapeError> {
        self.mtop(MtOp::Fsr, n)
    }
    /// MTBSR: space backward `n` records.
    fn space_records_backward(&mut self, n: i32) -> Result<(), TapeError> {
        self.mtop(MtOp::Bsr, n)
    }
    /// MTEOM: space to end of data.
    fn space_to_eod(&mut self) -> Result<(), TapeError> {
        self.mtop(MtOp::Eom, 1)
    }
    /// MTWEOF: write `n` filemarks.
    fn write_filemarks(&mut self, n: i32) -> Result<(), TapeError> {
        self.mtop(MtOp::Weof, n)
    }
    /// MTREW: rewind.
    fn rewind(&mut self) -> Result<(), TapeError> {
        self.mtop(MtOp::Rew, 1)
    }
    /// MTOFFL: rewind and unload.
    fn offline(&mut self) -> Result<(), TapeError> {
        self.mtop(MtOp::Offl, 1)
    }
    /// MTLOAD.
    fn load(&mut self) -> Result<(), TapeError> {
        self.mtop(MtOp::Load, 1)
    }
    /// MTLOCK / MTUNLOCK.
    fn lock(&mut self, locked: bool) -> Result<(), TapeError> {
        self.mtop(if locked { MtOp::Lock } else { MtOp::Unlock }, 1)
    }
    /// MTERASE (long erase).
    fn erase(&mut self) -> Result<(), TapeError> {
        self.mtop(MtOp::Erase, 1)
    }
    /// MTSEEK: locate to logical block `block` (in the partition set by MTSETPART, if any).
    fn seek(&mut self, block: i32) -> Result<(), TapeError> {
        self.mtop(MtOp::Seek, block)
    }
    /// MTSETBLK: set the block size; 0 selects variable-block mode.
    fn set_block_size(&mut self, size: i32) -> Result<(), TapeError> {
        self.mtop(MtOp::SetBlk, size)
    }
    /// MTSETDENSITY.
    fn set_density(&mut self, code: i32) -> Result<(), TapeError> {
        self.mtop(MtOp::SetDensity, code)
    }
    /// MTCOMPRESSION.
    fn set_compression(&mut self, on: bool) -> Result<(), TapeError> {
        self.mtop(MtOp::Compression, i32::from(on))
    }
    /// MTSETPART: move to partition `p` at the next operation.
    fn set_partition(&mut self, p: i32) -> Result<(), TapeError> {
        self.mtop(MtOp::SetPart, p)
    }
    /// MTSETDRVBUFFER: drive buffer mode or st driver options (needs CAP_SYS_ADMIN on st).
    fn set_driver_options(&mut self, request: DrvBufferRequest) -> Result<(), TapeError> {
        self.mtop(MtOp::SetDrvBuffer, request.count())
    }
}

impl<T: Tape + ?Sized> Tape for &mut T {
    fn mtop(&mut self, op: MtOp, count: i32) -> Result<(), TapeError> {
        (**self).mtop(op, count)
    }
    fn status(&mut self) -> Result<TapeStatus, TapeError> {
        (**self).status()
    }
    fn tell(&mut self) -> Result<u64, TapeError> {
        (**self).tell()
    }
    fn read_record(&mut self, buf: &mut [u8]) -> Result<ReadOutcome, TapeError> {
        (**self).read_record(buf)
    }
    fn write_record(&mut self, buf: &[u8]) -> Result<WriteOutcome, TapeError> {
        (**self).write_record(buf)
    }
}

impl<T: Tape + ?Sized> Tape for Box<T> {
    fn mtop(&mut self, op: MtOp, count: i32) -> Result<(), TapeError> {
        (**self).mtop(op, count)
    }
    fn status(&mut self) -> Result<TapeStatus, TapeError> {
        (**self).status()
    }
    fn tell(&mut self) -> Result<u64, TapeError> {
        (**self).tell()
    }
    fn read_record(&mut self, buf: &mut [u8]) -> Result<ReadOutcome, TapeError> {
        (**self).read_record(buf)
    }
    fn write_record(&mut self, buf: &[u8]) -> Result<WriteOutcome, TapeError> {
        (**self).write_record(buf)
    }
}
