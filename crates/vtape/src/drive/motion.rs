//! Tape motion and the cartridge: SPACE(6)/(16) (SSC-4 §7.9-7.10), LOCATE(10)/(16) (§7.2-
//! 7.3), REWIND (§7.5), ERASE(6) (§6.2), LOAD UNLOAD (§7.2 / SSC-4 §7.1) and PREVENT ALLOW
//! MEDIUM REMOVAL (SPC-4 §6.13).
//!
//! SPACE residues follow st's reading (`reference/st-driver.md`, st.c: "some drives get
//! this wrong" when the residue of a backward space is negative): INFORMATION is the
//! magnitude of the count not done.
//! - blocks forward over a filemark: NO SENSE + FILEMARK 00/01, positioned after it;
//! - blocks backward over a filemark: the same, positioned before it (BOP side);
//! - filemarks backward ends on the BOP side of the last filemark crossed;
//! - reaching BOP backward: NO SENSE + EOM 00/04; reaching EOD forward: BLANK CHECK 00/05.
//!
//! UNLOAD clears the data encryption key and parameters (`crypto`).
//!
//! LOCATE beyond end of data stops at end of data with BLANK CHECK 00/05. ERASE (short or
//! LONG) erases from the current position to the end of the partition: end of data moves
//! to the current position, which does not change.

use scsi_sg::opcode;
use scsi_sg::{DataDir, Sense, SenseKey};

use super::cdb::Cdb;
use super::dispatch::{row, CommandInfo, Direction};
use super::sense::{
    asc, end_of_data, info, invalid_cdb, medium_failure, residue, sense, CmdResult, Outcome,
};
use super::Drive;

/// Rows of this family.
pub(super) const COMMANDS: &[CommandInfo] = &[
    row(opcode::REWIND, "REWIND", true, Direction::None, rewind),
    row(opcode::SPACE_6, "SPACE(6)", true, Direction::None, space6),
    row(
        opcode::SPACE_16,
        "SPACE(16)",
        true,
        Direction::None,
        space16,
    ),
    row(
        opcode::LOCATE_10,
        "LOCATE(10)",
        true,
        Direction::None,
        locate10,
    ),
    row(
        opcode::LOCATE_16,
        "LOCATE(16)",
        true,
        Direction::None,
        locate16,
    ),
    row(opcode::ERASE_6, "ERASE(6)", true, Direction::None, erase6),
    row(
        opcode::LOAD_UNLOAD,
        "LOAD UNLOAD",
        false,
        Direction::None,
        load_unload,
    ),
    row(
        opcode::PREVENT_ALLOW_MEDIUM_REMOVAL,
        "PREVENT ALLOW MEDIUM REMOVAL",
        false,
        Direction::None,
        prevent_allow,
    ),
];

/// SPACE CODE values (byte 1 bits 3-0).
mod code {
    pub const BLOCKS: u8 = 0;
    pub const FILEMARKS: u8 = 1;
    pub const END_OF_DATA: u8 = 3;
}

/// LOCATE(16) DEST_TYPE values (byte 1 bits 5-3).
mod dest {
    pub const OBJECT: u8 = 0;
    pub const FILE: u8 = 1;
    pub const END_OF_DATA: u8 = 3;
}

/// LOCATE CP bit (byte 1 bit 1).
const CP: u8 = 1;
/// LOAD UNLOAD byte 4: LOAD (b0), RETEN (b1), EOT (b2).
const LOAD: u8 = 0;
const EOT: u8 = 2;

fn rewind(d: &mut Drive, _: &Cdb<'_>, _: &mut DataDir<'_>) -> CmdResult {
    d.state.partition = 0;
    d.state.position = 0;
    Outcome::good()
}

fn space6(d: &mut Drive, cdb: &Cdb<'_>, _: &mut DataDir<'_>) -> CmdResult {
    space(d, cdb.u8(1) & 0x0F, cdb.i24(2))
}

fn space16(d: &mut Drive, cdb: &Cdb<'_>, _: &mut DataDir<'_>) -> CmdResult {
    if cdb.u16(12) != 0 {
        // PARAMETER LENGTH: SPACE(16) has no parameter data here.
        return Err(invalid_cdb(12, None));
    }
    space(d, cdb.u8(1) & 0x0F, cdb.u64(4) as i64)
}

fn space(d: &mut Drive, code: u8, count: i64) -> CmdResult {
    let n = count.unsigned_abs();
    match code {
        code::BLOCKS if count >= 0 => space_blocks_forward(d, n),
        code::BLOCKS => space_blocks_backward(d, n),
        code::FILEMARKS if count >= 0 => space_filemarks_forward(d, n),
        code::FILEMARKS => space_filemarks_backward(d, n),
        code::END_OF_DATA => {
            d.state.position = d.eod();
            Outcome::good()
        }
        // Sequential filemarks and setmarks are not supported by LTO.
        _ => Err(invalid_cdb(1, Some(3))),
    }
}

fn filemark_sense(left: u64) -> Sense {
    info(asc::FILEMARK_DETECTED, residue(left)).with_filemark(true)
}

fn bop_sense(left: u64) -> Sense {
    info(asc::BEGINNING_OF_PARTITION, residue(left)).with_eom(true)
}

fn space_blocks_forward(d: &mut Drive, n: u64) -> CmdResult {
    let (p, pos, eod) = (d.part(), d.pos(), d.eod());
    let target = pos.saturating_add(n);
    let stop = d.medium.next_filemark(p, pos).unwrap_or(eod).min(eod);
    if target <= stop {
        d.state.position = target;
        return Outcome::good();
    }
    let done = stop - pos;
    if stop < eod {
        d.state.position = stop + 1;
        return Outcome::with(0, Some(filemark_sense(n - done)));
    }
    d.state.position = eod;
    Err(end_of_data().with_information(residue(n - done)))
}

