//! `mamattr`'s command line (clap derive): the device and decoding options, and the commands.
//!
//! Options are global (they may come before or after the command). Without a command,
//! `--inhex FILE` lists the saved response; any other invocation needs a command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use super::ident::AttrRef;

/// The device used when neither `-f` nor `$TAPE` names one (as `mt`).
pub const DEFAULT_DEVICE: &str = "/dev/tape";

/// Read and write LTO cartridge memory (MAM attributes, SPC READ/WRITE ATTRIBUTE).
///
/// DEV is /dev/sgN (preferred), /dev/nstN (needs CAP_SYS_RAWIO) or a .vtape file; it
/// defaults to $TAPE, then /dev/tape. An attribute is named by its identifier in hex
/// (0x0806 or 0806, as ITDT writes it) or by a name such as barcode (see `mamattr names`).
#[derive(Debug, Parser)]
#[command(name = "mamattr", version)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub opts: GlobalOpts,
    /// What to do (default with --inhex: list).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options shared by every command.
#[derive(Debug, Args)]
pub struct GlobalOpts {
    /// The device: /dev/sgN, /dev/nstN or a .vtape file [default: $TAPE, then /dev/tape].
    #[arg(short = 'f', long = "file", value_name = "DEV", global = true)]
    pub device: Option<String>,
    /// Partition number (CDB byte 7): per-partition attributes such as capacities and VCI.
    #[arg(short = 'p', long, default_value_t = 0, global = true)]
    pub partition: u8,
    /// Print JSON (list, get, names).
    #[arg(long, global = true)]
    pub json: bool,
    /// Decode a saved READ ATTRIBUTE (ATTRIBUTE VALUES) response instead of asking a device:
    /// hex bytes separated by white space, '#' starts a comment (as sg_read_attr --in).
    #[arg(long, value_name = "FILE", global = true)]
    pub inhex: Option<PathBuf>,
    /// With --inhex: the file is binary, not hex text.
    #[arg(long, requires = "inhex", global = true)]
    pub raw: bool,
}

/// The `mamattr` commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every attribute: identifier, read-only flag, format, name and decoded value.
    List,
    /// Print the decoded value of one attribute.
    Get(AttrArg),
    /// Write one attribute (ASCII values are padded with spaces to the standard length).
    Set(SetArgs),
    /// Delete a host attribute (WRITE ATTRIBUTE with length 0).
    Delete(AttrArg),
    /// Save one attribute as an ITDT raw file: the 5-byte header and the value.
    Read(ReadArgs),
    /// Write the attribute of an ITDT raw file (as made by `read`) to the cartridge.
    Write(WriteArgs),
    /// The attribute names and identifiers this tool knows (no device needed).
    Names,
}

/// One attribute.
#[derive(Debug, Args)]
pub struct AttrArg {
    /// Identifier (0x0806, 0806) or name (barcode).
    #[arg(value_name = "ID|NAME", value_parser = attr_ref)]
    pub attr: AttrRef,
}

/// `set ID|NAME VALUE`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// Identifier (0x0806, 0806) or name (barcode).
    #[arg(value_name = "ID|NAME", value_parser = attr_ref)]
    pub attr: AttrRef,
    /// The value: text for ASCII and TEXT attributes; a number (decimal or 0x hex) or hex
    /// bytes for binary ones.
    #[arg(value_name = "VALUE", allow_hyphen_values = true)]
    pub value: String,
}

/// `read ID|NAME -o FILE`.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Identifier (0x0806, 0806) or name (barcode).
    #[arg(value_name = "ID|NAME", value_parser = attr_ref)]
    pub attr: AttrRef,
    /// The file to write ('-' for standard output).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

/// `write FILE`.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// An ITDT raw attribute file ('-' for standard input).
    #[arg(value_name = "FILE")]
    pub input: PathBuf,
}

/// clap value parser for `ID|NAME`.
fn attr_ref(text: &str) -> Result<AttrRef, String> {
    text.parse::<AttrRef>().map_err(|e| e.to_string())
}
