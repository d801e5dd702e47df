//! One output thread: consumes every block of the ring and writes it (`reference/mbuffer.md`
//! §6 "Fan-out", "I/O"; §5 end of media). Each block is one `write` (one tape record), except
//! under `-R` where byte streams are written in small rate-limited slices; `-u` pauses after
//! each block; `-D` changes volume after whole blocks; a write that hits the end of the medium
//! (0, ENOSPC, ENOMEM; st's second ENOSPC under `--tapeaware`) changes the volume and writes
//! the same block again, so nothing is lost or duplicated. EPIPE/ECONNRESET end this output at
//! once (SIGPIPE is ignored by the Rust runtime): no retry, no spin.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use stream_buffer::Consumer;
use tape_io::WriteOutcome;

use super::framed::FramedWriter;
use super::log::{io_text, Logger};
use super::ratelimit::RateLimit;
use super::sink::{device_chunk, open_file, open_tape, Opened, Sink};
use super::volume;
use crate::mbuf::options::{OpenMode, Options};

/// Pause before a `-D` volume change (mbuffer sleeps 0.5 s).
const VOLUME_PAUSE: Duration = Duration::from_millis(500);

/// Settings shared by all output threads.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Block size.
    pub block_size: usize,
    /// `-R` bytes/s.
    pub write_rate: Option<u64>,
    /// `-u`.
    pub pause: Option<Duration>,
    /// `-D` in blocks per volume.
    pub volume_blocks: Option<u64>,
    /// `--tapeaware`.
    pub tapeaware: bool,
    /// `-c`.
    pub sync: bool,
    /// `-d`.
    pub device_blocksize: bool,
    /// `--framed` (sockets only).
    pub framed: bool,
    /// `-A`.
    pub command: Option<String>,
    /// `-a`.
    pub autoload_time: Option<Duration>,
    /// A controlling terminal exists (end of medium may prompt).
    pub tty: bool,
}

impl Settings {
    /// The output settings of a run.
    pub fn from_options(opts: &Options, tty: bool) -> Settings {
        let bs = opts.block_size.max(1) as u64;
        Settings {
            block_size: opts.block_size,
            write_rate: opts.write_rate,
            pause: opts.pause,
            volume_blocks: opts.volume_size.map(|v| (v / bs).max(1)),
            tapeaware: opts.tapeaware,
            sync: opts.sync,
            device_blocksize: opts.device_blocksize,
            framed: opts.framed,
            command: opts.autoload_command.clone(),
            autoload_time: opts.autoload_time,
            tty,
        }
    }
}

/// Why an output stopped.
#[derive(Debug)]
enum Failure {
    /// A write failed: logged as `outputThread: error writing to X at offset …`.
    Write(String),
    /// Anything else (volume change refused, reopen failed, stream aborted).
    Other(String),
}

/// A running output.
pub struct Output {
    name: String,
    path: Option<PathBuf>,
    mode: OpenMode,
    sink: Option<Sink>,
    framed: Option<FramedWriter>,
    chunk: Option<usize>,
    set: Settings,
    limit: Option<RateLimit>,
    written: Arc<AtomicU64>,
    progress: Arc<AtomicU64>,
    log: Arc<Logger>,
    volume: u32,
    volume_start: Instant,
    /// One ENOSPC was seen (`--tapeaware`).
    soft_nospace: bool,
    approaching_told: bool,
}

impl Output {
    /// Wraps an opened sink. `written` counts bytes written (status, summary);
    /// `progress` is the watchdog's counter.
    pub fn new(
        opened: Opened,
        set: Settings,
        written: Arc<AtomicU64>,
        progress: Arc<AtomicU64>,
        log: Arc<Logger>,
    ) -> Output {
        let framed =
            (set.framed && matches!(opened.sink, Sink::Socket(_))).then(FramedWriter::default);
        let chunk = match &opened.sink {
            Sink::Stream(f) if set.device_blocksize => device_chunk(f),
            _ => None,
        };
        Output {
            name: opened.name,
            path: opened.path,
            mode: opened.mode,
            sink: Some(opened.sink),
            framed,
            chunk,
            limit: set.write_rate.map(RateLimit::new),
            set,
            written,
            progress,
            log,
            volume: 1,
            volume_start: Instant::now(),
            soft_nospace: false,
            approaching_told: false,
        }
    }

