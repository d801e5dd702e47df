//! The ring against a fake mailbox + command ring built in a byte vector, laid out as
//! `target_core_user.c` does (entry, iovecs, then the CDB inside the entry; PAD to the end
//! of the ring when an entry does not fit), executing on a real `Drive`.

use super::*;
use crate::medium::{Generation, Medium, MediumConfig};

const CMDR_OFF: usize = 128;
const CMDR_SIZE: usize = 1024;
const DATA_OFF: usize = CMDR_OFF + CMDR_SIZE;
const MAP_SIZE: usize = DATA_OFF + 64 * 1024;

struct Fake {
    map: Vec<u8>,
    head: usize,
    next_id: u16,
}

fn put(map: &mut [u8], off: usize, bytes: &[u8]) {
    map[off..off + bytes.len()].copy_from_slice(bytes);
}

fn get_u32(map: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes(map[off..off + 4].try_into().unwrap())
}

impl Fake {
    fn new(flags: u16) -> Fake {
        let mut map = vec![0u8; MAP_SIZE];
        put(&mut map, mb::VERSION, &2u16.to_ne_bytes());
        put(&mut map, mb::FLAGS, &flags.to_ne_bytes());
        put(&mut map, mb::CMDR_OFF, &(CMDR_OFF as u32).to_ne_bytes());
        put(&mut map, mb::CMDR_SIZE, &(CMDR_SIZE as u32).to_ne_bytes());
        Fake {
            map,
            head: 0,
            next_id: 1,
        }
    }

    fn set_head(&mut self, head: usize) {
        self.head = head;
        put(&mut self.map, mb::CMD_HEAD, &(head as u32).to_ne_bytes());
    }

    fn tail(&self) -> usize {
        get_u32(&self.map, mb::CMD_TAIL) as usize
    }

    /// Reserves `len` bytes at the head, padding to the end of the ring first if needed.
    fn reserve(&mut self, len: usize) -> usize {
        if self.head + len > CMDR_SIZE {
            let pad = CMDR_SIZE - self.head;
            put(
                &mut self.map,
                CMDR_OFF + self.head,
                &((pad as u32) | abi::OP_PAD).to_ne_bytes(),
            );
            self.head = 0;
        }
        let at = self.head;
        self.set_head((at + len) % CMDR_SIZE);
        at
    }

    /// Queues a command with its data buffers (`(offset in the data area, bytes)`).
    fn cmd(&mut self, cdb: &[u8], iovs: &[(usize, &[u8])]) -> usize {
        let base_size = (entry::IOV + iovs.len() * entry::IOVEC_SIZE).max(entry::SIZE);
        let len = (base_size + cdb.len()).div_ceil(8) * 8;
        let at = self.reserve(len);
        let base = CMDR_OFF + at;
        let id = self.next_id;
        self.next_id += 1;
        put(
            &mut self.map,
            base,
            &((len as u32) | abi::OP_CMD).to_ne_bytes(),
        );
        put(&mut self.map, base + entry::CMD_ID, &id.to_ne_bytes());
        put(
            &mut self.map,
            base + entry::IOV_CNT,
            &(iovs.len() as u32).to_ne_bytes(),
        );
        let cdb_off = (base + base_size) as u64;
        put(&mut self.map, base + entry::CDB_OFF, &cdb_off.to_ne_bytes());
        put(&mut self.map, base + base_size, cdb);
        for (i, (off, bytes)) in iovs.iter().enumerate() {
            let v = base + entry::IOV + i * entry::IOVEC_SIZE;
            put(&mut self.map, v, &((DATA_OFF + off) as u64).to_ne_bytes());
            put(&mut self.map, v + 8, &(bytes.len() as u64).to_ne_bytes());
            put(&mut self.map, DATA_OFF + off, bytes);
        }
        base
    }

    fn tmr(&mut self) -> usize {
        let at = self.reserve(entry::TMR_SIZE);
        put(
            &mut self.map,
            CMDR_OFF + at,
            &((entry::TMR_SIZE as u32) | abi::OP_TMR).to_ne_bytes(),
        );
        CMDR_OFF + at
    }

    fn status(&self, base: usize) -> u8 {
        self.map[base + entry::RSP]
    }

    fn sense(&self, base: usize) -> &[u8] {
        &self.map[base + entry::SENSE..base + entry::SENSE + abi::SENSE_BUFFERSIZE]
    }

    fn read_len(&self, base: usize) -> Option<u32> {
        (self.map[base + entry::UFLAGS] & abi::UFLAG_READ_LEN != 0)
            .then(|| get_u32(&self.map, base + entry::READ_LEN))
    }

    fn data(&self, off: usize, n: usize) -> &[u8] {
        &self.map[DATA_OFF + off..DATA_OFF + off + n]
    }
}

fn drive() -> (tempfile::TempDir, DriveDevice) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.vtape");
    Medium::create(
        &path,
        &MediumConfig::new(Generation::Lto5).with_capacity(64 << 20),
    )
    .unwrap()
    .close()
    .unwrap();
    let d = DriveDevice::new(Drive::open(&path).unwrap());
    (dir, d)
}

