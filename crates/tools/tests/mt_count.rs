//! The count parser of `mt` (reference `mt-st.md` §3: C `strtol(s, 0)` with k/M/G units,
//! "illegal count unit" / "repeat count too large" exit 3, "negative repeat count" exit 1).

use proptest::prelude::*;
use tapekit_tools::mt::count::{parse_count, repeat_count, strtol, CountError};

#[test]
fn reference_examples() {
    // mt-st.md §4 "Verified encodings": `weof 2k` → count 2048.
    assert_eq!(parse_count("2k"), Ok(2048));
    assert_eq!(parse_count("3"), Ok(3));
    assert_eq!(parse_count("0x10"), Ok(16));
    assert_eq!(parse_count("010"), Ok(8));
    assert_eq!(parse_count("1M"), Ok(1 << 20));
    assert_eq!(parse_count("1G"), Ok(1 << 30));
    assert_eq!(parse_count("-100"), Ok(-100));
    assert_eq!(parse_count("1x"), Err(CountError::IllegalUnit));
    assert_eq!(parse_count("08"), Err(CountError::IllegalUnit));
    assert_eq!(parse_count("0x"), Err(CountError::IllegalUnit));
    assert_eq!(parse_count("5 "), Err(CountError::IllegalUnit));
    assert_eq!(parse_count("1K"), Err(CountError::IllegalUnit));
}

#[test]
fn mt_st_quirks_kept() {
    // No digits: strtol converts nothing and mt-st sends 0 without looking at the rest.
    assert_eq!(parse_count("abc"), Ok(0));
    assert_eq!(parse_count("k"), Ok(0));
    assert_eq!(parse_count(""), Ok(0));
    // Only the character after the digits is the unit.
    assert_eq!(parse_count("1kx"), Ok(1024));
    assert_eq!(parse_count(" 7"), Ok(7));
}

#[test]
fn range_limits() {
    // INT_MAX / unit is the largest magnitude (mt-st's abs(count) > INT_MAX / multiplier).
    assert_eq!(parse_count("2047M"), Ok(2047 << 20));
    assert_eq!(parse_count("2048M"), Err(CountError::TooLarge));
    assert_eq!(parse_count("1G"), Ok(1 << 30));
    assert_eq!(parse_count("2G"), Err(CountError::TooLarge));
    assert_eq!(parse_count("2097151k"), Ok(2_097_151 * 1024));
    assert_eq!(parse_count("2097152k"), Err(CountError::TooLarge));
    assert_eq!(parse_count("-2097152k"), Err(CountError::TooLarge));
    assert_eq!(parse_count("2147483647"), Ok(i64::from(i32::MAX)));
    assert_eq!(parse_count("-2147483647"), Ok(-i64::from(i32::MAX)));
    // Documented difference: mt-st wraps these through a C int; we refuse them.
    assert_eq!(parse_count("2147483648"), Err(CountError::TooLarge));
    assert_eq!(parse_count("4294967297"), Err(CountError::TooLarge));
    assert_eq!(
        parse_count("99999999999999999999999"),
        Err(CountError::TooLarge)
    );
}

#[test]
fn sign_check_and_messages() {
    assert_eq!(repeat_count(None, false), Ok(1));
    assert_eq!(repeat_count(Some("0"), false), Ok(0));
    assert_eq!(repeat_count(Some("-1"), false), Err(CountError::Negative));
    assert_eq!(repeat_count(Some("-2k"), false), Err(CountError::Negative));
    assert_eq!(repeat_count(Some("-100"), true), Ok(-100));
    assert_eq!(CountError::IllegalUnit.message(), "mt: illegal count unit.");
    assert_eq!(
        CountError::TooLarge.message(),
        "mt: repeat count too large."
    );
    assert_eq!(CountError::Negative.message(), "mt: negative repeat count");
    assert_eq!(CountError::IllegalUnit.exit_code(), 3);
    assert_eq!(CountError::TooLarge.exit_code(), 3);
    assert_eq!(CountError::Negative.exit_code(), 1);
}

fn c_format(v: i32, radix: u8) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let m = v.unsigned_abs();
    match radix {
        16 => format!("{sign}0x{m:x}"),
        8 => format!("{sign}0{m:o}"),
        _ => format!("{sign}{m}"),
    }
}

proptest! {
    #[test]
    fn any_i32_round_trips(v in any::<i32>(), radix in prop::sample::select(vec![8u8, 10, 16])) {
        let text = c_format(v, radix);
        let expected = i64::from(v);
        if expected.unsigned_abs() <= i32::MAX.unsigned_abs().into() {
            prop_assert_eq!(parse_count(&text), Ok(expected));
        } else {
            // i32::MIN: |n| > INT_MAX, too large as in mt-st's abs() test.
            prop_assert_eq!(parse_count(&text), Err(CountError::TooLarge));
        }
        prop_assert_eq!(strtol(&text).value, expected);
    }

    #[test]
    fn suffixes_multiply(n in -5000i64..5000, unit in prop::sample::select(vec![('k', 10u32), ('M', 20), ('G', 30)])) {
        let (suffix, shift) = unit;
        let text = format!("{n}{suffix}");
        let max = i64::from(i32::MAX) >> shift;
        let expected = if n.abs() > max { Err(CountError::TooLarge) } else { Ok(n << shift) };
        prop_assert_eq!(parse_count(&text), expected);
    }

    #[test]
    fn other_units_are_illegal(n in 0u32..1000, unit in "[a-zA-Z%./]") {
        let text = format!("{n}{unit}");
        let c = unit.chars().next().unwrap_or('x');
        if !matches!(c, 'k' | 'M' | 'G') {
            prop_assert_eq!(parse_count(&text), Err(CountError::IllegalUnit));
        }
    }

    #[test]
    fn never_panics_and_stays_in_int_range(s in ".{0,40}") {
        if let Ok(v) = parse_count(&s) {
            prop_assert!(i32::try_from(v).is_ok());
        }
    }

    #[test]
    fn overflow_detected(n in (i64::from(i32::MAX) + 1)..i64::MAX) {
        prop_assert_eq!(parse_count(&n.to_string()), Err(CountError::TooLarge));
        prop_assert_eq!(parse_count(&format!("-{n}")), Err(CountError::TooLarge));
    }
}
