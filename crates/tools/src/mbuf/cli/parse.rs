//! The argument walk of mbuffer R20230301 (`reference/mbuffer.md` §1, §5): options are
//! separate words (`-qf` is an unknown option); a value follows as the next word even if it
//! starts with `-`, or is attached to a one-letter option (`-m4G`, `-s128k`); long options
//! also take `--name=value` (an mbuf extension). `--append`/`--truncate` apply to the next
//! `-o`; `-4`/`-6`/`-0` to the following `-I`/`-O`. Error texts are mbuffer's (from the real
//! binary) where mbuffer has one.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::config::{self, Config};
use super::geometry::{self, Request};
use super::size::{self, BareUnit, Percent};
use super::{CliError, Env};
use crate::mbuf::options::{
    verbosity, Action, BufferBacking, Family, HashAlg, InputSpec, NetOptions, OpenMode, Options,
    OutputSpec,
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
    force: bool,
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

fn text<'a>(option: &str, value: &'a OsStr) -> Result<&'a str, CliError> {
    value.to_str().ok_or_else(|| {
        CliError::new(format!(
            "unrecognized argument \"{}\" for option \"{option}\"",
            value.to_string_lossy()
        ))
    })
}

/// Splits `host:port` at the last colon; `[addr]` loses its brackets.
fn split_host_port(spec: &str) -> Option<(&str, &str)> {
    let (host, port) = spec.rsplit_once(':')?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    Some((host, port))
}

fn port_number(port: &str) -> Option<u16> {
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    port.parse().ok()
}

impl Raw {
    fn net(&self) -> NetOptions {
        NetOptions {
            family: self.family,
            ..NetOptions::default()
        }
    }

    fn set_input(&mut self, input: InputSpec) -> Result<(), CliError> {
        if self.input.is_some() {
            return Err(CliError::new("cannot set input file: file already set"));
        }
        self.input = Some(input);
        Ok(())
    }

