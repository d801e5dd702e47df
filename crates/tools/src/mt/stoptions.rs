//! `stoptions` / `stsetoptions` / `stclearoptions` words and `stshowoptions`, as mt-st 1.7
//! implements them (reference `mt-st.md` §5; option bits from `st-driver.md` §6).
//!
//! Words are matched by prefix in the table order below; a prefix that matches a later word
//! too is ambiguous unless it is a whole word. A first argument that starts with a digit is a
//! number (`strtol`, base 0) with the selector nibble masked off, and the other arguments are
//! then ignored.

use super::count::strtol_int;
use tape_io::options::{MT_ST_OPTIONS, MT_ST_SET_CLN};
use tape_io::DriverOptions;

/// One option word: name, bit, the explanation mt-st lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionWord {
    /// The word.
    pub name: &'static str,
    /// Its bit in the st options word.
    pub bit: u32,
    /// mt-st's one-line explanation.
    pub explanation: &'static str,
}

/// The option words of mt-st 1.7, in its order (`sysv` follows `no-wait`).
pub const OPTION_WORDS: &[OptionWord] = &[
    OptionWord {
        name: "buffer-writes",
        bit: DriverOptions::BUFFER_WRITES,
        explanation: "buffered writes",
    },
    OptionWord {
        name: "async-writes",
        bit: DriverOptions::ASYNC_WRITES,
        explanation: "asynchronous writes",
    },
    OptionWord {
        name: "read-ahead",
        bit: DriverOptions::READ_AHEAD,
        explanation: "read-ahead for fixed block size",
    },
    OptionWord {
        name: "debug",
        bit: DriverOptions::DEBUGGING,
        explanation: "debugging (if compiled into driver)",
    },
    OptionWord {
        name: "two-fms",
        bit: DriverOptions::TWO_FM,
        explanation: "write two filemarks when file closed",
    },
    OptionWord {
        name: "fast-eod",
        bit: DriverOptions::FAST_MTEOM,
        explanation: "space directly to eod (and lose file number)",
    },
    OptionWord {
        name: "auto-lock",
        bit: DriverOptions::AUTO_LOCK,
        explanation: "automatically lock/unlock drive door",
    },
    OptionWord {
        name: "def-writes",
        bit: DriverOptions::DEF_WRITES,
        explanation: "the block size and density are for writes",
    },
    OptionWord {
        name: "can-bsr",
        bit: DriverOptions::CAN_BSR,
        explanation: "drive can space backwards well",
    },
    OptionWord {
        name: "no-blklimits",
        bit: DriverOptions::NO_BLKLIMS,
        explanation: "drive doesn't support read block limits",
    },
    OptionWord {
        name: "can-partitions",
        bit: DriverOptions::CAN_PARTITIONS,
        explanation: "drive can handle partitioned tapes",
    },
    OptionWord {
        name: "scsi2logical",
        bit: DriverOptions::SCSI2LOGICAL,
        explanation: "logical block addresses used with SCSI-2",
    },
    OptionWord {
        name: "no-wait",
        bit: DriverOptions::NOWAIT,
        explanation: "immediate mode for rewind, etc.",
    },
    OptionWord {
        name: "sysv",
        bit: DriverOptions::SYSV,
        explanation: "enable the SystemV semantics",
    },
    OptionWord {
        name: "sili",
        bit: DriverOptions::SILI,
        explanation: "enable SILI for variable block mode",
    },
    OptionWord {
        name: "cleaning",
        bit: MT_ST_SET_CLN,
        explanation: "set the cleaning bit location and mask",
    },
];

/// Why option words were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionsError {
    /// No word starts with this text.
    Illegal(String),
    /// Several words start with this text and none equals it.
    Ambiguous(String),
}

impl OptionsError {
    /// mt-st's stderr text for this error (every line newline-terminated).
    pub fn message(&self) -> String {
        match self {
            OptionsError::Ambiguous(w) => format!("Property name '{w}' ambiguous.\n"),
            OptionsError::Illegal(w) => {
                let mut s =
                    format!("Illegal property name '{w}'.\nThe implemented property names are:\n");
                for word in OPTION_WORDS {
                    s.push_str(&format!("  {:>9} -> {}\n", word.name, word.explanation));
                }
                s
            }
        }
    }
}

