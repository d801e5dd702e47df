//! Per-tape index: where every member of an archive starts, so that one member can be
//! extracted by positioning the tape (SSC LOCATE to a logical block, or SPACE filemarks and
//! records, st(4) `MTSEEK` / `MTFSF` + `MTFSR`) instead of reading everything before it.
//!
//! Positions follow GNU tar's `-R` block numbers (`reference/tar-format.md` §3): `block` is
//! the 512-byte block of the member's first header block from the start of the archive (the
//! label is block 0); with records of `record_size` bytes the member starts in record
//! `block × 512 / record_size`, at byte `block × 512 mod record_size` of it.
//!
//! # Text format (version 1)
//!
//! ```text
//! # tapekit-index 1 record_size=262144
//! # tape_file first_lba record offset block size name
//! 3 1520 0 512 1 6 hello.txt
//! - - 5216 9216 2670610 1048576 dir/big\nname
//! ```
//!
//! - Line 1 is the header: `# tapekit-index 1 record_size=N` (N = blocking factor × 512).
//! - Other lines starting with `#` are comments (line 2 names the columns).
//! - Every other line is one member: six fields separated by one space, then the name, which
//!   runs to the end of the line and may contain spaces. `tape_file` (the tape file number
//!   holding the archive) and `first_lba` (the tape's logical block address of the archive's
//!   first record) are `-` when unknown; the others are decimal. In the name, `\` is written
//!   as `\\`, a newline as `\n` and a carriage return as `\r`.
//!
//! # Reading from a member's position
//!
//! After positioning the tape at the member's record (LOCATE to [`IndexEntry::lba`], or SPACE
//! to the tape file then [`IndexEntry::record`] records), wrap the device in [`SkipInRecord`]
//! so that the `offset` bytes of the previous member at the start of that record are dropped,
//! and give it to [`crate::read::Reader::with_offset`] with `first_block = entry.block`.

use std::io::{self, Read, Write};

use crate::writer::Member;

/// First word of the header line.
const MAGIC: &str = "# tapekit-index";
/// Format version this module writes and reads.
pub const VERSION: u32 = 1;
/// The column comment written after the header.
const COLUMNS: &str = "# tape_file first_lba record offset block size name";
/// Size of a tar block.
const BLOCK_SIZE: u64 = 512;

/// Where one member starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// Tape file number holding the archive (st's `mt_fileno`), if known.
    pub tape_file: Option<u64>,
    /// Logical block address of the archive's first record, if known.
    pub first_lba: Option<u64>,
    /// Record within the archive (tape block within the tape file).
    pub record: u64,
    /// Byte offset of the member's first block within that record.
    pub offset: u32,
    /// 512-byte block number from the start of the archive (GNU `-R`).
    pub block: u64,
    /// Data size in bytes.
    pub size: u64,
    /// Member name as stored in the archive.
    pub name: Vec<u8>,
}

impl IndexEntry {
    /// The entry for a member just written, with the tape position of the archive.
    pub fn from_member(m: &Member, tape_file: Option<u64>, first_lba: Option<u64>) -> Self {
        Self {
            tape_file,
            first_lba,
            record: m.position.record,
            offset: m.position.offset,
            block: m.position.block,
            size: m.size,
            name: m.name.clone(),
        }
    }

    /// Logical block address of the member's record, when the archive's first one is known.
    pub fn lba(&self) -> Option<u64> {
        self.first_lba?.checked_add(self.record)
    }
}

/// A source positioned at the start of a record whose first `skip` bytes are dropped: the
/// first `read` asks the inner source for one whole record (tape needs whole-record reads)
/// and returns what follows `skip`; later reads go straight through.
#[derive(Debug)]
pub struct SkipInRecord<R> {
    inner: R,
    /// The first record while it is being handed out.
    first: Option<(Vec<u8>, usize, usize)>,
    skip: usize,
    record_size: usize,
}

