//! mt-st 1.7's command line (reference `mt-st.md` §1-§3 and §8): hand-parsed options checked by
//! their first characters, the device choice, and the usage texts.

use super::commands::COMMANDS;

/// The device used when neither `-f`/`-t` nor `$TAPE` names one.
pub const DEFAULT_TAPE: &str = "/dev/tape";

/// What the options ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// `-h`: the long usage on stderr, exit 0.
    Help,
    /// `-v…` or `--v…`: the version lines on stdout, exit 0.
    Version,
    /// A bad option (including `--help`) or `-f` without its argument: short usage, exit 1.
    BadOption,
    /// Options done: the `-f`/`-t` device if given, and the remaining words (command first).
    Run {
        /// The device of the last `-f`/`-t`.
        device: Option<String>,
        /// The command and its arguments.
        words: Vec<String>,
    },
}

/// Parse the options as mt-st does: only the first characters of each option are checked,
/// and parsing stops at the first argument that does not start with `-`.
pub fn parse_args(args: &[String]) -> Parsed {
    let mut device = None;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let bytes = arg.as_bytes();
        if bytes.first() != Some(&b'-') {
            break;
        }
        match bytes.get(1) {
            Some(b'f' | b't') => {
                i += 1;
                match args.get(i) {
                    Some(dev) => device = Some(dev.clone()),
                    None => return Parsed::BadOption,
                }
            }
            Some(b'h') => return Parsed::Help,
            Some(b'v') => return Parsed::Version,
            Some(b'-') if bytes.get(2) == Some(&b'v') => return Parsed::Version,
            _ => return Parsed::BadOption,
        }
        i += 1;
    }
    Parsed::Run {
        device,
        words: args.get(i..).unwrap_or_default().to_vec(),
    }
}

/// The version text (stdout): mt-st 1.7's two lines, unchanged, so scripts that parse them
/// keep working.
pub fn version_text() -> String {
    format!("mt-st v. 1.7\ndefault tape device: {DEFAULT_TAPE}\n")
}

/// The short usage (stderr): the first two lines of the long one.
pub fn short_usage() -> String {
    format!("usage: mt [-v] [--version] [-h] [ -f device ] command [ count ]\ndefault tape device: {DEFAULT_TAPE}\n")
}

/// The long usage (stderr): the short one and the command list, wrapped as mt-st wraps it
/// (a line ends once it reaches 70 columns; every entry keeps its `, ` or the final `.`).
pub fn long_usage() -> String {
    let mut text = short_usage();
    let mut line = String::from("commands: ");
    let last = COMMANDS.len().saturating_sub(1);
    for (i, cmd) in COMMANDS.iter().enumerate() {
        line.push_str(cmd.name);
        line.push_str(if i == last { "." } else { ", " });
        if line.len() >= 70 || i == last {
            text.push_str(&line);
            text.push('\n');
            line = String::from("          ");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options() {
        assert_eq!(parse_args(&v(&["-vx"])), Parsed::Version);
        assert_eq!(parse_args(&v(&["--vfoo"])), Parsed::Version);
        assert_eq!(parse_args(&v(&["--help"])), Parsed::BadOption);
        assert_eq!(parse_args(&v(&["-"])), Parsed::BadOption);
        assert_eq!(parse_args(&v(&["--"])), Parsed::BadOption);
        assert_eq!(parse_args(&v(&["-f"])), Parsed::BadOption);
        assert_eq!(parse_args(&v(&["-h", "-f"])), Parsed::Help);
        assert_eq!(parse_args(&v(&["-x", "-v"])), Parsed::BadOption);
        assert_eq!(
            parse_args(&v(&["-fxyz", "/dev/a", "-t", "/dev/b", "fsf", "-1"])),
            Parsed::Run {
                device: Some("/dev/b".into()),
                words: v(&["fsf", "-1"])
            }
        );
        assert_eq!(
            parse_args(&[]),
            Parsed::Run {
                device: None,
                words: vec![]
            }
        );
    }
}
