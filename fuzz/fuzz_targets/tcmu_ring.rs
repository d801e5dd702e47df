//! Fuzz target: the TCMU command ring (mailbox, entries, iovecs, CDBs, as
//! `target_core_user.c` lays them out) over an arbitrary byte map standing in for the
//! kernel's shared memory. `Ring::attach` then `Ring::process` run against a fake device;
//! they must never panic, never loop forever and never allocate more than the map.
//!
//! Input: the whole map (mailbox at offset 0). The fake device takes the data direction
//! from the opcode (`op % 3`: none, data-in, data-out), fills data-in buffers, and reports
//! a residual from CDB byte 1 and CHECK CONDITION with sense when byte 1 bit 7 is set.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scsi_sg::{Completion, DataDir, ScsiStatus};
use vtape::drive::Direction;
use vtape::tcmu::ring::{Device, Ring};

/// Fixed-format sense: NO SENSE, FILEMARK, 00/01.
const SENSE: [u8; 18] = [
    0x70, 0, 0x80, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x00, 0x01, 0, 0, 0, 0,
];

struct Fake;

impl Device for Fake {
    fn direction(&self, op: u8) -> Direction {
        match op % 3 {
            0 => Direction::None,
            1 => Direction::In,
            _ => Direction::Out,
        }
    }

    fn execute(&mut self, cdb: &[u8], data: DataDir<'_>) -> Completion {
        let b1 = cdb.get(1).copied().unwrap_or(0);
        let len = match data {
            DataDir::FromDevice(buf) => {
                buf.iter_mut()
                    .enumerate()
                    .for_each(|(i, b)| *b = i as u8 ^ b1);
                buf.len()
            }
            DataDir::ToDevice(buf) => buf.len(),
            DataDir::None => 0,
        };
        let mut c = Completion::good();
        // May exceed the buffer: the ring must cope with a device that over-reports.
        c.residual = usize::from(b1 & 0x7F).min(len.saturating_add(1));
        if b1 & 0x80 != 0 {
            c.status = ScsiStatus::CHECK_CONDITION;
            c.sense_bytes = SENSE.to_vec();
        }
        c
    }
}

fuzz_target!(|data: &[u8]| {
    let mut map = data.to_vec();
    let Ok(mut ring) = Ring::attach(&map[..]) else {
        return;
    };
    let _ = ring.process(&mut map[..], &mut Fake);
    // A second pass starts from the published tail.
    let _ = ring.process(&mut map[..], &mut Fake);
});
