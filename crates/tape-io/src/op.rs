//! MTIOCTOP operation codes (`<linux/mtio.h>`), one-to-one.

/// An MTIOCTOP operation (`struct mtop.mt_op`). The discriminant is the kernel's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i16)]
pub enum MtOp {
    /// MTRESET (0): reset the drive (st returns ENOSYS).
    Reset = 0,
    /// MTFSF (1): forward space over `count` filemarks.
    Fsf = 1,
    /// MTBSF (2): backward space over `count` filemarks.
    Bsf = 2,
    /// MTFSR (3): forward space `count` records.
    Fsr = 3,
    /// MTBSR (4): backward space `count` records.
    Bsr = 4,
    /// MTWEOF (5): write `count` filemarks.
    Weof = 5,
    /// MTREW (6): rewind.
    Rew = 6,
    /// MTOFFL (7): rewind and unload.
    Offl = 7,
    /// MTNOP (8): no operation; flushes the driver buffer.
    Nop = 8,
    /// MTRETEN (9): retension.
    Reten = 9,
    /// MTBSFM (10): backward space `count` filemarks, then forward one.
    Bsfm = 10,
    /// MTFSFM (11): forward space `count` filemarks, then back one.
    Fsfm = 11,
    /// MTEOM (12): space to end of recorded data.
    Eom = 12,
    /// MTERASE (13): erase the tape (long erase if `count` ≠ 0).
    Erase = 13,
    /// MTRAS1 (14).
    Ras1 = 14,
    /// MTRAS2 (15).
    Ras2 = 15,
    /// MTRAS3 (16).
    Ras3 = 16,
    /// MTSETBLK (20): set the block size (0 = variable).
    SetBlk = 20,
    /// MTSETDENSITY (21).
    SetDensity = 21,
    /// MTSEEK (22): locate to logical block `count`.
    Seek = 22,
    /// MTTELL (23): st returns ENOSYS; use MTIOCPOS.
    Tell = 23,
    /// MTSETDRVBUFFER (24): drive buffering or st driver options .
    SetDrvBuffer = 24,
    /// MTFSS (25): forward space setmarks.
    Fss = 25,
    /// MTBSS (26): backward space setmarks.
    Bss = 26,
    /// MTWSM (27): write setmarks.
    Wsm = 27,
    /// MTLOCK (28): lock the door.
    Lock = 28,
    /// MTUNLOCK (29): unlock the door.
    Unlock = 29,
    /// MTLOAD (30): load (count 10000+n: HP changer slot n).
    Load = 30,
    /// MTUNLOAD (31): unload.
    Unload = 31,
    /// MTCOMPRESSION (32): drive compression on (1) or off (0).
    Compression = 32,
    /// MTSETPART (33): change to partition `count` at the next operation.
    SetPart = 33,
    /// MTMKPART (34): format into partitions (size of partition 1 in MB; negative: of partition 0).
    MkPart = 34,
    /// MTWEOFI (35): write filemarks without flushing (IMMED).
    WeofI = 35,
}

impl MtOp {
    /// Every operation, in code order.
    pub const ALL: [MtOp; 33] = [
        MtOp::Reset,
        MtOp::Fsf,
        MtOp::Bsf,
        MtOp::Fsr,
        MtOp::Bsr,
        MtOp::Weof,
        MtOp::Rew,
        MtOp::Offl,
        MtOp::Nop,
        MtOp::Reten,
        MtOp::Bsfm,
        MtOp::Fsfm,
        MtOp::Eom,
        MtOp::Erase,
        MtOp::Ras1,
        MtOp::Ras2,
        MtOp::Ras3,
        MtOp::SetBlk,
        MtOp::SetDensity,
        MtOp::Seek,
        MtOp::Tell,
        MtOp::SetDrvBuffer,
        MtOp::Fss,
        MtOp::Bss,
        MtOp::Wsm,
        MtOp::Lock,
        MtOp::Unlock,
        MtOp::Load,
        MtOp::Unload,
        MtOp::Compression,
        MtOp::SetPart,
        MtOp::MkPart,
        MtOp::WeofI,
    ];

    /// The kernel's numeric code.
    pub const fn code(self) -> i16 {
        self as i16
    }

    /// The operation with this kernel code, if any.
    pub fn from_code(code: i16) -> Option<MtOp> {
        MtOp::ALL.iter().copied().find(|op| op.code() == code)
    }
}
