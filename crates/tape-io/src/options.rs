//! MTSETDRVBUFFER (MTIOCTOP op 24) count encodings: the st driver options and defaults.
//!
//! st decodes the count by its top nibble (`reference/st-driver.md` §6, kernel `st_set_options`):
//! 0 selects the drive's buffer mode (MODE SELECT), the other values set driver options,
//! per-mode defaults, timeouts and the cleaning-request pattern. The encodings here are those
//! mt-st 1.7 sends (`reference/mt-st.md` §4), with its masks: 28 bits for buffer mode,
//! thresholds, option bits, the default block size and the cleaning pattern; 20 bits for the
//! other defaults (density, compression, drive buffer); 27 bits for timeouts.
//!
//! Two details that the reference tables blur:
//! - The default block size is cleared by the all-ones 28-bit value (`0x5fffffff`, what
//!   `mt defblksize -1` sends; the kernel compares with `~MT_ST_OPTIONS`), whereas the other
//!   defaults are cleared by the 20-bit `MT_ST_CLEAR_DEFAULT` (0xfffff).
//! - In the timeout group bit 0x100000 selects the long timeout, so a short timeout with that
//!   bit set becomes a long-timeout request ([`DrvBufferRequest::fits`] says so).
//!
//! MTSETDRVBUFFER needs CAP_SYS_ADMIN; st answers EPERM otherwise.

/// Top-nibble mask of the count (`MT_ST_OPTIONS`).
pub const MT_ST_OPTIONS: u32 = 0xf000_0000;
/// Set all option bits to exactly the given set (`MT_ST_BOOLEANS`).
pub const MT_ST_BOOLEANS: u32 = 0x1000_0000;
/// Write threshold in KiB (`MT_ST_WRITE_THRESHOLD`; accepted and ignored by current kernels).
pub const MT_ST_WRITE_THRESHOLD: u32 = 0x2000_0000;
/// Set the given option bits (`MT_ST_SETBOOLEANS`).
pub const MT_ST_SETBOOLEANS: u32 = 0x3000_0000;
/// Clear the given option bits (`MT_ST_CLEARBOOLEANS`).
pub const MT_ST_CLEARBOOLEANS: u32 = 0x4000_0000;
/// Default block size of the mode (`MT_ST_DEF_BLKSIZE`).
pub const MT_ST_DEF_BLKSIZE: u32 = 0x5000_0000;
/// Default density of the mode (`MT_ST_DEF_DENSITY`).
pub const MT_ST_DEF_DENSITY: u32 = 0x6010_0000;
/// Default compression of the mode (`MT_ST_DEF_COMPRESSION`).
pub const MT_ST_DEF_COMPRESSION: u32 = 0x6020_0000;
/// Default drive buffer mode of the mode (`MT_ST_DEF_DRVBUFFER`).
pub const MT_ST_DEF_DRVBUFFER: u32 = 0x6030_0000;
/// Normal command timeout in seconds (`MT_ST_SET_TIMEOUT`).
pub const MT_ST_SET_TIMEOUT: u32 = 0x7000_0000;
/// Long command timeout in seconds (`MT_ST_SET_LONG_TIMEOUT`).
pub const MT_ST_SET_LONG_TIMEOUT: u32 = 0x7010_0000;
/// Cleaning-request sense pattern (`MT_ST_SET_CLN`).
pub const MT_ST_SET_CLN: u32 = 0x8000_0000;
/// Value that clears a density / compression / drive buffer default (`MT_ST_CLEAR_DEFAULT`).
pub const MT_ST_CLEAR_DEFAULT: u32 = 0x000f_ffff;

/// Value mask of the 28-bit fields (everything below the top nibble).
const MASK_28: u32 = !MT_ST_OPTIONS;
/// Value mask of density / compression / drive buffer defaults.
const MASK_DEFAULTS: u32 = MT_ST_CLEAR_DEFAULT;
/// Value mask mt-st applies to timeouts.
const MASK_TIMEOUT: u32 = 0x07ff_ffff;
/// The bit of the timeout group that selects the long timeout.
const LONG_TIMEOUT_BIT: u32 = MT_ST_SET_LONG_TIMEOUT & !MT_ST_OPTIONS;

