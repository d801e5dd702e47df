//! GNU tar `--exclude=PATTERN` with its defaults (`--no-anchored --wildcards
//! --wildcards-match-slash`, no `--ignore-case`), as GNU tar 1.34 applies them through
//! gnulib's `exclude.c`:
//!
//! - A pattern without wildcards (no unescaped `*`, `?`, `[` or `]`) is a literal name, its
//!   `\` escapes removed; it matches a name equal to it or any tail of the name that starts
//!   right after a `/`.
//! - Any other pattern is matched with `fnmatch` (see the `pattern` module) against the whole
//!   name and against every tail that starts after a `/` not followed by another `/`
//!   (`exclude_fnmatch`).
//! - GNU tar adds `FNM_LEADING_DIR` to a pattern when recursion is on at the point the
//!   `--exclude` option is parsed (the default, and the seed's `--exclude=.DS_Store -T list
//!   --no-recursion`): a name is then also excluded when one of its leading directories
//!   matches, so `--exclude=a/b` excludes an explicitly named `a/b/c`. After `--no-recursion`
//!   it does not ([`Excludes::leading_dir`]). Both checked with GNU tar 1.34.
//! - Names are matched as the walk forms them from the names given (before a leading `/` is
//!   stripped), without a trailing `/`, so `--exclude='dir/'` matches nothing.

use super::pattern::Wildcard;
use crate::error::{Error, Result};

/// One `--exclude` pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pattern {
    /// No wildcards: compared as a string.
    Literal(Vec<u8>),
    /// Matched with `fnmatch`.
    Wild(Wildcard),
}

/// gnulib `fnmatch_pattern_has_wildcards` with escapes on and no regex or extglob.
fn has_wildcards(p: &[u8]) -> bool {
    let mut i = 0;
    while let Some(&c) = p.get(i) {
        match c {
            b'\\' => i += if p.get(i + 1).is_some() { 2 } else { 1 },
            b'?' | b'*' | b'[' | b']' => return true,
            _ => i += 1,
        }
    }
    false
}

