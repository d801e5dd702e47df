//! The producer's side of the pipeline: an [`io::Write`] into the stream-buffer ring
//! (`reference/tar-format.md` §11: "ring of fixed 256 KiB record buffers"). Each ring block is
//! one record, so whole records written here reach the sink as whole records.

use std::io::{self, ErrorKind, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use stream_buffer::{Error as RingError, Monitor, Producer, Stats};

/// State the writer thread shares with the producer and the status display.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    /// Records the sink accepted.
    pub(crate) records: AtomicU64,
    /// Bytes the sink accepted.
    pub(crate) bytes: AtomicU64,
    /// 1 + the record number at which the sink first reported early warning; 0 = not yet.
    pub(crate) early_warning: AtomicU64,
    /// The sink failed (set before the writer thread lets go of the ring).
    pub(crate) failed: AtomicBool,
    /// The sink's error message, for the producer's error.
    pub(crate) failure: Mutex<Option<String>>,
}

impl Shared {
    pub(crate) fn set_failure(&self, msg: String) {
        *self.failure.lock().unwrap_or_else(PoisonError::into_inner) = Some(msg);
        self.failed.store(true, Ordering::Release);
    }

    fn failure(&self) -> Option<String> {
        self.failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// A live view of a running pipeline for a status display thread: ring fill and counters,
/// what the sink has written, early warning. Cheap to clone; keeps the ring memory alive
/// while it exists.
#[derive(Clone)]
pub struct Progress {
    monitor: Monitor,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("records_written", &self.records_written())
            .finish_non_exhaustive()
    }
}

impl Progress {
    /// A snapshot of the ring's statistics (bytes in, fill, times empty/full, elapsed).
    pub fn ring(&self) -> Stats {
        self.monitor.stats()
    }

    /// Records the sink has accepted so far.
    pub fn records_written(&self) -> u64 {
        self.shared.records.load(Ordering::Acquire)
    }

    /// Bytes the sink has accepted so far.
    pub fn bytes_written(&self) -> u64 {
        self.shared.bytes.load(Ordering::Acquire)
    }

    /// The record number (0-based, from the start of this output) at which the sink first
    /// reported early warning.
    pub fn early_warning(&self) -> Option<u64> {
        self.shared
            .early_warning
            .load(Ordering::Acquire)
            .checked_sub(1)
    }

    /// True once the sink failed; the producer's next write will fail.
    pub fn sink_failed(&self) -> bool {
        self.shared.failed.load(Ordering::Acquire)
    }
}

/// The producer's writer: bytes written here are gathered into ring blocks of exactly one
/// record and handed to the writer thread. Writes fail (kind [`ErrorKind::BrokenPipe`]) once
/// the sink has failed, so a producer stops promptly.
pub struct RingWriter {
    producer: Producer,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for RingWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RingWriter")
            .field("record_size", &self.producer.block_size())
            .finish_non_exhaustive()
    }
}

impl RingWriter {
    pub(crate) fn new(producer: Producer, shared: Arc<Shared>) -> Self {
        RingWriter { producer, shared }
    }

    /// Record size (ring block size) in bytes.
    pub fn record_size(&self) -> usize {
        self.producer.block_size()
    }

    /// A handle for a status display thread.
    pub fn progress(&self) -> Progress {
        Progress {
            monitor: self.producer.monitor(),
            shared: Arc::clone(&self.shared),
        }
    }

    /// Ends the stream: the last partial record (if any) is committed as a short block.
    pub(crate) fn finish(self) -> Result<Stats, RingError> {
        self.producer.finish()
    }

    fn io_error(&self, e: RingError) -> io::Error {
        match e {
            RingError::NoConsumers => {
                let why = self
                    .shared
                    .failure()
                    .unwrap_or_else(|| "the writer thread stopped".to_string());
                io::Error::new(
                    ErrorKind::BrokenPipe,
                    format!("archive output failed: {why}"),
                )
            }
            RingError::Io(e) => e,
            other => io::Error::other(other),
        }
    }
}

impl Write for RingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if self.shared.failed.load(Ordering::Acquire) {
            return Err(self.io_error(RingError::NoConsumers));
        }
        self.producer.write_all(buf).map_err(|e| self.io_error(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
