//! Turning member names into paths below the destination without ever leaving it: GNU
//! tar's safe defaults (leading `/` removed, names with `..` refused) plus a stricter rule
//! for symlinks — no path component below the destination may be a symlink, whether the
//! archive planted it or it was there before, so nothing is written through one.

use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use super::MemberError;

/// The components of a member name that are below the destination: leading `/` dropped
/// (as GNU tar's "Removing leading `/' from member names"), empty and `.` components
/// skipped. `None` when the name has a `..` component. An empty list is the destination.
pub(crate) fn components(name: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    for c in name.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// Member name as matched against requested names: as [`components`] sees it, joined by `/`.
pub(crate) fn normalized(name: &[u8]) -> Vec<u8> {
    let comps = name
        .split(|&b| b == b'/')
        .filter(|c| !c.is_empty() && *c != b".");
    let mut out = Vec::with_capacity(name.len());
    for c in comps {
        if !out.is_empty() {
            out.push(b'/');
        }
        out.extend_from_slice(c);
    }
    out
}

/// Resolves `name` below `dest`. Each parent directory must be a real directory (not a
/// symlink); missing ones are created when `create` is set. Returns `None` for names that
/// denote `dest` itself.
pub(crate) fn resolve(
    dest: &Path,
    name: &[u8],
    create: bool,
) -> Result<Option<PathBuf>, MemberError> {
    let comps = components(name).ok_or(MemberError::DotDot)?;
    let Some((last, parents)) = comps.split_last() else {
        return Ok(None);
    };
    let mut path = dest.to_path_buf();
    for c in parents {
        path.push(std::ffi::OsStr::from_bytes(c));
        ensure_dir(&path, create)?;
    }
    path.push(std::ffi::OsStr::from_bytes(last));
    Ok(Some(path))
}

/// Checks that `path` is a real directory (creating it if missing and `create`).
fn ensure_dir(path: &Path, create: bool) -> Result<(), MemberError> {
    let io_err = |source| MemberError::Io {
        path: path.to_path_buf(),
        source,
    };
    match fs::symlink_metadata(path) {
        Ok(md) if md.file_type().is_dir() => Ok(()),
        Ok(md) if md.file_type().is_symlink() => Err(MemberError::SymlinkInPath(path.into())),
        Ok(_) => Err(MemberError::NotADirectory(path.into())),
        Err(e) if e.kind() == io::ErrorKind::NotFound && create => match fs::create_dir(path) {
            Ok(()) => Ok(()),
            // Someone else made it in between: check what it is.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => ensure_dir(path, false),
            Err(e) => Err(io_err(e)),
        },
        Err(e) => Err(io_err(e)),
    }
}

/// What is at `path` now, without following a symlink.
pub(crate) enum Existing {
    /// Nothing.
    Nothing,
    /// A real directory.
    Directory,
    /// Anything else (file, symlink, device...).
    Other,
}

/// Looks at `path` without following a symlink.
pub(crate) fn existing(path: &Path) -> Result<Existing, MemberError> {
    match fs::symlink_metadata(path) {
        Ok(md) if md.file_type().is_dir() => Ok(Existing::Directory),
        Ok(_) => Ok(Existing::Other),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Existing::Nothing),
        Err(source) => Err(MemberError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Makes room at `path` for a new non-directory: nothing there is fine; something there is
/// [`MemberError::Exists`] unless `overwrite`, in which case it is removed (a symlink itself,
/// never its target; a directory only if empty).
pub(crate) fn make_room(path: &Path, overwrite: bool) -> Result<(), MemberError> {
    let io_err = |source| MemberError::Io {
        path: path.to_path_buf(),
        source,
    };
    match existing(path)? {
        Existing::Nothing => Ok(()),
        _ if !overwrite => Err(MemberError::Exists(path.into())),
        Existing::Directory => fs::remove_dir(path).map_err(io_err),
        Existing::Other => fs::remove_file(path).map_err(io_err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_strip_root_and_refuse_dotdot() {
        let c = |n: &[u8]| components(n).map(|v| v.concat());
        assert_eq!(c(b"/etc/passwd"), Some(b"etcpasswd".to_vec()));
        assert_eq!(c(b"./a//b/./"), Some(b"ab".to_vec()));
        assert_eq!(c(b"a/../b"), None);
        assert_eq!(c(b"../x"), None);
        assert_eq!(c(b"a/..."), Some(b"a...".to_vec()));
        assert_eq!(components(b"./").map(|v| v.len()), Some(0));
        assert_eq!(normalized(b"/./a//b/"), b"a/b");
    }
}
