//! One member being read ([`ReadEntry`]): its metadata and its data, read from the
//! [`Reader`]'s record buffer.

use std::io::{self, Read};

use crate::info::EntryInfo;

use super::{Reader, State};

/// One member being read: its metadata and (through [`Read`]) its data.
#[derive(Debug)]
pub struct ReadEntry<'a, R> {
    pub(super) reader: &'a mut Reader<R>,
}

impl<R: Read> ReadEntry<'_, R> {
    /// The member's metadata; `block` is its first header block (the `'L'`, `'K'` or `'x'`
    /// header when there is one).
    pub fn info(&self) -> &EntryInfo {
        &self.reader.current
    }

    /// The block number GNU tar 1.34 prints for this member with `-tvR`: the first header
    /// block for GNU long names, but the ustar header itself after pax `'x'` headers, and 0
    /// for a pax label.
    pub fn list_block(&self) -> u64 {
        self.reader.list_block
    }

    /// The block of the member's own ustar header (after any `'L'`, `'K'` or `'x'` entries).
    /// GNU tar 1.34's `-cvR` shows this number for a symlink whose target needed a `'K'` entry.
    pub fn header_block(&self) -> u64 {
        self.reader.header_block
    }

    /// Data bytes not yet read.
    pub fn remaining(&self) -> u64 {
        self.reader.data_left
    }
}

impl<R: Read> Read for ReadEntry<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let r = &mut *self.reader;
        if buf.is_empty() || r.data_left == 0 {
            return Ok(0);
        }
        match r.take(r.data_left, Some(buf)) {
            Ok(n) => {
                r.data_left -= n as u64;
                r.pending -= n as u64;
                Ok(n)
            }
            Err(e) => {
                r.state = State::Failed;
                Err(e.into())
            }
        }
    }
}
