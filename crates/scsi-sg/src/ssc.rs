//! Stream (tape) commands of SSC-4 §7 that move data or the medium: READ(6) (§7.10),
//! WRITE(6) (§7.12), WRITE FILEMARKS(6) (§7.13), SPACE(6) (§7.11) and SPACE(16) (§7.9),
//! LOCATE(10) (§7.4) and LOCATE(16) (§7.5), REWIND (§7.8), LOAD UNLOAD (§7.3),
//! ERASE(6) (§7.2), FORMAT MEDIUM (§7.1), and PREVENT ALLOW MEDIUM REMOVAL (SPC-4 §6.13).
//!
//! These are the commands the Linux st driver sends for read(2), write(2) and MTIOCTOP
//! (`reference/st-driver.md` §4-§5). Each has a CDB builder and a runner over a
//! [`Transport`]; runners return the [`CompletionInfo`] so callers see informational sense
//! (FILEMARK, EOM, ILI and the INFORMATION residue) and the transport residual.
//!
//! Counts that SSC carries in 24 bits are checked: a value that does not fit is refused with
//! [`ScsiError::InvalidRequest`] before anything is sent.

use crate::error::ScsiError;
use crate::opcode;
use crate::transport::{Command, CompletionInfo, DataDir, TimeoutClass, Transport};

/// READ(6) / WRITE(6) byte 1 bit 0: FIXED (transfer length counts blocks, not bytes).
const FIXED: u8 = 0x01;
/// READ(6) byte 1 bit 1: SILI (suppress incorrect length indicator).
const SILI: u8 = 0x02;
/// IMMED bit of WRITE FILEMARKS, REWIND, LOAD UNLOAD, LOCATE, FORMAT MEDIUM (byte 1 bit 0).
const IMMED: u8 = 0x01;
/// WRITE FILEMARKS(6) byte 1 bit 1: WSMK (write setmarks).
const WSMK: u8 = 0x02;
/// ERASE(6) byte 1 bit 0: LONG.
const ERASE_LONG: u8 = 0x01;
/// ERASE(6) byte 1 bit 1: IMMED.
const ERASE_IMMED: u8 = 0x02;
/// LOCATE(10) byte 1 bit 2: BT (block address type).
const LOCATE_BT: u8 = 0x04;
/// LOCATE byte 1 bit 1: CP (change partition).
const LOCATE_CP: u8 = 0x02;
/// LOAD UNLOAD byte 4 bit 0: LOAD.
const LOAD: u8 = 0x01;
/// LOAD UNLOAD byte 4 bit 1: RETEN.
const RETEN: u8 = 0x02;
/// Largest unsigned 24-bit count.
const U24_MAX: u32 = 0x00FF_FFFF;
/// Range of a signed 24-bit count.
const I24_MIN: i32 = -0x0080_0000;
const I24_MAX: i32 = 0x007F_FFFF;

/// SPACE CODE field (SSC-4 table 43).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpaceCode {
    /// 000b: logical blocks.
    Blocks = 0,
    /// 001b: filemarks.
    Filemarks = 1,
    /// 010b: sequential filemarks.
    SequentialFilemarks = 2,
    /// 011b: end of data (count ignored).
    EndOfData = 3,
    /// 100b: setmarks (obsolete in SSC-3; LTO rejects it).
    Setmarks = 4,
}

/// LOCATE(16) DEST_TYPE field (byte 1 bits 5-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DestType {
    /// 000b: logical object identifier.
    Object = 0,
    /// 001b: logical file identifier.
    File = 1,
    /// 011b: end of data.
    EndOfData = 3,
}

fn u24(what: &str, n: u32) -> Result<[u8; 3], ScsiError> {
    if n > U24_MAX {
        return Err(ScsiError::InvalidRequest(format!(
            "{what} {n} does not fit in 24 bits"
        )));
    }
    let [_, a, b, c] = n.to_be_bytes();
    Ok([a, b, c])
}

