//! `tapetar`'s command line (clap derive): `create`, `list`, `verify`, `extract`, `label`.
//!
//! Option letters follow GNU tar where it has one (`-f`, `-b`, `-C`, `-T`, `--null`,
//! `--exclude`, `--no-recursion`, `--label`, `-R`, `-v`) and mbuffer for the buffer (`-m`,
//! `-P`); `-a` is stenc's algorithm index. Keys are only ever read from a key file named by
//! `--encrypt-key`, never from the command line or the environment.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::size::parse_size;

/// Default buffer size (`-m`): 256 MiB.
pub const DEFAULT_BUFFER: u64 = 256 << 20;
/// Default high watermark (`-P`) on a tape: start writing when the buffer is 80 % full, and
/// again after every underrun (mbuffer's `-P 80` of the seed pipeline), so the drive streams
/// instead of shoe-shining. Other outputs (files, pipes) have nothing to gain from waiting and
/// default to 0, which also keeps the buffer cache-warm.
pub const DEFAULT_HIGH_WATERMARK: u8 = 80;
/// Default blocking factor (`-b`): 512 × 512 bytes = 256 KiB records.
pub const DEFAULT_BLOCKING: u32 = 512;

/// Archive a folder to tape in one pass: tar records, SHA-256 manifest, listing and index.
///
/// DEV is a tape (/dev/nstN), a .vtape cartridge file, a plain archive file, or '-' for
/// standard output (create) / input (list, verify, extract, label).
#[derive(Debug, Parser)]
#[command(name = "tapetar", version)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The `tapetar` commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write one archive (one tape file and a filemark).
    Create(Box<CreateArgs>),
    /// List an archive in GNU `tar -tv` format.
    List(ListArgs),
    /// Re-hash every member and compare with a manifest; name every mismatch.
    Verify(VerifyArgs),
    /// Extract members (all, or the named ones; with --index, position the tape first).
    Extract(ExtractArgs),
    /// Print the volume label, or test it against NAME (like GNU tar --test-label).
    Label(LabelArgs),
}

/// The device and record size, shared by every command. (`--file N` of list, verify and
/// extract is the tape file number, as in the synopsis, so `-f`'s long form is
/// `--device`.)
#[derive(Debug, Args, Clone)]
pub struct DeviceArgs {
    /// Tape device, .vtape file, archive file, or '-' (standard output/input).
    #[arg(short = 'f', long = "device", value_name = "DEV")]
    pub device: PathBuf,
    /// Blocking factor: records of N × 512 bytes (GNU tar -b; 512 = 256 KiB).
    #[arg(short = 'b', long = "blocking-factor", value_name = "N",
          default_value_t = DEFAULT_BLOCKING,
          value_parser = clap::value_parser!(u32).range(1..=65536))]
    pub blocking: u32,
}

impl DeviceArgs {
    /// Record size in bytes.
    pub fn record_size(&self) -> usize {
        usize::try_from(self.blocking)
            .unwrap_or(1)
            .saturating_mul(512)
    }
}

/// Archive format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum FormatArg {
    /// GNU tar format (default; what `tar` writes, 'V' label).
    #[default]
    Gnu,
    /// POSIX pax (ustar + extended headers when needed; label as a global header).
    Pax,
}

/// How the listing is written (`--listing` and `-v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ListingStyle {
    /// Member names only (GNU `tar -cv`).
    #[default]
    Names,
    /// `mode owner/group size date time name` (GNU `tar -cvv`).
    Verbose,
}

