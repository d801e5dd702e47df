//! Size arguments of the tools (`64M`, `1.5T`, `2500G`, `1TB`): a pure parser.
//!
//! Grammar: `DIGITS [ "." DIGITS ] [ SUFFIX ]`, nothing else (no sign, no spaces, no `_`).
//! Suffixes are matched without regard to case:
//!
//! | suffix | factor |
//! |---|---|
//! | none, `B` | 1 |
//! | `K`, `KiB` | 1024 |
//! | `M`, `MiB` | 1024² |
//! | `G`, `GiB` | 1024³ |
//! | `T`, `TiB` | 1024⁴ |
//! | `KB` | 1000 |
//! | `MB` | 1000² |
//! | `GB` | 1000³ |
//! | `TB` | 1000⁴ |
//!
//! A single letter is binary, as in `dd`, `mbuffer` and `mt` counts; the two-letter SI forms
//! are decimal, as in tape capacities ("LTO-9: 18 TB"). A fraction is multiplied exactly and
//! the result rounded down to whole bytes (`1.5K` = 1536, `0.1K` = 102). At most
//! [`MAX_FRACTION_DIGITS`] digits after the point. A value above `u64::MAX` is an error.
//!
//! ```
//! use tapekit_tools::size::parse_size;
//! assert_eq!(parse_size("64M"), Ok(64 << 20));
//! assert_eq!(parse_size("1.5T"), Ok(3 << 39));
//! assert_eq!(parse_size("2500GB"), Ok(2_500_000_000_000));
//! ```

use std::fmt;

/// Most digits accepted after the decimal point (keeps the arithmetic exact in `u128`).
pub const MAX_FRACTION_DIGITS: usize = 18;

/// Why a size argument was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SizeError {
    /// The argument is empty.
    Empty,
    /// The argument does not start with a decimal number, or the number is malformed
    /// (`"x"`, `"1."`, `".5"`, `"-1"`).
    InvalidNumber,
    /// More than [`MAX_FRACTION_DIGITS`] digits after the decimal point.
    TooPrecise,
    /// The text after the number is not one of the suffixes in the module table.
    UnknownSuffix(String),
    /// The size does not fit in 64 bits.
    Overflow,
}

impl fmt::Display for SizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SizeError::Empty => f.write_str("empty size"),
            SizeError::InvalidNumber => f.write_str("invalid number"),
            SizeError::TooPrecise => write!(
                f,
                "too many digits after the decimal point (at most {MAX_FRACTION_DIGITS})"
            ),
            SizeError::UnknownSuffix(s) => write!(
                f,
                "unknown size suffix '{s}' (use K, M, G, T, KiB..TiB for 1024^n or KB..TB for 1000^n)"
            ),
            SizeError::Overflow => f.write_str("size too large"),
        }
    }
}

impl std::error::Error for SizeError {}

/// The factor of a suffix (case-insensitive), or `None` if unknown.
fn suffix_factor(suffix: &str) -> Option<u64> {
    const KI: u64 = 1024;
    const K: u64 = 1000;
    let factor = match suffix.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => KI,
        "m" | "mib" => KI.pow(2),
        "g" | "gib" => KI.pow(3),
        "t" | "tib" => KI.pow(4),
        "kb" => K,
        "mb" => K.pow(2),
        "gb" => K.pow(3),
        "tb" => K.pow(4),
        _ => return None,
    };
    Some(factor)
}

