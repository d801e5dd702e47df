//! Sense data (SPC-4 §4.5; `reference/scsi.md` §7): fixed (70h/71h) and descriptor (72h/73h)
//! formats, decoded into one typed [`Sense`] value.
//!
//! The decoder is bounded by both the ADDITIONAL SENSE LENGTH and the bytes actually received
//! (`reference/scsi.md` §13.10): a truncated buffer decodes what is present, a field that is
//! missing reads as zero/absent, and no input makes it panic. The fixed-format builder
//! ([`Sense::to_fixed_bytes`]) is the inverse for every field the fixed format can carry.

use std::fmt;

use crate::asc::asc_text;

mod decode;

/// Response code: fixed format, current error.
const RESPONSE_FIXED_CURRENT: u8 = 0x70;
/// Response code: fixed format, deferred error.
const RESPONSE_FIXED_DEFERRED: u8 = 0x71;
/// Fixed byte 0 b7: INFORMATION is valid. Also b7 of byte 2 of the information descriptor.
const VALID: u8 = 0x80;
/// FILEMARK bit (fixed byte 2, stream-commands descriptor byte 3).
const FILEMARK: u8 = 0x80;
/// EOM bit (fixed byte 2, stream-commands descriptor byte 3).
const EOM: u8 = 0x40;
/// ILI bit (fixed byte 2, stream- and block-commands descriptor byte 3).
const ILI: u8 = 0x20;
/// Sense key in the low nibble.
const KEY_MASK: u8 = 0x0f;
/// Length of the fixed format this crate builds (through the sense-key-specific bytes).
pub const FIXED_LEN: usize = 18;
/// ADDITIONAL SENSE LENGTH of the fixed format this crate builds.
const FIXED_ADDITIONAL_LEN: u8 = (FIXED_LEN - HEADER_LEN) as u8;
/// Byte offset of the ADDITIONAL SENSE LENGTH field (both formats).
const ADDITIONAL_LENGTH_AT: usize = 7;
/// First byte covered by ADDITIONAL SENSE LENGTH (both formats).
const HEADER_LEN: usize = 8;
/// Sense-key-specific byte 0 b7: SKSV.
const SKSV: u8 = 0x80;
/// Field pointer: C/D bit (1 = the field is in the CDB).
const SKS_CD: u8 = 0x40;
/// Field pointer: BPV bit (BIT POINTER is valid).
const SKS_BPV: u8 = 0x08;
/// Field pointer: BIT POINTER.
const SKS_BIT_MASK: u8 = 0x07;

/// Sense key (SPC-4 table 51).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SenseKey {
    /// 0h: no specific key; may carry FILEMARK, EOM or ILI.
    NoSense,
    /// 1h: recovered error (may carry EOM at early warning).
    RecoveredError,
    /// 2h.
    NotReady,
    /// 3h.
    MediumError,
    /// 4h.
    HardwareError,
    /// 5h.
    IllegalRequest,
    /// 6h.
    UnitAttention,
    /// 7h.
    DataProtect,
    /// 8h: end of data on READ/SPACE.
    BlankCheck,
    /// 9h.
    VendorSpecific,
    /// Ah.
    CopyAborted,
    /// Bh.
    AbortedCommand,
    /// Ch (obsolete).
    Obsolete,
    /// Dh: physical end of partition on write.
    VolumeOverflow,
    /// Eh.
    Miscompare,
    /// Fh.
    Completed,
}

/// Whether the sense describes the command that just ran or an earlier, buffered one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SenseKind {
    /// 70h / 72h: the error belongs to the command that returned it.
    Current,
    /// 71h / 73h: a deferred error from an earlier command (e.g. a buffered write).
    Deferred,
}

/// Which wire format the sense came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SenseFormat {
    /// 70h / 71h.
    Fixed,
    /// 72h / 73h.
    Descriptor,
}

/// The ILLEGAL REQUEST sense-key-specific field pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldPointer {
    /// True if the bad field is in the CDB, false if in the parameter list.
    pub in_cdb: bool,
    /// Bit within the byte, when the device named one.
    pub bit: Option<u8>,
    /// Byte offset of the bad field.
    pub byte: u16,
}

