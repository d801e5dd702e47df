//! The tape layer: the [`Tape`] trait with st(4)'s semantics, and [`StTape`], its backend on a
//! Linux `/dev/nstN` node (MTIOCTOP, MTIOCGET, MTIOCPOS, read/write).
//!
//! Driver facts behind it: the kernel's `Documentation/scsi/st.rst` and `drivers/scsi/st.c`,
//! summarised in the project's `reference/st-driver.md`.

pub mod error;
pub mod op;
pub mod status;
pub mod tape;

pub use error::TapeError;
pub use op::MtOp;
pub use status::{DriveType, GmtFlags, RawStatus, TapeStatus};
pub use tape::{OpenMode, ReadOutcome, Tape, WriteOutcome};
