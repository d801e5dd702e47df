//! REPORT DENSITY SUPPORT (SSC-4 §7.8, §8.4): the densities a drive (MEDIA = 0) or the
//! loaded medium (MEDIA = 1) supports. The drive generation is the highest primary density
//! code (`reference/scsi.md` §10). Density *names* are a tape-io concern, not decoded here.

use crate::error::{ParseError, ScsiError};
use crate::opcode;
use crate::transport::{TimeoutClass, Transport};
use crate::wire::{self, clamped};

/// Allocation length used by [`report`]: room for 157 descriptors.
pub const ALLOCATION_LENGTH: u16 = 8192;
/// Size of one density support data block descriptor.
pub const DESCRIPTOR_LENGTH: usize = 52;
const HEADER_LENGTH: usize = 4;

/// Build a REPORT DENSITY SUPPORT CDB: byte 1 bit 1 MEDIUM TYPE, bit 0 MEDIA; allocation
/// length in bytes 7-8. This module decodes only MEDIUM TYPE = 0 replies.
pub fn cdb(media: bool, medium_type: bool, allocation_length: u16) -> [u8; 10] {
    let [hi, lo] = allocation_length.to_be_bytes();
    let b1 = (u8::from(medium_type) << 1) | u8::from(media);
    [opcode::REPORT_DENSITY_SUPPORT, b1, 0, 0, 0, 0, 0, hi, lo, 0]
}

/// One density support data block descriptor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DensityDescriptor {
    /// PRIMARY DENSITY CODE (byte 0).
    pub primary_code: u8,
    /// SECONDARY DENSITY CODE (byte 1).
    pub secondary_code: u8,
    /// WRTOK (byte 2 bit 7): the drive can write this density.
    pub writable: bool,
    /// DUP (byte 2 bit 6): this density is also reported in another descriptor.
    pub duplicate: bool,
    /// DEFLT (byte 2 bit 5): the default density.
    pub default: bool,
    /// DLV (byte 2 bit 0): DESCRIPTOR LENGTH (bytes 3-4) is valid.
    pub descriptor_length_valid: bool,
    /// BITS PER MM (bytes 5-7).
    pub bits_per_mm: u32,
    /// MEDIA WIDTH in 0.1 mm (bytes 8-9).
    pub media_width: u16,
    /// TRACKS (bytes 10-11).
    pub tracks: u16,
    /// CAPACITY in megabytes of 10^6 bytes (bytes 12-15).
    pub capacity_mb: u32,
    /// ASSIGNING ORGANIZATION (bytes 16-23).
    pub assigning_organization: String,
    /// DENSITY NAME (bytes 24-31).
    pub density_name: String,
    /// DESCRIPTION (bytes 32-51).
    pub description: String,
}

/// The decoded reply.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DensitySupport {
    /// AVAILABLE DENSITY SUPPORT LENGTH (bytes 0-1) as reported.
    pub available_length: u16,
    /// The complete descriptors present.
    pub descriptors: Vec<DensityDescriptor>,
}

impl DensitySupport {
    /// The highest primary density code (the drive generation when MEDIA = 0).
    pub fn highest_primary_code(&self) -> Option<u8> {
        self.descriptors.iter().map(|d| d.primary_code).max()
    }

    /// The descriptor flagged DEFLT, if any.
    pub fn default_density(&self) -> Option<&DensityDescriptor> {
        self.descriptors.iter().find(|d| d.default)
    }

    /// True when the device reported more data than was received.
    pub fn is_truncated(&self, received: usize) -> bool {
        usize::from(self.available_length) + 2 > received
    }
}

fn descriptor(d: &[u8; DESCRIPTOR_LENGTH]) -> DensityDescriptor {
    let s: &[u8] = d;
    DensityDescriptor {
        primary_code: d[0],
        secondary_code: d[1],
        writable: d[2] & 0x80 != 0,
        duplicate: d[2] & 0x40 != 0,
        default: d[2] & 0x20 != 0,
        descriptor_length_valid: d[2] & 0x01 != 0,
        bits_per_mm: wire::u24_at(s, 5).unwrap_or_default(),
        media_width: wire::u16_at(s, 8).unwrap_or_default(),
        tracks: wire::u16_at(s, 10).unwrap_or_default(),
        capacity_mb: wire::u32_at(s, 12).unwrap_or_default(),
        assigning_organization: wire::ascii(clamped(s, 16, 24)),
        density_name: wire::ascii(clamped(s, 24, 32)),
        description: wire::ascii(clamped(s, 32, 52)),
    }
}

/// Decode the reply: a 4-byte header, then 52-byte descriptors bounded by AVAILABLE
/// DENSITY SUPPORT LENGTH and the bytes received. A descriptor cut short is dropped.
pub fn parse(b: &[u8]) -> Result<DensitySupport, ParseError> {
    let available_length = wire::u16_at(b, 0).ok_or(wire::short(
        "REPORT DENSITY SUPPORT data",
        HEADER_LENGTH,
        b.len(),
    ))?;
    let end = (usize::from(available_length) + 2).min(b.len());
    let body = clamped(b, HEADER_LENGTH, end);
    let descriptors = body
        .chunks_exact(DESCRIPTOR_LENGTH)
        .filter_map(|c| c.try_into().ok())
        .map(descriptor)
        .collect();
    Ok(DensitySupport {
        available_length,
        descriptors,
    })
}

/// Run REPORT DENSITY SUPPORT for the drive (`media = false`) or the loaded medium.
pub fn report<T: Transport + ?Sized>(t: &mut T, media: bool) -> Result<DensitySupport, ScsiError> {
    let cdb = cdb(media, false, ALLOCATION_LENGTH);
    let data = wire::data_in(
        t,
        &cdb,
        usize::from(ALLOCATION_LENGTH),
        TimeoutClass::Config,
    )?;
    Ok(parse(&data)?)
}

#[cfg(test)]
#[path = "tests/density.rs"]
mod tests;
