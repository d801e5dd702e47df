//! The cartridge: a `.vtape` medium file with records, filemarks and end of data in one or two
//! partitions (SSC-4 §4.2 "sequential-access device model": logical objects, filemarks, EOD,
//! partitions, early warning and end of partition).
//!
//! A [`Medium`] knows nothing about SCSI: positions are `(partition, object number)` pairs and
//! the `Drive` keeps the current position itself (in the opaque drive-state blob stored here).
//! The on-disk layout is described in the crate documentation ("Medium file format").

mod config;
mod error;
mod format;
mod index;
mod log;
mod mam;
mod source;
mod write;

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use nix::fcntl::{Flock, FlockArg};

pub use config::{
    early_warning_size, lto_density_code, FormatSize, Generation, MediumConfig, EARLY_WARNING_MAX,
    EARLY_WARNING_MIN, MIN_PARTITION_SIZE,
};
pub use error::{MediumError, Result};
pub use format::{FORMAT_VERSION, MAX_DRIVE_STATE_LEN, OLDEST_FORMAT_VERSION};
pub use mam::MAX_MAM_LEN;

use format::{Header, State};
use index::{ObjKind, PartIndex};

/// Largest record: the largest 24-bit SSC transfer length.
pub const MAX_RECORD_LEN: usize = 0x00FF_FFFF;
/// Largest per-record metadata (e.g. an encryption KAD).
pub const MAX_METADATA_LEN: usize = 1024;
/// Filemarks stored in one log entry (longer runs take several entries).
pub const MAX_FILEMARKS_PER_ENTRY: u32 = 256;

/// What a logical object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    /// A data record.
    Record {
        /// Data length in bytes.
        len: u32,
        /// Length of its metadata.
        metadata_len: u16,
    },
    /// A filemark.
    Filemark,
}

/// Description of one logical object, from the index (no I/O).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectInfo {
    /// Record or filemark.
    pub kind: ObjectKind,
    /// Record bytes in the partition before this object.
    pub bytes_before: u64,
}

/// Result of [`Medium::read_record`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRead {
    /// Full length of the record (may exceed the buffer).
    pub len: usize,
    /// Bytes copied into the buffer: `min(len, buf.len())`.
    pub copied: usize,
    /// The metadata stored with the record (empty if none).
    pub metadata: Vec<u8>,
}

/// Result of a successful write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteStatus {
    /// The partition's end of data is now inside the early-warning zone.
    pub early_warning: bool,
    /// Record bytes used in the partition after the write.
    pub bytes_used: u64,
}

/// How the last open went (for diagnostics; nothing here is an error).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenReport {
    /// The index came from a checkpoint.
    pub checkpoint_used: bool,
    /// The checkpoint was damaged and the whole log was scanned instead.
    pub checkpoint_error: Option<&'static str>,
    /// Log entries scanned after the checkpoint (or from the start).
    pub entries_scanned: u64,
    /// Bytes of a torn or stale tail that were discarded.
    pub discarded_tail: u64,
    /// The latest MAM snapshot was damaged and an older one (or none) was used.
    pub mam_fallback: bool,
}

/// An open cartridge file, held exclusively (`flock`) by this handle.
///
/// ```
/// use vtape::medium::{Generation, Medium, MediumConfig};
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("a.vtape");
/// let cfg = MediumConfig::new(Generation::Lto5).with_capacity(64 << 20);
/// let mut m = Medium::create(&path, &cfg)?;
/// m.write_record(0, 0, b"hello", &[])?;
/// m.write_filemarks(0, 1, 1)?;
/// m.close()?;
///
/// let m = Medium::open(&path)?;
/// assert_eq!(m.object_count(0), 2);
/// let mut buf = [0u8; 16];
/// let r = m.read_record(0, 0, &mut buf)?;
/// assert_eq!(&buf[..r.copied], b"hello");
/// assert_eq!(m.next_filemark(0, 0), Some(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Medium {
    file: Flock<File>,
    path: PathBuf,
    header: Header,
    generation: Generation,
    state: State,
    slot: usize,
    parts: Vec<PartIndex>,
    log_end: u64,
    /// Log bytes and entries written since the last checkpoint.
    unsaved_bytes: u64,
    unsaved_entries: u64,
    last_checkpoint_len: u64,
    report: OpenReport,
    closed: bool,
    /// The cartridge memory blob (latest valid snapshot).
    mam: Option<Vec<u8>>,
    /// Why the recorded snapshots could not be used (when `mam` is `None`).
    mam_error: Option<&'static str>,
}

