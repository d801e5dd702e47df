//! Finding and mapping the UIO device of a TCMU backstore (`drivers/uio/uio.c` sysfs ABI):
//! `/sys/class/uio/uioN/name` is `tcm-user/<hba>/<device>/<dev_config>`, the ring and data
//! area are map 0 (`maps/map0/size`, hexadecimal), and `/dev/uioN` is the character device
//! that is mapped, read (wait for a command) and written (tell the kernel about completions).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::shm::Mapping;

/// Delay between looks while waiting.
const APPEAR_STEP: Duration = Duration::from_millis(20);

/// Errors finding or opening the UIO device.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UioError {
    /// No `uioN` has the expected name.
    #[error("no uio device named {name:?} under {dir}")]
    NotFound {
        /// The expected name.
        name: String,
        /// The sysfs class directory searched.
        dir: PathBuf,
    },
    /// A sysfs file or the device could not be read, opened or mapped.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// `maps/map0/size` is not a number.
    #[error("{path}: bad map size {text:?}")]
    BadSize {
        /// The file.
        path: PathBuf,
        /// Its content.
        text: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> UioError + '_ {
    move |source| UioError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The UIO name TCMU gives backstore `device` of HBA `user_<hba>` with `dev_config`.
pub fn uio_name(hba: u32, device: &str, dev_config: &str) -> String {
    format!("tcm-user/{hba}/{device}/{dev_config}")
}

/// Parses a sysfs map size (`0x40800000`, or decimal).
pub fn parse_size(text: &str) -> Option<usize> {
    let t = text.trim();
    match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => usize::from_str_radix(hex, 16).ok(),
        None => t.parse().ok(),
    }
}

/// Looks once through `class_dir` (`/sys/class/uio`) for the device called `name`; returns
/// its number and map 0 size.
pub fn find(class_dir: &Path, name: &str) -> Result<Option<(u32, usize)>, UioError> {
    let entries = std::fs::read_dir(class_dir).map_err(io_err(class_dir))?;
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(index) = file_name
            .to_str()
            .and_then(|s| s.strip_prefix("uio"))
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let dir = e.path();
        let Ok(found) = std::fs::read_to_string(dir.join("name")) else {
            continue;
        };
        if found.trim_end_matches('\n') != name {
            continue;
        }
        let size_path = dir.join("maps/map0/size");
        let text = std::fs::read_to_string(&size_path).map_err(io_err(&size_path))?;
        let size = parse_size(&text).ok_or(UioError::BadSize {
            path: size_path.clone(),
            text: text.clone(),
        })?;
        return Ok(Some((index, size)));
    }
    Ok(None)
}

/// An open, mapped UIO device.
#[derive(Debug)]
pub struct Uio {
    /// Device number N of `/dev/uioN`.
    pub index: u32,
    /// The open device (read: wait for an event; write: notify the kernel).
    pub file: File,
    /// Map 0: mailbox, command ring and data area.
    pub map: Mapping,
}

impl Uio {
    /// Waits (up to `wait`) for the uio device called `name` to appear under `class_dir`
    /// and its node under `dev_dir`, opens it read/write and maps map 0.
    pub fn open(
        class_dir: &Path,
        dev_dir: &Path,
        name: &str,
        wait: Duration,
    ) -> Result<Uio, UioError> {
        let start = Instant::now();
        let (index, size) = loop {
            match find(class_dir, name) {
                Ok(Some(found)) => break found,
                Ok(None) | Err(UioError::Io { .. }) if start.elapsed() < wait => {}
                Ok(None) => {
                    return Err(UioError::NotFound {
                        name: name.to_owned(),
                        dir: class_dir.to_path_buf(),
                    })
                }
                Err(e) => return Err(e),
            }
            std::thread::sleep(APPEAR_STEP);
        };
        let node = dev_dir.join(format!("uio{index}"));
        let file = loop {
            match OpenOptions::new().read(true).write(true).open(&node) {
                Ok(f) => break f,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && start.elapsed() < wait => {
                    std::thread::sleep(APPEAR_STEP)
                }
                Err(e) => return Err(io_err(&node)(e)),
            }
        };
        let map = Mapping::map(&file, size).map_err(io_err(&node))?;
        Ok(Uio { index, file, map })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_and_size() {
        // Name format of drivers/target/target_core_user.c (tcmu_configure_device), as seen
        // in reference/vm-harness.md §6: "tcm-user/1/tape0/tape/x", map0 size 0x40800000.
        assert_eq!(uio_name(1, "tape0", "tape/x"), "tcm-user/1/tape0/tape/x");
        assert_eq!(parse_size("0x40800000\n"), Some(0x4080_0000));
        assert_eq!(parse_size("4096"), Some(4096));
        assert_eq!(parse_size("0xzz"), None);
    }

    #[test]
    fn finds_the_named_device() {
        let dir = tempfile::tempdir().unwrap();
        for (n, name) in [(0, "other"), (3, "tcm-user/1/tape0/tapekit/tape0")] {
            let d = dir.path().join(format!("uio{n}/maps/map0"));
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(dir.path().join(format!("uio{n}/name")), format!("{name}\n")).unwrap();
            std::fs::write(d.join("size"), "0x40800000\n").unwrap();
        }
        let found = find(dir.path(), "tcm-user/1/tape0/tapekit/tape0").unwrap();
        assert_eq!(found, Some((3, 0x4080_0000)));
        assert_eq!(
            find(dir.path(), "tcm-user/2/tape0/tapekit/tape0").unwrap(),
            None
        );
    }
}
