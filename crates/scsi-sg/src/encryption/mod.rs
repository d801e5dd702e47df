//! Tape data encryption: SECURITY PROTOCOL IN/OUT (SPC-4 §6.30/§6.31) with security
//! protocol 00h (supported protocols) and 20h (SSC-4 §8.5, `reference/scsi.md` §6): the
//! in/out support pages, capabilities (0010h), key formats (0011h), management capabilities
//! (0012h), status (0020h), next block status (0021h) and Set Data Encryption (SPOUT 0010h),
//! each parsed and built; KAD descriptors; validation of a request against the
//! capabilities; runners over a [`Transport`]; and [`key`] for keys and stenc key files.
//!
//! Replies are read with an 8192-byte allocation; when the page says it is longer, the page
//! is read again with the exact size. Parsers are tolerant (page lengths that disagree with
//! the data, cut descriptors) and never panic.
//!
//! ```
//! use scsi_sg::encryption::{self, key::Key, AlgorithmDescriptor, DataEncryptionCapabilities,
//!     Rdmc, SetDataEncryption};
//!
//! // What `stenc -e on -a 1 --ckod --protect -k key` (description "tape1") sends:
//! let key = Key::from_hex(&"00".repeat(32))?;
//! let sde = SetDataEncryption::on(1, key)
//!     .with_ckod(true)
//!     .with_rdmc(Rdmc::Protect)
//!     .with_ukad("tape1");
//! let dec = DataEncryptionCapabilities {
//!     algorithms: vec![AlgorithmDescriptor::aes256_gcm(1)],
//!     ..Default::default()
//! };
//! encryption::validate(&sde, &dec)?;
//! let page = sde.to_bytes()?;
//! assert_eq!(&page[..6], &[0x00, 0x10, 0x00, 0x39, 0x40, 0x34]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod cdb;
pub mod dec;
pub mod des;
mod frame;
pub mod kad;
pub mod key;
pub mod nbes;
pub mod sde;
pub mod support;
pub mod types;
pub mod validate;

pub use cdb::{spin_cdb, spout_cdb, ALLOCATION_LENGTH};
pub use dec::{
    algorithm_name, AlgorithmDescriptor, DataEncryptionCapabilities, AES_256_CBC_HMAC_SHA_1,
    AES_256_CCM_128, AES_256_GCM_128, AES_256_XTS_HMAC_SHA_512,
};
pub use des::DataEncryptionStatus;
pub use kad::{parse_kads, write_kads, Kad};
pub use key::{Key, KeyError, KeyFile, KeyFileError, PermissionPolicy, PermissionWarning};
pub use nbes::NextBlockStatus;
pub use sde::{SdeError, SetDataEncryption};
pub use support::{ManagementCapabilities, SupportPages, SupportedKeyFormats, SupportedProtocols};
pub use types::{
    BlockEncryptionStatus, BuildError, Capability, Ceem, ConfigurationPrevented, DecryptionMode,
    DkadCapability, EncryptionMode, KadFormat, KadType, KeyFormat, Preset, Rdmc, RdmcCapability,
    Scope,
};
pub use validate::{validate, validate_with, ValidationError};

use crate::error::ScsiError;
use crate::opcode::{encryption_page, security_info_page, security_protocol};
use crate::transport::{TimeoutClass, Transport};
use crate::wire;

/// Total reply length the header announces, for the re-read decision.
fn announced_len(protocol: u8, specific: u16, b: &[u8]) -> Option<usize> {
    if protocol == security_protocol::INFORMATION
        && specific == security_info_page::SUPPORTED_PROTOCOLS
    {
        SupportedProtocols::announced_len(b)
    } else {
        // Protocol 20h pages and the 00h certificate page: length in bytes 2-3.
        wire::u16_at(b, 2).map(|n| 4 + usize::from(n))
    }
}

/// SECURITY PROTOCOL IN with an 8192-byte allocation; if the reply filled it and its header
/// announces more, read again with the exact size. Returns the bytes received.
pub fn security_protocol_in<T: Transport + ?Sized>(
    t: &mut T,
    protocol: u8,
    specific: u16,
) -> Result<Vec<u8>, ScsiError> {
    let first = spin_exact(t, protocol, specific, ALLOCATION_LENGTH)?;
    match announced_len(protocol, specific, &first) {
        Some(need) if need > first.len() && first.len() >= ALLOCATION_LENGTH as usize => {
            let need = u32::try_from(need).unwrap_or(u32::MAX);
            spin_exact(t, protocol, specific, need)
        }
        _ => Ok(first),
    }
}

fn spin_exact<T: Transport + ?Sized>(
    t: &mut T,
    protocol: u8,
    specific: u16,
    alloc: u32,
) -> Result<Vec<u8>, ScsiError> {
    let cdb = spin_cdb(protocol, specific, alloc);
    let alloc = usize::try_from(alloc).unwrap_or(usize::MAX);
    wire::data_in(t, &cdb, alloc, TimeoutClass::Config)
}

