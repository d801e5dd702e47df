//! `stenc`: SCSI tape encryption manager, a drop-in for Debian's stenc 1.0.7 with stenc
//! 2.0's additions (`reference/stenc.md`), built on `scsi_sg::encryption`.
//!
//! - [`cli`]: 1.0.7's hand-parsed command line (+ 2.0's `-d`, `--allow-raw-read`, `-k -`,
//!   `--help`, `$TAPE`; tapekit's `--json`, `--strict-key-perms`).
//! - [`status`]: 1.0.7's exact status and `--detail` text, and JSON.
//! - [`run`](mod@run): the flows, messages and exit codes.
//! - [`keys`], [`keygen`], [`audit`], [`errors`]: key input, key generation, the
//!   `/var/log/stenc` audit log, error reporting.
//!
//! Better than 1.0.7 (and 2.0) where they are wrong: keys from the OS random source; key
//! length field equal to the key sent, zero reserved bytes (library); the request is checked
//! against the drive's capabilities page first; the algorithm is taken from the drive when
//! it lists exactly one; a failed drive query exits 1; status never moves the tape; sense
//! is printed with the ASC/ASCQ meaning and the field pointer; key files readable by group
//! or others give a warning (`--strict-key-perms` refuses them); no root check (members of
//! the tape group may use it). The audit log path can be changed with the environment
//! variable `STENC_AUDIT_LOG` (tests).
//!
//! ```
//! use tapekit_tools::stenc::cli::rename_device;
//! assert_eq!(rename_device("/dev/st0"), "/dev/nst0");
//! ```

pub mod audit;
pub mod cli;
pub mod errors;
pub mod keygen;
pub mod keys;
pub mod run;
pub mod status;

pub use run::{run, Env};
