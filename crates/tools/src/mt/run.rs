//! The `mt` program: options, device choice, command lookup, opening the device with the
//! command's flags, running it, and mt-st 1.7's messages and exit codes (reference
//! `mt-st.md` §1-§5): 0 ok, 1 usage or open failure, 2 ioctl failure, 3 bad count unit.
//!
//! After a failed command that has error tests, mt reads the status and, for SCSI drives,
//! adds `mt: The device is offline …` when GMT_ONLINE is clear and `mt: The tape is
//! write-protected.` when GMT_WR_PROT is **set** (mt-st 1.7 prints the latter when it is
//! clear; that bug is not reproduced). As in mt-st, this also follows count errors, since the
//! device is opened before the count is parsed.

use std::io::Write;

use nix::errno::Errno;
use tape_io::{DriveType, DrvBufferRequest, GmtFlags, MtOp, OpenMode, Tape, TapeError};

use super::cli::{self, Parsed, DEFAULT_TAPE};
use super::commands::{lookup, Access, Action, Command, LookupError, OptionsMode};
use super::count::{repeat_count, strtol_int};
use super::densities::format_densities;
use super::status::{format_status, format_status_json};
use super::stoptions::{format_options_set, parse_option_bits, sysfs_options_path};
use super::system::System;

/// Where `mt` writes: stdout and stderr.
pub struct Output<'a> {
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error.
    pub err: &'a mut dyn Write,
}

impl Output<'_> {
    fn out(&mut self, text: &str) {
        // Like printf, a failed write to stdout does not change the outcome.
        let _ = self.out.write_all(text.as_bytes());
    }
    fn err(&mut self, text: &str) {
        let _ = self.err.write_all(text.as_bytes());
    }
}

/// The C library's `strerror` text for `errno` (as perror(3) prints it).
pub fn strerror(errno: Errno) -> String {
    tape_io::error::strerror(errno)
}

/// `perror(device)`'s line for a tape error.
fn perror_line(device: &str, e: &TapeError) -> String {
    match e.errno() {
        Some(errno) => format!("{device}: {}\n", strerror(errno)),
        None => format!("{device}: {e}\n"),
    }
}

/// How a command ended.
enum Outcome {
    Done,
    /// Failed with this exit code; `errno` is the failing call's, if a call failed.
    Failed {
        code: u8,
        errno: Option<Errno>,
    },
}

/// Run `mt` with `args` (without the program name) and return the exit status.
pub fn run<S: System>(sys: &mut S, args: &[String], io: &mut Output<'_>) -> u8 {
    let (device, words) = match cli::parse_args(args) {
        Parsed::Help => {
            io.err(&cli::long_usage());
            return 0;
        }
        Parsed::Version => {
            io.out(&cli::version_text());
            return 0;
        }
        Parsed::BadOption => {
            io.err(&cli::short_usage());
            return 1;
        }
        Parsed::Run { device, words } => (device, words),
    };
    let device = match device.or_else(|| sys.tape_env()) {
        Some(d) => d,
        None => {
            if sys.stat(DEFAULT_TAPE).is_ok_and(|i| !i.is_char_device) {
                io.err(&format!(
                    "The default '{DEFAULT_TAPE}' is not a character device.\n\n"
                ));
                io.err(&cli::long_usage());
                return 1;
            }
            DEFAULT_TAPE.to_string()
        }
    };
    let Some((name, cmd_args)) = words.split_first() else {
        io.err(&cli::short_usage());
        return 1;
    };
    let cmd = match lookup(name) {
        Ok(cmd) => cmd,
        Err(e) => {
            let what = if e == LookupError::Ambiguous {
                "ambiguous"
            } else {
                "unknown"
            };
            io.err(&format!("mt: {what} command \"{name}\"\n"));
            io.err(&cli::long_usage());
            return 1;
        }
    };
    let json = cmd.action == Action::Status && cmd_args == ["--json"];
    if cmd_args.len() > cmd.args.max() && !json {
        io.err(&format!(
            "mt: too many arguments for the command '{}'.\n",
            cmd.name
        ));
        return 1;
    }
    let mode = OpenMode {
        write: cmd.access == Access::ReadWrite,
        nonblock: !cmd.tests.online,
    };
    match cmd.access {
        Access::None => {
            io.out(&format_densities());
            return 0;
        }
        Access::Passthrough => {
            return super::logpages::run_log_command(sys, &device, cmd.action, io)
        }
        Access::ReadOnly | Access::ReadWrite => {}
    }
    let mut tape = match sys.open_tape(&device, mode) {
        Ok(t) => t,
        Err(e) => {
            io.err(&perror_line(&device, &e));
            // open(2) failing is exit 1; a path that opened but is no tape fails as mt-st's
            // first ioctl on it would, with exit 2.
            return if matches!(e, TapeError::Open(_)) {
                1
            } else {
                2
            };
        }
    };
    let ctx = Ctx {
        device: &device,
        cmd,
        json,
    };
    match execute(sys, &mut tape, &ctx, cmd_args, io) {
        Outcome::Done => 0,
        Outcome::Failed { code, errno } => {
            if errno == Some(Errno::ENOSYS) {
                io.err("mt: Command not supported by this kernel.\n");
            } else if cmd.tests.any() {
                explain_failure(&mut tape, cmd, io);
            }
            code
        }
    }
}