fn lock(file: File) -> Result<Flock<File>> {
    Flock::lock(file, FlockArg::LockExclusiveNonblock).map_err(|(_, errno)| match errno {
        nix::errno::Errno::EWOULDBLOCK => MediumError::Busy,
        e => MediumError::Io(e.into()),
    })
}

impl Medium {
    /// Creates (or replaces) a blank medium at `path`. Fails with `Busy` if another handle
    /// holds the file; the old contents are only discarded once the lock is held.
    pub fn create(path: impl AsRef<Path>, config: &MediumConfig) -> Result<Medium> {
        config.validate()?;
        let partitions = config.partitions.layout(config.capacity)?;
        let path = path.as_ref();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        let file = lock(file)?;
        file.set_len(0)?;
        let generation = config.generation;
        let header = Header {
            version: format::FORMAT_VERSION,
            generation: generation.number(),
            density: generation.density_code(),
            capacity: config.capacity,
            early_warning: config.early_warning,
        };
        source::write_parts_at(&file, &[&header.encode()], 0)?;
        let state = State {
            seq: 0,
            epoch: 0,
            write_protect: config.write_protect,
            partitions,
            checkpoint: 0,
            drive_state: Vec::new(),
            mam: 0,
            log_start: format::LOG_START,
        };
        let mut m = Medium {
            file,
            path: path.to_path_buf(),
            header,
            generation,
            parts: vec![PartIndex::default(); state.partitions.len()],
            state,
            slot: 1,
            log_end: format::LOG_START,
            unsaved_bytes: 0,
            unsaved_entries: 0,
            last_checkpoint_len: 0,
            report: OpenReport::default(),
            closed: false,
            mam: None,
            mam_error: None,
        };
        m.write_state()?; // slot 0
        m.write_state()?; // slot 1: both valid from the start
        Ok(m)
    }

    /// Opens an existing medium read-write, recovering from an interrupted writer: a torn
    /// entry at the end of the log is discarded. A damaged checkpoint falls back to a full
    /// scan (see [`open_report`](Self::open_report)); any other damage is an error.
    pub fn open(path: impl AsRef<Path>) -> Result<Medium> {
        let path = path.as_ref();
        let file = lock(OpenOptions::new().read(true).write(true).open(path)?)?;
        let l = log::load(&*file)?;
        let discarded_tail = l.image_len.saturating_sub(l.log_end);
        if discarded_tail > 0 {
            file.set_len(l.log_end)?;
        }
        Ok(Medium {
            file,
            path: path.to_path_buf(),
            header: l.header,
            generation: l.generation,
            state: l.state,
            slot: l.slot,
            parts: l.parts,
            log_end: l.log_end,
            unsaved_bytes: 0,
            unsaved_entries: l.entries_scanned,
            last_checkpoint_len: l.checkpoint_len,
            report: OpenReport {
                checkpoint_used: l.checkpoint_used,
                checkpoint_error: l.checkpoint_error,
                entries_scanned: l.entries_scanned,
                discarded_tail,
                mam_fallback: l.mam.fallback,
            },
            closed: false,
            mam_error: l.mam.error,
            mam: l.mam.current.map(|(_, blob)| blob),
        })
    }

    /// Path of the medium file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How the last open went.
    pub fn open_report(&self) -> &OpenReport {
        &self.report
    }

