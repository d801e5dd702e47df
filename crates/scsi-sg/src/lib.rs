//! SCSI generic access for LTO tape: the [`Transport`] trait, an SG_IO backend, typed sense
//! data, and one module per command family (CDB builder, pure parser, runner).
//!
//! Facts behind the byte layouts: SPC-4/SSC-4 as summarised in the project's
//! `reference/scsi.md`.
//!
//! Run commands on a real device with [`SgDevice`] (`/dev/sgN`, or `/dev/nstN` with
//! CAP_SYS_RAWIO); errors come back typed, with the decoded sense:
//!
//! ```no_run
//! use scsi_sg::{inquiry, log, ScsiError, SgDevice};
//!
//! let mut dev = SgDevice::open("/dev/sg0")?;
//! let id = inquiry::standard(&mut dev)?;
//! println!("{} {} is a tape drive: {}", id.vendor, id.product, id.is_tape());
//! match log::tape_alert(&mut dev) {
//!     Ok(flags) => flags.iter().for_each(|n| println!("TapeAlert {n:02X}")),
//!     Err(ScsiError::NotReady(sense)) => println!("no tape: {sense}"),
//!     Err(e) => return Err(e.into()),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Every parser is pure and can be used on bytes from anywhere (a trace, a test, an emulator):
//!
//! ```
//! use scsi_sg::{Sense, SenseKey};
//!
//! // Fixed-format sense: READ met a filemark (NO SENSE, FILEMARK, 00/01).
//! let bytes = [0x70, 0, 0x80, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x00, 0x01, 0, 0, 0, 0];
//! let sense = Sense::parse(&bytes)?;
//! assert_eq!(sense.key, SenseKey::NoSense);
//! assert!(sense.filemark);
//! assert_eq!(sense.description(), Some("Filemark detected"));
//! # Ok::<(), scsi_sg::ParseError>(())
//! ```
//!
//! `unsafe` is denied crate-wide and allowed only in [`sg`] (the SG_IO ioctl) and [`buffer`]
//! (the page-aligned allocation behind SG_IO data buffers), each block with a `SAFETY:` note.

#![deny(unsafe_code)]

pub mod asc;
#[allow(unsafe_code)]
pub mod buffer;
pub mod error;
pub mod sense;
#[allow(unsafe_code)]
pub mod sg;
pub mod sys;
pub mod transport;

// Command families (CDB builder, parser, runner) and their shared pieces.
pub mod attributes;
pub mod block_limits;
pub mod density;
pub mod encryption;
pub mod inquiry;
pub mod log;
pub mod mock;
pub mod mode;
pub mod opcode;
pub mod position;
pub mod request_sense;
pub mod ssc;
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