    /// Handles one valued option.
    fn valued(&mut self, opt: &str, value: &OsStr, env: &Env) -> Result<Option<Action>, CliError> {
        match opt {
            "-i" => {
                let input = if value == "-" {
                    InputSpec::Stdin
                } else {
                    InputSpec::File(PathBuf::from(value))
                };
                self.set_input(input)?;
            }
            "-o" => {
                let mode = self.next_mode.take();
                let out = if value == "-" {
                    OutputSpec::Stdout
                } else {
                    OutputSpec::File {
                        path: PathBuf::from(value),
                        mode: mode.unwrap_or(OpenMode::Exclusive),
                    }
                };
                self.outputs.push(out);
            }
            "-I" => {
                let spec = text(opt, value)?;
                let (peer, port) = match split_host_port(spec) {
                    Some((host, port)) => (Some(host), port),
                    None => (None, spec),
                };
                if peer == Some("") {
                    return Err(CliError::new(format!(
                        "unable to resolve address information for expected host '': \
                         Name or service not known ({spec})"
                    )));
                }
                let port = port_number(port).ok_or_else(|| {
                    CliError::new(format!(
                        "unable to get address information for port/service '{port}': \
                         Servname not supported for ai_socktype"
                    ))
                })?;
                let net = self.net();
                self.set_input(InputSpec::Listen {
                    peer: peer.map(str::to_string),
                    port,
                    net,
                })?;
            }
            "-O" => {
                let spec = text(opt, value)?;
                let (host, port) = split_host_port(spec).ok_or_else(|| {
                    CliError::new("syntax error - target must be given in the form <host>:<port>")
                })?;
                if host.is_empty() {
                    return Err(CliError::new(format!(
                        "unable to resolve address information for '{spec}': \
                         Name or service not known"
                    )));
                }
                let port = port_number(port).ok_or_else(|| {
                    CliError::new(format!(
                        "unable to resolve address information for '{spec}': \
                         Servname not supported for ai_socktype"
                    ))
                })?;
                let net = self.net();
                self.outputs.push(OutputSpec::Connect {
                    host: host.to_string(),
                    port,
                    net,
                    retry: None,
                });
            }
            "-s" => {
                let v = size::parse_size(opt, text(opt, value)?, Percent::Refused)?;
                self.geometry.block_size = Some(v);
            }
            "-m" => {
                let pct = Percent::OfMemory(env.physical_memory);
                self.geometry.memory = Some(size::parse_size(opt, text(opt, value)?, pct)?);
            }
            "-b" => {
                let t = text(opt, value)?;
                let n = size::parse_int_prefix(t)
                    .and_then(|n| u64::try_from(n).ok())
                    .ok_or_else(|| {
                        CliError::new(format!("invalid argument to option -b: \"{t}\""))
                    })?;
                self.geometry.blocks = Some(n);
            }
            "-P" => {
                let p = size::parse_float_prefix(text(opt, value)?)
                    .filter(|p| *p > 0.0 && *p <= 100.0)
                    .ok_or_else(|| {
                        CliError::new(
                            "error in argument -P: must be bigger than 0 and less or equal 100",
                        )
                    })?;
                self.high = Some(p);
            }
            "-p" => {
                let p = size::parse_float_prefix(text(opt, value)?)
                    .filter(|p| *p >= 0.0 && *p < 100.0)
                    .ok_or_else(|| {
                        CliError::new(
                            "error in argument -p: must be bigger or equal to 0 and less than 100",
                        )
                    })?;
                self.low = Some(p);
            }
            "-r" => {
                self.read_rate = Some(size::parse_size(opt, text(opt, value)?, Percent::Refused)?)
            }
            "-R" => {
                self.write_rate = Some(size::parse_size(opt, text(opt, value)?, Percent::Refused)?)
            }
            "-u" => {
                let t = text(opt, value)?;
                let us = size::parse_float_prefix(t)
                    .filter(|v| *v >= 0.0)
                    .ok_or_else(|| {
                        CliError::new(format!("invalid argument to option -u: \"{t}\""))
                    })?;
                self.pause = Duration::try_from_secs_f64(us / 1e6)
                    .map_err(|_| CliError::new(format!("invalid argument to option -u: \"{t}\"")))
                    .map(|d| (!d.is_zero()).then_some(d))?;
            }
            "-D" => {
                self.volume_size = Some(size::parse_size(opt, text(opt, value)?, Percent::Refused)?)
            }
            "-n" => {
                let t = text(opt, value)?;
                let n = size::parse_int_prefix(t)
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| {
                        CliError::new(format!("invalid argument to option -n: \"{t}\""))
                    })?;
                self.input_volumes = Some(n);
            }
            "-A" => self.autoload_command = Some(value.to_string_lossy().into_owned()),
            "-a" => {
                let t = text(opt, value)?;
                self.autoload_time_given = true;
                match size::parse_int_prefix(t) {
                    Some(n) if n > 0 => {
                        self.autoload_time = u64::try_from(n).ok().map(Duration::from_secs)
                    }
                    // mbuffer stores the value minus one and reports that.
                    n => self.warnings.push(format!(
                        "ignoring invalid value for autoload time: {}",
                        n.unwrap_or(0).saturating_sub(1)
                    )),
                }
            }
            "-l" => self.log_file = Some(PathBuf::from(value)),
            "-v" => self.verbose = Some(parse_verbosity(&value.to_string_lossy())?),
            "-W" => {
                let w = size::parse_float_prefix(text(opt, value)?)
                    .filter(|w| *w >= 1.0)
                    .and_then(|w| Duration::try_from_secs_f64(w).ok())
                    .ok_or_else(|| CliError::new("invalid argument to option -W"))?;
                self.watchdog = Some(w);
            }
            "-T" => self.backing = BufferBacking::File(PathBuf::from(value)),
            "--hash" => {
                let name = value.to_string_lossy();
                if name.eq_ignore_ascii_case("list") {
                    return Ok(Some(Action::HashList));
                }
                let alg = HashAlg::ALL
                    .into_iter()
                    .find(|a| a.name().eq_ignore_ascii_case(&name))
                    .ok_or_else(|| {
                        CliError::new(format!("invalid or unsupported hash function {name}"))
                    })?;
                self.add_hash(alg);
            }
            "--tcpbuffer" => {
                let v = size::parse_size(opt, text(opt, value)?, Percent::Refused)?;
                let v = usize::try_from(v).map_err(|_| {
                    CliError::new(format!(
                        "invalid argument \"{v}\" for option \"--tcpbuffer\""
                    ))
                })?;
                self.tcp_buffer = Some(Some(v));
            }
            "--tcptimeo" => {
                let d = size::parse_duration(text(opt, value)?, BareUnit::Millis)?;
                self.tcp_timeout = Some((!d.is_zero()).then_some(d));
            }
            "--connect-retry" => {
                self.connect_retry =
                    Some(size::parse_duration(text(opt, value)?, BareUnit::Seconds)?);
            }
            "--stats-json" => self.stats_json = Some(PathBuf::from(value)),
            _ => return Err(CliError::new(format!("unknown option \"{opt}\""))),
        }
        Ok(None)
    }

    fn add_hash(&mut self, alg: HashAlg) {
        if !self.hashes.contains(&alg) {
            self.hashes.push(alg);
        }
    }

    /// Handles one flag.
    fn flag(&mut self, opt: &str) -> Option<Action> {
        match opt {
            "-q" => self.quiet = true,
            "-Q" => self.quiet_log = true,
            "-f" => self.force = true,
            "-c" => self.sync = true,
            "-e" => self.stop_on_error = true,
            "-d" => self.device_blocksize = true,
            "-L" => self.mlock = true,
            "-t" => self.backing = BufferBacking::TempFile,
            "-H" | "--md5" => self.add_hash(HashAlg::Md5),
            "-V" | "--version" => return Some(Action::Version),
            "-h" | "--help" => return Some(Action::Help),
            "-4" => self.family = Family::V4,
            "-6" => self.family = Family::V6,
            "-0" => self.family = Family::Any,
            "--append" => self.next_mode = Some(OpenMode::Append),
            "--truncate" => self.next_mode = Some(OpenMode::Truncate),
            "--pid" => self.print_pid = true,
            "--direct" => self.direct = Some(true),
            "--no-direct" => self.direct = Some(false),
            "--tapeaware" => self.tapeaware = true,
            "--framed" => self.framed = true,
            "--progress" => self.progress = true,
            "--prefault" => self.prefault = true,
            _ => {}
        }
        None
    }
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

