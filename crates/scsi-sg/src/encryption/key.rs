//! Data encryption keys and stenc key files (`reference/stenc.md` §1.1-§1.2).
//!
//! A [`Key`] lives in zeroized memory, is wiped on drop and is never printed (its `Debug`
//! shows only the length). Key files hold the key as hex on line 1 and an optional
//! description (sent as the U-KAD) on line 2; files are written mode 0600 atomically, keys
//! are generated from the OS random source (never stenc 1.0.7's guessable `rand()`), and a
//! file readable by group or others yields a warning value or a refusal, never a print.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use zeroize::{Zeroize, Zeroizing};

/// Longest key accepted, in bytes (stenc 1.x took 1-32; AES-256 needs 32).
pub const MAX_KEY_BYTES: usize = 64;
/// Longest key accepted, in bits.
pub const MAX_KEY_BITS: usize = MAX_KEY_BYTES * 8;
/// Largest key file read (a key line plus a description are far smaller).
pub const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// A secret key: zeroized on drop, never shown.
#[derive(Clone, Default)]
pub struct Key(Zeroizing<Vec<u8>>);

impl Key {
    /// A key holding a copy of these bytes.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Key(Zeroizing::new(bytes.to_vec()))
    }
    /// A key taking ownership of this buffer (no copy left behind).
    pub fn from_vec(bytes: Vec<u8>) -> Self {
        Key(Zeroizing::new(bytes))
    }
    /// Decode hex digits (either case, no separators or `0x`); an odd count gets an
    /// implicit leading 0 as in stenc 2.x. Empty or over-long keys are refused.
    pub fn from_hex(hex: &str) -> Result<Self, KeyError> {
        let digits = hex.as_bytes();
        if digits.is_empty() {
            return Err(KeyError::Empty);
        }
        let n = digits.len().div_ceil(2);
        if n > MAX_KEY_BYTES {
            return Err(KeyError::TooLong {
                bytes: n,
                max: MAX_KEY_BYTES,
            });
        }
        let mut out = Zeroizing::new(Vec::with_capacity(n));
        let odd = digits.len() % 2;
        let mut acc = 0u8;
        for (i, &c) in digits.iter().enumerate() {
            let v = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return Err(KeyError::InvalidHex { position: i }),
            };
            acc = (acc << 4) | v;
            if (i + odd) % 2 == 1 {
                out.push(acc);
                acc = 0;
            }
        }
        Ok(Key(out))
    }
    /// A fresh key of `bits` bits from the OS random source (`getrandom`); `bits` must be a
    /// non-zero multiple of 8 up to [`MAX_KEY_BITS`].
    pub fn generate(bits: usize) -> Result<Self, KeyError> {
        if bits == 0 || bits % 8 != 0 || bits > MAX_KEY_BITS {
            return Err(KeyError::BadBits { bits });
        }
        let mut k = Zeroizing::new(vec![0u8; bits / 8]);
        getrandom::fill(&mut k).map_err(|e| KeyError::Rng(e.to_string()))?;
        Ok(Key(k))
    }
    /// The key bytes (handle with care: do not log).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// True for the empty key (what an "off" request carries).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Length in bits.
    pub fn bits(&self) -> usize {
        self.0.len() * 8
    }
    /// Lowercase hex, in zeroized memory.
    pub fn to_hex(&self) -> Zeroizing<String> {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = Zeroizing::new(String::with_capacity(self.0.len() * 2));
        for &b in self.0.iter() {
            for nib in [b >> 4, b & 0x0f] {
                s.push(char::from(
                    HEX.get(usize::from(nib)).copied().unwrap_or(b'0'),
                ));
            }
        }
        s
    }
    /// stenc 1.0.7's "Key checksum": Σ `key[i]` × (i + 1) over signed chars, as the bits of
    /// a C `int` (print with `{:x}`: keys with bytes ≥ 80h may show as `ffff....`).
    pub fn legacy_checksum(&self) -> u32 {
        self.0.iter().enumerate().fold(0i32, |acc, (i, &b)| {
            let w = i32::try_from(i + 1).unwrap_or(i32::MAX);
            acc.wrapping_add(i32::from(b as i8).wrapping_mul(w))
        }) as u32
    }
}

