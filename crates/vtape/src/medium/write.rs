//! Writing a medium: records, filemarks, erase, format, write protect, drive state, index
//! checkpoints and sync.
//!
//! Tape semantics (SSC-4 §4.2.5, WRITE / WRITE FILEMARKS / ERASE): writing at object N of a
//! partition first discards every object at or after N, so end of data moves to the end of
//! what was just written. A write that would pass the end of the partition is refused whole
//! (`EndOfPartition`); one that ends inside the early-warning zone succeeds and says so.
//!
//! Durability: every entry is written with one `pwritev` and no fsync, so a killed process
//! loses at most the entry in flight (the page cache survives it). [`Medium::sync`] and
//! [`Medium::close`] write a checkpoint and `fdatasync`, which also covers power loss.

use super::error::{MediumError, Result};
use super::format::{self, EntryHeader, EntryKind, ENTRY_HEADER_LEN, LOG_START};
use super::index::{self, PartIndex};
use super::source::write_parts_at;
use super::{
    FormatSize, Medium, WriteStatus, MAX_DRIVE_STATE_LEN, MAX_FILEMARKS_PER_ENTRY,
    MAX_METADATA_LEN, MAX_RECORD_LEN,
};

/// A checkpoint is written automatically once this many log bytes follow the last one…
const CHECKPOINT_MIN_BYTES: u64 = 256 << 20;
/// …and at least this many times the size of the last checkpoint (bounds its cost).
const CHECKPOINT_SIZE_FACTOR: u64 = 8;

impl Medium {
    /// Checks write protect and that `at` is a valid position (≤ end of data) of `p`.
    fn check_write(&self, p: u8, at: u64) -> Result<()> {
        if self.state.write_protect {
            return Err(MediumError::WriteProtected);
        }
        let part = self
            .parts
            .get(usize::from(p))
            .ok_or(MediumError::NoSuchPartition(p))?;
        if at > part.len() {
            return Err(MediumError::BeyondEndOfData {
                partition: p,
                object: at,
                eod: part.len(),
            });
        }
        Ok(())
    }

