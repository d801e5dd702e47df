//! Checking a Set Data Encryption page (SSC-4 §8.5.4.3; layout in `reference/scsi.md`
//! §6.10) against what this drive supports, field by field, the way an LTO drive answers:
//! ILLEGAL REQUEST 26/00 INVALID FIELD IN PARAMETER LIST with a field pointer (C/D = 0,
//! byte offset in the parameter list, bit pointer on the field's most significant bit).
//!
//! The structure (page code, page length, reserved bytes, key and KAD lengths inside the
//! page) is checked by `scsi_sg::encryption::SetDataEncryption::parse`; this module checks
//! the values:
//!
//! | byte | accepted |
//! |---|---|
//! | 4 | SCOPE 0, 1 or 2; LOCK 0 (LOCK_C = 0) |
//! | 5 | CEEM 00b/01b (EEMC_C = 0); RDMC 00b, 10b, 11b; SDK 0; CKOD only with a cartridge loaded; CKORP 0; CKORL 0 |
//! | 6 | ENCRYPTION MODE 0 (DISABLE) or 2 (ENCRYPT); EXTERNAL is not supported |
//! | 7 | DECRYPTION MODE 0-3 |
//! | 8 | ALGORITHM INDEX 1 (ignored when both modes are DISABLE) |
//! | 9 | KEY FORMAT 00h plain text (ignored when both modes are DISABLE) |
//! | 10 | KAD FORMAT 0-2 |
//! | 18 | KEY LENGTH 32; 0 or 32 when both modes are DISABLE (stenc 1.0.7 sends 32 zero bytes for "off") |
//! | KADs | U-KAD ≤ 32 bytes, A-KAD ≤ 12 bytes (pointer on the KAD LENGTH field); other KAD types, repeats or a wrong order → pointer on the KAD TYPE byte |

use scsi_sg::encryption::{
    Ceem, DecryptionMode, EncryptionMode, KadFormat, KadType, KeyFormat, Rdmc, Scope,
    SetDataEncryption,
};
use scsi_sg::Sense;
use zeroize::Zeroizing;

use super::record::KEY_LEN;
use super::{enc_mode, Params};
use crate::drive::sense::invalid_param;

/// The one algorithm index this drive reports (page 0010h).
pub(crate) const ALGORITHM_INDEX: u8 = 1;
/// Largest U-KAD (page 0010h).
pub(crate) const MAX_UKAD: usize = 32;
/// Largest A-KAD (page 0010h).
pub(crate) const MAX_AKAD: usize = 12;

/// Offsets in the parameter list.
mod off {
    pub const SCOPE: usize = 4;
    pub const FLAGS: usize = 5;
    pub const ENC_MODE: usize = 6;
    pub const DEC_MODE: usize = 7;
    pub const ALGORITHM: usize = 8;
    pub const KEY_FORMAT: usize = 9;
    pub const KAD_FORMAT: usize = 10;
    pub const KEY_LENGTH: usize = 18;
    pub const KEY: usize = 20;
}

fn bad(byte: usize, bit: u8) -> Sense {
    invalid_param(byte, Some(bit))
}

fn bad_byte(byte: usize) -> Sense {
    invalid_param(byte, None)
}

/// Checks a parsed page and turns it into drive parameters. `loaded`: a cartridge is
/// mounted (for CKOD).
pub(crate) fn to_params(sde: &SetDataEncryption, loaded: bool) -> Result<Params, Sense> {
    if !matches!(sde.scope, Scope::Public | Scope::Local | Scope::AllItNexus) {
        return Err(bad(off::SCOPE, 7));
    }
    if sde.lock {
        return Err(bad(off::SCOPE, 0));
    }
    if !matches!(sde.ceem, Ceem::VendorSpecific | Ceem::NoCheck) {
        return Err(bad(off::FLAGS, 7));
    }
    if sde.rdmc == Rdmc::Reserved {
        return Err(bad(off::FLAGS, 5));
    }
    if sde.sdk {
        return Err(bad(off::FLAGS, 3));
    }
    if sde.ckod && !loaded {
        return Err(bad(off::FLAGS, 2));
    }
    if sde.ckorp {
        return Err(bad(off::FLAGS, 1));
    }
    if sde.ckorl {
        return Err(bad(off::FLAGS, 0));
    }
    let enc = match sde.encryption_mode {
        EncryptionMode::Disable | EncryptionMode::Encrypt => sde.encryption_mode.bits(),
        _ => return Err(bad_byte(off::ENC_MODE)),
    };
    let dec = match sde.decryption_mode {
        DecryptionMode::Reserved(_) => return Err(bad_byte(off::DEC_MODE)),
        m => m.bits(),
    };
    let off_page = enc == enc_mode::DISABLE && dec == super::dec_mode::DISABLE;
    if !off_page && sde.algorithm_index != ALGORITHM_INDEX {
        return Err(bad_byte(off::ALGORITHM));
    }
    if !off_page && sde.key_format != KeyFormat::PlainText {
        return Err(bad_byte(off::KEY_FORMAT));
    }
    if matches!(sde.kad_format, KadFormat::Other(_)) {
        return Err(bad_byte(off::KAD_FORMAT));
    }
    let key_len = sde.key.len();
    let key_ok = key_len == KEY_LEN || (off_page && key_len == 0);
    if !key_ok {
        return Err(bad_byte(off::KEY_LENGTH));
    }
    let (ukad, akad) = check_kads(sde, off::KEY + key_len)?;
    if off_page {
        return Ok(Params::default());
    }
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    key.copy_from_slice(sde.key.as_bytes().get(..KEY_LEN).unwrap_or(&[0; KEY_LEN]));
    Ok(Params {
        scope: sde.scope.bits(),
        ceem: sde.ceem.bits(),
        rdmc: sde.rdmc.bits(),
        ckod: sde.ckod,
        enc_mode: enc,
        dec_mode: dec,
        algorithm_index: sde.algorithm_index,
        kad_format: sde.kad_format.bits(),
        key: Some(key),
        ukad,
        akad,
    })
}

/// U-KAD and A-KAD of the page; `first` is the offset of the first KAD.
fn check_kads(sde: &SetDataEncryption, first: usize) -> Result<(Vec<u8>, Vec<u8>), Sense> {
    let (mut ukad, mut akad) = (None, None);
    let mut at = first;
    let mut last_type = None;
    for kad in &sde.kads {
        let t = kad.kad_type.bits();
        if last_type.is_some_and(|l| t <= l) {
            return Err(bad_byte(at));
        }
        last_type = Some(t);
        match kad.kad_type {
            KadType::Ukad if kad.data.len() <= MAX_UKAD => ukad = Some(kad.data.clone()),
            KadType::Akad if kad.data.len() <= MAX_AKAD => akad = Some(kad.data.clone()),
            KadType::Ukad | KadType::Akad => return Err(bad_byte(at + 2)),
            _ => return Err(bad_byte(at)),
        }
        at += 4 + kad.data.len();
    }
    Ok((ukad.unwrap_or_default(), akad.unwrap_or_default()))
}
