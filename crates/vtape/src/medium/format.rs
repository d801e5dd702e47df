//! Byte layouts of the medium file: fixed header, state slots and log entry headers.
//!
//! All integers are little-endian; every structure carries a CRC-32 (IEEE, as computed by
//! `crc32fast`) over its other bytes. Decoders never index unchecked: they read through
//! [`Bytes`], which returns `None` past the end. See the crate documentation, section
//! "Medium file format", for the overall file layout.

/// Size of the fixed header and of each state slot.
pub const BLOCK: usize = 4096;
/// File offset of state slot `i` (0 or 1).
pub const fn slot_offset(i: usize) -> u64 {
    (BLOCK * (1 + i)) as u64
}
/// File offset of the first log entry.
pub const LOG_START: u64 = (3 * BLOCK) as u64;
/// Offset of the CRC in the header and in a state slot (covers the bytes before it).
const BLOCK_CRC_AT: usize = BLOCK - 4;

/// Header magic.
pub const HEADER_MAGIC: [u8; 8] = *b"TKVTAPE\0";
/// State slot magic.
pub const STATE_MAGIC: [u8; 8] = *b"TKVSTATE";
/// Log entry magic.
pub const ENTRY_MAGIC: [u8; 4] = *b"TKVE";
/// Format version written by this code (2: MAM snapshot entries and the state slot's MAM
/// pointer and log start).
pub const FORMAT_VERSION: u32 = 2;
/// Oldest format version this code opens (1: no cartridge memory).
pub const OLDEST_FORMAT_VERSION: u32 = 1;
/// Size of a log entry header.
pub const ENTRY_HEADER_LEN: usize = 48;
/// Largest drive-state blob stored in a state slot.
pub const MAX_DRIVE_STATE_LEN: usize = 2048;
/// "No early-warning override" marker in the header.
const NO_EW_OVERRIDE: u64 = u64::MAX;
/// State flag: write protect tab set.
const FLAG_WRITE_PROTECT: u32 = 1;
/// Offset of the drive-state blob in a state slot.
const DRIVE_STATE_AT: usize = 80;
/// Offset of the MAM snapshot pointer in a state slot (version 2; zero in version 1 slots).
const MAM_AT: usize = DRIVE_STATE_AT + MAX_DRIVE_STATE_LEN;
/// Offset of the log start in a state slot (version 2; zero = [`LOG_START`]).
const LOG_START_AT: usize = MAM_AT + 8;

/// Little-endian reader over a byte slice that never panics.
pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
    fn arr<const N: usize>(&self, at: usize) -> Option<[u8; N]> {
        self.0.get(at..at.checked_add(N)?)?.try_into().ok()
    }
    /// Byte at `at`.
    pub fn u8(&self, at: usize) -> Option<u8> {
        self.0.get(at).copied()
    }
    /// u16 at `at`.
    pub fn u16(&self, at: usize) -> Option<u16> {
        self.arr(at).map(u16::from_le_bytes)
    }
    /// u32 at `at`.
    pub fn u32(&self, at: usize) -> Option<u32> {
        self.arr(at).map(u32::from_le_bytes)
    }
    /// u64 at `at`.
    pub fn u64(&self, at: usize) -> Option<u64> {
        self.arr(at).map(u64::from_le_bytes)
    }
}

fn put(buf: &mut [u8], at: usize, bytes: &[u8]) {
    if let Some(dst) = buf.get_mut(at..at + bytes.len()) {
        dst.copy_from_slice(bytes);
    }
}

fn seal_block(buf: &mut [u8; BLOCK]) {
    let crc = crc32fast::hash(&buf[..BLOCK_CRC_AT]);
    put(buf, BLOCK_CRC_AT, &crc.to_le_bytes());
}

fn block_crc_ok(b: &[u8]) -> bool {
    match (b.get(..BLOCK_CRC_AT), Bytes(b).u32(BLOCK_CRC_AT)) {
        (Some(body), Some(crc)) => crc32fast::hash(body) == crc,
        _ => false,
    }
}

/// The fixed header: what never changes after creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Format version of the file (1 or 2).
    pub version: u32,
    /// Generation number (5..=9).
    pub generation: u8,
    /// Density code.
    pub density: u8,
    /// Total capacity in bytes.
    pub capacity: u64,
    /// Early-warning override, if any.
    pub early_warning: Option<u64>,
}

/// Why a header did not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderError {
    /// Not our magic.
    BadMagic,
    /// Unknown version.
    Version(u32),
    /// CRC or field check failed.
    Corrupt(&'static str),
}

