//! `vtape`: create and inspect `.vtape` cartridge files. See `tapekit_tools::vtape_cli`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let (mut stdout, mut stderr) = (std::io::stdout().lock(), std::io::stderr().lock());
    ExitCode::from(tapekit_tools::vtape_cli::run(
        std::env::args_os(),
        &mut stdout,
        &mut stderr,
    ))
}
