//! READ(6) (SSC-4 §7.4), WRITE(6) (§6.8) and WRITE FILEMARKS(6) (§6.9), with the sense of
//! `reference/scsi.md` §7.5-7.6 and the st expectations of `reference/st-driver.md` §5.
//!
//! - READ, variable mode: one record per command. A shorter record gives NO SENSE + ILI with
//!   INFORMATION = requested − actual (positive); a longer one ILI with a negative
//!   INFORMATION, the first bytes transferred and the position after the record. SILI
//!   suppresses ILI in variable-block mode.
//! - READ, fixed mode: INFORMATION counts blocks not transferred. When the data-in buffer
//!   holds fewer blocks than requested, the blocks that fit are read and the rest stay on
//!   the medium: NO SENSE 00/00 with INFORMATION = blocks not transferred.
//! - READ on a filemark: NO SENSE + FILEMARK 00/01, positioned after it. At end of data:
//!   BLANK CHECK 00/05 (no EOM).
//! - WRITE: the data go from the caller's buffer straight to `Medium::write_record` (no
//!   copy). Inside the early-warning zone the write completes and reports NO SENSE + EOM
//!   00/02 (INFORMATION 0); at the physical end nothing is written: VOLUME OVERFLOW 00/02
//!   with EOM and INFORMATION = the whole request.
//! - Encryption (`crypto::io`): while the encryption mode is ENCRYPT each record is stored
//!   encrypted; READ applies the decryption mode (plaintext lengths when decrypting, the
//!   stored length in RAW mode, DATA PROTECT 74/xx when the block cannot be returned).

use scsi_sg::opcode;
use scsi_sg::{DataDir, Sense};

use super::cdb::Cdb;
use super::crypto::io as crypto_io;
use super::dispatch::{row, CommandInfo, Direction};
use super::sense::{
    asc, data_in, data_out, end_of_data, info, invalid_cdb, medium_failure, parameter_list_length,
    residue, CmdResult, Outcome,
};
use super::Drive;
use crate::medium::{MediumError, ObjectKind};

/// Rows of this family.
pub(super) const COMMANDS: &[CommandInfo] = &[
    row(opcode::READ_6, "READ(6)", true, Direction::In, read6),
    row(opcode::WRITE_6, "WRITE(6)", true, Direction::Out, write6),
    row(
        opcode::WRITE_FILEMARKS_6,
        "WRITE FILEMARKS(6)",
        true,
        Direction::None,
        write_filemarks6,
    ),
];

/// READ/WRITE byte 1 bit 0.
const FIXED: u8 = 0;
/// READ byte 1 bit 1.
const SILI: u8 = 1;
/// WRITE FILEMARKS byte 1 bit 1.
const WSMK: u8 = 1;

/// What one record read gave.
enum Got {
    /// A record of this length; `copied` bytes went to the buffer.
    Record { len: usize, copied: usize },
    /// A filemark (position now after it).
    Filemark,
    /// End of data (position unchanged).
    Eod,
}

/// Reads the object at the current position into `buf` and moves past it.
fn read_one(d: &mut Drive, buf: &mut [u8]) -> Result<Got, Sense> {
    let (p, n) = (d.part(), d.pos());
    let Some(obj) = d.medium.object(p, n) else {
        return Ok(Got::Eod);
    };
    d.state.position += 1;
    let (len, copied) = match obj.kind {
        ObjectKind::Filemark => return Ok(Got::Filemark),
        ObjectKind::Record { len, .. } if crypto_io::needs_check(&d.crypto.params, obj.kind) => {
            crypto_io::read_record(d, p, n, len as usize, buf)?
        }
        ObjectKind::Record { .. } => {
            let r = d
                .medium
                .read_record(p, n, buf)
                .map_err(|e| medium_failure(&e, false))?;
            (r.len, r.copied)
        }
    };
    let c = &mut d.state.counters;
    c.read_total = c.read_total.saturating_add(copied as u64);
    c.read_mount = c.read_mount.saturating_add(copied as u64);
    Ok(Got::Record { len, copied })
}