const ALL_FLAGS: u16 = abi::MAILBOX_FLAG_CAP_OOOC
    | abi::MAILBOX_FLAG_CAP_READ_LEN
    | abi::MAILBOX_FLAG_CAP_TMR
    | abi::MAILBOX_FLAG_CAP_KEEP_BUF;

#[test]
fn inquiry_returns_tape_device_with_read_len() {
    let (_dir, mut dev) = drive();
    let mut f = Fake::new(ALL_FLAGS);
    // INQUIRY, allocation length 96.
    let e = f.cmd(&[0x12, 0, 0, 0, 96, 0], &[(0, &[0xEE; 96])]);
    let id_before = f.map[e + entry::CMD_ID];
    let mut ring = Ring::attach(&f.map[..]).unwrap();
    assert_eq!(ring.process(&mut f.map[..], &mut dev).unwrap(), 1);
    assert_eq!(f.tail(), f.head);
    assert_eq!(f.status(e), 0, "GOOD");
    // SPC-4 §6.6.2: peripheral device type 01h = sequential-access; RMB bit set.
    assert_eq!(f.data(0, 2), &[0x01, 0x80]);
    let n = f.read_len(e).expect("READ_LEN flagged") as usize;
    assert!(
        (36..=96).contains(&n),
        "standard INQUIRY data is at least 36 bytes: {n}"
    );
    assert_eq!(f.map[e + entry::CMD_ID], id_before, "header kept");
    assert_eq!(get_u32(&f.map, e) & abi::OP_MASK, abi::OP_CMD);
}

#[test]
fn no_read_len_without_the_mailbox_capability() {
    let (_dir, mut dev) = drive();
    let mut f = Fake::new(0);
    let e = f.cmd(&[0x12, 0, 0, 0, 96, 0], &[(0, &[0; 96])]);
    let mut ring = Ring::attach(&f.map[..]).unwrap();
    ring.process(&mut f.map[..], &mut dev).unwrap();
    assert_eq!(f.status(e), 0);
    assert_eq!(f.read_len(e), None);
}

#[test]
fn write_gathers_iovecs_and_read_scatters_with_ili() {
    let (_dir, mut dev) = drive();
    let mut f = Fake::new(ALL_FLAGS);
    let mut ring = Ring::attach(&f.map[..]).unwrap();
    // WRITE(6) variable, 10 bytes in two iovecs; REWIND; READ(6) variable, 64 bytes wanted.
    let w = f.cmd(
        &[0x0A, 0, 0, 0, 10, 0],
        &[(100, b"hello"), (4000, b"world")],
    );
    let r = f.cmd(&[0x01, 0, 0, 0, 0, 0], &[]);
    let rd = f.cmd(
        &[0x08, 0, 0, 0, 64, 0],
        &[(8192, &[0xEE; 32]), (12288, &[0xEE; 32])],
    );
    assert_eq!(ring.process(&mut f.map[..], &mut dev).unwrap(), 3);
    assert_eq!(f.status(w), 0);
    assert_eq!(f.read_len(w), None, "no read_len for data-out");
    assert_eq!(f.status(r), 0);
    // SSC-4 §4.2.19 (READ, variable mode, record shorter than requested): CHECK CONDITION,
    // NO SENSE with ILI, INFORMATION = requested − actual = 54; the data are transferred.
    assert_eq!(f.status(rd), 2);
    let s = f.sense(rd);
    assert_eq!(s[0] & 0x7F, 0x70);
    assert_eq!(s[2] & 0x0F, 0, "NO SENSE");
    assert_ne!(s[2] & 0x20, 0, "ILI");
    assert_eq!(&s[3..7], &54u32.to_be_bytes());
    assert_eq!(f.data(8192, 10), b"helloworld");
    assert_eq!(
        f.data(8192 + 10, 22),
        &[0xEE; 22],
        "nothing past the record"
    );
    assert_eq!(f.read_len(rd), Some(10));
}

#[test]
fn unknown_opcode_is_illegal_request() {
    let (_dir, mut dev) = drive();
    let mut f = Fake::new(ALL_FLAGS);
    let e = f.cmd(&[0xC5, 0, 0, 0, 0, 0, 0, 0, 0, 0], &[(0, &[0; 16])]);
    let mut ring = Ring::attach(&f.map[..]).unwrap();
    ring.process(&mut f.map[..], &mut dev).unwrap();
    // SPC-4: INVALID COMMAND OPERATION CODE, ILLEGAL REQUEST 20/00.
    assert_eq!(f.status(e), 2);
    let s = f.sense(e);
    assert_eq!((s[2] & 0x0F, s[12], s[13]), (5, 0x20, 0));
}

