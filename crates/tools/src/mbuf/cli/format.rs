//! The texts mbuffer R20230301 prints while it runs (`reference/mbuffer.md` §3): the status
//! line, the summary and the hash lines. Pure functions; the engine decides where they go.
//!
//! Numbers follow mbuffer's scaling rule: the value starts in KiB and is divided by 1024 while
//! it is above 10000; below 100 it is printed `%4.1f`, otherwise `%4.0f`; the unit is `ki`,
//! `Mi`, `Gi` or `Ti` followed by `B/s`, `B` or `Byte`. Byte amounts are counted in whole KiB
//! first (mbuffer prints 10 000 000 bytes as `9765 kiB`, not `9766`). Expected strings in the
//! tests were taken from the real `mbuffer` binary.

use crate::mbuf::options::HashAlg;

/// Unit letters after `k`: mbuffer never goes past TiB.
const UNITS: [char; 4] = ['k', 'M', 'G', 'T'];

/// Scale limit: divide by 1024 while the value is above this.
const SCALE_LIMIT: f64 = 10000.0;

/// Values below this get one decimal.
const ONE_DECIMAL_BELOW: f64 = 100.0;

/// Formats a value given in KiB as mbuffer's `kb2str` does: `"%4.1f Xi"` / `"%4.0f Xi"`
/// (without the trailing `B`, `B/s` or `Byte`).
fn scaled_kib(kib: f64) -> String {
    let mut v = if kib.is_finite() && kib > 0.0 {
        kib
    } else {
        0.0
    };
    let mut unit = 0usize;
    while v > SCALE_LIMIT && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    let letter = UNITS.get(unit).copied().unwrap_or('T');
    if v < ONE_DECIMAL_BELOW {
        format!("{v:4.1} {letter}i")
    } else {
        format!("{v:4.0} {letter}i")
    }
}

/// A rate as mbuffer prints it: `"50.1 MiB/s"`, `" 122 MiB/s"`, `" 4.4 kiB/s"`.
pub fn rate(bytes_per_sec: f64) -> String {
    format!("{}B/s", scaled_kib(bytes_per_sec / 1024.0))
}

/// An amount as mbuffer prints it in the status line: `"85.8 MiB"`, `"9765 kiB"` (whole KiB
/// first, then scaled).
pub fn amount(bytes: u64) -> String {
    format!("{}B", amount_prefix(bytes))
}

/// `amount` without the final `B` (the summary says `MiByte`).
fn amount_prefix(bytes: u64) -> String {
    // Whole KiB as mbuffer counts them; u64 -> f64 loses precision only above 2^53 KiB.
    scaled_kib((bytes / 1024) as f64)
}

/// One status line (`reference/mbuffer.md` §3).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StatusLine {
    /// Input rate over the last interval, bytes per second.
    pub rate_in: f64,
    /// Output rate of ONE output over the last interval, bytes per second; printed
    /// multiplied by `outputs` (mbuffer prints the sum over all outputs).
    pub rate_out: f64,
    /// Number of outputs still running (1 for a single output).
    pub outputs: usize,
    /// Bytes written so far by one output (printed as `N x <total>` when `outputs > 1`).
    pub total_out: u64,
    /// Buffer fill, percent (0..=100).
    pub fill_percent: f64,
    /// Percent of a regular-file input read so far (`None`: not shown).
    pub done_percent: Option<f64>,
}

/// The status line, starting with `\r` and without a newline:
/// `"\rin @  122 MiB/s, out @  122 MiB/s, 85.8 MiB total, buffer   0% full"`; with two
/// outputs `"out @  201 MiB/s, 2 x 70.5 MiB total"`; with a file input `",  37% done"`.
pub fn status_line(s: &StatusLine) -> String {
    let outputs = s.outputs.max(1);
    let mut line = format!(
        "\rin @ {}, out @ {}, ",
        rate(s.rate_in),
        rate(s.rate_out * outputs as f64)
    );
    if outputs > 1 {
        line.push_str(&format!("{outputs} x "));
    }
    line.push_str(&format!(
        "{} total, buffer {:3.0}% full",
        amount(s.total_out),
        clamp_percent(s.fill_percent)
    ));
    if let Some(done) = s.done_percent {
        line.push_str(&format!(", {:3.0}% done", clamp_percent(done)));
    }
    line
}

/// Percentages are shown within 0..=100 (a NaN shows as 0).
fn clamp_percent(p: f64) -> f64 {
    if p.is_nan() {
        0.0
    } else {
        p.clamp(0.0, 100.0)
    }
}

/// The end-of-run figures (`reference/mbuffer.md` §3).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Summary {
    /// Number of outputs (the `2x ` prefix appears when above 1).
    pub outputs: usize,
    /// Bytes written by one output.
    pub bytes: u64,
    /// Wall time of the run, seconds.
    pub seconds: f64,
    /// Times an output waited for the buffer to refill to the high watermark (`-P`).
    pub times_empty: u64,
    /// Times the input waited for the buffer to drain to the low watermark (`-p`).
    pub times_full: u64,
}

