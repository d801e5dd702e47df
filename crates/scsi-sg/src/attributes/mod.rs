//! READ ATTRIBUTE (8Ch) and WRITE ATTRIBUTE (8Dh): medium auxiliary memory (MAM, "cartridge
//! memory"), SPC-4 §6.16/§6.33 and §7.4, SSC-5 attributes, as summarised in
//! `reference/scsi.md` §2-§5 and §13.
//!
//! - [`cdb`]: the 16-byte CDBs (and their device-side decoding).
//! - [`record`]: the 5-byte-header record, the replies of every service action, the ITDT raw
//!   attribute file (one record, header + value).
//! - [`table`]: the standard attribute table; [`value`], [`vci`]: typed values;
//!   [`encode`](mod@encode): values from user strings.
//! - [`write`](mod@write): the WRITE ATTRIBUTE parameter list, built (host) and parsed (device).
//! - [`reply`]: device-side READ ATTRIBUTE replies.
//! - Runners here: two-pass reads (AVAILABLE DATA always reports the full size), one attribute
//!   with the returned identifier checked, and writes refused before sending when invalid.
//!
//! ```
//! use scsi_sg::attributes::{parse_raw_file, Value, TextLocalization};
//!
//! // An ITDT raw attribute file: header 08 06 01 00 20 (barcode, ASCII, 32 bytes) + value.
//! let mut file = vec![0x08, 0x06, 0x01, 0x00, 0x20];
//! file.extend_from_slice(b"FJK670L6");
//! file.resize(37, b' ');
//! let attr = parse_raw_file(&file)?;
//! assert_eq!(attr.id, 0x0806);
//! assert_eq!(attr.decode(TextLocalization::Ascii), Value::Ascii("FJK670L6".into()));
//! # Ok::<(), scsi_sg::ParseError>(())
//! ```

pub mod cdb;
pub mod encode;
pub mod error;
pub mod record;
pub mod reply;
pub mod table;
pub mod value;
pub mod vci;
pub mod write;

pub use cdb::{
    parse_read_cdb, parse_write_cdb, read_cdb, write_cdb, ReadCdb, WriteCdb, FIRST_PASS_ALLOCATION,
};
pub use encode::{encode, parse_hex};
pub use error::AttributeError;
pub use record::{
    parse_id_list, parse_raw_file, parse_records, parse_values, parse_volume_list, to_raw_file,
    Attribute, Format, IdList, Incomplete, ValuesReply, VolumeList, HEADER_LEN,
};
pub use reply::{id_list_reply, values_reply, volume_list_reply};
pub use table::{
    by_short_name, display_name, is_read_only, lookup, resolve, AttrInfo, Range, STANDARD,
};
pub use value::{decode, density_name, hex, id, Date, MediumType, TextLocalization, Value};
pub use vci::{LtfsVci, UsageHistory, Vci, USAGE_FIELD_NAMES};
pub use write::{
    build_write_list, parse_write_list, validate, AttributeWrite, WriteListError,
    WriteListErrorKind,
};

use crate::error::{ParseError, ScsiError};
use crate::opcode::read_attribute_sa as sa;
use crate::transport::{TimeoutClass, Transport};
use crate::wire;

/// Allocation used by [`read_one`] for attributes of variable or unknown length.
pub const VARIABLE_ALLOCATION: u32 = 512;
/// ASC of INVALID FIELD IN CDB: a non-existent first attribute identifier.
const ASC_INVALID_FIELD_IN_CDB: u8 = 0x24;
/// Bytes in front of the records / identifiers of SA 00h, 01h and 05h.
const AVAILABLE_LEN: u32 = 4;

fn read<T: Transport + ?Sized>(
    t: &mut T,
    service_action: u8,
    partition: u8,
    first_id: u16,
    alloc: u32,
) -> Result<Vec<u8>, ScsiError> {
    let cdb = read_cdb(service_action, partition, first_id, alloc);
    let len = usize::try_from(alloc).unwrap_or(usize::MAX);
    wire::data_in(t, &cdb, len, TimeoutClass::Config)
}

/// A reply whose AVAILABLE DATA (u32) asks for more than `alloc`: read again with the full
/// size (`reference/scsi.md` §2). A device announcing less than it sent is believed.
fn two_pass<T: Transport + ?Sized>(
    t: &mut T,
    service_action: u8,
    partition: u8,
    first_id: u16,
    alloc: u32,
) -> Result<Vec<u8>, ScsiError> {
    let first = read(t, service_action, partition, first_id, alloc)?;
    let Some(available) = wire::u32_at(&first, 0) else {
        return Err(wire::short("READ ATTRIBUTE reply", 4, first.len()).into());
    };
    let full = available.saturating_add(AVAILABLE_LEN);
    if full <= alloc {
        return Ok(first);
    }
    read(t, service_action, partition, first_id, full)
}

