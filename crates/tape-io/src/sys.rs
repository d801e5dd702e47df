//! Raw `<linux/mtio.h>` ABI: `struct mtop`, `struct mtget`, `struct mtpos`, the MTIOCTOP /
//! MTIOCGET / MTIOCPOS request numbers, and thin ioctl wrappers.
//!
//! Layouts follow the header field for field (C `short`/`int`/`long`, so 32-bit targets get the
//! 32-bit compat layout the kernel expects there); `reference/st-driver.md` §2 lists the x86_64
//! sizes and offsets. The workspace test `tests/abi.rs` compiles a C probe against the system
//! headers and compares every size, offset and request number with the values here.
//!
//! This is the only module of the crate with `unsafe` code.

#![allow(unsafe_code)]

use std::mem::size_of;
use std::os::fd::{AsRawFd, BorrowedFd};

use libc::{c_int, c_long, c_short};
use nix::errno::Errno;

use crate::status::RawStatus;

/// `struct mtop`: the argument of MTIOCTOP.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MtOpRaw {
    /// Operation code (`MTFSF`, `MTWEOF`, …; see [`crate::MtOp`]).
    pub mt_op: c_short,
    /// Repeat count or argument of the operation.
    pub mt_count: c_int,
}

/// `struct mtget`: what MTIOCGET fills in.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MtGet {
    /// Type of drive (`MT_ISSCSI2` = 0x72 for every modern SCSI drive).
    pub mt_type: c_long,
    /// st: the current partition number (not a residual).
    pub mt_resid: c_long,
    /// st: `density << 24 | block size`.
    pub mt_dsreg: c_long,
    /// Device-independent status: the GMT_* bits.
    pub mt_gstat: c_long,
    /// st: recovered errors since the previous MTIOCGET (low 16 bits); reading clears it.
    pub mt_erreg: c_long,
    /// File number (`__kernel_daddr_t`, an `int`); −1 when unknown.
    pub mt_fileno: c_int,
    /// Block number within the file (`__kernel_daddr_t`); −1 when unknown.
    pub mt_blkno: c_int,
}

/// `struct mtpos`: what MTIOCPOS fills in.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MtPos {
    /// The logical block address reported by READ POSITION.
    pub mt_blkno: c_long,
}

impl From<MtGet> for RawStatus {
    /// Widen the C `long` fields to `i64`; the file and block numbers keep their −1.
    // `c_long` is already i64 on LP64, but i32 on ILP32 targets: the conversion is needed there.
    #[allow(clippy::useless_conversion)]
    fn from(g: MtGet) -> RawStatus {
        RawStatus {
            mt_type: i64::from(g.mt_type),
            mt_resid: i64::from(g.mt_resid),
            mt_dsreg: i64::from(g.mt_dsreg),
            mt_gstat: i64::from(g.mt_gstat),
            mt_erreg: i64::from(g.mt_erreg),
            mt_fileno: g.mt_fileno,
            mt_blkno: g.mt_blkno,
        }
    }
}

/// The ioctl magic of the magnetic tape requests (`'m'`).
const MT_IOCTL_MAGIC: u8 = b'm';

/// `MTIOCTOP = _IOW('m', 1, struct mtop)`: do a tape operation.
pub const MTIOCTOP: libc::Ioctl =
    nix::request_code_write!(MT_IOCTL_MAGIC, 1, size_of::<MtOpRaw>()) as libc::Ioctl;

/// `MTIOCGET = _IOR('m', 2, struct mtget)`: read the drive status.
pub const MTIOCGET: libc::Ioctl =
    nix::request_code_read!(MT_IOCTL_MAGIC, 2, size_of::<MtGet>()) as libc::Ioctl;

/// `MTIOCPOS = _IOR('m', 3, struct mtpos)`: read the logical block position.
pub const MTIOCPOS: libc::Ioctl =
    nix::request_code_read!(MT_IOCTL_MAGIC, 3, size_of::<MtPos>()) as libc::Ioctl;

