//! Shared helpers of the tapekit tools.
#![forbid(unsafe_code)]
