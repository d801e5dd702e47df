//! The TCMU command ring (`Documentation/target/tcmu-design.rst`, "The command ring"): take
//! each entry from `cmd_tail` to `cmd_head`, skip PAD and TMR entries, execute CMD entries on
//! the device and write the response over the request, then advance `cmd_tail` (modulo
//! `cmdr_size`) and notify the kernel by writing to the UIO fd.
//!
//! TCMU does not tell the data direction; it comes from the device's command table
//! ([`Device::direction`]): data-out is gathered from the iovecs (offsets into the map)
//! before the command runs, data-in is scattered into them afterwards and reported in
//! `rsp.read_len` (with `TCMU_UFLAG_READ_LEN`, when the mailbox offers it), so the kernel sets
//! the residual. Sense data are cut to the 96 bytes of `rsp.sense_buffer`.
//!
//! The processing works on any [`SharedMap`], so tests drive it with a ring built in a
//! byte vector.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use scsi_sg::{Completion, DataDir};
use zeroize::Zeroizing;

use super::abi::{self, entry, mb};
use super::shm::SharedMap;
use crate::drive::{Direction, Drive};

/// Operation code of variable-length CDBs (SPC-4 §4.2.4): length 8 + byte 7.
const VARIABLE_LENGTH_CMD: u8 = scsi_sg::opcode::VARIABLE_LENGTH;
/// Bytes of a variable-length CDB before its additional CDB length counts.
const VARIABLE_LENGTH_BASE: usize = 8;
/// Byte of a variable-length CDB holding the additional CDB length.
const VARIABLE_LENGTH_BYTE: usize = 7;
/// CDB length read for opcodes whose group fixes none (reserved group 3, vendor-specific
/// groups 6 and 7): 10, the kernel's `scsi_command_size_tbl` value for groups 6 and 7 (the
/// kernel copies 12 for group 3; the drive rejects those reserved opcodes on their first
/// byte, so reading fewer bytes is harmless).
const OTHER_CDB_LEN: usize = 10;
/// How long the wait loop sleeps in `poll()` before it looks at the stop flag again.
const POLL_INTERVAL_MS: u16 = 100;

/// What the ring executes commands on.
pub trait Device {
    /// Data direction of operation code `op` (unknown codes: [`Direction::None`]).
    fn direction(&self, op: u8) -> Direction;
    /// Executes one command.
    fn execute(&mut self, cdb: &[u8], data: DataDir<'_>) -> Completion;
}

/// A [`Drive`] with its dispatch table's directions indexed by operation code.
#[derive(Debug)]
pub struct DriveDevice {
    /// The drive.
    pub drive: Drive,
    directions: [Direction; 256],
}

impl DriveDevice {
    /// Wraps `drive`, reading directions from [`Drive::commands`].
    pub fn new(drive: Drive) -> DriveDevice {
        let mut directions = [Direction::None; 256];
        for c in Drive::commands() {
            if let Some(d) = directions.get_mut(usize::from(c.opcode)) {
                *d = c.direction;
            }
        }
        DriveDevice { drive, directions }
    }
}

impl Device for DriveDevice {
    fn direction(&self, op: u8) -> Direction {
        self.directions
            .get(usize::from(op))
            .copied()
            .unwrap_or(Direction::None)
    }

