//! The standard MAM attribute table (SPC-5 §7.4.2, SSC-5 §4.2.22, lengths as in sg3_utils;
//! `reference/scsi.md` §5): identifier, name, a short kebab-case name for command lines,
//! format, standard length, and whether the host may write it. Identifier ranges: 0000-03FF
//! device, 0400-07FF medium, 0800-0BFF host, 0C00-0FFF device vendor, 1000-13FF medium
//! vendor, 1400-17FF host vendor, 1800-FFFF reserved. IDs below 0800h are read-only.

use super::error::AttributeError;
use super::record::Format;

/// First identifier of the host range: everything below is read-only for the host.
pub const HOST_RANGE_START: u16 = 0x0800;

/// Which range an attribute identifier belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Range {
    /// 0000-03FF: maintained by the drive.
    Device,
    /// 0400-07FF: set at manufacture.
    Medium,
    /// 0800-0BFF: written by applications.
    Host,
    /// 0C00-0FFF.
    DeviceVendor,
    /// 1000-13FF.
    MediumVendor,
    /// 1400-17FF.
    HostVendor,
    /// 1800-FFFF.
    Reserved,
}

impl Range {
    /// The range of an identifier.
    pub fn of(id: u16) -> Self {
        match id {
            0x0000..=0x03ff => Range::Device,
            0x0400..=0x07ff => Range::Medium,
            0x0800..=0x0bff => Range::Host,
            0x0c00..=0x0fff => Range::DeviceVendor,
            0x1000..=0x13ff => Range::MediumVendor,
            0x1400..=0x17ff => Range::HostVendor,
            _ => Range::Reserved,
        }
    }

    /// Lower-case name: device, medium, host, device vendor, medium vendor, host vendor, reserved.
    pub fn name(self) -> &'static str {
        match self {
            Range::Device => "device",
            Range::Medium => "medium",
            Range::Host => "host",
            Range::DeviceVendor => "device vendor",
            Range::MediumVendor => "medium vendor",
            Range::HostVendor => "host vendor",
            Range::Reserved => "reserved",
        }
    }

    /// True for the vendor-specific ranges.
    pub fn is_vendor(self) -> bool {
        matches!(
            self,
            Range::DeviceVendor | Range::MediumVendor | Range::HostVendor
        )
    }
}

/// One entry of the standard attribute table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttrInfo {
    /// ATTRIBUTE IDENTIFIER.
    pub id: u16,
    /// Name as the standard gives it.
    pub name: &'static str,
    /// Short kebab-case name for command lines (unique).
    pub short: &'static str,
    /// FORMAT.
    pub format: Format,
    /// Standard length in bytes; `None` when variable.
    pub length: Option<u16>,
    /// Read-only for the host.
    pub read_only: bool,
    /// Read and written per partition (CDB byte 7 selects it).
    pub per_partition: bool,
}

const fn e(
    id: u16,
    name: &'static str,
    short: &'static str,
    format: Format,
    length: Option<u16>,
    read_only: bool,
) -> AttrInfo {
    AttrInfo {
        id,
        name,
        short,
        format,
        length,
        read_only,
        per_partition: false,
    }
}

const fn pp(info: AttrInfo) -> AttrInfo {
    AttrInfo {
        per_partition: true,
        ..info
    }
}

use Format::{Ascii as A, Binary as B, Text as T};

