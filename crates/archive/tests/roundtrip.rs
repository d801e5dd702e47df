//! Round trip: random trees (modes, mtimes, hard links, symlinks, long names over 100 bytes
//! and paths over 255 bytes, empty files, nested directories) → walk + Writer → Reader +
//! Extractor give the same tree; GNU tar extracts the same archive to the same tree; the
//! manifest passes `sha256sum -c` and `verify`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, UNIX_EPOCH};

use archive::extract::{ExtractOptions, Extractor};
use archive::read::Reader;
use archive::{walk, Writer, WriterOptions};
use proptest::prelude::*;

const RECORD: usize = 20 * 512;

#[derive(Debug, Clone)]
struct Spec {
    /// (parent dir index, name suffix, mode, mtime)
    dirs: Vec<(usize, String, u32, u32)>,
    /// (dir index, name suffix, content, mode, mtime)
    files: Vec<(usize, String, Vec<u8>, u32, u32)>,
    /// (dir index, name suffix, target)
    symlinks: Vec<(usize, String, String)>,
    /// (file index, dir index, name suffix)
    hard_links: Vec<(usize, usize, String)>,
}

fn suffix() -> impl Strategy<Value = String> {
    // Up to 110 characters (é is 2 bytes): components over 100 bytes, paths over 255.
    prop_oneof![
        "[a-z0-9 ._\\\\é-]{0,12}",
        "[a-z]{90,110}",
        Just("back\\slash and\nnewline".to_string()),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    let mtime = 0u32..=4_000_000_000;
    (
        prop::collection::vec((0usize..8, suffix(), 0u32..0o1000, mtime.clone()), 0..6),
        prop::collection::vec(
            (
                0usize..8,
                suffix(),
                prop_oneof![
                    Just(Vec::new()),
                    prop::collection::vec(any::<u8>(), 0..600),
                    prop::collection::vec(any::<u8>(), 10_000..12_000),
                ],
                0u32..0o1000,
                mtime,
            ),
            0..8,
        ),
        prop::collection::vec((0usize..8, suffix(), "[a-z./]{1,10}|t{100,150}"), 0..4),
        prop::collection::vec((0usize..8, 0usize..8, suffix()), 0..4),
    )
        .prop_map(|(dirs, files, symlinks, hard_links)| Spec {
            dirs,
            files,
            symlinks,
            hard_links,
        })
}

/// Builds the tree under `root` (which becomes directory index 0).
fn build(root: &Path, spec: &Spec) {
    fs::create_dir(root).unwrap();
    let mut dirs = vec![root.to_path_buf()];
    let mut dir_meta = vec![(0o755, 1_000_000_000)];
    for (i, (parent, sfx, mode, mtime)) in spec.dirs.iter().enumerate() {
        let p = dirs[parent % dirs.len()].join(format!("d{i}_{sfx}"));
        fs::create_dir(&p).unwrap();
        dirs.push(p);
        // Readable and writable by the owner, so a non-root walker can read it.
        dir_meta.push((mode | 0o700, *mtime));
    }
    let mut files = Vec::new();
    for (i, (dir, sfx, content, mode, mtime)) in spec.files.iter().enumerate() {
        let p = dirs[dir % dirs.len()].join(format!("f{i}_{sfx}"));
        fs::write(&p, content).unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(mode | 0o400)).unwrap();
        set_mtime(&p, *mtime);
        files.push(p);
    }
    for (i, (dir, sfx, target)) in spec.symlinks.iter().enumerate() {
        symlink(target, dirs[dir % dirs.len()].join(format!("s{i}_{sfx}"))).unwrap();
    }
    if !files.is_empty() {
        for (i, (file, dir, sfx)) in spec.hard_links.iter().enumerate() {
            let p = dirs[dir % dirs.len()].join(format!("h{i}_{sfx}"));
            fs::hard_link(&files[file % files.len()], p).unwrap();
        }
    }
    // Directory metadata last, deepest first.
    for (p, (mode, mtime)) in dirs.iter().zip(dir_meta).rev() {
        set_mtime(p, mtime);
        fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
    }
}

fn set_mtime(p: &Path, mtime: u32) {
    let f = fs::File::open(p).unwrap();
    f.set_modified(UNIX_EPOCH + Duration::from_secs(u64::from(mtime)))
        .unwrap();
}

/// Everything compared about one path (relative to the tree root).
#[derive(Debug, PartialEq, Eq)]
enum Node {
    Dir {
        mode: u32,
        mtime: i64,
    },
    File {
        mode: u32,
        mtime: i64,
        data: Vec<u8>,
        link_group: usize,
    },
    Symlink {
        target: Vec<u8>,
    },
}

