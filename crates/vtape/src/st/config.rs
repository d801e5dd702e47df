//! st's configuration operations: MTSETBLK / MTSETDENSITY / MTSETDRVBUFFER buffer mode
//! (MODE SELECT(6) with one block descriptor, kernel `st_int_ioctl`), the mode defaults
//! (`set_mode_densblk`), MTCOMPRESSION (page 0Fh, `st_compression`), MTSETDRVBUFFER driver
//! options (`st_set_options`), MTSETPART and MTMKPART (page 11h + FORMAT MEDIUM,
//! `partition_tape`); `reference/st-driver.md` §4 and §6.
//!
//! Differences from the kernel: MTSETDRVBUFFER needs no CAP_SYS_ADMIN here, and MODE SELECT
//! is sent with PF = 1 only (st retries once with PF flipped on ILLEGAL REQUEST; LTO drives
//! accept PF = 1).

use scsi_sg::mode::{self, ModeData, ModeSelectList, PageControl};
use scsi_sg::opcode::mode_page;
use scsi_sg::{ssc, Command, DataDir, ScsiError, TimeoutClass, Transport};
use tape_io::{DrvBufferRequest, MtOp, TapeError};

use super::errno::{self, eio};
use super::state::{PartState, NBR_PARTITIONS};
use super::{Ready, VirtualTape};

/// st's MODE SENSE at open: 12 bytes (header + one block descriptor), page 0.
const OPEN_SENSE_LEN: u8 = 12;
/// Medium partition page (after its 2-byte header): additional partitions defined.
const PP_ADDITIONAL: usize = 1;
/// Medium partition page: flags byte (FDP SDP IDP PSUM POFM CLEAR ADDP).
const PP_FLAGS: usize = 2;
/// Medium partition page: partition units (low nibble).
const PP_UNITS: usize = 4;
/// Medium partition page: first partition size descriptor.
const PP_SIZES: usize = 6;
/// IDP: initiator-defined partitions.
const IDP: u8 = 0x20;
/// PSUM field mask and values (bits 4-3): megabytes, or units of 10^PARTITION UNITS bytes.
const PSUM_MASK: u8 = 0x18;
const PSUM_MB: u8 = 0x10;
const PSUM_UNITS: u8 = 0x18;
/// POFM: partition on FORMAT MEDIUM.
const POFM: u8 = 0x04;
/// PARTITION UNITS for gigabytes (10^9 bytes).
const UNITS_GB: u8 = 9;
/// Largest size st gives in megabytes before switching to gigabytes.
const MAX_MB: i64 = 65_534;
/// Partition size "the rest of the medium".
const SIZE_REST: u16 = 0xFFFF;

/// MODE SENSE(6) as st sends it at open: page 0, block descriptor, 12 bytes.
pub(super) fn mode_sense_header<T: Transport>(t: &mut T) -> Result<ModeData, ScsiError> {
    let cdb = mode::sense6_cdb(PageControl::Current, 0, 0, false, OPEN_SENSE_LEN);
    let mut buf = [0u8; OPEN_SENSE_LEN as usize];
    let info = t.run(Command::new(
        &cdb,
        DataDir::FromDevice(&mut buf),
        TimeoutClass::Config,
    ))?;
    let got = buf.len().saturating_sub(info.residual);
    Ok(mode::parse6(buf.get(..got).unwrap_or(&[]))?)
}

fn nonneg(v: i32) -> Result<u32, TapeError> {
    u32::try_from(v).map_err(|_| TapeError::InvalidArgument)
}

impl<T: Transport> VirtualTape<T> {
    /// MTSETBLK, MTSETDENSITY, MTSETDRVBUFFER (buffer mode): one MODE SELECT(6).
    pub(super) fn set_mode(&mut self, op: MtOp, arg: i32) -> Result<(), TapeError> {
        let arg = nonneg(arg)?;
        if op == MtOp::SetBlk && arg != 0 {
            let ok = self
                .limits
                .is_none_or(|l| arg >= u32::from(l.min) && (l.max == 0 || arg <= l.max));
            if !ok || arg > 0x00FF_FFFF {
                return Err(TapeError::InvalidArgument);
            }
        }
        let density = if op == MtOp::SetDensity {
            u8::try_from(arg).map_err(|_| TapeError::InvalidArgument)?
        } else {
            self.density
        };
        let block = if op == MtOp::SetBlk {
            arg
        } else {
            self.block_size
        };
        let buffer = if op == MtOp::SetDrvBuffer {
            (arg & 7) as u8
        } else {
            self.drv_buffer
        };
        self.select_dens_blk(density, block, buffer)?;
        match op {
            MtOp::SetBlk => self.blksize_changed = true,
            MtOp::SetDensity => self.density_changed = true,
            _ => {}
        }
        Ok(())
    }

