//! [`SgDevice`]: the [`Transport`] over the Linux `SG_IO` ioctl (`reference/scsi.md` §8, sg(4)
//! v3 interface), on `/dev/sgN` or an st node (`/dev/nstN`, which needs CAP_SYS_RAWIO and
//! leaves st's position bookkeeping stale).
//!
//! The ioctl returns -1 only when the command could not be issued; a command that ran and
//! failed returns 0 with the outcome in `status`, `host_status`, `driver_status` and the
//! sense buffer, which [`Completion::check`] classifies.

use std::fs::OpenOptions;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration;

use crate::sense::Sense;
use crate::sys::{
    SgIoHdr, SG_DXFER_FROM_DEV, SG_DXFER_NONE, SG_DXFER_TO_DEV, SG_INTERFACE_ID, SG_IO,
};
use crate::transport::{Command, Completion, DataDir, ScsiStatus, Transport};

/// Sense bytes requested from the driver (SPC allows up to 252).
pub const SENSE_BUFFER_LEN: usize = 252;
/// Longest timeout sent to the driver; `u32::MAX` would mean "no timeout".
const MAX_TIMEOUT_MS: u32 = u32::MAX - 1;

/// An open SCSI generic device.
#[derive(Debug)]
pub struct SgDevice {
    fd: OwnedFd,
}

impl SgDevice {
    /// Open `path` read-write and non-blocking (so an st node opens without a loaded tape),
    /// falling back to read-only when read-write is refused with EROFS or EACCES.
    pub fn open(path: impl AsRef<Path>) -> io::Result<SgDevice> {
        let path = path.as_ref();
        let open = |write: bool| {
            OpenOptions::new()
                .read(true)
                .write(write)
                .custom_flags(libc::O_NONBLOCK)
                .open(path)
        };
        let file = match open(true) {
            Ok(f) => f,
            Err(e) if matches!(e.raw_os_error(), Some(libc::EROFS | libc::EACCES)) => open(false)?,
            Err(e) => return Err(e),
        };
        Ok(SgDevice::from_fd(file.into()))
    }

    /// Use an already open descriptor.
    pub fn from_fd(fd: OwnedFd) -> SgDevice {
        SgDevice { fd }
    }

    /// Give the descriptor back.
    pub fn into_fd(self) -> OwnedFd {
        self.fd
    }
}

