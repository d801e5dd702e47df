//! The medium attributes a new cartridge gets (SPC-4 medium-range attributes 0400h-0409h,
//! `reference/scsi.md` §5), written once when the cartridge memory is first created.
//!
//! Values: manufacturer `TAPEKIT `, a serial number unique per cartridge (creation time in
//! nanoseconds and 32 random bits, hex), tape length per generation (LTO-5/6 846 m, LTO-7/8
//! 960 m, LTO-9 1035 m: the LTO Consortium's published figures), width 127 (12.7 mm, ½ inch,
//! in 0.1 mm), assigning organization `LTO-CVE `, the medium density code, the manufacture
//! date (UTC, YYYYMMDD), the MAM capacity ([`MAM_CAPACITY`](super::MAM_CAPACITY)), medium type
//! 00h (data) and medium type information 0.

use std::time::{SystemTime, UNIX_EPOCH};

use scsi_sg::attributes::Format;

use super::{id, Mam, MAM_CAPACITY, VOLUME};
use crate::medium::Generation;

/// Manufacturer (0400h) and T10-style vendor of the emulated media.
const MANUFACTURER: &[u8; 8] = b"TAPEKIT ";
/// Assigning organization (0404h and 0005h).
pub(crate) const ASSIGNING_ORG: &[u8; 8] = b"LTO-CVE ";
/// Medium width in 0.1 mm: ½ inch.
const WIDTH_TENTH_MM: u32 = 127;

/// Tape length in metres.
fn length_m(g: Generation) -> u32 {
    match g {
        Generation::Lto5 | Generation::Lto6 => 846,
        Generation::Lto7 | Generation::Lto8 => 960,
        Generation::Lto9 => 1035,
    }
}

/// `text` left-aligned and padded with spaces to `n` bytes (cut if longer).
pub(crate) fn ascii(text: &[u8], n: usize) -> Vec<u8> {
    let mut v: Vec<u8> = text.iter().copied().take(n).collect();
    v.resize(n, b' ');
    v
}

/// `YYYYMMDD` of `secs` seconds after the epoch (UTC).
pub(crate) fn yyyymmdd(secs: u64) -> String {
    let t = i64::try_from(secs)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let d = t.date();
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

impl Mam {
    /// A new cartridge memory for a medium of generation `g` (medium attributes only).
    pub(crate) fn new_cartridge(g: Generation, density: u8) -> Mam {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let mut rnd = [0u8; 4];
        // Uniqueness also comes from the time; a failing RNG only weakens it.
        let _ = getrandom::fill(&mut rnd);
        let serial = format!(
            "{:016X}{:08X}",
            now.as_nanos() as u64,
            u32::from_be_bytes(rnd)
        );
        let mut m = Mam::default();
        let mut put = |i: u16, f: Format, v: Vec<u8>| m.put(i, VOLUME, f, v);
        put(id::MANUFACTURER, Format::Ascii, MANUFACTURER.to_vec());
        put(
            id::MEDIUM_SERIAL,
            Format::Ascii,
            ascii(serial.as_bytes(), 32),
        );
        put(
            id::MEDIUM_LENGTH,
            Format::Binary,
            length_m(g).to_be_bytes().to_vec(),
        );
        put(
            id::MEDIUM_WIDTH,
            Format::Binary,
            WIDTH_TENTH_MM.to_be_bytes().to_vec(),
        );
        put(
            id::MEDIUM_ASSIGNING_ORG,
            Format::Ascii,
            ASSIGNING_ORG.to_vec(),
        );
        put(id::MEDIUM_DENSITY, Format::Binary, vec![density]);
        let date = yyyymmdd(now.as_secs());
        put(id::MANUFACTURE_DATE, Format::Ascii, date.into_bytes());
        put(
            id::MAM_CAPACITY,
            Format::Binary,
            MAM_CAPACITY.to_be_bytes().to_vec(),
        );
        put(id::MEDIUM_TYPE, Format::Binary, vec![0x00]);
        put(id::MEDIUM_TYPE_INFO, Format::Binary, vec![0, 0]);
        m.put(id::INITIALIZATION_COUNT, VOLUME, Format::Binary, vec![0, 0]);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(yyyymmdd(0), "19700101");
        // 2000-02-29 00:00:00 UTC = 951782400 (leap day).
        assert_eq!(yyyymmdd(951_782_400), "20000229");
        // 2024-12-31 23:59:59 UTC = 1735689599.
        assert_eq!(yyyymmdd(1_735_689_599), "20241231");
    }
}
