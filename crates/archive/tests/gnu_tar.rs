//! Compares the writer with the system's GNU tar 1.34, byte for byte, and checks that GNU tar
//! lists and extracts what we write and that digests equal `sha256sum`'s.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use archive::{Error, MemberKind, Writer, WriterOptions};
use common::{gnu_tar, pinned_gnu_tar, run, set_mode, FirstRecord, MTIME};

/// A small tree covering every member type, and its names in byte order.
fn build_tree(root: &Path) -> Vec<String> {
    let long_dir = "d".repeat(110);
    let long_file = format!("{}.txt", "f".repeat(116));
    let name100 = "n".repeat(100);
    fs::create_dir(root.join("sub")).unwrap();
    fs::create_dir(root.join(&long_dir)).unwrap();
    fs::write(root.join("a.txt"), b"hello\n").unwrap();
    fs::write(root.join("empty"), b"").unwrap();
    let b512: Vec<u8> = (0..512u32).map(|i| (i * 7 % 256) as u8).collect();
    fs::write(root.join("b512"), &b512).unwrap();
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
    fs::write(root.join("big.bin"), &big).unwrap();
    fs::write(root.join(&name100), b"exactly 100\n").unwrap();
    fs::write(root.join(&long_dir).join(&long_file), b"long\n").unwrap();
    fs::write(root.join("script.sh"), b"#!/bin/sh\n").unwrap();
    fs::hard_link(root.join("a.txt"), root.join("sub/hard")).unwrap();
    symlink("../a.txt", root.join("sub/link")).unwrap();
    symlink("t".repeat(150), root.join("sub/longtarget")).unwrap();
    for (name, mode) in [
        ("a.txt", 0o644),
        ("empty", 0o600),
        ("b512", 0o644),
        ("big.bin", 0o640),
        (name100.as_str(), 0o644),
        ("script.sh", 0o755),
        ("sub", 0o755),
        (long_dir.as_str(), 0o750),
    ] {
        set_mode(&root.join(name), mode);
    }
    set_mode(&root.join(&long_dir).join(&long_file), 0o644);
    let mut names = vec![
        "a.txt".to_owned(),
        "b512".into(),
        "big.bin".into(),
        "empty".into(),
        name100,
        "script.sh".into(),
        "sub".into(),
        "sub/hard".into(),
        "sub/link".into(),
        "sub/longtarget".into(),
        long_dir.clone(),
        format!("{long_dir}/{long_file}"),
    ];
    names.sort();
    names
}

fn run_gnu(dir: &Path, names: &[String], extra: &[&str], out: &Path) -> Vec<u8> {
    let mut cmd = pinned_gnu_tar();
    cmd.arg("--no-recursion")
        .args(extra)
        .arg("-C")
        .arg(dir)
        .arg("-cf")
        .arg(out)
        .args(names);
    run(&mut cmd);
    fs::read(out).unwrap()
}

fn write_ours(dir: &Path, names: &[String], options: WriterOptions) -> Vec<u8> {
    let mut w = Writer::new(Vec::new(), options).unwrap();
    for n in names {
        w.append_from(dir, Path::new(n)).unwrap();
    }
    w.finish().unwrap().sink
}

/// Parses the octal mtime field of GNU tar's label header.
fn label_mtime(archive: &[u8]) -> u64 {
    let field = std::str::from_utf8(&archive[136..147]).unwrap();
    u64::from_str_radix(field, 8).unwrap()
}

#[test]
fn identical_to_gnu_tar_with_label_b512() {
    if gnu_tar().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tree");
    fs::create_dir(&dir).unwrap();
    let names = build_tree(&dir);
    let gnu = run_gnu(
        &dir,
        &names,
        &["-b", "512", "--label=X"],
        &tmp.path().join("g.tar"),
    );
    assert_eq!(gnu.len() % 262_144, 0);
    let options = WriterOptions {
        label: Some("X".into()),
        label_mtime: Some(label_mtime(&gnu)),
        ..WriterOptions::pinned(MTIME)
    };
    let ours = write_ours(&dir, &names, options);
    assert_eq!(ours.len(), gnu.len());
    let first_diff = ours.iter().zip(&gnu).position(|(a, b)| a != b);
    assert_eq!(first_diff, None, "first differing byte");
}

#[test]
fn identical_to_gnu_tar_without_label_b20() {
    if gnu_tar().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tree");
    fs::create_dir(&dir).unwrap();
    let names = build_tree(&dir);
    let gnu = run_gnu(&dir, &names, &["-b", "20"], &tmp.path().join("g.tar"));
    let options = WriterOptions {
        blocking_factor: 20,
        ..WriterOptions::pinned(MTIME)
    };
    let ours = write_ours(&dir, &names, options);
    assert_eq!(ours.len() % (20 * 512), 0);
    assert!(ours == gnu, "archives differ");
}

/// Records the length of every `write` call.
#[derive(Default)]
struct CallSink {
    calls: Vec<usize>,
    bytes: Vec<u8>,
}

