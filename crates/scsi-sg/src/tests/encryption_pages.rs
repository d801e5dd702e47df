//! Fixtures written by hand from `reference/scsi.md` §6.1-§6.8 and §6.11 (mhvtl's DEC and
//! support pages, the DES from stenc 2.0's fixtures, NBES statuses), plus truncation loops
//! and build→parse property tests.

use super::*;
use proptest::prelude::*;

/// mhvtl's HP-LTO DEC with a capable tape loaded (§6.4): CFG_P 01b, index 1, byte 4 BAh,
/// U-KAD max 32, A-KAD max 12, key 32 bytes, AES-256-GCM-128; page length 40.
const DEC_MHVTL: [u8; 44] = [
    0x00, 0x10, 0x00, 0x28, // page 0010h, length 40
    0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // byte 4, 5-19 reserved
    0x01, 0x00, 0x00, 0x14, // index 1, descriptor length 20
    0xBA, 0x00, // AVFMV MAC_C DELB_C DECRYPT_C=2 ENCRYPT_C=2; byte 5 0
    0x00, 0x20, 0x00, 0x0C, 0x00, 0x20, // U-KAD 32, A-KAD 12, key 32
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // bytes 12-19
    0x00, 0x01, 0x00, 0x14, // AES-256-GCM-128
];

#[test]
fn dec_mhvtl() {
    let dec = DataEncryptionCapabilities::parse(&DEC_MHVTL).unwrap();
    assert_eq!(dec.cfg_p, ConfigurationPrevented::NotPrevented);
    assert!(!dec.truncated);
    assert_eq!(dec.algorithms.len(), 1);
    let a = dec.algorithm(1).unwrap();
    assert!(a.avfmv && a.mac_c && a.delb_c && !a.sdk_c);
    assert!(a.can_encrypt() && a.can_decrypt());
    assert_eq!(
        (a.max_ukad_length, a.max_akad_length, a.key_length),
        (32, 12, 32)
    );
    assert_eq!(a.algorithm_code, AES_256_GCM_128);
    assert_eq!(a.name(), Some("AES-256-GCM-128"));
    assert!(dec.algorithm(0).is_none());
    // Rebuilt byte-exact.
    assert_eq!(dec.to_bytes().unwrap(), DEC_MHVTL);
}

#[test]
fn dec_every_field() {
    let mut b = DEC_MHVTL.to_vec();
    b[4] = 0x0E; // EXTDECC 11b, CFG_P 10b
    b.extend_from_slice(&[
        0x10, 0x00, 0x00, 0x14, // index 10h
        0x76, // SDK_C MAC_C DELB_C, DECRYPT_C 01b, ENCRYPT_C 10b
        0xD5, // AVFCP 11b, NONCE_C 01b, VCELB_C, AKADF
        0x00, 0x0A, 0x00, 0x0B, 0x00, 0x10, // U-KAD 10, A-KAD 11, key 16
        0xEB, // DKAD_C 11b, EEMC_C 10b, RDMC_C 101b, EAREM
        0xF3, // max EEDK count 3 (upper nibble reserved)
        0x01, 0x02, 0x03, 0x04, 0x00, 0x00, // MSDK 0102h, max EEDK size 0304h, reserved
        0x80, 0x01, 0x04, 0x00, // vendor-specific code
    ]);
    b[3] = 0x40;
    let dec = DataEncryptionCapabilities::parse(&b).unwrap();
    assert_eq!(
        (dec.extdecc, dec.cfg_p),
        (3, ConfigurationPrevented::Prevented)
    );
    let a = dec.algorithm(0x10).unwrap();
    assert!(!a.avfmv && a.sdk_c && a.mac_c && a.delb_c);
    assert_eq!(
        (a.decrypt_c, a.encrypt_c),
        (Capability::External, Capability::Hardware)
    );
    assert!(a.can_encrypt() && !a.can_decrypt());
    assert_eq!((a.avfcp, a.nonce_c), (3, 1));
    assert!(!a.kadf_c && a.vcelb_c && !a.ukadf && a.akadf);
    assert_eq!(
        (a.max_ukad_length, a.max_akad_length, a.key_length),
        (10, 11, 16)
    );
    assert_eq!(a.dkad_c, DkadCapability::Allowed);
    assert_eq!(a.eemc_c, 2);
    assert_eq!(a.rdmc_c, RdmcCapability::AllowedEnabledByDefault);
    assert!(a.earem);
    assert_eq!(
        (a.max_eedk_count, a.msdk_count, a.max_eedk_size),
        (3, 0x0102, 0x0304)
    );
    assert_eq!(a.algorithm_code, 0x8001_0400);
    assert_eq!(a.name(), None);
    // Rebuilt: identical except the reserved upper nibble of byte 13.
    let mut expect = b.clone();
    expect[44 + 13] = 0x03;
    assert_eq!(dec.to_bytes().unwrap(), expect);
}

