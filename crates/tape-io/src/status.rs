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
        Self::NAMES
            .into_iter()
            .filter(move |(b, _)| self.0 & b != 0)
            .map(|(_, n)| n)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A status from the `mtget` fields in the order of `reference/mt-st.md` §6 goldens:
    /// type, resid, dsreg, gstat, erreg, fileno, blkno.
    fn st(
        t: i64,
        resid: i64,
        dsreg: i64,
        gstat: i64,
        erreg: i64,
        file: i32,
        blk: i32,
    ) -> TapeStatus {
        TapeStatus::from_raw(RawStatus {
            mt_type: t,
            mt_resid: resid,
            mt_dsreg: dsreg,
            mt_gstat: gstat,
            mt_erreg: erreg,
            mt_fileno: file,
            mt_blkno: blk,
        })
    }

    #[test]
    fn lto5_at_bot() {
        // mt-st.md §6: `0x72,0,0x58000000,0x41010000,0,0,0` → "File number=0, block number=0,
        // partition=0." / "block size 0 … Density code 0x58" / " BOT ONLINE IM_REP_EN".
        let s = st(0x72, 0, 0x5800_0000, 0x4101_0000, 0, 0, 0);
        assert_eq!(s.drive_type(), DriveType::Scsi2);
        assert_eq!(
            (s.file_number(), s.block_number(), s.partition()),
            (Some(0), Some(0), 0)
        );
        assert_eq!((s.block_size(), s.density()), (0, 0x58));
        assert_eq!(
            s.flags().names().collect::<Vec<_>>(),
            ["BOT", "ONLINE", "IM_REP_EN"]
        );
        assert!(s.online());
        assert!(!s.write_protected());
    }

    #[test]
    fn partition_one_fixed_512() {
        // mt-st.md §6: `0x72,1,0x46000200,0x85000000,0x3,2,0` → partition=1, block size 512,
        // density 0x46, soft errors 3, " EOF WR_PROT ONLINE".
        let s = st(0x72, 1, 0x4600_0200, 0x8500_0000, 3, 2, 0);
        assert_eq!(
            (s.file_number(), s.block_number(), s.partition()),
            (Some(2), Some(0), 1)
        );
        assert_eq!((s.block_size(), s.density()), (512, 0x46));
        assert_eq!(s.soft_errors(), 3);
        assert_eq!(
            s.flags().names().collect::<Vec<_>>(),
            ["EOF", "WR_PROT", "ONLINE"]
        );
        assert!(s.write_protected());
    }

    #[test]
    fn unknown_position_is_none() {
        // mt-st.md §6: `0x72,0,0x99000000,0x00050000,0,-1,-1` → "File number=-1, block
        // number=-1", " DR_OPEN IM_REP_EN".
        let s = st(0x72, 0, 0x9900_0000, 0x0005_0000, 0, -1, -1);
        assert_eq!((s.file_number(), s.block_number()), (None, None));
        assert_eq!(s.density(), 0x99);
        assert_eq!(
            s.flags().names().collect::<Vec<_>>(),
            ["DR_OPEN", "IM_REP_EN"]
        );
        assert!(!s.online());
    }

    #[test]
    fn all_bits_in_mt_st_order() {
        // mt-st.md §6: `0x71,0,0x00000400,0xffffffff,0,3,7`.
        let s = st(0x71, 0, 0x400, 0xffff_ffff, 0, 3, 7);
        assert_eq!(s.drive_type(), DriveType::Scsi1);
        assert_eq!((s.block_size(), s.density()), (1024, 0));
        assert_eq!((s.file_number(), s.block_number()), (Some(3), Some(7)));
        let names: Vec<_> = s.flags().names().collect();
        assert_eq!(
            names,
            [
                "EOF",
                "BOT",
                "EOT",
                "SM",
                "EOD",
                "WR_PROT",
                "ONLINE",
                "D_6250",
                "D_1600",
                "D_800",
                "DR_OPEN",
                "IM_REP_EN",
                "CLN"
            ]
        );
    }

    #[test]
    fn sign_extended_gstat_from_32_bit_long() {
        // On ILP32 `long` is 32 bits: GMT_EOF arrives sign-extended after widening.
        let s = st(0x72, 0, 0, i64::from(0x8100_0000u32 as i32), 0, 1, 0);
        assert_eq!(s.flags().names().collect::<Vec<_>>(), ["EOF", "ONLINE"]);
    }

    #[test]
    fn drive_types() {
        // mt-st.md §6: 0x71 SCSI 1, 0x72 SCSI 2, 0x61 OnStream, bit 0x800000 qic-117, 0 IDE.
        assert_eq!(DriveType::from_raw(0x61), DriveType::OnStream);
        assert_eq!(DriveType::from_raw(0x80_0001), DriveType::Qic117(0x80_0001));
        assert_eq!(DriveType::from_raw(0), DriveType::Ide);
        assert_eq!(DriveType::from_raw(1), DriveType::Unknown(1));
    }
}
