//! Fuzz target: the vtape drive's command dispatch. Arbitrary CDBs and data go to one
//! `Drive` on a small temporary medium (created once per process); every completion must
//! be well formed: GOOD with no sense, or CHECK CONDITION with parseable fixed sense, and a
//! residual no larger than the buffer. Must never panic.
//!
//! Input: byte 0 = CDB length class (0: 6, 1: 10, 2: 12, 3: 16, otherwise byte 0 & 0x1F
//! bytes), then the CDB, then one direction byte (0 none, 1 data-in, 2 data-out); data-in
//! takes a 2-byte big-endian buffer length, data-out takes the rest of the input.
#![no_main]

use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use scsi_sg::{DataDir, ScsiStatus, Sense};
use vtape::drive::{Drive, KeyStore};
use vtape::medium::{Generation, Medium, MediumConfig};

fn drive() -> Option<&'static Mutex<Drive>> {
    static DRIVE: OnceLock<Option<Mutex<Drive>>> = OnceLock::new();
    DRIVE
        .get_or_init(|| {
            let path = std::env::temp_dir().join(format!(
                "tapekit-fuzz-dispatch-{}.vtape",
                std::process::id()
            ));
            let cfg = MediumConfig::new(Generation::Lto9).with_capacity(8 << 20);
            let medium = Medium::create(&path, &cfg).ok();
            // The medium keeps its file open: unlink it now so no run leaves files behind.
            let _ = std::fs::remove_file(&path);
            let medium = medium?;
            // Keys in memory only: no `.drive-keys` file is left behind.
            Some(Mutex::new(
                Drive::from_medium(medium).with_key_store(KeyStore::Memory),
            ))
        })
        .as_ref()
}

fuzz_target!(|input: &[u8]| {
    let Some((&class, rest)) = input.split_first() else {
        return;
    };
    let cdb_len = match class {
        0 => 6,
        1 => 10,
        2 => 12,
        3 => 16,
        n => usize::from(n & 0x1F),
    };
    if rest.len() < cdb_len {
        return;
    }
    let (cdb, rest) = rest.split_at(cdb_len);
    if cdb.first() == Some(&scsi_sg::opcode::WRITE_FILEMARKS_6)
        && cdb.get(2..4).is_some_and(|c| c != [0, 0])
    {
        // Millions of filemarks are legal but only slow the fuzzer down.
        return;
    }
    let Some(drive) = drive() else {
        return;
    };
    let mut drive = drive.lock().unwrap_or_else(|e| e.into_inner());
    let mut buf;
    let (data, len) = match rest.split_first() {
        Some((1, tail)) => {
            let n = match tail {
                [hi, lo, ..] => usize::from(u16::from_be_bytes([*hi, *lo])),
                _ => 0,
            };
            buf = vec![0u8; n];
            (DataDir::FromDevice(&mut buf[..]), n)
        }
        Some((2, tail)) => (DataDir::ToDevice(tail), tail.len()),
        _ => (DataDir::None, 0),
    };
    let c = drive.execute(cdb, data);
    assert!(
        c.residual <= len,
        "residual {} > buffer {}",
        c.residual,
        len
    );
    match c.status {
        ScsiStatus::GOOD => assert!(c.sense_bytes.is_empty() && c.sense.is_none()),
        ScsiStatus::CHECK_CONDITION => {
            let s = Sense::parse(&c.sense_bytes).expect("parseable sense");
            assert_eq!(c.sense.as_ref(), Some(&s));
        }
        other => panic!("unexpected status {other:?}"),
    }
});
