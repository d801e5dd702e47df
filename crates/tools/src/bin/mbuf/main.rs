//! `mbuf`: a drop-in replacement for mbuffer. See `tapekit_tools::mbuf`.
//!
//! Parses the command line with mbuffer's rules (config files first), then runs the engine.
//! Help and version go to stderr as mbuffer prints them; `--hash list` prints its header on
//! stderr and the algorithm names on stdout. The process exits right after the engine
//! returns, which also ends worker threads still blocked after a cancel (SIGINT/SIGHUP).

use std::path::Path;

use tapekit_tools::mbuf::cli::{self, Env};
use tapekit_tools::mbuf::engine;
use tapekit_tools::mbuf::options::{Action, HashAlg};

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let program = args
        .first()
        .and_then(|a| Path::new(a).file_name())
        .map_or_else(|| "mbuf".to_string(), |n| n.to_string_lossy().into_owned());
    let code = match cli::parse(args, &Env::from_system()) {
        Ok(Action::Run(opts)) => engine::run(&opts),
        Ok(Action::Help) => {
            eprint!("{}", cli::usage_text(&program));
            0
        }
        Ok(Action::Version) => {
            eprint!("{}", cli::version_text());
            0
        }
        Ok(Action::HashList) => {
            eprintln!("valid hash functions are:");
            for alg in HashAlg::ALL {
                println!("\t{}", alg.label());
            }
            0
        }
        Err(e) => {
            eprintln!("{program}: fatal: {e}");
            1
        }
    };
    // Exit at once: after a cancel, worker threads may still be blocked in read/write.
    std::process::exit(code)
}
