//! The walk (order, excludes, recursion, file lists, name handling) compared with GNU tar
//! 1.34's own choice and order of members: `LC_ALL=C tar --sort=name --exclude=...` writes
//! an archive with pinned metadata, and walk + Writer must produce the same bytes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

use archive::walk::{self, Excludes, Selection};
use archive::{Error, Writer, WriterOptions};
use common::{gnu_tar, pinned_gnu_tar, set_mode, touch, MTIME};
use tempfile::TempDir;

/// A tree with dot files, names that sort differently in byte order and in a locale,
/// wildcard characters in names, symlinks (to a directory, dangling) and a hard link.
fn build_tree(root: &Path) {
    for d in ["a", "a/b", "a/c", "x.o", "d", "order", "order/a"] {
        fs::create_dir(root.join(d)).unwrap();
        set_mode(&root.join(d), 0o755);
    }
    for f in [
        ".DS_Store",
        "A",
        "B",
        "_",
        "a/.DS_Store",
        "a/b/c",
        "a/b/f.o",
        "a/b2",
        "a/c/z",
        "x.o/in",
        "d/[ab",
        "d/a*c",
        "order/a b",
        "order/a-b",
        "order/a.b",
        "order/a0",
        "order/aB",
        "order/a_",
        "order/a/x",
        "order/Z",
        "order/~",
        "order/\u{fc}",
    ] {
        touch(&root.join(f), f.as_bytes());
    }
    symlink("a", root.join("link_to_a")).unwrap();
    symlink("nowhere", root.join("dangling")).unwrap();
    fs::hard_link(root.join("a/b2"), root.join("hl")).unwrap();
}

/// GNU tar's archive of `roots` in `dir` (pinned metadata, `-b 20`, C locale), written to `out`.
fn gnu_archive(dir: &Path, args: &[&str], roots: &[&[u8]], out: &Path) -> Vec<u8> {
    let mut cmd = pinned_gnu_tar();
    cmd.env("LC_ALL", "C")
        .args(["-b", "20"])
        .arg("-C")
        .arg(dir)
        .args(args)
        .arg("-cf")
        .arg(out);
    for r in roots {
        cmd.arg(std::ffi::OsStr::from_bytes(r));
    }
    common::run(&mut cmd);
    fs::read(out).unwrap()
}