/// Parses a size argument into bytes; see the module docs for the accepted forms.
pub fn parse_size(text: &str) -> Result<u64, SizeError> {
    if text.is_empty() {
        return Err(SizeError::Empty);
    }
    let int_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (int_digits, rest) = text.split_at(int_end);
    if int_digits.is_empty() {
        return Err(SizeError::InvalidNumber);
    }
    let (frac_digits, suffix) = match rest.strip_prefix('.') {
        Some(after) => {
            let end = after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len());
            let (digits, suffix) = after.split_at(end);
            if digits.is_empty() {
                return Err(SizeError::InvalidNumber);
            }
            (digits, suffix)
        }
        None => ("", rest),
    };
    if frac_digits.len() > MAX_FRACTION_DIGITS {
        return Err(SizeError::TooPrecise);
    }
    let factor = u128::from(
        suffix_factor(suffix).ok_or_else(|| SizeError::UnknownSuffix(suffix.to_owned()))?,
    );
    let int: u64 = int_digits.parse().map_err(|_| SizeError::Overflow)?;
    let whole = u128::from(int)
        .checked_mul(factor)
        .ok_or(SizeError::Overflow)?;
    let part = if frac_digits.is_empty() {
        0
    } else {
        // ≤ 18 digits: < 10^18 < 2^60, times a factor < 2^41 fits in u128.
        let frac: u128 = frac_digits.parse().map_err(|_| SizeError::InvalidNumber)?;
        let scale = 10u128.pow(frac_digits.len() as u32);
        frac * factor / scale
    };
    let total = whole.checked_add(part).ok_or(SizeError::Overflow)?;
    u64::try_from(total).map_err(|_| SizeError::Overflow)
}