    /// Name used in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Writes the whole stream; on failure the messages are logged and the reason returned
    /// (the consumer is dropped, so the other outputs go on).
    pub fn run(mut self, mut consumer: Consumer) -> Result<(), String> {
        let result = self.pump(&mut consumer);
        drop(consumer);
        let result = result.and_then(|()| self.close());
        match result {
            Ok(()) => Ok(()),
            Err(Failure::Write(reason)) | Err(Failure::Other(reason)) => {
                self.log
                    .warning(&format!("error during output to {}: {reason}", self.name));
                Err(reason)
            }
        }
    }

    fn pump(&mut self, consumer: &mut Consumer) -> Result<(), Failure> {
        let mut offset = 0u64;
        let mut vol_blocks = 0u64;
        loop {
            let block = match consumer.next_block() {
                Ok(Some(b)) => b,
                Ok(None) => return Ok(()),
                Err(stream_buffer::Error::ProducerAborted) => {
                    return Err(Failure::Other("canceled".into()))
                }
                Err(e) => return Err(Failure::Other(e.to_string())),
            };
            if self.set.volume_blocks.is_some_and(|per| vol_blocks >= per) {
                std::thread::sleep(VOLUME_PAUSE);
                self.change_volume(vol_blocks)?;
                vol_blocks = 0;
            }
            if let Err(reason) = self.write_block(&block, &mut vol_blocks) {
                self.log.error(&format!(
                    "outputThread: error writing to {} at offset {offset:#x}: {reason}",
                    self.name
                ));
                return Err(Failure::Write(reason));
            }
            let n = block.len() as u64;
            drop(block);
            offset += n;
            vol_blocks += 1;
            self.written.fetch_add(n, Ordering::Relaxed);
            self.progress.fetch_add(n, Ordering::Relaxed);
            if let Some(p) = self.set.pause {
                std::thread::sleep(p);
            }
        }
    }

