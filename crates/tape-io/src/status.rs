//! The decoded MTIOCGET status (`struct mtget`), with st(4)'s semantics kept:
//! file/block numbers are −1 when unknown, `mt_resid` holds the partition, `mt_dsreg` packs
//! density and block size, `mt_erreg` counts soft errors since the previous status call.

use serde::Serialize;

/// `mt_type` as st and mt-st know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DriveType {
    /// MT_ISSCSI1 (0x71): SCSI level ≤ 2.
    Scsi1,
    /// MT_ISSCSI2 (0x72): every modern drive.
    Scsi2,
    /// MT_ISONSTREAM_SC (0x61).
    OnStream,
    /// QIC-117 drive (bit 0x800000 set); the raw type.
    Qic117(i64),
    /// Type code 0 (IDE tape, per mt-st).
    Ide,
    /// Anything else; the raw type.
    Unknown(i64),
}

impl DriveType {
    /// Decode `mt_type`.
    pub fn from_raw(t: i64) -> DriveType {
        match t {
            0x71 => DriveType::Scsi1,
            0x72 => DriveType::Scsi2,
            0x61 => DriveType::OnStream,
            0 => DriveType::Ide,
            t if t & 0x80_0000 != 0 => DriveType::Qic117(t),
            t => DriveType::Unknown(t),
        }
    }
}

/// The GMT_* general status bits of `mt_gstat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct GmtFlags(pub u32);

impl GmtFlags {
    /// Just after a filemark (blkno 0, fileno ≠ 0).
    pub const EOF: u32 = 0x8000_0000;
    /// At beginning of tape.
    pub const BOT: u32 = 0x4000_0000;
    /// Early warning or end of medium met on write.
    pub const EOT: u32 = 0x2000_0000;
    /// At a setmark.
    pub const SM: u32 = 0x1000_0000;
    /// At end of data.
    pub const EOD: u32 = 0x0800_0000;
    /// Medium is write protected.
    pub const WR_PROT: u32 = 0x0400_0000;
    /// Medium loaded and ready.
    pub const ONLINE: u32 = 0x0100_0000;
    /// Density 6250 bpi.
    pub const D_6250: u32 = 0x0080_0000;
    /// Density 1600 bpi.
    pub const D_1600: u32 = 0x0040_0000;
    /// Density 800 bpi.
    pub const D_800: u32 = 0x0020_0000;
    /// Door open / no tape.
    pub const DR_OPEN: u32 = 0x0004_0000;
    /// Immediate report (buffered writes) enabled.
    pub const IM_REP_EN: u32 = 0x0001_0000;
    /// Cleaning requested.
    pub const CLN: u32 = 0x0000_8000;

    /// Every named bit with its mt-st name, in mt-st's printing order.
    pub const NAMES: [(u32, &'static str); 13] = [
        (Self::EOF, "EOF"),
        (Self::BOT, "BOT"),
        (Self::EOT, "EOT"),
        (Self::SM, "SM"),
        (Self::EOD, "EOD"),
        (Self::WR_PROT, "WR_PROT"),
        (Self::ONLINE, "ONLINE"),
        (Self::D_6250, "D_6250"),
        (Self::D_1600, "D_1600"),
        (Self::D_800, "D_800"),
        (Self::DR_OPEN, "DR_OPEN"),
        (Self::IM_REP_EN, "IM_REP_EN"),
        (Self::CLN, "CLN"),
    ];

    /// True if every bit of `bit` is set.
    pub const fn contains(self, bit: u32) -> bool {
        self.0 & bit == bit
    }

    /// Names of the set bits, in mt-st's order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMES.into_iter().filter(move |(b, _)| self.0 & b != 0).map(|(_, n)| n)
    }
}

/// Raw `struct mtget` fields, widened to i64 (`long` is 64-bit on LP64 targets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct RawStatus {
    /// `mt_type`.
    pub mt_type: i64,
    /// `mt_resid` (st: the current partition).
    pub mt_resid: i64,
    /// `mt_dsreg` (density << 24 | block size).
    pub mt_dsreg: i64,
    /// `mt_gstat` (GMT_* bits).
    pub mt_gstat: i64,
    /// `mt_erreg` (soft error count in the low 16 bits).
    pub mt_erreg: i64,
    /// `mt_fileno` (−1 = unknown).
    pub mt_fileno: i32,
    /// `mt_blkno` (−1 = unknown).
    pub mt_blkno: i32,
}

/// Decoded drive status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TapeStatus {
    /// The raw fields, as the driver filled them.
    pub raw: RawStatus,
}

impl TapeStatus {
    /// Wrap raw MTIOCGET fields.
    pub fn from_raw(raw: RawStatus) -> Self {
        TapeStatus { raw }
    }

    /// The drive type.
    pub fn drive_type(&self) -> DriveType {
        DriveType::from_raw(self.raw.mt_type)
    }

    /// File number, `None` when st does not know it (−1).
    pub fn file_number(&self) -> Option<u32> {
        u32::try_from(self.raw.mt_fileno).ok()
    }

    /// Block number within the file, `None` when unknown (−1).
    pub fn block_number(&self) -> Option<u32> {
        u32::try_from(self.raw.mt_blkno).ok()
    }

    /// Current partition (st keeps it in `mt_resid`; mt-st prints `mt_resid & 0xff`).
    pub fn partition(&self) -> u8 {
        (self.raw.mt_resid & 0xff) as u8
    }

    /// Density code (`mt_dsreg >> 24`).
    pub fn density(&self) -> u8 {
        ((self.raw.mt_dsreg >> 24) & 0xff) as u8
    }

    /// Block size in bytes; 0 = variable-block mode.
    pub fn block_size(&self) -> u32 {
        (self.raw.mt_dsreg & 0xff_ffff) as u32
    }

    /// General status bits.
    pub fn flags(&self) -> GmtFlags {
        GmtFlags(self.raw.mt_gstat as u32)
    }

    /// Soft (recovered) errors since the previous status call.
    pub fn soft_errors(&self) -> u16 {
        (self.raw.mt_erreg & 0xffff) as u16
    }

    /// Medium loaded and ready.
    pub fn online(&self) -> bool {
        self.flags().contains(GmtFlags::ONLINE)
    }

    /// Medium write protected.
    pub fn write_protected(&self) -> bool {
        self.flags().contains(GmtFlags::WR_PROT)
    }
}
