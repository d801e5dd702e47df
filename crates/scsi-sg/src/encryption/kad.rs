//! Key-associated data (KAD) descriptors, used in the DES, NBES and SDE pages (SSC-4
//! §8.5.4.x, `reference/scsi.md` §6.11): byte 0 KAD TYPE, byte 1 b2-0 AUTHENTICATED (reserved,
//! zero, in SDE), bytes 2-3 KAD LENGTH, then the data. The list walk steps `4 + length`, so a
//! zero-length KAD advances exactly 4 bytes (stenc 1.0.7 advanced one too many).

use super::types::{len16, BuildError, KadType};
use crate::wire;

/// One KAD descriptor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Kad {
    /// KAD TYPE.
    pub kad_type: KadType,
    /// AUTHENTICATED (byte 1 b2-0) in status pages: 1 not authenticated, 2 not yet checked,
    /// 3 authenticated, 4 failed (unverified). Must be 0 in SDE.
    pub authenticated: u8,
    /// The KAD bytes.
    pub data: Vec<u8>,
}

impl Kad {
    /// A KAD of any type with AUTHENTICATED 0.
    pub fn new(kad_type: KadType, data: impl Into<Vec<u8>>) -> Self {
        Kad {
            kad_type,
            authenticated: 0,
            data: data.into(),
        }
    }
    /// A U-KAD (type 00h), e.g. the key description.
    pub fn ukad(data: impl Into<Vec<u8>>) -> Self {
        Kad::new(KadType::Ukad, data)
    }
    /// An A-KAD (type 01h).
    pub fn akad(data: impl Into<Vec<u8>>) -> Self {
        Kad::new(KadType::Akad, data)
    }
    /// The data as printable ASCII: trailing NUL/space padding removed, other
    /// non-printable bytes shown as `.` (device bytes cannot inject control characters).
    pub fn text(&self) -> String {
        wire::ascii(&self.data)
    }
}

/// Length of one encoded descriptor.
fn encoded_len(k: &Kad) -> usize {
    4usize.saturating_add(k.data.len())
}

/// Parse a KAD list. Stops at the first descriptor whose header or data is not all present;
/// the flag says whether anything was left over (a cut descriptor).
pub fn parse_kads(b: &[u8]) -> (Vec<Kad>, bool) {
    let mut kads = Vec::new();
    let mut off = 0usize;
    while off < b.len() {
        let (Some(&ty), Some(&auth), Some(len)) =
            (b.get(off), b.get(off + 1), wire::u16_at(b, off + 2))
        else {
            return (kads, true);
        };
        let start = off + 4;
        let end = start + usize::from(len);
        let Some(data) = b.get(start..end) else {
            return (kads, true);
        };
        kads.push(Kad {
            kad_type: KadType::from_bits(ty),
            authenticated: auth & 0x07,
            data: data.to_vec(),
        });
        off = end;
    }
    (kads, false)
}

/// Append a KAD list in ascending KAD TYPE order (stable for equal types), byte 1 carrying
/// `authenticated & 7` (callers building SDE pass KADs with 0; see `SetDataEncryption`).
pub fn write_kads(out: &mut Vec<u8>, kads: &[Kad]) -> Result<(), BuildError> {
    let mut sorted: Vec<&Kad> = kads.iter().collect();
    sorted.sort_by_key(|k| k.kad_type.bits());
    for k in sorted {
        let len = len16("KAD", k.data.len())?;
        out.push(k.kad_type.bits());
        out.push(k.authenticated & 0x07);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&k.data);
    }
    Ok(())
}

/// Total encoded length of a KAD list.
pub(crate) fn kads_len(kads: &[Kad]) -> usize {
    kads.iter()
        .map(encoded_len)
        .fold(0usize, usize::saturating_add)
}

/// The first KAD of a type.
pub(crate) fn find(kads: &[Kad], ty: KadType) -> Option<&Kad> {
    kads.iter().find(|k| k.kad_type == ty)
}
