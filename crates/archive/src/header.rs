//! GNU tar header encoding (`--format=gnu`, the GNU tar 1.34 default).
//!
//! Layout: the POSIX ustar header block of 512 bytes (POSIX.1-2017 `pax`, "ustar Interchange
//! Format") with the GNU magic `"ustar  \0"` spanning the `magic` and `version` fields. Numeric
//! fields are written as GNU tar's `to_chars` does: zero-padded octal filling all but the last
//! byte, which is NUL; a value that does not fit (a size of 8 GiB or more) is written in GNU
//! base-256: first byte `0x80`, the value big-endian in the remaining bytes. The checksum is six
//! octal digits, NUL, space, computed over the header with the checksum field taken as spaces.
//! A `'V'` volume label header sets only name, mtime, checksum and type flag (GNU tar's
//! `_write_volume_label`); `'L'`/`'K'` long-name headers are named `././@LongLink`, mode 0644,
//! uid/gid 0, mtime 0 (GNU tar's `start_private_header`).
//!
//! For pax archives ([`ustar_header`]) the same fields carry the POSIX magic `"ustar\0"` and
//! version `"00"`, a `prefix` field (offset 345, 155 bytes) for names split at a `/`, and
//! `devmajor`/`devminor` written as zero octal numbers as GNU tar `--format=posix` does.

/// Size of one tar block.
pub const BLOCK_SIZE: usize = 512;

/// Length of the `name` and `linkname` fields; longer names need a `'L'`/`'K'` entry.
pub const NAME_FIELD_SIZE: usize = 100;

/// Longest volume label GNU tar accepts in gnu format (`Volume label is too long (limit is 99 bytes)`).
pub const LABEL_MAX: usize = 99;

/// Name GNU tar gives to `'L'` and `'K'` headers.
pub const LONG_LINK_NAME: &[u8] = b"././@LongLink";

/// GNU magic and version, written in one go at offset 257.
const GNU_MAGIC: &[u8; 8] = b"ustar  \0";

// Field offsets and lengths (ustar header).
const NAME: (usize, usize) = (0, 100);
const MODE: (usize, usize) = (100, 8);
const UID: (usize, usize) = (108, 8);
const GID: (usize, usize) = (116, 8);
const SIZE: (usize, usize) = (124, 12);
const MTIME: (usize, usize) = (136, 12);
const CHKSUM: (usize, usize) = (148, 8);
const TYPEFLAG: usize = 156;
const LINKNAME: (usize, usize) = (157, 100);
const MAGIC: (usize, usize) = (257, 8);
const UNAME: (usize, usize) = (265, 32);
const GNAME: (usize, usize) = (297, 32);
const DEVMAJOR: (usize, usize) = (329, 8);
const DEVMINOR: (usize, usize) = (337, 8);
const PREFIX: (usize, usize) = (345, 155);

/// POSIX ustar magic (`"ustar\0"`) and version (`"00"`), written in one go at offset 257.
const USTAR_MAGIC: &[u8; 8] = b"ustar\x0000";

/// Length of the ustar `prefix` field.
pub const PREFIX_FIELD_SIZE: usize = 155;

/// Largest value of an 8-byte octal field (uid, gid, mode) in ustar: 7 octal digits.
pub const USTAR_MAX_ID: u64 = 0o7777777;

/// Largest value of a 12-byte octal field (size, mtime) in ustar: 11 octal digits (8 GiB - 1).
pub const USTAR_MAX_NUMBER: u64 = 0o77777777777;

/// Type flag of a regular file.
pub const TYPE_REGULAR: u8 = b'0';
/// Type flag of a hard link.
pub const TYPE_HARD_LINK: u8 = b'1';
/// Type flag of a symbolic link.
pub const TYPE_SYMLINK: u8 = b'2';
/// Type flag of a directory.
pub const TYPE_DIRECTORY: u8 = b'5';
/// GNU type flag of a volume label.
pub const TYPE_VOLUME_LABEL: u8 = b'V';
/// GNU type flag of a long name entry.
pub const TYPE_LONG_NAME: u8 = b'L';
/// GNU type flag of a long link name entry.
pub const TYPE_LONG_LINK: u8 = b'K';
/// pax extended header for the next member.
pub const TYPE_PAX_EXTENDED: u8 = b'x';
/// pax global extended header.
pub const TYPE_PAX_GLOBAL: u8 = b'g';

/// Permission bits stored in the mode field (GNU format drops the file type bits).
pub const MODE_MASK: u32 = 0o7777;

/// Mode GNU tar gives `'L'`/`'K'` headers (`S_IRUSR|S_IWUSR|S_IRGRP|S_IROTH`).
const LONG_LINK_MODE: u32 = 0o644;

/// One 512-byte header block.
pub type Block = [u8; BLOCK_SIZE];