impl Write for CallSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.calls.push(buf.len());
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn whole_records_hashes_listing_and_extraction() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tree");
    fs::create_dir(&dir).unwrap();
    let names = build_tree(&dir);
    let options = WriterOptions {
        label: Some("TAPE01".into()),
        ..WriterOptions::default()
    };
    let mut w = Writer::new(CallSink::default(), options).unwrap();
    let members: Vec<_> = names
        .iter()
        .map(|n| w.append_from(&dir, Path::new(n)).unwrap())
        .collect();
    let done = w.finish().unwrap();
    // 300,000-byte file + the rest spans two records; every write is one whole record.
    assert_eq!(done.sink.calls, vec![262_144; 2]);
    assert_eq!(done.records, 2);

    let hard = members.iter().find(|m| m.name == b"sub/hard").unwrap();
    assert_eq!(hard.kind, MemberKind::HardLink);
    assert_eq!(hard.link_target.as_deref(), Some(&b"a.txt"[..]));
    let link = members.iter().find(|m| m.name == b"sub/link").unwrap();
    assert_eq!(link.kind, MemberKind::Symlink);
    assert_eq!(
        members.iter().find(|m| m.name == b"sub/").unwrap().kind,
        MemberKind::Directory
    );
    // Positions agree with the bytes: a header (or 'L'/'K' entry) starts at each position.
    for m in &members {
        let at = (m.position.record * 262_144 + u64::from(m.position.offset)) as usize;
        assert_eq!(m.position.block * 512, at as u64);
        let hdr = &done.sink.bytes[at..at + 512];
        assert_eq!(&hdr[257..265], b"ustar  \0", "{:?}", m.path());
    }

    // SHA-256 of each file equals sha256sum's.
    for m in members.iter().filter(|m| m.kind == MemberKind::File) {
        let out = Command::new("sha256sum").arg(dir.join(m.path())).output();
        let Ok(out) = out else {
            eprintln!("skipping sha256sum comparison: not found");
            break;
        };
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            Some(&text[..64]),
            m.sha256_hex().as_deref(),
            "{:?}",
            m.path()
        );
    }

    if gnu_tar().is_none() {
        return;
    }
    let archive = tmp.path().join("ours.tar");
    fs::write(&archive, &done.sink.bytes).unwrap();
    let list = run(Command::new("tar").args(["-b512", "-tvf"]).arg(&archive));
    let listing = String::from_utf8(list.stdout).unwrap();
    assert!(listing
        .lines()
        .next()
        .unwrap()
        .ends_with("TAPE01--Volume Header--"));
    assert!(listing.contains("sub/hard link to a.txt"));
    assert!(listing.contains("sub/link -> ../a.txt"));
    let label = Command::new("tar")
        .arg("--test-label")
        .arg("-f")
        .arg(&archive)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&label.stdout).trim(), "TAPE01");

    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    let x = Command::new("tar")
        .args(["-b512", "-xf"])
        .arg(&archive)
        .arg("-C")
        .arg(&out)
        .status();
    assert!(x.unwrap().success());
    for n in &names {
        let (src, dst): (PathBuf, PathBuf) = (dir.join(n), out.join(n));
        let (ms, md) = (
            fs::symlink_metadata(&src).unwrap(),
            fs::symlink_metadata(&dst).unwrap(),
        );
        assert_eq!(ms.file_type(), md.file_type(), "{n}");
        assert_eq!(
            ms.permissions().mode() & 0o7777,
            md.permissions().mode() & 0o7777,
            "{n}"
        );
        if ms.is_file() {
            assert_eq!(fs::read(&src).unwrap(), fs::read(&dst).unwrap(), "{n}");
        } else if ms.file_type().is_symlink() {
            assert_eq!(
                fs::read_link(&src).unwrap(),
                fs::read_link(&dst).unwrap(),
                "{n}"
            );
        }
    }
}

#[test]
fn nine_gib_header_identical_to_gnu_tar() {
    if gnu_tar().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big");
    fs::File::create(&big).unwrap().set_len(9 << 30).unwrap();
    set_mode(&big, 0o644);
    let script = format!(
        "tar --format=gnu --owner=0 --group=0 --numeric-owner --mtime=@{MTIME} -b1 -C '{}' \
         -cf - big 2>/dev/null | head -c 512",
        tmp.path().display()
    );
    let gnu = Command::new("sh")
        .arg("-c")
        .arg(script)
        .output()
        .unwrap()
        .stdout;
    assert_eq!(gnu.len(), 512);
    let kept = Rc::new(RefCell::new(Vec::new()));
    let options = WriterOptions {
        blocking_factor: 1,
        ..WriterOptions::pinned(MTIME)
    };
    let mut w = Writer::new(FirstRecord(Rc::clone(&kept)), options).unwrap();
    let err = w.append_from(tmp.path(), Path::new("big")).unwrap_err();
    assert!(matches!(err, Error::Write(_)), "{err}");
    // The first record (-b1: one block) is the header, with the size in base-256.
    assert_eq!(&kept.borrow()[..], &gnu[..]);
    assert_eq!(gnu[124], 0x80);
}
