//! The buffer geometry rules of mbuffer R20230301 (`reference/mbuffer.md` §1, `-s`/`-m`/`-b`),
//! checked against the real binary:
//!
//! - defaults: the block size starts at the page size and the block count at 2 % of physical
//!   memory in pages; while more than 200 blocks, the block size doubles and the count halves
//!   (120 × 4 MiB on a 23 GiB host);
//! - `-s` alone keeps the default count, `-b` alone the default block size;
//! - `-m` alone: the block size starts at the page size and doubles while there are more than
//!   1024 blocks, then halves while there are fewer than 5 (`-m 1G` = 1024 × 1 MiB,
//!   `-m 100M` = 800 × 128 KiB, `-m 1k` = 8 × 128 B); the memory is rounded down to whole blocks;
//! - any two of `-s`/`-m`/`-b` fix the third; three that disagree are fatal;
//! - fewer than 5 blocks: mbuffer refuses; mbuf raises the count to 5 (keeping the block size a
//!   tape needs) and warns; more than 10 000 blocks and more than half the memory warn.
//!
//! Config file values (`Blocksize`, `Numblocks`, `TotalMem`) are used only where the command
//! line leaves the geometry open (mbuffer: `Numblocks = 50` with `-s 128k` gives 50 blocks, but
//! with `-m 16M -s 128k` 128).

use super::CliError;

/// Fewest blocks of a ring.
pub const MIN_BLOCKS: u64 = 5;
/// Above this many blocks mbuffer warns.
pub const MANY_BLOCKS: u64 = 10_000;
/// Most blocks (mbuffer: the semaphore limit).
pub const MAX_BLOCKS: u64 = i32::MAX as u64;
/// Default buffer: this fraction (1/50 = 2 %) of physical memory.
const DEFAULT_MEMORY_DIVISOR: u64 = 50;
/// Default buffer: at most this many blocks.
const DEFAULT_MAX_BLOCKS: u64 = 200;
/// `-m` alone: at most this many blocks.
const MEMORY_ONLY_MAX_BLOCKS: u64 = 1024;
/// Default when physical memory is unknown: 120 × 4 MiB, mbuffer's figure on a 23 GiB host.
const FALLBACK_BLOCKS: u64 = 120;
/// See [`FALLBACK_BLOCKS`].
const FALLBACK_BLOCK_SIZE: u64 = 4 << 20;

/// Any of the three values, as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Request {
    /// `-s` / `Blocksize`.
    pub block_size: Option<u64>,
    /// `-m` / `TotalMem`, bytes.
    pub memory: Option<u64>,
    /// `-b` / `Numblocks`.
    pub blocks: Option<u64>,
}

impl Request {
    fn count(&self) -> usize {
        usize::from(self.block_size.is_some())
            + usize::from(self.memory.is_some())
            + usize::from(self.blocks.is_some())
    }
}

/// The resolved geometry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Geometry {
    /// Bytes per block.
    pub block_size: usize,
    /// Number of blocks (≥ 5).
    pub blocks: usize,
    /// Warnings (without the `warning: ` prefix).
    pub warnings: Vec<String>,
}

/// mbuffer's default geometry for this much physical memory and page size.
pub fn defaults(physical_memory: u64, page_size: u64) -> (u64, u64) {
    let page = page_size.max(1);
    let mut blocks = physical_memory / DEFAULT_MEMORY_DIVISOR / page;
    if blocks < MIN_BLOCKS {
        return (FALLBACK_BLOCK_SIZE, FALLBACK_BLOCKS);
    }
    let mut block_size = page;
    while blocks > DEFAULT_MAX_BLOCKS {
        block_size <<= 1;
        blocks >>= 1;
    }
    (block_size, blocks)
}

/// Block size for `-m` alone.
fn memory_only_block_size(memory: u64, page_size: u64) -> u64 {
    let mut bs = page_size.max(1);
    while memory / bs > MEMORY_ONLY_MAX_BLOCKS {
        bs <<= 1;
    }
    while memory / bs < MIN_BLOCKS && bs > 1 {
        bs >>= 1;
    }
    bs
}

