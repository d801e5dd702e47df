//! Tape-friendly tar writer.
//!
//! [`Writer`] writes GNU tar archives (the GNU tar 1.34 `--format=gnu` layout) straight into
//! fixed records of `blocking factor × 512` bytes (default 512 → 256 KiB, GNU `-b512`): every
//! `write` to the sink is one whole record and the end is zero-padded to a whole record, as
//! tape needs. It stores a GNU `'V'` volume label, regular files, directories, symlinks (not
//! followed), hard links (same device and inode seen twice) as links, long names and link
//! targets via GNU `'L'`/`'K'` entries, and sizes of 8 GiB and more in GNU base-256. Each
//! regular file is read once: the same bytes go into the record stream and into SHA-256, and
//! every [`Member`] reports its name, size, digest and [`Position`] (record and offset).
//!
//! With [`WriterOptions::pinned`] the output is byte-identical to
//! `tar --format=gnu --owner=0 --group=0 --numeric-owner --mtime=@N -b512 --no-recursion`
//! given the same names in the same order (and, with a label, the same label mtime).
//!
//! Around the writer:
//! - [`walk`]: file lists (`-T`, `--null`), GNU `--exclude` patterns, no-recursion and a
//!   deterministic byte-order walk that never follows symlinks;
//! - [`pipeline`]: the writer on one thread, a [`stream_buffer`] ring in between and the
//!   device writer on another, one record per write, with the ring's statistics;
//! - [`manifest`] (`sha256sum -c` format), [`listing`] (GNU `-v`, `-vv`/`-tv`, `-R`) and
//!   [`index`] (every member's tape file, record and offset), each written to its own sink;
//! - [`read`]: a reader that never panics on any bytes, reading in whole records;
//!   [`verify`] re-hashes members against a manifest, [`extract`] restores them safely.
//!
//! # Example
//!
//! ```
//! use std::path::Path;
//! use archive::{MemberKind, Writer, WriterOptions};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = std::env::temp_dir().join(format!("archive-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! std::fs::write(dir.join("hello.txt"), b"hello\n")?;
//!
//! let options = WriterOptions {
//!     label: Some("TAPE01".into()),
//!     ..WriterOptions::pinned(1_600_000_000)
//! };
//! let mut tar = Writer::new(Vec::new(), options)?;
//! let member = tar.append_from(&dir, Path::new("hello.txt"))?;
//! let done = tar.finish()?;
//!
//! assert_eq!(member.kind, MemberKind::File);
//! assert_eq!(member.size, 6);
//! assert_eq!(
//!     member.sha256_hex().as_deref(),
//!     Some("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
//! );
//! // The label is block 0, so the member's header is block 1: record 0, byte offset 512.
//! assert_eq!((member.position.block, member.position.record, member.position.offset), (1, 0, 512));
//! // One whole 256 KiB record.
//! assert_eq!(done.records, 1);
//! assert_eq!(done.sink.len(), 262_144);
//! std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]

mod error;
pub mod extract;
pub mod header;
pub mod index;
pub mod info;
pub mod listing;
pub mod manifest;
mod pax;
pub mod pipeline;
pub mod read;
mod record;
pub mod verify;
pub mod walk;
mod writer;

pub use error::{Error, Result};
pub use info::{EntryInfo, EntryKind};
pub use writer::{
    Finished, Format, Member, MemberKind, Owner, Position, Writer, WriterOptions,
    DEFAULT_BLOCKING_FACTOR, MAX_BLOCKING_FACTOR,
};
