//! Engine tests on files, `.vtape` media and loopback TCP, with Options built directly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tape_io::{OpenMode as TapeOpenMode, ReadOutcome};
use vtape::medium::{Generation, Medium, MediumConfig};

use super::run;
use crate::device::open_tape;
use crate::mbuf::options::*;

fn base(input: &Path, outputs: Vec<OutputSpec>) -> Options {
    Options {
        program: "mbuf".into(),
        input: InputSpec::File(input.to_path_buf()),
        outputs,
        block_size: 64 * 1024,
        blocks: 16,
        high_watermark: None,
        low_watermark: None,
        read_rate: None,
        write_rate: None,
        pause: None,
        volume_size: None,
        input_volumes: None,
        autoload_command: None,
        autoload_time: None,
        tapeaware: false,
        sync: false,
        stop_on_error: false,
        device_blocksize: false,
        direct: false,
        hashes: vec![],
        log_file: None,
        quiet: true,
        quiet_log: false,
        verbose: verbosity::WARNING,
        watchdog: None,
        print_pid: false,
        mlock: false,
        prefault: false,
        backing: BufferBacking::Memory,
        status_interval: Duration::from_millis(500),
        framed: false,
        progress: false,
        stats_json: None,
        warnings: vec![],
    }
}

fn out(path: &Path) -> OutputSpec {
    OutputSpec::File {
        path: path.to_path_buf(),
        mode: OpenMode::Exclusive,
    }
}

/// Deterministic, non-repeating test data.
fn data(len: usize) -> Vec<u8> {
    let mut x = 0x1234_5678u32;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

fn input_file(dir: &Path, len: usize) -> (PathBuf, Vec<u8>) {
    let p = dir.join("in");
    let d = data(len);
    std::fs::write(&p, &d).unwrap();
    (p, d)
}

#[test]
fn fan_out_hashes_and_stats() {
    let dir = tempfile::tempdir().unwrap();
    let (inp, d) = input_file(dir.path(), 1_000_003);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let json = dir.path().join("stats.json");
    let mut o = base(&inp, vec![out(&a), out(&b)]);
    o.hashes = vec![HashAlg::Md5, HashAlg::Sha256];
    o.high_watermark = Some(50.0);
    o.stats_json = Some(json.clone());
    o.backing = BufferBacking::TempFile;
    assert_eq!(run(&o), 0);
    assert_eq!(std::fs::read(&a).unwrap(), d);
    assert_eq!(std::fs::read(&b).unwrap(), d);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(doc["bytes_in"], 1_000_003);
    assert_eq!(doc["outputs"][1]["bytes"], 1_000_003);
    assert_eq!(doc["exit_code"], 0);
    // Same digest as the sha2 crate computes over the input on its own.
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(&d)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(doc["hashes"]["sha256"], hex.as_str());
}

#[test]
fn existing_output_fails_but_others_get_the_stream() {
    let dir = tempfile::tempdir().unwrap();
    let (inp, d) = input_file(dir.path(), 300_000);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::write(&a, b"keep").unwrap();
    assert_eq!(run(&base(&inp, vec![out(&a), out(&b)])), 1);
    assert_eq!(std::fs::read(&a).unwrap(), b"keep");
    assert_eq!(std::fs::read(&b).unwrap(), d);
    // With -f semantics (Truncate) the same run succeeds.
    let o = base(
        &inp,
        vec![OutputSpec::File {
            path: a.clone(),
            mode: OpenMode::Truncate,
        }],
    );
    assert_eq!(run(&o), 0);
    assert_eq!(std::fs::read(&a).unwrap(), d);
}

#[test]
fn missing_input_is_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let o = base(&dir.path().join("nope"), vec![out(&dir.path().join("x"))]);
    assert_eq!(run(&o), 1);
}

/// A `-A` command that saves the full volume under a numbered name and puts `fresh` in
/// its place (`$1` is the device path).
fn rotate_command(fresh: &Path) -> String {
    format!(
        "sh -c 'n=$(ls \"$1\".vol* 2>/dev/null | wc -l); mv \"$1\" \"$1.vol$n\"; cp \"$0\" \"$1\"' {}",
        fresh.display()
    )
}

fn volumes(path: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = (0..100)
        .map(|i| PathBuf::from(format!("{}.vol{i}", path.display())))
        .filter(|p| p.exists())
        .collect();
    v.push(path.to_path_buf());
    v
}

#[test]
fn volume_size_splits_a_file_output() {
    let dir = tempfile::tempdir().unwrap();
    let (inp, d) = input_file(dir.path(), 10 * 65536 + 123);
    let target = dir.path().join("vol");
    let fresh = dir.path().join("empty");
    std::fs::write(&fresh, b"").unwrap();
    let mut o = base(&inp, vec![out(&target)]);
    o.volume_size = Some(3 * 65536);
    o.autoload_command = Some(rotate_command(&fresh));
    assert_eq!(run(&o), 0);
    let vols = volumes(&target);
    assert_eq!(vols.len(), 4);
    let mut all = Vec::new();
    for v in &vols {
        let bytes = std::fs::read(v).unwrap();
        assert!(bytes.len() <= 3 * 65536);
        all.extend(bytes);
    }
    assert_eq!(all, d);
}

fn read_vtape(path: &Path) -> Vec<Vec<u8>> {
    let mut t = open_tape(path, TapeOpenMode::default()).unwrap();
    t.rewind().unwrap();
    let mut records = Vec::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match t.read_record(&mut buf).unwrap() {
            ReadOutcome::Data(n) => records.push(buf[..n].to_vec()),
            ReadOutcome::Filemark | ReadOutcome::EndOfData => return records,
        }
    }
}

