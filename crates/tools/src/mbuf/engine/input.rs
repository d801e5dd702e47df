//! The input side (`-i`, `-I`, `-n`, `-r`; `reference/mbuffer.md` §1, §5 "Input side", §6
//! "Reblocking"): reads straight into ring blocks (no intermediate buffer, no per-block
//! allocation), so arbitrary read sizes become whole blocks. Tapes are read one record per
//! call through tape-io (a record that does not fit the rest of a partly filled block goes
//! through one bounce buffer, allocated once). At the end of an input volume under `-n`
//! the next volume is requested (`-A` or a prompt) and reading continues.

use std::fs::File;
use std::io::{self, Read};
use std::net::TcpStream;
use std::os::fd::AsFd;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use nix::errno::Errno;
use stream_buffer::Producer;
use tape_io::{OpenMode as TapeOpenMode, ReadOutcome};

use super::framed::FramedReader;
use super::log::{io_text, Logger};
use super::net;
use super::ratelimit::RateLimit;
use super::sink::{grow_pipe, is_tape};
use super::volume;
use crate::device::Device;
use crate::mbuf::options::{InputSpec, Options};

/// Where the input bytes come from.
pub enum Source {
    /// Standard input, a file, a pipe, a non-tape device.
    Stream(File),
    /// A TCP connection (`-I`).
    Socket(TcpStream),
    /// A framed TCP connection (`-I` with `--framed`).
    Framed(FramedReader<TcpStream>),
    /// An st tape or `.vtape` medium, with a bounce buffer for records that do not fit.
    Tape(Box<Device>, Vec<u8>),
}

/// The opened input.
pub struct Input {
    /// Name in messages.
    pub name: String,
    path: Option<PathBuf>,
    source: Source,
    /// Size of a regular-file input (for "NN% done" and the progress bar).
    pub size: Option<u64>,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

fn open_path(path: &PathBuf, block_size: usize) -> Result<(Source, Option<u64>), String> {
    if is_tape(path) {
        let mode = TapeOpenMode::default();
        let dev = Device::open(path, mode).map_err(|e| e.to_string())?;
        return Ok((Source::Tape(Box::new(dev), Vec::new()), None));
    }
    let f = File::open(path).map_err(|e| io_text(&e))?;
    let size = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    grow_pipe(&f, block_size);
    Ok((Source::Stream(f), size))
}

/// Opens the input; `-I` waits here for the connection. The error is the text after
/// `fatal: `.
pub fn open(opts: &Options, log: &Logger) -> Result<Input, String> {
    match &opts.input {
        InputSpec::Stdin => {
            let fd = io::stdin()
                .as_fd()
                .try_clone_to_owned()
                .map_err(|e| format!("cannot use standard input: {}", io_text(&e)))?;
            let f = File::from(fd);
            let size = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
            grow_pipe(&f, opts.block_size);
            Ok(Input {
                name: "<stdin>".into(),
                path: None,
                source: Source::Stream(f),
                size,
            })
        }
        InputSpec::File(path) => {
            let (source, size) = open_path(path, opts.block_size)
                .map_err(|e| format!("could not open input file '{}': {e}", path.display()))?;
            Ok(Input {
                name: path.display().to_string(),
                path: Some(path.clone()),
                source,
                size,
            })
        }
        InputSpec::Listen { peer, port, net: n } => {
            let (s, addr) = net::listen(peer.as_deref(), *port, n, log).map_err(|e| {
                format!(
                    "unable to accept a connection on port {port}: {}",
                    io_text(&e)
                )
            })?;
            let source = if opts.framed {
                Source::Framed(FramedReader::new(s))
            } else {
                Source::Socket(s)
            };
            Ok(Input {
                name: addr.to_string(),
                path: None,
                source,
                size: None,
            })
        }
    }
}

/// Settings of the input loop.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `-r` bytes/s.
    pub read_rate: Option<u64>,
    /// `-n`.
    pub volumes: Option<u32>,
    /// `-A`.
    pub command: Option<String>,
    /// `-a`.
    pub autoload_time: Option<Duration>,
}

/// A failed read: the errno if there is one (EIO ends an input volume under `-n`), and text.
#[derive(Debug)]
struct ReadError {
    errno: Option<Errno>,
    text: String,
}

impl From<String> for ReadError {
    fn from(text: String) -> Self {
        ReadError { errno: None, text }
    }
}

impl From<stream_buffer::Error> for ReadError {
    fn from(e: stream_buffer::Error) -> Self {
        ReadError::from(e.to_string())
    }
}