/// The st driver option bits (`MT_ST_*` of `<linux/mtio.h>`), as set by `MT_ST_BOOLEANS`,
/// `MT_ST_SETBOOLEANS` and `MT_ST_CLEARBOOLEANS` and shown in sysfs `options`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DriverOptions(pub u32);

impl DriverOptions {
    /// Buffered writes (`MT_ST_BUFFER_WRITES`, mt-st `buffer-writes`).
    pub const BUFFER_WRITES: u32 = 0x1;
    /// Asynchronous writes (`MT_ST_ASYNC_WRITES`, `async-writes`).
    pub const ASYNC_WRITES: u32 = 0x2;
    /// Read-ahead in fixed-block mode (`MT_ST_READ_AHEAD`, `read-ahead`).
    pub const READ_AHEAD: u32 = 0x4;
    /// Driver debugging messages (`MT_ST_DEBUGGING`, `debug`).
    pub const DEBUGGING: u32 = 0x8;
    /// Write two filemarks at close (`MT_ST_TWO_FM`, `two-fms`).
    pub const TWO_FM: u32 = 0x10;
    /// MTEOM spaces straight to EOD and loses the file number (`MT_ST_FAST_MTEOM`, `fast-eod`).
    pub const FAST_MTEOM: u32 = 0x20;
    /// Lock the door while the device is open (`MT_ST_AUTO_LOCK`, `auto-lock`).
    pub const AUTO_LOCK: u32 = 0x40;
    /// Defaults apply to writes only (`MT_ST_DEF_WRITES`, `def-writes`).
    pub const DEF_WRITES: u32 = 0x80;
    /// The drive can space backwards (`MT_ST_CAN_BSR`, `can-bsr`).
    pub const CAN_BSR: u32 = 0x100;
    /// Do not send READ BLOCK LIMITS (`MT_ST_NO_BLKLIMS`, `no-blklimits`).
    pub const NO_BLKLIMS: u32 = 0x200;
    /// The drive supports partitions (`MT_ST_CAN_PARTITIONS`, `can-partitions`).
    pub const CAN_PARTITIONS: u32 = 0x400;
    /// Use logical block addresses of SCSI-2 (`MT_ST_SCSI2LOGICAL`, `scsi2logical`).
    pub const SCSI2LOGICAL: u32 = 0x800;
    /// System V close semantics (`MT_ST_SYSV`, `sysv`).
    pub const SYSV: u32 = 0x1000;
    /// Immediate mode for rewind and friends (`MT_ST_NOWAIT`, `no-wait`).
    pub const NOWAIT: u32 = 0x2000;
    /// SILI bit in variable-block reads (`MT_ST_SILI`, `sili`).
    pub const SILI: u32 = 0x4000;
    /// Immediate WRITE FILEMARKS for MTWEOF (`MT_ST_NOWAIT_EOF`, mt-st 1.8 `weof-no-wait`).
    pub const NOWAIT_EOF: u32 = 0x8000;

    /// Every option bit with its mt-st `stoptions` word, in bit order. (mt-st's own table, and
    /// so its `stshowoptions` output, lists `no-wait` before `sysv`, and adds the word
    /// `cleaning` for [`MT_ST_SET_CLN`], which is not an option bit.)
    pub const NAMES: [(u32, &'static str); 16] = [
        (Self::BUFFER_WRITES, "buffer-writes"),
        (Self::ASYNC_WRITES, "async-writes"),
        (Self::READ_AHEAD, "read-ahead"),
        (Self::DEBUGGING, "debug"),
        (Self::TWO_FM, "two-fms"),
        (Self::FAST_MTEOM, "fast-eod"),
        (Self::AUTO_LOCK, "auto-lock"),
        (Self::DEF_WRITES, "def-writes"),
        (Self::CAN_BSR, "can-bsr"),
        (Self::NO_BLKLIMS, "no-blklimits"),
        (Self::CAN_PARTITIONS, "can-partitions"),
        (Self::SCSI2LOGICAL, "scsi2logical"),
        (Self::SYSV, "sysv"),
        (Self::NOWAIT, "no-wait"),
        (Self::SILI, "sili"),
        (Self::NOWAIT_EOF, "weof-no-wait"),
    ];

    /// True if every bit of `bits` is set.
    pub const fn contains(self, bits: u32) -> bool {
        self.0 & bits == bits
    }

    /// mt-st words of the set bits, in bit order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMES
            .into_iter()
            .filter(move |(b, _)| self.0 & b != 0)
            .map(|(_, n)| n)
    }
}

