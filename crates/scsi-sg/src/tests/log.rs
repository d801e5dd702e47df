//! Fixtures written from SPC-4 §7.3.1 (log page and parameter format), SSC-4 §8.2
//! (TapeAlert pages 12h/2Eh, volume statistics 17h) and `reference/scsi.md` §9.

use super::*;
use crate::mock::{MockReply, MockTransport, RecordedData};
use proptest::prelude::*;

/// Page 12h with flags 03h (hard error) and 14h (cleaning required) set.
const PAGE_12: [u8; 16] = [
    0x12, 0x00, // PAGE CODE 12h, SUBPAGE 0
    0x00, 0x0c, // PAGE LENGTH 12
    0x00, 0x00, // PARAMETER CODE 0000h
    0x03, // control: FORMAT AND LINKING 11b
    0x08, // PARAMETER LENGTH
    0x20, // flags 1-8: flag 3 = bit 5
    0x00, // flags 9-16
    0x10, // flags 17-24: flag 20 (14h) = bit 4
    0x00, 0x00, 0x00, 0x00, 0x00, // flags 25-64
];

#[test]
fn page_12_decodes() {
    let page = parse(&PAGE_12).unwrap();
    assert_eq!(
        (page.page_code, page.subpage, page.page_length),
        (0x12, 0, 12)
    );
    assert!(!page.truncated);
    let f = TapeAlertFlags::from_response_page(&page).unwrap();
    assert_eq!(f.iter().collect::<Vec<_>>(), vec![0x03, 0x14]);
    assert!(f.flag(3) && f.flag(0x14) && !f.flag(1) && !f.flag(0) && !f.flag(65));
    assert_eq!(f.0, 0x2000_1000_0000_0000);
    assert_eq!(f.max_severity(), Some(Severity::Warning));
    assert_eq!(f.to_response_page().build().unwrap(), PAGE_12);
    // Parameter 0 missing, or another page: typed errors.
    assert!(TapeAlertFlags::from_response_page(&parse(&[0x12, 0, 0, 0]).unwrap()).is_err());
    assert!(TapeAlertFlags::from_tape_alert_page(&page).is_err());
}

fn page_2e(set: &[u8]) -> Vec<u8> {
    let mut b = vec![0x2e, 0x00, 0x01, 0x40]; // PAGE CODE 2Eh, PAGE LENGTH 320
    for n in 1u8..=64 {
        // PARAMETER CODE n, control, PARAMETER LENGTH 1, value bit 0 = flag.
        b.extend_from_slice(&[0x00, n, 0x03, 0x01, u8::from(set.contains(&n))]);
    }
    b
}

#[test]
fn page_2e_decodes() {
    let page = parse(&page_2e(&[0x07, 0x37])).unwrap();
    assert_eq!(page.parameters.len(), 64);
    let f = TapeAlertFlags::from_tape_alert_page(&page).unwrap();
    assert_eq!(f.iter().collect::<Vec<_>>(), vec![0x07, 0x37]);
    assert_eq!(f.max_severity(), Some(Severity::Critical));
    assert_eq!(
        f.to_tape_alert_page().build().unwrap(),
        page_2e(&[0x07, 0x37])
    );
    // Only bit 0 counts; parameters beyond 40h are ignored.
    let mut odd = page_2e(&[]);
    odd[8] = 0xfe; // flag 1 value without bit 0
    odd.extend_from_slice(&[0x00, 0x41, 0x03, 0x01, 0x01]);
    odd[3] += 5;
    assert!(TapeAlertFlags::from_tape_alert_page(&parse(&odd).unwrap())
        .unwrap()
        .is_empty());
}

