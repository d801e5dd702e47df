//! SCSI generic access for LTO tape: the [`Transport`] trait, an SG_IO backend, typed sense
//! data, and one module per command family (CDB builder, pure parser, runner).
//!
//! Facts behind the byte layouts: SPC-4/SSC-4 as summarised in the project's
//! `reference/scsi.md`.

pub mod error;
pub mod sense;
pub mod transport;

pub use error::{ParseError, ScsiError};
pub use sense::{FieldPointer, Sense, SenseFormat, SenseKey, SenseKeySpecific, SenseKind};
pub use transport::{Command, Completion, CompletionInfo, DataDir, ScsiStatus, TimeoutClass, Transport};
