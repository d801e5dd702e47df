//! Access to the TCMU shared memory (the UIO map of `target_core_user`, see
//! `Documentation/target/tcmu-design.rst`): bounds-checked byte copies in and out, and the
//! two words shared with the kernel — `cmd_head`, written by the kernel and read here with
//! an acquire load, and `cmd_tail`, written here with a release store after the responses.
//!
//! [`SharedMap`] is implemented for a plain byte slice (tests build a fake ring in a `Vec`)
//! and for [`Mapping`], the `mmap` of `/dev/uioN`. This is the only module of the crate with
//! `unsafe` code.

use std::fs::File;
use std::num::NonZeroUsize;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, Ordering};

use nix::sys::mman::{mmap, munmap, MapFlags, ProtFlags};

/// Memory shared with the kernel, addressed by byte offset. Every access is bounds checked
/// and returns `None` when out of range (or misaligned, for the 32-bit words).
pub trait SharedMap {
    /// Size of the map in bytes.
    fn size(&self) -> usize;
    /// Copies `buf.len()` bytes at `off` into `buf`.
    fn read_at(&self, off: usize, buf: &mut [u8]) -> Option<()>;
    /// Copies `buf` to `off`.
    fn write_at(&mut self, off: usize, buf: &[u8]) -> Option<()>;
    /// Loads the native-endian `u32` at `off` (4-aligned) with acquire ordering.
    fn load_acquire(&self, off: usize) -> Option<u32>;
    /// Stores the native-endian `u32` at `off` (4-aligned) with release ordering.
    fn store_release(&mut self, off: usize, value: u32) -> Option<()>;
}

/// `off..off + len` when it lies inside a map of `size` bytes.
fn range(off: usize, len: usize, size: usize) -> Option<std::ops::Range<usize>> {
    let end = off.checked_add(len)?;
    (end <= size).then_some(off..end)
}

impl SharedMap for [u8] {
    fn size(&self) -> usize {
        self.len()
    }

    fn read_at(&self, off: usize, buf: &mut [u8]) -> Option<()> {
        buf.copy_from_slice(self.get(range(off, buf.len(), self.len())?)?);
        Some(())
    }

    fn write_at(&mut self, off: usize, buf: &[u8]) -> Option<()> {
        let r = range(off, buf.len(), self.len())?;
        self.get_mut(r)?.copy_from_slice(buf);
        Some(())
    }

    fn load_acquire(&self, off: usize) -> Option<u32> {
        let mut b = [0u8; 4];
        self.read_at(off, &mut b)?;
        Some(u32::from_ne_bytes(b))
    }

    fn store_release(&mut self, off: usize, value: u32) -> Option<()> {
        self.write_at(off, &value.to_ne_bytes())
    }
}

/// A `MAP_SHARED` read/write mapping of a UIO device's map 0, unmapped on drop.
#[derive(Debug)]
pub struct Mapping {
    base: NonNull<u8>,
    len: NonZeroUsize,
}

// SAFETY: the mapping is plain shared memory owned by this value (no thread-local state);
// moving it to another thread is sound, and all access goes through `&self`/`&mut self`.
unsafe impl Send for Mapping {}

impl Mapping {
    /// Maps `len` bytes of `file` (an open `/dev/uioN`) from offset 0 (map 0).
    pub fn map(file: &File, len: usize) -> std::io::Result<Mapping> {
        let len = NonZeroUsize::new(len)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "empty map"))?;
        // SAFETY: a fresh mapping at an address the kernel chooses (no existing memory is
        // replaced); the fd stays valid for the call; the memory is only accessed through
        // the bounds-checked methods below and unmapped exactly once in `drop`.
        let ptr = unsafe {
            mmap(
                None,
                len,
                ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
                MapFlags::MAP_SHARED,
                file,
                0,
            )
        }?;
        Ok(Mapping {
            base: ptr.cast(),
            len,
        })
    }

    /// Pointer to byte `off` of a range already checked by [`range`].
    fn at(&self, off: usize) -> *mut u8 {
        // SAFETY: callers pass offsets of ranges inside the mapping (checked with `range`),
        // so the result stays within the same allocation.
        unsafe { self.base.as_ptr().add(off) }
    }

    /// The `AtomicU32` at `off`, when inside the map and 4-aligned.
    fn word(&self, off: usize) -> Option<&AtomicU32> {
        range(off, 4, self.len.get())?;
        let p = self.at(off);
        if p.align_offset(std::mem::align_of::<AtomicU32>()) != 0 {
            return None;
        }
        // SAFETY: `p` is inside the live mapping, aligned for `AtomicU32`, and valid for the
        // lifetime of `&self` (the mapping lives until drop). The kernel accesses these
        // mailbox words only with READ_ONCE/WRITE_ONCE-style single 32-bit accesses, and
        // this code only atomically, so there is no mixed non-atomic access.
        Some(unsafe { AtomicU32::from_ptr(p.cast::<u32>()) })
    }
}

impl SharedMap for Mapping {
    fn size(&self) -> usize {
        self.len.get()
    }

    fn read_at(&self, off: usize, buf: &mut [u8]) -> Option<()> {
        range(off, buf.len(), self.len.get())?;
        // SAFETY: the source range is inside the mapping (checked above) and cannot overlap
        // `buf`, a Rust-owned buffer. The bytes read (a command entry between cmd_tail and
        // cmd_head, its CDB or data-out) are not modified by the kernel until userspace
        // advances cmd_tail past the entry.
        unsafe { std::ptr::copy_nonoverlapping(self.at(off), buf.as_mut_ptr(), buf.len()) };
        Some(())
    }

    fn write_at(&mut self, off: usize, buf: &[u8]) -> Option<()> {
        range(off, buf.len(), self.len.get())?;
        // SAFETY: the destination range is inside the mapping (checked above) and does not
        // overlap `buf`. It belongs to a command the kernel handed to userspace (response
        // or data-in area), which the kernel does not touch until cmd_tail moves past it.
        unsafe { std::ptr::copy_nonoverlapping(buf.as_ptr(), self.at(off), buf.len()) };
        Some(())
    }

    fn load_acquire(&self, off: usize) -> Option<u32> {
        Some(self.word(off)?.load(Ordering::Acquire))
    }

    fn store_release(&mut self, off: usize, value: u32) -> Option<()> {
        self.word(off)?.store(value, Ordering::Release);
        Some(())
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: `base`/`len` are exactly what mmap returned; no reference into the
        // mapping outlives `self` (all accessors copy or borrow `self`).
        let _ = unsafe { munmap(self.base.cast(), self.len.get()) };
    }
}
