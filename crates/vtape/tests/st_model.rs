//! Model-based test of the st emulation over a real `Drive` and `.vtape` medium: random
//! sequences of record writes, filemarks, spacing, seek/tell, rewind, reads, EOD and reopen,
//! against a small reference model of a tape (a list of records and filemarks with a
//! position) that keeps st's file/block numbering as `reference/st-driver.md` §4-§5 and the
//! kernel's `st_int_ioctl` describe it (variable-block mode, no early warning).
#![allow(clippy::unwrap_used, clippy::panic)] // test code: helpers fail the test

use proptest::prelude::*;
use tape_io::{MtOp, OpenMode, ReadOutcome, Tape, TapeError, WriteOutcome};
use vtape::medium::{Generation, Medium, MediumConfig};
use vtape::st::VirtualTape;

#[derive(Debug, Clone)]
enum Op {
    Write(usize, u8),
    Weof(i32),
    Fsf(i32),
    Bsf(i32),
    Fsr(i32),
    Bsr(i32),
    Rewind,
    Seek(u8),
    Tell,
    Read { small: bool },
    Eom,
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (1usize..70_000, any::<u8>()).prop_map(|(n, s)| Op::Write(n, s)),
        2 => (1i32..3).prop_map(Op::Weof),
        2 => (1i32..4).prop_map(Op::Fsf),
        2 => (1i32..4).prop_map(Op::Bsf),
        2 => (1i32..4).prop_map(Op::Fsr),
        2 => (1i32..4).prop_map(Op::Bsr),
        2 => Just(Op::Rewind),
        2 => any::<u8>().prop_map(Op::Seek),
        1 => Just(Op::Tell),
        6 => any::<bool>().prop_map(|small| Op::Read { small }),
        1 => Just(Op::Eom),
        2 => Just(Op::Reopen),
    ]
}

#[derive(Debug, Clone, PartialEq)]
enum Obj {
    Rec(Vec<u8>),
    Fm,
}

/// The reference: objects, position, st's numbers and "last operation was a write".
#[derive(Debug, Default)]
struct Model {
    objs: Vec<Obj>,
    pos: usize,
    file: i32,
    block: i32,
    writing: bool,
    /// st's EOF state is at end of data (ST_EOD after BLANK CHECK on SPACE, MTEOM, or a
    /// read at EOD): reads return EIO at once, without moving or renumbering.
    eod: bool,
}

fn add(v: i32, n: i32) -> i32 {
    if v >= 0 {
        v + n
    } else {
        v
    }
}

impl Model {
    fn put(&mut self, o: Obj) {
        self.objs.truncate(self.pos);
        self.objs.push(o);
        self.pos += 1;
    }
    fn weof(&mut self, n: i32) {
        for _ in 0..n {
            self.put(Obj::Fm);
        }
        self.file = add(self.file, n);
        self.block = 0;
    }
    /// The implicit filemark st writes before REW/SEEK/BSF after a write.
    fn implicit_fm(&mut self) -> bool {
        let was = self.writing;
        if was {
            self.weof(1);
        }
        self.writing = false;
        was
    }
    fn fsf(&mut self, n: i32) -> bool {
        let mut crossed = 0;
        while crossed < n {
            match self.objs.get(self.pos) {
                None => {
                    self.file = add(self.file, crossed);
                    self.block = -1;
                    self.eod = true;
                    return false;
                }
                Some(o) => {
                    self.pos += 1;
                    if *o == Obj::Fm {
                        crossed += 1;
                    }
                }
            }
        }
        self.file = add(self.file, n);
        self.block = 0;
        true
    }
    fn bsf(&mut self, n: i32) -> bool {
        let mut crossed = 0;
        while crossed < n {
            if self.pos == 0 {
                self.file = add(self.file, -crossed);
                self.block = 0;
                return false;
            }
            self.pos -= 1;
            if self.objs.get(self.pos) == Some(&Obj::Fm) {
                crossed += 1;
            }
        }
        self.file = add(self.file, -n);
        self.block = -1;
        true
    }
    fn fsr(&mut self, n: i32) -> bool {
        for done in 0..n {
            match self.objs.get(self.pos) {
                None => {
                    self.block = if self.block >= 0 {
                        self.block + done
                    } else {
                        -1
                    };
                    self.eod = true;
                    return false;
                }
                Some(Obj::Fm) => {
                    self.pos += 1;
                    self.file = add(self.file, 1);
                    self.block = 0;
                    return false;
                }
                Some(Obj::Rec(_)) => self.pos += 1,
            }
        }
        self.block = add(self.block, n);
        true
    }
    fn bsr(&mut self, n: i32) -> bool {
        for done in 0..n {
            if self.pos == 0 {
                // BOP: st sets block 0, then block = (block - n) + residue.
                let blkno = if self.block >= 0 { self.block - n } else { -1 };
                self.block = blkno + (n - done);
                return false;
            }
            if self.objs.get(self.pos - 1) == Some(&Obj::Fm) {
                self.pos -= 1;
                self.file = add(self.file, -1);
                self.block = -1;
                return false;
            }
            self.pos -= 1;
        }
        self.block = add(self.block, -n);
        true
    }
}

