//! A fixed-block ring buffer: one producer, N consumers, watermarks, statistics.
//!
//! This is the engine of `mbuf`, tapekit's replacement for mbuffer (behaviour described in
//! `reference/mbuffer.md` §6, "Internal design"). The ring is one page-aligned allocation of
//! `blocks × block_size` bytes made once, optionally pre-faulted and `mlock`ed. The
//! [`Producer`] fills blocks in place — input is read straight into ring memory — and
//! reblocks arbitrary input sizes so that every block a [`Consumer`] sees is exactly
//! `block_size` bytes except the last one of the stream (tape needs this: one output write is
//! one tape record). Each of the N consumers sees every block in order; a block is free again
//! when all of them released it.
//!
//! - **Cache-warm reuse.** Free blocks are reused most-recently-freed first. When the
//!   consumers keep up, the same few blocks circulate while they are still in the CPU caches,
//!   instead of the whole (possibly gigabyte) ring streaming through memory as with mbuffer's
//!   strict ring order — the measured reason mbuffer is slower than `cat`.
//! - **High watermark** (`-P`): a consumer starts only when P % of the ring is available to it
//!   (committed blocks it has not read yet), and waits for that again after every underrun. It
//!   also starts when no more data can come: at the end of the stream, or while the producer
//!   is blocked on a full ring (with several consumers a fast one might otherwise wait for a
//!   fill that the slow one's backlog makes impossible).
//! - **Low watermark** (`-p`): once the ring is full, the producer waits until the fill drops
//!   below p %.
//! - **Waiting parks threads** on condition variables; nothing spins. The mutex is taken once
//!   per block, never per byte.
//! - **Failure isolation.** Dropping a consumer detaches it (its pending blocks are released
//!   for it); dropping the producer without [`Producer::finish`] ends the stream as aborted.
//!
//! # Example
//!
//! ```
//! use std::thread;
//! use stream_buffer::{buffer, Config};
//!
//! let (mut producer, consumers) = buffer(Config::new(4, 8).consumers(2))?;
//! let readers: Vec<_> = consumers
//!     .into_iter()
//!     .map(|mut c| {
//!         thread::spawn(move || {
//!             let mut writes = Vec::new();
//!             while let Some(block) = c.next_block()? {
//!                 writes.push(block.to_vec()); // one output write per block
//!             }
//!             Ok::<_, stream_buffer::Error>(writes)
//!         })
//!     })
//!     .collect();
//! producer.write_all(b"hello")?;
//! producer.copy_from(&mut &b", world"[..])?; // reads straight into block memory
//! let stats = producer.finish()?;
//! assert_eq!(stats.bytes_in, 12);
//! for r in readers {
//!     let writes = r.join().expect("consumer thread")?;
//!     assert_eq!(writes, [&b"hell"[..], b"o, w", b"orld"]);
//! }
//! # Ok::<(), stream_buffer::Error>(())
//! ```
#![deny(unsafe_code)]

#[allow(unsafe_code)]
mod alloc;
mod consumer;
mod error;
mod producer;
mod state;
mod stats;

use std::path::PathBuf;
use std::sync::Arc;

pub use consumer::{Block, Consumer};
pub use error::Error;
pub use producer::{Producer, SpareMut};
pub use stats::Stats;

use state::Shared;

/// Where the ring memory comes from (mbuffer `-t` / `-T`, `reference/mbuffer.md` §1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Backing {
    /// Anonymous memory, mapped lazily (default).
    #[default]
    Anonymous,
    /// A shared mapping of an unlinked temporary file in this directory (`-t`, `$TMPDIR`).
    TempFile(PathBuf),
    /// A shared mapping of this file, created or truncated and sized to the ring (`-T FILE`).
    File(PathBuf),
}

/// Geometry and behaviour of a ring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Bytes per block (mbuffer `-s`).
    pub block_size: usize,
    /// Number of blocks (mbuffer `-b`).
    pub blocks: usize,
    /// Number of consumers, at least 1.
    pub consumers: usize,
    /// High watermark in percent, 0..=100 (mbuffer `-P`); 0 starts output at the first block.
    pub high_watermark: u8,
    /// Low watermark in percent, 0..=100 (mbuffer `-p`); after the ring was full the producer
    /// resumes when the fill drops below this: at 100 as soon as one block is free, at 0 only
    /// when the ring is empty.
    pub low_watermark: u8,
    /// Touch every page at construction so no page faults happen while streaming.
    pub prefault: bool,
    /// `mlock(2)` the ring; construction fails with [`Error::Mlock`] if that is refused.
    pub mlock: bool,
    /// Where the memory comes from.
    pub backing: Backing,
}

impl Config {
    /// `blocks` blocks of `block_size` bytes, one consumer, no high watermark, low watermark
    /// 100 % (resume as soon as a block is free), no prefault, no mlock, anonymous memory.
    pub fn new(block_size: usize, blocks: usize) -> Self {
        Config {
            block_size,
            blocks,
            consumers: 1,
            high_watermark: 0,
            low_watermark: 100,
            prefault: false,
            mlock: false,
            backing: Backing::Anonymous,
        }
    }

    /// Sets the number of consumers.
    pub fn consumers(mut self, n: usize) -> Self {
        self.consumers = n;
        self
    }

    /// Sets the high watermark (percent).
    pub fn high_watermark(mut self, pct: u8) -> Self {
        self.high_watermark = pct;
        self
    }

    /// Sets the low watermark (percent).
    pub fn low_watermark(mut self, pct: u8) -> Self {
        self.low_watermark = pct;
        self
    }

    /// Enables or disables pre-faulting.
    pub fn prefault(mut self, on: bool) -> Self {
        self.prefault = on;
        self
    }

    /// Enables or disables `mlock`.
    pub fn mlock(mut self, on: bool) -> Self {
        self.mlock = on;
        self
    }

    /// Sets where the ring memory comes from.
    pub fn backing(mut self, backing: Backing) -> Self {
        self.backing = backing;
        self
    }
}

/// Allocates a ring and returns its producer and `config.consumers` consumers (ids 0..N).
pub fn buffer(config: Config) -> Result<(Producer, Vec<Consumer>), Error> {
    if config.consumers == 0 {
        return Err(Error::InvalidConfig("at least one consumer is needed"));
    }
    if config.high_watermark > 100 || config.low_watermark > 100 {
        return Err(Error::InvalidConfig("watermarks are percentages (0..=100)"));
    }
    let region = alloc::Region::new(
        config.block_size,
        config.blocks,
        config.prefault,
        config.mlock,
        &config.backing,
    )?;
    let shared = Arc::new(Shared::new(
        region,
        config.consumers,
        config.high_watermark,
        config.low_watermark,
    ));
    let consumers = (0..config.consumers)
        .map(|id| Consumer::new(Arc::clone(&shared), id))
        .collect();
    Ok((Producer::new(shared), consumers))
}

/// A cloneable read-only handle on a ring's statistics (for a status thread). It keeps the
/// ring memory alive while it exists.
#[derive(Clone)]
pub struct Monitor {
    shared: Arc<Shared>,
}

impl Monitor {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Monitor { shared }
    }

    /// A snapshot of the ring's statistics.
    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }
}

impl std::fmt::Debug for Monitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Monitor").finish_non_exhaustive()
    }
}
