//! READ ATTRIBUTE (8Ch) and WRITE ATTRIBUTE (8Dh) CDBs, SPC-4 §6.16/§6.33 as summarised in
//! `reference/scsi.md` §2-§3: 16 bytes; SERVICE ACTION (read) or WTC (write) in byte 1,
//! LOGICAL VOLUME NUMBER in byte 5, PARTITION NUMBER in byte 7, FIRST ATTRIBUTE IDENTIFIER
//! in bytes 8-9 (read), ALLOCATION / PARAMETER LIST LENGTH in bytes 10-13, CACHE in byte 14
//! bit 0 (read), CONTROL in byte 15. The parsers are for the device side (an emulator).

use crate::error::ParseError;
use crate::opcode;
use crate::wire::{self, u16_at, u32_at};

/// Allocation length of the first pass of the two-pass runners.
pub const FIRST_PASS_ALLOCATION: u32 = 4096;
/// CDB length of both commands.
pub const CDB_LEN: usize = 16;
const SA_MASK: u8 = 0x1f;
const WTC: u8 = 0x01;
const CACHE: u8 = 0x01;

/// READ ATTRIBUTE CDB (logical volume 0, CACHE = 0).
pub fn read_cdb(
    service_action: u8,
    partition: u8,
    first_id: u16,
    allocation_length: u32,
) -> [u8; CDB_LEN] {
    let [i0, i1] = first_id.to_be_bytes();
    let [a0, a1, a2, a3] = allocation_length.to_be_bytes();
    [
        opcode::READ_ATTRIBUTE,
        service_action & SA_MASK,
        0,
        0,
        0,
        0,
        0,
        partition,
        i0,
        i1,
        a0,
        a1,
        a2,
        a3,
        0,
        0,
    ]
}

/// WRITE ATTRIBUTE CDB (logical volume 0).
pub fn write_cdb(wtc: bool, partition: u8, parameter_list_length: u32) -> [u8; CDB_LEN] {
    let [l0, l1, l2, l3] = parameter_list_length.to_be_bytes();
    [
        opcode::WRITE_ATTRIBUTE,
        if wtc { WTC } else { 0 },
        0,
        0,
        0,
        0,
        0,
        partition,
        0,
        0,
        l0,
        l1,
        l2,
        l3,
        0,
        0,
    ]
}

/// A decoded READ ATTRIBUTE CDB (device side).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadCdb {
    /// SERVICE ACTION (byte 1, bits 4-0).
    pub service_action: u8,
    /// LOGICAL VOLUME NUMBER (byte 5).
    pub volume: u8,
    /// PARTITION NUMBER (byte 7).
    pub partition: u8,
    /// FIRST ATTRIBUTE IDENTIFIER (bytes 8-9).
    pub first_id: u16,
    /// ALLOCATION LENGTH (bytes 10-13).
    pub allocation_length: u32,
    /// CACHE (byte 14, bit 0).
    pub cache: bool,
}

/// A decoded WRITE ATTRIBUTE CDB (device side).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteCdb {
    /// WTC (byte 1, bit 0): write through to the cartridge before status.
    pub wtc: bool,
    /// LOGICAL VOLUME NUMBER (byte 5).
    pub volume: u8,
    /// PARTITION NUMBER (byte 7).
    pub partition: u8,
    /// PARAMETER LIST LENGTH (bytes 10-13).
    pub parameter_list_length: u32,
}

fn byte(cdb: &[u8], off: usize) -> u8 {
    cdb.get(off).copied().unwrap_or(0)
}

fn check(cdb: &[u8], what: &'static str, op: u8) -> Result<(), ParseError> {
    if cdb.len() < CDB_LEN {
        return Err(wire::short(what, CDB_LEN, cdb.len()));
    }
    if byte(cdb, 0) != op {
        return Err(ParseError::Invalid {
            what,
            detail: format!("operation code {:02X}h", byte(cdb, 0)),
        });
    }
    Ok(())
}

/// Decode a READ ATTRIBUTE CDB (needs 16 bytes and opcode 8Ch).
pub fn parse_read_cdb(cdb: &[u8]) -> Result<ReadCdb, ParseError> {
    const WHAT: &str = "READ ATTRIBUTE CDB";
    check(cdb, WHAT, opcode::READ_ATTRIBUTE)?;
    Ok(ReadCdb {
        service_action: byte(cdb, 1) & SA_MASK,
        volume: byte(cdb, 5),
        partition: byte(cdb, 7),
        first_id: u16_at(cdb, 8).unwrap_or(0),
        allocation_length: u32_at(cdb, 10).unwrap_or(0),
        cache: byte(cdb, 14) & CACHE != 0,
    })
}

/// Decode a WRITE ATTRIBUTE CDB (needs 16 bytes and opcode 8Dh).
pub fn parse_write_cdb(cdb: &[u8]) -> Result<WriteCdb, ParseError> {
    const WHAT: &str = "WRITE ATTRIBUTE CDB";
    check(cdb, WHAT, opcode::WRITE_ATTRIBUTE)?;
    Ok(WriteCdb {
        wtc: byte(cdb, 1) & WTC != 0,
        volume: byte(cdb, 5),
        partition: byte(cdb, 7),
        parameter_list_length: u32_at(cdb, 10).unwrap_or(0),
    })
}
