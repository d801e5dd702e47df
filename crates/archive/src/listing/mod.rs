//! Listings in GNU tar 1.34's formats (`simple_print_header` in `list.c`), written to their own
//! sink (`&mut dyn Write`), never into the archive stream:
//! - [`Style::Names`]: one quoted name per line (`tar -t`, `tar -cv`); a label shows as its
//!   plain name;
//! - [`Style::Verbose`]: `tar -tv` / `tar -cvv`:
//!   `-rw-r--r-- root/root      1234 2026-11-26 07:52 name`, with ` -> target` for symlinks,
//!   ` link to target` for hard links, `major,minor` instead of the size for devices and
//!   `V--------- 0/0 ... LABEL--Volume Header--` for the label;
//! - `block_numbers` (`-R`): each line starts with `block N: `; [`end_of_archive`] prints
//!   `block N: ** Block of NULs **`.
//!
//! GNU tar pads the owner/size column to a width that starts at 19 and only grows (a static
//! in `list.c`), and likewise the date column (16): a [`Lister`] keeps both, so a listing is
//! byte-identical to GNU tar's when every line of it goes through the same `Lister`. The free
//! functions use a fresh `Lister` each time (identical as long as no owner/size or date is
//! wider than the defaults). Names are quoted like GNU tar in the C locale (see [`quote`]);
//! times are local (see [`Zone`]).
//!
//! ```
//! use archive::{listing, EntryInfo, EntryKind};
//!
//! let info = EntryInfo {
//!     name: b"dir/a.txt".to_vec(),
//!     kind: EntryKind::File,
//!     mode: 0o644,
//!     uid: 0,
//!     gid: 0,
//!     uname: b"root".to_vec(),
//!     gname: b"root".to_vec(),
//!     size: 1234,
//!     mtime: 1_600_000_000,
//!     link_target: None,
//!     device: None,
//!     block: 1,
//! };
//! let mut lister = listing::Lister::new().with_zone(listing::Zone::utc());
//! let mut out = Vec::new();
//! lister.write(&mut out, &info, listing::Style::Verbose, true)?;
//! assert_eq!(out, b"block 1: -rw-r--r-- root/root      1234 2020-09-13 12:26 dir/a.txt\n");
//! # Ok::<(), std::io::Error>(())
//! ```

mod quote;
mod time;

use std::io::{self, Write};

pub use self::quote::{quote, quote_into};
pub use self::time::Zone;
use crate::info::{EntryInfo, EntryKind};

/// Initial width of GNU tar's `user/group size` column (`ugswidth`).
const UGS_WIDTH: usize = 19;
/// Initial width of GNU tar's date column (`datewidth`, `"YYYY-MM-DD HH:MM"`).
const DATE_WIDTH: usize = 16;

/// What one listing line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The name only (`tar -t`, `tar -cv`).
    Names,
    /// Mode, owner, size, date, name (`tar -tv`, `tar -cvv`).
    Verbose,
}

/// A listing in progress: GNU tar's column widths, the time zone and the owner style.
#[derive(Debug, Clone)]
pub struct Lister {
    ugs_width: usize,
    date_width: usize,
    zone: Zone,
    numeric: bool,
}

impl Default for Lister {
    fn default() -> Self {
        Self::new()
    }
}

impl Lister {
    /// Starts a listing in the local time zone, showing owner names when the archive has them.
    pub fn new() -> Self {
        Self {
            ugs_width: UGS_WIDTH,
            date_width: DATE_WIDTH,
            zone: Zone::system(),
            numeric: false,
        }
    }

    /// Shows times in `zone` instead of the local time zone.
    pub fn with_zone(mut self, zone: Zone) -> Self {
        self.zone = zone;
        self
    }

    /// Shows numeric uid/gid even when names are stored (GNU `--numeric-owner`).
    pub fn numeric_owner(mut self, numeric: bool) -> Self {
        self.numeric = numeric;
        self
    }

    /// Writes one line for `info` in `style`, prefixed with `block N: ` (N = `info.block`)
    /// when `block_numbers` is set.
    pub fn write(
        &mut self,
        w: &mut dyn Write,
        info: &EntryInfo,
        style: Style,
        block_numbers: bool,
    ) -> io::Result<()> {
        let mut line = Vec::with_capacity(128);
        if block_numbers {
            line.extend_from_slice(format!("block {}: ", info.block).as_bytes());
        }
        match style {
            Style::Names => quote_into(&mut line, &info.name),
            Style::Verbose => self.verbose_into(&mut line, info),
        }
        line.push(b'\n');
        w.write_all(&line)
    }

    /// Writes the `tar -tv` / `tar -cvv` line of `info` (no block number).
    pub fn verbose_line(&mut self, w: &mut dyn Write, info: &EntryInfo) -> io::Result<()> {
        self.write(w, info, Style::Verbose, false)
    }

