//! Volume statistics log page 17h (SSC-4 §8.2.6; `reference/scsi.md` §9.2). Part of
//! [`crate::log`].
//!
//! Field names follow SSC-4 (as sg_logs prints them); IBM and Proxmox call 0003h-0006h
//! and 0008h-0009h "recovered/unrecovered write/read data errors" and "servo errors".
//! Megabyte counters are 10^6 bytes (MAM counters are MiB: do not mix them).

use super::{LogPage, LogParameter};
use crate::error::ParseError;
use crate::opcode::log_page;

/// Parameter codes of page 17h.
pub mod code {
    /// Page valid (non-zero when the page holds data).
    pub const PAGE_VALID: u16 = 0x0000;
    /// Thread count (volume mounts).
    pub const VOLUME_MOUNTS: u16 = 0x0001;
    /// Total data sets written.
    pub const DATA_SETS_WRITTEN: u16 = 0x0002;
    /// Total write retries.
    pub const WRITE_RETRIES: u16 = 0x0003;
    /// Total unrecovered write errors.
    pub const UNRECOVERED_WRITE_ERRORS: u16 = 0x0004;
    /// Total suspended writes.
    pub const SUSPENDED_WRITES: u16 = 0x0005;
    /// Total fatal suspended writes.
    pub const FATAL_SUSPENDED_WRITES: u16 = 0x0006;
    /// Total data sets read.
    pub const DATA_SETS_READ: u16 = 0x0007;
    /// Total read retries.
    pub const READ_RETRIES: u16 = 0x0008;
    /// Total unrecovered read errors.
    pub const UNRECOVERED_READ_ERRORS: u16 = 0x0009;
    /// Last mount unrecovered write errors.
    pub const LAST_MOUNT_UNRECOVERED_WRITE_ERRORS: u16 = 0x000C;
    /// Last mount unrecovered read errors.
    pub const LAST_MOUNT_UNRECOVERED_READ_ERRORS: u16 = 0x000D;
    /// Last mount megabytes written.
    pub const LAST_MOUNT_MB_WRITTEN: u16 = 0x000E;
    /// Last mount megabytes read.
    pub const LAST_MOUNT_MB_READ: u16 = 0x000F;
    /// Lifetime megabytes written.
    pub const LIFETIME_MB_WRITTEN: u16 = 0x0010;
    /// Lifetime megabytes read.
    pub const LIFETIME_MB_READ: u16 = 0x0011;
    /// Last load write compression ratio.
    pub const LAST_LOAD_WRITE_COMPRESSION_RATIO: u16 = 0x0012;
    /// Last load read compression ratio.
    pub const LAST_LOAD_READ_COMPRESSION_RATIO: u16 = 0x0013;
    /// Medium mount time.
    pub const MEDIUM_MOUNT_TIME: u16 = 0x0014;
    /// Medium ready time.
    pub const MEDIUM_READY_TIME: u16 = 0x0015;
    /// Total native capacity (MB).
    pub const TOTAL_NATIVE_CAPACITY: u16 = 0x0016;
    /// Total used native capacity (MB).
    pub const TOTAL_USED_NATIVE_CAPACITY: u16 = 0x0017;
    /// Volume serial number (ASCII).
    pub const VOLUME_SERIAL_NUMBER: u16 = 0x0040;
    /// Tape lot identifier (ASCII).
    pub const TAPE_LOT_IDENTIFIER: u16 = 0x0041;
    /// Volume barcode (ASCII).
    pub const VOLUME_BARCODE: u16 = 0x0042;
    /// Volume manufacturer (ASCII).
    pub const VOLUME_MANUFACTURER: u16 = 0x0043;
    /// Volume license code (ASCII).
    pub const VOLUME_LICENSE_CODE: u16 = 0x0044;
    /// Volume personality (ASCII).
    pub const VOLUME_PERSONALITY: u16 = 0x0045;
    /// Write protect.
    pub const WRITE_PROTECT: u16 = 0x0080;
    /// WORM.
    pub const WORM: u16 = 0x0081;
    /// Maximum recommended tape path temperature exceeded.
    pub const TEMPERATURE_EXCEEDED: u16 = 0x0082;
    /// Beginning of medium passes.
    pub const BOM_PASSES: u16 = 0x0101;
    /// Middle of medium passes.
    pub const MOM_PASSES: u16 = 0x0102;
}

/// Pass count at which Proxmox reports a tape as worn out (`reference/scsi.md` §9.2).
pub const WEAR_OUT_PASSES: u64 = 16_000;

