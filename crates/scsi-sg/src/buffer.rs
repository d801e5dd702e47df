//! A page-aligned, zeroed heap buffer for SG_IO and st data phases (`reference/scsi.md` §8:
//! some paths need page-aligned buffers; the owner frees with the layout it allocated).
//!
//! The allocation is always a whole number of pages, at least one, so a zero-length buffer
//! still owns real memory and `Drop` is uniform.
//!
//! This is one of the two modules where the crate allows `unsafe` (the other is the SG_IO
//! ioctl in `sg`): the global allocator is the only way to get page-aligned memory that
//! `Vec` cannot provide, so allocation, deallocation with the same layout and the slice
//! views over the raw pointer are unsafe calls, each with its `SAFETY:` justification.

use std::alloc::{self, Layout};
use std::fmt;
use std::io;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// Page size assumed when the system does not report one.
const FALLBACK_PAGE_SIZE: usize = 4096;

/// The system page size (`sysconf(_SC_PAGESIZE)`), or 4096 if it cannot be read.
pub fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions; it only reads a system value.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(n)
        .ok()
        .filter(|n| n.is_power_of_two())
        .unwrap_or(FALLBACK_PAGE_SIZE)
}

/// An owned, zero-initialised, page-aligned byte buffer.
pub struct AlignedBuf {
    /// Start of the allocation (aligned to `layout.align()`).
    ptr: NonNull<u8>,
    /// Bytes visible through `Deref` (≤ `layout.size()`).
    len: usize,
    /// Exactly the layout passed to `alloc_zeroed`, reused by `dealloc`.
    layout: Layout,
}

// SAFETY: AlignedBuf uniquely owns its allocation (like Box<[u8]>); no aliasing pointer
// escapes except through &self / &mut self borrows, so moving it to another thread is sound.
unsafe impl Send for AlignedBuf {}
// SAFETY: &AlignedBuf only gives shared read access to plain bytes; there is no interior
// mutability, so sharing references between threads is sound.
unsafe impl Sync for AlignedBuf {}

impl AlignedBuf {
    /// A zeroed buffer of `len` bytes aligned to the system page size.
    ///
    /// Fails with [`io::ErrorKind::OutOfMemory`] when the size overflows or the allocator
    /// refuses it (a library must not abort on a user-chosen size).
    pub fn new(len: usize) -> io::Result<AlignedBuf> {
        AlignedBuf::with_alignment(len, page_size())
    }

    /// A zeroed buffer of `len` bytes aligned to `align` (a power of two); the allocation is
    /// rounded up to a multiple of `align`, at least one `align`.
    pub fn with_alignment(len: usize, align: usize) -> io::Result<AlignedBuf> {
        let too_big = || io::Error::new(io::ErrorKind::OutOfMemory, "aligned buffer too large");
        if !align.is_power_of_two() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "alignment not a power of two",
            ));
        }
        let size = len
            .max(1)
            .checked_next_multiple_of(align)
            .ok_or_else(too_big)?;
        let layout = Layout::from_size_align(size, align).map_err(|_| too_big())?;
        // SAFETY: layout has a non-zero size (at least `align` ≥ 1 bytes).
        let raw = unsafe { alloc::alloc_zeroed(layout) };
        let ptr = NonNull::new(raw).ok_or_else(too_big)?;
        Ok(AlignedBuf { ptr, len, layout })
    }

    /// The alignment of the buffer's start.
    pub fn alignment(&self) -> usize {
        self.layout.align()
    }

    /// Bytes actually allocated (a whole number of alignment units, ≥ `len()`).
    pub fn capacity(&self) -> usize {
        self.layout.size()
    }

    /// Change the visible length within the allocation, zeroing nothing; returns `false` (and
    /// leaves the length) when `len` exceeds [`capacity`](Self::capacity).
    pub fn set_len(&mut self, len: usize) -> bool {
        if len > self.layout.size() {
            return false;
        }
        self.len = len;
        true
    }
}

impl Deref for AlignedBuf {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        // SAFETY: ptr points to layout.size() ≥ len initialised (zeroed) bytes owned by self,
        // valid for the lifetime of the borrow of self.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl DerefMut for AlignedBuf {
    fn deref_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in deref; &mut self guarantees the access is unique.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for AlignedBuf {
    fn drop(&mut self) {
        // SAFETY: ptr was returned by alloc_zeroed with exactly self.layout and is freed once.
        unsafe { alloc::dealloc(self.ptr.as_ptr(), self.layout) }
    }
}

impl fmt::Debug for AlignedBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlignedBuf")
            .field("len", &self.len)
            .field("capacity", &self.layout.size())
            .field("align", &self.layout.align())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_aligned_zeroed_and_writable() {
        for len in [1, 512, 4095, 4096, 4097, 262_144] {
            let mut b = AlignedBuf::new(len).expect("alloc");
            assert_eq!(b.len(), len);
            assert_eq!(b.as_ptr() as usize % page_size(), 0);
            assert!(b.iter().all(|&x| x == 0));
            assert_eq!(b.capacity() % page_size(), 0);
            assert!(b.capacity() >= len);
            b.fill(0xA5);
            assert!(b.iter().all(|&x| x == 0xA5));
        }
    }

    #[test]
    fn zero_length_owns_one_page() {
        let b = AlignedBuf::new(0).expect("alloc");
        assert!(b.is_empty());
        assert_eq!(b.capacity(), page_size());
        assert_eq!(b.as_ptr() as usize % page_size(), 0);
        drop(b);
    }

    #[test]
    fn huge_request_is_an_error_not_an_abort() {
        let err = AlignedBuf::new(usize::MAX).expect_err("must fail");
        assert_eq!(err.kind(), io::ErrorKind::OutOfMemory);
        assert!(AlignedBuf::with_alignment(8, 3).is_err());
    }

    #[test]
    fn set_len_stays_within_capacity() {
        let mut b = AlignedBuf::new(10).expect("alloc");
        assert!(b.set_len(b.capacity()));
        assert_eq!(b.len(), b.capacity());
        assert!(!b.set_len(b.capacity() + 1));
        assert!(b.set_len(0));
        assert!(b.is_empty());
    }

    #[test]
    fn send_sync_and_debug() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<AlignedBuf>();
        let b = AlignedBuf::with_alignment(3, 64).expect("alloc");
        assert_eq!(b.alignment(), 64);
        assert!(format!("{b:?}").contains("len: 3"));
        let moved = std::thread::spawn(move || b.len()).join().expect("thread");
        assert_eq!(moved, 3);
    }
}
