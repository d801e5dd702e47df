//! stenc 1.0.7's command line (`reference/stenc.md` §1), parsed by hand the way 1.0.7 does
//! it: one pass over the words, each option compared whole, a value that is missing or starts
//! with `-` counts as missing, and the first error ends parsing with `Error: <msg>` and the
//! usage. stenc 2.0's additions are accepted too (§4): `-d/--decrypt`, `--allow-raw-read` /
//! `--no-allow-raw-read`, `-k -` (key from stdin), `-h/--help`, `$TAPE`, and the long
//! spellings `--file`, `--encrypt`, `--key-file`, `--algorithm` (`--opt=value` or
//! `--opt value`). tapekit adds `--json` (status) and `--strict-key-perms`.
//!
//! Deviations from 1.0.7 (all documented in the module of the tool): `-a` needs a number
//! 0-255 (1.0.7 takes `atoi`, so `-a x` silently meant 0); `-g` needs a non-zero size (1.0.7
//! wrote an empty key for `-g 0`).

use scsi_sg::encryption::{DecryptionMode, EncryptionMode, Rdmc};

/// The usage line 1.0.7 prints (to stdout) after every error.
pub const USAGE: &str = "Usage: stenc --version | -g <length> -k <file> [-kd <description>] | -f <device> [--detail] [-e <on/mixed/rawread/off> [-k <file>] [-kd <description>] [-a <index>] [--protect | --unprotect] [--ckod] ]\nType 'man stenc' for more information.\n";

/// `--help`: the 1.0.7 usage plus the options tapekit and stenc 2.0 add.
pub const HELP_EXTRA: &str = "\
Options added to stenc 1.0.7's:
  -d, --decrypt <off|on|mixed>   decryption mode (stenc 2.0); -e is inferred when omitted
  --allow-raw-read               same as --unprotect (stenc 2.0)
  --no-allow-raw-read            same as --protect (stenc 2.0)
  -k -                           read the key file (hex line, description line) from stdin
  --json                         print the status as JSON
  --strict-key-perms             refuse a key file readable by group or others
  -h, --help                     this text
The device defaults to $TAPE. Without -a, the algorithm is taken from the drive when it
lists exactly one.
";

/// The version text of the stenc this tool replaces.
pub const VERSION: &str =
    "stenc v1.0.7 - SCSI Tape Encryption Manager\nhttp://sourceforge.net/projects/stenc/\n";

/// Longest `-kd` text 1.0.7 accepts.
pub const MAX_KD_LEN: usize = 30;

/// Where the key comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `-k <file>`.
    File(String),
    /// `-k -`: a key file read from standard input.
    Stdin,
    /// No `-k`: prompt for the key (1.0.7).
    Prompt,
}

/// A request to change the drive's encryption settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetRequest {
    /// The device path (after 1.0.7's renaming).
    pub device: String,
    /// ENCRYPTION MODE to set.
    pub encryption: EncryptionMode,
    /// DECRYPTION MODE to set.
    pub decryption: DecryptionMode,
    /// The key's source (ignored when both modes are off).
    pub key: KeySource,
    /// `-kd` text (a key file's description line overrides it).
    pub description: Option<String>,
    /// `-a`, if given.
    pub algorithm: Option<u8>,
    /// RDMC from `--protect`/`--unprotect` (or their 2.0 names).
    pub rdmc: Option<Rdmc>,
    /// `--ckod`.
    pub ckod: bool,
    /// `--strict-key-perms`.
    pub strict_key_perms: bool,
    /// A note for stderr about an inferred mode (stenc 2.0's wording).
    pub inferred: Option<&'static str>,
}

