//! `tapetar create`: the whole archive-to-tape job in one pass (issue 8 scope 3).
//!
//! Order: check everything that can be checked before the tape moves (names, label, barcode,
//! side files) → open the output → space to end of data with `--append`; refuse a tape
//! positioned inside a tape file → note the tape file number and logical block address for
//! the index → switch encryption on (`--encrypt-key`) → stream: walk (byte order), read
//! every file once into the tar writer and SHA-256, records through the ring to the writer
//! thread, one device write per record, a filemark at the end → cartridge memory (date last
//! written, application, `--barcode`) → close.
//!
//! Errors on single files (unreadable, vanished, sockets) are reported and skipped as GNU
//! tar does, and make the exit status 2 after a complete archive; an error that leaves the
//! archive unusable (a file that shrank or failed while being copied, an output error)
//! stops the run.

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use archive::pipeline::{
    self, FileSink, Options, PipelineError, PipelineStats, RingWriter, TapeSink,
};
use archive::walk::{self, Excludes, Selection};
use archive::{Owner, Writer, WriterOptions};

use super::cli::{CreateArgs, FormatArg};
use super::error::Failure;
use super::progress::Display;
use super::sidecar::Sidecars;
use super::stats::{thread_cpu, write_json, CreateStats};
use super::target::{open_output, Target};
use super::{crypt, mam};
use crate::device::Device;

/// What the producer did.
#[derive(Debug, Default)]
struct Produced {
    members: u64,
    files: u64,
    data_bytes: u64,
    soft_errors: u64,
    /// Seconds spent inside SHA-256 (measured by the writer).
    hash_s: f64,
    /// User CPU seconds of this thread while producing.
    user_s: f64,
    /// System CPU seconds of this thread while producing.
    sys_s: f64,
}

/// Everything the producer needs.
struct Job<'a> {
    base: PathBuf,
    roots: Vec<Vec<u8>>,
    selection: Selection,
    options: WriterOptions,
    sidecars: &'a mut Sidecars,
    show_progress: bool,
}

fn warn(msg: &str) {
    let _ = writeln!(io::stderr().lock(), "tapetar: {msg}");
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

/// The names to archive: the PATH operands, then the names of each `-T` file.
fn roots(args: &CreateArgs) -> Result<Vec<Vec<u8>>, Failure> {
    let mut names: Vec<Vec<u8>> = args
        .paths
        .iter()
        .map(|p| p.as_os_str().as_bytes().to_vec())
        .collect();
    for list in &args.files_from {
        let read = if list.as_os_str() == "-" {
            walk::read_file_list(io::stdin().lock(), args.null)
        } else {
            File::open(list).and_then(|f| walk::read_file_list(f, args.null))
        };
        let more =
            read.map_err(|e| Failure::fatal(format!("{}: Cannot open: {e}", list.display())))?;
        names.extend(more);
    }
    if names.is_empty() {
        return Err(Failure::fatal(
            "Cowardly refusing to create an empty archive",
        ));
    }
    Ok(names)
}

fn writer_options(args: &CreateArgs) -> WriterOptions {
    let mut o = WriterOptions {
        blocking_factor: args.dev.blocking,
        label: args.label.clone(),
        label_mtime: args.label_mtime,
        format: match args.format {
            FormatArg::Gnu => archive::Format::Gnu,
            FormatArg::Pax => archive::Format::Pax,
        },
        ..WriterOptions::default()
    };
    if let Some(m) = args.pinned_mtime {
        o.owner = Owner::Fixed { uid: 0, gid: 0 };
        o.mtime = Some(m);
        o.label_mtime = args.label_mtime.or(Some(m));
    }
    o
}

/// Expected archive size (headers + padded data), for the progress display's ETA; `None` if
/// the run ends first.
fn estimate(base: &Path, roots: &[Vec<u8>], sel: &Selection, stop: &AtomicBool) -> Option<u64> {
    let mut total = 1024u64;
    for e in walk::walk(base, roots, sel).flatten() {
        if stop.load(Ordering::Acquire) {
            return None;
        }
        let size = std::fs::symlink_metadata(&e.fs_path)
            .ok()
            .filter(|m| m.is_file())
            .map_or(0, |m| m.len());
        total = total.saturating_add(512 + size.div_ceil(512) * 512);
    }
    Some(total)
}

/// The producer: walk, tar, hash, side files. Runs on the pipeline's calling thread.
fn produce(job: &mut Job<'_>, ring: &mut RingWriter) -> Result<Produced, Failure> {
    let display = job.show_progress.then(|| {
        let (base, roots, sel) = (job.base.clone(), job.roots.clone(), job.selection.clone());
        Display::start(ring.progress(), move |stop| {
            estimate(&base, &roots, &sel, stop)
        })
    });
    let cpu0 = thread_cpu();
    let result = produce_inner(job, ring);
    let cpu1 = thread_cpu();
    if let Some(d) = display {
        d.stop();
    }
    let mut p = result?;
    p.user_s = cpu1.0.saturating_sub(cpu0.0).as_secs_f64();
    p.sys_s = cpu1.1.saturating_sub(cpu0.1).as_secs_f64();
    Ok(p)
}

fn produce_inner(job: &mut Job<'_>, ring: &mut RingWriter) -> Result<Produced, Failure> {
    let mut p = Produced::default();
    let mut tar =
        Writer::new(&mut *ring, job.options.clone()).map_err(|e| Failure::fatal(e.to_string()))?;
    if let Some(label) = tar.label_info() {
        job.sidecars.label(&label)?;
    }
    for item in walk::walk(&job.base, &job.roots, &job.selection) {
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                warn(&e.to_string());
                p.soft_errors += 1;
                continue;
            }
        };
        let before = tar.position();
        match tar.append_entry(&entry) {
            Ok(m) => {
                p.members += 1;
                if m.kind == archive::MemberKind::File {
                    p.files += 1;
                    p.data_bytes += m.size;
                }
                job.sidecars.member(&m)?;
            }
            // Nothing was written for it: report, skip, fail at the end (GNU tar).
            Err(e @ (archive::Error::Read { .. } | archive::Error::UnsupportedType(_)))
                if tar.position() == before =>
            {
                warn(&e.to_string());
                p.soft_errors += 1;
            }
            Err(e) => return Err(Failure::fatal(e.to_string())),
        }
    }
    p.hash_s = tar.hash_time().as_secs_f64();
    tar.finish().map_err(|e| Failure::fatal(e.to_string()))?;
    Ok(p)
}

