//! `stenc -g bits -k file [-kd desc]` (`reference/stenc.md` §1.1): 1.0.7's messages and key
//! file format (hex line, then the description without a trailing newline, mode 0600), but
//! the key comes from the OS random source through the library's [`Key::generate`] — never
//! 1.0.7's guessable `rand()` seeded from keyboard input, so nothing is read from stdin.

use std::path::Path;

use scsi_sg::encryption::key::write_key_file;
use scsi_sg::encryption::Key;

/// 1.0.7's warning for keys longer than AES-256's.
pub const OVER_256_WARNING: &str = "Warning: Keys over 256 bits cannot be used by this program!\n";

/// What generation printed or why it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeygenOutcome {
    /// Saved: the stdout lines.
    Saved(String),
    /// Failed: the text after `Error: `.
    Failed(String),
}

/// Generate a key of `bits` bits into `file` (an existing file is replaced atomically, as
/// 1.0.7 overwrote it).
pub fn generate(bits: usize, file: &str, description: Option<&str>) -> KeygenOutcome {
    let key = match Key::generate(bits) {
        Ok(k) => k,
        Err(e) => return KeygenOutcome::Failed(format!("Could not generate the key: {e}")),
    };
    match write_key_file(Path::new(file), &key, description, true) {
        Ok(()) => KeygenOutcome::Saved(format!(
            "Random key saved into '{file}'\nPermissions of keyfile set to 600\n"
        )),
        Err(e) => KeygenOutcome::Failed(format!("Could not write the key file: {e}")),
    }
}
