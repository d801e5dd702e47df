//! Opening a medium image: header, state slots, index checkpoint and the scan of the
//! append-only entry log, plus reading one record back with its checks.
//!
//! The same code runs over a file and over an in-memory image ([`Source`]). Nothing read
//! from the image is trusted: every length is bounded by the image and by the format's
//! limits before it is used, and every failure is a [`MediumError`], never a panic.

use super::error::{MediumError, Result};
use super::format::{
    slot_offset, EntryHeader, EntryKind, Header, HeaderError, State, BLOCK, ENTRY_HEADER_LEN,
    LOG_START,
};
use super::index::{self, Obj, ObjKind, PartIndex};
use super::mam::{self, MamLoad, MAX_MAM_LEN};
use super::source::Source;
use super::{Generation, MAX_FILEMARKS_PER_ENTRY, MAX_METADATA_LEN, MAX_RECORD_LEN};

/// Everything learned by opening an image.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub header: Header,
    pub generation: Generation,
    pub state: State,
    /// Index of the slot `state` came from.
    pub slot: usize,
    pub parts: Vec<PartIndex>,
    /// End of the last valid entry: where the next entry goes.
    pub log_end: u64,
    /// Length of the image (> `log_end` when a torn or stale tail was found).
    pub image_len: u64,
    /// Why the checkpoint was not used (`None` if used or absent).
    pub checkpoint_error: Option<&'static str>,
    /// Whether the index came from a checkpoint.
    pub checkpoint_used: bool,
    /// Size of the checkpoint entry used (0 if none).
    pub checkpoint_len: u64,
    /// Entries read by the scan after the checkpoint (or from the log start).
    pub entries_scanned: u64,
    /// Offset of the last MAM snapshot entry met by the scan (0 = none).
    pub scan_mam: u64,
    /// The cartridge memory found.
    pub mam: MamLoad,
}

/// Reads and checks the header and the state slots, then builds the index.
pub(crate) fn load<S: Source + ?Sized>(src: &S) -> Result<Loaded> {
    let len = src.len()?;
    let mut hdr = vec![0u8; BLOCK.min(usize::try_from(len).unwrap_or(BLOCK))];
    src.read_exact_at(&mut hdr, 0)?;
    let header = Header::decode(&hdr).map_err(|e| match e {
        HeaderError::BadMagic if hdr.len() < 8 => MediumError::Truncated {
            expected: LOG_START,
            actual: len,
        },
        HeaderError::BadMagic => MediumError::BadMagic,
        HeaderError::Version(v) => MediumError::UnsupportedVersion(v),
        HeaderError::Corrupt(_) if len < BLOCK as u64 => MediumError::Truncated {
            expected: LOG_START,
            actual: len,
        },
        HeaderError::Corrupt(why) => MediumError::CorruptHeader(why),
    })?;
    let generation = Generation::from_number(header.generation)
        .ok_or(MediumError::CorruptHeader("unknown generation"))?;
    if generation.density_code() != header.density {
        return Err(MediumError::CorruptHeader(
            "density code does not match generation",
        ));
    }
    if header.capacity < super::config::MIN_PARTITION_SIZE {
        return Err(MediumError::CorruptHeader("capacity too small"));
    }
    if len < LOG_START {
        return Err(MediumError::Truncated {
            expected: LOG_START,
            actual: len,
        });
    }
    let mut best: Option<(usize, State)> = None;
    for i in 0..2 {
        let mut b = vec![0u8; BLOCK];
        src.read_exact_at(&mut b, slot_offset(i))?;
        if let Some(s) = State::decode(&b, header.capacity) {
            if best.as_ref().is_none_or(|(_, cur)| s.seq > cur.seq) {
                best = Some((i, s));
            }
        }
    }
    let (slot, state) = best.ok_or(MediumError::CorruptState)?;
    let log_start = state.log_start;
    let mut loaded = Loaded {
        header,
        generation,
        parts: vec![PartIndex::default(); state.partitions.len()],
        state,
        slot,
        log_end: log_start,
        image_len: len,
        checkpoint_error: None,
        checkpoint_used: false,
        checkpoint_len: 0,
        entries_scanned: 0,
        scan_mam: 0,
        mam: MamLoad::default(),
    };
    if loaded.state.checkpoint != 0 {
        match load_checkpoint(src, &loaded.state, len) {
            Ok((parts, end)) => {
                loaded.parts = parts;
                loaded.checkpoint_len = end - loaded.state.checkpoint;
                loaded.log_end = end;
                loaded.checkpoint_used = true;
            }
            Err(why) => loaded.checkpoint_error = Some(why),
        }
    }
    scan(src, &mut loaded)?;
    let latest = match loaded.scan_mam {
        0 => loaded.state.mam,
        at => at,
    };
    loaded.mam = mam::load(src, &loaded.state, latest, loaded.log_end);
    Ok(loaded)
}

