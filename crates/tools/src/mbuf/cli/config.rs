//! mbuffer's config files (`reference/mbuffer.md` §1: `/etc/mbuffer.rc`, `~/.mbuffer.rc`,
//! `$MBUFFERRC`): one `key = value` (or `key value`) per line, `#` starts a comment, keys
//! without regard to case. Values are defaults that the command line overrides. Units as
//! mbuffer R20230301 reads them: `Blocksize`, `TCPbufsize`, `MaxReadSpeed`, `MaxWriteSpeed`
//! are sizes where a bare number is bytes; `TotalMem` bare below 100 is a percentage of
//! physical memory and above it KiB (0 = automatic); `pause` µs; `autoloadtime`, `timeout`
//! and `StatusInterval` seconds; `TCPtimeout` a duration with bare milliseconds; `startread`
//! / `startwrite` percent. Booleans: yes/true/on/1, no/false/off/0. A bad line is a warning
//! and is ignored (mbuffer's texts: `unknown parameter: foo`,
//! `invalid argument for showstatus: "maybe"`).

use std::time::Duration;

use super::parse::parse_verbosity;
use super::size::{
    parse_duration, parse_float_prefix, parse_int_prefix, parse_size_lenient, split_number,
    BareUnit, Percent,
};

/// Everything a config file can set (`None` = not set).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    /// `Verbose`.
    pub verbose: Option<u8>,
    /// `Blocksize`, bytes.
    pub block_size: Option<u64>,
    /// `Numblocks`.
    pub blocks: Option<u64>,
    /// `TotalMem`, bytes.
    pub memory: Option<u64>,
    /// `MaxReadSpeed`, bytes/s.
    pub read_rate: Option<u64>,
    /// `MaxWriteSpeed`, bytes/s.
    pub write_rate: Option<u64>,
    /// `pause`.
    pub pause: Option<Duration>,
    /// `autoloadtime`.
    pub autoload_time: Option<Duration>,
    /// `startread` (low watermark, percent).
    pub low_watermark: Option<f64>,
    /// `startwrite` (high watermark, percent).
    pub high_watermark: Option<f64>,
    /// `timeout` (watchdog).
    pub watchdog: Option<Duration>,
    /// `showstatus`.
    pub show_status: Option<bool>,
    /// `logstatus`.
    pub log_status: Option<bool>,
    /// `memlock`.
    pub memlock: Option<bool>,
    /// `printpid`.
    pub print_pid: Option<bool>,
    /// `StatusInterval`.
    pub status_interval: Option<Duration>,
    /// `TCPbufsize` (`Some(None)`: OS default).
    pub tcp_buffer: Option<Option<usize>>,
    /// `TCPtimeout` (`Some(None)`: disabled).
    pub tcp_timeout: Option<Option<Duration>>,
    /// `tapeaware`.
    pub tapeaware: Option<bool>,
    /// `directio`.
    pub direct: Option<bool>,
}

/// Reads one config file's text into `config`; problems are appended to `warnings`.
pub fn apply(text: &str, physical_memory: u64, config: &mut Config, warnings: &mut Vec<String>) {
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let key_end = line
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(line.len());
        let key = line.get(..key_end).unwrap_or("");
        let value = line
            .get(key_end..)
            .unwrap_or("")
            .trim_start_matches(|c: char| c == '=' || c.is_whitespace())
            .trim();
        if let Err(msg) = apply_pair(key, value, physical_memory, config) {
            warnings.push(msg);
        }
    }
}

fn invalid(key: &str, value: &str) -> String {
    format!("invalid argument for {key}: \"{value}\"")
}

fn boolean(key: &str, value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" | "on" | "1" => Ok(true),
        "no" | "false" | "off" | "0" => Ok(false),
        _ => Err(invalid(key, value)),
    }
}

fn seconds(key: &str, value: &str) -> Result<Option<Duration>, String> {
    match parse_float_prefix(value) {
        Some(0.0) => Ok(None),
        Some(s) if s > 0.0 => Duration::try_from_secs_f64(s)
            .map(Some)
            .map_err(|_| invalid(key, value)),
        _ => Err(invalid(key, value)),
    }
}

fn size_or_zero(key: &str, value: &str, percent: Percent) -> Result<Option<u64>, String> {
    if split_number(value).is_some_and(|(n, _)| n == 0.0) {
        return Ok(None);
    }
    parse_size_lenient(key, value, percent)
        .map(Some)
        .map_err(|e| e.to_string())
}

fn total_mem(key: &str, value: &str, physical_memory: u64) -> Result<Option<u64>, String> {
    let Some((n, rest)) = split_number(value) else {
        return Err(invalid(key, value));
    };
    if !rest.trim().is_empty() {
        return size_or_zero(key, value, Percent::OfMemory(physical_memory));
    }
    if n == 0.0 {
        Ok(None)
    } else if n > 0.0 && n < 90.0 {
        Ok(Some((physical_memory as f64 * n / 100.0) as u64))
    } else if n >= 100.0 && n * 1024.0 < (1u64 << 62) as f64 {
        Ok(Some((n * 1024.0) as u64))
    } else {
        Err(invalid(key, value))
    }
}

