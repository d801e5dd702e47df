//! The device server: an LTO-5..LTO-9 tape drive that executes SSC-4 / SPC-4 commands
//! against a [`Medium`].
//!
//! [`Drive::execute`] takes one CDB and its data buffer and returns a
//! [`scsi_sg::Completion`] with the status, the fixed-format sense bytes (and their decoded
//! form) and the residual, exactly as an SG_IO transport would report them. `Drive` also
//! implements [`scsi_sg::Transport`], so every scsi-sg runner works on it.
//!
//! Behaviour follows a real LTO drive as the Linux st driver sees it
//! (`reference/st-driver.md`, `reference/scsi.md` §7): filemark, end-of-data, beginning-of-
//! partition and early-warning sense with their INFORMATION residues, ILI on length
//! mismatches, write protect, UNIT ATTENTION after a load, NOT READY without a cartridge.
//!
//! # Structure
//!
//! Commands are dispatched from a static table (`dispatch.rs`): one row per operation code
//! with its name, handler, whether it needs a loaded medium and its data direction. Each
//! command family lives in its own module and contributes a slice of rows:
//!
//! | module | commands |
//! |---|---|
//! | `inquiry` | TEST UNIT READY, INQUIRY, REQUEST SENSE, READ BLOCK LIMITS, REPORT DENSITY SUPPORT |
//! | `rw` | READ(6), WRITE(6), WRITE FILEMARKS(6) |
//! | `motion` | SPACE(6)/(16), LOCATE(10)/(16), REWIND, ERASE(6), LOAD UNLOAD, PREVENT ALLOW MEDIUM REMOVAL |
//! | `position` | READ POSITION (short, long, extended) |
//! | `mode` | MODE SENSE/SELECT (6)/(10): block descriptor, pages 0Fh, 10h, 11h |
//! | `format` | FORMAT MEDIUM |
//! | `log` | LOG SENSE: pages 00h, 12h, 17h, 2Eh |
//! | `security` | SECURITY PROTOCOL IN/OUT: protocol 00h, tape data encryption (20h) |
//! | `attributes` | READ ATTRIBUTE, WRITE ATTRIBUTE (cartridge memory, `mam/`) |
//!
//! **Adding a family** (e.g. SECURITY PROTOCOL IN/OUT, READ/WRITE ATTRIBUTE): create
//! `drive/<family>.rs` with handlers of type `fn(&mut Drive, &Cdb<'_>, &mut DataDir<'_>) ->
//! CmdResult` and a `pub(super) const COMMANDS: &[CommandInfo]`, add its state (if any) to
//! [`Drive`] and to the persisted state (`state.rs`, bump nothing: new fields go at the end
//! and decode as defaults when absent), and add the slice to `dispatch::FAMILIES`. Nothing
//! else changes.
//!
//! # Persistence
//!
//! The drive state (loaded or not, partition and logical object position, block size,
//! density, compression, buffered mode, prevent flag, pending partitioning, counters,
//! TapeAlert flags and the host's opaque bytes) is stored in the medium's drive-state blob
//! by [`Drive::persist`] (at close), on UNLOAD, and best effort when the `Drive` is dropped
//! — not after every command. Opening a medium whose blob is missing or damaged starts from
//! the defaults: cartridge loaded, at the beginning of partition 0, variable block mode,
//! compression on. No UNIT ATTENTION is raised on open: between processes the drive is the
//! same powered drive.
//!
//! # Encryption
//!
//! SECURITY PROTOCOL OUT sets AES-256-GCM encryption as an LTO-6 does (`security.rs`,
//! `crypto/`). Records written while encrypting are stored as ciphertext ‖ tag with a
//! per-record header (nonce, key check value, U-KAD/A-KAD) in the record metadata; the
//! medium file never holds their plaintext nor the key. **The key and the encryption
//! parameters are kept in `<medium path>.drive-keys`** (mode 0600, see [`KeyStore`]) so
//! they stay in force for the next program that opens the same `.vtape`; the file is
//! removed when the key is cleared (UNLOAD, turning encryption off, [`Drive::power_cycle`]).
//! [`Drive::with_key_store`] with [`KeyStore::Memory`] keeps them in the process only.
//! The key instance counter is kept in the drive state (it is not secret).

