//! Device-side READ ATTRIBUTE replies (SPC-4 §6.16, `reference/scsi.md` §2), for an emulated
//! drive: the full reply is built with AVAILABLE DATA reporting the full size, then cut to
//! the allocation length (so a host's two-pass read works). SA 00h: records from the first
//! identifier on, ascending and packed. SA 01h/05h: u16 identifiers. SA 02h/03h: u16
//! AVAILABLE DATA = 2, first volume/partition, count. Whether a first identifier that does
//! not exist gets ILLEGAL REQUEST 24/00 is the caller's decision.

use super::record::Attribute;

fn cut(mut reply: Vec<u8>, allocation_length: u32) -> Vec<u8> {
    reply.truncate(usize::try_from(allocation_length).unwrap_or(usize::MAX));
    reply
}

fn with_u32_length(body: Vec<u8>, allocation_length: u32) -> Vec<u8> {
    let available = u32::try_from(body.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(4 + body.len());
    out.extend_from_slice(&available.to_be_bytes());
    out.extend(body);
    cut(out, allocation_length)
}

/// SA 00h: every attribute with `id >= first_id`, in ascending order (an attribute whose value
/// exceeds 65535 bytes is left out), cut to `allocation_length`.
pub fn values_reply(attrs: &[Attribute], first_id: u16, allocation_length: u32) -> Vec<u8> {
    let mut chosen: Vec<&Attribute> = attrs.iter().filter(|a| a.id >= first_id).collect();
    chosen.sort_by_key(|a| a.id);
    let body: Vec<u8> = chosen
        .iter()
        .filter_map(|a| a.to_bytes().ok())
        .flatten()
        .collect();
    with_u32_length(body, allocation_length)
}

/// SA 01h (identifiers that exist) or 05h (identifiers supported): sorted, duplicates
/// removed, cut to `allocation_length`.
pub fn id_list_reply(ids: &[u16], allocation_length: u32) -> Vec<u8> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let body: Vec<u8> = ids.iter().flat_map(|i| i.to_be_bytes()).collect();
    with_u32_length(body, allocation_length)
}

/// SA 02h (logical volumes) or 03h (partitions): AVAILABLE DATA 2, `first`, `count`, cut to
/// `allocation_length`.
pub fn volume_list_reply(first: u8, count: u8, allocation_length: u32) -> Vec<u8> {
    cut(vec![0, 2, first, count], allocation_length)
}
