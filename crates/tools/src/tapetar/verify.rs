//! `tapetar verify`: re-hash every file member from the archive (read in whole records) and
//! compare with a `sha256sum` manifest (`archive::verify`). Every problem is named on
//! standard output, `sha256sum -c` style (`NAME: FAILED`), and makes the exit status 1:
//! mismatched data, manifest names missing from the archive, archive files not in the
//! manifest. An unreadable archive is exit 2.

use std::io::{self, BufWriter, Write};

use archive::manifest::{to_hex, Manifest};
use archive::read::Reader;
use archive::verify;

use super::cli::VerifyArgs;
use super::error::Failure;
use super::quote::quote;
use super::target::{open_input, position_at_file, RecordReader};

/// `tapetar verify`.
pub fn run(args: &VerifyArgs) -> Result<(), Failure> {
    let text = std::fs::read(&args.manifest)
        .map_err(|e| Failure::fatal(format!("{}: Cannot open: {e}", args.manifest.display())))?;
    let manifest = Manifest::parse(&text)
        .map_err(|e| Failure::fatal(format!("{}: {e}", args.manifest.display())))?;
    let mut target = open_input(&args.dev.device)?;
    if let Some(n) = args.tape_file {
        position_at_file(&mut target, n)?;
    }
    let report = {
        let src = RecordReader::new(&mut target);
        let mut reader =
            Reader::new(src, args.dev.record_size()).map_err(|e| Failure::fatal(e.to_string()))?;
        verify::verify(&mut reader, &manifest).map_err(|e| Failure::fatal(e.to_string()))
    };
    let closed = target.close();
    let report = report?;
    closed?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut write = || -> io::Result<()> {
        for (name, expected, actual) in &report.mismatched {
            writeln!(
                out,
                "{}: FAILED (manifest {}, archive {})",
                quote(name),
                to_hex(expected),
                to_hex(actual)
            )?;
        }
        for name in &report.missing_from_archive {
            writeln!(out, "{}: FAILED (not in the archive)", quote(name))?;
        }
        for name in &report.not_in_manifest {
            writeln!(out, "{}: FAILED (not in the manifest)", quote(name))?;
        }
        writeln!(
            out,
            "{} members checked, {} differ, {} missing from the archive, {} not in the manifest",
            report.checked,
            report.mismatched.len(),
            report.missing_from_archive.len(),
            report.not_in_manifest.len()
        )?;
        out.flush()
    };
    write().map_err(|e| Failure::fatal(format!("standard output: {e}")))?;
    if report.ok() {
        Ok(())
    } else {
        let n = report.mismatched.len()
            + report.missing_from_archive.len()
            + report.not_in_manifest.len();
        Err(Failure::differ(format!("verify: {n} problem(s) found")))
    }
}