    fn execute(&mut self, cdb: &[u8], data: DataDir<'_>) -> Completion {
        self.drive.execute(cdb, data)
    }
}

/// A broken ring or a failed UIO access; the handler stops.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RingError {
    /// The mailbox does not describe a ring inside the map.
    #[error("bad TCMU mailbox: {0}")]
    Mailbox(String),
    /// An entry points outside the map or has an impossible length.
    #[error("bad TCMU ring entry at offset {offset}: {what}")]
    Entry {
        /// Offset of the entry in the ring.
        offset: u32,
        /// What is wrong.
        what: &'static str,
    },
    /// Reading, writing or polling the UIO device failed.
    #[error("uio: {0}")]
    Io(#[from] std::io::Error),
}

/// The ring geometry read from the mailbox, and the current tail.
#[derive(Debug, Clone)]
pub struct Ring {
    cmdr_off: usize,
    cmdr_size: u32,
    flags: u16,
    tail: u32,
}

impl Ring {
    /// Reads the mailbox and checks that the command ring lies inside the map.
    pub fn attach<M: SharedMap + ?Sized>(map: &M) -> Result<Ring, RingError> {
        let bad = |s: String| RingError::Mailbox(s);
        let mut mbox = [0u8; mb::SIZE];
        map.read_at(0, &mut mbox)
            .ok_or_else(|| bad("map smaller than the mailbox".into()))?;
        let u16_at = |o: usize| mbox.get(o..o + 2).map(|b| u16::from_ne_bytes([b[0], b[1]]));
        let u32_at = |o: usize| {
            mbox.get(o..o + 4)
                .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        };
        let version = u16_at(mb::VERSION).unwrap_or(0);
        if version != abi::MAILBOX_VERSION {
            return Err(bad(format!(
                "version {version}, expected {}",
                abi::MAILBOX_VERSION
            )));
        }
        let flags = u16_at(mb::FLAGS).unwrap_or(0);
        let cmdr_off = u32_at(mb::CMDR_OFF).unwrap_or(0) as usize;
        let cmdr_size = u32_at(mb::CMDR_SIZE).unwrap_or(0);
        let end = cmdr_off.checked_add(cmdr_size as usize);
        if cmdr_size == 0 || cmdr_off < mb::SIZE || end.is_none_or(|e| e > map.size()) {
            return Err(bad(format!(
                "ring at {cmdr_off} size {cmdr_size} outside a map of {}",
                map.size()
            )));
        }
        let tail = map.load_acquire(mb::CMD_TAIL).unwrap_or(0);
        if tail >= cmdr_size {
            return Err(bad(format!("cmd_tail {tail} beyond ring size {cmdr_size}")));
        }
        Ok(Ring {
            cmdr_off,
            cmdr_size,
            flags,
            tail,
        })
    }

    /// Mailbox capability flags (`abi::MAILBOX_FLAG_CAP_*`).
    pub fn flags(&self) -> u16 {
        self.flags
    }

    /// Handles every entry between `cmd_tail` and `cmd_head`, publishing the new tail after
    /// each. Returns the number of entries consumed (the caller notifies the kernel when it
    /// is not 0).
    pub fn process<M, D>(&mut self, map: &mut M, dev: &mut D) -> Result<usize, RingError>
    where
        M: SharedMap + ?Sized,
        D: Device + ?Sized,
    {
        let mut done = 0;
        loop {
            let head = map
                .load_acquire(mb::CMD_HEAD)
                .ok_or_else(|| RingError::Mailbox("cmd_head unreadable".into()))?;
            if head >= self.cmdr_size {
                return Err(RingError::Mailbox(format!(
                    "cmd_head {head} beyond ring size {}",
                    self.cmdr_size
                )));
            }
            if head == self.tail {
                return Ok(done);
            }
            while self.tail != head {
                let len = self.entry(map, dev, head)?;
                self.tail = (self.tail + len) % self.cmdr_size;
                map.store_release(mb::CMD_TAIL, self.tail)
                    .ok_or_else(|| RingError::Mailbox("cmd_tail unwritable".into()))?;
                done += 1;
            }
        }
    }

    /// Handles the entry at the tail; returns its length. An entry may not step over
    /// `head` (the kernel publishes head only at entry boundaries): without that check a
    /// bogus ring could make the tail circle forever without ever meeting the head.
    fn entry<M, D>(&self, map: &mut M, dev: &mut D, head: u32) -> Result<u32, RingError>
    where
        M: SharedMap + ?Sized,
        D: Device + ?Sized,
    {
        let err = |what| RingError::Entry {
            offset: self.tail,
            what,
        };
        let base = self.cmdr_off + self.tail as usize;
        let len_op = read_u32(map, base + entry::LEN_OP).ok_or_else(|| err("header outside"))?;
        let len = len_op & !abi::OP_MASK;
        if len == 0 || len > self.cmdr_size - self.tail {
            return Err(err("length zero or past the end of the ring"));
        }
        if self.tail < head && len > head - self.tail {
            return Err(err("entry crosses cmd_head"));
        }
        // PAD: filler up to the end of the ring. TMR: a notification that needs no reply
        // (commands are completed in order, so none is pending). Other opcodes: skipped.
        if len_op & abi::OP_MASK == abi::OP_CMD {
            if (len as usize) < entry::SIZE {
                return Err(err("command entry too short"));
            }
            self.command(map, dev, base, len as usize).map_err(err)?;
        }
        Ok(len)
    }

