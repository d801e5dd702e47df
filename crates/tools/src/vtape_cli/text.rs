//! The text forms of `vtape info` and `vtape dump`.

use std::fmt::Write as _;

use super::report::{FileLayout, Layout, MediumInfo, OpenReportInfo, PartitionInfo};
use crate::size::format_size;

/// `123 bytes (1.2 KiB)`.
fn bytes(n: u64) -> String {
    if n < 1024 {
        format!("{n} bytes")
    } else {
        format!("{n} bytes ({})", format_size(n))
    }
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

/// How the last close went, in words.
pub fn last_close(r: &OpenReportInfo) -> String {
    if r.is_clean() {
        return "clean".to_owned();
    }
    let mut why = Vec::new();
    if let Some(e) = r.checkpoint_error {
        why.push(format!("index checkpoint damaged ({e}), whole log scanned"));
    }
    if r.entries_scanned > 0 {
        why.push(format!(
            "{} log entries replayed since the last checkpoint",
            r.entries_scanned
        ));
    }
    if r.discarded_tail > 0 {
        why.push(format!("torn tail of {} bytes discarded", r.discarded_tail));
    }
    format!("not clean: {}", why.join("; "))
}

fn partition_info(s: &mut String, p: &PartitionInfo) {
    let _ = writeln!(s, "partition {}:", p.partition);
    let rows = [
        ("capacity", bytes(p.capacity)),
        ("early warning", bytes(p.early_warning_size)),
        ("files (filemarks)", p.filemarks.to_string()),
        ("records", p.records.to_string()),
        ("bytes", bytes(p.bytes)),
        ("end of data", format!("object {}", p.eod)),
        (
            "remaining",
            if p.early_warning {
                format!("{} (in early warning)", bytes(p.remaining))
            } else {
                bytes(p.remaining)
            },
        ),
    ];
    for (k, v) in rows {
        let _ = writeln!(s, "  {:<19}{v}", format!("{k}:"));
    }
}

/// `vtape info` as text.
pub fn info(i: &MediumInfo) -> String {
    let mut s = String::new();
    let rows = [
        ("medium", i.path.clone()),
        ("generation", i.generation.to_owned()),
        ("density code", format!("0x{:02X}", i.density_code)),
        ("capacity", bytes(i.capacity)),
        ("write protect", on_off(i.write_protected).to_owned()),
        ("last close", last_close(&i.open_report)),
        ("partitions", i.partitions.len().to_string()),
    ];
    for (k, v) in rows {
        let _ = writeln!(s, "{:<15}{v}", format!("{k}:"));
    }
    for p in &i.partitions {
        partition_info(&mut s, p);
    }
    s
}

/// One file line: `file 0: 120 records: 118 × 262144, 1 × 1024, 1 × 17`.
pub fn file_line(f: &FileLayout) -> String {
    let mut s = format!(
        "file {}: {} record{}",
        f.file,
        f.records,
        if f.records == 1 { "" } else { "s" }
    );
    if !f.runs.is_empty() {
        let runs: Vec<String> = f
            .runs
            .iter()
            .map(|r| format!("{} × {}", r.count, r.size))
            .collect();
        let _ = write!(s, ": {}", runs.join(", "));
    }
    if f.metadata_records > 0 {
        let _ = write!(s, " ({} with metadata)", f.metadata_records);
    }
    s
}

/// `vtape dump` as text.
pub fn dump(l: &Layout) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "medium: {}", l.path);
    for p in &l.partitions {
        let _ = writeln!(s, "partition {}:", p.partition);
        for f in &p.files {
            let _ = writeln!(s, "  {}", file_line(f));
            if let Some(n) = f.filemark {
                let _ = writeln!(s, "  filemark at object {n}");
            }
        }
        let _ = writeln!(s, "  end of data at object {}", p.eod);
    }
    s
}
