//! Choosing the members of an archive the way GNU tar 1.34 `-c` does with `--sort=name`:
//! names from the command line or a `-T` file list (newline or `--null` separated), each root
//! in the order given; directories before their contents, their entries in byte order of the
//! names (`LC_ALL=C sort`); symlinks stored, never followed; `--exclude` patterns (see
//! [`Excludes`]) tested on every name before it is examined, so an excluded directory is not
//! descended; `--no-recursion`; and directory entries that can be left out (the seed's
//! `find -type f` lists have none).
//!
//! Names follow GNU tar's `create.c`/`names.c`: trailing slashes of a given name are removed,
//! a child's name is its parent's name, `/`, and its directory entry name; excludes see that
//! name; the archive name drops everything up to the last `..` component and leading slashes
//! (GNU's `safer_name_suffix`: "Removing leading `/' from member names"), and is `.` if
//! nothing is left.

mod exclude;
mod pattern;

use std::ffi::OsStr;
use std::fs;
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

pub use exclude::Excludes;

use crate::error::{Error, Result};

/// Reads a `-T` file list: names separated by newlines, or by NUL bytes with `null`
/// (`--null`). Empty entries are skipped. Unlike GNU tar without `--verbatim-files-from`,
/// lines starting with `-` are names, not options.
pub fn read_file_list(mut r: impl Read, null: bool) -> io::Result<Vec<Vec<u8>>> {
    let mut all = Vec::new();
    r.read_to_end(&mut all)?;
    let sep = if null { 0 } else { b'\n' };
    Ok(all
        .split(|&b| b == sep)
        .filter(|n| !n.is_empty())
        .map(<[u8]>::to_vec)
        .collect())
}

/// Which members a walk yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// `--exclude` patterns.
    pub excludes: Excludes,
    /// Descend into directories (default); `false` is `--no-recursion`.
    pub recursion: bool,
    /// Yield directory entries (default); `false` yields only what is not a directory,
    /// while still descending into directories when `recursion` is on.
    pub directories: bool,
}

impl Default for Selection {
    fn default() -> Self {
        Self {
            excludes: Excludes::default(),
            recursion: true,
            directories: true,
        }
    }
}

/// One member chosen by [`walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Where the file is: the base directory joined with the name as given/formed.
    pub fs_path: PathBuf,
    /// Archive name: the formed name with leading `/` and `..` prefixes removed (a directory's
    /// trailing `/` is added by the writer).
    pub name: Vec<u8>,
}

/// GNU tar's `safer_name_suffix` for member names: drops everything up to and including the
/// last `..` component, then leading slashes; an empty result becomes `.`.
pub fn archive_name(given: &[u8]) -> Vec<u8> {
    let mut start = 0;
    let mut i = 0;
    while i < given.len() {
        if given.get(i) == Some(&b'/') {
            i += 1;
            continue;
        }
        let end = given
            .get(i..)
            .and_then(|rest| rest.iter().position(|&b| b == b'/'))
            .map_or(given.len(), |p| i + p);
        if given.get(i..end) == Some(&b".."[..]) {
            start = end;
        }
        i = end;
    }
    let rest = given.get(start..).unwrap_or_default();
    let first = rest.iter().position(|&b| b != b'/').unwrap_or(rest.len());
    match rest.get(first..) {
        Some(r) if !r.is_empty() => r.to_vec(),
        _ => b".".to_vec(),
    }
}

/// Removes trailing slashes of a given name, keeping a lone `/`.
fn trim_trailing_slashes(name: &[u8]) -> &[u8] {
    let end = name.iter().rposition(|&b| b != b'/').map_or(1, |p| p + 1);
    name.get(..end).unwrap_or(name)
}

/// An open directory of the walk: its children not yet visited.
#[derive(Debug)]
struct Frame {
    name: Vec<u8>,
    fs_path: PathBuf,
    children: std::vec::IntoIter<Vec<u8>>,
}

/// The iterator returned by [`walk`].
#[derive(Debug)]
pub struct Walk {
    base: PathBuf,
    roots: Vec<Vec<u8>>,
    next_root: usize,
    sel: Selection,
    stack: Vec<Frame>,
    pending: Option<Error>,
}

