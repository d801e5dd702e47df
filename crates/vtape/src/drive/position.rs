//! READ POSITION (SSC-4 §7.7): short form (service actions 00h and 01h, 20 bytes), long
//! form (06h, 32 bytes: partition, logical object number, logical file identifier) and
//! extended form (08h: 4-byte header with ADDITIONAL LENGTH 1Ch, 32 bytes in all, cut to
//! the allocation length).
//!
//! The drive has no write buffer (every write reaches the medium before status), so the
//! object and byte counts in the buffer are 0, and the first and last logical object
//! locations are both the current position. BOP is set at object 0; EOP (and BPEW, since
//! no programmable early warning is set) when the position lies in the early-warning zone.

use scsi_sg::opcode::{self, read_position_sa};
use scsi_sg::DataDir;

use super::cdb::Cdb;
use super::dispatch::{row, CommandInfo, Direction};
use super::sense::{invalid_cdb, reply, CmdResult};
use super::Drive;

/// Rows of this family.
pub(super) const COMMANDS: &[CommandInfo] = &[row(
    opcode::READ_POSITION,
    "READ POSITION",
    true,
    Direction::In,
    read_position,
)];

const BOP: u8 = 0x80;
const EOP: u8 = 0x40;
/// Short/extended form: a position field overflowed.
const PERR: u8 = 0x02;
/// Extended form ADDITIONAL LENGTH.
const EXTENDED_ADDITIONAL: u16 = 0x1C;

fn read_position(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    let (p, pos) = (d.part(), d.pos());
    let mut flags = 0u8;
    if pos == 0 {
        flags |= BOP;
    }
    if d.medium.early_warning(p, pos) {
        flags |= EOP;
    }
    match cdb.u8(1) & 0x1F {
        read_position_sa::SHORT_FORM | read_position_sa::SHORT_FORM_VENDOR => {
            let mut b = [0u8; 20];
            let short = u32::try_from(pos).ok();
            b[0] = flags | if short.is_none() { PERR } else { 0 };
            b[1] = p;
            let v = short.unwrap_or(u32::MAX).to_be_bytes();
            b[4..8].copy_from_slice(&v);
            b[8..12].copy_from_slice(&v);
            reply(data, &b, b.len())
        }
        read_position_sa::LONG_FORM => {
            let mut b = [0u8; 32];
            b[0] = flags;
            b[4..8].copy_from_slice(&u32::from(p).to_be_bytes());
            b[8..16].copy_from_slice(&pos.to_be_bytes());
            let file = d.medium.filemark_count_before(p, pos);
            b[16..24].copy_from_slice(&file.to_be_bytes());
            reply(data, &b, b.len())
        }
        read_position_sa::EXTENDED_FORM => {
            let mut b = [0u8; 32];
            b[0] = flags;
            b[1] = p;
            b[2..4].copy_from_slice(&EXTENDED_ADDITIONAL.to_be_bytes());
            b[8..16].copy_from_slice(&pos.to_be_bytes());
            b[16..24].copy_from_slice(&pos.to_be_bytes());
            reply(data, &b, usize::from(cdb.u16(7)))
        }
        _ => Err(invalid_cdb(1, Some(4))),
    }
}
