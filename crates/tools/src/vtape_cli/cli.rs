//! `vtape`'s command line (clap derive): commands, options and their value parsers.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use vtape::medium::Generation;

use crate::size::{parse_size, SizeError};

/// Create and inspect `.vtape` cartridge files (the media of tapekit's emulated LTO drive).
///
/// Sizes accept K, M, G, T (also KiB..TiB) for powers of 1024 and KB, MB, GB, TB for powers
/// of 1000, with an optional fraction: 64M, 1.5T, 2500GB.
#[derive(Debug, Parser)]
#[command(name = "vtape", version)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The `vtape` commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a blank cartridge file (loaded in the drive, at the beginning of partition 0).
    Create(CreateArgs),
    /// Show the cartridge: generation, density, capacity, write protect, per-partition usage.
    Info(InspectArgs),
    /// Show the layout of every partition: files, record sizes, filemarks, end of data.
    Dump(InspectArgs),
    /// Set or clear the write-protect switch, as on a real cartridge.
    Protect(ProtectArgs),
    /// Serve the cartridge as a kernel tape drive (/dev/nstN, /dev/sgN) through TCMU and
    /// tcm_loop until SIGINT/SIGTERM (root; configfs, target_core_user and tcm_loop loaded).
    Serve(ServeArgs),
}

/// Options of `vtape serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The cartridge file.
    pub path: PathBuf,
    /// Backstore and LUN name in configfs (core/user_N/NAME).
    #[arg(long, alias = "lun-name", default_value = "tape0")]
    pub name: String,
    /// Seconds the kernel waits for a command before failing it (TCMU cmd_time_out; 0 =
    /// kernel default of 30).
    #[arg(long, default_value_t = 5)]
    pub cmd_time_out: u32,
}

/// Options of `vtape create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The cartridge file to create.
    pub path: PathBuf,
    /// Cartridge generation (gives the density code and the default capacity).
    #[arg(long, short = 'g', value_enum, default_value_t = GenerationArg::Lto9)]
    pub generation: GenerationArg,
    /// Total capacity in bytes of record data [default: the generation's native capacity].
    #[arg(long, short = 'c', value_parser = size_arg)]
    pub capacity: Option<u64>,
    /// Number of partitions.
    #[arg(long, short = 'p', default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub partitions: u8,
    /// Size of partition 1 when there are two partitions [default: half the capacity].
    #[arg(long, value_parser = size_arg)]
    pub partition_size: Option<u64>,
    /// Set the write-protect switch of the new cartridge.
    #[arg(long)]
    pub write_protect: bool,
    /// Overwrite an existing file.
    #[arg(long, short = 'f')]
    pub force: bool,
    /// Barcode to store in the cartridge memory (attribute 0806h): printable ASCII, at most
    /// 32 characters (padded with spaces).
    #[arg(long, value_parser = barcode_arg)]
    pub barcode: Option<String>,
}

/// Checks a `--barcode` value (printable ASCII, ≤ 32 characters).
fn barcode_arg(text: &str) -> Result<String, String> {
    match vtape::drive::barcode_value(text) {
        Some(_) => Ok(text.to_owned()),
        None => Err("a barcode is printable ASCII of at most 32 characters".to_owned()),
    }
}

/// Options of `vtape info` and `vtape dump`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The cartridge file.
    pub path: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `vtape protect`.
#[derive(Debug, Args)]
pub struct ProtectArgs {
    /// The cartridge file.
    pub path: PathBuf,
    /// New position of the switch.
    #[arg(value_enum)]
    pub state: Switch,
}

/// A write-protect switch position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    /// Write protected.
    On,
    /// Writable.
    Off,
}

/// The `--generation` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenerationArg {
    /// LTO-5 (density 0x58, 1.5 TB).
    #[value(alias = "lto-5")]
    Lto5,
    /// LTO-6 (density 0x5A, 2.5 TB).
    #[value(alias = "lto-6")]
    Lto6,
    /// LTO-7 (density 0x5C, 6 TB).
    #[value(alias = "lto-7")]
    Lto7,
    /// LTO-8 (density 0x5E, 12 TB).
    #[value(alias = "lto-8")]
    Lto8,
    /// LTO-9 (density 0x60, 18 TB).
    #[value(alias = "lto-9")]
    Lto9,
}

impl From<GenerationArg> for Generation {
    fn from(g: GenerationArg) -> Generation {
        match g {
            GenerationArg::Lto5 => Generation::Lto5,
            GenerationArg::Lto6 => Generation::Lto6,
            GenerationArg::Lto7 => Generation::Lto7,
            GenerationArg::Lto8 => Generation::Lto8,
            GenerationArg::Lto9 => Generation::Lto9,
        }
    }
}

/// clap value parser for size options.
fn size_arg(text: &str) -> Result<u64, SizeError> {
    parse_size(text)
}
