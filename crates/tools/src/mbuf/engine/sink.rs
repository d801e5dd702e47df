//! Opening outputs (`-o FILE`, `-o -`, `-O host:port`; `reference/mbuffer.md` §1, §3 "stdout
//! as output", §5): files with mbuffer's open rules, st tapes and `.vtape` media through
//! tape-io, standard output as a dup of fd 1 with fd 1 then pointed at stderr, TCP.

use std::fs::{File, OpenOptions};
use std::io;
use std::net::TcpStream;
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use tape_io::OpenMode as TapeOpenMode;

use super::log::{io_text, Logger};
use super::net;
pub use crate::device::is_tape;
use crate::device::Device;
use crate::mbuf::options::{OpenMode, Options, OutputSpec};

/// Largest pipe buffer mbuf asks for (Linux `pipe-max-size` default for unprivileged users).
const MAX_PIPE_SIZE: usize = 1 << 20;
/// Display name of standard output in messages (mbuffer's wording).
pub const STDOUT_NAME: &str = "<stdout>";

/// Where an output's bytes go.
#[derive(Debug)]
pub enum Sink {
    /// A file, device node, pipe or standard output: plain `write(2)`.
    Stream(File),
    /// A TCP connection.
    Socket(TcpStream),
    /// An st tape or `.vtape` medium: one record per block.
    Tape(Box<Device>),
}

/// True for paths under `/dev/` (opened without O_EXCL/O_CREAT, as mbuffer does).
pub fn under_dev(path: &Path) -> bool {
    path.starts_with("/dev/")
}

/// Asks the kernel for a pipe buffer of about one block (fewer wake-ups per block); a
/// refusal is harmless.
pub fn grow_pipe(f: &File, block_size: usize) {
    if f.metadata().is_ok_and(|m| m.file_type().is_fifo()) {
        let size = block_size.saturating_mul(4).clamp(1 << 16, MAX_PIPE_SIZE);
        let size = i32::try_from(size).unwrap_or(1 << 16);
        let _ = nix::fcntl::fcntl(f.as_raw_fd(), nix::fcntl::FcntlArg::F_SETPIPE_SZ(size));
    }
}

/// Opens a file output with mbuffer's rules: `Exclusive` refuses an existing file except under
/// `/dev/`; `reopen` (a new volume) truncates and creates unless under `/dev/`.
pub fn open_file(path: &Path, mode: OpenMode, sync: bool, reopen: bool) -> io::Result<File> {
    let mut oo = OpenOptions::new();
    oo.write(true);
    let dev = under_dev(path);
    match (mode, reopen) {
        (_, true) => {
            oo.truncate(true).create(!dev);
        }
        (OpenMode::Exclusive, false) if dev => {}
        (OpenMode::Exclusive, false) => {
            oo.create_new(true);
        }
        (OpenMode::Truncate, false) => {
            oo.truncate(true).create(!dev);
        }
        (OpenMode::Append, false) => {
            oo.append(true).create(!dev);
        }
    }
    if sync {
        oo.custom_flags(libc::O_SYNC);
    }
    oo.open(path)
}

/// Opens a tape output (st device or `.vtape`) for writing.
pub fn open_tape(path: &Path) -> Result<Device, String> {
    let mode = TapeOpenMode {
        write: true,
        nonblock: false,
    };
    Device::open(path, mode).map_err(|e| e.to_string())
}

/// Standard output as an output: a dup of fd 1, after which fd 1 is pointed at stderr so that
/// stray prints cannot corrupt the data stream.
pub fn take_stdout() -> io::Result<File> {
    let fd = io::stdout().as_fd().try_clone_to_owned()?;
    nix::unistd::dup2(libc::STDERR_FILENO, libc::STDOUT_FILENO).map_err(io::Error::from)?;
    Ok(File::from(fd))
}

/// An opened output and what is needed to reopen it.
#[derive(Debug)]
pub struct Opened {
    /// Name in messages.
    pub name: String,
    /// Path of a file or tape output (for volume changes).
    pub path: Option<PathBuf>,
    /// The open sink.
    pub sink: Sink,
    /// Open mode (reopen uses truncate).
    pub mode: OpenMode,
}

/// Opens one output; the error text follows `unable to open output X: ` / `unable to
/// connect to X`.
pub fn open(spec: &OutputSpec, opts: &Options, log: &Logger) -> Result<Opened, String> {
    match spec {
        OutputSpec::Stdout => {
            let f = take_stdout()
                .map_err(|e| format!("unable to open output {STDOUT_NAME}: {}", io_text(&e)))?;
            grow_pipe(&f, opts.block_size);
            Ok(Opened {
                name: STDOUT_NAME.to_string(),
                path: None,
                sink: Sink::Stream(f),
                mode: OpenMode::Append,
            })
        }
        OutputSpec::File { path, mode } => {
            let name = path.display().to_string();
            let sink = if is_tape(path) {
                Sink::Tape(Box::new(
                    open_tape(path).map_err(|e| format!("unable to open output {name}: {e}"))?,
                ))
            } else {
                let f = open_file(path, *mode, opts.sync, false)
                    .map_err(|e| format!("unable to open output {name}: {}", io_text(&e)))?;
                grow_pipe(&f, opts.block_size);
                Sink::Stream(f)
            };
            Ok(Opened {
                name,
                path: Some(path.clone()),
                sink,
                mode: *mode,
            })
        }
        OutputSpec::Connect {
            host,
            port,
            net: netopts,
            retry,
        } => {
            let s = net::connect(host, *port, netopts, *retry, log)
                .map_err(|_| format!("unable to connect to {host}:{port}"))?;
            Ok(Opened {
                name: format!("{host}:{port}"),
                path: None,
                sink: Sink::Socket(s),
                mode: OpenMode::Append,
            })
        }
    }
}

/// The preferred write chunk of a stream sink (`-d`: st_blksize).
pub fn device_chunk(f: &File) -> Option<usize> {
    f.metadata()
        .ok()
        .and_then(|m| usize::try_from(m.blksize()).ok())
        .filter(|&b| b > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_rules() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, b"old").unwrap();
        let e = open_file(&p, OpenMode::Exclusive, false, false).unwrap_err();
        assert_eq!(io_text(&e), "File exists");
        drop(open_file(&p, OpenMode::Append, false, false).unwrap());
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
        drop(open_file(&p, OpenMode::Truncate, false, false).unwrap());
        assert!(std::fs::read(&p).unwrap().is_empty());
        // /dev/ paths are not opened exclusively.
        drop(open_file(Path::new("/dev/null"), OpenMode::Exclusive, false, false).unwrap());
        assert!(!is_tape(Path::new("/dev/null")));
        assert!(!is_tape(&p));
    }
}
