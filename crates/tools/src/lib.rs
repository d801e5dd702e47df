//! Shared helpers of the tapekit tools, and the library side of each tool (argument handling,
//! command logic and output formats), so that the binaries stay thin.
#![forbid(unsafe_code)]

pub mod device;
pub mod mamattr;
pub mod mbuf;
pub mod mt;
pub mod size;
pub mod stenc;
pub mod tapetar;
pub mod vtape_cli;
