//! Field values shared by the tape data encryption pages (SSC-4 §8.5, `reference/scsi.md`
//! §6.4-§6.12): scopes, encryption/decryption modes, CEEM, RDMC, key and KAD formats, KAD
//! types, capability codes, next-block status codes, the mode pairs tools name, and the
//! builders' error. Every conversion is lossless: reserved codes are kept, never mapped away.

use crate::error::ScsiError;

/// A page could not be encoded: a list made a 16-bit length field overflow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// The named part is longer than its length field can say.
    #[error("{what} too long ({len} bytes)")]
    TooLong {
        /// What overflowed.
        what: &'static str,
        /// Its length in bytes.
        len: usize,
    },
}

impl From<BuildError> for ScsiError {
    fn from(e: BuildError) -> Self {
        ScsiError::InvalidRequest(e.to_string())
    }
}

/// A u16 length field for `len` bytes, or `BuildError::TooLong`.
pub(crate) fn len16(what: &'static str, len: usize) -> Result<u16, BuildError> {
    u16::try_from(len).map_err(|_| BuildError::TooLong { what, len })
}

/// Enums with named codes and a catch-all that keeps any other value.
macro_rules! open_enum {
    ($(#[$m:meta])* $name:ident, $other:ident, mask $mask:expr,
     { $($(#[$vm:meta])* $var:ident = $val:expr),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            $($(#[$vm])* $var,)+
            /// Any other (reserved or vendor) value, kept as received.
            $other(u8),
        }
        impl $name {
            /// Decode from the field's bits (masked to the field width).
            pub fn from_bits(v: u8) -> Self {
                match v & $mask {
                    $($val => $name::$var,)+
                    other => $name::$other(other),
                }
            }
            /// The field's bits.
            pub fn bits(self) -> u8 {
                match self {
                    $($name::$var => $val,)+
                    $name::$other(v) => v & $mask,
                }
            }
        }
    };
}

/// Enums over a 2-bit field: every value is named.
macro_rules! two_bit_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $val:expr),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            $($(#[$vm])* $var,)+
        }
        impl $name {
            /// Decode from the low two bits of `v`.
            pub fn from_bits(v: u8) -> Self {
                let all = [$($name::$var),+];
                all.get(usize::from(v & 3)).copied().unwrap_or_default()
            }
            /// The field's bits.
            pub fn bits(self) -> u8 {
                match self {
                    $($name::$var => $val,)+
                }
            }
        }
    };
}

open_enum!(
    /// SCOPE (SDE byte 4), I_T NEXUS SCOPE and KEY SCOPE (DES byte 4); 3-bit field.
    Scope, Reserved, mask 0x07, {
        /// 0: public (all I_T nexuses share the settings, other nexuses may change them).
        #[default]
        Public = 0,
        /// 1: local to this I_T nexus.
        Local = 1,
        /// 2: all I_T nexuses (what tools send).
        AllItNexus = 2,
    }
);

open_enum!(
    /// ENCRYPTION MODE (SDE byte 6, DES byte 5).
    EncryptionMode, Reserved, mask 0xff, {
        /// 0: do not encrypt.
        #[default]
        Disable = 0,
        /// 1: data arrive encrypted from the host (EXTERNAL).
        External = 1,
        /// 2: the drive encrypts.
        Encrypt = 2,
    }
);

open_enum!(
    /// DECRYPTION MODE (SDE byte 7, DES byte 6).
    DecryptionMode, Reserved, mask 0xff, {
        /// 0: do not decrypt; encrypted blocks fail.
        #[default]
        Disable = 0,
        /// 1: return encrypted blocks raw.
        Raw = 1,
        /// 2: decrypt; unencrypted blocks fail.
        Decrypt = 2,
        /// 3: decrypt encrypted blocks, pass unencrypted ones.
        Mixed = 3,
    }
);

two_bit_enum!(
    /// CEEM, check external encryption mode (SDE byte 5 b7-6; CEEMS in DES byte 12 b2-1).
    Ceem {
        /// 00b: vendor specific (stenc 1.0.7 sends this).
        #[default]
        VendorSpecific = 0,
        /// 01b: no check (stenc 2.0 sends this).
        NoCheck = 1,
        /// 10b: error if the block was written in EXTERNAL mode.
        External = 2,
        /// 11b: error if the block was written in ENCRYPT mode.
        Encrypt = 3,
    }
);

two_bit_enum!(
    /// RDMC, raw decryption mode control (SDE byte 5 b5-4).
    Rdmc {
        /// 00b: the algorithm's default.
        #[default]
        AlgorithmDefault = 0,
        /// 01b: reserved.
        Reserved = 1,
        /// 10b: mark written blocks raw-readable (`--unprotect`, `--allow-raw-read`).
        AllowRawRead = 2,
        /// 11b: mark written blocks not raw-readable (`--protect`, `--no-allow-raw-read`).
        Protect = 3,
    }
);

open_enum!(
    /// KEY FORMAT (SDE byte 9; page 0011h entries).
    KeyFormat, Other, mask 0xff, {
        /// 00h: plain-text key.
        #[default]
        PlainText = 0,
        /// 01h: vendor-specific key reference.
        VendorKeyReference = 1,
        /// 02h: AES-wrapped key.
        AesWrapped = 2,
        /// 03h: ESP-SCSI wrapped key.
        EspScsi = 3,
    }
);

open_enum!(
    /// KAD FORMAT (SDE byte 10, DES byte 13, NBES byte 15).
    KadFormat, Other, mask 0xff, {
        /// 00h: unspecified.
        #[default]
        Unspecified = 0,
        /// 01h: binary key name.
        Binary = 1,
        /// 02h: ASCII key name.
        Ascii = 2,
    }
);

open_enum!(
    /// KAD TYPE (KAD descriptor byte 0).
    KadType, Other, mask 0xff, {
        /// 00h: U-KAD, unauthenticated (e.g. the key name).
        #[default]
        Ukad = 0,
        /// 01h: A-KAD, authenticated.
        Akad = 1,
        /// 02h: nonce.
        Nonce = 2,
        /// 03h: M-KAD, metadata.
        Mkad = 3,
        /// 04h: wrapped-key KAD.
        WrappedKey = 4,
    }
);

two_bit_enum!(
    /// ENCRYPT_C / DECRYPT_C (DEC algorithm descriptor byte 4).
    Capability {
        /// 00b: not capable.
        #[default]
        NotCapable = 0,
        /// 01b: capable with external (host) encryption.
        External = 1,
        /// 10b: capable in hardware.
        Hardware = 2,
        /// 11b: reserved.
        Reserved = 3,
    }
);

two_bit_enum!(
    /// DKAD_C, whether a KAD must accompany a key (DEC descriptor byte 12 b7-6).
    DkadCapability {
        /// 00b: not specified.
        #[default]
        Unspecified = 0,
        /// 01b: a KAD is required.
        Required = 1,
        /// 10b: KADs are not allowed.
        NotAllowed = 2,
        /// 11b: KADs are allowed.
        Allowed = 3,
    }
);

two_bit_enum!(
    /// CFG_P, configuration prevented (DEC byte 4 b1-0).
    ConfigurationPrevented {
        /// 00b: not reported.
        #[default]
        NotReported = 0,
        /// 01b: no configuration prevented (what mhvtl reports).
        NotPrevented = 1,
        /// 10b: configuration prevented.
        Prevented = 2,
        /// 11b: reserved.
        Reserved = 3,
    }
);

open_enum!(
    /// RDMC_C, raw decryption mode control capability (DEC descriptor byte 12 b3-1), as
    /// stenc 2.0 interprets it (`reference/scsi.md` §6.4).
    RdmcCapability, Reserved, mask 0x07, {
        /// 0: not specified.
        #[default]
        Unspecified = 0,
        /// 1: raw decryption not allowed.
        NotAllowed = 1,
        /// 4: allowed, disabled by default; the host may change it.
        AllowedDisabledByDefault = 4,
        /// 5: allowed, enabled by default; the host may change it.
        AllowedEnabledByDefault = 5,
        /// 6: not allowed, and RDMC cannot be changed by the host.
        FixedDisabled = 6,
        /// 7: enabled by default, and RDMC cannot be changed by the host.
        FixedEnabled = 7,
    }
);

impl RdmcCapability {
    /// Whether the host may send RDMC other than "algorithm default" (false for 1, 6, 7).
    pub fn host_can_control(self) -> bool {
        !matches!(
            self,
            RdmcCapability::NotAllowed
                | RdmcCapability::FixedDisabled
                | RdmcCapability::FixedEnabled
        )
    }
    /// Whether raw decryption is allowed (by default), when the code says.
    pub fn raw_decryption_allowed(self) -> Option<bool> {
        match self {
            RdmcCapability::NotAllowed | RdmcCapability::FixedDisabled => Some(false),
            RdmcCapability::AllowedDisabledByDefault
            | RdmcCapability::AllowedEnabledByDefault
            | RdmcCapability::FixedEnabled => Some(true),
            _ => None,
        }
    }
}

open_enum!(
    /// ENCRYPTION STATUS of the next block (NBES byte 12 b3-0).
    BlockEncryptionStatus, Reserved, mask 0x0f, {
        /// 0: the device cannot determine it.
        #[default]
        CannotDetermine = 0,
        /// 1: can determine, but not at this position (BOT, filemark, EOD, not yet read).
        NotYetDetermined = 1,
        /// 2: the next logical object is not a logical block (e.g. a filemark).
        NotLogicalBlock = 2,
        /// 3: not encrypted.
        NotEncrypted = 3,
        /// 4: encrypted with an algorithm the drive does not support.
        UnsupportedAlgorithm = 4,
        /// 5: encrypted and decryptable with the current key.
        Decryptable = 5,
        /// 6: encrypted and supported, but decryption not enabled or the key is wrong.
        NotDecryptable = 6,
    }
);

/// The (encryption, decryption) mode pairs the tools name (`reference/stenc.md` §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    /// (0, 0).
    Off,
    /// (2, 2).
    On,
    /// (2, 3).
    Mixed,
    /// (2, 1).
    RawRead,
}