    /// The configuration the medium has now (current partitioning and write protect).
    pub fn config(&self) -> MediumConfig {
        let partitions = match self.state.partitions.as_slice() {
            [_, p1] => FormatSize::Partition1(*p1),
            _ => FormatSize::Single,
        };
        MediumConfig {
            generation: self.generation,
            capacity: self.header.capacity,
            early_warning: self.header.early_warning,
            partitions,
            write_protect: self.state.write_protect,
        }
    }

    /// Cartridge generation.
    pub fn generation(&self) -> Generation {
        self.generation
    }

    /// Density code of the medium.
    pub fn density_code(&self) -> u8 {
        self.header.density
    }

    /// Number of partitions (1 or 2).
    pub fn partitions(&self) -> u8 {
        self.parts.len() as u8
    }

    /// Whether the write-protect tab is set.
    pub fn write_protected(&self) -> bool {
        self.state.write_protect
    }

    fn part(&self, p: u8) -> Option<&PartIndex> {
        self.parts.get(usize::from(p))
    }

    /// Number of objects in partition `p` (= its end-of-data position); 0 if no such partition.
    pub fn object_count(&self, p: u8) -> u64 {
        self.part(p).map_or(0, PartIndex::len)
    }

    /// Object `n` of partition `p`, or `None` at or after end of data.
    pub fn object(&self, p: u8, n: u64) -> Option<ObjectInfo> {
        let part = self.part(p)?;
        let o = part.get(n)?;
        let kind = match o.kind {
            ObjKind::Record => ObjectKind::Record {
                len: o.data_len,
                metadata_len: o.meta_len,
            },
            ObjKind::Filemark => ObjectKind::Filemark,
        };
        Some(ObjectInfo {
            kind,
            bytes_before: part.bytes_used(n),
        })
    }

    /// Reads record `n` of partition `p`: copies `min(len, buf.len())` bytes into `buf` and
    /// reports the full length and the metadata. The whole record is checked against its CRC;
    /// damage gives `CorruptRecord` for this record only.
    pub fn read_record(&self, p: u8, n: u64, buf: &mut [u8]) -> Result<RecordRead> {
        let part = self.part(p).ok_or(MediumError::NoSuchPartition(p))?;
        let obj = part.get(n).ok_or(MediumError::BeyondEndOfData {
            partition: p,
            object: n,
            eod: part.len(),
        })?;
        let f = log::read_record_at(&*self.file, self.state.epoch, p, n, obj, buf)?;
        Ok(RecordRead {
            len: f.len,
            copied: f.copied,
            metadata: f.metadata,
        })
    }

    /// Reads only the metadata of record `n` of partition `p`, without its data: the entry
    /// header is checked (its CRC and against the index; damage gives `CorruptRecord`), the
    /// data CRC is not (a full [`Medium::read_record`] reports damaged data).
    pub fn read_record_metadata(&self, p: u8, n: u64) -> Result<Vec<u8>> {
        let part = self.part(p).ok_or(MediumError::NoSuchPartition(p))?;
        let obj = part.get(n).ok_or(MediumError::BeyondEndOfData {
            partition: p,
            object: n,
            eod: part.len(),
        })?;
        log::read_metadata_at(&*self.file, self.state.epoch, p, n, obj)
    }

    /// First filemark at object `from_n` or later in partition `p` (SPACE filemarks forward).
    pub fn next_filemark(&self, p: u8, from_n: u64) -> Option<u64> {
        self.part(p)?.next_filemark(from_n)
    }

    /// Last filemark before object `before_n` in partition `p` (SPACE filemarks backward).
    pub fn prev_filemark(&self, p: u8, before_n: u64) -> Option<u64> {
        self.part(p)?.prev_filemark(before_n)
    }

    /// Filemarks before object `n` of partition `p`: the file number of position `n`.
    pub fn filemark_count_before(&self, p: u8, n: u64) -> u64 {
        self.part(p).map_or(0, |part| part.filemarks_before(n))
    }

    /// Record bytes stored in objects `0..up_to_n` of partition `p` (clamped to end of data).
    pub fn bytes_used(&self, p: u8, up_to_n: u64) -> u64 {
        self.part(p).map_or(0, |part| part.bytes_used(up_to_n))
    }

