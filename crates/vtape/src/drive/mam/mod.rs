//! Cartridge memory (MAM) of the emulated drive: which attributes exist, their values, and
//! the SPC-4 WRITE ATTRIBUTE rules (`reference/scsi.md` §3-§5).
//!
//! Three kinds of attributes:
//! - **medium** (0400h-0409h): set when the cartridge memory is created (`create.rs`) and
//!   never changed;
//! - **device** (0000h-03FFh): computed when read from the drive state — remaining/maximum
//!   capacity per partition (MiB), TapeAlert flags, load count, MAM space remaining,
//!   assigning organization, formatted density, MiB written/read in life and in this load
//!   (MiB = 2²⁰ bytes, from the drive's byte counters, so always current), first
//!   encrypted/unencrypted block (all FFh: not tracked, "unknown") — or stored: the
//!   initialization count and the vendor/serial of the last four drives (020Ah-020Dh);
//! - **host** (0800h-0BFFh, 1400h-17FFh): written by WRITE ATTRIBUTE; 080Ch (VCI) is kept per
//!   partition, the others per volume.
//!
//! MAM capacity: [`MAM_CAPACITY`] bytes, the cartridge memory size of LTO-5 and later
//! (16 KiB; LTO-3/4 have 8 KiB) — unverified against a drive's 0407h. Space used = the
//! attribute records as READ ATTRIBUTE reports them (5-byte header + value) summed over
//! every attribute and partition; a write that would pass the capacity is refused whole.

mod create;
mod store;

use std::collections::BTreeMap;

use scsi_sg::attributes::{lookup, Attribute, Format, Range, HEADER_LEN, STANDARD};

pub(crate) use create::ASSIGNING_ORG;

/// Size of the cartridge memory (attribute 0407h).
pub const MAM_CAPACITY: u64 = 16 * 1024;
/// Scope of a volume-wide attribute (otherwise the scope is the partition number).
pub(crate) const VOLUME: u8 = 0xFF;

/// Attribute identifiers the drive computes or stores (`reference/scsi.md` §5).
pub(crate) mod id {
    pub const REMAINING_CAPACITY: u16 = 0x0000;
    pub const MAXIMUM_CAPACITY: u16 = 0x0001;
    pub const TAPEALERT_FLAGS: u16 = 0x0002;
    pub const LOAD_COUNT: u16 = 0x0003;
    pub const MAM_SPACE_REMAINING: u16 = 0x0004;
    pub const ASSIGNING_ORG: u16 = 0x0005;
    pub const FORMATTED_DENSITY: u16 = 0x0006;
    pub const INITIALIZATION_COUNT: u16 = 0x0007;
    pub const DEVICE_AT_LAST_LOAD: u16 = 0x020A;
    pub const TOTAL_MIB_WRITTEN: u16 = 0x0220;
    pub const TOTAL_MIB_READ: u16 = 0x0221;
    pub const LOAD_MIB_WRITTEN: u16 = 0x0222;
    pub const LOAD_MIB_READ: u16 = 0x0223;
    pub const FIRST_ENCRYPTED_BLOCK: u16 = 0x0224;
    pub const FIRST_UNENCRYPTED_BLOCK: u16 = 0x0225;
    pub const MANUFACTURER: u16 = 0x0400;
    pub const MEDIUM_SERIAL: u16 = 0x0401;
    pub const MEDIUM_LENGTH: u16 = 0x0402;
    pub const MEDIUM_WIDTH: u16 = 0x0403;
    pub const MEDIUM_ASSIGNING_ORG: u16 = 0x0404;
    pub const MEDIUM_DENSITY: u16 = 0x0405;
    pub const MANUFACTURE_DATE: u16 = 0x0406;
    pub const MAM_CAPACITY: u16 = 0x0407;
    pub const MEDIUM_TYPE: u16 = 0x0408;
    pub const MEDIUM_TYPE_INFO: u16 = 0x0409;
    pub const TEXT_LOCALIZATION: u16 = 0x0805;
    pub const BARCODE: u16 = 0x0806;
}

/// Number of drives remembered in 020Ah-020Dh.
const DRIVE_HISTORY: u16 = 4;
/// Length of a drive history entry: 8 bytes vendor + 32 bytes serial.
const DRIVE_ENTRY_LEN: usize = 40;
/// Standard length of the barcode (0806h).
pub const BARCODE_LEN: usize = 32;
/// Valid TEXT LOCALIZATION IDENTIFIER codes: ASCII, ISO 8859-1..10, UCS-2BE, UTF-8.
fn valid_localization(code: u8) -> bool {
    code <= 0x0A || code == 0x80 || code == 0x81
}

