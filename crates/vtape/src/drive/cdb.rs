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

/// CDB length of an operation code by its group (SPC-4 §4.2.5.1, bits 7-5).
pub(crate) fn cdb_len(opcode: u8) -> usize {
    match opcode >> 5 {
        0 => 6,
        1 | 2 => 10,
        4 => 16,
        5 => 12,
        _ => 6,
    }
}
