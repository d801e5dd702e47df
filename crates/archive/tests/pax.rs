//! pax format ([`Format::Pax`]): GNU tar 1.34 and bsdtar list and extract what we write
//! (long and non-UTF-8 names through `'x'` headers, long link targets, big ids, an mtime
//! before 1970, a 9 GiB size), and a label longer than 99 bytes is read by
//! `tar --test-label`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, MetadataExt};
use std::path::Path;
use std::process::Command;
use std::rc::Rc;
use std::time::{Duration, UNIX_EPOCH};

use archive::walk::{self, Selection};
use archive::{EntryKind, Error, Format, MemberKind, Owner, Writer, WriterOptions};
use common::{gnu_tar, run, set_mode, tool, FirstRecord};

const LONG_TARGET: usize = 150;

/// Builds the tree; returns the name of the file with a negative mtime.
fn build_tree(root: &Path) {
    let long_dir = "d".repeat(120);
    let deep = format!("{}/{}", "p".repeat(100), "q".repeat(100));
    for d in [long_dir.as_str(), "p".repeat(100).as_str(), deep.as_str()] {
        fs::create_dir_all(root.join(d)).unwrap();
    }
    let files: Vec<(Vec<u8>, &[u8])> = vec![
        (b"short.txt".to_vec(), b"short\n"),
        (
            format!("{long_dir}/file").into_bytes(),
            b"split into prefix/name\n",
        ),
        ("f".repeat(150).into_bytes(), b"x path\n"),
        (
            format!("{deep}/{}", "r".repeat(80)).into_bytes(),
            b"over 255\n",
        ),
        ([&[b'n'; 110][..], b"\xff\xfe"].concat(), b"not utf-8\n"),
        (b"old".to_vec(), b"1969\n"),
    ];
    for (name, data) in &files {
        let p = root.join(OsStr::from_bytes(name));
        fs::write(&p, data).unwrap();
        set_mode(&p, 0o640);
    }
    symlink("t".repeat(LONG_TARGET), root.join("longlink")).unwrap();
    fs::hard_link(root.join("f".repeat(150)), root.join("hard")).unwrap();
    let old = UNIX_EPOCH - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(root.join("old"))
        .unwrap()
        .set_modified(old)
        .unwrap();
}

fn write_pax(dir: &Path, label: &str) -> (Vec<u8>, Vec<Vec<u8>>) {
    let options = WriterOptions {
        format: Format::Pax,
        label: Some(label.into()),
        owner: Owner::Fixed {
            uid: 3_000_000,
            gid: 4_000_000,
        },
        ..WriterOptions::default()
    };
    let mut w = Writer::new(Vec::new(), options).unwrap();
    let label_info = w.label_info().unwrap();
    assert_eq!(label_info.kind, EntryKind::Label);
    assert_eq!((label_info.block, label_info.name.len()), (0, label.len()));
    let mut names = Vec::new();
    for e in walk::walk(dir, &[b".".to_vec()], &Selection::default()) {
        let m = w.append_entry(&e.unwrap()).unwrap();
        let info = m.info();
        assert_eq!((info.uid, info.gid), (3_000_000, 4_000_000));
        if m.name == b"./old" {
            assert_eq!(m.mtime, -3600);
        }
        if m.name == b"./hard" {
            assert_eq!(m.kind, MemberKind::HardLink);
        }
        names.push(m.name);
    }
    let done = w.finish().unwrap();
    assert_eq!(done.sink.len() % 262_144, 0);
    (done.sink, names)
}

/// Output lines, non-ASCII bytes written as `\ooo` (how bsdtar prints them).
fn lines(out: &[u8]) -> Vec<String> {
    out.split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(escaped)
        .collect()
}

fn escaped(name: &[u8]) -> String {
    name.iter()
        .map(|&b| {
            if b.is_ascii() {
                char::from(b).to_string()
            } else {
                format!("\\{b:03o}")
            }
        })
        .collect()
}

/// Compares an extracted tree with the source.
fn same_tree(src: &Path, dst: &Path, names: &[Vec<u8>]) {
    for n in names {
        let (s, d) = (
            src.join(OsStr::from_bytes(n)),
            dst.join(OsStr::from_bytes(n)),
        );
        let (ms, md) = (
            fs::symlink_metadata(&s).unwrap(),
            fs::symlink_metadata(&d).unwrap(),
        );
        let what = String::from_utf8_lossy(n);
        assert_eq!(ms.file_type(), md.file_type(), "{what}");
        if ms.is_file() {
            assert_eq!(fs::read(&s).unwrap(), fs::read(&d).unwrap(), "{what}");
            assert_eq!(ms.mode() & 0o7777, md.mode() & 0o7777, "{what}");
            assert_eq!(ms.mtime(), md.mtime(), "{what}");
        } else if ms.file_type().is_symlink() {
            assert_eq!(fs::read_link(&s).unwrap(), fs::read_link(&d).unwrap());
        }
    }
    let hard = fs::metadata(dst.join("hard")).unwrap();
    let first = fs::metadata(dst.join("f".repeat(150))).unwrap();
    assert_eq!(hard.ino(), first.ino(), "hard link extracted as a link");
}