/// Reads the checkpoint named by `state`; returns the index and the end of the entry.
fn load_checkpoint<S: Source + ?Sized>(
    src: &S,
    state: &State,
    len: u64,
) -> std::result::Result<(Vec<PartIndex>, u64), &'static str> {
    let at = state.checkpoint;
    if at < LOG_START || at.saturating_add(ENTRY_HEADER_LEN as u64) > len {
        return Err("checkpoint offset outside the file");
    }
    let mut hb = [0u8; ENTRY_HEADER_LEN];
    src.read_exact_at(&mut hb, at)
        .map_err(|_| "checkpoint unreadable")?;
    let h = EntryHeader::decode(&hb)?;
    if h.kind != EntryKind::Checkpoint || h.epoch != state.epoch || h.meta_len != 0 {
        return Err("checkpoint offset does not hold a checkpoint of this epoch");
    }
    let end = h
        .total_len()
        .and_then(|t| at.checked_add(t))
        .ok_or("checkpoint length overflow")?;
    if end > len {
        return Err("checkpoint runs past the end of the file");
    }
    let mut data = vec![0u8; usize::try_from(h.data_len).map_err(|_| "checkpoint too large")?];
    src.read_exact_at(&mut data, at + ENTRY_HEADER_LEN as u64)
        .map_err(|_| "checkpoint unreadable")?;
    if crc32fast::hash(&data) != h.data_crc {
        return Err("checkpoint data CRC mismatch");
    }
    let parts = index::decode(&data, state.partitions.len(), at)?;
    Ok((parts, end))
}

/// Applies the log entries from `loaded.log_end` to the end of the image. A torn entry at the
/// end (the image ends inside it) or an entry of an older epoch ends the log; any other
/// damage is an error.
fn scan<S: Source + ?Sized>(src: &S, loaded: &mut Loaded) -> Result<()> {
    let len = loaded.image_len;
    let mut pos = loaded.log_end;
    while len.saturating_sub(pos) >= ENTRY_HEADER_LEN as u64 {
        let mut hb = [0u8; ENTRY_HEADER_LEN];
        src.read_exact_at(&mut hb, pos)?;
        let corrupt = |reason| MediumError::CorruptLog {
            offset: pos,
            reason,
        };
        let h = EntryHeader::decode(&hb).map_err(corrupt)?;
        if h.epoch != loaded.state.epoch {
            break; // stale entries left by an interrupted reset
        }
        let end = match h.total_len().and_then(|t| pos.checked_add(t)) {
            Some(end) if end <= len => end,
            _ => break, // torn tail
        };
        apply(&mut loaded.parts, &h, pos).map_err(corrupt)?;
        if h.kind == EntryKind::Mam {
            loaded.scan_mam = pos;
        }
        loaded.entries_scanned += 1;
        pos = end;
    }
    loaded.log_end = pos;
    Ok(())
}

/// Applies one entry to the index after checking it against the format limits.
pub(crate) fn apply(
    parts: &mut [PartIndex],
    h: &EntryHeader,
    offset: u64,
) -> std::result::Result<(), &'static str> {
    match h.kind {
        EntryKind::Checkpoint => return Ok(()),
        EntryKind::Mam => {
            return if h.meta_len == 0 && h.count == 0 && h.data_len <= MAX_MAM_LEN as u64 {
                Ok(())
            } else {
                Err("MAM snapshot entry fields out of range")
            };
        }
        _ => {}
    }
    let p = parts
        .get_mut(usize::from(h.partition))
        .ok_or("entry names a missing partition")?;
    if h.object > p.len() {
        return Err("entry object number beyond end of data");
    }
    match h.kind {
        EntryKind::Record => {
            let data_len = u32::try_from(h.data_len).map_err(|_| "record too large")?;
            let meta_len = u16::try_from(h.meta_len).map_err(|_| "metadata too large")?;
            if data_len as usize > MAX_RECORD_LEN
                || usize::from(meta_len) > MAX_METADATA_LEN
                || h.count != 0
            {
                return Err("record entry fields out of range");
            }
            p.truncate(h.object);
            p.push_record(offset, data_len, meta_len);
        }
        EntryKind::Filemarks => {
            if h.count == 0
                || h.count > MAX_FILEMARKS_PER_ENTRY
                || h.data_len != 0
                || h.meta_len != 0
            {
                return Err("filemark entry fields out of range");
            }
            p.truncate(h.object);
            for _ in 0..h.count {
                p.push_filemark(offset);
            }
        }
        EntryKind::Erase | EntryKind::Checkpoint | EntryKind::Mam => {
            if h.data_len != 0 || h.meta_len != 0 || h.count != 0 {
                return Err("erase entry fields out of range");
            }
            p.truncate(h.object);
        }
    }
    Ok(())
}

