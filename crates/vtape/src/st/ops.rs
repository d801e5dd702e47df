//! MTIOCTOP as st executes it (kernel `st_ioctl` for the pre-processing, `st_int_ioctl` for
//! the SCSI command and the file/block bookkeeping, `set_location`/`get_location`,
//! `do_load_unload`, `do_door_lock`; `reference/st-driver.md` §4).
//!
//! st treats every CHECK CONDITION of a motion command as a failure (EIO), even NO SENSE
//! with FILEMARK or EOM: `mt fsr` into a filemark or `mt bsf` into BOT report an I/O error,
//! with the file and block numbers corrected from the INFORMATION residue.

use nix::errno::Errno;
use scsi_sg::ssc::{self, SpaceCode};
use scsi_sg::{position, CompletionInfo, ScsiError, Sense, SenseKey, Transport};
use tape_io::{DriverOptions, MtOp, TapeError};

use super::errno::{self, eio};
use super::state::Eof;
use super::{Ready, Rw, VirtualTape};

/// st's MTEOM first spaces this many filemarks forward (the largest positive 24-bit count).
const EOM_FSF_COUNT: i32 = 0x7F_FFFF;

/// How a motion command ended, in st's terms.
enum Done {
    /// GOOD (or RECOVERED ERROR with no flags).
    Ok,
    /// Anything else, with the sense when there was one.
    Failed(Option<Sense>, Option<ScsiError>),
}

fn classify(r: Result<CompletionInfo, ScsiError>) -> Done {
    match r {
        Ok(CompletionInfo { sense: None, .. }) => Done::Ok,
        Ok(CompletionInfo { sense: Some(s), .. })
            if s.key == SenseKey::RecoveredError && !s.filemark && !s.eom && !s.ili =>
        {
            Done::Ok
        }
        Ok(CompletionInfo { sense, .. }) => Done::Failed(sense, None),
        Err(e) => Done::Failed(e.sense().cloned(), Some(e)),
    }
}

fn bits(count: i32) -> u32 {
    u32::from_ne_bytes(count.to_ne_bytes())
}

impl<T: Transport> VirtualTape<T> {
    /// MTIOCTOP (kernel `st_ioctl`, MTIOCTOP branch).
    pub(super) fn st_ioctl_op(&mut self, op: MtOp, count: i32) -> Result<(), TapeError> {
        let mut count = count;
        if self.ready == Ready::Yes {
            if self.ps_ref().eof == Eof::FmHit {
                // A fixed-mode read stopped after a filemark whose 0 return is pending: the
                // drive is already past it.
                let adjust = match op {
                    MtOp::Fsf | MtOp::Fsfm | MtOp::Eom => Some(-1),
                    MtOp::Bsf | MtOp::Bsfm => Some(1),
                    _ => None,
                };
                if let Some(a) = adjust {
                    count = count.saturating_add(a);
                    let ps = self.ps();
                    if ps.file >= 0 {
                        ps.file += 1;
                    }
                    ps.eof = Eof::NoEof;
                }
            }
            let seek_next = match op {
                MtOp::Seek => !self.can_partitions() || self.hs.new_partition != self.hs.partition,
                MtOp::Rew
                | MtOp::Offl
                | MtOp::Reten
                | MtOp::Eom
                | MtOp::Lock
                | MtOp::Load
                | MtOp::Fsf
                | MtOp::Fsfm
                | MtOp::Bsf
                | MtOp::Bsfm
                | MtOp::Compression => true,
                _ => false,
            };
            self.flush_buffer(seek_next)?;
            let implicit_fm = matches!(
                op,
                MtOp::Rew | MtOp::Offl | MtOp::Seek | MtOp::Bsf | MtOp::Bsfm
            );
            if self.rw == Rw::Writing && implicit_fm {
                self.st_int_ioctl(MtOp::Weof, 1)?;
                if matches!(op, MtOp::Bsf | MtOp::Bsfm) {
                    count = count.saturating_add(1);
                }
                self.rw = Rw::Idle;
            }
        }
        if !matches!(
            op,
            MtOp::Nop
                | MtOp::SetBlk
                | MtOp::SetDensity
                | MtOp::Wsm
                | MtOp::SetDrvBuffer
                | MtOp::SetPart
        ) {
            self.rw = Rw::Idle;
        }
        if op == MtOp::Offl && self.hs.door_locked {
            let _ = self.door_lock(false);
        }
        match op {
            MtOp::SetDrvBuffer if bits(count) & tape_io::options::MT_ST_OPTIONS != 0 => {
                return self.set_options(count);
            }
            MtOp::SetPart => return self.set_part(count),
            MtOp::MkPart => return self.make_partitions(count),
            MtOp::Seek => {
                let r = self.set_location(bits(count), self.hs.new_partition, false);
                return r;
            }
            MtOp::Unload | MtOp::Offl => return self.load_unload(false),
            MtOp::Load => return self.load_unload(true),
            MtOp::Lock | MtOp::Unlock => return self.door_lock(op == MtOp::Lock),
            _ => {}
        }
        if self.can_partitions() && self.ready == Ready::Yes {
            self.switch_partition()?;
        }
        if op == MtOp::Compression {
            return self.st_compression(count & 1 != 0);
        }
        self.st_int_ioctl(op, count)
    }

