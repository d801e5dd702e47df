//! Smooth rate limiting for `-r` (input) and `-R` (output): a token bucket consulted before
//! every slice of I/O. mbuffer sleeps once per block, so its output is bursty at block
//! granularity (`reference/mbuffer.md` §6 "Rate limit", complaint #2 in §7); here a block
//! is moved in slices of about 1/50 s worth of bytes, each waiting for its tokens.

use std::time::{Duration, Instant};

/// Slices per second the limiter aims for (a slice is `rate / SLICES_PER_SEC` bytes).
const SLICES_PER_SEC: u64 = 50;
/// Smallest slice, bytes (below this the syscall cost dominates).
const MIN_SLICE: usize = 4096;
/// Tokens the bucket may hold beyond the current slice: 1/10 s of traffic, so a short stall
/// does not turn into a burst.
const BURST_DIVISOR: u64 = 10;

/// A token bucket of `rate` bytes per second.
#[derive(Debug, Clone)]
pub struct RateLimit {
    rate: u64,
    /// When the bucket was last refilled.
    last: Instant,
    /// Available tokens (bytes); negative means debt.
    tokens: f64,
}

impl RateLimit {
    /// A limiter of `rate` bytes per second (`rate` 0 is treated as 1).
    pub fn new(rate: u64) -> RateLimit {
        RateLimit {
            rate: rate.max(1),
            last: Instant::now(),
            tokens: 0.0,
        }
    }

    /// Size of one I/O slice: about 1/50 s of traffic, at least 4 KiB, at most `max`.
    pub fn slice(&self, max: usize) -> usize {
        let s = usize::try_from(self.rate / SLICES_PER_SEC).unwrap_or(usize::MAX);
        s.max(MIN_SLICE).min(max).max(1)
    }

    /// How long to wait before `n` more bytes may go, and takes their tokens.
    pub fn reserve(&mut self, n: usize, now: Instant) -> Duration {
        let rate = self.rate as f64;
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        let cap = (self.rate / BURST_DIVISOR) as f64;
        self.tokens = (self.tokens + elapsed * rate).min(cap);
        self.tokens -= n as f64;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / rate)
        }
    }

    /// Waits (sleeps) until `n` more bytes may go.
    pub fn wait(&mut self, n: usize) {
        let d = self.reserve(n, Instant::now());
        if !d.is_zero() {
            std::thread::sleep(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_run_average_matches_the_rate() {
        // 1 MB/s: sending 10 MB in 4 KiB slices must be scheduled over ~10 s of virtual time.
        let start = Instant::now();
        let mut rl = RateLimit::new(1_000_000);
        rl.last = start;
        let mut now = start;
        let mut sent = 0usize;
        while sent < 10_000_000 {
            let d = rl.reserve(4096, now);
            now += d;
            sent += 4096;
        }
        let secs = now.duration_since(start).as_secs_f64();
        assert!((secs - sent as f64 / 1e6).abs() < 0.01, "{secs}");
    }

    #[test]
    fn idle_time_gives_at_most_a_small_burst() {
        let start = Instant::now();
        let mut rl = RateLimit::new(1_000_000);
        rl.last = start;
        // After 5 s idle only 1/10 s of tokens (100 kB) are available.
        let later = start + Duration::from_secs(5);
        assert_eq!(rl.reserve(100_000, later), Duration::ZERO);
        let d = rl.reserve(100_000, later);
        assert!((d.as_secs_f64() - 0.1).abs() < 1e-6, "{d:?}");
    }

    #[test]
    fn slices_are_bounded() {
        assert_eq!(RateLimit::new(1000).slice(1 << 20), 4096);
        assert_eq!(RateLimit::new(50 << 20).slice(1 << 20), 1 << 20);
        assert_eq!(RateLimit::new(50 << 20).slice(1000), 1000);
        assert_eq!(RateLimit::new(5 << 20).slice(1 << 20), (5 << 20) / 50);
    }
}
