//! INQUIRY (SPC-4 §6.6): standard data (§6.6.2) and vital product data pages 00h
//! (supported pages, §7.8.15), 80h (unit serial number, §7.8.17) and 83h (device
//! identification designation descriptors, §7.8.6).

use crate::error::{ParseError, ScsiError};
use crate::opcode::{self, device_type, vpd as vpd_code};
use crate::transport::{TimeoutClass, Transport};
use crate::wire::{self, clamped};

/// Allocation length used for standard INQUIRY and the first VPD read. 255 fits both the
/// SPC-3+ two-byte field and the SCSI-2 one-byte field.
pub const ALLOCATION_LENGTH: u16 = 0x00FF;

/// Build an INQUIRY CDB: EVPD in byte 1 bit 0, page code in byte 2, allocation length in
/// bytes 3-4.
pub fn cdb(evpd: bool, page: u8, allocation_length: u16) -> [u8; 6] {
    let [hi, lo] = allocation_length.to_be_bytes();
    [opcode::INQUIRY, u8::from(evpd), page, hi, lo, 0]
}

/// Standard INQUIRY data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardInquiry {
    /// Peripheral qualifier (byte 0, bits 7-5; 0 = device connected).
    pub qualifier: u8,
    /// Peripheral device type (byte 0, bits 4-0; 1 = sequential access).
    pub device_type: u8,
    /// RMB: removable medium (byte 1 bit 7).
    pub removable: bool,
    /// VERSION (byte 2): claimed SPC version.
    pub version: u8,
    /// HISUP (byte 3 bit 4).
    pub hisup: bool,
    /// RESPONSE DATA FORMAT (byte 3, bits 3-0; 2 for SPC).
    pub response_data_format: u8,
    /// CMDQUE (byte 7 bit 1).
    pub cmdque: bool,
    /// T10 VENDOR IDENTIFICATION (bytes 8-15), padding trimmed.
    pub vendor: String,
    /// PRODUCT IDENTIFICATION (bytes 16-31), padding trimmed.
    pub product: String,
    /// PRODUCT REVISION LEVEL (bytes 32-35), padding trimmed.
    pub revision: String,
    /// Vendor-specific bytes 36-55 (as many as were returned).
    pub vendor_specific: Vec<u8>,
    /// VERSION DESCRIPTORS (bytes 58-73), zero entries omitted.
    pub version_descriptors: Vec<u16>,
}

impl StandardInquiry {
    /// True for a sequential-access (tape) device that is connected.
    pub fn is_tape(&self) -> bool {
        self.qualifier == 0 && self.device_type == device_type::SEQUENTIAL_ACCESS
    }
}

/// Decode standard INQUIRY data, bounded by ADDITIONAL LENGTH (byte 4) and the bytes
/// received. The first 8 bytes are required; identification strings are decoded from
/// whatever part of them is present.
pub fn parse(b: &[u8]) -> Result<StandardInquiry, ParseError> {
    const FIXED: usize = 8;
    let head = wire::array_at::<FIXED>(b, 0).ok_or(wire::short("INQUIRY data", FIXED, b.len()))?;
    let total = (usize::from(head[4]) + 5).min(b.len());
    let b = clamped(b, 0, total);
    let version_descriptors = (0..8)
        .filter_map(|i| wire::u16_at(b, 58 + 2 * i))
        .filter(|&v| v != 0)
        .collect();
    Ok(StandardInquiry {
        qualifier: head[0] >> 5,
        device_type: head[0] & 0x1f,
        removable: head[1] & 0x80 != 0,
        version: head[2],
        hisup: head[3] & 0x10 != 0,
        response_data_format: head[3] & 0x0f,
        cmdque: head[7] & 0x02 != 0,
        vendor: wire::ascii(clamped(b, 8, 16)),
        product: wire::ascii(clamped(b, 16, 32)),
        revision: wire::ascii(clamped(b, 32, 36)),
        vendor_specific: clamped(b, 36, 56).to_vec(),
        version_descriptors,
    })
}