#[test]
fn dec_length_disagrees() {
    // Page length says 2 descriptors, one present: one parsed, truncated.
    let mut b = DEC_MHVTL.to_vec();
    b[3] = 0x40;
    let dec = DataEncryptionCapabilities::parse(&b).unwrap();
    assert_eq!(dec.algorithms.len(), 1);
    assert!(dec.truncated);
    // Page length says less than present: the extra descriptor is ignored.
    let mut b = DEC_MHVTL.to_vec();
    b.extend_from_slice(&DEC_MHVTL[20..]);
    let dec = DataEncryptionCapabilities::parse(&b).unwrap();
    assert_eq!(dec.algorithms.len(), 1);
    assert!(!dec.truncated);
    // Page length 0 with a descriptor present: no descriptors.
    let mut b = DEC_MHVTL.to_vec();
    b[3] = 0;
    assert!(DataEncryptionCapabilities::parse(&b)
        .unwrap()
        .algorithms
        .is_empty());
    // Wrong page code and short header are errors.
    assert!(DataEncryptionCapabilities::parse(&[0x00, 0x20, 0, 0]).is_err());
    assert!(DataEncryptionCapabilities::parse(&[0x00, 0x10, 0]).is_err());
}

/// The DES of stenc 2.0's fixtures (§6.7): scopes 2/2, on/on, index 1, KIC 1, PARAMETERS
/// CONTROL 1, VCELB 1, one U-KAD "Hello world!" with AUTHENTICATED 1.
const DES_STENC2: [u8; 40] = [
    0x00, 0x20, 0x00, 0x24, // page 0020h, length 14h + 16
    0x42, // I_T nexus scope 2, key scope 2
    0x02, 0x02, 0x01, // on/on, index 1
    0x00, 0x00, 0x00, 0x01, // KIC 1
    0x18, // PARAMETERS CONTROL 1, VCELB
    0x00, 0x00, 0x00, // KAD format, ASDK count
    0, 0, 0, 0, 0, 0, 0, 0, // reserved 16-23
    0x00, 0x01, 0x00, 0x0C, // U-KAD, AUTHENTICATED 1, length 12
    b'H', b'e', b'l', b'l', b'o', b' ', b'w', b'o', b'r', b'l', b'd', b'!',
];

#[test]
fn des_stenc2_fixture() {
    let s = DataEncryptionStatus::parse(&DES_STENC2).unwrap();
    assert_eq!(
        (s.it_nexus_scope, s.key_scope),
        (Scope::AllItNexus, Scope::AllItNexus)
    );
    assert_eq!(s.encryption_mode, EncryptionMode::Encrypt);
    assert_eq!(s.decryption_mode, DecryptionMode::Decrypt);
    assert_eq!(s.preset(), Some(Preset::On));
    assert_eq!((s.algorithm_index, s.key_instance_counter), (1, 1));
    assert_eq!(s.parameters_control, 1);
    assert!(s.vcelb && !s.rdmd);
    assert_eq!(s.ceems, Ceem::VendorSpecific);
    assert_eq!(s.kads.len(), 1);
    let u = s.ukad().unwrap();
    assert_eq!((u.authenticated, u.text().as_str()), (1, "Hello world!"));
    assert!(s.akad().is_none() && !s.truncated);
    assert_eq!(s.to_bytes().unwrap(), DES_STENC2);
}

#[test]
fn des_mhvtl_length_bug_and_off() {
    // mhvtl's page length 20h on a 24-byte page with no KADs: tolerated, flagged.
    let mut b = DES_STENC2[..24].to_vec();
    b[3] = 0x20;
    let s = DataEncryptionStatus::parse(&b).unwrap();
    assert!(s.kads.is_empty() && s.truncated);
    // Off, RDMD, CEEMS 11b, A-KAD then U-KAD on the wire; rebuilt in ascending order.
    let off = [
        0x00, 0x20, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0, 0, 1, 0, 0x07, 0x02, 0x00, 0x05, 0, 0,
        0, 0, 0, 0, 0, 0,
    ];
    let s = DataEncryptionStatus::parse(&off).unwrap();
    assert_eq!(s.preset(), Some(Preset::Off));
    assert_eq!(
        (s.key_instance_counter, s.ceems, s.rdmd),
        (256, Ceem::Encrypt, true)
    );
    assert_eq!((s.kad_format, s.asdk_count), (KadFormat::Ascii, 5));
    assert_eq!(s.to_bytes().unwrap(), off);
    let mut two = off.to_vec();
    two[3] = 0x14 + 6 + 5;
    two.extend_from_slice(&[
        0x01, 0x03, 0x00, 0x02, b'a', b'k', 0x00, 0x01, 0x00, 0x01, b'u',
    ]);
    let s = DataEncryptionStatus::parse(&two).unwrap();
    assert_eq!(s.kads[0].kad_type, KadType::Akad);
    assert_eq!(s.ukad().unwrap().data, b"u");
    let rebuilt = s.to_bytes().unwrap();
    assert_eq!(
        &rebuilt[24..],
        &[0x00, 0x01, 0x00, 0x01, b'u', 0x01, 0x03, 0x00, 0x02, b'a', b'k']
    );
}

