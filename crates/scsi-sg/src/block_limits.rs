//! READ BLOCK LIMITS (SSC-4 §7.6): the 6-byte reply gives the granularity (byte 0 bits
//! 4-0), the maximum block length (bytes 1-3, u24) and the minimum (bytes 4-5, u16).
//! st sends it on every open (`reference/st-driver.md` §5).

use crate::error::{ParseError, ScsiError};
use crate::opcode;
use crate::transport::{TimeoutClass, Transport};
use crate::wire;

/// Length of the reply.
pub const REPLY_LENGTH: usize = 6;

/// Build the READ BLOCK LIMITS CDB (MLOI = 0: block limits, not the object identifier).
pub fn cdb() -> [u8; 6] {
    [opcode::READ_BLOCK_LIMITS, 0, 0, 0, 0, 0]
}

/// The block lengths the drive accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockLimits {
    /// GRANULARITY: supported lengths are multiples of 2^granularity.
    pub granularity: u8,
    /// MAXIMUM BLOCK LENGTH LIMIT (0 = not specified).
    pub max: u32,
    /// MINIMUM BLOCK LENGTH LIMIT.
    pub min: u16,
}

impl BlockLimits {
    /// True if a block of `len` bytes is within the limits and the granularity.
    pub fn accepts(&self, len: u32) -> bool {
        let step = 1u64 << u32::from(self.granularity.min(31));
        len >= u32::from(self.min)
            && (self.max == 0 || len <= self.max)
            && u64::from(len) % step == 0
    }

    /// True when the drive supports only one block length (fixed-block only).
    pub fn fixed_only(&self) -> bool {
        self.max != 0 && self.max == u32::from(self.min)
    }
}

/// Decode the reply; needs all 6 bytes, ignores any excess.
pub fn parse(b: &[u8]) -> Result<BlockLimits, ParseError> {
    let r = wire::array_at::<REPLY_LENGTH>(b, 0).ok_or(wire::short(
        "READ BLOCK LIMITS data",
        REPLY_LENGTH,
        b.len(),
    ))?;
    Ok(BlockLimits {
        granularity: r[0] & 0x1f,
        max: u32::from_be_bytes([0, r[1], r[2], r[3]]),
        min: u16::from_be_bytes([r[4], r[5]]),
    })
}

/// Run READ BLOCK LIMITS.
pub fn read<T: Transport + ?Sized>(t: &mut T) -> Result<BlockLimits, ScsiError> {
    let data = wire::data_in(t, &cdb(), REPLY_LENGTH, TimeoutClass::Config)?;
    Ok(parse(&data)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::{MockReply, MockTransport, RecordedData};

    // LTO-style limits: granularity 0, max 0x800000 (8 MiB), min 1.
    const LTO: [u8; 6] = [
        0x00, // granularity 0
        0x80, 0x00, 0x00, // MAXIMUM BLOCK LENGTH LIMIT = 8 388 608
        0x00, 0x01, // MINIMUM BLOCK LENGTH LIMIT = 1
    ];

    #[test]
    fn decodes() {
        let l = parse(&LTO).unwrap();
        assert_eq!(
            l,
            BlockLimits {
                granularity: 0,
                max: 8_388_608,
                min: 1
            }
        );
        assert!(l.accepts(262_144));
        assert!(!l.accepts(8_388_609));
        assert!(!l.accepts(0));
        assert!(!l.fixed_only());
        // Granularity 2 (multiples of 4), fixed 512-byte drive.
        let g = parse(&[0x02, 0x00, 0x02, 0x00, 0x02, 0x00]).unwrap();
        assert!(g.fixed_only());
        assert!(g.accepts(512));
        assert!(!parse(&[0x1f, 0, 0, 3, 0, 1]).unwrap().accepts(2));
    }

    #[test]
    fn short_and_long() {
        for n in 0..LTO.len() {
            assert_eq!(
                parse(&LTO[..n]),
                Err(ParseError::Short {
                    what: "READ BLOCK LIMITS data",
                    need: 6,
                    got: n
                })
            );
        }
        let mut long = LTO.to_vec();
        long.extend_from_slice(&[0xff; 14]);
        assert_eq!(parse(&long).unwrap().max, 8_388_608);
    }

    #[test]
    fn runner() {
        let mut t = MockTransport::with_replies([MockReply::data(LTO.to_vec())]);
        assert_eq!(read(&mut t).unwrap().min, 1);
        assert_eq!(t.commands()[0].cdb, [0x05, 0, 0, 0, 0, 0]);
        assert_eq!(t.commands()[0].data, RecordedData::FromDevice(6));
        assert_eq!(t.commands()[0].timeout, TimeoutClass::Config.duration());
    }
}
