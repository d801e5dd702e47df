//! The archive pipeline (issue 8 scope 2): byte identity with a direct write, one sink write
//! per record, failure propagation in both directions, tape early warning / end of medium on
//! vtape, and the ring's times-full / times-empty counters.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{self, ErrorKind, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::sleep;
use std::time::Duration;

use archive::pipeline::{
    self, FileSink, Options, PipelineError, RecordSink, SinkError, SinkOutcome, TapeSink,
};
use archive::{Writer, WriterOptions};
use tape_io::{OpenMode, ReadOutcome, Tape};
use vtape::medium::{Generation, Medium, MediumConfig};
use vtape::st::VirtualTape;

/// Deterministic pseudo-random bytes (xorshift64*), so file contents do not compress or repeat.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

/// A small tree; returns the names in archive order.
fn tree(dir: &Path) -> Vec<&'static str> {
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("a.txt"), b"hello\n").unwrap();
    std::fs::write(dir.join("empty"), b"").unwrap();
    std::fs::write(dir.join("sub/big.bin"), noise(1, 700_000)).unwrap();
    std::fs::write(dir.join("sub/odd.bin"), noise(2, 12_345)).unwrap();
    vec!["a.txt", "empty", "sub", "sub/big.bin", "sub/odd.bin"]
}

fn options(blocking_factor: u32) -> WriterOptions {
    WriterOptions {
        blocking_factor,
        label: Some("PIPE01".into()),
        ..WriterOptions::pinned(1_700_000_000)
    }
}

/// Writes the tree's archive into `w`; returns the record count `Writer::finish` reports.
fn archive_into<W: Write>(w: W, dir: &Path, names: &[&str], bf: u32) -> archive::Result<u64> {
    let mut tar = Writer::new(w, options(bf))?;
    for name in names {
        tar.append_from(dir, Path::new(name))?;
    }
    Ok(tar.finish()?.records)
}

/// Records every record's bytes.
#[derive(Default)]
struct Recording {
    records: Vec<Vec<u8>>,
    finished: bool,
}

impl RecordSink for Recording {
    fn write_record(&mut self, rec: &[u8]) -> io::Result<SinkOutcome> {
        self.records.push(rec.to_vec());
        Ok(SinkOutcome::Written)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.finished = true;
        Ok(())
    }
}

#[test]
fn output_is_byte_identical_to_a_direct_write() {
    let dir = tempfile::tempdir().unwrap();
    let names = tree(dir.path());
    for (bf, buffer_size) in [(16u32, 4 * 8192), (512, 1 << 20), (1, 2 * 512)] {
        let record_size = bf as usize * 512;
        let mut direct = Vec::new();
        let direct_records = archive_into(&mut direct, dir.path(), &names, bf).unwrap();

        let mut sink = Recording::default();
        let opts = Options {
            buffer_size,
            ..Options::default()
        };
        let (records, stats) = pipeline::run(&opts, record_size, &mut sink, |w| {
            archive_into(w, dir.path(), &names, bf)
        })
        .unwrap();

        assert_eq!(records, direct_records, "bf {bf}");
        assert_eq!(stats.records, direct_records, "bf {bf}");
        assert_eq!(stats.bytes, direct.len() as u64, "bf {bf}");
        assert!(sink.finished);
        // One sink write per record, each exactly one record long.
        assert!(
            sink.records.iter().all(|r| r.len() == record_size),
            "bf {bf}"
        );
        assert_eq!(sink.records.concat(), direct, "bf {bf}");
    }
}

#[test]
fn file_sink_gets_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let names = tree(dir.path());
    let mut direct = Vec::new();
    archive_into(&mut direct, dir.path(), &names, 512).unwrap();
    let out = dir.path().join("out.tar");
    let file = std::fs::File::create(&out).unwrap();
    let opts = Options {
        buffer_size: 3 * 262_144,
        prefault: true,
        ..Options::default()
    };
    pipeline::run(&opts, 262_144, FileSink::new(file), |w| {
        archive_into(w, dir.path(), &names, 512)
    })
    .unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), direct);
}