#[test]
fn zero_length_kad_advances_four_bytes() {
    let b = [0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x02, b'x', b'y'];
    let (kads, cut) = parse_kads(&b);
    assert!(!cut);
    assert_eq!(kads.len(), 2);
    assert!(kads[0].data.is_empty());
    assert_eq!(
        (kads[1].kad_type, kads[1].data.as_slice()),
        (KadType::Akad, &b"xy"[..])
    );
    // A KAD whose length overruns: dropped, flagged.
    let (kads, cut) = parse_kads(&[0x00, 0x00, 0x00, 0x05, b'a']);
    assert!(kads.is_empty() && cut);
    let (kads, cut) = parse_kads(&[0x00, 0x00]);
    assert!(kads.is_empty() && cut);
}

/// NBES (§6.8): LON 5, compression 2, status 5 (decryptable), index 1, RDMDS, U-KAD "k1".
const NBES_5: [u8; 22] = [
    0x00, 0x21, 0x00, 0x12, // page 0021h, length 0Ch + 6
    0, 0, 0, 0, 0, 0, 0, 5, // logical object number
    0x25, 0x01, 0x01, 0x00, // compression 2 / status 5, index 1, RDMDS, KAD format 0
    0x00, 0x00, 0x00, 0x02, b'k', b'1',
];

