//! Set Data Encryption bytes for the seed's stenc invocations, written by hand from
//! `reference/stenc.md` §2 and `reference/scsi.md` §6.10-§6.12; SDE parse (device side);
//! validation against DEC; the runners on a mock transport (CDBs from §6).

use super::key::{parse_key_file, Key};
use super::*;
use crate::mock::{MockReply, MockTransport, RecordedData};
use proptest::prelude::*;

/// The seed's key file: 32 bytes 00..1f, line 2 a 24-character description.
const KEY_FILE: &[u8] =
    b"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\nseed key description 24c";

/// `stenc -f /dev/nst0 -e on -a 1 --ckod --protect -k key` with that file: page length
/// 16 + 32 + 4 + 24 = 0x4C (stenc.md §2: "with a 24-char description 0x4C").
fn seed_on_expected() -> Vec<u8> {
    let mut v = vec![
        0x00, 0x10, // page code 0010h
        0x00, 0x4C, // page length
        0x40, // SCOPE 010b (all I_T nexus), LOCK 0
        0x34, // CEEM 00, RDMC 11b (protect), SDK 0, CKOD 1, CKORP 0, CKORL 0
        0x02, // encryption mode ENCRYPT
        0x02, // decryption mode DECRYPT
        0x01, // algorithm index 1
        0x00, // key format plain text
        0x00, // KAD format (1.0.7 sends 0)
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // reserved 11-17
        0x00, 0x20, // key length 32
    ];
    v.extend(0u8..32); // the key
    v.extend_from_slice(&[0x00, 0x00, 0x00, 0x18]); // U-KAD, byte 1 zero, length 24
    v.extend_from_slice(b"seed key description 24c");
    v
}

/// `stenc -f /dev/nst0 -e off -a 1`: modes 0/0, key length 0, page length 0x10 (20 bytes;
/// not 1.0.7's 32 zero key bytes).
const SEED_OFF: [u8; 20] = [
    0x00, 0x10, 0x00, 0x10, 0x40, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
];

fn seed_on() -> SetDataEncryption {
    let kf = parse_key_file(KEY_FILE).unwrap();
    SetDataEncryption::on(1, kf.key)
        .with_ckod(true)
        .with_rdmc(Rdmc::Protect)
        .with_ukad(kf.description.unwrap().into_bytes())
}

#[test]
fn seed_pages_byte_exact() {
    let expected = seed_on_expected();
    assert_eq!(expected.len(), 80);
    assert_eq!(
        seed_on().to_bytes().unwrap().as_slice(),
        expected.as_slice()
    );
    assert_eq!(
        SetDataEncryption::off(1).to_bytes().unwrap().as_slice(),
        SEED_OFF
    );
    // The presets' modes (§6.12).
    let k = || Key::from_bytes(&[0; 32]);
    assert_eq!(
        SetDataEncryption::mixed(1, k()).to_bytes().unwrap()[6..8],
        [2, 3]
    );
    assert_eq!(
        SetDataEncryption::rawread(1, k()).to_bytes().unwrap()[6..8],
        [2, 1]
    );
    // Off drops any key given.
    assert!(SetDataEncryption::preset(Preset::Off, 1, k())
        .key
        .is_empty());
    // 2.0.0 on, 32-byte key, no KAD: page length 0x30.
    assert_eq!(
        SetDataEncryption::on(1, k()).to_bytes().unwrap()[..4],
        [0, 0x10, 0, 0x30]
    );
}