/// The option bits named by `args` (before the selector is OR-ed in).
pub fn parse_option_bits(args: &[String]) -> Result<u32, OptionsError> {
    let Some(first) = args.first() else {
        return Ok(0);
    };
    if first.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return Ok(strtol_int(first) as u32 & !MT_ST_OPTIONS);
    }
    let mut bits = 0u32;
    for arg in args {
        let mut matches = OPTION_WORDS
            .iter()
            .filter(|w| w.name.starts_with(arg.as_str()));
        let word = matches
            .next()
            .ok_or_else(|| OptionsError::Illegal(arg.clone()))?;
        if word.name.len() != arg.len() && matches.next().is_some() {
            return Err(OptionsError::Ambiguous(arg.clone()));
        }
        bits |= word.bit;
    }
    Ok(bits)
}

/// Suffixes of the st device modes (st.c's order, indexed by mode << 2).
const MODE_SUFFIXES: [&str; 16] = [
    "", "r", "k", "s", "l", "t", "o", "u", "m", "v", "p", "x", "a", "y", "q", "z",
];

/// The sysfs options file of the st node with this minor number (`st-driver.md` §1):
/// tape number `((minor & ~255) >> 3) | (minor & 31)`, mode `(minor & 0x60) >> 5`.
pub fn sysfs_options_path(minor: u32) -> String {
    let tape = ((minor & !255) >> 3) | (minor & 31);
    let mode = ((minor & 0x60) >> 5) << 2;
    let suffix = MODE_SUFFIXES.get(mode as usize).copied().unwrap_or("");
    format!("/sys/class/scsi_tape/st{tape}{suffix}/options")
}

/// `The options set:` and the words of the set bits, from the sysfs file's text (a number read
/// with `strtol`, base 0, from its first 20 bytes).
pub fn format_options_set(sysfs_text: &str) -> String {
    let head: String = sysfs_text.chars().take(20).collect();
    let options = strtol_int(&head) as u32;
    let mut s = String::from("The options set:");
    for word in OPTION_WORDS.iter().filter(|w| options & w.bit != 0) {
        s.push(' ');
        s.push_str(word.name);
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn words_and_numbers() {
        assert_eq!(
            parse_option_bits(&words(&["buffer-writes", "can-bsr"])),
            Ok(0x101)
        );
        assert_eq!(parse_option_bits(&words(&["buf", "sil"])), Ok(0x4001));
        assert_eq!(
            parse_option_bits(&words(&["0xffffffff", "junk"])),
            Ok(0x0fff_ffff)
        );
        assert_eq!(parse_option_bits(&[]), Ok(0));
        assert_eq!(
            parse_option_bits(&words(&["s"])),
            Err(OptionsError::Ambiguous("s".into()))
        );
        assert_eq!(parse_option_bits(&words(&["sysv"])), Ok(0x1000));
        assert_eq!(
            parse_option_bits(&words(&["debug", "5"])),
            Err(OptionsError::Illegal("5".into()))
        );
    }

    #[test]
    fn sysfs_paths() {
        assert_eq!(sysfs_options_path(0), "/sys/class/scsi_tape/st0/options");
        assert_eq!(sysfs_options_path(128), "/sys/class/scsi_tape/st0/options");
        assert_eq!(sysfs_options_path(3), "/sys/class/scsi_tape/st3/options");
        assert_eq!(
            sysfs_options_path(0x20 | 1),
            "/sys/class/scsi_tape/st1l/options"
        );
        assert_eq!(
            sysfs_options_path(0x40),
            "/sys/class/scsi_tape/st0m/options"
        );
        assert_eq!(
            sysfs_options_path(0xe0 | 2),
            "/sys/class/scsi_tape/st2a/options"
        );
        assert_eq!(
            sysfs_options_path(256 + 5),
            "/sys/class/scsi_tape/st37/options"
        );
    }

    #[test]
    fn options_set_lines() {
        assert_eq!(
            format_options_set("0x00000101\n"),
            "The options set: buffer-writes can-bsr\n"
        );
        assert_eq!(format_options_set("junk"), "The options set:\n");
    }
}
