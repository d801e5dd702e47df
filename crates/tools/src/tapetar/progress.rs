//! The progress display of `create` on a terminal: one line on standard error, redrawn twice
//! a second — bytes archived and written to the output, rate, ETA (the total is estimated
//! from a quick walk of the names first), buffer fill and underruns (times the ring ran
//! empty: the shoe-shining signal). Off a terminal nothing is shown. Reads the pipeline's [`Progress`] handle from its own thread, so the producer
//! never waits for the display.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use archive::pipeline::Progress;

use crate::size::{format_hms, format_size};

/// Redraw interval.
const INTERVAL: Duration = Duration::from_millis(500);
/// How often the display thread checks for the end.
const TICK: Duration = Duration::from_millis(50);

/// What one status line shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapshot {
    /// Archive bytes put into the buffer so far.
    pub archived: u64,
    /// Archive bytes the output has accepted.
    pub written: u64,
    /// Seconds since the start.
    pub elapsed: f64,
    /// Expected archive size, if known.
    pub total: Option<u64>,
    /// Buffer fill in percent.
    pub fill_percent: f64,
    /// Times the buffer ran empty after writing had started.
    pub times_empty: u64,
}

/// One status line:
/// `1.2 GiB archived (50%), 1.0 GiB written, 350.0 MiB/s, ETA 0:00:04, buffer 80%, empty 0`.
/// The rate and ETA are those of archiving (reading and hashing); the output follows behind
/// the buffer.
pub fn status_line(s: &Snapshot) -> String {
    let rate = if s.elapsed > 0.0 {
        s.archived as f64 / s.elapsed
    } else {
        0.0
    };
    let mut line = format!("{} archived", format_size(s.archived));
    let total = s.total.filter(|&t| t > 0);
    if let Some(total) = total {
        let pct = (s.archived as f64 / total as f64 * 100.0).min(100.0);
        line.push_str(&format!(" ({pct:.0}%)"));
    }
    line.push_str(&format!(
        ", {} written, {}/s",
        format_size(s.written),
        format_size(rate as u64)
    ));
    if let (Some(total), true) = (total, rate > 0.0) {
        let left = total.saturating_sub(s.archived) as f64 / rate;
        line.push_str(&format!(", ETA {}", format_hms(left)));
    }
    line.push_str(&format!(
        ", buffer {:.0}%, empty {}",
        s.fill_percent, s.times_empty
    ));
    line
}

/// A running display; stop it with [`Display::stop`].
pub struct Display {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Display {
    /// Starts drawing `progress` on standard error. `estimate` computes the expected archive
    /// size (a walk of the names); it runs on the display thread, so the producer does not
    /// wait for it, and the ETA appears once it is known.
    pub fn start<F>(progress: Progress, estimate: F) -> Display
    where
        F: FnOnce(&AtomicBool) -> Option<u64> + Send + 'static,
    {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = thread::Builder::new()
            .name("tapetar-progress".into())
            .spawn(move || {
                let total = estimate(&flag);
                draw_loop(&progress, total, &flag);
            })
            .ok();
        Display { stop, handle }
    }

    /// Stops the display and clears its line.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn draw_loop(progress: &Progress, total: Option<u64>, stop: &AtomicBool) {
    let mut since = Duration::ZERO;
    let mut drawn = false;
    while !stop.load(Ordering::Acquire) {
        thread::sleep(TICK);
        since += TICK;
        if since < INTERVAL {
            continue;
        }
        since = Duration::ZERO;
        let ring = progress.ring();
        let line = status_line(&Snapshot {
            archived: ring.bytes_in,
            written: progress.bytes_written(),
            elapsed: ring.elapsed.as_secs_f64(),
            total,
            fill_percent: ring.fill_percent(),
            times_empty: ring.total_times_empty(),
        });
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K{line}");
        let _ = err.flush();
        drawn = true;
    }
    if drawn {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K");
        let _ = err.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_shapes() {
        assert_eq!(format_hms(3725.0), "1:02:05");
        let l = status_line(&Snapshot {
            archived: 512 << 20,
            written: 256 << 20,
            elapsed: 4.0,
            total: Some(1024 << 20),
            fill_percent: 80.0,
            times_empty: 2,
        });
        assert_eq!(
            l,
            "512.0 MiB archived (50%), 256.0 MiB written, 128.0 MiB/s, ETA 0:00:04, buffer 80%, empty 2"
        );
        let l = status_line(&Snapshot {
            archived: 1000,
            written: 0,
            elapsed: 0.0,
            total: None,
            fill_percent: 0.0,
            times_empty: 0,
        });
        assert_eq!(l, "1000 B archived, 0 B written, 0 B/s, buffer 0%, empty 0");
    }
}
