//! Errors of tape operations, with the errno kept for perror-style messages.

use nix::errno::Errno;

/// Why a tape operation failed.
#[derive(Debug, thiserror::Error)]
pub enum TapeError {
    /// open(2) failed.
    #[error("{}", .0.desc())]
    Open(Errno),
    /// An operation failed with this errno (the kernel's answer, unchanged).
    #[error("{}", .0.desc())]
    Os(Errno),
    /// A variable-mode read met a record longer than the buffer (ENOMEM); the record is lost
    /// and the tape is positioned after it.
    #[error("record longer than the read buffer of {buffer} bytes")]
    RecordTooLong {
        /// Size of the buffer that was offered.
        buffer: usize,
    },
    /// No medium in the drive (ENOMEDIUM).
    #[error("{}", Errno::ENOMEDIUM.desc())]
    NoMedium,
    /// The medium is write protected (EACCES / EROFS on write).
    #[error("{}", .0.desc())]
    WriteProtected(Errno),
    /// The request itself is invalid for this device (EINVAL), e.g. a write size that is not a
    /// multiple of the fixed block size.
    #[error("{}", Errno::EINVAL.desc())]
    InvalidArgument,
    /// The operation is not supported (ENOSYS).
    #[error("{}", Errno::ENOSYS.desc())]
    NotSupported,
    /// A backend-specific failure with no errno (an emulator's medium file, for instance).
    #[error("{0}")]
    Backend(String),
}

impl TapeError {
    /// Classify an errno from an ioctl, read or write.
    pub fn from_errno(e: Errno) -> TapeError {
        match e {
            Errno::ENOMEDIUM => TapeError::NoMedium,
            Errno::EINVAL => TapeError::InvalidArgument,
            Errno::ENOSYS => TapeError::NotSupported,
            e => TapeError::Os(e),
        }
    }

    /// Classify an errno from a write or a tape operation: EACCES and EROFS mean the medium
    /// is write protected (st answers EACCES to writes, MTWEOF and MTERASE on a protected
    /// tape); everything else as [`TapeError::from_errno`].
    pub fn from_write_errno(e: Errno) -> TapeError {
        match e {
            Errno::EACCES | Errno::EROFS => TapeError::WriteProtected(e),
            e => TapeError::from_errno(e),
        }
    }

    /// The errno behind this error, if there is one (for perror-style messages and exit codes).
    pub fn errno(&self) -> Option<Errno> {
        match self {
            TapeError::Open(e) | TapeError::Os(e) | TapeError::WriteProtected(e) => Some(*e),
            TapeError::RecordTooLong { .. } => Some(Errno::ENOMEM),
            TapeError::NoMedium => Some(Errno::ENOMEDIUM),
            TapeError::InvalidArgument => Some(Errno::EINVAL),
            TapeError::NotSupported => Some(Errno::ENOSYS),
            TapeError::Backend(_) => None,
        }
    }
}
