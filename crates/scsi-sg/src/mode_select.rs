//! MODE SELECT parameter lists (SPC-4 §6.9/6.10, §7.5.4-7.5.6) and the typed tape pages:
//! data compression (SSC-4 §8.3.2, page 0Fh) and device configuration (SSC-4 §8.3.3,
//! page 10h). Part of [`crate::mode`].

use super::{parse_common, BlockDescriptor, ModeData, ModeHeader, ModePage, SPF, WP};
use crate::error::{ParseError, ScsiError};
use crate::opcode::mode_page;
use crate::wire;

const U24_MAX: u64 = 0x00ff_ffff;

/// A MODE SELECT parameter list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModeSelectList {
    /// Header; MODE DATA LENGTH is always sent as zero, WP as zero.
    pub header: ModeHeader,
    /// Block descriptors (tape: at most one).
    pub block_descriptors: Vec<BlockDescriptor>,
    /// Pages to set (PS is always sent as zero).
    pub pages: Vec<ModePage>,
}

fn invalid(msg: &str) -> ScsiError {
    ScsiError::InvalidRequest(format!("mode parameter list: {msg}"))
}

fn encode_pages(pages: &[ModePage], out: &mut Vec<u8>) -> Result<(), ScsiError> {
    for p in pages {
        let code = p.code & 0x3f;
        if p.spf {
            let len = u16::try_from(p.data.len()).map_err(|_| invalid("page longer than 65535"))?;
            out.push(code | SPF);
            out.push(p.subpage);
            out.extend_from_slice(&len.to_be_bytes());
        } else {
            let len = u8::try_from(p.data.len()).map_err(|_| invalid("page_0 page over 255"))?;
            out.extend_from_slice(&[code, len]);
        }
        out.extend_from_slice(&p.data);
    }
    Ok(())
}

fn encode_descriptor(d: &BlockDescriptor, long: bool, out: &mut Vec<u8>) -> Result<(), ScsiError> {
    if long {
        out.extend_from_slice(&d.block_count.to_be_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&d.block_length.to_be_bytes());
        return Ok(());
    }
    if d.block_count > U24_MAX || u64::from(d.block_length) > U24_MAX {
        return Err(invalid("block count or length exceeds 24 bits"));
    }
    let count = u32::try_from(d.block_count)
        .map_err(|_| invalid("block count"))?
        .to_be_bytes();
    let length = d.block_length.to_be_bytes();
    out.extend_from_slice(&[d.density_code, count[1], count[2], count[3], 0]);
    out.extend_from_slice(&length[1..]);
    Ok(())
}

impl ModeSelectList {
    /// st's MTSETBLK / MTSETDENSITY list: one short block descriptor with `density_code`
    /// and `block_length` (0 = variable), buffered mode in the header, no pages.
    pub fn block_descriptor_only(density_code: u8, block_length: u32, buffered_mode: u8) -> Self {
        ModeSelectList {
            header: ModeHeader::tape(buffered_mode, 0),
            block_descriptors: vec![BlockDescriptor {
                density_code,
                block_count: 0,
                block_length,
            }],
            pages: Vec::new(),
        }
    }

    /// A list for read-modify-write from MODE SENSE data: medium type 0, WP and PS cleared,
    /// descriptors and pages as read.
    pub fn from_sense(data: &ModeData) -> Self {
        let mut list = Self::from_mode_data(data.clone());
        list.header.medium_type = 0;
        list.header.device_specific &= !WP;
        list.pages.iter_mut().for_each(|p| p.ps = false);
        list
    }

    fn from_mode_data(d: ModeData) -> Self {
        ModeSelectList {
            header: d.header,
            block_descriptors: d.block_descriptors,
            pages: d.pages,
        }
    }

    /// The MODE SELECT(6) parameter list: 4-byte header, 8-byte descriptors, pages.
    pub fn build6(&self) -> Result<Vec<u8>, ScsiError> {
        if self.header.long_lba {
            return Err(invalid("MODE SELECT(6) cannot carry long LBA descriptors"));
        }
        let mut bd = Vec::new();
        for d in &self.block_descriptors {
            encode_descriptor(d, false, &mut bd)?;
        }
        let bd_len = u8::try_from(bd.len()).map_err(|_| invalid("too many descriptors"))?;
        let mut out = vec![
            0,
            self.header.medium_type,
            self.header.device_specific & !WP,
            bd_len,
        ];
        out.extend(bd);
        encode_pages(&self.pages, &mut out)?;
        if out.len() > usize::from(u8::MAX) {
            return Err(invalid("longer than 255 bytes; use MODE SELECT(10)"));
        }
        Ok(out)
    }

    /// The MODE SELECT(10) parameter list: 8-byte header, 8- or 16-byte descriptors, pages.
    pub fn build10(&self) -> Result<Vec<u8>, ScsiError> {
        let mut bd = Vec::new();
        for d in &self.block_descriptors {
            encode_descriptor(d, self.header.long_lba, &mut bd)?;
        }
        let bd_len = u16::try_from(bd.len()).map_err(|_| invalid("too many descriptors"))?;
        let mut out = vec![
            0,
            0,
            self.header.medium_type,
            self.header.device_specific & !WP,
        ];
        out.extend_from_slice(&[u8::from(self.header.long_lba), 0]);
        out.extend_from_slice(&bd_len.to_be_bytes());
        out.extend(bd);
        encode_pages(&self.pages, &mut out)?;
        if out.len() > usize::from(u16::MAX) {
            return Err(invalid("longer than 65535 bytes"));
        }
        Ok(out)
    }

