//! Every operation code, service action, page code, VPD code and log page code the toolkit
//! uses, named in one place (SPC-4 / SSC-4 as summarised in `reference/scsi.md` §1, §2, §6, §9).
//!
//! Logic elsewhere never writes these numbers as hex literals; it names them from here.

// ---- Operation codes (SPC-4, SSC-4) -------------------------------------------------------

/// TEST UNIT READY (6).
pub const TEST_UNIT_READY: u8 = 0x00;
/// REWIND (6); IMMED in byte 1 bit 0.
pub const REWIND: u8 = 0x01;
/// REQUEST SENSE (6).
pub const REQUEST_SENSE: u8 = 0x03;
/// FORMAT MEDIUM (6), used to partition.
pub const FORMAT_MEDIUM: u8 = 0x04;
/// READ BLOCK LIMITS (6).
pub const READ_BLOCK_LIMITS: u8 = 0x05;
/// READ(6).
pub const READ_6: u8 = 0x08;
/// WRITE(6).
pub const WRITE_6: u8 = 0x0A;
/// WRITE FILEMARKS(6).
pub const WRITE_FILEMARKS_6: u8 = 0x10;
/// SPACE(6).
pub const SPACE_6: u8 = 0x11;
/// INQUIRY (6).
pub const INQUIRY: u8 = 0x12;
/// MODE SELECT(6).
pub const MODE_SELECT_6: u8 = 0x15;
/// ERASE(6).
pub const ERASE_6: u8 = 0x19;
/// MODE SENSE(6).
pub const MODE_SENSE_6: u8 = 0x1A;
/// LOAD UNLOAD (6).
pub const LOAD_UNLOAD: u8 = 0x1B;
/// PREVENT ALLOW MEDIUM REMOVAL (6).
pub const PREVENT_ALLOW_MEDIUM_REMOVAL: u8 = 0x1E;
/// LOCATE(10).
pub const LOCATE_10: u8 = 0x2B;
/// READ POSITION (10).
pub const READ_POSITION: u8 = 0x34;
/// REPORT DENSITY SUPPORT (10).
pub const REPORT_DENSITY_SUPPORT: u8 = 0x44;
/// LOG SELECT (10).
pub const LOG_SELECT: u8 = 0x4C;
/// LOG SENSE (10).
pub const LOG_SENSE: u8 = 0x4D;
/// MODE SELECT(10).
pub const MODE_SELECT_10: u8 = 0x55;
/// MODE SENSE(10).
pub const MODE_SENSE_10: u8 = 0x5A;
/// READ ATTRIBUTE (16), MAM.
pub const READ_ATTRIBUTE: u8 = 0x8C;
/// WRITE ATTRIBUTE (16), MAM.
pub const WRITE_ATTRIBUTE: u8 = 0x8D;
/// SPACE(16).
pub const SPACE_16: u8 = 0x91;
/// LOCATE(16).
pub const LOCATE_16: u8 = 0x92;
/// SECURITY PROTOCOL IN (12), "SPIN".
pub const SECURITY_PROTOCOL_IN: u8 = 0xA2;
/// SECURITY PROTOCOL OUT (12), "SPOUT".
pub const SECURITY_PROTOCOL_OUT: u8 = 0xB5;
/// Variable-length CDB (SPC-4 §4.2.4): 8 bytes plus the additional CDB length in byte 7.
pub const VARIABLE_LENGTH: u8 = 0x7F;

/// Length of the CDB that starts with `opcode`, from its group code (bits 7-5; SPC-4
/// §4.2.5.1, table 4): group 0 → 6, groups 1 and 2 → 10, group 4 → 16, group 5 → 12.
///
/// `None` when the group does not fix a length: group 3 is reserved except for
/// [`VARIABLE_LENGTH`] (whose length is in byte 7), and groups 6 and 7 are vendor specific.
/// Callers choose their own default for these.
pub fn cdb_len(opcode: u8) -> Option<usize> {
    match opcode >> 5 {
        0 => Some(6),
        1 | 2 => Some(10),
        4 => Some(16),
        5 => Some(12),
        _ => None,
    }
}

