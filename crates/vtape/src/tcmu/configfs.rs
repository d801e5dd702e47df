//! LIO configfs setup for one TCMU tape (the layout under `/sys/kernel/config/target` of
//! `drivers/target/target_core_configfs.c`, `target_core_user.c` and
//! `loopback/tcm_loop.c`; recipe in `reference/vm-harness.md` §6):
//!
//! ```text
//! core/user_<N>/<name>/control        "dev_config=tapekit/<name>", "dev_size=<bytes>"
//! core/user_<N>/<name>/attrib/cmd_time_out
//! core/user_<N>/<name>/enable         "1"  → /dev/uioM appears
//! loopback/naa.<wwn>/tpgt_1/nexus     "naa.<initiator wwn>"  → a SCSI host appears
//! loopback/naa.<wwn>/tpgt_1/lun/lun_0/<name> → core/user_<N>/<name>   (scan: st, sg attach)
//! ```
//!
//! Every directory created and link made is recorded in a [`Guard`], which undoes them in
//! reverse order (unlink, drop the nexus, rmdir) on [`Guard::teardown`] or drop —
//! idempotently, tolerating steps that never happened or were already undone. Attribute
//! files and default groups (`attrib/`, `alua/`, …) vanish with their directory, as configfs
//! does. File-system calls go through [`Ops`] so tests can run on a temporary directory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where configfs has the target subsystem.
pub const DEFAULT_ROOT: &str = "/sys/kernel/config/target";
/// Prefix of `dev_config`: the uio name ends with `tapekit/<name>`.
pub const DEV_CONFIG_PREFIX: &str = "tapekit";
/// Highest `user_<N>` HBA index tried.
const MAX_HBA: u32 = 255;
/// The LIO OUI (00-14-05) as an NAA type 5 prefix, as targetcli generates WWNs.
const NAA_PREFIX: &str = "naa.5001405";

/// The file-system calls of the setup (configfs semantics on the real system).
pub trait Ops: Send + Sync + std::fmt::Debug {
    /// `mkdir`.
    fn mkdir(&self, path: &Path) -> std::io::Result<()> {
        std::fs::create_dir(path)
    }
    /// `rmdir` (on configfs this also removes the attributes and default groups).
    fn rmdir(&self, path: &Path) -> std::io::Result<()> {
        std::fs::remove_dir(path)
    }
    /// Writes `value` to an attribute in one `write()`.
    fn write_attr(&self, path: &Path, value: &str) -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
        let n = f.write(value.as_bytes())?;
        if n == value.len() {
            Ok(())
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::WriteZero,
                "short attribute write",
            ))
        }
    }
    /// `symlink(target, link)`.
    fn symlink(&self, target: &Path, link: &Path) -> std::io::Result<()> {
        std::os::unix::fs::symlink(target, link)
    }
    /// `unlink` of a symbolic link.
    fn unlink(&self, link: &Path) -> std::io::Result<()> {
        std::fs::remove_file(link)
    }
}

/// The real file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct SysOps;
impl Ops for SysOps {}

/// A configfs step that failed.
#[derive(Debug, thiserror::Error)]
#[error("{op} {path}: {source}{hint}")]
pub struct ConfigfsError {
    /// What was done (`mkdir`, `write`, …).
    pub op: &'static str,
    /// The configfs path.
    pub path: PathBuf,
    /// The error.
    pub source: std::io::Error,
    /// A hint about the likely cause (may be empty).
    pub hint: &'static str,
}

/// One undo step.
#[derive(Debug)]
enum Undo {
    /// Remove a directory; `shared` ones (an HBA, the fabric) may hold other users' entries
    /// and stay when not empty.
    Rmdir {
        path: PathBuf,
        shared: bool,
    },
    Unlink(PathBuf),
    /// Write `NULL` to a tcm_loop `nexus` attribute.
    DropNexus(PathBuf),
}

/// Records what was created and undoes it in reverse order.
#[derive(Debug)]
pub struct Guard {
    ops: Arc<dyn Ops>,
    undo: Vec<Undo>,
}

fn not_found(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::NotFound
}

/// `ENOTEMPTY` or `EBUSY`: a shared directory still in use.
fn busy(e: &std::io::Error) -> bool {
    use nix::errno::Errno;
    matches!(
        e.raw_os_error().map(Errno::from_raw),
        Some(Errno::ENOTEMPTY | Errno::EBUSY)
    )
}

impl Guard {
    /// An empty guard using `ops`.
    pub fn new(ops: Arc<dyn Ops>) -> Guard {
        Guard {
            ops,
            undo: Vec::new(),
        }
    }

    fn fail(
        op: &'static str,
        path: &Path,
        hint: &'static str,
    ) -> impl FnOnce(std::io::Error) -> ConfigfsError {
        let path = path.to_path_buf();
        move |source| ConfigfsError {
            op,
            path,
            source,
            hint,
        }
    }

    /// Creates `base/rel` and any missing parents below `base` (which must exist),
    /// recording each directory created. The first `shared` components of `rel` may be used
    /// by others too: teardown leaves them when they are not empty.
    pub fn mkdir_p(
        &mut self,
        base: &Path,
        rel: &Path,
        shared: usize,
        hint: &'static str,
    ) -> Result<PathBuf, ConfigfsError> {
        let mut dir = base.to_path_buf();
        for (i, part) in rel.components().enumerate() {
            dir.push(part);
            if dir.is_dir() {
                continue;
            }
            self.ops
                .mkdir(&dir)
                .map_err(Self::fail("mkdir", &dir, hint))?;
            self.undo.push(Undo::Rmdir {
                path: dir.clone(),
                shared: i < shared,
            });
        }
        Ok(dir)
    }