/// MTIOCTOP: execute `op` on the tape behind `fd`.
///
/// A descriptor that is not a tape answers `ENOTTY`.
pub fn mtioctop(fd: BorrowedFd<'_>, op: &MtOpRaw) -> Result<(), Errno> {
    // SAFETY: `fd` is open for the whole call (BorrowedFd). The third argument points to a live,
    // initialised `MtOpRaw` whose size is the one encoded in MTIOCTOP (`_IOW`, checked against
    // the C header in tests/abi.rs), so the kernel reads at most that many bytes and writes none.
    // A driver that does not know the request fails with ENOTTY without touching the pointer.
    let rc = unsafe { libc::ioctl(fd.as_raw_fd(), MTIOCTOP, std::ptr::from_ref(op)) };
    Errno::result(rc).map(drop)
}

/// MTIOCGET: read the status of the tape behind `fd`. On st this clears the soft error count.
pub fn mtiocget(fd: BorrowedFd<'_>) -> Result<MtGet, Errno> {
    let mut get = MtGet::default();
    // SAFETY: `fd` is open for the whole call. The pointer refers to a live, writable `MtGet`
    // (every bit pattern is a valid value of its integer fields) of exactly the size encoded in
    // MTIOCGET (`_IOR`, checked in tests/abi.rs), so the kernel writes at most that many bytes.
    let rc = unsafe { libc::ioctl(fd.as_raw_fd(), MTIOCGET, std::ptr::from_mut(&mut get)) };
    Errno::result(rc).map(|_| get)
}

/// MTIOCPOS: read the logical block address of the tape behind `fd` (READ POSITION).
pub fn mtiocpos(fd: BorrowedFd<'_>) -> Result<MtPos, Errno> {
    let mut pos = MtPos::default();
    // SAFETY: `fd` is open for the whole call. The pointer refers to a live, writable `MtPos`
    // (a plain integer) of exactly the size encoded in MTIOCPOS (`_IOR`, checked in
    // tests/abi.rs), so the kernel writes at most that many bytes.
    let rc = unsafe { libc::ioctl(fd.as_raw_fd(), MTIOCPOS, std::ptr::from_mut(&mut pos)) };
    Errno::result(rc).map(|_| pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Sizes, offsets and numbers of reference/st-driver.md §2 (x86_64). The portable check
    // against the installed C headers is tests/abi.rs.
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    #[test]
    fn x86_64_layout_matches_reference() {
        assert_eq!(size_of::<MtOpRaw>(), 8);
        assert_eq!(std::mem::offset_of!(MtOpRaw, mt_count), 4);
        assert_eq!(size_of::<MtGet>(), 48);
        assert_eq!(std::mem::offset_of!(MtGet, mt_fileno), 40);
        assert_eq!(std::mem::offset_of!(MtGet, mt_blkno), 44);
        assert_eq!(size_of::<MtPos>(), 8);
        assert_eq!(MTIOCTOP, 0x4008_6d01);
        assert_eq!(MTIOCGET, 0x8030_6d02);
        assert_eq!(MTIOCPOS, 0x8008_6d03);
    }

    #[test]
    fn mtget_widens_and_keeps_unknown_positions() {
        let g = MtGet {
            mt_type: 0x72,
            mt_resid: 1,
            mt_dsreg: 0x4600_0200,
            mt_gstat: 0x4101_0000,
            mt_erreg: 3,
            mt_fileno: -1,
            mt_blkno: -1,
        };
        let raw = RawStatus::from(g);
        assert_eq!(raw.mt_type, 0x72);
        assert_eq!(raw.mt_resid, 1);
        assert_eq!(raw.mt_dsreg, 0x4600_0200);
        assert_eq!(raw.mt_gstat, 0x4101_0000);
        assert_eq!(raw.mt_erreg, 3);
        assert_eq!(raw.mt_fileno, -1);
        assert_eq!(raw.mt_blkno, -1);
    }
}
