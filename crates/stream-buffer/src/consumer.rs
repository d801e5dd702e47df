//! Consumer handles: each sees every committed block in order (mbuffer's per-output
//! "sender" threads meeting at a per-block barrier, `reference/mbuffer.md` §6 "Fan-out").

use std::ops::Deref;
use std::sync::Arc;

use crate::alloc::ReadGuard;
use crate::state::Shared;
use crate::{Error, Monitor, Stats};

/// One reader of a ring. Every consumer sees every block; a block becomes free again once all
/// attached consumers released it. Dropping a consumer detaches it: the blocks it had not yet
/// read are released for it, so a failed output never stalls the producer.
pub struct Consumer {
    shared: Arc<Shared>,
    id: usize,
    /// Sequence number of the next block to take.
    cursor: u64,
    waiting_high: bool,
    started: bool,
}

/// A committed block lent to a consumer; released when dropped.
pub struct Block<'a> {
    shared: &'a Shared,
    guard: Option<ReadGuard<'a>>,
    seq: u64,
}

impl Deref for Block<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.guard.as_deref().unwrap_or(&[])
    }
}

impl Drop for Block<'_> {
    fn drop(&mut self) {
        // Give up the memory before the block can be handed back to the producer.
        drop(self.guard.take());
        self.shared.release(self.seq);
    }
}

impl Consumer {
    pub(crate) fn new(shared: Arc<Shared>, id: usize) -> Self {
        Consumer {
            shared,
            id,
            cursor: 0,
            waiting_high: true,
            started: false,
        }
    }

    /// This consumer's index (0-based), used in [`Stats::bytes_out`].
    pub fn id(&self) -> usize {
        self.id
    }

    /// The next block, waiting if none is ready. Before the first block and after every
    /// underrun the consumer waits until the high watermark of blocks is available to it (or
    /// the stream ended). Returns `Ok(None)` after the last block of a finished stream and
    /// [`Error::ProducerAborted`] if the producer was dropped without finishing.
    ///
    /// Every block is exactly the block size except possibly the last one.
    pub fn next_block(&mut self) -> Result<Option<Block<'_>>, Error> {
        let got = self
            .shared
            .take(self.id, self.cursor, &mut self.waiting_high, self.started)?;
        let Some((idx, len)) = got else {
            return Ok(None);
        };
        let seq = self.cursor;
        self.cursor += 1;
        self.started = true;
        match self.shared.region.try_read(idx, len) {
            Some(guard) => Ok(Some(Block {
                shared: &self.shared,
                guard: Some(guard),
                seq,
            })),
            None => {
                self.shared.release(seq);
                Err(Error::Internal)
            }
        }
    }

    /// A snapshot of the ring's statistics.
    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }

    /// A cloneable statistics handle.
    pub fn monitor(&self) -> Monitor {
        Monitor::new(Arc::clone(&self.shared))
    }
}

impl Drop for Consumer {
    fn drop(&mut self) {
        self.shared.detach(self.id, self.cursor);
    }
}