/// SECURITY PROTOCOL OUT of a whole parameter list (transfer length = its length).
pub fn security_protocol_out<T: Transport + ?Sized>(
    t: &mut T,
    protocol: u8,
    specific: u16,
    page: &[u8],
) -> Result<(), ScsiError> {
    let len = u32::try_from(page.len())
        .map_err(|_| ScsiError::InvalidRequest("parameter list too long".into()))?;
    let cdb = spout_cdb(protocol, specific, len);
    wire::data_out(t, &cdb, page, TimeoutClass::Config).map(|_| ())
}

fn tde_in<T: Transport + ?Sized>(t: &mut T, page: u16) -> Result<Vec<u8>, ScsiError> {
    security_protocol_in(t, security_protocol::TAPE_DATA_ENCRYPTION, page)
}

/// Protocol 00h: the supported security protocols.
pub fn supported_protocols<T: Transport + ?Sized>(
    t: &mut T,
) -> Result<SupportedProtocols, ScsiError> {
    let b = security_protocol_in(
        t,
        security_protocol::INFORMATION,
        security_info_page::SUPPORTED_PROTOCOLS,
    )?;
    Ok(SupportedProtocols::parse(&b)?)
}

/// Page 0000h: the SPIN pages of protocol 20h.
pub fn in_support_pages<T: Transport + ?Sized>(t: &mut T) -> Result<SupportPages, ScsiError> {
    Ok(SupportPages::parse(&tde_in(
        t,
        encryption_page::IN_SUPPORT,
    )?)?)
}

/// Page 0001h: the SPOUT pages of protocol 20h.
pub fn out_support_pages<T: Transport + ?Sized>(t: &mut T) -> Result<SupportPages, ScsiError> {
    Ok(SupportPages::parse(&tde_in(
        t,
        encryption_page::OUT_SUPPORT,
    )?)?)
}

/// Page 0010h: data encryption capabilities.
pub fn capabilities<T: Transport + ?Sized>(
    t: &mut T,
) -> Result<DataEncryptionCapabilities, ScsiError> {
    Ok(DataEncryptionCapabilities::parse(&tde_in(
        t,
        encryption_page::CAPABILITIES,
    )?)?)
}

/// Page 0011h: supported key formats.
pub fn key_formats<T: Transport + ?Sized>(t: &mut T) -> Result<SupportedKeyFormats, ScsiError> {
    Ok(SupportedKeyFormats::parse(&tde_in(
        t,
        encryption_page::SUPPORTED_KEY_FORMATS,
    )?)?)
}

/// Page 0012h: data encryption management capabilities.
pub fn management_capabilities<T: Transport + ?Sized>(
    t: &mut T,
) -> Result<ManagementCapabilities, ScsiError> {
    Ok(ManagementCapabilities::parse(&tde_in(
        t,
        encryption_page::MANAGEMENT_CAPABILITIES,
    )?)?)
}

/// Page 0020h: data encryption status.
pub fn status<T: Transport + ?Sized>(t: &mut T) -> Result<DataEncryptionStatus, ScsiError> {
    Ok(DataEncryptionStatus::parse(&tde_in(
        t,
        encryption_page::STATUS,
    )?)?)
}

/// Page 0021h: next block encryption status. A BLANK CHECK (blank tape: 08/14/03) is
/// "unable to determine" ([`NextBlockStatus::unable_to_determine`]), not an error. Never
/// moves the tape.
pub fn next_block_status<T: Transport + ?Sized>(t: &mut T) -> Result<NextBlockStatus, ScsiError> {
    match tde_in(t, encryption_page::NEXT_BLOCK_STATUS) {
        Ok(b) => Ok(NextBlockStatus::parse(&b)?),
        Err(ScsiError::BlankCheck(_)) => Ok(NextBlockStatus::unable_to_determine()),
        Err(e) => Err(e),
    }
}

/// SPOUT Set Data Encryption. Sends the request as built, without validation: call
/// [`validate()`] against [`capabilities`] first. Re-read [`status`] afterwards to confirm.
pub fn set_data_encryption<T: Transport + ?Sized>(
    t: &mut T,
    sde: &SetDataEncryption,
) -> Result<(), ScsiError> {
    let page = sde.to_bytes()?;
    security_protocol_out(
        t,
        security_protocol::TAPE_DATA_ENCRYPTION,
        encryption_page::SET_DATA_ENCRYPTION,
        &page,
    )
}

#[cfg(test)]
#[path = "../tests/encryption_key.rs"]
mod tests_key;
#[cfg(test)]
#[path = "../tests/encryption_pages.rs"]
mod tests_pages;
#[cfg(test)]
#[path = "../tests/encryption_sde.rs"]
mod tests_sde;
