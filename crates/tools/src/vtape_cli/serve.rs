//! `vtape serve PATH [--name tape0] [--cmd-time-out 5]`: serves the cartridge to the kernel
//! as a real tape drive (`/dev/nstN`, `/dev/sgN`) through TCMU and tcm_loop
//! (`vtape::tcmu`), until SIGINT or SIGTERM; then removes every configfs entry it made and
//! saves the drive state. Needs root, configfs, and the modules `target_core_user` and
//! `tcm_loop` loaded by the caller.

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use signal_hook::consts::{SIGINT, SIGTERM};
use vtape::drive::DriveError;
use vtape::tcmu::{serve as tcmu_serve, ServeError, ServeOptions};

use super::cli::ServeArgs;
use super::error::CliError;

/// Runs `vtape serve`; prints `vtape: serving PATH as <wwn> (uio N)` to `err` once the LUN
/// is linked, and returns after teardown.
pub fn serve(args: &ServeArgs, err: &mut dyn Write) -> Result<(), CliError> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [SIGINT, SIGTERM] {
        signal_hook::flag::register(sig, Arc::clone(&stop))
            .map_err(|e| CliError::io(&args.path, e))?;
    }
    let options = ServeOptions {
        name: args.name.clone(),
        cmd_time_out: args.cmd_time_out,
        ..ServeOptions::default()
    };
    let path = args.path.display().to_string();
    tcmu_serve(&args.path, &options, &stop, &mut |info| {
        let _ = writeln!(
            err,
            "vtape: serving {path} as {} (uio {})",
            info.wwn, info.uio
        );
        let _ = err.flush();
    })
    .map_err(|e| match e {
        ServeError::Drive(DriveError::Medium(m)) => CliError::medium(&args.path, m),
        e => CliError::Serve {
            path: args.path.clone(),
            source: e,
        },
    })
}
