//! The one device opener every tool uses: a path names either a tape character device
//! (`/dev/nst0`: st(4) through [`StTape`], SG_IO on the same node through [`SgDevice`]) or a
//! `.vtape` medium file (the in-process emulated drive: [`VirtualTape`] over a [`Drive`]).
//!
//! The kind is decided by what the path is, never by its name: a character device is a
//! kernel tape; a regular file that starts with the vtape magic is an emulated drive;
//! anything else (directory, block device, another file) is "not a tape device or .vtape
//! file". A missing path keeps the errno of the failed open, so a tool prints
//! `<dev>: No such file or directory` exactly like mt-st.
//!
//! [`Device`] gives both views of one open device — the [`Tape`] (st semantics) and the
//! [`Transport`] (SCSI pass-through) — which `mt`'s TapeAlert/log commands need. As with
//! SG_IO on a real st node, st's file/block numbers are not updated by pass-through
//! commands.

use std::fmt;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

use nix::errno::Errno;
use scsi_sg::{SgDevice, Transport};
use tape_io::{OpenMode, StTape, Tape, TapeError};
use vtape::drive::Drive;
use vtape::st::{VirtualTape, VTAPE_MAGIC};

/// Why a device could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// stat(2) or open(2) failed with this errno (ENOENT, EACCES, EBUSY, ...).
    Os(Errno),
    /// The path is neither a character device nor a `.vtape` medium file.
    NotATape,
    /// The tape layer refused the open (e.g. EROFS on a write-protected tape, EBUSY).
    Tape(TapeError),
    /// The `.vtape` file could not be used by the emulated drive (damaged medium, ...).
    Vtape(String),
}

impl OpenError {
    /// The errno behind the error, for perror-style messages and exit codes.
    pub fn errno(&self) -> Option<Errno> {
        match self {
            OpenError::Os(e) => Some(*e),
            OpenError::NotATape => None,
            OpenError::Tape(e) => e.errno(),
            OpenError::Vtape(_) => None,
        }
    }
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Os(e) => f.write_str(&tape_io::error::strerror(*e)),
            OpenError::NotATape => f.write_str("not a tape device or .vtape file"),
            OpenError::Tape(e) => write!(f, "{e}"),
            OpenError::Vtape(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for OpenError {}

fn io_errno(e: &std::io::Error) -> Errno {
    e.raw_os_error().map_or(Errno::EIO, Errno::from_raw)
}

fn tape_error(e: TapeError) -> OpenError {
    match e {
        TapeError::Open(errno) => OpenError::Os(errno),
        TapeError::Backend(m) => OpenError::Vtape(m),
        other => OpenError::Tape(other),
    }
}

/// What kind of device a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceKind {
    /// A character device: a kernel tape (st) or SCSI generic node.
    CharDevice,
    /// A regular file starting with the vtape magic.
    VtapeFile,
}

/// Classify `path`: a character device, a `.vtape` medium file, or an error.
pub fn device_kind(path: impl AsRef<Path>) -> Result<DeviceKind, OpenError> {
    let path = path.as_ref();
    let meta = std::fs::metadata(path).map_err(|e| OpenError::Os(io_errno(&e)))?;
    let ft = meta.file_type();
    if ft.is_char_device() {
        return Ok(DeviceKind::CharDevice);
    }
    if !ft.is_file() {
        return Err(OpenError::NotATape);
    }
    let mut file = std::fs::File::open(path).map_err(|e| OpenError::Os(io_errno(&e)))?;
    let mut head = [0u8; VTAPE_MAGIC.len()];
    let mut got = 0;
    while got < head.len() {
        let rest = head.get_mut(got..).unwrap_or_default();
        match file.read(rest) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(OpenError::Os(io_errno(&e))),
        }
    }
    if got == head.len() && head == VTAPE_MAGIC {
        Ok(DeviceKind::VtapeFile)
    } else {
        Err(OpenError::NotATape)
    }
}

/// True when `path` names a tape without opening it: an st(4) character device (major
/// [`tape_io::ST_MAJOR`]) or a `.vtape` medium file.
pub fn is_tape(path: impl AsRef<Path>) -> bool {
    let path = path.as_ref();
    match std::fs::metadata(path) {
        Ok(m) if m.file_type().is_char_device() => {
            nix::sys::stat::major(m.rdev()) == tape_io::ST_MAJOR
        }
        Ok(m) if m.is_file() => matches!(device_kind(path), Ok(DeviceKind::VtapeFile)),
        _ => false,
    }
}

/// One open device with both its views.
#[derive(Debug)]
pub enum Device {
    /// A kernel st node and SG_IO on the same descriptor (duplicated).
    St {
        /// The st(4) view.
        tape: StTape,
        /// SG_IO on the same node.
        sg: SgDevice,
    },
    /// The in-process emulated drive over a `.vtape` file.
    Virtual(Box<VirtualTape<Drive>>),
}

