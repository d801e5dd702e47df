//! The Linux st(4) driver, emulated in process: [`VirtualTape`] implements
//! [`tape_io::Tape`] over any [`Transport`] (in practice a [`Drive`]) by sending the SCSI
//! commands st sends and keeping st's bookkeeping (`reference/st-driver.md` §3-§6; kernel
//! `drivers/scsi/st.c`: `check_tape`, `st_read`/`read_tape`, `st_write`, `st_flush`,
//! `st_int_ioctl`, `st_ioctl`).
//!
//! What a program sees is what it would see on `/dev/nst0`: file and block numbers with −1
//! when st would not know them, the implicit filemark after a write (at close, and before
//! MTREW/MTOFFL/MTSEEK/MTBSF/MTBSFM), ENOSPC alternation after early warning, ENOMEM for a
//! read buffer shorter than the record, the 0-byte read at a filemark (surfaced as
//! [`ReadOutcome::Filemark`]) and at end of data ([`ReadOutcome::EndOfData`]).
//!
//! st keeps its per-device state between opens; so does this emulation, in the drive's
//! host-state blob ([`Drive::set_host_state`]), so `mt fsf 2` and `mt status` run as two
//! processes agree.
//!
//! **Pass-through.** [`VirtualTape::transport_mut`] gives the drive for other SCSI commands
//! (LOG SENSE, MAM, encryption). As with SG_IO on a real st node, st's file/block numbers and
//! EOF state are not updated by commands sent that way: after a pass-through command that
//! moves the tape they are stale (use [`Tape::tell`], which asks the drive).
//!
//! ```
//! use tape_io::{OpenMode, ReadOutcome, Tape};
//! use vtape::medium::{Generation, Medium, MediumConfig};
//! use vtape::st::VirtualTape;
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("t.vtape");
//! Medium::create(&path, &MediumConfig::new(Generation::Lto5).with_capacity(64 << 20))?.close()?;
//! let mut tape = VirtualTape::open(&path, OpenMode { write: true, nonblock: false })?;
//! tape.write_record(b"hello")?;
//! tape.close()?; // writes the filemark, as st does
//! let mut tape = VirtualTape::open(&path, OpenMode::default())?;
//! tape.rewind()?;
//! let mut buf = [0u8; 64];
//! assert_eq!(tape.read_record(&mut buf)?, ReadOutcome::Data(5));
//! assert_eq!(tape.read_record(&mut buf)?, ReadOutcome::Filemark);
//! assert_eq!(tape.status()?.file_number(), Some(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod config;
mod errno;
mod io;
mod ops;
pub mod state;

use std::path::Path;

use nix::errno::Errno;
use scsi_sg::{block_limits, BlockLimits, ScsiError, Transport};
use tape_io::{
    GmtFlags, MtOp, OpenMode, RawStatus, ReadOutcome, Tape, TapeError, TapeStatus, WriteOutcome,
};

use crate::drive::{Drive, DriveError};
use crate::medium::MediumError;
use state::{Eof, HostState, PartState};

/// The first bytes of every `.vtape` medium file (the medium header magic).
pub const VTAPE_MAGIC: [u8; 8] = *b"TKVTAPE\0";

/// `mt_type` st reports for SCSI-2 and later drives (MT_ISSCSI2).
const MT_ISSCSI2: i64 = 0x72;
/// `mt_dsreg` block size mask and density shift.
const BLKSIZE_MASK: i64 = 0x00FF_FFFF;
const DENSITY_SHIFT: u32 = 24;
/// Recovered-error count mask of `mt_erreg`.
const SOFTERR_MASK: u32 = 0xFFFF;

/// st's `STp->ready`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ready {
    /// ST_READY.
    Yes,
    /// ST_NO_TAPE.
    NoTape,
    /// ST_NOT_READY.
    No,
}

/// st's `STps->rw`: what the last data operation was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rw {
    Idle,
    Reading,
    Writing,
}

