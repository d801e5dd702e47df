//! `mamattr`: read and write LTO cartridge memory (MAM attributes). See
//! `tapekit_tools::mamattr`.

use std::process::ExitCode;

use tapekit_tools::device::open_transport;
use tapekit_tools::mamattr::{run, Env};

fn main() -> ExitCode {
    let (mut stdout, mut stderr) = (std::io::stdout().lock(), std::io::stderr().lock());
    let mut stdin = std::io::stdin().lock();
    let mut open = |p: &str| open_transport(p);
    let mut env = Env {
        out: &mut stdout,
        err: &mut stderr,
        input: &mut stdin,
        tape_env: std::env::var_os("TAPE").map(|v| v.to_string_lossy().into_owned()),
        open: &mut open,
    };
    ExitCode::from(run(std::env::args_os(), &mut env))
}
