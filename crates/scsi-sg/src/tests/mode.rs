//! Fixtures written from SPC-4 §7.5 (mode parameter headers, block descriptors, page
//! formats) and SSC-4 §8.3 (tape device-specific parameter, pages 0Fh and 10h).

use super::*;
use crate::mock::{MockReply, MockTransport, RecordedData};
use proptest::prelude::*;

/// MODE SENSE(6) of page 0Fh from an LTO-9 drive in variable-block mode.
fn sense6_fixture() -> Vec<u8> {
    let mut b = vec![
        27,   // MODE DATA LENGTH: 28 - 1
        0x00, // MEDIUM TYPE
        0x10, // DEVICE-SPECIFIC: WP 0, BUFFERED MODE 1, SPEED 0
        8,    // BLOCK DESCRIPTOR LENGTH
    ];
    b.extend_from_slice(&[
        0x60, // DENSITY CODE (LTO-9)
        0x00, 0x00, 0x00, // NUMBER OF BLOCKS
        0x00, // reserved
        0x00, 0x00, 0x00, // BLOCK LENGTH 0 = variable
    ]);
    b.extend_from_slice(&[
        0x8f, // PS = 1, SPF = 0, PAGE CODE 0Fh
        0x0e, // PAGE LENGTH
        0xc0, // DCE = 1, DCC = 1
        0x80, // DDE = 1, RED = 0
        0x00, 0x00, 0x00, 0x01, // COMPRESSION ALGORITHM
        0x00, 0x00, 0x00, 0x01, // DECOMPRESSION ALGORITHM
        0x00, 0x00, 0x00, 0x00, // reserved
    ]);
    assert_eq!(b.len(), 28);
    b
}

/// MODE SENSE(10) of page 10h, write-protected LTO-8 medium, 256 KiB fixed blocks, plus a
/// sub_page format page (0Ah/01h, 4 bytes of parameters).
fn sense10_fixture() -> Vec<u8> {
    let mut b = vec![
        0x00, 38,   // MODE DATA LENGTH: 40 - 2
        0x00, // MEDIUM TYPE
        0x90, // DEVICE-SPECIFIC: WP 1, BUFFERED MODE 1
        0x00, // LONGLBA 0
        0x00, // reserved
        0x00, 0x08, // BLOCK DESCRIPTOR LENGTH
    ];
    b.extend_from_slice(&[0x5e, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00]); // LTO-8, 262144
    b.extend_from_slice(&[
        0x90, // PS = 1, PAGE CODE 10h
        0x0e, // PAGE LENGTH
        0x00, // CAP CAF ACTIVE FORMAT 0
        0x01, // ACTIVE PARTITION 1
        0x00, 0x00, // buffer full / empty ratios
        0x00, 0x64, // WRITE DELAY TIME = 100 (10 s)
        0x00, // OBR LOIS RSMK AVC SOCF ROBO
        0x00, // GAP SIZE
        0x18, // EOD DEFINED 0, EEG 1, SEW 1
        0x00, 0x00, 0x00, // BUFFER SIZE AT EARLY WARNING
        0x01, // SELECT DATA COMPRESSION ALGORITHM
        0x00, // byte 15
    ]);
    b.extend_from_slice(&[0x4a, 0x01, 0x00, 0x04, 1, 2, 3, 4]); // SPF, 0Ah/01h, length 4
    assert_eq!(b.len(), 40);
    b
}

#[test]
fn sense6_decodes() {
    let m = parse6(&sense6_fixture()).unwrap();
    assert_eq!(m.mode_data_length, 27);
    assert!(!m.truncated);
    assert!(!m.header.write_protected());
    assert_eq!(m.header.buffered_mode(), 1);
    assert_eq!(
        m.block_descriptor(),
        Some(&BlockDescriptor {
            density_code: 0x60,
            block_count: 0,
            block_length: 0
        })
    );
    let p = m.page(0x0f, 0).unwrap();
    assert!(p.ps && !p.spf);
    assert_eq!(p.data.len(), 14);
    let dc = m.data_compression().unwrap();
    assert!(dc.dce && dc.dcc && dc.dde);
    assert_eq!(
        (dc.compression_algorithm, dc.decompression_algorithm),
        (1, 1)
    );
    assert_eq!(dc.to_page().data, p.data);
}