impl Header {
    /// Encodes the header block.
    pub fn encode(&self) -> [u8; BLOCK] {
        let mut b = [0u8; BLOCK];
        put(&mut b, 0, &HEADER_MAGIC);
        put(&mut b, 8, &self.version.to_le_bytes());
        put(&mut b, 12, &(BLOCK as u32).to_le_bytes());
        put(&mut b, 16, &[self.generation, self.density]);
        put(&mut b, 24, &self.capacity.to_le_bytes());
        let ew = self.early_warning.unwrap_or(NO_EW_OVERRIDE);
        put(&mut b, 32, &ew.to_le_bytes());
        seal_block(&mut b);
        b
    }

    /// Decodes a header block (magic, version, CRC, then field sanity).
    pub fn decode(b: &[u8]) -> Result<Header, HeaderError> {
        let r = Bytes(b);
        if b.get(..8) != Some(&HEADER_MAGIC[..]) {
            return Err(HeaderError::BadMagic);
        }
        let version = r.u32(8).ok_or(HeaderError::Corrupt("short header"))?;
        if !block_crc_ok(b) {
            return Err(HeaderError::Corrupt("header CRC mismatch"));
        }
        if !(OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&version) {
            return Err(HeaderError::Version(version));
        }
        let field = |v: Option<u64>| v.ok_or(HeaderError::Corrupt("short header"));
        if r.u32(12) != Some(BLOCK as u32) {
            return Err(HeaderError::Corrupt("unexpected header size"));
        }
        let generation = field(r.u8(16).map(u64::from))? as u8;
        let density = field(r.u8(17).map(u64::from))? as u8;
        let capacity = field(r.u64(24))?;
        let ew = field(r.u64(32))?;
        Ok(Header {
            version,
            generation,
            density,
            capacity,
            early_warning: (ew != NO_EW_OVERRIDE).then_some(ew),
        })
    }
}

/// One state slot: the mutable part of the medium description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// Sequence number; the valid slot with the highest one wins.
    pub seq: u64,
    /// Log epoch: entries of another epoch are stale (left over from before a reset).
    pub epoch: u32,
    /// Write-protect tab.
    pub write_protect: bool,
    /// Capacity of each partition (one or two entries).
    pub partitions: Vec<u64>,
    /// File offset of the last index checkpoint entry (0 = none).
    pub checkpoint: u64,
    /// Opaque drive state.
    pub drive_state: Vec<u8>,
    /// File offset of the latest MAM snapshot entry known when the slot was written (0 =
    /// none; later ones are found by the log scan).
    pub mam: u64,
    /// File offset of the first log entry of this epoch (normally [`LOG_START`]; a reset that
    /// carries the MAM over starts the log at the MAM copy until it is moved back).
    pub log_start: u64,
}

impl State {
    /// Encodes a state slot.
    pub fn encode(&self) -> [u8; BLOCK] {
        let mut b = [0u8; BLOCK];
        put(&mut b, 0, &STATE_MAGIC);
        put(&mut b, 8, &self.seq.to_le_bytes());
        put(&mut b, 16, &self.epoch.to_le_bytes());
        let flags = if self.write_protect {
            FLAG_WRITE_PROTECT
        } else {
            0
        };
        put(&mut b, 20, &flags.to_le_bytes());
        put(&mut b, 24, &[self.partitions.len() as u8]);
        for (i, cap) in self.partitions.iter().take(2).enumerate() {
            put(&mut b, 32 + 8 * i, &cap.to_le_bytes());
        }
        put(&mut b, 64, &self.checkpoint.to_le_bytes());
        let ds = &self.drive_state[..self.drive_state.len().min(MAX_DRIVE_STATE_LEN)];
        put(&mut b, 72, &(ds.len() as u16).to_le_bytes());
        put(&mut b, DRIVE_STATE_AT, ds);
        put(&mut b, MAM_AT, &self.mam.to_le_bytes());
        let log_start = if self.log_start == LOG_START {
            0
        } else {
            self.log_start
        };
        put(&mut b, LOG_START_AT, &log_start.to_le_bytes());
        seal_block(&mut b);
        b
    }