#[test]
fn pad_tmr_and_wrap_around() {
    let (_dir, mut dev) = drive();
    let mut f = Fake::new(ALL_FLAGS);
    let mut ring = Ring::attach(&f.map[..]).unwrap();
    let mut handled = 0;
    // 12 rounds of TUR entries (120 bytes each) and a TMR: the ring (1024 bytes) wraps
    // several times, with PAD entries at its end.
    for round in 0..12 {
        let e = f.cmd(&[0x00, 0, 0, 0, 0, 0], &[]);
        let t = f.tmr();
        handled += ring.process(&mut f.map[..], &mut dev).unwrap();
        assert_eq!(f.tail(), f.head, "round {round}");
        assert_eq!(f.status(e), 0, "round {round}");
        assert_eq!(get_u32(&f.map, t) & abi::OP_MASK, abi::OP_TMR);
    }
    assert!(handled > 24, "PAD entries counted too: {handled}");
}

#[test]
fn bad_entries_stop_the_ring() {
    let (_dir, mut dev) = drive();
    let mut f = Fake::new(ALL_FLAGS);
    let mut ring = Ring::attach(&f.map[..]).unwrap();
    f.set_head(64);
    // len_op 0: length zero.
    assert!(matches!(
        ring.process(&mut f.map[..], &mut dev),
        Err(RingError::Entry { offset: 0, .. })
    ));

    let mut f = Fake::new(ALL_FLAGS);
    let mut ring = Ring::attach(&f.map[..]).unwrap();
    let e = f.cmd(&[0x12, 0, 0, 0, 96, 0], &[(0, &[0; 96])]);
    // An iovec pointing past the map.
    put(&mut f.map, e + entry::IOV, &(MAP_SIZE as u64).to_ne_bytes());
    assert!(ring.process(&mut f.map[..], &mut dev).is_err());

    // An entry that steps over cmd_head (a PAD covering the whole ring, head inside it):
    // refused instead of circling forever.
    let mut f = Fake::new(ALL_FLAGS);
    put(
        &mut f.map,
        CMDR_OFF,
        &((CMDR_SIZE as u32) | abi::OP_PAD).to_ne_bytes(),
    );
    f.set_head(64);
    let mut ring = Ring::attach(&f.map[..]).unwrap();
    assert!(matches!(
        ring.process(&mut f.map[..], &mut dev),
        Err(RingError::Entry { offset: 0, .. })
    ));

    let mut f = Fake::new(ALL_FLAGS);
    f.set_head(CMDR_SIZE + 8);
    let mut ring = Ring::attach(&f.map[..]).unwrap();
    assert!(matches!(
        ring.process(&mut f.map[..], &mut dev),
        Err(RingError::Mailbox(_))
    ));
}

#[test]
fn iovecs_summing_past_the_data_area_are_rejected() {
    let (_dir, mut dev) = drive();
    let data_area = MAP_SIZE - DATA_OFF;
    // Each iovec lies inside the map, but together they claim three data areas.
    let mut f = Fake::new(ALL_FLAGS);
    let mut ring = Ring::attach(&f.map[..]).unwrap();
    let whole = vec![0u8; data_area];
    f.cmd(
        &[0x12, 0, 0, 0, 96, 0],
        &[(0, &whole), (0, &whole), (0, &whole)],
    );
    assert!(matches!(
        ring.process(&mut f.map[..], &mut dev),
        Err(RingError::Entry { offset: 0, .. })
    ));

    // Exactly the data area is fine.
    let mut f = Fake::new(ALL_FLAGS);
    let mut ring = Ring::attach(&f.map[..]).unwrap();
    let e = f.cmd(&[0x12, 0, 0, 0, 96, 0], &[(0, &whole)]);
    assert_eq!(ring.process(&mut f.map[..], &mut dev).unwrap(), 1);
    assert_eq!(f.status(e), 0);
}

#[test]
fn mailbox_checks() {
    let f = Fake::new(ALL_FLAGS);
    assert_eq!(Ring::attach(&f.map[..]).unwrap().flags(), ALL_FLAGS);
    let mut bad = Fake::new(0);
    put(&mut bad.map, mb::VERSION, &1u16.to_ne_bytes());
    assert!(Ring::attach(&bad.map[..]).is_err());
    let mut bad = Fake::new(0);
    put(
        &mut bad.map,
        mb::CMDR_SIZE,
        &(MAP_SIZE as u32).to_ne_bytes(),
    );
    assert!(Ring::attach(&bad.map[..]).is_err());
    assert!(Ring::attach(&f.map[..64]).is_err());
}

#[test]
fn cdb_lengths_by_group() {
    // SPC-4 §4.2.5.1 group codes; 7Fh: 8 + additional CDB length.
    assert_eq!(cdb_len(0x08, 0), 6);
    assert_eq!(cdb_len(0x2B, 0), 10);
    assert_eq!(cdb_len(0x5A, 0), 10);
    assert_eq!(cdb_len(0xA2, 0), 12);
    assert_eq!(cdb_len(0x92, 0), 16);
    assert_eq!(cdb_len(0x7F, 24), 32);
    // Vendor specific (groups 6, 7): the kernel's 10.
    assert_eq!(cdb_len(0xC0, 0), 10);
    assert_eq!(cdb_len(0xE1, 0), 10);
}