#[test]
fn sde_parse_device_side() {
    let p = SetDataEncryption::parse(&seed_on_expected()).unwrap();
    assert_eq!(p, seed_on());
    assert_eq!(p.preset_name(), Some(Preset::On));
    assert!(p.ckod && !p.lock && !p.sdk && !p.ckorp && !p.ckorl);
    assert_eq!(
        (p.scope, p.rdmc, p.ceem),
        (Scope::AllItNexus, Rdmc::Protect, Ceem::VendorSpecific)
    );
    assert_eq!(p.key.as_bytes(), (0u8..32).collect::<Vec<_>>());
    assert_eq!(p.ukad().unwrap().data, b"seed key description 24c");
    let off = SetDataEncryption::parse(&SEED_OFF).unwrap();
    assert_eq!(off, SetDataEncryption::off(1));

    let bad = |mutate: &dyn Fn(&mut Vec<u8>)| {
        let mut b = seed_on_expected();
        mutate(&mut b);
        SetDataEncryption::parse(&b).unwrap_err()
    };
    assert_eq!(bad(&|b| b[1] = 0x11).field, 0);
    assert_eq!(bad(&|b| b[3] = 0x4D).field, 2);
    assert_eq!(bad(&|b| b.truncate(79)).field, 2);
    assert_eq!(bad(&|b| b[4] = 0x42).field, 4);
    assert_eq!(bad(&|b| b[14] = 1).field, 14);
    assert_eq!(bad(&|b| b[19] = 0x50).field, 18);
    // stenc 1.0.7's uninitialised KAD byte 1 (issue #11).
    let e = bad(&|b| b[53] = 0x01);
    assert_eq!((e.field, e.bit), (53, Some(7)));
    assert_eq!(bad(&|b| b[55] = 0x19).field, 54);
    assert!(!e.to_string().is_empty());
    assert_eq!(SetDataEncryption::parse(&[0; 5]).unwrap_err().field, 2);
}

#[test]
fn sde_kads_sorted_and_byte1_zero() {
    let mut s = SetDataEncryption::on(1, Key::from_bytes(&[7; 4]));
    s.kads = vec![
        Kad {
            kad_type: KadType::Akad,
            authenticated: 3,
            data: b"a".to_vec(),
        },
        Kad {
            kad_type: KadType::Ukad,
            authenticated: 5,
            data: vec![],
        },
    ];
    let b = s.to_bytes().unwrap();
    assert_eq!(&b[2..4], &[0x00, 16 + 4 + 4 + 5]);
    assert_eq!(
        &b[24..],
        &[0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, b'a']
    );
}

fn dec_lto() -> DataEncryptionCapabilities {
    DataEncryptionCapabilities {
        cfg_p: ConfigurationPrevented::NotPrevented,
        algorithms: vec![AlgorithmDescriptor::aes256_gcm(1)],
        ..Default::default()
    }
}

#[test]
fn validation() {
    let dec = dec_lto();
    let k32 = || Key::from_bytes(&[1; 32]);
    assert_eq!(validate(&seed_on(), &dec), Ok(()));
    assert_eq!(validate(&SetDataEncryption::off(1), &dec), Ok(()));
    let e = validate(&SetDataEncryption::off(0), &dec).unwrap_err();
    assert_eq!(
        e,
        ValidationError::UnknownAlgorithm {
            index: 0,
            available: vec![1]
        }
    );
    assert_eq!(
        e.to_string(),
        "algorithm index 0 not supported by device (supported: 1)"
    );
    let e = validate(&SetDataEncryption::on(1, Key::from_bytes(&[1; 16])), &dec).unwrap_err();
    assert_eq!(
        e,
        ValidationError::KeyLength {
            index: 1,
            expected: 32,
            got: 16
        }
    );
    assert_eq!(
        e.to_string(),
        "incorrect key size for algorithm index 1, expected 32 bytes, got 16"
    );
    let long = SetDataEncryption::on(1, k32()).with_ukad(vec![b'x'; 33]);
    assert_eq!(
        validate(&long, &dec),
        Err(ValidationError::UkadTooLong { max: 32, got: 33 })
    );
    let mut fixed = dec_lto();
    fixed.algorithms[0].ukadf = true;
    let short = SetDataEncryption::on(1, k32()).with_ukad("abc");
    assert_eq!(
        validate(&short, &fixed),
        Err(ValidationError::UkadLength { fixed: 32, got: 3 })
    );
    let mut akad = SetDataEncryption::on(1, k32());
    akad.kads.push(Kad::akad(vec![0; 13]));
    assert_eq!(
        validate(&akad, &dec),
        Err(ValidationError::AkadTooLong { max: 12, got: 13 })
    );

    let mut no_enc = dec_lto();
    no_enc.algorithms[0].encrypt_c = Capability::NotCapable;
    assert_eq!(
        validate(&SetDataEncryption::on(1, k32()), &no_enc),
        Err(ValidationError::CannotEncrypt { index: 1 })
    );
    let mut no_dec = dec_lto();
    no_dec.algorithms[0].decrypt_c = Capability::External;
    assert_eq!(
        validate(&SetDataEncryption::mixed(1, k32()), &no_dec),
        Err(ValidationError::CannotDecrypt { index: 1 })
    );
    // Raw decryption mode does not need DECRYPT_C.
    assert_eq!(
        validate(&SetDataEncryption::rawread(1, k32()), &no_dec),
        Ok(())
    );

    for code in [1u8, 6, 7] {
        let mut fixed_rdmc = dec_lto();
        fixed_rdmc.algorithms[0].rdmc_c = RdmcCapability::from_bits(code);
        assert!(matches!(
            validate(&seed_on(), &fixed_rdmc),
            Err(ValidationError::RawReadControlNotAllowed { index: 1, .. })
        ));
        // Without --protect/--unprotect it is fine.
        assert_eq!(
            validate(&SetDataEncryption::on(1, k32()), &fixed_rdmc),
            Ok(())
        );
    }
    let mut no_kad = dec_lto();
    no_kad.algorithms[0].dkad_c = DkadCapability::NotAllowed;
    assert_eq!(
        validate(&seed_on(), &no_kad),
        Err(ValidationError::KadNotAllowed { index: 1 })
    );
    no_kad.algorithms[0].dkad_c = DkadCapability::Required;
    assert_eq!(
        validate(&SetDataEncryption::on(1, k32()), &no_kad),
        Err(ValidationError::KadRequired { index: 1 })
    );
    let mgmt = ManagementCapabilities {
        ckod_c: false,
        ..Default::default()
    };
    assert_eq!(
        validate_with(&seed_on(), &dec, Some(&mgmt)),
        Err(ValidationError::CkodNotSupported)
    );
    let mgmt = ManagementCapabilities {
        ckod_c: true,
        ..mgmt
    };
    assert_eq!(validate_with(&seed_on(), &dec, Some(&mgmt)), Ok(()));
}