/// A VPD page: 4-byte header and its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VpdPage {
    /// Peripheral qualifier (byte 0, bits 7-5).
    pub qualifier: u8,
    /// Peripheral device type (byte 0, bits 4-0).
    pub device_type: u8,
    /// PAGE CODE (byte 1).
    pub page_code: u8,
    /// PAGE LENGTH (bytes 2-3) as reported, possibly more than `data` holds.
    pub page_length: u16,
    /// Payload from byte 4, bounded by the page length and the bytes received.
    pub data: Vec<u8>,
}

impl VpdPage {
    /// True when the device reported more payload than was received.
    pub fn is_truncated(&self) -> bool {
        self.data.len() < usize::from(self.page_length)
    }
}

/// Decode a VPD page header; the payload is bounded by PAGE LENGTH and the bytes received.
pub fn parse_vpd(b: &[u8]) -> Result<VpdPage, ParseError> {
    let head = wire::array_at::<4>(b, 0).ok_or(wire::short("VPD page", 4, b.len()))?;
    let page_length = u16::from_be_bytes([head[2], head[3]]);
    Ok(VpdPage {
        qualifier: head[0] >> 5,
        device_type: head[0] & 0x1f,
        page_code: head[1],
        page_length,
        data: clamped(b, 4, 4 + usize::from(page_length)).to_vec(),
    })
}

/// Page 00h payload: the supported VPD page codes.
pub fn parse_supported_pages(page: &VpdPage) -> Vec<u8> {
    page.data.clone()
}

/// Page 80h payload: PRODUCT SERIAL NUMBER (ASCII, right-aligned, so both ends trimmed).
pub fn parse_unit_serial(page: &VpdPage) -> String {
    wire::ascii(&page.data).trim_start().to_string()
}

/// CODE SET of a designation descriptor (byte 0, bits 3-0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSet {
    /// 1h: binary.
    Binary,
    /// 2h: printable ASCII.
    Ascii,
    /// 3h: UTF-8.
    Utf8,
    /// Any other (reserved) value.
    Other(u8),
}

/// ASSOCIATION of a designation descriptor (byte 1, bits 5-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Association {
    /// 0: the addressed logical unit.
    LogicalUnit,
    /// 1: the target port that received the command.
    TargetPort,
    /// 2: the SCSI target device containing the logical unit.
    TargetDevice,
    /// 3: reserved.
    Reserved,
}

/// DESIGNATOR TYPE values (byte 1, bits 3-0; SPC-4 table 459).
pub mod designator_type {
    /// Vendor specific.
    pub const VENDOR_SPECIFIC: u8 = 0x0;
    /// T10 vendor ID based.
    pub const T10_VENDOR_ID: u8 = 0x1;
    /// EUI-64 based.
    pub const EUI64: u8 = 0x2;
    /// NAA.
    pub const NAA: u8 = 0x3;
    /// Relative target port identifier.
    pub const RELATIVE_TARGET_PORT: u8 = 0x4;
    /// Target port group.
    pub const TARGET_PORT_GROUP: u8 = 0x5;
    /// Logical unit group.
    pub const LOGICAL_UNIT_GROUP: u8 = 0x6;
    /// MD5 logical unit identifier.
    pub const MD5: u8 = 0x7;
    /// SCSI name string.
    pub const SCSI_NAME_STRING: u8 = 0x8;
}

/// One designation descriptor of VPD page 83h.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Designator {
    /// PROTOCOL IDENTIFIER (byte 0, bits 7-4); meaningful only when `piv` is set.
    pub protocol_identifier: u8,
    /// CODE SET.
    pub code_set: CodeSet,
    /// PIV (byte 1 bit 7).
    pub piv: bool,
    /// ASSOCIATION.
    pub association: Association,
    /// DESIGNATOR TYPE (see [`designator_type`]).
    pub designator_type: u8,
    /// The designator bytes (bounded by its length byte and the page).
    pub value: Vec<u8>,
}

