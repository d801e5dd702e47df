//! Sense decoding (SPC-4 §4.5, `reference/scsi.md` §7) and completion classification (§8).
//!
//! Byte fixtures are written from the field tables of the reference, not from decoder output.

use proptest::prelude::*;
use scsi_sg::{
    Completion, FieldPointer, ParseError, ScsiError, ScsiStatus, Sense, SenseFormat, SenseKey,
    SenseKeySpecific, SenseKind,
};

/// Fixed format: ILLEGAL REQUEST, 24/00, SKSV + C/D + BPV + bit 3 (CBh), field pointer 0008h.
const FIXED_FIELD_POINTER: [u8; 18] = [
    0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0xCB,
    0x00, 0x08,
];

/// Fixed format: VALID, NO SENSE + FILEMARK, INFORMATION 1, 00/01.
const FIXED_FILEMARK: [u8; 18] = [
    0xF0, 0x00, 0x80, 0x00, 0x00, 0x00, 0x01, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x00,
];

/// Fixed format: VALID, NO SENSE + ILI, INFORMATION FFFFFC00h (= -1024: block 1024 bytes longer).
const FIXED_ILI_NEGATIVE: [u8; 18] = [
    0xF0, 0x00, 0x20, 0xFF, 0xFF, 0xFC, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00,
];

/// Fixed format, deferred (71h): MEDIUM ERROR 0C/00 write error, FRU 07h.
const FIXED_DEFERRED: [u8; 18] = [
    0x71, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x00, 0x07, 0x00,
    0x00, 0x00,
];

/// Descriptor format (72h): NO SENSE 00/01, information descriptor (VALID, -1024) and
/// stream-commands descriptor (FILEMARK + ILI = A0h). Additional length 12 + 4 = 16.
const DESC_STREAM: [u8; 24] = [
    0x72, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x10, // header
    0x00, 0x0A, 0x80, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFC, 0x00, // information
    0x04, 0x02, 0x00, 0xA0, // stream commands
];

/// Descriptor format, deferred (73h): ILLEGAL REQUEST 26/00, vendor descriptor 80h (skipped),
/// sense-key-specific descriptor (parameter list byte 2, no bit), FRU descriptor (05h),
/// command-specific descriptor (0102030405060708h). Additional length 4 + 8 + 4 + 12 = 28.
const DESC_DEFERRED: [u8; 36] = [
    0x73, 0x05, 0x26, 0x00, 0x00, 0x00, 0x00, 0x1C, // header
    0x80, 0x02, 0xAA, 0xBB, // vendor
    0x02, 0x06, 0x00, 0x00, 0x80, 0x00, 0x02, 0x00, // sense-key specific
    0x03, 0x02, 0x00, 0x05, // FRU
    0x01, 0x0A, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, // command-specific
];

#[track_caller]
#[allow(clippy::panic)] // test helper: a fixture that fails to parse fails the test
fn parse(bytes: &[u8]) -> Sense {
    match Sense::parse(bytes) {
        Ok(s) => s,
        Err(e) => panic!("parse {bytes:02X?}: {e}"),
    }
}

#[test]
fn fixed_illegal_request_with_field_pointer() {
    let s = parse(&FIXED_FIELD_POINTER);
    assert_eq!(s.format, SenseFormat::Fixed);
    assert_eq!(s.kind, SenseKind::Current);
    assert!(!s.is_deferred());
    assert_eq!(
        (s.key, s.asc, s.ascq),
        (SenseKey::IllegalRequest, 0x24, 0x00)
    );
    assert_eq!(s.information, None);
    let fp = FieldPointer {
        in_cdb: true,
        bit: Some(3),
        byte: 8,
    };
    assert_eq!(s.key_specific, Some(SenseKeySpecific::Field(fp)));
    assert_eq!(s.field_pointer(), Some(fp));
    assert_eq!(s.description(), Some("Invalid field in CDB"));
    assert_eq!(
        s.to_string(),
        "ILLEGAL REQUEST, 24/00 Invalid field in CDB (field pointer: CDB byte 8 bit 3)"
    );
}

#[test]
fn fixed_filemark_is_information() {
    let s = parse(&FIXED_FILEMARK);
    assert_eq!(s.key, SenseKey::NoSense);
    assert!(s.filemark && !s.eom && !s.ili);
    assert_eq!(s.information, Some(1));
    assert_eq!((s.asc, s.ascq), (0x00, 0x01));
    assert_eq!(
        s.to_string(),
        "NO SENSE, 00/01 Filemark detected, FILEMARK, INFORMATION 1"
    );
}

