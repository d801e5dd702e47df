//! read(2), write(2) and close(2) of st (kernel `rw_checks`, `st_read`/`read_tape`,
//! `st_write`, `flush_buffer`, `st_flush`; `reference/st-driver.md` §5).
//!
//! This emulation never holds data in a driver buffer: every write is sent at once and every
//! read asks the drive for exactly the caller's count, so st's buffered-block corrections of
//! the block number are always zero.

use nix::errno::Errno;
use scsi_sg::ssc::{self, SpaceCode};
use scsi_sg::{CompletionInfo, ScsiError, Sense, SenseKey, Transport};
use tape_io::{DriverOptions, ReadOutcome, TapeError, WriteOutcome};

use super::errno::{self, eio};
use super::state::Eof;
use super::{Ready, Rw, VirtualTape};

/// What a READ or WRITE returned, whether the completion was GOOD, informational or an error.
struct Outcome {
    sense: Option<Sense>,
    residual: usize,
    error: Option<ScsiError>,
}

impl Outcome {
    fn from(r: Result<CompletionInfo, ScsiError>) -> Outcome {
        match r {
            Ok(info) => Outcome {
                sense: info.sense,
                residual: info.residual,
                error: None,
            },
            Err(e) => Outcome {
                sense: e.sense().cloned(),
                residual: 0,
                error: Some(e),
            },
        }
    }
}

fn to_i32(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(if n < 0 { i32::MIN } else { i32::MAX })
}

impl<T: Transport> VirtualTape<T> {
    /// st's `rw_checks`: drive ready, partition switch, variable-mode block limits.
    fn rw_checks(&mut self, count: usize) -> Result<(), TapeError> {
        match self.ready {
            Ready::Yes => {}
            Ready::NoTape => return Err(TapeError::NoMedium),
            Ready::No => return Err(eio()),
        }
        if count == 0 {
            return Ok(());
        }
        self.switch_partition()?;
        if self.block_size == 0 {
            if let Some(l) = self.limits.filter(|l| l.max > 0) {
                let c = u64::try_from(count).unwrap_or(u64::MAX);
                if c < u64::from(l.min) || c > u64::from(l.max) {
                    return Err(TapeError::InvalidArgument);
                }
            }
        } else if count % self.block_size as usize != 0 {
            return Err(TapeError::InvalidArgument);
        }
        Ok(())
    }

    /// write(2).
    pub(super) fn st_write(&mut self, buf: &[u8]) -> Result<WriteOutcome, TapeError> {
        if !self.mode.write {
            // The descriptor is read-only: the VFS refuses before st sees it.
            return Err(TapeError::Os(Errno::EBADF));
        }
        self.rw_checks(buf.len())?;
        if buf.is_empty() {
            return Ok(WriteOutcome::Written(0));
        }
        if self.write_prot() {
            return Err(TapeError::WriteProtected(Errno::EACCES));
        }
        if self.rw == Rw::Reading {
            self.flush_buffer(false)?;
        } else if self.rw != Rw::Writing && self.ps_ref().file == 0 && self.ps_ref().block == 0 {
            self.set_mode_densblk()?;
        }
        match self.ps_ref().eof {
            Eof::EomOk => {
                self.ps().eof = Eof::Eod1;
                return Ok(WriteOutcome::NoSpace);
            }
            Eof::EomError => return Err(eio()),
            _ => {}
        }
        self.rw = Rw::Writing;
        let bs = self.block_size;
        let out = Outcome::from(ssc::write6(&mut self.t, bs, buf));
        let total = buf.len();
        let eom = out.sense.as_ref().is_some_and(|s| s.eom);
        let mut written = total;
        let mut hit_eom = false;
        match (&out.error, eom) {
            (None, false) => {}
            (_, true) => {
                let key = out.sense.as_ref().map(|s| s.key);
                let info = out.sense.as_ref().and_then(|s| s.information);
                let undone_units = match info {
                    Some(v) => usize::try_from(v.max(0)).unwrap_or(usize::MAX),
                    None if bs == 0 && key == Some(SenseKey::VolumeOverflow) => total,
                    None => 0,
                };
                let undone = if bs == 0 {
                    undone_units
                } else {
                    undone_units.saturating_mul(bs as usize)
                };
                written = total.saturating_sub(undone);
                self.ps().eof = Eof::EomOk;
                hit_eom = true;
            }
            (Some(e), false) => {
                self.ps().block = -1;
                let err = errno::from_scsi_write(e);
                return Err(err);
            }
        }
        if self.ps_ref().block >= 0 {
            let add = if bs == 0 {
                i32::from(written > 0)
            } else {
                to_i32((written / bs as usize) as i64)
            };
            self.ps().block = self.ps_ref().block.saturating_add(add);
        }
        if hit_eom {
            return Ok(if written == 0 {
                WriteOutcome::NoSpace
            } else {
                WriteOutcome::EarlyWarning(written)
            });
        }
        let ps = self.ps();
        if ps.eof == Eof::Eod1 {
            ps.eof = Eof::EomOk;
        } else if ps.eof != Eof::EomOk {
            ps.eof = Eof::NoEof;
        }
        Ok(if ps.eof == Eof::EomOk {
            WriteOutcome::EarlyWarning(written)
        } else {
            WriteOutcome::Written(written)
        })
    }