    /// Bytes of the data area: the rest of the map after the command ring
    /// (`target_core_user.c`: `data_off = CMDR_OFF + CMDR_SIZE`).
    fn data_area_size<M: SharedMap + ?Sized>(&self, map: &M) -> usize {
        map.size()
            .saturating_sub(self.cmdr_off.saturating_add(self.cmdr_size as usize))
    }

    /// Executes the command entry at `base` and writes its response.
    fn command<M, D>(
        &self,
        map: &mut M,
        dev: &mut D,
        base: usize,
        len: usize,
    ) -> Result<(), &'static str>
    where
        M: SharedMap + ?Sized,
        D: Device + ?Sized,
    {
        // Copy everything out of the request first: the response overwrites it.
        let iov_cnt = read_u32(map, base + entry::IOV_CNT).ok_or("header outside")? as usize;
        let cdb_off = read_u64(map, base + entry::CDB_OFF).ok_or("header outside")?;
        let iov_end = iov_cnt
            .checked_mul(entry::IOVEC_SIZE)
            .and_then(|n| n.checked_add(entry::IOV))
            .ok_or("iovec count overflows")?;
        if iov_end > len {
            return Err("iovecs past the end of the entry");
        }
        let mut iovs = Vec::with_capacity(iov_cnt);
        let mut total = 0usize;
        for i in 0..iov_cnt {
            let at = base + entry::IOV + i * entry::IOVEC_SIZE;
            let off = read_u64(map, at).ok_or("iovec outside")?;
            let n = read_u64(map, at + 8).ok_or("iovec outside")?;
            let off = usize::try_from(off).map_err(|_| "iovec outside the map")?;
            let n = usize::try_from(n).map_err(|_| "iovec outside the map")?;
            if off.checked_add(n).is_none_or(|e| e > map.size()) {
                return Err("iovec outside the map");
            }
            total = total.checked_add(n).ok_or("data length overflows")?;
            // The kernel's iovecs all lie in the data area and never overlap, so their sum
            // cannot exceed it: a larger sum is a bad entry, not a reason to allocate.
            if total > self.data_area_size(map) {
                return Err("data length exceeds the data area");
            }
            iovs.push((off, n));
        }
        let cdb = read_cdb(map, cdb_off).ok_or("CDB outside the map")?;
        let op = cdb.first().copied().unwrap_or(0);

        let direction = dev.direction(op);
        // Wiped on drop: a data-out buffer may hold a plaintext key (SECURITY PROTOCOL OUT).
        let mut data = Zeroizing::new(vec![
            0u8;
            if direction == Direction::None {
                0
            } else {
                total
            }
        ]);
        let (completion, read_len) = match direction {
            Direction::Out => {
                let mut at = 0;
                for &(off, n) in &iovs {
                    let dst = data.get_mut(at..at + n).ok_or("iovec length")?;
                    map.read_at(off, dst).ok_or("iovec outside the map")?;
                    at += n;
                }
                (dev.execute(&cdb, DataDir::ToDevice(&data)), None)
            }
            Direction::In => {
                let c = dev.execute(&cdb, DataDir::FromDevice(&mut data));
                let moved = total.saturating_sub(c.residual);
                let mut left = data.get(..moved).unwrap_or_default();
                for &(off, n) in &iovs {
                    let k = n.min(left.len());
                    let (chunk, rest) = left.split_at(k);
                    map.write_at(off, chunk).ok_or("iovec outside the map")?;
                    left = rest;
                }
                (c, Some(moved))
            }
            Direction::None => (dev.execute(&cdb, DataDir::None), None),
        };

        let read_len = read_len.filter(|_| self.flags & abi::MAILBOX_FLAG_CAP_READ_LEN != 0);
        let rsp = response(&completion, read_len);
        map.write_at(base + entry::RSP, &rsp)
            .ok_or("entry outside")?;
        if read_len.is_some() {
            let mut uflags = [0u8];
            map.read_at(base + entry::UFLAGS, &mut uflags)
                .ok_or("entry outside")?;
            uflags[0] |= abi::UFLAG_READ_LEN;
            map.write_at(base + entry::UFLAGS, &uflags)
                .ok_or("entry outside")?;
        }
        Ok(())
    }
}

/// The `rsp` bytes: status, `read_len` (when given) and sense cut to 96 bytes.
fn response(c: &Completion, read_len: Option<usize>) -> [u8; entry::SIZE - entry::RSP] {
    const READ_LEN_AT: usize = entry::READ_LEN - entry::RSP;
    const SENSE_AT: usize = entry::SENSE - entry::RSP;
    let mut rsp = [0u8; entry::SIZE - entry::RSP];
    if let Some(s) = rsp.first_mut() {
        *s = c.status.0;
    }
    if let (Some(n), Some(dst)) = (read_len, rsp.get_mut(READ_LEN_AT..SENSE_AT)) {
        dst.copy_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_ne_bytes());
    }
    let sense = c
        .sense_bytes
        .get(..abi::SENSE_BUFFERSIZE)
        .unwrap_or(&c.sense_bytes);
    if let Some(dst) = rsp.get_mut(SENSE_AT..SENSE_AT + sense.len()) {
        dst.copy_from_slice(sense);
    }
    rsp
}

