//! Fixtures written from SSC-4 §8.4 (density support data block descriptor, 52 bytes).

use super::*;
use crate::mock::{MockReply, MockTransport, RecordedData};

fn text<const N: usize>(s: &str) -> [u8; N] {
    let mut out = [b' '; N];
    out[..s.len()].copy_from_slice(s.as_bytes());
    out
}

/// One descriptor; flags byte given verbatim.
fn desc(primary: u8, flags: u8, bpmm: u32, tracks: u16, cap: u32, name: &str) -> Vec<u8> {
    let mut d = vec![primary, primary, flags, 0x00, 0x2d]; // codes, flags, DESCRIPTOR LENGTH 2Dh
    d.extend_from_slice(&bpmm.to_be_bytes()[1..]); // 5-7 BITS PER MM
    d.extend_from_slice(&127u16.to_be_bytes()); // 8-9 MEDIA WIDTH (12.7 mm)
    d.extend_from_slice(&tracks.to_be_bytes()); // 10-11 TRACKS
    d.extend_from_slice(&cap.to_be_bytes()); // 12-15 CAPACITY
    d.extend_from_slice(&text::<8>("LTO-CVE")); // 16-23 ASSIGNING ORGANIZATION
    d.extend_from_slice(&text::<8>(name)); // 24-31 DENSITY NAME
    d.extend_from_slice(&text::<20>("Ultrium data")); // 32-51 DESCRIPTION
    assert_eq!(d.len(), 52);
    d
}

fn fixture() -> Vec<u8> {
    let mut body = Vec::new();
    // LTO-9 (60h): WRTOK | DEFLT | DLV.
    body.extend(desc(0x60, 0xa1, 21_000, 8960, 18_000_000, "U-932"));
    // LTO-8 (5Eh): WRTOK | DLV.
    body.extend(desc(0x5e, 0x81, 20_670, 6656, 12_000_000, "U-832"));
    let mut b = ((body.len() + 2) as u16).to_be_bytes().to_vec(); // AVAILABLE ... LENGTH
    b.extend_from_slice(&[0, 0]); // reserved
    b.extend(body);
    b
}

#[test]
fn decodes_descriptors() {
    let d = parse(&fixture()).unwrap();
    assert_eq!(d.available_length, 106);
    assert_eq!(d.descriptors.len(), 2);
    let a = &d.descriptors[0];
    assert_eq!((a.primary_code, a.secondary_code), (0x60, 0x60));
    assert!(a.writable && !a.duplicate && a.default && a.descriptor_length_valid);
    assert_eq!(a.bits_per_mm, 21_000);
    assert_eq!(a.media_width, 127);
    assert_eq!(a.tracks, 8960);
    assert_eq!(a.capacity_mb, 18_000_000);
    assert_eq!(a.assigning_organization, "LTO-CVE");
    assert_eq!(a.density_name, "U-932");
    assert_eq!(a.description, "Ultrium data");
    assert!(!d.descriptors[1].default);
    assert_eq!(d.highest_primary_code(), Some(0x60));
    assert_eq!(d.default_density().map(|x| x.primary_code), Some(0x60));
    assert!(!d.is_truncated(fixture().len()));
}

#[test]
fn prefixes_and_overlong() {
    let f = fixture();
    for n in 0..=f.len() {
        match parse(&f[..n]) {
            Ok(d) => assert_eq!(
                d.descriptors.len(),
                usize::from(n >= 56) + usize::from(n >= 108)
            ),
            Err(_) => assert!(n < 2),
        }
    }
    let mut long = f.clone();
    long.extend_from_slice(&[0x42; 60]); // junk beyond AVAILABLE LENGTH
    assert_eq!(parse(&long).unwrap().descriptors.len(), 2);
    // A length that claims less than present limits the descriptors.
    let mut cut = f.clone();
    cut[0..2].copy_from_slice(&54u16.to_be_bytes());
    assert_eq!(parse(&cut).unwrap().descriptors.len(), 1);
}

#[test]
fn runner_sends_exact_cdb() {
    let mut t =
        MockTransport::with_replies([MockReply::data(fixture()), MockReply::data(fixture())]);
    assert_eq!(report(&mut t, false).unwrap().descriptors.len(), 2);
    report(&mut t, true).unwrap();
    assert_eq!(
        t.commands()[0].cdb,
        [0x44, 0x00, 0, 0, 0, 0, 0, 0x20, 0x00, 0]
    );
    assert_eq!(
        t.commands()[1].cdb,
        [0x44, 0x01, 0, 0, 0, 0, 0, 0x20, 0x00, 0]
    );
    assert_eq!(t.commands()[0].data, RecordedData::FromDevice(8192));
    assert_eq!(t.commands()[0].timeout, TimeoutClass::Config.duration());
    assert_eq!(cdb(false, true, 0x10)[1], 0x02);
}
