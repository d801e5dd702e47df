//! Record blocking: tar blocks grouped into fixed records of `blocking factor × 512` bytes.
//!
//! GNU tar writes whole records only (`-b N`, record = N × 512 bytes; the end of the archive
//! is padded with zeros to a whole record). On a variable-block tape every `write()` becomes one
//! tape block, so the sink gets exactly one `write` per record as long as it accepts whole
//! buffers (tape devices, files and pipes in blocking mode do); a sink that accepts part of a
//! buffer gets the rest in a further call, as `Write::write_all` does.

use std::io::{self, Read, Write};

use crate::header::{Block, BLOCK_SIZE};

/// Failure of [`Records::copy_from`]: on the reading or on the writing side.
#[derive(Debug)]
pub(crate) enum CopyError {
    /// Reading the source failed.
    Read(io::Error),
    /// Writing a full record to the sink failed.
    Write(io::Error),
}

/// A record buffer in front of a sink: blocks go in, whole records come out.
#[derive(Debug)]
pub(crate) struct Records<W: Write> {
    sink: W,
    buf: Box<[u8]>,
    fill: usize,
    records: u64,
    blocking_factor: u32,
}

impl<W: Write> Records<W> {
    /// A buffer of `blocking_factor` blocks (the caller checks it is at least 1).
    pub(crate) fn new(sink: W, blocking_factor: u32) -> Self {
        let len = blocking_factor as usize * BLOCK_SIZE;
        Self {
            sink,
            buf: vec![0u8; len].into_boxed_slice(),
            fill: 0,
            records: 0,
            blocking_factor,
        }
    }

    /// Number of the 512-byte block written next, counted from the start of the archive.
    pub(crate) fn next_block(&self) -> u64 {
        self.records * u64::from(self.blocking_factor) + (self.fill / BLOCK_SIZE) as u64
    }

    /// Record number and byte offset within the record of the next byte.
    pub(crate) fn next_position(&self) -> (u64, usize) {
        (self.records, self.fill)
    }

    /// Records handed to the sink so far.
    pub(crate) fn records(&self) -> u64 {
        self.records
    }

    fn flush_if_full(&mut self) -> io::Result<()> {
        if self.fill == self.buf.len() {
            self.sink.write_all(&self.buf)?;
            self.records += 1;
            self.fill = 0;
        }
        Ok(())
    }

    /// Appends one header block.
    pub(crate) fn write_block(&mut self, block: &Block) -> io::Result<()> {
        self.write_bytes(block)
    }

    /// Appends bytes (any length), then nothing else: callers pad with [`Self::pad_block`].
    pub(crate) fn write_bytes(&mut self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            let room = self.buf.len() - self.fill;
            let n = room.min(data.len());
            let (head, tail) = data.split_at(n);
            if let Some(dst) = self.buf.get_mut(self.fill..self.fill + n) {
                dst.copy_from_slice(head);
            }
            self.fill += n;
            data = tail;
            self.flush_if_full()?;
        }
        Ok(())
    }

    /// Zero-fills up to the next block boundary.
    pub(crate) fn pad_block(&mut self) -> io::Result<()> {
        let rem = self.fill % BLOCK_SIZE;
        if rem != 0 {
            self.zero_fill(BLOCK_SIZE - rem)?;
        }
        Ok(())
    }

    fn zero_fill(&mut self, mut n: usize) -> io::Result<()> {
        while n > 0 {
            let room = self.buf.len() - self.fill;
            let k = room.min(n);
            if let Some(dst) = self.buf.get_mut(self.fill..self.fill + k) {
                dst.fill(0);
            }
            self.fill += k;
            n -= k;
            self.flush_if_full()?;
        }
        Ok(())
    }

    /// Reads exactly `len` bytes from `src` straight into the record buffer, passing every chunk
    /// to `observe` (the hasher) as well. Returns the number of bytes read, less than `len` only
    /// if `src` ended early.
    pub(crate) fn copy_from(
        &mut self,
        src: &mut impl Read,
        len: u64,
        mut observe: impl FnMut(&[u8]),
    ) -> Result<u64, CopyError> {
        let mut done = 0u64;
        while done < len {
            let room = self.buf.len() - self.fill;
            let want = usize::try_from(len - done).map_or(room, |r| r.min(room));
            let Some(dst) = self.buf.get_mut(self.fill..self.fill + want) else {
                break;
            };
            let n = match src.read(dst) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(CopyError::Read(e)),
            };
            if let Some(chunk) = dst.get(..n) {
                observe(chunk);
            }
            self.fill += n;
            done += n as u64;
            self.flush_if_full().map_err(CopyError::Write)?;
        }
        Ok(done)
    }

    /// Pads the current record with zeros, hands it to the sink, flushes the sink and returns it.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        if self.fill > 0 {
            let rest = self.buf.len() - self.fill;
            self.zero_fill(rest)?;
        }
        self.sink.flush()?;
        Ok(self.sink)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records each `write` call's length.
    #[derive(Default)]
    struct Calls(Vec<usize>, Vec<u8>);
    impl Write for Calls {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.push(b.len());
            self.1.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_write_is_one_record_and_end_is_padded() {
        let mut r = Records::new(Calls::default(), 2);
        r.write_bytes(&[7u8; 1500]).ok();
        assert_eq!(r.next_block(), 2);
        r.pad_block().ok();
        assert_eq!(r.next_block(), 3);
        assert_eq!(r.next_position(), (1, 512));
        let out = r.finish().ok().unwrap_or_default();
        assert_eq!(out.0, vec![1024, 1024]);
        assert_eq!(&out.1[..1500], &[7u8; 1500][..]);
        assert!(out.1[1500..].iter().all(|&b| b == 0));
    }

    #[test]
    fn copy_from_observes_every_byte_and_stops_at_eof() {
        let data: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
        let mut r = Records::new(Calls::default(), 1);
        let mut seen = Vec::new();
        let n = r
            .copy_from(&mut &data[..], 4000, |c| seen.extend_from_slice(c))
            .ok();
        assert_eq!(n, Some(3000));
        assert_eq!(seen, data);
        let out = r.finish().ok().unwrap_or_default();
        assert_eq!(&out.1[..3000], &data[..]);
        assert!(out.0.iter().all(|&l| l == 512));
    }
}