/// What [`read_record_at`] found.
pub(crate) struct Found {
    /// Full record length.
    pub len: usize,
    /// Bytes copied into the caller's buffer.
    pub copied: usize,
    /// The record's metadata.
    pub metadata: Vec<u8>,
}

/// Reads record `object` of `partition` (index entry `obj`) into `buf`, checking the entry
/// header against the index and the data CRC over the whole record.
pub(crate) fn read_record_at<S: Source + ?Sized>(
    src: &S,
    epoch: u32,
    partition: u8,
    object: u64,
    obj: &Obj,
    buf: &mut [u8],
) -> Result<Found> {
    let bad = || MediumError::CorruptRecord { partition, object };
    if obj.kind != ObjKind::Record {
        return Err(MediumError::NotARecord { partition, object });
    }
    let len = obj.data_len as usize;
    let copied = len.min(buf.len());
    let mut head = vec![0u8; ENTRY_HEADER_LEN + usize::from(obj.meta_len)];
    let dst = buf.get_mut(..copied).ok_or_else(bad)?;
    match src.read_pair_at(&mut head, dst, obj.offset) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Err(bad()),
        Err(e) => return Err(e.into()),
    }
    let (hb, meta) = head.split_at(ENTRY_HEADER_LEN);
    let h = checked_header(hb, epoch, partition, object, obj).ok_or_else(bad)?;
    let mut crc = crc32fast::Hasher::new();
    crc.update(meta);
    crc.update(buf.get(..copied).ok_or_else(bad)?);
    if copied < len {
        let mut rest = vec![0u8; len - copied];
        let at = obj.offset + head.len() as u64 + copied as u64;
        src.read_exact_at(&mut rest, at).map_err(|_| bad())?;
        crc.update(&rest);
    }
    if crc.finalize() != h.data_crc {
        return Err(bad());
    }
    Ok(Found {
        len,
        copied,
        metadata: meta.to_vec(),
    })
}

/// Decodes the entry header in `hb` (its own CRC checked) and compares it with what the
/// index says record `object` of `partition` is; `None` when they disagree.
fn checked_header(
    hb: &[u8],
    epoch: u32,
    partition: u8,
    object: u64,
    obj: &Obj,
) -> Option<EntryHeader> {
    let h = EntryHeader::decode(hb).ok()?;
    let expected = (
        EntryKind::Record,
        partition,
        object,
        u64::from(obj.data_len),
        u32::from(obj.meta_len),
        epoch,
    );
    let found = (
        h.kind,
        h.partition,
        h.object,
        h.data_len,
        h.meta_len,
        h.epoch,
    );
    (found == expected).then_some(h)
}

/// Reads only the metadata of record `object` of `partition` (index entry `obj`): the entry
/// header is checked (its CRC, and against the index) but the data are neither read nor
/// checked, so damage in the data goes unnoticed here and is reported by a full read.
pub(crate) fn read_metadata_at<S: Source + ?Sized>(
    src: &S,
    epoch: u32,
    partition: u8,
    object: u64,
    obj: &Obj,
) -> Result<Vec<u8>> {
    let bad = || MediumError::CorruptRecord { partition, object };
    if obj.kind != ObjKind::Record {
        return Err(MediumError::NotARecord { partition, object });
    }
    let mut head = vec![0u8; ENTRY_HEADER_LEN + usize::from(obj.meta_len)];
    match src.read_exact_at(&mut head, obj.offset) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Err(bad()),
        Err(e) => return Err(e.into()),
    }
    let (hb, meta) = head.split_at(ENTRY_HEADER_LEN);
    checked_header(hb, epoch, partition, object, obj).ok_or_else(bad)?;
    Ok(meta.to_vec())
}
