//! The TCMU shared-memory layout (`include/uapi/linux/target_core_user.h`, mailbox version
//! 2): the mailbox at offset 0 of the UIO map, the command ring entries and the TMR entry.
//!
//! The structs mirror the C declarations field by field (`#[repr(C)]`; the kernel's
//! `__packed` changes nothing but the mailbox's explicit cache-line padding and the TMR
//! entry, which are written out here). The ring code never casts map memory to these types:
//! it reads and writes the fields at the offsets below, computed from the structs with
//! `offset_of!`, and a test checks every size and offset against the C header.

use std::mem::{offset_of, size_of};

/// Mailbox version this code understands (`TCMU_MAILBOX_VERSION`).
pub const MAILBOX_VERSION: u16 = 2;
/// Mailbox flag: out-of-order completions allowed (`TCMU_MAILBOX_FLAG_CAP_OOOC`).
pub const MAILBOX_FLAG_CAP_OOOC: u16 = 1 << 0;
/// Mailbox flag: the kernel honours `rsp.read_len` (`TCMU_MAILBOX_FLAG_CAP_READ_LEN`).
pub const MAILBOX_FLAG_CAP_READ_LEN: u16 = 1 << 1;
/// Mailbox flag: TMR notifications are queued (`TCMU_MAILBOX_FLAG_CAP_TMR`).
pub const MAILBOX_FLAG_CAP_TMR: u16 = 1 << 2;
/// Mailbox flag: userspace may keep data buffers (`TCMU_MAILBOX_FLAG_CAP_KEEP_BUF`).
pub const MAILBOX_FLAG_CAP_KEEP_BUF: u16 = 1 << 3;

/// Entry opcode: padding up to the end of the ring, skip it (`TCMU_OP_PAD`).
pub const OP_PAD: u32 = 0;
/// Entry opcode: a SCSI command (`TCMU_OP_CMD`).
pub const OP_CMD: u32 = 1;
/// Entry opcode: a task management notification (`TCMU_OP_TMR`).
pub const OP_TMR: u32 = 2;
/// Low bits of `len_op` holding the opcode (`TCMU_OP_MASK`); the rest is the length.
pub const OP_MASK: u32 = 0x7;

/// `hdr.uflags`: userspace does not know the command (`TCMU_UFLAG_UNKNOWN_OP`).
pub const UFLAG_UNKNOWN_OP: u8 = 0x1;
/// `hdr.uflags`: `rsp.read_len` is valid (`TCMU_UFLAG_READ_LEN`).
pub const UFLAG_READ_LEN: u8 = 0x2;
/// `hdr.uflags`: keep the data buffer after completion (`TCMU_UFLAG_KEEP_BUF`).
pub const UFLAG_KEEP_BUF: u8 = 0x4;

/// Size of `rsp.sense_buffer` (`TCMU_SENSE_BUFFERSIZE`).
pub const SENSE_BUFFERSIZE: usize = 96;

/// `struct tcmu_mailbox`: the kernel writes everything but `cmd_tail`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct Mailbox {
    /// Mailbox version ([`MAILBOX_VERSION`]).
    pub version: u16,
    /// `MAILBOX_FLAG_CAP_*` bits.
    pub flags: u16,
    /// Offset of the command ring from the start of the map.
    pub cmdr_off: u32,
    /// Size of the command ring in bytes.
    pub cmdr_size: u32,
    /// Where the kernel will put the next entry (offset into the ring).
    pub cmd_head: u32,
    /// Padding: `cmd_tail` sits on its own 64-byte cache line.
    pub pad_head: [u8; 48],
    /// First entry userspace has not completed (offset into the ring), written by userspace.
    pub cmd_tail: u32,
    /// Padding to the end of the cache line.
    pub pad_tail: [u8; 60],
}

/// `struct tcmu_cmd_entry_hdr`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct EntryHdr {
    /// Entry length (multiple of 8) | opcode.
    pub len_op: u32,
    /// Command id (the kernel's, echoed back untouched).
    pub cmd_id: u16,
    /// Flags set by the kernel.
    pub kflags: u8,
    /// Flags set by userspace (`UFLAG_*`).
    pub uflags: u8,
}

