//! `mamattr`: read and write LTO cartridge memory (MAM) — the one-line Linux replacement for
//! IBM ITDT's `readattr`/`writeattr` and a full view of the attributes, built on
//! `scsi_sg::attributes` (SPC READ/WRITE ATTRIBUTE; reference/scsi.md §2-§5).
//!
//! ```text
//! mamattr [-f DEV] [-p N] [--json] list              every attribute: id, ro/rw, format, name, value
//! mamattr [-f DEV] [-p N] [--json] get ID|NAME       the decoded value only (FJK670L6)
//! mamattr [-f DEV] [-p N] set ID|NAME VALUE          e.g. set barcode FJK670L6
//! mamattr [-f DEV] [-p N] delete ID|NAME             WRITE ATTRIBUTE with length 0
//! mamattr [-f DEV] [-p N] read ID|NAME -o FILE       ITDT raw file: 5-byte header + value
//! mamattr [-f DEV] [-p N] write FILE                 write such a file back
//! mamattr --inhex FILE [--raw] [list|get ID|read ID -o FILE]
//!                                                    decode a saved READ ATTRIBUTE response
//! mamattr [--json] names                             the known attribute names
//! ```
//!
//! - DEV: `/dev/sgN` (SG_IO; preferred), `/dev/nstN` (SG_IO on the st node, needs
//!   CAP_SYS_RAWIO) or a `.vtape` file (the in-process emulated drive); see
//!   [`crate::device::open_transport`]. Without `-f`: `$TAPE`, then `/dev/tape` (as `mt`).
//! - ID|NAME: hex identifier (`0x0806`, `0806`, `806h`; ITDT's `-a 0806`) or a short name
//!   (`barcode`, `medium-serial`, `load-count`; `mamattr names` lists them).
//! - `set` values: text for ASCII (padded with spaces to the standard length) and TEXT
//!   attributes, a number (decimal or `0x` hex) for binary ones, hex bytes for vendor ones.
//!   Writes use WTC (on the cartridge before the command completes).
//! - Raw files are what `itdt readattr -a 0806 -d 0806.bin` writes (reference/scsi.md §4):
//!   `08 06 01 00 20` + 32 value bytes = 37 bytes for the barcode. `-o -`/`write -` use
//!   standard output/input.
//! - `--inhex FILE`: the hex text (white space separated bytes, `#` comments) or, with
//!   `--raw`, the binary of a READ ATTRIBUTE (ATTRIBUTE VALUES) response with its 4-byte
//!   AVAILABLE DATA, as sg3-utils' `sg_read_attr --in` and `--raw` use them.
//!
//! Exit status: 0 success; 1 for every failure, with `mamattr: <dev>: <message>` on stderr
//! (a drive's refusal shows its sense: `ILLEGAL REQUEST, 26/00 Invalid field in parameter list
//! (...)`; a read-only attribute or an over-length value is refused before anything is sent;
//! `get` of an absent attribute: `attribute 0x.... not present`); 2 for usage errors (clap).
//!
//! ```
//! use tapekit_tools::mamattr::hexin::parse_hex;
//! assert_eq!(parse_hex("00 00 # comment\n0a,ff").unwrap(), vec![0, 0, 0x0a, 0xff]);
//! ```

pub mod cli;
pub mod commands;
pub mod error;
pub mod hexin;
pub mod ident;
pub mod output;

use std::ffi::OsString;
use std::io::{Read, Write};

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use scsi_sg::Transport;

use crate::device::OpenError;
use cli::{Cli, Command, DEFAULT_DEVICE};
use commands::Source;
use error::MamError;

/// Exit status of a failed command.
pub const EXIT_FAILURE: u8 = 1;

/// Opens a device path as a SCSI transport.
pub type Opener<'a> = dyn FnMut(&str) -> Result<Box<dyn Transport>, OpenError> + 'a;

/// Everything the program talks to, so tests can run it without a drive.
pub struct Env<'a> {
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error.
    pub err: &'a mut dyn Write,
    /// Standard input (`write -`, `--inhex -`).
    pub input: &'a mut dyn Read,
    /// `$TAPE`.
    pub tape_env: Option<String>,
    /// The device opener ([`crate::device::open_transport`] in the binary).
    pub open: &'a mut Opener<'a>,
}

/// Why [`execute`] failed.
#[derive(Debug)]
pub enum Failure {
    /// Rejected arguments (exit 2, clap's format).
    Usage(clap::Error),
    /// The command failed (exit 1).
    Command(MamError),
}

