//! Bounds-checked reads of CDB fields (SPC-4 §4.2: big-endian multi-byte fields).
//!
//! The dispatcher checks the CDB length against the operation code's group before a
//! handler runs, but every accessor still returns 0 for a byte that is not there, so no CDB
//! can make a handler panic.

/// A command descriptor block as received.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cdb<'a>(pub(crate) &'a [u8]);

impl Cdb<'_> {
    /// Byte `i` (0 when absent).
    pub(crate) fn u8(&self, i: usize) -> u8 {
        self.0.get(i).copied().unwrap_or(0)
    }

    /// Bit `bit` of byte `i`.
    pub(crate) fn bit(&self, i: usize, bit: u8) -> bool {
        self.u8(i) & (1 << (bit & 7)) != 0
    }

    /// Big-endian unsigned field of `n` bytes (n ≤ 8) at `i`.
    pub(crate) fn be(&self, i: usize, n: usize) -> u64 {
        (i..i + n.min(8)).fold(0u64, |acc, k| (acc << 8) | u64::from(self.u8(k)))
    }

    /// 16-bit field at `i`.
    pub(crate) fn u16(&self, i: usize) -> u16 {
        u16::from_be_bytes([self.u8(i), self.u8(i + 1)])
    }

    /// 24-bit field at `i`.
    pub(crate) fn u24(&self, i: usize) -> u32 {
        u32::from_be_bytes([0, self.u8(i), self.u8(i + 1), self.u8(i + 2)])
    }

    /// 24-bit two's-complement field at `i` (SPACE(6) count).
    pub(crate) fn i24(&self, i: usize) -> i64 {
        let v = self.u24(i);
        i64::from(((v << 8) as i32) >> 8)
    }

    /// 32-bit field at `i`.
    pub(crate) fn u32(&self, i: usize) -> u32 {
        u32::from_be_bytes([self.u8(i), self.u8(i + 1), self.u8(i + 2), self.u8(i + 3)])
    }

    /// 64-bit field at `i`.
    pub(crate) fn u64(&self, i: usize) -> u64 {
        self.be(i, 8)
    }
}

/// Minimum CDB length the drive accepts for `opcode`: [`scsi_sg::opcode::cdb_len`], and 6
/// (the shortest CDB) for reserved and vendor-specific groups, where SPC-4 fixes no length.
/// The drive implements no command in those groups, so such opcodes are rejected as invalid
/// before their length matters.
pub(crate) fn cdb_len(opcode: u8) -> usize {
    scsi_sg::opcode::cdb_len(opcode).unwrap_or(MIN_CDB_LEN)
}

/// The shortest CDB (group 0).
const MIN_CDB_LEN: usize = 6;
