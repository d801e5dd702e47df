//! The ring memory: one page-aligned mapping of `blocks × block_size` bytes.
//!
//! This is the only module with `unsafe` code. It owns the mapping: anonymous memory by
//! default (`mmap(MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE)`: zero pages that cost nothing
//! until touched, so with LIFO block reuse the resident set stays a few blocks), or a
//! `MAP_SHARED` mapping of a file (mbuffer `-t`: an unlinked temporary file in a directory,
//! `-T FILE`: a named file; `reference/mbuffer.md` §6 "Memory"). It optionally pre-faults the
//! ring (one write per page, so the kernel maps every page before the stream starts instead of
//! faulting on first use, the cold-memory cost measured for mbuffer in §8) and optionally
//! `mlock(2)`s it.
//!
//! Access to block memory goes through guards. Each block carries an atomic access word
//! (0 = idle, -1 = one writer, n > 0 = n readers) that a guard takes with a compare-and-swap and
//! gives back on drop. The ring state machine in `state.rs` already guarantees that a block is
//! written only by the producer while it owns it and read only after it was committed; the
//! access word makes a violation of that protocol a refused guard (an error) instead of
//! undefined behaviour, so every function here is safe to call.

use std::fs::{File, OpenOptions};
use std::io;
use std::ops::{Deref, DerefMut};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicIsize, Ordering};

use crate::{Backing, Error};

/// Page size assumed when `sysconf` cannot tell.
const FALLBACK_PAGE_SIZE: usize = 4096;

/// Access word value of an idle block.
const IDLE: isize = 0;
/// Access word value of a block being written.
const WRITING: isize = -1;

/// Permissions of a buffer file we create (`-t`, `-T`).
const BUFFER_FILE_MODE: u32 = 0o600;

/// The system page size.
pub(crate) fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions; _SC_PAGESIZE is a valid name on every Unix.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(n)
        .ok()
        .filter(|p| p.is_power_of_two())
        .unwrap_or(FALLBACK_PAGE_SIZE)
}

/// Opens (and empties) the file behind a file-backed ring and sizes it to `size` bytes.
fn backing_file(backing: &Backing, size: usize) -> io::Result<Option<File>> {
    let file = match backing {
        Backing::Anonymous => return Ok(None),
        Backing::TempFile(dir) => temp_file(dir)?,
        Backing::File(path) => OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .mode(BUFFER_FILE_MODE)
            .open(path)?,
    };
    let len = u64::try_from(size).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    file.set_len(len)?;
    Ok(Some(file))
}

/// An unlinked temporary file in `dir`: `O_TMPFILE` where the file system supports it, else a
/// uniquely named file removed right after it was created.
fn temp_file(dir: &Path) -> io::Result<File> {
    let tmp = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_TMPFILE)
        .mode(BUFFER_FILE_MODE)
        .open(dir);
    if let Ok(f) = tmp {
        return Ok(f);
    }
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let path = dir.join(format!(".mbuf-{}-{stamp}", std::process::id()));
    let f = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(BUFFER_FILE_MODE)
        .open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(f)
}

/// One mapping split into fixed-size blocks.
pub(crate) struct Region {
    ptr: NonNull<u8>,
    size: usize,
    block_size: usize,
    access: Box<[AtomicIsize]>,
    locked: bool,
    /// The file behind a file-backed mapping (kept open for the mapping's lifetime).
    _file: Option<File>,
}

// SAFETY: Region owns its mapping exclusively (no aliasing pointers escape except through
// guards that borrow the Region); concurrent access to block bytes is arbitrated by the atomic
// access words, so moving it to or sharing it between threads is sound.
unsafe impl Send for Region {}
// SAFETY: see the `Send` impl: all shared access goes through `&self` methods that take an
// access word with an atomic compare-and-swap before handing out a slice.
unsafe impl Sync for Region {}