#[test]
fn gnu_tar_lists_and_extracts_pax() {
    if gnu_tar().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("t");
    fs::create_dir(&dir).unwrap();
    build_tree(&dir);
    let label = "L".repeat(150);
    let (bytes, names) = write_pax(&dir, &label);
    let archive = tmp.path().join("p.tar");
    fs::write(&archive, &bytes).unwrap();

    let list = run(Command::new("tar")
        .args(["--quoting-style=literal", "-b512", "-tf"])
        .arg(&archive));
    // GNU tar lists the label first.
    let mut expected = vec![label.clone()];
    expected.extend(names.iter().map(|n| escaped(n)));
    assert_eq!(lines(&list.stdout), expected);

    let verbose = run(Command::new("tar")
        .args([
            "--quoting-style=literal",
            "--numeric-owner",
            "-b512",
            "-tvf",
        ])
        .arg(&archive));
    let text = String::from_utf8_lossy(&verbose.stdout);
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("V---------"), "{first}");
    assert!(
        first.ends_with(&format!("{label}--Volume Header--")),
        "{first}"
    );
    assert!(text.contains(" 3000000/4000000 "), "{text}");
    assert!(text.contains(&format!("./longlink -> {}", "t".repeat(LONG_TARGET))));
    assert!(text.contains(&format!("./hard link to ./{}", "f".repeat(150))));
    assert!(
        text.contains(" 1969-12-31 ") || text.contains(" 1970-01-01 "),
        "{text}"
    );

    let test_label = run(Command::new("tar")
        .arg("--test-label")
        .arg("-f")
        .arg(&archive));
    assert_eq!(
        String::from_utf8_lossy(&test_label.stdout).trim_end(),
        label
    );
    let right = Command::new("tar")
        .arg("--test-label")
        .arg("-f")
        .arg(&archive)
        .arg(&label)
        .status()
        .unwrap();
    assert!(right.success());
    let wrong = Command::new("tar")
        .args(["--test-label", "-f"])
        .arg(&archive)
        .arg("OTHER")
        .status()
        .unwrap();
    assert_eq!(wrong.code(), Some(1));

    let out = tmp.path().join("x");
    fs::create_dir(&out).unwrap();
    run(Command::new("tar")
        .args(["-b512", "-xf"])
        .arg(&archive)
        .arg("-C")
        .arg(&out));
    same_tree(&dir, &out, &names);
}

#[test]
fn bsdtar_lists_and_extracts_pax() {
    if tool("bsdtar", "libarchive").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("t");
    fs::create_dir(&dir).unwrap();
    build_tree(&dir);
    let (bytes, names) = write_pax(&dir, "BSD");
    let archive = tmp.path().join("p.tar");
    fs::write(&archive, &bytes).unwrap();
    let list = run(Command::new("bsdtar").arg("-tf").arg(&archive));
    let expected: Vec<String> = names.iter().map(|n| escaped(n)).collect();
    assert_eq!(lines(&list.stdout), expected);
    let out = tmp.path().join("x");
    fs::create_dir(&out).unwrap();
    run(Command::new("bsdtar")
        .arg("-xf")
        .arg(&archive)
        .arg("-C")
        .arg(&out));
    same_tree(&dir, &out, &names);
}

#[test]
fn gnu_format_still_limits_labels_but_pax_does_not() {
    let long = "X".repeat(300);
    let gnu = WriterOptions {
        label: Some(long.clone()),
        ..WriterOptions::default()
    };
    assert!(matches!(
        Writer::new(Vec::new(), gnu),
        Err(Error::LabelLength(300))
    ));
    let pax = WriterOptions {
        label: Some(long),
        format: Format::Pax,
        ..WriterOptions::pinned(0)
    };
    let w = Writer::new(Vec::new(), pax).unwrap();
    // 'g' header + 313 bytes of records (one block) -> the first member starts at block 2.
    assert_eq!(w.position().block, 2);
    let empty = WriterOptions {
        label: Some(String::new()),
        format: Format::Pax,
        ..WriterOptions::default()
    };
    assert!(matches!(
        Writer::new(Vec::new(), empty),
        Err(Error::LabelLength(0))
    ));
}

/// A 9 GiB file: the size goes into an `'x'` header (GNU tar writes `19 size=9663676416`);
/// GNU tar lists the member's size from our first record.
#[test]
fn nine_gib_size_in_extended_header() {
    if gnu_tar().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big");
    fs::File::create(&big).unwrap().set_len(9 << 30).unwrap();
    let kept = Rc::new(RefCell::new(Vec::new()));
    let options = WriterOptions {
        blocking_factor: 8,
        format: Format::Pax,
        ..WriterOptions::pinned(1_600_000_000)
    };
    let mut w = Writer::new(FirstRecord(Rc::clone(&kept)), options).unwrap();
    let err = w.append_from(tmp.path(), Path::new("big")).unwrap_err();
    assert!(matches!(err, Error::Write(_)), "{err}");
    let first = kept.borrow().clone();
    assert_eq!(&first[..16], b"./PaxHeaders/big");
    assert_eq!(&first[512..531], b"19 size=9663676416\n");
    let part = tmp.path().join("part.tar");
    fs::write(&part, &first).unwrap();
    // The archive is cut short, so tar fails after listing the member.
    let o = Command::new("tar").arg("-tvf").arg(&part).output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains(" 9663676416 2020-09-13 "), "{text}");
    assert!(text.trim_end().ends_with(" big"), "{text}");
}
