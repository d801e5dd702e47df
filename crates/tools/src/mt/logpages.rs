//! tapekit's `mt tapealert` and `mt volstats`: LOG SENSE over SG_IO on the tape node, through
//! scsi-sg's log module (SSC-4 §8.2.4 TapeAlert response page 12h, which reading does not
//! clear; §8.2.6 volume statistics page 17h).
//!
//! The node is opened by scsi-sg's `SgDevice` (st allows one open at a time, so the tape is
//! not opened as well). SG_IO on an st node needs CAP_SYS_RAWIO. Exit codes follow mt's:
//! 1 when the open fails, 2 when the command fails.

use nix::errno::Errno;
use scsi_sg::log::{self, flag_name, severity, Severity, TapeAlertFlags, VolumeStatistics};

use scsi_sg::ScsiError;

use super::commands::Action;
use super::run::{strerror, Output};
use super::system::System;

/// Run a log-page command on `device`; returns the exit status.
pub fn run_log_command<S: System>(
    sys: &mut S,
    device: &str,
    action: Action,
    io: &mut Output<'_>,
) -> u8 {
    let mut t = match sys.open_transport(device) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(io.err, "{device}: {}", strerror(e));
            return 1;
        }
    };
    let text = match action {
        Action::TapeAlert => log::tape_alert(&mut t).map(format_tape_alert),
        _ => log::volume_statistics(&mut t).map(|v| format_volume_statistics(&v)),
    };
    match text {
        Ok(text) => {
            let _ = io.out.write_all(text.as_bytes());
            0
        }
        Err(e) => {
            let why = match &e {
                ScsiError::Io(os) => match os.raw_os_error() {
                    Some(code) => strerror(Errno::from_raw(code)),
                    None => os.to_string(),
                },
                other => other.to_string(),
            };
            let _ = writeln!(io.err, "mt: {device}: LOG SENSE failed: {why}");
            2
        }
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Critical => "critical",
    }
}

/// `mt tapealert`: one line per set flag (`NN (0xNN) severity: name`), or a line saying none.
pub fn format_tape_alert(flags: TapeAlertFlags) -> String {
    if flags.is_empty() {
        return "No TapeAlert flags set.\n".to_string();
    }
    let mut s = String::from("TapeAlert flags set:\n");
    for n in flags.iter() {
        let name = flag_name(n).unwrap_or("(reserved)");
        s.push_str(&format!(
            "{n:3} (0x{n:02x}) {:<8} {name}\n",
            severity_word(severity(n))
        ));
    }
    s
}

/// `mt volstats`: `label: value` for each counter the page holds, then any other parameter.
pub fn format_volume_statistics(v: &VolumeStatistics) -> String {
    let counters: [(&str, Option<u64>); 27] = [
        ("Page valid", v.page_valid),
        ("Volume mounts", v.volume_mounts),
        ("Data sets written", v.data_sets_written),
        ("Write retries", v.write_retries),
        ("Unrecovered write errors", v.unrecovered_write_errors),
        ("Suspended writes", v.suspended_writes),
        ("Fatal suspended writes", v.fatal_suspended_writes),
        ("Data sets read", v.data_sets_read),
        ("Read retries", v.read_retries),
        ("Unrecovered read errors", v.unrecovered_read_errors),
        (
            "Last mount unrecovered write errors",
            v.last_mount_unrecovered_write_errors,
        ),
        (
            "Last mount unrecovered read errors",
            v.last_mount_unrecovered_read_errors,
        ),
        ("Last mount MB written", v.last_mount_mb_written),
        ("Last mount MB read", v.last_mount_mb_read),
        ("Lifetime MB written", v.lifetime_mb_written),
        ("Lifetime MB read", v.lifetime_mb_read),
        (
            "Last load write compression ratio",
            v.last_load_write_compression_ratio,
        ),
        (
            "Last load read compression ratio",
            v.last_load_read_compression_ratio,
        ),
        ("Medium mount time", v.medium_mount_time),
        ("Medium ready time", v.medium_ready_time),
        ("Total native capacity (MB)", v.total_native_capacity),
        (
            "Total used native capacity (MB)",
            v.total_used_native_capacity,
        ),
        ("Write protect", v.write_protect),
        ("WORM", v.worm),
        ("Temperature exceeded", v.temperature_exceeded),
        ("Beginning of medium passes", v.bom_passes),
        ("Middle of medium passes", v.mom_passes),
    ];
    let mut s = String::new();
    for (label, value) in counters {
        if let Some(value) = value {
            s.push_str(&format!("{label}: {value}\n"));
        }
    }
    if !v.volume_serial.is_empty() {
        s.push_str(&format!("Volume serial number: {}\n", v.volume_serial));
    }
    let texts = [
        ("Tape lot identifier", &v.tape_lot_identifier),
        ("Volume barcode", &v.volume_barcode),
        ("Volume manufacturer", &v.volume_manufacturer),
        ("Volume license code", &v.volume_license_code),
        ("Volume personality", &v.volume_personality),
    ];
    for (label, value) in texts {
        if let Some(value) = value {
            s.push_str(&format!("{label}: {value}\n"));
        }
    }
    for p in &v.other {
        let hex: Vec<String> = p.value.iter().map(|b| format!("{b:02x}")).collect();
        s.push_str(&format!("Parameter 0x{:04x}: {}\n", p.code, hex.join(" ")));
    }
    s
}
