//! Member times as GNU tar 1.34 lists them (`tartime` in `list.c`): `localtime(3)` broken down
//! and formatted with `strftime("%Y-%m-%d %H:%M")`, the year as a plain decimal number (year
//! 5 is `5`, 1 BC is `-1`, as glibc prints them); a time whose year does not fit `struct tm`
//! is printed as the integer, right-aligned in 18 columns. The local time zone follows
//! `TZ` and `/etc/localtime` like the C library (via the `jiff` crate).

use std::fmt::Write as _;

use jiff::tz::TimeZone;
use jiff::Timestamp;

/// The time zone member times are shown in.
#[derive(Debug, Clone)]
pub struct Zone(TimeZone);

impl Zone {
    /// The process's local time zone: `TZ` if set (IANA name, `:name`, file path or POSIX
    /// rule), else `/etc/localtime`; UTC if neither can be used.
    pub fn system() -> Self {
        Zone(TimeZone::system())
    }

    /// Coordinated Universal Time (GNU `--utc`).
    pub fn utc() -> Self {
        Zone(TimeZone::UTC)
    }

    /// A zone given as the value of a `TZ` variable: an IANA name (optionally after `:`), an
    /// absolute path to a TZif file, or a POSIX rule such as `EST5EDT,M3.2.0,M11.1.0`.
    pub fn from_tz(tz: &str) -> Option<Self> {
        let name = tz.strip_prefix(':').unwrap_or(tz);
        if name.starts_with('/') {
            let data = std::fs::read(name).ok()?;
            return TimeZone::tzif(name, &data).ok().map(Zone);
        }
        TimeZone::get(name)
            .or_else(|_| TimeZone::posix(tz))
            .ok()
            .map(Zone)
    }

    /// Offset from UTC in seconds at `secs` (clamped to the range the zone data covers).
    fn offset(&self, secs: i64) -> i64 {
        let clamped = secs.clamp(Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
        Timestamp::from_second(clamped)
            .map(|t| i64::from(self.0.to_offset(t).seconds()))
            .unwrap_or(0)
    }
}

/// Proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i128) -> (i128, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i128::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(0),
        u32::try_from(day).unwrap_or(0),
    )
}

/// `YYYY-MM-DD HH:MM` of `secs` in `zone`, as GNU tar prints it without `--full-time`.
pub(crate) fn format(zone: &Zone, secs: i64) -> String {
    let local = i128::from(secs) + i128::from(zone.offset(secs));
    let days = local.div_euclid(86_400);
    let sod = local.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let mut out = String::new();
    if i32::try_from(year - 1900).is_ok() {
        let _ = write!(
            out,
            "{year}-{month:02}-{day:02} {:02}:{:02}",
            sod / 3600,
            sod % 3600 / 60
        );
    } else {
        let _ = write!(out, "{secs:>18}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_matches_gnu_tar() {
        // `TZ=UTC tar --mtime=@N -cf m.tar f; TZ=UTC tar -tvf m.tar` printed these.
        let utc = Zone::utc();
        assert_eq!(format(&utc, -1), "1969-12-31 23:59");
        assert_eq!(format(&utc, -62_000_000_000), "5-04-19 09:46");
        assert_eq!(format(&utc, -62_167_219_201), "-1-12-31 23:59");
        assert_eq!(format(&utc, -70_000_000_000), "-249-10-15 19:33");
        assert_eq!(format(&utc, 253_402_300_800), "10000-01-01 00:00");
        assert_eq!(format(&utc, 99_999_999_999_999), "3170843-11-07 09:46");
        assert_eq!(
            format(&utc, 67_767_976_233_316_800),
            "2147483647-12-29 12:00"
        );
        assert_eq!(
            format(&utc, -67_768_040_609_740_800),
            "-2147481748-01-01 00:00"
        );
        assert_eq!(format(&utc, -67_768_040_609_740_801), "-67768040609740801");
    }

    #[test]
    fn named_zone() {
        // `TZ=America/New_York date -d @1764158695 '+%Y-%m-%d %H:%M'` → 2025-11-26 07:04.
        let ny = Zone::from_tz("America/New_York").unwrap();
        assert_eq!(format(&ny, 1_764_158_695), "2025-11-26 07:04");
        let rule = Zone::from_tz("EST5EDT,M3.2.0,M11.1.0").unwrap();
        assert_eq!(format(&rule, 1_764_158_695), "2025-11-26 07:04");
    }
}
