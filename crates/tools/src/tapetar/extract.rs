//! `tapetar extract`: members into a directory with GNU tar's safe defaults
//! (`archive::extract`), reading the archive from where the tape is (or from `--file N`).
//!
//! With `--index FILE` (written by `create --index`) each named member is found in the
//! index and the tape is positioned at the record holding its first header block instead
//! of reading everything before it (`reference/tar-format.md` §3: record = block × 512 /
//! record size, then skip the offset inside that record):
//! - when the index has the archive's first logical block address, MTSEEK (SCSI LOCATE) to
//!   `first_lba + record`;
//! - otherwise rewind, MTFSF to the tape file, MTFSR over `record` records;
//! - a plain archive file is seeked to `record × record size`; standard input is read from
//!   the start.
//!
//! Then the first `offset` bytes of that record are dropped and the reader continues with
//! block numbers from the member's block; it stops once the member has been extracted.

use std::io::{self, Seek, SeekFrom, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use archive::extract::{ExtractOptions, ExtractReport, Extractor};
use archive::index::{Index, IndexEntry, SkipInRecord};
use archive::read::Reader;

use super::cli::ExtractArgs;
use super::error::Failure;
use super::quote::quote;
use super::stats::{write_json, ExtractStats, Located};
use super::target::{open_input, position_at_file, RecordReader, Target};

fn member_names(args: &ExtractArgs) -> Vec<Vec<u8>> {
    args.members
        .iter()
        .map(|m| m.as_os_str().as_bytes().to_vec())
        .collect()
}

fn extractor(args: &ExtractArgs) -> Extractor {
    let dest = args.directory.clone().unwrap_or_else(|| PathBuf::from("."));
    Extractor::with_options(
        &dest,
        ExtractOptions {
            preserve_permissions: !args.no_same_permissions,
            set_mtime: !args.touch,
            overwrite: !args.keep_old_files,
            same_owner: false,
        },
    )
}

/// Moves the target to the record of `e`; returns how.
fn locate(
    target: &mut Target,
    e: &IndexEntry,
    record_size: usize,
) -> Result<Option<Located>, Failure> {
    let failed = |what: &str, err: &dyn std::fmt::Display| {
        Failure::fatal(format!("positioning at {}: {what}: {err}", quote(&e.name)))
    };
    match target {
        Target::Tape(dev) => {
            let t = dev.tape();
            if let Some(lba) = e.lba() {
                let block = i32::try_from(lba).map_err(|_| failed("LBA out of range", &lba))?;
                t.seek(block).map_err(|err| failed("locate", &err))?;
                return Ok(Some(Located {
                    method: "locate".into(),
                    lba: Some(lba),
                    tape_file: None,
                    record: e.record,
                }));
            }
            let file = e.tape_file.ok_or_else(|| {
                Failure::fatal(format!(
                    "{}: the index has neither the tape file nor the block address",
                    quote(&e.name)
                ))
            })?;
            t.rewind().map_err(|err| failed("rewind", &err))?;
            if file > 0 {
                let n = i32::try_from(file).map_err(|_| failed("tape file out of range", &file))?;
                t.space_files_forward(n)
                    .map_err(|err| failed("space files", &err))?;
            }
            if e.record > 0 {
                let n = i32::try_from(e.record)
                    .map_err(|_| failed("record out of range", &e.record))?;
                t.space_records_forward(n)
                    .map_err(|err| failed("space records", &err))?;
            }
            Ok(Some(Located {
                method: "space".into(),
                lba: None,
                tape_file: Some(file),
                record: e.record,
            }))
        }
        Target::File(f) => {
            let offset = e
                .record
                .checked_mul(record_size as u64)
                .ok_or_else(|| failed("record out of range", &e.record))?;
            match f.seek(SeekFrom::Start(offset)) {
                Ok(_) => Ok(Some(Located {
                    method: "seek".into(),
                    lba: None,
                    tape_file: None,
                    record: e.record,
                })),
                // A pipe: read from the start.
                Err(err) if err.raw_os_error() == Some(libc::ESPIPE) => Ok(None),
                Err(err) => Err(failed("seek", &err)),
            }
        }
    }
}

fn report_failures(report: &ExtractReport, verbose: bool) -> u64 {
    let mut err = io::stderr().lock();
    let mut problems = 0;
    for (name, e) in &report.failures {
        let _ = writeln!(err, "tapetar: {}: {e}", quote(name));
        problems += 1;
    }
    for name in &report.not_found {
        let _ = writeln!(err, "tapetar: {}: Not found in archive", quote(name));
        problems += 1;
    }
    if verbose {
        let _ = writeln!(
            err,
            "tapetar: {} members, {} bytes extracted",
            report.extracted, report.bytes
        );
    }
    problems
}

/// Extracts with the reader started at the target's current position.
fn extract_here<R: io::Read>(
    reader: &mut Reader<R>,
    ex: &mut Extractor,
    only: Option<&[Vec<u8>]>,
    verbose: bool,
    stats: &mut ExtractStats,
) -> Result<u64, Failure> {
    let report = ex
        .extract_all(reader, only)
        .map_err(|e| Failure::fatal(e.to_string()))?;
    stats.members_extracted += report.extracted;
    stats.records_read += reader.records_read();
    Ok(report_failures(&report, verbose))
}

/// `tapetar extract`.
pub fn run(args: &ExtractArgs) -> Result<(), Failure> {
    let names = member_names(args);
    let index = match &args.index {
        Some(p) => {
            let text = std::fs::read(p)
                .map_err(|e| Failure::fatal(format!("{}: Cannot open: {e}", p.display())))?;
            Some(Index::parse(&text).map_err(|e| Failure::fatal(format!("{}: {e}", p.display())))?)
        }
        None => None,
    };
    if index.is_some() && names.is_empty() {
        return Err(Failure::fatal(
            "--index needs the names of the members to extract",
        ));
    }
    let mut target = open_input(&args.dev.device)?;
    let mut ex = extractor(args);
    let mut stats = ExtractStats::default();
    let result = match &index {
        None => (|| {
            if let Some(n) = args.tape_file {
                position_at_file(&mut target, n)?;
            }
            let mut reader = Reader::new(RecordReader::new(&mut target), args.dev.record_size())
                .map_err(|e| Failure::fatal(e.to_string()))?;
            let only = (!names.is_empty()).then_some(names.as_slice());
            extract_here(&mut reader, &mut ex, only, args.verbose, &mut stats)
        })(),
        Some(index) => extract_indexed(index, &names, &mut target, &mut ex, args, &mut stats),
    };
    let closed = target.close();
    if let Some(p) = &args.stats_json {
        write_json(p, &stats)?;
    }
    let problems = result?;
    closed?;
    if problems > 0 {
        return Err(Failure::fatal(
            "Exiting with failure status due to previous errors",
        ));
    }
    Ok(())
}

/// One positioning and one short read per requested member, in archive order.
fn extract_indexed(
    index: &Index,
    names: &[Vec<u8>],
    target: &mut Target,
    ex: &mut Extractor,
    args: &ExtractArgs,
    stats: &mut ExtractStats,
) -> Result<u64, Failure> {
    let record_size = usize::try_from(index.record_size())
        .map_err(|_| Failure::fatal("index record size out of range"))?;
    let mut problems = 0;
    let mut wanted: Vec<(&IndexEntry, &Vec<u8>)> = Vec::new();
    for n in names {
        match index.find(n) {
            Some(e) => wanted.push((e, n)),
            None => {
                let _ = writeln!(
                    io::stderr().lock(),
                    "tapetar: {}: Not found in index",
                    quote(n)
                );
                problems += 1;
            }
        }
    }
    wanted.sort_by_key(|(e, _)| e.block);
    for (e, name) in wanted {
        let located = locate(target, e, record_size)?;
        let skip = if located.is_some() {
            usize::try_from(e.offset).unwrap_or(0)
        } else {
            0
        };
        let first_block = if located.is_some() { e.block } else { 0 };
        if let Some(l) = located {
            stats.located.push(l);
        }
        let src = SkipInRecord::new(RecordReader::new(target), record_size, skip);
        let mut reader = Reader::with_offset(src, record_size, first_block)
            .map_err(|err| Failure::fatal(err.to_string()))?;
        let only = std::slice::from_ref(name);
        problems += extract_here(&mut reader, ex, Some(only), args.verbose, stats)?;
    }
    Ok(problems)
}
