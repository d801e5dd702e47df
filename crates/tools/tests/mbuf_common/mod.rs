//! Shared helpers of the `mbuf_*` integration tests: which binary is under test, running it
//! with a feeder on stdin and a timeout, deterministic test data, and the reference mbuffer.
//!
//! `MBUF_TEST_BIN=/usr/bin/mbuffer cargo test -p tapekit-tools --test 'mbuf_*'` runs the same
//! tests against the real mbuffer R20230301: that is how the expectations were checked (tests of
//! mbuf extensions skip themselves then, see [`is_reference`]).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The real mbuffer, the reference for every side-by-side comparison.
pub const MBUFFER: &str = "/usr/bin/mbuffer";

/// The binary under test: `$MBUF_TEST_BIN`, else the built `mbuf`.
pub fn bin() -> PathBuf {
    match std::env::var_os("MBUF_TEST_BIN") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_BIN_EXE_mbuf")),
    }
}

/// Is the binary under test mbuffer itself (tests of mbuf extensions skip)?
pub fn is_reference() -> bool {
    prog(&bin()) == "mbuffer"
}

/// The reference mbuffer, or `None` (with a note) when it is not installed. In CI (`$CI`
/// set) a missing mbuffer fails the test.
pub fn mbuffer() -> Option<PathBuf> {
    let p = Path::new(MBUFFER);
    if p.exists() {
        return Some(p.to_path_buf());
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{MBUFFER} is needed in CI (apt-get install mbuffer)"
    );
    eprintln!("note: {MBUFFER} not installed: side-by-side part skipped");
    None
}

/// The message prefix a binary uses: the basename of its path (`mbuf`, `mbuffer`).
pub fn prog(bin: &Path) -> String {
    bin.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Deterministic pseudo-random bytes (xorshift64*), different for each seed.
pub fn data(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        out.extend_from_slice(&x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A small deterministic generator for chunk sizes and pauses.
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    /// A value in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

/// What goes to the child's stdin.
pub enum Input {
    /// /dev/null.
    Null,
    /// These bytes in one write, then EOF.
    Bytes(Vec<u8>),
    /// These bytes in random chunks (1 byte .. 3 blocks of 64 KiB) with random pauses
    /// (0-3 ms, one in 8 writes), then EOF.
    Chunked(Vec<u8>, u64),
    /// Keep the pipe open (nothing written) until the child exits.
    Open,
}

/// What one run produced.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// The terminating signal, if any.
    pub signal: Option<i32>,
    /// Standard output.
    pub out: Vec<u8>,
    /// Standard error (lossy UTF-8).
    pub err: String,
    /// Wall time.
    pub secs: f64,
}

/// Writes `input` to `stdin` from a thread.
pub fn feed(mut stdin: std::process::ChildStdin, input: Input) -> JoinHandle<()> {
    std::thread::spawn(move || match input {
        Input::Null | Input::Open => {}
        Input::Bytes(b) => {
            let _ = stdin.write_all(&b);
        }
        Input::Chunked(b, seed) => {
            let mut rng = Rng::new(seed);
            let mut pos = 0usize;
            while pos < b.len() {
                let n = (1 + rng.below(3 * 65536)) as usize;
                let end = (pos + n).min(b.len());
                if stdin
                    .write_all(b.get(pos..end).unwrap_or_default())
                    .is_err()
                {
                    return;
                }
                pos = end;
                if rng.below(8) == 0 {
                    std::thread::sleep(Duration::from_micros(rng.below(3000)));
                }
            }
        }
    })
}

/// Reads everything from `r` in a thread.
pub fn drain<R: Read + Send + 'static>(mut r: R) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = r.read_to_end(&mut v);
        v
    })
}

/// Waits for `child` at most `limit`; kills it and panics on a timeout.
pub fn wait_for(child: &mut Child, limit: Duration, what: &str) -> ExitStatus {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(st)) => return st,
            Ok(None) => {}
            Err(e) => panic!("{what}: wait: {e}"),
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Exit code and signal of a status.
pub fn code_signal(st: ExitStatus) -> (Option<i32>, Option<i32>) {
    use std::os::unix::process::ExitStatusExt;
    (st.code(), st.signal())
}

/// Runs `bin args` in `dir` with `input` on stdin, captures stdout and stderr; at most 60 s.
pub fn run_in(bin: &Path, args: &[&str], input: Input, dir: &Path) -> Run {
    let start = Instant::now();
    let mut child = Command::new(bin)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {bin:?}: {e}"));
    let stdin = child.stdin.take().expect("stdin");
    let keep_open = matches!(input, Input::Open);
    let feeder = feed(stdin, input);
    let out = drain(child.stdout.take().expect("stdout"));
    let err = drain(child.stderr.take().expect("stderr"));
    let st = wait_for(
        &mut child,
        Duration::from_secs(60),
        &format!("{bin:?} {args:?}"),
    );
    if !keep_open {
        let _ = feeder.join();
    }
    let (code, signal) = code_signal(st);
    Run {
        code,
        signal,
        out: out.join().unwrap_or_default(),
        err: String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned(),
        secs: start.elapsed().as_secs_f64(),
    }
}

/// A fresh scratch directory.
pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

/// Path as &str (test paths are UTF-8).
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap_or_default()
}

/// Reads a file or panics.
pub fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("read {p:?}: {e}"))
}

/// Hex digest printed by a coreutils tool (`md5sum`, `sha256sum` ...) for `bytes`.
pub fn coreutils_digest(tool: &str, bytes: &[u8]) -> Option<String> {
    let mut child = Command::new(tool)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let b = bytes.to_vec();
    let t = std::thread::spawn(move || {
        let _ = stdin.write_all(&b);
    });
    let out = child.wait_with_output().ok()?;
    let _ = t.join();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .map(str::to_owned)
}

/// Replaces the program's own message prefix (`mbuf:` / `mbuffer:`) by `PROG:` so that the
/// messages of the two programs can be compared.
pub fn normalise(err: &str, prog: &str) -> String {
    err.replace(&format!("{prog}: "), "PROG: ")
}

/// The first line of stderr that carries `kind` (`error:`, `fatal:`, `warning:`), if any.
pub fn has_kind(err: &str, kind: &str) -> bool {
    err.lines().any(|l| l.contains(&format!(": {kind}: ")))
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Waits until something listens on `port` (per /proc/net/tcp{,6}, without connecting: the
/// receiver accepts exactly one connection).
pub fn wait_listening(port: u16, child: &mut Child) {
    let needle = format!(":{port:04X} ");
    let start = Instant::now();
    loop {
        for f in ["/proc/net/tcp", "/proc/net/tcp6"] {
            let t = std::fs::read_to_string(f).unwrap_or_default();
            // local_address is the 2nd column, st the 4th; 0A = LISTEN.
            if t.lines().any(|l| {
                let c: Vec<&str> = l.split_whitespace().collect();
                c.len() > 3 && format!("{} ", c[1]).ends_with(&needle) && c[3] == "0A"
            }) {
                return;
            }
        }
        if let Ok(Some(st)) = child.try_wait() {
            panic!("receiver exited with {st:?} before listening");
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "nobody listens on port {port}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
