//! `--stats-json FILE`: what a run did, for benchmarks (`bench/tapetar.sh`) and tests.
//!
//! `create`: `bytes` (archive bytes written), `records`, `files` (regular files),
//! `data_bytes` (file bytes read and hashed), `members`, `elapsed_s` (wall time of the
//! pipeline), `hash_s` (seconds spent inside SHA-256, timed by the archive writer around each
//! update, so `data_bytes / hash_s` is the hash rate), `producer_user_s` and `producer_sys_s`
//! (user and system CPU time of the reading and hashing thread: hashing, tar formatting,
//! copying into the buffer; file reads and page faults),
//! `times_empty` (ring underruns: shoe-shining risk), `times_full`,
//! `max_fill_percent`, `early_warning`, `tape_file` and `first_lba` (null off tape).
//!
//! `extract`: `records_read`, `located` (how the tape was positioned, or null),
//! `members_extracted`.

use std::path::Path;
use std::time::Duration;

use nix::sys::resource::{getrusage, UsageWho};
use nix::sys::time::TimeVal;
use serde::Serialize;

use super::error::Failure;

/// Statistics of one `create`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CreateStats {
    /// Archive bytes the output accepted.
    pub bytes: u64,
    /// Records written.
    pub records: u64,
    /// Regular file members.
    pub files: u64,
    /// Bytes of file data read and hashed.
    pub data_bytes: u64,
    /// Members (label not counted).
    pub members: u64,
    /// Wall time of the pipeline in seconds.
    pub elapsed_s: f64,
    /// Seconds spent computing SHA-256 (timed around each update by the archive writer).
    pub hash_s: f64,
    /// User CPU seconds of the reading/hashing thread.
    pub producer_user_s: f64,
    /// System CPU seconds of the reading/hashing thread (reads, page faults).
    pub producer_sys_s: f64,
    /// Ring underruns after the writer started.
    pub times_empty: u64,
    /// Times the producer found the ring full.
    pub times_full: u64,
    /// Largest ring fill in percent.
    pub max_fill_percent: f64,
    /// Record number at which the tape reported early warning.
    pub early_warning: Option<u64>,
    /// Tape file number of the archive.
    pub tape_file: Option<u64>,
    /// Logical block address of the archive's first record.
    pub first_lba: Option<u64>,
}

/// How `extract --index` positioned the tape.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Located {
    /// `locate` (MTSEEK to an LBA) or `space` (rewind, MTFSF, MTFSR).
    pub method: String,
    /// The LBA sought, for `locate`.
    pub lba: Option<u64>,
    /// Tape file spaced to, for `space`.
    pub tape_file: Option<u64>,
    /// Record within the archive the member starts in.
    pub record: u64,
}

/// Statistics of one `extract`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExtractStats {
    /// Records (reads) that returned data.
    pub records_read: u64,
    /// Positioning done per member (empty without `--index`).
    pub located: Vec<Located>,
    /// Members extracted.
    pub members_extracted: u64,
}

/// Writes `value` as JSON to `path`.
pub fn write_json(path: &Path, value: &impl Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::fatal(format!("statistics: {e}")))?;
    std::fs::write(path, text + "\n")
        .map_err(|e| Failure::fatal(format!("{}: Cannot write: {e}", path.display())))
}

fn duration(t: TimeVal) -> Duration {
    let secs = u64::try_from(t.tv_sec()).unwrap_or(0);
    let micros = u32::try_from(t.tv_usec()).unwrap_or(0);
    Duration::from_secs(secs) + Duration::from_micros(u64::from(micros))
}

/// CPU time (user, system) of the calling thread so far.
pub fn thread_cpu() -> (Duration, Duration) {
    match getrusage(UsageWho::RUSAGE_THREAD) {
        Ok(u) => (duration(u.user_time()), duration(u.system_time())),
        Err(_) => (Duration::ZERO, Duration::ZERO),
    }
}
