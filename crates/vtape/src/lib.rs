//! An emulated LTO drive (SSC/SPC device server over a medium file).
//!
//! Not implemented yet: this crate is a placeholder in the workspace layout and exports
//! nothing. See the project issue that introduces `vtape`.
#![forbid(unsafe_code)]