/// ATTRIBUTE VALUES (SA 00h) of `partition` from `first_id` on, two-pass. A record cut by a
/// device that sent less than it announced is dropped.
pub fn read_values<T: Transport + ?Sized>(
    t: &mut T,
    partition: u8,
    first_id: u16,
) -> Result<Vec<Attribute>, ScsiError> {
    let reply = two_pass(
        t,
        sa::ATTRIBUTE_VALUES,
        partition,
        first_id,
        FIRST_PASS_ALLOCATION,
    )?;
    Ok(parse_values(&reply)?.attributes)
}

fn is_invalid_field_in_cdb(e: &ScsiError) -> bool {
    matches!(e, ScsiError::IllegalRequest { sense, .. } if sense.asc == ASC_INVALID_FIELD_IN_CDB)
}

/// One attribute: FIRST ATTRIBUTE IDENTIFIER = `id`, allocation 4 + 5 + standard length
/// ([`VARIABLE_ALLOCATION`] if variable), read again if the record was cut. `None` when the
/// device answers ILLEGAL REQUEST 24/00, returns nothing, or returns another identifier (the
/// next existing one).
pub fn read_one<T: Transport + ?Sized>(
    t: &mut T,
    partition: u8,
    id: u16,
) -> Result<Option<Attribute>, ScsiError> {
    let expected = lookup(id)
        .and_then(|i| i.length)
        .map_or(VARIABLE_ALLOCATION, u32::from);
    let alloc = AVAILABLE_LEN + HEADER_LEN as u32 + expected;
    let mut reply = match read(t, sa::ATTRIBUTE_VALUES, partition, id, alloc) {
        Err(e) if is_invalid_field_in_cdb(&e) => return Ok(None),
        other => other?,
    };
    let mut parsed = parse_values(&reply)?;
    if let Some(cut) = parsed
        .incomplete
        .filter(|c| c.id == id && parsed.attributes.is_empty())
    {
        let full = AVAILABLE_LEN + HEADER_LEN as u32 + u32::from(cut.length);
        reply = read(t, sa::ATTRIBUTE_VALUES, partition, id, full)?;
        parsed = parse_values(&reply)?;
    }
    match parsed.attributes.into_iter().next() {
        Some(a) if a.id == id => Ok(Some(a)),
        Some(_) => Ok(None),
        None => match parsed.incomplete {
            Some(c) if c.id == id => Err(ParseError::Short {
                what: "attribute value",
                need: HEADER_LEN + usize::from(c.length),
                got: HEADER_LEN + c.present,
            }
            .into()),
            _ => Ok(None),
        },
    }
}

fn ids<T: Transport + ?Sized>(
    t: &mut T,
    service_action: u8,
    partition: u8,
) -> Result<Vec<u16>, ScsiError> {
    let reply = two_pass(t, service_action, partition, 0, FIRST_PASS_ALLOCATION)?;
    Ok(parse_id_list(&reply)?.ids)
}

/// ATTRIBUTE LIST (SA 01h): identifiers that exist in `partition`, two-pass.
pub fn list<T: Transport + ?Sized>(t: &mut T, partition: u8) -> Result<Vec<u16>, ScsiError> {
    ids(t, sa::ATTRIBUTE_LIST, partition)
}

/// SUPPORTED ATTRIBUTES (SA 05h): identifiers the device supports, two-pass.
pub fn supported<T: Transport + ?Sized>(t: &mut T, partition: u8) -> Result<Vec<u16>, ScsiError> {
    ids(t, sa::SUPPORTED_ATTRIBUTES, partition)
}

/// Allocation for SA 02h/03h: u16 AVAILABLE DATA + first + count.
const VOLUME_LIST_LEN: u32 = 4;

/// LOGICAL VOLUME LIST (SA 02h).
pub fn volume_list<T: Transport + ?Sized>(t: &mut T) -> Result<VolumeList, ScsiError> {
    let reply = read(t, sa::LOGICAL_VOLUME_LIST, 0, 0, VOLUME_LIST_LEN)?;
    Ok(parse_volume_list(&reply)?)
}

/// PARTITION LIST (SA 03h).
pub fn partition_list<T: Transport + ?Sized>(t: &mut T) -> Result<VolumeList, ScsiError> {
    let reply = read(t, sa::PARTITION_LIST, 0, 0, VOLUME_LIST_LEN)?;
    Ok(parse_volume_list(&reply)?)
}

/// WRITE ATTRIBUTE to `partition` (WTC: on the cartridge before status). Every write is
/// validated first ([`build_write_list`]); nothing is sent if one is refused.
pub fn write<T: Transport + ?Sized>(
    t: &mut T,
    partition: u8,
    writes: &[AttributeWrite],
    wtc: bool,
) -> Result<(), ScsiError> {
    let list = build_write_list(writes)?;
    let len = u32::try_from(list.len())
        .map_err(|_| ScsiError::InvalidRequest("parameter list too long".into()))?;
    let cdb = write_cdb(wtc, partition, len);
    wire::data_out(t, &cdb, &list, TimeoutClass::Config)?;
    Ok(())
}

#[cfg(test)]
#[path = "../tests/attributes.rs"]
mod tests;
#[cfg(test)]
#[path = "../tests/attributes_runners.rs"]
mod tests_runners;