/// A size as mbuffer writes it in its geometry messages (`128kiB`, `4MiB`, `1536 B`).
pub fn human(bytes: u64) -> String {
    const UNITS: [(&str, u32); 4] = [("TiB", 40), ("GiB", 30), ("MiB", 20), ("kiB", 10)];
    for (unit, shift) in UNITS {
        if bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return format!("{}{unit}", bytes >> shift);
        }
    }
    format!("{bytes} B")
}

/// Resolves the geometry from the command line (`cli`) and the config files (`config`).
pub fn resolve(
    cli: Request,
    config: Request,
    physical_memory: u64,
    page_size: u64,
) -> Result<Geometry, CliError> {
    let mut req = cli;
    if req.count() < 2 && req.block_size.is_none() && config.block_size.is_some() {
        req.block_size = config.block_size;
    }
    if req.count() < 2 && req.blocks.is_none() && config.blocks.is_some() {
        req.blocks = config.blocks;
    }
    if req.count() < 2 && req.memory.is_none() && config.memory.is_some() {
        req.memory = config.memory;
    }
    let (default_bs, default_blocks) = defaults(physical_memory, page_size);
    let mut warnings = Vec::new();
    let few = |b: u64, bs: u64, warnings: &mut Vec<String>| {
        warnings.push(format!(
            "Number of blocks must be at least {MIN_BLOCKS}: using {MIN_BLOCKS} blocks of {} \
             (requested {b})",
            human(bs)
        ));
        MIN_BLOCKS
    };
    let (bs, mut blocks) = match (req.block_size, req.memory, req.blocks) {
        (Some(s), Some(m), Some(b)) => {
            if s.checked_mul(b) != Some(m) {
                return Err(CliError::new(
                    "inconsistent options: blocksize * number of blocks != totalsize!",
                ));
            }
            (s, b)
        }
        (Some(s), Some(m), None) => (s, m / s),
        (None, Some(m), Some(b)) => {
            let b = if b < MIN_BLOCKS {
                let bs = m / MIN_BLOCKS;
                few(b, bs, &mut warnings)
            } else {
                b
            };
            (m / b, b)
        }
        (Some(s), None, Some(b)) => (s, b),
        (Some(s), None, None) => (s, default_blocks),
        (None, None, Some(b)) => (default_bs, b),
        (None, Some(m), None) => {
            let bs = memory_only_block_size(m, page_size);
            (bs, m / bs)
        }
        (None, None, None) => (default_bs, default_blocks),
    };
    if bs == 0 {
        return Err(CliError::new(
            "invalid argument - block size must be > 0 (increase -m or decrease -b)",
        ));
    }
    if blocks < MIN_BLOCKS {
        blocks = few(blocks, bs, &mut warnings);
    }
    if blocks > MAX_BLOCKS {
        return Err(CliError::new(format!(
            "cannot allocate more than {MAX_BLOCKS} blocks.\nPlease choose a bigger block size."
        )));
    }
    if blocks > MANY_BLOCKS {
        warnings.push(format!(
            "high value of number of blocks({blocks}): increase block size for better performance"
        ));
    }
    let total = bs.checked_mul(blocks).ok_or_else(too_large)?;
    if physical_memory > 0 && total > physical_memory / 2 {
        warnings.push("allocating more than half of available memory".to_string());
    }
    Ok(Geometry {
        block_size: usize::try_from(bs).map_err(|_| too_large())?,
        blocks: usize::try_from(blocks).map_err(|_| too_large())?,
        warnings,
    })
}

