//! Behaviour of the ring: ordering, reblocking, fan-out, end of stream, detaching, LIFO reuse.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::thread;

use stream_buffer::{buffer, Config, Consumer, Error};

/// Reads a consumer to the end; one Vec per block (one "output write" each).
fn drain(mut c: Consumer) -> Result<Vec<Vec<u8>>, Error> {
    let mut out = Vec::new();
    while let Some(b) = c.next_block()? {
        out.push(b.to_vec());
    }
    Ok(out)
}

#[test]
fn reblocks_writes_into_full_blocks_and_short_last() {
    let (mut p, mut cs) = buffer(Config::new(8, 16)).unwrap();
    let c = cs.pop().unwrap();
    p.write_all(b"abc").unwrap();
    p.write_all(b"defghijklmnopq").unwrap();
    p.write_all(b"rs").unwrap();
    let stats = p.finish().unwrap();
    assert_eq!(stats.bytes_in, 19);
    let out = drain(c).unwrap();
    assert_eq!(out, [&b"abcdefgh"[..], b"ijklmnop", b"qrs"]);
}

#[test]
fn exact_multiple_has_no_empty_last_block() {
    let (mut p, mut cs) = buffer(Config::new(4, 4)).unwrap();
    let c = cs.pop().unwrap();
    p.write_all(b"12345678").unwrap();
    p.finish().unwrap();
    assert_eq!(drain(c).unwrap(), [&b"1234"[..], b"5678"]);
}

#[test]
fn empty_stream_gives_none() {
    let (p, mut cs) = buffer(Config::new(4, 4)).unwrap();
    p.finish().unwrap();
    assert!(cs[0].next_block().unwrap().is_none());
    assert!(cs[0].next_block().unwrap().is_none());
}

#[test]
fn spare_and_advance_fill_in_place() {
    let (mut p, mut cs) = buffer(Config::new(6, 4)).unwrap();
    {
        let mut s = p.spare().unwrap();
        assert_eq!(s.len(), 6);
        s[..4].copy_from_slice(b"wxyz");
    }
    p.advance(4).unwrap();
    assert_eq!(p.spare().unwrap().len(), 2);
    assert!(matches!(p.advance(3), Err(Error::AdvanceTooFar(3))));
    p.advance(2).unwrap(); // completes and commits the block
    let b = cs[0].next_block().unwrap().unwrap();
    assert_eq!(&b[..4], b"wxyz");
    assert_eq!(b.len(), 6);
    drop(b);
    p.finish().unwrap();
    assert!(cs[0].next_block().unwrap().is_none());
}

#[test]
fn fill_from_reads_into_the_block_and_stops_at_eof() {
    let (mut p, cs) = buffer(Config::new(5, 8)).unwrap();
    let data: Vec<u8> = (0..23).collect();
    let mut src = &data[..];
    assert_eq!(p.fill_from(&mut src).unwrap(), 5); // at most the spare space per call
    assert_eq!(p.copy_from(&mut src).unwrap(), 18);
    assert_eq!(p.fill_from(&mut src).unwrap(), 0);
    p.finish().unwrap();
    let out = drain(cs.into_iter().next().unwrap()).unwrap();
    assert_eq!(
        out.iter().map(Vec::len).collect::<Vec<_>>(),
        [5, 5, 5, 5, 3]
    );
    assert_eq!(out.concat(), data);
}

#[test]
fn every_consumer_sees_every_block_and_stats_count_them() {
    let (mut p, cs) = buffer(Config::new(100, 3).consumers(3)).unwrap();
    let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    let handles: Vec<_> = cs
        .into_iter()
        .map(|c| thread::spawn(move || drain(c)))
        .collect();
    p.write_all(&data).unwrap();
    let stats = p.finish().unwrap();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap().concat(), data);
    }
    assert_eq!(stats.bytes_in, 10_000);
    assert_eq!(stats.blocks, 3);
    assert!(stats.max_fill_blocks <= 3);
    assert!(stats.finished);
}

#[test]
fn bytes_out_is_per_consumer() {
    let (mut p, mut cs) = buffer(Config::new(4, 8).consumers(2)).unwrap();
    let m = p.monitor();
    p.write_all(b"0123456789").unwrap();
    p.finish().unwrap();
    drop(cs[0].next_block().unwrap());
    let s = m.stats();
    assert_eq!(s.bytes_out, [4, 0]);
    assert_eq!(s.fill_blocks, 3);
    assert_eq!(s.max_fill_blocks, 3);
    assert_eq!(drain(cs.pop().unwrap()).unwrap().concat(), b"0123456789");
    assert_eq!(m.stats().bytes_out, [4, 10]);
}

