//! Table-driven command dispatch (SAM-5 / SPC-4 command processing order for one I_T
//! nexus): operation code lookup (unknown → ILLEGAL REQUEST 20/00), CDB length, pending
//! UNIT ATTENTION (reported once to any command but INQUIRY and REQUEST SENSE), NOT READY
//! 3A/00 when a medium-access command finds no cartridge, then the handler. The completion
//! carries fixed-format sense bytes and their decoded form, and the residual
//! (buffer length − bytes moved), as SG_IO reports them.

use scsi_sg::{opcode, Completion, DataDir, ScsiStatus, Sense};

use super::cdb::{cdb_len, Cdb};
use super::sense::{invalid_cdb, invalid_opcode, not_present, CmdResult, Outcome};
use super::{attributes, format, inquiry, log, mode, motion, position, rw, security, Drive};

/// Data direction of a command (for transports that must know it before the data phase).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// No data phase.
    None,
    /// Data-in (device to host).
    In,
    /// Data-out (host to device).
    Out,
}

/// A command handler.
pub(crate) type Handler = fn(&mut Drive, &Cdb<'_>, &mut DataDir<'_>) -> CmdResult;

/// One row of the dispatch table.
#[derive(Clone, Copy)]
pub struct CommandInfo {
    /// Operation code.
    pub opcode: u8,
    /// Command name as the standard spells it.
    pub name: &'static str,
    /// The command needs a loaded medium (NOT READY 3A/00 otherwise).
    pub needs_medium: bool,
    /// Data direction.
    pub direction: Direction,
    pub(crate) handler: Handler,
}

impl std::fmt::Debug for CommandInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandInfo")
            .field("opcode", &self.opcode)
            .field("name", &self.name)
            .field("needs_medium", &self.needs_medium)
            .field("direction", &self.direction)
            .finish()
    }
}

/// A table row (shorthand for the family modules).
pub(crate) const fn row(
    opcode: u8,
    name: &'static str,
    needs_medium: bool,
    direction: Direction,
    handler: Handler,
) -> CommandInfo {
    CommandInfo {
        opcode,
        name,
        needs_medium,
        direction,
        handler,
    }
}

/// Every command family; add a family's slice here.
const FAMILIES: &[&[CommandInfo]] = &[
    inquiry::COMMANDS,
    rw::COMMANDS,
    motion::COMMANDS,
    position::COMMANDS,
    mode::COMMANDS,
    format::COMMANDS,
    log::COMMANDS,
    security::COMMANDS,
    attributes::COMMANDS,
];

/// Every row of the table.
pub(crate) fn commands() -> impl Iterator<Item = &'static CommandInfo> {
    FAMILIES.iter().flat_map(|f| f.iter())
}

fn lookup(op: u8) -> Option<&'static CommandInfo> {
    commands().find(|c| c.opcode == op)
}

/// Commands that never report a pending UNIT ATTENTION (SPC-4 §5.14: INQUIRY, REQUEST
/// SENSE; REQUEST SENSE returns it as its data instead).
fn ua_exempt(op: u8) -> bool {
    op == opcode::INQUIRY || op == opcode::REQUEST_SENSE
}

fn run(drive: &mut Drive, cdb: &[u8], data: &mut DataDir<'_>) -> CmdResult {
    let op = *cdb.first().ok_or_else(invalid_opcode)?;
    let cmd = lookup(op).ok_or_else(invalid_opcode)?;
    if cdb.len() < cdb_len(op) {
        return Err(invalid_cdb(0, None));
    }
    if !ua_exempt(op) {
        if let Some(ua) = drive.pending.take() {
            return Err(ua);
        }
    }
    if cmd.needs_medium && !drive.state.loaded {
        return Err(not_present());
    }
    (cmd.handler)(drive, &Cdb(cdb), data)
}

/// Executes one command and builds its completion.
pub(crate) fn execute(drive: &mut Drive, cdb: &[u8], mut data: DataDir<'_>) -> Completion {
    let len = data.len();
    let outcome = match run(drive, cdb, &mut data) {
        Ok(o) => o,
        Err(sense) => Outcome {
            moved: 0,
            sense: Some(sense),
        },
    };
    completion(outcome, len)
}

fn completion(outcome: Outcome, buffer_len: usize) -> Completion {
    let mut c = Completion::good();
    c.residual = buffer_len.saturating_sub(outcome.moved);
    if let Some(s) = outcome.sense {
        c.status = ScsiStatus::CHECK_CONDITION;
        c.sense_bytes = s.to_fixed_bytes();
        c.sense = Sense::parse(&c.sense_bytes).ok();
    }
    c
}
