//! The drive state persisted in the medium's drive-state blob between processes.
//!
//! Layout (little-endian), version 1:
//!
//! | off | size | field |
//! |---|---|---|
//! | 0 | 4 | magic `TKDS` |
//! | 4 | 2 | version (1) |
//! | 6 | 1 | flags: b0 loaded, b1 compression (DCE), b2 prevent removal |
//! | 7 | 1 | partition |
//! | 8 | 8 | logical object number |
//! | 16 | 4 | block length (0 = variable) |
//! | 20 | 1 | density code selected by MODE SELECT (0 = medium's) |
//! | 21 | 1 | buffered mode |
//! | 22 | 1 | pending partitioning kind (0 none, 1 single, 2 size of p1, 3 size of p0) |
//! | 23 | 8 | pending partition size in bytes |
//! | 31 | 8 × 5 | counters: mounts, lifetime bytes written, read, this mount written, read |
//! | 71 | 8 | TapeAlert flags (flag 1 = MSB) |
//! | 79 | 2 | host state length n (≤ 512) |
//! | 81 | n | host state |
//! | 81 + n | 4 | data encryption KEY INSTANCE COUNTER (absent in older blobs: 0) |
//!
//! The medium protects the blob with its state-slot CRC, so there is no checksum here; the
//! decoder is bounds-checked and any inconsistency gives `None` (the caller uses the
//! defaults). Later versions append fields; a decoder reads the fields it knows.

use crate::medium::FormatSize;

/// Largest host-state blob kept with the drive state.
pub const MAX_HOST_STATE_LEN: usize = 512;

const MAGIC: &[u8; 4] = b"TKDS";
const VERSION: u16 = 1;

const FLAG_LOADED: u8 = 0x01;
const FLAG_COMPRESSION: u8 = 0x02;
const FLAG_PREVENT: u8 = 0x04;

/// Usage counters (volume statistics log page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counters {
    /// Loads of this cartridge.
    pub mounts: u64,
    /// Record bytes written over the cartridge's life.
    pub written_total: u64,
    /// Record bytes read over the cartridge's life.
    pub read_total: u64,
    /// Record bytes written since the last load.
    pub written_mount: u64,
    /// Record bytes read since the last load.
    pub read_mount: u64,
}

/// Everything the drive remembers between processes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DriveState {
    /// A cartridge is loaded (ready).
    pub loaded: bool,
    /// Current partition.
    pub partition: u8,
    /// Current logical object number in the partition.
    pub position: u64,
    /// Block length; 0 = variable-block mode.
    pub block_len: u32,
    /// Density code set by MODE SELECT (0 = the medium's).
    pub density: u8,
    /// Buffered mode (mode header).
    pub buffered_mode: u8,
    /// Data compression enabled (DCE).
    pub compression: bool,
    /// PREVENT ALLOW MEDIUM REMOVAL: removal prevented.
    pub prevent: bool,
    /// Partitioning set by MODE SELECT page 11h, applied by FORMAT MEDIUM.
    pub pending_format: Option<FormatSize>,
    /// Usage counters.
    pub counters: Counters,
    /// TapeAlert flags.
    pub tape_alert: u64,
    /// The host's opaque bytes.
    pub host_state: Vec<u8>,
    /// Data encryption key instance counter (SPIN page 0020h).
    pub key_instance_counter: u32,
}