    pub(super) fn can_partitions(&self) -> bool {
        self.hs.opt(DriverOptions::CAN_PARTITIONS)
    }

    /// st's `st_int_ioctl` for the motion and filemark operations.
    pub(super) fn st_int_ioctl(&mut self, op: MtOp, arg: i32) -> Result<(), TapeError> {
        match self.ready {
            Ready::Yes => {}
            Ready::NoTape => return Err(TapeError::NoMedium),
            Ready::No => return Err(eio()),
        }
        let ps = *self.ps_ref();
        let (mut fileno, mut blkno, mut at_sm) = (ps.file, ps.block, ps.at_sm);
        let nowait = self.hs.opt(DriverOptions::NOWAIT);
        let bad = |e: ScsiError| match e {
            ScsiError::InvalidRequest(_) => TapeError::InvalidArgument,
            e => errno::from_scsi(&e),
        };
        let result = match op {
            MtOp::Fsf | MtOp::Fsfm => {
                if fileno >= 0 {
                    fileno = fileno.saturating_add(arg);
                }
                blkno = 0;
                at_sm &= arg == 0;
                ssc::space(&mut self.t, SpaceCode::Filemarks, arg)
            }
            MtOp::Bsf | MtOp::Bsfm => {
                if fileno >= 0 {
                    fileno = fileno.saturating_sub(arg);
                }
                blkno = -1;
                at_sm &= arg == 0;
                ssc::space(&mut self.t, SpaceCode::Filemarks, arg.saturating_neg())
            }
            MtOp::Fsr => {
                if blkno >= 0 {
                    blkno = blkno.saturating_add(arg);
                }
                at_sm &= arg == 0;
                ssc::space(&mut self.t, SpaceCode::Blocks, arg)
            }
            MtOp::Bsr => {
                if blkno >= 0 {
                    blkno = blkno.saturating_sub(arg);
                }
                at_sm &= arg == 0;
                ssc::space(&mut self.t, SpaceCode::Blocks, arg.saturating_neg())
            }
            MtOp::Fss | MtOp::Bss => {
                if arg != 0 {
                    blkno = -1;
                    fileno = -1;
                    at_sm = true;
                }
                let n = if op == MtOp::Fss {
                    arg
                } else {
                    arg.saturating_neg()
                };
                ssc::space(&mut self.t, SpaceCode::Setmarks, n)
            }
            MtOp::Weof | MtOp::WeofI | MtOp::Wsm => {
                if self.write_prot() {
                    return Err(TapeError::WriteProtected(Errno::EACCES));
                }
                if fileno >= 0 {
                    fileno = fileno.saturating_add(arg);
                }
                blkno = 0;
                at_sm = op == MtOp::Wsm;
                let immed = op == MtOp::WeofI
                    || (op == MtOp::Weof && self.hs.opt(DriverOptions::NOWAIT_EOF));
                let n = u32::try_from(arg).map_err(|_| TapeError::InvalidArgument)?;
                if op == MtOp::Wsm {
                    ssc::write_setmarks(&mut self.t, n, immed)
                } else {
                    ssc::write_filemarks(&mut self.t, n, immed)
                }
            }
            MtOp::Rew => {
                fileno = 0;
                blkno = 0;
                at_sm = false;
                ssc::rewind(&mut self.t, nowait)
            }
            MtOp::Nop => return Ok(()),
            MtOp::Reten => {
                fileno = 0;
                blkno = 0;
                at_sm = false;
                ssc::load_unload(&mut self.t, true, true, nowait)
            }
            MtOp::Eom => {
                if !self.hs.opt(DriverOptions::FAST_MTEOM) {
                    let _ = self.st_int_ioctl(MtOp::Fsf, EOM_FSF_COUNT);
                    fileno = self.ps_ref().file;
                    if self.ps_ref().eof >= Eof::Eod1 {
                        return Ok(());
                    }
                } else {
                    fileno = -1;
                }
                blkno = -1;
                at_sm = false;
                ssc::space(&mut self.t, SpaceCode::EndOfData, 0)
            }
            MtOp::Erase => {
                if self.write_prot() {
                    return Err(TapeError::WriteProtected(Errno::EACCES));
                }
                // ERASE erases from the current position on: the position is kept (kernel
                // commit ad77cebf97bd "scsi: st: ERASE does not change tape location", in
                // 6.12 stable; observed on 6.12.117: `mt seek 2; mt erase` leaves file/block
                // −1/−1, no BOT).
                ssc::erase(&mut self.t, arg != 0, nowait)
            }
            MtOp::SetBlk | MtOp::SetDensity | MtOp::SetDrvBuffer => {
                return self.set_mode(op, arg);
            }
            _ => return Err(TapeError::NotSupported),
        };
        let done = match result {
            Err(e @ ScsiError::InvalidRequest(_)) => return Err(bad(e)),
            r => classify(r),
        };
        match done {
            Done::Ok => {
                let ps = self.ps();
                ps.block = blkno;
                ps.file = fileno;
                ps.at_sm = at_sm;
                ps.eof = match op {
                    MtOp::Eom => Eof::Eod,
                    MtOp::Fsf => Eof::Fm,
                    _ => Eof::NoEof,
                };
                if matches!(op, MtOp::Weof | MtOp::WeofI) {
                    self.rw = Rw::Idle;
                }
                match op {
                    MtOp::Bsfm => self.st_int_ioctl(MtOp::Fsf, 1),
                    MtOp::Fsfm => self.st_int_ioctl(MtOp::Bsf, 1),
                    _ => Ok(()),
                }
            }
            Done::Failed(sense, err) => {
                self.motion_failed(op, arg, fileno, blkno, sense.as_ref(), err.as_ref())
            }
        }
    }

