//! Option validation, unsupported file types, and what "pinned" metadata guarantees.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use archive::{Error, Writer, WriterOptions, MAX_BLOCKING_FACTOR};

#[test]
fn rejects_bad_blocking_factor_and_label() {
    for bf in [0, MAX_BLOCKING_FACTOR + 1] {
        let o = WriterOptions {
            blocking_factor: bf,
            ..WriterOptions::default()
        };
        assert!(matches!(Writer::new(Vec::new(), o), Err(Error::BlockingFactor(b)) if b == bf));
    }
    // GNU tar: "Volume label is too long (limit is 99 bytes)".
    let o = WriterOptions {
        label: Some("L".repeat(100)),
        ..WriterOptions::default()
    };
    assert!(matches!(
        Writer::new(Vec::new(), o),
        Err(Error::LabelLength(100))
    ));
    let o = WriterOptions {
        label: Some("L".repeat(99)),
        ..WriterOptions::default()
    };
    assert!(Writer::new(Vec::new(), o).is_ok());
}

#[test]
fn fifo_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("fifo");
    let Ok(st) = Command::new("mkfifo").arg(&fifo).status() else {
        eprintln!("skipping: mkfifo not found");
        return;
    };
    assert!(st.success());
    let mut w = Writer::new(Vec::new(), WriterOptions::pinned(0)).unwrap();
    let err = w.append_from(tmp.path(), Path::new("fifo")).unwrap_err();
    assert!(matches!(err, Error::UnsupportedType(_)), "{err}");
    assert_eq!(w.position().block, 0);
    let missing = w.append_from(tmp.path(), Path::new("missing")).unwrap_err();
    assert!(matches!(missing, Error::Read { .. }), "{missing}");
}

/// Pinned output depends on names, types, contents and permission bits only: changing the
/// files' mtimes between two runs changes nothing.
#[test]
fn pinned_output_ignores_file_mtimes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir(dir.join("d")).unwrap();
    fs::write(dir.join("d/f"), b"data").unwrap();
    let run = || {
        let options = WriterOptions {
            label: Some("PIN".into()),
            ..WriterOptions::pinned(1_234_567_890)
        };
        let mut w = Writer::new(Vec::new(), options).unwrap();
        for n in ["d", "d/f"] {
            w.append_from(dir, Path::new(n)).unwrap();
        }
        w.finish().unwrap().sink
    };
    let first = run();
    let later = SystemTime::now() - Duration::from_secs(86_400 * 400);
    fs::File::options()
        .write(true)
        .open(dir.join("d/f"))
        .unwrap()
        .set_modified(later)
        .unwrap();
    fs::File::open(dir.join("d"))
        .unwrap()
        .set_modified(later)
        .unwrap();
    assert!(first == run());
    // The pinned mtime is in every header: 1234567890 = 0o11145401322.
    assert_eq!(&first[136..148], b"11145401322\0");
    assert_eq!(&first[512 + 136..512 + 148], b"11145401322\0");
}