/// One MTSETDRVBUFFER request; [`count`](Self::count) gives the `mt_count` st expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DrvBufferRequest {
    /// Drive buffer mode `n` (MODE SELECT header; 0 = unbuffered, 1 = buffered).
    BufferMode(u32),
    /// Set the option bits to exactly this set ([`DriverOptions`] bits; `MT_ST_BOOLEANS`).
    SetBooleans(u32),
    /// Write threshold in KiB (`MT_ST_WRITE_THRESHOLD`; ignored by current kernels).
    WriteThreshold(u32),
    /// Set these option bits (`MT_ST_SETBOOLEANS`).
    SetBits(u32),
    /// Clear these option bits (`MT_ST_CLEARBOOLEANS`).
    ClearBits(u32),
    /// Default block size of the mode; `None` clears it (`MT_ST_DEF_BLKSIZE`).
    DefBlockSize(Option<u32>),
    /// Default density code; `None` clears it (`MT_ST_DEF_DENSITY`).
    DefDensity(Option<u32>),
    /// Default compression (0/1); `None` clears it (`MT_ST_DEF_COMPRESSION`).
    DefCompression(Option<u32>),
    /// Default drive buffer mode; `None` clears it (`MT_ST_DEF_DRVBUFFER`).
    DefDrvBuffer(Option<u32>),
    /// Normal command timeout in seconds (`MT_ST_SET_TIMEOUT`).
    Timeout(u32),
    /// Long command timeout in seconds (`MT_ST_SET_LONG_TIMEOUT`).
    LongTimeout(u32),
    /// Cleaning-request pattern (`MT_ST_SET_CLN`): sense byte offset in bits 0-7, mask in
    /// bits 8-15, value in bits 16-23.
    SetCleaning(u32),
}

/// `code | (value & mask)`, or the clear value when `value` is `None`.
fn default_field(code: u32, value: Option<u32>, mask: u32) -> u32 {
    code | value.map_or(mask, |v| v & mask)
}

/// `None` when `raw` is the clear value, else the value.
fn default_value(raw: u32, clear: u32) -> Option<u32> {
    (raw != clear).then_some(raw)
}

impl DrvBufferRequest {
    /// The MTIOCTOP `mt_count` for this request, exactly as mt-st 1.7 builds it: the group code
    /// OR the value masked to the group's width (see the module docs). The `u32` is passed to
    /// the kernel bit for bit, so codes with the top bit set are negative.
    pub fn count(self) -> i32 {
        use DrvBufferRequest as R;
        let raw = match self {
            R::BufferMode(n) => n & MASK_28,
            R::SetBooleans(b) => MT_ST_BOOLEANS | (b & MASK_28),
            R::WriteThreshold(n) => MT_ST_WRITE_THRESHOLD | (n & MASK_28),
            R::SetBits(b) => MT_ST_SETBOOLEANS | (b & MASK_28),
            R::ClearBits(b) => MT_ST_CLEARBOOLEANS | (b & MASK_28),
            R::DefBlockSize(v) => default_field(MT_ST_DEF_BLKSIZE, v, MASK_28),
            R::DefDensity(v) => default_field(MT_ST_DEF_DENSITY, v, MASK_DEFAULTS),
            R::DefCompression(v) => default_field(MT_ST_DEF_COMPRESSION, v, MASK_DEFAULTS),
            R::DefDrvBuffer(v) => default_field(MT_ST_DEF_DRVBUFFER, v, MASK_DEFAULTS),
            R::Timeout(s) => MT_ST_SET_TIMEOUT | (s & MASK_TIMEOUT),
            R::LongTimeout(s) => MT_ST_SET_LONG_TIMEOUT | (s & MASK_TIMEOUT),
            R::SetCleaning(v) => MT_ST_SET_CLN | (v & MASK_28),
        };
        i32::from_ne_bytes(raw.to_ne_bytes())
    }

