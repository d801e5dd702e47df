//! Loopback network tests of `-I`/`-O` (reference/mbuffer.md §1, §4, §6 "Network", §7 #3 #4 #6):
//! raw TCP transfer (also across mbuf ↔ mbuffer, the wire format is plain bytes), a receiver that
//! dies mid-stream (the sender exits 1 quickly with an error and does not spin), nobody
//! listening ("Connection refused", then "no output left", exit 1), and the mbuf extensions
//! `--connect-retry` and `--framed` (a truncated transfer is detected by the receiver).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod mbuf_common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mbuf_common::{
    bin, data, drain, feed, free_port, has_kind, is_reference, mbuffer, read, s, tmp, wait_for,
    wait_listening, Input,
};

fn spawn(bin: &Path, args: &[String]) -> Child {
    Command::new(bin)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {bin:?}: {e}"))
}

fn strings(a: &[&str]) -> Vec<String> {
    a.iter().map(|x| (*x).to_string()).collect()
}

/// Receiver `rx -I port -o out`, sender `tx -O 127.0.0.1:port`; returns the exit codes, the
/// received bytes and both stderr texts.
fn transfer(
    rx: &Path,
    tx: &Path,
    input: &[u8],
    extra: &[&str],
) -> (Option<i32>, Option<i32>, Vec<u8>, String) {
    let dir = tmp();
    let out = dir.path().join("out");
    let port = free_port();
    let mut ra = strings(&["-q", "-s", "64k", "-m", "1M", "-I"]);
    ra.push(port.to_string());
    ra.extend(strings(extra));
    ra.extend(strings(&["-o", s(&out)]));
    let mut r = spawn(rx, &ra);
    let r_err = drain(r.stderr.take().expect("stderr"));
    wait_listening(port, &mut r);
    let mut ta = strings(&["-q", "-s", "64k", "-m", "1M"]);
    ta.extend(strings(extra));
    ta.extend(strings(&["-O", &format!("127.0.0.1:{port}")]));
    let mut t = spawn(tx, &ta);
    let feeder = feed(
        t.stdin.take().expect("stdin"),
        Input::Chunked(input.to_vec(), 5),
    );
    let t_err = drain(t.stderr.take().expect("stderr"));
    let ts = wait_for(&mut t, Duration::from_secs(60), "sender");
    let rs = wait_for(&mut r, Duration::from_secs(60), "receiver");
    let _ = feeder.join();
    let errs = format!(
        "sender: {}\nreceiver: {}",
        String::from_utf8_lossy(&t_err.join().unwrap_or_default()),
        String::from_utf8_lossy(&r_err.join().unwrap_or_default())
    );
    let got = std::fs::read(&out).unwrap_or_default();
    (ts.code(), rs.code(), got, errs)
}

#[test]
fn loopback_transfer_is_byte_identical() {
    let input = data(21, 5_000_001);
    let (tc, rc, got, errs) = transfer(&bin(), &bin(), &input, &[]);
    assert_eq!((tc, rc), (Some(0), Some(0)), "{errs}");
    assert!(
        got == input,
        "received {} bytes of {}: {errs}",
        got.len(),
        input.len()
    );
}

/// The wire format is raw bytes (§6): mbuf and mbuffer talk to each other both ways.
#[test]
fn loopback_interoperates_with_mbuffer() {
    let Some(reference) = mbuffer() else { return };
    let input = data(22, 3_000_000);
    for (rx, tx) in [(reference.clone(), bin()), (bin(), reference.clone())] {
        let (tc, rc, got, errs) = transfer(&rx, &tx, &input, &[]);
        assert_eq!((tc, rc), (Some(0), Some(0)), "rx {rx:?} tx {tx:?}: {errs}");
        assert!(
            got == input,
            "rx {rx:?} tx {tx:?}: {} bytes of {}",
            got.len(),
            input.len()
        );
    }
}