/// The standard attributes, in ascending identifier order.
#[rustfmt::skip]
pub static STANDARD: &[AttrInfo] = &[
    pp(e(0x0000, "Remaining capacity in partition (MiB)", "remaining-capacity", B, Some(8), true)),
    pp(e(0x0001, "Maximum capacity in partition (MiB)", "maximum-capacity", B, Some(8), true)),
    e(0x0002, "TapeAlert flags", "tapealert-flags", B, Some(8), true),
    e(0x0003, "Load count", "load-count", B, Some(8), true),
    e(0x0004, "MAM space remaining (bytes)", "mam-space-remaining", B, Some(8), true),
    e(0x0005, "Assigning organization", "assigning-organization", A, Some(8), true),
    e(0x0006, "Formatted density code", "formatted-density", B, Some(1), true),
    e(0x0007, "Initialization count", "initialization-count", B, Some(2), true),
    e(0x0008, "Volume identifier", "volume-identifier", A, Some(32), true),
    e(0x0009, "Volume change reference", "volume-change-reference", B, None, true),
    e(0x020A, "Device vendor/serial number at last load", "device-at-last-load", A, Some(40), true),
    e(0x020B, "Device vendor/serial number at load-1", "device-at-load-1", A, Some(40), true),
    e(0x020C, "Device vendor/serial number at load-2", "device-at-load-2", A, Some(40), true),
    e(0x020D, "Device vendor/serial number at load-3", "device-at-load-3", A, Some(40), true),
    e(0x0220, "Total MiB written in medium life", "total-mib-written", B, Some(8), true),
    e(0x0221, "Total MiB read in medium life", "total-mib-read", B, Some(8), true),
    e(0x0222, "Total MiB written in current/last load", "load-mib-written", B, Some(8), true),
    e(0x0223, "Total MiB read in current/last load", "load-mib-read", B, Some(8), true),
    e(0x0224, "Logical position of first encrypted block", "first-encrypted-block", B, Some(8), true),
    e(0x0225, "Logical position of first unencrypted block after first encrypted block", "first-unencrypted-block", B, Some(8), true),
    e(0x0340, "Medium usage history", "medium-usage-history", B, Some(90), true),
    e(0x0341, "Partition usage history", "partition-usage-history", B, Some(60), true),
    e(0x0400, "Medium manufacturer", "medium-manufacturer", A, Some(8), true),
    e(0x0401, "Medium serial number", "medium-serial", A, Some(32), true),
    e(0x0402, "Medium length (m)", "medium-length", B, Some(4), true),
    e(0x0403, "Medium width (0.1 mm)", "medium-width", B, Some(4), true),
    e(0x0404, "Assigning organization (medium)", "medium-assigning-organization", A, Some(8), true),
    e(0x0405, "Medium density code", "medium-density", B, Some(1), true),
    e(0x0406, "Medium manufacture date", "manufacture-date", A, Some(8), true),
    e(0x0407, "MAM capacity (bytes)", "mam-capacity", B, Some(8), true),
    e(0x0408, "Medium type", "medium-type", B, Some(1), true),
    e(0x0409, "Medium type information", "medium-type-information", B, Some(2), true),
    e(0x040A, "Numeric medium serial number", "numeric-medium-serial", B, None, true),
    e(0x040B, "Supported density codes", "supported-densities", B, Some(10), true),
    e(0x0800, "Application vendor", "application-vendor", A, Some(8), false),
    e(0x0801, "Application name", "application-name", A, Some(32), false),
    e(0x0802, "Application version", "application-version", A, Some(8), false),
    e(0x0803, "User medium text label", "user-label", T, Some(160), false),
    e(0x0804, "Date and time last written", "last-written", A, Some(12), false),
    e(0x0805, "Text localization identifier", "text-localization", B, Some(1), false),
    e(0x0806, "Barcode", "barcode", A, Some(32), false),
    e(0x0807, "Owning host textual name", "owning-host", T, Some(80), false),
    e(0x0808, "Media pool", "media-pool", T, Some(160), false),
    e(0x0809, "Partition user text label", "partition-label", A, Some(16), false),
    e(0x080A, "Load/unload at partition", "load-unload-partition", B, Some(1), false),
    e(0x080B, "Application format version", "application-format-version", A, Some(16), false),
    pp(e(0x080C, "Volume coherency information", "vci", B, None, false)),
    e(0x0820, "Medium globally unique identifier", "medium-guid", B, Some(36), false),
    e(0x0821, "Media pool globally unique identifier", "media-pool-guid", B, Some(36), false),
    e(0x1000, "Unique cartridge identity (UCI)", "uci", B, Some(28), true),
    e(0x1001, "Alternate unique cartridge identity", "alt-uci", B, Some(24), true),
    e(0x1623, "Volume locked (IBM)", "volume-locked", B, Some(1), false),
];

/// Extra command-line names: (alias, short name).
const ALIASES: &[(&str, &str)] = &[
    ("volume-serial", "medium-serial"),
    ("serial", "medium-serial"),
    ("tapealert", "tapealert-flags"),
    ("volume-coherency-information", "vci"),
];

/// The table entry of an identifier.
pub fn lookup(id: u16) -> Option<&'static AttrInfo> {
    STANDARD
        .binary_search_by_key(&id, |i| i.id)
        .ok()
        .and_then(|n| STANDARD.get(n))
}

fn norm_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes().zip(b.bytes()).all(|(x, y)| {
            let x = if x == b'_' { b'-' } else { x };
            x.eq_ignore_ascii_case(&y)
        })
}

/// The entry with this short name or alias (case-insensitive, `_` accepted for `-`).
pub fn by_short_name(name: &str) -> Option<&'static AttrInfo> {
    let short = ALIASES
        .iter()
        .find(|(alias, _)| norm_eq(name, alias))
        .map_or(name, |(_, s)| *s);
    STANDARD.iter().find(|i| norm_eq(short, i.short))
}

/// An identifier from a command-line word: a short name, or hexadecimal (`0x0806`, `0806`,
/// `806h`).
pub fn resolve(s: &str) -> Result<u16, AttributeError> {
    let t = s.trim();
    if let Some(info) = by_short_name(t) {
        return Ok(info.id);
    }
    let hex = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .or_else(|| t.strip_suffix('h'))
        .or_else(|| t.strip_suffix('H'))
        .unwrap_or(t);
    if !hex.is_empty() && hex.len() <= 4 && hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        if let Ok(id) = u16::from_str_radix(hex, 16) {
            return Ok(id);
        }
    }
    Err(AttributeError::UnknownName(s.to_string()))
}

/// Read-only for the host: below 0800h, or read-only in the table.
pub fn is_read_only(id: u16) -> bool {
    id < HOST_RANGE_START || lookup(id).is_some_and(|i| i.read_only)
}

/// The table name, or a description of the range for identifiers not in the table.
pub fn display_name(id: u16) -> String {
    match lookup(id) {
        Some(i) => i.name.to_string(),
        None => {
            let range = Range::of(id);
            if range.is_vendor() {
                let mut name = range.name().to_string();
                if let Some(first) = name.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                format!("{name} attribute {id:04X}h")
            } else {
                format!("Unknown {} attribute {id:04X}h", range.name())
            }
        }
    }
}
