//! An emulated LTO drive (SSC/SPC device server over a medium file).
//!
//! This crate currently provides the cartridge: [`medium::Medium`], a `.vtape` file holding
//! records, filemarks and end of data in one or two partitions, with capacity, early warning
//! and write protect. The SCSI `Drive` is built on top of it.
//!
//! ```
//! use vtape::medium::{Generation, Medium, MediumConfig};
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("tape.vtape");
//! let mut m = Medium::create(&path, &MediumConfig::new(Generation::Lto9).with_capacity(64 << 20))?;
//! let status = m.write_record(0, 0, &[0u8; 262144], &[])?;
//! assert!(!status.early_warning);
//! assert_eq!(m.density_code(), 0x60);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Medium file format
//!
//! All integers little-endian; CRC-32 is the IEEE polynomial (`crc32fast`).
//!
//! | offset | size | content |
//! |---|---|---|
//! | 0 | 4 KiB | **header**, written once at creation: magic `TKVTAPE\0`, format version (2; 1 is still opened, see below), header size, generation number, density code, total capacity, early-warning override (`u64::MAX` = default rule), CRC-32 of bytes 0..4092 at 4092 |
//! | 4096 | 4 KiB | **state slot 0** |
//! | 8192 | 4 KiB | **state slot 1** |
//! | 12288 | … | **log**: entries appended one after the other |
//!
//! A **state slot** holds the mutable description: magic `TKVSTATE`, sequence number, log
//! epoch, flags (bit 0 = write protect), partition count and capacities (which must add up to
//! the header's capacity), offset of the last index checkpoint (0 = none), the drive's opaque
//! state blob (≤ 2 KiB), at 2128 the offset of the latest MAM snapshot known when the slot
//! was written (0 = none), at 2136 the log start (0 = 12288) and a CRC-32 at 4092. Updates go to the slot *not* holding the current
//! state, with the next sequence number; on open the valid slot with the highest sequence
//! wins, so a torn slot write falls back to the previous state.
//!
//! A **log entry** is a 48-byte header — magic `TKVE`, epoch, kind (1 record, 2 filemarks,
//! 3 erase, 4 index checkpoint, 5 MAM snapshot), partition, metadata length, logical object number in its
//! partition, data length, filemark count, CRC-32 of metadata + data, CRC-32 of the header —
//! followed by the metadata (≤ 1 KiB, e.g. an encryption KAD) and the data. A record,
//! filemark or erase entry for object *n* first truncates that partition's index to *n*
//! (tape semantics: writing in the middle discards everything after), then appends.
//! A checkpoint entry's data is the whole index (every object's kind, entry offset and
//! lengths, per partition); the state slot records its offset.
//!
//! A **MAM snapshot** entry (kind 5) holds the whole cartridge memory (the drive's attribute
//! set, ≤ 64 KiB, CRC-protected like any entry); its object field is the offset of the
//! previous snapshot. Every change appends one; the latest valid one wins: the state slot
//! names it, and the scan after the checkpoint notes any later one, so loading it reads one
//! entry. A damaged snapshot falls back to the previous one ([`medium::OpenReport`]
//! `mam_fallback`); with none intact, [`medium::Medium::mam`] reports
//! [`medium::MediumError::CorruptMam`] and the data stay readable. A log reset (below)
//! carries the MAM over with no window without a valid copy: snapshot appended in the new
//! epoch after the old log, state slot switched with the log starting at it, then a copy
//! plus a stale-epoch terminator written at 12288, the slot pointed there and the file
//! truncated (when the old log was too short for that, the log keeps starting at the copy).
//!
//! **Versions.** Version 1 files (no MAM) still open, with no snapshot (the drive then
//! creates the cartridge memory with default attributes); the first snapshot written to
//! one rewrites its header as version 2, so older code refuses the file rather than
//! misreading entries of kind 5.
//!
//! **Opening** reads the header, picks the state slot, loads the checkpoint if it is intact
//! (otherwise scans the whole log — see [`medium::OpenReport`]) and scans the entries after
//! it. An entry of another epoch (left over from an interrupted reset) or one the file ends
//! inside (the write in flight when the writer died) ends the log and is cut off; any other
//! damage to an entry header is [`medium::MediumError::CorruptLog`]. Record data is not read
//! at open; its CRC is checked on every read, so one damaged record gives
//! [`medium::MediumError::CorruptRecord`] and the others stay readable.
//!
//! **Crash guarantee.** Each entry is one `pwritev` of header + metadata + data, with no
//! fsync: a process killed at any moment (SIGKILL) loses at most the entry in flight, because
//! the page cache survives the process. Power loss is covered only up to the last
//! [`medium::Medium::sync`] / [`medium::Medium::close`] (checkpoint + `fdatasync`).
//! Checkpoints are also written by `Drop` (best effort) and automatically after 256 MiB of log
//! (or 8 × the last checkpoint's size), which bounds the scan on reopen.
//!
//! **Space reclaim.** Writing or erasing from object 0 of a partition while every other
//! partition is empty, and FORMAT, start a new log: new epoch in the state slot, then the file
//! is truncated to the log start.
//!
//! **Capacity** counts record data bytes only (filemarks take none); each partition has its
//! own capacity and early-warning zone ([`medium::early_warning_size`]).
//!
//! **Exclusive use.** The file is locked with `flock(LOCK_EX | LOCK_NB)` while a
//! [`medium::Medium`] is open; a second opener gets [`medium::MediumError::Busy`].
#![deny(unsafe_code)]

pub mod drive;
#[doc(hidden)]
pub mod fuzzing;
pub mod medium;
pub mod st;
pub mod tcmu;