macro_rules! volume_stats {
    ($($(#[$doc:meta])* $field:ident = $code:ident,)* ; $($(#[$sdoc:meta])* $sfield:ident = $scode:ident,)*) => {
        /// Decoded volume statistics. Counters absent from the page are `None`.
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct VolumeStatistics {
            $($(#[$doc])* pub $field: Option<u64>,)*
            /// Volume serial number (0040h); empty when absent.
            pub volume_serial: String,
            $($(#[$sdoc])* pub $sfield: Option<String>,)*
            /// Parameters not decoded above, kept raw.
            pub other: Vec<LogParameter>,
        }

        impl VolumeStatistics {
            fn take(&mut self, p: &LogParameter) -> bool {
                match p.code {
                    $(code::$code => self.$field = p.as_u64(),)*
                    code::VOLUME_SERIAL_NUMBER => self.volume_serial = p.as_text(),
                    $(code::$scode => self.$sfield = Some(p.as_text()),)*
                    _ => return false,
                }
                true
            }
        }
    };
}

volume_stats! {
    /// 0000h page valid.
    page_valid = PAGE_VALID,
    /// 0001h thread count: volume mounts.
    volume_mounts = VOLUME_MOUNTS,
    /// 0002h total data sets written.
    data_sets_written = DATA_SETS_WRITTEN,
    /// 0003h total write retries.
    write_retries = WRITE_RETRIES,
    /// 0004h total unrecovered write errors.
    unrecovered_write_errors = UNRECOVERED_WRITE_ERRORS,
    /// 0005h total suspended writes.
    suspended_writes = SUSPENDED_WRITES,
    /// 0006h total fatal suspended writes.
    fatal_suspended_writes = FATAL_SUSPENDED_WRITES,
    /// 0007h total data sets read.
    data_sets_read = DATA_SETS_READ,
    /// 0008h total read retries.
    read_retries = READ_RETRIES,
    /// 0009h total unrecovered read errors.
    unrecovered_read_errors = UNRECOVERED_READ_ERRORS,
    /// 000Ch last mount unrecovered write errors.
    last_mount_unrecovered_write_errors = LAST_MOUNT_UNRECOVERED_WRITE_ERRORS,
    /// 000Dh last mount unrecovered read errors.
    last_mount_unrecovered_read_errors = LAST_MOUNT_UNRECOVERED_READ_ERRORS,
    /// 000Eh last mount megabytes (10^6) written.
    last_mount_mb_written = LAST_MOUNT_MB_WRITTEN,
    /// 000Fh last mount megabytes read.
    last_mount_mb_read = LAST_MOUNT_MB_READ,
    /// 0010h lifetime megabytes written.
    lifetime_mb_written = LIFETIME_MB_WRITTEN,
    /// 0011h lifetime megabytes read.
    lifetime_mb_read = LIFETIME_MB_READ,
    /// 0012h last load write compression ratio.
    last_load_write_compression_ratio = LAST_LOAD_WRITE_COMPRESSION_RATIO,
    /// 0013h last load read compression ratio.
    last_load_read_compression_ratio = LAST_LOAD_READ_COMPRESSION_RATIO,
    /// 0014h medium mount time.
    medium_mount_time = MEDIUM_MOUNT_TIME,
    /// 0015h medium ready time.
    medium_ready_time = MEDIUM_READY_TIME,
    /// 0016h total native capacity (MB).
    total_native_capacity = TOTAL_NATIVE_CAPACITY,
    /// 0017h total used native capacity (MB).
    total_used_native_capacity = TOTAL_USED_NATIVE_CAPACITY,
    /// 0080h write protect (non-zero = protected).
    write_protect = WRITE_PROTECT,
    /// 0081h WORM (non-zero = WORM medium).
    worm = WORM,
    /// 0082h maximum recommended tape path temperature exceeded.
    temperature_exceeded = TEMPERATURE_EXCEEDED,
    /// 0101h beginning of medium passes.
    bom_passes = BOM_PASSES,
    /// 0102h middle of medium passes.
    mom_passes = MOM_PASSES,
    ;
    /// 0041h tape lot identifier.
    tape_lot_identifier = TAPE_LOT_IDENTIFIER,
    /// 0042h volume barcode.
    volume_barcode = VOLUME_BARCODE,
    /// 0043h volume manufacturer.
    volume_manufacturer = VOLUME_MANUFACTURER,
    /// 0044h volume license code.
    volume_license_code = VOLUME_LICENSE_CODE,
    /// 0045h volume personality.
    volume_personality = VOLUME_PERSONALITY,
}

impl VolumeStatistics {
    /// Decode page 17h. Unknown parameters go to `other`; a counter longer than 8 bytes
    /// decodes as `None`.
    pub fn from_page(page: &LogPage) -> Result<Self, ParseError> {
        page.expect(log_page::VOLUME_STATISTICS, "volume statistics page")?;
        let mut v = VolumeStatistics::default();
        for p in &page.parameters {
            if !v.take(p) {
                v.other.push(p.clone());
            }
        }
        Ok(v)
    }

    /// True when parameter 0000h is present and non-zero.
    pub fn is_valid(&self) -> bool {
        self.page_valid.is_some_and(|v| v != 0)
    }

    /// The larger of the beginning- and middle-of-medium pass counts.
    pub fn max_passes(&self) -> Option<u64> {
        self.bom_passes.max(self.mom_passes)
    }

    /// Wear estimate as Proxmox computes it: max(passes) / 16000 (1.0 = worn out).
    pub fn wear_out(&self) -> Option<f64> {
        // Pass counts stay far below 2^52, where the conversion would round.
        self.max_passes().map(|p| p as f64 / WEAR_OUT_PASSES as f64)
    }
}