/// Runs the pipeline on a sink.
fn stream<S: pipeline::RecordSink>(
    opts: &Options,
    record_size: usize,
    sink: S,
    job: &mut Job<'_>,
) -> Result<(Produced, PipelineStats), Failure> {
    pipeline::run(opts, record_size, sink, |ring| produce(job, ring)).map_err(|e| match e {
        PipelineError::Buffer(e) => Failure::fatal(format!("archive buffer: {e}")),
        PipelineError::Producer { error, .. } => error,
        PipelineError::Sink {
            error, producer, ..
        } => {
            // The producer's error is a consequence (its writes failed) unless it differs.
            let extra = producer
                .filter(|p| !p.message.contains("archive output failed"))
                .map_or_else(String::new, |p| format!(" (and: {p})"));
            Failure::fatal(format!("{error}{extra}"))
        }
    })
}

/// Moves to the end of data with `--append`; refuses to write inside a tape file (writing
/// there would cut that file short and erase everything after it: almost always a tape left
/// where a previous read stopped). Returns (tape file number, logical block address).
fn prepare_tape(dev: &mut Device, append: bool) -> Result<(Option<u64>, Option<u64>), Failure> {
    let t = dev.tape();
    if append {
        t.space_to_eod()
            .map_err(|e| Failure::fatal(format!("spacing to end of data: {e}")))?;
    }
    let status = t
        .status()
        .map_err(|e| Failure::fatal(format!("reading the tape status: {e}")))?;
    if let Some(block) = status.block_number().filter(|&b| b != 0) {
        let file = status
            .file_number()
            .map_or_else(|| "?".to_string(), |f| f.to_string());
        return Err(Failure::fatal(format!(
            "the tape is inside tape file {file} (block {block}); writing here would cut it \
             short: position it at a file boundary first (--append, mt eod, mt fsf, mt rewind)"
        )));
    }
    let file = status.file_number().map(u64::from);
    let lba = t.tell().ok();
    Ok((file, lba))
}