/// gnulib `unescape_pattern`: a `\` followed by any byte stands for that byte; a trailing
/// `\` stays.
fn unescape(p: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(p.len());
    let mut i = 0;
    while let Some(&c) = p.get(i) {
        if c == b'\\' {
            if let Some(&e) = p.get(i + 1) {
                out.push(e);
                i += 2;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// A set of exclusion patterns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excludes {
    patterns: Vec<Pattern>,
    leading_dir: bool,
}

impl Default for Excludes {
    fn default() -> Self {
        Self {
            patterns: Vec::new(),
            leading_dir: true,
        }
    }
}

impl Excludes {
    /// Compiles `--exclude` patterns. Every pattern is valid except one containing a NUL
    /// byte (which no command line can carry).
    pub fn new(patterns: &[impl AsRef<str>]) -> Result<Self> {
        let mut out = Self::default();
        for p in patterns {
            out.add(p.as_ref().as_bytes())?;
        }
        Ok(out)
    }

    /// Adds one pattern given as bytes (a pattern from a file need not be UTF-8).
    pub fn add(&mut self, pattern: &[u8]) -> Result<()> {
        if pattern.contains(&0) {
            return Err(Error::InvalidPattern(
                String::from_utf8_lossy(pattern).into_owned(),
            ));
        }
        self.patterns.push(if has_wildcards(pattern) {
            Pattern::Wild(Wildcard::new(pattern))
        } else {
            Pattern::Literal(unescape(pattern))
        });
        Ok(())
    }

    /// Whether a name is also excluded when a leading directory of it matches
    /// (`FNM_LEADING_DIR`, on by default). GNU tar turns it off for `--exclude` options that
    /// come after `--no-recursion` on its command line.
    pub fn leading_dir(mut self, on: bool) -> Self {
        self.leading_dir = on;
        self
    }

    /// No patterns at all.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `name` (as the walk formed it, without a trailing `/`) is excluded.
    pub fn is_excluded(&self, name: &[u8]) -> bool {
        self.patterns.iter().any(|p| match p {
            Pattern::Literal(lit) => literal_matches(lit, name, self.leading_dir),
            Pattern::Wild(w) => w.matches_from(name, wild_start, self.leading_dir),
        })
    }
}

/// `excluded_file_name_p`: the name or a tail after any `/` equals the literal (or, with
/// `leading_dir`, starts with it followed by `/`).
fn literal_matches(lit: &[u8], name: &[u8], leading_dir: bool) -> bool {
    let tails = std::iter::once(0).chain(
        name.iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'/')
            .map(|(i, _)| i + 1),
    );
    for k in tails {
        let Some(tail) = name.get(k..) else { continue };
        if tail == lit {
            return true;
        }
        if leading_dir && tail.starts_with(lit) && tail.get(lit.len()) == Some(&b'/') {
            return true;
        }
    }
    false
}

/// `exclude_fnmatch`: tails start at 0 and after a `/` that is not followed by a `/`.
fn wild_start(s: &[u8], k: usize) -> bool {
    k == 0 || (s.get(k - 1) == Some(&b'/') && s.get(k) != Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without `FNM_LEADING_DIR` (`--no-recursion --exclude=P`).
    fn ex(p: &str, name: &str) -> bool {
        Excludes::new(&[p])
            .map(|e| e.leading_dir(false).is_excluded(name.as_bytes()))
            .unwrap_or(false)
    }

    /// GNU's default (`--exclude=P`, recursion on).
    fn ex_dir(p: &str, name: &str) -> bool {
        Excludes::new(&[p])
            .map(|e| e.is_excluded(name.as_bytes()))
            .unwrap_or(false)
    }

    // Expected values were checked with GNU tar 1.34 (`LC_ALL=C tar --sort=name
    // --exclude=P -cvf /dev/null .`); tests/walk_gnu.rs compares whole walks with it.
    #[test]
    fn gnu_semantics() {
        assert!(ex(".DS_Store", "a/b/.DS_Store"));
        assert!(ex(".DS_Store", ".DS_Store"));
        assert!(!ex(".DS_Store", "a/x.DS_Store"));
        assert!(ex("*.o", "./a/b/f.o"));
        assert!(ex("a/b", "./a/b"));
        assert!(!ex("a/b", "./a/b/c"), "no FNM_LEADING_DIR");
        assert!(!ex("./a/b", "a/b"));
        assert!(ex("a*c", "./a/b/c"), "wildcards match slash");
        assert!(!ex("a/b/", "./a/b"));
        assert!(ex("q\\\\r", "d/q\\r"));
        assert!(!ex("q\\r", "d/q\\r"), "literal pattern is unescaped to qr");
        assert!(ex("q\\r", "d/qr"));
        assert!(!ex("B\\", "B"));
        assert!(ex("/tmp/x", "/tmp/x") && ex("tmp/x", "/tmp/x"));
        assert!(!ex("", "a"));
    }

    // `tar --exclude=P -cvf /dev/null a/b/c B` lists only `B` for P = a/b, a/?;
    // `tar --no-recursion --exclude=P ...` keeps `a/b/c`.
    #[test]
    fn leading_directories() {
        assert!(ex_dir("a/b", "a/b/c") && !ex("a/b", "a/b/c"));
        assert!(ex_dir("a/?", "a/b/c") && !ex("a/?", "a/b/c"));
        assert!(ex_dir("b", "x/b/c"));
        assert!(ex_dir(".git", "src/.git/config"));
        assert!(!ex_dir("a/b", "a/bc/d"));
        assert!(!ex_dir("a/?", "a/bc/d"));
    }

    #[test]
    fn double_slash_tails() {
        // Literal: every '/' starts a tail (strchr loop); wildcard: not before another '/'.
        assert!(ex("/b", "a//b"));
        assert!(!ex("/[b]", "a//b"));
        assert!(ex("[b]", "a//b"));
    }

    #[test]
    fn nul_is_rejected() {
        assert!(matches!(
            Excludes::new(&["a\0b"]),
            Err(Error::InvalidPattern(_))
        ));
    }
}