impl PartialEq for Key {
    /// Compares without an early exit on the first differing byte.
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(other.0.iter())
                .fold(0u8, |d, (a, b)| d | (a ^ b))
                == 0
    }
}
impl Eq for Key {}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key(<redacted>, {} bytes)", self.0.len())
    }
}

/// Why a key could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// A character that is not a hex digit (0-based position; the key itself is not shown).
    #[error("invalid hex digit at position {position}")]
    InvalidHex {
        /// Position of the character.
        position: usize,
    },
    /// No key digits.
    #[error("the key is empty")]
    Empty,
    /// More bytes than [`MAX_KEY_BYTES`].
    #[error("key of {bytes} bytes is longer than the maximum of {max}")]
    TooLong {
        /// Bytes the key would have.
        bytes: usize,
        /// The maximum.
        max: usize,
    },
    /// A size that is not a non-zero multiple of 8 up to [`MAX_KEY_BITS`].
    #[error("key size must be a non-zero multiple of 8 up to {MAX_KEY_BITS} bits, not {bits}")]
    BadBits {
        /// The size asked for.
        bits: usize,
    },
    /// The OS random source failed.
    #[error("random source failed: {0}")]
    Rng(String),
}

/// A parsed key file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFile {
    /// The key (line 1).
    pub key: Key,
    /// The description (line 2, without its newline), if present and non-empty.
    pub description: Option<String>,
}

/// Why a key file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// Opening, reading or writing failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// Line 1 is not a valid key.
    #[error("invalid key: {0}")]
    Key(#[from] KeyError),
    /// The file has no key line.
    #[error("no key found")]
    NoKeyLine,
    /// The description is not UTF-8.
    #[error("key description is not valid UTF-8")]
    DescriptionNotUtf8,
    /// A description to write contains a line break.
    #[error("key description must not contain a line break")]
    DescriptionHasNewline,
    /// The file is larger than [`MAX_KEY_FILE_BYTES`].
    #[error("key file of {bytes} bytes is too large")]
    TooLarge {
        /// Its size.
        bytes: u64,
    },
    /// Readable by group or others, and the policy is [`PermissionPolicy::Refuse`].
    #[error("key file '{}' is readable by group or others (mode {mode:04o})", path.display())]
    Permissions {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The file exists and overwriting was not asked for.
    #[error("'{}' already exists", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
}

/// Strip one trailing `\r` (files edited on Windows).
fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Parse a key file: line 1 the key in hex, line 2 (optional) its description; later lines
/// are ignored. Pure: never panics on any input.
pub fn parse_key_file(b: &[u8]) -> Result<KeyFile, KeyFileError> {
    let mut lines = b.split(|&c| c == b'\n');
    let first = strip_cr(lines.next().unwrap_or(&[]));
    if first.is_empty() {
        return Err(KeyFileError::NoKeyLine);
    }
    let hex = std::str::from_utf8(first).map_err(|e| KeyError::InvalidHex {
        position: e.valid_up_to(),
    })?;
    let key = Key::from_hex(hex)?;
    let description = match lines.next().map(strip_cr) {
        None | Some([]) => None,
        Some(d) => Some(
            std::str::from_utf8(d)
                .map_err(|_| KeyFileError::DescriptionNotUtf8)?
                .to_string(),
        ),
    };
    Ok(KeyFile { key, description })
}

/// What to do with a key file that group or others can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermissionPolicy {
    /// Load it and return a [`PermissionWarning`].
    Warn,
    /// Refuse with [`KeyFileError::Permissions`].
    Refuse,
}

/// A key file was readable by group or others (returned, never printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionWarning {
    /// The file.
    pub path: PathBuf,
    /// Its permission bits.
    pub mode: u32,
}

impl fmt::Display for PermissionWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "key file '{}' is readable by group or others (mode {:04o})",
            self.path.display(),
            self.mode
        )
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> KeyFileError + '_ {
    move |source| KeyFileError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Read and parse a key file, checking its permissions first (the text read is zeroized).
