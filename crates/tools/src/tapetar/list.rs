//! `tapetar list`: GNU `tar -tv` lines (with `-R`, GNU's `block N:` prefix and the closing
//! `** Block of NULs **` line), reading the archive one record per read (st(4) variable-block
//! reads must not be shorter than the tape block, `reference/tar-format.md` §2).

use std::io::{self, BufWriter, Write};

use archive::listing::{self, Lister, Style};
use archive::read::Reader;

use super::cli::ListArgs;
use super::error::Failure;
use super::target::{open_input, position_at_file, RecordReader};

fn out_failed(e: &io::Error) -> Failure {
    Failure::fatal(format!("standard output: {e}"))
}

/// `tapetar list`.
pub fn run(args: &ListArgs) -> Result<(), Failure> {
    let mut target = open_input(&args.dev.device)?;
    if let Some(n) = args.tape_file {
        position_at_file(&mut target, n)?;
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut lister = Lister::new().numeric_owner(args.numeric_owner);
    let result = (|| {
        let src = RecordReader::new(&mut target);
        let mut reader =
            Reader::new(src, args.dev.record_size()).map_err(|e| Failure::fatal(e.to_string()))?;
        while let Some(entry) = reader
            .next_entry()
            .map_err(|e| Failure::fatal(e.to_string()))?
        {
            // GNU tar's `-R` number (the ustar header after pax headers).
            let mut info = entry.info().clone();
            info.block = entry.list_block();
            lister
                .write(&mut out, &info, Style::Verbose, args.block_number)
                .map_err(|e| out_failed(&e))?;
        }
        if args.block_number {
            if let Some(b) = reader.end_block() {
                listing::end_of_archive(&mut out, b).map_err(|e| out_failed(&e))?;
            }
        }
        out.flush().map_err(|e| out_failed(&e))
    })();
    let closed = target.close();
    result?;
    closed
}
