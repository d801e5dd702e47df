//! The st driver's per-device bookkeeping that the kernel keeps between two opens of
//! `/dev/nstN` (kernel `struct scsi_tape` / `struct st_partstat` / `struct st_modedef`):
//! driver options and defaults, the current and pending partition, and per partition the
//! file and block numbers (−1 = unknown) and the EOF state. "Last operation was a write"
//! (`rw`) is not kept: close resolves it (st_flush writes the filemark).
//!
//! The bytes are stored in the drive's host-state blob (`Drive::set_host_state`). Layout,
//! little-endian: version byte, then the fields in [`HostState::encode`] order. Anything that
//! does not decode (wrong version, short, bad enum value) gives the defaults, as after a
//! fresh boot with a new tape.

use tape_io::DriverOptions;

/// Format version of the encoded state.
const VERSION: u8 = 1;
/// Partitions st keeps state for (`ST_NBR_PARTITIONS`).
pub const NBR_PARTITIONS: usize = 4;
/// st's default normal timeout in seconds.
const DEFAULT_TIMEOUT: u32 = 900;
/// st's default long timeout in seconds.
const DEFAULT_LONG_TIMEOUT: u32 = 14_000;

/// st's `STps->eof` states, in the kernel's order (comparisons rely on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Eof {
    /// ST_NOEOF.
    #[default]
    NoEof = 0,
    /// ST_FM_HIT: a fixed-mode read stopped at a filemark; its 0 return is pending.
    FmHit = 1,
    /// ST_FM: just after a filemark that was reported.
    Fm = 2,
    /// ST_EOM_OK: early warning met on write.
    EomOk = 3,
    /// ST_EOM_ERROR: end of medium with lost data.
    EomError = 4,
    /// ST_EOD_1: first ENOSPC given after early warning / first EOD report.
    Eod1 = 5,
    /// ST_EOD_2: second EOD report.
    Eod2 = 6,
    /// ST_EOD: at end of data.
    Eod = 7,
}

impl Eof {
    fn from_u8(b: u8) -> Option<Eof> {
        Some(match b {
            0 => Eof::NoEof,
            1 => Eof::FmHit,
            2 => Eof::Fm,
            3 => Eof::EomOk,
            4 => Eof::EomError,
            5 => Eof::Eod1,
            6 => Eof::Eod2,
            7 => Eof::Eod,
            _ => return None,
        })
    }
}

/// Per-partition position state (`struct st_partstat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartState {
    /// `drv_file`: file number, −1 when unknown.
    pub file: i32,
    /// `drv_block`: block number in the file, −1 when unknown.
    pub block: i32,
    /// `eof` state.
    pub eof: Eof,
    /// `at_sm`: at a setmark.
    pub at_sm: bool,
}

impl Default for PartState {
    fn default() -> Self {
        PartState {
            file: 0,
            block: 0,
            eof: Eof::NoEof,
            at_sm: false,
        }
    }
}

/// Everything st keeps between opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostState {
    /// Driver option bits ([`DriverOptions`]).
    pub options: u32,
    /// Default block size (`None` = don't touch).
    pub def_blksize: Option<u32>,
    /// Default density.
    pub def_density: Option<u32>,
    /// Default compression.
    pub def_compression: Option<u32>,
    /// Default drive buffer mode.
    pub def_drvbuffer: Option<u32>,
    /// Normal timeout (s).
    pub timeout: u32,
    /// Long timeout (s).
    pub long_timeout: u32,
    /// Cleaning-request pattern (`MT_ST_SET_CLN` value).
    pub cln: u32,
    /// Write threshold (KiB; accepted and ignored like current kernels).
    pub write_threshold: u32,
    /// Current partition.
    pub partition: u8,
    /// Partition requested by MTSETPART, entered at the next operation.
    pub new_partition: u8,
    /// Number of partitions st believes the tape has (0 = not yet asked).
    pub nbr_partitions: u8,
    /// The door was locked with MTLOCK.
    pub door_locked: bool,
    /// Per-partition positions.
    pub ps: [PartState; NBR_PARTITIONS],
}

