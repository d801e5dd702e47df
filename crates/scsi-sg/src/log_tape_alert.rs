//! TapeAlert flags (SSC-4 §8.2.3 page 2Eh, §8.2.4 page 12h; `reference/scsi.md` §9.1).
//! Part of [`crate::log`].
//!
//! - Page 12h (TapeAlert response, non-clearing): parameter 0000h, 8 bytes, 64 flags with
//!   **flag 1 = MSB** (flag N = bit 64 − N of the big-endian u64; same order as MAM 0002h).
//! - Page 2Eh (TapeAlert, cleared by reading): parameters 0001h-0040h, one per flag, bit 0
//!   of a 1-byte value.
//!
//! Severity follows the Proxmox masks documented in §9.1: the critical mask is Critical,
//! the media-life and cleaning masks are Warning, every other flag is Info.

use super::{LogPage, LogParameter};
use crate::error::ParseError;
use crate::opcode::log_page;

/// Control byte sent with TapeAlert parameters by [`TapeAlertFlags::to_response_page`] and
/// [`TapeAlertFlags::to_tape_alert_page`]: FORMAT AND LINKING 11b (binary format list).
pub const PARAMETER_CONTROL: u8 = 0x03;

/// Flags Proxmox classes as critical.
pub const CRITICAL_FLAGS: &[u8] = &[
    0x04, 0x05, 0x06, 0x09, 0x0e, 0x10, 0x16, 0x17, 0x1e, 0x1f, 0x21, 0x26, 0x29, 0x2d, 0x34, 0x35,
    0x36, 0x37, 0x38, 0x39,
];
/// Flags about the end of media life.
pub const MEDIA_LIFE_FLAGS: &[u8] = &[0x07, 0x13];
/// Flags asking for cleaning (clean now, clean periodic).
pub const CLEANING_FLAGS: &[u8] = &[0x14, 0x15];

/// Names of flags 01h-3Ch (SSC-4 / TapeAlert specification; 28h-2Eh are the obsolete
/// loader flags). Index = flag number − 1; `None` for reserved numbers.
const NAMES: [Option<&str>; 60] = [
    Some("Read warning"),
    Some("Write warning"),
    Some("Hard error"),
    Some("Media"),
    Some("Read failure"),
    Some("Write failure"),
    Some("Media life"),
    Some("Not data grade"),
    Some("Write protect"),
    Some("No removal"),
    Some("Cleaning media"),
    Some("Unsupported format"),
    Some("Recoverable mechanical cartridge failure"),
    Some("Unrecoverable mechanical cartridge failure"),
    Some("Memory chip in cartridge failure"),
    Some("Forced eject"),
    Some("Read only format"),
    Some("Tape directory corrupted on load"),
    Some("Nearing media life"),
    Some("Cleaning required"),
    Some("Cleaning requested"),
    Some("Expired cleaning media"),
    Some("Invalid cleaning tape"),
    Some("Retension requested"),
    Some("Dual port interface error"),
    Some("Cooling fan failing"),
    Some("Power supply failure"),
    Some("Power consumption"),
    Some("Drive maintenance"),
    Some("Hardware A"),
    Some("Hardware B"),
    Some("Interface"),
    Some("Eject media"),
    Some("Microcode update fail"),
    Some("Drive humidity"),
    Some("Drive temperature"),
    Some("Drive voltage"),
    Some("Predictive failure"),
    Some("Diagnostics required"),
    Some("Loader hardware A"),
    Some("Loader stray tape"),
    Some("Loader hardware B"),
    Some("Loader door"),
    Some("Loader hardware C"),
    Some("Loader magazine"),
    Some("Loader predictive failure"),
    None,
    None,
    None,
    Some("Lost statistics"),
    Some("Tape directory invalid at unload"),
    Some("Tape system area write failure"),
    Some("Tape system area read failure"),
    Some("No start of data"),
    Some("Loading failure"),
    Some("Unrecoverable unload failure"),
    Some("Automation interface failure"),
    Some("Microcode failure"),
    Some("WORM medium - integrity check failed"),
    Some("WORM medium - overwrite attempted"),
];