struct Ctx<'a> {
    device: &'a str,
    cmd: &'static Command,
    json: bool,
}

/// One tape call: on failure print perror's line and fail with exit code 2.
fn call<T>(ctx: &Ctx<'_>, io: &mut Output<'_>, r: Result<T, TapeError>) -> Result<T, Outcome> {
    r.map_err(|e| {
        io.err(&perror_line(ctx.device, &e));
        Outcome::Failed {
            code: 2,
            errno: e.errno(),
        }
    })
}

fn execute<S: System, T: Tape>(
    sys: &mut S,
    tape: &mut T,
    ctx: &Ctx<'_>,
    args: &[String],
    io: &mut Output<'_>,
) -> Outcome {
    match execute_inner(sys, tape, ctx, args, io) {
        Ok(()) => Outcome::Done,
        Err(o) => o,
    }
}

fn execute_inner<S: System, T: Tape>(
    sys: &mut S,
    tape: &mut T,
    ctx: &Ctx<'_>,
    args: &[String],
    io: &mut Output<'_>,
) -> Result<(), Outcome> {
    let first = args.first().map(String::as_str);
    match ctx.cmd.action {
        Action::Standard(op) => {
            let count = repeat_count(first, op == MtOp::MkPart).map_err(|e| {
                io.err(&format!("{}\n", e.message()));
                Outcome::Failed {
                    code: e.exit_code(),
                    errno: None,
                }
            })?;
            call(ctx, io, tape.mtop(op, count))
        }
        Action::DrvBuffer(field) => {
            let value = first.map_or(1, strtol_int) as u32;
            call(
                ctx,
                io,
                tape.mtop(MtOp::SetDrvBuffer, field.request(value).count()),
            )
        }
        Action::Options(mode) => {
            let bits = parse_option_bits(args).map_err(|e| {
                io.err(&e.message());
                Outcome::Failed {
                    code: 1,
                    errno: None,
                }
            })?;
            let request = match mode {
                OptionsMode::Set => DrvBufferRequest::SetBooleans(bits),
                OptionsMode::Add => DrvBufferRequest::SetBits(bits),
                OptionsMode::Clear => DrvBufferRequest::ClearBits(bits),
            };
            // Sent as mt-st builds it: the `cleaning` word's bit 0x80000000 is kept, not masked.
            call(
                ctx,
                io,
                tape.mtop(MtOp::SetDrvBuffer, request.count_from_words()),
            )
        }
        Action::Tell => {
            let block = call(ctx, io, tape.tell())?;
            io.out(&format!("At block {block}.\n"));
            Ok(())
        }
        Action::Status => {
            let status = call(ctx, io, tape.status())?;
            io.out(&if ctx.json {
                format_status_json(&status)
            } else {
                format_status(&status)
            });
            Ok(())
        }
        Action::PartSeek => {
            let part = first.map_or(0, strtol_int);
            call(ctx, io, tape.mtop(MtOp::SetPart, part))?;
            let block = args.get(1).map_or(0, |s| strtol_int(s));
            call(ctx, io, tape.mtop(MtOp::Seek, block))
        }
        Action::Asf => {
            call(ctx, io, tape.mtop(MtOp::Rew, 1))?;
            let files = first.map_or(0, strtol_int);
            if files > 0 {
                call(ctx, io, tape.mtop(MtOp::Fsf, files))?;
            }
            Ok(())
        }
        Action::ShowOptions => show_options(sys, ctx, io),
        // Run before any open (see `run`).
        Action::Densities | Action::TapeAlert | Action::VolumeStatistics => Ok(()),
    }
}

/// `stshowoptions`: the sysfs options of the st node behind the device.
fn show_options<S: System>(sys: &S, ctx: &Ctx<'_>, io: &mut Output<'_>) -> Result<(), Outcome> {
    let info = sys.stat(ctx.device).map_err(|e| {
        io.err(&format!("{}: {}\n", ctx.device, strerror(e)));
        Outcome::Failed {
            code: 1,
            errno: Some(e),
        }
    })?;
    if !info.has_char_bit {
        io.err("mt: not a character device.\n");
        return Err(Outcome::Failed {
            code: 1,
            errno: None,
        });
    }
    let path = sysfs_options_path(info.minor);
    let text = sys.read_text(&path).ok_or_else(|| {
        io.err(&format!("Can't read the sysfs file '{path}'.\n"));
        Outcome::Failed {
            code: 2,
            errno: None,
        }
    })?;
    io.out(&format_options_set(&text));
    Ok(())
}

/// The hints after a failed command with error tests (SCSI drives only).
fn explain_failure<T: Tape>(tape: &mut T, cmd: &Command, io: &mut Output<'_>) {
    let Ok(status) = tape.status() else {
        return;
    };
    if !matches!(status.drive_type(), DriveType::Scsi1 | DriveType::Scsi2) {
        return;
    }
    if cmd.tests.online && !status.flags().contains(GmtFlags::ONLINE) {
        io.err("mt: The device is offline (not powered on, no tape ?).\n");
    }
    if cmd.tests.write_protect && status.flags().contains(GmtFlags::WR_PROT) {
        io.err("mt: The tape is write-protected.\n");
    }
}