    /// The count as mt-st builds it from option *words* (`stoptions buffer-writes cleaning`):
    /// for the three boolean-option requests the group code OR the bits **unmasked**, so the
    /// `cleaning` word's 0x80000000 reaches the driver as mt-st sends it (mt-st masks only a
    /// numeric argument). Every other request: [`count`](Self::count).
    pub fn count_from_words(self) -> i32 {
        use DrvBufferRequest as R;
        let raw = match self {
            R::SetBooleans(b) => MT_ST_BOOLEANS | b,
            R::SetBits(b) => MT_ST_SETBOOLEANS | b,
            R::ClearBits(b) => MT_ST_CLEARBOOLEANS | b,
            other => return other.count(),
        };
        i32::from_ne_bytes(raw.to_ne_bytes())
    }

    /// The request whose [`count`](Self::count) is exactly `count`, or `None` if no request
    /// encodes to it (unknown group code, or bits outside the group's mask).
    pub fn decode(count: i32) -> Option<Self> {
        use DrvBufferRequest as R;
        let raw = u32::from_ne_bytes(count.to_ne_bytes());
        let value = raw & MASK_28;
        let candidate = match raw & MT_ST_OPTIONS {
            0 => R::BufferMode(value),
            MT_ST_BOOLEANS => R::SetBooleans(value),
            MT_ST_WRITE_THRESHOLD => R::WriteThreshold(value),
            MT_ST_SETBOOLEANS => R::SetBits(value),
            MT_ST_CLEARBOOLEANS => R::ClearBits(value),
            MT_ST_DEF_BLKSIZE => R::DefBlockSize(default_value(value, MASK_28)),
            MT_ST_SET_CLN => R::SetCleaning(value),
            code if code == MT_ST_SET_TIMEOUT & MT_ST_OPTIONS => {
                if value & LONG_TIMEOUT_BIT != 0 {
                    R::LongTimeout(value & !LONG_TIMEOUT_BIT)
                } else {
                    R::Timeout(value)
                }
            }
            code if code == MT_ST_DEF_DENSITY & MT_ST_OPTIONS => {
                let v = default_value(raw & MASK_DEFAULTS, MT_ST_CLEAR_DEFAULT);
                match raw & !MASK_DEFAULTS {
                    MT_ST_DEF_DENSITY => R::DefDensity(v),
                    MT_ST_DEF_COMPRESSION => R::DefCompression(v),
                    MT_ST_DEF_DRVBUFFER => R::DefDrvBuffer(v),
                    _ => return None,
                }
            }
            _ => return None,
        };
        (candidate.count() == count).then_some(candidate)
    }

    /// True if the value fits its field, so that st receives exactly this request
    /// (`decode(self.count()) == Some(self)`). False, for instance, for `Timeout(n)` with bit
    /// 0x100000 set (st reads it as a long timeout), for `DefDensity(Some(0xfffff))` (the clear
    /// value) or for values wider than the field (mt-st silently truncates them).
    pub fn fits(self) -> bool {
        use DrvBufferRequest as R;
        match self {
            R::BufferMode(v)
            | R::SetBooleans(v)
            | R::WriteThreshold(v)
            | R::SetBits(v)
            | R::ClearBits(v)
            | R::SetCleaning(v) => v & !MASK_28 == 0,
            R::DefBlockSize(v) => v.is_none_or(|v| v < MASK_28),
            R::DefDensity(v) | R::DefCompression(v) | R::DefDrvBuffer(v) => {
                v.is_none_or(|v| v < MASK_DEFAULTS)
            }
            R::Timeout(s) | R::LongTimeout(s) => s & !(MASK_TIMEOUT & !LONG_TIMEOUT_BIT) == 0,
        }
    }
}

#[cfg(test)]
mod tests;
