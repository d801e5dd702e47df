//! Protocol 20h page header (`reference/scsi.md` §6.2): bytes 0-1 PAGE CODE, bytes 2-3 PAGE
//! LENGTH (bytes that follow). Parsers read fixed fields from the bytes received and walk
//! descriptor lists up to the smaller of `4 + PAGE LENGTH` and the bytes received.

use crate::error::ParseError;
use crate::wire;

/// A page split into its header and its bounded contents.
pub(crate) struct Framed<'a> {
    /// The whole page as far as both PAGE LENGTH and the reply allow (header included).
    pub bounded: &'a [u8],
    /// PAGE LENGTH announced more than was received.
    pub truncated: bool,
}

/// Check the page code and bound the page.
pub(crate) fn frame<'a>(
    b: &'a [u8],
    code: u16,
    what: &'static str,
) -> Result<Framed<'a>, ParseError> {
    let (Some(got), Some(len)) = (wire::u16_at(b, 0), wire::u16_at(b, 2)) else {
        return Err(wire::short(what, 4, b.len()));
    };
    if got != code {
        return Err(ParseError::Invalid {
            what,
            detail: format!("page code {got:04X}h, expected {code:04X}h"),
        });
    }
    let end = 4 + usize::from(len);
    Ok(Framed {
        bounded: wire::clamped(b, 0, end),
        truncated: b.len() < end,
    })
}

/// Require `need` bytes received for the fixed part.
pub(crate) fn need(b: &[u8], need: usize, what: &'static str) -> Result<(), ParseError> {
    if b.len() < need {
        Err(wire::short(what, need, b.len()))
    } else {
        Ok(())
    }
}

/// Byte `off` (caller has checked the fixed part is present; 0 otherwise).
pub(crate) fn byte(b: &[u8], off: usize) -> u8 {
    b.get(off).copied().unwrap_or(0)
}

/// Start a page: code and a placeholder length, to be patched by [`finish`].
pub(crate) fn start(code: u16) -> Vec<u8> {
    let mut v = Vec::with_capacity(64);
    v.extend_from_slice(&code.to_be_bytes());
    v.extend_from_slice(&[0, 0]);
    v
}

/// Patch PAGE LENGTH = bytes after the header.
pub(crate) fn finish(mut v: Vec<u8>, what: &'static str) -> Result<Vec<u8>, super::BuildError> {
    let len = super::types::len16(what, v.len().saturating_sub(4))?;
    if let Some(f) = v.get_mut(2..4) {
        f.copy_from_slice(&len.to_be_bytes());
    }
    Ok(v)
}