impl Device {
    /// Open `path` as a tape (see the module docs for how the kind is chosen).
    pub fn open(path: impl AsRef<Path>, mode: OpenMode) -> Result<Device, OpenError> {
        let path = path.as_ref();
        match device_kind(path)? {
            DeviceKind::CharDevice => {
                let tape = StTape::open(path, mode).map_err(tape_error)?;
                let fd = tape
                    .fd()
                    .try_clone_to_owned()
                    .map_err(|e| OpenError::Os(io_errno(&e)))?;
                Ok(Device::St {
                    tape,
                    sg: SgDevice::from_fd(fd),
                })
            }
            DeviceKind::VtapeFile => VirtualTape::open(path, mode)
                .map(|v| Device::Virtual(Box::new(v)))
                .map_err(tape_error),
        }
    }

    /// The st view.
    pub fn tape(&mut self) -> &mut dyn Tape {
        match self {
            Device::St { tape, .. } => tape,
            Device::Virtual(v) => v.as_mut(),
        }
    }

    /// The SCSI pass-through view of the same device. st's position is stale after
    /// commands that move the tape.
    pub fn transport(&mut self) -> &mut dyn Transport {
        match self {
            Device::St { sg, .. } => sg,
            Device::Virtual(v) => v.transport_mut(),
        }
    }

    /// Close: for a `.vtape`, st's close (filemark after a write) and persistence, with
    /// errors reported; a kernel node is closed by dropping it.
    pub fn close(self) -> Result<(), TapeError> {
        match self {
            Device::St { .. } => Ok(()),
            Device::Virtual(v) => v.close(),
        }
    }
}

/// Open `path` as a [`Tape`]: `/dev/nstN` through st, a `.vtape` file in process.
pub fn open_tape(path: impl AsRef<Path>, mode: OpenMode) -> Result<Box<dyn Tape>, OpenError> {
    let path = path.as_ref();
    match device_kind(path)? {
        DeviceKind::CharDevice => Ok(Box::new(StTape::open(path, mode).map_err(tape_error)?)),
        DeviceKind::VtapeFile => Ok(Box::new(VirtualTape::open(path, mode).map_err(tape_error)?)),
    }
}

/// Open `path` as a SCSI [`Transport`]: SG_IO on a character device (`/dev/sgN` or
/// `/dev/nstN`), the emulated drive itself for a `.vtape` file.
pub fn open_transport(path: impl AsRef<Path>) -> Result<Box<dyn Transport>, OpenError> {
    let path = path.as_ref();
    match device_kind(path)? {
        DeviceKind::CharDevice => Ok(Box::new(
            SgDevice::open(path).map_err(|e| OpenError::Os(io_errno(&e)))?,
        )),
        DeviceKind::VtapeFile => {
            let drive = Drive::open(path).map_err(|e| match e {
                vtape::drive::DriveError::Medium(vtape::medium::MediumError::Busy) => {
                    OpenError::Os(Errno::EBUSY)
                }
                other => OpenError::Vtape(format!("vtape: {other}")),
            })?;
            Ok(Box::new(drive))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vtape::medium::{Generation, Medium, MediumConfig};

    fn vtape(dir: &tempfile::TempDir) -> std::path::PathBuf {
        let p = dir.path().join("a.vtape");
        let cfg = MediumConfig::new(Generation::Lto6).with_capacity(64 << 20);
        Medium::create(&p, &cfg).unwrap().close().unwrap();
        p
    }

    #[test]
    fn kinds_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let e = open_tape(&missing, OpenMode::default()).err().unwrap();
        assert_eq!(e.errno(), Some(Errno::ENOENT));
        assert_eq!(e.to_string(), "No such file or directory");
        let e = open_tape(dir.path(), OpenMode::default()).err().unwrap();
        assert_eq!(e.to_string(), "not a tape device or .vtape file");
        let plain = dir.path().join("plain");
        std::fs::write(&plain, b"TKVTAP").unwrap();
        assert!(matches!(device_kind(&plain), Err(OpenError::NotATape)));
        assert_eq!(device_kind("/dev/null").unwrap(), DeviceKind::CharDevice);
        let p = vtape(&dir);
        assert_eq!(device_kind(&p).unwrap(), DeviceKind::VtapeFile);
    }

    #[test]
    fn vtape_device_has_both_views() {
        let dir = tempfile::tempdir().unwrap();
        let p = vtape(&dir);
        let mode = OpenMode {
            write: true,
            nonblock: false,
        };
        let mut d = Device::open(&p, mode).unwrap();
        d.tape().write_record(b"hello").unwrap();
        // READ POSITION through the pass-through view sees the block written.
        let pos = scsi_sg::position::read_short(d.transport()).unwrap();
        assert_eq!(pos.first_block, Some(1));
        // A second open of the same file is busy.
        let e = open_tape(&p, OpenMode::default()).err().unwrap();
        assert_eq!(e.errno(), Some(Errno::EBUSY));
        assert_eq!(e.to_string(), "Device or resource busy");
        d.close().unwrap();
        let mut t = open_tape(&p, OpenMode::default()).unwrap();
        assert_eq!(t.status().unwrap().file_number(), Some(1));
        drop(t);
        let mut tr = open_transport(&p).unwrap();
        scsi_sg::unit_ready::test(&mut tr).unwrap();
    }
}