impl AsFd for SgDevice {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for SgDevice {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

/// `timeout` in milliseconds, saturating below "no timeout".
fn timeout_ms(timeout: Duration) -> u32 {
    u32::try_from(timeout.as_millis())
        .unwrap_or(MAX_TIMEOUT_MS)
        .min(MAX_TIMEOUT_MS)
}

fn invalid(msg: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

impl Transport for SgDevice {
    /// Issue `cmd` with one `SG_IO` ioctl. Retries when the call is interrupted (EINTR);
    /// `Err` for any other failure to issue (EINVAL, ENOMEM, EPERM, ...).
    fn execute(&mut self, cmd: Command<'_>) -> io::Result<Completion> {
        let cmd_len = u8::try_from(cmd.cdb.len())
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| invalid("CDB length must be 1..=255 bytes"))?;
        let data_len = u32::try_from(cmd.data.len())
            .map_err(|_| invalid("data buffer longer than 4 GiB - 1"))?;
        let (direction, data_ptr): (libc::c_int, *mut libc::c_void) = match cmd.data {
            _ if data_len == 0 => (SG_DXFER_NONE, std::ptr::null_mut()),
            DataDir::None => (SG_DXFER_NONE, std::ptr::null_mut()),
            DataDir::FromDevice(buf) => (SG_DXFER_FROM_DEV, buf.as_mut_ptr().cast()),
            // The driver only reads a data-out buffer; the *mut is what the C struct declares.
            DataDir::ToDevice(buf) => (SG_DXFER_TO_DEV, buf.as_ptr().cast_mut().cast()),
        };
        let mut sense = [0u8; SENSE_BUFFER_LEN];
        let mut hdr = SgIoHdr {
            interface_id: SG_INTERFACE_ID,
            dxfer_direction: direction,
            cmd_len,
            mx_sb_len: SENSE_BUFFER_LEN as u8,
            dxfer_len: data_len,
            dxferp: data_ptr,
            // The driver only reads the CDB.
            cmdp: cmd.cdb.as_ptr().cast_mut(),
            sbp: sense.as_mut_ptr(),
            timeout: timeout_ms(cmd.timeout),
            ..SgIoHdr::default()
        };
        loop {
            // SAFETY: hdr is a valid sg_io_hdr for the duration of the call: cmdp points to
            // cmd_len readable CDB bytes, sbp to mx_sb_len writable bytes of `sense`, dxferp
            // to dxfer_len bytes of the caller's buffer (writable for FROM_DEV, borrowed
            // mutably by DataDir::FromDevice) or is null with direction NONE. All of them
            // outlive the ioctl, which is synchronous and keeps no pointer after returning.
            let rc =
                unsafe { libc::ioctl(self.fd.as_raw_fd(), SG_IO as _, &mut hdr as *mut SgIoHdr) };
            if rc >= 0 {
                break;
            }
            let err = io::Error::last_os_error();
            if err.kind() != io::ErrorKind::Interrupted {
                return Err(err);
            }
        }
        let written = usize::from(hdr.sb_len_wr).min(SENSE_BUFFER_LEN);
        let sense_bytes = sense.get(..written).unwrap_or_default().to_vec();
        Ok(Completion {
            status: ScsiStatus(hdr.status),
            host_status: hdr.host_status,
            driver_status: hdr.driver_status,
            sense: Sense::parse(&sense_bytes).ok(),
            sense_bytes,
            residual: usize::try_from(hdr.resid).unwrap_or(0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_milliseconds_and_never_infinite() {
        assert_eq!(timeout_ms(Duration::from_secs(30)), 30_000);
        assert_eq!(timeout_ms(Duration::from_secs(14_400)), 14_400_000);
        assert_eq!(timeout_ms(Duration::from_secs(u64::MAX)), u32::MAX - 1);
        assert_eq!(
            timeout_ms(Duration::from_millis(u64::from(u32::MAX))),
            u32::MAX - 1
        );
    }

    #[test]
    fn sg_io_on_a_regular_file_is_an_os_error() {
        let file = std::fs::File::open("/proc/self/status").expect("open");
        let mut dev = SgDevice::from_fd(file.into());
        let cdb = [0u8; 6];
        let res = dev.execute(Command {
            cdb: &cdb,
            data: DataDir::None,
            timeout: Duration::from_secs(1),
        });
        assert!(res.is_err(), "{res:?}");
    }

    #[test]
    fn bad_cdb_length_is_refused_before_the_ioctl() {
        let file = std::fs::File::open("/proc/self/status").expect("open");
        let mut dev = SgDevice::from_fd(file.into());
        let err = dev
            .execute(Command {
                cdb: &[],
                data: DataDir::None,
                timeout: Duration::from_secs(1),
            })
            .expect_err("empty CDB");
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn open_falls_back_to_read_only() {
        // A node that refuses read-write with EACCES/EROFS (sysfs, when present) still opens.
        let path = "/sys/kernel/notes";
        let rw = OpenOptions::new().read(true).write(true).open(path);
        if let Err(e) = rw {
            if matches!(e.raw_os_error(), Some(libc::EROFS | libc::EACCES)) {
                assert!(SgDevice::open(path).is_ok());
            }
        }
    }

    #[test]
    fn open_read_write_node() {
        let dev = SgDevice::open("/dev/null").expect("open /dev/null");
        assert!(dev.as_raw_fd() >= 0);
        let _fd: OwnedFd = dev.into_fd();
    }

    #[test]
    fn open_missing_path_fails() {
        assert!(SgDevice::open("/nonexistent/sg-device").is_err());
    }
}