impl<R: Read> SkipInRecord<R> {
    /// Drops the first `skip` bytes of the next `record_size`-byte record of `inner`.
    pub fn new(inner: R, record_size: usize, skip: usize) -> Self {
        Self {
            inner,
            first: None,
            skip,
            record_size,
        }
    }

    /// For an index entry: drops the entry's `offset` bytes.
    pub fn for_entry(inner: R, record_size: usize, entry: &IndexEntry) -> Self {
        Self::new(inner, record_size, entry.offset as usize)
    }

    /// The inner source.
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read> Read for SkipInRecord<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.skip > 0 {
            let mut rec = vec![0u8; self.record_size.max(1)];
            let n = self.inner.read(&mut rec)?;
            let start = self.skip.min(n);
            self.skip = 0;
            self.first = Some((rec, start, n));
        }
        if let Some((rec, start, end)) = self.first.as_mut() {
            let avail = rec.get(*start..*end).unwrap_or_default();
            let n = avail.len().min(buf.len());
            if let (Some(dst), Some(src)) = (buf.get_mut(..n), avail.get(..n)) {
                dst.copy_from_slice(src);
            }
            *start += n;
            if *start >= *end {
                self.first = None;
            }
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// Writes an index file: the header on creation, then one line per member.
#[derive(Debug)]
pub struct IndexWriter<W: Write> {
    sink: W,
}

impl<W: Write> IndexWriter<W> {
    /// Writes the header lines for an archive of `record_size`-byte records.
    pub fn new(mut sink: W, record_size: u32) -> io::Result<Self> {
        writeln!(sink, "{MAGIC} {VERSION} record_size={record_size}")?;
        writeln!(sink, "{COLUMNS}")?;
        Ok(Self { sink })
    }

    /// Writes one member's line.
    pub fn write_entry(&mut self, e: &IndexEntry) -> io::Result<()> {
        let opt = |v: Option<u64>| v.map_or_else(|| "-".to_string(), |n| n.to_string());
        let mut line = format!(
            "{} {} {} {} {} {} ",
            opt(e.tape_file),
            opt(e.first_lba),
            e.record,
            e.offset,
            e.block,
            e.size
        )
        .into_bytes();
        for &b in &e.name {
            match b {
                b'\\' => line.extend_from_slice(b"\\\\"),
                b'\n' => line.extend_from_slice(b"\\n"),
                b'\r' => line.extend_from_slice(b"\\r"),
                _ => line.push(b),
            }
        }
        line.push(b'\n');
        self.sink.write_all(&line)
    }

    /// Flushes and returns the sink.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.sink.flush()?;
        Ok(self.sink)
    }
}

/// Why an index could not be parsed. Line numbers start at 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    /// The first line is not `# tapekit-index 1 record_size=N`.
    #[error("not a tapekit index (bad header line)")]
    BadHeader,
    /// The header names a version this code does not read.
    #[error("unsupported tapekit index version {0}")]
    Version(u32),
    /// The record size is 0 or not a multiple of 512.
    #[error("invalid record size {0}")]
    RecordSize(u32),
    /// A member line has too few fields, a bad number, or an empty name.
    #[error("line {0}: malformed index line")]
    Malformed(usize),
    /// A `\` in the name is followed by something other than `\`, `n` or `r`.
    #[error("line {0}: invalid escape sequence in member name")]
    BadEscape(usize),
    /// The record, offset and block fields disagree with the record size.
    #[error("line {0}: record/offset do not match block number")]
    Inconsistent(usize),
}

/// A parsed index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    record_size: u32,
    entries: Vec<IndexEntry>,
}

