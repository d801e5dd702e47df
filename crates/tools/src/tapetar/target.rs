//! What `-f DEV` names, opened for writing (create) or reading (list, verify, extract,
//! label): a tape through [`crate::device`] (st(4) on `/dev/nstN`, or the in-process drive of
//! a `.vtape` file), a plain archive file, or standard output/input for `-`.
//!
//! A character device that does not answer MTIOCGET (`/dev/null`, a pipe node) is a plain
//! file, as GNU tar treats it. Reading from a tape goes one record per `read` call
//! ([`RecordReader`]): st in variable-block mode returns one tape block per read(2) and
//! refuses (ENOMEM) a buffer shorter than the block (`reference/tar-format.md` §2).

use std::fs::{File, OpenOptions};
use std::io::{self, ErrorKind, IsTerminal, Read};
use std::os::fd::AsFd;
use std::path::Path;

use nix::errno::Errno;
use tape_io::{OpenMode, ReadOutcome, Tape, TapeError};

use super::error::Failure;
use crate::device::{device_kind, Device, DeviceKind, OpenError};

/// An opened `-f DEV`.
#[derive(Debug)]
pub enum Target {
    /// A tape (st or `.vtape`), with its SCSI view.
    Tape(Device),
    /// A plain file, `/dev/null`, standard output or input.
    File(File),
}

impl Target {
    /// True for a tape.
    pub fn is_tape(&self) -> bool {
        matches!(self, Target::Tape(_))
    }

    /// The tape, if this is one.
    pub fn tape(&mut self) -> Option<&mut dyn Tape> {
        match self {
            Target::Tape(d) => Some(d.tape()),
            Target::File(_) => None,
        }
    }

    /// Closes: for a `.vtape`, persists the medium and reports errors.
    pub fn close(self) -> Result<(), Failure> {
        match self {
            Target::Tape(d) => d
                .close()
                .map_err(|e| Failure::fatal(format!("closing: {e}"))),
            Target::File(_) => Ok(()),
        }
    }
}

fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn open_failure(path: &Path, e: &OpenError) -> Failure {
    Failure::fatal(format!("{}: Cannot open: {e}", path.display()))
}

/// Opens a tape device; `None` when the character device is not a tape (no MTIOCGET).
fn open_char_device(path: &Path, write: bool) -> Result<Option<Device>, Failure> {
    let mode = OpenMode {
        write,
        nonblock: false,
    };
    let mut dev = Device::open(path, mode).map_err(|e| open_failure(path, &e))?;
    match dev.tape().status() {
        Ok(_) => Ok(Some(dev)),
        Err(TapeError::Os(Errno::ENOTTY | Errno::EINVAL)) => Ok(None),
        Err(e) => Err(Failure::fatal(format!("{}: {e}", path.display()))),
    }
}

/// Opens `path` as a tape (st or `.vtape`) when it is one, with write access when `write`.
/// `None` when it is to be opened as a plain file: not a tape, or (when writing, which creates
/// it) not there yet. A directory is refused, as GNU tar refuses it.
fn open_tape(path: &Path, write: bool) -> Result<Option<Target>, Failure> {
    match device_kind(path) {
        Ok(DeviceKind::CharDevice) => {
            if let Some(dev) = open_char_device(path, write)? {
                return Ok(Some(Target::Tape(dev)));
            }
        }
        Ok(DeviceKind::VtapeFile) => {
            let mode = OpenMode {
                write,
                nonblock: false,
            };
            let dev = Device::open(path, mode).map_err(|e| open_failure(path, &e))?;
            return Ok(Some(Target::Tape(dev)));
        }
        Err(OpenError::Os(Errno::ENOENT)) if write => {}
        Err(OpenError::NotATape) => {}
        Err(e) => return Err(open_failure(path, &e)),
    }
    if path.is_dir() {
        return Err(Failure::fatal(format!(
            "{}: Cannot open: Is a directory",
            path.display()
        )));
    }
    Ok(None)
}

