//! What `mt` needs from the operating system, behind a trait so that the command logic can
//! run against a fake drive in tests: opening the tape (and, for the log commands, the same
//! node for SG_IO), `$TAPE`, stat(2) of a path and reading sysfs. [`LinuxSystem`] is the real
//! thing: it opens devices through the tools' one opener ([`crate::device`]), so a kernel
//! tape node goes through tape-io's `StTape` (and scsi-sg's `SgDevice` for pass-through) and a
//! `.vtape` file through the in-process emulated drive.

use std::os::unix::fs::{FileTypeExt, MetadataExt};

use nix::errno::Errno;
use scsi_sg::Transport;
use tape_io::{OpenMode, Tape, TapeError};

use crate::device::{self, OpenError};

/// stat(2) facts about a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathInfo {
    /// `S_ISCHR(st_mode)`.
    pub is_char_device: bool,
    /// `st_mode & S_IFCHR` is non-zero (mt-st's `stshowoptions` test, which block devices pass).
    pub has_char_bit: bool,
    /// Minor number of `st_rdev`.
    pub minor: u32,
}

/// The operating-system services `mt` uses.
pub trait System {
    /// The tape handle [`open_tape`](Self::open_tape) returns.
    type Tape: Tape;

    /// The SCSI pass-through handle [`open_transport`](Self::open_transport) returns.
    type Transport: Transport;

    /// Open the tape device. Errors are [`TapeError::Open`] with open(2)'s errno when the open
    /// itself failed (exit 1), or another [`TapeError`] when the path opened but is no tape
    /// (exit 2, as mt-st's first ioctl on it would fail).
    fn open_tape(&mut self, path: &str, mode: OpenMode) -> Result<Self::Tape, TapeError>;

    /// Open the same device for SCSI pass-through (SG_IO on a device node: read-write and
    /// non-blocking, read-only when refused; the emulated drive for a `.vtape`). Errors carry
    /// open(2)'s errno (ENOTTY when the path is no tape at all).
    fn open_transport(&mut self, path: &str) -> Result<Self::Transport, Errno>;

    /// The value of `$TAPE`, if set.
    fn tape_env(&self) -> Option<String>;

    /// stat(2) of `path` (following symbolic links).
    fn stat(&self, path: &str) -> Result<PathInfo, Errno>;

    /// The contents of a (sysfs) text file, `None` if it cannot be read.
    fn read_text(&self, path: &str) -> Option<String>;
}

/// The real system: devices through [`crate::device`], the process environment, the file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct LinuxSystem;

impl System for LinuxSystem {
    type Tape = Box<dyn Tape>;
    type Transport = Box<dyn Transport>;

    fn open_tape(&mut self, path: &str, mode: OpenMode) -> Result<Box<dyn Tape>, TapeError> {
        device::open_tape(path, mode).map_err(|e| match e {
            OpenError::Os(errno) => TapeError::Open(errno),
            // mt-st opens anything and its first ioctl fails with ENOTTY.
            OpenError::NotATape => TapeError::Os(Errno::ENOTTY),
            OpenError::Tape(t) => t,
            OpenError::Vtape(m) => TapeError::Backend(m),
        })
    }

    fn open_transport(&mut self, path: &str) -> Result<Box<dyn Transport>, Errno> {
        device::open_transport(path).map_err(|e| match e {
            OpenError::NotATape => Errno::ENOTTY,
            other => other.errno().unwrap_or(Errno::EIO),
        })
    }

    fn tape_env(&self) -> Option<String> {
        std::env::var_os("TAPE").map(|v| v.to_string_lossy().into_owned())
    }

    fn stat(&self, path: &str) -> Result<PathInfo, Errno> {
        let meta = std::fs::metadata(path)
            .map_err(|e| Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)))?;
        Ok(PathInfo {
            is_char_device: meta.file_type().is_char_device(),
            has_char_bit: meta.mode() & libc::S_IFCHR != 0,
            minor: nix::sys::stat::minor(meta.rdev()) as u32,
        })
    }

    fn read_text(&self, path: &str) -> Option<String> {
        std::fs::read(path)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }
}
