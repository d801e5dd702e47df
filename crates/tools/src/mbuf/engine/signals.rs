//! SIGINT and SIGHUP (`reference/mbuffer.md` §4, §6 "Signals"). mbuffer does its work inside
//! the handler, which is not async-signal-safe (§7 #10). mbuf's handler only wakes a thread
//! (signal-hook's self-pipe); that thread reports the signal to the coordinator, which cancels
//! the run: "error during output to X: canceled" for each running output, summary, exit 1.
//! SIGPIPE stays ignored (the Rust runtime sets that), so a closed pipe is an EPIPE error.

use std::io;
use std::sync::mpsc::Sender;

use signal_hook::consts::{SIGHUP, SIGINT};
use signal_hook::iterator::{Handle, Signals};

/// Stops the signal thread when dropped.
#[derive(Debug)]
pub struct Guard {
    handle: Handle,
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.handle.close();
    }
}

/// Starts the signal thread; each SIGINT/SIGHUP sends `make(signal)` on `tx`.
pub fn install<E: Send + 'static>(
    tx: Sender<E>,
    make: impl Fn(i32) -> E + Send + 'static,
) -> io::Result<Guard> {
    let mut signals = Signals::new([SIGINT, SIGHUP])?;
    let handle = signals.handle();
    std::thread::Builder::new()
        .name("mbuf-signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                if tx.send(make(sig)).is_err() {
                    break;
                }
            }
        })?;
    Ok(Guard { handle })
}
