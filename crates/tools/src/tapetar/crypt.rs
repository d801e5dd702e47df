//! `create --encrypt-key KEYFILE [-a N]`: switch the drive's data encryption on before the
//! first record (SSC-4 §8.5 Set Data Encryption through `scsi_sg::encryption`, the same
//! library calls `stenc -e on -k KEYFILE` makes), then check the status page.
//!
//! The key comes only from the stenc key file (line 1 hex key, line 2 optional description,
//! sent as the unauthenticated KAD as stenc does); it lives in the library's zeroized
//! [`scsi_sg::encryption::Key`] and never in argv or the environment.

use std::path::Path;

use scsi_sg::encryption::{
    self as enc, key::load_key_file, EncryptionMode, PermissionPolicy, SetDataEncryption,
};
use scsi_sg::Transport;

use super::error::Failure;

/// Loads the key file (permissions checked: a warning is returned for group/other-readable
/// files, or a refusal with `strict`), reads the drive's capabilities, chooses the algorithm
/// (`algorithm`, else the only one the drive lists), validates and sends Set Data
/// Encryption, and checks that the status page now says encryption is on.
///
/// Returns warnings for standard error.
pub fn enable(
    t: &mut dyn Transport,
    key_file: &Path,
    algorithm: Option<u8>,
    strict: bool,
) -> Result<Vec<String>, Failure> {
    let policy = if strict {
        PermissionPolicy::Refuse
    } else {
        PermissionPolicy::Warn
    };
    let (file, warning) = load_key_file(key_file, policy)
        .map_err(|e| Failure::fatal(format!("encryption key: {e}")))?;
    let mut warnings = Vec::new();
    if let Some(w) = warning {
        warnings.push(format!(
            "warning: {w}; run: chmod 600 '{}'",
            key_file.display()
        ));
    }
    let failed = |what: &str, e: &dyn std::fmt::Display| {
        Failure::fatal(format!("turning encryption on: {what}: {e}"))
    };
    let dec = enc::capabilities(t).map_err(|e| failed("reading the capabilities", &e))?;
    let index = match (algorithm, dec.algorithms.as_slice()) {
        (Some(a), _) => a,
        (None, [only]) => only.index,
        (None, []) => {
            return Err(Failure::fatal(
                "turning encryption on: the drive lists no encryption algorithm",
            ))
        }
        (None, more) => {
            let list: Vec<String> = more.iter().map(|a| a.index.to_string()).collect();
            return Err(Failure::fatal(format!(
                "turning encryption on: the drive lists algorithms {}: choose one with -a",
                list.join(", ")
            )));
        }
    };
    let mut sde = SetDataEncryption::on(index, file.key);
    if let Some(d) = file.description.filter(|d| !d.is_empty()) {
        sde = sde.with_ukad(d.into_bytes());
    }
    enc::validate(&sde, &dec).map_err(|e| failed("the request", &e))?;
    enc::set_data_encryption(t, &sde).map_err(|e| failed("Set Data Encryption", &e))?;
    drop(sde);
    let des = enc::status(t).map_err(|e| failed("reading the status", &e))?;
    if des.encryption_mode != EncryptionMode::Encrypt {
        return Err(Failure::fatal(
            "turning encryption on: the drive does not report encryption on after Set Data Encryption",
        ));
    }
    Ok(warnings)
}