/// READ POSITION service actions (CDB byte 1, bits 4-0; SSC-4).
pub mod read_position_sa {
    /// Short form, block identifiers (20-byte reply).
    pub const SHORT_FORM: u8 = 0x00;
    /// Short form, vendor-specific identifiers (20-byte reply).
    pub const SHORT_FORM_VENDOR: u8 = 0x01;
    /// Long form (32-byte reply).
    pub const LONG_FORM: u8 = 0x06;
    /// Extended form (32-byte reply, allocation length honoured).
    pub const EXTENDED_FORM: u8 = 0x08;
}

/// READ ATTRIBUTE service actions (CDB byte 1, bits 4-0; `reference/scsi.md` §2).
pub mod read_attribute_sa {
    /// Attribute values.
    pub const ATTRIBUTE_VALUES: u8 = 0x00;
    /// Attribute list (IDs that exist).
    pub const ATTRIBUTE_LIST: u8 = 0x01;
    /// Logical volume list.
    pub const LOGICAL_VOLUME_LIST: u8 = 0x02;
    /// Partition list.
    pub const PARTITION_LIST: u8 = 0x03;
    /// Supported attributes (SPC-5).
    pub const SUPPORTED_ATTRIBUTES: u8 = 0x05;
}

/// SECURITY PROTOCOL field values (SPIN/SPOUT CDB byte 1; `reference/scsi.md` §6).
pub mod security_protocol {
    /// Security protocol information (SPC).
    pub const INFORMATION: u8 = 0x00;
    /// Tape data encryption (SSC).
    pub const TAPE_DATA_ENCRYPTION: u8 = 0x20;
}

/// Security protocol 00h pages (SECURITY PROTOCOL SPECIFIC field).
pub mod security_info_page {
    /// Supported security protocol list.
    pub const SUPPORTED_PROTOCOLS: u16 = 0x0000;
    /// Certificate data.
    pub const CERTIFICATE: u16 = 0x0001;
}

/// Tape data encryption (protocol 20h) page codes (`reference/scsi.md` §6.3-6.10).
pub mod encryption_page {
    /// SPIN: tape data encryption in support pages.
    pub const IN_SUPPORT: u16 = 0x0000;
    /// SPIN: tape data encryption out support pages.
    pub const OUT_SUPPORT: u16 = 0x0001;
    /// SPIN: data encryption capabilities.
    pub const CAPABILITIES: u16 = 0x0010;
    /// SPIN: supported key formats.
    pub const SUPPORTED_KEY_FORMATS: u16 = 0x0011;
    /// SPIN: data encryption management capabilities.
    pub const MANAGEMENT_CAPABILITIES: u16 = 0x0012;
    /// SPIN: data encryption status.
    pub const STATUS: u16 = 0x0020;
    /// SPIN: next block encryption status.
    pub const NEXT_BLOCK_STATUS: u16 = 0x0021;
    /// SPIN: random number.
    pub const RANDOM_NUMBER: u16 = 0x0030;
    /// SPIN: device server key wrapping public key.
    pub const KEY_WRAPPING_PUBLIC_KEY: u16 = 0x0031;
    /// SPOUT: set data encryption.
    pub const SET_DATA_ENCRYPTION: u16 = 0x0010;
}

/// Vital product data page codes (INQUIRY with EVPD = 1; SPC-4 §7.8).
pub mod vpd {
    /// Supported VPD pages.
    pub const SUPPORTED_PAGES: u8 = 0x00;
    /// Unit serial number.
    pub const UNIT_SERIAL_NUMBER: u8 = 0x80;
    /// Device identification (designation descriptors).
    pub const DEVICE_IDENTIFICATION: u8 = 0x83;
    /// Extended INQUIRY data.
    pub const EXTENDED_INQUIRY: u8 = 0x86;
    /// Sequential-access device capabilities (SSC).
    pub const SEQUENTIAL_ACCESS_CAPABILITIES: u8 = 0xB0;
    /// Manufacturer-assigned serial number (SSC).
    pub const MANUFACTURER_SERIAL_NUMBER: u8 = 0xB1;
}