#[test]
fn nbes_statuses() {
    let n = NextBlockStatus::parse(&NBES_5).unwrap();
    assert_eq!(n.logical_object_number, 5);
    assert_eq!(n.compression_status, 2);
    assert_eq!(n.encryption_status, BlockEncryptionStatus::Decryptable);
    assert_eq!(n.algorithm_index, 1);
    assert!(n.rdmds && !n.emes);
    assert_eq!(n.ukad().unwrap().text(), "k1");
    assert_eq!(n.to_bytes().unwrap(), NBES_5);
    let codes = [
        (0, BlockEncryptionStatus::CannotDetermine),
        (1, BlockEncryptionStatus::NotYetDetermined),
        (2, BlockEncryptionStatus::NotLogicalBlock),
        (3, BlockEncryptionStatus::NotEncrypted),
        (4, BlockEncryptionStatus::UnsupportedAlgorithm),
        (5, BlockEncryptionStatus::Decryptable),
        (6, BlockEncryptionStatus::NotDecryptable),
        (7, BlockEncryptionStatus::Reserved(7)),
        (15, BlockEncryptionStatus::Reserved(15)),
    ];
    for (code, status) in codes {
        let mut b = NBES_5[..16].to_vec();
        b[3] = 0x0C;
        b[12] = 0x30 | code;
        let n = NextBlockStatus::parse(&b).unwrap();
        assert_eq!((n.encryption_status, n.compression_status), (status, 3));
        assert_eq!(n.encryption_status.bits(), code);
    }
    // No tape: page length 0Ch, all zero.
    let none = [0x00, 0x21, 0x00, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    assert_eq!(
        NextBlockStatus::parse(&none).unwrap(),
        NextBlockStatus::default()
    );
    assert_eq!(NextBlockStatus::default().to_bytes().unwrap(), none);
    assert_eq!(
        NextBlockStatus::unable_to_determine().encryption_status,
        BlockEncryptionStatus::NotYetDetermined
    );
}

/// mhvtl's support pages (§6.3) and protocol list (§6.1), key formats and management (§6.5, §6.6).
#[test]
fn small_pages() {
    let inp = [
        0x00, 0x00, 0x00, 0x0E, 0x00, 0x00, 0x00, 0x01, 0x00, 0x10, 0x00, 0x11, 0x00, 0x12, 0x00,
        0x20, 0x00, 0x21,
    ];
    let p = SupportPages::parse(&inp).unwrap();
    assert_eq!(p.page_code, 0x0000);
    assert_eq!(
        p.pages,
        vec![0x0000, 0x0001, 0x0010, 0x0011, 0x0012, 0x0020, 0x0021]
    );
    assert!(p.contains(0x0021) && !p.contains(0x0030) && !p.truncated);
    assert_eq!(p.to_bytes().unwrap(), inp);
    let out = [0x00, 0x01, 0x00, 0x02, 0x00, 0x10];
    let p = SupportPages::parse(&out).unwrap();
    assert_eq!((p.page_code, p.pages.clone()), (0x0001, vec![0x0010]));
    assert_eq!(p.to_bytes().unwrap(), out);
    assert!(SupportPages::parse(&[0x00, 0x10, 0x00, 0x00]).is_err());
    // Odd byte left over.
    assert!(
        SupportPages::parse(&[0x00, 0x01, 0x00, 0x03, 0x00, 0x10, 0x00])
            .unwrap()
            .truncated
    );

    let protos = [0, 0, 0, 0, 0, 0, 0x00, 0x03, 0x00, 0x01, 0x20];
    let sp = SupportedProtocols::parse(&protos).unwrap();
    assert_eq!(sp.protocols, vec![0x00, 0x01, 0x20]);
    assert!(sp.contains(0x20) && !sp.truncated);
    assert_eq!(sp.to_bytes().unwrap(), protos);
    assert!(SupportedProtocols::parse(&protos[..10]).unwrap().truncated);
    assert!(SupportedProtocols::parse(&protos[..7]).is_err());

    // mhvtl writes length 2 with a u16 0000h: two plain-text entries.
    let kf = SupportedKeyFormats::parse(&[0x00, 0x11, 0x00, 0x02, 0x00, 0x00]).unwrap();
    assert_eq!(kf.formats, vec![KeyFormat::PlainText, KeyFormat::PlainText]);
    let kf = SupportedKeyFormats {
        formats: vec![
            KeyFormat::PlainText,
            KeyFormat::AesWrapped,
            KeyFormat::Other(0x80),
        ],
        truncated: false,
    };
    assert_eq!(
        kf.to_bytes().unwrap(),
        [0x00, 0x11, 0x00, 0x03, 0x00, 0x02, 0x80]
    );

    let mgmt = [
        0x00, 0x12, 0x00, 0x0C, 0x01, 0x07, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    let m = ManagementCapabilities::parse(&mgmt).unwrap();
    assert!(m.lock_c && m.ckod_c && m.ckorp_c && m.ckorl_c);
    assert!(m.aitn_c && !m.local_c && !m.public_c);
    assert_eq!(m.to_bytes(), mgmt);
    assert!(ManagementCapabilities::parse(&mgmt[..7]).is_err());
    // Page length 0 but the bytes are there: read from what was received.
    assert!(
        ManagementCapabilities::parse(&[0x00, 0x12, 0x00, 0x00, 0, 0x04, 0, 0])
            .unwrap()
            .ckod_c
    );
}

/// Every prefix of every fixture parses or fails cleanly; prefixes past the fixed part
/// parse with `truncated` set.
#[test]
fn prefixes_never_panic() {
    for n in 0..=DEC_MHVTL.len() {
        let r = DataEncryptionCapabilities::parse(&DEC_MHVTL[..n]);
        match n {
            0..=3 => assert!(r.is_err()),
            44 => assert!(!r.unwrap().truncated),
            _ => {
                let d = r.unwrap();
                assert!(d.truncated && d.algorithms.is_empty(), "prefix {n}");
            }
        }
    }
    for n in 0..=DES_STENC2.len() {
        let r = DataEncryptionStatus::parse(&DES_STENC2[..n]);
        match n {
            0..=23 => assert!(r.is_err()),
            40 => assert_eq!(r.unwrap().kads.len(), 1),
            _ => {
                let s = r.unwrap();
                assert!(s.truncated && s.kads.is_empty(), "prefix {n}");
            }
        }
    }
    for n in 0..=NBES_5.len() {
        let r = NextBlockStatus::parse(&NBES_5[..n]);
        match n {
            0..=15 => assert!(r.is_err()),
            22 => assert!(!r.unwrap().truncated),
            _ => assert!(r.unwrap().truncated),
        }
    }
}

fn kad_strategy() -> impl Strategy<Value = Kad> {
    (
        any::<u8>(),
        0u8..8,
        proptest::collection::vec(any::<u8>(), 0..40),
    )
        .prop_map(|(t, a, d)| Kad {
            kad_type: KadType::from_bits(t),
            authenticated: a,
            data: d,
        })
}

fn sorted(mut kads: Vec<Kad>) -> Vec<Kad> {
    kads.sort_by_key(|k| k.kad_type.bits());
    kads
}

fn algorithm_strategy() -> impl Strategy<Value = AlgorithmDescriptor> {
    (
        (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>()),
        (any::<u16>(), any::<u16>(), any::<u16>()),
        (any::<u8>(), any::<u16>(), any::<u16>(), any::<u32>()),
    )
        .prop_map(
            |((index, b4, b5, b12), (u, a, k), (eedk, msdk, size, code))| {
                let mut d = vec![index, 0, 0, 0x14, b4, b5];
                for v in [u, a, k] {
                    d.extend_from_slice(&v.to_be_bytes());
                }
                d.extend_from_slice(&[b12, eedk & 0x0f]);
                d.extend_from_slice(&msdk.to_be_bytes());
                d.extend_from_slice(&size.to_be_bytes());
                d.extend_from_slice(&[0, 0]);
                d.extend_from_slice(&code.to_be_bytes());
                let mut page = vec![0x00, 0x10, 0x00, 0x28];
                page.resize(20, 0);
                page.extend_from_slice(&d);
                DataEncryptionCapabilities::parse(&page)
                    .unwrap()
                    .algorithms
                    .remove(0)
            },
        )
}

proptest! {
    #[test]
    fn dec_round_trip(extdecc in 0u8..4, cfg in 0u8..4,
                      algorithms in proptest::collection::vec(algorithm_strategy(), 0..5)) {
        let dec = DataEncryptionCapabilities {
            extdecc, cfg_p: ConfigurationPrevented::from_bits(cfg), algorithms, truncated: false,
        };
        let bytes = dec.to_bytes().unwrap();
        prop_assert_eq!(bytes.len(), 20 + 24 * dec.algorithms.len());
        prop_assert_eq!(DataEncryptionCapabilities::parse(&bytes).unwrap(), dec);
    }

    #[test]
    fn des_round_trip(scopes in any::<u8>(), enc in any::<u8>(), dec in any::<u8>(), idx in any::<u8>(),
                      kic in any::<u32>(), pc in 0u8..8, b12 in 0u8..16, kf in any::<u8>(),
                      asdk in any::<u16>(), kads in proptest::collection::vec(kad_strategy(), 0..4)) {
        let s = DataEncryptionStatus {
            it_nexus_scope: Scope::from_bits(scopes >> 5), key_scope: Scope::from_bits(scopes),
            encryption_mode: EncryptionMode::from_bits(enc), decryption_mode: DecryptionMode::from_bits(dec),
            algorithm_index: idx, key_instance_counter: kic, parameters_control: pc,
            vcelb: b12 & 8 != 0, ceems: Ceem::from_bits(b12 >> 1), rdmd: b12 & 1 != 0,
            kad_format: KadFormat::from_bits(kf), asdk_count: asdk, kads: sorted(kads), truncated: false,
        };
        let bytes = s.to_bytes().unwrap();
        prop_assert_eq!(DataEncryptionStatus::parse(&bytes).unwrap(), s);
    }

    #[test]
    fn nbes_round_trip(lon in any::<u64>(), comp in 0u8..16, st in 0u8..16, idx in any::<u8>(),
                       emes in any::<bool>(), rdmds in any::<bool>(), kf in any::<u8>(),
                       kads in proptest::collection::vec(kad_strategy(), 0..4)) {
        let n = NextBlockStatus {
            logical_object_number: lon, compression_status: comp,
            encryption_status: BlockEncryptionStatus::from_bits(st), algorithm_index: idx,
            emes, rdmds, kad_format: KadFormat::from_bits(kf), kads: sorted(kads), truncated: false,
        };
        let bytes = n.to_bytes().unwrap();
        prop_assert_eq!(NextBlockStatus::parse(&bytes).unwrap(), n);
    }

    #[test]
    fn parsers_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200), code in 0u16..0x40) {
        let mut b = b;
        if b.len() >= 2 {
            b[..2].copy_from_slice(&code.to_be_bytes());
        }
        let _ = DataEncryptionCapabilities::parse(&b);
        let _ = DataEncryptionStatus::parse(&b);
        let _ = NextBlockStatus::parse(&b);
        let _ = SupportPages::parse(&b);
        let _ = SupportedKeyFormats::parse(&b);
        let _ = ManagementCapabilities::parse(&b);
        let _ = SupportedProtocols::parse(&b);
        let _ = SetDataEncryption::parse(&b);
        let _ = parse_kads(&b);
    }
}