/// Sense-key-specific information (SKSV = 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SenseKeySpecific {
    /// ILLEGAL REQUEST: which field was wrong.
    Field(FieldPointer),
    /// NOT READY / NO SENSE: progress, out of 65536.
    Progress(u16),
    /// RECOVERED / MEDIUM / HARDWARE ERROR: actual retry count.
    RetryCount(u16),
    /// Any other key: the raw 3 bytes (SKSV bit cleared).
    Raw([u8; 3]),
}

/// Decoded sense data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sense {
    /// Current or deferred.
    pub kind: SenseKind,
    /// Fixed or descriptor format.
    pub format: SenseFormat,
    /// Sense key.
    pub key: SenseKey,
    /// Additional sense code.
    pub asc: u8,
    /// Additional sense code qualifier.
    pub ascq: u8,
    /// FILEMARK bit (fixed byte 2 b7, or the stream-commands descriptor).
    pub filemark: bool,
    /// EOM bit.
    pub eom: bool,
    /// ILI bit (incorrect length indicator).
    pub ili: bool,
    /// INFORMATION field, sign-extended, present only when VALID = 1.
    pub information: Option<i64>,
    /// COMMAND-SPECIFIC INFORMATION.
    pub command_specific: Option<u64>,
    /// Sense-key-specific field (SKSV = 1).
    pub key_specific: Option<SenseKeySpecific>,
    /// Field replaceable unit code (0 = none).
    pub fru: u8,
}

impl SenseKey {
    /// The key in the low nibble of `byte` (the high nibble is ignored).
    pub const fn from_u8(byte: u8) -> SenseKey {
        match byte & KEY_MASK {
            0x0 => SenseKey::NoSense,
            0x1 => SenseKey::RecoveredError,
            0x2 => SenseKey::NotReady,
            0x3 => SenseKey::MediumError,
            0x4 => SenseKey::HardwareError,
            0x5 => SenseKey::IllegalRequest,
            0x6 => SenseKey::UnitAttention,
            0x7 => SenseKey::DataProtect,
            0x8 => SenseKey::BlankCheck,
            0x9 => SenseKey::VendorSpecific,
            0xa => SenseKey::CopyAborted,
            0xb => SenseKey::AbortedCommand,
            0xc => SenseKey::Obsolete,
            0xd => SenseKey::VolumeOverflow,
            0xe => SenseKey::Miscompare,
            _ => SenseKey::Completed,
        }
    }

    /// The 4-bit code of this key.
    pub const fn code(self) -> u8 {
        match self {
            SenseKey::NoSense => 0x0,
            SenseKey::RecoveredError => 0x1,
            SenseKey::NotReady => 0x2,
            SenseKey::MediumError => 0x3,
            SenseKey::HardwareError => 0x4,
            SenseKey::IllegalRequest => 0x5,
            SenseKey::UnitAttention => 0x6,
            SenseKey::DataProtect => 0x7,
            SenseKey::BlankCheck => 0x8,
            SenseKey::VendorSpecific => 0x9,
            SenseKey::CopyAborted => 0xa,
            SenseKey::AbortedCommand => 0xb,
            SenseKey::Obsolete => 0xc,
            SenseKey::VolumeOverflow => 0xd,
            SenseKey::Miscompare => 0xe,
            SenseKey::Completed => 0xf,
        }
    }

