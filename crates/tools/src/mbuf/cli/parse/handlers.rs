//! What each option of mbuffer R20230301 sets (`reference/mbuffer.md` §1, §5), with
//! mbuffer's error texts for bad values: the flags, and the valued options with their sizes,
//! percentages, durations and network addresses.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::Duration;

use super::super::size::{self, BareUnit, Percent};
use super::super::{CliError, Env};
use super::{parse_verbosity, Raw};
use crate::mbuf::options::{
    Action, BufferBacking, Family, HashAlg, InputSpec, NetOptions, OpenMode, OutputSpec,
};

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
    pub(super) fn valued(
        &mut self,
        opt: &str,
        value: &OsStr,
        env: &Env,
    ) -> Result<Option<Action>, CliError> {
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
    pub(super) fn flag(&mut self, opt: &str) -> Option<Action> {
        match opt {
            "-q" => self.quiet = true,
            "-Q" => self.quiet_log = true,
            // As in mbuffer, `-f` opens only the next `-o` with O_TRUNC instead of O_EXCL.
            "-f" | "--truncate" => self.next_mode = Some(OpenMode::Truncate),
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
            // mbuffer ORs O_APPEND into the flags; with O_TRUNC also set the file is still
            // truncated, so a `-f`/`--truncate` before or after `--append` wins.
            "--append" if self.next_mode != Some(OpenMode::Truncate) => {
                self.next_mode = Some(OpenMode::Append)
            }
            "--append" => {}
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
