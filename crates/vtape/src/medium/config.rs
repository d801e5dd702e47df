//! Cartridge generations, capacities and partition layout.
//!
//! Density codes are those of the MODE SENSE block descriptor (SSC; see the density code
//! table, LTO-5 0x58 … LTO-9 0x60). Native capacities are the LTO Consortium's uncompressed
//! figures in decimal units. Partitioning follows FORMAT MEDIUM / mode page 11h as driven by
//! st's MTMKPART: a size for partition 1 (count > 0) or for partition 0 (count < 0).

use super::error::{MediumError, Result};

/// One mebibyte.
const MIB: u64 = 1 << 20;

/// Upper bound of the early-warning zone chosen by the default rule.
pub const EARLY_WARNING_MAX: u64 = 64 * MIB;
/// Lower bound of the early-warning zone chosen by the default rule (when the partition is
/// at least four times as large): eight 256 KiB records.
pub const EARLY_WARNING_MIN: u64 = 2 * MIB;
/// Smallest partition size accepted by [`MediumConfig`] and [`FormatSize`].
pub const MIN_PARTITION_SIZE: u64 = MIB;

/// LTO cartridge generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Generation {
    /// LTO-5 (Ultrium 5), density 0x58, 1.5 TB native.
    Lto5,
    /// LTO-6, density 0x5A, 2.5 TB native.
    Lto6,
    /// LTO-7, density 0x5C, 6 TB native.
    Lto7,
    /// LTO-8, density 0x5E, 12 TB native.
    Lto8,
    /// LTO-9, density 0x60, 18 TB native.
    Lto9,
}

impl Generation {
    /// All supported generations, oldest first.
    pub const ALL: [Generation; 5] = [
        Generation::Lto5,
        Generation::Lto6,
        Generation::Lto7,
        Generation::Lto8,
        Generation::Lto9,
    ];

    /// Density code (MODE SENSE block descriptor byte 0).
    pub fn density_code(self) -> u8 {
        match self {
            Generation::Lto5 => 0x58,
            Generation::Lto6 => 0x5A,
            Generation::Lto7 => 0x5C,
            Generation::Lto8 => 0x5E,
            Generation::Lto9 => 0x60,
        }
    }

    /// Native (uncompressed) capacity in bytes (decimal terabytes).
    pub fn native_capacity(self) -> u64 {
        const TB: u64 = 1_000_000_000_000;
        match self {
            Generation::Lto5 => 3 * TB / 2,
            Generation::Lto6 => 5 * TB / 2,
            Generation::Lto7 => 6 * TB,
            Generation::Lto8 => 12 * TB,
            Generation::Lto9 => 18 * TB,
        }
    }

    /// Short name, e.g. `"LTO-5"`.
    pub fn name(self) -> &'static str {
        match self {
            Generation::Lto5 => "LTO-5",
            Generation::Lto6 => "LTO-6",
            Generation::Lto7 => "LTO-7",
            Generation::Lto8 => "LTO-8",
            Generation::Lto9 => "LTO-9",
        }
    }

    /// Generation number (5..=9).
    pub fn number(self) -> u8 {
        match self {
            Generation::Lto5 => 5,
            Generation::Lto6 => 6,
            Generation::Lto7 => 7,
            Generation::Lto8 => 8,
            Generation::Lto9 => 9,
        }
    }

    /// The generation with this number (5..=9), if supported.
    pub fn from_number(n: u8) -> Option<Generation> {
        Generation::ALL.into_iter().find(|g| g.number() == n)
    }

    /// The generation whose density code is `code`; unknown codes give `None`.
    pub fn from_density_code(code: u8) -> Option<Generation> {
        Generation::ALL
            .into_iter()
            .find(|g| g.density_code() == code)
    }
}

/// Density code of LTO generation `number`: [`Generation::density_code`] for the
/// generations a medium can be, plus LTO-3 (0x44) and LTO-4 (0x46), formats that a drive
/// reports and reads (`reference/scsi.md`) but that no emulated cartridge uses.
pub fn lto_density_code(number: u8) -> Option<u8> {
    /// LTO-3 density code.
    const LTO3: u8 = 0x44;
    /// LTO-4 density code.
    const LTO4: u8 = 0x46;
    match Generation::from_number(number) {
        Some(g) => Some(g.density_code()),
        None if number == 3 => Some(LTO3),
        None if number == 4 => Some(LTO4),
        None => None,
    }
}

/// How to partition a medium (FORMAT MEDIUM / st's MTMKPART).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatSize {
    /// One partition holding the whole capacity.
    Single,
    /// Two partitions; partition 1 gets this many bytes, partition 0 the rest.
    Partition1(u64),
    /// Two partitions; partition 0 gets this many bytes, partition 1 the rest.
    Partition0(u64),
}