    /// read(2).
    pub(super) fn st_read(&mut self, buf: &mut [u8]) -> Result<ReadOutcome, TapeError> {
        self.rw_checks(buf.len())?;
        if buf.is_empty() {
            return Ok(ReadOutcome::Data(0));
        }
        if self.rw == Rw::Writing {
            self.flush_buffer(false)?;
        }
        self.rw = Rw::Reading;
        let eof = self.ps_ref().eof;
        if eof >= Eof::Eod1 {
            if eof < Eof::Eod {
                self.ps().eof = if eof == Eof::Eod1 {
                    Eof::Eod2
                } else {
                    Eof::Eod
                };
                return Ok(ReadOutcome::EndOfData);
            }
            // st: −1/EIO, with GMT_EOD in the status: the end of data.
            return Ok(ReadOutcome::EndOfData);
        }
        let total = match self.read_tape(buf) {
            Ok(n) => n,
            Err(ReadErr::Blank) => return Ok(ReadOutcome::EndOfData),
            Err(ReadErr::Tape(e)) => return Err(e),
        };
        let ps = self.ps();
        if total == 0 {
            match ps.eof {
                Eof::FmHit => {
                    ps.eof = Eof::Fm;
                    ps.block = 0;
                    if ps.file >= 0 {
                        ps.file += 1;
                    }
                    return Ok(ReadOutcome::Filemark);
                }
                Eof::Eod1 => {
                    ps.eof = Eof::Eod2;
                    ps.block = 0;
                    if ps.file >= 0 {
                        ps.file += 1;
                    }
                    return Ok(ReadOutcome::EndOfData);
                }
                Eof::Eod2 => {
                    ps.eof = Eof::Eod;
                    return Ok(ReadOutcome::EndOfData);
                }
                _ => return Ok(ReadOutcome::Data(0)),
            }
        } else if ps.eof == Eof::Fm {
            ps.eof = Eof::NoEof;
        }
        Ok(ReadOutcome::Data(total))
    }

    /// st's `read_tape`: one READ(6) and the bookkeeping of what it returned.
    fn read_tape(&mut self, buf: &mut [u8]) -> Result<usize, ReadErr> {
        if self.ps_ref().eof == Eof::FmHit {
            return Ok(0);
        }
        let bs = self.block_size;
        let bytes = buf.len();
        let sili = self.hs.opt(DriverOptions::SILI) && bs == 0;
        let out = Outcome::from(ssc::read6(&mut self.t, bs, sili, buf));
        self.ps().at_sm = false;
        let mut got = bytes;
        if let Some(e) = out
            .error
            .as_ref()
            .filter(|_| out.sense.as_ref().map(|s| s.key) == Some(SenseKey::MediumError))
        {
            self.ps().block = -1;
            return Err(ReadErr::Tape(errno::from_scsi(e)));
        }
        match &out.sense {
            None if out.error.is_none() => {
                if sili {
                    got = bytes.saturating_sub(out.residual);
                }
            }
            None => {
                self.ps().block = -1;
                return Err(ReadErr::Tape(
                    out.error.as_ref().map_or_else(eio, errno::from_scsi),
                ));
            }
            Some(s) => {
                let key = s.key;
                let (fm, eom, ili) = (s.filemark, s.eom, s.ili && key != SenseKey::BlankCheck);
                if fm || eom || ili {
                    let transfer = s.information.unwrap_or(0);
                    let rest = |units: i64| {
                        let u = usize::try_from(units.max(0)).unwrap_or(usize::MAX);
                        bytes.saturating_sub(if bs == 0 {
                            u
                        } else {
                            u.saturating_mul(bs as usize)
                        })
                    };
                    if ili {
                        if bs == 0 && transfer < 0 {
                            let ps = self.ps();
                            if ps.block >= 0 {
                                ps.block += 1;
                            }
                            return Err(ReadErr::Tape(TapeError::RecordTooLong { buffer: bytes }));
                        } else if bs == 0 {
                            got = rest(transfer);
                        } else {
                            // Fixed mode with a block of another length: st backs up and fails.
                            self.ps().block = -1;
                            let _ = ssc::space(&mut self.t, SpaceCode::Blocks, -1);
                            return Err(ReadErr::Tape(eio()));
                        }
                    } else if fm {
                        let ps = self.ps();
                        ps.eof = if ps.eof != Eof::FmHit {
                            Eof::FmHit
                        } else {
                            Eof::Eod2
                        };
                        got = if bs == 0 { 0 } else { rest(transfer) };
                    } else {
                        let ps = self.ps();
                        ps.eof = if ps.eof == Eof::Fm {
                            Eof::Eod1
                        } else {
                            Eof::EomOk
                        };
                        got = rest(transfer);
                    }
                } else if out.error.is_some() {
                    let ps = self.ps();
                    ps.block = -1;
                    if ps.eof == Eof::Fm && key == SenseKey::BlankCheck {
                        ps.eof = Eof::Eod2;
                        got = 0;
                    } else if key == SenseKey::BlankCheck {
                        return Err(ReadErr::Blank);
                    } else {
                        let e = out.error.as_ref().map_or_else(eio, errno::from_scsi);
                        return Err(ReadErr::Tape(e));
                    }
                } else {
                    // Informational sense without FILEMARK/EOM/ILI (e.g. recovered error).
                    if key == SenseKey::RecoveredError {
                        self.recover_reg = self.recover_reg.saturating_add(1);
                    }
                    got = bytes.saturating_sub(out.residual);
                }
            }
        }
        let ps = self.ps();
        if ps.block >= 0 {
            let add = if bs == 0 {
                1
            } else {
                to_i32((got / bs as usize) as i64)
            };
            ps.block = ps.block.saturating_add(add);
        }
        Ok(got)
    }