/// Fails on record `fail_at` (0-based) after accepting the ones before.
struct FailingSink {
    fail_at: usize,
    got: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl RecordSink for FailingSink {
    fn write_record(&mut self, rec: &[u8]) -> io::Result<SinkOutcome> {
        let mut got = self.got.lock().unwrap();
        if got.len() == self.fail_at {
            return Err(io::Error::other("drive on fire"));
        }
        got.push(rec.to_vec());
        Ok(SinkOutcome::Written)
    }
    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn failing_sink_stops_the_producer_and_both_errors_are_reported() {
    const RECORD: usize = 4096;
    const RING_BLOCKS: usize = 4;
    let got = Arc::new(Mutex::new(Vec::new()));
    let sink = FailingSink {
        fail_at: 5,
        got: Arc::clone(&got),
    };
    let opts = Options {
        buffer_size: RING_BLOCKS * RECORD,
        ..Options::default()
    };
    let accepted = AtomicUsize::new(0);
    let result = pipeline::run(&opts, RECORD, sink, |w| {
        for i in 0..10_000u32 {
            let rec = vec![(i % 251) as u8; RECORD];
            w.write_all(&rec)?;
            accepted.fetch_add(1, Ordering::Relaxed);
        }
        Ok::<_, io::Error>(())
    });
    let Err(PipelineError::Sink {
        error,
        producer,
        stats,
    }) = result
    else {
        panic!("expected a sink error, got {result:?}");
    };
    let SinkError::Write { record, source } = &error else {
        panic!("expected a write error, got {error:?}");
    };
    assert_eq!((*record, source.to_string().as_str()), (5, "drive on fire"));
    let producer = producer.expect("the producer's write failed too");
    assert_eq!(producer.kind(), ErrorKind::BrokenPipe);
    assert!(producer.to_string().contains("drive on fire"), "{producer}");
    // Promptly: at most the ring, the record in the sink's hands and the one being filled.
    let accepted = accepted.load(Ordering::Relaxed);
    assert!(
        accepted <= 5 + 1 + RING_BLOCKS + 1,
        "producer wrote {accepted} records"
    );
    assert_eq!(stats.records, 5);
    // Nothing written before the failure is lost or reordered.
    let got = got.lock().unwrap();
    let expected: Vec<Vec<u8>> = (0..5u8).map(|i| vec![i; RECORD]).collect();
    assert_eq!(*got, expected);
}

#[test]
fn failing_sink_stops_a_tar_writer() {
    let dir = tempfile::tempdir().unwrap();
    let names = tree(dir.path());
    let got = Arc::new(Mutex::new(Vec::new()));
    let sink = FailingSink {
        fail_at: 2,
        got: Arc::clone(&got),
    };
    let opts = Options {
        buffer_size: 2 * 8192,
        ..Options::default()
    };
    let result = pipeline::run(&opts, 8192, sink, |w| {
        archive_into(w, dir.path(), &names, 16)
    });
    match result {
        Err(PipelineError::Sink {
            error: SinkError::Write { record: 2, .. },
            producer: Some(archive::Error::Write(e)),
            ..
        }) => assert_eq!(e.kind(), ErrorKind::BrokenPipe),
        other => panic!("unexpected {other:?}"),
    }
    let mut direct = Vec::new();
    archive_into(&mut direct, dir.path(), &names, 16).unwrap();
    assert_eq!(got.lock().unwrap().concat(), direct[..2 * 8192]);
}

#[test]
fn producer_error_keeps_the_whole_records_and_finishes_the_sink() {
    let mut sink = Recording::default();
    let opts = Options {
        buffer_size: 2 * 1024,
        high_watermark: 100,
        ..Options::default()
    };
    let result = pipeline::run(&opts, 1024, &mut sink, |w| {
        w.write_all(&[1u8; 3 * 1024 + 100])?;
        Err::<(), _>(io::Error::new(ErrorKind::InvalidData, "unreadable file"))
    });
    match result {
        Err(PipelineError::Producer { error, stats }) => {
            assert_eq!(error.to_string(), "unreadable file");
            assert_eq!(stats.records, 3);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(sink.records, vec![vec![1u8; 1024]; 3]);
    assert!(sink.finished);
}

fn assert_send<T: Send>() {}

#[test]
fn tape_backends_are_send() {
    assert_send::<TapeSink<VirtualTape<vtape::drive::Drive>>>();
    assert_send::<TapeSink<tape_io::StTape>>();
    assert_send::<TapeSink<&mut VirtualTape<vtape::drive::Drive>>>();
}

/// A 4 MiB medium: by vtape's documented rule (2 % of the partition, at least 2 MiB unless
/// the partition is tiny, then a quarter) the early-warning zone is the last 1 MiB.
fn small_tape(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("t.vtape");
    Medium::create(
        &path,
        &MediumConfig::new(Generation::Lto5).with_capacity(4 << 20),
    )
    .unwrap()
    .close()
    .unwrap();
    path
}

fn write_open(path: &Path) -> VirtualTape<vtape::drive::Drive> {
    VirtualTape::open(
        path,
        OpenMode {
            write: true,
            nonblock: false,
        },
    )
    .unwrap()
}

const REC: usize = 64 * 1024;

fn raw_records(w: &mut pipeline::RingWriter, n: usize) -> io::Result<()> {
    for i in 0..n {
        w.write_all(&noise(i as u64 + 10, REC))?;
    }
    Ok(())
}

#[test]
fn tape_sink_reports_early_warning_and_completes() {
    let dir = tempfile::tempdir().unwrap();
    let path = small_tape(dir.path());
    let mut tape = write_open(&path);
    // 52 records = 3.25 MiB: past the 3 MiB early-warning point, within the 4 MiB capacity.
    let opts = Options {
        buffer_size: 8 * REC,
        ..Options::default()
    };
    let mut sink = TapeSink::new(&mut tape);
    let ((), stats) = pipeline::run(&opts, REC, &mut sink, |w| raw_records(w, 52)).unwrap();
    assert!(sink.early_warning_seen());
    assert_eq!(sink.records(), 52);
    assert_eq!(stats.records, 52);
    // Record 48 is the first one ending beyond 3 MiB (48 × 64 KiB = 3 MiB exactly); a drive
    // may report early warning a little later, never earlier.
    let ew = stats.early_warning.expect("early warning reported");
    assert!((47..52).contains(&ew), "early warning at record {ew}");
    tape.close().unwrap();

    // Read back: the 52 records, then the filemark `finish` wrote, then end of data.
    let mut tape = VirtualTape::open(&path, OpenMode::default()).unwrap();
    tape.rewind().unwrap();
    let mut buf = vec![0u8; REC];
    for i in 0..52 {
        assert_eq!(tape.read_record(&mut buf).unwrap(), ReadOutcome::Data(REC));
        assert_eq!(buf, noise(i + 10, REC), "record {i}");
    }
    assert_eq!(tape.read_record(&mut buf).unwrap(), ReadOutcome::Filemark);
    assert_eq!(tape.read_record(&mut buf).unwrap(), ReadOutcome::EndOfData);
}

#[test]
fn tape_sink_fails_at_the_end_of_the_medium() {
    let dir = tempfile::tempdir().unwrap();
    let path = small_tape(dir.path());
    let mut tape = write_open(&path);
    let opts = Options {
        buffer_size: 8 * REC,
        ..Options::default()
    };
    // 80 records = 5 MiB do not fit on 4 MiB.
    let result = pipeline::run(&opts, REC, TapeSink::new(&mut tape), |w| raw_records(w, 80));
    match result {
        Err(PipelineError::Sink {
            error: SinkError::Write { record, source },
            producer,
            stats,
        }) => {
            assert!((48..=64).contains(&record), "failed at record {record}");
            assert_eq!(stats.records, record);
            assert!(stats.early_warning.is_some_and(|ew| ew < record));
            assert_eq!(source.kind(), ErrorKind::StorageFull, "{source}");
            assert!(producer.is_some_and(|e| e.kind() == ErrorKind::BrokenPipe));
        }
        other => panic!("unexpected {other:?}"),
    }
}

/// Sleeps before accepting each record.
struct SlowSink(Duration);

impl RecordSink for SlowSink {
    fn write_record(&mut self, _rec: &[u8]) -> io::Result<SinkOutcome> {
        sleep(self.0);
        Ok(SinkOutcome::Written)
    }
    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn slow_sink_fills_the_ring_and_never_runs_empty() {
    let opts = Options {
        buffer_size: 4 * 1024,
        ..Options::default()
    };
    let ((), stats) = pipeline::run(&opts, 1024, SlowSink(Duration::from_millis(20)), |w| {
        w.write_all(&[0u8; 12 * 1024])
    })
    .unwrap();
    assert_eq!(stats.records, 12);
    assert!(stats.times_full() > 0, "{stats:?}");
    assert_eq!(stats.times_empty(), 0, "{stats:?}");
    assert_eq!(stats.ring.max_fill_blocks, 4);
    assert!(stats.sink_time >= Duration::from_millis(12 * 20));
}

#[test]
fn slow_producer_makes_the_writer_run_empty() {
    let opts = Options {
        buffer_size: 8 * 1024,
        ..Options::default()
    };
    let progress = Mutex::new(None);
    let ((), stats) = pipeline::run(&opts, 1024, FileSink::new(io::sink()), |w| {
        *progress.lock().unwrap() = Some(w.progress());
        for _ in 0..6 {
            w.write_all(&[0u8; 1024])?;
            sleep(Duration::from_millis(20));
        }
        Ok::<_, io::Error>(())
    })
    .unwrap();
    assert_eq!(stats.records, 6);
    // The writer starts with the first record and can run dry after each of the six (the
    // producer sleeps after the last one too before it ends the stream).
    assert!(stats.times_empty() >= 1, "{stats:?}");
    assert!(stats.times_empty() <= 6, "{stats:?}");
    assert_eq!(stats.times_full(), 0);
    let progress = progress.into_inner().unwrap().unwrap();
    assert_eq!(progress.records_written(), 6);
    assert_eq!(progress.bytes_written(), 6 * 1024);
    assert_eq!(progress.early_warning(), None);
    assert!(!progress.sink_failed());
}

#[test]
fn zero_record_size_is_rejected() {
    let r = pipeline::run(&Options::default(), 0, FileSink::new(io::sink()), |_| {
        Ok::<_, io::Error>(())
    });
    assert!(matches!(r, Err(PipelineError::Buffer(_))));
}