/// Metadata of one member header, already pinned/resolved by the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderFields<'a> {
    /// Archive name (first 100 bytes are stored; longer names need a `'L'` entry first).
    pub name: &'a [u8],
    /// Permission bits.
    pub mode: u32,
    /// Numeric owner.
    pub uid: u64,
    /// Numeric group.
    pub gid: u64,
    /// Size field (0 for anything but regular files).
    pub size: u64,
    /// Modification time, seconds since the epoch.
    pub mtime: u64,
    /// Type flag.
    pub typeflag: u8,
    /// Link target (first 100 bytes are stored; longer needs a `'K'` entry first).
    pub linkname: &'a [u8],
    /// Owner name (empty with numeric owners).
    pub uname: &'a [u8],
    /// Group name (empty with numeric owners).
    pub gname: &'a [u8],
}

/// Copies `src` into the field, truncating to the field length (GNU's `strncpy`).
fn put_str(block: &mut Block, (off, len): (usize, usize), src: &[u8]) {
    let n = src.len().min(len);
    if let (Some(dst), Some(s)) = (block.get_mut(off..off + n), src.get(..n)) {
        dst.copy_from_slice(s);
    }
}

/// Writes `value` into a numeric field as GNU tar does in gnu format: octal with a trailing
/// NUL if it fits in `len - 1` digits, else base-256.
pub fn put_number(block: &mut Block, (off, len): (usize, usize), value: u64) {
    let Some(field) = block.get_mut(off..off + len) else {
        return;
    };
    let digits = len - 1;
    let fits_octal = digits >= 22 || value < (1u64 << (3 * digits));
    if fits_octal {
        let mut v = value;
        for b in field.iter_mut().take(digits).rev() {
            *b = b'0' + (v & 7) as u8;
            v >>= 3;
        }
        if let Some(last) = field.last_mut() {
            *last = 0;
        }
    } else {
        let mut v = value;
        for b in field.iter_mut().rev() {
            *b = (v & 0xff) as u8;
            v >>= 8;
        }
        if let Some(first) = field.first_mut() {
            *first = 0x80;
        }
    }
}

/// Computes and stores the checksum (`%06o\0 `), the unsigned byte sum with the checksum
/// field counted as eight spaces.
pub fn finish_checksum(block: &mut Block) {
    let (off, len) = CHKSUM;
    for b in block.iter_mut().skip(off).take(len) {
        *b = b' ';
    }
    let sum: u32 = block.iter().map(|&b| u32::from(b)).sum();
    put_number(block, (off, 7), u64::from(sum));
    if let Some(b) = block.get_mut(off + 7) {
        *b = b' ';
    }
}

/// Builds a member header (regular file, directory, symlink, hard link).
pub fn member_header(f: &HeaderFields<'_>) -> Block {
    let mut block = common_fields(f, GNU_MAGIC);
    finish_checksum(&mut block);
    block
}

/// A header block with the fields GNU and ustar headers share (name to gname), `magic` in the
/// magic and version fields, and no checksum yet.
fn common_fields(f: &HeaderFields<'_>, magic: &[u8]) -> Block {
    let mut block = [0u8; BLOCK_SIZE];
    put_str(&mut block, NAME, f.name);
    put_number(&mut block, MODE, u64::from(f.mode & MODE_MASK));
    put_number(&mut block, UID, f.uid);
    put_number(&mut block, GID, f.gid);
    put_number(&mut block, SIZE, f.size);
    put_number(&mut block, MTIME, f.mtime);
    block[TYPEFLAG] = f.typeflag;
    put_str(&mut block, LINKNAME, f.linkname);
    put_str(&mut block, MAGIC, magic);
    put_str(&mut block, UNAME, f.uname);
    put_str(&mut block, GNAME, f.gname);
    block
}

/// Builds a POSIX ustar header (pax format) with the name split into `prefix` and `f.name`.
/// Numeric values must fit their octal fields (the pax writer moves larger ones into an
/// extended header and passes 0).
pub fn ustar_header(f: &HeaderFields<'_>, prefix: &[u8]) -> Block {
    ustar_block(f, prefix, true)
}

/// The ustar header; `devices` writes `devmajor`/`devminor` as octal zeros (GNU tar does so
/// for members, not for its extended headers).
fn ustar_block(f: &HeaderFields<'_>, prefix: &[u8], devices: bool) -> Block {
    let mut block = common_fields(f, USTAR_MAGIC);
    if devices {
        put_number(&mut block, DEVMAJOR, 0);
        put_number(&mut block, DEVMINOR, 0);
    }
    put_str(&mut block, PREFIX, prefix);
    finish_checksum(&mut block);
    block
}

/// Builds the header of a pax extended (`'x'`) or global (`'g'`) header whose `size` bytes of
/// records follow; mode 0644, uid/gid 0, as GNU tar writes them.
pub fn pax_header(typeflag: u8, name: &[u8], size: u64, mtime: u64) -> Block {
    ustar_block(
        &HeaderFields {
            name,
            mode: LONG_LINK_MODE,
            uid: 0,
            gid: 0,
            size,
            mtime,
            typeflag,
            linkname: b"",
            uname: b"",
            gname: b"",
        },
        b"",
        false,
    )
}

