//! Tape data encryption on the emulated drive: SECURITY PROTOCOL IN/OUT pages (expected
//! bytes written by hand from `reference/scsi.md` §6), Set Data Encryption validation
//! (26/00 with field pointers, 1A/00), records stored encrypted, DATA PROTECT 74/xx on
//! read, raw reads, next block status, and the key's lifetime (second open, unload,
//! CKOD, power cycle).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod drive_util;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce, Tag};
use drive_util::*;
use scsi_sg::{FieldPointer, SenseKey};
use vtape::drive::{Drive, KeyStore};

const KEY: [u8; 32] = [0x11; 32];
const OTHER_KEY: [u8; 32] = [0x22; 32];
const PLAIN: &[u8] = b"The quick brown fox jumps over the lazy dog -- plaintext marker 0123456789";

fn spin(d: &mut Drive, protocol: u8, page: u16, alloc: u32) -> (scsi_sg::Completion, Vec<u8>) {
    let p = page.to_be_bytes();
    let a = alloc.to_be_bytes();
    let cdb = [
        0xA2, protocol, p[0], p[1], 0, 0, a[0], a[1], a[2], a[3], 0, 0,
    ];
    data_in(d, &cdb, alloc as usize)
}

fn spin20(d: &mut Drive, page: u16) -> Vec<u8> {
    let (c, b) = spin(d, 0x20, page, 8192);
    assert_good(&c);
    b
}

fn spout(d: &mut Drive, list: &[u8]) -> scsi_sg::Completion {
    spout_len(d, list, list.len() as u32)
}

fn spout_len(d: &mut Drive, list: &[u8], transfer: u32) -> scsi_sg::Completion {
    let t = transfer.to_be_bytes();
    let cdb = [0xB5, 0x20, 0x00, 0x10, 0, 0, t[0], t[1], t[2], t[3], 0, 0];
    data_out(d, &cdb, list)
}

/// A Set Data Encryption page (SSC-4 layout, `reference/scsi.md` §6.10): byte 4 scope,
/// byte 5 flags, modes, index 1, key format 0, KAD format 0, key, optional U-KAD.
fn sde(byte5: u8, enc: u8, dec: u8, key: &[u8], ukad: Option<&[u8]>) -> Vec<u8> {
    let mut p = vec![0x00, 0x10, 0, 0, 0x40, byte5, enc, dec, 0x01, 0x00, 0x00];
    p.extend_from_slice(&[0; 7]);
    p.extend_from_slice(&(key.len() as u16).to_be_bytes());
    p.extend_from_slice(key);
    if let Some(k) = ukad {
        p.extend_from_slice(&[0x00, 0x00]);
        p.extend_from_slice(&(k.len() as u16).to_be_bytes());
        p.extend_from_slice(k);
    }
    let len = (p.len() - 4) as u16;
    p[2..4].copy_from_slice(&len.to_be_bytes());
    p
}

/// stenc 1.0.7 `-e on -a 1 --ckod --protect -k key` with description "Hello world!".
fn seed_on(key: &[u8]) -> Vec<u8> {
    sde(0x34, 2, 2, key, Some(b"Hello world!"))
}

fn set(d: &mut Drive, list: &[u8]) {
    assert_good(&spout(d, list));
}

