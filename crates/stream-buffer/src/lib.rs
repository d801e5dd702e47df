//! Lock-free fixed-block ring buffer (one producer, N consumers).
//!
//! Not implemented yet: this crate is a placeholder in the workspace layout and exports
//! nothing. See the project issue that introduces `stream-buffer` and `mbuf`.
#![forbid(unsafe_code)]