fn too_large() -> CliError {
    CliError::new("buffer too large for this machine")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The host the reference figures were measured on: 6171023 pages of 4 KiB.
    const PHYS: u64 = 6_171_023 * 4096;
    const PAGE: u64 = 4096;
    const K: u64 = 1024;
    const M: u64 = 1 << 20;

    fn cli(s: Option<u64>, m: Option<u64>, b: Option<u64>) -> Request {
        Request {
            block_size: s,
            memory: m,
            blocks: b,
        }
    }

    fn geo(req: Request) -> Result<(usize, usize, Vec<String>), String> {
        resolve(req, Request::default(), PHYS, PAGE)
            .map(|g| (g.block_size, g.blocks, g.warnings))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_match_mbuffer() {
        // mbuffer -v 5: "default Numblocks = 120, default Blocksize = 4194304".
        assert_eq!(defaults(PHYS, PAGE), (4 * M, 120));
        assert_eq!(geo(cli(None, None, None)), Ok((4 << 20, 120, vec![])));
        assert_eq!(
            geo(cli(Some(128 * K), None, None)),
            Ok((128 << 10, 120, vec![]))
        );
        assert_eq!(geo(cli(None, None, Some(100))), Ok((4 << 20, 100, vec![])));
    }

    #[test]
    fn memory_only_matches_mbuffer() {
        assert_eq!(geo(cli(None, Some(M), None)), Ok((4096, 256, vec![])));
        assert_eq!(
            geo(cli(None, Some(100 * M), None)),
            Ok((128 << 10, 800, vec![]))
        );
        assert_eq!(
            geo(cli(None, Some(1 << 30), None)),
            Ok((1 << 20, 1024, vec![]))
        );
        assert_eq!(geo(cli(None, Some(K), None)), Ok((128, 8, vec![])));
        // -m 10% on that host: "602 blocks with 4MiB".
        let ten = PHYS / 10;
        assert_eq!(geo(cli(None, Some(ten), None)), Ok((4 << 20, 602, vec![])));
    }

    #[test]
    fn two_fix_the_third() {
        assert_eq!(
            geo(cli(Some(128 * K), Some(4 << 30), None)),
            Ok((
                128 << 10,
                32768,
                vec![
                    "high value of number of blocks(32768): increase block size for better performance"
                        .into()
                ]
            ))
        );
        assert_eq!(
            geo(cli(Some(3 * M), Some(16 * M), None)),
            Ok((3 << 20, 5, vec![]))
        );
        assert_eq!(
            geo(cli(None, Some(16 * M), Some(7))),
            Ok((2_396_745, 7, vec![]))
        );
        assert_eq!(
            geo(cli(Some(128 * K), Some(M), Some(8))),
            Ok((128 << 10, 8, vec![]))
        );
    }

    #[test]
    fn inconsistent_is_fatal() {
        assert_eq!(
            geo(cli(Some(128 * K), Some(M), Some(4))),
            Err("inconsistent options: blocksize * number of blocks != totalsize!".into())
        );
    }

    #[test]
    fn too_few_blocks_adjusted() {
        // mbuffer: "Number of blocks must be at least 5." (fatal); mbuf keeps the block size.
        let (bs, b, w) = geo(cli(Some(128 * K), Some(128 * K), None)).unwrap();
        assert_eq!((bs, b), (128 << 10, 5));
        assert_eq!(w.len(), 1);
        assert!(w[0].starts_with("Number of blocks must be at least 5"));
        let (bs, b, _) = geo(cli(Some(8 * M), Some(16 * M), None)).unwrap();
        assert_eq!((bs, b), (8 << 20, 5));
        let (bs, b, _) = geo(cli(None, None, Some(0))).unwrap();
        assert_eq!((bs, b), (4 << 20, 5));
        let (bs, b, _) = geo(cli(None, Some(M), Some(2))).unwrap();
        assert_eq!((bs, b), ((M / 5) as usize, 5));
    }

    #[test]
    fn config_fills_open_values_only() {
        let config = cli(None, None, Some(50));
        let g = resolve(cli(Some(128 * K), None, None), config, PHYS, PAGE).unwrap();
        assert_eq!((g.block_size, g.blocks), (128 << 10, 50));
        let g = resolve(cli(Some(128 * K), Some(16 * M), None), config, PHYS, PAGE).unwrap();
        assert_eq!((g.block_size, g.blocks), (128 << 10, 128));
    }

    #[test]
    fn half_memory_warning() {
        let (_, _, w) = geo(cli(Some(1 << 30), None, None)).unwrap();
        assert!(w.contains(&"allocating more than half of available memory".to_string()));
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human(128 << 10), "128kiB");
        assert_eq!(human(4 << 20), "4MiB");
        assert_eq!(human(1536), "1536 B");
    }
}
