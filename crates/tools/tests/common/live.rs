//! Running Debian's mt-st 1.7 and our `mt` under the LD_PRELOAD shim (`tests/shim/mtshim.c`),
//! which fakes st's ioctls on `/dev/null` and logs opens and MTIOCTOPs.
//!
//! Both programs get stderr on a file opened read-write: glibc's perror() only leaves errno
//! untouched when it can fdopen() stderr "w+", and mt-st 1.7 tests errno == ENOSYS *after*
//! perror, so its "Command not supported" line appears only with a read-write stderr (as on a
//! terminal).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// Debian's mt-st 1.7, called by full path (busybox may shadow `mt`).
pub const MT_ST: &str = "/bin/mt-st";
/// A character device that every user can open, so open() succeeds.
pub const DEV: &str = "/dev/null";

/// The compiled shim and a scratch directory.
pub struct Live {
    pub dir: tempfile::TempDir,
    pub shim: PathBuf,
}

/// What one run of a binary produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub code: Option<i32>,
    pub out: String,
    pub err: String,
    /// The shim's log: "open 0x…", "op OP COUNT", "get", "pos".
    pub log: Vec<String>,
}

fn have_cc() -> bool {
    Command::new("cc")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn build() -> Result<Live, String> {
    if !Path::new(MT_ST).exists() {
        return Err(format!("{MT_ST} is missing"));
    }
    if !have_cc() {
        return Err("cc is missing".into());
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let shim = dir.path().join("mtshim.so");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shim/mtshim.c");
    let out = Command::new("cc")
        .args(["-shared", "-fPIC", "-Wall", "-o"])
        .arg(&shim)
        .arg(&src)
        .arg("-ldl")
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "cc failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(Live { dir, shim })
}

/// The shim, built once per test binary; `None` (with a message) when mt-st or cc is missing
/// outside CI. In CI (`$CI` set) a missing prerequisite fails the test.
pub fn live() -> Option<&'static Live> {
    static LIVE: OnceLock<Result<Live, String>> = OnceLock::new();
    match LIVE.get_or_init(build) {
        Ok(l) => Some(l),
        Err(why) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "live mt-st comparison needs mt-st and cc in CI: {why}"
            );
            eprintln!("skipping the live comparison with mt-st 1.7: {why}; enable it with `apt-get install mt-st gcc`");
            None
        }
    }
}

/// Our binary.
pub fn ours() -> &'static str {
    env!("CARGO_BIN_EXE_mt")
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl Live {
    /// Run `bin args` with the shim and `env` (MTSHIM_* settings); `TAPE` is removed unless
    /// given in `env`. `shim: false` runs without LD_PRELOAD.
    pub fn run(&self, bin: &str, args: &[&str], env: &[(&str, &str)], shim: bool) -> Outcome {
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let log = self.dir.path().join(format!("log{n}"));
        let err_path = self.dir.path().join(format!("err{n}"));
        let mut err_file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&err_path)
            .expect("stderr file");
        let mut cmd = Command::new(bin);
        cmd.args(args).env_remove("TAPE").stdin(Stdio::null());
        for var in [
            "MTSHIM_STATUS",
            "MTSHIM_POS",
            "MTSHIM_FAIL_ERRNO",
            "MTSHIM_FAIL_AT",
            "MTSHIM_GET_ERRNO",
        ] {
            cmd.env_remove(var);
        }
        if shim {
            cmd.env("LD_PRELOAD", &self.shim)
                .env("MTSHIM_DEV", DEV)
                .env("MTSHIM_LOG", &log);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.stderr(Stdio::from(err_file.try_clone().expect("dup")));
        let output = cmd.output().expect("run binary");
        let mut err = String::new();
        err_file.rewind().expect("rewind");
        err_file.read_to_string(&mut err).expect("read stderr");
        let log_text = File::open(&log).map(|mut f| {
            let mut s = String::new();
            let _ = f.read_to_string(&mut s);
            s
        });
        Outcome {
            code: output.status.code(),
            out: String::from_utf8_lossy(&output.stdout).into_owned(),
            err,
            log: log_text
                .unwrap_or_default()
                .lines()
                .map(str::to_string)
                .collect(),
        }
    }

    /// Run mt-st and ours with the same arguments and environment.
    pub fn both(&self, args: &[&str], env: &[(&str, &str)]) -> (Outcome, Outcome) {
        (
            self.run(MT_ST, args, env, true),
            self.run(ours(), args, env, true),
        )
    }
}
