//! SHA-256 manifests in the format of GNU coreutils `sha256sum` (9.1), which
//! `sha256sum -c` checks.
//!
//! One line per file: 64 lowercase hex digits, two spaces (text mode; `" *"` marks binary
//! mode, which is accepted on input), the name, `\n`. When a name contains a backslash, a
//! newline or a carriage return, coreutils starts the line with `\` and writes those bytes
//! as `\\`, `\n` and `\r`; every other byte is written as is (checked against coreutils 9.1:
//! `sha256sum 'a\b'` prints `\<hex>  a\\b`). Names are archive member names, relative to the
//! directory the archive was made from, so `cd DIR && sha256sum -c MANIFEST` checks the tree.
//!
//! The parser follows coreutils' `-c` reading: an optional leading `\` switches on
//! unescaping, the digest (either case), one space, then `' '` or `'*'`, then the name up to
//! the end of the line; lines starting with `#` are comments. Malformed lines, unknown
//! escapes, and one name listed with two different digests are errors.

use std::collections::HashMap;
use std::io::{self, Write};

/// Length of a SHA-256 digest in bytes.
pub const DIGEST_LEN: usize = 32;
/// Length of a SHA-256 digest in hex digits.
pub const HEX_LEN: usize = 2 * DIGEST_LEN;

/// Writes one manifest line exactly as `sha256sum` prints it for `name`.
///
/// `sha256_hex` is written as given (it should be 64 lowercase hex digits, as
/// [`crate::Member::sha256_hex`] returns).
pub fn write_entry(w: &mut dyn Write, sha256_hex: &str, name: &[u8]) -> io::Result<()> {
    let escape = name.iter().any(|&b| matches!(b, b'\\' | b'\n' | b'\r'));
    let mut line = Vec::with_capacity(name.len() + HEX_LEN + 4);
    if escape {
        line.push(b'\\');
    }
    line.extend_from_slice(sha256_hex.as_bytes());
    line.extend_from_slice(b"  ");
    if escape {
        for &b in name {
            match b {
                b'\\' => line.extend_from_slice(b"\\\\"),
                b'\n' => line.extend_from_slice(b"\\n"),
                b'\r' => line.extend_from_slice(b"\\r"),
                _ => line.push(b),
            }
        }
    } else {
        line.extend_from_slice(name);
    }
    line.push(b'\n');
    w.write_all(&line)
}

/// Formats a digest as 64 lowercase hex digits.
pub fn to_hex(digest: &[u8; DIGEST_LEN]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(HEX_LEN);
    for &b in digest {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    s
}

/// Why a manifest could not be parsed. Line numbers start at 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// The line is not `<64 hex digits><space><space or *><name>`.
    #[error("line {0}: improperly formatted SHA256 checksum line")]
    Malformed(usize),
    /// An escaped name contains a `\` followed by something other than `\`, `n` or `r`.
    #[error("line {0}: invalid escape sequence in file name")]
    BadEscape(usize),
    /// The name is empty.
    #[error("line {0}: empty file name")]
    EmptyName(usize),
    /// The name was listed before with a different digest.
    #[error("line {0}: file name listed twice with different digests")]
    Conflict(usize),
}

/// A parsed manifest: names and their SHA-256 digests, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    entries: Vec<(Vec<u8>, [u8; DIGEST_LEN])>,
    by_name: HashMap<Vec<u8>, usize>,
}

impl Manifest {
    /// Parses `sha256sum` output (see the module docs for the accepted syntax).
    pub fn parse(text: &[u8]) -> Result<Manifest, ManifestError> {
        let mut m = Manifest::default();
        let body = text.strip_suffix(b"\n").unwrap_or(text);
        if text.is_empty() {
            return Ok(m);
        }
        for (i, line) in body.split(|&b| b == b'\n').enumerate() {
            let lineno = i + 1;
            if line.first() == Some(&b'#') {
                continue;
            }
            let (name, digest) = parse_line(line, lineno)?;
            m.insert(name, digest, lineno)?;
        }
        Ok(m)
    }

    /// Adds an entry (as if it were the next line).
    fn insert(
        &mut self,
        name: Vec<u8>,
        digest: [u8; DIGEST_LEN],
        lineno: usize,
    ) -> Result<(), ManifestError> {
        match self.by_name.get(&name).and_then(|&i| self.entries.get(i)) {
            Some((_, d)) if *d == digest => Ok(()),
            Some(_) => Err(ManifestError::Conflict(lineno)),
            None => {
                self.by_name.insert(name.clone(), self.entries.len());
                self.entries.push((name, digest));
                Ok(())
            }
        }
    }

    /// The digest listed for `name`.
    pub fn get(&self, name: &[u8]) -> Option<&[u8; DIGEST_LEN]> {
        let &i = self.by_name.get(name)?;
        self.entries.get(i).map(|(_, d)| d)
    }

