//! `mt`: magnetic tape control, a drop-in replacement for mt-st 1.7. See `tapekit_tools::mt`.

use std::process::ExitCode;

use tapekit_tools::mt::{run, LinuxSystem, Output};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let (mut stdout, mut stderr) = (std::io::stdout().lock(), std::io::stderr().lock());
    let code = run(
        &mut LinuxSystem,
        &args,
        &mut Output {
            out: &mut stdout,
            err: &mut stderr,
        },
    );
    ExitCode::from(code)
}
