//! Crash consistency: a writer process killed with SIGKILL at random moments loses at most
//! the record in flight; the next open recovers and writing continues.
//!
//! The test re-executes its own binary as the writer (`crash_child_writer`, active only when
//! `VTAPE_CRASH_CHILD` names a medium file).
#![allow(clippy::unwrap_used, clippy::panic)] // test code: helpers fail the test

use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use vtape::medium::{Generation, Medium, MediumConfig, MediumError, ObjectKind};

const CHILD_ENV: &str = "VTAPE_CRASH_CHILD";
const LIMIT_ENV: &str = "VTAPE_CRASH_LIMIT";

/// Content of object `n`: a filemark every 37 objects, else a record whose bytes derive
/// from `n`.
fn content(n: u64) -> Option<Vec<u8>> {
    if n % 37 == 36 {
        return None;
    }
    let len = 1 + (n as usize * 7919) % 8192;
    Some(
        (0..len)
            .map(|i| (n as usize).wrapping_mul(131).wrapping_add(i * 7) as u8)
            .collect(),
    )
}

fn write_object(m: &mut Medium, n: u64) -> Result<(), MediumError> {
    match content(n) {
        Some(data) => m.write_record(0, n, &data, &n.to_le_bytes()).map(|_| ()),
        None => m.write_filemarks(0, n, 1).map(|_| ()),
    }
}

/// The writer: appends objects at end of data up to the limit, syncing now and then, then
/// waits to be killed.
#[test]
fn crash_child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let limit: u64 = std::env::var(LIMIT_ENV).unwrap().parse().unwrap();
    let mut m = Medium::open(&path).unwrap();
    let mut n = m.object_count(0);
    while n < limit {
        write_object(&mut m, n).unwrap();
        n += 1;
        if n % 1000 == 0 {
            m.sync().unwrap();
        }
    }
    std::thread::sleep(Duration::from_secs(60));
}

fn verify(m: &Medium) {
    let mut buf = vec![0u8; 16384];
    for n in 0..m.object_count(0) {
        match content(n) {
            None => assert_eq!(
                m.object(0, n).unwrap().kind,
                ObjectKind::Filemark,
                "object {n}"
            ),
            Some(data) => {
                let r = m.read_record(0, n, &mut buf).unwrap();
                assert_eq!(&buf[..r.copied], &data[..], "object {n}");
                assert_eq!(r.metadata, n.to_le_bytes());
            }
        }
    }
}

#[test]
fn sigkill_during_writes_loses_at_most_the_record_in_flight() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.vtape");
    let cfg = MediumConfig::new(Generation::Lto7).with_capacity(1 << 30);
    Medium::create(&path, &cfg).unwrap().close().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
        | 1;
    let mut count = 0u64;
    for round in 1..=8u64 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_child_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .env(LIMIT_ENV, (round * 2500).to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(5 + seed % 80));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let m = Medium::open(&path).unwrap();
        let now = m.object_count(0);
        assert!(now >= count, "round {round}: {now} objects, had {count}");
        eprintln!("round {round}: {now} objects, report {:?}", m.open_report());
        verify(&m);
        count = now;
    }
    let mut m = Medium::open(&path).unwrap();
    let n = m.object_count(0);
    write_object(&mut m, n).unwrap();
    m.close().unwrap();
    let m = Medium::open(&path).unwrap();
    assert_eq!(m.object_count(0), n + 1);
    verify(&m);
}
