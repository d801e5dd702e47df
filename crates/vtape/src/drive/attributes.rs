//! READ ATTRIBUTE (8Ch) and WRITE ATTRIBUTE (8Dh), SPC-4 §6.17 / §6.38 as
//! `reference/scsi.md` §2-§5 describes them, over the cartridge memory of `mam/`.
//!
//! - READ ATTRIBUTE service actions 00h (values from FIRST ATTRIBUTE IDENTIFIER through every
//!   later existing one; AVAILABLE DATA always the full size; a FIRST ATTRIBUTE IDENTIFIER
//!   that does not exist → 24/00, field pointer byte 8), 01h (existing IDs from the first
//!   ID), 02h (volume list: one volume), 03h (partition list), 05h (supported IDs); any other
//!   service action → 24/00 on byte 1. LOGICAL VOLUME NUMBER ≠ 0 or a PARTITION NUMBER the
//!   medium lacks → 24/00 (bytes 5, 7). CACHE is ignored (the memory is always current).
//! - WRITE ATTRIBUTE is all-or-nothing: a cut record → 1A/00; a read-only identifier, a
//!   wrong length or format for a standard attribute, an invalid value → 26/00 with the
//!   field pointer in the parameter list; a full memory → ILLEGAL REQUEST 55/06 (as HP
//!   reports it); length 0 deletes (deleting a missing attribute is not an error). WTC
//!   needs nothing more: every change is in the medium file before status returns.
//! - mhvtl's deviations (`reference/scsi.md` §12) are avoided: every SA is its own reply,
//!   zero length deletes, a short value is refused, dates are 8 bytes.
//! - An unreadable cartridge memory gives MEDIUM ERROR 04/10 (HP's report).

use scsi_sg::attributes::{
    id_list_reply, parse_write_list, values_reply, volume_list_reply, Attribute,
    WriteListErrorKind, HEADER_LEN,
};
use scsi_sg::opcode::{read_attribute_sa as sa, READ_ATTRIBUTE, WRITE_ATTRIBUTE};
use scsi_sg::{DataDir, Sense, SenseKey};

use super::cdb::Cdb;
use super::dispatch::{row, CommandInfo, Direction};
use super::inquiry::VENDOR;
use super::mam::{barcode_value, id, Live, Mam, Refusal, VOLUME};
use super::sense::{
    invalid_cdb, invalid_param, medium_failure, parameter_list, parameter_list_length, reply,
    sense, CmdResult, Outcome,
};
use super::Drive;
use crate::medium::{Medium, MediumError};

/// READ/WRITE ATTRIBUTE rows of the dispatch table.
pub(super) const COMMANDS: &[CommandInfo] = &[
    row(
        READ_ATTRIBUTE,
        "READ ATTRIBUTE",
        true,
        Direction::In,
        read_attribute,
    ),
    row(
        WRITE_ATTRIBUTE,
        "WRITE ATTRIBUTE",
        true,
        Direction::Out,
        write_attribute,
    ),
];

/// 55/06 auxiliary memory out of space.
const MAM_FULL: (u8, u8) = (0x55, 0x06);
/// 04/10 logical unit not ready, auxiliary memory not accessible.
const MAM_UNREADABLE: (u8, u8) = (0x04, 0x10);
/// CDB byte of the SERVICE ACTION field and its most significant bit.
const SA_BYTE: u16 = 1;
/// CDB bytes of LOGICAL VOLUME NUMBER, PARTITION NUMBER, FIRST ATTRIBUTE IDENTIFIER.
const VOLUME_BYTE: usize = 5;
const PARTITION_BYTE: usize = 7;
const FIRST_ID_BYTE: usize = 8;
/// CDB bytes of ALLOCATION LENGTH / PARAMETER LIST LENGTH.
const LENGTH_BYTE: usize = 10;
/// Bytes of the PARAMETER DATA LENGTH field before the records.
const LIST_HEADER_LEN: usize = 4;

/// Loads the cartridge memory of `medium` for a drive: the stored one, a new one when the
/// cartridge has none (new or format version 1 file; stored at once, best effort), `None`
/// when it is unreadable.
pub(super) fn load_mam(medium: &mut Medium) -> Option<Mam> {
    match medium.mam() {
        Ok(Some(blob)) => Mam::decode(blob),
        Ok(None) => {
            let m = Mam::new_cartridge(medium.generation(), medium.density_code());
            let _ = medium.set_mam(&m.encode());
            Some(m)
        }
        Err(_) => None,
    }
}

