//! Record sinks: where the pipeline's writer thread puts each record.
//!
//! A sink gets exactly one [`RecordSink::write_record`] call per record (one tape block on a
//! variable-block tape, `reference/tar-format.md` §11: "exactly one `write()` per 262,144-byte
//! record"), then one [`RecordSink::finish`]. [`TapeSink`] follows st(4)'s end-of-medium
//! behaviour as the [`Tape`] trait reports it: a write past early warning succeeds and says so
//! (`EarlyWarning`, st's GMT_EOT), a refused write (`NoSpace`, ENOSPC) is the end of the medium.

use std::fs::File;
use std::io::{self, ErrorKind, Write};
use std::os::fd::AsFd;

use tape_io::{Tape, TapeError, WriteOutcome};

/// What a sink reports for one record it accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkOutcome {
    /// The record was written.
    Written,
    /// The record was written and the medium is past early warning: little room is left.
    EarlyWarning,
}

/// The output end of a [`pipeline`](crate::pipeline): receives whole records on the writer
/// thread.
pub trait RecordSink: Send {
    /// Writes one record (all of `rec`, as one device write where that matters).
    fn write_record(&mut self, rec: &[u8]) -> io::Result<SinkOutcome>;

    /// Ends the output after the last record (flushes; on tape, writes the filemark).
    fn finish(&mut self) -> io::Result<()>;
}

impl<S: RecordSink + ?Sized> RecordSink for &mut S {
    fn write_record(&mut self, rec: &[u8]) -> io::Result<SinkOutcome> {
        (**self).write_record(rec)
    }
    fn finish(&mut self) -> io::Result<()> {
        (**self).finish()
    }
}

impl<S: RecordSink + ?Sized> RecordSink for Box<S> {
    fn write_record(&mut self, rec: &[u8]) -> io::Result<SinkOutcome> {
        (**self).write_record(rec)
    }
    fn finish(&mut self) -> io::Result<()> {
        (**self).finish()
    }
}

/// A sink over any [`Write`]: a regular file, a pipe, stdout, `/dev/null`, a `Vec<u8>`.
///
/// Each record is one `write_all`; `finish` flushes. Never reports early warning.
#[derive(Debug)]
pub struct FileSink<W: Write + Send> {
    inner: W,
}

impl<W: Write + Send> FileSink<W> {
    /// Wraps a writer.
    pub fn new(inner: W) -> Self {
        FileSink { inner }
    }

    /// The writer back.
    pub fn into_inner(self) -> W {
        self.inner
    }

    /// The writer.
    pub fn get_ref(&self) -> &W {
        &self.inner
    }
}

impl FileSink<File> {
    /// Standard output through a duplicate of its file descriptor, so records go to the fd
    /// in one `write(2)` each, bypassing the line buffer and lock of [`io::Stdout`].
    pub fn stdout() -> io::Result<Self> {
        let fd = io::stdout().as_fd().try_clone_to_owned()?;
        Ok(FileSink::new(File::from(fd)))
    }
}

impl<W: Write + Send> RecordSink for FileSink<W> {
    fn write_record(&mut self, rec: &[u8]) -> io::Result<SinkOutcome> {
        self.inner.write_all(rec)?;
        Ok(SinkOutcome::Written)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A sink writing one tape record per record through the [`Tape`] trait (st(4) on
/// `/dev/nstN`, or vtape's in-process `VirtualTape`).
///
/// Early warning is reported for the first record written past it (later records report
/// `Written`, so the pipeline counts it once). Past early warning st refuses every other
/// write with ENOSPC (`reference/st-driver.md` §5, write(): one ENOSPC is soft, "room for
/// trailers"; two in a row are the physical end), so a refused record (`NoSpace`) is offered
/// once more; a second refusal is an error of kind [`ErrorKind::StorageFull`], "end of
/// medium", and that record was not written.
///
/// [`finish`](RecordSink::finish) writes one filemark, which ends the tape file (st would
/// write it at close; writing it here makes the tape file complete before the caller reads
/// the position or writes cartridge memory).
#[derive(Debug)]
pub struct TapeSink<T: Tape + Send> {
    tape: T,
    early_warning: bool,
    records: u64,
}

impl<T: Tape + Send> TapeSink<T> {
    /// Wraps a tape positioned where the archive goes (a `&mut` tape works too).
    pub fn new(tape: T) -> Self {
        TapeSink {
            tape,
            early_warning: false,
            records: 0,
        }
    }

    /// The tape back (to read its position, write cartridge memory, close it).
    pub fn into_inner(self) -> T {
        self.tape
    }

    /// The tape.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.tape
    }

    /// True once a write reported early warning.
    pub fn early_warning_seen(&self) -> bool {
        self.early_warning
    }

    /// Records written so far.
    pub fn records(&self) -> u64 {
        self.records
    }
}

/// A tape error as an `io::Error` with the kind of its errno, keeping the error as source.
fn tape_io_error(e: TapeError) -> io::Error {
    let kind = match e.errno() {
        Some(errno) => io::Error::from_raw_os_error(errno as i32).kind(),
        None => ErrorKind::Other,
    };
    io::Error::new(kind, e)
}

impl<T: Tape + Send> RecordSink for TapeSink<T> {
    fn write_record(&mut self, rec: &[u8]) -> io::Result<SinkOutcome> {
        let mut outcome = self.tape.write_record(rec).map_err(tape_io_error)?;
        if outcome == WriteOutcome::NoSpace {
            // Soft ENOSPC after early warning: nothing was written, the next write may be.
            outcome = self.tape.write_record(rec).map_err(tape_io_error)?;
        }
        match outcome {
            WriteOutcome::Written(n) | WriteOutcome::EarlyWarning(n) if n != rec.len() => {
                Err(io::Error::new(
                    ErrorKind::WriteZero,
                    format!("short tape write: {n} of {} bytes", rec.len()),
                ))
            }
            WriteOutcome::Written(_) => {
                self.records += 1;
                Ok(SinkOutcome::Written)
            }
            WriteOutcome::EarlyWarning(_) => {
                self.records += 1;
                if std::mem::replace(&mut self.early_warning, true) {
                    Ok(SinkOutcome::Written)
                } else {
                    Ok(SinkOutcome::EarlyWarning)
                }
            }
            WriteOutcome::NoSpace => Err(io::Error::new(ErrorKind::StorageFull, "end of medium")),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.tape.write_filemarks(1).map_err(tape_io_error)
    }
}
