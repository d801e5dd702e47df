//! `tapetar`'s command line and failure behaviour: usage errors exit 2; GNU tar's refusal of
//! an empty archive; a file that cannot be read is reported, skipped, and the exit status is
//! 2 after an otherwise complete archive (GNU tar's "Exiting with failure status due to
//! previous errors"); options that need a drive are refused before the output is created;
//! `--exclude`, `--no-recursion`, `--no-directories` and `-T --null` select what GNU tar
//! would; keys have no command-line or environment option.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod tapetar_util;

use tapetar_util::{fixture, tapetar, tapetar_ok};

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(tapetar(d, &[]).0, 2);
    assert_eq!(tapetar(d, &["create"]).0, 2, "-f is required");
    assert_eq!(
        tapetar(d, &["create", "-f", "x.tar", "-m", "12Q", "a"]).0,
        2
    );
    assert_eq!(
        tapetar(d, &["create", "-f", "x.tar", "-P", "101", "a"]).0,
        2
    );
    assert_eq!(tapetar(d, &["create", "-f", "x.tar", "-b", "0", "a"]).0, 2);
    // No option takes a key itself: only a key file.
    let (code, _, err) = tapetar(d, &["create", "-f", "x.tar", "--key", "00", "a"]);
    assert_eq!(code, 2);
    assert!(err.contains("--key"), "{err}");
    assert!(!d.join("x.tar").exists());
    let (code, out, _) = tapetar(d, &["--help"]);
    assert_eq!(code, 0);
    for cmd in ["create", "list", "verify", "extract", "label"] {
        assert!(out.contains(cmd), "{out}");
    }
}

#[test]
fn empty_archive_and_drive_options_are_refused_first() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fixture(d);
    let (code, _, err) = tapetar(d, &["create", "-f", "x.tar"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "tapetar: Cowardly refusing to create an empty archive\n"
    );
    let (code, _, err) = tapetar(
        d,
        &["create", "-f", "x.tar", "--barcode", "ABC123L6", "tree"],
    );
    assert_eq!(code, 2);
    assert_eq!(err, "tapetar: --barcode needs a tape or .vtape\n");
    let (code, _, err) = tapetar(d, &["create", "-f", "x.tar", "--append", "tree"]);
    assert_eq!(code, 2);
    assert!(err.contains("--append needs a tape"), "{err}");
    let (code, _, _) = tapetar(
        d,
        &["create", "-f", "x.tar", "--label", &"x".repeat(100), "tree"],
    );
    assert_eq!(code, 2);
    assert!(!d.join("x.tar").exists() || std::fs::metadata(d.join("x.tar")).unwrap().len() == 0);
}

#[test]
fn missing_file_is_reported_and_the_rest_archived() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fixture(d);
    std::fs::write(
        d.join("list"),
        "tree/hello.txt\ntree/vanished\ntree/zz-last.txt\n",
    )
    .unwrap();
    let (code, _, err) = tapetar(
        d,
        &["create", "-f", "a.tar", "-T", "list", "--manifest", "m"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("tree/vanished"), "{err}");
    assert!(
        err.ends_with("tapetar: Exiting with failure status due to previous errors\n"),
        "{err}"
    );
    let listed = tapetar_ok(d, &["list", "-f", "a.tar"]);
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(listed.contains(" tree/hello.txt\n") && listed.contains(" tree/zz-last.txt\n"));
    assert_eq!(
        std::fs::read_to_string(d.join("m"))
            .unwrap()
            .lines()
            .count(),
        2
    );
}

fn names(d: &std::path::Path, archive: &str) -> Vec<String> {
    tapetar_ok(d, &["list", "-f", archive])
        .lines()
        .map(|l| {
            // mode owner size date time name [-> target | link to target]
            let mut rest = l;
            for _ in 0..5 {
                rest = rest.trim_start();
                rest = &rest[rest.find(' ').unwrap()..];
            }
            let name = rest.trim_start();
            let name = name.split(" -> ").next().unwrap();
            name.split(" link to ").next().unwrap().to_string()
        })
        .collect()
}

#[test]
fn selection_options() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fixture(d);
    // --exclude: a pattern matches any trailing run of components; '*' crosses '/'.
    tapetar_ok(
        d,
        &[
            "create",
            "-f",
            "e.tar",
            "--exclude",
            ".DS_Store",
            "--exclude",
            "sub",
            "tree",
        ],
    );
    let n = names(d, "e.tar");
    assert!(n.contains(&"tree/hello.txt".to_string()), "{n:?}");
    assert!(
        !n.iter()
            .any(|x| x.contains(".DS_Store") || x.contains("/sub")),
        "{n:?}"
    );
    // --no-recursion: the directory entry only.
    tapetar_ok(
        d,
        &[
            "create",
            "-f",
            "n.tar",
            "--no-recursion",
            "tree",
            "tree/hello.txt",
        ],
    );
    assert_eq!(names(d, "n.tar"), ["tree/", "tree/hello.txt"]);
    // --no-directories: contents without directory entries (the seed's `find -type f` list).
    tapetar_ok(
        d,
        &["create", "-f", "f.tar", "--no-directories", "tree/dir/sub"],
    );
    let n = names(d, "f.tar");
    assert!(n.iter().all(|x| !x.ends_with('/')), "{n:?}");
    assert_eq!(n.len(), 2, "{n:?}");
    // -T --null with a name containing a newline; -C.
    std::fs::write(d.join("tree/new\nline"), b"nl").unwrap();
    std::fs::write(d.join("list0"), b"new\nline\0hello.txt\0").unwrap();
    tapetar_ok(
        d,
        &[
            "create",
            "-f",
            "z.tar",
            "-C",
            "tree",
            "-T",
            "list0",
            "--null",
            "--manifest",
            "z.sha",
        ],
    );
    let listed = tapetar_ok(d, &["list", "-f", "z.tar"]);
    assert!(
        listed.contains(" new\\nline\n"),
        "GNU escape quoting: {listed}"
    );
    let manifest = std::fs::read_to_string(d.join("z.sha")).unwrap();
    assert!(
        manifest.starts_with('\\'),
        "sha256sum escapes the name: {manifest}"
    );
    assert!(manifest.contains("  new\\nline\n"), "{manifest}");
}
