//! Cartridge memory written after `create` (SPC-4 WRITE ATTRIBUTE through
//! `scsi_sg::attributes`; host attributes of `reference/scsi.md` §2): application vendor
//! (0800h), application name (0801h), application version (0802h), date and time last
//! written (0804h, `YYYYMMDDHHMM`, UTC) and, when asked for, the barcode (0806h). Values are
//! encoded by the library (ASCII padded with spaces to the standard length) and written in
//! one WRITE ATTRIBUTE with WTC.

use scsi_sg::attributes::{self as attrs, id, AttributeWrite, Date};
use scsi_sg::Transport;

use super::error::Failure;

/// Application vendor (0800h, 8 bytes).
pub const APPLICATION_VENDOR: &str = "TAPEKIT";
/// Application name (0801h, 32 bytes).
pub const APPLICATION_NAME: &str = "tapetar";
/// Application version (0802h, 8 bytes).
pub const APPLICATION_VERSION: &str = env!("CARGO_PKG_VERSION");

/// `YYYYMMDDHHMM` of a UTC time given in seconds since the epoch.
pub fn last_written_text(unix_seconds: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(unix_seconds)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    Date {
        year: u16::try_from(t.year()).unwrap_or(0),
        month: u8::from(t.month()),
        day: t.day(),
        time: Some((t.hour(), t.minute())),
    }
    .to_ascii()
}

/// The attribute writes for one `create`, in identifier order.
pub fn writes(barcode: Option<&str>, unix_seconds: i64) -> Result<Vec<AttributeWrite>, Failure> {
    let mut list = vec![
        (id::APPLICATION_VENDOR, APPLICATION_VENDOR.to_string()),
        (id::APPLICATION_NAME, APPLICATION_NAME.to_string()),
        (id::APPLICATION_VERSION, APPLICATION_VERSION.to_string()),
        (id::LAST_WRITTEN, last_written_text(unix_seconds)),
    ];
    if let Some(b) = barcode {
        list.push((id::BARCODE, b.to_string()));
    }
    list.into_iter()
        .map(|(id, value)| {
            attrs::encode(id, &value).map_err(|e| Failure::fatal(format!("cartridge memory: {e}")))
        })
        .collect()
}

/// Writes the attributes to partition 0.
pub fn write(t: &mut dyn Transport, list: &[AttributeWrite]) -> Result<(), Failure> {
    attrs::write(t, 0, list, true)
        .map_err(|e| Failure::fatal(format!("writing cartridge memory: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_text() {
        // 2026-11-26 07:52:00 UTC = 1795679520 (date -u -d '2026-11-26 07:52' +%s).
        assert_eq!(last_written_text(1_795_679_520), "202611260752");
        assert_eq!(last_written_text(0), "197001010000");
    }

    #[test]
    fn barcode_is_checked_before_anything_is_sent() {
        assert!(writes(Some("FJK670L6"), 0).is_ok());
        let long = "X".repeat(33);
        assert!(writes(Some(&long), 0).is_err());
        assert_eq!(writes(None, 0).map(|w| w.len()), Ok(4));
    }
}