/// §4: `-O` with nobody listening: "Connection refused", "no output left", exit 1 — the same
/// for mbuf and mbuffer.
#[test]
fn connect_refused_exits_1() {
    let port = free_port();
    let mut bins = vec![bin()];
    bins.extend(mbuffer());
    for b in bins {
        let dir = tmp();
        let target = format!("127.0.0.1:{port}");
        let r = mbuf_common::run_in(
            &b,
            &["-q", "-O", &target],
            Input::Bytes(b"hello".to_vec()),
            dir.path(),
        );
        assert_eq!(r.code, Some(1), "{b:?}: {}", r.err);
        assert!(r.err.contains("Connection refused"), "{b:?}: {}", r.err);
        assert!(r.err.contains("no output left"), "{b:?}: {}", r.err);
    }
}

/// User CPU + system CPU seconds and exit code of `tx` run under /usr/bin/time.
struct Timed {
    code: Option<i32>,
    cpu: f64,
    wall_after_kill: f64,
    err: String,
}

/// Sender fed forever; the receiver is SIGKILLed after `after`; the sender must end on its
/// own (§4: EPIPE/ECONNRESET is an error; §7 #3: no spin).
fn kill_receiver(tx: &Path, rx: &Path, after: Duration) -> Timed {
    let dir = tmp();
    let port = free_port();
    let mut ra = strings(&["-q", "-s", "128k", "-m", "4M", "-I"]);
    ra.push(port.to_string());
    ra.extend(strings(&["-o", "/dev/null"]));
    let mut r = spawn(rx, &ra);
    let _r_err = drain(r.stderr.take().expect("stderr"));
    wait_listening(port, &mut r);
    let times = dir.path().join("times");
    let mut t = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%U %S")
        .arg("-o")
        .arg(&times)
        .arg(tx)
        .args([
            "-q",
            "-s",
            "128k",
            "-m",
            "16M",
            "-O",
            &format!("127.0.0.1:{port}"),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn /usr/bin/time");
    let mut stdin = t.stdin.take().expect("stdin");
    let chunk = data(23, 1 << 20);
    let feeder = std::thread::spawn(move || {
        // ~100 MB/s, forever, until the sender goes away.
        while stdin.write_all(&chunk).is_ok() {
            std::thread::sleep(Duration::from_millis(10));
        }
    });
    let t_err = drain(t.stderr.take().expect("stderr"));
    std::thread::sleep(after);
    let _ = r.kill();
    let _ = r.wait();
    let killed = Instant::now();
    let st = wait_for(
        &mut t,
        Duration::from_secs(30),
        "sender after the receiver died",
    );
    let wall_after_kill = killed.elapsed().as_secs_f64();
    let _ = feeder.join();
    let text = std::fs::read_to_string(&times).unwrap_or_default();
    let last = text.lines().last().unwrap_or_default().to_string();
    let cpu: f64 = last
        .split_whitespace()
        .filter_map(|x| x.parse::<f64>().ok())
        .sum();
    Timed {
        code: st.code(),
        cpu,
        wall_after_kill,
        err: String::from_utf8_lossy(&t_err.join().unwrap_or_default()).into_owned(),
    }
}

#[test]
fn receiver_killed_mid_stream_sender_exits_1_without_spinning() {
    if !Path::new("/usr/bin/time").exists() {
        eprintln!("skipped: /usr/bin/time missing");
        return;
    }
    let t = kill_receiver(&bin(), &bin(), Duration::from_millis(1500));
    assert_eq!(t.code, Some(1), "{}", t.err);
    assert!(
        has_kind(&t.err, "error") || has_kind(&t.err, "fatal"),
        "no error message: {}",
        t.err
    );
    // mbuffer R20230301 measured: exit 1 within a fraction of a second, 0.04 s CPU in total.
    assert!(
        t.wall_after_kill < 5.0,
        "sender took {:.1} s to give up",
        t.wall_after_kill
    );
    assert!(
        t.cpu < 1.0,
        "sender used {:.2} CPU s (spinning?): {}",
        t.cpu,
        t.err
    );
}

/// The mbuf sender against a dying mbuffer receiver: same rule.
#[test]
fn mbuffer_receiver_killed_mbuf_sender_exits_1() {
    let Some(reference) = mbuffer() else { return };
    if !Path::new("/usr/bin/time").exists() {
        return;
    }
    let t = kill_receiver(&bin(), &reference, Duration::from_millis(1000));
    assert_eq!(t.code, Some(1), "{}", t.err);
    assert!(
        t.wall_after_kill < 5.0 && t.cpu < 1.0,
        "{:.1} s, {:.2} CPU s",
        t.wall_after_kill,
        t.cpu
    );
}

/// `--connect-retry`: the sender starts before the receiver and still delivers (§7 #4).
#[test]
fn connect_retry_waits_for_the_receiver() {
    if is_reference() {
        return;
    }
    let dir = tmp();
    let out: PathBuf = dir.path().join("out");
    let port = free_port();
    let input = data(24, 2_000_000);
    let target = format!("127.0.0.1:{port}");
    let mut t = spawn(
        &bin(),
        &strings(&[
            "-q",
            "-s",
            "64k",
            "-m",
            "1M",
            "--connect-retry",
            "20s",
            "-O",
            &target,
        ]),
    );
    let feeder = feed(t.stdin.take().expect("stdin"), Input::Bytes(input.clone()));
    let t_err = drain(t.stderr.take().expect("stderr"));
    std::thread::sleep(Duration::from_millis(1500));
    let r = mbuf_common::run_in(
        &bin(),
        &["-q", "-I", &port.to_string(), "-o", s(&out)],
        Input::Null,
        dir.path(),
    );
    let ts = wait_for(&mut t, Duration::from_secs(30), "sender");
    let _ = feeder.join();
    let e = String::from_utf8_lossy(&t_err.join().unwrap_or_default()).into_owned();
    assert_eq!(
        (ts.code(), r.code),
        (Some(0), Some(0)),
        "sender: {e}\nreceiver: {}",
        r.err
    );
    assert!(read(&out) == input);
}

#[test]
fn framed_transfer_is_byte_identical() {
    if is_reference() {
        return;
    }
    let input = data(25, 3_333_333);
    let (tc, rc, got, errs) = transfer(&bin(), &bin(), &input, &["--framed"]);
    assert_eq!((tc, rc), (Some(0), Some(0)), "{errs}");
    assert!(
        got == input,
        "received {} bytes of {}",
        got.len(),
        input.len()
    );
}

/// A proxy that forwards only the first `limit` bytes and then closes both sides: the framed
/// receiver must notice the truncation and exit 1 (§7 #6).
#[test]
fn framed_receiver_detects_truncation() {
    if is_reference() {
        return;
    }
    let dir = tmp();
    let out = dir.path().join("out");
    let rport = free_port();
    let mut r = spawn(
        &bin(),
        &strings(&["-q", "--framed", "-I", &rport.to_string(), "-o", s(&out)]),
    );
    let r_err = drain(r.stderr.take().expect("stderr"));
    wait_listening(rport, &mut r);
    let proxy = TcpListener::bind("127.0.0.1:0").expect("bind");
    let pport = proxy.local_addr().expect("addr").port();
    let limit = 1_000_000usize;
    let px = std::thread::spawn(move || {
        let Ok((mut from, _)) = proxy.accept() else {
            return;
        };
        let Ok(mut to) = TcpStream::connect(("127.0.0.1", rport)) else {
            return;
        };
        let mut left = limit;
        let mut buf = vec![0u8; 65536];
        while left > 0 {
            let n = match from.read(&mut buf[..left.min(65536)]) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if to.write_all(&buf[..n]).is_err() {
                break;
            }
            left -= n;
        }
        // Dropping both streams closes them: the receiver sees a clean EOF mid-stream.
    });
    let input = data(26, 4_000_000);
    let tx = mbuf_common::run_in(
        &bin(),
        &["-q", "--framed", "-O", &format!("127.0.0.1:{pport}")],
        Input::Bytes(input),
        dir.path(),
    );
    let rs = wait_for(&mut r, Duration::from_secs(30), "receiver");
    let _ = px.join();
    let e = String::from_utf8_lossy(&r_err.join().unwrap_or_default()).into_owned();
    assert_eq!(rs.code(), Some(1), "receiver must fail: {e}");
    assert!(
        has_kind(&e, "error") || has_kind(&e, "fatal"),
        "receiver message: {e}"
    );
    // The sender lost its peer too.
    assert_eq!(tx.code, Some(1), "sender: {}", tx.err);
}
