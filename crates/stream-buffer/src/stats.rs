//! Throughput and fill statistics (mbuffer's summary line: bytes, rates, "Nx empty",
//! "Nx full", maximum fill; `reference/mbuffer.md` §3).

use std::time::Duration;

/// A snapshot of the counters of one ring.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// Size of one block in bytes.
    pub block_size: usize,
    /// Number of blocks in the ring.
    pub blocks: usize,
    /// Bytes committed by the producer.
    pub bytes_in: u64,
    /// Bytes handed to each consumer, indexed by [`Consumer::id`](crate::Consumer::id).
    pub bytes_out: Vec<u64>,
    /// Underruns per consumer: times it found no block to read and had to wait again for the
    /// high watermark (the initial wait before the first block is not counted).
    pub times_empty: Vec<u64>,
    /// Times the producer found no free block.
    pub times_full: u64,
    /// Committed blocks not yet released by every consumer, now.
    pub fill_blocks: usize,
    /// Largest value `fill_blocks` has had.
    pub max_fill_blocks: usize,
    /// Time since the ring was created.
    pub elapsed: Duration,
    /// True once the producer finished (or was dropped).
    pub finished: bool,
}

impl Stats {
    /// Input rate in bytes per second over [`elapsed`](Self::elapsed).
    pub fn rate_in(&self) -> f64 {
        rate(self.bytes_in, self.elapsed)
    }

    /// Output rate of consumer `id` in bytes per second, `None` for an unknown id.
    pub fn rate_out(&self, id: usize) -> Option<f64> {
        self.bytes_out.get(id).map(|&b| rate(b, self.elapsed))
    }

    /// Sum of all consumers' underruns.
    pub fn total_times_empty(&self) -> u64 {
        self.times_empty.iter().sum()
    }

    /// Current fill as a percentage of the ring.
    pub fn fill_percent(&self) -> f64 {
        percent(self.fill_blocks, self.blocks)
    }

    /// Maximum fill as a percentage of the ring.
    pub fn max_fill_percent(&self) -> f64 {
        percent(self.max_fill_blocks, self.blocks)
    }
}

fn rate(bytes: u64, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 {
        bytes as f64 / secs
    } else {
        0.0
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Stats {
        Stats {
            block_size: 10,
            blocks: 8,
            bytes_in: 1000,
            bytes_out: vec![500, 1000],
            times_empty: vec![1, 2],
            times_full: 3,
            fill_blocks: 2,
            max_fill_blocks: 6,
            elapsed: Duration::from_secs(2),
            finished: false,
        }
    }

    #[test]
    fn rates_and_percentages() {
        let s = sample();
        assert_eq!(s.rate_in(), 500.0);
        assert_eq!(s.rate_out(0), Some(250.0));
        assert_eq!(s.rate_out(2), None);
        assert_eq!(s.total_times_empty(), 3);
        assert_eq!(s.fill_percent(), 25.0);
        assert_eq!(s.max_fill_percent(), 75.0);
    }

    #[test]
    fn zero_elapsed_gives_zero_rate() {
        let s = Stats {
            elapsed: Duration::ZERO,
            ..sample()
        };
        assert_eq!(s.rate_in(), 0.0);
    }
}