    fn verbose_into(&mut self, line: &mut Vec<u8>, info: &EntryInfo) {
        let owner = |name: &[u8], id: u64| -> Vec<u8> {
            if name.is_empty() || self.numeric {
                id.to_string().into_bytes()
            } else {
                name.to_vec()
            }
        };
        let user = owner(&info.uname, info.uid);
        let group = owner(&info.gname, info.gid);
        let size = match (info.kind, info.device) {
            (EntryKind::CharDevice | EntryKind::BlockDevice, Some((major, minor))) => {
                format!("{major},{minor}")
            }
            _ => info.size.to_string(),
        };
        let date = time::format(&self.zone, info.mtime);
        let pad = user.len() + 1 + group.len() + 1 + size.len();
        self.ugs_width = self.ugs_width.max(pad);
        self.date_width = self.date_width.max(date.len());

        line.push(type_char(info.kind));
        line.extend_from_slice(&mode_string(info.mode));
        line.push(b' ');
        line.extend_from_slice(&user);
        line.push(b'/');
        line.extend_from_slice(&group);
        let size_width = self.ugs_width - pad + size.len();
        line.extend_from_slice(
            format!(" {size:>size_width$} {date:<dw$} ", dw = self.date_width).as_bytes(),
        );
        quote_into(line, &info.name);
        let target = info.link_target.as_deref().unwrap_or(&[]);
        match info.kind {
            EntryKind::Symlink => {
                line.extend_from_slice(b" -> ");
                quote_into(line, target);
            }
            EntryKind::HardLink => {
                line.extend_from_slice(b" link to ");
                quote_into(line, target);
            }
            EntryKind::Label => line.extend_from_slice(b"--Volume Header--"),
            EntryKind::Other(t) if !known_other(t) => {
                line.extend_from_slice(b" unknown file type '");
                quote_into(line, &[t]);
                line.push(b'\'');
            }
            _ => {}
        }
    }
}

/// Type flags GNU tar lists without an "unknown file type" note.
fn known_other(t: u8) -> bool {
    matches!(t, b'S' | b'D' | b'7' | b'M' | b'L' | b'K')
}

/// First column of a verbose line.
fn type_char(kind: EntryKind) -> u8 {
    match kind {
        EntryKind::File => b'-',
        EntryKind::HardLink => b'h',
        EntryKind::Symlink => b'l',
        EntryKind::CharDevice => b'c',
        EntryKind::BlockDevice => b'b',
        EntryKind::Directory => b'd',
        EntryKind::Fifo => b'p',
        EntryKind::Label => b'V',
        EntryKind::Other(b'S') => b'-',
        EntryKind::Other(b'D') => b'd',
        EntryKind::Other(b'7') => b'C',
        EntryKind::Other(b'M') => b'M',
        EntryKind::Other(b'L' | b'K') => b'L',
        EntryKind::Other(_) => b'?',
    }
}

/// Permission string of GNU tar's `pax_decode_mode` (`rwxr-xr-x`, with `s/S` and `t/T`).
fn mode_string(mode: u32) -> [u8; 9] {
    let bit = |m: u32, c: u8| if mode & m != 0 { c } else { b'-' };
    let exec = |x: u32, special: u32, set: u8| match (mode & special != 0, mode & x != 0) {
        (true, true) => set,
        (true, false) => set.to_ascii_uppercase(),
        (false, true) => b'x',
        (false, false) => b'-',
    };
    [
        bit(0o400, b'r'),
        bit(0o200, b'w'),
        exec(0o100, 0o4000, b's'),
        bit(0o040, b'r'),
        bit(0o020, b'w'),
        exec(0o010, 0o2000, b's'),
        bit(0o004, b'r'),
        bit(0o002, b'w'),
        exec(0o001, 0o1000, b't'),
    ]
}

/// The `tar -tv` / `tar -cvv` line of `info` with a fresh [`Lister`] (local time zone);
/// `numeric` shows uid/gid instead of names (`--numeric-owner`).
pub fn verbose_line(w: &mut dyn Write, info: &EntryInfo, numeric: bool) -> io::Result<()> {
    Lister::new().numeric_owner(numeric).verbose_line(w, info)
}

/// The `tar -cv` line of `info`: its quoted name (a label's too).
pub fn name_line(w: &mut dyn Write, info: &EntryInfo) -> io::Result<()> {
    Lister::new().write(w, info, Style::Names, false)
}

/// One line in `style` with a fresh [`Lister`], `block N: ` first if `block_numbers`.
pub fn write(
    w: &mut dyn Write,
    info: &EntryInfo,
    style: Style,
    block_numbers: bool,
) -> io::Result<()> {
    Lister::new().write(w, info, style, block_numbers)
}

/// GNU `-R`'s line for the end-of-archive zero block: `block N: ** Block of NULs **`.
pub fn end_of_archive(w: &mut dyn Write, block: u64) -> io::Result<()> {
    writeln!(w, "block {block}: ** Block of NULs **")
}

#[cfg(test)]
mod tests;