    /// Writes an attribute (nothing to undo).
    pub fn write(
        &mut self,
        path: &Path,
        value: &str,
        hint: &'static str,
    ) -> Result<(), ConfigfsError> {
        self.ops
            .write_attr(path, value)
            .map_err(Self::fail("write", path, hint))
    }

    /// Sets the tcm_loop nexus (undone by writing `NULL`).
    pub fn set_nexus(&mut self, path: &Path, initiator: &str) -> Result<(), ConfigfsError> {
        self.write(path, initiator, "")?;
        self.undo.push(Undo::DropNexus(path.to_path_buf()));
        Ok(())
    }

    /// Creates a symbolic link (undone by unlink).
    pub fn symlink(&mut self, target: &Path, link: &Path) -> Result<(), ConfigfsError> {
        self.ops
            .symlink(target, link)
            .map_err(Self::fail("symlink", link, ""))?;
        self.undo.push(Undo::Unlink(link.to_path_buf()));
        Ok(())
    }

    /// Undoes every recorded step, newest first. Every step is attempted; the first error
    /// is returned. Steps already undone (or whose object is gone) count as done, and
    /// calling this again does nothing.
    pub fn teardown(&mut self) -> Result<(), ConfigfsError> {
        let mut first = None;
        while let Some(step) = self.undo.pop() {
            let r = match &step {
                Undo::Rmdir { path, shared } => match self.ops.rmdir(path) {
                    Err(e) if *shared && busy(&e) => Ok(()),
                    r => r.map_err(Self::fail("rmdir", path, "")),
                },
                Undo::Unlink(p) => self.ops.unlink(p).map_err(Self::fail("unlink", p, "")),
                Undo::DropNexus(p) => self
                    .ops
                    .write_attr(p, "NULL")
                    .map_err(Self::fail("write", p, "")),
            };
            if let Err(e) = r {
                if !not_found(&e.source) && first.is_none() {
                    first = Some(e);
                }
            }
        }
        first.map_or(Ok(()), Err)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.teardown();
    }
}

/// Settings of the backstore.
#[derive(Debug, Clone)]
pub struct BackstoreConfig {
    /// Device name (a single path component: letters, digits, `_`, `-`, `.`).
    pub name: String,
    /// `dev_size` in bytes.
    pub dev_size: u64,
    /// `attrib/cmd_time_out` in seconds (0 = kernel default).
    pub cmd_time_out: u32,
}

/// A backstore created by [`create_backstore`].
#[derive(Debug)]
pub struct Backstore {
    /// HBA index N of `core/user_<N>`.
    pub hba: u32,
    /// The device directory `core/user_<N>/<name>`.
    pub dir: PathBuf,
    /// The `dev_config` string written.
    pub dev_config: String,
}

/// Whether `name` is acceptable as a configfs directory name and `dev_config` part.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name != "."
        && name != ".."
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
}

/// Creates and enables `core/user_<N>/<name>` under `root`, with the first N (from 1) whose
/// `user_<N>/<name>` does not exist yet.
pub fn create_backstore(
    guard: &mut Guard,
    root: &Path,
    config: &BackstoreConfig,
) -> Result<Backstore, ConfigfsError> {
    let core = root.join("core");
    let hba = (1..=MAX_HBA)
        .find(|n| !core.join(format!("user_{n}")).join(&config.name).exists())
        .unwrap_or(MAX_HBA);
    let hba_rel = PathBuf::from(format!("user_{hba}"));
    guard.mkdir_p(&core, &hba_rel, 1, " (is target_core_user loaded?)")?;
    let dir = guard.mkdir_p(&core, &hba_rel.join(&config.name), 1, "")?;
    let dev_config = format!("{DEV_CONFIG_PREFIX}/{}", config.name);
    let control = dir.join("control");
    guard.write(&control, &format!("dev_config={dev_config}"), "")?;
    guard.write(&control, &format!("dev_size={}", config.dev_size), "")?;
    if config.cmd_time_out > 0 {
        let attr = dir.join("attrib").join("cmd_time_out");
        guard.write(&attr, &config.cmd_time_out.to_string(), "")?;
    }
    guard.write(&dir.join("enable"), "1", "")?;
    Ok(Backstore {
        hba,
        dir,
        dev_config,
    })
}

/// The target and initiator WWNs used for backstore `name` of HBA `hba` (stable, so a
/// restart reuses them; distinct per name and HBA).
pub fn wwns(hba: u32, name: &str) -> (String, String) {
    let h = crc32fast::hash(format!("{hba}/{name}").as_bytes());
    (
        format!("{NAA_PREFIX}{h:08x}0"),
        format!("{NAA_PREFIX}{h:08x}1"),
    )
}

/// Creates `loopback/<wwn>/tpgt_1` with its nexus and `lun/lun_0`, and returns the LUN
/// directory. The LUN is linked by [`link_lun`].
pub fn create_loopback(
    guard: &mut Guard,
    root: &Path,
    wwn: &str,
    initiator: &str,
) -> Result<PathBuf, ConfigfsError> {
    let rel = Path::new("loopback").join(wwn).join("tpgt_1");
    let tpg = guard.mkdir_p(root, &rel, 1, " (is tcm_loop loaded?)")?;
    let lun = guard.mkdir_p(&tpg, Path::new("lun/lun_0"), 0, "")?;
    guard.set_nexus(&tpg.join("nexus"), initiator)?;
    Ok(lun)
}

/// Links the backstore into the LUN: the kernel scans it and st and sg attach.
pub fn link_lun(
    guard: &mut Guard,
    backstore: &Backstore,
    lun: &Path,
    name: &str,
) -> Result<(), ConfigfsError> {
    guard.symlink(&backstore.dir, &lun.join(name))
}

#[cfg(test)]
#[path = "configfs_tests.rs"]
pub(crate) mod tests;
