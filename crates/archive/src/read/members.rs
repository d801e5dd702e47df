//! Header decoding (GNU tar 1.34 `list.c`, `read_header`): the `'L'`/`'K'` long names and
//! pax `'x'`/`'g'` headers that precede a member, and the member's own header (GNU, ustar,
//! old-GNU or V7) with those applied, into the reader's current [`EntryInfo`].

use std::io::Read;

use super::header::{self, Block, BLOCK};
use super::pax::{self, Overrides};
use super::{padding, ReadError, Reader, MAX_LONG_NAME, MAX_PAX_HEADER};
use crate::info::{EntryInfo, EntryKind};

const TYPE_REGULAR: u8 = b'0';
const TYPE_OLD_REGULAR: u8 = 0;
const TYPE_HARD_LINK: u8 = b'1';
const TYPE_SYMLINK: u8 = b'2';
const TYPE_CHAR: u8 = b'3';
const TYPE_BLOCK: u8 = b'4';
const TYPE_DIRECTORY: u8 = b'5';
const TYPE_FIFO: u8 = b'6';
const TYPE_CONTIGUOUS: u8 = b'7';
const TYPE_PAX: u8 = b'x';
const TYPE_PAX_SOLARIS: u8 = b'X';
const TYPE_PAX_GLOBAL: u8 = b'g';
const TYPE_LONG_NAME: u8 = b'L';
const TYPE_LONG_LINK: u8 = b'K';
const TYPE_VOLUME_LABEL: u8 = b'V';

/// Header blocks that precede a member: GNU long names and pax headers.
#[derive(Default)]
struct Pending {
    first_block: Option<u64>,
    long_name: Option<Vec<u8>>,
    long_link: Option<Vec<u8>>,
    /// Blocks taken by `'L'`/`'K'` entries (GNU `-R` subtracts them, not pax headers).
    gnu_blocks: u64,
    local: Overrides,
    what: Option<&'static str>,
}

impl<R: Read> Reader<R> {
    /// Reads headers up to the next member; `false` at the end of the archive.
    pub(super) fn read_header(&mut self) -> Result<bool, ReadError> {
        self.skip_pending()?;
        let mut pre = Pending::default();
        loop {
            let block_no = self.block_no();
            let Some(block) = self.next_block()? else {
                return Err(match pre.what {
                    Some(what) => ReadError::Orphan {
                        block: pre.first_block.unwrap_or(block_no),
                        what,
                    },
                    None => ReadError::MissingEnd { block: block_no },
                });
            };
            if header::is_zero_block(&block) {
                self.end_block = Some(block_no);
                return Ok(false);
            }
            header::check_checksum(&block, block_no)?;
            let typeflag = block.get(header::TYPEFLAG).copied().unwrap_or(0);
            match typeflag {
                TYPE_LONG_NAME | TYPE_LONG_LINK | TYPE_PAX | TYPE_PAX_SOLARIS | TYPE_PAX_GLOBAL => {
                    if self.meta_entry(&block, block_no, typeflag, &mut pre)? {
                        return Ok(true);
                    }
                }
                TYPE_VOLUME_LABEL => {
                    self.member(&block, block_no, typeflag, pre)?;
                    self.label = Some(self.current.name.clone());
                    return Ok(true);
                }
                _ => {
                    self.member(&block, block_no, typeflag, pre)?;
                    return Ok(true);
                }
            }
        }
    }

    /// Handles an `'L'`, `'K'`, `'x'` or `'g'` entry; `true` when it produced a label entry.
    fn meta_entry(
        &mut self,
        block: &Block,
        block_no: u64,
        typeflag: u8,
        pre: &mut Pending,
    ) -> Result<bool, ReadError> {
        let size = header::unsigned(block, header::SIZE, block_no, "size")?;
        let what = match typeflag {
            TYPE_LONG_NAME => "long name",
            TYPE_LONG_LINK => "long link name",
            _ => "pax header",
        };
        let limit = if what == "pax header" {
            MAX_PAX_HEADER
        } else {
            MAX_LONG_NAME
        };
        let data = self.meta_data(size, limit, what)?;
        if typeflag == TYPE_LONG_NAME || typeflag == TYPE_LONG_LINK {
            let blocks = 1 + size.div_ceil(BLOCK as u64);
            pre.gnu_blocks += blocks;
            let text = header::c_str(&data).to_vec();
            if typeflag == TYPE_LONG_NAME {
                pre.long_name = Some(text);
            } else {
                pre.long_link = Some(text);
            }
        } else if typeflag == TYPE_PAX_GLOBAL {
            let mut g = Overrides::default();
            pax::parse(&data, &mut g).map_err(|reason| ReadError::BadPaxHeader {
                block: block_no,
                reason,
            })?;
            self.globals.merge_from(&g);
            if let Some(label) = g.label {
                // GNU tar lists it as a 'V' header with the 'g' header's mtime, 0/0, block 0.
                let mtime = header::mtime(block, block_no)?;
                self.current = EntryInfo::label(label.clone(), mtime, block_no);
                self.label = Some(label);
                self.list_block = 0;
                self.header_block = block_no;
                self.data_left = 0;
                self.pending = 0;
                return Ok(true);
            }
            return Ok(false);
        } else {
            pax::parse(&data, &mut pre.local).map_err(|reason| ReadError::BadPaxHeader {
                block: block_no,
                reason,
            })?;
        }
        pre.first_block.get_or_insert(block_no);
        pre.what = Some(what);
        Ok(false)
    }