impl SetRequest {
    /// True when the request switches encryption on (a key is needed).
    pub fn needs_key(&self) -> bool {
        self.encryption != EncryptionMode::Disable || self.decryption != DecryptionMode::Disable
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// `--version`.
    Version,
    /// `-h` / `--help`.
    Help,
    /// `-g bits -k file [-kd desc]`.
    Generate {
        /// Key size in bits.
        bits: usize,
        /// The file to create.
        file: String,
        /// The description line.
        description: Option<String>,
    },
    /// `-f dev [--detail] [--json]`.
    Status {
        /// The device path (after 1.0.7's renaming).
        device: String,
        /// `--detail`.
        detail: bool,
        /// `--json`.
        json: bool,
    },
    /// `-f dev -e mode ...`.
    Set(SetRequest),
}

/// A command-line error: the text after `Error: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, CliError> {
    Err(CliError(msg.into()))
}

/// 1.0.7's device renaming: `/dev/stX` → `/dev/nstX` and `/dev/rmtX` → `/dev/rmtX.1` when the
/// name has no `.` (closing a rewinding node would rewind the tape).
pub fn rename_device(dev: &str) -> String {
    if dev.contains('.') {
        return dev.to_string();
    }
    if let Some(rest) = dev.strip_prefix("/dev/st") {
        format!("/dev/nst{rest}")
    } else if dev.starts_with("/dev/rmt") {
        format!("{dev}.1")
    } else {
        dev.to_string()
    }
}

fn encryption_mode(value: &str) -> Result<(EncryptionMode, DecryptionMode), CliError> {
    use DecryptionMode as D;
    use EncryptionMode as E;
    Ok(match value {
        "on" => (E::Encrypt, D::Decrypt),
        "mixed" => (E::Encrypt, D::Mixed),
        "rawread" => (E::Encrypt, D::Raw),
        "off" => (E::Disable, D::Disable),
        other => return err(format!("Unknown encryption mode '{other}'")),
    })
}

fn decryption_mode(value: &str) -> Result<DecryptionMode, CliError> {
    Ok(match value {
        "on" => DecryptionMode::Decrypt,
        "mixed" => DecryptionMode::Mixed,
        "off" => DecryptionMode::Disable,
        other => return err(format!("Unknown decryption mode '{other}'")),
    })
}

/// A non-empty run of ASCII digits.
fn number(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

#[derive(Default)]
struct Raw {
    device: Option<String>,
    detail: bool,
    json: bool,
    gen_bits: Option<u64>,
    key: Option<KeySource>,
    description: Option<String>,
    enc: Option<(EncryptionMode, DecryptionMode)>,
    dec: Option<DecryptionMode>,
    algorithm: Option<u8>,
    rdmc: Option<(Rdmc, String)>,
    ckod: bool,
    strict: bool,
}

/// Parse the words after the program name. `tape_env` is `$TAPE` (used when `-f` is absent).
pub fn parse_args(args: &[String], tape_env: Option<&str>) -> Result<Invocation, CliError> {
    let mut r = Raw::default();
    let mut i = 0;
    while let Some(word) = args.get(i) {
        i += 1;
        // `--opt=value` for the long spellings.
        let (name, inline) = match word.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (word.as_str(), None),
        };
        // The value of an option: inline, or the next word unless it starts with '-'
        // (`-k -` is stdin, so a lone "-" is a value).
        let mut value = |allow_dash: bool| -> Option<String> {
            if let Some(v) = inline.clone() {
                return Some(v);
            }
            let next = args.get(i)?;
            if next.starts_with('-') && !(allow_dash && next == "-") {
                return None;
            }
            i += 1;
            Some(next.clone())
        };
        match name {
            "--version" => return Ok(Invocation::Version),
            "-h" | "--help" => return Ok(Invocation::Help),
            "-g" => {
                let v = value(false);
                match v.as_deref().and_then(number) {
                    Some(n) => r.gen_bits = Some(n),
                    None => return err("Key size must be specified when using -g"),
                }
            }
            "-k" | "--key-file" => match value(true) {
                Some(v) if v == "-" => r.key = Some(KeySource::Stdin),
                Some(v) => r.key = Some(KeySource::File(v)),
                None => return err("Key file not specified after -k option"),
            },
            "-kd" => match value(false) {
                Some(v) if v.len() > MAX_KD_LEN => return err("Key description too long!"),
                Some(v) => r.description = Some(v),
                None => return err("Key description not specified after the -kd option"),
            },
            "-f" | "--file" => match value(false) {
                Some(v) => r.device = Some(v),
                None => return err("Device not specified after -f option."),
            },
            // 1.0.7 prints the -k message for a missing -e value.
            "-e" | "--encrypt" => match value(false) {
                Some(v) => r.enc = Some(encryption_mode(&v)?),
                None => return err("Key file not specified after -k option"),
            },
            "-d" | "--decrypt" => match value(false) {
                Some(v) => r.dec = Some(decryption_mode(&v)?),
                None => return err("Decryption mode not specified after -d option"),
            },
            "-a" | "--algorithm" => {
                match value(false).as_deref().and_then(number).map(u8::try_from) {
                    Some(Ok(n)) => r.algorithm = Some(n),
                    _ => {
                        return err(
                            "You must specify a numeric algorithm index when using the -a flag",
                        )
                    }
                }
            }
            "--protect" | "--no-allow-raw-read" => set_rdmc(&mut r, Rdmc::Protect, name)?,
            "--unprotect" | "--allow-raw-read" => set_rdmc(&mut r, Rdmc::AllowRawRead, name)?,
            "--ckod" => r.ckod = true,
            "--detail" => r.detail = true,
            "--json" => r.json = true,
            "--strict-key-perms" => r.strict = true,
            _ => return err(format!("Unknown command '{word}'")),
        }
    }
    finish(r, tape_env)
}

