//! Serialised form of the drive's cartridge memory, the blob the medium keeps in its MAM
//! snapshots (`medium::Medium::set_mam`).
//!
//! Layout (little-endian): magic `TKMA`, version u16 (1), record count u32, then per record:
//! scope u8 (partition number, or FFh for a volume-wide attribute), attribute identifier u16,
//! FORMAT u8 (SPC-4 attribute header bits 1-0), value length u16, value. The medium protects
//! the blob with its entry CRC; the decoder still checks every length and refuses duplicates,
//! reserved formats and trailing bytes (→ `None`, the drive then reports the MAM unreadable).

use std::collections::BTreeMap;

use scsi_sg::attributes::Format;

use super::{Mam, Stored};

const MAGIC: &[u8; 4] = b"TKMA";
const VERSION: u16 = 1;

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let head = self.0.get(..n)?;
        self.0 = self.0.get(n..)?;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
}

impl Mam {
    /// Encodes the stored attributes.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let size: usize = self.attrs.values().map(|s| 6 + s.value.len()).sum();
        let mut out = Vec::with_capacity(10 + size);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(self.attrs.len() as u32).to_le_bytes());
        for (&(id, scope), s) in &self.attrs {
            out.push(scope);
            out.extend_from_slice(&id.to_le_bytes());
            out.push(s.format.bits());
            let value = s.value.get(..s.value.len().min(usize::from(u16::MAX)));
            let value = value.unwrap_or_default();
            out.extend_from_slice(&(value.len() as u16).to_le_bytes());
            out.extend_from_slice(value);
        }
        out
    }

    /// Decodes a blob; `None` if it is not one this version wrote or is inconsistent.
    pub(crate) fn decode(blob: &[u8]) -> Option<Mam> {
        let mut r = Reader(blob);
        if r.take(4)? != MAGIC || r.u16()? != VERSION {
            return None;
        }
        let count = r.u32()?;
        let mut attrs = BTreeMap::new();
        for _ in 0..count {
            let scope = r.u8()?;
            let id = r.u16()?;
            let format = Format::from_bits(r.u8()?);
            if format == Format::Reserved {
                return None;
            }
            let len = usize::from(r.u16()?);
            let value = r.take(len)?.to_vec();
            if attrs
                .insert((id, scope), Stored { format, value })
                .is_some()
            {
                return None;
            }
        }
        r.0.is_empty().then_some(Mam { attrs })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let mut m = Mam::default();
        m.put(
            0x0806,
            super::super::VOLUME,
            Format::Ascii,
            b"FJK670L6".to_vec(),
        );
        m.put(0x080C, 1, Format::Binary, vec![1, 2, 3]);
        let blob = m.encode();
        assert_eq!(Mam::decode(&blob), Some(m));
        for n in 0..blob.len() {
            assert_eq!(Mam::decode(&blob[..n]), None, "prefix {n}");
        }
        let mut long = blob.clone();
        long.push(0);
        assert_eq!(Mam::decode(&long), None);
        let mut bad = blob;
        bad[13] = 3; // reserved format of the first record
        assert_eq!(Mam::decode(&bad), None);
    }
}
