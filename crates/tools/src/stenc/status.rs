//! stenc 1.0.7's status and `--detail` text (`reference/stenc.md` §3), and tapekit's
//! `--json` form of the same facts.
//!
//! Layout: a `Status for <dev>` header and 50 dashes, labels left-aligned in 25 columns,
//! continuation lines indented 25 spaces, INQUIRY fields at their fixed widths with trailing
//! spaces. Without `--detail` only `Drive Encryption:` and the drive's KAD lines are shown.
//! Numbers that 1.0.7 prints after switching its stream to hex (algorithm indexes, unknown
//! status values) are hex here too.

use std::fmt::Write as _;

use scsi_sg::encryption::{
    BlockEncryptionStatus, DataEncryptionStatus, DecryptionMode, EncryptionMode, Kad, KadType,
    NextBlockStatus, Preset,
};
use scsi_sg::StandardInquiry;

/// Width of the label column.
const LABEL: usize = 25;

/// What a status report shows.
#[derive(Debug, Clone, Copy)]
pub struct StatusReport<'a> {
    /// INQUIRY data (shown with `--detail`).
    pub inquiry: Option<&'a StandardInquiry>,
    /// The drive's Data Encryption Status page.
    pub des: &'a DataEncryptionStatus,
    /// The Next Block Encryption Status page (shown with `--detail`).
    pub nbes: Option<&'a NextBlockStatus>,
    /// `--detail`.
    pub detail: bool,
}

/// `Status for <dev>` and the dashed line.
pub fn format_header(device: &str) -> String {
    format!("Status for {device}\n{}\n", "-".repeat(50))
}

fn line(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "{label:<LABEL$}{value}");
}

fn cont(out: &mut String, value: &str) {
    line(out, "", value);
}

/// 1.0.7's name of a (enc, dec) pair: `on`, `mixed`, `rawread`, `off` or `unknown`.
pub fn drive_encryption_name(enc: EncryptionMode, dec: DecryptionMode) -> &'static str {
    Preset::from_modes(enc, dec).map_or("unknown", Preset::name)
}

/// KAD lines: `<prefix> Desc.(uKAD):` for U-KADs, `(aKAD)` for A-KADs; other types are not shown.
fn kad_lines(out: &mut String, prefix: &str, kads: &[Kad]) {
    for kad in kads {
        let tag = match kad.kad_type {
            KadType::Ukad => "uKAD",
            KadType::Akad => "aKAD",
            _ => continue,
        };
        line(out, &format!("{prefix} Key Desc.({tag}):"), &kad.text());
    }
}

/// The body after the header.
pub fn format_status(r: &StatusReport<'_>) -> String {
    let mut out = String::new();
    let des = r.des;
    if r.detail {
        if let Some(inq) = r.inquiry {
            line(&mut out, "Device Mfg:", &format!("{:<8}", inq.vendor));
            line(&mut out, "Product ID:", &format!("{:<16}", inq.product));
            line(
                &mut out,
                "Product Revision:",
                &format!("{:<4}", inq.revision),
            );
        }
    }
    line(
        &mut out,
        "Drive Encryption:",
        drive_encryption_name(des.encryption_mode, des.decryption_mode),
    );
    if r.detail {
        let (first, second) = match des.decryption_mode {
            DecryptionMode::Disable => ("Not decrypting", "Raw encrypted data not outputted"),
            DecryptionMode::Raw => ("Not decrypting", "Raw encrypted data outputted"),
            DecryptionMode::Decrypt => ("Decrypting", "Unencrypted data not outputted"),
            DecryptionMode::Mixed => ("Decrypting", "Unencrypted data outputted"),
            DecryptionMode::Reserved(v) => {
                line(
                    &mut out,
                    "Drive Output:",
                    &format!("Unknown result '0x{v:x}'"),
                );
                ("", "")
            }
        };
        if !first.is_empty() {
            line(&mut out, "Drive Output:", first);
            cont(&mut out, second);
        }
        let input = match des.encryption_mode {
            EncryptionMode::Disable => "Not encrypting".to_string(),
            EncryptionMode::Encrypt => "Encrypting".to_string(),
            other => format!("Unknown result '0x{:x}'", other.bits()),
        };
        line(&mut out, "Drive Input:", &input);
        if des.rdmd {
            cont(&mut out, "Protecting from raw read");
        }
        line(
            &mut out,
            "Key Instance Counter:",
            &des.key_instance_counter.to_string(),
        );
        if des.algorithm_index != 0 {
            line(
                &mut out,
                "Encryption Algorithm:",
                &format!("{:x}", des.algorithm_index),
            );
        }
    }
    kad_lines(&mut out, "Drive", &des.kads);
    if let (true, Some(nbes)) = (r.detail, r.nbes) {
        volume_lines(&mut out, nbes);
    }
    out
}