#[test]
fn sense10_decodes() {
    let m = parse10(&sense10_fixture()).unwrap();
    assert!(m.header.write_protected());
    assert_eq!(m.block_descriptor().unwrap().density_code, 0x5e);
    assert_eq!(m.block_descriptor().unwrap().block_length, 262_144);
    let dc = m.device_configuration().unwrap();
    assert_eq!(dc.active_partition, 1);
    assert_eq!(dc.write_delay_time, 100);
    assert!(dc.eeg && dc.sew);
    assert_eq!(dc.eod_defined, 0);
    assert_eq!(dc.select_data_compression_algorithm, 1);
    let sub = m.page(0x0a, 0x01).unwrap();
    assert!(sub.spf);
    assert_eq!(sub.data, [1, 2, 3, 4]);
    assert!(m.data_compression().is_none());
}

#[test]
fn prefixes_never_panic_and_flag_truncation() {
    let f = sense6_fixture();
    for n in 0..=f.len() {
        match parse6(&f[..n]) {
            Ok(m) => {
                assert!(n >= 4);
                assert_eq!(m.truncated, n < f.len(), "prefix {n}");
                assert_eq!(m.block_descriptors.len(), usize::from(n >= 12));
                assert_eq!(m.pages.len(), usize::from(n == f.len()));
            }
            Err(_) => assert!(n < 4),
        }
    }
    let f = sense10_fixture();
    for n in 0..=f.len() {
        match parse10(&f[..n]) {
            Ok(m) => assert_eq!(m.pages.len(), usize::from(n >= 32) + usize::from(n >= 40)),
            Err(_) => assert!(n < 8),
        }
    }
}

#[test]
fn overlong_and_lying_lengths() {
    let mut long = sense6_fixture();
    long.extend_from_slice(&[0x8f, 0x0e, 0xff]); // junk past MODE DATA LENGTH
    assert_eq!(parse6(&long).unwrap(), parse6(&sense6_fixture()).unwrap());
    // Block descriptor length pointing past the data: no descriptor, no pages, truncated.
    let mut bad = sense6_fixture();
    bad[3] = 200;
    let m = parse6(&bad).unwrap();
    assert!(m.block_descriptors.len() <= 3 && m.pages.is_empty() && m.truncated);
    // A page length running past the end drops that page.
    let mut bad = sense6_fixture();
    bad[13] = 0x40;
    let m = parse6(&bad).unwrap();
    assert!(m.pages.is_empty() && m.truncated);
}

#[test]
fn st_setblk_list_is_byte_exact() {
    // st MTSETBLK 262144 with buffer mode 1: header byte 2 = 1 << 4, byte 3 = 8,
    // descriptor byte 0 density, bytes 5-7 block length.
    let l = ModeSelectList::block_descriptor_only(0x00, 262_144, 1);
    assert_eq!(
        l.build6().unwrap(),
        [0x00, 0x00, 0x10, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00]
    );
    assert!(ModeSelectList::block_descriptor_only(0, 0x0100_0000, 1)
        .build6()
        .is_err());
}

