//! Decoding one 512-byte header block the way GNU tar 1.34's `list.c` does (`read_header`,
//! `from_header`, `tar_checksum`), for the POSIX ustar layout (POSIX.1-2017 `pax`, "ustar
//! Interchange Format"), GNU's `"ustar  \0"` variant and old V7 headers:
//! - numbers: optional leading white space, then octal digits ended by NUL, space or the end
//!   of the field; or GNU base-256 (first byte `0x80` positive, `0xff` negative, two's
//!   complement); an all-NUL field is 0, an all-blank field is an error;
//! - checksum: the stored value must equal the unsigned or the signed byte sum taken with the
//!   checksum field as eight spaces; a block whose other bytes are all zero is a zero block;
//! - names: `prefix/name` only when the magic is exactly `"ustar\0"` and the prefix is set.

use super::error::ReadError;

/// Size of one tar block.
pub(crate) const BLOCK: usize = 512;

/// One header block.
pub(crate) type Block = [u8; BLOCK];

pub(crate) const NAME: (usize, usize) = (0, 100);
pub(crate) const MODE: (usize, usize) = (100, 8);
pub(crate) const UID: (usize, usize) = (108, 8);
pub(crate) const GID: (usize, usize) = (116, 8);
pub(crate) const SIZE: (usize, usize) = (124, 12);
pub(crate) const MTIME: (usize, usize) = (136, 12);
const CHKSUM: (usize, usize) = (148, 8);
pub(crate) const TYPEFLAG: usize = 156;
pub(crate) const LINKNAME: (usize, usize) = (157, 100);
const MAGIC: (usize, usize) = (257, 6);
pub(crate) const UNAME: (usize, usize) = (265, 32);
pub(crate) const GNAME: (usize, usize) = (297, 32);
pub(crate) const DEVMAJOR: (usize, usize) = (329, 8);
pub(crate) const DEVMINOR: (usize, usize) = (337, 8);
const PREFIX: (usize, usize) = (345, 155);

/// POSIX ustar magic (with its NUL), the only one for which the prefix field is a prefix.
const USTAR_MAGIC: &[u8; 6] = b"ustar\0";

/// The bytes of a field (empty if out of range, which cannot happen for the constants above).
pub(crate) fn field(block: &Block, (off, len): (usize, usize)) -> &[u8] {
    block.get(off..off + len).unwrap_or(&[])
}

/// A string field up to its first NUL.
pub(crate) fn c_str(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| b == 0) {
        Some(n) => bytes.get(..n).unwrap_or(bytes),
        None => bytes,
    }
}

/// C `isspace` in the C locale.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Decodes a numeric field (GNU `from_header`); `None` when it is not a number.
pub(crate) fn number(bytes: &[u8]) -> Option<i128> {
    let mut i = 0;
    loop {
        let b = *bytes.get(i)?; // all blanks (or empty) is an error
        if !is_space(b) {
            break;
        }
        i += 1;
    }
    let first = *bytes.get(i)?;
    let mut value: i128 = 0;
    if first.is_ascii_digit() && first < b'8' {
        while let Some(&b) = bytes.get(i) {
            if !(b'0'..=b'7').contains(&b) {
                break;
            }
            value = value.checked_mul(8)?.checked_add(i128::from(b - b'0'))?;
            i += 1;
        }
    } else if first == 0x80 || first == 0xff {
        // Base-256 (GNU `from_header`): the first byte's 0x40 bit is the sign, its low six
        // bits and the following bytes the two's complement value. At most 12 bytes.
        let signbit = i128::from(first & 0x40);
        value = i128::from(first & 0x3f) - signbit;
        for &b in bytes.iter().skip(i + 1) {
            value = value.checked_mul(256)?.checked_add(i128::from(b))?;
        }
        return Some(value);
    }
    match bytes.get(i) {
        None => Some(value),
        Some(&b) if b == 0 || is_space(b) => Some(value),
        Some(_) => None,
    }
}

/// Sums of the block with the checksum field counted as spaces: (unsigned, signed).
fn sums(block: &Block) -> (i64, i64) {
    let (off, len) = CHKSUM;
    let mut unsigned = 0i64;
    let mut signed = 0i64;
    for (i, &b) in block.iter().enumerate() {
        let b = if (off..off + len).contains(&i) {
            b' '
        } else {
            b
        };
        unsigned += i64::from(b);
        signed += i64::from(b as i8);
    }
    (unsigned, signed)
}

/// Whether this is an end-of-archive zero block (GNU: every byte but the checksum field is 0).
pub(crate) fn is_zero_block(block: &Block) -> bool {
    sums(block).0 == 8 * i64::from(b' ')
}

/// Checks the stored checksum against the unsigned and signed sums.
pub(crate) fn check_checksum(block: &Block, block_no: u64) -> Result<(), ReadError> {
    let (unsigned, signed) = sums(block);
    let stored = number(field(block, CHKSUM));
    match stored {
        Some(s) if s == i128::from(unsigned) || s == i128::from(signed) => Ok(()),
        _ => Err(ReadError::Checksum {
            block: block_no,
            stored: stored.and_then(|s| u64::try_from(s).ok()),
            computed: u64::try_from(unsigned).unwrap_or(0),
        }),
    }
}

/// A numeric field that must be a non-negative value fitting `u64`.
pub(crate) fn unsigned(
    block: &Block,
    f: (usize, usize),
    block_no: u64,
    name: &'static str,
) -> Result<u64, ReadError> {
    number(field(block, f))
        .and_then(|v| u64::try_from(v).ok())
        .ok_or(ReadError::BadNumber {
            block: block_no,
            field: name,
        })
}

/// The modification time (may be negative).
pub(crate) fn mtime(block: &Block, block_no: u64) -> Result<i64, ReadError> {
    number(field(block, MTIME))
        .and_then(|v| i64::try_from(v).ok())
        .ok_or(ReadError::BadNumber {
            block: block_no,
            field: "mtime",
        })
}

/// The member name from the `name` field, with the ustar `prefix` when present.
pub(crate) fn name(block: &Block) -> Vec<u8> {
    let name = c_str(field(block, NAME));
    let prefix = c_str(field(block, PREFIX));
    if field(block, MAGIC) == USTAR_MAGIC && !prefix.is_empty() {
        let mut full = Vec::with_capacity(prefix.len() + 1 + name.len());
        full.extend_from_slice(prefix);
        full.push(b'/');
        full.extend_from_slice(name);
        full
    } else {
        name.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_numbers() {
        assert_eq!(number(b"0000644\0"), Some(0o644));
        assert_eq!(number(b"  644 \0\0"), Some(0o644));
        assert_eq!(number(b"\0\0\0\0\0\0\0\0"), Some(0));
        assert_eq!(number(b"        "), None);
        assert_eq!(number(b"0000x44\0"), None);
        assert_eq!(number(b"77777777777\0"), Some(0o77777777777));
        assert_eq!(number(b"777777777777"), Some(0o777777777777));
    }

    #[test]
    fn base256_numbers() {
        // The 9 GiB size field GNU tar 1.34 writes (see header.rs tests).
        assert_eq!(
            number(&[0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x40, 0, 0, 0]),
            Some(9 << 30)
        );
        // GNU's -1 mtime: all 0xff.
        assert_eq!(number(&[0xff; 12]), Some(-1));
        assert_eq!(
            number(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]),
            Some(-2)
        );
    }
}
