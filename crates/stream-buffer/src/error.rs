//! Errors of the ring buffer.

use std::io;

/// What can go wrong building or using a ring.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The [`Config`](crate::Config) cannot describe a ring.
    #[error("invalid buffer configuration: {0}")]
    InvalidConfig(&'static str),
    /// The ring memory could not be allocated.
    #[error("cannot allocate the buffer: {0}")]
    Alloc(#[source] io::Error),
    /// `mlock(2)` of the ring memory failed (commonly `EPERM`/`ENOMEM` from `RLIMIT_MEMLOCK`).
    #[error("cannot lock the buffer in memory: {0}")]
    Mlock(#[source] io::Error),
    /// Every consumer has been dropped, so nobody will ever read what the producer writes.
    #[error("all consumers are gone")]
    NoConsumers,
    /// The producer was dropped without [`Producer::finish`](crate::Producer::finish): the
    /// stream seen by consumers is truncated.
    #[error("the producer stopped before the end of the stream")]
    ProducerAborted,
    /// [`Producer::advance`](crate::Producer::advance) was given more bytes than the spare
    /// space it handed out.
    #[error("advance of {0} bytes exceeds the spare space of the current block")]
    AdvanceTooFar(usize),
    /// Reading the producer's input failed.
    #[error("reading input: {0}")]
    Io(#[from] io::Error),
    /// A block was found in a state the ring protocol does not allow (a bug in this crate).
    #[error("internal ring state error")]
    Internal,
}
