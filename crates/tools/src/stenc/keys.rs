//! Getting the key for a set request (`reference/stenc.md` §1.2-§1.3): from a key file
//! (`-k file`, permissions checked), from standard input (`-k -`, stenc 2.0), or by
//! prompting twice with echo off (1.0.7 without `-k`). The key only ever lives in the
//! library's zeroized [`Key`]; the text read is zeroized too. Keys never come from argv or
//! the environment.

use std::io::{BufRead, Read};
use std::path::Path;

use scsi_sg::encryption::key::{
    load_key_file, parse_key_file, KeyFile, KeyFileError, PermissionPolicy, MAX_KEY_FILE_BYTES,
};
use scsi_sg::encryption::Key;
use zeroize::Zeroizing;

use super::cli::KeySource;

/// Why no key was obtained; the text is what follows `Error: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInputError(pub String);

/// A key and its description, plus a permission warning for stderr.
pub struct LoadedKey {
    /// The key and the description line.
    pub file: KeyFile,
    /// `Warning: ...` text when the key file is readable by group or others.
    pub warning: Option<String>,
}

fn invalid(name: &str) -> KeyInputError {
    KeyInputError(format!("Invalid key found in '{name}'"))
}

fn map_file_error(name: &str, e: KeyFileError) -> KeyInputError {
    match e {
        KeyFileError::Io { .. } => KeyInputError(format!("Could not open '{name}' for reading")),
        KeyFileError::Permissions { .. } => KeyInputError(format!(
            "{e}; refusing it (--strict-key-perms). Run: chmod 600 '{name}'"
        )),
        _ => invalid(name),
    }
}

/// Read a key file.
pub fn from_file(path: &str, strict: bool) -> Result<LoadedKey, KeyInputError> {
    let policy = if strict {
        PermissionPolicy::Refuse
    } else {
        PermissionPolicy::Warn
    };
    let (file, warning) =
        load_key_file(Path::new(path), policy).map_err(|e| map_file_error(path, e))?;
    Ok(LoadedKey {
        file,
        warning: warning.map(|w| format!("Warning: {w}; run: chmod 600 '{path}'\n")),
    })
}

/// Read a key file's content from `input` (`-k -`).
pub fn from_reader(input: &mut dyn Read) -> Result<LoadedKey, KeyInputError> {
    let cap = usize::try_from(MAX_KEY_FILE_BYTES).unwrap_or(usize::MAX);
    // Reserved once so that reading never reallocates and leaves no unwiped copy.
    let mut text = Zeroizing::new(Vec::with_capacity(cap + 1));
    input
        .take(MAX_KEY_FILE_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|_| KeyInputError("Could not read the key from standard input".into()))?;
    if text.len() > cap {
        return Err(invalid("-"));
    }
    let file = parse_key_file(&text).map_err(|_| invalid("-"))?;
    Ok(LoadedKey {
        file,
        warning: None,
    })
}

/// Read one line (without its newline) into zeroized memory; `None` at end of input.
fn read_secret_line(input: &mut dyn BufRead) -> Option<Zeroizing<String>> {
    let mut line = Zeroizing::new(String::with_capacity(1024));
    match input.read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => {
            let trimmed = Zeroizing::new(line.trim_end_matches(['\n', '\r']).to_string());
            Some(trimmed)
        }
    }
}

/// Prompt for the key twice (1.0.7's texts), then ask for confirmation. `echo` switches
/// terminal echo off/on around the secret lines (a no-op when input is not a terminal).
/// Gives up after three mismatches or at end of input (1.0.7 looped forever).
pub fn prompt(
    input: &mut dyn BufRead,
    out: &mut dyn std::io::Write,
    echo: &mut dyn FnMut(bool),
) -> Result<Key, KeyInputError> {
    let eof = || KeyInputError("No key given".into());
    for _ in 0..3 {
        let _ = write!(out, "Enter key in hex format: ");
        let _ = out.flush();
        echo(false);
        let first = read_secret_line(input);
        echo(true);
        let _ = writeln!(out);
        let first = first.ok_or_else(eof)?;
        let _ = write!(out, "Re-enter key in hex format: ");
        let _ = out.flush();
        echo(false);
        let second = read_secret_line(input);
        echo(true);
        let _ = writeln!(out);
        let second = second.ok_or_else(eof)?;
        if *first != *second {
            let _ = writeln!(out, "Keys do not match!!");
            continue;
        }
        let key = Key::from_hex(&first).map_err(|_| KeyInputError("Invalid key".into()))?;
        let _ = write!(out, "Set encryption using this key? [y/n]: ");
        let _ = out.flush();
        let answer = read_secret_line(input).ok_or_else(eof)?;
        return if answer.trim().eq_ignore_ascii_case("y") {
            Ok(key)
        } else {
            Err(KeyInputError("Key not accepted".into()))
        };
    }
    Err(KeyInputError("Keys do not match".into()))
}

/// Get the key for `source` (`Prompt` is handled by the caller, which owns the terminal).
pub fn load(
    source: &KeySource,
    strict: bool,
    input: &mut dyn BufRead,
) -> Result<Option<LoadedKey>, KeyInputError> {
    match source {
        KeySource::File(path) => from_file(path, strict).map(Some),
        KeySource::Stdin => from_reader(input).map(Some),
        KeySource::Prompt => Ok(None),
    }
}