fn set_rdmc(r: &mut Raw, rdmc: Rdmc, name: &str) -> Result<(), CliError> {
    if let Some((other, other_name)) = &r.rdmc {
        if *other != rdmc {
            return err(format!(
                "'{name}' cannot be specified at the same time as '{other_name}'"
            ));
        }
    }
    r.rdmc = Some((rdmc, name.to_string()));
    Ok(())
}

fn finish(r: Raw, tape_env: Option<&str>) -> Result<Invocation, CliError> {
    if let Some(bits) = r.gen_bits {
        if bits % 8 != 0 {
            return err("Key size must be divisible by 8");
        }
        let file = match r.key {
            Some(KeySource::File(f)) => f,
            _ => return err("Specify file to save into with the -k argument."),
        };
        let bits = usize::try_from(bits).unwrap_or(usize::MAX);
        if bits == 0 {
            return err("Key size must be specified when using -g");
        }
        return Ok(Invocation::Generate {
            bits,
            file,
            description: r.description,
        });
    }
    let device = match r.device.or_else(|| tape_env.map(str::to_string)) {
        Some(d) if !d.is_empty() => rename_device(&d),
        _ => return err("Tape drive device must be specified with the -f option"),
    };
    let (modes, inferred) = match (r.enc, r.dec) {
        (None, None) => {
            return Ok(Invocation::Status {
                device,
                detail: r.detail,
                json: r.json,
            })
        }
        (Some(m), None) => (m, None),
        (Some((e, _)), Some(d)) => ((e, d), None),
        (None, Some(d)) => {
            if d == DecryptionMode::Disable {
                (
                    (EncryptionMode::Disable, d),
                    Some("Encrypt mode not specified, using encrypt = off"),
                )
            } else {
                (
                    (EncryptionMode::Encrypt, d),
                    Some("Encrypt mode not specified, using encrypt = on"),
                )
            }
        }
    };
    let rdmc = r.rdmc.map(|(m, _)| m);
    if modes.1 == DecryptionMode::Raw && rdmc == Some(Rdmc::Protect) {
        return err("'--protect' is not valid when setting encryption mode to 'rawread'");
    }
    Ok(Invocation::Set(SetRequest {
        device,
        encryption: modes.0,
        decryption: modes.1,
        key: r.key.unwrap_or(KeySource::Prompt),
        description: r.description,
        algorithm: r.algorithm,
        rdmc,
        ckod: r.ckod,
        strict_key_perms: r.strict,
        inferred,
    }))
}