#[test]
fn flag_names_and_severity() {
    assert_eq!(flag_name(0x01), Some("Read warning"));
    assert_eq!(flag_name(0x14), Some("Cleaning required"));
    assert_eq!(flag_name(0x29), Some("Loader stray tape"));
    assert_eq!(flag_name(0x3c), Some("WORM medium - overwrite attempted"));
    assert_eq!(flag_name(0x2f), None);
    assert_eq!(flag_name(0x3d), None);
    assert_eq!(flag_name(0), None);
    assert_eq!(flag_name(255), None);
    assert_eq!(severity(0x04), Severity::Critical);
    assert_eq!(severity(0x34), Severity::Critical);
    assert_eq!(severity(0x13), Severity::Warning);
    assert_eq!(severity(0x15), Severity::Warning);
    assert_eq!(severity(0x01), Severity::Info);
    let mut f = TapeAlertFlags::default();
    f.set(64, true);
    f.set(1, true);
    f.set(0, true);
    assert_eq!(f.0, 0x8000_0000_0000_0001);
    f.set(1, false);
    assert_eq!(f.iter().collect::<Vec<_>>(), vec![64]);
}

/// Volume statistics (values as an LTO-6 reported them through sg_logs).
fn page_17() -> Vec<u8> {
    let mut b = vec![0x17, 0x00, 0x00, 0x00]; // PAGE LENGTH patched below
    b.extend_from_slice(&[0x00, 0x00, 0x03, 0x01, 0x01]); // 0000h page valid = 1
    b.extend_from_slice(&[0x00, 0x01, 0x03, 0x02, 0x00, 0x6b]); // 0001h mounts = 107
    b.extend_from_slice(&[0x00, 0x02, 0x03, 0x04, 0x00, 0x00, 0xef, 0xef]); // 0002h 61423
    b.extend_from_slice(&[0x00, 0x03, 0x03, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 35]); // 9 bytes
    b.extend_from_slice(&[0x00, 0x10, 0x03, 0x08, 0, 0, 0, 0, 0, 0x02, 0x51, 0x20]); // 151840
    b.extend_from_slice(&[0x00, 0x40, 0x01, 0x0c]); // 0040h ASCII, 12 bytes
    b.extend_from_slice(b"MF59TWPPJE  ");
    b.extend_from_slice(&[0x00, 0x42, 0x01, 0x08]); // 0042h barcode
    b.extend_from_slice(b"QIM001L6");
    b.extend_from_slice(&[0x00, 0x81, 0x03, 0x01, 0x00]); // 0081h WORM = 0
    b.extend_from_slice(&[0x01, 0x01, 0x03, 0x04, 0x00, 0x00, 0x06, 0x96]); // BOM 1686
    b.extend_from_slice(&[0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x01, 0x91]); // MOM 401
    b.extend_from_slice(&[0x02, 0x02, 0x03, 0x04, 0x00, 0x00, 0x8f, 0x9c]); // 0202h unknown
    let len = (b.len() - 4) as u16;
    b[2..4].copy_from_slice(&len.to_be_bytes());
    b
}

#[test]
fn volume_statistics_decode() {
    let v = VolumeStatistics::from_page(&parse(&page_17()).unwrap()).unwrap();
    assert!(v.is_valid());
    assert_eq!(v.volume_mounts, Some(107));
    assert_eq!(v.data_sets_written, Some(61_423));
    assert_eq!(v.write_retries, None); // 9-byte counter: not decodable as u64
    assert_eq!(v.lifetime_mb_written, Some(151_840));
    assert_eq!(v.volume_serial, "MF59TWPPJE");
    assert_eq!(v.volume_barcode.as_deref(), Some("QIM001L6"));
    assert_eq!(v.worm, Some(0));
    assert_eq!(v.write_protect, None);
    assert_eq!((v.bom_passes, v.mom_passes), (Some(1686), Some(401)));
    assert_eq!(v.max_passes(), Some(1686));
    assert_eq!(v.other.len(), 1);
    assert_eq!(v.other[0].code, 0x0202);
    assert!((v.wear_out().unwrap() - 1686.0 / 16000.0).abs() < 1e-12);
}