fn i24(what: &str, n: i32) -> Result<[u8; 3], ScsiError> {
    if !(I24_MIN..=I24_MAX).contains(&n) {
        return Err(ScsiError::InvalidRequest(format!(
            "{what} {n} does not fit in a signed 24-bit field"
        )));
    }
    let [_, a, b, c] = n.to_be_bytes();
    Ok([a, b, c])
}

/// READ(6): `length` is bytes (variable mode) or blocks (`fixed`); SILI suppresses the
/// incorrect-length report in variable mode.
pub fn read6_cdb(fixed: bool, sili: bool, length: u32) -> Result<[u8; 6], ScsiError> {
    let [a, b, c] = u24("READ(6) transfer length", length)?;
    let flags = if fixed { FIXED } else { 0 } | if sili { SILI } else { 0 };
    Ok([opcode::READ_6, flags, a, b, c, 0])
}

/// WRITE(6): `length` is bytes (variable mode) or blocks (`fixed`).
pub fn write6_cdb(fixed: bool, length: u32) -> Result<[u8; 6], ScsiError> {
    let [a, b, c] = u24("WRITE(6) transfer length", length)?;
    Ok([opcode::WRITE_6, if fixed { FIXED } else { 0 }, a, b, c, 0])
}

/// WRITE FILEMARKS(6) of `count` filemarks (0 only flushes the drive buffer).
pub fn write_filemarks6_cdb(immed: bool, count: u32) -> Result<[u8; 6], ScsiError> {
    let [a, b, c] = u24("WRITE FILEMARKS count", count)?;
    Ok([
        opcode::WRITE_FILEMARKS_6,
        if immed { IMMED } else { 0 },
        a,
        b,
        c,
        0,
    ])
}

/// WRITE FILEMARKS(6) with WSMK = 1: `count` setmarks (obsolete since SSC-3; LTO drives
/// reject it with ILLEGAL REQUEST).
pub fn write_setmarks6_cdb(immed: bool, count: u32) -> Result<[u8; 6], ScsiError> {
    let mut cdb = write_filemarks6_cdb(immed, count)?;
    cdb[1] |= WSMK;
    Ok(cdb)
}

/// SPACE(6): `count` is signed (negative = toward BOT), 24-bit two's complement.
pub fn space6_cdb(code: SpaceCode, count: i32) -> Result<[u8; 6], ScsiError> {
    let [a, b, c] = i24("SPACE(6) count", count)?;
    Ok([opcode::SPACE_6, code as u8, a, b, c, 0])
}

/// SPACE(16): 64-bit signed count, parameter list length 0.
pub fn space16_cdb(code: SpaceCode, count: i64) -> [u8; 16] {
    let mut cdb = [0u8; 16];
    cdb[0] = opcode::SPACE_16;
    cdb[1] = code as u8;
    cdb[4..12].copy_from_slice(&count.to_be_bytes());
    cdb
}

/// LOCATE(10): BT selects device-specific block addresses; `partition` (with CP) changes
/// partition first.
pub fn locate10_cdb(bt: bool, partition: Option<u8>, block: u32, immed: bool) -> [u8; 10] {
    let mut cdb = [0u8; 10];
    cdb[0] = opcode::LOCATE_10;
    cdb[1] = if bt { LOCATE_BT } else { 0 }
        | if partition.is_some() { LOCATE_CP } else { 0 }
        | if immed { IMMED } else { 0 };
    cdb[3..7].copy_from_slice(&block.to_be_bytes());
    cdb[8] = partition.unwrap_or(0);
    cdb
}

