//! High and low watermark behaviour (mbuffer `-P` / `-p`, `reference/mbuffer.md` §6
//! "Watermarks"): output starts at P % and again after every underrun; after the ring was full
//! input resumes below p %.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use stream_buffer::{buffer, Config};

/// Long enough for a wrongly woken thread to act; short enough to keep the suite fast.
const QUIET: Duration = Duration::from_millis(150);
/// Upper bound for something that must happen.
const SOON: Duration = Duration::from_secs(10);

#[test]
fn consumer_waits_for_high_watermark_and_again_after_underrun() {
    // 10 blocks, P = 50 %: 5 blocks must be available before output (re)starts.
    let (mut p, mut cs) = buffer(Config::new(1, 10).high_watermark(50)).unwrap();
    let mut c = cs.pop().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = thread::spawn(move || {
        while let Some(b) = c.next_block().unwrap() {
            tx.send(b[0]).unwrap();
        }
        c.stats()
    });
    p.write_all(&[0, 1, 2, 3]).unwrap();
    assert!(rx.recv_timeout(QUIET).is_err(), "started below 50 %");
    p.write_all(&[4]).unwrap();
    for want in 0..5 {
        assert_eq!(rx.recv_timeout(SOON).unwrap(), want);
    }
    // The consumer has drained the ring: an underrun. It must wait for 5 blocks again.
    thread::sleep(QUIET);
    p.write_all(&[5, 6, 7, 8]).unwrap();
    assert!(
        rx.recv_timeout(QUIET).is_err(),
        "restarted below 50 % after underrun"
    );
    p.write_all(&[9]).unwrap();
    for want in 5..10 {
        assert_eq!(rx.recv_timeout(SOON).unwrap(), want);
    }
    // End of stream releases a consumer waiting below the watermark.
    p.write_all(&[10, 11]).unwrap();
    assert!(rx.recv_timeout(QUIET).is_err());
    p.finish().unwrap();
    assert_eq!(rx.recv_timeout(SOON).unwrap(), 10);
    assert_eq!(rx.recv_timeout(SOON).unwrap(), 11);
    let stats = reader.join().unwrap();
    assert_eq!(stats.times_empty, [2]);
    assert_eq!(stats.bytes_out, [12]);
}

#[test]
fn short_stream_below_high_watermark_is_still_delivered() {
    let (mut p, mut cs) = buffer(Config::new(4, 100).high_watermark(80)).unwrap();
    p.write_all(b"tiny").unwrap();
    p.finish().unwrap();
    assert_eq!(&cs[0].next_block().unwrap().unwrap()[..], b"tiny");
    assert!(cs[0].next_block().unwrap().is_none());
}

#[test]
fn producer_waits_when_full_until_fill_is_below_low_watermark() {
    // 10 blocks, p = 50 %: once full, input resumes only when fewer than 5 blocks are filled.
    let (mut p, mut cs) = buffer(Config::new(1, 10).low_watermark(50)).unwrap();
    let m = p.monitor();
    let written = Arc::new(AtomicUsize::new(0));
    let writer = thread::spawn({
        let written = Arc::clone(&written);
        move || {
            for i in 0..12u8 {
                p.write_all(&[i]).unwrap();
                written.store(usize::from(i) + 1, Ordering::SeqCst);
            }
            p.finish().unwrap()
        }
    });
    let deadline = Instant::now() + SOON;
    while written.load(Ordering::SeqCst) < 10 {
        assert!(Instant::now() < deadline, "producer did not fill the ring");
        thread::sleep(Duration::from_millis(5));
    }
    thread::sleep(QUIET);
    assert_eq!(written.load(Ordering::SeqCst), 10, "wrote into a full ring");
    assert_eq!(m.stats().times_full, 1);
    // Release 5 blocks: fill 10 → 5, not below 50 % yet.
    for want in 0..5 {
        assert_eq!(cs[0].next_block().unwrap().unwrap()[0], want);
    }
    thread::sleep(QUIET);
    assert_eq!(written.load(Ordering::SeqCst), 10, "resumed at 50 %");
    assert_eq!(m.stats().fill_blocks, 5);
    // One more: fill 4 < 5, the producer resumes.
    assert_eq!(cs[0].next_block().unwrap().unwrap()[0], 5);
    let deadline = Instant::now() + SOON;
    while written.load(Ordering::SeqCst) < 12 {
        assert!(
            Instant::now() < deadline,
            "producer did not resume below 50 %"
        );
        thread::sleep(Duration::from_millis(5));
    }
    for want in 6..12 {
        assert_eq!(cs[0].next_block().unwrap().unwrap()[0], want);
    }
    assert!(cs[0].next_block().unwrap().is_none());
    let stats = writer.join().unwrap();
    assert_eq!(stats.max_fill_blocks, 10);
}

#[test]
fn default_low_watermark_resumes_at_one_free_block() {
    let (mut p, mut cs) = buffer(Config::new(1, 4)).unwrap();
    let written = Arc::new(AtomicUsize::new(0));
    let writer = thread::spawn({
        let written = Arc::clone(&written);
        move || {
            for i in 0..5u8 {
                p.write_all(&[i]).unwrap();
                written.store(usize::from(i) + 1, Ordering::SeqCst);
            }
            p.finish().unwrap()
        }
    });
    let deadline = Instant::now() + SOON;
    while written.load(Ordering::SeqCst) < 4 {
        assert!(Instant::now() < deadline);
        thread::sleep(Duration::from_millis(5));
    }
    thread::sleep(QUIET);
    assert_eq!(written.load(Ordering::SeqCst), 4);
    assert_eq!(cs[0].next_block().unwrap().unwrap()[0], 0);
    let stats = writer.join().unwrap();
    assert_eq!(stats.times_full, 1);
}

/// A fast consumer waiting for P % while a slow one holds the older blocks and the producer
/// waits for p % must not deadlock: the waiting producer releases the watermark wait.
#[test]
fn high_above_low_with_a_slow_consumer_does_not_deadlock() {
    let (done_tx, done_rx) = mpsc::channel();
    thread::spawn(move || {
        let cfg = Config::new(1, 8)
            .consumers(2)
            .high_watermark(90)
            .low_watermark(50);
        let (mut p, mut cs) = buffer(cfg).unwrap();
        let mut slow = cs.pop().unwrap();
        let mut fast = cs.pop().unwrap();
        let slow = thread::spawn(move || {
            let mut n = 0;
            while let Some(b) = slow.next_block().unwrap() {
                n += b.len();
                thread::sleep(Duration::from_micros(300));
            }
            n
        });
        let fast = thread::spawn(move || {
            let mut n = 0;
            while let Some(b) = fast.next_block().unwrap() {
                n += b.len();
            }
            n
        });
        for i in 0..400u32 {
            p.write_all(&[i as u8]).unwrap();
        }
        p.finish().unwrap();
        done_tx
            .send((slow.join().unwrap(), fast.join().unwrap()))
            .unwrap();
    });
    assert_eq!(
        done_rx.recv_timeout(Duration::from_secs(30)).unwrap(),
        (400, 400)
    );
}