/// `tar -tf` of `archive`, one name a line as stored.
fn gnu_listing(archive: &Path) -> Vec<String> {
    let mut cmd = Command::new("tar");
    cmd.args(["--quoting-style=literal", "-tf"]).arg(archive);
    let o = common::run(&mut cmd);
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The member names of `archive` as GNU tar lists them, without directories' trailing `/`.
fn gnu_names(archive: &Path) -> Vec<String> {
    gnu_listing(archive)
        .into_iter()
        .map(|l| l.strip_suffix('/').map(str::to_owned).unwrap_or(l))
        .collect()
}

/// The fixture of the GNU tar comparisons: [`build_tree`] in `t/` of a new temporary
/// directory; `None` (skip) without GNU tar 1.34.
fn gnu_fixture() -> Option<(TempDir, PathBuf)> {
    gnu_tar()?;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("t");
    fs::create_dir(&dir).unwrap();
    build_tree(&dir);
    Some((tmp, dir))
}

/// Our walk + pinned writer over the same roots; returns the archive and the member names.
fn ours(dir: &Path, roots: &[Vec<u8>], sel: &Selection) -> (Vec<u8>, Vec<String>) {
    let options = WriterOptions {
        blocking_factor: 20,
        ..WriterOptions::pinned(MTIME)
    };
    let mut w = Writer::new(Vec::new(), options).unwrap();
    let mut names = Vec::new();
    for e in walk::walk(dir, roots, sel) {
        let e = e.unwrap();
        names.push(String::from_utf8_lossy(&e.name).into_owned());
        w.append_entry(&e).unwrap();
    }
    (w.finish().unwrap().sink, names)
}

fn selection(patterns: &[&str], recursion: bool) -> Selection {
    Selection {
        excludes: Excludes::new(patterns).unwrap(),
        recursion,
        directories: true,
    }
}

fn compare(dir: &Path, tmp: &Path, patterns: &[&str], roots: &[&str], recursion: bool) {
    let mut args: Vec<String> = patterns.iter().map(|p| format!("--exclude={p}")).collect();
    if !recursion {
        args.push("--no-recursion".into());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root_bytes: Vec<&[u8]> = roots.iter().map(|r| r.as_bytes()).collect();
    let out = tmp.join("gnu.tar");
    let gnu = gnu_archive(dir, &args, &root_bytes, &out);
    let roots: Vec<Vec<u8>> = roots.iter().map(|r| r.as_bytes().to_vec()).collect();
    let (mine, names) = ours(dir, &roots, &selection(patterns, recursion));
    let case = format!("patterns {patterns:?} roots {roots:?} recursion {recursion}");
    assert_eq!(names, gnu_names(&out), "{case}");
    assert!(mine == gnu, "archive bytes differ: {case}");
}

#[test]
fn walk_and_excludes_match_gnu_tar() {
    let Some((tmp, dir)) = gnu_fixture() else {
        return;
    };
    let pattern_sets: &[&[&str]] = &[
        &[],
        &[".DS_Store"],
        &["*.o"],
        &["a/b"],
        &["b"],
        &["a*c"],
        &["[[:upper:]]"],
        &["*/c", "order/a?b"],
        &["link_to_a", "dangling"],
        &["./a/b"],
        &["a/b/"],
        &["[ab"],
        &["a\\*c"],
        &["order/a[!-.]*"],
        &["[^a-z._]"],
        &["hl"],
    ];
    let root_sets: &[&[&str]] = &[
        &["."],
        &["a", "order", "x.o", "hl"],
        &["order/", "d", "a/b/c", "link_to_a", "order/../a/b2"],
    ];
    for patterns in pattern_sets {
        for roots in root_sets {
            compare(&dir, tmp.path(), patterns, roots, true);
        }
    }
    for patterns in [&[][..], &["a/b"], &["b*"]] {
        compare(
            &dir,
            tmp.path(),
            patterns,
            &["a", "a/b", "a/b/c", "order", "B"],
            false,
        );
    }
}

/// `--no-recursion --exclude=P`: GNU tar parses the pattern without `FNM_LEADING_DIR`, so an
/// explicitly named `a/b/c` stays; `Excludes::leading_dir(false)` gives the same.
#[test]
fn exclude_after_no_recursion_has_no_leading_dir() {
    let Some((tmp, dir)) = gnu_fixture() else {
        return;
    };
    let roots: [&[u8]; 4] = [b"a", b"a/b", b"a/b/c", b"B"];
    let out = tmp.path().join("g.tar");
    let gnu = gnu_archive(&dir, &["--no-recursion", "--exclude=a/b"], &roots, &out);
    let sel = Selection {
        excludes: Excludes::new(&["a/b"]).unwrap().leading_dir(false),
        recursion: false,
        directories: true,
    };
    let roots: Vec<Vec<u8>> = roots.iter().map(|r| r.to_vec()).collect();
    let (mine, names) = ours(&dir, &roots, &sel);
    assert_eq!(names, ["a", "a/b/c", "B"]);
    assert_eq!(names, gnu_names(&out));
    assert!(mine == gnu);
}

#[test]
fn absolute_roots_lose_their_slash_and_match_excludes() {
    let Some((tmp, dir)) = gnu_fixture() else {
        return;
    };
    let abs = dir.join("a");
    let abs = abs.to_str().unwrap();
    let pattern = format!("{abs}/b");
    compare(&dir, tmp.path(), &[pattern.as_str()], &[abs], true);
    // The same pattern without the leading '/' matches a tail of the name.
    let tail = pattern.trim_start_matches('/').to_owned();
    compare(&dir, tmp.path(), &[tail.as_str()], &[abs], true);
}

/// The seed's form: `--exclude=.DS_Store --null -T list` (with and without recursion),
/// names with a newline and a backslash included.
#[test]
fn null_file_list_matches_gnu_tar() {
    let Some((tmp, dir)) = gnu_fixture() else {
        return;
    };
    touch(&dir.join("new\nline"), b"nl");
    touch(&dir.join("back\\slash"), b"bs");
    let list: &[&[u8]] = &[
        b"a",
        b"new\nline",
        b".DS_Store",
        b"a/.DS_Store",
        b"back\\slash",
        b"order/a b",
        b"",
        b"d",
    ];
    let mut file = Vec::new();
    for n in list {
        file.extend_from_slice(n);
        file.push(0);
    }
    let list_path = tmp.path().join("list0");
    fs::write(&list_path, &file).unwrap();
    let names = walk::read_file_list(&file[..], true).unwrap();
    assert_eq!(names.len(), 7, "the empty entry is skipped");
    for recursion in [true, false] {
        let mut args = vec!["--exclude=.DS_Store"];
        if !recursion {
            args.push("--no-recursion");
        }
        args.extend(["--null", "-T", list_path.to_str().unwrap()]);
        let gnu = gnu_archive(&dir, &args, &[], &tmp.path().join("g.tar"));
        let (mine, got) = ours(&dir, &names, &selection(&[".DS_Store"], recursion));
        assert!(!got.iter().any(|n| n.ends_with(".DS_Store")));
        assert!(mine == gnu, "archive bytes differ (recursion {recursion})");
    }
}

/// `directories: false` yields GNU's members minus the directories, in the same order.
#[test]
fn without_directory_entries() {
    let Some((tmp, dir)) = gnu_fixture() else {
        return;
    };
    let out = tmp.path().join("g.tar");
    gnu_archive(&dir, &["--exclude=*.o"], &[b"."], &out);
    let expected: Vec<String> = gnu_listing(&out)
        .into_iter()
        .filter(|l| !l.ends_with('/'))
        .collect();
    let sel = Selection {
        directories: false,
        ..selection(&["*.o"], true)
    };
    let got: Vec<String> = walk::walk(&dir, &[b".".to_vec()], &sel)
        .map(|e| String::from_utf8_lossy(&e.unwrap().name).into_owned())
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn errors_do_not_stop_the_walk() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir(dir.join("locked")).unwrap();
    touch(&dir.join("locked/f"), b"x");
    touch(&dir.join("z"), b"z");
    set_mode(&dir.join("locked"), 0o000);
    let locked_readable = fs::read_dir(dir.join("locked")).is_ok();
    let roots = vec![b"missing".to_vec(), b"locked".to_vec(), b"z".to_vec()];
    let items: Vec<_> = walk::walk(dir, &roots, &Selection::default()).collect();
    set_mode(&dir.join("locked"), 0o755);
    assert!(matches!(&items[0], Err(Error::Read { .. })));
    assert_eq!(items[1].as_ref().unwrap().name, b"locked");
    if locked_readable {
        eprintln!("running as root: a mode 000 directory is still readable, skipping that part");
        assert_eq!(items[2].as_ref().unwrap().name, b"locked/f");
    } else {
        assert!(matches!(&items[2], Err(Error::Read { .. })));
    }
    assert_eq!(items[3].as_ref().unwrap().name, b"z");
    assert_eq!(items.len(), 4);
}
