//! Identification and readiness: TEST UNIT READY (SPC-4 §6.47), INQUIRY with VPD pages 00h,
//! 80h and 83h (SPC-4 §6.6, §7.8), REQUEST SENSE (SPC-4 §6.39), READ BLOCK LIMITS
//! (SSC-4 §7.6) and REPORT DENSITY SUPPORT (SSC-4 §7.8, §8.4).
//!
//! The drive presents itself as `TAPEKIT ` / `VTAPE LTO-<n>`, where n is the generation of
//! the cartridge file it was opened on. Density support follows the LTO rule of thumb: a
//! generation-n drive writes n and n − 1 and reads n, n − 1 and n − 2. The density
//! descriptor figures (bits per mm, tracks, capacity) are the published LTO format values
//! as far as they are known here; nothing in the toolkit depends on them.

use scsi_sg::opcode::{self, device_type, vpd};
use scsi_sg::{DataDir, SenseKey};

use super::cdb::Cdb;
use super::dispatch::{row, CommandInfo, Direction};
use super::sense::{asc, invalid_cdb, not_present, reply, sense, CmdResult, Outcome};
use super::{Drive, MAX_BLOCK_LEN, MIN_BLOCK_LEN};
use crate::medium::lto_density_code;

/// Rows of this family.
pub(super) const COMMANDS: &[CommandInfo] = &[
    row(
        opcode::TEST_UNIT_READY,
        "TEST UNIT READY",
        true,
        Direction::None,
        test_unit_ready,
    ),
    row(opcode::INQUIRY, "INQUIRY", false, Direction::In, inquiry),
    row(
        opcode::REQUEST_SENSE,
        "REQUEST SENSE",
        false,
        Direction::In,
        request_sense,
    ),
    row(
        opcode::READ_BLOCK_LIMITS,
        "READ BLOCK LIMITS",
        false,
        Direction::In,
        read_block_limits,
    ),
    row(
        opcode::REPORT_DENSITY_SUPPORT,
        "REPORT DENSITY SUPPORT",
        false,
        Direction::In,
        report_density_support,
    ),
];

/// T10 vendor identification (8 bytes).
pub(crate) const VENDOR: &[u8; 8] = b"TAPEKIT ";
/// Product revision level (4 bytes).
const REVISION: &[u8; 4] = b"0001";
/// Standard INQUIRY data length.
const STANDARD_LEN: usize = 36;
/// VERSION: SPC-4.
const VERSION_SPC4: u8 = 0x06;
/// Byte 3: HISUP (b4) and RESPONSE DATA FORMAT 2.
const HISUP_RDF2: u8 = 0x12;
/// RMB: removable medium.
const RMB: u8 = 0x80;
/// Designator header: code set ASCII (2), association LU, type T10 vendor ID (1).
const T10_DESIGNATOR: [u8; 2] = [0x02, 0x01];

fn test_unit_ready(_: &mut Drive, _: &Cdb<'_>, _: &mut DataDir<'_>) -> CmdResult {
    Outcome::good()
}

/// `VTAPE LTO-<n>` padded to 16 bytes.
fn product(d: &Drive) -> [u8; 16] {
    let mut p = [b' '; 16];
    let name = format!("VTAPE {}", d.medium.generation().name());
    let n = name.len().min(16);
    if let (Some(dst), Some(src)) = (p.get_mut(..n), name.as_bytes().get(..n)) {
        dst.copy_from_slice(src);
    }
    p
}

fn inquiry(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    let evpd = cdb.bit(1, 0);
    if cdb.u8(1) & 0xFE != 0 {
        return Err(invalid_cdb(1, Some(1)));
    }
    let page = cdb.u8(2);
    let alloc = usize::from(cdb.u16(3));
    let peripheral = device_type::SEQUENTIAL_ACCESS;
    if !evpd {
        if page != 0 {
            return Err(invalid_cdb(2, None));
        }
        let mut b = vec![0u8; STANDARD_LEN];
        b[..5].copy_from_slice(&[peripheral, RMB, VERSION_SPC4, HISUP_RDF2, 31]);
        b[8..16].copy_from_slice(VENDOR);
        b[16..32].copy_from_slice(&product(d));
        b[32..36].copy_from_slice(REVISION);
        return reply(data, &b, alloc);
    }
    let body: Vec<u8> = match page {
        vpd::SUPPORTED_PAGES => vec![
            vpd::SUPPORTED_PAGES,
            vpd::UNIT_SERIAL_NUMBER,
            vpd::DEVICE_IDENTIFICATION,
        ],
        vpd::UNIT_SERIAL_NUMBER => d.serial.as_bytes().to_vec(),
        vpd::DEVICE_IDENTIFICATION => {
            let mut id = VENDOR.to_vec();
            id.extend_from_slice(&product(d));
            id.extend_from_slice(d.serial.as_bytes());
            let mut desc = T10_DESIGNATOR.to_vec();
            desc.extend_from_slice(&[0, id.len() as u8]);
            desc.extend(id);
            desc
        }
        _ => return Err(invalid_cdb(2, None)),
    };
    let mut b = vec![peripheral, page];
    b.extend_from_slice(&(body.len() as u16).to_be_bytes());
    b.extend(body);
    reply(data, &b, alloc)
}

