//! `mt`: a drop-in replacement for mt-st 1.7 (Debian 12), built on tape-io's [`Tape`] trait.
//!
//! Behaviour follows the project's `reference/mt-st.md` (options, command table and lookup,
//! count parsing, messages and exit codes, `mt status` text, densities, st options) and the
//! st(4) driver facts of `reference/st-driver.md`. The program never issues an ioctl itself:
//! every device call goes through a [`Tape`] opened by a [`System`], so tests run it against a
//! fake drive.
//!
//! tapekit additions: `mt status --json`, and `tapealert` / `volstats` (log pages over SG_IO),
//! which are looked up only when a name is unknown to 1.7 so that no 1.7 abbreviation changes.
//!
//! ```
//! use tapekit_tools::mt::count::parse_count;
//! assert_eq!(parse_count("2k"), Ok(2048));
//! ```
//!
//! [`Tape`]: tape_io::Tape

pub mod cli;
pub mod commands;
pub mod count;
pub mod densities;
pub mod logpages;
pub mod run;
pub mod status;
pub mod stoptions;
pub mod system;

pub use run::{run, Output};
pub use system::{LinuxSystem, PathInfo, System};