fn percent(key: &str, value: &str) -> Result<f64, String> {
    parse_float_prefix(value)
        .filter(|p| (0.0..=100.0).contains(p))
        .ok_or_else(|| invalid(key, value))
}

fn apply_pair(key: &str, value: &str, mem: u64, c: &mut Config) -> Result<(), String> {
    match key.to_ascii_lowercase().as_str() {
        "verbose" => c.verbose = Some(parse_verbosity(value).map_err(|e| e.to_string())?),
        "blocksize" => c.block_size = size_or_zero(key, value, Percent::Refused)?,
        "numblocks" => {
            let n = parse_int_prefix(value).ok_or_else(|| invalid(key, value))?;
            c.blocks = Some(u64::try_from(n).map_err(|_| invalid(key, value))?);
        }
        "totalmem" => c.memory = total_mem(key, value, mem)?,
        "maxreadspeed" => c.read_rate = size_or_zero(key, value, Percent::Refused)?,
        "maxwritespeed" => c.write_rate = size_or_zero(key, value, Percent::Refused)?,
        "pause" => {
            let us = parse_float_prefix(value)
                .filter(|v| *v >= 0.0)
                .ok_or_else(|| invalid(key, value))?;
            c.pause = Duration::try_from_secs_f64(us / 1e6)
                .ok()
                .filter(|d| !d.is_zero());
        }
        "autoloadtime" => c.autoload_time = seconds(key, value)?,
        "startread" => {
            let p = percent(key, value)?;
            c.low_watermark = (p < 100.0).then_some(p);
        }
        "startwrite" => {
            let p = percent(key, value)?;
            c.high_watermark = (p > 0.0).then_some(p);
        }
        "timeout" => c.watchdog = seconds(key, value)?,
        "showstatus" => c.show_status = Some(boolean(key, value)?),
        "logstatus" => c.log_status = Some(boolean(key, value)?),
        "memlock" => c.memlock = Some(boolean(key, value)?),
        "printpid" => c.print_pid = Some(boolean(key, value)?),
        "statusinterval" => {
            c.status_interval = Some(seconds(key, value)?.ok_or_else(|| invalid(key, value))?)
        }
        "tcpbufsize" => {
            let size = size_or_zero(key, value, Percent::Refused)?;
            let size = size
                .map(usize::try_from)
                .transpose()
                .map_err(|_| invalid(key, value))?;
            c.tcp_buffer = Some(size);
        }
        "tcptimeout" => {
            let d = parse_duration(value, BareUnit::Millis).map_err(|e| e.to_string())?;
            c.tcp_timeout = Some((!d.is_zero()).then_some(d));
        }
        "tapeaware" => c.tapeaware = Some(boolean(key, value)?),
        "directio" => c.direct = Some(boolean(key, value)?),
        _ => return Err(format!("unknown parameter: {key}")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEM: u64 = 24 << 30;

    fn read(text: &str) -> (Config, Vec<String>) {
        let mut c = Config::default();
        let mut w = Vec::new();
        apply(text, MEM, &mut c, &mut w);
        (c, w)
    }

    #[test]
    fn keys_values_and_comments() {
        let (c, w) = read(
            "# comment\nBlocksize = 128k # trailing\nnumblocks 50\nVerbose=debug\n\
             showstatus = no\nStatusInterval = 2\nstartwrite = 80\nTCPtimeout = 5\n\
             tapeaware = 1\npause = 5\nTCPbufsize = 1M\ntotalmem = 10%\n",
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(c.block_size, Some(128 << 10));
        assert_eq!(c.blocks, Some(50));
        assert_eq!(c.verbose, Some(5));
        assert_eq!(c.show_status, Some(false));
        assert_eq!(c.status_interval, Some(Duration::from_secs(2)));
        assert_eq!(c.high_watermark, Some(80.0));
        // mbuffer -v 5: "TCPTimeout = 0.005000" for `TCPtimeout = 5`.
        assert_eq!(c.tcp_timeout, Some(Some(Duration::from_millis(5))));
        assert_eq!(c.tapeaware, Some(true));
        assert_eq!(c.pause, Some(Duration::from_micros(5)));
        assert_eq!(c.tcp_buffer, Some(Some(1 << 20)));
        assert_eq!(c.memory, Some(MEM / 10));
    }

    #[test]
    fn bad_lines_warn_with_mbuffer_texts() {
        let (_, w) = read("foo = 1\nshowstatus = maybe\n");
        assert_eq!(
            w,
            vec![
                "unknown parameter: foo".to_string(),
                "invalid argument for showstatus: \"maybe\"".to_string()
            ]
        );
        let (c, w) = read("Verbose = 9\n");
        assert_eq!(c.verbose, None);
        assert!(w[0].starts_with("Invalid argument '9' for setting verbosity level."));
    }

    #[test]
    fn bare_blocksize_is_bytes() {
        let (c, w) = read("blocksize = 100");
        assert!(w.is_empty());
        assert_eq!(c.block_size, Some(100));
    }
}
