//! `mt status`: the text mt-st 1.7 prints for a `struct mtget` (reference `mt-st.md` §6), and
//! tapekit's `mt status --json` with the same facts in machine-readable form.

use serde::Serialize;
use tape_io::density::density_name;
use tape_io::{DriveType, GmtFlags, TapeStatus};

/// The status report exactly as mt-st 1.7 prints it, final newline included.
pub fn format_status(status: &TapeStatus) -> String {
    let raw = &status.raw;
    let mut out = String::new();
    let title = match status.drive_type() {
        DriveType::Scsi1 => Some("SCSI 1"),
        DriveType::Scsi2 => Some("SCSI 2"),
        DriveType::OnStream => Some("OnStream SC-, DI-, DP-, or USB"),
        DriveType::Qic117(_) | DriveType::Ide | DriveType::Unknown(_) => None,
    };
    match title {
        Some(title) => {
            out.push_str(&format!("{title} tape drive:\n"));
            if status.drive_type() == DriveType::Scsi2 {
                out.push_str(&format!(
                    "File number={}, block number={}, partition={}.\n",
                    raw.mt_fileno,
                    raw.mt_blkno,
                    status.partition()
                ));
            } else {
                out.push_str(&format!(
                    "File number={}, block number={}.\n",
                    raw.mt_fileno, raw.mt_blkno
                ));
            }
            let code = status.density();
            out.push_str(&format!(
                "Tape block size {} bytes. Density code 0x{:x} ({}).\n",
                status.block_size(),
                code,
                density_name(code).unwrap_or("no translation")
            ));
            out.push_str(&format!(
                "Soft error count since last status={}\n",
                status.soft_errors()
            ));
        }
        None => {
            match status.drive_type() {
                DriveType::Qic117(t) => {
                    out.push_str(&format!("qic-117 drive type = 0x{:05x}\n", t & 0x1ffff))
                }
                DriveType::Ide => out.push_str("IDE-Tape (type code 0) ?\n"),
                _ => out.push_str(&format!(
                    "Unknown tape drive type (type code {})\n",
                    raw.mt_type
                )),
            }
            out.push_str(&format!(
                "File number={}, block number={}.\n",
                raw.mt_fileno, raw.mt_blkno
            ));
            out.push_str(&format!(
                "mt_resid: {}, mt_erreg: 0x{:x}\n",
                raw.mt_resid, raw.mt_erreg
            ));
            out.push_str(&format!(
                "mt_dsreg: 0x{:x}, mt_gstat: 0x{:x}\n",
                raw.mt_dsreg, raw.mt_gstat
            ));
        }
    }
    out.push_str(&format!("General status bits on ({:x}):\n", raw.mt_gstat));
    for name in status.flags().names() {
        out.push(' ');
        out.push_str(name);
    }
    out.push('\n');
    out
}

/// The density part of [`StatusJson`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DensityJson {
    /// Density code (`mt_dsreg >> 24`).
    pub code: u8,
    /// Name from the density table, `null` when the code is not in it.
    pub name: Option<&'static str>,
}

/// The general status bits part of [`StatusJson`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GstatJson {
    /// Raw `mt_gstat`.
    pub raw: i64,
    /// Names of the set GMT bits, in mt-st's order.
    pub flags: Vec<&'static str>,
}

/// `mt status --json`: the facts of `mt status`, machine-readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusJson {
    /// `scsi-1`, `scsi-2`, `onstream`, `qic-117`, `ide` or `unknown`.
    pub drive_type: &'static str,
    /// Raw `mt_type`.
    pub type_code: i64,
    /// File number, `null` when st does not know it.
    pub file: Option<u32>,
    /// Block number within the file, `null` when unknown.
    pub block: Option<u32>,
    /// Current partition (`mt_resid & 0xff`).
    pub partition: u8,
    /// Block size in bytes; 0 = variable-block mode.
    pub block_size: u32,
    /// Density code and name.
    pub density: DensityJson,
    /// Soft errors since the previous status call.
    pub soft_errors: u16,
    /// General status bits.
    pub gstat: GstatJson,
    /// A tape is loaded and ready (GMT_ONLINE).
    pub online: bool,
    /// The tape is write protected (GMT_WR_PROT).
    pub write_protected: bool,
}

impl StatusJson {
    /// Collect the facts of `status`.
    pub fn new(status: &TapeStatus) -> StatusJson {
        let drive_type = match status.drive_type() {
            DriveType::Scsi1 => "scsi-1",
            DriveType::Scsi2 => "scsi-2",
            DriveType::OnStream => "onstream",
            DriveType::Qic117(_) => "qic-117",
            DriveType::Ide => "ide",
            DriveType::Unknown(_) => "unknown",
        };
        let code = status.density();
        StatusJson {
            drive_type,
            type_code: status.raw.mt_type,
            file: status.file_number(),
            block: status.block_number(),
            partition: status.partition(),
            block_size: status.block_size(),
            density: DensityJson {
                code,
                name: density_name(code),
            },
            soft_errors: status.soft_errors(),
            gstat: GstatJson {
                raw: status.raw.mt_gstat,
                flags: status.flags().names().collect(),
            },
            online: status.flags().contains(GmtFlags::ONLINE),
            write_protected: status.flags().contains(GmtFlags::WR_PROT),
        }
    }
}

/// `mt status --json` output: one JSON object and a newline.
pub fn format_status_json(status: &TapeStatus) -> String {
    let mut text = serde_json::to_string_pretty(&StatusJson::new(status))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
