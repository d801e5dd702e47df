//! `tapetar`: archive a folder to tape in one pass. See `tapekit_tools::tapetar`.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(tapekit_tools::tapetar::run(std::env::args_os()))
}
