//! Messages on stderr and in the `-l` log, with mbuffer's prefixes and verbosity levels
//! (`reference/mbuffer.md` §1 `-v`, `-l`, `-q`/`-Q`, `--pid`; §3 "Message prefixes"):
//! `mbuffer: warning: …`, `mbuffer: error: …`, `mbuffer: fatal: …`; informational messages
//! have no level word; with `--pid` the prefix is `mbuffer (PID):`.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::mbuf::options::{verbosity, Options};

/// Where messages, status lines and the summary go.
#[derive(Debug)]
pub struct Logger {
    prefix: String,
    verbose: u8,
    file: Option<Mutex<File>>,
    status_to_log: bool,
    /// A status line (no newline) is on stderr: the next message starts a new line.
    status_open: AtomicBool,
}

impl Logger {
    /// Builds the logger of a run; fails if the `-l` file cannot be opened.
    pub fn new(opts: &Options) -> io::Result<Logger> {
        let prefix = if opts.print_pid {
            format!("{} ({})", opts.program, std::process::id())
        } else {
            opts.program.clone()
        };
        let file = match &opts.log_file {
            Some(p) => Some(Mutex::new(
                OpenOptions::new().create(true).append(true).open(p)?,
            )),
            None => None,
        };
        Ok(Logger {
            prefix,
            verbose: opts.verbose,
            status_to_log: file.is_some() && !opts.quiet_log,
            file,
            status_open: AtomicBool::new(false),
        })
    }

    /// A logger for unit tests and early failures: stderr only, default verbosity.
    pub fn stderr_only(program: &str) -> Logger {
        Logger {
            prefix: program.to_string(),
            verbose: verbosity::WARNING,
            file: None,
            status_to_log: false,
            status_open: AtomicBool::new(false),
        }
    }

    fn emit(&self, level: u8, word: &str, msg: &str) {
        if self.verbose < level {
            return;
        }
        let line = format!("{}: {word}{msg}\n", self.prefix);
        self.stderr(&line);
        self.log(&line);
    }

    fn stderr(&self, text: &str) {
        let mut err = io::stderr().lock();
        if self.status_open.swap(false, Ordering::Relaxed) {
            let _ = err.write_all(b"\n");
        }
        let _ = err.write_all(text.as_bytes());
    }

    fn log(&self, text: &str) {
        if let Some(f) = &self.file {
            if let Ok(mut f) = f.lock() {
                let _ = f.write_all(text.as_bytes());
            }
        }
    }

    /// `prog: fatal: msg`.
    pub fn fatal(&self, msg: &str) {
        self.emit(verbosity::FATAL, "fatal: ", msg);
    }

    /// `prog: error: msg`.
    pub fn error(&self, msg: &str) {
        self.emit(verbosity::ERROR, "error: ", msg);
    }

    /// `prog: warning: msg`.
    pub fn warning(&self, msg: &str) {
        self.emit(verbosity::WARNING, "warning: ", msg);
    }

    /// `prog: msg` at `-v 4`.
    pub fn info(&self, msg: &str) {
        self.emit(verbosity::INFO, "", msg);
    }

    /// `prog: msg` at `-v 5`.
    pub fn debug(&self, msg: &str) {
        self.emit(verbosity::DEBUG, "", msg);
    }

    /// `prog: msg` (no level word, plain program prefix) at the default verbosity: the
    /// `--pid` announcement `PID is N`.
    pub fn notice(&self, program: &str, msg: &str) {
        if self.verbose >= verbosity::WARNING {
            let line = format!("{program}: {msg}\n");
            self.stderr(&line);
            self.log(&line);
        }
    }

    /// True when `-v` is at least `level` (to skip building expensive messages).
    pub fn enabled(&self, level: u8) -> bool {
        self.verbose >= level
    }

    /// A status line (starting with `\r`, no newline): on stderr if `to_stderr`, and in the
    /// log (as `prog: in @ …`) unless `-Q`.
    pub fn status(&self, line: &str, to_stderr: bool) {
        if to_stderr {
            let mut err = io::stderr().lock();
            let _ = err.write_all(line.as_bytes());
            let _ = err.flush();
            self.status_open.store(true, Ordering::Relaxed);
        }
        if self.status_to_log {
            self.log(&format!(
                "{}: {}\n",
                self.prefix,
                line.trim_start_matches('\r')
            ));
        }
    }

    /// A result line (hash, summary): on stderr if `to_stderr`, always in the log.
    pub fn result(&self, line: &str, to_stderr: bool) {
        let text = format!("{line}\n");
        if to_stderr {
            self.stderr(&text);
        }
        self.log(&text);
    }

    /// Ends an open status line with a newline (before the summary).
    pub fn end_status(&self) {
        if self.status_open.swap(false, Ordering::Relaxed) {
            let _ = io::stderr().lock().write_all(b"\n");
        }
    }
}

/// An I/O error as strerror(3) text, without Rust's ` (os error N)` suffix.
pub fn io_text(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => tape_io::error::strerror(nix::errno::Errno::from_raw(code)),
        None => e.to_string(),
    }
}
