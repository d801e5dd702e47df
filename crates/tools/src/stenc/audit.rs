//! stenc 1.0.7's key change audit log (`reference/stenc.md` §1.3): one line per successful
//! change appended to `/var/log/stenc` (mode 0600). The key itself is never logged: a key
//! description when there is one, else 1.0.7's checksum of the key.
//!
//! The date is the UTC calendar date (1.0.7 uses local time; the tools crate has no
//! time-zone code).

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// Where 1.0.7 writes its audit log.
pub const AUDIT_LOG: &str = "/var/log/stenc";

/// What identifies the key in a log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyMark {
    /// `Key Descriptor: '<d>'`.
    Descriptor(String),
    /// `Key Checksum: <hex>`.
    Checksum(u32),
}

/// `YYYY-MM-DD` for days since 1970-01-01 (proleptic Gregorian calendar).
pub fn civil_date(days: i64) -> String {
    // Howard Hinnant's days_from_civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The log line (with its newline) for switching on (`key` given) or off (`key` None).
pub fn audit_line(date: &str, device: &str, key: Option<&KeyMark>, kic: u32) -> String {
    match key {
        Some(KeyMark::Descriptor(d)) => format!(
            "{date}: Encryption turned on for device '{device}'. Key Descriptor: '{d}' Key Instance: {kic}\n"
        ),
        Some(KeyMark::Checksum(c)) => format!(
            "{date}: Encryption turned on for device '{device}'. Key Checksum: {c:x} Key Instance: {kic}\n"
        ),
        None => format!("{date}: Encryption turned off for device '{device}'. Key Instance: {kic}\n"),
    }
}

/// Append `line` to the log at `path`, creating it mode 0600 and tightening it to 0600.
pub fn append(path: &Path, line: &str) -> std::io::Result<()> {
    let mut f = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)?;
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    f.write_all(line.as_bytes())
}
