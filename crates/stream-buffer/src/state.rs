//! The ring's bookkeeping: free list, committed-block queue, watermarks, waiting.
//!
//! Implements the bounded buffer of mbuffer (`reference/mbuffer.md` §6 "Synchronisation" and
//! "Watermarks") with one difference: free blocks are kept on a LIFO stack, not reused in ring
//! order. When the consumers keep up, the producer gets back the block released a moment ago,
//! whose cache lines and TLB entries are still warm, so only a handful of blocks circulate
//! instead of the whole ring streaming through the caches (mbuffer's measured cold-memory cost,
//! §8: a 4 MiB ring is markedly faster than a 1 GiB one with the same traffic).
//!
//! All state lives under one mutex; a lock is taken once per block (not per byte), and waiting
//! threads park on condition variables. Wake-ups are targeted: consumers register the sequence
//! number they need, the producer the fill it waits for, so nobody is woken for nothing.
//!
//! Wake-ups are also batched: a consumer that has caught up asks to be woken when
//! [`WAKE_BATCH`] blocks are ready (or a quarter of the ring, if smaller), and waits for them at
//! most [`WAKE_LATENCY`] before taking what there is. Waking it for every block costs two
//! context switches per block, which on a small machine was the largest cost of streaming at
//! pipe speed (measured with `perf`: about 8 switches per 256 KiB block before, against 2 for
//! `cat`).

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::alloc::Region;
use crate::{Error, Stats};

/// Blocks a caught-up consumer waits for before it is woken (see the module docs).
pub(crate) const WAKE_BATCH: usize = 8;

/// The longest a caught-up consumer waits for a batch once data is flowing.
pub(crate) const WAKE_LATENCY: Duration = Duration::from_millis(5);

/// A committed block.
struct Entry {
    idx: usize,
    len: usize,
    /// Attached consumers that have not released it yet.
    pending: usize,
}

/// How the stream ended.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    Finished,
    Aborted,
}

/// Mutable ring state (under `Shared::state`).
pub(crate) struct State {
    /// Free block indices; the top is the most recently freed.
    free: Vec<usize>,
    /// Committed blocks not yet released by all consumers, oldest first.
    queue: VecDeque<Entry>,
    /// Sequence number of `queue[0]`.
    front_seq: u64,
    /// Per consumer: still attached?
    attached: Vec<bool>,
    active: usize,
    end: Option<End>,
    /// Smallest committed-sequence end a waiting consumer needs (`u64::MAX`: nobody waits).
    consumer_wake: u64,
    producer_waiting: bool,
    bytes_in: u64,
    bytes_out: Vec<u64>,
    times_empty: Vec<u64>,
    times_full: u64,
    max_fill: usize,
}

impl State {
    fn end_seq(&self) -> u64 {
        self.front_seq + self.queue.len() as u64
    }

    /// Releases the block with sequence `seq` for one consumer; frees leading blocks nobody
    /// needs any more. Returns true if the waiting producer should be woken.
    fn release(&mut self, seq: u64, low_limit: usize) -> bool {
        let Some(pos) = seq.checked_sub(self.front_seq) else {
            return false;
        };
        let Some(entry) = usize::try_from(pos)
            .ok()
            .and_then(|p| self.queue.get_mut(p))
        else {
            return false;
        };
        entry.pending = entry.pending.saturating_sub(1);
        self.pop_released();
        self.producer_waiting && self.queue.len() < low_limit
    }

    fn pop_released(&mut self) {
        while self.queue.front().is_some_and(|e| e.pending == 0) {
            if let Some(e) = self.queue.pop_front() {
                self.free.push(e.idx);
                self.front_seq += 1;
            }
        }
    }
}

/// Everything the handles share.
pub(crate) struct Shared {
    pub(crate) region: Region,
    state: Mutex<State>,
    producer_cv: Condvar,
    consumer_cv: Condvar,
    /// Blocks a consumer needs available before it (re)starts: ⌈P % × blocks⌉, at least 1.
    high_blocks: usize,
    /// After the ring was full the producer waits until fill < this: ⌈p % × blocks⌉, at least 1.
    low_limit: usize,
    /// Blocks a caught-up consumer asks to be woken for: [`WAKE_BATCH`], at most a quarter of
    /// the ring, at least 1.
    wake_batch: usize,
    start: Instant,
}

impl Shared {
    pub(crate) fn new(region: Region, consumers: usize, high_pct: u8, low_pct: u8) -> Self {
        let blocks = region.blocks();
        let scaled = |pct: u8| (blocks * usize::from(pct)).div_ceil(100).clamp(1, blocks);
        let state = State {
            free: (0..blocks).rev().collect(),
            queue: VecDeque::with_capacity(blocks),
            front_seq: 0,
            attached: vec![true; consumers],
            active: consumers,
            end: None,
            consumer_wake: u64::MAX,
            producer_waiting: false,
            bytes_in: 0,
            bytes_out: vec![0; consumers],
            times_empty: vec![0; consumers],
            times_full: 0,
            max_fill: 0,
        };
        Shared {
            region,
            state: Mutex::new(state),
            producer_cv: Condvar::new(),
            consumer_cv: Condvar::new(),
            high_blocks: scaled(high_pct),
            low_limit: scaled(low_pct),
            wake_batch: WAKE_BATCH.min(blocks / 4).max(1),
            start: Instant::now(),
        }
    }

