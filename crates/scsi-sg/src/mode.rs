//! MODE SENSE / MODE SELECT (6) and (10) (SPC-4 §6.9-6.12, mode parameters §7.5; tape
//! specifics SSC-4 §8.3): header, block descriptors (density, block count, block length),
//! pages kept raw as (page code, subpage, bytes), typed views of the data compression page
//! (0Fh) and device configuration page (10h), and parameter-list builders for SELECT.
//!
//! SELECT lists follow SPC: PF = 1, the MODE DATA LENGTH field is zero (reserved for
//! SELECT), and every page's PS bit is cleared. The device-specific byte keeps the buffered
//! mode and speed but never WP, which is reserved on SELECT. st's MTSETBLK list (12 bytes:
//! header byte 2 = buffer mode << 4, byte 3 = 8, then one block descriptor) is
//! [`ModeSelectList::block_descriptor_only`] (`reference/st-driver.md` §4).

use crate::error::{ParseError, ScsiError};
use crate::opcode::{self, mode_page};
use crate::transport::{TimeoutClass, Transport};
use crate::wire::{self, clamped};

/// Allocation length of MODE SENSE(6): the field's maximum.
pub const SENSE6_ALLOCATION: u8 = 0xFF;
/// Allocation length of MODE SENSE(10).
pub const SENSE10_ALLOCATION: u16 = 4096;

const PF: u8 = 0x10;
const SP: u8 = 0x01;
const DBD: u8 = 0x08;
const SPF: u8 = 0x40;
const PS: u8 = 0x80;
const WP: u8 = 0x80;
const LONGLBA: u8 = 0x01;

/// PC field of MODE SENSE (CDB byte 2, bits 7-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageControl {
    /// 00b: current values.
    Current = 0,
    /// 01b: changeable-values mask.
    Changeable = 1,
    /// 10b: default values.
    Default = 2,
    /// 11b: saved values.
    Saved = 3,
}

/// Build a MODE SENSE(6) CDB.
pub fn sense6_cdb(pc: PageControl, page: u8, subpage: u8, dbd: bool, alloc: u8) -> [u8; 6] {
    let b2 = ((pc as u8) << 6) | (page & 0x3f);
    [
        opcode::MODE_SENSE_6,
        if dbd { DBD } else { 0 },
        b2,
        subpage,
        alloc,
        0,
    ]
}

/// Build a MODE SENSE(10) CDB (LLBAA = 0).
pub fn sense10_cdb(pc: PageControl, page: u8, subpage: u8, dbd: bool, alloc: u16) -> [u8; 10] {
    let b2 = ((pc as u8) << 6) | (page & 0x3f);
    let [hi, lo] = alloc.to_be_bytes();
    [
        opcode::MODE_SENSE_10,
        if dbd { DBD } else { 0 },
        b2,
        subpage,
        0,
        0,
        0,
        hi,
        lo,
        0,
    ]
}

/// Build a MODE SELECT(6) CDB with PF = 1; `save` sets SP.
pub fn select6_cdb(save: bool, parameter_list_length: u8) -> [u8; 6] {
    [
        opcode::MODE_SELECT_6,
        PF | if save { SP } else { 0 },
        0,
        0,
        parameter_list_length,
        0,
    ]
}

/// Build a MODE SELECT(10) CDB with PF = 1; `save` sets SP.
pub fn select10_cdb(save: bool, parameter_list_length: u16) -> [u8; 10] {
    let [hi, lo] = parameter_list_length.to_be_bytes();
    [
        opcode::MODE_SELECT_10,
        PF | if save { SP } else { 0 },
        0,
        0,
        0,
        0,
        0,
        hi,
        lo,
        0,
    ]
}

/// Mode parameter header fields shared by the (6) and (10) forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ModeHeader {
    /// MEDIUM TYPE.
    pub medium_type: u8,
    /// DEVICE-SPECIFIC PARAMETER; for tape: b7 WP, b6-4 BUFFERED MODE, b3-0 SPEED.
    pub device_specific: u8,
    /// LONGLBA (header(10) byte 4 bit 0): block descriptors are 16 bytes.
    pub long_lba: bool,
}

impl ModeHeader {
    /// A SELECT header for tape: medium type 0, the given buffered mode and speed.
    pub fn tape(buffered_mode: u8, speed: u8) -> Self {
        let device_specific = ((buffered_mode & 0x07) << 4) | (speed & 0x0f);
        ModeHeader {
            medium_type: 0,
            device_specific,
            long_lba: false,
        }
    }
    /// WP: the medium is write protected (SENSE only).
    pub fn write_protected(&self) -> bool {
        self.device_specific & WP != 0
    }
    /// BUFFERED MODE (0 = unbuffered, 1 = buffered).
    pub fn buffered_mode(&self) -> u8 {
        (self.device_specific >> 4) & 0x07
    }
    /// SPEED (0 = default).
    pub fn speed(&self) -> u8 {
        self.device_specific & 0x0f
    }
}