/// `struct iovec` as the kernel fills it in: `iov_base` is an offset into the map.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct Iovec {
    /// Offset of the buffer from the start of the map.
    pub iov_base: u64,
    /// Length of the buffer.
    pub iov_len: u64,
}

/// The `req` member of `struct tcmu_cmd_entry`; the iovecs follow it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct CmdReq {
    /// Number of data iovecs.
    pub iov_cnt: u32,
    /// Number of bidirectional (data-in) iovecs after them.
    pub iov_bidi_cnt: u32,
    /// Number of protection-information iovecs after those.
    pub iov_dif_cnt: u32,
    /// Offset of the CDB from the start of the map.
    pub cdb_off: u64,
    /// Reserved.
    pub pad1: u64,
    /// Reserved.
    pub pad2: u64,
}

/// The `rsp` member of `struct tcmu_cmd_entry`, written over `req` on completion.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct CmdRsp {
    /// SAM status byte.
    pub scsi_status: u8,
    /// Reserved.
    pub pad1: u8,
    /// Reserved.
    pub pad2: u16,
    /// Bytes of data-in actually returned (valid with [`UFLAG_READ_LEN`]).
    pub read_len: u32,
    /// Sense data (fixed format) for CHECK CONDITION.
    pub sense_buffer: [u8; SENSE_BUFFERSIZE],
}

/// The request/response union of `struct tcmu_cmd_entry`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union CmdBody {
    /// As the kernel wrote it.
    pub req: CmdReq,
    /// As userspace completes it.
    pub rsp: CmdRsp,
}

/// `struct tcmu_cmd_entry` (without the trailing iovec array).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CmdEntry {
    /// Header.
    pub hdr: EntryHdr,
    /// Request or response.
    pub body: CmdBody,
}

/// `struct tcmu_tmr_entry` (without the trailing `cmd_ids` array).
#[repr(C, packed)]
#[derive(Debug, Clone, Copy)]
pub struct TmrEntry {
    /// Header.
    pub hdr: EntryHdr,
    /// `TCMU_TMR_*` type.
    pub tmr_type: u8,
    /// Reserved.
    pub pad1: u8,
    /// Reserved.
    pub pad2: u16,
    /// Number of command ids that follow.
    pub cmd_cnt: u32,
    /// Reserved.
    pub pad3: u64,
    /// Reserved.
    pub pad4: u64,
}

/// Mailbox field offsets.
pub mod mb {
    use super::*;
    /// `version`.
    pub const VERSION: usize = offset_of!(Mailbox, version);
    /// `flags`.
    pub const FLAGS: usize = offset_of!(Mailbox, flags);
    /// `cmdr_off`.
    pub const CMDR_OFF: usize = offset_of!(Mailbox, cmdr_off);
    /// `cmdr_size`.
    pub const CMDR_SIZE: usize = offset_of!(Mailbox, cmdr_size);
    /// `cmd_head`.
    pub const CMD_HEAD: usize = offset_of!(Mailbox, cmd_head);
    /// `cmd_tail`.
    pub const CMD_TAIL: usize = offset_of!(Mailbox, cmd_tail);
    /// `sizeof(struct tcmu_mailbox)`.
    pub const SIZE: usize = size_of::<Mailbox>();
}