/// LOCATE(16) to `dest` of `dest_type` (BAM = 0, logical addressing).
pub fn locate16_cdb(
    dest_type: DestType,
    partition: Option<u8>,
    dest: u64,
    immed: bool,
) -> [u8; 16] {
    let mut cdb = [0u8; 16];
    cdb[0] = opcode::LOCATE_16;
    cdb[1] = ((dest_type as u8) << 3)
        | if partition.is_some() { LOCATE_CP } else { 0 }
        | if immed { IMMED } else { 0 };
    cdb[3] = partition.unwrap_or(0);
    cdb[4..12].copy_from_slice(&dest.to_be_bytes());
    cdb
}

/// REWIND.
pub fn rewind_cdb(immed: bool) -> [u8; 6] {
    [opcode::REWIND, if immed { IMMED } else { 0 }, 0, 0, 0, 0]
}

/// LOAD UNLOAD: `load` false unloads; `reten` retensions.
pub fn load_unload_cdb(load: bool, reten: bool, immed: bool) -> [u8; 6] {
    let b4 = if load { LOAD } else { 0 } | if reten { RETEN } else { 0 };
    [
        opcode::LOAD_UNLOAD,
        if immed { IMMED } else { 0 },
        0,
        0,
        b4,
        0,
    ]
}

/// ERASE(6): LONG erases to the end of the partition.
pub fn erase6_cdb(long: bool, immed: bool) -> [u8; 6] {
    let b1 = if long { ERASE_LONG } else { 0 } | if immed { ERASE_IMMED } else { 0 };
    [opcode::ERASE_6, b1, 0, 0, 0, 0]
}

/// PREVENT ALLOW MEDIUM REMOVAL: PREVENT field 01b when `prevent`, else 00b.
pub fn prevent_allow_cdb(prevent: bool) -> [u8; 6] {
    [
        opcode::PREVENT_ALLOW_MEDIUM_REMOVAL,
        0,
        0,
        0,
        u8::from(prevent),
        0,
    ]
}

/// FORMAT MEDIUM with FORMAT field `format` (0 default, 1 partition per mode page 11h,
/// 2 default then partition), no parameter list.
pub fn format_medium_cdb(format: u8, immed: bool) -> [u8; 6] {
    [
        opcode::FORMAT_MEDIUM,
        if immed { IMMED } else { 0 },
        format & 0x0f,
        0,
        0,
        0,
    ]
}

fn run_none<T: Transport + ?Sized>(
    t: &mut T,
    cdb: &[u8],
    class: TimeoutClass,
) -> Result<CompletionInfo, ScsiError> {
    t.run(Command::new(cdb, DataDir::None, class))
}

/// Run READ(6) into `buf` (its length is the byte count; in fixed mode a multiple of
/// `block_size`). The residual and any FILEMARK/EOM/ILI sense come back in the info.
pub fn read6<T: Transport + ?Sized>(
    t: &mut T,
    block_size: u32,
    sili: bool,
    buf: &mut [u8],
) -> Result<CompletionInfo, ScsiError> {
    let len = transfer_length(block_size, buf.len())?;
    let cdb = read6_cdb(block_size != 0, sili, len)?;
    t.run(Command::new(
        &cdb,
        DataDir::FromDevice(buf),
        TimeoutClass::Motion,
    ))
}

/// Run WRITE(6) of `data` (variable mode: one block; fixed: `len / block_size` blocks).
pub fn write6<T: Transport + ?Sized>(
    t: &mut T,
    block_size: u32,
    data: &[u8],
) -> Result<CompletionInfo, ScsiError> {
    let len = transfer_length(block_size, data.len())?;
    let cdb = write6_cdb(block_size != 0, len)?;
    t.run(Command::new(
        &cdb,
        DataDir::ToDevice(data),
        TimeoutClass::Motion,
    ))
}

fn transfer_length(block_size: u32, bytes: usize) -> Result<u32, ScsiError> {
    let bytes =
        u32::try_from(bytes).map_err(|_| ScsiError::InvalidRequest("transfer too long".into()))?;
    if block_size == 0 {
        return Ok(bytes);
    }
    if bytes % block_size != 0 {
        return Err(ScsiError::InvalidRequest(format!(
            "{bytes} bytes is not a multiple of the block size {block_size}"
        )));
    }
    Ok(bytes / block_size)
}

