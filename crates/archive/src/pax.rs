//! pax extended header records and ustar name splitting (POSIX.1-2017 XCU `pax`, "pax
//! Interchange Format" and "ustar Interchange Format").
//!
//! A record is `"%d %s=%s\n"`, the decimal length counting the whole record including its own
//! digits. The writer emits a restricted pax archive as bsdtar does by default: plain ustar
//! headers, with an `'x'` header only for what ustar cannot hold (a path that does not fit
//! `prefix/name`, a link target over 100 bytes, a size of 8 GiB or more, uid/gid over
//! 0o7777777, an mtime outside 0..8^11). Values that are not UTF-8 are preceded by
//! `hdrcharset=BINARY`. The `'x'` header is named `DIR/PaxHeaders/BASE` as GNU tar names it;
//! a volume label is a global `'g'` header with the GNU keyword `GNU.volume.label`.

use std::io::{self, Write};

use crate::header::{
    self, HeaderFields, NAME_FIELD_SIZE, PREFIX_FIELD_SIZE, USTAR_MAX_ID, USTAR_MAX_NUMBER,
};
use crate::record::Records;

/// GNU tar's pax keyword for the volume label.
pub(crate) const VOLUME_LABEL_KEY: &[u8] = b"GNU.volume.label";

/// Name of the global header carrying the label (readers go by the type flag).
pub(crate) const GLOBAL_HEADER_NAME: &[u8] = b"GlobalHead.0.1";

