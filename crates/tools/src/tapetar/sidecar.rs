//! The outputs written beside the archive while it is created, each to its own sink and never
//! into the data stream (`reference/tar-format.md` §3, §11): the SHA-256 manifest
//! (`sha256sum -c` format), the listing (GNU `-cv` names or `-cvv` verbose lines, optionally
//! with `-R` block numbers, like `--index-file`), the member index, and `-v` on stderr.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use archive::index::{IndexEntry, IndexWriter};
use archive::listing::{Lister, Style};
use archive::{manifest, EntryInfo, Member, MemberKind};

use super::cli::ListingStyle;
use super::error::Failure;

/// The open side outputs of one `create`.
pub struct Sidecars {
    manifest: Option<(String, BufWriter<File>)>,
    listing: Option<(String, BufWriter<File>)>,
    index: Option<(String, IndexWriter<BufWriter<File>>)>,
    style: Style,
    block_numbers: bool,
    /// GNU tar's growing column widths, one listing each.
    file_lister: Lister,
    err_lister: Lister,
    /// `-v` level for stderr: 0 none, 1 names, 2 verbose.
    verbose: u8,
    /// Digests of file members by name, for hard links in the manifest.
    digests: HashMap<Vec<u8>, String>,
    /// Tape file number and first LBA of the archive, for the index.
    position: (Option<u64>, Option<u64>),
}

fn create(path: &Path) -> Result<(String, BufWriter<File>), Failure> {
    let name = path.display().to_string();
    let f = File::create(path).map_err(|e| Failure::fatal(format!("{name}: Cannot open: {e}")))?;
    Ok((name, BufWriter::new(f)))
}

fn write_failed(name: &str, e: &io::Error) -> Failure {
    Failure::fatal(format!("{name}: Cannot write: {e}"))
}

impl Sidecars {
    /// Creates (truncates) the files asked for, before anything is written to the archive.
    pub fn open(
        manifest: Option<&Path>,
        listing: Option<&Path>,
        index: Option<&Path>,
        style: ListingStyle,
        block_numbers: bool,
        verbose: u8,
        record_size: usize,
    ) -> Result<Sidecars, Failure> {
        let manifest = manifest.map(create).transpose()?;
        let listing = listing.map(create).transpose()?;
        let index = match index {
            Some(p) => {
                let (name, w) = create(p)?;
                let rs = u32::try_from(record_size)
                    .map_err(|_| Failure::fatal("record size too large for the index"))?;
                let iw = IndexWriter::new(w, rs).map_err(|e| write_failed(&name, &e))?;
                Some((name, iw))
            }
            None => None,
        };
        Ok(Sidecars {
            manifest,
            listing,
            index,
            style: match style {
                ListingStyle::Names => Style::Names,
                ListingStyle::Verbose => Style::Verbose,
            },
            block_numbers,
            file_lister: Lister::new(),
            err_lister: Lister::new(),
            verbose,
            digests: HashMap::new(),
            position: (None, None),
        })
    }

    /// Sets the tape position of the archive (tape file number, LBA of its first record).
    pub fn set_position(&mut self, tape_file: Option<u64>, first_lba: Option<u64>) {
        self.position = (tape_file, first_lba);
    }

    /// The label line of the listing (block 0).
    pub fn label(&mut self, info: &EntryInfo) -> Result<(), Failure> {
        self.list(info)
    }

    fn list(&mut self, info: &EntryInfo) -> Result<(), Failure> {
        if let Some((name, w)) = self.listing.as_mut() {
            self.file_lister
                .write(w, info, self.style, self.block_numbers)
                .map_err(|e| write_failed(name, &e))?;
        }
        if self.verbose > 0 {
            let style = if self.verbose > 1 {
                Style::Verbose
            } else {
                Style::Names
            };
            let mut err = io::stderr().lock();
            let _ = self
                .err_lister
                .write(&mut err, info, style, self.block_numbers);
        }
        Ok(())
    }

    /// One member: listing line, manifest line (files and hard links to files), index line.
    pub fn member(&mut self, m: &Member) -> Result<(), Failure> {
        self.list(&m.info())?;
        let digest = match m.kind {
            MemberKind::File => m.sha256_hex(),
            MemberKind::HardLink => m
                .link_target
                .as_ref()
                .and_then(|t| self.digests.get(t))
                .cloned(),
            _ => None,
        };
        if let Some(hex) = digest {
            if let Some((name, w)) = self.manifest.as_mut() {
                manifest::write_entry(w, &hex, &m.name).map_err(|e| write_failed(name, &e))?;
            }
            self.digests.insert(m.name.clone(), hex);
        }
        if let Some((name, w)) = self.index.as_mut() {
            let e = IndexEntry::from_member(m, self.position.0, self.position.1);
            w.write_entry(&e).map_err(|e| write_failed(name, &e))?;
        }
        Ok(())
    }

    /// Flushes and closes every file.
    pub fn finish(self) -> Result<(), Failure> {
        if let Some((name, mut w)) = self.manifest {
            w.flush().map_err(|e| write_failed(&name, &e))?;
        }
        if let Some((name, mut w)) = self.listing {
            w.flush().map_err(|e| write_failed(&name, &e))?;
        }
        if let Some((name, w)) = self.index {
            w.into_inner()
                .and_then(|mut b| b.flush())
                .map_err(|e| write_failed(&name, &e))?;
        }
        Ok(())
    }
}
