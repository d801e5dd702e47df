//! mbuffer's numeric arguments (`reference/mbuffer.md` §2), with the error texts of mbuffer
//! R20230301 (taken from the real binary):
//!
//! - sizes: a decimal number (fraction and exponent allowed, as `strtod` reads it), then one
//!   suffix character `k`/`M`/`G`/`T` (×1024ⁿ, either case), `b`/`B` (bytes, at least 128) or
//!   `%` (of physical memory, only for `-m`, below 90). Characters after the suffix are ignored,
//!   so `128kB` and `128KiB` mean `128k`, as in mbuffer. A bare number of at most 100 is
//!   refused ("missing suffix?"); a larger bare number is bytes.
//! - durations for `--tcptimeo`: a number with `us`, `ms`, `s`, `min` or `h`; a bare number is
//!   milliseconds (what mbuffer R20230301 does and its help says; its man page and the
//!   reference's µs are not what the binary does).

use std::time::Duration;

use super::CliError;

/// Smallest value accepted with the `b` suffix.
const MIN_BYTES_SUFFIX: f64 = 128.0;
/// A bare number up to this is taken for a forgotten suffix.
const MAX_BARE_WITHOUT_SUFFIX: f64 = 100.0;
/// `%` of memory must be below this.
const MAX_PERCENT: f64 = 90.0;
/// Largest size accepted (keeps every later multiplication in range).
const MAX_SIZE: f64 = (1u64 << 62) as f64;

/// What a `%` suffix means for this option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Percent {
    /// `%` of this many bytes of physical memory (`-m`, `TotalMem`).
    OfMemory(u64),
    /// `%` is refused with this option.
    Refused,
}

/// Splits the longest `strtod`-like decimal prefix (sign, digits, point, exponent) off `text`
/// (after leading white space). Returns the number and the rest, or `None` without digits.
pub fn split_number(text: &str) -> Option<(f64, &str)> {
    let t = text.trim_start();
    let bytes = t.as_bytes();
    let mut i = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_start = i;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let mut digits = i - int_start;
    if bytes.get(i) == Some(&b'.') {
        let frac_start = i + 1;
        let mut j = frac_start;
        while bytes.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        digits += j - frac_start;
        i = j;
    }
    if digits == 0 {
        return None;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exp_start = j;
        while bytes.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if j > exp_start {
            i = j;
        }
    }
    let number = t.get(..i)?.parse::<f64>().ok()?;
    Some((number, t.get(i..)?))
}

/// Parses a size argument of option `option` (`"-s"`, `"--tcpbuffer"`, ...).
pub fn parse_size(option: &str, text: &str, percent: Percent) -> Result<u64, CliError> {
    parse_size_inner(option, text, percent, true)
}

/// As [`parse_size`] but a bare number is bytes whatever its value (config file values).
pub fn parse_size_lenient(option: &str, text: &str, percent: Percent) -> Result<u64, CliError> {
    parse_size_inner(option, text, percent, false)
}

