//! The tar writer: GNU tar 1.34 `--format=gnu` archives (or restricted pax, see
//! [`Format::Pax`]) written in whole records, with every regular file read once and hashed
//! with SHA-256 on the way.
//!
//! Member order is the caller's (GNU tar with `--no-recursion` and an explicit name list);
//! layout follows GNU tar's `create.c`: an optional `'V'` label in block 0, then per member a
//! `'K'` entry if the link target is longer than 100 bytes, a `'L'` entry if the name is, the
//! header, the data padded to 512 bytes; at the end two zero blocks and zero padding to a whole
//! record. In pax format an `'x'` header takes the place of `'K'`/`'L'` (see `crate::pax`)
//! and the label is a global `'g'` header with `GNU.volume.label`, as GNU tar
//! `--format=posix --label` writes it.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::{self, File};
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::header::{self, HeaderFields, BLOCK_SIZE, LABEL_MAX, NAME_FIELD_SIZE};
use crate::info::{EntryInfo, EntryKind};
use crate::pax;
use crate::record::{CopyError, Records};
use crate::walk::Entry;

/// Default blocking factor: 512 blocks = 256 KiB records (`tar -b512`, `mbuffer -s 262144`).
pub const DEFAULT_BLOCKING_FACTOR: u32 = 512;

/// Largest blocking factor accepted (32 MiB records).
pub const MAX_BLOCKING_FACTOR: u32 = 65536;

/// Where member owners come from. Names are never looked up: `uname`/`gname` stay empty, as
/// with GNU tar's `--numeric-owner`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Owner {
    /// The file's own uid and gid.
    #[default]
    FromFile,
    /// The same uid and gid for every member (`--owner=UID --group=GID --numeric-owner`).
    Fixed {
        /// Owner id stored for every member.
        uid: u64,
        /// Group id stored for every member.
        gid: u64,
    },
}

/// Archive format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// GNU tar's default `--format=gnu`: `'L'`/`'K'` long names, base-256 numbers, `'V'`
    /// label of at most 99 bytes.
    #[default]
    Gnu,
    /// POSIX pax (`ustar\0` `00`), restricted like bsdtar's default: ustar headers with an
    /// `'x'` extended header only when a value does not fit; the label, of any length, as a
    /// global `'g'` header with `GNU.volume.label`.
    Pax,
}

/// Settings of a [`Writer`].
///
/// "Pinned" metadata (see [`WriterOptions::pinned`]) means the archive depends only on the
/// names, contents, types and permission bits of the files: owner and group fixed and
/// numeric, one mtime for every member, and the label's mtime given explicitly. GNU tar 1.34
/// produces the same bytes with `--format=gnu --owner=0 --group=0 --numeric-owner --mtime=@N
/// -b FACTOR --no-recursion` given the same names in the same order (its label mtime is the
/// time it started; it has no option to pin it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriterOptions {
    /// Blocks of 512 bytes per record (1..=[`MAX_BLOCKING_FACTOR`]).
    pub blocking_factor: u32,
    /// Volume label (`--label`), written in block 0: a `'V'` header of 1 to 99 bytes in gnu
    /// format, a global pax header (any length, at least 1 byte) in pax format.
    pub label: Option<String>,
    /// Label mtime in seconds since the epoch; `None` uses the current time, as GNU tar does.
    pub label_mtime: Option<u64>,
    /// Owner and group of members.
    pub owner: Owner,
    /// One mtime for every member (`--mtime=@N`); `None` keeps each file's mtime (negative
    /// mtimes are stored as 0 in gnu format, in an `'x'` header in pax format).
    pub mtime: Option<u64>,
    /// Archive format.
    pub format: Format,
}

impl Default for WriterOptions {
    fn default() -> Self {
        Self {
            blocking_factor: DEFAULT_BLOCKING_FACTOR,
            label: None,
            label_mtime: None,
            owner: Owner::FromFile,
            mtime: None,
            format: Format::Gnu,
        }
    }
}

impl WriterOptions {
    /// Pinned metadata for reproducible archives: uid/gid 0, numeric owners, every member's
    /// mtime and the label's mtime set to `mtime`, default blocking factor, no label.
    pub fn pinned(mtime: u64) -> Self {
        Self {
            owner: Owner::Fixed { uid: 0, gid: 0 },
            mtime: Some(mtime),
            label_mtime: Some(mtime),
            ..Self::default()
        }
    }
}