impl Index {
    /// Parses an index file (see the module docs).
    pub fn parse(text: &[u8]) -> Result<Index, IndexError> {
        let body = text.strip_suffix(b"\n").unwrap_or(text);
        let mut lines = body.split(|&b| b == b'\n');
        let record_size = parse_header(lines.next().unwrap_or_default())?;
        let mut entries = Vec::new();
        for (i, line) in lines.enumerate() {
            let lineno = i + 2;
            if line.first() == Some(&b'#') {
                continue;
            }
            entries.push(parse_entry(line, lineno, record_size)?);
        }
        Ok(Index {
            record_size,
            entries,
        })
    }

    /// Bytes per record of the indexed archive.
    pub fn record_size(&self) -> u32 {
        self.record_size
    }

    /// The first member with this name (a trailing `/` is ignored on both sides).
    pub fn find(&self, name: &[u8]) -> Option<&IndexEntry> {
        let want = trim_slash(name);
        self.entries.iter().find(|e| trim_slash(&e.name) == want)
    }

    /// All entries in archive order.
    pub fn entries(&self) -> &[IndexEntry] {
        &self.entries
    }
}

fn trim_slash(name: &[u8]) -> &[u8] {
    let mut n = name;
    while let Some(rest) = n.strip_suffix(b"/") {
        n = rest;
    }
    n
}

fn parse_header(line: &[u8]) -> Result<u32, IndexError> {
    let line = std::str::from_utf8(line).map_err(|_| IndexError::BadHeader)?;
    let rest = line.strip_prefix(MAGIC).ok_or(IndexError::BadHeader)?;
    let mut words = rest.split(' ').filter(|w| !w.is_empty());
    let version: u32 = words
        .next()
        .and_then(|w| w.parse().ok())
        .ok_or(IndexError::BadHeader)?;
    if version != VERSION {
        return Err(IndexError::Version(version));
    }
    let size: u32 = words
        .next()
        .and_then(|w| w.strip_prefix("record_size="))
        .and_then(|w| w.parse().ok())
        .ok_or(IndexError::BadHeader)?;
    if size == 0 || u64::from(size) % BLOCK_SIZE != 0 {
        return Err(IndexError::RecordSize(size));
    }
    Ok(size)
}

fn parse_entry(line: &[u8], lineno: usize, record_size: u32) -> Result<IndexEntry, IndexError> {
    let bad = IndexError::Malformed(lineno);
    let mut fields = line.splitn(7, |&b| b == b' ');
    let mut num = |optional: bool| -> Result<Option<u64>, IndexError> {
        let f = fields.next().ok_or(bad.clone())?;
        if optional && f == b"-" {
            return Ok(None);
        }
        if f.is_empty() || !f.iter().all(u8::is_ascii_digit) {
            return Err(bad.clone());
        }
        let s = std::str::from_utf8(f).map_err(|_| bad.clone())?;
        s.parse().map(Some).map_err(|_| bad.clone())
    };
    let tape_file = num(true)?;
    let first_lba = num(true)?;
    let record = num(false)?.ok_or(bad.clone())?;
    let offset = num(false)?.ok_or(bad.clone())?;
    let block = num(false)?.ok_or(bad.clone())?;
    let size = num(false)?.ok_or(bad.clone())?;
    let raw = fields.next().filter(|n| !n.is_empty()).ok_or(bad.clone())?;
    let name = unescape(raw).ok_or(IndexError::BadEscape(lineno))?;
    let offset = u32::try_from(offset).map_err(|_| bad)?;
    let rs = u64::from(record_size);
    let consistent = block
        .checked_mul(BLOCK_SIZE)
        .is_some_and(|byte| byte / rs == record && byte % rs == u64::from(offset));
    if !consistent {
        return Err(IndexError::Inconsistent(lineno));
    }
    Ok(IndexEntry {
        tape_file,
        first_lba,
        record,
        offset,
        block,
        size,
        name,
    })
}

