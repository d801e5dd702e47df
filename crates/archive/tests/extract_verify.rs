//! Extraction safety (GNU tar's defaults: leading `/` removed, `..` refused, nothing written
//! through a symlink), member selection with early stop, and verification against a
//! manifest (mismatch, missing, unlisted, hard links, corrupted data).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::Path;

use archive::extract::{ExtractOptions, ExtractReport, Extractor, MemberError};
use archive::manifest::{write_entry, Manifest};
use archive::read::Reader;
use archive::verify::verify;
use archive::{Member, Writer, WriterOptions};

const RECORD: usize = 20 * 512;

/// Archives `(fs path, archive name)` pairs in order.
fn archive(members: &[(&Path, &str)]) -> (Vec<u8>, Vec<Member>) {
    let options = WriterOptions {
        blocking_factor: 20,
        ..WriterOptions::pinned(1_600_000_000)
    };
    let mut w = Writer::new(Vec::new(), options).unwrap();
    let written = members
        .iter()
        .map(|(p, n)| w.append_path(p, Path::new(n)).unwrap())
        .collect();
    (w.finish().unwrap().sink, written)
}

fn extract(tar: &[u8], dest: &Path, overwrite: bool, only: Option<&[Vec<u8>]>) -> ExtractReport {
    let options = ExtractOptions {
        overwrite,
        ..ExtractOptions::default()
    };
    let mut reader = Reader::new(tar, RECORD).unwrap();
    Extractor::with_options(dest, options)
        .extract_all(&mut reader, only)
        .unwrap()
}

fn failure_names(r: &ExtractReport) -> Vec<String> {
    r.failures
        .iter()
        .map(|(n, _)| String::from_utf8_lossy(n).into_owned())
        .collect()
}

#[test]
fn dotdot_refused_and_leading_slash_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("f");
    fs::write(&f, b"data").unwrap();
    let (tar, _) = archive(&[
        (&f, "../evil"),
        (&f, "a/../../evil2"),
        (&f, "/abs/file"),
        (&f, "ok/.../x"),
    ]);
    let dest = tmp.path().join("x/dest");
    let r = extract(&tar, &dest, false, None);
    assert_eq!(failure_names(&r), ["../evil", "a/../../evil2"]);
    assert!(r
        .failures
        .iter()
        .all(|(_, e)| matches!(e, MemberError::DotDot)));
    assert!(!tmp.path().join("x/evil").exists());
    assert!(!tmp.path().join("evil2").exists());
    assert_eq!(fs::read(dest.join("abs/file")).unwrap(), b"data");
    assert_eq!(fs::read(dest.join("ok/.../x")).unwrap(), b"data");
    assert_eq!(r.extracted, 2);
}

#[test]
fn never_writes_through_a_planted_symlink() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("target"), b"keep").unwrap();
    let src = tmp.path().join("src");
    fs::create_dir(&src).unwrap();
    symlink(&outside, src.join("dirlink")).unwrap();
    symlink(outside.join("target"), src.join("filelink")).unwrap();
    fs::write(src.join("payload"), b"evil").unwrap();
    fs::hard_link(src.join("payload"), src.join("payload2")).unwrap();
    fs::write(src.join("other"), b"evil").unwrap();
    let (tar, members) = archive(&[
        (&src.join("dirlink"), "d"),
        (&src.join("payload"), "d/victim"),
        (&src.join("payload2"), "h"), // hard link to d/victim
        (&src.join("filelink"), "s"),
        (&src.join("other"), "s"),
    ]);
    assert_eq!(members[2].kind, archive::MemberKind::HardLink);

    let dest = tmp.path().join("dest");
    let r = extract(&tar, &dest, false, None);
    assert_eq!(failure_names(&r), ["d/victim", "h", "s"]);
    assert!(matches!(r.failures[0].1, MemberError::SymlinkInPath(_)));
    assert!(matches!(r.failures[1].1, MemberError::SymlinkInPath(_)));
    assert!(matches!(r.failures[2].1, MemberError::Exists(_)));
    assert!(!outside.join("victim").exists());
    assert_eq!(fs::read(outside.join("target")).unwrap(), b"keep");
    assert!(fs::symlink_metadata(dest.join("s")).unwrap().is_symlink());

    // With overwrite the symlink itself is replaced, its target is untouched.
    let dest2 = tmp.path().join("dest2");
    let r = extract(&tar, &dest2, true, None);
    assert_eq!(failure_names(&r), ["d/victim", "h"]);
    assert_eq!(fs::read(outside.join("target")).unwrap(), b"keep");
    let md = fs::symlink_metadata(dest2.join("s")).unwrap();
    assert!(md.is_file());
    assert_eq!(fs::read(dest2.join("s")).unwrap(), b"evil");
    assert_eq!(fs::read_dir(&outside).unwrap().count(), 1);
}

