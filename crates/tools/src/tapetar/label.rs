//! `tapetar label`: GNU tar's `--test-label` (`reference/tar-format.md` §1). Without NAME it
//! prints the volume label (`'V'` header or pax `GNU.volume.label`) and exits 0, printing
//! nothing when the archive has none; with NAME it exits 0 when the label is NAME and 1
//! otherwise, printing nothing unless `-v`. Only the first record is read, where the
//! tape is (or at the start of `--file N`).

use std::io::{self, Write};

use archive::read::Reader;
use archive::EntryKind;

use super::cli::LabelArgs;
use super::error::Failure;
use super::target::{open_input, position_at_file, RecordReader};

/// `tapetar label`.
pub fn run(args: &LabelArgs) -> Result<(), Failure> {
    let mut target = open_input(&args.dev.device)?;
    if let Some(n) = args.tape_file {
        position_at_file(&mut target, n)?;
    }
    let label = {
        let src = RecordReader::new(&mut target);
        let mut reader =
            Reader::new(src, args.dev.record_size()).map_err(|e| Failure::fatal(e.to_string()))?;
        let first = reader
            .next_entry()
            .map_err(|e| Failure::fatal(e.to_string()))?;
        match first {
            Some(e) if e.info().kind == EntryKind::Label => Some(e.info().name.clone()),
            _ => reader.label().map(<[u8]>::to_vec),
        }
    };
    target.close()?;
    let show = args.name.is_none() || args.verbose;
    if let (true, Some(l)) = (show, &label) {
        let mut out = io::stdout().lock();
        out.write_all(l)
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush())
            .map_err(|e| Failure::fatal(format!("standard output: {e}")))?;
    }
    match &args.name {
        Some(want) if label.as_deref() != Some(want.as_bytes()) => Err(Failure::differ("")),
        _ => Ok(()),
    }
}