impl Region {
    /// Maps `blocks × block_size` zeroed bytes (page aligned) from `backing`.
    pub(crate) fn new(
        block_size: usize,
        blocks: usize,
        prefault: bool,
        lock: bool,
        backing: &Backing,
    ) -> Result<Self, Error> {
        if block_size == 0 || blocks == 0 {
            return Err(Error::InvalidConfig(
                "block size and block count must be > 0",
            ));
        }
        let size = block_size
            .checked_mul(blocks)
            .filter(|&s| isize::try_from(s).is_ok())
            .ok_or(Error::InvalidConfig("ring size overflows usize"))?;
        let file = backing_file(backing, size).map_err(Error::Alloc)?;
        let (flags, fd) = match &file {
            Some(f) => (libc::MAP_SHARED, f.as_raw_fd()),
            None => (
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
            ),
        };
        // SAFETY: a fresh mapping at an address of the kernel's choice (null hint) cannot
        // alias any Rust object; size is non-zero; fd is either -1 with MAP_ANONYMOUS or an
        // open file we own and sized to `size` above.
        let raw = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                size,
                libc::PROT_READ | libc::PROT_WRITE,
                flags,
                fd,
                0,
            )
        };
        if raw == libc::MAP_FAILED {
            return Err(Error::Alloc(io::Error::last_os_error()));
        }
        let ptr = NonNull::new(raw.cast::<u8>()).ok_or_else(|| {
            Error::Alloc(io::Error::new(
                io::ErrorKind::OutOfMemory,
                "ring mapping failed",
            ))
        })?;
        let access = (0..blocks).map(|_| AtomicIsize::new(IDLE)).collect();
        let mut region = Region {
            ptr,
            size,
            block_size,
            access,
            locked: false,
            _file: file,
        };
        if prefault {
            region.prefault(page_size());
        }
        if lock {
            // SAFETY: ptr/size describe our own live mapping.
            let rc = unsafe { libc::mlock(region.ptr.as_ptr().cast(), size) };
            if rc != 0 {
                return Err(Error::Mlock(io::Error::last_os_error()));
            }
            region.locked = true;
        }
        Ok(region)
    }

    /// Writes one byte per page so that every page is mapped before use.
    fn prefault(&mut self, page: usize) {
        let base = self.ptr.as_ptr();
        for off in (0..self.size).step_by(page) {
            // SAFETY: off < size, so the pointer is inside our allocation; we hold `&mut self`,
            // so nobody else accesses the memory. A volatile write of 0 keeps the memory zeroed
            // but cannot be optimised away, which forces the page to be faulted in writable.
            unsafe { base.add(off).write_volatile(0) };
        }
    }

    /// Size of one block in bytes.
    pub(crate) fn block_size(&self) -> usize {
        self.block_size
    }

    /// Number of blocks.
    pub(crate) fn blocks(&self) -> usize {
        self.access.len()
    }

    /// Exclusive access to `block[start..]`, or `None` if the block is in use or out of range.
    pub(crate) fn try_write(&self, idx: usize, start: usize) -> Option<WriteGuard<'_>> {
        let word = self.access.get(idx)?;
        if start > self.block_size {
            return None;
        }
        word.compare_exchange(IDLE, WRITING, Ordering::Acquire, Ordering::Relaxed)
            .ok()?;
        let off = idx * self.block_size + start;
        // SAFETY: idx < blocks and start <= block_size, so off..off+len lies inside the
        // allocation (idx * block_size + block_size <= size, checked at construction).
        let ptr = unsafe { self.ptr.as_ptr().add(off) };
        Some(WriteGuard {
            word,
            ptr,
            len: self.block_size - start,
        })
    }

    /// Shared access to `block[..len]`, or `None` if the block is being written or out of range.
    pub(crate) fn try_read(&self, idx: usize, len: usize) -> Option<ReadGuard<'_>> {
        let word = self.access.get(idx)?;
        if len > self.block_size {
            return None;
        }
        let mut cur = word.load(Ordering::Relaxed);
        loop {
            if cur < IDLE || cur == isize::MAX {
                return None;
            }
            match word.compare_exchange_weak(cur, cur + 1, Ordering::Acquire, Ordering::Relaxed) {
                Ok(_) => break,
                Err(now) => cur = now,
            }
        }
        // SAFETY: idx < blocks, so the block start is inside the allocation.
        let ptr = unsafe { self.ptr.as_ptr().add(idx * self.block_size) };
        Some(ReadGuard { word, ptr, len })
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        if self.locked {
            // SAFETY: same pointer and size that were mlocked; failure only leaves pages locked
            // until they are unmapped below.
            unsafe { libc::munlock(self.ptr.as_ptr().cast(), self.size) };
        }
        // SAFETY: ptr/size are exactly the mapping made in `new`, unmapped once. Guards borrow
        // the Region, so none outlives this point.
        unsafe { libc::munmap(self.ptr.as_ptr().cast(), self.size) };
    }
}