#[test]
fn read_only_directory_is_filled_then_restored() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    fs::create_dir_all(src.join("ro")).unwrap();
    fs::write(src.join("ro/f"), b"x").unwrap();
    fs::set_permissions(src.join("ro"), fs::Permissions::from_mode(0o555)).unwrap();
    let (tar, _) = archive(&[(&src.join("ro"), "ro"), (&src.join("ro/f"), "ro/f")]);
    let dest = tmp.path().join("dest");
    let options = ExtractOptions {
        preserve_permissions: true,
        ..ExtractOptions::default()
    };
    let mut reader = Reader::new(&tar[..], RECORD).unwrap();
    let r = Extractor::with_options(&dest, options)
        .extract_all(&mut reader, None)
        .unwrap();
    assert!(r.ok(), "{r:?}");
    let md = fs::metadata(dest.join("ro")).unwrap();
    assert_eq!(md.mode() & 0o7777, 0o555);
    assert_eq!(md.mtime(), 1_600_000_000);
    assert_eq!(fs::read(dest.join("ro/f")).unwrap(), b"x");
}

#[test]
fn only_selects_members_and_stops_early() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    fs::create_dir_all(src.join("dir")).unwrap();
    fs::write(src.join("a"), vec![7u8; 100_000]).unwrap();
    fs::write(src.join("dir/x"), b"x").unwrap();
    fs::write(src.join("dir/y"), b"y").unwrap();
    fs::write(src.join("z"), vec![9u8; 100_000]).unwrap();
    let (tar, _) = archive(&[
        (&src.join("a"), "a"),
        (&src.join("dir"), "dir"),
        (&src.join("dir/x"), "dir/x"),
        (&src.join("dir/y"), "dir/y"),
        (&src.join("z"), "z"),
    ]);
    let total_records = (tar.len() / RECORD) as u64;

    let dest = tmp.path().join("one");
    let mut reader = Reader::new(&tar[..], RECORD).unwrap();
    let r = Extractor::new(&dest)
        .extract_all(&mut reader, Some(&[b"./a".to_vec()]))
        .unwrap();
    assert!(r.ok() && r.stopped_early, "{r:?}");
    assert_eq!((r.extracted, r.bytes), (1, 100_000));
    // a's header + 100,000 bytes = 197 blocks: 10 records of 20 blocks.
    assert_eq!(reader.records_read(), 10);
    assert!(reader.records_read() < total_records);
    assert_eq!(fs::read_dir(&dest).unwrap().count(), 1);

    let dest = tmp.path().join("dir");
    let mut reader = Reader::new(&tar[..], RECORD).unwrap();
    let r = Extractor::new(&dest)
        .extract_all(&mut reader, Some(&[b"dir/".to_vec(), b"nope".to_vec()]))
        .unwrap();
    assert!(!r.stopped_early);
    assert_eq!(r.not_found, [b"nope".to_vec()]);
    assert_eq!(r.extracted, 3);
    assert_eq!(fs::read(dest.join("dir/y")).unwrap(), b"y");
    assert!(!dest.join("a").exists() && !dest.join("z").exists());
}