    /// Names and digests in the order of the manifest.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8; DIGEST_LEN])> + '_ {
        self.entries.iter().map(|(n, d)| (n.as_slice(), d))
    }

    /// Number of distinct names.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the manifest lists no file.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn parse_line(line: &[u8], lineno: usize) -> Result<(Vec<u8>, [u8; DIGEST_LEN]), ManifestError> {
    let (escaped, rest) = match line.strip_prefix(b"\\") {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let hex = rest
        .get(..HEX_LEN)
        .ok_or(ManifestError::Malformed(lineno))?;
    let digest = parse_hex(hex).ok_or(ManifestError::Malformed(lineno))?;
    let name = match rest.get(HEX_LEN..) {
        Some([b' ', b' ' | b'*', name @ ..]) => name,
        _ => return Err(ManifestError::Malformed(lineno)),
    };
    if name.is_empty() {
        return Err(ManifestError::EmptyName(lineno));
    }
    let name = if escaped {
        unescape(name).ok_or(ManifestError::BadEscape(lineno))?
    } else {
        name.to_vec()
    };
    Ok((name, digest))
}

fn unescape(name: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(name.len());
    let mut it = name.iter();
    while let Some(&b) = it.next() {
        if b == b'\\' {
            match it.next() {
                Some(b'\\') => out.push(b'\\'),
                Some(b'n') => out.push(b'\n'),
                Some(b'r') => out.push(b'\r'),
                _ => return None,
            }
        } else {
            out.push(b);
        }
    }
    Some(out)
}

/// Parses 64 hex digits (either case).
pub fn parse_hex(hex: &[u8]) -> Option<[u8; DIGEST_LEN]> {
    if hex.len() != HEX_LEN {
        return None;
    }
    let mut out = [0u8; DIGEST_LEN];
    for (o, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let hi = hex_val(*pair.first()?)?;
        let lo = hex_val(*pair.get(1)?)?;
        *o = hi << 4 | lo;
    }
    Some(out)
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    // Lines printed by coreutils 9.1 `sha256sum` for files containing "x", "y" and "z"
    // named `a\b`, `c<LF>d` and `e<CR>f`, and "w" named `sp ace`.
    const A_B: &[u8] =
        b"\\2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881  a\\\\b\n";
    const C_D: &[u8] =
        b"\\a1fce4363854ff888cff4b8e7875d600c2682390412a8cf79b37d0b11148b0fa  c\\nd\n";
    const E_F: &[u8] =
        b"\\594e519ae499312b29433b7dd8a97ff068defcba9755b6d5d00e84c524d67b06  e\\rf\n";
    const SPACE: &[u8] =
        b"50e721e49c013f00c62cf59f2163542a9d8df02464efeb615d31051b0fddc326  sp ace\n";

    fn line(hex: &str, name: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        write_entry(&mut v, hex, name).unwrap();
        v
    }

    #[test]
    fn writes_like_coreutils() {
        let hex = |l: &[u8]| {
            let s = std::str::from_utf8(l).unwrap();
            s.trim_start_matches('\\')[..64].to_string()
        };
        assert_eq!(line(&hex(A_B), b"a\\b"), A_B);
        assert_eq!(line(&hex(C_D), b"c\nd"), C_D);
        assert_eq!(line(&hex(E_F), b"e\rf"), E_F);
        assert_eq!(line(&hex(SPACE), b"sp ace"), SPACE);
    }

    #[test]
    fn parses_coreutils_output_and_binary_marker() {
        let text = [A_B, C_D, E_F, SPACE, b"# comment\n"].concat();
        let m = Manifest::parse(&text).unwrap();
        assert_eq!(m.len(), 4);
        let names: Vec<&[u8]> = m.iter().map(|(n, _)| n).collect();
        assert_eq!(names, [&b"a\\b"[..], b"c\nd", b"e\rf", b"sp ace"]);
        assert_eq!(
            to_hex(m.get(b"sp ace").unwrap()),
            &std::str::from_utf8(SPACE).unwrap()[..64]
        );
        // `sha256sum -b 'sp ace'` prints the binary marker.
        let bin = b"50E721E49C013F00C62CF59F2163542A9D8DF02464EFEB615D31051B0FDDC326 *sp ace";
        let m2 = Manifest::parse(bin).unwrap();
        assert_eq!(m2.get(b"sp ace"), m.get(b"sp ace"));
    }

    #[test]
    fn rejects_malformed() {
        let h = "0".repeat(64);
        for (text, err) in [
            (format!("{h} name"), ManifestError::Malformed(1)),
            (format!("{h}\tname"), ManifestError::Malformed(1)),
            (format!("{}  name", &h[1..]), ManifestError::Malformed(1)),
            (format!("{}g  name", &h[1..]), ManifestError::Malformed(1)),
            (format!("{h}  "), ManifestError::EmptyName(1)),
            (format!("\\{h}  a\\tb"), ManifestError::BadEscape(1)),
            (format!("\\{h}  a\\"), ManifestError::BadEscape(1)),
            ("\n".to_string(), ManifestError::Malformed(1)),
        ] {
            assert_eq!(Manifest::parse(text.as_bytes()), Err(err), "{text:?}");
        }
        let one = format!("{h}  a\n{h}  a\n");
        assert_eq!(Manifest::parse(one.as_bytes()).unwrap().len(), 1);
        let conflict = format!("{h}  a\n{}1  a\n", &h[1..]);
        assert_eq!(
            Manifest::parse(conflict.as_bytes()),
            Err(ManifestError::Conflict(2))
        );
        assert!(Manifest::parse(b"").unwrap().is_empty());
    }
}