    /// Decodes a state slot; `None` if it is damaged or inconsistent with `capacity`.
    pub fn decode(b: &[u8], capacity: u64) -> Option<State> {
        let r = Bytes(b);
        if b.get(..8)? != STATE_MAGIC || !block_crc_ok(b) {
            return None;
        }
        let count = usize::from(r.u8(24)?);
        if !(1..=2).contains(&count) {
            return None;
        }
        let partitions: Vec<u64> = (0..count)
            .map(|i| r.u64(32 + 8 * i))
            .collect::<Option<_>>()?;
        let total = partitions.iter().try_fold(0u64, |a, &c| a.checked_add(c))?;
        if total != capacity || partitions.contains(&0) {
            return None;
        }
        let ds_len = usize::from(r.u16(72)?);
        if ds_len > MAX_DRIVE_STATE_LEN {
            return None;
        }
        let log_start = match r.u64(LOG_START_AT)? {
            0 => LOG_START,
            s if s < LOG_START => return None,
            s => s,
        };
        let mam = r.u64(MAM_AT)?;
        if mam != 0 && mam < log_start {
            return None;
        }
        Some(State {
            mam,
            log_start,
            seq: r.u64(8)?,
            epoch: r.u32(16)?,
            write_protect: r.u32(20)? & FLAG_WRITE_PROTECT != 0,
            partitions,
            checkpoint: r.u64(64)?,
            drive_state: b.get(DRIVE_STATE_AT..DRIVE_STATE_AT + ds_len)?.to_vec(),
        })
    }
}

/// Kind of a log entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A data record (metadata then data follow the header).
    Record = 1,
    /// `count` filemarks.
    Filemarks = 2,
    /// Erase: the partition ends at `object`.
    Erase = 3,
    /// Index checkpoint (its data is the serialised index).
    Checkpoint = 4,
    /// MAM snapshot (format version 2): its data is the whole cartridge-memory blob, its
    /// `object` field the file offset of the previous snapshot (0 = none).
    Mam = 5,
}

impl EntryKind {
    fn from_u8(v: u8) -> Option<EntryKind> {
        [
            EntryKind::Record,
            EntryKind::Filemarks,
            EntryKind::Erase,
            EntryKind::Checkpoint,
            EntryKind::Mam,
        ]
        .into_iter()
        .find(|k| *k as u8 == v)
    }
}

/// Header of one log entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryHeader {
    /// Log epoch the entry belongs to.
    pub epoch: u32,
    /// Entry kind.
    pub kind: EntryKind,
    /// Partition.
    pub partition: u8,
    /// Length of the per-record metadata that follows the header.
    pub meta_len: u32,
    /// Logical object number (in its partition) where the entry applies.
    pub object: u64,
    /// Length of the data that follows the metadata.
    pub data_len: u64,
    /// Number of filemarks (Filemarks entries), else 0.
    pub count: u32,
    /// CRC-32 of metadata followed by data.
    pub data_crc: u32,
}

impl EntryHeader {
    /// Bytes of the whole entry (header, metadata, data); `None` on overflow.
    pub fn total_len(&self) -> Option<u64> {
        (ENTRY_HEADER_LEN as u64)
            .checked_add(u64::from(self.meta_len))?
            .checked_add(self.data_len)
    }

    /// Encodes the header.
    pub fn encode(&self) -> [u8; ENTRY_HEADER_LEN] {
        let mut b = [0u8; ENTRY_HEADER_LEN];
        put(&mut b, 0, &ENTRY_MAGIC);
        put(&mut b, 4, &self.epoch.to_le_bytes());
        put(&mut b, 8, &[self.kind as u8, self.partition]);
        put(&mut b, 12, &self.meta_len.to_le_bytes());
        put(&mut b, 16, &self.object.to_le_bytes());
        put(&mut b, 24, &self.data_len.to_le_bytes());
        put(&mut b, 32, &self.count.to_le_bytes());
        put(&mut b, 36, &self.data_crc.to_le_bytes());
        let crc = crc32fast::hash(&b[..44]);
        put(&mut b, 44, &crc.to_le_bytes());
        b
    }

    /// Decodes an entry header; `Err` names what is wrong.
    pub fn decode(b: &[u8]) -> Result<EntryHeader, &'static str> {
        let r = Bytes(b);
        let short = "short entry header";
        if b.get(..4).ok_or(short)? != ENTRY_MAGIC {
            return Err("bad entry magic");
        }
        let crc = r.u32(44).ok_or(short)?;
        if crc32fast::hash(b.get(..44).ok_or(short)?) != crc {
            return Err("entry header CRC mismatch");
        }
        let kind = EntryKind::from_u8(r.u8(8).ok_or(short)?).ok_or("unknown entry kind")?;
        Ok(EntryHeader {
            epoch: r.u32(4).ok_or(short)?,
            kind,
            partition: r.u8(9).ok_or(short)?,
            meta_len: r.u32(12).ok_or(short)?,
            object: r.u64(16).ok_or(short)?,
            data_len: r.u64(24).ok_or(short)?,
            count: r.u32(32).ok_or(short)?,
            data_crc: r.u32(36).ok_or(short)?,
        })
    }
}
