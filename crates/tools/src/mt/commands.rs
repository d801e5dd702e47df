//! The command table of mt-st 1.7, in its lookup (and `-h` listing) order, with the lookup
//! rule: a command is the first name in table order that the argument is a prefix of; a
//! prefix that matches several names is refused unless it is a whole name.
//!
//! tapekit's own commands live in a second table, [`EXTENSIONS`], consulted only when a name
//! is unknown to the 1.7 table, so no 1.7 abbreviation changes meaning (`t` is still `tell`).

use tape_io::{DrvBufferRequest, MtOp};

/// The st driver-option word (MTSETDRVBUFFER count) a `stoptions`-family command sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionsMode {
    /// `stoptions`: MT_ST_BOOLEANS, set the options to exactly these bits.
    Set,
    /// `stsetoptions`: MT_ST_SETBOOLEANS, turn these bits on.
    Add,
    /// `stclearoptions`: MT_ST_CLEARBOOLEANS, turn these bits off.
    Clear,
}

/// A MTSETDRVBUFFER command that takes one number; the encoding (selector and mask) is
/// [`DrvBufferRequest::count`]'s, which is mt-st 1.7's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrvField {
    /// `drvbuffer`: the drive's buffer mode.
    BufferMode,
    /// `stwrthreshold`: write threshold (KiB).
    WriteThreshold,
    /// `defblksize`: default block size (`-1` clears it).
    DefBlockSize,
    /// `defdensity`: default density.
    DefDensity,
    /// `defdrvbuffer`: default drive buffer mode.
    DefDrvBuffer,
    /// `defcompression`: default compression.
    DefCompression,
    /// `stsetcln`: cleaning-request pattern.
    SetCleaning,
    /// `sttimeout`: normal timeout (s).
    Timeout,
    /// `stlongtimeout`: long timeout (s).
    LongTimeout,
}

impl DrvField {
    /// The request for the user's value `v` (the C `int` bits, reinterpreted).
    pub fn request(self, v: u32) -> DrvBufferRequest {
        use DrvBufferRequest as R;
        match self {
            DrvField::BufferMode => R::BufferMode(v),
            DrvField::WriteThreshold => R::WriteThreshold(v),
            DrvField::DefBlockSize => R::DefBlockSize(Some(v)),
            DrvField::DefDensity => R::DefDensity(Some(v)),
            DrvField::DefDrvBuffer => R::DefDrvBuffer(Some(v)),
            DrvField::DefCompression => R::DefCompression(Some(v)),
            DrvField::SetCleaning => R::SetCleaning(v),
            DrvField::Timeout => R::Timeout(v),
            DrvField::LongTimeout => R::LongTimeout(v),
        }
    }
}

/// What a command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// One MTIOCTOP with a repeat count (default 1, unit suffixes allowed).
    Standard(MtOp),
    /// One MTSETDRVBUFFER with a masked number (default 1, no units).
    DrvBuffer(DrvField),
    /// MTSETDRVBUFFER with option words or a number.
    Options(OptionsMode),
    /// MTIOCPOS, printed as `At block N.`.
    Tell,
    /// MTIOCGET, printed as mt-st does (or as JSON with `--json`).
    Status,
    /// Print the density table; no device.
    Densities,
    /// MTSETPART P, then MTSEEK BLK.
    PartSeek,
    /// MTREW, then MTFSF n when n > 0.
    Asf,
    /// Print the st options from sysfs.
    ShowOptions,
    /// tapekit: print the TapeAlert flags (LOG SENSE page 0x2E over SG_IO).
    TapeAlert,
    /// tapekit: print the volume statistics (LOG SENSE page 0x17 over SG_IO).
    VolumeStatistics,
}

/// How many arguments a command accepts after its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// None.
    None,
    /// At most one.
    One,
    /// At most two.
    Two,
    /// Any number.
    Many,
}

impl ArgKind {
    /// The largest number of arguments accepted.
    pub fn max(self) -> usize {
        match self {
            ArgKind::None => 0,
            ArgKind::One => 1,
            ArgKind::Two => 2,
            ArgKind::Many => usize::MAX,
        }
    }
}

/// How the device is opened for a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No device is opened.
    None,
    /// `O_RDONLY`.
    ReadOnly,
    /// `O_RDWR`.
    ReadWrite,
    /// The command opens the node itself for SCSI pass-through (tapekit's log commands).
    Passthrough,
}

/// The checks made after a failed command (mt-st's "error tests").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ErrorTests {
    /// Report an offline drive. Commands without this test open with `O_NONBLOCK`.
    pub online: bool,
    /// Report a write-protected tape.
    pub write_protect: bool,
}

impl ErrorTests {
    /// True if any test applies.
    pub fn any(self) -> bool {
        self.online || self.write_protect
    }
}

/// One row of the command table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    /// The name (also the `-h` listing entry).
    pub name: &'static str,
    /// What it does.
    pub action: Action,
    /// Arguments accepted.
    pub args: ArgKind,
    /// How the device is opened.
    pub access: Access,
    /// Post-failure checks.
    pub tests: ErrorTests,
}

const ON: ErrorTests = ErrorTests {
    online: true,
    write_protect: false,
};
const ON_WP: ErrorTests = ErrorTests {
    online: true,
    write_protect: true,
};
const NONE: ErrorTests = ErrorTests {
    online: false,
    write_protect: false,
};

const fn std_cmd(
    name: &'static str,
    op: MtOp,
    args: ArgKind,
    access: Access,
    tests: ErrorTests,
) -> Command {
    Command {
        name,
        action: Action::Standard(op),
        args,
        access,
        tests,
    }
}