mod attributes;
mod cdb;
pub(crate) mod crypto;
mod dispatch;
mod format;
mod inquiry;
mod log;
pub(crate) mod mam;
mod mode;
mod motion;
mod position;
mod rw;
mod security;
mod sense;
mod state;

use std::path::Path;

use scsi_sg::{Command, Completion, DataDir, Sense, Transport};

use crate::medium::{Medium, MediumError};

pub use attributes::init_cartridge_memory;
pub use crypto::KeyStore;
pub use dispatch::{CommandInfo, Direction};
pub use mam::{barcode_value, MAM_CAPACITY};
pub use state::MAX_HOST_STATE_LEN;

use state::DriveState;

/// Largest block (record) length the drive accepts: READ BLOCK LIMITS reports it as the
/// maximum. This is the largest 24-bit transfer length, the same as the medium's limit.
pub const MAX_BLOCK_LEN: u32 = 0x00FF_FFFF;
/// TapeAlert flag 09h: write attempted to a write-protected cartridge.
const TAPE_ALERT_WRITE_PROTECT: u8 = 0x09;
/// Smallest block length (READ BLOCK LIMITS minimum).
pub const MIN_BLOCK_LEN: u16 = 1;

/// Errors of [`Drive::open`] and [`Drive::persist`]. Command failures are not errors: they
/// are CHECK CONDITION completions.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DriveError {
    /// The medium file could not be opened, read or written.
    #[error(transparent)]
    Medium(#[from] MediumError),
}

/// An emulated LTO drive with its cartridge.
///
/// ```
/// use scsi_sg::{DataDir, ScsiStatus};
/// use vtape::drive::Drive;
/// use vtape::medium::{Generation, Medium, MediumConfig};
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("tape.vtape");
/// Medium::create(&path, &MediumConfig::new(Generation::Lto8).with_capacity(64 << 20))?.close()?;
/// let mut drive = Drive::open(&path)?;
/// // WRITE(6), variable mode, 5 bytes.
/// let c = drive.execute(&[0x0A, 0, 0, 0, 5, 0], DataDir::ToDevice(b"hello"));
/// assert_eq!(c.status, ScsiStatus::GOOD);
/// drive.persist()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Drive {
    medium: Medium,
    state: DriveState,
    /// Sense waiting for the next command (UNIT ATTENTION) or REQUEST SENSE.
    pending: Option<Sense>,
    /// Drive serial number (INQUIRY VPD 80h), stable for a given medium path.
    serial: String,
    /// Data encryption parameters and key.
    crypto: crypto::Crypto,
    /// Cartridge memory (`None`: unreadable).
    mam: Option<mam::Mam>,
}

impl Drive {
    /// Opens the `.vtape` file (`Medium::open`) and restores the persisted drive state.
    pub fn open(path: impl AsRef<Path>) -> Result<Drive, DriveError> {
        Ok(Drive::from_medium(Medium::open(path)?))
    }

    /// A drive around an already open medium, restoring the state stored in it (defaults
    /// when there is none or it does not decode).
    pub fn from_medium(mut medium: Medium) -> Drive {
        let state = DriveState::decode(medium.drive_state()).unwrap_or_default();
        let serial = format!(
            "VT{:08X}",
            crc32fast::hash(medium.path().as_os_str().as_encoded_bytes())
        );
        let crypto = crypto::Crypto::load(KeyStore::beside(medium.path()));
        let mam = attributes::load_mam(&mut medium);
        let mut drive = Drive {
            medium,
            state,
            pending: None,
            serial,
            crypto,
            mam,
        };
        drive.clamp_position();
        drive.note_drive_in_mam();
        drive
    }

    /// Uses `store` for the encryption parameters and key from now on, replacing the ones
    /// loaded from the default store (`<medium path>.drive-keys`), which is left as it is.
    /// With [`KeyStore::Memory`] the drive starts with encryption off.
    pub fn with_key_store(mut self, store: KeyStore) -> Drive {
        self.crypto = crypto::Crypto::load(store);
        self
    }