/// Formats a duration in seconds for progress displays: `H:MM:SS` (`3725.4` → `1:02:05`);
/// negative or non-finite values show as `0:00:00`.
pub fn format_hms(secs: f64) -> String {
    let s = if secs.is_finite() {
        secs.max(0.0) as u64
    } else {
        0
    };
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Formats a byte count for people: `"17.5 GiB"` (binary units, one decimal), or `"512 B"`.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = UNITS[0];
    for next in UNITS.iter().skip(1) {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    format!("{value:.1} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_and_binary() {
        assert_eq!(parse_size("0"), Ok(0));
        assert_eq!(parse_size("17"), Ok(17));
        assert_eq!(parse_size("17B"), Ok(17));
        assert_eq!(parse_size("1K"), Ok(1024));
        assert_eq!(parse_size("1k"), Ok(1024));
        assert_eq!(parse_size("64M"), Ok(64 * 1024 * 1024));
        assert_eq!(parse_size("64MiB"), Ok(64 * 1024 * 1024));
        assert_eq!(parse_size("64mib"), Ok(64 * 1024 * 1024));
        assert_eq!(parse_size("3G"), Ok(3 * 1024 * 1024 * 1024));
        assert_eq!(parse_size("2T"), Ok(2 * 1024u64.pow(4)));
        assert_eq!(parse_size("2TiB"), Ok(2 * 1024u64.pow(4)));
    }

    #[test]
    fn decimal_suffixes() {
        assert_eq!(parse_size("1KB"), Ok(1000));
        assert_eq!(parse_size("5MB"), Ok(5_000_000));
        assert_eq!(parse_size("2500GB"), Ok(2_500_000_000_000));
        assert_eq!(parse_size("18TB"), Ok(18_000_000_000_000));
        assert_eq!(parse_size("1.5TB"), Ok(1_500_000_000_000));
    }

    #[test]
    fn fractions_round_down() {
        assert_eq!(parse_size("1.5K"), Ok(1536));
        assert_eq!(parse_size("1.5T"), Ok(1024u64.pow(4) * 3 / 2));
        assert_eq!(parse_size("0.1K"), Ok(102)); // 102.4
        assert_eq!(parse_size("2.5"), Ok(2));
        assert_eq!(parse_size("0.000000000000000001TB"), Ok(0));
    }

    #[test]
    fn malformed() {
        assert_eq!(parse_size(""), Err(SizeError::Empty));
        assert_eq!(parse_size("M"), Err(SizeError::InvalidNumber));
        assert_eq!(parse_size("-1"), Err(SizeError::InvalidNumber));
        assert_eq!(parse_size("+1"), Err(SizeError::InvalidNumber));
        assert_eq!(parse_size(".5"), Err(SizeError::InvalidNumber));
        assert_eq!(parse_size("1."), Err(SizeError::InvalidNumber));
        assert_eq!(parse_size("1.M"), Err(SizeError::InvalidNumber));
        assert_eq!(parse_size(" 1"), Err(SizeError::InvalidNumber));
        assert_eq!(
            parse_size("1 M"),
            Err(SizeError::UnknownSuffix(" M".into()))
        );
        assert_eq!(parse_size("1X"), Err(SizeError::UnknownSuffix("X".into())));
        assert_eq!(
            parse_size("1.2.3"),
            Err(SizeError::UnknownSuffix(".3".into()))
        );
        assert_eq!(parse_size("1P"), Err(SizeError::UnknownSuffix("P".into())));
        assert_eq!(
            parse_size("1.0000000000000000001"),
            Err(SizeError::TooPrecise)
        );
    }

    #[test]
    fn overflow() {
        assert_eq!(parse_size("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(parse_size("18446744073709551616"), Err(SizeError::Overflow));
        assert_eq!(
            parse_size("99999999999999999999999999999999999999999"),
            Err(SizeError::Overflow)
        );
        // 2^24 TiB = 2^64 bytes: one too many; 2^24 - 1 TiB fits.
        assert_eq!(parse_size("16777216T"), Err(SizeError::Overflow));
        assert_eq!(parse_size("16777215T"), Ok((16_777_215u64) << 40));
        // 2^24 - 1 TiB plus a fraction of a TiB that still fits / no longer fits.
        assert_eq!(
            parse_size("16777215.5T"),
            Ok((16_777_215u64 << 40) + (1 << 39))
        );
        assert_eq!(parse_size("16777215.9999999T"), Ok(u64::MAX - 109_951));
        assert_eq!(
            parse_size("18446744073709551615.5K"),
            Err(SizeError::Overflow)
        );
    }

    #[test]
    fn human_format() {
        assert_eq!(format_size(0), "0 B");
        assert_eq!(format_size(1023), "1023 B");
        assert_eq!(format_size(1024), "1.0 KiB");
        assert_eq!(format_size(64 << 20), "64.0 MiB");
        assert_eq!(format_size(3 << 39), "1.5 TiB");
    }

    const BINARY: [(&str, u64); 9] = [
        ("", 1),
        ("b", 1),
        ("K", 1 << 10),
        ("M", 1 << 20),
        ("G", 1 << 30),
        ("T", 1 << 40),
        ("KiB", 1 << 10),
        ("MiB", 1 << 20),
        ("GiB", 1 << 30),
    ];
    const DECIMAL: [(&str, u64); 4] = [
        ("KB", 1_000),
        ("MB", 1_000_000),
        ("GB", 1_000_000_000),
        ("TB", 1_000_000_000_000),
    ];

    proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = parse_size(&s);
        }

        #[test]
        fn never_panics_on_size_like(s in "[0-9]{0,25}(\\.[0-9]{0,22})?[kKmMgGtTbBiI]{0,4}") {
            let _ = parse_size(&s);
        }

        #[test]
        fn integer_times_suffix(n in 0u64..(1 << 23), i in 0usize..13) {
            let (suffix, factor) = BINARY.iter().chain(DECIMAL.iter()).nth(i).copied().unwrap_or(("", 1));
            prop_assert_eq!(parse_size(&format!("{n}{suffix}")), Ok(n * factor));
        }

        #[test]
        fn matches_checked_mul(n in any::<u64>(), i in 0usize..13) {
            let (suffix, factor) = BINARY.iter().chain(DECIMAL.iter()).nth(i).copied().unwrap_or(("", 1));
            let expected = n.checked_mul(factor).ok_or(SizeError::Overflow);
            prop_assert_eq!(parse_size(&format!("{n}{suffix}")), expected);
        }

        #[test]
        fn half_units(n in 0u64..(1 << 20)) {
            prop_assert_eq!(parse_size(&format!("{n}.5K")), Ok(n * 1024 + 512));
            prop_assert_eq!(parse_size(&format!("{n}.25M")), Ok(n * (1 << 20) + (1 << 18)));
            prop_assert_eq!(parse_size(&format!("{n}.5GB")), Ok(n * 1_000_000_000 + 500_000_000));
        }
    }
}
