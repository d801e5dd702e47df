//! MODE SENSE(6)/(10) and MODE SELECT(6)/(10) (SPC-4 §6.9-6.12, §7.5; SSC-4 §8.3):
//! header with WP and BUFFERED MODE in the device-specific byte, one short block descriptor
//! (density code, block length; 0 = variable), and pages 0Fh data compression (DCE, DCC),
//! 10h device configuration and 11h medium partition (see `format.rs`).
//!
//! Page 00h asks for the block descriptor only (st sends it on every open, 12 bytes). PC =
//! 01b returns the changeable masks, 10b the defaults, 11b (saved) is refused with 39/00.
//! MODE SELECT is all-or-nothing: the list is checked completely before anything changes;
//! a bad field gives 26/00 with a field pointer into the parameter list (C/D = 0), a
//! parameter list longer than the data sent 1A/00.

use scsi_sg::mode::DataCompression;
use scsi_sg::opcode::{self, mode_page};
use scsi_sg::{DataDir, ModePage, ModeSelectList, SenseKey};

use super::cdb::Cdb;
use super::dispatch::{row, CommandInfo, Direction};
use super::format::{parse_partition_page, partition_page};
use super::inquiry::writable_densities;
use super::sense::{
    asc, invalid_cdb, invalid_param, parameter_list, parameter_list_length, reply, sense,
    CmdResult, Outcome,
};
use super::Drive;

/// Rows of this family.
pub(super) const COMMANDS: &[CommandInfo] = &[
    row(
        opcode::MODE_SENSE_6,
        "MODE SENSE(6)",
        false,
        Direction::In,
        mode_sense6,
    ),
    row(
        opcode::MODE_SENSE_10,
        "MODE SENSE(10)",
        false,
        Direction::In,
        mode_sense10,
    ),
    row(
        opcode::MODE_SELECT_6,
        "MODE SELECT(6)",
        false,
        Direction::Out,
        mode_select6,
    ),
    row(
        opcode::MODE_SELECT_10,
        "MODE SELECT(10)",
        false,
        Direction::Out,
        mode_select10,
    ),
];

/// Page control values (MODE SENSE byte 2 bits 7-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pc {
    Current,
    Changeable,
    Default,
}

/// Device-specific parameter: WP.
const WP: u8 = 0x80;
/// DBD (byte 1 bit 3).
const DBD: u8 = 3;
/// Device configuration page length.
const DEVICE_CONFIGURATION_LEN: usize = 0x0E;
/// Device configuration byte 2: CAP (change active partition).
const CAP: u8 = 0x40;
/// Device configuration byte 10: EEG and SEW.
const EEG_SEW: u8 = 0x18;
/// Compression algorithm reported (1 = the drive's default, LTO-DC).
const ALGORITHM: u32 = 1;
/// Short block descriptor length.
const BLOCK_DESCRIPTOR_LEN: usize = 8;

/// A page_0 page as bytes.
pub(super) fn page_bytes(p: &ModePage) -> Vec<u8> {
    let mut b = vec![p.code & 0x3F, p.data.len() as u8];
    b.extend_from_slice(&p.data);
    b
}

fn compression_page(d: &Drive, pc: Pc) -> Vec<u8> {
    let page = match pc {
        Pc::Changeable => ModePage::new(mode_page::DATA_COMPRESSION, {
            let mut v = vec![0u8; DataCompression::PAGE_LENGTH];
            v[0] = 0x80; // DCE
            v
        }),
        _ => DataCompression {
            dce: pc == Pc::Default || d.state.compression,
            dcc: true,
            dde: true,
            red: 0,
            compression_algorithm: ALGORITHM,
            decompression_algorithm: ALGORITHM,
        }
        .to_page(),
    };
    page_bytes(&page)
}

fn configuration_page(d: &Drive, pc: Pc) -> Vec<u8> {
    let mut v = vec![0u8; DEVICE_CONFIGURATION_LEN];
    match pc {
        Pc::Changeable => {
            v[0] = CAP;
            v[1] = 0xFF;
            v[12] = 0xFF;
        }
        _ => {
            v[1] = if pc == Pc::Current { d.part() } else { 0 };
            v[8] = EEG_SEW;
            v[12] = u8::from(pc == Pc::Default || d.state.compression);
        }
    }
    page_bytes(&ModePage::new(mode_page::DEVICE_CONFIGURATION, v))
}