fn open(path: &std::path::Path) -> VirtualTape<vtape::drive::Drive> {
    let mode = OpenMode {
        write: true,
        nonblock: false,
    };
    match VirtualTape::open(path, mode) {
        Ok(t) => t,
        Err(e) => panic!("open: {e}"),
    }
}

fn check_ok(r: Result<(), TapeError>, ok: bool, what: &Op) -> Result<(), TestCaseError> {
    match (&r, ok) {
        (Ok(()), true) => Ok(()),
        (Err(e), false) if e.errno() == Some(nix::errno::Errno::EIO) => Ok(()),
        _ => Err(TestCaseError::fail(format!(
            "{what:?}: got {r:?}, model ok={ok}"
        ))),
    }
}

fn run(ops: &[Op]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
    let path = dir.path().join("m.vtape");
    let cfg = MediumConfig::new(Generation::Lto5).with_capacity(1 << 30);
    Medium::create(&path, &cfg)
        .and_then(Medium::close)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut t = open(&path);
    let mut m = Model::default();
    let mut buf = vec![0u8; 80_000];
    for op in ops {
        let was_eod = std::mem::replace(&mut m.eod, false);
        match op {
            Op::Write(n, seed) => {
                let data: Vec<u8> = (0..*n).map(|i| (i as u8).wrapping_mul(31) ^ seed).collect();
                prop_assert_eq!(t.write_record(&data).ok(), Some(WriteOutcome::Written(*n)));
                m.put(Obj::Rec(data));
                m.block = add(m.block, 1);
                m.writing = true;
            }
            Op::Weof(n) => {
                prop_assert!(t.write_filemarks(*n).is_ok());
                m.writing = false;
                m.weof(*n);
            }
            Op::Fsf(n) => {
                m.writing = false;
                let ok = m.fsf(*n);
                check_ok(t.space_files_forward(*n), ok, op)?;
            }
            Op::Bsf(n) => {
                let extra = i32::from(m.implicit_fm());
                let ok = m.bsf(*n + extra);
                check_ok(t.space_files_backward(*n), ok, op)?;
            }
            Op::Fsr(n) => {
                m.writing = false;
                let ok = m.fsr(*n);
                check_ok(t.space_records_forward(*n), ok, op)?;
            }
            Op::Bsr(n) => {
                m.writing = false;
                let ok = m.bsr(*n);
                check_ok(t.space_records_backward(*n), ok, op)?;
            }
            Op::Rewind => {
                m.implicit_fm();
                m.pos = 0;
                m.file = 0;
                m.block = 0;
                prop_assert!(t.rewind().is_ok());
            }
            Op::Seek(frac) => {
                m.implicit_fm();
                let target = m.objs.len() * usize::from(*frac) / 255;
                m.pos = target;
                (m.file, m.block) = if target == 0 { (0, 0) } else { (-1, -1) };
                prop_assert!(t.seek(target as i32).is_ok());
            }
            Op::Tell => m.eod = was_eod,
            Op::Read { small } => {
                m.writing = false;
                let len = match m.objs.get(m.pos) {
                    Some(Obj::Rec(d)) if *small && d.len() > 1 => d.len() / 2,
                    _ => buf.len(),
                };
                let r = t.read_record(&mut buf[..len]);
                match m.objs.get(m.pos).cloned() {
                    _ if was_eod => {
                        prop_assert_eq!(r.ok(), Some(ReadOutcome::EndOfData));
                        m.eod = true;
                    }
                    None => {
                        prop_assert_eq!(r.ok(), Some(ReadOutcome::EndOfData));
                        m.block = -1;
                        m.eod = true;
                    }
                    Some(Obj::Fm) => {
                        prop_assert_eq!(r.ok(), Some(ReadOutcome::Filemark));
                        m.pos += 1;
                        m.file = add(m.file, 1);
                        m.block = 0;
                    }
                    Some(Obj::Rec(d)) => {
                        if d.len() > len {
                            let too_long = matches!(r, Err(TapeError::RecordTooLong { .. }));
                            prop_assert!(too_long, "expected ENOMEM, got {:?}", r);
                        } else {
                            prop_assert_eq!(r.ok(), Some(ReadOutcome::Data(d.len())));
                            prop_assert!(buf[..d.len()] == d[..], "data differs");
                        }
                        m.pos += 1;
                        m.block = add(m.block, 1);
                    }
                }
            }
            Op::Eom => {
                m.writing = false;
                m.fsf(i32::MAX);
                m.eod = true;
                prop_assert!(t.space_to_eod().is_ok());
            }
            Op::Reopen => {
                m.eod = was_eod && !m.writing;
                if m.writing {
                    m.weof(1);
                    m.writing = false;
                }
                prop_assert!(t.close().is_ok());
                t = open(&path);
            }
        }
        let s = t.status().map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(
            (s.raw.mt_fileno, s.raw.mt_blkno),
            (m.file, m.block),
            "after {:?}",
            op
        );
        prop_assert_eq!(t.tell().ok(), Some(m.pos as u64), "tell after {:?}", op);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn st_emulation_matches_model(ops in prop::collection::vec(op(), 1..40)) {
        run(&ops)?;
    }
}

#[test]
fn mtop_codes_unchanged() {
    // The model drives the provided methods; they must send the MTIOCTOP codes of mtio.h.
    assert_eq!(MtOp::Fsf.code(), 1);
    assert_eq!(MtOp::Bsr.code(), 4);
}
