//! Tape-friendly tar writer and reader.
//!
//! Not implemented yet: this crate is a placeholder in the workspace layout and exports
//! nothing. See the project issue that introduces `archive` and `tapetar`.
#![forbid(unsafe_code)]
