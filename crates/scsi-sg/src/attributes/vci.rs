//! Structured binary attributes (`reference/scsi.md` §5): the volume coherency information
//! 080Ch (SSC-5; VCR length + VCR, VOLUME COHERENCY COUNT u64, VOLUME COHERENCY SET
//! IDENTIFIER u64, u16 APPLICATION CLIENT SPECIFIC INFORMATION LENGTH + information) with the
//! 70-byte layout LTFS writes ("LTFS\0", 36-character volume UUID + NUL, version byte), and
//! the usage histories 0340h (15 × u48) and 0341h (15 × u32).

use crate::error::ParseError;
use crate::wire::{self, u16_at, u64_at};

const LTFS_TAG: &[u8; 5] = b"LTFS\0";
const LTFS_UUID_LEN: usize = 36;
/// Number of counters in a usage history.
pub const USAGE_FIELDS: usize = 15;
/// Length of the medium usage history (0340h): 15 × 6 bytes.
pub const MEDIUM_USAGE_LEN: usize = USAGE_FIELDS * 6;
/// Length of the partition usage history (0341h): 15 × 4 bytes.
pub const PARTITION_USAGE_LEN: usize = USAGE_FIELDS * 4;

/// The counters of 0340h/0341h, in order.
pub const USAGE_FIELD_NAMES: [&str; USAGE_FIELDS] = [
    "current MiB written",
    "current write retries",
    "current MiB read",
    "current read retries",
    "previous MiB written",
    "previous write retries",
    "previous MiB read",
    "previous read retries",
    "total MiB written",
    "total write retries",
    "total MiB read",
    "total read retries",
    "load count",
    "total change partition count",
    "total partition initialization count",
];

/// A medium (0340h) or partition (0341h) usage history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageHistory {
    /// The 15 counters, named by [`USAGE_FIELD_NAMES`].
    pub fields: [u64; USAGE_FIELDS],
}

impl UsageHistory {
    /// Decode 15 big-endian counters of `width` bytes each (6 for 0340h, 4 for 0341h);
    /// `None` unless the value is exactly 15 × `width` bytes.
    pub fn parse(v: &[u8], width: usize) -> Option<Self> {
        if width == 0 || width > 8 || v.len() != USAGE_FIELDS * width {
            return None;
        }
        let mut fields = [0u64; USAGE_FIELDS];
        for (slot, chunk) in fields.iter_mut().zip(v.chunks_exact(width)) {
            *slot = wire::be_uint(chunk)?;
        }
        Some(UsageHistory { fields })
    }

    /// Encode as 15 counters of `width` bytes (high bytes of larger values are dropped).
    pub fn to_bytes(&self, width: usize) -> Vec<u8> {
        let width = width.min(8);
        self.fields
            .iter()
            .flat_map(|f| f.to_be_bytes().into_iter().skip(8 - width))
            .collect()
    }
}

/// The LTFS part of a VCI's application client specific information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LtfsVci {
    /// Volume UUID (36 characters).
    pub uuid: String,
    /// LTFS version byte (absent in the 42-byte layout of LTFS 1.0).
    pub version: Option<u8>,
}

/// Volume coherency information (080Ch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vci {
    /// VOLUME CHANGE REFERENCE value (LTFS: 8 bytes).
    pub vcr: Vec<u8>,
    /// VOLUME COHERENCY COUNT (LTFS: index generation).
    pub count: u64,
    /// VOLUME COHERENCY SET IDENTIFIER (LTFS: index block position).
    pub set_id: u64,
    /// APPLICATION CLIENT SPECIFIC INFORMATION.
    pub app_info: Vec<u8>,
    /// The LTFS reading of `app_info`, when it starts with "LTFS\0".
    pub ltfs: Option<LtfsVci>,
}

impl Vci {
    /// Decode a VCI value; every field bounded by its length and the bytes present.
    pub fn parse(v: &[u8]) -> Result<Vci, ParseError> {
        const WHAT: &str = "volume coherency information";
        let n = usize::from(*v.first().ok_or_else(|| wire::short(WHAT, 1, 0))?);
        let need = 1 + n + 8 + 8 + 2;
        let vcr = v
            .get(1..1 + n)
            .ok_or_else(|| wire::short(WHAT, need, v.len()))?;
        let count = u64_at(v, 1 + n).ok_or_else(|| wire::short(WHAT, need, v.len()))?;
        let set_id = u64_at(v, 9 + n).ok_or_else(|| wire::short(WHAT, need, v.len()))?;
        let app_len =
            usize::from(u16_at(v, 17 + n).ok_or_else(|| wire::short(WHAT, need, v.len()))?);
        let app_info = v
            .get(need..need + app_len)
            .ok_or_else(|| wire::short(WHAT, need + app_len, v.len()))?;
        Ok(Vci {
            vcr: vcr.to_vec(),
            count,
            set_id,
            app_info: app_info.to_vec(),
            ltfs: parse_ltfs(app_info),
        })
    }

    /// Encode (the VCR is cut to 255 bytes, the application information to 65535).
    pub fn to_bytes(&self) -> Vec<u8> {
        let vcr = self.vcr.get(..255).unwrap_or(&self.vcr);
        let app = self
            .app_info
            .get(..usize::from(u16::MAX))
            .unwrap_or(&self.app_info);
        let mut out = Vec::with_capacity(19 + vcr.len() + app.len());
        out.push(u8::try_from(vcr.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(vcr);
        out.extend_from_slice(&self.count.to_be_bytes());
        out.extend_from_slice(&self.set_id.to_be_bytes());
        out.extend_from_slice(&u16::try_from(app.len()).unwrap_or(u16::MAX).to_be_bytes());
        out.extend_from_slice(app);
        out
    }

    /// The 70-byte VCI LTFS writes: 8-byte VCR, generation, index block, "LTFS\0", UUID
    /// (cut or NUL-padded to 36 bytes) + NUL, version.
    pub fn ltfs(vcr: u64, generation: u64, block: u64, uuid: &str, version: u8) -> Vci {
        let mut app = LTFS_TAG.to_vec();
        let mut id: Vec<u8> = uuid.bytes().take(LTFS_UUID_LEN).collect();
        id.resize(LTFS_UUID_LEN + 1, 0);
        app.extend_from_slice(&id);
        app.push(version);
        let ltfs = parse_ltfs(&app);
        Vci {
            vcr: vcr.to_be_bytes().to_vec(),
            count: generation,
            set_id: block,
            app_info: app,
            ltfs,
        }
    }
}

fn parse_ltfs(app: &[u8]) -> Option<LtfsVci> {
    let rest = app.strip_prefix(LTFS_TAG.as_slice())?;
    let uuid_field = rest.get(..LTFS_UUID_LEN + 1).unwrap_or(rest);
    let uuid_bytes = uuid_field.split(|&c| c == 0).next().unwrap_or(&[]);
    Some(LtfsVci {
        uuid: wire::ascii(uuid_bytes),
        version: rest.get(LTFS_UUID_LEN + 1).copied(),
    })
}