/// The name of flag `n` (1-based), `None` for reserved or out-of-range numbers.
pub fn flag_name(n: u8) -> Option<&'static str> {
    NAMES.get(usize::from(n).checked_sub(1)?).copied().flatten()
}

/// How urgent a TapeAlert flag is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Informational.
    Info,
    /// Media life or cleaning: act soon.
    Warning,
    /// Data at risk or the drive unusable: act now.
    Critical,
}

/// The severity of flag `n` by the Proxmox masks (see the module documentation).
pub fn severity(n: u8) -> Severity {
    if CRITICAL_FLAGS.contains(&n) {
        Severity::Critical
    } else if MEDIA_LIFE_FLAGS.contains(&n) || CLEANING_FLAGS.contains(&n) {
        Severity::Warning
    } else {
        Severity::Info
    }
}

/// 64 TapeAlert flags, flag 1 in the most significant bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TapeAlertFlags(pub u64);

impl TapeAlertFlags {
    fn mask(n: u8) -> Option<u64> {
        (1..=64).contains(&n).then(|| 1u64 << (64 - u32::from(n)))
    }

    /// True if flag `n` (1..=64) is set; false for any other `n`.
    pub fn flag(self, n: u8) -> bool {
        Self::mask(n).is_some_and(|m| self.0 & m != 0)
    }

    /// Set or clear flag `n` (1..=64); other numbers are ignored.
    pub fn set(&mut self, n: u8, on: bool) {
        if let Some(m) = Self::mask(n) {
            if on {
                self.0 |= m;
            } else {
                self.0 &= !m;
            }
        }
    }

    /// True when no flag is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The numbers of the set flags, ascending.
    pub fn iter(self) -> impl Iterator<Item = u8> {
        (1u8..=64).filter(move |&n| self.flag(n))
    }

    /// The highest severity among the set flags.
    pub fn max_severity(self) -> Option<Severity> {
        self.iter().map(severity).max()
    }

    /// Decode page 12h: parameter 0000h; its value's first byte holds flags 1-8 (MSB
    /// first). A value shorter than 8 bytes fills the leading flags only.
    pub fn from_response_page(page: &LogPage) -> Result<Self, ParseError> {
        page.expect(log_page::TAPE_ALERT_RESPONSE, "TapeAlert response page")?;
        let p = page.parameter(0).ok_or_else(|| ParseError::Invalid {
            what: "TapeAlert response page",
            detail: "parameter 0000h missing".into(),
        })?;
        let mut bytes = [0u8; 8];
        for (dst, src) in bytes.iter_mut().zip(&p.value) {
            *dst = *src;
        }
        Ok(TapeAlertFlags(u64::from_be_bytes(bytes)))
    }

    /// Decode page 2Eh: parameter N (1..=64) sets flag N from bit 0 of its first byte.
    pub fn from_tape_alert_page(page: &LogPage) -> Result<Self, ParseError> {
        page.expect(log_page::TAPE_ALERT, "TapeAlert page")?;
        let mut flags = TapeAlertFlags(0);
        for p in &page.parameters {
            if let (Ok(n), Some(v)) = (u8::try_from(p.code), p.value.first()) {
                if v & 0x01 != 0 {
                    flags.set(n, true);
                }
            }
        }
        Ok(flags)
    }

    /// Encode as page 12h (one 8-byte parameter 0000h).
    pub fn to_response_page(self) -> LogPage {
        let mut page = LogPage::new(log_page::TAPE_ALERT_RESPONSE, 0);
        page.parameters.push(LogParameter::new(
            0,
            PARAMETER_CONTROL,
            self.0.to_be_bytes(),
        ));
        page.page_length = 12;
        page
    }

    /// Encode as page 2Eh (parameters 0001h-0040h, one byte each).
    pub fn to_tape_alert_page(self) -> LogPage {
        let mut page = LogPage::new(log_page::TAPE_ALERT, 0);
        page.parameters = (1u8..=64)
            .map(|n| LogParameter::new(u16::from(n), PARAMETER_CONTROL, [u8::from(self.flag(n))]))
            .collect();
        page.page_length = 64 * 5;
        page
    }
}