#[test]
fn fixed_negative_information_is_sign_extended() {
    let s = parse(&FIXED_ILI_NEGATIVE);
    assert!(s.ili && !s.filemark && !s.eom);
    assert_eq!(s.information, Some(-1024));
    assert!(s.to_string().contains("ILI, INFORMATION -1024"), "{s}");
}

#[test]
fn fixed_information_ignored_without_valid() {
    let mut b = FIXED_ILI_NEGATIVE;
    b[0] = 0x70;
    assert_eq!(parse(&b).information, None);
}

#[test]
fn fixed_deferred() {
    let s = parse(&FIXED_DEFERRED);
    assert_eq!(s.kind, SenseKind::Deferred);
    assert!(s.is_deferred());
    assert_eq!(
        (s.key, s.asc, s.ascq, s.fru),
        (SenseKey::MediumError, 0x0C, 0x00, 0x07)
    );
    assert!(
        s.to_string()
            .starts_with("deferred MEDIUM ERROR, 0C/00 Write error"),
        "{s}"
    );
}

#[test]
fn fixed_command_specific_bytes_8_to_11() {
    let mut b = FIXED_FILEMARK;
    b[8..12].copy_from_slice(&[0x12, 0x34, 0x56, 0x78]);
    assert_eq!(parse(&b).command_specific, Some(0x1234_5678));
}

#[test]
fn fixed_sense_key_specific_by_key() {
    // NOT READY 04/01 becoming ready, progress 8000h (half way).
    let mut b = [0u8; 18];
    b[..8].copy_from_slice(&[0x70, 0, 0x02, 0, 0, 0, 0, 0x0A]);
    b[12..18].copy_from_slice(&[0x04, 0x01, 0x00, 0x80, 0x80, 0x00]);
    let s = parse(&b);
    assert_eq!(s.key_specific, Some(SenseKeySpecific::Progress(0x8000)));
    assert!(s.to_string().ends_with("(progress: 50%)"), "{s}");
    // MEDIUM ERROR: actual retry count.
    b[2] = 0x03;
    b[16..18].copy_from_slice(&[0x00, 0x05]);
    assert_eq!(
        parse(&b).key_specific,
        Some(SenseKeySpecific::RetryCount(5))
    );
    // UNIT ATTENTION: raw bytes, SKSV cleared.
    b[2] = 0x06;
    b[15] = 0x81;
    assert_eq!(
        parse(&b).key_specific,
        Some(SenseKeySpecific::Raw([0x01, 0x00, 0x05]))
    );
    // SKSV clear: nothing.
    b[15] = 0x01;
    assert_eq!(parse(&b).key_specific, None);
}

#[test]
fn fixed_field_pointer_in_parameter_list_without_bit() {
    let mut b = FIXED_FIELD_POINTER;
    b[12] = 0x26;
    b[15] = 0x80; // SKSV only: parameter list, no bit pointer
    b[16..18].copy_from_slice(&[0x01, 0x02]);
    let s = parse(&b);
    assert_eq!(
        s.field_pointer(),
        Some(FieldPointer {
            in_cdb: false,
            bit: None,
            byte: 0x0102
        })
    );
    assert!(
        s.to_string()
            .ends_with("(field pointer: parameter list byte 258)"),
        "{s}"
    );
}

#[test]
fn fixed_fields_beyond_additional_length_are_not_decoded() {
    let mut b = FIXED_FIELD_POINTER;
    b[7] = 0x04; // covers bytes 8-11 only
    let s = parse(&b);
    assert_eq!((s.asc, s.ascq, s.key_specific), (0, 0, None));
    b[7] = 0x05; // covers byte 12 (ASC), not 13
    b[13] = 0x01;
    assert_eq!((parse(&b).asc, parse(&b).ascq), (0x24, 0x00));
}

#[test]
fn descriptor_information_and_stream_commands() {
    let s = parse(&DESC_STREAM);
    assert_eq!(s.format, SenseFormat::Descriptor);
    assert_eq!(s.kind, SenseKind::Current);
    assert_eq!((s.key, s.asc, s.ascq), (SenseKey::NoSense, 0x00, 0x01));
    assert_eq!(s.information, Some(-1024));
    assert!(s.filemark && s.ili && !s.eom);
}