/// Appends one `LEN key=value\n` record.
pub(crate) fn push_record(out: &mut Vec<u8>, key: &[u8], value: &[u8]) {
    // " " + key + "=" + value + "\n", plus the digits of the total.
    let body = key.len() + value.len() + 3;
    let mut total = body + 1;
    while total != body + total.to_string().len() {
        total = body + total.to_string().len();
    }
    out.extend_from_slice(total.to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(key);
    out.push(b'=');
    out.extend_from_slice(value);
    out.push(b'\n');
}

/// Splits `name` into ustar `(prefix, name)` at a `/` with a prefix of at most 155 bytes and a
/// non-empty name part of at most 100 bytes, taking the longest prefix as GNU tar's
/// `split_long_name` does; `None` if no such `/` exists.
pub(crate) fn split_ustar(name: &[u8]) -> Option<(&[u8], &[u8])> {
    if name.len() <= NAME_FIELD_SIZE {
        return Some((b"", name));
    }
    let limit = name.len().min(PREFIX_FIELD_SIZE + 1);
    let head = name.get(..limit)?;
    head.iter()
        .enumerate()
        .rev()
        .filter(|&(i, &b)| b == b'/' && i > 0)
        .map(|(i, _)| {
            (
                name.get(..i).unwrap_or_default(),
                name.get(i + 1..).unwrap_or_default(),
            )
        })
        .find(|(_, rest)| !rest.is_empty() && rest.len() <= NAME_FIELD_SIZE)
}

/// GNU tar's `'x'` header name `%d/PaxHeaders/%f` (`.` for a name without directory),
/// truncated to the 100-byte name field.
pub(crate) fn extended_header_name(member: &[u8]) -> Vec<u8> {
    let trimmed = member.strip_suffix(b"/").unwrap_or(member);
    let (dir, base) = match trimmed.iter().rposition(|&b| b == b'/') {
        Some(i) => (
            trimmed.get(..i).unwrap_or_default(),
            trimmed.get(i + 1..).unwrap_or_default(),
        ),
        None => (&b"."[..], trimmed),
    };
    let mut out = Vec::with_capacity(dir.len() + base.len() + 12);
    out.extend_from_slice(dir);
    out.extend_from_slice(b"/PaxHeaders/");
    out.extend_from_slice(base);
    out.truncate(NAME_FIELD_SIZE);
    out
}

/// pax format: an `'x'` header for whatever ustar cannot hold, then the ustar header with
/// those fields zeroed or truncated.
pub(crate) fn write_member_headers<W: Write>(
    records: &mut Records<W>,
    f: &HeaderFields<'_>,
    mtime: i64,
) -> io::Result<()> {
    let mut ext = Vec::new();
    let (prefix, short) = match split_ustar(f.name) {
        Some(split) => split,
        None => {
            push_text_record(&mut ext, b"path", f.name);
            (&b""[..], f.name)
        }
    };
    if f.linkname.len() > NAME_FIELD_SIZE {
        push_text_record(&mut ext, b"linkpath", f.linkname);
    }
    let mut ustar = f.clone();
    ustar.name = short;
    if f.size > USTAR_MAX_NUMBER {
        push_record(&mut ext, b"size", f.size.to_string().as_bytes());
        ustar.size = 0;
    }
    if !(0..=i64::try_from(USTAR_MAX_NUMBER).unwrap_or(i64::MAX)).contains(&mtime) {
        push_record(&mut ext, b"mtime", mtime.to_string().as_bytes());
        ustar.mtime = 0;
    }
    if f.uid > USTAR_MAX_ID {
        push_record(&mut ext, b"uid", f.uid.to_string().as_bytes());
        ustar.uid = 0;
    }
    if f.gid > USTAR_MAX_ID {
        push_record(&mut ext, b"gid", f.gid.to_string().as_bytes());
        ustar.gid = 0;
    }
    if !ext.is_empty() {
        write_extended(
            records,
            header::TYPE_PAX_EXTENDED,
            &extended_header_name(f.name),
            &ext,
            ustar.mtime,
        )?;
    }
    records.write_block(&header::ustar_header(&ustar, prefix))
}

/// Writes the label as a global `'g'` header with one `GNU.volume.label` record (GNU tar
/// `--format=posix --label`).
pub(crate) fn write_label<W: Write>(
    records: &mut Records<W>,
    label: &[u8],
    mtime: u64,
) -> io::Result<()> {
    let mut data = Vec::new();
    push_record(&mut data, VOLUME_LABEL_KEY, label);
    write_extended(
        records,
        header::TYPE_PAX_GLOBAL,
        GLOBAL_HEADER_NAME,
        &data,
        mtime.min(USTAR_MAX_NUMBER),
    )
}

/// A `path`/`linkpath` record, preceded by `hdrcharset=BINARY` if the value is not UTF-8.
fn push_text_record(ext: &mut Vec<u8>, key: &[u8], value: &[u8]) {
    if std::str::from_utf8(value).is_err() && !ext.starts_with(b"21 hdrcharset=BINARY\n") {
        let mut with = Vec::new();
        push_record(&mut with, b"hdrcharset", b"BINARY");
        with.append(ext);
        *ext = with;
    }
    push_record(ext, key, value);
}

/// Writes a pax `'x'` or `'g'` header and its records, padded to a block.
fn write_extended<W: Write>(
    records: &mut Records<W>,
    typeflag: u8,
    name: &[u8],
    data: &[u8],
    mtime: u64,
) -> io::Result<()> {
    let size = data.len() as u64;
    records.write_block(&header::pax_header(typeflag, name, size, mtime))?;
    records.write_bytes(data)?;
    records.pad_block()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Records as GNU tar 1.34 writes them (xxd of `--format=posix` output).
    #[test]
    fn record_lengths() {
        let mut r = Vec::new();
        push_record(&mut r, VOLUME_LABEL_KEY, b"PXLABEL");
        assert_eq!(r, b"28 GNU.volume.label=PXLABEL\n");
        r.clear();
        push_record(&mut r, b"size", b"9663676416");
        assert_eq!(r, b"19 size=9663676416\n");
        r.clear();
        // Length 100 cannot occur: 97 bytes + 2 digits = 99; 98 + 2 = 100 needs 3 digits -> 101.
        push_record(&mut r, b"path", &[b'a'; 90]);
        assert_eq!(r.len(), 99);
        assert!(r.starts_with(b"99 path="));
        r.clear();
        push_record(&mut r, b"path", &[b'a'; 91]);
        assert_eq!(r.len(), 101);
        assert!(r.starts_with(b"101 path="));
    }

    #[test]
    fn ustar_split() {
        let dir = [b'd'; 150];
        let mut name = dir.to_vec();
        name.extend_from_slice(b"/file");
        assert_eq!(split_ustar(&name), Some((&dir[..], &b"file"[..])));
        let long_leaf = [[b'x'; 10].as_slice(), b"/", [b'f'; 101].as_slice()].concat();
        assert_eq!(split_ustar(&long_leaf), None);
        let no_slash = [b'n'; 101];
        assert_eq!(split_ustar(&no_slash), None);
        assert_eq!(split_ustar(b"short"), Some((&b""[..], &b"short"[..])));
    }

    #[test]
    fn header_names_like_gnu() {
        // GNU tar 1.34: `./PaxHeaders/big` for `big`.
        assert_eq!(extended_header_name(b"big"), b"./PaxHeaders/big");
        assert_eq!(extended_header_name(b"a/b/c"), b"a/b/PaxHeaders/c");
        assert_eq!(extended_header_name(b"a/d/"), b"a/PaxHeaders/d");
        assert_eq!(extended_header_name(&[b'z'; 200]).len(), 100);
    }
}
