//! The archive-to-device pipeline of issue 8 scope 2 (`reference/tar-format.md` §10-11):
//! reading, hashing and tar formatting on the caller's thread, the stream-buffer ring in
//! between, and a writer thread doing exactly one sink write per record.
//!
//! [`run`] builds a ring of `buffer_size / record_size` blocks of one record each, starts the
//! writer thread on a [`RecordSink`] ([`FileSink`] for files, pipes and stdout, [`TapeSink`]
//! for a [`tape_io::Tape`]), and calls the producer closure with a [`RingWriter`] — an
//! [`io::Write`] to hand to [`Writer::new`](crate::Writer::new). The writer
//! thread starts at the high watermark (mbuffer `-P`; again after every underrun) and the
//! ring's statistics come back in [`PipelineStats`]: "times empty" is the shoe-shining signal
//! (star's `-fifostats`, mbuffer's summary).
//!
//! Failure handling: when the sink fails, the writer thread lets go of the ring, so the
//! producer's next write fails (kind `BrokenPipe`) and it stops promptly; both errors are
//! reported in [`PipelineError::Sink`]. When the producer fails, every whole record it had
//! written still reaches the sink, which is then finished (on tape: the filemark st would
//! write at close anyway), and the error is [`PipelineError::Producer`].
//!
//! # Example
//!
//! ```
//! use archive::pipeline::{self, FileSink, Options};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut out = FileSink::new(Vec::new());
//! let opts = Options { buffer_size: 1 << 20, ..Options::default() };
//! let (n, stats) = pipeline::run(&opts, 4096, &mut out, |w| {
//!     use std::io::Write;
//!     w.write_all(&[7u8; 10_000])?;
//!     Ok::<_, std::io::Error>(10_000)
//! })?;
//! assert_eq!(n, 10_000);
//! assert_eq!(stats.records, 3); // 4096 + 4096 + a short last block of 1808 bytes
//! assert_eq!(out.into_inner().len(), 10_000);
//! # Ok(())
//! # }
//! ```

mod ring;
mod sink;

use std::fmt::Display;
use std::io;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use stream_buffer::{buffer, Config, Consumer, Stats};

pub use ring::{Progress, RingWriter};
pub use sink::{FileSink, RecordSink, SinkOutcome, TapeSink};

use ring::Shared;

/// Default ring size: 256 MiB.
pub const DEFAULT_BUFFER_SIZE: usize = 256 << 20;

/// Ring settings of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Ring size in bytes (mbuffer `-m`); rounded down to whole records, at least two.
    pub buffer_size: usize,
    /// Percent of the ring to fill before the writer starts, and again after every underrun
    /// (mbuffer `-P`; the seed used 80 for tape). 0 starts at the first record.
    pub high_watermark: u8,
    /// Touch every page of the ring before streaming (no page faults while writing).
    pub prefault: bool,
}

impl Default for Options {
    /// [`DEFAULT_BUFFER_SIZE`], high watermark 0, no prefault.
    fn default() -> Self {
        Options {
            buffer_size: DEFAULT_BUFFER_SIZE,
            high_watermark: 0,
            prefault: false,
        }
    }
}

/// What a pipeline did.
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineStats {
    /// The ring's final statistics (bytes in, times empty per consumer, times full, max fill).
    pub ring: Stats,
    /// Records the sink accepted.
    pub records: u64,
    /// Bytes the sink accepted.
    pub bytes: u64,
    /// Record number (0-based) at which the sink first reported early warning.
    pub early_warning: Option<u64>,
    /// Wall time of the whole run.
    pub elapsed: Duration,
    /// Time the writer thread spent inside the sink (`write_record` and `finish`).
    pub sink_time: Duration,
}

impl PipelineStats {
    /// Times the writer found the ring empty after it had started (underruns: on tape, each
    /// one is a stop-and-reposition risk).
    pub fn times_empty(&self) -> u64 {
        self.ring.total_times_empty()
    }

    /// Times the producer found the ring full (the sink was the bottleneck).
    pub fn times_full(&self) -> u64 {
        self.ring.times_full
    }

    /// Largest fill of the ring in percent.
    pub fn max_fill_percent(&self) -> f64 {
        self.ring.max_fill_percent()
    }

    /// Bytes written per second of wall time.
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.bytes as f64 / secs
        } else {
            0.0
        }
    }
}