const fn drv(name: &'static str, field: DrvField) -> Command {
    Command {
        name,
        action: Action::DrvBuffer(field),
        args: ArgKind::One,
        access: Access::ReadOnly,
        tests: NONE,
    }
}

const fn opt(name: &'static str, mode: OptionsMode) -> Command {
    Command {
        name,
        action: Action::Options(mode),
        args: ArgKind::Many,
        access: Access::ReadOnly,
        tests: NONE,
    }
}

const fn other(
    name: &'static str,
    action: Action,
    args: ArgKind,
    access: Access,
    tests: ErrorTests,
) -> Command {
    Command {
        name,
        action,
        args,
        access,
        tests,
    }
}

use self::{
    Access::ReadOnly as RO, Access::ReadWrite as RW, ArgKind::None as A0, ArgKind::One as A1,
};

/// mt-st 1.7's commands, in table order.
pub const COMMANDS: &[Command] = &[
    std_cmd("weof", MtOp::Weof, A1, RW, ON_WP),
    std_cmd("wset", MtOp::Wsm, A1, RW, ON_WP),
    std_cmd("eof", MtOp::Weof, A1, RW, ON),
    std_cmd("fsf", MtOp::Fsf, A1, RO, ON),
    std_cmd("fsfm", MtOp::Fsfm, A1, RO, ON),
    std_cmd("bsf", MtOp::Bsf, A1, RO, ON),
    std_cmd("bsfm", MtOp::Bsfm, A1, RO, ON),
    std_cmd("fsr", MtOp::Fsr, A1, RO, ON),
    std_cmd("bsr", MtOp::Bsr, A1, RO, ON),
    std_cmd("fss", MtOp::Fss, A1, RO, ON),
    std_cmd("bss", MtOp::Bss, A1, RO, ON),
    std_cmd("rewind", MtOp::Rew, A0, RO, ON),
    std_cmd("offline", MtOp::Offl, A0, RO, ON),
    std_cmd("rewoffl", MtOp::Offl, A0, RO, ON),
    std_cmd("eject", MtOp::Offl, A0, RO, ON),
    std_cmd("retension", MtOp::Reten, A0, RO, ON),
    std_cmd("eod", MtOp::Eom, A0, RO, ON),
    std_cmd("seod", MtOp::Eom, A0, RO, ON),
    std_cmd("seek", MtOp::Seek, A1, RO, ON),
    other("tell", Action::Tell, A0, RO, ON),
    other("status", Action::Status, A0, RO, NONE),
    std_cmd("erase", MtOp::Erase, A1, RW, ON),
    std_cmd("setblk", MtOp::SetBlk, A1, RO, NONE),
    std_cmd("lock", MtOp::Lock, A0, RO, ON),
    std_cmd("unlock", MtOp::Unlock, A0, RO, ON),
    std_cmd("load", MtOp::Load, A1, RO, NONE),
    std_cmd("compression", MtOp::Compression, A1, RO, NONE),
    std_cmd("setdensity", MtOp::SetDensity, A1, RO, NONE),
    drv("drvbuffer", DrvField::BufferMode),
    drv("stwrthreshold", DrvField::WriteThreshold),
    opt("stoptions", OptionsMode::Set),
    opt("stsetoptions", OptionsMode::Add),
    opt("stclearoptions", OptionsMode::Clear),
    drv("defblksize", DrvField::DefBlockSize),
    drv("defdensity", DrvField::DefDensity),
    drv("defdrvbuffer", DrvField::DefDrvBuffer),
    drv("defcompression", DrvField::DefCompression),
    drv("stsetcln", DrvField::SetCleaning),
    drv("sttimeout", DrvField::Timeout),
    drv("stlongtimeout", DrvField::LongTimeout),
    other("densities", Action::Densities, A0, Access::None, NONE),
    std_cmd("setpartition", MtOp::SetPart, A1, RO, ON),
    std_cmd("mkpartition", MtOp::MkPart, A1, RW, ON),
    other("partseek", Action::PartSeek, ArgKind::Two, RO, ON),
    other("asf", Action::Asf, A1, RO, ON),
    other("stshowoptions", Action::ShowOptions, A1, RO, NONE),
];

/// tapekit's additional commands (SG_IO on the same device node), looked up only when a name
/// is unknown to [`COMMANDS`].
pub const EXTENSIONS: &[Command] = &[
    other(
        "tapealert",
        Action::TapeAlert,
        A0,
        Access::Passthrough,
        NONE,
    ),
    other(
        "volstats",
        Action::VolumeStatistics,
        A0,
        Access::Passthrough,
        NONE,
    ),
];

/// Why a command name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupError {
    /// No command starts with this text.
    Unknown,
    /// Several commands start with this text and none equals it.
    Ambiguous,
}

/// mt-st's lookup rule over one table: the first name in table order that starts with `word`;
/// refused if `word` is not that whole name and a later name also starts with it.
pub fn lookup_in<'t>(table: &'t [Command], word: &str) -> Result<&'t Command, LookupError> {
    let mut matches = table.iter().filter(|c| c.name.starts_with(word));
    let first = matches.next().ok_or(LookupError::Unknown)?;
    if first.name.len() != word.len() && matches.next().is_some() {
        return Err(LookupError::Ambiguous);
    }
    Ok(first)
}

/// Find a command: the mt-st 1.7 table first, then (only for names it does not know) the
/// tapekit extensions, by the same rule.
pub fn lookup(word: &str) -> Result<&'static Command, LookupError> {
    match lookup_in(COMMANDS, word) {
        Err(LookupError::Unknown) => lookup_in(EXTENSIONS, word),
        found => found,
    }
}
