//! `stenc`: SCSI tape encryption manager, a drop-in for stenc 1.0.7. See
//! `tapekit_tools::stenc`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use nix::sys::termios::{tcgetattr, tcsetattr, LocalFlags, SetArg};
use tapekit_tools::device::open_transport;
use tapekit_tools::stenc::audit::AUDIT_LOG;
use tapekit_tools::stenc::{run, Env};

/// Terminal echo on/off for key prompts (no-op when stdin is not a terminal).
fn set_echo(on: bool) {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return;
    }
    if let Ok(mut t) = tcgetattr(&stdin) {
        t.local_flags.set(LocalFlags::ECHO, on);
        let _ = tcsetattr(&stdin, SetArg::TCSANOW, &t);
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let (mut stdout, mut stderr) = (std::io::stdout().lock(), std::io::stderr().lock());
    let mut stdin = std::io::stdin().lock();
    let mut echo = set_echo;
    let mut open = |p: &str| open_transport(p);
    let mut env = Env {
        out: &mut stdout,
        err: &mut stderr,
        input: &mut stdin,
        echo: &mut echo,
        tape_env: std::env::var_os("TAPE").map(|v| v.to_string_lossy().into_owned()),
        audit_log: std::env::var_os("STENC_AUDIT_LOG")
            .map_or_else(|| PathBuf::from(AUDIT_LOG), PathBuf::from),
        open: &mut open,
    };
    let code = run(&args, &mut env);
    set_echo(true);
    ExitCode::from(code)
}