fn request_sense(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    // DESC (byte 1 bit 0): descriptor format is not supported, so fixed format is returned
    // (SPC-4 §6.39 allows this).
    let alloc = usize::from(cdb.u8(4));
    let s = match d.pending.take() {
        Some(s) => s,
        None if !d.state.loaded => not_present(),
        None => sense(SenseKey::NoSense, asc::NO_ADDITIONAL),
    };
    reply(data, &s.to_fixed_bytes(), alloc)
}

fn read_block_limits(_: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    // MLOI (byte 1 bit 0) asks for the maximum logical object identifier form: not
    // supported.
    if cdb.u8(1) & 0x01 != 0 {
        return Err(invalid_cdb(1, Some(0)));
    }
    let max = MAX_BLOCK_LEN.to_be_bytes();
    let min = MIN_BLOCK_LEN.to_be_bytes();
    // Byte 0: GRANULARITY 0 (any length); 1-3 maximum; 4-5 minimum.
    let b = [0, max[1], max[2], max[3], min[0], min[1]];
    reply(data, &b, b.len())
}

/// Published format figures of one LTO generation.
struct Format {
    generation: u8,
    bits_per_mm: u32,
    tracks: u16,
    capacity_mb: u32,
}

const FORMATS: &[Format] = &[
    Format {
        generation: 3,
        bits_per_mm: 9638,
        tracks: 704,
        capacity_mb: 400_000,
    },
    Format {
        generation: 4,
        bits_per_mm: 13250,
        tracks: 896,
        capacity_mb: 800_000,
    },
    Format {
        generation: 5,
        bits_per_mm: 15142,
        tracks: 1280,
        capacity_mb: 1_500_000,
    },
    Format {
        generation: 6,
        bits_per_mm: 15142,
        tracks: 2176,
        capacity_mb: 2_500_000,
    },
    Format {
        generation: 7,
        bits_per_mm: 19107,
        tracks: 3584,
        capacity_mb: 6_000_000,
    },
    Format {
        generation: 8,
        bits_per_mm: 20668,
        tracks: 6656,
        capacity_mb: 12_000_000,
    },
    Format {
        generation: 9,
        bits_per_mm: 20668,
        tracks: 8960,
        capacity_mb: 18_000_000,
    },
];

impl Format {
    /// Density code of the format (from the medium configuration's generation mapping).
    fn density(&self) -> u8 {
        lto_density_code(self.generation).unwrap_or_default()
    }
}

/// DESCRIPTOR LENGTH of a density support data block descriptor (52 − 3).
const DESCRIPTOR_LENGTH: u16 = 49;
/// Media width of half-inch tape in 0.1 mm.
const MEDIA_WIDTH: u16 = 127;
const WRTOK: u8 = 0x80;
const DEFLT: u8 = 0x20;
const DLV: u8 = 0x01;

/// Density codes a drive of generation `g` can write.
pub(crate) fn writable_densities(g: u8) -> impl Iterator<Item = u8> {
    FORMATS
        .iter()
        .filter(move |f| f.generation + 1 >= g && f.generation <= g)
        .map(Format::density)
}

fn descriptor(f: &Format, writable: bool, default: bool) -> [u8; 52] {
    let mut d = [0u8; 52];
    d[0] = f.density();
    d[1] = f.density();
    d[2] = DLV | if writable { WRTOK } else { 0 } | if default { DEFLT } else { 0 };
    d[3..5].copy_from_slice(&DESCRIPTOR_LENGTH.to_be_bytes());
    d[5..8].copy_from_slice(&f.bits_per_mm.to_be_bytes()[1..]);
    d[8..10].copy_from_slice(&MEDIA_WIDTH.to_be_bytes());
    d[10..12].copy_from_slice(&f.tracks.to_be_bytes());
    d[12..16].copy_from_slice(&f.capacity_mb.to_be_bytes());
    d[16..24].copy_from_slice(b"LTO-CVE ");
    let name = format!("U-{}16    ", f.generation);
    let desc = format!("Ultrium {}/16T{:20}", f.generation, "");
    d[24..32].copy_from_slice(name.as_bytes().get(..8).unwrap_or(&[b' '; 8]));
    d[32..52].copy_from_slice(desc.as_bytes().get(..20).unwrap_or(&[b' '; 20]));
    d
}

fn report_density_support(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    let media = cdb.bit(1, 0);
    if cdb.bit(1, 1) {
        // MEDIUM TYPE = 1 (medium type descriptors) is not supported.
        return Err(invalid_cdb(1, Some(1)));
    }
    let alloc = usize::from(cdb.u16(7));
    let g = d.medium.generation().number();
    let mut body = Vec::new();
    if media {
        if !d.state.loaded {
            return Err(not_present());
        }
        let code = d.medium.density_code();
        if let Some(f) = FORMATS.iter().find(|f| f.density() == code) {
            body.extend_from_slice(&descriptor(f, true, true));
        }
    } else {
        for f in FORMATS
            .iter()
            .rev()
            .filter(|f| f.generation <= g && f.generation + 2 >= g)
        {
            let writable = f.generation + 1 >= g;
            body.extend_from_slice(&descriptor(f, writable, f.generation == g));
        }
    }
    let mut b = ((body.len() + 2) as u16).to_be_bytes().to_vec();
    b.extend_from_slice(&[0, 0]);
    b.extend(body);
    reply(data, &b, alloc)
}
