//! What `vtape info` and `vtape dump` show, gathered from an open [`Medium`] (index only: no
//! record data is read). The structures serialize to the `--json` output as they are.

use serde::Serialize;
use vtape::medium::{Medium, ObjectKind, OpenReport};

/// `vtape info`: the cartridge and its partitions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MediumInfo {
    /// The medium file, as given.
    pub path: String,
    /// Generation name, e.g. `"LTO-9"`.
    pub generation: &'static str,
    /// Generation number (5..=9).
    pub generation_number: u8,
    /// Density code (MODE SENSE block descriptor).
    pub density_code: u8,
    /// Total capacity in bytes of record data.
    pub capacity: u64,
    /// The write-protect switch.
    pub write_protected: bool,
    /// The previous user closed the medium cleanly: the index came whole from its
    /// checkpoint, with no log to replay and no torn tail.
    pub clean: bool,
    /// How the open went.
    pub open_report: OpenReportInfo,
    /// Per partition, in order.
    pub partitions: Vec<PartitionInfo>,
}

/// [`OpenReport`] in serializable form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenReportInfo {
    /// The index came from a checkpoint.
    pub checkpoint_used: bool,
    /// Why the checkpoint was not usable, if it was damaged.
    pub checkpoint_error: Option<&'static str>,
    /// Log entries replayed after the checkpoint (or from the start).
    pub entries_scanned: u64,
    /// Bytes of a torn tail discarded (the write in flight when a writer died).
    pub discarded_tail: u64,
}

impl From<&OpenReport> for OpenReportInfo {
    fn from(r: &OpenReport) -> OpenReportInfo {
        OpenReportInfo {
            checkpoint_used: r.checkpoint_used,
            checkpoint_error: r.checkpoint_error,
            entries_scanned: r.entries_scanned,
            discarded_tail: r.discarded_tail,
        }
    }
}

impl OpenReportInfo {
    /// Nothing had to be recovered at open.
    pub fn is_clean(&self) -> bool {
        self.checkpoint_error.is_none() && self.entries_scanned == 0 && self.discarded_tail == 0
    }
}

/// One partition in `vtape info`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartitionInfo {
    /// Partition number.
    pub partition: u8,
    /// Capacity in record bytes.
    pub capacity: u64,
    /// Size of the early-warning zone at its end.
    pub early_warning_size: u64,
    /// Filemarks: the file number at end of data, as `mt status` reports it there.
    pub filemarks: u64,
    /// Data records.
    pub records: u64,
    /// Record bytes stored.
    pub bytes: u64,
    /// End of data: the logical object number after the last object (= object count).
    pub eod: u64,
    /// Record bytes that still fit.
    pub remaining: u64,
    /// End of data is inside the early-warning zone.
    pub early_warning: bool,
}

/// Gathers `vtape info` from an open medium.
pub fn medium_info(path: &str, m: &Medium) -> MediumInfo {
    let open_report = OpenReportInfo::from(m.open_report());
    let partitions = (0..m.partitions())
        .map(|p| {
            let eod = m.object_count(p);
            let filemarks = m.filemark_count_before(p, eod);
            PartitionInfo {
                partition: p,
                capacity: m.capacity(p),
                early_warning_size: m.early_warning_size(p),
                filemarks,
                records: eod.saturating_sub(filemarks),
                bytes: m.bytes_used(p, eod),
                eod,
                remaining: m.remaining(p, eod),
                early_warning: m.early_warning(p, eod),
            }
        })
        .collect();
    MediumInfo {
        path: path.to_owned(),
        generation: m.generation().name(),
        generation_number: m.generation().number(),
        density_code: m.density_code(),
        capacity: m.config().capacity,
        write_protected: m.write_protected(),
        clean: open_report.is_clean(),
        open_report,
        partitions,
    }
}

/// `vtape dump`: the layout of every partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layout {
    /// The medium file, as given.
    pub path: String,
    /// Per partition, in order.
    pub partitions: Vec<PartitionLayout>,
}

/// The layout of one partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartitionLayout {
    /// Partition number.
    pub partition: u8,
    /// End of data (object count).
    pub eod: u64,
    /// The files, in order: each ends with a filemark, except possibly the last.
    pub files: Vec<FileLayout>,
}

/// One file: the records between two filemarks (or before the first / after the last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileLayout {
    /// File number (filemarks before it).
    pub file: u64,
    /// Logical object number of its first record (or of its filemark when empty).
    pub first_object: u64,
    /// Record count.
    pub records: u64,
    /// Record bytes.
    pub bytes: u64,
    /// Records stored with metadata (e.g. an encryption key-associated data).
    pub metadata_records: u64,
    /// Record sizes, run-length compressed, in tape order.
    pub runs: Vec<Run>,
    /// Object number of the filemark that ends the file; `None` when end of data ends it.
    pub filemark: Option<u64>,
}

/// `count` consecutive records of `size` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Run {
    /// How many records.
    pub count: u64,
    /// Their length in bytes.
    pub size: u32,
}

impl FileLayout {
    fn new(file: u64, first_object: u64) -> FileLayout {
        FileLayout {
            file,
            first_object,
            records: 0,
            bytes: 0,
            metadata_records: 0,
            runs: Vec::new(),
            filemark: None,
        }
    }

    fn push_record(&mut self, size: u32, metadata_len: u16) {
        self.records += 1;
        self.bytes += u64::from(size);
        if metadata_len > 0 {
            self.metadata_records += 1;
        }
        match self.runs.last_mut() {
            Some(run) if run.size == size => run.count += 1,
            _ => self.runs.push(Run { count: 1, size }),
        }
    }
}

/// Walks the index of partition `p` (O(objects), no data read).
pub fn partition_layout(m: &Medium, p: u8) -> PartitionLayout {
    let eod = m.object_count(p);
    let mut files = Vec::new();
    let mut current = FileLayout::new(0, 0);
    for n in 0..eod {
        match m.object(p, n).map(|o| o.kind) {
            Some(ObjectKind::Record { len, metadata_len }) => {
                current.push_record(len, metadata_len);
            }
            Some(ObjectKind::Filemark) => {
                let next = FileLayout::new(current.file + 1, n + 1);
                let mut done = std::mem::replace(&mut current, next);
                done.filemark = Some(n);
                if done.records == 0 {
                    done.first_object = n;
                }
                files.push(done);
            }
            None => break,
        }
    }
    if current.records > 0 {
        files.push(current);
    }
    PartitionLayout {
        partition: p,
        eod,
        files,
    }
}

/// Gathers `vtape dump` from an open medium.
pub fn layout(path: &str, m: &Medium) -> Layout {
    Layout {
        path: path.to_owned(),
        partitions: (0..m.partitions())
            .map(|p| partition_layout(m, p))
            .collect(),
    }
}