fn read6(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    let fixed = cdb.bit(1, FIXED);
    let sili = cdb.bit(1, SILI);
    let len = cdb.u24(2) as usize;
    if fixed && sili {
        return Err(invalid_cdb(1, Some(SILI)));
    }
    if fixed && d.state.block_len == 0 {
        return Err(invalid_cdb(1, Some(FIXED)));
    }
    if len == 0 {
        return Outcome::good();
    }
    let buf = data_in(data);
    if !fixed {
        let want = len.min(buf.len());
        let dst = buf.get_mut(..want).unwrap_or_default();
        return match read_one(d, dst)? {
            Got::Eod => Err(end_of_data().with_information(residue(len as u64))),
            Got::Filemark => Outcome::with(
                0,
                Some(info(asc::FILEMARK_DETECTED, residue(len as u64)).with_filemark(true)),
            ),
            Got::Record {
                len: actual,
                copied,
            } => {
                let ili = actual != len && !(sili && d.state.block_len == 0);
                let s = ili
                    .then(|| info(asc::NO_ADDITIONAL, len as i64 - actual as i64).with_ili(true));
                Outcome::with(copied, s)
            }
        };
    }
    let bl = d.state.block_len as usize;
    // A host buffer shorter than len × block length (st never does this; a raw SG user
    // might): a real drive would send every block and the HBA would report an overrun. We
    // transfer the whole blocks that fit and stop before the first that does not, without
    // consuming it, and report the blocks not transferred in INFORMATION (NO SENSE).
    let fit = len.min(buf.len() / bl);
    let mut moved = 0usize;
    for i in 0..fit {
        let left = residue((len - i) as u64);
        let Some(dst) = buf.get_mut(i * bl..(i + 1) * bl) else {
            break;
        };
        match read_one(d, dst)? {
            Got::Eod => {
                return Err(end_of_data().with_information(left));
            }
            Got::Filemark => {
                let s = info(asc::FILEMARK_DETECTED, left).with_filemark(true);
                return Outcome::with(moved, Some(s));
            }
            Got::Record {
                len: actual,
                copied,
            } => {
                moved += copied;
                if actual != bl {
                    let s = info(asc::NO_ADDITIONAL, left).with_ili(true);
                    return Outcome::with(moved, Some(s));
                }
            }
        }
    }
    let short = (fit < len).then(|| info(asc::NO_ADDITIONAL, residue((len - fit) as u64)));
    Outcome::with(moved, short)
}

/// Writes one record at the current position (encrypted when the encryption mode says
/// so); `Ok(true)` when it ends in early warning.
fn write_one(d: &mut Drive, rec: &[u8]) -> Result<bool, Sense> {
    let (data, meta) = crypto_io::seal_record(&d.crypto.params, rec)?;
    let st = d
        .medium
        .write_record(d.part(), d.pos(), &data, &meta)
        .map_err(|e| medium_failure(&e, true))?;
    d.state.position += 1;
    let c = &mut d.state.counters;
    c.written_total = c.written_total.saturating_add(rec.len() as u64);
    c.written_mount = c.written_mount.saturating_add(rec.len() as u64);
    Ok(st.early_warning)
}

fn early_warning() -> Sense {
    info(asc::END_OF_PARTITION, 0).with_eom(true)
}

fn write6(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    let fixed = cdb.bit(1, FIXED);
    let len = cdb.u24(2) as usize;
    if fixed && d.state.block_len == 0 {
        return Err(invalid_cdb(1, Some(FIXED)));
    }
    if d.medium.write_protected() {
        return Err(d.protected());
    }
    if len == 0 {
        return Outcome::good();
    }
    let src = data_out(data);
    if !fixed {
        let rec = src.get(..len).ok_or_else(parameter_list_length)?;
        return match write_one(d, rec) {
            Ok(ew) => Outcome::with(len, ew.then(early_warning)),
            Err(s) => Err(s.with_information(residue(len as u64))),
        };
    }
    let bl = d.state.block_len as usize;
    let total = len.checked_mul(bl).ok_or_else(parameter_list_length)?;
    let src = src.get(..total).ok_or_else(parameter_list_length)?;
    let mut ew = false;
    for (i, block) in src.chunks_exact(bl).enumerate() {
        match write_one(d, block) {
            Ok(w) => ew |= w,
            Err(s) => {
                let s = s.with_information(residue((len - i) as u64));
                return Outcome::with(i * bl, Some(s));
            }
        }
    }
    Outcome::with(total, ew.then(early_warning))
}

fn write_filemarks6(d: &mut Drive, cdb: &Cdb<'_>, _: &mut DataDir<'_>) -> CmdResult {
    if cdb.bit(1, WSMK) {
        // LTO has no setmarks.
        return Err(invalid_cdb(1, Some(WSMK)));
    }
    let count = cdb.u24(2);
    if count == 0 {
        // Count 0 only flushes the (always empty) buffer; it writes nothing, so it is
        // allowed on a write-protected medium.
        return Outcome::good();
    }
    match d.medium.write_filemarks(d.part(), d.pos(), count) {
        Ok(st) => {
            d.state.position += u64::from(count);
            Outcome::with(0, st.early_warning.then(early_warning))
        }
        Err(MediumError::WriteProtected) => Err(d.protected()),
        Err(e) => Err(medium_failure(&e, true).with_information(i64::from(count))),
    }
}