/// Command entry field offsets (from the start of the entry).
pub mod entry {
    use super::*;
    const BODY: usize = offset_of!(CmdEntry, body);
    /// `hdr.len_op`.
    pub const LEN_OP: usize = offset_of!(EntryHdr, len_op);
    /// `hdr.cmd_id`.
    pub const CMD_ID: usize = offset_of!(EntryHdr, cmd_id);
    /// `hdr.uflags`.
    pub const UFLAGS: usize = offset_of!(EntryHdr, uflags);
    /// `req.iov_cnt`.
    pub const IOV_CNT: usize = BODY + offset_of!(CmdReq, iov_cnt);
    /// `req.iov_bidi_cnt`.
    pub const IOV_BIDI_CNT: usize = BODY + offset_of!(CmdReq, iov_bidi_cnt);
    /// `req.iov_dif_cnt`.
    pub const IOV_DIF_CNT: usize = BODY + offset_of!(CmdReq, iov_dif_cnt);
    /// `req.cdb_off`.
    pub const CDB_OFF: usize = BODY + offset_of!(CmdReq, cdb_off);
    /// `req.iov[0]`.
    pub const IOV: usize = BODY + size_of::<CmdReq>();
    /// `rsp.scsi_status` (start of the response).
    pub const RSP: usize = BODY + offset_of!(CmdRsp, scsi_status);
    /// `rsp.read_len`.
    pub const READ_LEN: usize = BODY + offset_of!(CmdRsp, read_len);
    /// `rsp.sense_buffer`.
    pub const SENSE: usize = BODY + offset_of!(CmdRsp, sense_buffer);
    /// `sizeof(struct tcmu_cmd_entry)`: the smallest command entry.
    pub const SIZE: usize = size_of::<CmdEntry>();
    /// `sizeof(struct tcmu_cmd_entry_hdr)`.
    pub const HDR_SIZE: usize = size_of::<EntryHdr>();
    /// `sizeof(struct iovec)`.
    pub const IOVEC_SIZE: usize = size_of::<Iovec>();
    /// `sizeof(struct tcmu_tmr_entry)`.
    pub const TMR_SIZE: usize = size_of::<TmrEntry>();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    const HEADER: &str = "/usr/include/linux/target_core_user.h";