#[test]
fn descriptor_information_without_valid_is_absent() {
    let mut b = DESC_STREAM;
    b[10] = 0x00;
    assert_eq!(parse(&b).information, None);
}

#[test]
fn descriptor_deferred_skips_unknown_and_reads_the_rest() {
    let s = parse(&DESC_DEFERRED);
    assert_eq!(s.kind, SenseKind::Deferred);
    assert_eq!(
        (s.key, s.asc, s.ascq),
        (SenseKey::IllegalRequest, 0x26, 0x00)
    );
    assert_eq!(
        s.field_pointer(),
        Some(FieldPointer {
            in_cdb: false,
            bit: None,
            byte: 2
        })
    );
    assert_eq!(s.fru, 0x05);
    assert_eq!(s.command_specific, Some(0x0102_0304_0506_0708));
}

#[test]
fn descriptor_block_commands_ili() {
    let b = [
        0x72, 0x00, 0x00, 0x00, 0, 0, 0, 0x04, 0x05, 0x02, 0x00, 0x20,
    ];
    assert!(parse(&b).ili);
}

#[test]
fn descriptor_running_past_the_end_stops_the_walk() {
    // Stream descriptor claims 10 bytes, only 2 follow; the information descriptor before it
    // is kept.
    let mut b = DESC_STREAM.to_vec();
    b[21] = 0x0A;
    let s = parse(&b);
    assert_eq!(s.information, Some(-1024));
    assert!(!s.filemark && !s.ili);
    // Additional length that cuts the stream descriptor off.
    let mut b = DESC_STREAM;
    b[7] = 0x0E;
    let s = parse(&b);
    assert_eq!(s.information, Some(-1024));
    assert!(!s.filemark);
}

#[test]
fn response_codes_and_minimum_lengths() {
    assert!(matches!(
        Sense::parse(&[]),
        Err(ParseError::Short { got: 0, .. })
    ));
    assert!(matches!(
        Sense::parse(&[0x70, 0x00]),
        Err(ParseError::Short { .. })
    ));
    assert!(matches!(
        Sense::parse(&[0x72]),
        Err(ParseError::Short { .. })
    ));
    for code in [0x00u8, 0x7F, 0xFF, 0x74, 0x6F] {
        let mut b = FIXED_FILEMARK;
        b[0] = code;
        assert!(
            matches!(Sense::parse(&b), Err(ParseError::Invalid { .. })),
            "{code:02X}"
        );
    }
    // Minimum buffers decode the key; ASC reads as 0.
    let s = parse(&[0x70, 0x00, 0x06]);
    assert_eq!((s.key, s.asc, s.ascq), (SenseKey::UnitAttention, 0, 0));
    let s = parse(&[0x72, 0x06]);
    assert_eq!(
        (s.key, s.asc, s.format),
        (SenseKey::UnitAttention, 0, SenseFormat::Descriptor)
    );
    // VALID bit does not change the response code.
    assert_eq!(parse(&[0xF1, 0x00, 0x03]).kind, SenseKind::Deferred);
}

#[test]
fn every_prefix_parses_or_errors_without_panic() {
    let fixtures: [&[u8]; 6] = [
        &FIXED_FIELD_POINTER,
        &FIXED_FILEMARK,
        &FIXED_ILI_NEGATIVE,
        &FIXED_DEFERRED,
        &DESC_STREAM,
        &DESC_DEFERRED,
    ];
    for full in fixtures {
        let min = if full[0] & 0x7f < 0x72 { 3 } else { 2 };
        for n in 0..=full.len() {
            let res = Sense::parse(&full[..n]);
            assert_eq!(res.is_ok(), n >= min, "prefix {n} of {full:02X?}: {res:?}");
        }
    }
    // Fixed: ASC appears only when byte 12 was received.
    assert_eq!(parse(&FIXED_FIELD_POINTER[..12]).asc, 0);
    assert_eq!(parse(&FIXED_FIELD_POINTER[..13]).asc, 0x24);
    assert_eq!(parse(&FIXED_FIELD_POINTER[..17]).key_specific, None);
    // Fixed: INFORMATION needs all of bytes 3-6.
    assert_eq!(parse(&FIXED_ILI_NEGATIVE[..6]).information, None);
    assert_eq!(parse(&FIXED_ILI_NEGATIVE[..7]).information, Some(-1024));
}