    /// The error half of `st_int_ioctl`: fix up file/block numbers from the residue.
    fn motion_failed(
        &mut self,
        op: MtOp,
        arg: i32,
        fileno: i32,
        blkno: i32,
        sense: Option<&Sense>,
        err: Option<&ScsiError>,
    ) -> Result<(), TapeError> {
        let (fm, eom) = sense.map_or((false, false), |s| (s.filemark, s.eom));
        let key = sense.map(|s| s.key);
        let mut result = Err(err.map_or_else(eio, errno::from_scsi));
        if eom {
            if !matches!(op, MtOp::Bsf | MtOp::Bsfm | MtOp::Bsr | MtOp::Bss) {
                self.ps().eof = Eof::EomOk;
            }
            self.ps().block = 0;
        }
        let mut undone = sense
            .and_then(|s| s.information)
            .map_or(0, |v| i32::try_from(v).unwrap_or(0));
        let ps = self.ps();
        match op {
            MtOp::Weof | MtOp::WeofI if eom => {
                let mut f = fileno;
                if matches!(key, Some(SenseKey::NoSense | SenseKey::RecoveredError)) {
                    result = Ok(());
                    ps.eof = Eof::NoEof;
                } else {
                    if f >= 0 {
                        f = f.saturating_sub(undone);
                    }
                    if undone < arg {
                        ps.eof = Eof::NoEof;
                    }
                }
                ps.file = f;
            }
            MtOp::Fsf | MtOp::Fsfm => {
                ps.file = if fileno >= 0 {
                    fileno.saturating_sub(undone)
                } else {
                    fileno
                };
                ps.block = -1;
                ps.eof = Eof::NoEof;
            }
            MtOp::Bsf | MtOp::Bsfm => {
                if arg > 0 && undone < 0 {
                    undone = undone.saturating_neg();
                }
                if ps.file >= 0 {
                    ps.file = fileno.saturating_add(undone);
                }
                ps.block = 0;
                ps.eof = Eof::NoEof;
            }
            MtOp::Fsr => {
                if fm {
                    if ps.file >= 0 {
                        ps.file += 1;
                    }
                    ps.block = 0;
                    ps.eof = Eof::Fm;
                } else {
                    ps.block = if blkno >= undone {
                        blkno.saturating_sub(undone)
                    } else {
                        -1
                    };
                    ps.eof = Eof::NoEof;
                }
            }
            MtOp::Bsr => {
                if fm {
                    if ps.file >= 0 {
                        ps.file -= 1;
                    }
                    ps.block = -1;
                } else {
                    if arg > 0 && undone < 0 {
                        undone = undone.saturating_neg();
                    }
                    if ps.block >= 0 {
                        ps.block = blkno.saturating_add(undone);
                    }
                }
                ps.eof = Eof::NoEof;
            }
            MtOp::Eom => {
                ps.file = -1;
                ps.block = -1;
                ps.eof = Eof::Eod;
            }
            _ => ps.eof = Eof::NoEof,
        }
        if key == Some(SenseKey::BlankCheck) {
            self.ps().eof = Eof::Eod;
        }
        result
    }

