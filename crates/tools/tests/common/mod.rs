//! Test doubles for `mt`: a recording fake tape and a fake [`System`], plus helpers that run
//! the real binaries (Debian mt-st 1.7 and ours) under the LD_PRELOAD shim in `tests/shim`.
#![allow(dead_code, clippy::expect_used, clippy::panic)]

pub mod live;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use nix::errno::Errno;
use scsi_sg::mock::MockTransport;
use scsi_sg::{Command, Completion, Transport};
use tape_io::{MtOp, OpenMode, RawStatus, ReadOutcome, Tape, TapeError, TapeStatus, WriteOutcome};
use tapekit_tools::mt::{run, Output, PathInfo, System};

/// One call the fake tape saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// open(path, mode).
    Open(String, OpenMode),
    /// MTIOCTOP.
    Op(MtOp, i32),
    /// MTIOCGET.
    Get,
    /// MTIOCPOS.
    Pos,
    /// The node opened for SG_IO.
    OpenSg(String),
}

/// How the fake drive answers.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// MTIOCGET's answer (`Err(errno)` to fail).
    pub status: Option<Result<RawStatus, Errno>>,
    /// MTIOCPOS's answer.
    pub pos: Option<Result<u64, Errno>>,
    /// Fail the MTIOCTOP with this index (0-based) with this errno.
    pub fail_op: Option<(usize, Errno)>,
    /// Fail open(2) with this errno.
    pub open_error: Option<Errno>,
}

/// The SG_IO side of the fake: a shared scsi-sg mock, so tests can read the CDBs afterwards.
#[derive(Clone, Default)]
pub struct SharedMock(pub Rc<RefCell<MockTransport>>);

impl Transport for SharedMock {
    fn execute(&mut self, cmd: Command<'_>) -> std::io::Result<Completion> {
        self.0.borrow_mut().execute(cmd)
    }
}

/// A fake tape that records its calls into a shared log.
pub struct FakeTape {
    script: Script,
    log: Rc<RefCell<Vec<Call>>>,
    ops: usize,
}

impl Tape for FakeTape {
    fn mtop(&mut self, op: MtOp, count: i32) -> Result<(), TapeError> {
        self.log.borrow_mut().push(Call::Op(op, count));
        let index = self.ops;
        self.ops += 1;
        match self.script.fail_op {
            Some((i, e)) if i == index => Err(TapeError::from_errno(e)),
            _ => Ok(()),
        }
    }
    fn status(&mut self) -> Result<TapeStatus, TapeError> {
        self.log.borrow_mut().push(Call::Get);
        match self.script.status {
            Some(Ok(raw)) => Ok(TapeStatus::from_raw(raw)),
            Some(Err(e)) => Err(TapeError::from_errno(e)),
            None => Err(TapeError::from_errno(Errno::ENOTTY)),
        }
    }
    fn tell(&mut self) -> Result<u64, TapeError> {
        self.log.borrow_mut().push(Call::Pos);
        match self.script.pos {
            Some(Ok(p)) => Ok(p),
            Some(Err(e)) => Err(TapeError::from_errno(e)),
            None => Err(TapeError::from_errno(Errno::ENOTTY)),
        }
    }
    fn read_record(&mut self, _buf: &mut [u8]) -> Result<ReadOutcome, TapeError> {
        Err(TapeError::Backend("not used by mt".into()))
    }
    fn write_record(&mut self, _buf: &[u8]) -> Result<WriteOutcome, TapeError> {
        Err(TapeError::Backend("not used by mt".into()))
    }
}

/// A fake system: files are a map of path → stat facts, sysfs a map of path → text.
#[derive(Default)]
pub struct FakeSystem {
    pub script: Script,
    pub log: Rc<RefCell<Vec<Call>>>,
    pub tape_env: Option<String>,
    pub files: HashMap<String, PathInfo>,
    pub texts: HashMap<String, String>,
    pub sg: SharedMock,
    pub sg_open_error: Option<Errno>,
}

impl System for FakeSystem {
    type Tape = FakeTape;
    type Transport = SharedMock;
    fn open_transport(&mut self, path: &str) -> Result<SharedMock, Errno> {
        self.log.borrow_mut().push(Call::OpenSg(path.to_string()));
        match self.sg_open_error {
            Some(e) => Err(e),
            None => Ok(self.sg.clone()),
        }
    }
    fn open_tape(&mut self, path: &str, mode: OpenMode) -> Result<FakeTape, TapeError> {
        self.log
            .borrow_mut()
            .push(Call::Open(path.to_string(), mode));
        if let Some(e) = self.script.open_error {
            return Err(TapeError::Open(e));
        }
        Ok(FakeTape {
            script: self.script.clone(),
            log: Rc::clone(&self.log),
            ops: 0,
        })
    }
    fn tape_env(&self) -> Option<String> {
        self.tape_env.clone()
    }
    fn stat(&self, path: &str) -> Result<PathInfo, Errno> {
        self.files.get(path).copied().ok_or(Errno::ENOENT)
    }
    fn read_text(&self, path: &str) -> Option<String> {
        self.texts.get(path).cloned()
    }
}