#[test]
fn read_modify_write_compression() {
    let m = parse6(&sense6_fixture()).unwrap();
    let mut l = ModeSelectList::from_sense(&m);
    let mut dc = m.data_compression().unwrap();
    dc.dce = false;
    l.pages = vec![dc.to_page()];
    let mut expect = vec![0x00, 0x00, 0x10, 0x08]; // MODE DATA LENGTH zeroed
    expect.extend_from_slice(&[0x60, 0, 0, 0, 0, 0, 0, 0]);
    expect.extend_from_slice(&[0x0f, 0x0e, 0x40, 0x80, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    assert_eq!(l.build6().unwrap(), expect);
    // Same list in the (10) form: 8-byte header, MODE DATA LENGTH zero.
    let b10 = l.build10().unwrap();
    assert_eq!(b10[..8], [0, 0, 0x00, 0x10, 0, 0, 0, 8]);
    assert_eq!(b10[8..], expect[4..]);
    // WP from a write-protected SENSE is never sent back.
    let wp = ModeSelectList::from_sense(&parse10(&sense10_fixture()).unwrap());
    assert_eq!(wp.build10().unwrap()[3], 0x10);
    assert!(wp.pages.iter().all(|p| !p.ps));
}

#[test]
fn runners_send_exact_cdbs() {
    let mut t = MockTransport::with_replies([
        MockReply::data(sense6_fixture()),
        MockReply::data(sense10_fixture()),
        MockReply::good(),
        MockReply::good(),
    ]);
    sense6(&mut t, PageControl::Current, 0x0f, 0, false).unwrap();
    sense10(&mut t, PageControl::Changeable, 0x10, 0, true).unwrap();
    let l = ModeSelectList::block_descriptor_only(0, 0, 1);
    select6(&mut t, &l, false).unwrap();
    select10(&mut t, &l, true).unwrap();
    let c = t.commands();
    assert_eq!(c[0].cdb, [0x1a, 0x00, 0x0f, 0x00, 0xff, 0x00]);
    assert_eq!(c[0].data, RecordedData::FromDevice(255));
    assert_eq!(c[1].cdb, [0x5a, 0x08, 0x50, 0x00, 0, 0, 0, 0x10, 0x00, 0]);
    assert_eq!(c[2].cdb, [0x15, 0x10, 0x00, 0x00, 12, 0x00]);
    assert_eq!(c[2].data, RecordedData::ToDevice(l.build6().unwrap()));
    assert_eq!(c[3].cdb, [0x55, 0x11, 0, 0, 0, 0, 0, 0, 16, 0]);
    assert!(c
        .iter()
        .all(|x| x.timeout == TimeoutClass::Config.duration()));
}

fn arb_page() -> impl Strategy<Value = ModePage> {
    (
        1u8..0x3f,
        any::<bool>(),
        1u8..0xff,
        proptest::collection::vec(any::<u8>(), 0..40),
    )
        .prop_map(|(code, spf, sub, data)| {
            if spf {
                ModePage::with_subpage(code, sub, data)
            } else {
                ModePage::new(code, data)
            }
        })
}

fn arb_list(max_desc: usize) -> impl Strategy<Value = ModeSelectList> {
    let desc =
        (any::<u8>(), 0u64..=0xff_ffff, 0u32..=0xff_ffff).prop_map(|(d, c, l)| BlockDescriptor {
            density_code: d,
            block_count: c,
            block_length: l,
        });
    (
        0u8..8,
        0u8..16,
        proptest::collection::vec(desc, 0..=max_desc),
        proptest::collection::vec(arb_page(), 0..4),
    )
        .prop_map(|(bm, speed, block_descriptors, pages)| ModeSelectList {
            header: ModeHeader::tape(bm, speed),
            block_descriptors,
            pages,
        })
}

proptest! {
    #[test]
    fn select6_round_trip(l in arb_list(2)) {
        if let Ok(bytes) = l.build6() {
            prop_assert_eq!(bytes[0], 0, "MODE DATA LENGTH must be zero on SELECT");
            prop_assert_eq!(ModeSelectList::parse6(&bytes).unwrap(), l);
        }
    }

    #[test]
    fn select10_round_trip(l in arb_list(3)) {
        let bytes = l.build10().unwrap();
        prop_assert_eq!(&bytes[..2], &[0, 0]);
        prop_assert_eq!(ModeSelectList::parse10(&bytes).unwrap(), l);
    }

    #[test]
    fn parsers_never_panic(b in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse6(&b);
        let _ = parse10(&b);
        let _ = ModeSelectList::parse6(&b);
        let _ = ModeSelectList::parse10(&b);
    }
}
