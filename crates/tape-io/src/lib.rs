//! The tape layer: the [`Tape`] trait with st(4)'s semantics, and [`StTape`], its backend on a
//! Linux `/dev/nstN` node (MTIOCTOP, MTIOCGET, MTIOCPOS, read/write).
//!
//! Driver facts behind it: the kernel's `Documentation/scsi/st.rst` and `drivers/scsi/st.c`,
//! summarised in the project's `reference/st-driver.md`.
//!
//! ```no_run
//! use tape_io::{OpenMode, ReadOutcome, StTape, Tape};
//!
//! let mut tape = StTape::open("/dev/nst0", OpenMode::default())?;
//! tape.rewind()?;
//! let mut record = vec![0u8; 256 * 1024];
//! while let ReadOutcome::Data(n) = tape.read_record(&mut record)? {
//!     // one tape block of n bytes in record[..n]
//!     let _ = &record[..n];
//! }
//! # Ok::<(), tape_io::TapeError>(())
//! ```
//!
//! st driver options are typed; the encoding is the one mt-st sends:
//!
//! ```
//! use tape_io::{DriverOptions, DrvBufferRequest};
//!
//! let bits = DriverOptions::BUFFER_WRITES | DriverOptions::CAN_BSR;
//! assert_eq!(DrvBufferRequest::SetBooleans(bits).count(), 0x1000_0101);
//! assert_eq!(DrvBufferRequest::decode(0x7000_0384), Some(DrvBufferRequest::Timeout(900)));
//! ```

#![deny(unsafe_code)]

pub mod density;
pub mod error;
pub mod op;
pub mod options;
pub mod st;
pub mod status;
pub mod sys;
pub mod tape;

/// Major number of the st(4) character devices (`/dev/stN`, `/dev/nstN`; Linux
/// `Documentation/admin-guide/devices.txt`: 9 char = SCSI tape devices).
pub const ST_MAJOR: u64 = 9;

pub use error::TapeError;
pub use op::MtOp;
pub use options::{DriverOptions, DrvBufferRequest};
pub use st::StTape;
pub use status::{DriveType, GmtFlags, RawStatus, TapeStatus};
pub use tape::{OpenMode, ReadOutcome, Tape, WriteOutcome};
