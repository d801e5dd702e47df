//! The mbuf engine: runs one resolved [`Options`] (`reference/mbuffer.md` §4-§6).
//!
//! Threads, as in mbuffer (§6 "Threads") but with a signal-safe design:
//! - the **input** thread reads straight into ring blocks ([`input`]);
//! - one thread per **output** writes every block ([`output`]); a failed output leaves the
//!   ring and the others go on (exit code 1);
//! - one thread per **hash** algorithm ([`hash`]);
//! - the calling thread **coordinates**: it waits for completion events and, every status
//!   interval, prints the status line ([`status`]); with `-q`, no log and no progress bar it
//!   only blocks on the event channel (no wake-ups);
//! - SIGINT/SIGHUP ([`signals`]) and the `-W` [`watchdog`] turn into a cancel event:
//!   "error during output to X: canceled", summary, exit 1.
//!
//! On cancel, [`run`] returns while input/output threads may still be blocked in a system
//! call; the caller (the `mbuf` binary) exits the process right away.

pub mod framed;
pub mod hash;
pub mod input;
pub mod log;
pub mod net;
pub mod output;
pub mod ratelimit;
pub mod report;
pub mod signals;
pub mod sink;
pub mod status;
pub mod volume;
pub mod watchdog;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread;

use stream_buffer::{buffer, Backing, Config, Consumer, Producer};

use self::log::Logger;
use crate::mbuf::cli::format;
use crate::mbuf::options::{BufferBacking, HashAlg, Options, OutputSpec};

/// Default directory of the `-t` temporary buffer file when `$TMPDIR` is not set.
const DEFAULT_TMPDIR: &str = "/var/tmp";

/// What the worker threads report to the coordinator.
#[derive(Debug)]
enum Event {
    Input(Result<u64, String>),
    Output(usize, Result<(), String>),
    Hash(usize, Option<Vec<u8>>),
    Signal(i32),
}

/// Runs a transfer; returns the exit code (0 or 1).
pub fn run(opts: &Options) -> i32 {
    let log = match Logger::new(opts) {
        Ok(l) => Arc::new(l),
        Err(e) => {
            let path = opts.log_file.as_deref().unwrap_or(std::path::Path::new(""));
            Logger::stderr_only(&opts.program).fatal(&format!(
                "cannot open log file {}: {}",
                path.display(),
                log::io_text(&e)
            ));
            return 1;
        }
    };
    for w in &opts.warnings {
        log.warning(w);
    }
    if opts.print_pid {
        log.notice(&opts.program, &format!("PID is {}", std::process::id()));
    }
    Run::new(opts, log).map_or(1, Run::wait)
}

/// A started transfer.
struct Run<'a> {
    opts: &'a Options,
    log: Arc<Logger>,
    rx: mpsc::Receiver<Event>,
    names: Vec<String>,
    written: Vec<Arc<AtomicU64>>,
    stop: Arc<AtomicBool>,
    monitor: stream_buffer::Monitor,
    input_size: Option<u64>,
    open_failed: bool,
    _signals: Option<signals::Guard>,
    _watchdog: Option<watchdog::Guard>,
}

/// Converts a percentage to the ring's whole percent, rounding up (so "at least P %").
fn whole_percent(p: f64) -> u8 {
    p.ceil().clamp(0.0, 100.0) as u8
}