    /// Compiles a C probe against the system's kernel header and compares every size and
    /// offset the ring code uses.
    #[test]
    fn layout_matches_kernel_header() {
        if !std::path::Path::new(HEADER).exists() {
            assert!(
                std::env::var_os("CI").is_none(),
                "{HEADER} missing (install linux-libc-dev)"
            );
            eprintln!("skipping: {HEADER} not found (install linux-libc-dev)");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("probe.c");
        let exe = dir.path().join("probe");
        std::fs::write(
            &src,
            r#"#include <stdio.h>
#include <stddef.h>
#include <linux/target_core_user.h>
#define P(n, v) printf("%s %zu\n", n, (size_t)(v))
int main(void) {
  P("mb.size", sizeof(struct tcmu_mailbox));
  P("mb.version", offsetof(struct tcmu_mailbox, version));
  P("mb.flags", offsetof(struct tcmu_mailbox, flags));
  P("mb.cmdr_off", offsetof(struct tcmu_mailbox, cmdr_off));
  P("mb.cmdr_size", offsetof(struct tcmu_mailbox, cmdr_size));
  P("mb.cmd_head", offsetof(struct tcmu_mailbox, cmd_head));
  P("mb.cmd_tail", offsetof(struct tcmu_mailbox, cmd_tail));
  P("hdr.size", sizeof(struct tcmu_cmd_entry_hdr));
  P("hdr.len_op", offsetof(struct tcmu_cmd_entry_hdr, len_op));
  P("hdr.cmd_id", offsetof(struct tcmu_cmd_entry_hdr, cmd_id));
  P("hdr.uflags", offsetof(struct tcmu_cmd_entry_hdr, uflags));
  P("entry.size", sizeof(struct tcmu_cmd_entry));
  P("req.iov_cnt", offsetof(struct tcmu_cmd_entry, req.iov_cnt));
  P("req.iov_bidi_cnt", offsetof(struct tcmu_cmd_entry, req.iov_bidi_cnt));
  P("req.iov_dif_cnt", offsetof(struct tcmu_cmd_entry, req.iov_dif_cnt));
  P("req.cdb_off", offsetof(struct tcmu_cmd_entry, req.cdb_off));
  P("req.iov", offsetof(struct tcmu_cmd_entry, req.iov));
  P("rsp.scsi_status", offsetof(struct tcmu_cmd_entry, rsp.scsi_status));
  P("rsp.read_len", offsetof(struct tcmu_cmd_entry, rsp.read_len));
  P("rsp.sense_buffer", offsetof(struct tcmu_cmd_entry, rsp.sense_buffer));
  P("iovec.size", sizeof(struct iovec));
  P("tmr.size", sizeof(struct tcmu_tmr_entry));
  P("sense.size", TCMU_SENSE_BUFFERSIZE);
  P("mb.version_value", TCMU_MAILBOX_VERSION);
  P("flag.oooc", TCMU_MAILBOX_FLAG_CAP_OOOC);
  P("flag.read_len", TCMU_MAILBOX_FLAG_CAP_READ_LEN);
  P("flag.tmr", TCMU_MAILBOX_FLAG_CAP_TMR);
  P("flag.keep_buf", TCMU_MAILBOX_FLAG_CAP_KEEP_BUF);
  P("op.pad", TCMU_OP_PAD);
  P("op.cmd", TCMU_OP_CMD);
  P("op.tmr", TCMU_OP_TMR);
  P("op.mask", TCMU_OP_MASK);
  P("uflag.unknown_op", TCMU_UFLAG_UNKNOWN_OP);
  P("uflag.read_len", TCMU_UFLAG_READ_LEN);
  P("uflag.keep_buf", TCMU_UFLAG_KEEP_BUF);
  return 0;
}
"#,
        )
        .unwrap();
        let cc = Command::new("cc").arg(&src).arg("-o").arg(&exe).status();
        match cc {
            Ok(s) if s.success() => {}
            other => {
                assert!(std::env::var_os("CI").is_none(), "cc failed: {other:?}");
                eprintln!("skipping: no working C compiler ({other:?})");
                return;
            }
        }
        let out = Command::new(&exe).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let c: std::collections::HashMap<&str, usize> = text
            .lines()
            .filter_map(|l| l.split_once(' '))
            .map(|(k, v)| (k, v.parse().unwrap()))
            .collect();
        let ours: &[(&str, usize)] = &[
            ("mb.size", mb::SIZE),
            ("mb.version", mb::VERSION),
            ("mb.flags", mb::FLAGS),
            ("mb.cmdr_off", mb::CMDR_OFF),
            ("mb.cmdr_size", mb::CMDR_SIZE),
            ("mb.cmd_head", mb::CMD_HEAD),
            ("mb.cmd_tail", mb::CMD_TAIL),
            ("hdr.size", entry::HDR_SIZE),
            ("hdr.len_op", entry::LEN_OP),
            ("hdr.cmd_id", entry::CMD_ID),
            ("hdr.uflags", entry::UFLAGS),
            ("entry.size", entry::SIZE),
            ("req.iov_cnt", entry::IOV_CNT),
            ("req.iov_bidi_cnt", entry::IOV_BIDI_CNT),
            ("req.iov_dif_cnt", entry::IOV_DIF_CNT),
            ("req.cdb_off", entry::CDB_OFF),
            ("req.iov", entry::IOV),
            ("rsp.scsi_status", entry::RSP),
            ("rsp.read_len", entry::READ_LEN),
            ("rsp.sense_buffer", entry::SENSE),
            ("iovec.size", entry::IOVEC_SIZE),
            ("tmr.size", entry::TMR_SIZE),
            ("sense.size", SENSE_BUFFERSIZE),
            ("mb.version_value", usize::from(MAILBOX_VERSION)),
            ("flag.oooc", usize::from(MAILBOX_FLAG_CAP_OOOC)),
            ("flag.read_len", usize::from(MAILBOX_FLAG_CAP_READ_LEN)),
            ("flag.tmr", usize::from(MAILBOX_FLAG_CAP_TMR)),
            ("flag.keep_buf", usize::from(MAILBOX_FLAG_CAP_KEEP_BUF)),
            ("op.pad", OP_PAD as usize),
            ("op.cmd", OP_CMD as usize),
            ("op.tmr", OP_TMR as usize),
            ("op.mask", OP_MASK as usize),
            ("uflag.unknown_op", usize::from(UFLAG_UNKNOWN_OP)),
            ("uflag.read_len", usize::from(UFLAG_READ_LEN)),
            ("uflag.keep_buf", usize::from(UFLAG_KEEP_BUF)),
        ];
        for (name, value) in ours {
            assert_eq!(c.get(name), Some(value), "{name}");
        }
    }
}