impl Default for DriveState {
    fn default() -> Self {
        DriveState {
            loaded: true,
            partition: 0,
            position: 0,
            block_len: 0,
            density: 0,
            buffered_mode: 1,
            compression: true,
            prevent: false,
            pending_format: None,
            counters: Counters {
                mounts: 1,
                ..Counters::default()
            },
            tape_alert: 0,
            host_state: Vec::new(),
            key_instance_counter: 0,
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take::<1>().map(|[b]| b)
    }
    fn u16(&mut self) -> Option<u16> {
        self.take().map(u16::from_le_bytes)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_le_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take().map(u64::from_le_bytes)
    }
}

impl DriveState {
    /// Encodes the state (version 1 layout).
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(96 + self.host_state.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        let flags = [
            (self.loaded, FLAG_LOADED),
            (self.compression, FLAG_COMPRESSION),
            (self.prevent, FLAG_PREVENT),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .fold(0u8, |acc, (_, bit)| acc | bit);
        out.extend_from_slice(&[flags, self.partition]);
        out.extend_from_slice(&self.position.to_le_bytes());
        out.extend_from_slice(&self.block_len.to_le_bytes());
        out.extend_from_slice(&[self.density, self.buffered_mode]);
        let (kind, size) = match self.pending_format {
            None => (0u8, 0u64),
            Some(FormatSize::Single) => (1, 0),
            Some(FormatSize::Partition1(s)) => (2, s),
            Some(FormatSize::Partition0(s)) => (3, s),
        };
        out.push(kind);
        out.extend_from_slice(&size.to_le_bytes());
        let c = &self.counters;
        for v in [
            c.mounts,
            c.written_total,
            c.read_total,
            c.written_mount,
            c.read_mount,
            self.tape_alert,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let host = self
            .host_state
            .get(..self.host_state.len().min(MAX_HOST_STATE_LEN))
            .unwrap_or_default();
        out.extend_from_slice(&(host.len() as u16).to_le_bytes());
        out.extend_from_slice(host);
        out.extend_from_slice(&self.key_instance_counter.to_le_bytes());
        out
    }

    /// Decodes a blob; `None` for an empty, foreign, newer-incompatible or damaged one.
    pub(crate) fn decode(blob: &[u8]) -> Option<DriveState> {
        let mut r = Reader(blob);
        if &r.take::<4>()? != MAGIC || r.u16()? != VERSION {
            return None;
        }
        let flags = r.u8()?;
        let partition = r.u8()?;
        let position = r.u64()?;
        let block_len = r.u32()?;
        let density = r.u8()?;
        let buffered_mode = r.u8()?;
        let kind = r.u8()?;
        let size = r.u64()?;
        let pending_format = match kind {
            0 => None,
            1 => Some(FormatSize::Single),
            2 => Some(FormatSize::Partition1(size)),
            3 => Some(FormatSize::Partition0(size)),
            _ => return None,
        };
        let counters = Counters {
            mounts: r.u64()?,
            written_total: r.u64()?,
            read_total: r.u64()?,
            written_mount: r.u64()?,
            read_mount: r.u64()?,
        };
        let tape_alert = r.u64()?;
        let host_len = usize::from(r.u16()?);
        if host_len > MAX_HOST_STATE_LEN || block_len > super::MAX_BLOCK_LEN {
            return None;
        }
        let host_state = r.0.get(..host_len)?.to_vec();
        r.0 = r.0.get(host_len..)?;
        // Appended field: absent in blobs written before it existed.
        let key_instance_counter = if r.0.is_empty() { 0 } else { r.u32()? };
        Some(DriveState {
            loaded: flags & FLAG_LOADED != 0,
            partition,
            position,
            block_len,
            density,
            buffered_mode: buffered_mode & 0x07,
            compression: flags & FLAG_COMPRESSION != 0,
            prevent: flags & FLAG_PREVENT != 0,
            pending_format,
            counters,
            tape_alert,
            host_state,
            key_instance_counter,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let s = DriveState {
            loaded: false,
            partition: 1,
            position: 12345,
            block_len: 512,
            density: 0x5E,
            buffered_mode: 1,
            compression: false,
            prevent: true,
            pending_format: Some(FormatSize::Partition1(3 << 20)),
            counters: Counters {
                mounts: 7,
                written_total: 1,
                read_total: 2,
                written_mount: 3,
                read_mount: 4,
            },
            tape_alert: 1 << 63,
            host_state: b"host".to_vec(),
            key_instance_counter: 9,
        };
        let blob = s.encode();
        assert_eq!(DriveState::decode(&blob), Some(s.clone()));
        // A blob from before the key instance counter decodes with 0.
        let old = &blob[..blob.len() - 4];
        assert_eq!(
            DriveState::decode(old),
            Some(DriveState {
                key_instance_counter: 0,
                ..s
            })
        );
        for n in (0..blob.len()).filter(|&n| n != blob.len() - 4) {
            assert_eq!(DriveState::decode(&blob[..n]), None, "prefix {n}");
        }
        assert_eq!(DriveState::decode(b""), None);
        let mut bad = blob.clone();
        bad[4] = 9;
        assert_eq!(DriveState::decode(&bad), None);
    }
}
