//! Cartridge memory (MAM, SPC-4 §5.x "medium auxiliary memory") kept in the medium file as
//! snapshot entries of the log (format version 2).
//!
//! The medium stores the MAM as one opaque blob (the drive decides its content). Every change
//! appends a whole new snapshot: a log entry of kind 5 whose data is the blob (CRC-protected
//! like any entry) and whose `object` field is the file offset of the previous snapshot. The
//! latest valid snapshot wins:
//!
//! - **Loading is O(1)**: the state slot names the latest snapshot known when it was written;
//!   the log scan after the index checkpoint (which runs anyway) notes any later one. Only
//!   that one entry is read.
//! - **Damage**: a snapshot whose header or data fails its checks is skipped for the previous
//!   one (its link), and [`OpenReport::mam_fallback`](super::OpenReport) says so; with no
//!   valid one left, [`Medium::mam`] reports [`MediumError::CorruptMam`]. Never a panic.
//! - **Resets** (FORMAT, rewriting from BOT: new epoch, log truncated) carry the MAM over
//!   without a window where no valid copy exists: the snapshot is first appended at the end
//!   of the old log in the new epoch (the old state sees it as a stale tail), the state slot
//!   then switches to the new epoch with the log starting *at that copy*; when there is room,
//!   a second copy plus a stale-epoch terminator is written at the usual log start, the state
//!   slot is pointed there and the file truncated after it.
//! - Version 1 files (no MAM) open with no snapshot; the first [`Medium::set_mam`] rewrites
//!   the header as version 2 (older code then refuses the file instead of misreading it).

use super::error::{MediumError, Result};
use super::format::{EntryHeader, EntryKind, State, ENTRY_HEADER_LEN, FORMAT_VERSION, LOG_START};
use super::source::{write_parts_at, Source};
use super::Medium;

/// Largest MAM blob the medium stores.
pub const MAX_MAM_LEN: usize = 64 * 1024;
/// Snapshots followed back through their links before giving up.
const MAX_FALLBACK: usize = 64;

/// What opening found of the MAM.
#[derive(Debug, Default)]
pub(crate) struct MamLoad {
    /// The latest valid snapshot: its offset and blob.
    pub current: Option<(u64, Vec<u8>)>,
    /// Why no snapshot could be used although one was recorded.
    pub error: Option<&'static str>,
    /// A damaged snapshot was skipped for an older one.
    pub fallback: bool,
}

/// Reads the snapshot at `at` (checks: header CRC, kind, epoch, bounds, data CRC). On
/// failure returns the reason and, when the header was intact, the previous snapshot's offset.
fn read_one<S: Source + ?Sized>(
    src: &S,
    state: &State,
    at: u64,
    log_end: u64,
) -> std::result::Result<Vec<u8>, (&'static str, u64)> {
    if at < state.log_start || at.saturating_add(ENTRY_HEADER_LEN as u64) > log_end {
        return Err(("MAM snapshot offset outside the log", 0));
    }
    let mut hb = [0u8; ENTRY_HEADER_LEN];
    src.read_exact_at(&mut hb, at)
        .map_err(|_| ("MAM snapshot unreadable", 0))?;
    let h = EntryHeader::decode(&hb).map_err(|why| (why, 0))?;
    if h.kind != EntryKind::Mam || h.epoch != state.epoch || h.meta_len != 0 {
        return Err(("MAM pointer does not name a MAM snapshot of this epoch", 0));
    }
    let prev = if h.object < at { h.object } else { 0 };
    let fits = usize::try_from(h.data_len).is_ok_and(|n| n <= MAX_MAM_LEN)
        && h.total_len()
            .and_then(|t| at.checked_add(t))
            .is_some_and(|end| end <= log_end);
    if !fits {
        return Err(("MAM snapshot length out of range", prev));
    }
    let mut data = vec![0u8; h.data_len as usize];
    src.read_exact_at(&mut data, at + ENTRY_HEADER_LEN as u64)
        .map_err(|_| ("MAM snapshot unreadable", prev))?;
    if crc32fast::hash(&data) != h.data_crc {
        return Err(("MAM snapshot data CRC mismatch", prev));
    }
    Ok(data)
}