fn ring_config(opts: &Options, consumers: usize) -> Config {
    let backing = match &opts.backing {
        BufferBacking::Memory => Backing::Anonymous,
        BufferBacking::TempFile => Backing::TempFile(
            std::env::var_os("TMPDIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(DEFAULT_TMPDIR)),
        ),
        BufferBacking::File(p) => Backing::File(p.clone()),
    };
    Config::new(opts.block_size, opts.blocks)
        .consumers(consumers)
        .high_watermark(opts.high_watermark.map_or(0, whole_percent))
        .low_watermark(opts.low_watermark.map_or(100, whole_percent))
        .prefault(opts.prefault)
        .mlock(opts.mlock)
        .backing(backing)
}

fn allocate(opts: &Options, consumers: usize, log: &Logger) -> Option<(Producer, Vec<Consumer>)> {
    let cfg = ring_config(opts, consumers);
    match buffer(cfg.clone()) {
        Ok(r) => Some(r),
        Err(stream_buffer::Error::Mlock(e)) => {
            log.warning(&format!(
                "could not lock buffer in memory: {}",
                log::io_text(&e)
            ));
            match buffer(cfg.mlock(false)) {
                Ok(r) => Some(r),
                Err(e) => {
                    log.fatal(&format!("{e}"));
                    None
                }
            }
        }
        Err(e) => {
            log.fatal(&format!("{e}"));
            None
        }
    }
}

impl<'a> Run<'a> {
    /// Opens everything and starts the threads; `None` after a fatal error (logged).
    fn new(opts: &'a Options, log: Arc<Logger>) -> Option<Run<'a>> {
        let input = match input::open(opts, &log) {
            Ok(i) => i,
            Err(e) => {
                log.fatal(&e);
                return None;
            }
        };
        let specs: Vec<OutputSpec> = if opts.outputs.is_empty() {
            vec![OutputSpec::Stdout]
        } else {
            opts.outputs.clone()
        };
        let mut opened = Vec::new();
        let mut open_failed = false;
        for spec in &specs {
            match sink::open(spec, opts, &log) {
                Ok(o) => opened.push(o),
                Err(e) => {
                    log.error(&e);
                    open_failed = true;
                }
            }
        }
        if opened.is_empty() {
            log.fatal("no output left - nothing to do");
            return None;
        }
        if open_failed {
            log.warning("unable to open all outputs");
        }
        let tty = volume::have_tty();
        let has_file = specs.iter().any(|s| matches!(s, OutputSpec::File { .. }));
        if has_file && !tty && opts.autoload_command.is_none() {
            log.warning("No controlling terminal and no autoloader command specified.");
        }
        let n_out = opened.len();
        let (producer, mut consumers) = allocate(opts, n_out + opts.hashes.len(), &log)?;
        let monitor = producer.monitor();
        let (tx, rx) = mpsc::channel();
        let sigs = match signals::install(tx.clone(), Event::Signal) {
            Ok(g) => Some(g),
            Err(e) => {
                log.warning(&format!("cannot install signal handlers: {e}"));
                None
            }
        };
        let progress = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let hash_consumers = consumers.split_off(n_out);
        let set = output::Settings::from_options(opts, tty);
        let mut names = Vec::new();
        let mut written = Vec::new();
        for (i, (o, c)) in opened.into_iter().zip(consumers).enumerate() {
            let counter = output::counter();
            let out = output::Output::new(
                o,
                set.clone(),
                counter.clone(),
                progress.clone(),
                log.clone(),
            );
            names.push(out.name().to_string());
            written.push(counter);
            let tx = tx.clone();
            spawn(&format!("mbuf-out{i}"), move || {
                let _ = tx.send(Event::Output(i, out.run(c)));
            });
        }
        for (j, (alg, c)) in opts.hashes.iter().copied().zip(hash_consumers).enumerate() {
            let tx = tx.clone();
            spawn(&format!("mbuf-{}", alg.name()), move || {
                let _ = tx.send(Event::Hash(j, hash::run(alg, c)));
            });
        }
        let input_size = input.size;
        let in_set = input::Settings {
            read_rate: opts.read_rate,
            volumes: opts.input_volumes,
            command: opts.autoload_command.clone(),
            autoload_time: opts.autoload_time,
        };
        {
            let (stop, progress, log) = (stop.clone(), progress.clone(), log.clone());
            spawn("mbuf-in", move || {
                let r = input::run(input, producer, &in_set, &stop, &progress, &log);
                let _ = tx.send(Event::Input(r));
            });
        }
        let wd = opts
            .watchdog
            .map(|p| watchdog::start(p, progress.clone(), log.clone()));
        Some(Run {
            opts,
            log,
            rx,
            names,
            written,
            stop,
            monitor,
            input_size,
            open_failed,
            _signals: sigs,
            _watchdog: wd,
        })
    }

    /// Waits for the end (or a cancel), prints hashes and the summary, returns the exit code.
    fn wait(self) -> i32 {
        let opts = self.opts;
        let n_out = self.names.len();
        let mut running = vec![true; n_out];
        let mut errors: Vec<Option<String>> = vec![None; n_out];
        let mut digests: Vec<Option<Vec<u8>>> = vec![None; opts.hashes.len()];
        let mut hashes_left = opts.hashes.len();
        let mut input_result: Option<Result<u64, String>> = None;
        let stderr_tty = std::io::stderr().is_terminal();
        let progress_bar = opts.progress && stderr_tty && self.input_size.is_some();
        let to_stderr = !opts.quiet || progress_bar;
        let status_on = to_stderr || (opts.log_file.is_some() && !opts.quiet_log);
        let mut status = status::Status::new(
            self.monitor.clone(),
            self.written.clone(),
            self.input_size,
            to_stderr,
            progress_bar,
        );
        let mut canceled = false;
        loop {
            let done = input_result.is_some() && !running.contains(&true) && hashes_left == 0;
            let all_outputs_failed = !running.contains(&true) && errors.iter().all(Option::is_some);
            if done || all_outputs_failed {
                break;
            }
            let ev = if status_on {
                match self.rx.recv_timeout(opts.status_interval) {
                    Ok(ev) => ev,
                    Err(RecvTimeoutError::Timeout) => {
                        status.tick(&running, &self.log);
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            } else {
                match self.rx.recv() {
                    Ok(ev) => ev,
                    Err(_) => break,
                }
            };
            match ev {
                Event::Input(r) => input_result = Some(r),
                Event::Output(i, r) => {
                    if let Some(slot) = running.get_mut(i) {
                        *slot = false;
                    }
                    if let (Err(e), Some(slot)) = (r, errors.get_mut(i)) {
                        *slot = Some(e);
                        if opts.stop_on_error {
                            canceled = true;
                            break;
                        }
                    }
                }
                Event::Hash(j, d) => {
                    hashes_left = hashes_left.saturating_sub(1);
                    if let Some(slot) = digests.get_mut(j) {
                        *slot = d;
                    }
                }
                Event::Signal(sig) => {
                    self.log.info(&format!("received signal {sig}"));
                    canceled = true;
                    break;
                }
            }
        }
        self.stop.store(true, Ordering::Relaxed);
        self.finish(canceled, &running, &errors, &digests, input_result)
    }

    fn finish(
        &self,
        canceled: bool,
        running: &[bool],
        errors: &[Option<String>],
        digests: &[Option<Vec<u8>>],
        input_result: Option<Result<u64, String>>,
    ) -> i32 {
        let opts = self.opts;
        self.log.end_status();
        if canceled {
            for (name, _) in self.names.iter().zip(running).filter(|(_, r)| **r) {
                self.log
                    .warning(&format!("error during output to {name}: canceled"));
            }
        }
        let mut failed = canceled || self.open_failed || errors.iter().any(Option::is_some);
        if matches!(input_result, Some(Err(_))) {
            failed = true;
        }
        let mut hex_list: Vec<(HashAlg, String)> = Vec::new();
        if !canceled {
            for (alg, d) in opts.hashes.iter().zip(digests) {
                if let Some(d) = d {
                    let line = format::hash_line(*alg, d);
                    hex_list.push((
                        *alg,
                        line.split_once(": ")
                            .map_or(String::new(), |(_, h)| h.to_string()),
                    ));
                    self.log.result(&line, true);
                }
            }
        }
        let stats = self.monitor.stats();
        let seconds = stats.elapsed.as_secs_f64();
        let bytes = self
            .written
            .iter()
            .map(|w| w.load(Ordering::Relaxed))
            .max()
            .unwrap_or(0);
        let line = status::summary(
            &stats,
            self.names.len(),
            bytes,
            seconds,
            opts.high_watermark.is_some(),
            opts.low_watermark.is_some(),
        );
        self.log.result(&line, !opts.quiet);
        let code = i32::from(failed);
        if let Some(path) = &opts.stats_json {
            let outs: Vec<report::OutputReport> = self
                .names
                .iter()
                .zip(&self.written)
                .zip(errors)
                .map(|((n, w), e)| report::OutputReport {
                    name: n.clone(),
                    bytes: w.load(Ordering::Relaxed),
                    error: e
                        .clone()
                        .or_else(|| canceled.then(|| "canceled".to_string())),
                })
                .collect();
            let doc = report::document(&stats, seconds, &outs, &hex_list, code);
            if let Err(e) = report::write(path, &doc) {
                self.log.error(&format!(
                    "cannot write statistics to {}: {}",
                    path.display(),
                    log::io_text(&e)
                ));
                return 1;
            }
        }
        code
    }
}

/// Starts a named worker thread (falls back to an unnamed one if naming fails).
fn spawn(name: &str, f: impl FnOnce() + Send + 'static) {
    if let Err(e) = thread::Builder::new().name(name.to_string()).spawn(f) {
        // Thread creation only fails when the system is out of resources; the run cannot
        // work without this worker.
        Logger::stderr_only("mbuf").fatal(&format!("cannot start thread {name}: {e}"));
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests;