/// What one in-process run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    pub code: u8,
    pub out: String,
    pub err: String,
    pub calls: Vec<Call>,
}

/// Run `mt` in-process on `sys`.
pub fn run_fake(sys: &mut FakeSystem, args: &[&str]) -> Ran {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(
        sys,
        &args,
        &mut Output {
            out: &mut out,
            err: &mut err,
        },
    );
    let calls = sys.log.borrow_mut().drain(..).collect();
    Ran {
        code,
        out: String::from_utf8_lossy(&out).into_owned(),
        err: String::from_utf8_lossy(&err).into_owned(),
        calls,
    }
}

/// A fake system whose drive reports `status`.
pub fn with_status(status: RawStatus) -> FakeSystem {
    FakeSystem {
        script: Script {
            status: Some(Ok(status)),
            ..Script::default()
        },
        ..FakeSystem::default()
    }
}

/// `RawStatus` from the reference's "type, resid, dsreg, gstat, erreg, fileno, blkno".
pub fn raw(
    t: i64,
    resid: i64,
    dsreg: i64,
    gstat: i64,
    erreg: i64,
    fileno: i32,
    blkno: i32,
) -> RawStatus {
    RawStatus {
        mt_type: t,
        mt_resid: resid,
        mt_dsreg: dsreg,
        mt_gstat: gstat,
        mt_erreg: erreg,
        mt_fileno: fileno,
        mt_blkno: blkno,
    }
}

/// The five MTIOCGET states of `mt-st.md` §6 with their golden `mt status` text.
pub const GOLDEN: &[(&str, &str, &str)] = &[
    (
        "LTO-5 at BOT",
        "0x72,0,0x58000000,0x41010000,0,0,0",
        "SCSI 2 tape drive:\nFile number=0, block number=0, partition=0.\nTape block size 0 bytes. Density code 0x58 (LTO-5).\nSoft error count since last status=0\nGeneral status bits on (41010000):\n BOT ONLINE IM_REP_EN\n",
    ),
    (
        "LTO-4 512-byte blocks, partition 1, file 2 past a filemark, write protected, 3 soft errors",
        "0x72,1,0x46000200,0x85000000,0x3,2,0",
        "SCSI 2 tape drive:\nFile number=2, block number=0, partition=1.\nTape block size 512 bytes. Density code 0x46 (LTO-4).\nSoft error count since last status=3\nGeneral status bits on (85000000):\n EOF WR_PROT ONLINE\n",
    ),
    (
        "density 0x99, unknown position, no tape",
        "0x72,0,0x99000000,0x00050000,0,-1,-1",
        "SCSI 2 tape drive:\nFile number=-1, block number=-1, partition=0.\nTape block size 0 bytes. Density code 0x99 (no translation).\nSoft error count since last status=0\nGeneral status bits on (50000):\n DR_OPEN IM_REP_EN\n",
    ),
    (
        "SCSI-1, every GMT bit set",
        "0x71,0,0x00000400,0xffffffff,0,3,7",
        "SCSI 1 tape drive:\nFile number=3, block number=7.\nTape block size 1024 bytes. Density code 0x0 (default).\nSoft error count since last status=0\nGeneral status bits on (ffffffff):\n EOF BOT EOT SM EOD WR_PROT ONLINE D_6250 D_1600 D_800 DR_OPEN IM_REP_EN CLN\n",
    ),
    (
        "unknown drive type 1",
        "0x01,0,0,0,0,3,7",
        "Unknown tape drive type (type code 1)\nFile number=3, block number=7.\nmt_resid: 0, mt_erreg: 0x0\nmt_dsreg: 0x0, mt_gstat: 0x0\nGeneral status bits on (0):\n\n",
    ),
];

/// Parse the shim's "type,resid,dsreg,gstat,erreg,fileno,blkno" (C `strtol` base 0 per field).
pub fn parse_status_spec(spec: &str) -> RawStatus {
    let v: Vec<i64> = spec
        .split(',')
        .map(|f| tapekit_tools::mt::count::strtol(f).value)
        .collect();
    let g = |i: usize| v.get(i).copied().unwrap_or(0);
    raw(g(0), g(1), g(2), g(3), g(4), g(5) as i32, g(6) as i32)
}

/// The usage texts of `mt-st.md` §8 (lines 3-8 end with a space).
pub const SHORT_USAGE: &str = "usage: mt [-v] [--version] [-h] [ -f device ] command [ count ]\ndefault tape device: /dev/tape\n";
pub const COMMAND_LIST: &str = "commands: weof, wset, eof, fsf, fsfm, bsf, bsfm, fsr, bsr, fss, bss, rewind, \n          offline, rewoffl, eject, retension, eod, seod, seek, tell, status, \n          erase, setblk, lock, unlock, load, compression, setdensity, \n          drvbuffer, stwrthreshold, stoptions, stsetoptions, stclearoptions, \n          defblksize, defdensity, defdrvbuffer, defcompression, stsetcln, \n          sttimeout, stlongtimeout, densities, setpartition, mkpartition, \n          partseek, asf, stshowoptions.\n";

/// The long usage.
pub fn long_usage() -> String {
    format!("{SHORT_USAGE}{COMMAND_LIST}")
}
