//! Errors of the archive writer.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong while writing an archive.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The blocking factor is 0 or makes a record larger than the writer supports.
    #[error("invalid blocking factor {0} (must be 1..={max})", max = crate::writer::MAX_BLOCKING_FACTOR)]
    BlockingFactor(u32),
    /// The volume label is empty, contains NUL, or (gnu format) is longer than GNU tar's
    /// limit of 99 bytes; pax labels may be longer.
    #[error(
        "volume label is {0} bytes long or contains NUL (gnu format: 1..=99 bytes, pax: 1 or more)"
    )]
    LabelLength(usize),
    /// An `--exclude` pattern contains a NUL byte.
    #[error("invalid exclude pattern {0:?}")]
    InvalidPattern(String),
    /// The archive name is empty or contains a NUL byte.
    #[error("invalid member name {0:?}")]
    InvalidName(PathBuf),
    /// The file is of a type this writer does not archive yet (device, FIFO, socket).
    #[error("{0}: unsupported file type")]
    UnsupportedType(PathBuf),
    /// A file ended before the size recorded in its header had been read; the archive
    /// written so far is not usable.
    #[error("{path}: file shrank while being read ({read} of {expected} bytes)")]
    FileShrank {
        /// The file.
        path: PathBuf,
        /// Size stored in the header.
        expected: u64,
        /// Bytes actually read.
        read: u64,
    },
    /// Reading a file or its metadata failed.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// Writing to the sink failed.
    #[error("writing the archive: {0}")]
    Write(#[source] io::Error),
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;