fn unescape(name: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(name.len());
    let mut it = name.iter();
    while let Some(&b) = it.next() {
        match (b, b == b'\\') {
            (_, true) => out.push(match it.next()? {
                b'\\' => b'\\',
                b'n' => b'\n',
                b'r' => b'\r',
                _ => return None,
            }),
            (b'\r', false) => return None,
            _ => out.push(b),
        }
    }
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn entry(name: &[u8], block: u64, known: bool) -> IndexEntry {
        // -b512: 512 blocks per record (the reference's example: block 2670610 → record 5216,
        // 18 blocks = 9216 bytes in).
        IndexEntry {
            tape_file: known.then_some(3),
            first_lba: known.then_some(1520),
            record: block / 512,
            offset: u32::try_from(block % 512 * 512).unwrap(),
            block,
            size: 1_048_576,
            name: name.to_vec(),
        }
    }

    #[test]
    fn writes_documented_format_and_parses_back() {
        let mut w = IndexWriter::new(Vec::new(), 262_144).unwrap();
        let a = entry(b"hello.txt", 1, true);
        let b = entry(b"dir/big\nname with \\ and \r", 2_670_610, false);
        w.write_entry(&a).unwrap();
        w.write_entry(&b).unwrap();
        let text = w.into_inner().unwrap();
        let expected = "# tapekit-index 1 record_size=262144\n\
             # tape_file first_lba record offset block size name\n\
             3 1520 0 512 1 1048576 hello.txt\n\
             - - 5216 9216 2670610 1048576 dir/big\\nname with \\\\ and \\r\n";
        assert_eq!(String::from_utf8(text.clone()).unwrap(), expected);
        let idx = Index::parse(&text).unwrap();
        assert_eq!(idx.record_size(), 262_144);
        assert_eq!(idx.entries(), [a.clone(), b.clone()]);
        assert_eq!(idx.find(b"hello.txt/"), Some(&a));
        assert_eq!(idx.find(b"dir/big\nname with \\ and \r"), Some(&b));
        assert_eq!(idx.find(b"nope"), None);
        assert_eq!(a.lba(), Some(1520));
        assert_eq!(b.lba(), None);
    }

    #[test]
    fn rejects_bad_input() {
        let h = "# tapekit-index 1 record_size=10240\n";
        let cases: &[(&str, IndexError)] = &[
            ("", IndexError::BadHeader),
            ("hello\n", IndexError::BadHeader),
            (
                "# tapekit-index 2 record_size=10240\n",
                IndexError::Version(2),
            ),
            (
                "# tapekit-index 1 record_size=1000\n",
                IndexError::RecordSize(1000),
            ),
            (
                "# tapekit-index 1 record_size=0\n",
                IndexError::RecordSize(0),
            ),
            ("# tapekit-index 1\n", IndexError::BadHeader),
        ];
        for (text, err) in cases {
            assert_eq!(Index::parse(text.as_bytes()), Err(err.clone()), "{text:?}");
        }
        for (line, err) in [
            ("- - 0 512 1 6", IndexError::Malformed(2)),
            ("- - 0 512 1 6 ", IndexError::Malformed(2)),
            ("x - 0 512 1 6 a", IndexError::Malformed(2)),
            ("- - 0 +512 1 6 a", IndexError::Malformed(2)),
            ("- - - 512 1 6 a", IndexError::Malformed(2)),
            ("- - 0 512 1 6 a\\x", IndexError::BadEscape(2)),
            ("- - 0 1024 1 6 a", IndexError::Inconsistent(2)),
            ("- - 1 0 21 6 a", IndexError::Inconsistent(2)),
            ("- - 0 0 99999999999999999999 6 a", IndexError::Malformed(2)),
        ] {
            let text = format!("{h}{line}\n");
            assert_eq!(Index::parse(text.as_bytes()), Err(err), "{line:?}");
        }
        let ok = format!("{h}# comment\n- - 1 0 20 0 a b\n");
        let idx = Index::parse(ok.as_bytes()).unwrap();
        assert_eq!(idx.entries()[0].name, b"a b");
    }
}