    /// st's `get_location`: READ POSITION short form (BT unless `scsi2logical` or a logical
    /// request); EIO when the drive does not know the position.
    pub(super) fn get_location(&mut self, logical: bool) -> Result<(u32, u8), TapeError> {
        let sa = if logical || self.hs.opt(DriverOptions::SCSI2LOGICAL) {
            scsi_sg::opcode::read_position_sa::SHORT_FORM
        } else {
            scsi_sg::opcode::read_position_sa::SHORT_FORM_VENDOR
        };
        let cdb = position::cdb(sa, 0);
        let mut buf = [0u8; position::SHORT_LENGTH];
        let cmd = scsi_sg::Command::new(
            &cdb,
            scsi_sg::DataDir::FromDevice(&mut buf),
            scsi_sg::TimeoutClass::Query,
        );
        let info = self.t.run(cmd).map_err(|e| match e {
            ScsiError::NotReady(_) => eio(),
            e => errno::from_scsi(&e),
        })?;
        let got = buf.len().saturating_sub(info.residual);
        let p = position::parse_short(buf.get(..got).unwrap_or(&[])).map_err(|_| eio())?;
        match p.first_block {
            Some(b) if !p.lolu => Ok((b, p.partition)),
            _ => Err(eio()),
        }
    }

    /// st's `set_location` (MTSEEK and partition switches): LOCATE(10).
    pub(super) fn set_location(
        &mut self,
        block: u32,
        partition: u8,
        logical: bool,
    ) -> Result<(), TapeError> {
        if usize::from(partition) >= super::state::NBR_PARTITIONS
            || (!self.can_partitions() && partition != 0)
        {
            return Err(TapeError::InvalidArgument);
        }
        match self.ready {
            Ready::Yes => {}
            Ready::NoTape => return Err(TapeError::NoMedium),
            Ready::No => return Err(eio()),
        }
        let old = self.hs.partition;
        if partition != old {
            self.last_visited[usize::from(old)] = self.get_location(true).ok().map(|(b, _)| b);
        }
        let bt = !logical && !self.hs.opt(DriverOptions::SCSI2LOGICAL);
        let cp = (partition != old).then_some(partition);
        let immed = self.hs.opt(DriverOptions::NOWAIT);
        let r = ssc::locate10(&mut self.t, bt, cp, block, immed);
        {
            let ps = self.ps();
            ps.block = -1;
            ps.file = -1;
            ps.eof = Eof::NoEof;
        }
        match classify(r) {
            Done::Ok => {
                if self.can_partitions() {
                    let keep = self.last_visited[usize::from(partition)] == Some(block);
                    self.hs.partition = partition;
                    if !keep {
                        self.ps().at_sm = false;
                    }
                } else {
                    self.ps().at_sm = false;
                }
                if block == 0 {
                    let ps = self.ps();
                    ps.block = 0;
                    ps.file = 0;
                }
                Ok(())
            }
            Done::Failed(..) => {
                if self.can_partitions() {
                    if let Ok((_, p)) = self.get_location(true) {
                        self.hs.partition = p;
                    }
                }
                Err(eio())
            }
        }
    }

    /// st's `switch_partition`: enter the partition set by MTSETPART at the block last
    /// visited there.
    pub(super) fn switch_partition(&mut self) -> Result<(), TapeError> {
        if self.hs.partition == self.hs.new_partition {
            return Ok(());
        }
        let target = self.hs.new_partition;
        let block = self.last_visited[usize::from(target)].unwrap_or(0);
        self.set_location(block, target, true)
    }

    /// st's `do_load_unload`.
    fn load_unload(&mut self, load: bool) -> Result<(), TapeError> {
        let nowait = self.hs.opt(DriverOptions::NOWAIT);
        match classify(ssc::load_unload(&mut self.t, load, false, nowait)) {
            Done::Ok => {
                if load {
                    self.check_tape(false)
                } else {
                    self.ready = Ready::NoTape;
                    Ok(())
                }
            }
            Done::Failed(_, e) => {
                let ps = self.ps();
                ps.file = -1;
                ps.block = -1;
                Err(e.as_ref().map_or_else(eio, errno::from_scsi))
            }
        }
    }

    /// st's `do_door_lock`: PREVENT ALLOW MEDIUM REMOVAL.
    fn door_lock(&mut self, lock: bool) -> Result<(), TapeError> {
        match ssc::prevent_allow(&mut self.t, lock) {
            Ok(_) => {
                self.hs.door_locked = lock;
                Ok(())
            }
            Err(e) => Err(errno::from_scsi(&e)),
        }
    }
}