/// A block descriptor: density code, number of blocks, block length (0 = variable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BlockDescriptor {
    /// DENSITY CODE (short descriptor byte 0; 0 in the long LBA form).
    pub density_code: u8,
    /// NUMBER OF BLOCKS (u24 short, u64 long).
    pub block_count: u64,
    /// BLOCK LENGTH (u24 short, u32 long); 0 means variable-block mode on tape.
    pub block_length: u32,
}

/// One mode page, kept raw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModePage {
    /// PAGE CODE (bits 5-0).
    pub code: u8,
    /// SUBPAGE CODE (0 for page_0 format).
    pub subpage: u8,
    /// SPF: sub_page format (4-byte page header).
    pub spf: bool,
    /// PS: parameters savable (SENSE only; cleared when building SELECT lists).
    pub ps: bool,
    /// The page parameters after the 2- or 4-byte page header.
    pub data: Vec<u8>,
}

impl ModePage {
    /// A page_0 format page.
    pub fn new(code: u8, data: Vec<u8>) -> Self {
        ModePage {
            code: code & 0x3f,
            subpage: 0,
            spf: false,
            ps: false,
            data,
        }
    }
    /// A sub_page format page.
    pub fn with_subpage(code: u8, subpage: u8, data: Vec<u8>) -> Self {
        ModePage {
            code: code & 0x3f,
            subpage,
            spf: true,
            ps: false,
            data,
        }
    }
}

/// Decoded MODE SENSE data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModeData {
    /// MODE DATA LENGTH as reported (bytes following the field).
    pub mode_data_length: u16,
    /// Header fields.
    pub header: ModeHeader,
    /// Complete block descriptors present.
    pub block_descriptors: Vec<BlockDescriptor>,
    /// Complete pages present.
    pub pages: Vec<ModePage>,
    /// True if the data were cut short (by the allocation length or the reply): a page or
    /// descriptor was dropped.
    pub truncated: bool,
}

impl ModeData {
    /// The first block descriptor (tape drives return one).
    pub fn block_descriptor(&self) -> Option<&BlockDescriptor> {
        self.block_descriptors.first()
    }
    /// The page with this code and subpage.
    pub fn page(&self, code: u8, subpage: u8) -> Option<&ModePage> {
        self.pages
            .iter()
            .find(|p| p.code == code && p.subpage == subpage)
    }
    /// The data compression page (0Fh), typed.
    pub fn data_compression(&self) -> Option<DataCompression> {
        DataCompression::from_page(self.page(mode_page::DATA_COMPRESSION, 0)?).ok()
    }
    /// The device configuration page (10h), typed.
    pub fn device_configuration(&self) -> Option<DeviceConfiguration> {
        DeviceConfiguration::from_page(self.page(mode_page::DEVICE_CONFIGURATION, 0)?).ok()
    }
}

fn parse_descriptors(b: &[u8], long: bool, out: &mut ModeData) {
    let size = if long { 16 } else { 8 };
    let mut chunks = b.chunks_exact(size);
    for d in chunks.by_ref() {
        out.block_descriptors.push(if long {
            BlockDescriptor {
                density_code: 0,
                block_count: wire::u64_at(d, 0).unwrap_or_default(),
                block_length: wire::u32_at(d, 12).unwrap_or_default(),
            }
        } else {
            BlockDescriptor {
                density_code: d.first().copied().unwrap_or_default(),
                block_count: wire::u24_at(d, 1).map(u64::from).unwrap_or_default(),
                block_length: wire::u24_at(d, 5).unwrap_or_default(),
            }
        });
    }
    out.truncated |= !chunks.remainder().is_empty();
}

fn parse_pages(mut b: &[u8], out: &mut ModeData) {
    while let Some(&b0) = b.first() {
        let spf = b0 & SPF != 0;
        let (subpage, len, hdr) = if spf {
            match (b.get(1), wire::u16_at(b, 2)) {
                (Some(&s), Some(l)) => (s, usize::from(l), 4),
                _ => break,
            }
        } else {
            match b.get(1) {
                Some(&l) => (0, usize::from(l), 2),
                None => break,
            }
        };
        let Some(data) = b.get(hdr..hdr + len) else {
            break;
        };
        out.pages.push(ModePage {
            code: b0 & 0x3f,
            subpage,
            spf,
            ps: b0 & PS != 0,
            data: data.to_vec(),
        });
        b = b.get(hdr + len..).unwrap_or(&[]);
    }
    out.truncated |= !b.is_empty();
}