/// What kind of entry a member is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    /// A regular file with data.
    File,
    /// A directory (stored with a trailing `/`).
    Directory,
    /// A symbolic link (not followed).
    Symlink,
    /// A second name of a file already in the archive (same device and inode).
    HardLink,
}

/// Where a member starts in the archive.
///
/// This is the first block belonging to the member: its `'K'`/`'L'` entry (gnu) or `'x'`
/// header (pax) if it has one, else its header. (GNU tar's `-R` shows the same block except for symlinks with a long target and
/// a long name, where it shows the `'L'` entry.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 512-byte block number from the start of the archive (GNU `-R` `block N:`).
    pub block: u64,
    /// Record number from the start of the archive (tape block within the tape file).
    pub record: u64,
    /// Byte offset of the header within that record (a multiple of 512).
    pub offset: u32,
}

/// One member written to the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Name as stored in the archive (directories end with `/`).
    pub name: Vec<u8>,
    /// Entry type.
    pub kind: MemberKind,
    /// Bytes of data stored (0 for everything but regular files).
    pub size: u64,
    /// SHA-256 of the data, for regular files.
    pub sha256: Option<[u8; 32]>,
    /// Link target of symlinks and hard links.
    pub link_target: Option<Vec<u8>>,
    /// Where the member starts.
    pub position: Position,
    /// Permission bits as stored (`mode & 0o7777`).
    pub mode: u32,
    /// Owner id as stored.
    pub uid: u64,
    /// Group id as stored.
    pub gid: u64,
    /// Modification time as stored, seconds since the epoch.
    pub mtime: i64,
}

impl Member {
    /// The stored name as a path.
    pub fn path(&self) -> &Path {
        Path::new(OsStr::from_bytes(&self.name))
    }

    /// The member as a listing entry (owner names empty: numeric owners; `block` is
    /// [`Position::block`]).
    pub fn info(&self) -> EntryInfo {
        EntryInfo {
            name: self.name.clone(),
            kind: match self.kind {
                MemberKind::File => EntryKind::File,
                MemberKind::Directory => EntryKind::Directory,
                MemberKind::Symlink => EntryKind::Symlink,
                MemberKind::HardLink => EntryKind::HardLink,
            },
            mode: self.mode,
            uid: self.uid,
            gid: self.gid,
            uname: Vec::new(),
            gname: Vec::new(),
            size: self.size,
            mtime: self.mtime,
            link_target: self.link_target.clone(),
            device: None,
            block: self.position.block,
        }
    }

    /// The SHA-256 as 64 lowercase hex digits (the `sha256sum` form), for regular files.
    pub fn sha256_hex(&self) -> Option<String> {
        self.sha256.as_ref().map(crate::manifest::to_hex)
    }
}

/// What [`Writer::finish`] hands back.
#[derive(Debug)]
pub struct Finished<W> {
    /// The sink, flushed.
    pub sink: W,
    /// Records written (the archive is `records × blocking factor × 512` bytes).
    pub records: u64,
}

/// Writes a GNU tar archive in whole records to `W`.
#[derive(Debug)]
pub struct Writer<W: Write> {
    records: Records<W>,
    options: WriterOptions,
    /// The label's mtime as written, if there is a label.
    label_mtime: Option<u64>,
    /// (device, inode) of multiply linked files already stored → their archive name.
    links: HashMap<(u64, u64), Vec<u8>>,
    /// Time spent inside SHA-256 so far.
    hash_time: Duration,
}

