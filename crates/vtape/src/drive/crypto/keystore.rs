//! Where the drive keeps its data encryption parameters and key between processes: a 0600
//! sidecar file beside the medium, or nowhere (process memory only). See the parent module
//! for the policy.
//!
//! Sidecar layout (little-endian), version 1:
//!
//! | off | size | field |
//! |---|---|---|
//! | 0 | 4 | magic `TKDK` |
//! | 4 | 1 | version (1) |
//! | 5 | 1 | scope |
//! | 6 | 1 | CEEM |
//! | 7 | 1 | RDMC |
//! | 8 | 1 | flags: b0 CKOD |
//! | 9 | 1 | encryption mode |
//! | 10 | 1 | decryption mode |
//! | 11 | 1 | algorithm index |
//! | 12 | 1 | KAD format |
//! | 13 | 1 | key length k (0 or 32) |
//! | 14 | k | key |
//! | | 2 + u | U-KAD length, U-KAD |
//! | | 2 + a | A-KAD length, A-KAD |
//! | | 4 | CRC-32 of everything before |
//!
//! A missing, foreign or damaged file reads as "no parameters" (encryption off, no key).

use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::record::KEY_LEN;
use super::Params;

const MAGIC: &[u8; 4] = b"TKDK";
const VERSION: u8 = 1;
const FLAG_CKOD: u8 = 0x01;
/// Suffix appended to the medium path for the sidecar file.
pub const SIDECAR_SUFFIX: &str = ".drive-keys";
/// Largest sidecar accepted on read (the real one is < 200 bytes).
const MAX_FILE: u64 = 4096;

/// Where the drive keeps its encryption parameters and key between processes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStore {
    /// A mode-0600 file (normally `<medium path>.drive-keys`), removed when the key is
    /// cleared.
    File(PathBuf),
    /// Process memory only: gone when the process ends (a power cycle).
    Memory,
}

impl KeyStore {
    /// The default sidecar store of the medium at `medium`: `<medium>.drive-keys`.
    pub fn beside(medium: &Path) -> KeyStore {
        let mut name = medium.as_os_str().to_os_string();
        name.push(SIDECAR_SUFFIX);
        KeyStore::File(PathBuf::from(name))
    }

    /// Reads the kept parameters; `None` when there are none or they do not decode.
    pub(crate) fn load(&self) -> Option<Params> {
        let KeyStore::File(path) = self else {
            return None;
        };
        let file = std::fs::File::open(path).ok()?;
        // Reserve the cap once so read_to_end never reallocates (a reallocation would leave
        // an unwiped copy of the key in freed memory).
        let cap = usize::try_from(MAX_FILE).ok()?;
        let mut bytes = Zeroizing::new(Vec::with_capacity(cap + 1));
        file.take(MAX_FILE).read_to_end(&mut bytes).ok()?;
        decode(&bytes)
    }

    /// Keeps `params`: written to a new, uniquely named temporary file beside the sidecar
    /// (O_CREAT|O_EXCL, mode 0600), synced, renamed into place, and the directory synced so
    /// that the rename itself survives a crash.
    pub(crate) fn save(&self, params: &Params) -> std::io::Result<()> {
        let KeyStore::File(path) = self else {
            return Ok(());
        };
        let bytes = encode(params);
        scsi_sg::encryption::key::write_secret_file(path, &bytes, true)
    }

    /// Removes the kept parameters.
    pub(crate) fn clear(&self) -> std::io::Result<()> {
        match self {
            KeyStore::File(path) => remove_if_present(path),
            KeyStore::Memory => Ok(()),
        }
    }
}

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn put_kad(out: &mut Vec<u8>, kad: &[u8]) {
    let n = u16::try_from(kad.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(kad.get(..usize::from(n)).unwrap_or_default());
}

/// Encodes `p` as a version-1 sidecar file.
pub(crate) fn encode(p: &Params) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(64 + p.ukad.len() + p.akad.len()));
    out.extend_from_slice(MAGIC);
    let flags = if p.ckod { FLAG_CKOD } else { 0 };
    out.extend_from_slice(&[
        VERSION,
        p.scope,
        p.ceem,
        p.rdmc,
        flags,
        p.enc_mode,
        p.dec_mode,
        p.algorithm_index,
        p.kad_format,
    ]);
    match &p.key {
        Some(k) => {
            out.push(KEY_LEN as u8);
            out.extend_from_slice(k.as_slice());
        }
        None => out.push(0),
    }
    put_kad(&mut out, &p.ukad);
    put_kad(&mut out, &p.akad);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.bytes(1)?.first().copied()
    }
    fn kad(&mut self) -> Option<Vec<u8>> {
        let n = u16::from_le_bytes(self.bytes(2)?.try_into().ok()?);
        Some(self.bytes(usize::from(n))?.to_vec())
    }
}