pub fn load_key_file(
    path: &Path,
    policy: PermissionPolicy,
) -> Result<(KeyFile, Option<PermissionWarning>), KeyFileError> {
    let file = File::open(path).map_err(io_err(path))?;
    let meta = file.metadata().map_err(io_err(path))?;
    let mode = meta.mode() & 0o7777;
    let warning = if mode & 0o044 != 0 {
        if policy == PermissionPolicy::Refuse {
            return Err(KeyFileError::Permissions {
                path: path.to_path_buf(),
                mode,
            });
        }
        Some(PermissionWarning {
            path: path.to_path_buf(),
            mode,
        })
    } else {
        None
    };
    if meta.len() > MAX_KEY_FILE_BYTES {
        return Err(KeyFileError::TooLarge { bytes: meta.len() });
    }
    let cap = usize::try_from(MAX_KEY_FILE_BYTES).unwrap_or(usize::MAX);
    // Reserve once so that reading never reallocates (and leaves no unwiped copy behind).
    let mut text = Zeroizing::new(Vec::with_capacity(cap + 1));
    file.take(MAX_KEY_FILE_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(io_err(path))?;
    if text.len() > cap {
        return Err(KeyFileError::TooLarge {
            bytes: text.len() as u64,
        });
    }
    Ok((parse_key_file(&text)?, warning))
}

/// Write a key file (`hex\n` + description without a trailing newline, as stenc `-g`
/// writes it) with mode 0600. The content goes to a new temporary file in the same
/// directory (O_CREAT|O_EXCL, 0600), is synced, then linked into place: without
/// `overwrite` an existing file is never touched (`Exists`); with it, it is replaced
/// atomically by rename.
pub fn write_key_file(
    path: &Path,
    key: &Key,
    description: Option<&str>,
    overwrite: bool,
) -> Result<(), KeyFileError> {
    if description.is_some_and(|d| d.contains(['\n', '\r'])) {
        return Err(KeyFileError::DescriptionHasNewline);
    }
    if key.is_empty() {
        return Err(KeyError::Empty.into());
    }
    if !overwrite && fs::symlink_metadata(path).is_ok() {
        return Err(KeyFileError::Exists {
            path: path.to_path_buf(),
        });
    }
    let hex = key.to_hex();
    let desc = description.unwrap_or("");
    // Sized once: growing a String would leave unwiped copies of the key behind.
    let mut text = Zeroizing::new(String::with_capacity(hex.len() + 1 + desc.len()));
    text.push_str(&hex);
    text.push('\n');
    text.push_str(desc);
    let result = write_secret_file(path, text.as_bytes(), overwrite).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => KeyFileError::Exists {
            path: path.to_path_buf(),
        },
        _ => KeyFileError::Io {
            path: path.to_path_buf(),
            source: e,
        },
    });
    text.zeroize();
    result
}

/// Write secret bytes (a key file, a drive's key store) to `path` with mode 0600, atomically:
/// the bytes go to a new temporary file beside it (O_CREAT|O_EXCL, 0600, never following or
/// reusing an existing file), are synced, then linked into place. Without `overwrite` an
/// existing `path` is never touched (`AlreadyExists`); with it, it is replaced by rename. The
/// directory is synced so the rename or link survives a crash. The caller keeps and wipes
/// `bytes`; nothing here copies them.
pub fn write_secret_file(path: &Path, bytes: &[u8], overwrite: bool) -> io::Result<()> {
    let tmp = temp_path(path);
    let result = write_temp(&tmp, bytes).and_then(|()| {
        if overwrite {
            fs::rename(&tmp, path)
        } else {
            let linked = fs::hard_link(&tmp, path);
            let _ = fs::remove_file(&tmp);
            linked
        }
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.and_then(|()| sync_parent(path))
}

/// A temporary name beside `path`, unique per process and call.
fn temp_path(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

fn write_temp(tmp: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(tmp)?;
    // The umask cannot widen 0600, but an inherited ACL default might: set it explicitly.
    f.set_permissions(fs::Permissions::from_mode(0o600))?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Syncs the directory holding `path`, making a rename or link in it durable.
fn sync_parent(path: &Path) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    fs::File::open(dir)?.sync_all()
}
