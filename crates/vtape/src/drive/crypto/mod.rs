//! The drive's data encryption state and the record path under it (SSC-4 §4.2.27 "data
//! encryption", `reference/scsi.md` §6): the parameters a SECURITY PROTOCOL OUT Set Data
//! Encryption page established, the key, where the key is kept between processes, and how
//! records are encrypted on WRITE and checked/decrypted on READ.
//!
//! # Where the key is
//!
//! Never in the medium file. [`KeyStore::File`] (the default for [`Drive::open`]) keeps
//! the parameters and the key in a sidecar file `<medium path>.drive-keys` (mode 0600,
//! written to a temporary file created 0600 and renamed over), so a key set by one program
//! stays in force for the next program that opens the same `.vtape`, as on a powered drive.
//! The file is removed when the key is cleared: on UNLOAD (every unload, see below), on a
//! Set Data Encryption page that turns both modes off, and on [`Drive::power_cycle`].
//! [`KeyStore::Memory`] keeps them in the process only (for a long-running `vtape serve`,
//! whose exit is the power cycle). In memory the key lives in a zeroize-on-drop buffer.
//!
//! # Lifetime
//!
//! The vtape drive is bound to one cartridge file, so an unload is both the demount and the
//! end of the drive session: the key is cleared at every UNLOAD whether or not CKOD was set
//! (CKOD is accepted and reported as supported, and demands exactly this). The KEY INSTANCE
//! COUNTER is not secret and lives in the drive state inside the medium file; it counts every
//! Set Data Encryption page processed (turning encryption off included) and survives unloads.
//!
//! [`Drive::open`]: super::Drive::open
//! [`Drive::power_cycle`]: super::Drive::power_cycle

pub(crate) mod io;
pub(crate) mod keystore;
pub(crate) mod record;
pub(crate) mod spout;

pub use keystore::KeyStore;

use record::DriveKey;

/// ENCRYPTION MODE values (`reference/scsi.md` §6.12).
pub(crate) mod enc_mode {
    /// DISABLE.
    pub const DISABLE: u8 = 0;
    /// ENCRYPT.
    pub const ENCRYPT: u8 = 2;
}

/// DECRYPTION MODE values (`reference/scsi.md` §6.12).
pub(crate) mod dec_mode {
    /// DISABLE.
    pub const DISABLE: u8 = 0;
    /// RAW: encrypted blocks are returned as stored.
    pub const RAW: u8 = 1;
    /// DECRYPT: unencrypted blocks are an error.
    pub const DECRYPT: u8 = 2;
    /// MIXED: encrypted blocks are decrypted, plain ones returned.
    pub const MIXED: u8 = 3;
}

/// RDMC field values (SDE byte 5 bits 5-4). 00b (algorithm default) and 10b both leave
/// blocks raw-read enabled on this drive (RDMC_C = 5).
pub(crate) mod rdmc {
    /// Mark blocks not raw-read enabled.
    pub const PROTECT: u8 = 3;
}

/// The data encryption parameters in force (from the last Set Data Encryption page).
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Params {
    /// SCOPE (0 public, 1 local, 2 all I_T nexus).
    pub scope: u8,
    /// CEEM.
    pub ceem: u8,
    /// RDMC.
    pub rdmc: u8,
    /// CKOD.
    pub ckod: bool,
    /// ENCRYPTION MODE.
    pub enc_mode: u8,
    /// DECRYPTION MODE.
    pub dec_mode: u8,
    /// ALGORITHM INDEX.
    pub algorithm_index: u8,
    /// KAD FORMAT.
    pub kad_format: u8,
    /// The key (present whenever a mode is not DISABLE).
    pub key: Option<DriveKey>,
    /// U-KAD sent with the key.
    pub ukad: Vec<u8>,
    /// A-KAD sent with the key.
    pub akad: Vec<u8>,
}

impl std::fmt::Debug for Params {
    /// Never shows the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Params")
            .field("enc_mode", &self.enc_mode)
            .field("dec_mode", &self.dec_mode)
            .field("algorithm_index", &self.algorithm_index)
            .field("key", &self.key.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl Params {
    /// Blocks written now are marked not raw-read enabled.
    pub(crate) fn protects(&self) -> bool {
        self.rdmc == rdmc::PROTECT
    }

    /// Whether every mode is DISABLE (nothing to keep).
    pub(crate) fn is_off(&self) -> bool {
        self.enc_mode == enc_mode::DISABLE && self.dec_mode == dec_mode::DISABLE
    }
}

/// The drive's encryption state: parameters and where they are kept.
#[derive(Debug)]
pub(crate) struct Crypto {
    /// Parameters in force.
    pub params: Params,
    /// Where they are kept between processes.
    pub store: KeyStore,
}

impl Crypto {
    /// Loads the parameters kept by `store` (defaults when there are none).
    pub(crate) fn load(store: KeyStore) -> Crypto {
        let params = store.load().unwrap_or_default();
        Crypto { params, store }
    }

    /// Replaces the parameters and keeps them (or removes the kept copy when off).
    pub(crate) fn set(&mut self, params: Params) -> std::io::Result<()> {
        if params.is_off() {
            self.store.clear()?;
        } else {
            self.store.save(&params)?;
        }
        self.params = params;
        Ok(())
    }

    /// Forgets the key and every parameter (unload, power cycle).
    pub(crate) fn clear(&mut self) -> std::io::Result<()> {
        self.params = Params::default();
        self.store.clear()
    }
}
