//! Tar reader for tape: GNU, ustar, old-GNU, V7 and pax archives read in whole records.
//!
//! Every `read()` on the source asks for exactly one record (`record_size` bytes), as st(4) in
//! variable-block mode needs (a shorter read of a tape block fails with ENOMEM, see
//! `reference/tar-format.md` §2); short reads from files and pipes are accepted. Headers are
//! decoded like GNU tar 1.34's `list.c` (`read_header`): checksums (unsigned or signed sum),
//! octal and base-256 numbers, GNU `'L'`/`'K'` long names, the `'V'` volume label, ustar
//! prefixes, pax `'x'` headers (`path`, `linkpath`, `size`, `mtime`, `uid`, `gid`, `uname`,
//! `gname`) and `'g'` headers (the same keys for all later members, and `GNU.volume.label`).
//! The archive ends at a zero block, as in GNU tar (the second zero block is not required);
//! a source that ends elsewhere is an error. No input makes the reader panic.
//!
//! Member data is skipped when not read; GNU sparse members (`'S'`) are returned as
//! [`EntryKind::Other`](crate::EntryKind::Other) with their stored (not expanded) data.
//!
//! ```
//! use std::io::Read;
//! use archive::read::Reader;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A one-member archive: header, data block, two zero blocks (built by hand here).
//! let mut tar = vec![0u8; 4 * 512];
//! tar[..5].copy_from_slice(b"hello");
//! tar[100..108].copy_from_slice(b"0000644\0");
//! tar[124..136].copy_from_slice(b"00000000003\0");
//! tar[136..148].copy_from_slice(b"00000000000\0");
//! tar[156] = b'0';
//! let sum: u32 = tar[..512].iter().map(|&b| u32::from(b)).sum::<u32>() + 8 * 32;
//! tar[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
//! tar[512..515].copy_from_slice(b"hi\n");
//!
//! let mut reader = Reader::new(&tar[..], 10 * 512)?;
//! let mut entry = reader.next_entry()?.ok_or("empty")?;
//! assert_eq!(entry.info().name, b"hello");
//! let mut data = Vec::new();
//! entry.read_to_end(&mut data)?;
//! assert_eq!(data, b"hi\n");
//! assert!(reader.next_entry()?.is_none());
//! assert_eq!(reader.end_block(), Some(2));
//! # Ok(())
//! # }
//! ```

mod entry;
mod error;
mod header;
mod members;
mod pax;

use std::io::{self, Read};

pub use entry::ReadEntry;
pub use error::ReadError;

use crate::info::EntryInfo;
use header::{Block, BLOCK};
use pax::Overrides;

/// Longest GNU `'L'`/`'K'` long name accepted.
pub const MAX_LONG_NAME: u64 = 64 * 1024;

/// Largest pax extended header accepted.
pub const MAX_PAX_HEADER: u64 = 16 * 1024 * 1024;

/// Where the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Reading,
    Ended,
    Failed,
}

/// Reads tar members from a source in whole records. See the module docs.
#[derive(Debug)]
pub struct Reader<R> {
    src: R,
    record_size: usize,
    /// Holds a partial block left over plus one record.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    first_block: u64,
    /// Bytes consumed since the reader started.
    consumed: u64,
    records: u64,
    /// Data bytes of the current member not yet read.
    data_left: u64,
    /// Data plus padding of the current member not yet consumed.
    pending: u64,
    state: State,
    globals: Overrides,
    label: Option<Vec<u8>>,
    current: EntryInfo,
    list_block: u64,
    header_block: u64,
    end_block: Option<u64>,
}

impl<R: Read> Reader<R> {
    /// A reader whose first byte is block 0 of the archive. `record_size` must be a non-zero
    /// multiple of 512 (for tape: the block size the archive was written with, e.g. 262144).
    pub fn new(src: R, record_size: usize) -> Result<Self, ReadError> {
        Self::with_offset(src, record_size, 0)
    }

    /// A reader for a source positioned at block `first_block` of an archive (the tape was
    /// positioned at a record in the middle): block numbers continue from there.
    pub fn with_offset(src: R, record_size: usize, first_block: u64) -> Result<Self, ReadError> {
        if record_size == 0 || record_size % BLOCK != 0 {
            return Err(ReadError::RecordSize(record_size));
        }
        Ok(Self {
            src,
            record_size,
            buf: vec![0; record_size + BLOCK],
            start: 0,
            end: 0,
            eof: false,
            first_block,
            consumed: 0,
            records: 0,
            data_left: 0,
            pending: 0,
            state: State::Reading,
            globals: Overrides::default(),
            label: None,
            // Not seen before the first header is read.
            current: EntryInfo::label(Vec::new(), 0, 0),
            list_block: 0,
            header_block: 0,
            end_block: None,
        })
    }

    /// The volume label, once its header has been read (`'V'` or pax `GNU.volume.label`).
    pub fn label(&self) -> Option<&[u8]> {
        self.label.as_deref()
    }

