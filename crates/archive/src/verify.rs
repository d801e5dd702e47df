//! Verifying an archive against a `sha256sum` manifest (the read-back step of
//! `reference/tar-format.md` §11): every regular file member is re-hashed from the archive
//! and compared with the manifest, like `tar -xOf ARCHIVE NAME | sha256sum` for each name.
//!
//! Hard links carry no data; when the manifest lists a hard link's name (as `sha256sum` run
//! over the original tree would), it is checked against the digest of the member it links
//! to. Labels, directories, symlinks and special files are not hashed.

use std::collections::{HashMap, HashSet};
use std::io::{self, Read};

use sha2::{Digest, Sha256};

use crate::info::EntryKind;
use crate::manifest::{Manifest, DIGEST_LEN};
use crate::read::{ReadError, Reader};

/// Size of the buffer data is hashed through.
const CHUNK: usize = 1 << 20;

/// A name with the digest the manifest lists and the digest the archive gave.
pub type Mismatch = (Vec<u8>, [u8; DIGEST_LEN], [u8; DIGEST_LEN]);

/// Outcome of [`verify`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Members whose digest was compared with the manifest (matching or not).
    pub checked: u64,
    /// Members whose data hash differs from the manifest: (name, expected, actual).
    pub mismatched: Vec<Mismatch>,
    /// Manifest names no file or hard link member of the archive has.
    pub missing_from_archive: Vec<Vec<u8>>,
    /// Regular file members the manifest does not list.
    pub not_in_manifest: Vec<Vec<u8>>,
}

impl VerifyReport {
    /// Whether every manifest entry was found in the archive with the same digest and every
    /// file of the archive is in the manifest.
    pub fn ok(&self) -> bool {
        self.mismatched.is_empty()
            && self.missing_from_archive.is_empty()
            && self.not_in_manifest.is_empty()
    }
}

/// Why verification could not be completed.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The archive could not be read or parsed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Reading a member's data failed.
    #[error("reading data of {name}: {source}", name = String::from_utf8_lossy(.name))]
    Data {
        /// The member.
        name: Vec<u8>,
        /// The cause.
        source: io::Error,
    },
}

/// Re-hashes every regular file member of the archive and compares with `manifest`.
///
/// Reads the archive to its end. A data mismatch is reported, not an error; an unreadable
/// or corrupt archive is an error.
pub fn verify<R: Read>(
    reader: &mut Reader<R>,
    manifest: &Manifest,
) -> Result<VerifyReport, VerifyError> {
    let mut report = VerifyReport::default();
    let mut seen: HashSet<Vec<u8>> = HashSet::new();
    // Digests of file members by name, for hard links that point at them.
    let mut digests: HashMap<Vec<u8>, [u8; DIGEST_LEN]> = HashMap::new();
    let mut buf = vec![0u8; CHUNK];
    while let Some(mut entry) = reader.next_entry()? {
        let info = entry.info().clone();
        let actual = match info.kind {
            EntryKind::File => {
                let digest = hash(&mut entry, &mut buf).map_err(|source| VerifyError::Data {
                    name: info.name.clone(),
                    source,
                })?;
                digests.insert(info.name.clone(), digest);
                if manifest.get(&info.name).is_none() {
                    report.not_in_manifest.push(info.name.clone());
                }
                Some(digest)
            }
            EntryKind::HardLink => {
                let target = info.link_target.as_deref().unwrap_or_default();
                let digest = digests.get(target).copied();
                if let Some(d) = digest {
                    digests.insert(info.name.clone(), d);
                }
                digest
            }
            _ => None,
        };
        let Some(expected) = manifest.get(&info.name) else {
            continue;
        };
        if info.kind != EntryKind::File && info.kind != EntryKind::HardLink {
            continue;
        }
        seen.insert(info.name.clone());
        report.checked += 1;
        // A hard link to a member that is not a file has no data: it cannot match.
        let actual = actual.unwrap_or([0; DIGEST_LEN]);
        if actual != *expected {
            report.mismatched.push((info.name, *expected, actual));
        }
    }
    report.missing_from_archive = manifest
        .iter()
        .filter(|(n, _)| !seen.contains(*n))
        .map(|(n, _)| n.to_vec())
        .collect();
    Ok(report)
}

fn hash(src: &mut impl Read, buf: &mut [u8]) -> io::Result<[u8; DIGEST_LEN]> {
    let mut h = Sha256::new();
    loop {
        match src.read(buf) {
            Ok(0) => return Ok(h.finalize().into()),
            Ok(n) => h.update(buf.get(..n).unwrap_or_default()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}