/// Failure of the writer thread.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// Writing a record failed; records before it were written.
    #[error("writing record {record}: {source}")]
    Write {
        /// Record number (0-based) that failed.
        record: u64,
        /// The sink's error.
        #[source]
        source: io::Error,
    },
    /// Every record was written but finishing the output (flush, filemark) failed.
    #[error("finishing the output: {0}")]
    Finish(#[source] io::Error),
    /// The ring reported an error to the writer thread.
    #[error("reading the buffer: {0}")]
    Buffer(#[source] stream_buffer::Error),
    /// The writer thread panicked.
    #[error("the writer thread panicked")]
    Panicked,
}

/// Why a pipeline failed. The statistics say how far it got.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError<E> {
    /// The ring could not be built or failed (see the message).
    #[error("archive buffer: {0}")]
    Buffer(#[source] stream_buffer::Error),
    /// The output failed. `producer` is the producer's error if it failed too (typically
    /// because its writes failed once the output had stopped).
    #[error("{error}")]
    Sink {
        /// The writer thread's failure.
        error: SinkError,
        /// The producer's error, if it failed as well.
        producer: Option<E>,
        /// Statistics up to the failure.
        stats: Box<PipelineStats>,
    },
    /// The producer failed while the output was fine; its whole records were written and the
    /// sink finished.
    #[error("{error}")]
    Producer {
        /// The producer's error.
        error: E,
        /// Statistics of what was written.
        stats: Box<PipelineStats>,
    },
}

impl<E> PipelineError<E> {
    /// The statistics up to the failure (none if the ring could not be built).
    pub fn stats(&self) -> Option<&PipelineStats> {
        match self {
            PipelineError::Buffer(_) => None,
            PipelineError::Sink { stats, .. } | PipelineError::Producer { stats, .. } => {
                Some(stats)
            }
        }
    }
}

/// Runs `produce` on this thread writing into a ring of `record_size` blocks, while a writer
/// thread writes each record to `sink` (see the module docs). Returns `produce`'s value and
/// the statistics. The last record may be short if `produce` writes a partial one (a tar
/// [`Writer`](crate::Writer) always writes whole records).
pub fn run<T, E, S, F>(
    opts: &Options,
    record_size: usize,
    sink: S,
    produce: F,
) -> Result<(T, PipelineStats), PipelineError<E>>
where
    E: Display,
    S: RecordSink,
    F: FnOnce(&mut RingWriter) -> Result<T, E>,
{
    if record_size == 0 {
        return Err(PipelineError::Buffer(stream_buffer::Error::InvalidConfig(
            "the record size must not be 0",
        )));
    }
    let blocks = (opts.buffer_size / record_size).max(2);
    let config = Config::new(record_size, blocks)
        .high_watermark(opts.high_watermark)
        .prefault(opts.prefault);
    let (producer, mut consumers) = buffer(config).map_err(PipelineError::Buffer)?;
    let consumer = consumers
        .pop()
        .ok_or(PipelineError::Buffer(stream_buffer::Error::Internal))?;
    let shared = Arc::new(Shared::default());
    let start = Instant::now();
    let mut ring = RingWriter::new(producer, Arc::clone(&shared));
    let progress = ring.progress();

    let (produced, finished, written) = thread::scope(|scope| {
        let writer_shared = Arc::clone(&shared);
        let writer = scope.spawn(move || write_loop(consumer, sink, &writer_shared));
        let produced = produce(&mut ring);
        let finished = match produced {
            Ok(_) => Some(ring.finish()),
            Err(_) => {
                drop(ring); // aborts the stream after the last whole record
                None
            }
        };
        let written = writer
            .join()
            .unwrap_or(Err((SinkError::Panicked, Duration::ZERO)));
        (produced, finished, written)
    });

    let stats = |sink_time| PipelineStats {
        ring: progress.ring(),
        records: shared.records.load(Ordering::Acquire),
        bytes: shared.bytes.load(Ordering::Acquire),
        early_warning: progress.early_warning(),
        elapsed: start.elapsed(),
        sink_time,
    };
    match (written, produced) {
        (Err((error, sink_time)), produced) => Err(PipelineError::Sink {
            error,
            producer: produced.err(),
            stats: Box::new(stats(sink_time)),
        }),
        (Ok(sink_time), Err(error)) => Err(PipelineError::Producer {
            error,
            stats: Box::new(stats(sink_time)),
        }),
        (Ok(sink_time), Ok(value)) => match finished {
            Some(Err(e)) => Err(PipelineError::Buffer(e)),
            _ => Ok((value, stats(sink_time))),
        },
    }
}

/// The writer thread: one `write_record` per ring block, then `finish`. Returns the time
/// spent in the sink.
fn write_loop<S: RecordSink>(
    mut consumer: Consumer,
    mut sink: S,
    shared: &Shared,
) -> Result<Duration, (SinkError, Duration)> {
    let mut busy = Duration::ZERO;
    let mut record = 0u64;
    let fail = |error: SinkError, busy| {
        shared.set_failure(error.to_string());
        Err((error, busy))
    };
    loop {
        let block = match consumer.next_block() {
            Ok(Some(block)) => block,
            Ok(None) | Err(stream_buffer::Error::ProducerAborted) => break,
            Err(e) => return fail(SinkError::Buffer(e), busy),
        };
        let t = Instant::now();
        let outcome = sink.write_record(&block);
        busy += t.elapsed();
        match outcome {
            Ok(outcome) => {
                if outcome == SinkOutcome::EarlyWarning {
                    // Only the first report counts; later ones leave the record number.
                    let _ = shared.early_warning.compare_exchange(
                        0,
                        record + 1,
                        Ordering::AcqRel,
                        Ordering::Acquire,
                    );
                }
                shared.bytes.fetch_add(block.len() as u64, Ordering::AcqRel);
                shared.records.fetch_add(1, Ordering::AcqRel);
                record += 1;
            }
            // Returning drops the block and then the consumer, which detaches it from the
            // ring: the producer's next block fails with "no consumers".
            Err(source) => return fail(SinkError::Write { record, source }, busy),
        }
    }
    drop(consumer);
    let t = Instant::now();
    let finished = sink.finish();
    busy += t.elapsed();
    match finished {
        Ok(()) => Ok(busy),
        Err(e) => fail(SinkError::Finish(e), busy),
    }
}
