//! How stenc reports a failed SCSI command (`reference/stenc.md` §1.4): 1.0.7's sense block
//! with 25-column labels, extended with what 1.0.7 leaves out — the ASC/ASCQ meaning and the
//! sense-key-specific field pointer — and `ERROR: 0x<errno>` for a failed system call (with
//! the errno's text added).

use std::fmt::Write as _;

use nix::errno::Errno;
use scsi_sg::{ScsiError, Sense, SenseKey, SenseKeySpecific};

/// 1.0.7's names of the sense keys (2.0's `Recovered error` for key 1).
pub fn sense_key_name(key: SenseKey) -> &'static str {
    match key {
        SenseKey::NoSense => "No specific error",
        SenseKey::RecoveredError => "Recovered error",
        SenseKey::NotReady => "Device not ready",
        SenseKey::MediumError => "Medium Error",
        SenseKey::HardwareError => "Hardware Error",
        SenseKey::IllegalRequest => "Illegal Request",
        SenseKey::UnitAttention => "Unit Attention",
        SenseKey::DataProtect => "Data protect",
        SenseKey::BlankCheck => "Blank tape",
        other => other.name(),
    }
}

/// The sense block printed on stderr.
pub fn format_sense(sense: &Sense) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<25}{} (0x{:02x})",
        "Sense Code:",
        sense_key_name(sense.key),
        sense.key.code()
    );
    let _ = writeln!(s, "{:<25}0x{:02x}", " ASC:", sense.asc);
    let _ = writeln!(s, "{:<25}0x{:02x}", " ASCQ:", sense.ascq);
    if let Some(text) = sense.description() {
        let _ = writeln!(s, "{:<25}{}", " Meaning:", text);
    }
    match sense.key_specific {
        Some(SenseKeySpecific::Field(p)) => {
            let _ = writeln!(s, "{:<25}{}", " Field pointer:", p);
        }
        Some(other @ (SenseKeySpecific::Progress(_) | SenseKeySpecific::RetryCount(_))) => {
            let _ = writeln!(s, "{:<25}{}", " Sense-key specific:", other);
        }
        _ => {}
    }
    s
}

/// `ERROR: 0x19 (Inappropriate ioctl for device)`.
pub fn format_errno(errno: Errno) -> String {
    format!(
        "ERROR: 0x{:x} ({})\n",
        errno as i32,
        tape_io::error::strerror(errno)
    )
}

/// The stderr text for a failed command.
pub fn format_scsi_error(e: &ScsiError) -> String {
    if let Some(sense) = e.sense() {
        return format_sense(sense);
    }
    match e {
        ScsiError::Io(io) => match io.raw_os_error() {
            Some(n) => format_errno(Errno::from_raw(n)),
            None => format!("ERROR: {io}\n"),
        },
        other => format!("ERROR: {other}\n"),
    }
}