    /// The SPC name of the key, in upper case ("ILLEGAL REQUEST").
    pub const fn name(self) -> &'static str {
        match self {
            SenseKey::NoSense => "NO SENSE",
            SenseKey::RecoveredError => "RECOVERED ERROR",
            SenseKey::NotReady => "NOT READY",
            SenseKey::MediumError => "MEDIUM ERROR",
            SenseKey::HardwareError => "HARDWARE ERROR",
            SenseKey::IllegalRequest => "ILLEGAL REQUEST",
            SenseKey::UnitAttention => "UNIT ATTENTION",
            SenseKey::DataProtect => "DATA PROTECT",
            SenseKey::BlankCheck => "BLANK CHECK",
            SenseKey::VendorSpecific => "VENDOR SPECIFIC",
            SenseKey::CopyAborted => "COPY ABORTED",
            SenseKey::AbortedCommand => "ABORTED COMMAND",
            SenseKey::Obsolete => "OBSOLETE",
            SenseKey::VolumeOverflow => "VOLUME OVERFLOW",
            SenseKey::Miscompare => "MISCOMPARE",
            SenseKey::Completed => "COMPLETED",
        }
    }
}

impl fmt::Display for SenseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for FieldPointer {
    /// `CDB byte 8 bit 3` or `parameter list byte 2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = if self.in_cdb { "CDB" } else { "parameter list" };
        write!(f, "{place} byte {}", self.byte)?;
        if let Some(bit) = self.bit {
            write!(f, " bit {bit}")?;
        }
        Ok(())
    }
}

impl fmt::Display for SenseKeySpecific {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SenseKeySpecific::Field(p) => write!(f, "field pointer: {p}"),
            SenseKeySpecific::Progress(p) => {
                write!(f, "progress: {}%", u32::from(*p) * 100 / 65_536)
            }
            SenseKeySpecific::RetryCount(n) => write!(f, "retry count: {n}"),
            SenseKeySpecific::Raw([a, b, c]) => {
                write!(f, "sense-key specific: {a:02X} {b:02X} {c:02X}")
            }
        }
    }
}

impl SenseKeySpecific {
    /// The three wire bytes, SKSV set.
    fn encode(self) -> [u8; 3] {
        match self {
            SenseKeySpecific::Field(p) => {
                let mut b0 = SKSV;
                if p.in_cdb {
                    b0 |= SKS_CD;
                }
                if let Some(bit) = p.bit {
                    b0 |= SKS_BPV | (bit & SKS_BIT_MASK);
                }
                let [hi, lo] = p.byte.to_be_bytes();
                [b0, hi, lo]
            }
            SenseKeySpecific::Progress(v) | SenseKeySpecific::RetryCount(v) => {
                let [hi, lo] = v.to_be_bytes();
                [SKSV, hi, lo]
            }
            SenseKeySpecific::Raw([a, b, c]) => [SKSV | a, b, c],
        }
    }
}

impl Sense {
    /// A current, fixed-format sense with `key`, `asc` and `ascq` and nothing else set.
    pub const fn new(key: SenseKey, asc: u8, ascq: u8) -> Sense {
        Sense {
            kind: SenseKind::Current,
            format: SenseFormat::Fixed,
            key,
            asc,
            ascq,
            filemark: false,
            eom: false,
            ili: false,
            information: None,
            command_specific: None,
            key_specific: None,
            fru: 0,
        }
    }

    /// Set the FILEMARK bit.
    pub const fn with_filemark(mut self, filemark: bool) -> Sense {
        self.filemark = filemark;
        self
    }

    /// Set the EOM bit.
    pub const fn with_eom(mut self, eom: bool) -> Sense {
        self.eom = eom;
        self
    }

    /// Set the ILI bit.
    pub const fn with_ili(mut self, ili: bool) -> Sense {
        self.ili = ili;
        self
    }

    /// Set INFORMATION (and so VALID).
    pub const fn with_information(mut self, information: i64) -> Sense {
        self.information = Some(information);
        self
    }

    /// Set COMMAND-SPECIFIC INFORMATION.
    pub const fn with_command_specific(mut self, value: u64) -> Sense {
        self.command_specific = Some(value);
        self
    }

    /// Set the ILLEGAL REQUEST field pointer (sense-key-specific, SKSV = 1).
    pub const fn with_field_pointer(mut self, pointer: FieldPointer) -> Sense {
        self.key_specific = Some(SenseKeySpecific::Field(pointer));
        self
    }

