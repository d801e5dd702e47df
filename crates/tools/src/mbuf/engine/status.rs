//! The periodic status line (`reference/mbuffer.md` §3: rates over the last interval, total
//! output, buffer fill, "NN% done" for a regular-file input), the `--progress` bar with ETA
//! (mbuf extension) and the end-of-run summary. Texts come from [`crate::mbuf::cli::format`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use stream_buffer::{Monitor, Stats};

use super::log::Logger;
use crate::mbuf::cli::format::{self, StatusLine, Summary};
use crate::size::format_hms;

/// Width of the progress bar in characters.
const BAR_WIDTH: usize = 30;

/// Rate computation between two ticks.
#[derive(Debug)]
pub struct Status {
    monitor: Monitor,
    written: Vec<Arc<AtomicU64>>,
    input_size: Option<u64>,
    to_stderr: bool,
    progress: bool,
    prev_in: u64,
    prev_out: Vec<u64>,
    prev_t: Instant,
    start: Instant,
}

impl Status {
    /// A status printer. `to_stderr`: not `-q`; `progress`: draw the bar instead of the line
    /// on stderr.
    pub fn new(
        monitor: Monitor,
        written: Vec<Arc<AtomicU64>>,
        input_size: Option<u64>,
        to_stderr: bool,
        progress: bool,
    ) -> Status {
        let n = written.len();
        Status {
            monitor,
            written,
            input_size,
            to_stderr,
            progress: progress && input_size.is_some(),
            prev_in: 0,
            prev_out: vec![0; n],
            prev_t: Instant::now(),
            start: Instant::now(),
        }
    }

    /// Prints one status line (and the bar), `running[i]` telling which outputs still run.
    pub fn tick(&mut self, running: &[bool], log: &Logger) {
        let stats = self.monitor.stats();
        let now = Instant::now();
        let dt = now.duration_since(self.prev_t).as_secs_f64().max(1e-6);
        let outs: Vec<u64> = self
            .written
            .iter()
            .map(|w| w.load(Ordering::Relaxed))
            .collect();
        let live: Vec<usize> = (0..outs.len())
            .filter(|&i| running.get(i).copied().unwrap_or(false))
            .collect();
        let n = live.len().max(1);
        let delta_out: u64 = live
            .iter()
            .map(|&i| {
                let now_b = outs.get(i).copied().unwrap_or(0);
                now_b.saturating_sub(self.prev_out.get(i).copied().unwrap_or(0))
            })
            .sum();
        let total_out = live.iter().filter_map(|&i| outs.get(i)).copied().max();
        let line = StatusLine {
            rate_in: stats.bytes_in.saturating_sub(self.prev_in) as f64 / dt,
            rate_out: delta_out as f64 / dt / n as f64,
            outputs: n,
            total_out: total_out
                .or_else(|| outs.iter().copied().max())
                .unwrap_or(0),
            fill_percent: stats.fill_percent(),
            done_percent: self.input_size.map(|s| percent(stats.bytes_in, s)),
        };
        self.prev_in = stats.bytes_in;
        self.prev_out = outs;
        self.prev_t = now;
        let text = format::status_line(&line);
        if self.progress {
            log.status(&text, false);
            log.status(&self.bar(&stats), self.to_stderr);
        } else {
            log.status(&text, self.to_stderr);
        }
    }

    /// `\r[=======>      ]  42% 1.1 GiB of 2.6 GiB, ETA 0:00:13`.
    fn bar(&self, stats: &Stats) -> String {
        let size = self.input_size.unwrap_or(0);
        let pct = percent(stats.bytes_in, size);
        let filled = ((pct / 100.0) * BAR_WIDTH as f64) as usize;
        let filled = filled.min(BAR_WIDTH);
        let mut bar = "=".repeat(filled);
        if filled < BAR_WIDTH {
            bar.push('>');
            bar.push_str(&" ".repeat(BAR_WIDTH - filled - 1));
        }
        let secs = self.start.elapsed().as_secs_f64();
        let rate = if secs > 0.0 {
            stats.bytes_in as f64 / secs
        } else {
            0.0
        };
        let eta = if rate > 0.0 {
            let left = size.saturating_sub(stats.bytes_in) as f64 / rate;
            format_hms(left)
        } else {
            "--:--:--".into()
        };
        format!(
            "\r[{bar}] {pct:3.0}% {} of {}, {}, ETA {eta}",
            format::amount(stats.bytes_in),
            format::amount(size),
            format::rate(rate)
        )
    }
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        100.0
    } else {
        (part as f64 * 100.0 / whole as f64).min(100.0)
    }
}

/// The summary of a run: `outputs` outputs wrote `bytes` each. "Nx empty" counts only under
/// `-P` and "Nx full" only under `-p`, as in mbuffer.
pub fn summary(
    stats: &Stats,
    outputs: usize,
    bytes: u64,
    seconds: f64,
    high: bool,
    low: bool,
) -> String {
    let empty: u64 = stats.times_empty.iter().take(outputs).sum();
    format::summary(&Summary {
        outputs,
        bytes,
        seconds,
        times_empty: if high { empty } else { 0 },
        times_full: if low { stats.times_full } else { 0 },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(format_hms(3725.4), "1:02:05");
        assert_eq!(percent(50, 200), 25.0);
        assert_eq!(percent(5, 0), 100.0);
    }

    #[test]
    fn summary_counts_only_outputs_and_watermarks() {
        let stats = Stats {
            block_size: 1024,
            blocks: 8,
            bytes_in: 0,
            bytes_out: vec![0, 0],
            times_empty: vec![2, 7],
            times_full: 3,
            fill_blocks: 0,
            max_fill_blocks: 0,
            elapsed: std::time::Duration::ZERO,
            finished: true,
        };
        // Expected texts: mbuffer's summary format (reference §3).
        let s = summary(&stats, 1, 200 << 20, 4.0, true, true);
        assert_eq!(
            s,
            "summary:  200 MiByte in  4.0sec - average of 50.0 MiB/s, 2x empty, 3x full"
        );
        let s = summary(&stats, 1, 200 << 20, 4.0, false, false);
        assert_eq!(s, "summary:  200 MiByte in  4.0sec - average of 50.0 MiB/s");
    }
}
