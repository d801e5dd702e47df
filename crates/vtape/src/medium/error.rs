//! Errors of the medium (cartridge) file.
//!
//! Every kind of damage the parsers can detect has its own variant that names the problem, so
//! the `Drive` can map it to SCSI sense (e.g. `CorruptRecord` → MEDIUM ERROR 03/11/00
//! "unrecovered read error") and tools can print something useful.

use std::io;

/// Result type of the medium API.
pub type Result<T> = std::result::Result<T, MediumError>;

/// Everything that can go wrong when opening, reading or writing a medium file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MediumError {
    /// An I/O error from the operating system.
    #[error("medium file I/O error: {0}")]
    Io(#[from] io::Error),
    /// Another process (or another handle in this process) holds the medium file.
    #[error("device busy: the medium file is in use by another process")]
    Busy,
    /// The file does not start with the medium magic: it is not a vtape medium.
    #[error("not a vtape medium file (bad magic)")]
    BadMagic,
    /// The file was written by a newer (or unknown) format version.
    #[error("unsupported medium file format version {0}")]
    UnsupportedVersion(u32),
    /// The fixed header fails its CRC or holds inconsistent values.
    #[error("corrupt medium header: {0}")]
    CorruptHeader(&'static str),
    /// Neither of the two state slots is valid.
    #[error("corrupt medium state: both state slots are damaged")]
    CorruptState,
    /// The index checkpoint is damaged. `Medium::open` never returns this (it falls back to
    /// a full scan of the log); `check_bytes` reports it in its summary.
    #[error("corrupt index checkpoint: {0}")]
    CorruptIndex(&'static str),
    /// An entry header in the middle of the log is damaged (not a torn tail).
    #[error("corrupt log entry at byte offset {offset}: {reason}")]
    CorruptLog {
        /// File offset of the damaged entry.
        offset: u64,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The stored bytes of one record fail their checksum or do not match the index.
    #[error("corrupt record: partition {partition}, object {object}")]
    CorruptRecord {
        /// Partition of the record.
        partition: u8,
        /// Logical object number of the record in its partition.
        object: u64,
    },
    /// The file is shorter than its fixed header and state slots.
    #[error("truncated medium file: {actual} bytes, at least {expected} needed")]
    Truncated {
        /// Minimum length of a medium file.
        expected: u64,
        /// Actual length.
        actual: u64,
    },
    /// The medium is write protected.
    #[error("medium is write protected")]
    WriteProtected,
    /// Writing would pass the physical end of the partition; nothing was written.
    #[error("end of partition {0}: no room for the object")]
    EndOfPartition(u8),
    /// The partition does not exist on this medium.
    #[error("no partition {0} on this medium")]
    NoSuchPartition(u8),
    /// The position is past the end of data of its partition.
    #[error("object {object} is beyond end of data ({eod}) of partition {partition}")]
    BeyondEndOfData {
        /// Partition.
        partition: u8,
        /// Requested object number.
        object: u64,
        /// Current end of data (object count).
        eod: u64,
    },
    /// `read_record` was asked for an object that is a filemark.
    #[error("object {object} of partition {partition} is a filemark, not a record")]
    NotARecord {
        /// Partition.
        partition: u8,
        /// Object number.
        object: u64,
    },
    /// A record is larger than [`MAX_RECORD_LEN`](crate::medium::MAX_RECORD_LEN).
    #[error("record of {0} bytes is too large")]
    RecordTooLarge(usize),
    /// Per-record metadata is larger than [`MAX_METADATA_LEN`](crate::medium::MAX_METADATA_LEN).
    #[error("record metadata of {0} bytes is too large")]
    MetadataTooLarge(usize),
    /// The drive state blob is larger than [`MAX_DRIVE_STATE_LEN`](crate::medium::MAX_DRIVE_STATE_LEN).
    #[error("drive state of {0} bytes is too large")]
    DriveStateTooLarge(usize),
    /// Cartridge memory snapshots were recorded but none is intact (every one fails its
    /// checks); the data on the medium is unaffected.
    #[error("corrupt cartridge memory (MAM): {0}")]
    CorruptMam(&'static str),
    /// A cartridge memory blob is larger than [`MAX_MAM_LEN`](crate::medium::MAX_MAM_LEN).
    #[error("cartridge memory of {0} bytes is too large")]
    MamTooLarge(usize),
    /// A configuration or format request is invalid.
    #[error("invalid medium configuration: {0}")]
    InvalidConfig(&'static str),
}