fn volume_lines(out: &mut String, nbes: &NextBlockStatus) {
    if nbes.compression_status != 0 {
        line(
            out,
            "Volume Compressed:",
            &format!("Unknown result '{:x}'", nbes.compression_status),
        );
    }
    let label = "Volume Encryption:";
    match nbes.encryption_status {
        BlockEncryptionStatus::NotYetDetermined => line(out, label, "Unable to determine"),
        BlockEncryptionStatus::NotLogicalBlock => {
            line(out, label, "Logical block is not a logical block")
        }
        BlockEncryptionStatus::NotEncrypted => line(out, label, "Not encrypted"),
        BlockEncryptionStatus::Decryptable => {
            line(out, label, "Encrypted and able to decrypt");
            if nbes.rdmds {
                cont(out, "Protected from raw read");
            }
        }
        BlockEncryptionStatus::NotDecryptable => {
            line(
                out,
                label,
                "Encrypted, but unable to decrypt due to invalid key. ",
            );
            kad_lines(out, "Volume", &nbes.kads);
            if nbes.rdmds {
                cont(out, "Protected from raw read");
            }
        }
        other => line(
            out,
            label,
            &format!("Unknown result '{:x}'", status_value(other)),
        ),
    }
    if nbes.algorithm_index != 0 {
        line(
            out,
            "Volume Algorithm:",
            &format!("{:x}", nbes.algorithm_index),
        );
    }
}

/// The wire value of a block encryption status.
pub fn status_value(s: BlockEncryptionStatus) -> u8 {
    match s {
        BlockEncryptionStatus::CannotDetermine => 0,
        BlockEncryptionStatus::NotYetDetermined => 1,
        BlockEncryptionStatus::NotLogicalBlock => 2,
        BlockEncryptionStatus::NotEncrypted => 3,
        BlockEncryptionStatus::UnsupportedAlgorithm => 4,
        BlockEncryptionStatus::Decryptable => 5,
        BlockEncryptionStatus::NotDecryptable => 6,
        BlockEncryptionStatus::Reserved(v) => v,
    }
}

fn kads_json(kads: &[Kad]) -> serde_json::Value {
    kads.iter()
        .map(|k| {
            serde_json::json!({
                "type": k.kad_type.bits(),
                "authenticated": k.authenticated,
                "text": k.text(),
            })
        })
        .collect()
}

/// The same facts as JSON (tapekit's `--json`): raw mode numbers plus 1.0.7's names.
pub fn format_json(device: &str, r: &StatusReport<'_>) -> String {
    let des = r.des;
    let mut v = serde_json::json!({
        "device": device,
        "drive": {
            "encryption": drive_encryption_name(des.encryption_mode, des.decryption_mode),
            "encryption_mode": des.encryption_mode.bits(),
            "decryption_mode": des.decryption_mode.bits(),
            "algorithm_index": des.algorithm_index,
            "key_instance_counter": des.key_instance_counter,
            "protecting_from_raw_read": des.rdmd,
            "kads": kads_json(&des.kads),
        },
    });
    if let Some(inq) = r.inquiry {
        v["inquiry"] = serde_json::json!({
            "vendor": inq.vendor, "product": inq.product, "revision": inq.revision,
        });
    }
    if let Some(n) = r.nbes {
        v["volume"] = serde_json::json!({
            "logical_object_number": n.logical_object_number,
            "compression_status": n.compression_status,
            "encryption_status": status_value(n.encryption_status),
            "algorithm_index": n.algorithm_index,
            "protected_from_raw_read": n.rdmds,
            "kads": kads_json(&n.kads),
        });
    }
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
