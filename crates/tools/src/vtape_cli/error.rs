//! Errors of the `vtape` commands, printed as `vtape: <message>` with exit status 1.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use tape_io::error::strerror;
use vtape::medium::MediumError;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// The medium layer refused (busy, damaged file, invalid configuration, I/O).
    Medium {
        /// The medium file.
        path: PathBuf,
        /// What went wrong.
        source: MediumError,
    },
    /// `create` without `--force` on an existing path.
    Exists(PathBuf),
    /// `create --force` on something that is not a regular file.
    NotRegularFile(PathBuf),
    /// A file-system call failed.
    Io {
        /// The path involved.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
    /// Writing the output failed.
    Output(io::Error),
    /// `vtape serve` failed.
    Serve {
        /// The medium file.
        path: PathBuf,
        /// What went wrong.
        source: vtape::tcmu::ServeError,
    },
}

impl CliError {
    /// A medium error about `path`.
    pub fn medium(path: &Path, source: MediumError) -> CliError {
        CliError::Medium {
            path: path.into(),
            source,
        }
    }

    /// An I/O error about `path`.
    pub fn io(path: &Path, source: io::Error) -> CliError {
        CliError::Io {
            path: path.into(),
            source,
        }
    }
}

/// `No such file or directory`, without Rust's `(os error 2)`.
fn io_text(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => strerror(Errno::from_raw(code)),
        None => e.to_string(),
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Medium {
                path,
                source: MediumError::Io(e),
            } => write!(f, "{}: {}", path.display(), io_text(e)),
            CliError::Medium { path, source } => write!(f, "{}: {source}", path.display()),
            CliError::Exists(path) => write!(
                f,
                "{}: file exists (use --force to overwrite it)",
                path.display()
            ),
            CliError::NotRegularFile(path) => {
                write!(f, "{}: not a regular file", path.display())
            }
            CliError::Io { path, source } => write!(f, "{}: {}", path.display(), io_text(source)),
            CliError::Output(e) => write!(f, "write error: {}", io_text(e)),
            CliError::Serve { source, .. } => write!(f, "serve: {source}"),
        }
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CliError::Medium { source, .. } => Some(source),
            CliError::Io { source, .. } | CliError::Output(source) => Some(source),
            CliError::Serve { source, .. } => Some(source),
            CliError::Exists(_) | CliError::NotRegularFile(_) => None,
        }
    }
}