fn read_u32<M: SharedMap + ?Sized>(map: &M, off: usize) -> Option<u32> {
    let mut b = [0u8; 4];
    map.read_at(off, &mut b)?;
    Some(u32::from_ne_bytes(b))
}

fn read_u64<M: SharedMap + ?Sized>(map: &M, off: usize) -> Option<u64> {
    let mut b = [0u8; 8];
    map.read_at(off, &mut b)?;
    Some(u64::from_ne_bytes(b))
}

/// Length of the CDB starting with `op` (and, for variable-length CDBs, byte 7).
pub fn cdb_len(op: u8, byte7: u8) -> usize {
    if op == VARIABLE_LENGTH_CMD {
        VARIABLE_LENGTH_BASE + usize::from(byte7)
    } else {
        scsi_sg::opcode::cdb_len(op).unwrap_or(OTHER_CDB_LEN)
    }
}

/// Copies the CDB at map offset `off`.
fn read_cdb<M: SharedMap + ?Sized>(map: &M, off: u64) -> Option<Vec<u8>> {
    let off = usize::try_from(off).ok()?;
    let mut op = [0u8; 1];
    map.read_at(off, &mut op)?;
    let mut b7 = [0u8; 1];
    if op[0] == VARIABLE_LENGTH_CMD {
        map.read_at(off + VARIABLE_LENGTH_BYTE, &mut b7)?;
    }
    let mut cdb = vec![0u8; cdb_len(op[0], b7[0])];
    map.read_at(off, &mut cdb)?;
    Some(cdb)
}

/// Runs the ring until `stop` is set: processes pending entries, notifies the kernel
/// (a 4-byte write to the UIO fd), then waits for the next UIO event (`poll()` with a
/// short timeout, then a 4-byte `read()` that consumes it).
pub fn run<M, D>(
    ring: &mut Ring,
    map: &mut M,
    uio: &mut File,
    dev: &mut D,
    stop: &AtomicBool,
) -> Result<(), RingError>
where
    M: SharedMap + ?Sized,
    D: Device + ?Sized,
{
    loop {
        if ring.process(map, dev)? > 0 {
            uio.write_all(&1u32.to_ne_bytes())?;
        }
        if stop.load(Ordering::Acquire) {
            return Ok(());
        }
        let mut fds = [PollFd::new(uio.as_fd(), PollFlags::POLLIN)];
        match poll(&mut fds, PollTimeout::from(POLL_INTERVAL_MS)) {
            Ok(0) | Err(nix::errno::Errno::EINTR) => continue,
            Ok(_) => {}
            Err(e) => return Err(std::io::Error::from(e).into()),
        }
        let mut event = [0u8; 4];
        match uio.read(&mut event) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
}

#[cfg(test)]
#[path = "ring_tests.rs"]
mod tests;