/// Describes the tree below `root`; hard links are numbered by first appearance.
fn describe(root: &Path) -> BTreeMap<Vec<u8>, Node> {
    let mut out = BTreeMap::new();
    let mut inodes: BTreeMap<u64, usize> = BTreeMap::new();
    let mut stack = vec![PathBuf::new()];
    let mut names = Vec::new();
    while let Some(rel) = stack.pop() {
        let mut children: Vec<_> = fs::read_dir(root.join(&rel))
            .unwrap()
            .map(|e| rel.join(e.unwrap().file_name()))
            .collect();
        children.sort();
        for c in children {
            if fs::symlink_metadata(root.join(&c)).unwrap().is_dir() {
                stack.push(c.clone());
            }
            names.push(c);
        }
    }
    names.sort();
    for rel in names {
        let p = root.join(&rel);
        let md = fs::symlink_metadata(&p).unwrap();
        let node = if md.file_type().is_symlink() {
            let t = fs::read_link(&p).unwrap();
            Node::Symlink {
                target: t.as_os_str().as_bytes().to_vec(),
            }
        } else if md.is_dir() {
            Node::Dir {
                mode: md.mode() & 0o7777,
                mtime: md.mtime(),
            }
        } else {
            let n = inodes.len();
            Node::File {
                mode: md.mode() & 0o7777,
                mtime: md.mtime(),
                data: fs::read(&p).unwrap(),
                link_group: *inodes.entry(md.ino()).or_insert(n),
            }
        };
        out.insert(rel.as_os_str().as_bytes().to_vec(), node);
    }
    out
}

/// walk + Writer: the archive bytes and the manifest text.
fn create(base: &Path, root: &str) -> (Vec<u8>, Vec<u8>) {
    let options = WriterOptions {
        blocking_factor: u32::try_from(RECORD / 512).unwrap(),
        label: Some("RT".into()),
        ..WriterOptions::default()
    };
    let mut w = Writer::new(Vec::new(), options).unwrap();
    let mut manifest = Vec::new();
    for e in walk::walk(
        base,
        &[root.as_bytes().to_vec()],
        &walk::Selection::default(),
    ) {
        let e = e.unwrap();
        let m = w
            .append_path(&e.fs_path, Path::new(OsStr::from_bytes(&e.name)))
            .unwrap();
        if let Some(hex) = m.sha256_hex() {
            archive::manifest::write_entry(&mut manifest, &hex, &m.name).unwrap();
        }
    }
    let done = w.finish().unwrap();
    assert_eq!(done.sink.len() % RECORD, 0);
    (done.sink, manifest)
}

fn extract(archive: &[u8], dest: &Path) {
    let mut reader = Reader::new(archive, RECORD).unwrap();
    let options = ExtractOptions {
        preserve_permissions: true,
        ..ExtractOptions::default()
    };
    let report = Extractor::with_options(dest, options)
        .extract_all(&mut reader, None)
        .unwrap();
    assert!(report.ok(), "{report:?}");
}

/// GNU tar present? Under CI (where .ci/run installs it) its absence is a failure.
fn gnu_tar_available() -> bool {
    let found = Command::new("tar")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"tar (GNU tar)"));
    assert!(found || std::env::var_os("CI").is_none(), "GNU tar missing");
    found
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_trees_round_trip(spec in spec()) {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().join("src");
        fs::create_dir(&base).unwrap();
        build(&base.join("tree"), &spec);
        let want = describe(&base.join("tree"));
        let (tar, manifest) = create(&base, "tree");

        let ours = tmp.path().join("ours");
        extract(&tar, &ours);
        prop_assert_eq!(&describe(&ours.join("tree")), &want);

        // The manifest verifies against the archive.
        let m = archive::manifest::Manifest::parse(&manifest).unwrap();
        let report = archive::verify::verify(&mut Reader::new(&tar[..], RECORD).unwrap(), &m).unwrap();
        prop_assert!(report.ok(), "{:?}", report);

        if gnu_tar_available() {
            let gnu = tmp.path().join("gnu");
            fs::create_dir(&gnu).unwrap();
            let file = tmp.path().join("a.tar");
            fs::write(&file, &tar).unwrap();
            let out = Command::new("tar")
                .args(["-x", "-p", "-b", "20", "-f"])
                .arg(&file)
                .arg("-C")
                .arg(&gnu)
                .output()
                .unwrap();
            prop_assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            prop_assert_eq!(&describe(&gnu.join("tree")), &want);
        }
    }
}

#[test]
fn manifest_passes_sha256sum_check() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path();
    let tree = base.join("tree");
    fs::create_dir(&tree).unwrap();
    fs::write(tree.join("back\\slash"), b"x").unwrap();
    fs::write(tree.join("new\nline"), b"y").unwrap();
    fs::write(tree.join("carriage\rreturn"), b"z").unwrap();
    fs::write(tree.join("plain name"), b"").unwrap();
    let (_, manifest) = create(base, "tree");
    assert_eq!(manifest.iter().filter(|&&b| b == b'\n').count(), 4);
    fs::write(base.join("MANIFEST"), &manifest).unwrap();
    let Ok(out) = Command::new("sha256sum")
        .args(["-c", "--strict", "MANIFEST"])
        .current_dir(base)
        .output()
    else {
        assert!(std::env::var_os("CI").is_none(), "sha256sum missing");
        return;
    };
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // And coreutils' own output for the same files is byte-identical.
    let mut names: Vec<_> = fs::read_dir(&tree)
        .unwrap()
        .map(|e| PathBuf::from("tree").join(e.unwrap().file_name()))
        .collect();
    names.sort();
    let theirs = Command::new("sha256sum")
        .args(&names)
        .current_dir(base)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&theirs.stdout),
        String::from_utf8_lossy(&manifest)
    );
}