/// The summary line, without a newline:
/// `"summary:  172 MiByte in  1.9sec - average of 88.0 MiB/s"`, fan-out
/// `"summary: 2x  191 MiByte in  1.9sec - average of  200 MiB/s"` (the average is the sum over
/// the outputs), then `", 3x empty"` and `", 5x full"` when non-zero. Runs of a minute or more
/// show ` 1min 02.9sec` / ` 1h 02min 03.4sec`.
pub fn summary(s: &Summary) -> String {
    let outputs = s.outputs.max(1);
    let seconds = if s.seconds.is_finite() && s.seconds > 0.0 {
        s.seconds
    } else {
        0.0
    };
    // mbuffer averages the whole KiB it counted (9000 bytes in 1.8 s is `4.4 kiB/s`).
    let average = if seconds > 0.0 {
        (s.bytes / 1024) as f64 * 1024.0 * outputs as f64 / seconds
    } else {
        0.0
    };
    let mut line = String::from("summary: ");
    if outputs > 1 {
        line.push_str(&format!("{outputs}x "));
    }
    line.push_str(&format!(
        "{}Byte in {} - average of {}",
        amount_prefix(s.bytes),
        duration(seconds),
        rate(average)
    ));
    if s.times_empty > 0 {
        line.push_str(&format!(", {}x empty", s.times_empty));
    }
    if s.times_full > 0 {
        line.push_str(&format!(", {}x full", s.times_full));
    }
    line
}

/// Elapsed time as the summary prints it: `" 1.9sec"` (`%4.1f`), `" 1min 02.9sec"` (measured),
/// `" 1h 02min 03.4sec"` (the reference's form, padded like the minute form: not measured).
fn duration(seconds: f64) -> String {
    const MINUTE: f64 = 60.0;
    const HOUR: f64 = 3600.0;
    if seconds < MINUTE {
        return format!("{seconds:4.1}sec");
    }
    let hours = (seconds / HOUR).floor();
    let rest = seconds - hours * HOUR;
    let minutes = (rest / MINUTE).floor();
    let secs = rest - minutes * MINUTE;
    if hours >= 1.0 {
        format!("{hours:2.0}h {minutes:02.0}min {secs:04.1}sec")
    } else {
        format!("{minutes:2.0}min {secs:04.1}sec")
    }
}

/// The hash result line printed before the summary: `"MD5 hash: <lower-case hex>"`.
pub fn hash_line(alg: HashAlg, digest: &[u8]) -> String {
    let mut line = format!("{} hash: ", alg.label());
    for b in digest {
        line.push_str(&format!("{b:02x}"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every expected string below was printed by /usr/bin/mbuffer R20230301.

    #[test]
    fn rates_and_amounts() {
        assert_eq!(rate(1087.0 * 1048576.0), "1087 MiB/s");
        assert_eq!(rate(4.4 * 1024.0), " 4.4 kiB/s");
        assert_eq!(rate(122.0 * 1048576.0), " 122 MiB/s");
        assert_eq!(amount(10_000_000), "9765 kiB");
        assert_eq!(amount(9000), " 8.0 kiB");
        assert_eq!(amount(200_000_000), " 191 MiB");
    }

    #[test]
    fn status_single_output() {
        let s = StatusLine {
            rate_in: 122.0 * 1048576.0,
            rate_out: 122.0 * 1048576.0,
            outputs: 1,
            total_out: 89_967_821, // 85.8 MiB
            fill_percent: 0.0,
            done_percent: None,
        };
        assert_eq!(
            status_line(&s),
            "\rin @  122 MiB/s, out @  122 MiB/s, 85.8 MiB total, buffer   0% full"
        );
    }

    #[test]
    fn status_fan_out_with_done() {
        let s = StatusLine {
            rate_in: 101.0 * 1048576.0,
            rate_out: 100.5 * 1048576.0,
            outputs: 2,
            total_out: 73_924_608, // 70.5 MiB
            fill_percent: 0.0,
            done_percent: Some(37.0),
        };
        assert_eq!(
            status_line(&s),
            "\rin @  101 MiB/s, out @  201 MiB/s, 2 x 70.5 MiB total, buffer   0% full,  37% done"
        );
    }

    #[test]
    fn summaries() {
        let s = Summary {
            outputs: 1,
            bytes: 9000,
            seconds: 1.8,
            ..Summary::default()
        };
        assert_eq!(
            summary(&s),
            "summary:  8.0 kiByte in  1.8sec - average of  4.4 kiB/s"
        );
        let s = Summary {
            outputs: 2,
            bytes: 200_000_000,
            seconds: 1.905,
            ..Summary::default()
        };
        assert_eq!(
            summary(&s),
            "summary: 2x  191 MiByte in  1.9sec - average of  200 MiB/s"
        );
        let s = Summary {
            outputs: 1,
            bytes: 27_000_000,
            seconds: 0.94,
            times_empty: 3,
            times_full: 0,
        };
        assert_eq!(
            summary(&s),
            "summary: 25.7 MiByte in  0.9sec - average of 27.4 MiB/s, 3x empty"
        );
        let s = Summary {
            outputs: 1,
            bytes: 100_000_000,
            seconds: 0.4745,
            times_empty: 0,
            times_full: 5,
        };
        assert_eq!(
            summary(&s),
            "summary: 95.4 MiByte in  0.5sec - average of  201 MiB/s, 5x full"
        );
    }

    #[test]
    fn long_runs() {
        // mbuffer, 66000000 bytes at -r 1M:
        let s = Summary {
            outputs: 1,
            bytes: 66_000_000,
            seconds: 62.9,
            ..Summary::default()
        };
        assert_eq!(
            summary(&s),
            "summary: 62.9 MiByte in  1min 02.9sec - average of 1025 kiB/s"
        );
        // reference/mbuffer.md §3 (`1h 02min 03.4sec`), padded as the minute form is.
        assert_eq!(duration(3723.4), " 1h 02min 03.4sec");
    }

    #[test]
    fn hash_lines() {
        let d = [0x0fu8, 0x86, 0xd7, 0xc5];
        assert_eq!(hash_line(HashAlg::Md5, &d), "MD5 hash: 0f86d7c5");
        assert_eq!(hash_line(HashAlg::Sha256, &[0xa9]), "SHA256 hash: a9");
    }
}