/// Mode page codes (SPC-4 §7.5, SSC-4 §8.3).
pub mod mode_page {
    /// Read-write error recovery.
    pub const READ_WRITE_ERROR_RECOVERY: u8 = 0x01;
    /// Disconnect-reconnect.
    pub const DISCONNECT_RECONNECT: u8 = 0x02;
    /// Control.
    pub const CONTROL: u8 = 0x0A;
    /// Data compression (DCE, DCC).
    pub const DATA_COMPRESSION: u8 = 0x0F;
    /// Device configuration.
    pub const DEVICE_CONFIGURATION: u8 = 0x10;
    /// Medium partition.
    pub const MEDIUM_PARTITION: u8 = 0x11;
    /// Informational exceptions control (TapeAlert reporting).
    pub const INFORMATIONAL_EXCEPTIONS_CONTROL: u8 = 0x1C;
    /// Medium configuration (WORM).
    pub const MEDIUM_CONFIGURATION: u8 = 0x1D;
    /// Return all pages.
    pub const ALL_PAGES: u8 = 0x3F;
    /// Subpage code "none" (page_0 format).
    pub const NO_SUBPAGE: u8 = 0x00;
    /// Subpage code "all subpages".
    pub const ALL_SUBPAGES: u8 = 0xFF;
}

/// Log page codes (SPC-4 §7.3, SSC-4 §8.2; `reference/scsi.md` §9).
pub mod log_page {
    /// Supported log pages.
    pub const SUPPORTED_PAGES: u8 = 0x00;
    /// Write error counters.
    pub const WRITE_ERROR_COUNTERS: u8 = 0x02;
    /// Read error counters.
    pub const READ_ERROR_COUNTERS: u8 = 0x03;
    /// Sequential-access device.
    pub const SEQUENTIAL_ACCESS_DEVICE: u8 = 0x0C;
    /// Temperature.
    pub const TEMPERATURE: u8 = 0x0D;
    /// Device status ("DT device status"; device activity, §9.3).
    pub const DEVICE_STATUS: u8 = 0x11;
    /// TapeAlert response (non-clearing).
    pub const TAPE_ALERT_RESPONSE: u8 = 0x12;
    /// Requested recovery.
    pub const REQUESTED_RECOVERY: u8 = 0x13;
    /// Device statistics.
    pub const DEVICE_STATISTICS: u8 = 0x14;
    /// Volume statistics (LTO-5+).
    pub const VOLUME_STATISTICS: u8 = 0x17;
    /// Data compression.
    pub const DATA_COMPRESSION: u8 = 0x1B;
    /// TapeAlert (reading clears the flags).
    pub const TAPE_ALERT: u8 = 0x2E;
    /// Informational exceptions.
    pub const INFORMATIONAL_EXCEPTIONS: u8 = 0x2F;
}

/// Peripheral device types (INQUIRY byte 0, bits 4-0; SPC-4 table 141).
pub mod device_type {
    /// Direct-access block device.
    pub const DIRECT_ACCESS: u8 = 0x00;
    /// Sequential-access device (tape drive).
    pub const SEQUENTIAL_ACCESS: u8 = 0x01;
    /// Medium changer.
    pub const MEDIUM_CHANGER: u8 = 0x08;
    /// Unknown or no device type.
    pub const UNKNOWN: u8 = 0x1F;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdb_length_by_group_code() {
        // SPC-4 §4.2.5.1 table 4, one opcode of each group.
        assert_eq!(cdb_len(TEST_UNIT_READY), Some(6));
        assert_eq!(cdb_len(0x1F), Some(6));
        assert_eq!(cdb_len(LOCATE_10), Some(10));
        assert_eq!(cdb_len(MODE_SENSE_10), Some(10));
        assert_eq!(cdb_len(0x60), None);
        assert_eq!(cdb_len(VARIABLE_LENGTH), None);
        assert_eq!(cdb_len(LOCATE_16), Some(16));
        assert_eq!(cdb_len(SECURITY_PROTOCOL_IN), Some(12));
        assert_eq!(cdb_len(SECURITY_PROTOCOL_OUT), Some(12));
        assert_eq!(cdb_len(0xC0), None);
        assert_eq!(cdb_len(0xFF), None);
    }
}