/// The parser behind [`super::parse`].
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
    finish(program, raw, cfg, env).map(|o| Action::Run(Box::new(o)))
}

/// Applies defaults, the config and the cross-option checks (`reference/mbuffer.md` §1, §5).
fn finish(program: String, mut raw: Raw, cfg: Config, env: &Env) -> Result<Options, CliError> {
    let input = raw.input.take().unwrap_or_default();
    let tcp_buffer = raw.tcp_buffer.or(cfg.tcp_buffer).flatten();
    let timeout = raw
        .tcp_timeout
        .or(cfg.tcp_timeout)
        .unwrap_or(Some(DEFAULT_TCP_TIMEOUT));
    let input = match input {
        InputSpec::Listen { peer, port, net } => InputSpec::Listen {
            peer,
            port,
            net: NetOptions {
                tcp_buffer,
                timeout,
                ..net
            },
        },
        other => other,
    };
    let force = raw.force;
    let retry = raw.connect_retry;
    let outputs: Vec<OutputSpec> = std::mem::take(&mut raw.outputs)
        .into_iter()
        .map(|o| match o {
            OutputSpec::File { path, mode } => OutputSpec::File {
                path,
                mode: if force && mode == OpenMode::Exclusive {
                    OpenMode::Truncate
                } else {
                    mode
                },
            },
            OutputSpec::Connect {
                host, port, net, ..
            } => OutputSpec::Connect {
                host,
                port,
                net: NetOptions {
                    tcp_buffer,
                    timeout,
                    ..net
                },
                retry,
            },
            other => other,
        })
        .collect();

    let high = raw.high.or(cfg.high_watermark);
    let low = raw.low.or(cfg.low_watermark);
    // A config watermark gives way to the other one given on the command line.
    let (high, low) = match (raw.high, raw.low) {
        (Some(_), None) => (high, None),
        (None, Some(_)) => (None, low),
        _ if high.is_some() && low.is_some() => {
            return Err(CliError::new(
                "setting both low watermark and high watermark doesn't make any sense...",
            ))
        }
        _ => (high, low),
    };

    let input_is_file = matches!(input, InputSpec::File(_));
    let file_outputs = outputs
        .iter()
        .filter(|o| matches!(o, OutputSpec::File { .. }))
        .count();
    if let Some(n) = raw.input_volumes {
        if n != 1 && !input_is_file {
            return Err(CliError::new(
                "multi-volume support for input needs an explicitly specified input device \
                 (option -i)",
            ));
        }
    }
    let autoloader = raw.autoload_command.is_some() || raw.autoload_time_given;
    if autoloader && input_is_file && file_outputs > 0 {
        return Err(CliError::new(
            "Which one is your autoloader? Input or output? Replace input or output with a pipe.",
        ));
    }
    if autoloader && !input_is_file && file_outputs == 0 {
        return Err(CliError::new(
            "Setting autoloader time or command without using a device doesn't make any sense!",
        ));
    }
    if (raw.volume_size.is_some() || raw.autoload_command.is_some()) && outputs.len() > 1 {
        return Err(CliError::new(
            "multi-volume support is unsupported with multiple outputs",
        ));
    }
    let autoload_time = raw.autoload_time.or(cfg.autoload_time);
    let watchdog = raw.watchdog.or(cfg.watchdog);
    if let (Some(w), Some(a)) = (watchdog, autoload_time) {
        if w < a.saturating_mul(2) {
            return Err(CliError::new("timeout must be at least 2x autoload time"));
        }
    }

    let config_geometry = Request {
        block_size: cfg.block_size,
        memory: cfg.memory,
        blocks: cfg.blocks,
    };
    let geo = geometry::resolve(
        raw.geometry,
        config_geometry,
        env.physical_memory,
        if env.page_size == 0 {
            4096
        } else {
            env.page_size
        },
    )?;
    raw.warnings.extend(geo.warnings);

    let mlock = raw.mlock || cfg.memlock.unwrap_or(false);
    if mlock && raw.backing != BufferBacking::Memory {
        raw.warnings
            .push("-L (memory lock) is not used with a file-backed buffer".to_string());
    }
    let direct = raw.direct.or(cfg.direct).unwrap_or(false);
    if raw.direct == Some(true) {
        raw.warnings
            .push("option --direct accepted but ignored: mbuf does not use O_DIRECT".to_string());
    }

    Ok(Options {
        program,
        input,
        outputs,
        block_size: geo.block_size,
        blocks: geo.blocks,
        high_watermark: high,
        low_watermark: low,
        read_rate: raw.read_rate.or(cfg.read_rate),
        write_rate: raw.write_rate.or(cfg.write_rate),
        pause: raw.pause.or(cfg.pause),
        volume_size: raw.volume_size,
        input_volumes: raw.input_volumes,
        autoload_command: raw.autoload_command,
        autoload_time,
        tapeaware: raw.tapeaware || cfg.tapeaware.unwrap_or(false),
        sync: raw.sync,
        stop_on_error: raw.stop_on_error,
        device_blocksize: raw.device_blocksize,
        direct,
        hashes: raw.hashes,
        log_file: raw.log_file,
        quiet: raw.quiet || cfg.show_status == Some(false),
        quiet_log: raw.quiet_log || cfg.log_status == Some(false),
        verbose: raw.verbose.or(cfg.verbose).unwrap_or(verbosity::WARNING),
        watchdog,
        print_pid: raw.print_pid || cfg.print_pid.unwrap_or(false),
        mlock,
        prefault: raw.prefault,
        backing: raw.backing,
        status_interval: cfg.status_interval.unwrap_or(DEFAULT_STATUS_INTERVAL),
        framed: raw.framed,
        progress: raw.progress,
        stats_json: raw.stats_json,
        warnings: raw.warnings,
    })
}
