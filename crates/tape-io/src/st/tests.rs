//! StTape on non-tape files. Real st behaviour (filemarks, ENOMEM, ENOSPC alternation) is
//! exercised later against a kernel st driver in the VM harness; here only what any file
//! shows: errno mapping, and the 0-byte-read rule of `reference/st-driver.md` §5.

use super::*;
use std::io::Write;

#[test]
fn open_missing_path_is_open_enoent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = StTape::open(dir.path().join("nst9"), OpenMode::default()).err();
    assert!(
        matches!(err, Some(TapeError::Open(Errno::ENOENT))),
        "{err:?}"
    );
}

#[test]
fn ioctls_on_dev_null_are_enotty() {
    let mode = OpenMode {
        write: false,
        nonblock: true,
    };
    let mut t = StTape::open("/dev/null", mode).expect("open /dev/null");
    let status = t.status().err();
    assert_eq!(
        status.as_ref().and_then(TapeError::errno),
        Some(Errno::ENOTTY),
        "{status:?}"
    );
    let tell = t.tell().err();
    assert_eq!(
        tell.as_ref().and_then(TapeError::errno),
        Some(Errno::ENOTTY),
        "{tell:?}"
    );
    let op = t.rewind().err();
    assert_eq!(
        op.as_ref().and_then(TapeError::errno),
        Some(Errno::ENOTTY),
        "{op:?}"
    );
}

#[test]
fn zero_reads_are_filemark_then_end_of_data() {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(b"abc").expect("write");
    let mut t = StTape::open(file.path(), OpenMode::default()).expect("open");
    let mut buf = [0u8; 16];
    assert_eq!(t.read_record(&mut buf).ok(), Some(ReadOutcome::Data(3)));
    assert_eq!(t.read_record(&mut buf).ok(), Some(ReadOutcome::Filemark));
    // An empty buffer reads nothing and does not break the pair of 0 returns.
    assert_eq!(t.read_record(&mut []).ok(), Some(ReadOutcome::Data(0)));
    // status() does not move the tape, so the pair holds across it.
    assert!(t.status().is_err());
    assert_eq!(t.read_record(&mut buf).ok(), Some(ReadOutcome::EndOfData));
    assert_eq!(t.read_record(&mut buf).ok(), Some(ReadOutcome::EndOfData));
    // Any MTIOCTOP (even a failing one) starts over: the next 0 is a filemark again.
    assert!(t.space_files_forward(1).is_err());
    assert_eq!(t.read_record(&mut buf).ok(), Some(ReadOutcome::Filemark));
}

#[test]
fn enospc_is_no_space_not_an_error() {
    // /dev/full answers every write with ENOSPC, like st past early warning on every other
    // write.
    let mode = OpenMode {
        write: true,
        nonblock: false,
    };
    let mut t = StTape::open("/dev/full", mode).expect("open /dev/full");
    assert_eq!(
        t.write_record(&[0u8; 512]).ok(),
        Some(WriteOutcome::NoSpace)
    );
    assert_eq!(
        t.write_record(&[0u8; 512]).ok(),
        Some(WriteOutcome::NoSpace)
    );
}

#[test]
fn plain_write_asks_nothing() {
    // /dev/null has no MTIOCGET; a full write must not depend on it.
    let mode = OpenMode {
        write: true,
        nonblock: false,
    };
    let mut t = StTape::open("/dev/null", mode).expect("open /dev/null");
    assert_eq!(
        t.write_record(&[0u8; 512]).ok(),
        Some(WriteOutcome::Written(512))
    );
    let fd = t.into_fd();
    assert!(fd.as_raw_fd() >= 0);
}

#[test]
fn write_protect_errnos() {
    assert!(matches!(
        TapeError::from_write_errno(Errno::EACCES),
        TapeError::WriteProtected(Errno::EACCES)
    ));
    assert!(matches!(
        TapeError::from_write_errno(Errno::EROFS),
        TapeError::WriteProtected(Errno::EROFS)
    ));
    assert!(matches!(
        TapeError::from_write_errno(Errno::EIO),
        TapeError::Os(Errno::EIO)
    ));
}

#[test]
fn positioning_ops_forget_early_warning() {
    assert!(keeps_write_position(MtOp::Weof));
    assert!(!keeps_write_position(MtOp::Rew));
    assert!(!keeps_write_position(MtOp::Seek));
    assert!(!keeps_write_position(MtOp::SetPart));
}
