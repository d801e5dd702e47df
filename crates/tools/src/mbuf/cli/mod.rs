//! mbuffer R20230301's command line (`reference/mbuffer.md` §1-§3): option syntax
//! ([`parse`](mod@parse)), size and duration arguments ([`size`]), config files
//! ([`config`]), the `-s`/`-m`/`-b` rules ([`geometry`]), the texts printed while running
//! ([`format`](mod@format)) and the help ([`usage`]). Everything here is pure except
//! [`Env::from_system`].

pub mod config;
pub mod format;
pub mod geometry;
pub mod parse;
pub mod size;
pub mod usage;

use std::ffi::OsString;
use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub use parse::parse_verbosity;
pub use usage::{usage_text, version_text};

use super::options::Action;

/// A fatal command-line problem; the binary prints it as `<prog>: fatal: <message>` and exits 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// The message, mbuffer's wording where there is one (no prefix, no newline).
    pub message: String,
}

impl CliError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

/// What the parser needs to know about the machine (kept apart so that parsing is pure).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Env {
    /// Physical memory in bytes (`%` sizes, default geometry); 0 if unknown.
    pub physical_memory: u64,
    /// Page size in bytes (default geometry); 0 means 4096.
    pub page_size: u64,
    /// Config files in the order they apply (later ones override), with their contents.
    pub config_files: Vec<(PathBuf, String)>,
    /// Standard input is a terminal.
    pub stdin_is_tty: bool,
    /// Standard error is a terminal.
    pub stderr_is_tty: bool,
    /// Problems found while gathering this (refused config files), passed on to
    /// `Options::warnings`.
    pub warnings: Vec<String>,
}

/// Fallback page size.
const DEFAULT_PAGE_SIZE: u64 = 4096;

/// System-wide config file.
pub const SYSTEM_CONFIG: &str = "/etc/mbuffer.rc";
/// Config file under mbuffer's Debian prefix (`$PREFIX/etc/mbuffer.rc`).
pub const PREFIX_CONFIG: &str = "/usr/etc/mbuffer.rc";
/// Per-user config file, relative to `$HOME`.
pub const USER_CONFIG: &str = ".mbuffer.rc";
/// Environment variable naming one more config file.
pub const CONFIG_ENV: &str = "MBUFFERRC";

impl Env {
    /// Reads the machine: physical memory (`/proc/meminfo`), page size, terminals, and the
    /// config files `/etc/mbuffer.rc`, `/usr/etc/mbuffer.rc`, `$HOME/.mbuffer.rc` and
    /// `$MBUFFERRC` in that order. A world-writable config file is refused with a warning
    /// (mbuffer reads it; anyone could change the buffer settings or the watchdog).
    pub fn from_system() -> Env {
        let mut env = Env {
            physical_memory: physical_memory().unwrap_or(0),
            page_size: u64::try_from(scsi_sg::buffer::page_size()).unwrap_or(DEFAULT_PAGE_SIZE),
            stdin_is_tty: std::io::stdin().is_terminal(),
            stderr_is_tty: std::io::stderr().is_terminal(),
            ..Env::default()
        };
        let mut paths = vec![PathBuf::from(SYSTEM_CONFIG), PathBuf::from(PREFIX_CONFIG)];
        if let Some(home) = std::env::var_os("HOME") {
            paths.push(Path::new(&home).join(USER_CONFIG));
        }
        if let Some(rc) = std::env::var_os(CONFIG_ENV) {
            paths.push(PathBuf::from(rc));
        }
        for path in paths {
            env.read_config(path);
        }
        env
    }

    fn read_config(&mut self, path: PathBuf) {
        use std::os::unix::fs::PermissionsExt;
        /// The "others may write" permission bit.
        const WORLD_WRITABLE: u32 = 0o002;
        let Ok(meta) = std::fs::metadata(&path) else {
            return;
        };
        if meta.permissions().mode() & WORLD_WRITABLE != 0 {
            self.warnings.push(format!(
                "ignoring world-writable config file {}",
                path.display()
            ));
            return;
        }
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                self.config_files.push((path, text));
            }
            Err(e) => self.warnings.push(format!(
                "unable to read config file {}: {e}",
                path.display()
            )),
        }
    }
}

/// `MemTotal` of `/proc/meminfo` in bytes.
fn physical_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// Parses an mbuffer command line (`args` includes argv\[0\], whose basename becomes the
/// message prefix). Config files of `env` apply first; the command line overrides them.
pub fn parse(args: Vec<OsString>, env: &Env) -> Result<Action, CliError> {
    parse::parse_args(args, env)
}

#[cfg(test)]
mod tests;
