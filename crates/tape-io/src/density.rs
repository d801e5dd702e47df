//! Names of SCSI tape density codes (the density code of MODE SENSE's block descriptor, and
//! of `mt_dsreg >> 24`), as `mt status` and `mt densities` print them.
//!
//! The table is mt-st 1.7's (Debian 12), entry for entry and in its order (ascending code),
//! plus one code 1.7 lacks: 0x60 "LTO-9" (added by mt-st 1.8). The texts, including 1.7's
//! "comprssed", are kept as 1.7 prints them so status lines stay byte-identical.

/// Every known density code with its name, ascending by code.
pub const DENSITIES: &[(u8, &str)] = &[
    (0x00, "default"),
    (0x01, "NRZI (800 bpi)"),
    (0x02, "PE (1600 bpi)"),
    (0x03, "GCR (6250 bpi)"),
    (0x04, "QIC-11"),
    (0x05, "QIC-45/60 (GCR, 8000 bpi)"),
    (0x06, "PE (3200 bpi)"),
    (0x07, "IMFM (6400 bpi)"),
    (0x08, "GCR (8000 bpi)"),
    (0x09, "GCR (37871 bpi)"),
    (0x0a, "MFM (6667 bpi)"),
    (0x0b, "PE (1600 bpi)"),
    (0x0c, "GCR (12960 bpi)"),
    (0x0d, "GCR (25380 bpi)"),
    (0x0f, "QIC-120 (GCR 10000 bpi)"),
    (0x10, "QIC-150/250 (GCR 10000 bpi)"),
    (0x11, "QIC-320/525 (GCR 16000 bpi)"),
    (0x12, "QIC-1350 (RLL 51667 bpi)"),
    (0x13, "DDS (61000 bpi)"),
    (0x14, "EXB-8200 (RLL 43245 bpi)"),
    (0x15, "EXB-8500 or QIC-1000"),
    (0x16, "MFM 10000 bpi"),
    (0x17, "MFM 42500 bpi"),
    (0x18, "TZ86"),
    (0x19, "DLT 10GB"),
    (0x1a, "DLT 20GB"),
    (0x1b, "DLT 35GB"),
    (0x1c, "QIC-385M"),
    (0x1d, "QIC-410M"),
    (0x1e, "QIC-1000C"),
    (0x1f, "QIC-2100C"),
    (0x20, "QIC-6GB"),
    (0x21, "QIC-20GB"),
    (0x22, "QIC-2GB"),
    (0x23, "QIC-875"),
    (0x24, "DDS-2"),
    (0x25, "DDS-3"),
    (0x26, "DDS-4 or QIC-4GB"),
    (0x27, "Exabyte Mammoth"),
    (0x28, "Exabyte Mammoth-2"),
    (0x29, "QIC-3080MC, IBM 3590 B"),
    (0x2a, "IBM 3590 E"),
    (0x30, "AIT-1 or MLR3"),
    (0x31, "AIT-2"),
    (0x32, "AIT-3 or SLR7"),
    (0x33, "SLR6"),
    (0x34, "SLR100"),
    (0x40, "DLT1 40 GB, or Ultrium"),
    (0x41, "DLT 40GB, or Ultrium2"),
    (0x42, "LTO-2"),
    (0x44, "LTO-3"),
    (0x45, "QIC-3095-MC (TR-4)"),
    (0x46, "LTO-4"),
    (0x47, "DDS-5 or TR-5"),
    (0x48, "SDLT220"),
    (0x49, "SDLT320"),
    (0x4a, "SDLT600, T10000A"),
    (0x4b, "T10000B"),
    (0x4c, "T10000C"),
    (0x4d, "T10000D"),
    (0x51, "IBM 3592 J1A"),
    (0x52, "IBM 3592 E05"),
    (0x53, "IBM 3592 E06"),
    (0x54, "IBM 3592 E07"),
    (0x55, "IBM 3592 E08"),
    (0x58, "LTO-5"),
    (0x5a, "LTO-6"),
    (0x5c, "LTO-7"),
    (0x5d, "LTO-7-M8"),
    (0x5e, "LTO-8"),
    (0x60, "LTO-9"),
    (0x71, "IBM 3592 J1A, encrypted"),
    (0x72, "IBM 3592 E05, encrypted"),
    (0x73, "IBM 3592 E06, encrypted"),
    (0x74, "IBM 3592 E07, encrypted"),
    (0x75, "IBM 3592 E08, encrypted"),
    (0x80, "DLT 15GB uncomp. or Ecrix"),
    (0x81, "DLT 15GB compressed"),
    (0x82, "DLT 20GB uncompressed"),
    (0x83, "DLT 20GB compressed"),
    (0x84, "DLT 35GB uncompressed"),
    (0x85, "DLT 35GB compressed"),
    (0x86, "DLT1 40 GB uncompressed"),
    (0x87, "DLT1 40 GB compressed"),
    (0x88, "DLT 40GB uncompressed"),
    (0x89, "DLT 40GB compressed"),
    (0x8c, "EXB-8505 compressed"),
    (0x90, "SDLT110 uncompr/EXB-8205 compr"),
    (0x91, "SDLT110 compressed"),
    (0x92, "SDLT160 uncompressed"),
    (0x93, "SDLT160 comprssed"),
];

/// Codes of [`DENSITIES`] that mt-st 1.7's table does not have (tools that reproduce 1.7's
/// `mt densities` layout list these after 1.7's rows).
pub const ADDED_AFTER_MT_ST_1_7: &[u8] = &[0x60];

/// The name of density `code`, or `None` when it is not in [`DENSITIES`].
pub fn density_name(code: u8) -> Option<&'static str> {
    DENSITIES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_and_lto_codes() {
        assert!(DENSITIES
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.0 < b.0)));
        assert_eq!(DENSITIES.len(), 91);
        assert_eq!(density_name(0x58), Some("LTO-5"));
        assert_eq!(density_name(0x5e), Some("LTO-8"));
        assert_eq!(density_name(0x60), Some("LTO-9"));
        assert_eq!(density_name(0x00), Some("default"));
        assert_eq!(density_name(0x99), None);
    }
}