    /// Decodes a member header (or a `'V'` label) into `self.current`.
    fn member(
        &mut self,
        block: &Block,
        block_no: u64,
        typeflag: u8,
        pre: Pending,
    ) -> Result<(), ReadError> {
        let mut x = self.globals.clone();
        x.label = None;
        x.merge_from(&pre.local);
        let name = x
            .path
            .or(pre.long_name)
            .unwrap_or_else(|| header::name(block));
        let size = match x.size {
            Some(s) => s,
            None => header::unsigned(block, header::SIZE, block_no, "size")?,
        };
        let mode = header::unsigned(block, header::MODE, block_no, "mode")?;
        let mode = u32::try_from(mode & 0o7777).unwrap_or(0);
        let uid = match x.uid {
            Some(v) => v,
            None => header::unsigned(block, header::UID, block_no, "uid")?,
        };
        let gid = match x.gid {
            Some(v) => v,
            None => header::unsigned(block, header::GID, block_no, "gid")?,
        };
        let mtime = match x.mtime {
            Some(v) => v,
            None => header::mtime(block, block_no)?,
        };
        let kind = match typeflag {
            TYPE_REGULAR | TYPE_OLD_REGULAR | TYPE_CONTIGUOUS if name.ends_with(b"/") => {
                EntryKind::Directory
            }
            TYPE_REGULAR | TYPE_OLD_REGULAR | TYPE_CONTIGUOUS => EntryKind::File,
            TYPE_HARD_LINK => EntryKind::HardLink,
            TYPE_SYMLINK => EntryKind::Symlink,
            TYPE_CHAR => EntryKind::CharDevice,
            TYPE_BLOCK => EntryKind::BlockDevice,
            TYPE_DIRECTORY => EntryKind::Directory,
            TYPE_FIFO => EntryKind::Fifo,
            TYPE_VOLUME_LABEL => EntryKind::Label,
            other => EntryKind::Other(other),
        };
        let link_target = match kind {
            EntryKind::HardLink | EntryKind::Symlink => {
                Some(x.linkpath.or(pre.long_link).unwrap_or_else(|| {
                    header::c_str(header::field(block, header::LINKNAME)).to_vec()
                }))
            }
            _ => None,
        };
        let device = match kind {
            EntryKind::CharDevice | EntryKind::BlockDevice => {
                let major = header::unsigned(block, header::DEVMAJOR, block_no, "devmajor")?;
                let minor = header::unsigned(block, header::DEVMINOR, block_no, "devminor")?;
                let bad = |field| ReadError::BadNumber {
                    block: block_no,
                    field,
                };
                Some((
                    u32::try_from(major).map_err(|_| bad("devmajor"))?,
                    u32::try_from(minor).map_err(|_| bad("devminor"))?,
                ))
            }
            _ => None,
        };
        let uname = x
            .uname
            .unwrap_or_else(|| header::c_str(header::field(block, header::UNAME)).to_vec());
        let gname = x
            .gname
            .unwrap_or_else(|| header::c_str(header::field(block, header::GNAME)).to_vec());
        // GNU tar skips no data for directories only (`skip_member`).
        let data = if typeflag == TYPE_DIRECTORY { 0 } else { size };
        self.pending = data
            .checked_add(padding(data))
            .ok_or(ReadError::BadNumber {
                block: block_no,
                field: "size",
            })?;
        self.data_left = data;
        self.list_block = block_no.saturating_sub(pre.gnu_blocks);
        self.header_block = block_no;
        self.current = EntryInfo {
            name,
            kind,
            mode,
            uid,
            gid,
            uname,
            gname,
            size,
            mtime,
            link_target,
            device,
            block: pre.first_block.unwrap_or(block_no),
        };
        Ok(())
    }
}
