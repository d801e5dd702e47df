//! stenc 1.0.7's key change audit log (`reference/stenc.md` §1.3): one line per successful
//! change appended to `/var/log/stenc` (mode 0600). The key itself is never logged: a key
//! description when there is one, else 1.0.7's checksum of the key.
//!
//! The date is the local calendar date, as 1.0.7 writes it (the `time` crate; UTC when the
//! local offset cannot be determined).

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

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

/// Today's date as `YYYY-MM-DD`, in local time as stenc 1.0.7 writes it (UTC when the local
/// offset cannot be determined).
pub fn today() -> String {
    let now = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    let d = now.date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
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
