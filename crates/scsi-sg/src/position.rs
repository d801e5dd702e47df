//! READ POSITION (SSC-4 §7.7): short form (service action 00h, 20-byte reply) and long
//! form (service action 06h, 32-byte reply). st's MTIOCPOS uses the short form
//! (`reference/st-driver.md` §4); the long form gives 64-bit block and file numbers.
//!
//! The allocation length in the CDB is zero for both forms, as SSC requires: the reply
//! length is fixed.

use crate::error::{ParseError, ScsiError};
use crate::opcode::{self, read_position_sa};
use crate::transport::{TimeoutClass, Transport};
use crate::wire;

/// Reply length of the short form.
pub const SHORT_LENGTH: usize = 20;
/// Reply length of the long form.
pub const LONG_LENGTH: usize = 32;

/// Build a READ POSITION CDB: service action in byte 1 bits 4-0, allocation length in
/// bytes 7-8 (only the extended form uses it; pass 0 otherwise).
pub fn cdb(service_action: u8, allocation_length: u16) -> [u8; 10] {
    let [hi, lo] = allocation_length.to_be_bytes();
    [
        opcode::READ_POSITION,
        service_action & 0x1f,
        0,
        0,
        0,
        0,
        0,
        hi,
        lo,
        0,
    ]
}

/// Short-form position data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortPosition {
    /// BOP: at beginning of partition.
    pub bop: bool,
    /// EOP: between early warning and end of partition.
    pub eop: bool,
    /// LOCU (SSC-2 BCU): object count in the buffer unknown.
    pub locu: bool,
    /// BYCU: byte count in the buffer unknown.
    pub bycu: bool,
    /// LOLU (SCSI-2 BPU): position unknown.
    pub lolu: bool,
    /// PERR: a position field overflowed.
    pub perr: bool,
    /// BPEW: beyond programmable early warning.
    pub bpew: bool,
    /// PARTITION NUMBER.
    pub partition: u8,
    /// FIRST LOGICAL OBJECT LOCATION (the next block to be read or written); `None` when
    /// LOLU is set.
    pub first_block: Option<u32>,
    /// LAST LOGICAL OBJECT LOCATION (the next block to go to the medium); `None` when LOLU
    /// is set or absent.
    pub last_block: Option<u32>,
    /// NUMBER OF LOGICAL OBJECTS IN OBJECT BUFFER (u24); `None` when LOCU or absent.
    pub blocks_in_buffer: Option<u32>,
    /// NUMBER OF BYTES IN OBJECT BUFFER; `None` when BYCU or absent.
    pub bytes_in_buffer: Option<u32>,
}

/// Decode short-form data. Needs bytes 0-7 (flags, partition, first location); later
/// fields are `None` when not received.
pub fn parse_short(b: &[u8]) -> Result<ShortPosition, ParseError> {
    let head =
        wire::array_at::<8>(b, 0).ok_or(wire::short("READ POSITION short form", 8, b.len()))?;
    let f = head[0];
    let lolu = f & 0x04 != 0;
    let locu = f & 0x20 != 0;
    let bycu = f & 0x10 != 0;
    Ok(ShortPosition {
        bop: f & 0x80 != 0,
        eop: f & 0x40 != 0,
        locu,
        bycu,
        lolu,
        perr: f & 0x02 != 0,
        bpew: f & 0x01 != 0,
        partition: head[1],
        first_block: (!lolu).then(|| u32::from_be_bytes([head[4], head[5], head[6], head[7]])),
        last_block: wire::u32_at(b, 8).filter(|_| !lolu),
        blocks_in_buffer: wire::u24_at(b, 13).filter(|_| !locu),
        bytes_in_buffer: wire::u32_at(b, 16).filter(|_| !bycu),
    })
}

/// Long-form position data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LongPosition {
    /// BOP: at beginning of partition.
    pub bop: bool,
    /// EOP: between early warning and end of partition.
    pub eop: bool,
    /// MPU: mark (file/set) position unknown.
    pub mpu: bool,
    /// LONU (SSC-2 BPU): logical object number unknown.
    pub lonu: bool,
    /// BPEW: beyond programmable early warning.
    pub bpew: bool,
    /// PARTITION NUMBER (u32).
    pub partition: u32,
    /// LOGICAL OBJECT NUMBER (blocks and filemarks from BOP); `None` when LONU is set.
    pub block_number: Option<u64>,
    /// LOGICAL FILE IDENTIFIER (filemarks from BOP); `None` when MPU is set or absent.
    pub file_number: Option<u64>,
    /// LOGICAL SET IDENTIFIER (setmarks; obsolete); `None` when MPU is set or absent.
    pub set_number: Option<u64>,
}

/// Decode long-form data. Needs bytes 0-15 (flags, partition, object number).
pub fn parse_long(b: &[u8]) -> Result<LongPosition, ParseError> {
    let need = 16;
    let head =
        wire::array_at::<16>(b, 0).ok_or(wire::short("READ POSITION long form", need, b.len()))?;
    let f = head[0];
    let mpu = f & 0x08 != 0;
    let lonu = f & 0x04 != 0;
    Ok(LongPosition {
        bop: f & 0x80 != 0,
        eop: f & 0x40 != 0,
        mpu,
        lonu,
        bpew: f & 0x01 != 0,
        partition: wire::u32_at(&head, 4).unwrap_or_default(),
        block_number: wire::u64_at(&head, 8).filter(|_| !lonu),
        file_number: wire::u64_at(b, 16).filter(|_| !mpu),
        set_number: wire::u64_at(b, 24).filter(|_| !mpu),
    })
}

/// READ POSITION, short form (service action 00h).
pub fn read_short<T: Transport + ?Sized>(t: &mut T) -> Result<ShortPosition, ScsiError> {
    let cdb = cdb(read_position_sa::SHORT_FORM, 0);
    let data = wire::data_in(t, &cdb, SHORT_LENGTH, TimeoutClass::Query)?;
    Ok(parse_short(&data)?)
}

/// READ POSITION, long form (service action 06h).
pub fn read_long<T: Transport + ?Sized>(t: &mut T) -> Result<LongPosition, ScsiError> {
    let cdb = cdb(read_position_sa::LONG_FORM, 0);
    let data = wire::data_in(t, &cdb, LONG_LENGTH, TimeoutClass::Query)?;
    Ok(parse_long(&data)?)
}

#[cfg(test)]
#[path = "tests/position.rs"]
mod tests;