/// Walks `roots` (names as given, relative to `base` unless absolute; `base` is `-C DIR`, `.`
/// by default) in GNU tar `--sort=name` order, yielding every selected member. Errors (a
/// missing root, an unreadable directory, a file gone before `lstat`) come out as `Err`
/// items and the walk goes on; an unreadable directory's own entry still comes first.
pub fn walk(base: &Path, roots: &[Vec<u8>], sel: &Selection) -> Walk {
    Walk {
        base: base.to_path_buf(),
        roots: roots.to_vec(),
        next_root: 0,
        sel: sel.clone(),
        stack: Vec::new(),
        pending: None,
    }
}

/// A directory's entry names in byte order.
fn sorted_children(dir: &Path) -> io::Result<Vec<Vec<u8>>> {
    let mut names = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name().as_bytes().to_vec()))
        .collect::<io::Result<Vec<_>>>()?;
    names.sort_unstable();
    Ok(names)
}

impl Walk {
    /// The next name to look at and its path, or `None` when everything was visited.
    fn next_candidate(&mut self) -> Option<Result<(Vec<u8>, PathBuf)>> {
        loop {
            let Some(top) = self.stack.last_mut() else {
                let root = self.roots.get(self.next_root)?;
                self.next_root += 1;
                if root.is_empty() || root.contains(&0) {
                    return Some(Err(Error::InvalidName(PathBuf::from(OsStr::from_bytes(
                        root,
                    )))));
                }
                let name = trim_trailing_slashes(root).to_vec();
                let path = self.base.join(OsStr::from_bytes(&name));
                return Some(Ok((name, path)));
            };
            let Some(child) = top.children.next() else {
                self.stack.pop();
                continue;
            };
            let mut name = top.name.clone();
            if !name.ends_with(b"/") {
                name.push(b'/');
            }
            name.extend_from_slice(&child);
            return Some(Ok((name, top.fs_path.join(OsStr::from_bytes(&child)))));
        }
    }
}

impl Iterator for Walk {
    type Item = Result<Entry>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(e) = self.pending.take() {
                return Some(Err(e));
            }
            let (name, fs_path) = match self.next_candidate()? {
                Ok(c) => c,
                Err(e) => return Some(Err(e)),
            };
            if self.sel.excludes.is_excluded(&name) {
                continue;
            }
            let md = match fs::symlink_metadata(&fs_path) {
                Ok(md) => md,
                Err(source) => {
                    return Some(Err(Error::Read {
                        path: fs_path,
                        source,
                    }))
                }
            };
            let entry = Entry {
                name: archive_name(&name),
                fs_path,
            };
            if !md.is_dir() {
                return Some(Ok(entry));
            }
            if self.sel.recursion {
                match sorted_children(&entry.fs_path) {
                    Ok(children) => self.stack.push(Frame {
                        name,
                        fs_path: entry.fs_path.clone(),
                        children: children.into_iter(),
                    }),
                    Err(source) => {
                        self.pending = Some(Error::Read {
                            path: entry.fs_path.clone(),
                            source,
                        });
                    }
                }
            }
            if self.sel.directories {
                return Some(Ok(entry));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // GNU tar 1.34: `tar -cvf - a/../B ../t/B` → "Removing leading `a/../'", "`../'";
    // `tar -cf - / --no-recursion | tar -t` → "./".
    #[test]
    fn archive_names_like_gnu() {
        assert_eq!(archive_name(b"a/../B"), b"B");
        assert_eq!(archive_name(b"../t/B"), b"t/B");
        assert_eq!(archive_name(b"/tmp/x"), b"tmp/x");
        assert_eq!(archive_name(b"//x"), b"x");
        assert_eq!(archive_name(b"/"), b".");
        assert_eq!(archive_name(b".."), b".");
        assert_eq!(archive_name(b"./a"), b"./a");
        assert_eq!(archive_name(b"a..b/c"), b"a..b/c");
    }

    #[test]
    fn trailing_slashes() {
        assert_eq!(trim_trailing_slashes(b"a//"), b"a");
        assert_eq!(trim_trailing_slashes(b"/"), b"/");
        assert_eq!(trim_trailing_slashes(b"///"), b"/");
        assert_eq!(trim_trailing_slashes(b"a//b"), b"a//b");
    }

    #[test]
    fn file_lists() {
        let l = read_file_list(&b"a\n\nb c\n-x\n"[..], false).unwrap_or_default();
        assert_eq!(l, vec![b"a".to_vec(), b"b c".to_vec(), b"-x".to_vec()]);
        let l = read_file_list(&b"a\nb\0\0c\0"[..], true).unwrap_or_default();
        assert_eq!(l, vec![b"a\nb".to_vec(), b"c".to_vec()]);
    }
}
