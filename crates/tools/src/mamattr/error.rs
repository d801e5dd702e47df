//! `mamattr`'s errors, printed as `mamattr: <dev or file>: <message>` with exit status 1 (the
//! shape of the other tapekit tools). A command the drive refused shows its sense data as
//! `scsi_sg::Sense` prints it (key, ASC/ASCQ and their meaning, field pointer); a request the
//! library refused before sending (read-only attribute, over-length value) shows the
//! library's reason.

use std::fmt;
use std::io;
use std::path::PathBuf;

use nix::errno::Errno;
use scsi_sg::attributes::AttributeError;
use scsi_sg::{ParseError, ScsiError};
use tape_io::error::strerror;

use super::hexin::HexError;
use super::ident::id_hex;
use crate::device::OpenError;

/// Why a command failed.
#[derive(Debug)]
pub enum MamError {
    /// The device could not be opened.
    Open {
        /// The device path.
        dev: String,
        /// Why.
        source: OpenError,
    },
    /// A READ or WRITE ATTRIBUTE command failed (or was refused before it was sent).
    Scsi {
        /// The device path.
        dev: String,
        /// Why.
        source: ScsiError,
    },
    /// A value or request refused by the library before anything was sent.
    Attribute {
        /// The device path (or `--inhex` file).
        dev: String,
        /// Why.
        source: AttributeError,
    },
    /// The attribute is not in the cartridge memory (or the saved response).
    NotPresent {
        /// The device path (or `--inhex` file).
        dev: String,
        /// The attribute.
        id: u16,
    },
    /// A file could not be read or written.
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A file's content could not be decoded (raw attribute file, saved response).
    Decode {
        /// The file.
        path: PathBuf,
        /// Why.
        source: ParseError,
    },
    /// An `--inhex` file is not hex text.
    Hex {
        /// The file.
        path: PathBuf,
        /// Why.
        source: HexError,
    },
    /// Writing standard output failed.
    Output(io::Error),
}

/// `No such file or directory`, without Rust's `(os error 2)`.
fn io_text(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => strerror(Errno::from_raw(code)),
        None => e.to_string(),
    }
}

/// The message for a failed command: the sense as `Sense` prints it, the library's reason
/// for a refused request, the OS error text for a failed system call.
pub fn scsi_text(e: &ScsiError) -> String {
    if let Some(sense) = e.sense() {
        return sense.to_string();
    }
    match e {
        ScsiError::InvalidRequest(msg) => msg.clone(),
        ScsiError::Io(io) => io_text(io),
        other => other.to_string(),
    }
}

impl fmt::Display for MamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MamError::Open { dev, source } => write!(f, "{dev}: {source}"),
            MamError::Scsi { dev, source } => write!(f, "{dev}: {}", scsi_text(source)),
            MamError::Attribute { dev, source } => write!(f, "{dev}: {source}"),
            MamError::NotPresent { dev, id } => {
                write!(f, "{dev}: attribute {} not present", id_hex(*id))
            }
            MamError::File { path, source } => {
                write!(f, "{}: {}", path.display(), io_text(source))
            }
            MamError::Decode { path, source } => write!(f, "{}: {source}", path.display()),
            MamError::Hex { path, source } => write!(f, "{}: {source}", path.display()),
            MamError::Output(e) => write!(f, "write error: {}", io_text(e)),
        }
    }
}

impl std::error::Error for MamError {}