impl FormatSize {
    /// Partition capacities for a medium of `capacity` bytes.
    pub fn layout(self, capacity: u64) -> Result<Vec<u64>> {
        let split = |first: u64| -> Result<Vec<u64>> {
            let rest = capacity
                .checked_sub(first)
                .ok_or(MediumError::InvalidConfig(
                    "partition larger than the medium",
                ))?;
            if first < MIN_PARTITION_SIZE || rest < MIN_PARTITION_SIZE {
                return Err(MediumError::InvalidConfig("partition smaller than 1 MiB"));
            }
            Ok(vec![first, rest])
        };
        match self {
            FormatSize::Single => Ok(vec![capacity]),
            FormatSize::Partition0(p0) => split(p0),
            FormatSize::Partition1(p1) => split(p1).map(|v| v.into_iter().rev().collect()),
        }
    }
}

/// Early-warning zone for a partition of `capacity` bytes.
///
/// Rule: `override` if given (at most half the partition), else
/// `max(min(capacity / 50, 64 MiB), min(capacity / 4, 2 MiB))` — 2 % of the partition, at
/// most 64 MiB, but at least 2 MiB (eight 256 KiB records) unless the partition is tiny, in
/// which case a quarter of it.
pub fn early_warning_size(capacity: u64, override_size: Option<u64>) -> u64 {
    match override_size {
        Some(ew) => ew.min(capacity / 2),
        None => (capacity / 50)
            .min(EARLY_WARNING_MAX)
            .max((capacity / 4).min(EARLY_WARNING_MIN)),
    }
}

/// Parameters of a new medium, for [`Medium::create`](super::Medium::create).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediumConfig {
    /// Cartridge generation (gives the density code).
    pub generation: Generation,
    /// Total capacity in bytes of record data (default: the native capacity).
    pub capacity: u64,
    /// Early-warning zone size; `None` applies the rule of [`early_warning_size`].
    pub early_warning: Option<u64>,
    /// Initial partitioning.
    pub partitions: FormatSize,
    /// Initial write-protect tab.
    pub write_protect: bool,
}

impl MediumConfig {
    /// A single-partition, writable medium of native capacity.
    pub fn new(generation: Generation) -> MediumConfig {
        MediumConfig {
            generation,
            capacity: generation.native_capacity(),
            early_warning: None,
            partitions: FormatSize::Single,
            write_protect: false,
        }
    }

    /// The same configuration with another capacity (e.g. 64 MiB for tests).
    pub fn with_capacity(mut self, capacity: u64) -> MediumConfig {
        self.capacity = capacity;
        self
    }

    /// The same configuration with another partitioning.
    pub fn with_partitions(mut self, partitions: FormatSize) -> MediumConfig {
        self.partitions = partitions;
        self
    }

    /// Checks the configuration (capacity, partition sizes).
    pub fn validate(&self) -> Result<()> {
        if self.capacity < MIN_PARTITION_SIZE {
            return Err(MediumError::InvalidConfig("capacity smaller than 1 MiB"));
        }
        self.partitions.layout(self.capacity).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn early_warning_rule() {
        // 2 % capped at 64 MiB for real cartridges.
        assert_eq!(
            early_warning_size(Generation::Lto5.native_capacity(), None),
            64 * MIB
        );
        // 2 % of 64 MiB (1.28 MiB) is below the 2 MiB floor.
        assert_eq!(early_warning_size(64 * MIB, None), 2 * MIB);
        // 2 % of 5 GiB is 102.4 MiB: capped.
        assert_eq!(early_warning_size(5 * 1024 * MIB, None), 64 * MIB);
        assert_eq!(early_warning_size(2000 * MIB, None), 2000 * MIB / 50);
        // Tiny partitions: a quarter.
        assert_eq!(early_warning_size(4 * MIB, None), MIB);
        // Override, bounded by half the partition.
        assert_eq!(early_warning_size(64 * MIB, Some(5)), 5);
        assert_eq!(early_warning_size(4 * MIB, Some(64 * MIB)), 2 * MIB);
    }

    #[test]
    fn density_codes_by_generation() {
        // reference/scsi.md density code table (SSC-4 / LTO density codes).
        let expected = [
            (3, 0x44),
            (4, 0x46),
            (5, 0x58),
            (6, 0x5A),
            (7, 0x5C),
            (8, 0x5E),
            (9, 0x60),
        ];
        for (n, code) in expected {
            assert_eq!(lto_density_code(n), Some(code), "LTO-{n}");
        }
        assert_eq!(lto_density_code(2), None);
        assert_eq!(lto_density_code(10), None);
    }

    #[test]
    fn format_sizes() {
        assert_eq!(
            FormatSize::Single.layout(10 * MIB).ok(),
            Some(vec![10 * MIB])
        );
        assert_eq!(
            FormatSize::Partition1(3 * MIB).layout(10 * MIB).ok(),
            Some(vec![7 * MIB, 3 * MIB])
        );
        assert_eq!(
            FormatSize::Partition0(3 * MIB).layout(10 * MIB).ok(),
            Some(vec![3 * MIB, 7 * MIB])
        );
        assert!(FormatSize::Partition0(10 * MIB).layout(10 * MIB).is_err());
        assert!(FormatSize::Partition1(11 * MIB).layout(10 * MIB).is_err());
        assert!(FormatSize::Partition1(0).layout(10 * MIB).is_err());
    }
}