/// Run WRITE FILEMARKS(6).
pub fn write_filemarks<T: Transport + ?Sized>(
    t: &mut T,
    count: u32,
    immed: bool,
) -> Result<CompletionInfo, ScsiError> {
    run_none(
        t,
        &write_filemarks6_cdb(immed, count)?,
        TimeoutClass::Motion,
    )
}

/// Run WRITE FILEMARKS(6) with WSMK (setmarks).
pub fn write_setmarks<T: Transport + ?Sized>(
    t: &mut T,
    count: u32,
    immed: bool,
) -> Result<CompletionInfo, ScsiError> {
    run_none(t, &write_setmarks6_cdb(immed, count)?, TimeoutClass::Motion)
}

/// Run SPACE(6).
pub fn space<T: Transport + ?Sized>(
    t: &mut T,
    code: SpaceCode,
    count: i32,
) -> Result<CompletionInfo, ScsiError> {
    run_none(t, &space6_cdb(code, count)?, TimeoutClass::Motion)
}

/// Run SPACE(16).
pub fn space16<T: Transport + ?Sized>(
    t: &mut T,
    code: SpaceCode,
    count: i64,
) -> Result<CompletionInfo, ScsiError> {
    run_none(t, &space16_cdb(code, count), TimeoutClass::Motion)
}

/// Run LOCATE(10).
pub fn locate10<T: Transport + ?Sized>(
    t: &mut T,
    bt: bool,
    partition: Option<u8>,
    block: u32,
    immed: bool,
) -> Result<CompletionInfo, ScsiError> {
    let cdb = locate10_cdb(bt, partition, block, immed);
    run_none(t, &cdb, TimeoutClass::Motion)
}

/// Run LOCATE(16).
pub fn locate16<T: Transport + ?Sized>(
    t: &mut T,
    dest_type: DestType,
    partition: Option<u8>,
    dest: u64,
    immed: bool,
) -> Result<CompletionInfo, ScsiError> {
    let cdb = locate16_cdb(dest_type, partition, dest, immed);
    run_none(t, &cdb, TimeoutClass::Motion)
}

/// Run REWIND.
pub fn rewind<T: Transport + ?Sized>(t: &mut T, immed: bool) -> Result<CompletionInfo, ScsiError> {
    run_none(t, &rewind_cdb(immed), TimeoutClass::Motion)
}

/// Run LOAD UNLOAD.
pub fn load_unload<T: Transport + ?Sized>(
    t: &mut T,
    load: bool,
    reten: bool,
    immed: bool,
) -> Result<CompletionInfo, ScsiError> {
    run_none(
        t,
        &load_unload_cdb(load, reten, immed),
        TimeoutClass::Motion,
    )
}

/// Run ERASE(6) (long timeout).
pub fn erase<T: Transport + ?Sized>(
    t: &mut T,
    long: bool,
    immed: bool,
) -> Result<CompletionInfo, ScsiError> {
    run_none(t, &erase6_cdb(long, immed), TimeoutClass::Long)
}

/// Run PREVENT ALLOW MEDIUM REMOVAL.
pub fn prevent_allow<T: Transport + ?Sized>(
    t: &mut T,
    prevent: bool,
) -> Result<CompletionInfo, ScsiError> {
    run_none(t, &prevent_allow_cdb(prevent), TimeoutClass::Query)
}

/// Run FORMAT MEDIUM (long timeout).
pub fn format_medium<T: Transport + ?Sized>(
    t: &mut T,
    format: u8,
    immed: bool,
) -> Result<CompletionInfo, ScsiError> {
    run_none(t, &format_medium_cdb(format, immed), TimeoutClass::Long)
}

#[cfg(test)]
#[path = "tests/ssc.rs"]
mod tests;