/// Builds the `'L'` or `'K'` header that precedes a member whose name or link target is longer
/// than 100 bytes; its data (`long.len() + 1` bytes, NUL-terminated) follows it.
/// `owner_name` is `""` with numeric owners, else GNU tar's name of uid/gid 0 (`root`).
pub fn long_link_header(typeflag: u8, long: &[u8], owner_name: &[u8]) -> Block {
    member_header(&HeaderFields {
        name: LONG_LINK_NAME,
        mode: LONG_LINK_MODE,
        uid: 0,
        gid: 0,
        size: long.len() as u64 + 1,
        mtime: 0,
        typeflag,
        linkname: b"",
        uname: owner_name,
        gname: owner_name,
    })
}

/// Builds a GNU `'V'` volume label header: name, mtime, checksum and type flag only.
pub fn label_header(label: &[u8], mtime: u64) -> Block {
    let mut block = [0u8; BLOCK_SIZE];
    put_str(&mut block, NAME, label);
    put_number(&mut block, MTIME, mtime);
    block[TYPEFLAG] = TYPE_VOLUME_LABEL;
    finish_checksum(&mut block);
    block
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected bytes below were read with xxd from GNU tar 1.34 output
    // (`--format=gnu --owner=0 --group=0 --numeric-owner --mtime=@1600000000`).

    #[test]
    fn octal_fields_match_gnu() {
        let h = member_header(&HeaderFields {
            name: b"a.txt",
            mode: 0o100644,
            uid: 0,
            gid: 0,
            size: 6,
            mtime: 1_600_000_000,
            typeflag: TYPE_REGULAR,
            linkname: b"",
            uname: b"",
            gname: b"",
        });
        assert_eq!(&h[100..108], b"0000644\0");
        assert_eq!(&h[108..116], b"0000000\0");
        assert_eq!(&h[124..136], b"00000000006\0");
        assert_eq!(&h[136..148], b"13727410000\0");
        assert_eq!(&h[148..157], b"006713\0 0");
        assert_eq!(&h[257..265], b"ustar  \0");
        assert!(h[329..].iter().all(|&b| b == 0));
    }

    #[test]
    fn size_of_nine_gib_is_base256() {
        let h = member_header(&HeaderFields {
            name: b"big",
            mode: 0o644,
            uid: 0,
            gid: 0,
            size: 9 << 30,
            mtime: 1_600_000_000,
            typeflag: TYPE_REGULAR,
            linkname: b"",
            uname: b"",
            gname: b"",
        });
        assert_eq!(&h[124..136], &[0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x40, 0, 0, 0]);
        assert_eq!(&h[148..156], b"005672\0 ");
    }

    #[test]
    fn octal_limit_is_eight_gib() {
        let mut b = [0u8; BLOCK_SIZE];
        put_number(&mut b, SIZE, (8 << 30) - 1);
        assert_eq!(&b[124..136], b"77777777777\0");
        put_number(&mut b, SIZE, 8 << 30);
        assert_eq!(&b[124..136], &[0x80, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0]);
    }

    #[test]
    fn label_has_only_name_mtime_checksum_type() {
        let h = label_header(b"X", 0o15302010364);
        assert_eq!(h[0], b'X');
        assert!(h[1..136].iter().all(|&b| b == 0));
        assert_eq!(&h[136..157], b"15302010364\x00001727\0 V");
        assert!(h[157..].iter().all(|&b| b == 0));
    }

    // GNU tar 1.34 `--format=posix --label=PXLABEL` block 0 (xxd): name, "0000644\0",
    // uid/gid "0000000\0", size "00000000034\0", magic "ustar\0" "00".
    #[test]
    fn pax_global_header_fields_match_gnu() {
        let h = pax_header(TYPE_PAX_GLOBAL, b"/tmp/GlobalHead.1", 0o34, 0o15302020161);
        assert_eq!(&h[..18], b"/tmp/GlobalHead.1\0");
        assert_eq!(
            &h[100..156],
            b"0000644\x000000000\x000000000\x0000000000034\x0015302020161\x00011001\x00 "
        );
        assert_eq!(h[156], b'g');
        assert_eq!(&h[257..265], b"ustar\x0000");
        assert!(h[265..].iter().all(|&b| b == 0));
    }

    #[test]
    fn long_link_header_matches_gnu() {
        let long = [b'x'; 120];
        let h = long_link_header(TYPE_LONG_NAME, &long, b"");
        assert_eq!(&h[..14], b"././@LongLink\0");
        assert_eq!(&h[124..136], b"00000000171\0");
        assert_eq!(&h[136..157], b"00000000000\x00007772\0 L");
    }
}
