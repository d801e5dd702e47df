//! Count arguments of `mt`, parsed as mt-st 1.7 parses them.
//!
//! mt-st reads every numeric argument with C `strtol(s, &end, 0)`: optional leading white space,
//! an optional sign, then decimal, `0x`/`0X` hexadecimal or leading-`0` octal digits. When no
//! digit is found the value is 0 and the rest of the text is ignored. For the repeat counts of
//! the MTIOCTOP commands (`fsf 3`, `weof 2k`, …) the character right after the digits may be a
//! unit: `k`, `M` or `G` multiply by 1024, 1024² and 1024³ (anything after that one character
//! is ignored, as in mt-st); any other character is `mt: illegal count unit.` (exit 3). A
//! count whose magnitude exceeds `INT_MAX / unit` is `mt: repeat count too large.` (exit 3),
//! and a negative result is `mt: negative repeat count` (exit 1) except for `mkpartition`.
//!
//! One deliberate difference: mt-st stores `strtol`'s `long` result in an `int` before the
//! range check, so a unit-less count beyond ±2³¹ silently wraps (`fsf 4294967297` spaces one
//! file, `fsf 2147483648` is "negative"). This module reports such counts as too large.

use std::fmt;

/// Why a repeat count was refused; `message()` and `exit_code()` give mt-st's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountError {
    /// The character after the digits is not `k`, `M` or `G`.
    IllegalUnit,
    /// The count times its unit does not fit a C `int`.
    TooLarge,
    /// The count is negative and the command does not accept that.
    Negative,
}

impl CountError {
    /// The line mt-st prints on stderr for this error.
    pub fn message(self) -> &'static str {
        match self {
            CountError::IllegalUnit => "mt: illegal count unit.",
            CountError::TooLarge => "mt: repeat count too large.",
            CountError::Negative => "mt: negative repeat count",
        }
    }

    /// mt-st's exit status for this error (3 for unit and range errors, 1 for a negative count).
    pub fn exit_code(self) -> u8 {
        match self {
            CountError::IllegalUnit | CountError::TooLarge => 3,
            CountError::Negative => 1,
        }
    }
}

impl fmt::Display for CountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for CountError {}

/// The result of C `strtol(s, &end, 0)`: the value (saturated at the `i64` limits on
/// overflow, as glibc saturates `long`), the unparsed rest, and whether any digit was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Strtol<'a> {
    /// The converted value.
    pub value: i64,
    /// True if the value overflowed and was saturated (`ERANGE`).
    pub overflow: bool,
    /// The text after the number (the whole input when no digit was found).
    pub rest: &'a str,
    /// True if at least one digit was converted (`end != s`).
    pub converted: bool,
}

/// C `strtol(s, &end, 0)` on a Rust string.
pub fn strtol(s: &str) -> Strtol<'_> {
    let none = Strtol {
        value: 0,
        overflow: false,
        rest: s,
        converted: false,
    };
    let bytes = s.as_bytes();
    let mut i = 0;
    while bytes
        .get(i)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
    {
        i += 1;
    }
    let negative = match bytes.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let mut radix = 10u32;
    if bytes.get(i) == Some(&b'0') {
        let hex_prefix = matches!(bytes.get(i + 1), Some(b'x' | b'X'));
        if hex_prefix && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit) {
            radix = 16;
            i += 2;
        } else {
            // A lone "0" (also "0x" with no hex digit after it, where `end` stops at the 'x').
            radix = 8;
        }
    }
    let start = i;
    let mut magnitude: u64 = 0;
    let mut overflow = false;
    while let Some(d) = bytes.get(i).and_then(|b| char::from(*b).to_digit(radix)) {
        match magnitude
            .checked_mul(u64::from(radix))
            .and_then(|m| m.checked_add(u64::from(d)))
        {
            Some(m) => magnitude = m,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start {
        return none;
    }
    let limit = if negative {
        i64::MIN.unsigned_abs()
    } else {
        i64::MAX.unsigned_abs()
    };
    let value = if overflow || magnitude > limit {
        overflow = true;
        if negative {
            i64::MIN
        } else {
            i64::MAX
        }
    } else if negative {
        0i64.wrapping_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).unwrap_or(i64::MAX)
    };
    Strtol {
        value,
        overflow,
        rest: s.get(i..).unwrap_or(""),
        converted: true,
    }
}

/// The C conversion `(int) strtol(s, NULL, 0)`: the low 32 bits of the `long`, as mt-st uses
/// for the arguments that take no unit (drvbuffer family, stoptions numbers, partseek, asf).
pub fn strtol_int(s: &str) -> i32 {
    strtol(s).value as i32
}

/// Parse a repeat count with mt-st's unit suffixes. Never panics.
///
/// Returns the count (it always fits an `i32`); negative counts are returned as such, see
/// [`repeat_count`] for the sign check.
pub fn parse_count(s: &str) -> Result<i64, CountError> {
    let parsed = strtol(s);
    if !parsed.converted {
        return Ok(0);
    }
    let multiplier: i64 = match parsed.rest.as_bytes().first() {
        None => 1,
        Some(b'k') => 1 << 10,
        Some(b'M') => 1 << 20,
        Some(b'G') => 1 << 30,
        Some(_) => return Err(CountError::IllegalUnit),
    };
    let max = i64::from(i32::MAX) / multiplier;
    if parsed.overflow || parsed.value.unsigned_abs() > max.unsigned_abs() {
        return Err(CountError::TooLarge);
    }
    Ok(parsed.value * multiplier)
}

/// The `mt_count` of a standard MTIOCTOP command: the optional argument parsed by
/// [`parse_count`] (default 1), refused when negative unless `allow_negative` (mkpartition).
pub fn repeat_count(arg: Option<&str>, allow_negative: bool) -> Result<i32, CountError> {
    let value = match arg {
        Some(s) => parse_count(s)?,
        None => 1,
    };
    let count = i32::try_from(value).map_err(|_| CountError::TooLarge)?;
    if count < 0 && !allow_negative {
        return Err(CountError::Negative);
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtol_bases_and_signs() {
        assert_eq!(strtol("17").value, 17);
        assert_eq!(strtol("0x1f").value, 31);
        assert_eq!(strtol("0X1F").value, 31);
        assert_eq!(strtol("017").value, 15);
        assert_eq!(strtol("-0x10").value, -16);
        assert_eq!(strtol("+5").value, 5);
        assert_eq!(strtol(" \t42").value, 42);
        let r = strtol("0x");
        assert_eq!((r.value, r.rest, r.converted), (0, "x", true));
        let r = strtol("08");
        assert_eq!((r.value, r.rest), (0, "8"));
        let r = strtol("abc");
        assert_eq!((r.value, r.rest, r.converted), (0, "abc", false));
        assert!(!strtol("-").converted);
        assert!(!strtol("").converted);
        let r = strtol("99999999999999999999");
        assert_eq!((r.value, r.overflow), (i64::MAX, true));
        let r = strtol("-9223372036854775808");
        assert_eq!((r.value, r.overflow), (i64::MIN, false));
    }
}