fn sidecar(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(".drive-keys");
    PathBuf::from(s)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn field(c: &scsi_sg::Completion) -> FieldPointer {
    sense(c).field_pointer().expect("field pointer")
}

fn des(d: &mut Drive) -> Vec<u8> {
    spin20(d, 0x0020)
}

#[test]
fn protocol_00_pages() {
    let (_dir, _p, mut d) = drive();
    let (c, b) = spin(&mut d, 0x00, 0x0000, 8192);
    assert_good(&c);
    assert_eq!(b, [0, 0, 0, 0, 0, 0, 0x00, 0x02, 0x00, 0x20]);
    let (c, b) = spin(&mut d, 0x00, 0x0001, 8192);
    assert_good(&c);
    assert_eq!(b, [0, 0, 0, 0]);
    let (c, _) = spin(&mut d, 0x00, 0x0002, 8192);
    assert_sense(&c, SenseKey::IllegalRequest, 0x24, 0x00);
}

#[test]
fn support_and_capability_pages() {
    let (_dir, _p, mut d) = drive();
    assert_eq!(
        spin20(&mut d, 0x0000),
        [
            0x00, 0x00, 0x00, 0x0E, 0x00, 0x00, 0x00, 0x01, 0x00, 0x10, 0x00, 0x11, 0x00, 0x12,
            0x00, 0x20, 0x00, 0x21
        ]
    );
    assert_eq!(spin20(&mut d, 0x0001), [0x00, 0x01, 0x00, 0x02, 0x00, 0x10]);
    let mut dec = vec![0x00, 0x10, 0x00, 0x28, 0x01];
    dec.extend_from_slice(&[0; 15]);
    dec.extend_from_slice(&[
        0x01, 0x00, 0x00, 0x14, // index 1, descriptor length 20
        0xBA, // AVFMV, MAC_C, DELB_C, DECRYPT_C = 2, ENCRYPT_C = 2 (mhvtl's HP LTO: BAh)
        0x08, // KADF_C
        0x00, 0x20, // U-KAD max 32
        0x00, 0x0C, // A-KAD max 12
        0x00, 0x20, // key length 32
        0xCA, // DKAD_C = 3 (allowed), RDMC_C = 5
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // EEDK/MSDK, reserved
        0x00, 0x01, 0x00, 0x14, // AES-256-GCM-128
    ]);
    assert_eq!(spin20(&mut d, 0x0010), dec);
    assert_eq!(spin20(&mut d, 0x0011), [0x00, 0x11, 0x00, 0x01, 0x00]);
    assert_eq!(
        spin20(&mut d, 0x0012),
        [0x00, 0x12, 0x00, 0x0C, 0x00, 0x04, 0x00, 0x07, 0, 0, 0, 0, 0, 0, 0, 0]
    );
    // Allocation length cuts the reply; the page length field keeps the full value.
    let (c, b) = spin(&mut d, 0x20, 0x0010, 8);
    assert_good(&c);
    assert_eq!(b, [0x00, 0x10, 0x00, 0x28, 0x01, 0, 0, 0]);
    // Unknown page, unknown protocol, INC_512.
    let (c, _) = spin(&mut d, 0x20, 0x0030, 8192);
    let s = assert_sense(&c, SenseKey::IllegalRequest, 0x24, 0x00);
    assert_eq!(
        s.field_pointer(),
        Some(FieldPointer {
            in_cdb: true,
            bit: None,
            byte: 2
        })
    );
    let (c, _) = spin(&mut d, 0x40, 0x0000, 8192);
    assert_eq!(
        field(&c),
        FieldPointer {
            in_cdb: true,
            bit: None,
            byte: 1
        }
    );
    let c = data_in(
        &mut d,
        &[0xA2, 0x20, 0, 0x20, 0x80, 0, 0, 0, 0x20, 0, 0, 0],
        8192,
    )
    .0;
    assert_eq!(
        field(&c),
        FieldPointer {
            in_cdb: true,
            bit: Some(7),
            byte: 4
        }
    );
}

#[test]
fn status_page_before_and_after_the_seed_invocation() {
    let (_dir, path, mut d) = drive();
    let mut off = vec![
        0x00, 0x20, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0x10,
    ];
    off.extend_from_slice(&[0; 11]);
    assert_eq!(des(&mut d), off);

    let page = seed_on(&KEY);
    assert_eq!(page.len(), 68);
    assert_eq!(&page[..8], [0x00, 0x10, 0x00, 0x40, 0x40, 0x34, 0x02, 0x02]);
    set(&mut d, &page);
    let mut on = vec![
        0x00, 0x20, 0x00, 0x24, // page length 36
        0x42, // I_T nexus scope 2, key scope 2
        0x02, 0x02, 0x01, // modes on/on, index 1
        0x00, 0x00, 0x00, 0x01, // key instance counter 1
        0x11, // PARAMETERS CONTROL 1, RDMD (protect)
        0x00, 0x00, 0x00, // KAD format, ASDK count
    ];
    on.extend_from_slice(&[0; 8]);
    on.extend_from_slice(&[0x00, 0x01, 0x00, 0x0C]);
    on.extend_from_slice(b"Hello world!");
    assert_eq!(des(&mut d), on);

    // The key is beside the medium in a 0600 file, never in the medium.
    let keys = sidecar(&path);
    let mode = std::fs::metadata(&keys).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    d.persist().unwrap();
    assert!(!contains(&std::fs::read(&path).unwrap(), &KEY));

    // stenc 1.0.7 `-e off -a 1`: key length 32 with 32 zero bytes.
    set(&mut d, &sde(0x00, 0, 0, &[0; 32], None));
    let mut after = off.clone();
    after[11] = 2;
    assert_eq!(des(&mut d), after);
    assert!(!keys.exists());
    // stenc 2.0 off page: key length 0 (20 bytes).
    set(&mut d, &sde(0x40, 0, 0, &[], None));
    after[11] = 3;
    assert_eq!(des(&mut d), after);
}

#[test]
fn set_data_encryption_validation() {
    let (_dir, _p, mut d) = drive();
    let good = seed_on(&KEY);
    let cases: Vec<(Vec<u8>, u16, Option<u8>)> = vec![
        (
            {
                let mut p = good.clone();
                p[4] = 0x60;
                p
            },
            4,
            Some(7),
        ), // scope 3
        (
            {
                let mut p = good.clone();
                p[4] = 0x41;
                p
            },
            4,
            Some(0),
        ), // LOCK
        (
            {
                let mut p = good.clone();
                p[5] = 0x80;
                p
            },
            5,
            Some(7),
        ), // CEEM 10b
        (
            {
                let mut p = good.clone();
                p[5] = 0x10;
                p
            },
            5,
            Some(5),
        ), // RDMC 01b
        (
            {
                let mut p = good.clone();
                p[5] = 0x08;
                p
            },
            5,
            Some(3),
        ), // SDK
        (
            {
                let mut p = good.clone();
                p[5] = 0x02;
                p
            },
            5,
            Some(1),
        ), // CKORP
        (
            {
                let mut p = good.clone();
                p[5] = 0x01;
                p
            },
            5,
            Some(0),
        ), // CKORL
        (
            {
                let mut p = good.clone();
                p[6] = 1;
                p
            },
            6,
            None,
        ), // EXTERNAL
        (
            {
                let mut p = good.clone();
                p[6] = 3;
                p
            },
            6,
            None,
        ),
        (
            {
                let mut p = good.clone();
                p[7] = 4;
                p
            },
            7,
            None,
        ),
        (
            {
                let mut p = good.clone();
                p[8] = 0;
                p
            },
            8,
            None,
        ), // stenc 1.0.7's default -a 0
        (
            {
                let mut p = good.clone();
                p[8] = 2;
                p
            },
            8,
            None,
        ),
        (
            {
                let mut p = good.clone();
                p[9] = 1;
                p
            },
            9,
            None,
        ),
        (
            {
                let mut p = good.clone();
                p[10] = 3;
                p
            },
            10,
            None,
        ),
        (
            {
                let mut p = good.clone();
                p[12] = 1;
                p
            },
            12,
            Some(7),
        ), // reserved
        (
            {
                let mut p = good.clone();
                p[53] = 1;
                p
            },
            53,
            Some(7),
        ), // KAD byte 1
        (
            {
                let mut p = good.clone();
                p[52] = 2;
                p
            },
            52,
            None,
        ), // nonce KAD
        (sde(0x00, 2, 2, &[0x11; 16], None), 18, None), // 128-bit key
        (sde(0x00, 2, 2, &KEY, Some(&[b'x'; 33])), 54, None), // U-KAD too long
        (sde(0x00, 0, 2, &[], None), 18, None),         // decrypt without a key
    ];
    for (i, (page, byte, bit)) in cases.iter().enumerate() {
        let c = spout(&mut d, page);
        let s = assert_sense(&c, SenseKey::IllegalRequest, 0x26, 0x00);
        assert_eq!(
            s.field_pointer(),
            Some(FieldPointer {
                in_cdb: false,
                bit: *bit,
                byte: *byte
            }),
            "case {i}"
        );
    }
    // A-KAD longer than 12 bytes.
    let mut akad = sde(0x00, 2, 2, &KEY, None);
    akad.extend_from_slice(&[0x01, 0x00, 0x00, 13]);
    akad.extend_from_slice(&[b'a'; 13]);
    let len = (akad.len() - 4) as u16;
    akad[2..4].copy_from_slice(&len.to_be_bytes());
    assert_eq!(field(&spout(&mut d, &akad)).byte, 54);
    // Lengths: list shorter than the transfer length, page longer than the list.
    let c = spout_len(&mut d, &good, good.len() as u32 + 1);
    assert_sense(&c, SenseKey::IllegalRequest, 0x1A, 0x00);
    let c = spout_len(&mut d, &good[..40], 40);
    assert_sense(&c, SenseKey::IllegalRequest, 0x1A, 0x00);
    let mut short = good.clone();
    short[3] -= 1;
    let c = spout(&mut d, &short);
    assert_eq!(
        field(&c),
        FieldPointer {
            in_cdb: false,
            bit: None,
            byte: 2
        }
    );
    // Nothing was accepted: still off, counter 0.
    let status = des(&mut d);
    assert_eq!(&status[5..12], [0, 0, 0, 0, 0, 0, 0]);
    // A 12-byte A-KAD is accepted.
    let mut ok = sde(0x00, 2, 2, &KEY, None);
    ok.extend_from_slice(&[0x01, 0x00, 0x00, 12]);
    ok.extend_from_slice(&[b'a'; 12]);
    let len = (ok.len() - 4) as u16;
    ok[2..4].copy_from_slice(&len.to_be_bytes());
    set(&mut d, &ok);
}

#[test]
fn encrypted_records_round_trip_and_never_hit_the_medium_in_clear() {
    let (_dir, path, mut d) = drive();
    set(&mut d, &sde(0x00, 2, 2, &KEY, Some(b"k1")));
    for _ in 0..3 {
        assert_good(&write_var(&mut d, PLAIN));
    }
    write_filemarks(&mut d, 1);
    d.persist().unwrap();
    let raw = std::fs::read(&path).unwrap();
    assert!(!contains(&raw, &PLAIN[..16]));
    assert!(!contains(&raw, &KEY));

    rewind(&mut d);
    let (c, b) = read_var(&mut d, 4096);
    assert_eq!(b, PLAIN);
    // ILI is computed from the plaintext length.
    let s = sense(&c);
    assert!(s.ili);
    assert_eq!(s.information, Some(4096 - PLAIN.len() as i64));
    let (c, b) = read_var(&mut d, PLAIN.len());
    assert_good(&c);
    assert_eq!(b, PLAIN);
    let (c, b) = read_var(&mut d, 10);
    assert_eq!(b, &PLAIN[..10]);
    assert_eq!(sense(&c).information, Some(10 - PLAIN.len() as i64));
    let (c, _) = read_var(&mut d, 100);
    assert!(sense(&c).filemark);

    // The stored record: ciphertext ‖ tag, the nonce in its metadata (AAD = metadata).
    let m = d.cartridge();
    let mut stored = vec![0u8; 1024];
    let r = m.read_record(0, 0, &mut stored).unwrap();
    assert_eq!(r.len, PLAIN.len() + 16);
    stored.truncate(r.len);
    let meta = r.metadata;
    assert_eq!(&meta[..6], b"TKEN\x01\x01");
    let nonce = Nonce::clone_from_slice(&meta[16..28]);
    let tag = Tag::clone_from_slice(&stored[PLAIN.len()..]);
    let mut body = stored[..PLAIN.len()].to_vec();
    Aes256Gcm::new(&KEY.into())
        .decrypt_in_place_detached(&nonce, &meta, &mut body, &tag)
        .unwrap();
    assert_eq!(body, PLAIN);
    // Nonces differ between records.
    let r1 = m.read_record(0, 1, &mut []).unwrap();
    assert_ne!(&r1.metadata[16..28], &meta[16..28]);
}

#[test]
fn reads_without_the_right_key_or_mode() {
    let (_dir, _p, mut d) = drive();
    assert_good(&write_var(&mut d, b"plain block"));
    set(&mut d, &sde(0x00, 2, 2, &KEY, None));
    assert_good(&write_var(&mut d, PLAIN));

    // DECRYPT: a plain block is an error.
    rewind(&mut d);
    let (c, _) = read_var(&mut d, 100);
    assert_sense(&c, SenseKey::DataProtect, 0x74, 0x02);
    // Other key: 74/03.
    set(&mut d, &sde(0x00, 2, 2, &OTHER_KEY, None));
    let (c, _) = read_var(&mut d, 100);
    assert_sense(&c, SenseKey::DataProtect, 0x74, 0x03);
    // MIXED with the right key: both blocks.
    set(&mut d, &sde(0x00, 2, 3, &KEY, None));
    rewind(&mut d);
    assert_eq!(read_var(&mut d, 11).1, b"plain block");
    assert_eq!(read_var(&mut d, PLAIN.len()).1, PLAIN);
    // Decryption disabled: 74/01; plain blocks read normally.
    set(&mut d, &sde(0x00, 0, 0, &[], None));
    rewind(&mut d);
    assert_eq!(read_var(&mut d, 11).1, b"plain block");
    let (c, _) = read_var(&mut d, 100);
    assert_sense(&c, SenseKey::DataProtect, 0x74, 0x01);
}

#[test]
fn raw_reads_and_protect() {
    let (_dir, _p, mut d) = drive();
    // --unprotect (RDMC 10b): raw-read enabled.
    set(&mut d, &sde(0x20, 2, 2, &KEY, None));
    assert_good(&write_var(&mut d, PLAIN));
    // --protect (RDMC 11b).
    set(&mut d, &sde(0x30, 2, 2, &KEY, None));
    assert_good(&write_var(&mut d, PLAIN));
    // rawread (2,1).
    set(&mut d, &sde(0x00, 2, 1, &KEY, None));
    rewind(&mut d);
    let (c, b) = read_var(&mut d, 4096);
    assert_eq!(b.len(), PLAIN.len() + 16);
    assert!(!contains(&b, &PLAIN[..16]));
    assert_eq!(
        sense(&c).information,
        Some(4096 - (PLAIN.len() as i64 + 16))
    );
    assert_eq!(b, {
        let mut s = vec![0u8; 4096];
        let r = d.cartridge().read_record(0, 0, &mut s).unwrap();
        s.truncate(r.len);
        s
    });
    let (c, _) = read_var(&mut d, 4096);
    assert_sense(&c, SenseKey::DataProtect, 0x74, 0x0A);
}

fn nbes(d: &mut Drive) -> Vec<u8> {
    spin20(d, 0x0021)
}

#[test]
fn next_block_status() {
    let (_dir, _p, mut d) = drive();
    assert_good(&write_var(&mut d, b"plain"));
    set(&mut d, &seed_on(&KEY));
    assert_good(&write_var(&mut d, PLAIN));
    write_filemarks(&mut d, 1);
    rewind(&mut d);

    let head = |n: u8, status: u8| {
        let mut v = vec![0x00, 0x21, 0x00, 0x0C, 0, 0, 0, 0, 0, 0, 0, n, status];
        v.extend_from_slice(&[0, 0, 0]);
        v
    };
    assert_eq!(nbes(&mut d), head(0, 3));
    assert_eq!(nbes(&mut d), head(0, 3), "status never moves the tape");
    read_var(&mut d, 5);
    let mut enc = vec![0x00, 0x21, 0x00, 0x1C, 0, 0, 0, 0, 0, 0, 0, 1];
    enc.extend_from_slice(&[0x05, 0x01, 0x01, 0x00]); // decryptable, index 1, RDMDS
    enc.extend_from_slice(&[0x00, 0x01, 0x00, 0x0C]);
    enc.extend_from_slice(b"Hello world!");
    assert_eq!(nbes(&mut d), enc);
    // Wrong key, and decryption not enabled: 6.
    set(&mut d, &sde(0x00, 2, 2, &OTHER_KEY, None));
    enc[12] = 0x06;
    assert_eq!(nbes(&mut d), enc);
    set(&mut d, &sde(0x00, 2, 1, &KEY, None));
    assert_eq!(nbes(&mut d), enc);
    // Filemark, then end of data.
    read_var(&mut d, 4096);
    assert_eq!(nbes(&mut d), head(2, 2));
    read_var(&mut d, 10);
    assert_eq!(nbes(&mut d), head(3, 1));
    // No cartridge: all zero.
    no_data(&mut d, &[0x1B, 0, 0, 0, 0, 0]);
    assert_eq!(nbes(&mut d), head(0, 0));
}

#[test]
fn key_outlives_the_process_but_not_unload() {
    let (_dir, path, mut d) = drive();
    set(&mut d, &seed_on(&KEY));
    assert_good(&write_var(&mut d, PLAIN));
    rewind(&mut d);
    d.persist().unwrap();
    drop(d);

    // The next program finds the key in force.
    let mut d = Drive::open(&path).unwrap();
    assert_eq!(&des(&mut d)[4..12], [0x42, 2, 2, 1, 0, 0, 0, 1]);
    assert_eq!(read_var(&mut d, PLAIN.len()).1, PLAIN);

    // UNLOAD clears it; the counter stays.
    assert_good(&no_data(&mut d, &[0x1B, 0, 0, 0, 0, 0]));
    assert!(!sidecar(&path).exists());
    assert_eq!(&des(&mut d)[4..12], [0, 0, 0, 0, 0, 0, 0, 1]);
    no_data(&mut d, &[0x1B, 0, 0, 0, 1, 0]);
    no_data(&mut d, &[0, 0, 0, 0, 0, 0]); // UNIT ATTENTION after the load
    let (c, _) = read_var(&mut d, 4096);
    assert_sense(&c, SenseKey::DataProtect, 0x74, 0x01);
    d.persist().unwrap();
    drop(d);
    let mut d = Drive::open(&path).unwrap();
    assert_eq!(&des(&mut d)[4..12], [0, 0, 0, 0, 0, 0, 0, 1]);
}

#[test]
fn ckod_needs_a_cartridge_and_clears_at_demount() {
    let (_dir, path, mut d) = drive();
    no_data(&mut d, &[0x1B, 0, 0, 0, 0, 0]);
    // No cartridge: AVFMV clear in the capabilities (3Ah as mhvtl).
    assert_eq!(spin20(&mut d, 0x0010)[24], 0x3A);
    let c = spout(&mut d, &seed_on(&KEY));
    assert_eq!(
        field(&c),
        FieldPointer {
            in_cdb: false,
            bit: Some(2),
            byte: 5
        }
    );
    // Without CKOD the key can be set with no cartridge.
    set(&mut d, &sde(0x00, 2, 2, &KEY, None));
    no_data(&mut d, &[0x1B, 0, 0, 0, 1, 0]);
    no_data(&mut d, &[0, 0, 0, 0, 0, 0]);
    set(&mut d, &seed_on(&KEY));
    assert!(sidecar(&path).exists());
    assert_good(&no_data(&mut d, &[0x1B, 0, 0, 0, 0, 0]));
    assert!(!sidecar(&path).exists());
    assert_eq!(&des(&mut d)[5..7], [0, 0]);
}

#[test]
fn power_cycle_and_memory_store() {
    let (_dir, path, mut d) = drive();
    set(&mut d, &seed_on(&KEY));
    d.power_cycle().unwrap();
    assert!(!sidecar(&path).exists());
    let c = no_data(&mut d, &[0, 0, 0, 0, 0, 0]);
    assert_sense(&c, SenseKey::UnitAttention, 0x29, 0x00);
    assert_eq!(&des(&mut d)[5..7], [0, 0]);
    drop(d);

    let mut d = Drive::open(&path).unwrap().with_key_store(KeyStore::Memory);
    set(&mut d, &seed_on(&KEY));
    assert!(!sidecar(&path).exists());
    assert_good(&write_var(&mut d, PLAIN));
    rewind(&mut d);
    assert_eq!(read_var(&mut d, PLAIN.len()).1, PLAIN);
    assert_eq!(d.key_store(), &KeyStore::Memory);
}

#[test]
fn fixed_block_mode_encrypts_each_block() {
    let (_dir, _p, mut d) = drive();
    // MODE SELECT(6) block descriptor: block length 16.
    let ms = [0, 0, 0x10, 8, 0, 0, 0, 0, 0, 0, 0, 16];
    assert_good(&data_out(&mut d, &[0x15, 0x10, 0, 0, 12, 0], &ms));
    set(&mut d, &sde(0x00, 2, 2, &KEY, None));
    let data: Vec<u8> = (0..48u8).collect();
    assert_good(&data_out(&mut d, &[0x0A, 0x01, 0, 0, 3, 0], &data));
    rewind(&mut d);
    let (c, b) = data_in(&mut d, &[0x08, 0x01, 0, 0, 3, 0], 48);
    assert_good(&c);
    assert_eq!(b, data);
    assert_eq!(d.cartridge().object_count(0), 3);
}