/// Stores the host state and syncs the drive at close (a [`Drive`]; no-op for others).
type PersistFn<T> = fn(&mut T, &[u8]) -> Result<(), TapeError>;

/// A tape drive seen through an emulated st driver. See the module docs.
pub struct VirtualTape<T: Transport> {
    t: T,
    mode: OpenMode,
    hs: HostState,
    ready: Ready,
    rw: Rw,
    limits: Option<BlockLimits>,
    block_size: u32,
    density: u8,
    drv_buffer: u8,
    drv_write_prot: bool,
    recover_reg: u32,
    /// Per partition, the block st last saw there (`last_block_visited`).
    last_visited: [Option<u32>; state::NBR_PARTITIONS],
    /// MTSETBLK / MTSETDENSITY were used in this session (defaults no longer apply).
    blksize_changed: bool,
    density_changed: bool,
    persist: PersistFn<T>,
    closed: bool,
}

impl<T: Transport> std::fmt::Debug for VirtualTape<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VirtualTape")
            .field("mode", &self.mode)
            .field("state", &self.hs)
            .field("block_size", &self.block_size)
            .finish_non_exhaustive()
    }
}

fn no_persist<T>(_: &mut T, _: &[u8]) -> Result<(), TapeError> {
    Ok(())
}

fn drive_persist(d: &mut Drive, host: &[u8]) -> Result<(), TapeError> {
    d.set_host_state(host);
    d.persist()
        .map_err(|e| TapeError::Backend(format!("vtape: {e}")))
}

/// Map a failure to open the drive: a busy medium file is EBUSY, as a busy st node.
fn open_error(e: DriveError) -> TapeError {
    match e {
        DriveError::Medium(MediumError::Busy) => TapeError::Open(Errno::EBUSY),
        DriveError::Medium(MediumError::Io(io)) => {
            TapeError::Open(io.raw_os_error().map_or(Errno::EIO, Errno::from_raw))
        }
        other => TapeError::Backend(format!("vtape: {other}")),
    }
}

impl VirtualTape<Drive> {
    /// Open the `.vtape` medium at `path` in an in-process drive, as `open("/dev/nst0")`:
    /// restores st's state from the previous open. A medium file held by another process
    /// gives `TapeError::Open(EBUSY)` ("Device or resource busy").
    pub fn open(path: impl AsRef<Path>, mode: OpenMode) -> Result<VirtualTape<Drive>, TapeError> {
        let drive = Drive::open(path).map_err(open_error)?;
        let saved = drive.host_state().to_vec();
        VirtualTape::with_persist(drive, mode, &saved, drive_persist)
    }
}

impl<T: Transport> VirtualTape<T> {
    /// Run st's open sequence on `transport` with the state st kept from a previous open
    /// (`saved`, from [`host_state`](Self::host_state); empty or damaged = defaults). Nothing
    /// is persisted at close; use [`VirtualTape::open`] for a `.vtape` file.
    pub fn new(transport: T, mode: OpenMode, saved: &[u8]) -> Result<Self, TapeError> {
        Self::with_persist(transport, mode, saved, no_persist)
    }

    fn with_persist(
        t: T,
        mode: OpenMode,
        saved: &[u8],
        persist: PersistFn<T>,
    ) -> Result<Self, TapeError> {
        let mut tape = VirtualTape {
            t,
            mode,
            hs: HostState::decode_or_default(saved),
            ready: Ready::No,
            rw: Rw::Idle,
            limits: None,
            block_size: 0,
            density: 0,
            drv_buffer: 0,
            drv_write_prot: false,
            recover_reg: 0,
            last_visited: [None; state::NBR_PARTITIONS],
            blksize_changed: false,
            density_changed: false,
            persist: no_persist,
            closed: false,
        };
        tape.check_tape(false)?;
        tape.persist = persist;
        Ok(tape)
    }

