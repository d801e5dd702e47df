//! `vtape`: create and inspect `.vtape` cartridge files, the media of tapekit's emulated LTO
//! drive (`vtape::medium`; file format in the `vtape` crate docs).
//!
//! ```text
//! vtape create PATH [--generation lto5..lto9] [--capacity SIZE] [--partitions 1|2]
//!                   [--partition-size SIZE] [--write-protect] [--force]
//! vtape info PATH [--json]      generation, density, capacity, write protect, last close,
//!                               per partition: capacity, early warning, filemarks, records,
//!                               bytes, end of data, remaining
//! vtape dump PATH [--json]      per partition, one line per file with its record sizes
//!                               run-length compressed, filemarks, end of data
//! vtape protect PATH on|off     the write-protect switch
//! vtape serve PATH [--name tape0] [--cmd-time-out 5]
//!                               serve it as /dev/nstN + /dev/sgN (TCMU, root) until
//!                               SIGINT/SIGTERM; see [`serve`]
//! ```
//!
//! Sizes are parsed by [`crate::size::parse_size`]. A new cartridge is loaded in the drive at
//! the beginning of partition 0 (the drive's defaults for a medium without saved state).
//!
//! Exit status: 0 on success; 1 on failure with `vtape: <message>` on stderr (a file held by
//! another process gives "device busy", a damaged file the medium error naming the damage);
//! 2 for usage errors, as clap reports them.
//!
//! `info` and `dump` read only the index, never record data, and do not change the file —
//! except that opening a medium that was not closed cleanly recovers it as any open does
//! (a torn tail is cut off, and the rebuilt index is saved as a checkpoint when the medium is
//! dropped).

pub mod cli;
pub mod commands;
pub mod error;
pub mod report;
pub mod serve;
pub mod text;

use std::ffi::OsString;
use std::io::{self, Write};

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};

use cli::{Cli, Command, InspectArgs};
use error::CliError;

/// Exit status of a failed command.
pub const EXIT_FAILURE: u8 = 1;

/// Why [`execute`] failed: a usage error (exit 2, clap's format) or a command error.
#[derive(Debug)]
pub enum Failure {
    /// Rejected arguments.
    Usage(clap::Error),
    /// The command failed.
    Command(CliError),
}

impl From<CliError> for Failure {
    fn from(e: CliError) -> Failure {
        Failure::Command(e)
    }
}

/// Runs `vtape` with `args` (including the program name) and returns the exit status.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let result = Cli::try_parse_from(args)
        .map_err(Failure::Usage)
        .and_then(|cli| match &cli.command {
            Command::Serve(args) => serve::serve(args, err).map_err(Failure::Command),
            _ => execute(&cli, out),
        });
    match result {
        Ok(()) => 0,
        Err(Failure::Usage(e)) => {
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                err.write_all(text.as_bytes())
            } else {
                out.write_all(text.as_bytes())
            };
            u8::try_from(e.exit_code()).unwrap_or(2)
        }
        Err(Failure::Command(CliError::Output(e))) if e.kind() == io::ErrorKind::BrokenPipe => {
            EXIT_FAILURE
        }
        Err(Failure::Command(e)) => {
            let _ = writeln!(err, "vtape: {e}");
            EXIT_FAILURE
        }
    }
}

/// Executes a parsed command line, writing its normal output to `out`.
pub fn execute(cli: &Cli, out: &mut dyn Write) -> Result<(), Failure> {
    let text = match &cli.command {
        Command::Create(args) => {
            if args.partition_size.is_some() && args.partitions != 2 {
                return Err(Failure::Usage(usage_error(
                    "create",
                    "--partition-size needs --partitions 2",
                )));
            }
            commands::create(args)? + "\n"
        }
        Command::Info(args) => inspect(args, |path, m| {
            let info = report::medium_info(path, m);
            if args.json {
                json(&info)
            } else {
                text::info(&info)
            }
        })?,
        Command::Dump(args) => inspect(args, |path, m| {
            let layout = report::layout(path, m);
            if args.json {
                json(&layout)
            } else {
                text::dump(&layout)
            }
        })?,
        Command::Protect(args) => commands::protect(&args.path, args.state)? + "\n",
        Command::Serve(args) => {
            serve::serve(args, &mut io::stderr())?;
            String::new()
        }
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Failure::Command(CliError::Output(e)))
}

/// A usage error of subcommand `name`, with that subcommand's usage line.
fn usage_error(name: &str, message: &str) -> clap::Error {
    let mut cmd = Cli::command();
    cmd.build();
    match cmd.find_subcommand_mut(name) {
        Some(sub) => sub.error(ErrorKind::ArgumentConflict, message),
        None => cmd.error(ErrorKind::ArgumentConflict, message),
    }
}

/// Opens the medium, renders it, and releases it (dropped, not closed: no fsync).
fn inspect(
    args: &InspectArgs,
    render: impl FnOnce(&str, &vtape::medium::Medium) -> String,
) -> Result<String, CliError> {
    let m = commands::open(&args.path)?;
    Ok(render(&args.path.to_string_lossy(), &m))
}

/// Pretty JSON with a final newline.
fn json<T: serde::Serialize>(value: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