/// Exclusive access to the unfilled tail of a block.
pub(crate) struct WriteGuard<'a> {
    word: &'a AtomicIsize,
    ptr: *mut u8,
    len: usize,
}

impl Deref for WriteGuard<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        // SAFETY: ptr..ptr+len is inside the live mapping (borrowed for 'a), initialised
        // (a fresh mapping is zero-filled; file pages are plain bytes), and the access word is WRITING, so no other guard aliases it.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl DerefMut for WriteGuard<'_> {
    fn deref_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `deref`; `&mut self` makes this the only reference derived from the guard.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
    }
}

impl Drop for WriteGuard<'_> {
    fn drop(&mut self) {
        self.word.store(IDLE, Ordering::Release);
    }
}

/// Shared access to the committed bytes of a block.
pub(crate) struct ReadGuard<'a> {
    word: &'a AtomicIsize,
    ptr: *const u8,
    len: usize,
}

impl Deref for ReadGuard<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        // SAFETY: ptr..ptr+len is inside the live mapping and initialised; the access word
        // counts this reader, so no writer can take the block while the slice is alive.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl Drop for ReadGuard<'_> {
    fn drop(&mut self) {
        self.word.fetch_sub(1, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_exclude_each_other() {
        let r = Region::new(100, 3, true, false, &Backing::Anonymous).unwrap();
        let mut w = r.try_write(1, 10).unwrap();
        assert_eq!(w.len(), 90);
        w.fill(7);
        assert!(r.try_write(1, 0).is_none());
        assert!(r.try_read(1, 100).is_none());
        drop(w);
        let a = r.try_read(1, 100).unwrap();
        let b = r.try_read(1, 20).unwrap();
        assert!(r.try_write(1, 0).is_none());
        assert_eq!(&a[..10], &[0; 10]);
        assert_eq!(&a[10..], &[7; 90][..]);
        assert_eq!(b.len(), 20);
        drop((a, b));
        assert!(r.try_write(1, 0).is_some());
    }

    #[test]
    fn out_of_range_is_refused() {
        let r = Region::new(16, 2, false, false, &Backing::Anonymous).unwrap();
        assert!(r.try_write(2, 0).is_none());
        assert!(r.try_write(0, 17).is_none());
        assert!(r.try_read(0, 17).is_none());
        assert!(r.try_read(5, 1).is_none());
    }

    #[test]
    fn allocation_is_page_aligned() {
        let r = Region::new(4096, 4, false, false, &Backing::Anonymous).unwrap();
        let g = r.try_read(0, 1).unwrap();
        assert_eq!(g.as_ptr() as usize % page_size(), 0);
    }

    #[test]
    fn zero_sizes_are_rejected() {
        assert!(Region::new(0, 4, false, false, &Backing::Anonymous).is_err());
        assert!(Region::new(4, 0, false, false, &Backing::Anonymous).is_err());
        assert!(Region::new(usize::MAX, 2, false, false, &Backing::Anonymous).is_err());
    }
}

#[cfg(test)]
mod file_tests {
    use super::*;

    #[test]
    fn named_file_backing_is_sized_and_zeroed() {
        let dir = std::env::temp_dir().join(format!("sb-alloc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ring");
        std::fs::write(&path, b"old contents").unwrap();
        let r = Region::new(4096, 3, false, false, &Backing::File(path.clone())).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 3 * 4096);
        {
            let g = r.try_read(0, 12).unwrap();
            assert_eq!(&g[..], &[0u8; 12]);
        }
        r.try_write(2, 0).unwrap().fill(9);
        drop(r);
        let data = std::fs::read(&path).unwrap();
        assert_eq!(data.get(2 * 4096..), Some(&[9u8; 4096][..]));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temp_file_backing_leaves_no_file() {
        let dir = std::env::temp_dir().join(format!("sb-tmp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let r = Region::new(4096, 2, true, false, &Backing::TempFile(dir.clone())).unwrap();
        r.try_write(1, 0).unwrap().fill(1);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        drop(r);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