/// One read into the producer's current block; 0 at the end of the volume.
fn read_once(source: &mut Source, producer: &mut Producer, max: usize) -> Result<usize, ReadError> {
    if let Source::Tape(dev, bounce) = source {
        let bs = producer.block_size();
        let whole = producer.spare()?.len() == bs;
        return Ok(read_tape(dev, bounce, producer, whole)?);
    }
    let mut spare = producer.spare()?;
    let room = spare.len().min(max).max(1);
    let dst = spare.get_mut(..room).unwrap_or_default();
    let n = loop {
        let r = match source {
            Source::Stream(f) => f.read(dst),
            Source::Socket(s) => s.read(dst),
            Source::Framed(r) => r.read(dst),
            Source::Tape(..) => Ok(0),
        };
        match r {
            Ok(n) => break n.min(room),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                return Err(ReadError::from("timeout".to_string()))
            }
            Err(e) => {
                return Err(ReadError {
                    errno: e.raw_os_error().map(Errno::from_raw),
                    text: io_text(&e),
                })
            }
        }
    };
    drop(spare);
    producer.advance(n)?;
    if n > 0 && n < room {
        // A short read drained the pipe or socket. Reading again at once would mostly sleep
        // in the kernel and be woken for every few KiB the writer adds, with the writer
        // spinning on the pipe lock meanwhile; one sched_yield lets the writer (often on this
        // CPU) refill first. Measured with `head -c 4G /dev/zero | mbuf -q -o /dev/null` on
        // 2 vCPUs: about 2x faster (from below to above `cat`'s rate). Not a spin: one
        // syscall per short read.
        std::thread::yield_now();
    }
    Ok(n)
}

/// One tape record: straight into the block when it starts a block, else via the bounce buffer.
fn read_tape(
    dev: &mut Device,
    bounce: &mut Vec<u8>,
    producer: &mut Producer,
    whole: bool,
) -> Result<usize, String> {
    let outcome = if whole {
        let mut spare = producer.spare().map_err(|e| e.to_string())?;
        let out = dev
            .tape()
            .read_record(&mut spare)
            .map_err(|e| e.to_string())?;
        drop(spare);
        if let ReadOutcome::Data(n) = out {
            producer.advance(n).map_err(|e| e.to_string())?;
        }
        out
    } else {
        if bounce.is_empty() {
            bounce.resize(producer.block_size(), 0);
        }
        let out = dev.tape().read_record(bounce).map_err(|e| e.to_string())?;
        if let ReadOutcome::Data(n) = out {
            let data = bounce.get(..n).ok_or("record length out of range")?;
            producer.write_all(data).map_err(|e| e.to_string())?;
        }
        out
    };
    match outcome {
        ReadOutcome::Data(n) => Ok(n),
        ReadOutcome::Filemark | ReadOutcome::EndOfData => Ok(0),
    }
}

/// Reads the whole input into the ring and finishes the stream. Returns the bytes read, or
/// the error text (`inputThread: …` is logged here).
pub fn run(
    mut input: Input,
    mut producer: Producer,
    set: &Settings,
    stop: &AtomicBool,
    progress: &AtomicU64,
    log: &Logger,
) -> Result<u64, String> {
    let mut limit = set.read_rate.map(RateLimit::new);
    let mut total = 0u64;
    let mut volume = 1u32;
    let result = loop {
        if stop.load(Ordering::Relaxed) {
            break Ok(());
        }
        let max = limit
            .as_ref()
            .map_or(usize::MAX, |l| l.slice(producer.block_size()));
        match read_once(&mut input.source, &mut producer, max) {
            Ok(0) => match next_volume(&mut input, set, volume, log) {
                Ok(true) => volume += 1,
                Ok(false) => break Ok(()),
                Err(e) => break Err(e),
            },
            Ok(n) => {
                total += n as u64;
                progress.fetch_add(n as u64, Ordering::Relaxed);
                if let Some(l) = limit.as_mut() {
                    l.wait(n);
                }
            }
            Err(e) if e.errno == Some(Errno::EIO) && more_volumes(set, volume) => {
                match next_volume(&mut input, set, volume, log) {
                    Ok(true) => volume += 1,
                    Ok(false) => break Ok(()),
                    Err(e) => break Err(e),
                }
            }
            Err(e) => break Err(e.text),
        }
    };
    let finished = producer.finish();
    match (result, finished) {
        (Ok(()), Ok(_)) => Ok(total),
        (Err(e), _) => {
            log.error(&format!(
                "inputThread: error reading from {}: {e}",
                input.name
            ));
            Err(e)
        }
        (Ok(()), Err(e)) => Err(e.to_string()),
    }
}

fn more_volumes(set: &Settings, volume: u32) -> bool {
    match set.volumes {
        None | Some(1) => false,
        Some(0) => true,
        Some(n) => volume < n,
    }
}

/// At the end of an input volume: loads the next one if `-n` asks for more.
fn next_volume(
    input: &mut Input,
    set: &Settings,
    volume: u32,
    log: &Logger,
) -> Result<bool, String> {
    if !more_volumes(set, volume) {
        return Ok(false);
    }
    let Some(path) = input.path.clone() else {
        return Ok(false);
    };
    if set.volumes == Some(0) && set.command.is_none() && !volume::ask_continue()? {
        return Ok(false);
    }
    log.info(&format!("end of input volume {volume}"));
    // Release the device before the volume change (a tape must be closed to be unloaded).
    let old = std::mem::replace(&mut input.source, Source::Stream(empty_file()?));
    if let Source::Tape(dev, _) = old {
        dev.close().map_err(|e| e.to_string())?;
    }
    volume::change(
        &path,
        set.command.as_deref(),
        set.autoload_time,
        "\ninsert next volume and press return\n",
        log,
    )?;
    let (source, _) = open_path(&path, 0)
        .map_err(|e| format!("could not open input file '{}': {e}", path.display()))?;
    input.source = source;
    Ok(true)
}

fn empty_file() -> Result<File, String> {
    File::open("/dev/null").map_err(|e| io_text(&e))
}
