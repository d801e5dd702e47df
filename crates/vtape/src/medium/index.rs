//! In-memory index of a medium: per partition, one entry per logical object (record or
//! filemark) plus a sorted vector of filemark object numbers.
//!
//! This gives the costs SSC positioning needs: append O(1) (WRITE, WRITE FILEMARKS), locate to
//! object N O(1) (LOCATE), space over K filemarks O(log n) (SPACE filemarks, binary search in
//! the filemark vector), bytes used up to a position O(1) (cumulative byte counts, for early
//! warning and REMAINING CAPACITY). Truncation at N (write or erase in the middle, as a tape
//! does) is O(objects removed).
//!
//! The index is serialised into checkpoint entries; see [`encode`] and [`decode`].

use super::format::{Bytes, ENTRY_HEADER_LEN, LOG_START};
use super::{MAX_METADATA_LEN, MAX_RECORD_LEN};

/// What an index entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjKind {
    /// A record.
    Record,
    /// A filemark.
    Filemark,
}

/// One logical object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Obj {
    /// File offset of the log entry holding it.
    pub offset: u64,
    /// Bytes used in the partition up to and including this object.
    pub end_bytes: u64,
    /// Record data length (0 for filemarks).
    pub data_len: u32,
    /// Record metadata length (0 for filemarks).
    pub meta_len: u16,
    /// Record or filemark.
    pub kind: ObjKind,
}

/// Index of one partition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PartIndex {
    objs: Vec<Obj>,
    filemarks: Vec<u64>,
}

impl PartIndex {
    /// Number of objects (= the end-of-data position).
    pub fn len(&self) -> u64 {
        self.objs.len() as u64
    }

    /// Object `n`, if it exists.
    pub fn get(&self, n: u64) -> Option<&Obj> {
        self.objs.get(usize::try_from(n).ok()?)
    }

    /// Discards objects `n` and later.
    pub fn truncate(&mut self, n: u64) {
        let n_usize = usize::try_from(n).unwrap_or(usize::MAX);
        self.objs.truncate(n_usize);
        let keep = self.filemarks.partition_point(|&f| f < n);
        self.filemarks.truncate(keep);
    }

    /// Bytes of record data in objects `0..n` (`n` clamped to the end of data).
    pub fn bytes_used(&self, n: u64) -> u64 {
        let n = n.min(self.len());
        match n.checked_sub(1).and_then(|i| self.get(i)) {
            Some(o) => o.end_bytes,
            None => 0,
        }
    }

    /// Appends a record stored in the entry at `offset`.
    pub fn push_record(&mut self, offset: u64, data_len: u32, meta_len: u16) {
        let end_bytes = self
            .bytes_used(self.len())
            .saturating_add(u64::from(data_len));
        self.objs.push(Obj {
            offset,
            end_bytes,
            data_len,
            meta_len,
            kind: ObjKind::Record,
        });
    }

    /// Appends one filemark stored in the entry at `offset`.
    pub fn push_filemark(&mut self, offset: u64) {
        let end_bytes = self.bytes_used(self.len());
        self.filemarks.push(self.len());
        self.objs.push(Obj {
            offset,
            end_bytes,
            data_len: 0,
            meta_len: 0,
            kind: ObjKind::Filemark,
        });
    }

    /// First filemark at object `from` or later.
    pub fn next_filemark(&self, from: u64) -> Option<u64> {
        let i = self.filemarks.partition_point(|&f| f < from);
        self.filemarks.get(i).copied()
    }

    /// Last filemark before object `before`.
    pub fn prev_filemark(&self, before: u64) -> Option<u64> {
        let i = self.filemarks.partition_point(|&f| f < before);
        i.checked_sub(1)
            .and_then(|i| self.filemarks.get(i))
            .copied()
    }

    /// Number of filemarks before object `n` (the file number of position `n`).
    pub fn filemarks_before(&self, n: u64) -> u64 {
        self.filemarks.partition_point(|&f| f < n) as u64
    }

    /// Iterates over the objects.
    pub fn objects(&self) -> impl Iterator<Item = &Obj> {
        self.objs.iter()
    }
}

/// Checkpoint payload magic.
const INDEX_MAGIC: [u8; 4] = *b"TKVI";
/// Bytes per serialised object: kind, offset, data length, metadata length.
const OBJ_LEN: usize = 1 + 8 + 4 + 2;
const KIND_RECORD: u8 = 1;
const KIND_FILEMARK: u8 = 2;

/// Serialises the index of every partition.
pub(crate) fn encode(parts: &[PartIndex]) -> Vec<u8> {
    let total: usize = parts.iter().map(|p| 8 + OBJ_LEN * p.objs.len()).sum();
    let mut out = Vec::with_capacity(5 + total);
    out.extend_from_slice(&INDEX_MAGIC);
    out.push(parts.len() as u8);
    for p in parts {
        out.extend_from_slice(&p.len().to_le_bytes());
        for o in &p.objs {
            let kind = match o.kind {
                ObjKind::Record => KIND_RECORD,
                ObjKind::Filemark => KIND_FILEMARK,
            };
            out.push(kind);
            out.extend_from_slice(&o.offset.to_le_bytes());
            out.extend_from_slice(&o.data_len.to_le_bytes());
            out.extend_from_slice(&o.meta_len.to_le_bytes());
        }
    }
    out
}

/// Parses a serialised index of `partitions` partitions whose entries all lie in
/// `LOG_START..limit` (the checkpoint's own offset). Every field is checked.
pub(crate) fn decode(
    b: &[u8],
    partitions: usize,
    limit: u64,
) -> Result<Vec<PartIndex>, &'static str> {
    let r = Bytes(b);
    let short = "index checkpoint too short";
    if b.get(..4) != Some(&INDEX_MAGIC[..]) {
        return Err("bad index checkpoint magic");
    }
    if r.u8(4).map(usize::from) != Some(partitions) {
        return Err("index checkpoint partition count mismatch");
    }
    let mut at = 5usize;
    let mut parts = Vec::with_capacity(partitions);
    for _ in 0..partitions {
        let count = r.u64(at).ok_or(short)?;
        at += 8;
        let need = usize::try_from(count)
            .ok()
            .and_then(|c| c.checked_mul(OBJ_LEN))
            .ok_or(short)?;
        if b.len().saturating_sub(at) < need {
            return Err(short);
        }
        let mut p = PartIndex::default();
        p.objs.reserve(need / OBJ_LEN);
        let mut last_offset = LOG_START;
        for _ in 0..count {
            let kind = r.u8(at).ok_or(short)?;
            let offset = r.u64(at + 1).ok_or(short)?;
            let data_len = r.u32(at + 9).ok_or(short)?;
            let meta_len = r.u16(at + 13).ok_or(short)?;
            at += OBJ_LEN;
            let end = offset
                .checked_add(ENTRY_HEADER_LEN as u64 + u64::from(data_len) + u64::from(meta_len))
                .ok_or("index entry offset overflows")?;
            if offset < last_offset || end > limit {
                return Err("index entry offset out of order or out of range");
            }
            last_offset = offset;
            match kind {
                KIND_RECORD => {
                    if data_len as usize > MAX_RECORD_LEN
                        || usize::from(meta_len) > MAX_METADATA_LEN
                    {
                        return Err("index record length out of range");
                    }
                    p.push_record(offset, data_len, meta_len);
                }
                KIND_FILEMARK if data_len == 0 && meta_len == 0 => p.push_filemark(offset),
                _ => return Err("bad index object kind"),
            }
        }
        parts.push(p);
    }
    if at != b.len() {
        return Err("trailing bytes after index checkpoint");
    }
    Ok(parts)
}
