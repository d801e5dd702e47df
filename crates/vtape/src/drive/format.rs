//! Partitioning: the medium partition mode page 11h (SSC-4 §8.3.4) and FORMAT MEDIUM
//! (SSC-4 §6.3), as driven by st's MTMKPART (`reference/st-driver.md` §4): MODE SENSE page
//! 11h, MODE SELECT page 11h with IDP, PSUM = MB (or units of 10^n bytes) and one size with
//! the other partition's descriptor FFFFh ("the rest"), then FORMAT MEDIUM.
//!
//! The drive reports POFM = 1 (partition on format): MODE SELECT only records the requested
//! layout; FORMAT MEDIUM (FORMAT 0h, 1h or 2h) applies it — or re-formats with the current
//! layout when none was selected — erasing every partition. FORMAT needs the medium at the
//! beginning of partition 0 (ILLEGAL REQUEST 2C/00 otherwise).

use scsi_sg::opcode::{self, mode_page};
use scsi_sg::{DataDir, ModePage, Sense, SenseKey};

use super::cdb::Cdb;
use super::dispatch::{row, CommandInfo, Direction};
use super::mode::{page_bytes, Pc};
use super::sense::{asc, invalid_cdb, invalid_param, medium_failure, sense, CmdResult, Outcome};
use super::Drive;
use crate::medium::{FormatSize, MediumError};

/// Rows of this family.
pub(super) const COMMANDS: &[CommandInfo] = &[row(
    opcode::FORMAT_MEDIUM,
    "FORMAT MEDIUM",
    true,
    Direction::None,
    format_medium,
)];

/// Page 11h flags (byte 4): FDP, SDP, IDP, PSUM (bits 4-3), POFM.
const FDP: u8 = 0x80;
const SDP: u8 = 0x40;
const IDP: u8 = 0x20;
const PSUM_MB: u8 = 0x10;
const PSUM_UNITS: u8 = 0x18;
const POFM: u8 = 0x04;
/// MEDIUM FORMAT RECOGNITION: format and partition recognition.
const RECOGNITION: u8 = 0x03;
/// Partition size descriptor meaning "the remaining capacity".
const REST: u16 = 0xFFFF;
/// Page length with two partition size descriptors.
const PAGE_LEN: usize = 10;
/// Offset of the first partition size descriptor in the page data (page byte 8).
const SIZES_AT: usize = 6;
/// PARTITION UNITS used when sizes do not fit in MB: 10^9 bytes.
const GB_EXPONENT: u8 = 9;
const MB: u64 = 1_000_000;

/// The medium partition page, as MODE SENSE reports it.
pub(super) fn partition_page(d: &Drive, pc: Pc) -> Vec<u8> {
    let mut v = vec![0u8; PAGE_LEN];
    if pc == Pc::Changeable {
        v[1] = 0xFF;
        v[2] = FDP | SDP | IDP | PSUM_UNITS;
        v[4] = 0x0F;
        v[SIZES_AT..].fill(0xFF);
        return page_bytes(&ModePage::new(mode_page::MEDIUM_PARTITION, v));
    }
    let sizes: Vec<u64> = if pc == Pc::Default {
        vec![d.medium.config().capacity]
    } else {
        (0..d.medium.partitions())
            .map(|p| d.medium.capacity(p))
            .collect()
    };
    let mb = |s: u64| s / MB;
    let (psum, units, div) = if sizes.iter().all(|&s| mb(s) < u64::from(REST)) {
        (PSUM_MB, 0, MB)
    } else {
        (PSUM_UNITS, GB_EXPONENT, 10u64.pow(u32::from(GB_EXPONENT)))
    };
    v[0] = 1; // MAXIMUM ADDITIONAL PARTITIONS
    v[1] = sizes.len().saturating_sub(1) as u8;
    v[2] = IDP | psum | POFM;
    v[3] = RECOGNITION;
    v[4] = units;
    for (i, s) in sizes.iter().take(2).enumerate() {
        let val = u16::try_from(s / div).unwrap_or(REST - 1).to_be_bytes();
        v[SIZES_AT + 2 * i..SIZES_AT + 2 * i + 2].copy_from_slice(&val);
    }
    page_bytes(&ModePage::new(mode_page::MEDIUM_PARTITION, v))
}

/// Decodes MODE SELECT page 11h parameters (`data` after the 2-byte page header, `at` =
/// offset of the page in the parameter list) into a layout for FORMAT MEDIUM.
pub(super) fn parse_partition_page(d: &Drive, data: &[u8], at: usize) -> Result<FormatSize, Sense> {
    let b = |i: usize| data.get(i).copied().unwrap_or(0);
    let size_at = |i: usize| -> Option<u16> {
        let hi = data.get(SIZES_AT + 2 * i)?;
        let lo = data.get(SIZES_AT + 2 * i + 1)?;
        Some(u16::from_be_bytes([*hi, *lo]))
    };
    let additional = b(1);
    let flags = b(2);
    if additional > 1 {
        return Err(invalid_param(at + 3, None));
    }
    let capacity = d.medium.config().capacity;
    let layout = if additional == 0 {
        FormatSize::Single
    } else if flags & IDP == 0 && flags & (FDP | SDP) != 0 {
        // Device-defined sizes: two equal halves.
        FormatSize::Partition1(capacity / 2)
    } else if flags & IDP == 0 {
        return Err(invalid_param(at + 4, Some(5)));
    } else {
        let unit = match (flags >> 3) & 0x03 {
            0 => Some(1),
            1 => Some(1_000),
            2 => Some(MB),
            _ => 10u64.checked_pow(u32::from(b(4) & 0x0F)),
        }
        .ok_or_else(|| invalid_param(at + 6, None))?;
        let bytes = |s: u16| u64::from(s).saturating_mul(unit);
        match (size_at(0), size_at(1)) {
            (Some(s0), Some(REST) | None) if s0 != REST => FormatSize::Partition0(bytes(s0)),
            (Some(s0), Some(0)) if s0 != REST => FormatSize::Partition0(bytes(s0)),
            (_, Some(s1)) if s1 != REST => FormatSize::Partition1(bytes(s1)),
            _ => return Err(invalid_param(at + 2 + SIZES_AT, None)),
        }
    };
    layout
        .layout(capacity)
        .map_err(|_| invalid_param(at + 2 + SIZES_AT, None))?;
    Ok(layout)
}

fn format_medium(d: &mut Drive, cdb: &Cdb<'_>, _: &mut DataDir<'_>) -> CmdResult {
    if cdb.u16(3) != 0 {
        // TRANSFER LENGTH: no format parameters are accepted.
        return Err(invalid_cdb(3, None));
    }
    if cdb.u8(2) & 0x0F > 2 {
        return Err(invalid_cdb(2, Some(3)));
    }
    if d.medium.write_protected() {
        return Err(d.protected());
    }
    if d.part() != 0 || d.pos() != 0 {
        return Err(sense(SenseKey::IllegalRequest, asc::COMMAND_SEQUENCE_ERROR));
    }
    let layout = d
        .state
        .pending_format
        .unwrap_or(d.medium.config().partitions);
    match d.medium.format(layout) {
        Ok(()) => {}
        Err(MediumError::InvalidConfig(_)) => return Err(invalid_cdb(2, None)),
        Err(e) => return Err(medium_failure(&e, true)),
    }
    d.state.pending_format = None;
    d.state.partition = 0;
    d.state.position = 0;
    Outcome::good()
}