    /// 512-byte blocks consumed so far (headers, data and padding).
    pub fn blocks_read(&self) -> u64 {
        self.consumed / BLOCK as u64
    }

    /// `read()` calls on the source that returned data.
    pub fn records_read(&self) -> u64 {
        self.records
    }

    /// Block number of the zero block that ended the archive, once reached (GNU `-R`'s
    /// `block N: ** Block of NULs **`).
    pub fn end_block(&self) -> Option<u64> {
        self.end_block
    }

    /// Gives back the source.
    pub fn into_inner(self) -> R {
        self.src
    }

    /// The next member (the label is one, of kind [`EntryKind::Label`](crate::EntryKind::Label));
    /// `None` at the end of the archive. Data of the previous member that was not read is
    /// skipped first.
    pub fn next_entry(&mut self) -> Result<Option<ReadEntry<'_, R>>, ReadError> {
        match self.state {
            State::Ended => return Ok(None),
            State::Failed => return Err(ReadError::Failed),
            State::Reading => {}
        }
        match self.read_header() {
            Ok(true) => Ok(Some(ReadEntry { reader: self })),
            Ok(false) => {
                self.state = State::Ended;
                Ok(None)
            }
            Err(e) => {
                self.state = State::Failed;
                Err(e)
            }
        }
    }

    /// Current block number.
    fn block_no(&self) -> u64 {
        self.first_block + self.consumed / BLOCK as u64
    }

    /// Reads one record into the buffer after moving what is left to the front.
    fn fill(&mut self) -> Result<(), ReadError> {
        if self.eof {
            return Ok(());
        }
        let left = self.end - self.start;
        self.buf.copy_within(self.start..self.end, 0);
        self.start = 0;
        self.end = left;
        let Some(dst) = self.buf.get_mut(left..left + self.record_size) else {
            return Err(ReadError::RecordSize(self.record_size));
        };
        loop {
            match self.src.read(dst) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.end = left + n.min(self.record_size);
                    self.records += 1;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(ReadError::Io(e)),
            }
        }
    }

    /// The next header block; `None` at a clean end of the source.
    fn next_block(&mut self) -> Result<Option<Block>, ReadError> {
        while self.end - self.start < BLOCK && !self.eof {
            self.fill()?;
        }
        if self.start == self.end {
            return Ok(None);
        }
        if self.end - self.start < BLOCK {
            return Err(ReadError::Truncated {
                block: self.block_no(),
            });
        }
        let block: Block = self
            .buf
            .get(self.start..self.start + BLOCK)
            .and_then(|s| s.try_into().ok())
            .ok_or(ReadError::Truncated {
                block: self.block_no(),
            })?;
        self.start += BLOCK;
        self.consumed += BLOCK as u64;
        Ok(Some(block))
    }

    /// Consumes up to `out.len()` bytes of member data (or discards them when `out` is
    /// `None`), at most `max`; 0 only when `max` is 0.
    fn take(&mut self, max: u64, out: Option<&mut [u8]>) -> Result<usize, ReadError> {
        if max == 0 {
            return Ok(0);
        }
        if self.start == self.end {
            self.fill()?;
            if self.start == self.end {
                return Err(ReadError::Truncated {
                    block: self.block_no(),
                });
            }
        }
        let avail = self.end - self.start;
        let mut n = usize::try_from(max).map_or(avail, |m| m.min(avail));
        if let Some(out) = out {
            n = n.min(out.len());
            let src = self.buf.get(self.start..self.start + n).unwrap_or(&[]);
            if let Some(dst) = out.get_mut(..src.len()) {
                dst.copy_from_slice(src);
            }
        }
        self.start += n;
        self.consumed += n as u64;
        Ok(n)
    }

    /// Skips what is left of the current member.
    fn skip_pending(&mut self) -> Result<(), ReadError> {
        while self.pending > 0 {
            let n = self.take(self.pending, None)?;
            self.pending -= n as u64;
        }
        self.data_left = 0;
        Ok(())
    }

    /// Reads the whole data of a meta entry (long name, pax header) and its padding.
    fn meta_data(
        &mut self,
        size: u64,
        limit: u64,
        what: &'static str,
    ) -> Result<Vec<u8>, ReadError> {
        let block = self.block_no() - 1;
        if size > limit {
            return Err(ReadError::TooLong {
                block,
                what,
                size,
                limit,
            });
        }
        let mut data = vec![0u8; usize::try_from(size).unwrap_or(0)];
        let mut got = 0;
        while let Some(rest) = data.get_mut(got..).filter(|r| !r.is_empty()) {
            let want = rest.len() as u64;
            got += self.take(want, Some(rest))?;
        }
        self.pending = padding(size);
        self.skip_pending()?;
        Ok(data)
    }
}

/// Zero padding after `size` data bytes up to a whole block.
fn padding(size: u64) -> u64 {
    (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64
}