fn parse_size_inner(
    option: &str,
    text: &str,
    percent: Percent,
    bare_check: bool,
) -> Result<u64, CliError> {
    let Some((number, rest)) = split_number(text) else {
        return Err(CliError::new(format!(
            "unrecognized argument \"{text}\" for option \"{option}\""
        )));
    };
    if !number.is_finite() {
        return Err(CliError::new(format!(
            "unrecognized argument \"{text}\" for option \"{option}\""
        )));
    }
    if number <= 0.0 {
        return Err(CliError::new("invalid argument - must be > 0"));
    }
    let suffix = rest.chars().next().filter(|c| !c.is_whitespace());
    let value = match suffix {
        None => {
            if bare_check && number <= MAX_BARE_WITHOUT_SUFFIX {
                return Err(CliError::new(format!(
                    "invalid low value for option \"{option}\" - missing suffix?"
                )));
            }
            number
        }
        Some('b' | 'B') => {
            if number < MIN_BYTES_SUFFIX {
                return Err(CliError::new("invalid value for number of bytes"));
            }
            number
        }
        Some('k' | 'K') => number * 1024.0,
        Some('m' | 'M') => number * 1024.0 * 1024.0,
        Some('g' | 'G') => number * 1024.0 * 1024.0 * 1024.0,
        Some('t' | 'T') => number * 1024.0 * 1024.0 * 1024.0 * 1024.0,
        Some('%') => match percent {
            Percent::OfMemory(memory) => {
                if number >= MAX_PERCENT {
                    return Err(CliError::new(
                        "invalid value for percentage (must be 0..90)",
                    ));
                }
                memory as f64 * number / 100.0
            }
            Percent::Refused if option == "-s" => {
                return Err(CliError::new(
                    "cannot set blocksize as percentage of total physical memory",
                ))
            }
            Percent::Refused => {
                return Err(CliError::new(format!(
                    "cannot use a percentage of physical memory for option \"{option}\""
                )))
            }
        },
        Some(c) => {
            return Err(CliError::new(format!(
                "unrecognized size character \"{c}\" for option \"{option}\""
            )))
        }
    };
    if value > MAX_SIZE {
        return Err(CliError::new(format!(
            "invalid argument \"{text}\" for option \"{option}\": value too large"
        )));
    }
    let bytes = value.floor() as u64;
    if bytes == 0 {
        return Err(CliError::new("invalid argument - must be > 0"));
    }
    Ok(bytes)
}

/// Unit of a bare duration number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BareUnit {
    /// Milliseconds (`--tcptimeo`, config `TCPtimeout`).
    Millis,
    /// Seconds (`--connect-retry`).
    Seconds,
}

/// Parses a duration with an optional unit `us`, `ms`, `s`, `min`, `h`. Errors use mbuffer's
/// text `invalid time argument "X"`.
pub fn parse_duration(text: &str, bare: BareUnit) -> Result<Duration, CliError> {
    let err = || CliError::new(format!("invalid time argument \"{text}\""));
    let (number, rest) = split_number(text).ok_or_else(err)?;
    if !number.is_finite() || number < 0.0 {
        return Err(err());
    }
    let seconds = match rest.trim() {
        "" => match bare {
            BareUnit::Millis => number / 1e3,
            BareUnit::Seconds => number,
        },
        "us" => number / 1e6,
        "ms" => number / 1e3,
        "s" => number,
        "min" => number * 60.0,
        "h" => number * 3600.0,
        _ => return Err(err()),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| err())
}

/// Parses a floating-point prefix as mbuffer's `strtod` uses (`-P 50%` is 50).
pub fn parse_float_prefix(text: &str) -> Option<f64> {
    split_number(text).map(|(n, _)| n).filter(|n| n.is_finite())
}

