//! Random CDBs and data against one drive (the same checks as the `vtape_dispatch` fuzz
//! target, run in CI without a fuzzer): no panic, and every completion well formed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod drive_util;

use proptest::prelude::*;
use scsi_sg::{DataDir, ScsiStatus, Sense};
use vtape::drive::Drive;
use vtape::medium::{Generation, MediumConfig};

fn check(d: &mut Drive, cdb: &[u8], dir: u8, data: &[u8], in_len: usize) {
    let mut buf = vec![0u8; in_len];
    let (dd, len) = match dir % 3 {
        0 => (DataDir::None, 0),
        1 => (DataDir::FromDevice(&mut buf[..]), in_len),
        _ => (DataDir::ToDevice(data), data.len()),
    };
    let c = d.execute(cdb, dd);
    assert!(c.residual <= len);
    match c.status {
        ScsiStatus::GOOD => assert!(c.sense_bytes.is_empty()),
        ScsiStatus::CHECK_CONDITION => {
            let s = Sense::parse(&c.sense_bytes).unwrap();
            assert_eq!(c.sense.as_ref(), Some(&s));
        }
        other => unreachable!("status {other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn random_command_sequences(
        cmds in prop::collection::vec(
            (0usize..23, prop::collection::vec(any::<u8>(), 16), 0u8..3,
             prop::collection::vec(any::<u8>(), 0..600), 0usize..700),
            1..40)
    ) {
        let (_dir, _p, mut d) = drive_util::drive_with(
            MediumConfig::new(Generation::Lto5).with_capacity(2 << 20));
        let ops: Vec<u8> = Drive::commands().map(|c| c.opcode).collect();
        for (i, mut cdb, dir, data, in_len) in cmds {
            cdb[0] = ops[i % ops.len()];
            if cdb[0] == scsi_sg::opcode::WRITE_FILEMARKS_6 {
                // Millions of filemarks are legal but slow; keep counts small.
                cdb[2] = 0;
                cdb[3] = 0;
            }
            let len = match cdb[0] >> 5 { 0 => 6, 1 | 2 => 10, 4 => 16, _ => 12 };
            check(&mut d, &cdb[..len], dir, &data, in_len);
        }
    }
}