    /// When everything from object 0 of `p` is discarded and the other partitions are empty,
    /// the whole log is dropped and the file truncated to reclaim space.
    fn reclaim_if_rewriting(&mut self, p: u8, at: u64) -> Result<bool> {
        let others_empty = self
            .parts
            .iter()
            .enumerate()
            .all(|(i, part)| i == usize::from(p) || part.len() == 0);
        if at == 0 && others_empty {
            self.reset_log(None)?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Starts a new, empty log (new epoch, optionally a new partition layout): the state slot
    /// first, then the truncation, so a crash in between leaves only stale-epoch entries.
    /// With a cartridge memory, the new log starts with a copy of it (`mam.rs`).
    fn reset_log(&mut self, partitions: Option<Vec<u64>>) -> Result<()> {
        let layout = partitions.unwrap_or_else(|| self.state.partitions.clone());
        if let Some(blob) = self.mam.clone() {
            self.reset_log_keeping_mam(layout, &blob)?;
        } else {
            self.state.epoch = self.state.epoch.wrapping_add(1);
            self.state.checkpoint = 0;
            self.state.partitions = layout;
            self.state.mam = 0;
            self.state.log_start = LOG_START;
            self.write_state()?;
            self.file.set_len(LOG_START)?;
            self.log_end = LOG_START;
            self.mam_error = None;
        }
        self.parts = vec![PartIndex::default(); self.state.partitions.len()];
        self.unsaved_bytes = 0;
        self.unsaved_entries = 0;
        self.last_checkpoint_len = 0;
        Ok(())
    }

    /// Appends one entry at the end of the log and returns its offset.
    pub(super) fn append(&mut self, mut h: EntryHeader, meta: &[u8], data: &[u8]) -> Result<u64> {
        h.epoch = self.state.epoch;
        let head = h.encode();
        let offset = self.log_end;
        write_parts_at(&self.file, &[&head, meta, data], offset)?;
        let total = (ENTRY_HEADER_LEN + meta.len() + data.len()) as u64;
        self.log_end += total;
        self.unsaved_bytes += total;
        self.unsaved_entries += 1;
        Ok(offset)
    }

    fn maybe_checkpoint(&mut self) {
        let due = CHECKPOINT_MIN_BYTES.max(
            self.last_checkpoint_len
                .saturating_mul(CHECKPOINT_SIZE_FACTOR),
        );
        if self.unsaved_bytes >= due {
            // Best effort: the entry is already written; a failure shows again at sync().
            let _ = self.checkpoint();
        }
    }

    /// Writes a record at object `at_n` of partition `p`, discarding objects `at_n..` first.
    /// `metadata` (≤ [`MAX_METADATA_LEN`] bytes, e.g. an encryption KAD) is stored with it.
    /// Fails with `EndOfPartition`, writing nothing, if the record would pass the end.
    pub fn write_record(
        &mut self,
        p: u8,
        at_n: u64,
        data: &[u8],
        metadata: &[u8],
    ) -> Result<WriteStatus> {
        if data.len() > MAX_RECORD_LEN {
            return Err(MediumError::RecordTooLarge(data.len()));
        }
        if metadata.len() > MAX_METADATA_LEN {
            return Err(MediumError::MetadataTooLarge(metadata.len()));
        }
        self.check_write(p, at_n)?;
        let used = self.bytes_used(p, at_n).saturating_add(data.len() as u64);
        if used > self.capacity(p) {
            return Err(MediumError::EndOfPartition(p));
        }
        self.reclaim_if_rewriting(p, at_n)?;
        let mut crc = crc32fast::Hasher::new();
        crc.update(metadata);
        crc.update(data);
        let h = EntryHeader {
            epoch: 0,
            kind: EntryKind::Record,
            partition: p,
            meta_len: metadata.len() as u32,
            object: at_n,
            data_len: data.len() as u64,
            count: 0,
            data_crc: crc.finalize(),
        };
        let offset = self.append(h, metadata, data)?;
        if let Some(part) = self.parts.get_mut(usize::from(p)) {
            part.truncate(at_n);
            part.push_record(offset, data.len() as u32, metadata.len() as u16);
        }
        self.maybe_checkpoint();
        Ok(WriteStatus {
            early_warning: self.in_early_warning(p, used),
            bytes_used: used,
        })
    }

    /// Writes `count` filemarks at object `at_n` of partition `p`, discarding objects `at_n..`
    /// first. A count of 0 writes nothing and discards nothing (WRITE FILEMARKS 0 only
    /// flushes). Filemarks take no capacity.
    pub fn write_filemarks(&mut self, p: u8, at_n: u64, count: u32) -> Result<WriteStatus> {
        self.check_write(p, at_n)?;
        let used = self.bytes_used(p, at_n);
        if count > 0 {
            self.reclaim_if_rewriting(p, at_n)?;
        }
        let mut done = 0u32;
        while done < count {
            let n = (count - done).min(MAX_FILEMARKS_PER_ENTRY);
            let object = at_n + u64::from(done);
            let h = EntryHeader {
                epoch: 0,
                kind: EntryKind::Filemarks,
                partition: p,
                meta_len: 0,
                object,
                data_len: 0,
                count: n,
                data_crc: crc32fast::hash(&[]),
            };
            let offset = self.append(h, &[], &[])?;
            if let Some(part) = self.parts.get_mut(usize::from(p)) {
                part.truncate(object);
                (0..n).for_each(|_| part.push_filemark(offset));
            }
            done += n;
        }
        self.maybe_checkpoint();
        Ok(WriteStatus {
            early_warning: self.in_early_warning(p, used),
            bytes_used: used,
        })
    }

    /// Erases partition `p` from object `from_n` on: end of data moves to `from_n`.
    pub fn erase(&mut self, p: u8, from_n: u64) -> Result<()> {
        self.check_write(p, from_n)?;
        if from_n == self.object_count(p) || self.reclaim_if_rewriting(p, from_n)? {
            return Ok(());
        }
        let h = EntryHeader {
            epoch: 0,
            kind: EntryKind::Erase,
            partition: p,
            meta_len: 0,
            object: from_n,
            data_len: 0,
            count: 0,
            data_crc: crc32fast::hash(&[]),
        };
        self.append(h, &[], &[])?;
        if let Some(part) = self.parts.get_mut(usize::from(p)) {
            part.truncate(from_n);
        }
        Ok(())
    }

    /// Repartitions the medium (FORMAT MEDIUM): all data in every partition is lost.
    pub fn format(&mut self, size: FormatSize) -> Result<()> {
        if self.state.write_protect {
            return Err(MediumError::WriteProtected);
        }
        let layout = size.layout(self.header.capacity)?;
        self.reset_log(Some(layout))
    }

    /// Sets or clears the write-protect tab (allowed on a protected medium).
    pub fn set_write_protect(&mut self, on: bool) -> Result<()> {
        self.state.write_protect = on;
        self.write_state()
    }

    /// Stores the drive's opaque state blob (≤ [`MAX_DRIVE_STATE_LEN`] bytes) in the next
    /// state slot (one 4 KiB write, no fsync).
    pub fn set_drive_state(&mut self, blob: &[u8]) -> Result<()> {
        if blob.len() > MAX_DRIVE_STATE_LEN {
            return Err(MediumError::DriveStateTooLarge(blob.len()));
        }
        self.state.drive_state = blob.to_vec();
        self.write_state()
    }

    /// Writes the state into the slot not holding the current one, with the next sequence
    /// number, so a torn slot write leaves the previous state valid.
    pub(super) fn write_state(&mut self) -> Result<()> {
        self.state.seq += 1;
        let target = 1 - self.slot.min(1);
        write_parts_at(
            &self.file,
            &[&self.state.encode()],
            format::slot_offset(target),
        )?;
        self.slot = target;
        Ok(())
    }

    /// Appends an index checkpoint and points the state at it.
    fn checkpoint(&mut self) -> Result<()> {
        let data = index::encode(&self.parts);
        let h = EntryHeader {
            epoch: 0,
            kind: EntryKind::Checkpoint,
            partition: 0,
            meta_len: 0,
            object: 0,
            data_len: data.len() as u64,
            count: 0,
            data_crc: crc32fast::hash(&data),
        };
        let offset = self.append(h, &[], &data)?;
        self.state.checkpoint = offset;
        self.write_state()?;
        self.last_checkpoint_len = (ENTRY_HEADER_LEN + data.len()) as u64;
        self.unsaved_bytes = 0;
        self.unsaved_entries = 0;
        Ok(())
    }

    /// Makes everything written so far durable: checkpoint (if entries were written since the
    /// last one), then `fdatasync`.
    pub fn sync(&mut self) -> Result<()> {
        if self.unsaved_entries > 0 && !self.state.write_protect {
            self.file.sync_data()?;
            self.checkpoint()?;
        }
        self.file.sync_data()?;
        Ok(())
    }

    /// Syncs and releases the medium (and its lock).
    pub fn close(mut self) -> Result<()> {
        self.closed = true;
        self.sync()
    }
}

impl Drop for Medium {
    /// Best effort: writes a checkpoint (no fsync) unless closed already.
    fn drop(&mut self) {
        if !self.closed && self.unsaved_entries > 0 && !self.state.write_protect {
            let _ = self.checkpoint();
        }
    }
}
