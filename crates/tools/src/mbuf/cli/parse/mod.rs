//! The argument walk of mbuffer R20230301 (`reference/mbuffer.md` §1, §5): options are
//! separate words (`-qf` is an unknown option); a value follows as the next word even if it
//! starts with `-`, or is attached to a one-letter option (`-m4G`, `-s128k`); long options
//! also take `--name=value` (an mbuf extension). `-f`, `--append` and `--truncate` apply to the
//! next `-o` only; `-4`/`-6`/`-0` to the following `-I`/`-O`. Error texts are mbuffer's (from the real
//! binary) where mbuffer has one.
//!
//! What each option sets is in `handlers`; the defaults, the config file values and the
//! checks across options are in `checks`.

mod checks;
mod handlers;

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::config::{self, Config};
use super::geometry::Request;
use super::{CliError, Env};
use crate::mbuf::options::{
    verbosity, Action, BufferBacking, Family, HashAlg, InputSpec, OpenMode, OutputSpec,
};

/// mbuffer's default TCP timeout since 20211004.
pub const DEFAULT_TCP_TIMEOUT: Duration = Duration::from_secs(100);
/// Default status interval.
pub const DEFAULT_STATUS_INTERVAL: Duration = Duration::from_millis(500);
/// Program name when argv\[0\] is missing.
const DEFAULT_PROGRAM: &str = "mbuf";

/// Options without a value.
const FLAGS: &[&str] = &[
    "-q",
    "-Q",
    "-f",
    "-c",
    "-e",
    "-d",
    "-L",
    "-t",
    "-H",
    "-V",
    "-h",
    "-4",
    "-6",
    "-0",
    "--append",
    "--truncate",
    "--md5",
    "--pid",
    "--direct",
    "--no-direct",
    "--tapeaware",
    "--help",
    "--version",
    "--framed",
    "--progress",
    "--prefault",
];

/// Options with a value.
const VALUED: &[&str] = &[
    "-i",
    "-o",
    "-I",
    "-O",
    "-s",
    "-m",
    "-b",
    "-P",
    "-p",
    "-r",
    "-R",
    "-u",
    "-D",
    "-n",
    "-A",
    "-a",
    "-l",
    "-v",
    "-W",
    "-T",
    "--hash",
    "--tcpbuffer",
    "--tcptimeo",
    "--connect-retry",
    "--stats-json",
];

/// Parses a verbosity level: one digit 0-6 or a name (`none`, `silent`, `fatal`, `error`,
/// `warning`, `info`, `debug`, `io`), with mbuffer's error text.
pub fn parse_verbosity(text: &str) -> Result<u8, CliError> {
    let level = match text.to_ascii_lowercase().as_str() {
        "none" | "silent" | "0" => verbosity::SILENT,
        "fatal" | "1" => verbosity::FATAL,
        "error" | "2" => verbosity::ERROR,
        "warning" | "3" => verbosity::WARNING,
        "info" | "4" => verbosity::INFO,
        "debug" | "5" => verbosity::DEBUG,
        "io" | "6" => verbosity::IO,
        _ => {
            return Err(CliError::new(format!(
                "Invalid argument '{text}' for setting verbosity level.\n\
                 Valid values are: none, silent, fatal, error, warning, info, io, debug, and 0-6"
            )))
        }
    };
    Ok(level)
}

/// The command line as given, before defaults and checks.
#[derive(Debug, Default)]
struct Raw {
    input: Option<InputSpec>,
    outputs: Vec<OutputSpec>,
    next_mode: Option<OpenMode>,
    family: Family,
    tcp_buffer: Option<Option<usize>>,
    tcp_timeout: Option<Option<Duration>>,
    connect_retry: Option<Duration>,
    geometry: Request,
    high: Option<f64>,
    low: Option<f64>,
    read_rate: Option<u64>,
    write_rate: Option<u64>,
    pause: Option<Duration>,
    volume_size: Option<u64>,
    input_volumes: Option<u32>,
    autoload_command: Option<String>,
    autoload_time: Option<Duration>,
    autoload_time_given: bool,
    tapeaware: bool,
    sync: bool,
    stop_on_error: bool,
    device_blocksize: bool,
    direct: Option<bool>,
    hashes: Vec<HashAlg>,
    log_file: Option<PathBuf>,
    quiet: bool,
    quiet_log: bool,
    verbose: Option<u8>,
    watchdog: Option<Duration>,
    print_pid: bool,
    mlock: bool,
    prefault: bool,
    backing: BufferBacking,
    framed: bool,
    progress: bool,
    stats_json: Option<PathBuf>,
    warnings: Vec<String>,
}

/// Splits one word into (option, attached value): `-m4G` → (`-m`, `4G`), `--hash=md5` →
/// (`--hash`, `md5`). Returns `None` for words that are no known option.
fn classify(word: &OsStr) -> Option<(&'static str, Option<OsString>)> {
    let bytes = word.as_encoded_bytes();
    if let Some(f) = FLAGS.iter().find(|f| f.as_bytes() == bytes) {
        return Some((f, None));
    }
    if let Some(v) = VALUED.iter().find(|v| v.as_bytes() == bytes) {
        return Some((v, None));
    }
    let s = word.to_str()?;
    if let Some((name, value)) = s.split_once('=').filter(|(n, _)| n.starts_with("--")) {
        let v = VALUED.iter().find(|v| **v == name)?;
        return Some((v, Some(OsString::from(value))));
    }
    if s.len() > 2 && !s.starts_with("--") {
        let name = s.get(..2)?;
        let v = VALUED.iter().find(|v| **v == name)?;
        return Some((v, Some(OsString::from(s.get(2..)?))));
    }
    None
}

/// The parser behind [`super::parse()`].
pub fn parse_args(args: Vec<OsString>, env: &Env) -> Result<Action, CliError> {
    let mut it = args.into_iter();
    let program = it
        .next()
        .and_then(|a| {
            Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| DEFAULT_PROGRAM.to_string());

    let mut cfg = Config::default();
    let mut raw = Raw {
        warnings: env.warnings.clone(),
        ..Raw::default()
    };
    for (_, text) in &env.config_files {
        config::apply(text, env.physical_memory, &mut cfg, &mut raw.warnings);
    }

    while let Some(word) = it.next() {
        let Some((opt, attached)) = classify(&word) else {
            return Err(CliError::new(format!(
                "unknown option \"{}\"",
                word.to_string_lossy()
            )));
        };
        let action = if FLAGS.contains(&opt) {
            raw.flag(opt)
        } else {
            let value = match attached {
                Some(v) => v,
                None => it
                    .next()
                    .ok_or_else(|| CliError::new(format!("missing argument to option {opt}")))?,
            };
            raw.valued(opt, &value, env)?
        };
        if let Some(action) = action {
            return Ok(action);
        }
    }
    checks::finish(program, raw, cfg, env).map(|o| Action::Run(Box::new(o)))
}