/// Parses a leading decimal integer as `atoi`/`strtol` would, but refusing a missing number
/// (`5.5` is 5, `10x` is 10, `x` is `None`).
pub fn parse_int_prefix(text: &str) -> Option<i64> {
    let t = text.trim_start();
    let bytes = t.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let start = i;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == start {
        return None;
    }
    t.get(..i)?.parse::<i64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1 << 30;

    fn size(opt: &str, t: &str) -> Result<u64, String> {
        parse_size(opt, t, Percent::OfMemory(24 * GIB)).map_err(|e| e.to_string())
    }

    #[test]
    fn suffixes_and_fractions() {
        assert_eq!(size("-s", "128k"), Ok(128 << 10));
        assert_eq!(size("-s", "128K"), Ok(128 << 10));
        assert_eq!(size("-m", "4G"), Ok(4 * GIB));
        assert_eq!(size("-m", "1.5G"), Ok(3 * GIB / 2));
        assert_eq!(size("-s", "1.5k"), Ok(1536));
        assert_eq!(size("-s", "0.5M"), Ok(512 << 10));
        assert_eq!(size("-s", "1T"), Ok(1 << 40));
        assert_eq!(size("-s", "200"), Ok(200));
        assert_eq!(size("-s", "128b"), Ok(128));
        assert_eq!(size("-s", "262144"), Ok(262_144));
        // mbuffer reads one suffix character and ignores the rest.
        assert_eq!(size("-s", "128kB"), Ok(128 << 10));
        assert_eq!(size("-s", "128KiB"), Ok(128 << 10));
        assert_eq!(size("-s", "1e3k"), Ok(1000 << 10));
        assert_eq!(size("-m", "10%"), Ok(24 * GIB / 10));
    }

    #[test]
    fn mbuffer_error_texts() {
        assert_eq!(
            size("-s", "100"),
            Err("invalid low value for option \"-s\" - missing suffix?".into())
        );
        assert_eq!(
            size("-s", "0.5"),
            Err("invalid low value for option \"-s\" - missing suffix?".into())
        );
        assert_eq!(
            size("-s", "0"),
            Err("invalid argument - must be > 0".into())
        );
        assert_eq!(
            size("-s", "-5k"),
            Err("invalid argument - must be > 0".into())
        );
        assert_eq!(
            size("-s", "127b"),
            Err("invalid value for number of bytes".into())
        );
        assert_eq!(
            size("-s", "1x"),
            Err("unrecognized size character \"x\" for option \"-s\"".into())
        );
        assert_eq!(
            size("-s", "1,5k"),
            Err("unrecognized size character \",\" for option \"-s\"".into())
        );
        assert_eq!(
            size("-s", "abc"),
            Err("unrecognized argument \"abc\" for option \"-s\"".into())
        );
        assert_eq!(
            size("-m", "90%"),
            Err("invalid value for percentage (must be 0..90)".into())
        );
        assert_eq!(
            parse_size("-s", "1%", Percent::Refused).map_err(|e| e.to_string()),
            Err("cannot set blocksize as percentage of total physical memory".into())
        );
        assert!(size("-s", "inf").is_err());
        assert!(size("-s", "nan").is_err());
        assert!(size("-s", "1e400k").is_err());
        assert!(size("-s", "99999999T").is_err());
    }

    #[test]
    fn lenient_config_sizes() {
        assert_eq!(
            parse_size_lenient("Blocksize", "100", Percent::Refused),
            Ok(100)
        );
    }

    #[test]
    fn durations() {
        let ms = |t| parse_duration(t, BareUnit::Millis).map_err(|e| e.to_string());
        // mbuffer R20230301: `--tcptimeo 5` and `5ms` are 0.005 s, `5min` 300 s, `5h` 18000 s.
        assert_eq!(ms("5"), Ok(Duration::from_millis(5)));
        assert_eq!(ms("5ms"), Ok(Duration::from_millis(5)));
        assert_eq!(ms("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(ms("5min"), Ok(Duration::from_secs(300)));
        assert_eq!(ms("5h"), Ok(Duration::from_secs(18000)));
        assert_eq!(ms("5us"), Ok(Duration::from_micros(5)));
        assert_eq!(ms("x"), Err("invalid time argument \"x\"".into()));
        assert_eq!(ms("5x"), Err("invalid time argument \"5x\"".into()));
        assert_eq!(
            parse_duration("30", BareUnit::Seconds),
            Ok(Duration::from_secs(30))
        );
    }

    #[test]
    fn prefixes() {
        assert_eq!(parse_int_prefix("5.5"), Some(5));
        assert_eq!(parse_int_prefix("10x"), Some(10));
        assert_eq!(parse_int_prefix("x"), None);
        assert_eq!(parse_int_prefix("-3"), Some(-3));
        assert_eq!(parse_float_prefix("50%"), Some(50.0));
        assert_eq!(parse_float_prefix("x"), None);
    }
}
