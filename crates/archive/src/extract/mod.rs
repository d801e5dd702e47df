//! Extracting members of an archive into a directory, with GNU tar 1.34's safe defaults
//! (`reference/tar-format.md`; GNU tar manual "Extracting Archives", "Dealing with Old
//! Files", "Security"): leading `/` is removed from names, names containing `..` are
//! refused, and nothing is written through a symlink: no component below the destination
//! may be a symlink, and an existing file is never opened but replaced (with
//! [`ExtractOptions::overwrite`]) or left alone (without it, like `--keep-old-files`).
//!
//! Regular files, directories, symlinks and hard links (to a member extracted before) are
//! created; labels are skipped; device nodes and FIFOs are reported as unsupported.
//! Directory modes and mtimes are applied after the whole run, deepest first, so that a
//! read-only directory can still be filled. Symlink mtimes are not set (std has no
//! `lutimes`). Owners are restored only with [`ExtractOptions::same_owner`], numerically.
//!
//! A problem with one member (unsafe name, existing file, failed `open`) is recorded in
//! [`ExtractReport::failures`] and extraction goes on, as GNU tar does (it then exits 2); a
//! damaged or unreadable archive stops it with an [`ExtractError`].

mod path;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::info::{EntryInfo, EntryKind};
use crate::read::{ReadError, Reader};

use path::Existing;

/// Size of the copy buffer.
const CHUNK: usize = 1 << 20;
/// Permission bits kept without [`ExtractOptions::preserve_permissions`].
const PERM_BITS: u32 = 0o777;
/// Permission bits plus setuid, setgid and sticky.
const MODE_BITS: u32 = 0o7777;
/// Owner read, write and search: needed on a directory while filling it.
const OWNER_RWX: u32 = 0o700;

/// How members are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtractOptions {
    /// Apply the stored mode exactly, including setuid/setgid/sticky (`-p`,
    /// `--same-permissions`); otherwise the permission bits minus the umask.
    pub preserve_permissions: bool,
    /// Set the stored mtime on files and directories (GNU default; off = `-m`).
    pub set_mtime: bool,
    /// Replace existing non-directories (and empty directories in the way); otherwise an
    /// existing file is a failure for that member (`-k`, `--keep-old-files`).
    pub overwrite: bool,
    /// Set the stored numeric uid/gid (GNU `--same-owner`; needs privilege).
    pub same_owner: bool,
}

impl Default for ExtractOptions {
    /// Mode minus umask, mtimes set, existing files kept, owner not changed.
    fn default() -> Self {
        Self {
            preserve_permissions: false,
            set_mtime: true,
            overwrite: false,
            same_owner: false,
        }
    }
}

/// Why one member was not extracted.
#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    /// The name (or hard link target) has a `..` component.
    #[error("member name contains '..'")]
    DotDot,
    /// A directory on the way is a symlink.
    #[error("{}: refusing to follow a symlink", .0.display())]
    SymlinkInPath(PathBuf),
    /// A directory on the way is something else.
    #[error("{}: not a directory", .0.display())]
    NotADirectory(PathBuf),
    /// Something exists where the member goes and overwriting is off.
    #[error("{}: cannot open: file exists", .0.display())]
    Exists(PathBuf),
    /// A hard link names a target that is not below the destination (it is the
    /// destination itself).
    #[error("hard link target is not a member")]
    BadLinkTarget,
    /// Device node, FIFO or unknown type.
    #[error("unsupported member type {0:?}")]
    Unsupported(EntryKind),
    /// A file system call failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The path being created or changed.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