    /// Where the encryption parameters and key are kept.
    pub fn key_store(&self) -> &KeyStore {
        &self.crypto.store
    }

    /// Emulates switching the drive off and on: the encryption key and parameters are
    /// cleared (and their file removed) and the next command reports UNIT ATTENTION 29/00
    /// (power on, reset). The cartridge stays loaded and the position is kept.
    pub fn power_cycle(&mut self) -> std::io::Result<()> {
        self.crypto.clear()?;
        self.pending = Some(sense::power_on());
        Ok(())
    }

    /// Executes one CDB as an LTO drive would and reports how it completed. Never panics,
    /// whatever the CDB and data.
    pub fn execute(&mut self, cdb: &[u8], data: DataDir<'_>) -> Completion {
        dispatch::execute(self, cdb, data)
    }

    /// Opaque bytes the host-side st emulation keeps with the drive state.
    pub fn host_state(&self) -> &[u8] {
        &self.state.host_state
    }

    /// Replaces the host bytes (at most [`MAX_HOST_STATE_LEN`]; longer input is cut).
    pub fn set_host_state(&mut self, bytes: &[u8]) {
        let n = bytes.len().min(MAX_HOST_STATE_LEN);
        self.state.host_state = bytes.get(..n).unwrap_or_default().to_vec();
    }

    /// Stores the drive state and host state in the medium (when they changed) and syncs
    /// the medium.
    pub fn persist(&mut self) -> Result<(), DriveError> {
        self.store_state()?;
        self.medium.sync()?;
        Ok(())
    }

    /// The loaded cartridge, or `None` when it is unloaded.
    pub fn medium(&self) -> Option<&Medium> {
        self.state.loaded.then_some(&self.medium)
    }

    /// The cartridge file, loaded or not (for tools that inspect an ejected cartridge).
    pub fn cartridge(&self) -> &Medium {
        &self.medium
    }

    /// Whether a cartridge is loaded (ready).
    pub fn is_loaded(&self) -> bool {
        self.state.loaded
    }

    /// Every command in the dispatch table.
    pub fn commands() -> impl Iterator<Item = &'static CommandInfo> {
        dispatch::commands()
    }

    /// Writes the state blob if it differs from the stored one (no sync).
    fn store_state(&mut self) -> Result<(), MediumError> {
        let blob = self.state.encode();
        if blob != self.medium.drive_state() {
            self.medium.set_drive_state(&blob)?;
        }
        Ok(())
    }

    /// DATA PROTECT 27/00 for a write to a protected cartridge; also raises TapeAlert flag
    /// 09h ("write protect"), as LTO drives do.
    fn protected(&mut self) -> Sense {
        let mut flags = scsi_sg::TapeAlertFlags(self.state.tape_alert);
        flags.set(TAPE_ALERT_WRITE_PROTECT, true);
        self.state.tape_alert = flags.0;
        sense::write_protected()
    }

    /// Keeps the position inside the medium (after a restore or a format).
    fn clamp_position(&mut self) {
        if self.state.partition >= self.medium.partitions() {
            self.state.partition = 0;
            self.state.position = 0;
        }
        let eod = self.medium.object_count(self.state.partition);
        self.state.position = self.state.position.min(eod);
    }

    /// Current partition.
    fn part(&self) -> u8 {
        self.state.partition
    }

    /// Current logical object number.
    fn pos(&self) -> u64 {
        self.state.position
    }

    /// End of data of the current partition.
    fn eod(&self) -> u64 {
        self.medium.object_count(self.state.partition)
    }
}

impl Drop for Drive {
    /// Best effort: stores the state blob if it changed (the medium writes its checkpoint
    /// when it is dropped right after).
    fn drop(&mut self) {
        let _ = self.store_state();
    }
}

impl Transport for Drive {
    fn execute(&mut self, cmd: Command<'_>) -> std::io::Result<Completion> {
        Ok(Drive::execute(self, cmd.cdb, cmd.data))
    }
}