    fn select_dens_blk(&mut self, density: u8, block: u32, buffer: u8) -> Result<(), TapeError> {
        if self.ready != Ready::Yes {
            return Err(if self.ready == Ready::NoTape {
                TapeError::NoMedium
            } else {
                eio()
            });
        }
        let list = ModeSelectList::block_descriptor_only(density, block, buffer);
        mode::select6(&mut self.t, &list, false).map_err(|e| errno::from_scsi(&e))?;
        self.density = density;
        self.block_size = block;
        self.drv_buffer = buffer;
        Ok(())
    }

    /// st's `set_mode_densblk`: apply the default density / block size unless the user
    /// changed them in this session.
    pub(super) fn set_mode_densblk(&mut self) -> Result<(), TapeError> {
        let mut set = false;
        let mut density = self.density;
        let mut block = self.block_size;
        if let Some(d) = self.hs.def_density.filter(|_| !self.density_changed) {
            if d != u32::from(density) {
                density = (d & 0xFF) as u8;
                set = true;
            }
        }
        if let Some(b) = self.hs.def_blksize.filter(|_| !self.blksize_changed) {
            if b != block {
                block = b;
                set = true;
            }
        }
        if set {
            // st only warns when the defaults cannot be set.
            let _ = self.select_dens_blk(density, block, self.drv_buffer);
        }
        Ok(())
    }

    /// What st does for a new session at open: forget per-session changes, apply defaults
    /// (unless they apply to writes only) and the default drive buffer mode.
    pub(super) fn apply_defaults(&mut self) {
        self.density_changed = false;
        self.blksize_changed = false;
        if !self.hs.opt(tape_io::DriverOptions::DEF_WRITES) {
            let _ = self.set_mode_densblk();
        }
        if let Some(b) = self.hs.def_drvbuffer {
            let _ = self.select_dens_blk(self.density, self.block_size, (b & 7) as u8);
        }
    }

    /// MTCOMPRESSION: read page 0Fh, EIO if DCC = 0, set DCE, write it back.
    pub(super) fn st_compression(&mut self, on: bool) -> Result<(), TapeError> {
        if self.ready != Ready::Yes {
            return Err(eio());
        }
        let md = mode::sense6(
            &mut self.t,
            PageControl::Current,
            mode_page::DATA_COMPRESSION,
            0,
            true,
        )
        .map_err(|_| eio())?;
        let mut dc = md.data_compression().ok_or_else(eio)?;
        if !dc.dcc {
            return Err(eio());
        }
        dc.dce = on;
        let mut list = ModeSelectList::from_sense(&md);
        list.block_descriptors.clear();
        list.pages = vec![dc.to_page()];
        mode::select6(&mut self.t, &list, false).map_err(|_| eio())
    }

    /// MTSETDRVBUFFER with an option code (kernel `st_set_options`). Setting a default
    /// (block size, density, drive buffer mode, compression) while a tape is loaded applies
    /// it at once, as st does (`set_mode_densblk`, MTSETDRVBUFFER, `st_compression`; their
    /// errors are ignored). Observed on 6.12: `mt defblksize 1024` makes the next `mt status`
    /// show "Tape block size 1024 bytes".
    pub(super) fn set_options(&mut self, count: i32) -> Result<(), TapeError> {
        use DrvBufferRequest as R;
        let ready = self.ready == Ready::Yes;
        let hs = &mut self.hs;
        match DrvBufferRequest::decode(count).ok_or_else(eio)? {
            R::BufferMode(_) => return Err(eio()),
            R::SetBooleans(b) => hs.options = b,
            R::SetBits(b) => hs.options |= b,
            R::ClearBits(b) => hs.options &= !b,
            R::WriteThreshold(n) => hs.write_threshold = n,
            R::DefBlockSize(v) => {
                hs.def_blksize = v;
                if v.is_some() && ready {
                    self.blksize_changed = false;
                    self.set_mode_densblk()?;
                }
            }
            R::DefDensity(v) => {
                hs.def_density = v;
                if v.is_some() && ready {
                    self.density_changed = false;
                    self.set_mode_densblk()?;
                }
            }
            R::DefCompression(v) => {
                hs.def_compression = v;
                // Bits 8-15 select an algorithm; 0xFF in the low byte sets only that.
                if let Some(v) = v.filter(|v| v & 0xFF != 0xFF && ready) {
                    let _ = self.st_compression(v & 1 != 0);
                }
            }
            R::DefDrvBuffer(v) => {
                hs.def_drvbuffer = v;
                if let Some(b) = v.filter(|_| ready) {
                    let _ = self.select_dens_blk(self.density, self.block_size, (b & 7) as u8);
                }
            }
            R::Timeout(s) => hs.timeout = s,
            R::LongTimeout(s) => hs.long_timeout = s,
            R::SetCleaning(v) => hs.cln = v,
        }
        Ok(())
    }

