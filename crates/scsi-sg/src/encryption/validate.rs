//! Checking a Set Data Encryption request against the drive's capabilities before sending
//! it (`reference/stenc.md` §4 and §6: the checks stenc 2.0 makes, plus DKAD_C and CKOD), so
//! that users get a clear message instead of the drive's bare 26/00.

use super::dec::DataEncryptionCapabilities;
use super::sde::SetDataEncryption;
use super::support::ManagementCapabilities;
use super::types::{DecryptionMode, DkadCapability, EncryptionMode, KadType, Rdmc, RdmcCapability};

/// A request the drive would refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// No algorithm descriptor with this index.
    #[error(
        "algorithm index {index} not supported by device (supported: {})",
        list(available)
    )]
    UnknownAlgorithm {
        /// The index asked for.
        index: u8,
        /// The indexes the drive lists.
        available: Vec<u8>,
    },
    /// The algorithm cannot encrypt (ENCRYPT_C is not "capable in hardware").
    #[error("device does not support encryption using algorithm index {index}")]
    CannotEncrypt {
        /// The index.
        index: u8,
    },
    /// The algorithm cannot decrypt.
    #[error("device does not support decryption using algorithm index {index}")]
    CannotDecrypt {
        /// The index.
        index: u8,
    },
    /// The key has the wrong length.
    #[error(
        "incorrect key size for algorithm index {index}, expected {expected} bytes, got {got}"
    )]
    KeyLength {
        /// The index.
        index: u8,
        /// KEY LENGTH from the descriptor.
        expected: u16,
        /// The key's length.
        got: usize,
    },
    /// The U-KAD is longer than the maximum.
    #[error("key descriptor exceeds maximum length of {max} bytes (got {got})")]
    UkadTooLong {
        /// Maximum U-KAD length.
        max: u16,
        /// The U-KAD's length.
        got: usize,
    },
    /// UKADF is set and the U-KAD is not exactly the fixed length.
    #[error("key descriptor must be exactly {fixed} bytes (got {got})")]
    UkadLength {
        /// The fixed length.
        fixed: u16,
        /// The U-KAD's length.
        got: usize,
    },
    /// The A-KAD is longer than the maximum.
    #[error("authenticated key descriptor exceeds maximum length of {max} bytes (got {got})")]
    AkadTooLong {
        /// Maximum A-KAD length.
        max: u16,
        /// The A-KAD's length.
        got: usize,
    },
    /// DKAD_C says KADs are not allowed.
    #[error("algorithm index {index} does not allow key descriptors")]
    KadNotAllowed {
        /// The index.
        index: u8,
    },
    /// DKAD_C says a KAD is required with a key.
    #[error("algorithm index {index} requires a key descriptor")]
    KadRequired {
        /// The index.
        index: u8,
    },
    /// RDMC was given but the host cannot control raw reads for this algorithm.
    #[error("device does not allow control of raw reads for algorithm index {index} (RDMC_C {})", rdmc_c.bits())]
    RawReadControlNotAllowed {
        /// The index.
        index: u8,
        /// The capability code.
        rdmc_c: RdmcCapability,
    },
    /// CKOD was asked for and the management capabilities page says it is not supported.
    #[error("device does not support clearing the key on demount (CKOD)")]
    CkodNotSupported,
}

fn list(v: &[u8]) -> String {
    if v.is_empty() {
        return "none".to_string();
    }
    v.iter().map(u8::to_string).collect::<Vec<_>>().join(", ")
}

/// Check a request against the capabilities page.
pub fn validate(
    sde: &SetDataEncryption,
    dec: &DataEncryptionCapabilities,
) -> Result<(), ValidationError> {
    validate_with(sde, dec, None)
}

/// Check a request against the capabilities page and, when given, the management
/// capabilities page (for CKOD).
pub fn validate_with(
    sde: &SetDataEncryption,
    dec: &DataEncryptionCapabilities,
    mgmt: Option<&ManagementCapabilities>,
) -> Result<(), ValidationError> {
    let index = sde.algorithm_index;
    let alg = dec
        .algorithm(index)
        .ok_or_else(|| ValidationError::UnknownAlgorithm {
            index,
            available: dec.algorithms.iter().map(|a| a.index).collect(),
        })?;
    let encrypting = sde.encryption_mode == EncryptionMode::Encrypt;
    let decrypting = matches!(
        sde.decryption_mode,
        DecryptionMode::Decrypt | DecryptionMode::Mixed
    );
    if encrypting && !alg.can_encrypt() {
        return Err(ValidationError::CannotEncrypt { index });
    }
    if decrypting && !alg.can_decrypt() {
        return Err(ValidationError::CannotDecrypt { index });
    }
    if (encrypting || decrypting) && sde.key.len() != usize::from(alg.key_length) {
        return Err(ValidationError::KeyLength {
            index,
            expected: alg.key_length,
            got: sde.key.len(),
        });
    }
    if !sde.kads.is_empty() && alg.dkad_c == DkadCapability::NotAllowed {
        return Err(ValidationError::KadNotAllowed { index });
    }
    if encrypting && sde.kads.is_empty() && alg.dkad_c == DkadCapability::Required {
        return Err(ValidationError::KadRequired { index });
    }
    for k in &sde.kads {
        let got = k.data.len();
        match k.kad_type {
            KadType::Ukad if alg.ukadf && got != usize::from(alg.max_ukad_length) => {
                return Err(ValidationError::UkadLength {
                    fixed: alg.max_ukad_length,
                    got,
                })
            }
            KadType::Ukad if got > usize::from(alg.max_ukad_length) => {
                return Err(ValidationError::UkadTooLong {
                    max: alg.max_ukad_length,
                    got,
                })
            }
            KadType::Akad if got > usize::from(alg.max_akad_length) => {
                return Err(ValidationError::AkadTooLong {
                    max: alg.max_akad_length,
                    got,
                })
            }
            _ => {}
        }
    }
    if sde.rdmc != Rdmc::AlgorithmDefault && !alg.rdmc_c.host_can_control() {
        return Err(ValidationError::RawReadControlNotAllowed {
            index,
            rdmc_c: alg.rdmc_c,
        });
    }
    if sde.ckod && mgmt.is_some_and(|m| !m.ckod_c) {
        return Err(ValidationError::CkodNotSupported);
    }
    Ok(())
}