#[test]
fn cdbs() {
    assert_eq!(
        spin_cdb(0x20, 0x0020, ALLOCATION_LENGTH),
        [0xA2, 0x20, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00]
    );
    assert_eq!(
        spout_cdb(0x20, 0x0010, 80),
        [0xB5, 0x20, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x50, 0x00, 0x00]
    );
}

#[test]
fn runners() {
    // set_data_encryption sends the page with transfer length = page length + 4.
    let mut t = MockTransport::with_replies([MockReply::good()]);
    set_data_encryption(&mut t, &seed_on()).unwrap();
    assert_eq!(t.last_cdb().unwrap(), spout_cdb(0x20, 0x0010, 80));
    assert_eq!(
        t.commands()[0].data,
        RecordedData::ToDevice(seed_on_expected())
    );

    // status / capabilities / small pages: one 8192-byte read each.
    let des = [
        0x00, 0x20, 0x00, 0x14, 0x42, 2, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    let mut t = MockTransport::with_replies([MockReply::data(des.to_vec())]);
    assert_eq!(status(&mut t).unwrap().preset(), Some(Preset::On));
    assert_eq!(t.last_cdb().unwrap(), spin_cdb(0x20, 0x0020, 8192));
    let protos = vec![0, 0, 0, 0, 0, 0, 0, 2, 0x00, 0x20];
    let mut t = MockTransport::with_replies([MockReply::data(protos)]);
    assert!(supported_protocols(&mut t).unwrap().contains(0x20));
    assert_eq!(t.last_cdb().unwrap(), spin_cdb(0x00, 0x0000, 8192));
    let mut t = MockTransport::with_replies([
        MockReply::data(vec![0, 0, 0, 4, 0, 0x10, 0, 0x20]),
        MockReply::data(vec![0, 1, 0, 2, 0, 0x10]),
        MockReply::data(vec![0, 0x11, 0, 1, 0]),
        MockReply::data(
            ManagementCapabilities {
                ckod_c: true,
                ..Default::default()
            }
            .to_bytes(),
        ),
    ]);
    assert_eq!(in_support_pages(&mut t).unwrap().pages, vec![0x10, 0x20]);
    assert_eq!(out_support_pages(&mut t).unwrap().pages, vec![0x10]);
    assert_eq!(
        key_formats(&mut t).unwrap().formats,
        vec![KeyFormat::PlainText]
    );
    assert!(management_capabilities(&mut t).unwrap().ckod_c);
    let cdbs: Vec<_> = t.commands().iter().map(|c| (c.cdb[2], c.cdb[3])).collect();
    assert_eq!(cdbs, vec![(0, 0), (0, 1), (0, 0x11), (0, 0x12)]);

    // A page longer than 8192 bytes: read again with the exact size.
    let big = DataEncryptionCapabilities {
        algorithms: (0..400u16)
            .map(|i| AlgorithmDescriptor::aes256_gcm(i as u8))
            .collect(),
        ..Default::default()
    };
    let bytes = big.to_bytes().unwrap();
    assert_eq!(bytes.len(), 20 + 24 * 400);
    let mut t =
        MockTransport::with_replies([MockReply::data(bytes.clone()), MockReply::data(bytes)]);
    assert_eq!(capabilities(&mut t).unwrap().algorithms.len(), 400);
    assert_eq!(t.commands()[1].cdb, spin_cdb(0x20, 0x0010, 9620).to_vec());
    assert_eq!(t.commands()[1].data, RecordedData::FromDevice(9620));

    // NBES: BLANK CHECK 08/14/03 is "unable to determine"; other errors stay errors.
    let blank = vec![
        0x70, 0, 0x08, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x14, 0x03, 0, 0, 0, 0,
    ];
    let mut t = MockTransport::with_replies([MockReply::check_condition(blank)]);
    assert_eq!(
        next_block_status(&mut t).unwrap(),
        NextBlockStatus::unable_to_determine()
    );
    let not_ready = vec![
        0x70, 0, 0x02, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x3A, 0x00, 0, 0, 0, 0,
    ];
    let mut t = MockTransport::with_replies([MockReply::check_condition(not_ready)]);
    assert!(matches!(
        next_block_status(&mut t),
        Err(crate::ScsiError::NotReady(_))
    ));
}

fn sde_strategy() -> impl Strategy<Value = SetDataEncryption> {
    (
        (any::<u8>(), any::<bool>(), any::<u8>(), any::<u8>()),
        (
            any::<u8>(),
            any::<u8>(),
            any::<u8>(),
            any::<u8>(),
            any::<u8>(),
        ),
        proptest::collection::vec(any::<u8>(), 0..64),
        proptest::collection::vec(
            (any::<u8>(), proptest::collection::vec(any::<u8>(), 0..40)),
            0..4,
        ),
    )
        .prop_map(
            |((scope, lock, b5, enc), (dec, idx, kf, kadf, _), key, kads)| {
                let mut kads: Vec<Kad> = kads
                    .into_iter()
                    .map(|(t, d)| Kad::new(KadType::from_bits(t), d))
                    .collect();
                kads.sort_by_key(|k| k.kad_type.bits());
                SetDataEncryption {
                    scope: Scope::from_bits(scope),
                    lock,
                    ceem: Ceem::from_bits(b5 >> 6),
                    rdmc: Rdmc::from_bits(b5 >> 4),
                    sdk: b5 & 8 != 0,
                    ckod: b5 & 4 != 0,
                    ckorp: b5 & 2 != 0,
                    ckorl: b5 & 1 != 0,
                    encryption_mode: EncryptionMode::from_bits(enc),
                    decryption_mode: DecryptionMode::from_bits(dec),
                    algorithm_index: idx,
                    key_format: KeyFormat::from_bits(kf),
                    kad_format: KadFormat::from_bits(kadf),
                    key: Key::from_vec(key),
                    kads,
                }
            },
        )
}

proptest! {
    #[test]
    fn sde_round_trip(s in sde_strategy()) {
        let b = s.to_bytes().unwrap();
        prop_assert_eq!(b.len(), 20 + s.key.len() + s.kads.iter().map(|k| 4 + k.data.len()).sum::<usize>());
        prop_assert_eq!(SetDataEncryption::parse(&b).unwrap(), s);
        // Every truncation is rejected cleanly.
        for n in 0..b.len() {
            prop_assert!(SetDataEncryption::parse(&b[..n]).is_err());
        }
    }
}