/// Loads the latest valid snapshot, starting at `latest` (0 = none) and following the links
/// back past damaged ones.
pub(crate) fn load<S: Source + ?Sized>(
    src: &S,
    state: &State,
    latest: u64,
    log_end: u64,
) -> MamLoad {
    let mut out = MamLoad::default();
    let mut at = latest;
    for _ in 0..MAX_FALLBACK {
        if at == 0 {
            break;
        }
        match read_one(src, state, at, log_end) {
            Ok(data) => {
                out.current = Some((at, data));
                out.error = None;
                return out;
            }
            Err((why, prev)) => {
                out.error.get_or_insert(why);
                out.fallback = true;
                at = prev;
            }
        }
    }
    out
}

/// A MAM snapshot entry header for `blob` in `epoch`, linked to `prev`.
fn snapshot_header(epoch: u32, prev: u64, blob: &[u8]) -> EntryHeader {
    EntryHeader {
        epoch,
        kind: EntryKind::Mam,
        partition: 0,
        meta_len: 0,
        object: prev,
        data_len: blob.len() as u64,
        count: 0,
        data_crc: crc32fast::hash(blob),
    }
}

impl Medium {
    /// The cartridge memory blob: the latest valid snapshot, `None` if the cartridge has none
    /// yet (new or version 1 file). `CorruptMam` when snapshots exist but none is intact.
    pub fn mam(&self) -> Result<Option<&[u8]>> {
        match (&self.mam, self.mam_error) {
            (Some(b), _) => Ok(Some(b)),
            (None, Some(why)) => Err(MediumError::CorruptMam(why)),
            (None, None) => Ok(None),
        }
    }

    /// Stores a new cartridge memory blob (≤ [`MAX_MAM_LEN`] bytes) as a snapshot entry (one
    /// write, no fsync; [`Medium::sync`] makes it durable). Allowed on a write-protected
    /// medium: the tab protects the tape, not the cartridge memory.
    pub fn set_mam(&mut self, blob: &[u8]) -> Result<()> {
        if blob.len() > MAX_MAM_LEN {
            return Err(MediumError::MamTooLarge(blob.len()));
        }
        if self.header.version < FORMAT_VERSION {
            let mut h = self.header;
            h.version = FORMAT_VERSION;
            write_parts_at(&self.file, &[&h.encode()], 0)?;
            self.header = h;
        }
        let h = snapshot_header(0, self.state.mam, blob);
        let offset = self.append(h, &[], blob)?;
        self.state.mam = offset;
        self.mam = Some(blob.to_vec());
        self.mam_error = None;
        Ok(())
    }

    /// Starts a new epoch whose log begins with a copy of the MAM (see the module docs for
    /// the order of writes). `partitions` is the new layout.
    pub(super) fn reset_log_keeping_mam(
        &mut self,
        partitions: Vec<u64>,
        blob: &[u8],
    ) -> Result<()> {
        let old_epoch = self.state.epoch;
        let epoch = old_epoch.wrapping_add(1);
        let head = snapshot_header(epoch, 0, blob).encode();
        let len = (ENTRY_HEADER_LEN + blob.len()) as u64;
        let x = self.log_end;
        write_parts_at(&self.file, &[&head, blob], x)?;
        self.state.epoch = epoch;
        self.state.checkpoint = 0;
        self.state.partitions = partitions;
        self.state.mam = x;
        self.state.log_start = x;
        self.write_state()?;
        self.log_end = x + len;
        if x >= LOG_START + len + ENTRY_HEADER_LEN as u64 {
            let terminator = EntryHeader {
                epoch: old_epoch,
                kind: EntryKind::Erase,
                partition: 0,
                meta_len: 0,
                object: 0,
                data_len: 0,
                count: 0,
                data_crc: crc32fast::hash(&[]),
            }
            .encode();
            write_parts_at(&self.file, &[&head, blob, &terminator], LOG_START)?;
            self.state.mam = LOG_START;
            self.state.log_start = LOG_START;
            self.write_state()?;
            self.file.set_len(LOG_START + len)?;
            self.log_end = LOG_START + len;
        }
        Ok(())
    }
}