    /// Decode a MODE SELECT(6) parameter list as a device receives it (the MODE DATA LENGTH
    /// field is reserved, so the list is bounded by the bytes received).
    pub fn parse6(b: &[u8]) -> Result<Self, ParseError> {
        let h = wire::array_at::<4>(b, 0).ok_or(wire::short("MODE SELECT(6) list", 4, b.len()))?;
        let header = ModeHeader {
            medium_type: h[1],
            device_specific: h[2],
            long_lba: false,
        };
        let mdl = u16::try_from(b.len() - 1).unwrap_or(u16::MAX);
        Ok(Self::from_mode_data(parse_common(
            b,
            4,
            mdl,
            usize::from(h[3]),
            header,
        )))
    }

    /// Decode a MODE SELECT(10) parameter list as a device receives it.
    pub fn parse10(b: &[u8]) -> Result<Self, ParseError> {
        let h = wire::array_at::<8>(b, 0).ok_or(wire::short("MODE SELECT(10) list", 8, b.len()))?;
        let header = ModeHeader {
            medium_type: h[2],
            device_specific: h[3],
            long_lba: h[4] & 1 != 0,
        };
        let mdl = u16::try_from(b.len() - 2).unwrap_or(u16::MAX);
        let bd_len = usize::from(u16::from_be_bytes([h[6], h[7]]));
        Ok(Self::from_mode_data(parse_common(
            b, 8, mdl, bd_len, header,
        )))
    }
}

fn check_page(p: &ModePage, code: u8, what: &'static str, need: usize) -> Result<(), ParseError> {
    if p.code != code || p.subpage != 0 {
        return Err(ParseError::Invalid {
            what,
            detail: format!("page {:02X}h", p.code),
        });
    }
    if p.data.len() < need {
        return Err(wire::short(what, need + 2, p.data.len() + 2));
    }
    Ok(())
}

/// The data compression mode page (0Fh, page length 0Eh).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DataCompression {
    /// DCE (byte 2 bit 7): compress data written.
    pub dce: bool,
    /// DCC (byte 2 bit 6): the drive can compress (read-only).
    pub dcc: bool,
    /// DDE (byte 3 bit 7): decompress data read.
    pub dde: bool,
    /// RED (byte 3 bits 6-5): report exception on decompression.
    pub red: u8,
    /// COMPRESSION ALGORITHM (bytes 4-7; 1 = default).
    pub compression_algorithm: u32,
    /// DECOMPRESSION ALGORITHM (bytes 8-11).
    pub decompression_algorithm: u32,
}

impl DataCompression {
    /// PAGE LENGTH of this page.
    pub const PAGE_LENGTH: usize = 0x0e;

    /// Decode from a raw page; needs bytes 2-3. Missing algorithm fields read as 0.
    pub fn from_page(p: &ModePage) -> Result<Self, ParseError> {
        check_page(p, mode_page::DATA_COMPRESSION, "data compression page", 2)?;
        let d = &p.data;
        let (b2, b3) = (
            d.first().copied().unwrap_or(0),
            d.get(1).copied().unwrap_or(0),
        );
        Ok(DataCompression {
            dce: b2 & 0x80 != 0,
            dcc: b2 & 0x40 != 0,
            dde: b3 & 0x80 != 0,
            red: (b3 >> 5) & 0x03,
            compression_algorithm: wire::u32_at(d, 2).unwrap_or(0),
            decompression_algorithm: wire::u32_at(d, 6).unwrap_or(0),
        })
    }

    /// Encode as a complete page_0 page (reserved bytes 12-15 zero).
    pub fn to_page(&self) -> ModePage {
        let mut d = vec![0u8; Self::PAGE_LENGTH];
        let b2 = (u8::from(self.dce) << 7) | (u8::from(self.dcc) << 6);
        let b3 = (u8::from(self.dde) << 7) | ((self.red & 0x03) << 5);
        d[..2].copy_from_slice(&[b2, b3]);
        d[2..6].copy_from_slice(&self.compression_algorithm.to_be_bytes());
        d[6..10].copy_from_slice(&self.decompression_algorithm.to_be_bytes());
        ModePage::new(mode_page::DATA_COMPRESSION, d)
    }
}

/// Selected fields of the device configuration mode page (10h, page length 0Eh).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceConfiguration {
    /// ACTIVE FORMAT (byte 2 bits 4-0).
    pub active_format: u8,
    /// ACTIVE PARTITION (byte 3).
    pub active_partition: u8,
    /// WRITE DELAY TIME in 100 ms units (bytes 6-7).
    pub write_delay_time: u16,
    /// EOD DEFINED (byte 10 bits 7-5).
    pub eod_defined: u8,
    /// EEG: enable EOD generation (byte 10 bit 4).
    pub eeg: bool,
    /// SEW: synchronize at early warning (byte 10 bit 3).
    pub sew: bool,
    /// SELECT DATA COMPRESSION ALGORITHM (byte 14).
    pub select_data_compression_algorithm: u8,
    /// The raw page parameters, for fields not decoded here.
    pub raw: Vec<u8>,
}

impl DeviceConfiguration {
    /// Decode from a raw page; needs bytes 2-14.
    pub fn from_page(p: &ModePage) -> Result<Self, ParseError> {
        check_page(
            p,
            mode_page::DEVICE_CONFIGURATION,
            "device configuration page",
            13,
        )?;
        let d = &p.data;
        let at = |i: usize| d.get(i).copied().unwrap_or(0);
        Ok(DeviceConfiguration {
            active_format: at(0) & 0x1f,
            active_partition: at(1),
            write_delay_time: wire::u16_at(d, 4).unwrap_or(0),
            eod_defined: at(8) >> 5,
            eeg: at(8) & 0x10 != 0,
            sew: at(8) & 0x08 != 0,
            select_data_compression_algorithm: at(12),
            raw: d.clone(),
        })
    }
}