fn space_blocks_backward(d: &mut Drive, n: u64) -> CmdResult {
    let (p, pos) = (d.part(), d.pos());
    let fm = d.medium.prev_filemark(p, pos);
    let lower = fm.map_or(0, |f| f + 1);
    let available = pos - lower.min(pos);
    if n <= available {
        d.state.position = pos - n;
        return Outcome::good();
    }
    let left = n - available;
    match fm {
        Some(f) => {
            d.state.position = f;
            Outcome::with(0, Some(filemark_sense(left)))
        }
        None => {
            d.state.position = 0;
            Outcome::with(0, Some(bop_sense(left)))
        }
    }
}

fn space_filemarks_forward(d: &mut Drive, n: u64) -> CmdResult {
    let p = d.part();
    let mut done = 0u64;
    while done < n {
        match d.medium.next_filemark(p, d.state.position) {
            Some(f) => d.state.position = f + 1,
            None => {
                d.state.position = d.eod();
                return Err(end_of_data().with_information(residue(n - done)));
            }
        }
        done += 1;
    }
    Outcome::good()
}

fn space_filemarks_backward(d: &mut Drive, n: u64) -> CmdResult {
    let p = d.part();
    let mut done = 0u64;
    while done < n {
        match d.medium.prev_filemark(p, d.state.position) {
            Some(f) => d.state.position = f,
            None => {
                d.state.position = 0;
                return Outcome::with(0, Some(bop_sense(n - done)));
            }
        }
        done += 1;
    }
    Outcome::good()
}

/// Moves to `partition` (when `cp`) and object `target`, stopping at end of data.
fn locate_to(d: &mut Drive, cp: bool, partition: u8, target: u64, pbyte: u16) -> CmdResult {
    if cp {
        if partition >= d.medium.partitions() {
            return Err(invalid_cdb(pbyte, None));
        }
        d.state.partition = partition;
    }
    let eod = d.eod();
    if target > eod {
        d.state.position = eod;
        return Err(end_of_data());
    }
    d.state.position = target;
    Outcome::good()
}

fn locate10(d: &mut Drive, cdb: &Cdb<'_>, _: &mut DataDir<'_>) -> CmdResult {
    // BT (byte 1 bit 2): block addresses are logical object numbers either way.
    locate_to(d, cdb.bit(1, CP), cdb.u8(8), u64::from(cdb.u32(3)), 8)
}

fn locate16(d: &mut Drive, cdb: &Cdb<'_>, _: &mut DataDir<'_>) -> CmdResult {
    let cp = cdb.bit(1, CP);
    let partition = cdb.u8(3);
    let id = cdb.u64(4);
    match (cdb.u8(1) >> 3) & 0x07 {
        dest::OBJECT => locate_to(d, cp, partition, id, 3),
        dest::END_OF_DATA => {
            locate_to(d, cp, partition, 0, 3)?;
            d.state.position = d.eod();
            Outcome::good()
        }
        dest::FILE => {
            // Logical file n starts after the n-th filemark (file 0 at BOP).
            locate_to(d, cp, partition, 0, 3)?;
            let p = d.part();
            let mut pos = 0u64;
            for _ in 0..id {
                match d.medium.next_filemark(p, pos) {
                    Some(f) => pos = f + 1,
                    None => {
                        d.state.position = d.eod();
                        return Err(end_of_data());
                    }
                }
            }
            d.state.position = pos;
            Outcome::good()
        }
        _ => Err(invalid_cdb(1, Some(5))),
    }
}

fn erase6(d: &mut Drive, _: &Cdb<'_>, _: &mut DataDir<'_>) -> CmdResult {
    // IMMED (b1) and LONG (b0) both erase to the end of the partition here.
    if d.medium.write_protected() {
        return Err(d.protected());
    }
    d.medium
        .erase(d.part(), d.pos())
        .map_err(|e| medium_failure(&e, true))?;
    Outcome::good()
}

fn load_unload(d: &mut Drive, cdb: &Cdb<'_>, _: &mut DataDir<'_>) -> CmdResult {
    let load = cdb.bit(4, LOAD);
    if load && cdb.bit(4, EOT) {
        return Err(invalid_cdb(4, Some(EOT)));
    }
    if load {
        if !d.state.loaded {
            d.state.loaded = true;
            let c = &mut d.state.counters;
            c.mounts = c.mounts.saturating_add(1);
            c.written_mount = 0;
            c.read_mount = 0;
            d.pending = Some(sense(SenseKey::UnitAttention, asc::MEDIUM_MAY_HAVE_CHANGED));
        }
        d.state.partition = 0;
        d.state.position = 0;
        return Outcome::good();
    }
    if d.state.prevent {
        return Err(sense(SenseKey::IllegalRequest, asc::REMOVAL_PREVENTED));
    }
    // Demount: the data encryption key goes with it (see `crypto`: every unload acts as
    // CKOD, since this drive is bound to one cartridge).
    d.crypto
        .clear()
        .map_err(|_| sense(SenseKey::HardwareError, asc::INTERNAL_TARGET_FAILURE))?;
    d.state.loaded = false;
    d.state.partition = 0;
    d.state.position = 0;
    d.store_state().map_err(|e| medium_failure(&e, true))?;
    Outcome::good()
}

fn prevent_allow(d: &mut Drive, cdb: &Cdb<'_>, _: &mut DataDir<'_>) -> CmdResult {
    match cdb.u8(4) & 0x03 {
        0 => d.state.prevent = false,
        1 => d.state.prevent = true,
        _ => return Err(invalid_cdb(4, Some(1))),
    }
    Outcome::good()
}