impl Designator {
    /// The designator as text when its code set is ASCII or UTF-8.
    pub fn text(&self) -> Option<String> {
        match self.code_set {
            CodeSet::Ascii | CodeSet::Utf8 => Some(
                String::from_utf8_lossy(&self.value)
                    .trim_end_matches(['\0', ' '])
                    .into(),
            ),
            _ => None,
        }
    }
}

/// Page 83h payload: the designation descriptors, each `4 + DESIGNATOR LENGTH` bytes.
/// A descriptor cut short by the end of the page is dropped.
pub fn parse_device_identification(page: &VpdPage) -> Vec<Designator> {
    let mut out = Vec::new();
    let mut off = 0usize;
    while let Some([b0, b1, _, len]) = wire::array_at::<4>(&page.data, off) {
        let end = off + 4 + usize::from(len);
        let Some(value) = page.data.get(off + 4..end) else {
            break;
        };
        out.push(Designator {
            protocol_identifier: b0 >> 4,
            code_set: match b0 & 0x0f {
                1 => CodeSet::Binary,
                2 => CodeSet::Ascii,
                3 => CodeSet::Utf8,
                other => CodeSet::Other(other),
            },
            piv: b1 & 0x80 != 0,
            association: match (b1 >> 4) & 0x03 {
                0 => Association::LogicalUnit,
                1 => Association::TargetPort,
                2 => Association::TargetDevice,
                _ => Association::Reserved,
            },
            designator_type: b1 & 0x0f,
            value: value.to_vec(),
        });
        off = end;
    }
    out
}

/// Run a standard INQUIRY.
pub fn standard<T: Transport + ?Sized>(t: &mut T) -> Result<StandardInquiry, ScsiError> {
    let cdb = cdb(false, 0, ALLOCATION_LENGTH);
    let data = wire::data_in(t, &cdb, usize::from(ALLOCATION_LENGTH), TimeoutClass::Query)?;
    Ok(parse(&data)?)
}

/// Read one VPD page. If the page is longer than the first 255-byte read, it is read again
/// with the exact length the device reported.
pub fn vpd<T: Transport + ?Sized>(t: &mut T, page: u8) -> Result<VpdPage, ScsiError> {
    let first = cdb(true, page, ALLOCATION_LENGTH);
    let data = wire::data_in(
        t,
        &first,
        usize::from(ALLOCATION_LENGTH),
        TimeoutClass::Query,
    )?;
    let parsed = parse_vpd(&data)?;
    if parsed.is_truncated() && data.len() >= usize::from(ALLOCATION_LENGTH) {
        let full = parsed.page_length.saturating_add(4);
        let again = cdb(true, page, full);
        let data = wire::data_in(t, &again, usize::from(full), TimeoutClass::Query)?;
        return Ok(parse_vpd(&data)?);
    }
    Ok(parsed)
}

/// VPD page 00h: supported VPD pages.
pub fn supported_vpd_pages<T: Transport + ?Sized>(t: &mut T) -> Result<Vec<u8>, ScsiError> {
    Ok(parse_supported_pages(&vpd(t, vpd_code::SUPPORTED_PAGES)?))
}

/// VPD page 80h: the unit serial number.
pub fn serial_number<T: Transport + ?Sized>(t: &mut T) -> Result<String, ScsiError> {
    Ok(parse_unit_serial(&vpd(t, vpd_code::UNIT_SERIAL_NUMBER)?))
}

/// VPD page 83h: the device identification descriptors.
pub fn device_identification<T: Transport + ?Sized>(
    t: &mut T,
) -> Result<Vec<Designator>, ScsiError> {
    Ok(parse_device_identification(&vpd(
        t,
        vpd_code::DEVICE_IDENTIFICATION,
    )?))
}

#[cfg(test)]
#[path = "tests/inquiry.rs"]
mod tests;