    /// Partitions on the medium (page 11h: additional partitions defined + 1).
    fn nbr_partitions(&mut self) -> Result<u8, TapeError> {
        let md = mode::sense6(
            &mut self.t,
            PageControl::Current,
            mode_page::MEDIUM_PARTITION,
            0,
            true,
        )
        .map_err(|_| eio())?;
        let page = md.page(mode_page::MEDIUM_PARTITION, 0).ok_or_else(eio)?;
        let extra = page.data.get(PP_ADDITIONAL).copied().ok_or_else(eio)?;
        Ok(extra.saturating_add(1))
    }

    /// MTSETPART: remember the partition; the move happens at the next operation.
    pub(super) fn set_part(&mut self, count: i32) -> Result<(), TapeError> {
        let p = usize::try_from(count).map_err(|_| TapeError::InvalidArgument)?;
        if !self.can_partitions() || p >= NBR_PARTITIONS {
            return Err(TapeError::InvalidArgument);
        }
        if p >= usize::from(self.hs.nbr_partitions) {
            self.hs.nbr_partitions = self.nbr_partitions()?;
        }
        if p >= usize::from(self.hs.nbr_partitions) {
            return Err(TapeError::InvalidArgument);
        }
        self.hs.new_partition = p as u8;
        Ok(())
    }

    /// MTMKPART: LOAD, MODE SELECT page 11h, FORMAT MEDIUM when the drive partitions on
    /// format (POFM). `count` > 0: size of partition 1 in MB; < 0: of partition 0; 0: one
    /// partition. A size too large for the page's 16-bit field even in GB is EINVAL.
    pub(super) fn make_partitions(&mut self, count: i32) -> Result<(), TapeError> {
        if !self.can_partitions() {
            return Err(TapeError::InvalidArgument);
        }
        // Sizes above 65534 MB go in GB; one that does not fit the 16-bit field even then
        // is impossible (EINVAL), never silently "the rest" (FFFFh).
        let mut size = i64::from(count).abs();
        let gb = size > MAX_MB;
        if gb {
            size /= 1000;
        }
        if size > MAX_MB {
            return Err(TapeError::InvalidArgument);
        }
        let size = u16::try_from(size).map_err(|_| TapeError::InvalidArgument)?;
        ssc::load_unload(&mut self.t, true, false, false).map_err(|e| errno::from_scsi(&e))?;
        let md = mode::sense6(
            &mut self.t,
            PageControl::Current,
            mode_page::MEDIUM_PARTITION,
            0,
            true,
        )
        .map_err(|_| eio())?;
        let mut page = md
            .page(mode_page::MEDIUM_PARTITION, 0)
            .cloned()
            .ok_or_else(eio)?;
        let pofm = page.data.get(PP_FLAGS).is_some_and(|f| f & POFM != 0);
        let parts = if count == 0 { 1 } else { 2 };
        page.data.resize(PP_SIZES + 2 * parts, 0);
        let mut flags = page.data.get(PP_FLAGS).copied().unwrap_or(0) & !(PSUM_MASK | IDP);
        let mut units = 0u8;
        if count != 0 {
            flags |= IDP;
            if gb {
                flags |= PSUM_UNITS;
                units = UNITS_GB;
            } else {
                flags |= PSUM_MB;
            }
        }
        let (p0, p1) = if count > 0 {
            (SIZE_REST, size)
        } else {
            (size, SIZE_REST)
        };
        let d = &mut page.data;
        d[PP_ADDITIONAL] = (parts - 1) as u8;
        d[PP_FLAGS] = flags;
        d[PP_UNITS] = (d[PP_UNITS] & 0xF0) | units;
        d[PP_SIZES..PP_SIZES + 2].copy_from_slice(&p0.to_be_bytes());
        if parts == 2 {
            d[PP_SIZES + 2..PP_SIZES + 4].copy_from_slice(&p1.to_be_bytes());
        }
        let mut list = ModeSelectList::from_sense(&md);
        list.block_descriptors.clear();
        list.pages = vec![page];
        mode::select6(&mut self.t, &list, false).map_err(|_| eio())?;
        if pofm {
            ssc::format_medium(&mut self.t, 0, false).map_err(|_| eio())?;
        }
        self.hs.partition = 0;
        self.hs.new_partition = 0;
        self.hs.nbr_partitions = parts as u8;
        self.hs.ps = [PartState::default(); NBR_PARTITIONS];
        self.last_visited = [None; NBR_PARTITIONS];
        Ok(())
    }
}