    /// Locks the state. A panic elsewhere never leaves the state inconsistent (every update
    /// is completed before any call that could panic), so a poisoned lock is used as is.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Producer: takes a free block, waiting (low watermark) if the ring is full.
    pub(crate) fn acquire(&self) -> Result<usize, Error> {
        let mut st = self.lock();
        if st.active == 0 {
            return Err(Error::NoConsumers);
        }
        if let Some(idx) = st.free.pop() {
            return Ok(idx);
        }
        st.times_full += 1;
        st.producer_waiting = true;
        // The ring cannot fill further while the producer waits, so a consumer still holding
        // back for the high watermark must start now (with several consumers it may never see
        // P % available to it; see `take`).
        if st.consumer_wake != u64::MAX {
            st.consumer_wake = u64::MAX;
            self.consumer_cv.notify_all();
        }
        while st.active > 0 && (st.queue.len() >= self.low_limit || st.free.is_empty()) {
            st = self
                .producer_cv
                .wait(st)
                .unwrap_or_else(PoisonError::into_inner);
        }
        st.producer_waiting = false;
        if st.active == 0 {
            return Err(Error::NoConsumers);
        }
        st.free.pop().ok_or(Error::Internal)
    }

    /// Producer: gives an unused block back.
    pub(crate) fn unacquire(&self, idx: usize) {
        self.lock().free.push(idx);
    }

    /// Producer: publishes `len` bytes of block `idx` to every attached consumer.
    pub(crate) fn commit(&self, idx: usize, len: usize) -> Result<(), Error> {
        let mut st = self.lock();
        if st.active == 0 {
            st.free.push(idx);
            return Err(Error::NoConsumers);
        }
        let pending = st.active;
        st.queue.push_back(Entry { idx, len, pending });
        st.bytes_in += len as u64;
        st.max_fill = st.max_fill.max(st.queue.len());
        if st.end_seq() >= st.consumer_wake {
            st.consumer_wake = u64::MAX;
            self.consumer_cv.notify_all();
        }
        Ok(())
    }

    /// Producer: marks the end of the stream and wakes every consumer.
    pub(crate) fn end(&self, how: End) {
        let mut st = self.lock();
        if st.end.is_none() {
            st.end = Some(how);
        }
        st.consumer_wake = u64::MAX;
        self.consumer_cv.notify_all();
    }

    /// Consumer `id`: waits for the block with sequence `cursor` under the high watermark.
    /// `waiting_high` is the consumer's "filling after start or underrun" flag.
    /// Returns `(idx, len)`, or `None` at the end of the stream.
    pub(crate) fn take(
        &self,
        id: usize,
        cursor: u64,
        waiting_high: &mut bool,
        started: bool,
    ) -> Result<Option<(usize, usize)>, Error> {
        let mut st = self.lock();
        // Batched wake-up until one wait for a batch timed out (see the module docs).
        let mut batch_wait = true;
        loop {
            let avail = st.end_seq().saturating_sub(cursor);
            let need = if *waiting_high { self.high_blocks } else { 1 };
            // Besides reaching the watermark, a consumer starts when no more data can come:
            // at the end of the stream, or while the producer waits for the fill to drop.
            // Without the latter, a fast consumer waiting for P % while a slow one holds the
            // older blocks and the producer waits for p % would deadlock.
            let stalled = st.end.is_some() || st.producer_waiting;
            if avail as usize >= need || (avail > 0 && stalled) {
                *waiting_high = false;
                let pos = usize::try_from(cursor.saturating_sub(st.front_seq))
                    .map_err(|_| Error::Internal)?;
                let (idx, len) = st
                    .queue
                    .get(pos)
                    .map(|e| (e.idx, e.len))
                    .ok_or(Error::Internal)?;
                if let Some(b) = st.bytes_out.get_mut(id) {
                    *b += len as u64;
                }
                return Ok(Some((idx, len)));
            }
            match st.end {
                Some(End::Finished) => return Ok(None),
                Some(End::Aborted) => return Err(Error::ProducerAborted),
                None => {}
            }
            if avail == 0 && !*waiting_high {
                // Underrun: count it once and wait for the high watermark again.
                if started {
                    if let Some(n) = st.times_empty.get_mut(id) {
                        *n += 1;
                    }
                }
                *waiting_high = true;
                continue;
            }
            let batch = if batch_wait {
                need.max(self.wake_batch)
            } else {
                need
            };
            st.consumer_wake = st.consumer_wake.min(cursor + batch as u64);
            if batch > need {
                let (guard, waited) = self
                    .consumer_cv
                    .wait_timeout(st, WAKE_LATENCY)
                    .unwrap_or_else(PoisonError::into_inner);
                st = guard;
                batch_wait = !waited.timed_out();
            } else {
                st = self
                    .consumer_cv
                    .wait(st)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
    }

    /// Consumer: releases the block with sequence `seq`.
    pub(crate) fn release(&self, seq: u64) {
        let mut st = self.lock();
        if st.release(seq, self.low_limit) {
            self.producer_cv.notify_one();
        }
    }

    /// Consumer `id` goes away: releases every block from `cursor` on for it.
    pub(crate) fn detach(&self, id: usize, cursor: u64) {
        let mut st = self.lock();
        match st.attached.get_mut(id) {
            Some(a) if *a => *a = false,
            _ => return,
        }
        st.active = st.active.saturating_sub(1);
        for seq in cursor..st.end_seq() {
            st.release(seq, self.low_limit);
        }
        if st.producer_waiting && (st.active == 0 || st.queue.len() < self.low_limit) {
            self.producer_cv.notify_one();
        }
    }

    /// A snapshot of the counters.
    pub(crate) fn stats(&self) -> Stats {
        let st = self.lock();
        Stats {
            block_size: self.region.block_size(),
            blocks: self.region.blocks(),
            bytes_in: st.bytes_in,
            bytes_out: st.bytes_out.clone(),
            times_empty: st.times_empty.clone(),
            times_full: st.times_full,
            fill_blocks: st.queue.len(),
            max_fill_blocks: st.max_fill,
            elapsed: self.start.elapsed(),
            finished: st.end.is_some(),
        }
    }
}