    /// Set any sense-key-specific value (SKSV = 1).
    pub const fn with_key_specific(mut self, value: SenseKeySpecific) -> Sense {
        self.key_specific = Some(value);
        self
    }

    /// Set the field replaceable unit code.
    pub const fn with_fru(mut self, fru: u8) -> Sense {
        self.fru = fru;
        self
    }

    /// Mark the sense current or deferred.
    pub const fn with_kind(mut self, kind: SenseKind) -> Sense {
        self.kind = kind;
        self
    }

    /// The field pointer, for ILLEGAL REQUEST sense that carries one.
    pub fn field_pointer(&self) -> Option<FieldPointer> {
        match self.key_specific {
            Some(SenseKeySpecific::Field(f)) => Some(f),
            _ => None,
        }
    }

    /// True for a deferred error (71h/73h): it belongs to an earlier, buffered command.
    pub const fn is_deferred(&self) -> bool {
        matches!(self.kind, SenseKind::Deferred)
    }

    /// The SPC text of the ASC/ASCQ pair, when it is known.
    pub fn description(&self) -> Option<&'static str> {
        asc_text(self.asc, self.ascq)
    }

    /// Build 18 bytes of fixed-format sense (70h, or 71h when deferred).
    ///
    /// INFORMATION is written, with VALID = 1, only when it fits the 32-bit two's-complement
    /// field; otherwise VALID = 0. COMMAND-SPECIFIC INFORMATION is written as its low 32 bits
    /// (the parser reads an all-zero field as absent).
    pub fn to_fixed_bytes(&self) -> Vec<u8> {
        let mut b = vec![0u8; FIXED_LEN];
        let info = self.information.and_then(|v| i32::try_from(v).ok());
        let mut byte0 = match self.kind {
            SenseKind::Current => RESPONSE_FIXED_CURRENT,
            SenseKind::Deferred => RESPONSE_FIXED_DEFERRED,
        };
        if info.is_some() {
            byte0 |= VALID;
        }
        let mut byte2 = self.key.code();
        for (set, bit) in [(self.filemark, FILEMARK), (self.eom, EOM), (self.ili, ILI)] {
            if set {
                byte2 |= bit;
            }
        }
        // Truncation to the low 32 bits is the documented behaviour.
        let cmd_specific = self.command_specific.unwrap_or(0) as u32;
        let sks = self
            .key_specific
            .map(SenseKeySpecific::encode)
            .unwrap_or_default();
        let fields: [(usize, &[u8]); 9] = [
            (0, &[byte0]),
            (2, &[byte2]),
            (3, &info.unwrap_or(0).to_be_bytes()),
            (ADDITIONAL_LENGTH_AT, &[FIXED_ADDITIONAL_LEN]),
            (8, &cmd_specific.to_be_bytes()),
            (12, &[self.asc]),
            (13, &[self.ascq]),
            (14, &[self.fru]),
            (15, &sks),
        ];
        for (at, value) in fields {
            if let Some(dst) = b.get_mut(at..at + value.len()) {
                dst.copy_from_slice(value);
            }
        }
        b
    }
}

impl fmt::Display for Sense {
    /// `ILLEGAL REQUEST, 24/00 Invalid field in CDB (field pointer: CDB byte 8 bit 3)`;
    /// deferred errors start with `deferred `; FILEMARK, EOM, ILI and INFORMATION follow the
    /// text when set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_deferred() {
            f.write_str("deferred ")?;
        }
        write!(f, "{}, {:02X}/{:02X}", self.key, self.asc, self.ascq)?;
        if let Some(text) = self.description() {
            write!(f, " {text}")?;
        }
        for (set, name) in [
            (self.filemark, "FILEMARK"),
            (self.eom, "EOM"),
            (self.ili, "ILI"),
        ] {
            if set {
                write!(f, ", {name}")?;
            }
        }
        if let Some(info) = self.information {
            write!(f, ", INFORMATION {info}")?;
        }
        if let Some(sks) = self.key_specific {
            write!(f, " ({sks})")?;
        }
        Ok(())
    }
}
