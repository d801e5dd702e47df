//! What one archive member is, independent of whether it was just written ([`crate::Member`])
//! or read back ([`crate::read`]): the fields GNU tar's `-tv`/`-cvv` listing shows, plus the
//! member's position. Shared by the listing, manifest, index, verify and extract code.

/// Entry type of a member (the tar `typeflag`, plus GNU's label).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// Regular file (`'0'` or NUL).
    File,
    /// Hard link to an earlier member (`'1'`).
    HardLink,
    /// Symbolic link (`'2'`).
    Symlink,
    /// Character device (`'3'`).
    CharDevice,
    /// Block device (`'4'`).
    BlockDevice,
    /// Directory (`'5'`).
    Directory,
    /// FIFO (`'6'`).
    Fifo,
    /// GNU volume label (`'V'`), or a pax `GNU.volume.label`.
    Label,
    /// Any other type flag (contiguous file `'7'` is treated as [`EntryKind::File`]).
    Other(u8),
}

/// One member's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInfo {
    /// Name as stored (after GNU long names / pax `path` are applied); directories end in `/`.
    pub name: Vec<u8>,
    /// Entry type.
    pub kind: EntryKind,
    /// Permission and mode bits (the header's `mode` field, 12 bits used).
    pub mode: u32,
    /// Owner id.
    pub uid: u64,
    /// Group id.
    pub gid: u64,
    /// Owner name (may be empty: numeric owner).
    pub uname: Vec<u8>,
    /// Group name (may be empty).
    pub gname: Vec<u8>,
    /// Data size in bytes (0 for links, directories, labels).
    pub size: u64,
    /// Modification time, seconds since the epoch.
    pub mtime: i64,
    /// Target of a symlink or hard link.
    pub link_target: Option<Vec<u8>>,
    /// Device major/minor numbers of device nodes.
    pub device: Option<(u32, u32)>,
    /// 512-byte block number of the member's first header block from the start of the
    /// archive (GNU `-R` `block N:`).
    pub block: u64,
}

impl EntryInfo {
    /// A volume label as GNU tar lists it: kind [`EntryKind::Label`], mode 0, owner 0/0
    /// without names, no data, at `block`.
    pub(crate) fn label(name: Vec<u8>, mtime: i64, block: u64) -> EntryInfo {
        EntryInfo {
            name,
            kind: EntryKind::Label,
            mode: 0,
            uid: 0,
            gid: 0,
            uname: Vec::new(),
            gname: Vec::new(),
            size: 0,
            mtime,
            link_target: None,
            device: None,
            block,
        }
    }
}