fn multi_volume_vtape(tapeaware: bool) {
    let dir = tempfile::tempdir().unwrap();
    let (inp, d) = input_file(dir.path(), 9 * 1024 * 1024 + 4567);
    let fresh = dir.path().join("fresh.vtape");
    let cfg = MediumConfig::new(Generation::Lto6).with_capacity(4 << 20);
    Medium::create(&fresh, &cfg).unwrap().close().unwrap();
    let target = dir.path().join("drive.vtape");
    std::fs::copy(&fresh, &target).unwrap();
    let mut o = base(&inp, vec![out(&target)]);
    o.block_size = 256 * 1024;
    o.tapeaware = tapeaware;
    o.autoload_command = Some(rotate_command(&fresh));
    assert_eq!(run(&o), 0);
    let vols = volumes(&target);
    assert!(vols.len() >= 3, "{vols:?}");
    let mut all = Vec::new();
    for v in &vols {
        let recs = read_vtape(v);
        let n = recs.len();
        for (i, r) in recs.into_iter().enumerate() {
            // Every record is one whole block except the very last of the stream.
            if i + 1 < n || v != vols.last().unwrap() {
                assert_eq!(r.len(), 256 * 1024);
            }
            all.extend(r);
        }
    }
    assert_eq!(all.len(), d.len());
    assert!(all == d, "volumes do not concatenate to the input");
}

#[test]
fn vtape_end_of_medium_changes_volume_without_loss() {
    multi_volume_vtape(false);
}

#[test]
fn vtape_end_of_medium_tapeaware() {
    multi_volume_vtape(true);
}

#[test]
fn end_of_medium_without_tty_or_command_is_an_error() {
    if super::volume::have_tty() {
        return; // the prompt would wait for a key
    }
    let dir = tempfile::tempdir().unwrap();
    let (inp, _) = input_file(dir.path(), 6 << 20);
    let target = dir.path().join("drive.vtape");
    let cfg = MediumConfig::new(Generation::Lto6).with_capacity(4 << 20);
    Medium::create(&target, &cfg).unwrap().close().unwrap();
    let mut o = base(&inp, vec![out(&target)]);
    o.block_size = 256 * 1024;
    assert_eq!(run(&o), 1);
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn listen_opts(port: u16, framed: bool, target: &Path) -> Options {
    let mut o = base(Path::new("/dev/null"), vec![out(target)]);
    o.input = InputSpec::Listen {
        peer: Some("127.0.0.1".into()),
        port,
        net: NetOptions {
            family: Family::V4,
            tcp_buffer: None,
            timeout: Some(Duration::from_secs(10)),
        },
    };
    o.framed = framed;
    o
}

#[test]
fn framed_network_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (inp, d) = input_file(dir.path(), 2_000_000);
    let got = dir.path().join("got");
    let port = free_port();
    let recv = listen_opts(port, true, &got);
    let receiver = std::thread::spawn(move || run(&recv));
    let mut send = base(
        &inp,
        vec![OutputSpec::Connect {
            host: "127.0.0.1".into(),
            port,
            net: NetOptions::default(),
            retry: Some(Duration::from_secs(10)),
        }],
    );
    send.framed = true;
    assert_eq!(run(&send), 0);
    assert_eq!(receiver.join().unwrap(), 0);
    assert_eq!(std::fs::read(&got).unwrap(), d);
}

#[test]
fn truncated_framed_stream_fails() {
    let dir = tempfile::tempdir().unwrap();
    let got = dir.path().join("got");
    let port = free_port();
    let recv = listen_opts(port, true, &got);
    let receiver = std::thread::spawn(move || run(&recv));
    let mut s = loop {
        match std::net::TcpStream::connect(("127.0.0.1", port)) {
            Ok(s) => break s,
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    let mut wire = Vec::new();
    let mut fw = super::framed::FramedWriter::default();
    fw.write_frame(&mut wire, b"partial data").unwrap();
    s.write_all(&wire).unwrap();
    drop(s); // sender "dies" before the trailer
    assert_eq!(receiver.join().unwrap(), 1);
    assert_eq!(std::fs::read(&got).unwrap(), b"partial data");
}

#[test]
fn write_rate_limit_is_smooth_and_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let (inp, d) = input_file(dir.path(), 1 << 20);
    let target = dir.path().join("o");
    let mut o = base(&inp, vec![out(&target)]);
    o.write_rate = Some(4 << 20);
    let t = Instant::now();
    assert_eq!(run(&o), 0);
    let secs = t.elapsed().as_secs_f64();
    // 1 MiB at 4 MiB/s: about 0.25 s (minus the small initial burst allowance of 0.1 s).
    assert!(secs > 0.12, "{secs}");
    assert_eq!(std::fs::read(&target).unwrap(), d);
}

#[test]
fn receiver_gone_ends_the_sender_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let (inp, _) = input_file(dir.path(), 64 << 20);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let killer = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut buf = vec![0u8; 100_000];
        s.read_exact(&mut buf).unwrap();
        // Close with unread data: the sender sees ECONNRESET/EPIPE.
    });
    let o = base(
        &inp,
        vec![OutputSpec::Connect {
            host: "127.0.0.1".into(),
            port,
            net: NetOptions::default(),
            retry: None,
        }],
    );
    let t = Instant::now();
    assert_eq!(run(&o), 1);
    assert!(t.elapsed() < Duration::from_secs(10));
    killer.join().unwrap();
}
