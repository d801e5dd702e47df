//! SCSI generic access for LTO tape: the [`Transport`] trait, an SG_IO backend, typed sense
//! data, and one module per command family (CDB builder, pure parser, runner).
//!
//! Facts behind the byte layouts: SPC-4/SSC-4 as summarised in the project's
//! `reference/scsi.md`.

pub mod asc;
pub mod buffer;
pub mod error;
pub mod sense;
pub mod sg;
pub mod sys;
pub mod transport;

// Command families (CDB builder, parser, runner) and their shared pieces.
pub mod block_limits;
pub mod density;
pub mod inquiry;
pub mod log;
pub mod mock;
pub mod mode;
pub mod opcode;
pub mod position;
pub mod request_sense;
pub mod unit_ready;
mod wire;

pub use asc::asc_text;
pub use block_limits::BlockLimits;
pub use buffer::AlignedBuf;
pub use density::{DensityDescriptor, DensitySupport};
pub use error::{ParseError, ScsiError};
pub use inquiry::{Designator, StandardInquiry, VpdPage};
pub use log::{LogPage, LogParameter, TapeAlertFlags, VolumeStatistics};
pub use mode::{BlockDescriptor, ModeData, ModeHeader, ModePage, ModeSelectList};
pub use position::{LongPosition, ShortPosition};
pub use sense::{FieldPointer, Sense, SenseFormat, SenseKey, SenseKeySpecific, SenseKind};
pub use sg::SgDevice;
pub use transport::{
    Command, Completion, CompletionInfo, DataDir, ScsiStatus, TimeoutClass, Transport,
};