#[test]
fn long_sense_with_vendor_bytes() {
    // 96 bytes as an LTO drive may return, additional length 58h: bytes past 17 are vendor.
    let mut b = vec![0u8; 96];
    b[..18].copy_from_slice(&FIXED_FIELD_POINTER);
    b[7] = 0x58;
    b[18..].fill(0xEE);
    assert_eq!(parse(&b), parse(&FIXED_FIELD_POINTER));
}

#[test]
fn sense_key_names() {
    let names = [
        "NO SENSE",
        "RECOVERED ERROR",
        "NOT READY",
        "MEDIUM ERROR",
        "HARDWARE ERROR",
        "ILLEGAL REQUEST",
        "UNIT ATTENTION",
        "DATA PROTECT",
        "BLANK CHECK",
        "VENDOR SPECIFIC",
        "COPY ABORTED",
        "ABORTED COMMAND",
        "OBSOLETE",
        "VOLUME OVERFLOW",
        "MISCOMPARE",
        "COMPLETED",
    ];
    for (code, name) in (0u8..).zip(names) {
        let key = SenseKey::from_u8(code);
        assert_eq!(key.to_string(), name);
        assert_eq!(key.code(), code);
        assert_eq!(SenseKey::from_u8(code | 0xF0), key);
    }
}

#[test]
fn builder_writes_the_fixed_layout() {
    let s = Sense::new(SenseKey::IllegalRequest, 0x24, 0x00).with_field_pointer(FieldPointer {
        in_cdb: true,
        bit: Some(3),
        byte: 8,
    });
    assert_eq!(s.to_fixed_bytes(), FIXED_FIELD_POINTER);
    let s = Sense::new(SenseKey::NoSense, 0, 0)
        .with_ili(true)
        .with_information(-1024);
    assert_eq!(s.to_fixed_bytes(), FIXED_ILI_NEGATIVE);
    let s = Sense::new(SenseKey::MediumError, 0x0C, 0)
        .with_fru(7)
        .with_kind(SenseKind::Deferred);
    assert_eq!(s.to_fixed_bytes(), FIXED_DEFERRED);
    // INFORMATION that does not fit 32 bits: VALID = 0.
    let s = Sense::new(SenseKey::NoSense, 0, 0).with_information(1 << 40);
    assert_eq!(s.to_fixed_bytes()[0], 0x70);
}

fn key_specific_for(key: SenseKey) -> impl Strategy<Value = Option<SenseKeySpecific>> {
    let field = (any::<bool>(), proptest::option::of(0u8..8), any::<u16>()).prop_map(
        |(in_cdb, bit, byte)| SenseKeySpecific::Field(FieldPointer { in_cdb, bit, byte }),
    );
    let value = any::<u16>();
    let inner: BoxedStrategy<SenseKeySpecific> = match key {
        SenseKey::IllegalRequest => field.boxed(),
        SenseKey::NotReady | SenseKey::NoSense => {
            value.prop_map(SenseKeySpecific::Progress).boxed()
        }
        SenseKey::RecoveredError | SenseKey::MediumError | SenseKey::HardwareError => {
            value.prop_map(SenseKeySpecific::RetryCount).boxed()
        }
        _ => (0u8..0x80, any::<u8>(), any::<u8>())
            .prop_map(|(a, b, c)| SenseKeySpecific::Raw([a, b, c]))
            .boxed(),
    };
    proptest::option::of(inner)
}

fn fixed_sense() -> impl Strategy<Value = Sense> {
    (0u8..16).prop_flat_map(|code| {
        let key = SenseKey::from_u8(code);
        (
            (
                any::<u8>(),
                any::<u8>(),
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
            ),
            (
                proptest::option::of(any::<i32>()),
                proptest::option::of(1u32..),
            ),
            (any::<u8>(), any::<bool>(), key_specific_for(key)),
        )
            .prop_map(
                move |((asc, ascq, fm, eom, ili), (info, cmd), (fru, deferred, sks))| {
                    let mut s = Sense::new(key, asc, ascq)
                        .with_filemark(fm)
                        .with_eom(eom)
                        .with_ili(ili)
                        .with_fru(fru);
                    if deferred {
                        s = s.with_kind(SenseKind::Deferred);
                    }
                    if let Some(i) = info {
                        s = s.with_information(i64::from(i));
                    }
                    if let Some(c) = cmd {
                        s = s.with_command_specific(u64::from(c));
                    }
                    if let Some(k) = sks {
                        s = s.with_key_specific(k);
                    }
                    s
                },
            )
    })
}