/// One stored attribute value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stored {
    /// FORMAT of the attribute header.
    pub format: Format,
    /// The value.
    pub value: Vec<u8>,
}

/// The stored attributes of a cartridge, keyed by (identifier, scope).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Mam {
    attrs: BTreeMap<(u16, u8), Stored>,
}

/// What the drive knows now, for the computed device attributes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Live {
    /// Per partition: (remaining, maximum) record bytes.
    pub capacity: Vec<(u64, u64)>,
    /// TapeAlert flags.
    pub tape_alert: u64,
    /// Loads of the cartridge.
    pub loads: u64,
    /// Bytes written / read over the cartridge's life and in this load.
    pub bytes: [u64; 4],
    /// Formatted density code.
    pub density: u8,
}

/// Why a WRITE ATTRIBUTE parameter list is refused (nothing changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// ILLEGAL REQUEST 26/00 with the field pointer at byte `at` of the parameter list.
    Invalid { at: usize },
    /// 55/06: the cartridge memory would be full.
    Full,
}

fn mib(bytes: u64) -> Vec<u8> {
    (bytes >> 20).to_be_bytes().to_vec()
}

fn is_per_partition(id: u16) -> bool {
    lookup(id).is_some_and(|i| i.per_partition)
}

fn host_writable(id: u16) -> bool {
    matches!(Range::of(id), Range::Host | Range::HostVendor)
        && !lookup(id).is_some_and(|i| i.read_only)
}

impl Mam {
    /// Sets a stored attribute.
    pub(crate) fn put(&mut self, id: u16, scope: u8, format: Format, value: Vec<u8>) {
        self.attrs.insert((id, scope), Stored { format, value });
    }

    /// Records `vendor` + `serial` as the drive at the last load (020Ah), shifting the older
    /// entries down (020Bh-020Dh), unless it is already the last one. Returns whether the
    /// memory changed.
    pub(crate) fn note_drive(&mut self, vendor: &[u8], serial: &[u8]) -> bool {
        let mut entry = create::ascii(vendor, 8);
        entry.extend_from_slice(&create::ascii(serial, DRIVE_ENTRY_LEN - 8));
        let key = (id::DEVICE_AT_LAST_LOAD, VOLUME);
        if self.attrs.get(&key).is_some_and(|s| s.value == entry) {
            return false;
        }
        for k in (1..DRIVE_HISTORY).rev() {
            let from = (id::DEVICE_AT_LAST_LOAD + k - 1, VOLUME);
            if let Some(s) = self.attrs.get(&from).cloned() {
                self.attrs.insert((id::DEVICE_AT_LAST_LOAD + k, VOLUME), s);
            }
        }
        self.put(id::DEVICE_AT_LAST_LOAD, VOLUME, Format::Ascii, entry);
        true
    }

    /// Computed device attributes of partition `p` (`with_space`: include 0004h, whose value
    /// needs the others).
    fn computed(&self, live: &Live, p: u8, space: Option<u64>) -> Vec<Attribute> {
        let b = |id, v: Vec<u8>| Attribute::new(id, Format::Binary, v).read_only(true);
        let (remaining, maximum) = live.capacity.get(usize::from(p)).copied().unwrap_or((0, 0));
        let mut v = vec![
            b(id::REMAINING_CAPACITY, mib(remaining)),
            b(id::MAXIMUM_CAPACITY, mib(maximum)),
            b(id::TAPEALERT_FLAGS, live.tape_alert.to_be_bytes().to_vec()),
            b(id::LOAD_COUNT, live.loads.to_be_bytes().to_vec()),
        ];
        if let Some(s) = space {
            v.push(b(id::MAM_SPACE_REMAINING, s.to_be_bytes().to_vec()));
        }
        v.push(
            Attribute::new(id::ASSIGNING_ORG, Format::Ascii, ASSIGNING_ORG.to_vec())
                .read_only(true),
        );
        v.push(b(id::FORMATTED_DENSITY, vec![live.density]));
        let counters = [
            id::TOTAL_MIB_WRITTEN,
            id::TOTAL_MIB_READ,
            id::LOAD_MIB_WRITTEN,
            id::LOAD_MIB_READ,
        ];
        for (i, n) in counters.into_iter().zip(live.bytes) {
            v.push(b(i, mib(n)));
        }
        v.push(b(id::FIRST_ENCRYPTED_BLOCK, vec![0xFF; 8]));
        v.push(b(id::FIRST_UNENCRYPTED_BLOCK, vec![0xFF; 8]));
        v
    }