impl Default for HostState {
    fn default() -> Self {
        HostState {
            // st_options.h: buffer writes, async writes and read-ahead are on; the drive can
            // space backwards (ST_IN_FILE_POS / can_bsr for SCSI-2 drives).
            options: DriverOptions::BUFFER_WRITES
                | DriverOptions::ASYNC_WRITES
                | DriverOptions::READ_AHEAD
                | DriverOptions::CAN_BSR,
            def_blksize: None,
            def_density: None,
            def_compression: None,
            def_drvbuffer: None,
            timeout: DEFAULT_TIMEOUT,
            long_timeout: DEFAULT_LONG_TIMEOUT,
            cln: 0,
            write_threshold: 0,
            partition: 0,
            new_partition: 0,
            nbr_partitions: 0,
            door_locked: false,
            ps: [PartState::default(); NBR_PARTITIONS],
        }
    }
}

fn put_opt(out: &mut Vec<u8>, v: Option<u32>) {
    out.push(u8::from(v.is_some()));
    out.extend_from_slice(&v.unwrap_or(0).to_le_bytes());
}

/// A bounds-checked little-endian reader.
struct Reader<'a> {
    b: &'a [u8],
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let head = self.b.get(..N)?;
        let arr: [u8; N] = head.try_into().ok()?;
        self.b = self.b.get(N..)?;
        Some(arr)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take::<1>().map(|[b]| b)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take::<4>().map(u32::from_le_bytes)
    }
    fn i32(&mut self) -> Option<i32> {
        self.take::<4>().map(i32::from_le_bytes)
    }
    fn bool(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn opt(&mut self) -> Option<Option<u32>> {
        let present = self.bool()?;
        let v = self.u32()?;
        Some(present.then_some(v))
    }
}

impl HostState {
    /// Encode for `Drive::set_host_state` (well under the 512-byte limit).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![VERSION];
        out.extend_from_slice(&self.options.to_le_bytes());
        for v in [
            self.def_blksize,
            self.def_density,
            self.def_compression,
            self.def_drvbuffer,
        ] {
            put_opt(&mut out, v);
        }
        for v in [
            self.timeout,
            self.long_timeout,
            self.cln,
            self.write_threshold,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&[
            self.partition,
            self.new_partition,
            self.nbr_partitions,
            u8::from(self.door_locked),
        ]);
        for p in &self.ps {
            out.extend_from_slice(&p.file.to_le_bytes());
            out.extend_from_slice(&p.block.to_le_bytes());
            out.push(p.eof as u8);
            out.push(u8::from(p.at_sm));
        }
        out
    }

    /// Decode; `None` for anything malformed (the caller then uses the defaults).
    pub fn decode(b: &[u8]) -> Option<HostState> {
        let mut r = Reader { b };
        if r.u8()? != VERSION {
            return None;
        }
        let mut s = HostState {
            options: r.u32()?,
            def_blksize: r.opt()?,
            def_density: r.opt()?,
            def_compression: r.opt()?,
            def_drvbuffer: r.opt()?,
            timeout: r.u32()?,
            long_timeout: r.u32()?,
            cln: r.u32()?,
            write_threshold: r.u32()?,
            partition: r.u8()?,
            new_partition: r.u8()?,
            nbr_partitions: r.u8()?,
            door_locked: r.bool()?,
            ps: [PartState::default(); NBR_PARTITIONS],
        };
        for p in &mut s.ps {
            p.file = r.i32()?;
            p.block = r.i32()?;
            p.eof = Eof::from_u8(r.u8()?)?;
            p.at_sm = r.bool()?;
        }
        let parts = NBR_PARTITIONS as u8;
        if s.partition >= parts || s.new_partition >= parts || s.nbr_partitions > parts {
            return None;
        }
        Some(s)
    }

    /// Decode, falling back to the defaults.
    pub fn decode_or_default(b: &[u8]) -> HostState {
        HostState::decode(b).unwrap_or_default()
    }

    /// True if every bit of `bits` is set in the options.
    pub fn opt(&self, bits: u32) -> bool {
        self.options & bits == bits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_garbage() {
        let mut s = HostState::default();
        s.options |= DriverOptions::TWO_FM;
        s.def_blksize = Some(512);
        s.partition = 1;
        s.ps[1] = PartState {
            file: -1,
            block: 7,
            eof: Eof::Eod2,
            at_sm: false,
        };
        let b = s.encode();
        assert!(b.len() <= 512);
        assert_eq!(HostState::decode(&b), Some(s.clone()));
        for n in 0..b.len() {
            assert_eq!(HostState::decode(&b[..n]), None);
        }
        assert_eq!(HostState::decode_or_default(&[]), HostState::default());
        let mut bad = b.clone();
        bad[0] = 9;
        assert_eq!(HostState::decode(&bad), None);
    }
}