    /// The transport (the drive), for SCSI commands st does not send. st's position is not
    /// updated by them (see the module docs).
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.t
    }

    /// The transport, read-only.
    pub fn transport(&self) -> &T {
        &self.t
    }

    /// st's state as it would be kept for the next open (encoded host-state bytes).
    pub fn host_state(&self) -> Vec<u8> {
        self.hs.encode()
    }

    /// Close as st does: a filemark after a write (two with `two-fms`), the SYSV/BSD
    /// read-side rules, then persist st's state with the drive.
    pub fn close(mut self) -> Result<(), TapeError> {
        self.close_inner()
    }

    fn close_inner(&mut self) -> Result<(), TapeError> {
        if self.closed {
            return Ok(());
        }
        self.closed = true;
        let flushed = self.st_flush();
        let host = self.hs.encode();
        let persisted = (self.persist)(&mut self.t, &host);
        flushed.and(persisted)
    }

    /// The current partition's position state.
    fn ps(&mut self) -> &mut PartState {
        let i = usize::from(self.hs.partition).min(state::NBR_PARTITIONS - 1);
        &mut self.hs.ps[i]
    }

    fn ps_ref(&self) -> &PartState {
        let i = usize::from(self.hs.partition).min(state::NBR_PARTITIONS - 1);
        &self.hs.ps[i]
    }

    /// st's `write_prot`: the drive's WP bit, or a read-only open.
    fn write_prot(&self) -> bool {
        self.drv_write_prot || !self.mode.write
    }

    /// st's `check_tape`: TEST UNIT READY (retrying after UNIT ATTENTION), READ BLOCK LIMITS,
    /// MODE SENSE(6) with the block descriptor.
    fn check_tape(&mut self, mut new_session: bool) -> Result<(), TapeError> {
        let mut attempts = 0;
        let tur = loop {
            match scsi_sg::unit_ready::test(&mut self.t) {
                Err(ScsiError::UnitAttention(s)) if attempts < 3 => {
                    attempts += 1;
                    // Medium may have changed (28h) or the drive was reset (29h): st starts a
                    // new session and forgets the old position.
                    new_session |= s.asc == errno::ASC_MEDIUM_MAY_HAVE_CHANGED
                        || s.asc == errno::ASC_POWER_ON_RESET;
                }
                other => break other,
            }
        };
        if new_session {
            self.reset_session();
        }
        if let Err(e) = tur {
            self.ready = match &e {
                ScsiError::NotReady(s) if s.asc == errno::ASC_MEDIUM_NOT_PRESENT => Ready::NoTape,
                ScsiError::Io(io) => {
                    return Err(TapeError::Open(
                        io.raw_os_error().map_or(Errno::EIO, Errno::from_raw),
                    ))
                }
                _ => Ready::No,
            };
            self.density = 0;
            self.block_size = 0;
            self.drv_write_prot = false;
            self.hs.ps[0].file = -1;
            self.hs.ps[0].block = -1;
            self.hs.partition = 0;
            self.hs.new_partition = 0;
            self.hs.door_locked = false;
            // Without O_NONBLOCK st waits for the drive (ST_BLOCK_SECONDS), then fails the
            // open: ENOMEDIUM without a cartridge, EIO otherwise (kernel `st_open`; observed
            // on 6.12: `mt-st fsf 1` after `offline` prints "No medium found", exit 1).
            if !self.mode.nonblock {
                return Err(TapeError::Open(if self.ready == Ready::NoTape {
                    Errno::ENOMEDIUM
                } else {
                    Errno::EIO
                }));
            }
            return Ok(());
        }
        self.ready = Ready::Yes;
        if !self.hs.opt(tape_io::DriverOptions::NO_BLKLIMS) {
            self.limits = block_limits::read(&mut self.t).ok();
        }
        if let Ok(md) = config::mode_sense_header(&mut self.t) {
            self.drv_write_prot = md.header.write_protected();
            self.drv_buffer = md.header.buffered_mode();
            if let Some(bd) = md.block_descriptor() {
                self.density = bd.density_code;
                self.block_size = bd.block_length;
            }
        }
        if self.drv_write_prot && self.mode.write && !self.mode.nonblock {
            return Err(TapeError::Open(Errno::EROFS));
        }
        if new_session {
            self.apply_defaults();
        }
        Ok(())
    }

    /// A new medium: positions known again (BOT), partition 0.
    fn reset_session(&mut self) {
        self.hs.partition = 0;
        self.hs.new_partition = 0;
        self.hs.nbr_partitions = 0;
        self.hs.ps = [PartState::default(); state::NBR_PARTITIONS];
        self.rw = Rw::Idle;
    }

    /// The status fields exactly as st's MTIOCGET fills them.
    fn raw_status(&mut self) -> RawStatus {
        let ps = *self.ps_ref();
        let mut g = 0u32;
        if self.drv_write_prot {
            g |= GmtFlags::WR_PROT;
        }
        if ps.block == 0 {
            g |= if ps.file == 0 {
                GmtFlags::BOT
            } else {
                GmtFlags::EOF
            };
        }
        if matches!(ps.eof, Eof::EomOk | Eof::EomError) {
            g |= GmtFlags::EOT;
        } else if ps.eof >= Eof::EomOk {
            g |= GmtFlags::EOD;
        }
        g |= match self.density {
            1 => GmtFlags::D_800,
            2 => GmtFlags::D_1600,
            3 => GmtFlags::D_6250,
            _ => 0,
        };
        match self.ready {
            Ready::Yes => g |= GmtFlags::ONLINE,
            Ready::NoTape => g |= GmtFlags::DR_OPEN,
            Ready::No => {}
        }
        if ps.at_sm {
            g |= GmtFlags::SM;
        }
        let opts = tape_io::DriverOptions(self.hs.options);
        if opts.contains(tape_io::DriverOptions::ASYNC_WRITES)
            || (opts.contains(tape_io::DriverOptions::BUFFER_WRITES) && self.block_size != 0)
            || self.drv_buffer != 0
        {
            g |= GmtFlags::IM_REP_EN;
        }
        let erreg = self.recover_reg & SOFTERR_MASK;
        self.recover_reg = 0;
        RawStatus {
            mt_type: MT_ISSCSI2,
            mt_resid: i64::from(self.hs.partition),
            mt_dsreg: (i64::from(self.block_size) & BLKSIZE_MASK)
                | (i64::from(self.density) << DENSITY_SHIFT),
            mt_gstat: i64::from(g),
            mt_erreg: i64::from(erreg),
            mt_fileno: ps.file,
            mt_blkno: ps.block,
        }
    }
}

impl<T: Transport> Drop for VirtualTape<T> {
    fn drop(&mut self) {
        // Best effort, as the kernel's release: errors have nowhere to go.
        let _ = self.close_inner();
    }
}

impl<T: Transport> Tape for VirtualTape<T> {
    fn mtop(&mut self, op: MtOp, count: i32) -> Result<(), TapeError> {
        self.st_ioctl_op(op, count)
    }

    fn status(&mut self) -> Result<TapeStatus, TapeError> {
        self.flush_buffer(false)?;
        self.switch_partition()?;
        Ok(TapeStatus::from_raw(self.raw_status()))
    }

    fn tell(&mut self) -> Result<u64, TapeError> {
        self.flush_buffer(false)?;
        self.switch_partition()?;
        self.get_location(false).map(|(block, _)| u64::from(block))
    }

    fn read_record(&mut self, buf: &mut [u8]) -> Result<ReadOutcome, TapeError> {
        self.st_read(buf)
    }

    fn write_record(&mut self, buf: &[u8]) -> Result<WriteOutcome, TapeError> {
        self.st_write(buf)
    }
}
