//! Errors of tape operations, with the errno kept for perror-style messages.

use nix::errno::Errno;

/// The C library's text for `errno` (as `strerror(3)` and `perror(3)` print it, e.g.
/// "Input/output error"), which scripts that parse tape tools' messages expect.
pub fn strerror(errno: Errno) -> String {
    let code = errno as i32;
    let text = std::io::Error::from_raw_os_error(code).to_string();
    match text.strip_suffix(&format!(" (os error {code})")) {
        Some(s) => s.to_string(),
        None => text,
    }
}

/// Why a tape operation failed.
#[derive(Debug, thiserror::Error)]
pub enum TapeError {
    /// open(2) failed.
    #[error("{}", strerror(*.0))]
    Open(Errno),
    /// An operation failed with this errno (the kernel's answer, unchanged).
    #[error("{}", strerror(*.0))]
    Os(Errno),
    /// A variable-mode read met a record longer than the buffer (ENOMEM); the record is lost
    /// and the tape is positioned after it.
    #[error("record longer than the read buffer of {buffer} bytes")]
    RecordTooLong {
        /// Size of the buffer that was offered.
        buffer: usize,
    },
    /// No medium in the drive (ENOMEDIUM).
    #[error("{}", strerror(Errno::ENOMEDIUM))]
    NoMedium,
    /// The medium is write protected (EACCES / EROFS on write).
    #[error("{}", strerror(*.0))]
    WriteProtected(Errno),
    /// The request itself is invalid for this device (EINVAL), e.g. a write size that is not a
    /// multiple of the fixed block size.
    #[error("{}", strerror(Errno::EINVAL))]
    InvalidArgument,
    /// The operation is not supported (ENOSYS).
    #[error("{}", strerror(Errno::ENOSYS))]
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