#[test]
fn verify_reports_mismatch_missing_unlisted_and_hard_links() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path();
    fs::write(src.join("a"), b"hello\n").unwrap();
    fs::write(src.join("b"), b"other").unwrap();
    fs::hard_link(src.join("a"), src.join("a2")).unwrap();
    let (tar, members) = archive(&[
        (&src.join("a"), "a"),
        (&src.join("a2"), "a2"),
        (&src.join("b"), "b"),
    ]);
    // sha256sum of "hello\n" (coreutils).
    let hello = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    assert_eq!(members[0].sha256_hex().as_deref(), Some(hello));
    let run = |tar: &[u8], text: &[u8]| {
        let m = Manifest::parse(text).unwrap();
        verify(&mut Reader::new(tar, RECORD).unwrap(), &m).unwrap()
    };

    let mut good = Vec::new();
    for m in &members {
        if let Some(hex) = m.sha256_hex() {
            write_entry(&mut good, &hex, &m.name).unwrap();
        }
    }
    // The hard link's name, as `sha256sum a a2 b` would list it.
    write_entry(&mut good, hello, b"a2").unwrap();
    let r = run(&tar, &good);
    assert!(r.ok(), "{r:?}");
    assert_eq!(r.checked, 3);

    // Wrong digest for b, a name not in the archive, a not listed.
    let mut bad = Vec::new();
    write_entry(&mut bad, hello, b"b").unwrap();
    write_entry(&mut bad, hello, b"gone").unwrap();
    let r = run(&tar, &bad);
    assert!(!r.ok());
    assert_eq!(r.mismatched.len(), 1);
    assert_eq!(r.mismatched[0].0, b"b");
    assert_eq!(Some(r.mismatched[0].2), members[2].sha256);
    assert_eq!(r.missing_from_archive, [b"gone".to_vec()]);
    assert_eq!(r.not_in_manifest, [b"a".to_vec()]);

    // Corrupt one byte of a's data (block 1, right after its header in block 0).
    let mut broken = tar.clone();
    broken[512] ^= 1;
    let r = run(&broken, &good);
    let names: Vec<&[u8]> = r.mismatched.iter().map(|m| m.0.as_slice()).collect();
    assert_eq!(names, [&b"a"[..], b"a2"]);
}

#[test]
fn names_are_bytes() {
    // A name that is not UTF-8 extracts to the same bytes.
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("f");
    fs::write(&f, b"1").unwrap();
    let name = OsStr::from_bytes(b"caf\xe9");
    let mut w = Writer::new(Vec::new(), WriterOptions::pinned(0)).unwrap();
    w.append_path(&f, Path::new(name)).unwrap();
    let tar = w.finish().unwrap().sink;
    let dest = tmp.path().join("d");
    let mut reader = Reader::new(&tar[..], 512 * 512).unwrap();
    let r = Extractor::new(&dest)
        .extract_all(&mut reader, None)
        .unwrap();
    assert!(r.ok());
    assert_eq!(fs::read(dest.join(name)).unwrap(), b"1");
}

#[test]
fn extract_one_member_from_its_index_position() {
    use archive::index::{Index, IndexEntry, IndexWriter, SkipInRecord};
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    fs::create_dir(&src).unwrap();
    let long = format!("{}.bin", "l".repeat(120));
    fs::write(src.join("first"), vec![1u8; 30_000]).unwrap();
    fs::write(src.join(&long), vec![2u8; 5_000]).unwrap();
    fs::write(src.join("last"), b"last").unwrap();
    let (tar, members) = archive(&[
        (&src.join("first"), "first"),
        (&src.join(&long), long.as_str()),
        (&src.join("last"), "last"),
    ]);
    let mut w = IndexWriter::new(Vec::new(), RECORD as u32).unwrap();
    for m in &members {
        w.write_entry(&IndexEntry::from_member(m, Some(0), None))
            .unwrap();
    }
    let index = Index::parse(&w.into_inner().unwrap()).unwrap();
    // first: header + 59 data blocks = blocks 0..=59; the long name's 'L' entry is block 60,
    // record 3 (20-block records), 0 bytes in; "last" follows its 10 data blocks + 3 header blocks.
    let e = index.find(long.as_bytes()).unwrap().clone();
    assert_eq!((e.block, e.record, e.offset), (60, 3, 0));
    let e = index.find(b"last").unwrap().clone();
    assert_eq!((e.block, e.record, e.offset), (73, 3, 13 * 512));

    // "Position the tape" at the record, drop the offset, read from there.
    let from = usize::try_from(e.record).unwrap() * RECORD;
    let source = SkipInRecord::for_entry(&tar[from..], RECORD, &e);
    let mut reader = Reader::with_offset(source, RECORD, e.block).unwrap();
    let dest = tmp.path().join("dest");
    let r = Extractor::new(&dest)
        .extract_all(&mut reader, Some(std::slice::from_ref(&e.name)))
        .unwrap();
    assert!(r.ok() && r.stopped_early, "{r:?}");
    assert_eq!(reader.records_read(), 1);
    assert_eq!(fs::read(dest.join("last")).unwrap(), b"last");
    assert_eq!(fs::read_dir(&dest).unwrap().count(), 1);
}
