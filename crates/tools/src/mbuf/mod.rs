//! `mbuf`: a drop-in replacement for mbuffer R20230301 on the [`stream_buffer`] ring
//! (`reference/mbuffer.md`).
//!
//! - [`options`]: the resolved meaning of a command line (the parser's output, the engine's
//!   input);
//! - [`cli`]: mbuffer's option syntax, size arguments, config files, geometry rules, and the
//!   exact texts (status line, summary, help);
//! - [`engine`]: inputs and outputs (files, devices through tape-io, `.vtape`, TCP), the ring,
//!   hashing, rate limits, watchdog, signals, volume changes, exit codes.

pub mod cli;
pub mod engine;
pub mod options;