    /// st's `flush_buffer`: nothing is buffered here, so only a pending filemark of a
    /// fixed-mode read matters: with `seek_next` it is accepted (the tape is after it),
    /// otherwise the tape backs over it so that the next read sees it again.
    pub(super) fn flush_buffer(&mut self, seek_next: bool) -> Result<(), TapeError> {
        if self.ready != Ready::Yes || self.rw == Rw::Writing || self.block_size == 0 {
            return Ok(());
        }
        if self.ps_ref().eof != Eof::FmHit {
            return Ok(());
        }
        if seek_next {
            let ps = self.ps();
            if ps.file >= 0 {
                ps.file += 1;
            }
            ps.block = 0;
            ps.eof = Eof::Fm;
            return Ok(());
        }
        match ssc::space(&mut self.t, SpaceCode::Filemarks, -1) {
            Ok(_) => {
                self.ps().eof = Eof::NoEof;
                Ok(())
            }
            Err(e) => {
                let ps = self.ps();
                if ps.file >= 0 {
                    ps.file += 1;
                }
                ps.block = 0;
                Err(errno::from_scsi(&e))
            }
        }
    }

    /// st's `st_flush` at close of a no-rewind node.
    pub(super) fn st_flush(&mut self) -> Result<(), TapeError> {
        if self.ready != Ready::Yes {
            return Ok(());
        }
        if self.rw == Rw::Writing {
            self.rw = Rw::Idle;
            let two = self.hs.opt(DriverOptions::TWO_FM);
            let immed = self.hs.opt(DriverOptions::NOWAIT_EOF);
            let r = ssc::write_filemarks(&mut self.t, 1 + u32::from(two), immed);
            let ok = match &r {
                Ok(_) => true,
                Err(e) => e.sense().is_some_and(|s| {
                    s.eom
                        && !s.is_deferred()
                        && matches!(s.key, SenseKey::NoSense | SenseKey::RecoveredError)
                        && s.information.unwrap_or(0) == 0
                }),
            };
            if !ok {
                return Err(eio());
            }
            let ps = self.ps();
            if ps.file >= 0 {
                ps.file += 1;
            }
            ps.block = 0;
            if two {
                let _ = ssc::space(&mut self.t, SpaceCode::Filemarks, -1);
            }
            self.ps().eof = Eof::Fm;
            return Ok(());
        }
        let sysv = self.hs.opt(DriverOptions::SYSV);
        if !sysv || self.rw != Rw::Reading {
            return self.flush_buffer(false);
        }
        let eof = self.ps_ref().eof;
        let crossed = eof == Eof::NoEof && ssc::space(&mut self.t, SpaceCode::Filemarks, 1).is_ok();
        if crossed || eof == Eof::FmHit {
            let ps = self.ps();
            if ps.file >= 0 {
                ps.file += 1;
            }
            ps.block = 0;
            ps.eof = Eof::Fm;
        }
        Ok(())
    }
}

/// Why `read_tape` stopped without data for the caller.
enum ReadErr {
    /// BLANK CHECK with no filemark just before: st's EIO at end of data.
    Blank,
    /// Any other failure.
    Tape(TapeError),
}