#[test]
fn dropped_consumer_is_detached_and_does_not_stall_the_producer() {
    let (mut p, mut cs) = buffer(Config::new(16, 4).consumers(2)).unwrap();
    let quitter = cs.pop().unwrap();
    let reader = thread::spawn({
        let c = cs.pop().unwrap();
        move || drain(c)
    });
    let data = vec![7u8; 16 * 100 + 3];
    p.write_all(&data[..64]).unwrap(); // fills the ring while the quitter reads nothing
    drop(quitter);
    p.write_all(&data[64..]).unwrap(); // would block forever if the quitter still counted
    p.finish().unwrap();
    assert_eq!(reader.join().unwrap().unwrap().concat(), data);
}

#[test]
fn consumer_panicking_while_holding_a_block_is_detached() {
    let (mut p, mut cs) = buffer(Config::new(8, 2).consumers(2)).unwrap();
    let mut bad = cs.pop().unwrap();
    let good = cs.pop().unwrap();
    let bad = thread::spawn(move || {
        let _b = bad.next_block().unwrap();
        panic!("output failed");
    });
    let good = thread::spawn(move || drain(good));
    let data = vec![1u8; 8 * 50];
    p.write_all(&data).unwrap();
    p.finish().unwrap();
    assert!(bad.join().is_err());
    assert_eq!(good.join().unwrap().unwrap().concat(), data);
}

#[test]
fn producer_errors_when_all_consumers_are_gone() {
    let (mut p, cs) = buffer(Config::new(8, 2).consumers(2)).unwrap();
    let writer = thread::spawn(move || p.write_all(&[0u8; 1000]));
    thread::sleep(std::time::Duration::from_millis(50)); // let the producer block on a full ring
    drop(cs);
    assert!(matches!(writer.join().unwrap(), Err(Error::NoConsumers)));
}

#[test]
fn dropped_producer_aborts_the_stream() {
    let (mut p, mut cs) = buffer(Config::new(4, 4)).unwrap();
    p.write_all(b"abcdef").unwrap();
    drop(p);
    assert_eq!(&cs[0].next_block().unwrap().unwrap()[..], b"abcd");
    assert!(matches!(cs[0].next_block(), Err(Error::ProducerAborted)));
}

/// With a consumer that keeps up, the block just released is the next one filled, so a
/// single block circulates instead of all 64 (mbuffer's ring order would touch every one).
#[test]
fn lifo_reuse_keeps_one_block_hot_when_the_consumer_keeps_up() {
    let (mut p, mut cs) = buffer(Config::new(4096, 64)).unwrap();
    let mut addrs = HashSet::new();
    for i in 0..200u32 {
        p.write_all(&[i as u8; 4096]).unwrap();
        let b = cs[0].next_block().unwrap().unwrap();
        assert_eq!(b[0], i as u8);
        addrs.insert(b.as_ptr() as usize);
    }
    assert_eq!(addrs.len(), 1);
}

#[test]
fn lifo_reuse_with_two_blocks_in_flight() {
    let (mut p, mut cs) = buffer(Config::new(512, 32)).unwrap();
    let mut addrs = HashSet::new();
    p.write_all(&[0; 512]).unwrap();
    for _ in 0..100 {
        p.write_all(&[1; 512]).unwrap();
        let b = cs[0].next_block().unwrap().unwrap();
        addrs.insert(b.as_ptr() as usize);
    }
    assert_eq!(addrs.len(), 2);
}

#[test]
fn blocks_are_page_aligned_when_block_size_is_a_page_multiple() {
    let (mut p, mut cs) = buffer(Config::new(8192, 4).prefault(true)).unwrap();
    p.write_all(&[3; 8192]).unwrap();
    let b = cs[0].next_block().unwrap().unwrap();
    assert_eq!(b.as_ptr() as usize % 4096, 0);
    assert!(b.iter().all(|&x| x == 3));
}

#[test]
fn mlock_either_works_or_reports_mlock_error() {
    match buffer(Config::new(4096, 2).mlock(true)) {
        Ok(_) => {}
        Err(Error::Mlock(_)) => {}
        Err(e) => panic!("unexpected error {e}"),
    }
}

#[test]
fn invalid_configs_are_rejected() {
    for cfg in [
        Config::new(0, 4),
        Config::new(4, 0),
        Config::new(4, 4).consumers(0),
        Config::new(4, 4).high_watermark(101),
        Config::new(4, 4).low_watermark(101),
        Config::new(usize::MAX, 4),
    ] {
        assert!(buffer(cfg).is_err());
    }
}
