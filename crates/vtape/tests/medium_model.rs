//! Model test: random writes, filemarks, erases (at random positions up to end of data) and
//! reopens on a two-partition medium, checked against a plain `Vec` per partition.
#![allow(clippy::unwrap_used, clippy::panic)] // test code: helpers fail the test

use proptest::prelude::*;
use vtape::medium::{FormatSize, Generation, Medium, MediumConfig, ObjectKind};

#[derive(Debug, Clone)]
enum Op {
    Write {
        p: u8,
        pos: u64,
        len: usize,
        seed: u8,
    },
    Filemarks {
        p: u8,
        pos: u64,
        count: u32,
    },
    Erase {
        p: u8,
        pos: u64,
    },
    Reopen {
        mode: u8,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Obj {
    Record(Vec<u8>),
    Filemark,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..2u8, any::<u64>(), 0..3000usize, any::<u8>())
            .prop_map(|(p, pos, len, seed)| Op::Write { p, pos, len, seed }),
        2 => (0..2u8, any::<u64>(), 0..300u32).prop_map(|(p, pos, count)| Op::Filemarks { p, pos, count }),
        1 => (0..2u8, any::<u64>()).prop_map(|(p, pos)| Op::Erase { p, pos }),
        1 => (0..3u8).prop_map(|mode| Op::Reopen { mode }),
    ]
}

/// Positions are biased towards end of data (appends), but can land anywhere up to it.
fn position(sel: u64, eod: u64) -> u64 {
    if sel % 3 == 0 {
        sel / 3 % (eod + 1)
    } else {
        eod
    }
}

fn check(m: &Medium, model: &[Vec<Obj>]) {
    let mut buf = vec![0u8; 4096];
    for (p, objs) in model.iter().enumerate() {
        let p = p as u8;
        assert_eq!(m.object_count(p), objs.len() as u64);
        let mut bytes = 0u64;
        let mut files = 0u64;
        for (n, o) in objs.iter().enumerate() {
            let n = n as u64;
            assert_eq!(m.bytes_used(p, n), bytes);
            assert_eq!(m.filemark_count_before(p, n), files);
            match o {
                Obj::Filemark => {
                    assert_eq!(m.object(p, n).unwrap().kind, ObjectKind::Filemark);
                    assert_eq!(m.next_filemark(p, n), Some(n));
                    assert_eq!(m.prev_filemark(p, n + 1), Some(n));
                    files += 1;
                }
                Obj::Record(d) => {
                    let r = m.read_record(p, n, &mut buf).unwrap();
                    assert_eq!(&buf[..r.copied], &d[..]);
                    bytes += d.len() as u64;
                }
            }
        }
        let next = objs
            .iter()
            .position(|o| *o == Obj::Filemark)
            .map(|i| i as u64);
        assert_eq!(m.next_filemark(p, 0), next);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn medium_matches_model(ops in proptest::collection::vec(op(), 1..60)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.vtape");
        let cfg = MediumConfig::new(Generation::Lto8)
            .with_capacity(64 << 20)
            .with_partitions(FormatSize::Partition1(8 << 20));
        let mut m = Some(Medium::create(&path, &cfg).unwrap());
        let mut model: Vec<Vec<Obj>> = vec![Vec::new(), Vec::new()];
        for op in ops {
            let med = m.as_mut().unwrap();
            match op {
                Op::Write { p, pos, len, seed } => {
                    let part = &mut model[p as usize];
                    let at = position(pos, part.len() as u64);
                    let data: Vec<u8> = (0..len).map(|i| seed.wrapping_add(i as u8)).collect();
                    med.write_record(p, at, &data, &[]).unwrap();
                    part.truncate(at as usize);
                    part.push(Obj::Record(data));
                }
                Op::Filemarks { p, pos, count } => {
                    let part = &mut model[p as usize];
                    let at = position(pos, part.len() as u64);
                    med.write_filemarks(p, at, count).unwrap();
                    if count > 0 {
                        part.truncate(at as usize);
                        part.extend((0..count).map(|_| Obj::Filemark));
                    }
                }
                Op::Erase { p, pos } => {
                    let part = &mut model[p as usize];
                    let at = position(pos, part.len() as u64);
                    med.erase(p, at).unwrap();
                    part.truncate(at as usize);
                }
                Op::Reopen { mode: 0 } => {
                    m.take().unwrap().close().unwrap();
                    m = Some(Medium::open(&path).unwrap());
                }
                Op::Reopen { mode: 1 } => {
                    drop(m.take());
                    m = Some(Medium::open(&path).unwrap());
                }
                Op::Reopen { .. } => {
                    // What a killed writer leaves: no final checkpoint.
                    let copy = dir.path().join("copy.vtape");
                    std::fs::copy(&path, &copy).unwrap();
                    let c = Medium::open(&copy).unwrap();
                    check(&c, &model);
                }
            }
            check(m.as_ref().unwrap(), &model);
        }
        drop(m.take());
        let reopened = Medium::open(&path).unwrap();
        check(&reopened, &model);
    }
}