/// `tapetar create`.
pub fn run(args: &CreateArgs) -> Result<(), Failure> {
    let record_size = args.dev.record_size();
    let roots = roots(args)?;
    let excludes = Excludes::new(&args.exclude).map_err(|e| Failure::fatal(e.to_string()))?;
    let selection = Selection {
        excludes,
        recursion: !args.no_recursion,
        directories: !args.no_directories,
    };
    let base = args.directory.clone().unwrap_or_else(|| PathBuf::from("."));
    if !base.is_dir() {
        return Err(Failure::fatal(format!(
            "{}: Cannot change directory: not a directory",
            base.display()
        )));
    }
    let options = writer_options(args);
    if let Some(label) = &options.label {
        // Fails early (before the tape moves) on a bad label.
        Writer::new(io::sink(), options.clone())
            .map_err(|e| Failure::fatal(format!("--label {label:?}: {e}")))?;
    }
    let started = now();
    let mam_writes = mam::writes(args.barcode.as_deref(), started)?;
    let mut sidecars = Sidecars::open(
        args.manifest.as_deref(),
        args.listing.as_deref(),
        args.index.as_deref(),
        args.listing_style,
        args.block_number,
        args.verbose,
        record_size,
    )?;
    let maybe_tape = crate::device::device_kind(&args.dev.device).is_ok();
    let needs_tape = |target: Option<&Target>| -> Result<(), Failure> {
        let tape = target.map_or(maybe_tape, Target::is_tape);
        match (&args.encrypt_key, &args.barcode) {
            (Some(_), _) if !tape => Err(Failure::fatal("--encrypt-key needs a tape or .vtape")),
            (_, Some(_)) if !tape => Err(Failure::fatal("--barcode needs a tape or .vtape")),
            _ => Ok(()),
        }
    };
    // Checked before the output is created, and again once it is known to be a tape.
    needs_tape(None)?;
    let mut target = open_output(&args.dev.device)?;
    needs_tape(Some(&target))?;
    let position = match &mut target {
        Target::Tape(dev) => prepare_tape(dev, args.append)?,
        Target::File(_) if args.append => {
            return Err(Failure::fatal("--append needs a tape or .vtape"))
        }
        Target::File(_) => (None, None),
    };
    if let Some(key) = &args.encrypt_key {
        let Target::Tape(dev) = &mut target else {
            return Err(Failure::fatal("--encrypt-key needs a tape or .vtape"));
        };
        for w in crypt::enable(dev.transport(), key, args.algorithm, args.strict_key_perms)? {
            warn(&w);
        }
    }
    sidecars.set_position(position.0, position.1);

    let show_progress =
        !args.no_progress && args.verbose == 0 && std::io::IsTerminal::is_terminal(&io::stderr());
    let opts = Options {
        buffer_size: usize::try_from(args.buffer).unwrap_or(usize::MAX),
        high_watermark: args.high_watermark.unwrap_or(match target {
            Target::Tape(_) => super::cli::DEFAULT_HIGH_WATERMARK,
            _ => 0,
        }),
        prefault: args.prefault,
    };
    let mut job = Job {
        base,
        roots,
        selection,
        options,
        sidecars: &mut sidecars,
        show_progress,
    };
    let streamed = match &mut target {
        Target::Tape(Device::St { tape, .. }) => {
            stream(&opts, record_size, TapeSink::new(tape), &mut job)
        }
        Target::Tape(Device::Virtual(v)) => {
            stream(&opts, record_size, TapeSink::new(v.as_mut()), &mut job)
        }
        Target::File(f) => stream(&opts, record_size, FileSink::new(f), &mut job),
    };
    // The side files are kept (and flushed) even when the archive failed.
    let side = sidecars.finish();
    let (produced, pstats) = streamed?;
    side?;
    if let Some(r) = pstats.early_warning {
        warn(&format!(
            "the tape reported early warning at record {r}: it is nearly full"
        ));
    }
    let mut result = Ok(());
    if let Target::Tape(dev) = &mut target {
        if !args.no_mam {
            result = mam::write(dev.transport(), &mam_writes);
        }
    }
    target.close()?;
    let stats = CreateStats {
        bytes: pstats.bytes,
        records: pstats.records,
        files: produced.files,
        data_bytes: produced.data_bytes,
        members: produced.members,
        elapsed_s: pstats.elapsed.as_secs_f64(),
        hash_s: produced.hash_s,
        producer_user_s: produced.user_s,
        producer_sys_s: produced.sys_s,
        times_empty: pstats.times_empty(),
        times_full: pstats.times_full(),
        max_fill_percent: pstats.max_fill_percent(),
        early_warning: pstats.early_warning,
        tape_file: position.0,
        first_lba: position.1,
    };
    if let Some(path) = &args.stats_json {
        write_json(path, &stats)?;
    }
    if show_progress || args.verbose > 0 {
        summary(&stats);
    }
    result?;
    if produced.soft_errors > 0 {
        return Err(Failure::fatal(
            "Exiting with failure status due to previous errors",
        ));
    }
    Ok(())
}

/// The closing line on a terminal or with `-v`.
fn summary(s: &CreateStats) {
    let rate = if s.elapsed_s > 0.0 {
        s.bytes as f64 / s.elapsed_s
    } else {
        0.0
    };
    let hash_rate = if s.hash_s > 0.0 {
        s.data_bytes as f64 / s.hash_s
    } else {
        0.0
    };
    warn(&format!(
        "{} members ({} files), {} in {} records, {:.1} s, {}/s; hashing at least {}/s; buffer max {:.0}%, empty {} times, full {} times",
        s.members,
        s.files,
        crate::size::format_size(s.bytes),
        s.records,
        s.elapsed_s,
        crate::size::format_size(rate as u64),
        crate::size::format_size(hash_rate as u64),
        s.max_fill_percent,
        s.times_empty,
        s.times_full,
    ));
}
