//! Helpers of the `tapetar_*` tests: running the binaries, a fixture tree, tree comparison.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The binary under test.
pub const TAPETAR: &str = env!("CARGO_BIN_EXE_tapetar");
/// The cartridge tool.
pub const VTAPE: &str = env!("CARGO_BIN_EXE_vtape");
/// The MAM tool.
pub const MAMATTR: &str = env!("CARGO_BIN_EXE_mamattr");

/// Exit code, stdout, stderr.
pub type Out = (i32, String, String);

/// Runs `prog args` in `dir` (no `$TAPE`, C locale, UTC).
pub fn run(prog: &str, dir: &Path, args: &[&str]) -> Out {
    let o = Command::new(prog)
        .args(args)
        .current_dir(dir)
        .env_remove("TAPE")
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Runs `tapetar args` in `dir`.
pub fn tapetar(dir: &Path, args: &[&str]) -> Out {
    run(TAPETAR, dir, args)
}

/// Runs `tapetar args` in `dir` and requires exit 0 and an empty stderr.
pub fn tapetar_ok(dir: &Path, args: &[&str]) -> String {
    let (code, out, err) = tapetar(dir, args);
    assert_eq!(code, 0, "tapetar {args:?}: {err}");
    assert_eq!(err, "", "tapetar {args:?}");
    out
}

/// Is `prog` on PATH?
pub fn have(prog: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {prog} >/dev/null")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Creates a `.vtape` cartridge `name` in `dir`.
pub fn cartridge(dir: &Path, name: &str, capacity: &str) -> PathBuf {
    let (code, _, err) = run(
        VTAPE,
        dir,
        &[
            "create",
            name,
            "--generation",
            "lto6",
            "--capacity",
            capacity,
        ],
    );
    assert_eq!(code, 0, "vtape create: {err}");
    dir.join(name)
}

/// Deterministic pseudo-random bytes (xorshift), so that files do not compress or repeat.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// The fixture tree under `root`: files (empty, small, 3 MB so that later members start in a
/// later 256 KiB record), nested directories, a symlink, a hard link, a name with a space, a
/// name longer than 100 bytes, an excluded `.DS_Store`, modes 0640/0751.
pub fn fixture(root: &Path) {
    let d = |p: &str| std::fs::create_dir_all(root.join(p)).unwrap();
    let f = |p: &str, data: &[u8]| std::fs::write(root.join(p), data).unwrap();
    d("tree/dir/sub");
    d("tree/empty-dir");
    f("tree/empty", b"");
    f("tree/hello.txt", b"hello\n");
    f("tree/dir/big.bin", &noise(3_000_000, 7));
    f("tree/dir/sub/small", &noise(100_000, 9));
    f("tree/dir/with space.txt", b"spaced\n");
    f("tree/.DS_Store", b"junk");
    let long = format!("tree/dir/sub/{}", "long-name-".repeat(12));
    f(&long, b"long\n");
    f("tree/zz-last.txt", b"the last member\n");
    symlink("dir/sub/small", root.join("tree/link")).unwrap();
    std::fs::hard_link(root.join("tree/hello.txt"), root.join("tree/hard")).unwrap();
    let mode = |p: &str, m: u32| {
        std::fs::set_permissions(root.join(p), std::fs::Permissions::from_mode(m)).unwrap();
    };
    mode("tree/dir/big.bin", 0o640);
    mode("tree/dir/sub", 0o751);
}

/// `path|type|mode|size|mtime|link` for every entry below `root`, sorted (what `find
/// -printf` gives), content hashed separately by [`same_contents`].
pub fn tree_listing(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let md = std::fs::symlink_metadata(&p).unwrap();
        let rel = p.strip_prefix(root).unwrap().display().to_string();
        let ft = md.file_type();
        let (kind, link) = if ft.is_symlink() {
            ("l", std::fs::read_link(&p).unwrap().display().to_string())
        } else if ft.is_dir() {
            ("d", String::new())
        } else {
            ("f", String::new())
        };
        let size = if ft.is_file() { md.len() } else { 0 };
        let mtime = if ft.is_symlink() { 0 } else { md.mtime() };
        out.push(format!(
            "{rel}|{kind}|{:o}|{size}|{mtime}|{link}",
            md.mode() & 0o7777
        ));
        if ft.is_dir() {
            walk(root, &p, out);
        }
    }
}

/// Every regular file below `a` has the same bytes below `b` (and the listings agree).
pub fn same_tree(a: &Path, b: &Path) {
    assert_eq!(tree_listing(a), tree_listing(b));
    for line in tree_listing(a) {
        let mut parts = line.split('|');
        let rel = parts.next().unwrap();
        if parts.next() == Some("f") {
            assert_eq!(
                std::fs::read(a.join(rel)).unwrap(),
                std::fs::read(b.join(rel)).unwrap(),
                "{rel}"
            );
        }
    }
}