fn mode_sense(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>, ten: bool) -> CmdResult {
    let pc = match cdb.u8(2) >> 6 {
        0 => Pc::Current,
        1 => Pc::Changeable,
        2 => Pc::Default,
        _ => return Err(sense(SenseKey::IllegalRequest, asc::SAVING_NOT_SUPPORTED)),
    };
    let page = cdb.u8(2) & 0x3F;
    let sub = cdb.u8(3);
    if sub != mode_page::NO_SUBPAGE
        && !(page == mode_page::ALL_PAGES && sub == mode_page::ALL_SUBPAGES)
    {
        return Err(invalid_cdb(3, None));
    }
    let mut pages = Vec::new();
    let all = page == mode_page::ALL_PAGES;
    if page == mode_page::DATA_COMPRESSION || all {
        pages.extend(compression_page(d, pc));
    }
    if page == mode_page::DEVICE_CONFIGURATION || all {
        pages.extend(configuration_page(d, pc));
    }
    if page == mode_page::MEDIUM_PARTITION || all {
        pages.extend(partition_page(d, pc));
    }
    if page != 0 && pages.is_empty() {
        return Err(invalid_cdb(2, Some(5)));
    }
    let mut bd = Vec::new();
    if !cdb.bit(1, DBD) {
        let (density, len) = match pc {
            Pc::Changeable => (0xFF, 0x00FF_FFFF),
            Pc::Default => (0, 0),
            Pc::Current => {
                let density = match (d.state.loaded, d.state.density) {
                    (false, _) => 0,
                    (true, 0) => d.medium.density_code(),
                    (true, code) => code,
                };
                (density, d.state.block_len)
            }
        };
        let l = len.to_be_bytes();
        bd.extend_from_slice(&[density, 0, 0, 0, 0, l[1], l[2], l[3]]);
    }
    let wp = d.state.loaded && d.medium.write_protected() && pc == Pc::Current;
    let dsp = if pc == Pc::Changeable {
        0x70
    } else {
        (u8::from(wp) * WP) | ((d.state.buffered_mode & 0x07) << 4)
    };
    let mut b = if ten {
        let total = 8 + bd.len() + pages.len();
        let mut h = ((total - 2) as u16).to_be_bytes().to_vec();
        h.extend_from_slice(&[0, dsp, 0, 0]);
        h.extend_from_slice(&(bd.len() as u16).to_be_bytes());
        h
    } else {
        let total = 4 + bd.len() + pages.len();
        vec![(total - 1) as u8, 0, dsp, bd.len() as u8]
    };
    b.extend(bd);
    b.extend(pages);
    let alloc = if ten {
        usize::from(cdb.u16(7))
    } else {
        usize::from(cdb.u8(4))
    };
    reply(data, &b, alloc)
}

fn mode_sense6(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    mode_sense(d, cdb, data, false)
}

fn mode_sense10(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    mode_sense(d, cdb, data, true)
}

fn mode_select6(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    mode_select(d, usize::from(cdb.u8(4)), data, false)
}

fn mode_select10(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    mode_select(d, usize::from(cdb.u16(7)), data, true)
}

fn mode_select(d: &mut Drive, len: usize, data: &mut DataDir<'_>, ten: bool) -> CmdResult {
    if len == 0 {
        return Outcome::good();
    }
    let list = parameter_list(data, len)?;
    let (hdr, bd_len, bd_len_at) = if ten {
        let raw = list.get(6..8).ok_or_else(parameter_list_length)?;
        (8, usize::from(u16::from_be_bytes([raw[0], raw[1]])), 6)
    } else {
        (
            4,
            usize::from(*list.get(3).ok_or_else(parameter_list_length)?),
            3,
        )
    };
    let parsed = if ten {
        ModeSelectList::parse10(list)
    } else {
        ModeSelectList::parse6(list)
    }
    .map_err(|_| parameter_list_length())?;
    if parsed.header.long_lba {
        return Err(invalid_param(4, Some(0)));
    }
    if bd_len % BLOCK_DESCRIPTOR_LEN != 0 || bd_len > BLOCK_DESCRIPTOR_LEN {
        return Err(invalid_param(bd_len_at, None));
    }
    if hdr + bd_len > list.len() {
        return Err(parameter_list_length());
    }
    let mut new = d.state.clone();
    new.buffered_mode = parsed.header.buffered_mode();
    if let Some(bd) = parsed.block_descriptors.first() {
        let g = d.medium.generation().number();
        let code = bd.density_code;
        if code != 0 && code != d.medium.density_code() && !writable_densities(g).any(|c| c == code)
        {
            return Err(invalid_param(hdr, None));
        }
        new.density = code;
        new.block_len = bd.block_length;
    }
    let mut off = hdr + bd_len;
    for p in &parsed.pages {
        let at = off;
        off += if p.spf { 4 } else { 2 } + p.data.len();
        if p.spf {
            return Err(invalid_param(at, Some(6)));
        }
        match p.code {
            mode_page::DATA_COMPRESSION => {
                let c = DataCompression::from_page(p).map_err(|_| invalid_param(at + 1, None))?;
                new.compression = c.dce;
            }
            mode_page::DEVICE_CONFIGURATION => {
                let b = |i: usize| p.data.get(i).copied().unwrap_or(0);
                if b(0) & CAP != 0 {
                    if b(1) >= d.medium.partitions() {
                        return Err(invalid_param(at + 3, None));
                    }
                    new.partition = b(1);
                    new.position = 0;
                }
                if p.data.len() > 12 {
                    new.compression = b(12) != 0;
                }
            }
            mode_page::MEDIUM_PARTITION => {
                new.pending_format = Some(parse_partition_page(d, &p.data, at)?);
            }
            _ => return Err(invalid_param(at, Some(5))),
        }
    }
    if off != list.len() {
        return Err(parameter_list_length());
    }
    d.state = new;
    Outcome::good()
}