/// Creates the cartridge memory of a new medium (the medium attributes), with the barcode
/// (attribute 0806h) when given: printable ASCII, at most 32 characters, stored padded
/// with spaces. A barcode that does not qualify gives `InvalidConfig` and writes nothing.
pub fn init_cartridge_memory(
    medium: &mut Medium,
    barcode: Option<&str>,
) -> Result<(), MediumError> {
    let barcode = match barcode {
        Some(text) => Some(barcode_value(text).ok_or(MediumError::InvalidConfig(
            "barcode must be printable ASCII of at most 32 characters",
        ))?),
        None => None,
    };
    let mut m = Mam::new_cartridge(medium.generation(), medium.density_code());
    if let Some(v) = barcode {
        m.put(id::BARCODE, VOLUME, scsi_sg::attributes::Format::Ascii, v);
    }
    medium.set_mam(&m.encode())
}

impl Drive {
    /// What the computed device attributes show now.
    fn live(&self) -> Live {
        let m = &self.medium;
        let c = &self.state.counters;
        Live {
            capacity: (0..m.partitions())
                .map(|p| (m.remaining(p, m.object_count(p)), m.capacity(p)))
                .collect(),
            tape_alert: self.state.tape_alert,
            loads: c.mounts,
            bytes: [c.written_total, c.read_total, c.written_mount, c.read_mount],
            density: m.density_code(),
        }
    }

    /// Records this drive as the last one that loaded the cartridge (020Ah), storing the
    /// memory when that changed it (best effort).
    pub(super) fn note_drive_in_mam(&mut self) {
        let changed = match self.mam.as_mut() {
            Some(m) => m.note_drive(VENDOR, self.serial.as_bytes()),
            None => false,
        };
        if changed {
            if let Some(m) = &self.mam {
                let _ = self.medium.set_mam(&m.encode());
            }
        }
    }
}

/// CDB checks shared by both commands; returns the partition.
fn volume_and_partition(d: &Drive, cdb: &Cdb<'_>) -> Result<u8, Sense> {
    if cdb.u8(VOLUME_BYTE) != 0 {
        return Err(invalid_cdb(VOLUME_BYTE as u16, None));
    }
    let p = cdb.u8(PARTITION_BYTE);
    if p >= d.medium.partitions() {
        return Err(invalid_cdb(PARTITION_BYTE as u16, None));
    }
    Ok(p)
}

fn unreadable() -> Sense {
    sense(SenseKey::MediumError, MAM_UNREADABLE)
}

fn read_attribute(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    let service_action = cdb.u8(1) & 0x1F;
    let p = volume_and_partition(d, cdb)?;
    let first = cdb.u16(FIRST_ID_BYTE);
    let alloc = cdb.u32(LENGTH_BYTE);
    let live = d.live();
    let mam = d.mam.as_ref().ok_or_else(unreadable)?;
    let out = match service_action {
        sa::ATTRIBUTE_VALUES => {
            let attrs = mam.view(&live, p);
            if !attrs.iter().any(|a| a.id == first) {
                return Err(invalid_cdb(FIRST_ID_BYTE as u16, None));
            }
            values_reply(&attrs, first, alloc)
        }
        sa::ATTRIBUTE_LIST => {
            let ids: Vec<u16> = mam
                .view(&live, p)
                .iter()
                .map(|a| a.id)
                .filter(|&i| i >= first)
                .collect();
            id_list_reply(&ids, alloc)
        }
        sa::LOGICAL_VOLUME_LIST => volume_list_reply(0, 1, alloc),
        sa::PARTITION_LIST => volume_list_reply(0, d.medium.partitions(), alloc),
        sa::SUPPORTED_ATTRIBUTES => id_list_reply(&mam.supported(&live), alloc),
        _ => return Err(invalid_cdb(SA_BYTE, Some(4))),
    };
    reply(data, &out, alloc as usize)
}

fn write_attribute(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    let p = volume_and_partition(d, cdb)?;
    let len = cdb.u32(LENGTH_BYTE) as usize;
    if len == 0 {
        return Outcome::good();
    }
    let list = parameter_list(data, len)?;
    let records = parse_write_list(list).map_err(|e| match e.kind {
        WriteListErrorKind::ParameterListLength => parameter_list_length(),
        WriteListErrorKind::InvalidField => invalid_param(e.offset, None),
    })?;
    let mut at = LIST_HEADER_LEN;
    let placed: Vec<(usize, Attribute)> = records
        .into_iter()
        .map(|a| {
            let here = at;
            at += HEADER_LEN + a.value.len();
            (here, a)
        })
        .collect();
    let live = d.live();
    let mam = d.mam.as_ref().ok_or_else(unreadable)?;
    let next = match mam.apply(&placed, p, &live) {
        Ok(next) => next,
        Err(Refusal::Invalid { at }) => return Err(invalid_param(at, None)),
        Err(Refusal::Full) => return Err(sense(SenseKey::IllegalRequest, MAM_FULL)),
    };
    d.medium
        .set_mam(&next.encode())
        .map_err(|e| medium_failure(&e, true))?;
    d.mam = Some(next);
    Outcome::good()
}