impl Preset {
    /// The mode pair.
    pub fn modes(self) -> (EncryptionMode, DecryptionMode) {
        match self {
            Preset::Off => (EncryptionMode::Disable, DecryptionMode::Disable),
            Preset::On => (EncryptionMode::Encrypt, DecryptionMode::Decrypt),
            Preset::Mixed => (EncryptionMode::Encrypt, DecryptionMode::Mixed),
            Preset::RawRead => (EncryptionMode::Encrypt, DecryptionMode::Raw),
        }
    }
    /// The preset for a mode pair, if the pair is one of the four.
    pub fn from_modes(enc: EncryptionMode, dec: DecryptionMode) -> Option<Preset> {
        [Preset::Off, Preset::On, Preset::Mixed, Preset::RawRead]
            .into_iter()
            .find(|p| p.modes() == (enc, dec))
    }
    /// The tools' name: `off`, `on`, `mixed`, `rawread`.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Off => "off",
            Preset::On => "on",
            Preset::Mixed => "mixed",
            Preset::RawRead => "rawread",
        }
    }
    /// Parse a tool's name (exact, lowercase).
    pub fn from_name(s: &str) -> Option<Preset> {
        [Preset::Off, Preset::On, Preset::Mixed, Preset::RawRead]
            .into_iter()
            .find(|p| p.name() == s)
    }
}
