//! Encodings checked against `reference/mt-st.md` §4 (verified mt-st 1.7 encodings) and the
//! constants of `<linux/mtio.h>` (`reference/st-driver.md` §6).

use super::*;
use proptest::prelude::*;

/// `mt_count` from the hex value written in the reference.
fn c(raw: u32) -> i32 {
    i32::from_ne_bytes(raw.to_ne_bytes())
}

#[test]
fn verified_mt_st_encodings() {
    // mt-st.md §4: `defblksize -1` → 0x5fffffff, `sttimeout 900` → 0x70000384,
    // `stoptions buffer-writes can-bsr` → 0x10000101.
    assert_eq!(DrvBufferRequest::DefBlockSize(None).count(), 0x5fff_ffff);
    assert_eq!(DrvBufferRequest::Timeout(900).count(), 0x7000_0384);
    let bits = DriverOptions::BUFFER_WRITES | DriverOptions::CAN_BSR;
    assert_eq!(DrvBufferRequest::SetBooleans(bits).count(), 0x1000_0101);
}

#[test]
fn group_codes_of_the_table() {
    use DrvBufferRequest as R;
    // st-driver.md §6 / mt-st.md §4: code | value.
    assert_eq!(R::BufferMode(1).count(), 1);
    assert_eq!(R::WriteThreshold(64).count(), 0x2000_0040);
    assert_eq!(R::SetBits(DriverOptions::SILI).count(), 0x3000_4000);
    assert_eq!(R::ClearBits(DriverOptions::TWO_FM).count(), 0x4000_0010);
    assert_eq!(R::DefBlockSize(Some(262_144)).count(), 0x5004_0000);
    assert_eq!(R::DefDensity(Some(0x58)).count(), 0x6010_0058);
    assert_eq!(R::DefCompression(Some(1)).count(), 0x6020_0001);
    assert_eq!(R::DefDrvBuffer(Some(1)).count(), 0x6030_0001);
    // Clearing the 20-bit defaults: MT_ST_CLEAR_DEFAULT (0xfffff).
    assert_eq!(R::DefDensity(None).count(), 0x601f_ffff);
    assert_eq!(R::DefCompression(None).count(), 0x602f_ffff);
    assert_eq!(R::DefDrvBuffer(None).count(), 0x603f_ffff);
    // st's default long timeout is 14000 s (st-driver.md §6).
    assert_eq!(R::LongTimeout(14_000).count(), 0x7010_36b0);
    assert_eq!(R::SetCleaning(0x0001_0a0e).count(), c(0x8001_0a0e));
}

#[test]
fn values_are_masked_like_mt_st() {
    use DrvBufferRequest as R;
    // mt-st masks with 0xfffffff, 0xfffff (density/compression/drvbuffer defaults) and
    // 0x7ffffff (timeouts); `-1` as an unsigned argument shows the mask.
    assert_eq!(R::BufferMode(u32::MAX).count(), 0x0fff_ffff);
    assert_eq!(R::DefDensity(Some(u32::MAX)).count(), 0x601f_ffff);
    assert_eq!(R::Timeout(u32::MAX).count(), 0x77ff_ffff);
    assert_eq!(R::SetCleaning(u32::MAX).count(), c(0x8fff_ffff));
}

#[test]
fn decode_known_and_unknown_counts() {
    use DrvBufferRequest as R;
    assert_eq!(R::decode(0x5fff_ffff), Some(R::DefBlockSize(None)));
    assert_eq!(R::decode(0x7000_0384), Some(R::Timeout(900)));
    assert_eq!(R::decode(0x7010_36b0), Some(R::LongTimeout(14_000)));
    assert_eq!(R::decode(0x601f_ffff), Some(R::DefDensity(None)));
    assert_eq!(R::decode(0x1000_0101), Some(R::SetBooleans(0x101)));
    assert_eq!(R::decode(3), Some(R::BufferMode(3)));
    // 0x9…-0xf… are no group; 0x604… is no default; bit 27 is outside mt-st's timeout mask.
    assert_eq!(R::decode(c(0x9000_0000)), None);
    assert_eq!(R::decode(c(0xf000_0001)), None);
    assert_eq!(R::decode(0x6040_0000), None);
    assert_eq!(R::decode(0x7800_0000), None);
}

#[test]
fn fits_flags_the_lossy_cases() {
    use DrvBufferRequest as R;
    assert!(R::Timeout(900).fits());
    assert!(!R::Timeout(0x10_0000).fits());
    assert!(!R::DefDensity(Some(MT_ST_CLEAR_DEFAULT)).fits());
    assert!(!R::DefBlockSize(Some(0x0fff_ffff)).fits());
    assert!(!R::SetBits(0x1000_0000).fits());
}

#[test]
fn option_names_follow_bits() {
    let o = DriverOptions(DriverOptions::BUFFER_WRITES | DriverOptions::CAN_BSR);
    assert_eq!(o.names().collect::<Vec<_>>(), ["buffer-writes", "can-bsr"]);
    // The 16 bits of st-driver.md §6 are distinct and cover 0x1..=0x8000.
    let all = DriverOptions::NAMES.iter().fold(0, |acc, (b, _)| acc | b);
    assert_eq!(all, 0xffff);
}

fn any_request() -> impl Strategy<Value = DrvBufferRequest> {
    use DrvBufferRequest as R;
    let opt = || proptest::option::of(any::<u32>());
    prop_oneof![
        any::<u32>().prop_map(R::BufferMode),
        any::<u32>().prop_map(R::SetBooleans),
        any::<u32>().prop_map(R::WriteThreshold),
        any::<u32>().prop_map(R::SetBits),
        any::<u32>().prop_map(R::ClearBits),
        opt().prop_map(R::DefBlockSize),
        opt().prop_map(R::DefDensity),
        opt().prop_map(R::DefCompression),
        opt().prop_map(R::DefDrvBuffer),
        any::<u32>().prop_map(R::Timeout),
        any::<u32>().prop_map(R::LongTimeout),
        any::<u32>().prop_map(R::SetCleaning),
    ]
}

fn fitting_request() -> impl Strategy<Value = DrvBufferRequest> {
    use DrvBufferRequest as R;
    let wide = 0..0x0fff_ffffu32;
    let narrow = || proptest::option::of(0..0x000f_ffffu32);
    prop_oneof![
        wide.clone().prop_map(R::BufferMode),
        wide.clone().prop_map(R::SetBooleans),
        wide.clone().prop_map(R::SetBits),
        wide.clone().prop_map(R::ClearBits),
        proptest::option::of(wide.clone()).prop_map(R::DefBlockSize),
        narrow().prop_map(R::DefDensity),
        narrow().prop_map(R::DefCompression),
        narrow().prop_map(R::DefDrvBuffer),
        (0..0x000f_ffffu32).prop_map(R::Timeout),
        (0..0x000f_ffffu32).prop_map(R::LongTimeout),
        wide.prop_map(R::SetCleaning),
    ]
}

proptest! {
    #[test]
    fn fitting_requests_round_trip(r in fitting_request()) {
        prop_assert!(r.fits());
        prop_assert_eq!(DrvBufferRequest::decode(r.count()), Some(r));
    }

    #[test]
    fn any_request_round_trips_iff_it_fits(r in any_request()) {
        prop_assert_eq!(DrvBufferRequest::decode(r.count()) == Some(r), r.fits());
    }

    #[test]
    fn decode_inverts_count(count in any::<i32>()) {
        if let Some(r) = DrvBufferRequest::decode(count) {
            prop_assert_eq!(r.count(), count);
            prop_assert!(r.fits());
        }
    }
}