/// Decodes a sidecar file (layout in the module doc); `None` unless it is a complete,
/// undamaged version-1 file. Never panics.
pub(crate) fn decode(bytes: &[u8]) -> Option<Params> {
    let body_len = bytes.len().checked_sub(4)?;
    let (body, crc) = (bytes.get(..body_len)?, bytes.get(body_len..)?);
    if crc32fast::hash(body).to_le_bytes().as_slice() != crc {
        return None;
    }
    let mut r = Reader(body);
    if r.bytes(4)? != MAGIC || r.u8()? != VERSION {
        return None;
    }
    let [scope, ceem, rdmc, flags, enc_mode, dec_mode, algorithm_index, kad_format, key_len] =
        r.bytes(9)?.try_into().ok()?;
    let key = match usize::from(key_len) {
        0 => None,
        KEY_LEN => {
            let mut k = Zeroizing::new([0u8; KEY_LEN]);
            k.copy_from_slice(r.bytes(KEY_LEN)?);
            Some(k)
        }
        _ => return None,
    };
    let ukad = r.kad()?;
    let akad = r.kad()?;
    if !r.0.is_empty() {
        return None;
    }
    Some(Params {
        scope,
        ceem,
        rdmc,
        ckod: flags & FLAG_CKOD != 0,
        enc_mode,
        dec_mode,
        algorithm_index,
        kad_format,
        key,
        ukad,
        akad,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn params() -> Params {
        Params {
            scope: 2,
            ceem: 1,
            rdmc: 3,
            ckod: true,
            enc_mode: 2,
            dec_mode: 3,
            algorithm_index: 1,
            kad_format: 2,
            key: Some(Zeroizing::new([0x5A; KEY_LEN])),
            ukad: b"key name".to_vec(),
            akad: b"a".to_vec(),
        }
    }

    #[test]
    fn round_trip_damage_and_mode() {
        let p = params();
        let b = encode(&p);
        assert_eq!(decode(&b), Some(p.clone()));
        for n in 0..b.len() {
            assert_eq!(decode(&b[..n]), None, "prefix {n}");
        }
        let mut bad = b.to_vec();
        bad[10] ^= 1;
        assert_eq!(decode(&bad), None);

        let dir = tempfile::tempdir().unwrap();
        let store = KeyStore::beside(&dir.path().join("t.vtape"));
        let KeyStore::File(path) = &store else {
            unreachable!()
        };
        assert!(path.ends_with("t.vtape.drive-keys"));
        assert_eq!(store.load(), None);
        store.save(&p).unwrap();
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(store.load(), Some(p));
        store.clear().unwrap();
        assert!(!path.exists());
        store.clear().unwrap();
        assert_eq!(KeyStore::Memory.load(), None);
    }

    #[test]
    fn save_replaces_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = KeyStore::beside(&dir.path().join("t.vtape"));
        let KeyStore::File(path) = &store else {
            unreachable!()
        };
        // A stale file with the old fixed temporary name is neither reused nor removed.
        let stale = dir.path().join("t.vtape.drive-keys.tmp");
        std::fs::write(&stale, b"stale").unwrap();
        let mut p = params();
        store.save(&p).unwrap();
        p.key = None;
        store.save(&p).unwrap();
        assert_eq!(store.load(), Some(p));
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [path.file_name().unwrap(), stale.file_name().unwrap()]
        );
    }
}