impl<W: Write> Writer<W> {
    /// Starts an archive; the label, if any, is written first (block 0).
    pub fn new(sink: W, options: WriterOptions) -> Result<Self> {
        let bf = options.blocking_factor;
        if bf == 0 || bf > MAX_BLOCKING_FACTOR {
            return Err(Error::BlockingFactor(bf));
        }
        let mut records = Records::new(sink, bf);
        let mut label_mtime = None;
        if let Some(label) = &options.label {
            let max = match options.format {
                Format::Gnu => LABEL_MAX,
                Format::Pax => usize::MAX,
            };
            if label.is_empty() || label.len() > max || label.as_bytes().contains(&0) {
                return Err(Error::LabelLength(label.len()));
            }
            let mtime = options.label_mtime.unwrap_or_else(now);
            label_mtime = Some(mtime);
            match options.format {
                Format::Gnu => records
                    .write_block(&header::label_header(label.as_bytes(), mtime))
                    .map_err(Error::Write)?,
                Format::Pax => {
                    pax::write_label(&mut records, label.as_bytes(), mtime).map_err(Error::Write)?
                }
            }
        }
        Ok(Self {
            records,
            options,
            label_mtime,
            links: HashMap::new(),
            hash_time: Duration::ZERO,
        })
    }

    /// The label as a listing entry (block 0, kind [`EntryKind::Label`]), if there is one.
    pub fn label_info(&self) -> Option<EntryInfo> {
        let label = self.options.label.as_ref()?;
        let mtime = i64::try_from(self.label_mtime.unwrap_or(0)).unwrap_or(i64::MAX);
        Some(EntryInfo::label(label.as_bytes().to_vec(), mtime, 0))
    }

    /// Archives a walked entry (`append_path(&e.fs_path, e.name)`).
    pub fn append_entry(&mut self, e: &Entry) -> Result<Member> {
        self.append_path(&e.fs_path, Path::new(OsStr::from_bytes(&e.name)))
    }

    /// Archives `dir/name` under `name` (like `tar -C dir -cf - name`).
    pub fn append_from(&mut self, dir: &Path, name: &Path) -> Result<Member> {
        self.append_path(&dir.join(name), name)
    }

    /// Archives the file at `fs_path` under the archive name `name`, without following a
    /// symlink. Regular files are read once; their bytes go to the archive and to SHA-256.
    ///
    /// `name` is stored as given, plus a `/` for directories (GNU tar would also strip a
    /// leading `/` or `../`: pass relative names). A file with more than one link whose
    /// device and inode were already stored becomes a hard link to the first name. Errors
    /// before the header (unreadable metadata, unsupported type, unopenable file) write
    /// nothing; a read error or a shrinking file after it leaves the archive unusable.
    pub fn append_path(&mut self, fs_path: &Path, name: &Path) -> Result<Member> {
        let read_err = |source| Error::Read {
            path: fs_path.to_path_buf(),
            source,
        };
        let mut name = name.as_os_str().as_bytes().to_vec();
        if name.is_empty() || name.contains(&0) {
            return Err(Error::InvalidName(PathBuf::from(OsStr::from_bytes(&name))));
        }
        let md = fs::symlink_metadata(fs_path).map_err(read_err)?;
        let ft = md.file_type();
        let (kind, size, link_target) = if ft.is_dir() {
            if !name.ends_with(b"/") {
                name.push(b'/');
            }
            (MemberKind::Directory, 0, None)
        } else if let Some(first) = self.hard_link_of(&md) {
            (MemberKind::HardLink, 0, Some(first))
        } else if ft.is_symlink() {
            let target = fs::read_link(fs_path).map_err(read_err)?;
            let target = target.as_os_str().as_bytes().to_vec();
            (MemberKind::Symlink, 0, Some(target))
        } else if ft.is_file() {
            (MemberKind::File, md.len(), None)
        } else {
            return Err(Error::UnsupportedType(fs_path.to_path_buf()));
        };

        let position = self.position();
        let linkname = link_target.as_deref().unwrap_or(b"");
        let (uid, gid) = match self.options.owner {
            Owner::FromFile => (u64::from(md.uid()), u64::from(md.gid())),
            Owner::Fixed { uid, gid } => (uid, gid),
        };
        let typeflag = match kind {
            MemberKind::File => header::TYPE_REGULAR,
            MemberKind::Directory => header::TYPE_DIRECTORY,
            MemberKind::Symlink => header::TYPE_SYMLINK,
            MemberKind::HardLink => header::TYPE_HARD_LINK,
        };
        let mtime = match (self.options.mtime, self.options.format) {
            (Some(m), _) => i64::try_from(m).unwrap_or(i64::MAX),
            (None, Format::Pax) => md.mtime(),
            (None, Format::Gnu) => md.mtime().max(0),
        };
        let fields = HeaderFields {
            name: &name,
            mode: md.mode(),
            uid,
            gid,
            size,
            mtime: u64::try_from(mtime).unwrap_or(0),
            typeflag,
            linkname,
            uname: b"",
            gname: b"",
        };

        // Open before writing any header so that an unreadable file leaves no half member.
        let mut file = match kind {
            MemberKind::File => Some(File::open(fs_path).map_err(read_err)?),
            _ => None,
        };
        match self.options.format {
            Format::Gnu => self.write_gnu_headers(&fields)?,
            Format::Pax => pax::write_member_headers(&mut self.records, &fields, mtime)
                .map_err(Error::Write)?,
        }
        let sha256 = match file.as_mut() {
            Some(f) => Some(self.copy_file(fs_path, f, size)?),
            None => None,
        };
        if kind != MemberKind::Directory && md.nlink() > 1 && kind != MemberKind::HardLink {
            self.links.insert((md.dev(), md.ino()), name.clone());
        }
        Ok(Member {
            name,
            kind,
            size,
            sha256,
            link_target,
            position,
            mode: md.mode() & header::MODE_MASK,
            uid,
            gid,
            mtime,
        })
    }

