//! `tapetar`: archive a folder to tape in one pass (issue 8 scope 3), on the `archive`
//! library (walk, tar writer, reader, manifest, listing, index, verify, extract, pipeline),
//! the tools' device opener, and the encryption and MAM libraries of `scsi-sg`.
//!
//! ```text
//! tapetar create -f DEV [--append] [--label NAME] [-b N] [-T LIST [--null]] [--exclude PAT]...
//!                [--no-recursion] [--no-directories] [-C DIR] [PATH...]
//!                [--manifest FILE] [--listing FILE [--listing-style names|verbose] [-R]]
//!                [--index FILE] [-m SIZE] [-P PCT] [--prefault] [--format gnu|pax]
//!                [--encrypt-key KEYFILE [-a N]] [--barcode TEXT | --no-mam]
//!                [-v[v]] [--no-progress] [--stats-json FILE]
//! tapetar list    -f DEV [--file N] [-R] [--numeric-owner]
//! tapetar verify  -f DEV --manifest FILE [--file N]
//! tapetar extract -f DEV [-C DIR] [--index FILE | --file N] [-m] [-k] [MEMBER...]
//! tapetar label   -f DEV [--file N] [-v] [NAME]
//! ```
//!
//! - DEV: `/dev/nstN` (st), a `.vtape` cartridge (the in-process emulated drive), a plain
//!   archive file (created or truncated by `create`), a character device that is not a
//!   tape (`/dev/null`), or `-` for standard output (create) / input.
//! - `create` writes one tape file and a filemark: GNU tar format (byte-identical to GNU tar
//!   1.34 `--format=gnu -b512` for the same names and metadata), records of `-b` × 512
//!   bytes through a ring of `-m` bytes that starts writing at `-P` % fill. Each file is
//!   read once for the archive and its SHA-256. The manifest, listing and index go to their
//!   own files. With `--encrypt-key` the drive's encryption is switched on first (the key
//!   only ever comes from the key file); on a tape, cartridge memory gets the date last
//!   written, application vendor/name/version and `--barcode` afterwards. A tape left inside
//!   a tape file (where a previous read stopped) is refused: `--append` spaces to the end of
//!   data first.
//! - list, verify, extract and label read where the tape is (st semantics, like `tar -f
//!   /dev/nst0`) or at the start of tape file `--file N` (rewind + MTFSF).
//! - On a terminal, `create` shows bytes, rate, ETA and buffer fill on standard error.
//!
//! Exit status (GNU tar's): 0 success; 1 verify found differences or the label did not
//! match; 2 any other error (usage errors too), including files that could not be read
//! (reported and skipped, the archive is complete otherwise).
//!
//! ```
//! use tapekit_tools::tapetar::quote::quote;
//! assert_eq!(quote(b"a\nb"), "a\\nb");
//! ```

pub mod cli;
pub mod create;
pub mod crypt;
pub mod error;
pub mod extract;
pub mod label;
pub mod list;
pub mod mam;
pub mod progress;
pub mod quote;
pub mod sidecar;
pub mod stats;
pub mod target;
pub mod verify;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

use cli::{Cli, Command};
use error::{Failure, EXIT_ERROR};

/// Runs `tapetar` with `args` (including the program name); returns the exit status.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_ERROR } else { 0 };
        }
    };
    match execute(&cli) {
        Ok(()) => 0,
        Err(f) => {
            if !f.message.is_empty() {
                let _ = writeln!(std::io::stderr().lock(), "tapetar: {}", f.message);
            }
            f.code
        }
    }
}

/// Executes a parsed command line.
pub fn execute(cli: &Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Create(a) => create::run(a),
        Command::List(a) => list::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Extract(a) => extract::run(a),
        Command::Label(a) => label::run(a),
    }
}