/// Why extraction stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The archive could not be read or parsed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Reading a member's data from the archive failed.
    #[error("reading data of {name}: {source}", name = String::from_utf8_lossy(.name))]
    Data {
        /// The member.
        name: Vec<u8>,
        /// The cause.
        source: io::Error,
    },
    /// The destination directory could not be created.
    #[error("{}: {source}", .path.display())]
    Dest {
        /// The destination.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

/// What [`Extractor::extract_all`] did.
#[derive(Debug, Default)]
pub struct ExtractReport {
    /// Members created (files, directories, links).
    pub extracted: u64,
    /// Bytes of file data written.
    pub bytes: u64,
    /// Members that were not extracted, and why.
    pub failures: Vec<(Vec<u8>, MemberError)>,
    /// Requested names no member matched (GNU: "Not found in archive").
    pub not_found: Vec<Vec<u8>>,
    /// Reading stopped before the end of the archive because every requested name had been
    /// extracted.
    pub stopped_early: bool,
}

impl ExtractReport {
    /// Whether nothing failed and every requested name was found.
    pub fn ok(&self) -> bool {
        self.failures.is_empty() && self.not_found.is_empty()
    }
}

/// A directory whose mode and mtime are set at the end.
#[derive(Debug)]
struct PendingDir {
    name: Vec<u8>,
    mode: u32,
    mtime: i64,
    uid: u64,
    gid: u64,
}

/// A name asked for on the command line.
#[derive(Debug)]
struct Request {
    name: Vec<u8>,
    found: bool,
    /// Matched a non-directory member exactly: nothing more can match it.
    complete: bool,
}

/// Extracts archives below one destination directory.
#[derive(Debug)]
pub struct Extractor {
    dest: PathBuf,
    options: ExtractOptions,
    pending: Vec<PendingDir>,
}

impl Extractor {
    /// An extractor into `dest` (created if missing) with default options.
    pub fn new(dest: &Path) -> Self {
        Self::with_options(dest, ExtractOptions::default())
    }

    /// An extractor into `dest` with `options`.
    pub fn with_options(dest: &Path, options: ExtractOptions) -> Self {
        Self {
            dest: dest.to_path_buf(),
            options,
            pending: Vec::new(),
        }
    }

    /// The options, to change them.
    pub fn options_mut(&mut self) -> &mut ExtractOptions {
        &mut self.options
    }

    /// Extracts the members of `reader`, all of them or those `only` names: a name selects
    /// the member of that name and, for a directory, everything below it (leading `/` and
    /// `./`, and trailing `/`, do not matter). When every requested name has matched a
    /// non-directory member, reading stops there.
    pub fn extract_all<R: Read>(
        &mut self,
        reader: &mut Reader<R>,
        only: Option<&[Vec<u8>]>,
    ) -> Result<ExtractReport, ExtractError> {
        fs::create_dir_all(&self.dest).map_err(|source| ExtractError::Dest {
            path: self.dest.clone(),
            source,
        })?;
        let mut requests: Option<Vec<Request>> = only.map(|names| {
            names
                .iter()
                .map(|n| Request {
                    name: path::normalized(n),
                    found: false,
                    complete: false,
                })
                .collect()
        });
        let mut report = ExtractReport::default();
        let mut buf = vec![0u8; CHUNK];
        let result = loop {
            let mut entry = match reader.next_entry() {
                Ok(Some(e)) => e,
                Ok(None) => break Ok(()),
                Err(e) => break Err(ExtractError::Read(e)),
            };
            let info = entry.info().clone();
            if info.kind == EntryKind::Label {
                continue;
            }
            if let Some(reqs) = requests.as_mut() {
                if !select(reqs, &info) {
                    continue;
                }
            }
            match self.extract_one(&info, &mut entry, &mut buf) {
                Ok(Ok(bytes)) => {
                    report.extracted += 1;
                    report.bytes += bytes;
                }
                Ok(Err(e)) => report.failures.push((info.name.clone(), e)),
                Err(e) => break Err(e),
            }
            if requests
                .as_ref()
                .is_some_and(|r| r.iter().all(|q| q.complete))
            {
                report.stopped_early = true;
                break Ok(());
            }
        };
        // Directory metadata is applied even after an error, as GNU tar does.
        self.finish_dirs(&mut report);
        result?;
        report.not_found = requests
            .unwrap_or_default()
            .into_iter()
            .filter(|q| !q.found)
            .map(|q| q.name)
            .collect();
        Ok(report)
    }

    /// Extracts one member. The outer error stops everything (archive unreadable), the inner
    /// one is this member's failure. Returns the bytes of data written.
    fn extract_one(
        &mut self,
        info: &EntryInfo,
        data: &mut impl Read,
        buf: &mut [u8],
    ) -> Result<Result<u64, MemberError>, ExtractError> {
        let target = match path::resolve(&self.dest, &info.name, true) {
            Ok(Some(p)) => p,
            // "./": the destination itself; its metadata is left alone.
            Ok(None) => return Ok(Ok(0)),
            Err(e) => return Ok(Err(e)),
        };
        let r = match info.kind {
            EntryKind::File => return self.write_file(info, &target, data, buf),
            EntryKind::Directory => self.make_dir(info, &target),
            EntryKind::Symlink => self.make_symlink(info, &target),
            EntryKind::HardLink => self.make_hard_link(info, &target),
            other => Err(MemberError::Unsupported(other)),
        };
        Ok(r.map(|()| 0))
    }

    fn write_file(
        &self,
        info: &EntryInfo,
        target: &Path,
        data: &mut impl Read,
        buf: &mut [u8],
    ) -> Result<Result<u64, MemberError>, ExtractError> {
        let io_err = |source| MemberError::Io {
            path: target.to_path_buf(),
            source,
        };
        if let Err(e) = path::make_room(target, self.options.overwrite) {
            return Ok(Err(e));
        }
        // O_CREAT|O_EXCL never follows a symlink, even one planted in between.
        let opened = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(info.mode & PERM_BITS)
            .open(target);
        let mut file = match opened {
            Ok(f) => f,
            Err(e) => return Ok(Err(io_err(e))),
        };
        let mut written = 0u64;
        loop {
            let n = match data.read(buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(ExtractError::Data {
                        name: info.name.clone(),
                        source,
                    })
                }
            };
            if let Err(e) = file.write_all(buf.get(..n).unwrap_or_default()) {
                return Ok(Err(io_err(e)));
            }
            written += n as u64;
        }
        Ok(self
            .apply_meta(
                &file,
                self.file_mode(info.mode),
                info.mtime,
                info.uid,
                info.gid,
            )
            .map_err(io_err)
            .map(|()| written))
    }

    fn make_dir(&mut self, info: &EntryInfo, target: &Path) -> Result<(), MemberError> {
        let io_err = |source| MemberError::Io {
            path: target.to_path_buf(),
            source,
        };
        match path::existing(target)? {
            Existing::Directory => {}
            Existing::Other if !self.options.overwrite => {
                return Err(MemberError::Exists(target.into()))
            }
            other => {
                if let Existing::Other = other {
                    fs::remove_file(target).map_err(io_err)?;
                }
                fs::DirBuilder::new()
                    .mode(info.mode & PERM_BITS)
                    .create(target)
                    .map_err(io_err)?;
            }
        }
        // The mode actually given (stored mode minus umask), unless kept exactly.
        let current = fs::symlink_metadata(target).map_err(io_err)?.mode() & MODE_BITS;
        let mode = if self.options.preserve_permissions {
            info.mode & MODE_BITS
        } else {
            current
        };
        if current & OWNER_RWX != OWNER_RWX {
            fs::set_permissions(target, fs::Permissions::from_mode(current | OWNER_RWX))
                .map_err(io_err)?;
        }
        self.pending.push(PendingDir {
            name: info.name.clone(),
            mode,
            mtime: info.mtime,
            uid: info.uid,
            gid: info.gid,
        });
        Ok(())
    }

    fn make_symlink(&self, info: &EntryInfo, target: &Path) -> Result<(), MemberError> {
        let link = info.link_target.as_deref().unwrap_or_default();
        path::make_room(target, self.options.overwrite)?;
        let io_err = |source| MemberError::Io {
            path: target.to_path_buf(),
            source,
        };
        std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(link), target).map_err(io_err)?;
        if self.options.same_owner {
            let (uid, gid) = ids(info.uid, info.gid);
            std::os::unix::fs::lchown(target, uid, gid).map_err(io_err)?;
        }
        Ok(())
    }

    fn make_hard_link(&self, info: &EntryInfo, target: &Path) -> Result<(), MemberError> {
        let link = info.link_target.as_deref().unwrap_or_default();
        // The target is resolved like a member name and must not lead through a symlink;
        // link(2) does not follow a symlink that is the target itself.
        let existing = path::resolve(&self.dest, link, false)?.ok_or(MemberError::BadLinkTarget)?;
        path::make_room(target, self.options.overwrite)?;
        fs::hard_link(&existing, target).map_err(|source| MemberError::Io {
            path: target.to_path_buf(),
            source,
        })
    }

    /// The mode to set on a file after writing it: the exact stored mode with
    /// `preserve_permissions`, else none (it was created with the mode minus umask).
    fn file_mode(&self, mode: u32) -> Option<u32> {
        self.options
            .preserve_permissions
            .then_some(mode & MODE_BITS)
    }

    /// Owner, mtime and mode of an open file or directory, in that order (chown clears
    /// setuid bits; chmod does not change the mtime).
    fn apply_meta(
        &self,
        f: &File,
        mode: Option<u32>,
        mtime: i64,
        uid: u64,
        gid: u64,
    ) -> io::Result<()> {
        if self.options.same_owner {
            let (uid, gid) = ids(uid, gid);
            std::os::unix::fs::fchown(f, uid, gid)?;
        }
        if self.options.set_mtime {
            f.set_modified(system_time(mtime))?;
        }
        if let Some(mode) = mode {
            f.set_permissions(fs::Permissions::from_mode(mode))?;
        }
        Ok(())
    }

    /// Applies directory metadata, deepest (latest) first. A directory that is no longer a
    /// real directory below the destination (replaced later in the archive) is skipped.
    fn finish_dirs(&mut self, report: &mut ExtractReport) {
        let pending = std::mem::take(&mut self.pending);
        for d in pending.iter().rev() {
            let Ok(Some(target)) = path::resolve(&self.dest, &d.name, false) else {
                continue;
            };
            let Ok(Existing::Directory) = path::existing(&target) else {
                continue;
            };
            let r = File::open(&target)
                .and_then(|f| self.apply_meta(&f, Some(d.mode), d.mtime, d.uid, d.gid));
            if let Err(source) = r {
                report.failures.push((
                    d.name.clone(),
                    MemberError::Io {
                        path: target,
                        source,
                    },
                ));
            }
        }
    }
}

/// Whether `info` is selected by `reqs`, marking the requests it satisfies.
fn select(reqs: &mut [Request], info: &EntryInfo) -> bool {
    let name = path::normalized(&info.name);
    let mut selected = false;
    for q in reqs.iter_mut() {
        let exact = name == q.name;
        let below = q.name.is_empty()
            || (name.starts_with(&q.name) && name.get(q.name.len()) == Some(&b'/'));
        if exact || below {
            selected = true;
            q.found = true;
            if exact && info.kind != EntryKind::Directory {
                q.complete = true;
            }
        }
    }
    selected
}

/// Numeric ids as the kernel takes them (out-of-range ids are left unchanged).
fn ids(uid: u64, gid: u64) -> (Option<u32>, Option<u32>) {
    (u32::try_from(uid).ok(), u32::try_from(gid).ok())
}

/// Seconds since the epoch (negative = before it) as a `SystemTime`.
fn system_time(secs: i64) -> SystemTime {
    let d = Duration::from_secs(secs.unsigned_abs());
    if secs >= 0 {
        UNIX_EPOCH.checked_add(d).unwrap_or(UNIX_EPOCH)
    } else {
        UNIX_EPOCH.checked_sub(d).unwrap_or(UNIX_EPOCH)
    }
}
