//! Positional I/O over the medium image: a small trait so that the same parsers run over a
//! file (`pread`/`preadv`) and over an in-memory image (fuzzing, [`check_bytes`]).
//!
//! [`check_bytes`]: super::check_bytes

use std::fs::File;
use std::io::{self, IoSlice, IoSliceMut};
use std::os::unix::fs::FileExt;

/// Something the medium can be read from at byte offsets.
pub(crate) trait Source {
    /// Current length in bytes.
    fn len(&self) -> io::Result<u64>;

    /// Fills `a` then `b` from consecutive bytes at `offset`; `UnexpectedEof` if the image ends.
    fn read_pair_at(&self, a: &mut [u8], b: &mut [u8], offset: u64) -> io::Result<()>;

    /// Fills `buf` from `offset`.
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        self.read_pair_at(buf, &mut [], offset)
    }
}

impl Source for [u8] {
    fn len(&self) -> io::Result<u64> {
        Ok(<[u8]>::len(self) as u64)
    }

    fn read_pair_at(&self, a: &mut [u8], b: &mut [u8], offset: u64) -> io::Result<()> {
        let eof = || io::Error::from(io::ErrorKind::UnexpectedEof);
        let start = usize::try_from(offset).map_err(|_| eof())?;
        let mid = start.checked_add(a.len()).ok_or_else(eof)?;
        let end = mid.checked_add(b.len()).ok_or_else(eof)?;
        a.copy_from_slice(self.get(start..mid).ok_or_else(eof)?);
        b.copy_from_slice(self.get(mid..end).ok_or_else(eof)?);
        Ok(())
    }
}

fn to_off(offset: u64) -> io::Result<i64> {
    i64::try_from(offset).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
}

impl Source for File {
    fn len(&self) -> io::Result<u64> {
        Ok(self.metadata()?.len())
    }

    /// One `preadv` in the common case; finishes a short read with `pread`s.
    fn read_pair_at(&self, a: &mut [u8], b: &mut [u8], offset: u64) -> io::Result<()> {
        let (alen, blen) = (a.len(), b.len());
        let got = loop {
            let mut iov = [IoSliceMut::new(a), IoSliceMut::new(b)];
            match nix::sys::uio::preadv(self, &mut iov, to_off(offset)?) {
                Ok(n) => break n,
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
            }
        };
        if got >= alen + blen {
            return Ok(());
        }
        if got < alen {
            FileExt::read_exact_at(self, &mut a[got..], offset + got as u64)?;
            FileExt::read_exact_at(self, b, offset + alen as u64)
        } else {
            let done = got - alen;
            FileExt::read_exact_at(self, &mut b[done..], offset + got as u64)
        }
    }
}

/// Writes `parts` contiguously at `offset` with one `pwritev` in the common case (no copy of
/// the data into a staging buffer); a short write is completed with `pwrite`s.
pub(crate) fn write_parts_at(file: &File, parts: &[&[u8]], offset: u64) -> io::Result<()> {
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let written = loop {
        let iov: Vec<IoSlice<'_>> = parts.iter().map(|p| IoSlice::new(p)).collect();
        match nix::sys::uio::pwritev(file, &iov, to_off(offset)?) {
            Ok(n) => break n,
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        }
    };
    if written >= total {
        return Ok(());
    }
    let mut skip = written;
    let mut at = offset + written as u64;
    for p in parts {
        if skip >= p.len() {
            skip -= p.len();
            continue;
        }
        let rest = p.get(skip..).unwrap_or(&[]);
        file.write_all_at(rest, at)?;
        at += rest.len() as u64;
        skip = 0;
    }
    Ok(())
}
