//! `-W SECS` (`reference/mbuffer.md` §1): if neither input nor output made progress during a
//! whole period, raise SIGINT (the normal cancel path: messages, summary, exit 1); if still
//! nothing moved one period later, SIGKILL.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use nix::sys::signal::{raise, Signal};

use super::log::Logger;

/// Stops the watchdog when dropped.
#[derive(Debug)]
pub struct Guard {
    _stop: mpsc::Sender<()>,
}

/// Starts the watchdog thread over the shared progress counter.
pub fn start(period: Duration, progress: Arc<AtomicU64>, log: Arc<Logger>) -> Guard {
    let (tx, rx) = mpsc::channel::<()>();
    let _ = std::thread::Builder::new()
        .name("mbuf-watchdog".into())
        .spawn(move || {
            let mut last = progress.load(Ordering::Relaxed);
            let mut fired = false;
            loop {
                match rx.recv_timeout(period) {
                    Err(RecvTimeoutError::Timeout) => {}
                    _ => return,
                }
                let now = progress.load(Ordering::Relaxed);
                if now != last {
                    last = now;
                    fired = false;
                    continue;
                }
                if fired {
                    log.error("watchdog: still no progress, sending SIGKILL");
                    let _ = raise(Signal::SIGKILL);
                    return;
                }
                log.error(&format!(
                    "watchdog: no progress for {} seconds, sending SIGINT",
                    period.as_secs_f64()
                ));
                fired = true;
                let _ = raise(Signal::SIGINT);
            }
        });
    Guard { _stop: tx }
}