    /// GNU format: `'K'` and `'L'` entries as needed, then the header.
    fn write_gnu_headers(&mut self, f: &HeaderFields<'_>) -> Result<()> {
        if f.linkname.len() > NAME_FIELD_SIZE {
            self.write_long(header::TYPE_LONG_LINK, f.linkname)?;
        }
        if f.name.len() > NAME_FIELD_SIZE {
            self.write_long(header::TYPE_LONG_NAME, f.name)?;
        }
        self.records
            .write_block(&header::member_header(f))
            .map_err(Error::Write)
    }

    /// Writes the end of the archive (two zero blocks, zero padding to a whole record) and
    /// returns the flushed sink.
    pub fn finish(self) -> Result<Finished<W>> {
        let mut records = self.records;
        let zero = [0u8; BLOCK_SIZE];
        records.write_block(&zero).map_err(Error::Write)?;
        records.write_block(&zero).map_err(Error::Write)?;
        let padded = records.next_position().1 > 0;
        let count = records.records() + u64::from(padded);
        let sink = records.finish().map_err(Error::Write)?;
        Ok(Finished {
            sink,
            records: count,
        })
    }

    /// Wall time spent computing SHA-256 digests so far (measured around each update), for
    /// reporting the hash rate: data bytes / this time.
    pub fn hash_time(&self) -> Duration {
        self.hash_time
    }

    /// Where the next member will start.
    pub fn position(&self) -> Position {
        let (record, offset) = self.records.next_position();
        Position {
            block: self.records.next_block(),
            record,
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
        }
    }

    fn hard_link_of(&self, md: &fs::Metadata) -> Option<Vec<u8>> {
        if md.nlink() > 1 {
            self.links.get(&(md.dev(), md.ino())).cloned()
        } else {
            None
        }
    }

    fn write_long(&mut self, typeflag: u8, long: &[u8]) -> Result<()> {
        let block = header::long_link_header(typeflag, long, b"");
        self.records.write_block(&block).map_err(Error::Write)?;
        self.records.write_bytes(long).map_err(Error::Write)?;
        self.records.write_bytes(&[0]).map_err(Error::Write)?;
        self.records.pad_block().map_err(Error::Write)
    }

    fn copy_file(&mut self, path: &Path, file: &mut File, size: u64) -> Result<[u8; 32]> {
        let mut hasher = Sha256::new();
        let mut hash_time = Duration::ZERO;
        let read = self
            .records
            .copy_from(file, size, |chunk| {
                let t = Instant::now();
                hasher.update(chunk);
                hash_time += t.elapsed();
            })
            .map_err(|e| match e {
                CopyError::Read(source) => Error::Read {
                    path: path.to_path_buf(),
                    source,
                },
                CopyError::Write(e) => Error::Write(e),
            })?;
        if read < size {
            return Err(Error::FileShrank {
                path: path.to_path_buf(),
                expected: size,
                read,
            });
        }
        self.records.pad_block().map_err(Error::Write)?;
        let t = Instant::now();
        let digest = hasher.finalize().into();
        self.hash_time += hash_time + t.elapsed();
        Ok(digest)
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