impl From<MamError> for Failure {
    fn from(e: MamError) -> Failure {
        Failure::Command(e)
    }
}

/// Runs `mamattr` with `args` (including the program name) and returns the exit status.
pub fn run<I, T>(args: I, env: &mut Env<'_>) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let result = Cli::try_parse_from(args)
        .map_err(Failure::Usage)
        .and_then(|cli| execute(&cli, env));
    match result {
        Ok(()) => 0,
        Err(Failure::Usage(e)) => {
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                env.err.write_all(text.as_bytes())
            } else {
                env.out.write_all(text.as_bytes())
            };
            u8::try_from(e.exit_code()).unwrap_or(2)
        }
        Err(Failure::Command(MamError::Output(e)))
            if e.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            EXIT_FAILURE
        }
        Err(Failure::Command(e)) => {
            let _ = writeln!(env.err, "mamattr: {e}");
            EXIT_FAILURE
        }
    }
}

/// A usage error (exit 2) with `mamattr`'s usage line.
fn usage(kind: ErrorKind, message: &str) -> Failure {
    Failure::Usage(Cli::command().error(kind, message))
}

/// The device: `-f`, else `$TAPE`, else [`DEFAULT_DEVICE`].
pub fn device_path(cli: &Cli, tape_env: Option<&str>) -> String {
    cli.opts
        .device
        .clone()
        .or_else(|| tape_env.filter(|t| !t.is_empty()).map(str::to_string))
        .unwrap_or_else(|| DEFAULT_DEVICE.to_string())
}

/// Executes a parsed command line.
pub fn execute(cli: &Cli, env: &mut Env<'_>) -> Result<(), Failure> {
    let command = match (&cli.command, &cli.opts.inhex) {
        (Some(Command::Names), _) => {
            let text = if cli.opts.json {
                output::names_json()
            } else {
                output::names_text()
            };
            return emit(env, &text);
        }
        (Some(Command::Set(_) | Command::Delete(_) | Command::Write(_)), Some(_)) => {
            return Err(usage(
                ErrorKind::ArgumentConflict,
                "--inhex decodes a saved response; set, delete and write need a device",
            ));
        }
        (Some(c), _) => c,
        (None, Some(_)) => &Command::List,
        (None, None) => {
            return Err(usage(
                ErrorKind::MissingSubcommand,
                "a command is required (list, get, set, delete, read, write, names)",
            ))
        }
    };
    let mut src = match &cli.opts.inhex {
        Some(path) => {
            let (src, warnings) = commands::load_saved(path, cli.opts.raw, env.input)?;
            for w in warnings {
                let _ = writeln!(env.err, "mamattr: {}: warning: {w}", path.display());
            }
            src
        }
        None => {
            let dev = device_path(cli, env.tape_env.as_deref());
            let transport = (env.open)(&dev).map_err(|source| MamError::Open {
                dev: dev.clone(),
                source,
            })?;
            Source::Device {
                dev,
                transport,
                partition: cli.opts.partition,
            }
        }
    };
    match command {
        Command::List => {
            let all = src.all()?;
            let text = if cli.opts.json {
                output::list_json(&all)
            } else {
                output::list_text(&all)
            };
            emit(env, &text)
        }
        Command::Get(a) => {
            let attr = src.require(a.attr.id())?;
            let loc = src.localization();
            let text = if cli.opts.json {
                output::get_json(&attr, loc)
            } else {
                format!("{}\n", output::value_text(&attr, loc))
            };
            emit(env, &text)
        }
        Command::Set(s) => Ok(commands::set(&mut src, s.attr.id(), &s.value)?),
        Command::Delete(a) => Ok(commands::delete(&mut src, a.attr.id())?),
        Command::Read(r) => {
            let bytes = commands::read_raw(&mut src, r.attr.id())?;
            Ok(commands::save(&r.output, &bytes, env.out)?)
        }
        Command::Write(w) => {
            commands::write_raw(&mut src, &w.input, env.input)?;
            Ok(())
        }
        Command::Names => Ok(()),
    }
}

/// Write `text` to standard output.
fn emit(env: &mut Env<'_>, text: &str) -> Result<(), Failure> {
    env.out
        .write_all(text.as_bytes())
        .and_then(|()| env.out.flush())
        .map_err(|e| Failure::Command(MamError::Output(e)))
}