    /// Writes one block, changing volumes at the end of the medium and writing the block again.
    fn write_block(&mut self, data: &[u8], vol_blocks: &mut u64) -> Result<(), String> {
        loop {
            match self.try_write(data) {
                Ok(true) => return Ok(()),
                Ok(false) => {
                    // End of medium: only with a terminal or -A, else a plain error.
                    if !(self.set.tty || self.set.command.is_some()) {
                        return Err(io_text(&io::Error::from_raw_os_error(libc::ENOSPC)));
                    }
                    self.change_volume(*vol_blocks).map_err(|f| match f {
                        Failure::Write(r) | Failure::Other(r) => r,
                    })?;
                    *vol_blocks = 0;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// One attempt: `Ok(true)` written, `Ok(false)` end of medium (nothing to keep).
    fn try_write(&mut self, data: &[u8]) -> Result<bool, String> {
        let sink = self.sink.as_mut().ok_or("output closed")?;
        match sink {
            Sink::Tape(dev) => {
                let out = dev.tape().write_record(data).map_err(|e| e.to_string())?;
                if let Some(l) = self.limit.as_mut() {
                    l.wait(data.len());
                }
                match out {
                    WriteOutcome::Written(n) | WriteOutcome::EarlyWarning(n) if n == data.len() => {
                        if self.soft_nospace && !self.approaching_told {
                            self.log.warning("end of media approaching");
                            self.approaching_told = true;
                        }
                        self.soft_nospace = false;
                        Ok(true)
                    }
                    WriteOutcome::Written(_) | WriteOutcome::EarlyWarning(_) => {
                        Err("short write to tape".into())
                    }
                    WriteOutcome::NoSpace if self.set.tapeaware && !self.soft_nospace => {
                        self.soft_nospace = true;
                        self.try_write(data)
                    }
                    WriteOutcome::NoSpace => {
                        self.soft_nospace = false;
                        Ok(false)
                    }
                }
            }
            Sink::Stream(f) => write_stream(f, data, self.limit.as_mut(), self.chunk),
            Sink::Socket(s) => match self.framed.as_mut() {
                Some(fw) => fw
                    .write_frame(s, data)
                    .map(|()| true)
                    .map_err(|e| io_text(&e)),
                None => write_stream(s, data, self.limit.as_mut(), None),
            },
        }
    }

    /// Closes the current medium, gets the next one in and reopens the path.
    fn change_volume(&mut self, blocks_on_volume: u64) -> Result<(), Failure> {
        let path = self
            .path
            .clone()
            .ok_or_else(|| Failure::Other("end of medium on an output without volumes".into()))?;
        self.log.info(&format!(
            "end of volume - last block on volume: {blocks_on_volume}"
        ));
        self.log.info(&format!(
            "time for writing volume {}: {:.1} sec",
            self.volume,
            self.volume_start.elapsed().as_secs_f64()
        ));
        let was_tape = matches!(self.sink, Some(Sink::Tape(_)));
        self.close_sink().map_err(Failure::Other)?;
        let started = Instant::now();
        volume::change(
            &path,
            self.set.command.as_deref(),
            self.set.autoload_time,
            "\nvolume full - insert new media and press return\n",
            &self.log,
        )
        .map_err(Failure::Other)?;
        self.log.info(&format!(
            "tape-change took {:.1} sec",
            started.elapsed().as_secs_f64()
        ));
        let sink = if was_tape {
            Sink::Tape(Box::new(open_tape(&path).map_err(Failure::Other)?))
        } else {
            Sink::Stream(
                open_file(&path, self.mode, self.set.sync, true)
                    .map_err(|e| Failure::Other(format!("cannot reopen: {}", io_text(&e))))?,
            )
        };
        self.sink = Some(sink);
        self.volume += 1;
        self.volume_start = Instant::now();
        Ok(())
    }

    fn close_sink(&mut self) -> Result<(), String> {
        match self.sink.take() {
            Some(Sink::Tape(dev)) => dev.close().map_err(|e| e.to_string()),
            Some(Sink::Stream(f)) => sync_file(&f),
            Some(Sink::Socket(mut s)) => {
                if let Some(fw) = self.framed.take() {
                    fw.finish(&mut s).map_err(|e| io_text(&e))?;
                }
                s.flush().map_err(|e| io_text(&e))?;
                let _ = s.shutdown(std::net::Shutdown::Write);
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn close(&mut self) -> Result<(), Failure> {
        self.close_sink().map_err(Failure::Other)
    }
}

/// fsync at the end as mbuffer does; devices and pipes that cannot sync are skipped.
fn sync_file(f: &std::fs::File) -> Result<(), String> {
    match f.sync_all() {
        Ok(()) => Ok(()),
        Err(e) => match e.raw_os_error().map(Errno::from_raw) {
            Some(Errno::EINVAL | Errno::EBADRQC | Errno::ENOTSUP | Errno::EROFS) => Ok(()),
            _ => Err(io_text(&e)),
        },
    }
}

/// Writes `data` to a byte stream, in rate-limited slices or `-d` chunks if asked.
/// `Ok(false)`: end of medium (write returned 0, ENOSPC or ENOMEM).
fn write_stream<W: Write>(
    w: &mut W,
    data: &[u8],
    limit: Option<&mut RateLimit>,
    chunk: Option<usize>,
) -> Result<bool, String> {
    let result = match limit {
        None => match chunk {
            None => w.write_all(data),
            Some(c) => data.chunks(c).try_for_each(|piece| w.write_all(piece)),
        },
        Some(l) => {
            let slice = l.slice(chunk.unwrap_or(data.len()).max(1));
            data.chunks(slice).try_for_each(|piece| {
                l.wait(piece.len());
                w.write_all(piece)
            })
        }
    };
    match result {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::WriteZero => Ok(false),
        Err(e) => match e.raw_os_error().map(Errno::from_raw) {
            Some(Errno::ENOSPC | Errno::ENOMEM) => Ok(false),
            Some(Errno::EAGAIN) => Err("timeout".into()),
            _ => Err(io_text(&e)),
        },
    }
}

/// Registers the byte counter of an output (shared with the status line).
pub fn counter() -> Arc<AtomicU64> {
    Arc::new(AtomicU64::new(0))
}
