//! `--framed` (mbuf extension, `reference/mbuffer.md` §7 complaint #6): between two mbufs the
//! network stream carries its own framing so that a truncated transfer is detected, which raw
//! TCP cannot show (a sender that dies looks like a clean end of stream).
//!
//! Wire format (all integers big-endian):
//! - header: the 8 bytes `MBUFFRM1`;
//! - frames: a `u32` length L (1 ≤ L ≤ 2³¹) followed by L data bytes;
//! - trailer: a `u32` 0, the `u64` total data length, the 32-byte SHA-256 of the data.
//!
//! The receiver passes the data on as it arrives and fails at the end if the stream stopped
//! before the trailer or the trailer does not match.

use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};

/// Stream header.
pub const MAGIC: [u8; 8] = *b"MBUFFRM1";
/// Largest frame length.
pub const MAX_FRAME: u32 = 1 << 31;
/// Length of the SHA-256 digest in the trailer.
const DIGEST_LEN: usize = 32;

/// Writes data as frames and ends the stream with the trailer.
#[derive(Debug)]
pub struct FramedWriter {
    hash: Sha256,
    total: u64,
    started: bool,
}

impl Default for FramedWriter {
    fn default() -> Self {
        FramedWriter {
            hash: Sha256::new(),
            total: 0,
            started: false,
        }
    }
}

impl FramedWriter {
    /// Writes `data` as one or more frames (the header first, once).
    pub fn write_frame<W: Write + ?Sized>(&mut self, w: &mut W, data: &[u8]) -> io::Result<()> {
        if !self.started {
            w.write_all(&MAGIC)?;
            self.started = true;
        }
        for chunk in data.chunks(MAX_FRAME as usize) {
            let len = u32::try_from(chunk.len()).map_err(|_| io::ErrorKind::InvalidInput)?;
            w.write_all(&len.to_be_bytes())?;
            w.write_all(chunk)?;
            self.hash.update(chunk);
            self.total += chunk.len() as u64;
        }
        Ok(())
    }

    /// Writes the trailer (and the header if no data was sent).
    pub fn finish<W: Write + ?Sized>(self, w: &mut W) -> io::Result<()> {
        let mut tail = Vec::with_capacity(MAGIC.len() + 4 + 8 + DIGEST_LEN);
        if !self.started {
            tail.extend_from_slice(&MAGIC);
        }
        tail.extend_from_slice(&0u32.to_be_bytes());
        tail.extend_from_slice(&self.total.to_be_bytes());
        tail.extend_from_slice(&self.hash.finalize());
        w.write_all(&tail)
    }
}

fn truncated() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "framed stream truncated: the sender stopped before the end",
    )
}

fn invalid(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("framed stream {msg}"))
}

/// Reads exactly `buf.len()` bytes; an early end is a truncated stream.
fn read_full<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> io::Result<()> {
    r.read_exact(buf).map_err(|e| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            truncated()
        } else {
            e
        }
    })
}

/// Strips the framing from a reader and verifies the trailer; reads return 0 only after a
/// valid trailer.
#[derive(Debug)]
pub struct FramedReader<R> {
    inner: R,
    hash: Sha256,
    total: u64,
    remaining: u32,
    started: bool,
    done: bool,
}

impl<R: Read> FramedReader<R> {
    /// Wraps a reader positioned at the header.
    pub fn new(inner: R) -> Self {
        FramedReader {
            inner,
            hash: Sha256::new(),
            total: 0,
            remaining: 0,
            started: false,
            done: false,
        }
    }

    fn next_frame(&mut self) -> io::Result<()> {
        if !self.started {
            let mut magic = [0u8; MAGIC.len()];
            read_full(&mut self.inner, &mut magic)?;
            if magic != MAGIC {
                return Err(invalid("header missing (is the sender using --framed?)"));
            }
            self.started = true;
        }
        let mut len = [0u8; 4];
        read_full(&mut self.inner, &mut len)?;
        let len = u32::from_be_bytes(len);
        if len > MAX_FRAME {
            return Err(invalid("frame length out of range"));
        }
        if len > 0 {
            self.remaining = len;
            return Ok(());
        }
        let mut trailer = [0u8; 8 + DIGEST_LEN];
        read_full(&mut self.inner, &mut trailer)?;
        let (total, digest) = trailer.split_at(8);
        let mut t = [0u8; 8];
        t.copy_from_slice(total);
        if u64::from_be_bytes(t) != self.total {
            return Err(invalid("length mismatch"));
        }
        let ours = std::mem::take(&mut self.hash).finalize();
        if ours.as_slice() != digest {
            return Err(invalid("SHA-256 mismatch"));
        }
        self.done = true;
        Ok(())
    }
}

impl<R: Read> Read for FramedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.remaining == 0 {
            if self.done {
                return Ok(0);
            }
            self.next_frame()?;
        }
        let want = buf.len().min(self.remaining as usize);
        let dst = buf.get_mut(..want).unwrap_or_default();
        let n = self.inner.read(dst)?;
        if n == 0 {
            return Err(truncated());
        }
        let got = dst.get(..n).unwrap_or_default();
        self.hash.update(got);
        self.total += n as u64;
        self.remaining -= u32::try_from(n).map_err(|_| invalid("read overflow"))?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(parts: &[&[u8]]) -> Vec<u8> {
        let mut w = FramedWriter::default();
        let mut out = Vec::new();
        for p in parts {
            w.write_frame(&mut out, p).unwrap();
        }
        w.finish(&mut out).unwrap();
        out
    }

    #[test]
    fn round_trip_and_layout() {
        let wire = encode(&[b"hello", b"", b" world"]);
        assert_eq!(&wire[..8], b"MBUFFRM1");
        assert_eq!(&wire[8..12], &5u32.to_be_bytes());
        let mut out = Vec::new();
        FramedReader::new(&wire[..]).read_to_end(&mut out).unwrap();
        assert_eq!(out, b"hello world");
        // Empty stream: header + trailer only.
        let mut out = Vec::new();
        FramedReader::new(&encode(&[])[..])
            .read_to_end(&mut out)
            .unwrap();
        assert!(out.is_empty());
    }

    #[test]
    fn every_truncation_is_detected() {
        let wire = encode(&[b"abcdefgh", b"ijkl"]);
        for cut in 0..wire.len() {
            let mut out = Vec::new();
            let e = FramedReader::new(&wire[..cut]).read_to_end(&mut out);
            assert!(e.is_err(), "cut at {cut} accepted");
        }
    }

    #[test]
    fn corruption_is_detected() {
        let mut wire = encode(&[b"abcdefgh"]);
        wire[13] ^= 1;
        let mut out = Vec::new();
        let e = FramedReader::new(&wire[..])
            .read_to_end(&mut out)
            .unwrap_err();
        assert!(e.to_string().contains("SHA-256 mismatch"), "{e}");
        let mut out = Vec::new();
        let e = FramedReader::new(&b"plain data, not framed"[..])
            .read_to_end(&mut out)
            .unwrap_err();
        assert!(e.to_string().contains("header missing"), "{e}");
    }
}