proptest! {
    #[test]
    fn fixed_round_trip(s in fixed_sense()) {
        let bytes = s.to_fixed_bytes();
        prop_assert_eq!(bytes.len(), 18);
        prop_assert_eq!(bytes[7], 10);
        prop_assert_eq!(Sense::parse(&bytes), Ok(s));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = Sense::parse(&bytes);
    }

    #[test]
    fn arbitrary_descriptor_bodies_never_panic(
        code in 0x72u8..=0x73,
        body in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut b = vec![code];
        b.extend(body);
        let s = Sense::parse(&b);
        prop_assert!(s.is_ok() == (b.len() >= 2));
        if let Ok(s) = s {
            let _ = s.to_string();
        }
    }
}

// ---- Completion::check (reference/scsi.md §8 rules) ----

fn completion(status: u8, host: u16, driver: u16, sense: &[u8]) -> Completion {
    Completion {
        status: ScsiStatus(status),
        host_status: host,
        driver_status: driver,
        sense: Sense::parse(sense).ok(),
        sense_bytes: sense.to_vec(),
        residual: 0,
    }
}

#[test]
fn check_good() {
    let info = Completion::good().check().expect("GOOD is success");
    assert_eq!(info.sense, None);
    assert_eq!(info.residual, 0);
}

#[test]
fn check_no_sense_filemark_is_ok_with_information() {
    let mut c = completion(0x02, 0, 0x08, &FIXED_FILEMARK);
    c.residual = 512;
    let info = c.check().expect("NO SENSE + FILEMARK is information");
    let s = info.sense.expect("sense kept");
    assert!(s.filemark);
    assert_eq!(info.residual, 512);
}

#[test]
fn check_recovered_error_eom_is_ok() {
    // RECOVERED ERROR + EOM at early warning, 00/02.
    let mut b = FIXED_FILEMARK;
    b[2] = 0x41;
    b[13] = 0x02;
    assert!(completion(0x02, 0, 0x08, &b).check().is_ok());
}

#[test]
fn check_medium_error() {
    let mut b = FIXED_DEFERRED;
    b[0] = 0x70;
    let err = completion(0x02, 0, 0x08, &b)
        .check()
        .expect_err("MEDIUM ERROR fails");
    assert!(
        matches!(err, ScsiError::MediumError(ref s) if s.asc == 0x0C),
        "{err:?}"
    );
}

#[test]
fn check_illegal_request_carries_field_pointer() {
    let err = completion(0x02, 0, 0, &FIXED_FIELD_POINTER)
        .check()
        .expect_err("fails");
    match err {
        ScsiError::IllegalRequest { field, sense } => {
            assert_eq!(
                field,
                Some(FieldPointer {
                    in_cdb: true,
                    bit: Some(3),
                    byte: 8
                })
            );
            assert_eq!(sense.asc, 0x24);
        }
        other => panic!("expected IllegalRequest, got {other:?}"),
    }
}

#[test]
fn check_timeouts() {
    // DID_TIME_OUT = 03h; DRIVER_TIMEOUT = 6 in the low nibble.
    assert!(matches!(
        completion(0, 0x03, 0, &[]).check(),
        Err(ScsiError::Timeout)
    ));
    assert!(matches!(
        completion(0, 0, 0x06, &[]).check(),
        Err(ScsiError::Timeout)
    ));
}

#[test]
fn check_driver_sense_with_good_status_is_ok() {
    assert!(completion(0x00, 0, 0x08, &[]).check().is_ok());
}

#[test]
fn check_transport_and_status_errors() {
    assert!(matches!(
        completion(0, 0x01, 0, &[]).check(),
        Err(ScsiError::Transport {
            host_status: 0x01,
            ..
        })
    ));
    assert!(matches!(
        completion(0, 0, 0x04, &[]).check(),
        Err(ScsiError::Transport { .. })
    ));
    assert!(matches!(
        completion(0x02, 0, 0, &[]).check(),
        Err(ScsiError::NoSense)
    ));
    assert!(matches!(
        completion(0x08, 0, 0, &[]).check(),
        Err(ScsiError::Busy)
    ));
    assert!(matches!(
        completion(0x28, 0, 0, &[]).check(),
        Err(ScsiError::Busy)
    ));
    assert!(matches!(
        completion(0x18, 0, 0, &[]).check(),
        Err(ScsiError::ReservationConflict)
    ));
    assert!(matches!(
        completion(0x40, 0, 0, &[]).check(),
        Err(ScsiError::Status(0x40))
    ));
}