/// Opens `-f DEV` for `create`: a tape, or a file created/truncated (GNU tar's behaviour),
/// or standard output (refused on a terminal, as GNU tar refuses).
pub fn open_output(path: &Path) -> Result<Target, Failure> {
    if is_stdio(path) {
        let out = io::stdout();
        if out.is_terminal() {
            return Err(Failure::fatal(
                "Refusing to write archive contents to terminal".to_string(),
            ));
        }
        let fd = out
            .as_fd()
            .try_clone_to_owned()
            .map_err(|e| io_failure(path, &e))?;
        return Ok(Target::File(File::from(fd)));
    }
    if let Some(tape) = open_tape(path, true)? {
        return Ok(tape);
    }
    let is_char = device_kind(path).ok() == Some(DeviceKind::CharDevice);
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(!is_char)
        .open(path)
        .map_err(|e| io_failure(path, &e))?;
    Ok(Target::File(file))
}

/// Opens `-f DEV` for reading: a tape, a file, or standard input.
pub fn open_input(path: &Path) -> Result<Target, Failure> {
    if is_stdio(path) {
        let fd = io::stdin()
            .as_fd()
            .try_clone_to_owned()
            .map_err(|e| io_failure(path, &e))?;
        return Ok(Target::File(File::from(fd)));
    }
    if let Some(tape) = open_tape(path, false)? {
        return Ok(tape);
    }
    File::open(path)
        .map(Target::File)
        .map_err(|e| io_failure(path, &e))
}

fn io_failure(path: &Path, e: &io::Error) -> Failure {
    let text = e.raw_os_error().map_or_else(
        || e.to_string(),
        |n| tape_io::error::strerror(Errno::from_raw(n)),
    );
    Failure::fatal(format!("{}: Cannot open: {text}", path.display()))
}

/// Moves a tape to the start of tape file `n` (0 = the first): rewind, then space `n`
/// filemarks forward. Plain files only have file 0.
pub fn position_at_file(target: &mut Target, n: u32) -> Result<(), Failure> {
    match target.tape() {
        Some(t) => {
            t.rewind()
                .map_err(|e| Failure::fatal(format!("rewind: {e}")))?;
            if n > 0 {
                let count = i32::try_from(n)
                    .map_err(|_| Failure::fatal(format!("tape file {n} is out of range")))?;
                t.space_files_forward(count)
                    .map_err(|e| Failure::fatal(format!("spacing to tape file {n}: {e}")))?;
            }
            Ok(())
        }
        None if n == 0 => Ok(()),
        None => Err(Failure::fatal(format!(
            "--file {n}: a plain archive file has only file 0"
        ))),
    }
}

/// `Read` over a [`Target`]: on a tape, each `read` is one record read (a filemark or end of
/// data is end of file); on a file, an ordinary read. Counts the records (reads) that
/// returned data.
pub struct RecordReader<'a> {
    target: &'a mut Target,
    records: u64,
    eof: bool,
}

impl<'a> RecordReader<'a> {
    /// Reads from `target` where it is positioned.
    pub fn new(target: &'a mut Target) -> Self {
        RecordReader {
            target,
            records: 0,
            eof: false,
        }
    }

    /// Reads that returned data so far (tape records on a tape).
    pub fn records(&self) -> u64 {
        self.records
    }
}

impl Read for RecordReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.eof || buf.is_empty() {
            return Ok(0);
        }
        let n = match self.target {
            Target::File(f) => f.read(buf)?,
            Target::Tape(d) => match d.tape().read_record(buf) {
                Ok(ReadOutcome::Data(n)) => n,
                Ok(ReadOutcome::Filemark | ReadOutcome::EndOfData) => 0,
                Err(TapeError::RecordTooLong { buffer }) => {
                    return Err(io::Error::new(
                        ErrorKind::InvalidData,
                        format!("a tape record is longer than {buffer} bytes: use a larger -b"),
                    ))
                }
                Err(e) => {
                    let kind = e.errno().map_or(ErrorKind::Other, |n| {
                        io::Error::from_raw_os_error(n as i32).kind()
                    });
                    return Err(io::Error::new(kind, e));
                }
            },
        };
        if n == 0 {
            self.eof = true;
        } else {
            self.records += 1;
        }
        Ok(n)
    }
}