#[test]
fn generic_parser_prefixes_and_overlong() {
    for f in [page_17(), page_2e(&[1]), PAGE_12.to_vec()] {
        let full = parse(&f).unwrap().parameters.len();
        let mut last = 0;
        for n in 0..=f.len() {
            match parse(&f[..n]) {
                Ok(p) => {
                    assert!(p.parameters.len() >= last && p.parameters.len() <= full);
                    assert_eq!(p.truncated, n < f.len());
                    last = p.parameters.len();
                    let _ = VolumeStatistics::from_page(&p);
                    let _ = TapeAlertFlags::from_response_page(&p);
                    let _ = TapeAlertFlags::from_tape_alert_page(&p);
                }
                Err(_) => assert!(n < 4),
            }
        }
        let mut long = f.clone();
        long.extend_from_slice(&[0x00, 0x05, 0x03, 0x01, 0x09]);
        assert_eq!(parse(&long).unwrap(), parse(&f).unwrap());
    }
    // PAGE LENGTH cutting a parameter in half: the half is dropped and flagged.
    let mut cut = PAGE_12.to_vec();
    cut[3] = 6;
    let p = parse(&cut).unwrap();
    assert!(p.parameters.is_empty() && p.truncated);
}

#[test]
fn runners_send_exact_cdbs() {
    let mut t = MockTransport::with_replies([
        MockReply::data(PAGE_12.to_vec()),
        MockReply::data(page_2e(&[])),
        MockReply::data(page_17()),
        MockReply::data(PAGE_12.to_vec()),
    ]);
    assert!(tape_alert(&mut t).unwrap().flag(3));
    assert!(tape_alert_clearing(&mut t).unwrap().is_empty());
    assert_eq!(volume_statistics(&mut t).unwrap().volume_mounts, Some(107));
    sense_with(&mut t, PageControl::Threshold, 0x12, 0x01, 0x0102, 512).unwrap();
    let c = t.commands();
    assert_eq!(
        c[0].cdb,
        [0x4d, 0x00, 0x52, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00]
    );
    assert_eq!(
        c[1].cdb,
        [0x4d, 0x00, 0x6e, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00]
    );
    assert_eq!(
        c[2].cdb,
        [0x4d, 0x00, 0x57, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00]
    );
    assert_eq!(
        c[3].cdb,
        [0x4d, 0x00, 0x12, 0x01, 0x00, 0x01, 0x02, 0x02, 0x00, 0x00]
    );
    assert_eq!(c[0].data, RecordedData::FromDevice(8192));
    assert!(c
        .iter()
        .all(|x| x.timeout == TimeoutClass::Query.duration()));
}

#[test]
fn wrong_page_is_a_parse_error() {
    let mut t = MockTransport::with_replies([MockReply::data(page_17())]);
    assert!(matches!(tape_alert(&mut t), Err(ScsiError::Parse(_))));
}

fn arb_param() -> impl Strategy<Value = LogParameter> {
    (
        any::<u16>(),
        any::<u8>(),
        proptest::collection::vec(any::<u8>(), 0..=32),
    )
        .prop_map(|(c, ctl, v)| LogParameter::new(c, ctl, v))
}

proptest! {
    #[test]
    fn log_page_round_trip(
        code in 0u8..0x40,
        sub in any::<u8>(),
        ds in any::<bool>(),
        params in proptest::collection::vec(arb_param(), 0..20),
    ) {
        let mut page = LogPage::new(code, sub);
        page.ds = ds;
        page.parameters = params;
        let bytes = page.build().unwrap();
        let back = parse(&bytes).unwrap();
        page.page_length = u16::try_from(bytes.len() - 4).unwrap();
        prop_assert_eq!(back, page);
    }

    #[test]
    fn tape_alert_round_trip(bits in any::<u64>()) {
        let f = TapeAlertFlags(bits);
        let p12 = parse(&f.to_response_page().build().unwrap()).unwrap();
        prop_assert_eq!(TapeAlertFlags::from_response_page(&p12).unwrap(), f);
        let p2e = parse(&f.to_tape_alert_page().build().unwrap()).unwrap();
        prop_assert_eq!(TapeAlertFlags::from_tape_alert_page(&p2e).unwrap(), f);
        prop_assert_eq!(f.iter().count(), bits.count_ones() as usize);
    }

    #[test]
    fn parser_never_panics(b in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(p) = parse(&b) {
            let _ = VolumeStatistics::from_page(&p);
            let _ = TapeAlertFlags::from_response_page(&p);
            let _ = TapeAlertFlags::from_tape_alert_page(&p);
        }
    }
}
