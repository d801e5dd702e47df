//! The producer handle: fills blocks in place and commits them (mbuffer's input thread,
//! `reference/mbuffer.md` §6 "Reblocking": input is gathered until a whole block is full, so
//! every block handed to consumers is exactly one block size except the last).

use std::io::{ErrorKind, Read};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use crate::alloc::WriteGuard;
use crate::state::{End, Shared};
use crate::{Error, Monitor, Stats};

/// The single writer of a ring.
///
/// Data go straight into block memory: either copied with [`write_all`](Self::write_all), read
/// with [`fill_from`](Self::fill_from) / [`copy_from`](Self::copy_from), or written by the
/// caller into [`spare`](Self::spare) and published with [`advance`](Self::advance). A block
/// is committed to the consumers as soon as it is full; [`finish`](Self::finish) commits the
/// short last block and ends the stream. Dropping the producer without `finish` ends the stream
/// as aborted: consumers get [`Error::ProducerAborted`] after the last full block.
pub struct Producer {
    shared: Arc<Shared>,
    /// The block being filled and how many bytes it holds.
    current: Option<(usize, usize)>,
    done: bool,
}

/// The unfilled tail of the producer's current block (see [`Producer::spare`]).
pub struct SpareMut<'a> {
    guard: WriteGuard<'a>,
}

impl Deref for SpareMut<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.guard
    }
}

impl DerefMut for SpareMut<'_> {
    fn deref_mut(&mut self) -> &mut [u8] {
        &mut self.guard
    }
}

impl Producer {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Producer {
            shared,
            current: None,
            done: false,
        }
    }

    /// Block size of the ring.
    pub fn block_size(&self) -> usize {
        self.shared.region.block_size()
    }

    /// The current block, taking a free one (and waiting for the low watermark) if needed.
    fn current(&mut self) -> Result<(usize, usize), Error> {
        if let Some(cur) = self.current {
            return Ok(cur);
        }
        let idx = self.shared.acquire()?;
        self.current = Some((idx, 0));
        Ok((idx, 0))
    }

    /// The unfilled part of the current block, never empty. Waits for a free block if the
    /// producer holds none and the ring is full. Write into it, drop it, then call
    /// [`advance`](Self::advance) with the number of bytes written.
    pub fn spare(&mut self) -> Result<SpareMut<'_>, Error> {
        let (idx, filled) = self.current()?;
        let guard = self
            .shared
            .region
            .try_write(idx, filled)
            .ok_or(Error::Internal)?;
        Ok(SpareMut { guard })
    }

    /// Marks `n` more bytes of the current block as filled (after writing them through
    /// [`spare`](Self::spare)); commits the block when it becomes full.
    pub fn advance(&mut self, n: usize) -> Result<(), Error> {
        if n == 0 {
            return Ok(());
        }
        let bs = self.block_size();
        let (idx, filled) = self.current.ok_or(Error::AdvanceTooFar(n))?;
        let new = filled
            .checked_add(n)
            .filter(|&f| f <= bs)
            .ok_or(Error::AdvanceTooFar(n))?;
        if new == bs {
            self.current = None;
            self.shared.commit(idx, bs)
        } else {
            self.current = Some((idx, new));
            Ok(())
        }
    }

    /// Copies all of `data` into the ring, committing every block it completes.
    pub fn write_all(&mut self, mut data: &[u8]) -> Result<(), Error> {
        while !data.is_empty() {
            let n = {
                let mut spare = self.spare()?;
                let n = spare.len().min(data.len());
                let (head, rest) = data.split_at(n);
                if let Some(dst) = spare.get_mut(..n) {
                    dst.copy_from_slice(head);
                }
                data = rest;
                n
            };
            self.advance(n)?;
        }
        Ok(())
    }

    /// One `read` from `reader` straight into the current block (retrying on `EINTR`).
    /// Returns the byte count; 0 means end of input. A block is committed once full.
    pub fn fill_from<R: Read + ?Sized>(&mut self, reader: &mut R) -> Result<usize, Error> {
        let n = loop {
            let mut spare = self.spare()?;
            match reader.read(&mut spare) {
                Ok(n) => break n.min(spare.len()),
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::Io(e)),
            }
        };
        self.advance(n)?;
        Ok(n)
    }

    /// Reads `reader` to its end into the ring; returns the byte count. Does not
    /// [`finish`](Self::finish), so several inputs can be concatenated.
    pub fn copy_from<R: Read + ?Sized>(&mut self, reader: &mut R) -> Result<u64, Error> {
        let mut total = 0u64;
        loop {
            match self.fill_from(reader)? {
                0 => return Ok(total),
                n => total += n as u64,
            }
        }
    }

    /// Commits the partial last block (if any), ends the stream and returns the statistics.
    /// Consumers get `None` after the last block.
    pub fn finish(mut self) -> Result<Stats, Error> {
        self.done = true;
        let result = match self.current.take() {
            Some((idx, 0)) => {
                self.shared.unacquire(idx);
                Ok(())
            }
            Some((idx, len)) => self.shared.commit(idx, len),
            None => Ok(()),
        };
        self.shared.end(End::Finished);
        result.map(|()| self.shared.stats())
    }

    /// A snapshot of the ring's statistics.
    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }

    /// A cloneable statistics handle, for a status thread.
    pub fn monitor(&self) -> Monitor {
        Monitor::new(Arc::clone(&self.shared))
    }
}

impl Drop for Producer {
    fn drop(&mut self) {
        if !self.done {
            if let Some((idx, _)) = self.current.take() {
                self.shared.unacquire(idx);
            }
            self.shared.end(End::Aborted);
        }
    }
}
