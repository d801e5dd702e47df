//! Helpers shared by the archive crate's integration tests: finding GNU tar 1.34 (and other
//! tools), running it with the pinned metadata our pinned writer uses, and small fixture
//! builders. Each test binary uses only some of them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};
use std::rc::Rc;

/// The mtime given to GNU tar (`--mtime=@MTIME`) and to `WriterOptions::pinned`.
pub const MTIME: u64 = 1_600_000_000;

/// Runs `name --version`; `Some(())` when its output contains `expect`. When the tool is
/// missing the test is skipped (`None`), but under CI a missing tool fails the test.
pub fn tool(name: &str, expect: &str) -> Option<()> {
    let out = Command::new(name).arg("--version").output();
    let text = out
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    match text {
        Some(t) if t.contains(expect) => Some(()),
        other => {
            let msg = format!("{name} ({expect}) not found: {other:?}");
            if std::env::var_os("CI").is_some() {
                panic!("{msg} (CI needs it: apt package tar / libarchive-tools)");
            }
            eprintln!("skipping: {msg}");
            None
        }
    }
}

/// `Some(())` when GNU tar 1.34 is runnable; fails under CI when it is not, else skips.
pub fn gnu_tar() -> Option<()> {
    tool("tar", "tar (GNU tar) 1.34")
}

/// Runs `cmd` and asserts that it succeeded (showing its standard error if not).
pub fn run(cmd: &mut Command) -> Output {
    let o = cmd.output().unwrap();
    assert!(
        o.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// `tar -c` in GNU format with the metadata `WriterOptions::pinned(MTIME)` writes: owner and
/// group 0 (numeric), mtime [`MTIME`], members sorted by name. The caller adds `-C`, the
/// archive and the names.
pub fn pinned_gnu_tar() -> Command {
    let mut cmd = Command::new("tar");
    cmd.args(["--format=gnu", "--owner=0", "--group=0", "--numeric-owner"])
        .arg(format!("--mtime=@{MTIME}"))
        .arg("--sort=name");
    cmd
}

/// Sets the permission bits of `p`.
pub fn set_mode(p: &Path, mode: u32) {
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

/// Writes `data` to `p` with mode 0644.
pub fn touch(p: &Path, data: &[u8]) {
    fs::write(p, data).unwrap();
    set_mode(p, 0o644);
}

/// Keeps the first record and fails afterwards: lets a 9 GiB file's header be compared
/// without reading 9 GiB.
pub struct FirstRecord(pub Rc<RefCell<Vec<u8>>>);

impl Write for FirstRecord {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut kept = self.0.borrow_mut();
        if kept.is_empty() {
            kept.extend_from_slice(buf);
            Ok(buf.len())
        } else {
            Err(io::Error::other("enough"))
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
