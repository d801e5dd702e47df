//! Bounded big-endian field access shared by the page parsers, and the one data-in runner
//! every query family uses.
//!
//! SCSI multi-byte fields are big-endian (SPC-4 §3.5). Every accessor here returns `None`
//! instead of panicking when the field lies (partly) outside the bytes received, so parsers
//! can be bounded by both the length fields and the reply actually transferred
//! (`reference/scsi.md` §13 item 10).

use crate::error::{ParseError, ScsiError};
use crate::transport::{Command, DataDir, TimeoutClass, Transport};

/// `N` bytes starting at `off`, if all present.
pub(crate) fn array_at<const N: usize>(b: &[u8], off: usize) -> Option<[u8; N]> {
    let end = off.checked_add(N)?;
    b.get(off..end)?.try_into().ok()
}

/// Big-endian u16 at `off`.
pub(crate) fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    array_at::<2>(b, off).map(u16::from_be_bytes)
}

/// Big-endian 24-bit value at `off`.
pub(crate) fn u24_at(b: &[u8], off: usize) -> Option<u32> {
    array_at::<3>(b, off).map(|[x, y, z]| u32::from_be_bytes([0, x, y, z]))
}

/// Big-endian u32 at `off`.
pub(crate) fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    array_at::<4>(b, off).map(u32::from_be_bytes)
}

/// Big-endian u64 at `off`.
pub(crate) fn u64_at(b: &[u8], off: usize) -> Option<u64> {
    array_at::<8>(b, off).map(u64::from_be_bytes)
}

/// A big-endian unsigned number of 1 to 8 bytes (log counters are sized by their length
/// field); `None` for an empty or longer field.
pub(crate) fn be_uint(b: &[u8]) -> Option<u64> {
    if b.is_empty() || b.len() > 8 {
        return None;
    }
    Some(b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
}

/// The bytes `start..end` clamped to what is present (possibly empty).
pub(crate) fn clamped(b: &[u8], start: usize, end: usize) -> &[u8] {
    let end = end.min(b.len());
    b.get(start..end).unwrap_or(&[])
}

/// A space/NUL padded ASCII field as a `String`, trailing padding removed; other bytes
/// outside 0x20..=0x7E become `.` so that device junk cannot smuggle control characters.
pub(crate) fn ascii(b: &[u8]) -> String {
    let s: String = b
        .iter()
        .map(|&c| match c {
            0 => ' ',
            0x20..=0x7e => char::from(c),
            _ => '.',
        })
        .collect();
    s.trim_end_matches(' ').to_string()
}

/// The `ParseError::Short` for a structure whose fixed part is missing.
pub(crate) fn short(what: &'static str, need: usize, got: usize) -> ParseError {
    ParseError::Short { what, need, got }
}

/// Run a data-in command with an `alloc`-byte buffer; returns the bytes actually moved
/// (buffer length minus the residual the transport reported).
pub(crate) fn data_in<T: Transport + ?Sized>(
    t: &mut T,
    cdb: &[u8],
    alloc: usize,
    class: TimeoutClass,
) -> Result<Vec<u8>, ScsiError> {
    let mut buf = vec![0u8; alloc];
    let info = t.run(Command::new(cdb, DataDir::FromDevice(&mut buf), class))?;
    let got = alloc.saturating_sub(info.residual);
    buf.truncate(got);
    Ok(buf)
}

/// Run a command without a data phase.
pub(crate) fn no_data<T: Transport + ?Sized>(
    t: &mut T,
    cdb: &[u8],
    class: TimeoutClass,
) -> Result<crate::transport::CompletionInfo, ScsiError> {
    t.run(Command::new(cdb, DataDir::None, class))
}

/// Run a data-out command.
pub(crate) fn data_out<T: Transport + ?Sized>(
    t: &mut T,
    cdb: &[u8],
    data: &[u8],
    class: TimeoutClass,
) -> Result<crate::transport::CompletionInfo, ScsiError> {
    t.run(Command::new(cdb, DataDir::ToDevice(data), class))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_reads() {
        let b = [0x12, 0x34, 0x56, 0x78];
        assert_eq!(u16_at(&b, 2), Some(0x5678));
        assert_eq!(u16_at(&b, 3), None);
        assert_eq!(u24_at(&b, 1), Some(0x34_5678));
        assert_eq!(u32_at(&b, 0), Some(0x1234_5678));
        assert_eq!(u32_at(&b, usize::MAX), None);
        assert_eq!(u64_at(&b, 0), None);
        assert_eq!(be_uint(&b[..3]), Some(0x12_3456));
        assert_eq!(be_uint(&[]), None);
        assert_eq!(be_uint(&[0; 9]), None);
        assert_eq!(clamped(&b, 3, 10), &[0x78]);
        assert_eq!(clamped(&b, 9, 10), &[] as &[u8]);
        assert_eq!(ascii(b"IBM     "), "IBM");
        assert_eq!(ascii(b"A\x01B.\0\0"), "A.B.");
    }
}
