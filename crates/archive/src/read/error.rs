//! Errors of the tar reader. Every variant that concerns a header names its 512-byte block
//! number from the start of the archive (GNU `-R` numbering).

use std::io;

/// Everything that can go wrong while reading an archive.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The record size given to the reader is 0 or not a multiple of 512.
    #[error("invalid record size {0} (must be a non-zero multiple of 512)")]
    RecordSize(usize),
    /// Reading from the source failed.
    #[error("reading the archive: {0}")]
    Io(#[source] io::Error),
    /// A header's stored checksum matches neither the unsigned nor the signed byte sum.
    #[error("block {block}: header checksum error (stored {stored:?}, computed {computed})")]
    Checksum {
        /// Block number of the header.
        block: u64,
        /// Stored checksum, `None` if the field is not a number.
        stored: Option<u64>,
        /// Unsigned byte sum of the block.
        computed: u64,
    },
    /// A numeric header field holds something that is neither octal nor base-256, or a value
    /// out of range for the field (a negative size, a uid beyond 64 bits, ...).
    #[error("block {block}: invalid {field} field")]
    BadNumber {
        /// Block number of the header.
        block: u64,
        /// Field name (`size`, `mtime`, `uid`, ...).
        field: &'static str,
    },
    /// A pax extended header (`'x'`/`'g'`) is malformed.
    #[error("block {block}: malformed pax extended header ({reason})")]
    BadPaxHeader {
        /// Block number of the extended header.
        block: u64,
        /// What is wrong.
        reason: &'static str,
    },
    /// A GNU long name/link or pax header claims more data than the reader accepts.
    #[error("block {block}: {what} of {size} bytes is too long (limit {limit})")]
    TooLong {
        /// Block number of the header.
        block: u64,
        /// `long name`, `long link name` or `pax header`.
        what: &'static str,
        /// Size claimed by the header.
        size: u64,
        /// Largest size accepted.
        limit: u64,
    },
    /// A GNU long name/link or pax header is not followed by a member header.
    #[error("block {block}: {what} is not followed by a member header")]
    Orphan {
        /// Block number of the dangling header.
        block: u64,
        /// `long name`, `long link name` or `pax header`.
        what: &'static str,
    },
    /// The source ended inside a header or member data (`Unexpected EOF in archive`).
    #[error("block {block}: unexpected end of archive data")]
    Truncated {
        /// Block at which more data was expected.
        block: u64,
    },
    /// The source ended at a header boundary without the end-of-archive zero block.
    #[error("block {block}: archive ends without an end-of-archive marker")]
    MissingEnd {
        /// Block where a header or the zero block was expected.
        block: u64,
    },
    /// An earlier error left the reader at an unknown position; it reads no further.
    #[error("the archive reader stopped after an earlier error")]
    Failed,
}

impl From<ReadError> for io::Error {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io(inner) => inner,
            ReadError::Truncated { .. } | ReadError::MissingEnd { .. } => {
                io::Error::new(io::ErrorKind::UnexpectedEof, e)
            }
            other => io::Error::new(io::ErrorKind::InvalidData, other),
        }
    }
}