fn parse_common(b: &[u8], hdr: usize, mdl: u16, bd_len: usize, header: ModeHeader) -> ModeData {
    let field = if hdr == 4 { 1 } else { 2 };
    let total = (usize::from(mdl) + field).min(b.len());
    let mut out = ModeData {
        mode_data_length: mdl,
        header,
        ..Default::default()
    };
    // Fewer bytes than MODE DATA LENGTH announces: the allocation length cut the reply.
    out.truncated = usize::from(mdl) + field > b.len();
    let b = clamped(b, 0, total);
    let bd_end = hdr.saturating_add(bd_len);
    parse_descriptors(clamped(b, hdr, bd_end), header.long_lba, &mut out);
    if bd_end <= b.len() {
        parse_pages(clamped(b, bd_end, b.len()), &mut out);
    } else {
        out.truncated = true;
    }
    out
}

/// Decode MODE SENSE(6) data: 4-byte header, block descriptors, pages; bounded by MODE
/// DATA LENGTH and the bytes received.
pub fn parse6(b: &[u8]) -> Result<ModeData, ParseError> {
    let h = wire::array_at::<4>(b, 0).ok_or(wire::short("MODE SENSE(6) data", 4, b.len()))?;
    let header = ModeHeader {
        medium_type: h[1],
        device_specific: h[2],
        long_lba: false,
    };
    Ok(parse_common(
        b,
        4,
        u16::from(h[0]),
        usize::from(h[3]),
        header,
    ))
}

/// Decode MODE SENSE(10) data: 8-byte header, block descriptors, pages.
pub fn parse10(b: &[u8]) -> Result<ModeData, ParseError> {
    let h = wire::array_at::<8>(b, 0).ok_or(wire::short("MODE SENSE(10) data", 8, b.len()))?;
    let header = ModeHeader {
        medium_type: h[2],
        device_specific: h[3],
        long_lba: h[4] & LONGLBA != 0,
    };
    let mdl = u16::from_be_bytes([h[0], h[1]]);
    Ok(parse_common(
        b,
        8,
        mdl,
        usize::from(u16::from_be_bytes([h[6], h[7]])),
        header,
    ))
}

#[path = "mode_select.rs"]
mod select;
pub use select::{DataCompression, DeviceConfiguration, ModeSelectList};

/// MODE SENSE(6) of one page (`mode_page::ALL_PAGES` for all).
pub fn sense6<T: Transport + ?Sized>(
    t: &mut T,
    pc: PageControl,
    page: u8,
    subpage: u8,
    dbd: bool,
) -> Result<ModeData, ScsiError> {
    let cdb = sense6_cdb(pc, page, subpage, dbd, SENSE6_ALLOCATION);
    let data = wire::data_in(
        t,
        &cdb,
        usize::from(SENSE6_ALLOCATION),
        TimeoutClass::Config,
    )?;
    Ok(parse6(&data)?)
}

/// MODE SENSE(10) of one page.
pub fn sense10<T: Transport + ?Sized>(
    t: &mut T,
    pc: PageControl,
    page: u8,
    subpage: u8,
    dbd: bool,
) -> Result<ModeData, ScsiError> {
    let cdb = sense10_cdb(pc, page, subpage, dbd, SENSE10_ALLOCATION);
    let data = wire::data_in(
        t,
        &cdb,
        usize::from(SENSE10_ALLOCATION),
        TimeoutClass::Config,
    )?;
    Ok(parse10(&data)?)
}

/// MODE SELECT(6) with PF = 1 (and SP when `save`).
pub fn select6<T: Transport + ?Sized>(
    t: &mut T,
    list: &ModeSelectList,
    save: bool,
) -> Result<(), ScsiError> {
    let data = list.build6()?;
    let len = u8::try_from(data.len()).map_err(|_| too_long("MODE SELECT(6)"))?;
    wire::data_out(t, &select6_cdb(save, len), &data, TimeoutClass::Config).map(|_| ())
}

/// MODE SELECT(10) with PF = 1 (and SP when `save`).
pub fn select10<T: Transport + ?Sized>(
    t: &mut T,
    list: &ModeSelectList,
    save: bool,
) -> Result<(), ScsiError> {
    let data = list.build10()?;
    let len = u16::try_from(data.len()).map_err(|_| too_long("MODE SELECT(10)"))?;
    wire::data_out(t, &select10_cdb(save, len), &data, TimeoutClass::Config).map(|_| ())
}

fn too_long(what: &str) -> ScsiError {
    ScsiError::InvalidRequest(format!("{what} parameter list too long"))
}

#[cfg(test)]
#[path = "tests/mode.rs"]
mod tests;