    /// Capacity of partition `p` in record bytes (0 if no such partition).
    pub fn capacity(&self, p: u8) -> u64 {
        self.state
            .partitions
            .get(usize::from(p))
            .copied()
            .unwrap_or(0)
    }

    /// Size of the early-warning zone at the end of partition `p` (see
    /// [`early_warning_size`] for the rule).
    pub fn early_warning_size(&self, p: u8) -> u64 {
        early_warning_size(self.capacity(p), self.header.early_warning)
    }

    /// Whether position `n` of partition `p` is inside the early-warning zone (the bytes used
    /// before it exceed capacity minus the zone).
    pub fn early_warning(&self, p: u8, n: u64) -> bool {
        self.in_early_warning(p, self.bytes_used(p, n))
    }

    fn in_early_warning(&self, p: u8, used: u64) -> bool {
        used > self.capacity(p).saturating_sub(self.early_warning_size(p))
    }

    /// Record bytes that still fit after position `n` of partition `p`.
    pub fn remaining(&self, p: u8, n: u64) -> u64 {
        self.capacity(p).saturating_sub(self.bytes_used(p, n))
    }

    /// The drive-state blob last stored with [`set_drive_state`](Self::set_drive_state).
    pub fn drive_state(&self) -> &[u8] {
        &self.state.drive_state
    }
}

/// Summary of a medium image, from [`check_bytes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Cartridge generation.
    pub generation: Generation,
    /// Object count per partition.
    pub objects: Vec<u64>,
    /// Filemark count per partition.
    pub filemarks: Vec<u64>,
    /// Record bytes per partition.
    pub bytes: Vec<u64>,
    /// Write-protect tab.
    pub write_protect: bool,
    /// How the open went (checkpoint, torn tail).
    pub report: OpenReport,
    /// Records whose stored bytes are damaged, as `(partition, object)`.
    pub bad_records: Vec<(u8, u64)>,
    /// Length of the cartridge memory blob in use (`None`: no valid MAM snapshot).
    pub mam_len: Option<usize>,
    /// Why the recorded MAM snapshots could not be used, if none could.
    pub mam_error: Option<&'static str>,
}

/// Runs the parsers of [`Medium::open`] over an in-memory image, then reads and checks every
/// record. This is the fuzzing entry point: it must return an error or a summary for any
/// input, never panic.
pub fn check_bytes(bytes: &[u8]) -> Result<Summary> {
    let l = log::load(bytes)?;
    let mut bad_records = Vec::new();
    let mut buf = Vec::new();
    for (p, part) in l.parts.iter().enumerate() {
        let p = p as u8;
        for (n, obj) in part.objects().enumerate() {
            if obj.kind != ObjKind::Record {
                continue;
            }
            buf.resize(obj.data_len as usize, 0);
            match log::read_record_at(bytes, l.state.epoch, p, n as u64, obj, &mut buf) {
                Ok(_) => {}
                Err(MediumError::CorruptRecord { .. }) => bad_records.push((p, n as u64)),
                Err(e) => return Err(e),
            }
        }
    }
    Ok(Summary {
        generation: l.generation,
        objects: l.parts.iter().map(PartIndex::len).collect(),
        filemarks: l
            .parts
            .iter()
            .map(|p| p.filemarks_before(u64::MAX))
            .collect(),
        bytes: l.parts.iter().map(|p| p.bytes_used(u64::MAX)).collect(),
        write_protect: l.state.write_protect,
        report: OpenReport {
            checkpoint_used: l.checkpoint_used,
            checkpoint_error: l.checkpoint_error,
            entries_scanned: l.entries_scanned,
            discarded_tail: l.image_len.saturating_sub(l.log_end),
            mam_fallback: l.mam.fallback,
        },
        bad_records,
        mam_len: l.mam.current.as_ref().map(|(_, blob)| blob.len()),
        mam_error: if l.mam.current.is_none() {
            l.mam.error
        } else {
            None
        },
    })
}
