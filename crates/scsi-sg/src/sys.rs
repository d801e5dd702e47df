//! Raw kernel interface of the Linux SCSI generic driver: `struct sg_io_hdr` and the `SG_IO`
//! ioctl number, exactly as `<scsi/sg.h>` declares them (`reference/scsi.md` §8).
//!
//! Plain data only; the one ioctl call lives in [`crate::sg`].

use std::ptr;

use libc::{c_int, c_uchar, c_uint, c_ulong, c_ushort, c_void};

/// `SG_IO`: issue one command and wait for it (not `_IOC`-encoded).
pub const SG_IO: c_ulong = 0x2285;
/// `interface_id` value of the v3 interface: `'S'`.
pub const SG_INTERFACE_ID: c_int = b'S' as c_int;
/// No data phase.
pub const SG_DXFER_NONE: c_int = -1;
/// Data-out (host to device).
pub const SG_DXFER_TO_DEV: c_int = -2;
/// Data-in (device to host).
pub const SG_DXFER_FROM_DEV: c_int = -3;
/// Data-in, but the buffer is also copied to the device first (indirect I/O only).
pub const SG_DXFER_TO_FROM_DEV: c_int = -4;
/// `flags`: request direct I/O (the driver may fall back to indirect).
pub const SG_FLAG_DIRECT_IO: c_uint = 1;
/// `flags`: do not put the LUN into byte 1 of the CDB.
pub const SG_FLAG_LUN_INHIBIT: c_uint = 2;
/// `flags`: no data transfer between user space and kernel buffers.
pub const SG_FLAG_NO_DXFER: c_uint = 0x1_0000;
/// `info` mask: something abnormal happened (check status, host and driver status).
pub const SG_INFO_OK_MASK: c_uint = 0x1;
/// `info`: the command ended abnormally.
pub const SG_INFO_CHECK: c_uint = 0x1;

/// `struct sg_io_hdr` (`<scsi/sg.h>`): 88 bytes on x86_64.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct SgIoHdr {
    /// `'S'` for this interface.
    pub interface_id: c_int,
    /// One of the `SG_DXFER_*` constants.
    pub dxfer_direction: c_int,
    /// CDB length.
    pub cmd_len: c_uchar,
    /// Size of the buffer at `sbp`.
    pub mx_sb_len: c_uchar,
    /// 0: `dxferp` is a flat buffer.
    pub iovec_count: c_ushort,
    /// Bytes to transfer.
    pub dxfer_len: c_uint,
    /// Data buffer (or iovec array).
    pub dxferp: *mut c_void,
    /// The CDB.
    pub cmdp: *mut c_uchar,
    /// Sense buffer.
    pub sbp: *mut c_uchar,
    /// Timeout in milliseconds (`u32::MAX` = none).
    pub timeout: c_uint,
    /// `SG_FLAG_*`.
    pub flags: c_uint,
    /// Unused by `SG_IO`.
    pub pack_id: c_int,
    /// Unused by `SG_IO`.
    pub usr_ptr: *mut c_void,
    /// SAM status byte.
    pub status: c_uchar,
    /// Obsolete shifted status.
    pub masked_status: c_uchar,
    /// Messaging level data (SPI only).
    pub msg_status: c_uchar,
    /// Sense bytes actually written.
    pub sb_len_wr: c_uchar,
    /// `DID_*` host adapter status.
    pub host_status: c_ushort,
    /// `DRIVER_*` status.
    pub driver_status: c_ushort,
    /// `dxfer_len` minus bytes actually transferred.
    pub resid: c_int,
    /// Command duration in milliseconds.
    pub duration: c_uint,
    /// `SG_INFO_*` bits.
    pub info: c_uint,
}

impl Default for SgIoHdr {
    /// All fields zero, all pointers null.
    fn default() -> Self {
        SgIoHdr {
            interface_id: 0,
            dxfer_direction: 0,
            cmd_len: 0,
            mx_sb_len: 0,
            iovec_count: 0,
            dxfer_len: 0,
            dxferp: ptr::null_mut(),
            cmdp: ptr::null_mut(),
            sbp: ptr::null_mut(),
            timeout: 0,
            flags: 0,
            pack_id: 0,
            usr_ptr: ptr::null_mut(),
            status: 0,
            masked_status: 0,
            msg_status: 0,
            sb_len_wr: 0,
            host_status: 0,
            driver_status: 0,
            resid: 0,
            duration: 0,
            info: 0,
        }
    }
}

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
const _: () = assert!(std::mem::size_of::<SgIoHdr>() == 88);

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use std::mem::{align_of, offset_of, size_of};

    use super::*;

    /// Offsets from `reference/scsi.md` §8 (measured with `offsetof` on x86_64).
    #[test]
    fn layout_matches_the_c_header() {
        assert_eq!(size_of::<SgIoHdr>(), 88);
        assert_eq!(align_of::<SgIoHdr>(), 8);
        let offsets = [
            (offset_of!(SgIoHdr, interface_id), 0),
            (offset_of!(SgIoHdr, dxfer_direction), 4),
            (offset_of!(SgIoHdr, cmd_len), 8),
            (offset_of!(SgIoHdr, mx_sb_len), 9),
            (offset_of!(SgIoHdr, iovec_count), 10),
            (offset_of!(SgIoHdr, dxfer_len), 12),
            (offset_of!(SgIoHdr, dxferp), 16),
            (offset_of!(SgIoHdr, cmdp), 24),
            (offset_of!(SgIoHdr, sbp), 32),
            (offset_of!(SgIoHdr, timeout), 40),
            (offset_of!(SgIoHdr, flags), 44),
            (offset_of!(SgIoHdr, pack_id), 48),
            (offset_of!(SgIoHdr, usr_ptr), 56),
            (offset_of!(SgIoHdr, status), 64),
            (offset_of!(SgIoHdr, masked_status), 65),
            (offset_of!(SgIoHdr, msg_status), 66),
            (offset_of!(SgIoHdr, sb_len_wr), 67),
            (offset_of!(SgIoHdr, host_status), 68),
            (offset_of!(SgIoHdr, driver_status), 70),
            (offset_of!(SgIoHdr, resid), 72),
            (offset_of!(SgIoHdr, duration), 76),
            (offset_of!(SgIoHdr, info), 80),
        ];
        for (i, (got, want)) in offsets.iter().enumerate() {
            assert_eq!(got, want, "field #{i}");
        }
    }

    #[test]
    fn constants_match_the_c_header() {
        assert_eq!(SG_IO, 0x2285);
        assert_eq!(SG_INTERFACE_ID, 0x53);
        assert_eq!(
            (SG_DXFER_NONE, SG_DXFER_TO_DEV, SG_DXFER_FROM_DEV),
            (-1, -2, -3)
        );
        assert_eq!(SG_DXFER_TO_FROM_DEV, -4);
    }
}