/// `tapetar create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The output.
    #[command(flatten)]
    pub dev: DeviceArgs,
    /// Space to the end of recorded data first (append a tape file after the last one).
    #[arg(long)]
    pub append: bool,
    /// Volume label (block 0; GNU format: at most 99 bytes).
    #[arg(short = 'V', long, value_name = "NAME")]
    pub label: Option<String>,
    /// Read the names to archive from FILE ('-' = standard input), one per line.
    #[arg(short = 'T', long = "files-from", value_name = "FILE")]
    pub files_from: Vec<PathBuf>,
    /// Names in -T files are separated by NUL, not newline.
    #[arg(long)]
    pub null: bool,
    /// Exclude names matching PATTERN (GNU tar --exclude semantics); repeatable.
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
    /// Do not descend into directories.
    #[arg(long)]
    pub no_recursion: bool,
    /// Do not store directory entries (only their contents).
    #[arg(long)]
    pub no_directories: bool,
    /// Change to DIR before reading names (archive names are relative to it).
    #[arg(short = 'C', long = "directory", value_name = "DIR")]
    pub directory: Option<PathBuf>,
    /// Files and directories to archive.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write the SHA-256 manifest (`sha256sum -c` format) to FILE.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Write the listing to FILE (see --listing-style and -R).
    #[arg(long, value_name = "FILE")]
    pub listing: Option<PathBuf>,
    /// Listing style: names (tar -cv) or verbose (tar -cvv).
    #[arg(long, value_enum, default_value_t = ListingStyle::Names)]
    pub listing_style: ListingStyle,
    /// Prefix listing lines with `block N:` (GNU tar -R).
    #[arg(short = 'R', long = "block-number")]
    pub block_number: bool,
    /// Write the member index (tape file, record, offset of every member) to FILE.
    #[arg(long, value_name = "FILE")]
    pub index: Option<PathBuf>,
    /// Buffer size (e.g. 256M, 8G).
    #[arg(short = 'm', long = "memory", value_name = "SIZE",
          default_value_t = DEFAULT_BUFFER, value_parser = size_arg)]
    pub buffer: u64,
    /// Start writing when the buffer is PCT % full (and again after each underrun); default
    /// 80 on a tape, 0 on other outputs.
    #[arg(short = 'P', long = "high-watermark", value_name = "PCT",
          value_parser = clap::value_parser!(u8).range(0..=100))]
    pub high_watermark: Option<u8>,
    /// Touch every buffer page before starting.
    #[arg(long)]
    pub prefault: bool,
    /// Archive format.
    #[arg(long, value_enum, default_value_t = FormatArg::Gnu)]
    pub format: FormatArg,
    /// Switch drive encryption on with the key in this stenc key file first.
    #[arg(long, value_name = "KEYFILE")]
    pub encrypt_key: Option<PathBuf>,
    /// Encryption algorithm index (default: the only one the drive lists).
    #[arg(
        short = 'a',
        long = "algorithm",
        value_name = "N",
        requires = "encrypt_key"
    )]
    pub algorithm: Option<u8>,
    /// Refuse a key file readable by group or others (default: warn).
    #[arg(long, requires = "encrypt_key")]
    pub strict_key_perms: bool,
    /// Write this barcode into cartridge memory (attribute 0806h) afterwards.
    #[arg(long, value_name = "TEXT")]
    pub barcode: Option<String>,
    /// Do not write cartridge memory (date last written, application attributes).
    #[arg(long, conflicts_with = "barcode")]
    pub no_mam: bool,
    /// Print the listing to standard error as well (-v names, -vv verbose).
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Never show the progress display (it is shown only on a terminal anyway).
    #[arg(long)]
    pub no_progress: bool,
    /// Write statistics (bytes, files, elapsed_s, hash_s, buffer counters) as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub stats_json: Option<PathBuf>,
    /// Reproducible archives: owner 0/0 and this mtime for every member.
    #[arg(long, value_name = "SECONDS", hide = true)]
    pub pinned_mtime: Option<u64>,
    /// The label's mtime (default: now, as GNU tar).
    #[arg(long, value_name = "SECONDS", hide = true)]
    pub label_mtime: Option<u64>,
}

/// `tapetar list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The archive.
    #[command(flatten)]
    pub dev: DeviceArgs,
    /// Rewind and space to tape file N first (0 = the first); default: where the tape is.
    #[arg(long = "file", visible_alias = "tape-file", value_name = "N")]
    pub tape_file: Option<u32>,
    /// Prefix lines with `block N:` (GNU tar -R).
    #[arg(short = 'R', long = "block-number")]
    pub block_number: bool,
    /// Numeric owner and group.
    #[arg(long)]
    pub numeric_owner: bool,
}

/// `tapetar verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The archive.
    #[command(flatten)]
    pub dev: DeviceArgs,
    /// The manifest written by `create --manifest` (or by sha256sum).
    #[arg(long, value_name = "FILE")]
    pub manifest: PathBuf,
    /// Rewind and space to tape file N first; default: where the tape is.
    #[arg(long = "file", visible_alias = "tape-file", value_name = "N")]
    pub tape_file: Option<u32>,
}

/// `tapetar extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The archive.
    #[command(flatten)]
    pub dev: DeviceArgs,
    /// Extract into DIR (default: the current directory).
    #[arg(short = 'C', long = "directory", value_name = "DIR")]
    pub directory: Option<PathBuf>,
    /// The index written by `create --index`: position the tape at each member.
    #[arg(long, value_name = "FILE")]
    pub index: Option<PathBuf>,
    /// Rewind and space to tape file N first (without --index); default: where the tape is.
    #[arg(long = "file", visible_alias = "tape-file", value_name = "N")]
    pub tape_file: Option<u32>,
    /// Do not restore permissions exactly (apply the umask).
    #[arg(long)]
    pub no_same_permissions: bool,
    /// Do not restore modification times.
    #[arg(short = 'm', long = "touch")]
    pub touch: bool,
    /// Do not replace existing files.
    #[arg(short = 'k', long = "keep-old-files")]
    pub keep_old_files: bool,
    /// Print a summary (members, bytes) to standard error.
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,
    /// Write statistics (records read, positioning) as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub stats_json: Option<PathBuf>,
    /// Members to extract (a directory selects its contents); default: all.
    #[arg(value_name = "MEMBER")]
    pub members: Vec<PathBuf>,
}

/// `tapetar label`.
#[derive(Debug, Args)]
pub struct LabelArgs {
    /// The archive.
    #[command(flatten)]
    pub dev: DeviceArgs,
    /// Rewind and space to tape file N first; default: where the tape is.
    #[arg(long = "file", visible_alias = "tape-file", value_name = "N")]
    pub tape_file: Option<u32>,
    /// Print the label even when testing against NAME.
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,
    /// Exit 1 unless the label is NAME (no output unless -v).
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
}

/// clap value parser for sizes (`256M`, `8G`).
fn size_arg(text: &str) -> Result<u64, String> {
    parse_size(text).map_err(|e| e.to_string())
}