    /// Bytes the attributes take (records as reported: header + value), every partition.
    fn used(&self, live: &Live) -> u64 {
        let rec = |len: usize| (HEADER_LEN + len) as u64;
        let stored: u64 = self.attrs.values().map(|s| rec(s.value.len())).sum();
        let parts = live.capacity.len().max(1);
        let computed: u64 = (0..parts)
            .map(|p| {
                let all = self.computed(live, p as u8, Some(0));
                let per_part = all.iter().filter(|a| is_per_partition(a.id));
                let vol = all.iter().filter(|a| !is_per_partition(a.id));
                let per: u64 = per_part.map(|a| rec(a.value.len())).sum();
                per + if p == 0 {
                    vol.map(|a| rec(a.value.len())).sum()
                } else {
                    0
                }
            })
            .sum();
        stored + computed
    }

    /// Every attribute that exists for partition `p`, ascending by identifier.
    pub(crate) fn view(&self, live: &Live, p: u8) -> Vec<Attribute> {
        let space = MAM_CAPACITY.saturating_sub(self.used(live));
        let mut v = self.computed(live, p, Some(space));
        for (&(id, scope), s) in &self.attrs {
            if scope == VOLUME || scope == p {
                let ro = !host_writable(id);
                v.push(Attribute::new(id, s.format, s.value.clone()).read_only(ro));
            }
        }
        v.sort_by_key(|a| a.id);
        v
    }

    /// Every attribute identifier the drive supports (SA 05h): what it computes, what the
    /// cartridge stores, and every standard host attribute.
    pub(crate) fn supported(&self, live: &Live) -> Vec<u16> {
        let mut ids: Vec<u16> = self.view(live, 0).iter().map(|a| a.id).collect();
        ids.extend(self.attrs.keys().map(|&(id, _)| id));
        ids.extend((0..DRIVE_HISTORY).map(|k| id::DEVICE_AT_LAST_LOAD + k));
        ids.extend(
            STANDARD
                .iter()
                .filter(|i| host_writable(i.id))
                .map(|i| i.id),
        );
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Checks one record (at byte `at` of the parameter list) against the attribute rules.
    fn check(a: &Attribute, at: usize) -> Result<(), Refusal> {
        if !host_writable(a.id) {
            return Err(Refusal::Invalid { at });
        }
        if a.value.is_empty() {
            return Ok(()); // delete
        }
        let Some(info) = lookup(a.id) else {
            return Ok(()); // host vendor attribute: any format and length
        };
        if info.format != a.format {
            return Err(Refusal::Invalid { at: at + 2 });
        }
        if info.length.is_some_and(|n| usize::from(n) != a.value.len()) {
            return Err(Refusal::Invalid { at: at + 3 });
        }
        let bad_value = match a.format {
            Format::Ascii => a.value.iter().any(|&c| !(0x20..=0x7E).contains(&c)),
            _ if a.id == id::TEXT_LOCALIZATION => {
                !a.value.first().is_some_and(|&c| valid_localization(c))
            }
            _ => false,
        };
        if bad_value {
            return Err(Refusal::Invalid {
                at: at + HEADER_LEN,
            });
        }
        Ok(())
    }

    /// Applies the records of one WRITE ATTRIBUTE to partition `p` all-or-nothing: returns
    /// the new memory, or why nothing may change. Records are `(offset in the list, record)`.
    pub(crate) fn apply(
        &self,
        records: &[(usize, Attribute)],
        p: u8,
        live: &Live,
    ) -> Result<Mam, Refusal> {
        let mut next = self.clone();
        for (at, a) in records {
            Self::check(a, *at)?;
            let scope = if is_per_partition(a.id) { p } else { VOLUME };
            if a.value.is_empty() {
                next.attrs.remove(&(a.id, scope));
            } else {
                next.put(a.id, scope, a.format, a.value.clone());
            }
        }
        if next.used(live) > MAM_CAPACITY && next.used(live) > self.used(live) {
            return Err(Refusal::Full);
        }
        Ok(next)
    }
}

/// The barcode attribute value (0806h) for `text`: printable ASCII, at most 32 characters,
/// padded with spaces; `None` if `text` does not qualify.
pub fn barcode_value(text: &str) -> Option<Vec<u8>> {
    let ok = text.len() <= BARCODE_LEN && text.bytes().all(|c| (0x20..=0x7E).contains(&c));
    ok.then(|| create::ascii(text.as_bytes(), BARCODE_LEN))
}
