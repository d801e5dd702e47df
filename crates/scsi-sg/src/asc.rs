//! ASC/ASCQ text (SPC-4 Annex D / T10 `asc-num.txt`): every tape code of `reference/scsi.md`
//! §7.6 plus the common general-purpose ones, in SPC's wording (sentence case).
//!
//! One sorted static table, binary searched. Vendor-specific codes (ASC or ASCQ 80h-FFh, except
//! the few ranges SPC defines) have no text.

/// `(ASC, ASCQ, text)`, sorted by ASC then ASCQ, no duplicates.
static TABLE: &[(u8, u8, &str)] = &[
    (0x00, 0x00, "No additional sense information"),
    (0x00, 0x01, "Filemark detected"),
    (0x00, 0x02, "End-of-partition/medium detected"),
    (0x00, 0x03, "Setmark detected"),
    (0x00, 0x04, "Beginning-of-partition/medium detected"),
    (0x00, 0x05, "End-of-data detected"),
    (0x00, 0x06, "I/O process terminated"),
    (0x00, 0x07, "Programmable early warning detected"),
    (0x00, 0x16, "Operation in progress"),
    (0x00, 0x17, "Cleaning requested"),
    (0x00, 0x18, "Erase operation in progress"),
    (0x00, 0x19, "Locate operation in progress"),
    (0x00, 0x1A, "Rewind operation in progress"),
    (0x00, 0x1B, "Set capacity operation in progress"),
    (0x00, 0x1C, "Verify operation in progress"),
    (0x03, 0x00, "Peripheral device write fault"),
    (0x03, 0x02, "Excessive write errors"),
    (0x04, 0x00, "Logical unit not ready, cause not reportable"),
    (0x04, 0x01, "Logical unit is in process of becoming ready"),
    (
        0x04,
        0x02,
        "Logical unit not ready, initializing command required",
    ),
    (
        0x04,
        0x03,
        "Logical unit not ready, manual intervention required",
    ),
    (0x04, 0x04, "Logical unit not ready, format in progress"),
    (0x04, 0x07, "Logical unit not ready, operation in progress"),
    (0x04, 0x09, "Logical unit not ready, self-test in progress"),
    (
        0x04,
        0x10,
        "Logical unit not ready, auxiliary memory not accessible",
    ),
    (0x04, 0x12, "Logical unit not ready, offline"),
    (
        0x04,
        0x13,
        "Logical unit not ready, SA creation in progress",
    ),
    (0x08, 0x00, "Logical unit communication failure"),
    (0x08, 0x01, "Logical unit communication time-out"),
    (0x08, 0x02, "Logical unit communication parity error"),
    (0x09, 0x00, "Track following error"),
    (0x0A, 0x00, "Error log overflow"),
    (0x0B, 0x00, "Warning"),
    (0x0B, 0x01, "Warning - specified temperature exceeded"),
    (0x0C, 0x00, "Write error"),
    (0x0C, 0x04, "Compression check miscompare error"),
    (0x0C, 0x05, "Data expansion occurred during compression"),
    (0x0C, 0x06, "Block not compressible"),
    (0x0C, 0x07, "Write error - recovery needed"),
    (0x0C, 0x08, "Write error - recovery failed"),
    (0x0C, 0x09, "Write error - loss of streaming"),
    (0x0C, 0x0A, "Write error - padding blocks added"),
    (0x0C, 0x0B, "Auxiliary memory write error"),
    (0x0E, 0x00, "Invalid information unit"),
    (0x11, 0x00, "Unrecovered read error"),
    (0x11, 0x01, "Read retries exhausted"),
    (0x11, 0x02, "Error too long to correct"),
    (0x11, 0x03, "Multiple read errors"),
    (0x11, 0x08, "Incomplete block read"),
    (0x11, 0x09, "No gap found"),
    (0x11, 0x0A, "Miscorrected error"),
    (0x11, 0x0D, "De-compression CRC error"),
    (0x11, 0x0E, "Cannot decompress using declared algorithm"),
    (0x11, 0x11, "Read error - loss of streaming"),
    (0x11, 0x12, "Auxiliary memory read error"),
    (0x11, 0x13, "Read error - failed retransmission request"),
    (0x14, 0x00, "Recorded entity not found"),
    (0x14, 0x01, "Record not found"),
    (0x14, 0x02, "Filemark or setmark not found"),
    (0x14, 0x03, "End-of-data not found"),
    (0x14, 0x04, "Block sequence error"),
    (0x14, 0x07, "Locate operation failure"),
    (0x15, 0x00, "Random positioning error"),
    (0x15, 0x01, "Mechanical positioning error"),
    (0x15, 0x02, "Positioning error detected by read of medium"),
    (
        0x17,
        0x00,
        "Recovered data with no error correction applied",
    ),
    (0x17, 0x01, "Recovered data with retries"),
    (0x18, 0x00, "Recovered data with error correction applied"),
    (0x1A, 0x00, "Parameter list length error"),
    (0x1B, 0x00, "Synchronous data transfer error"),
    (0x1D, 0x00, "Miscompare during verify operation"),
    (0x20, 0x00, "Invalid command operation code"),
    (0x21, 0x00, "Logical block address out of range"),
    (0x24, 0x00, "Invalid field in CDB"),
    (0x24, 0x01, "CDB decryption error"),
    (0x25, 0x00, "Logical unit not supported"),
    (0x26, 0x00, "Invalid field in parameter list"),
    (0x26, 0x01, "Parameter not supported"),
    (0x26, 0x02, "Parameter value invalid"),
    (0x26, 0x03, "Threshold parameters not supported"),
    (0x26, 0x04, "Invalid release of persistent reservation"),
    (0x26, 0x05, "Data decryption error"),
    (0x26, 0x10, "Data decryption key fail limit reached"),
    (0x26, 0x11, "Incomplete key-associated data set"),
    (0x26, 0x12, "Vendor specific key reference not found"),
    (0x27, 0x00, "Write protected"),
    (0x27, 0x01, "Hardware write protected"),
    (0x27, 0x02, "Logical unit software write protected"),
    (0x27, 0x03, "Associated write protect"),
    (0x27, 0x04, "Persistent write protect"),
    (0x27, 0x05, "Permanent write protect"),
    (
        0x28,
        0x00,
        "Not ready to ready change, medium may have changed",
    ),
    (0x28, 0x01, "Import or export element accessed"),
    (0x29, 0x00, "Power on, reset, or bus device reset occurred"),
    (0x29, 0x01, "Power on occurred"),
    (0x29, 0x02, "SCSI bus reset occurred"),
    (0x29, 0x03, "Bus device reset function occurred"),
    (0x29, 0x04, "Device internal reset"),
    (0x29, 0x05, "Transceiver mode changed to single-ended"),
    (0x29, 0x06, "Transceiver mode changed to LVD"),
    (0x29, 0x07, "I_T nexus loss occurred"),
    (0x2A, 0x00, "Parameters changed"),
    (0x2A, 0x01, "Mode parameters changed"),
    (0x2A, 0x02, "Log parameters changed"),
    (0x2A, 0x03, "Reservations preempted"),
    (0x2A, 0x04, "Reservations released"),
    (0x2A, 0x05, "Registrations preempted"),
    (0x2A, 0x0D, "Data encryption capabilities changed"),
    (0x2A, 0x10, "Timestamp changed"),
    (
        0x2A,
        0x11,
        "Data encryption parameters changed by another I_T nexus",
    ),
    (
        0x2A,
        0x12,
        "Data encryption parameters changed by vendor specific event",
    ),
    (
        0x2A,
        0x13,
        "Data encryption key instance counter has changed",
    ),
    (0x2C, 0x00, "Command sequence error"),
    (0x2C, 0x07, "Previous busy status"),
    (0x2F, 0x00, "Commands cleared by another initiator"),
    (0x30, 0x00, "Incompatible medium installed"),
    (0x30, 0x01, "Cannot read medium - unknown format"),
    (0x30, 0x02, "Cannot read medium - incompatible format"),
    (0x30, 0x03, "Cleaning cartridge installed"),
    (0x30, 0x04, "Cannot write medium - unknown format"),
    (0x30, 0x05, "Cannot write medium - incompatible format"),
    (0x30, 0x06, "Cannot format medium - incompatible medium"),
    (0x30, 0x07, "Cleaning failure"),
    (0x30, 0x0A, "Cleaning request rejected"),
    (0x30, 0x0C, "WORM medium - overwrite attempted"),
    (0x30, 0x0D, "WORM medium - integrity check"),
    (0x31, 0x00, "Medium format corrupted"),
    (0x31, 0x01, "Format command failed"),
    (0x33, 0x00, "Tape length error"),
    (0x37, 0x00, "Rounded parameter"),
    (0x39, 0x00, "Saving parameters not supported"),
    (0x3A, 0x00, "Medium not present"),
    (
        0x3A,
        0x04,
        "Medium not present - medium auxiliary memory accessible",
    ),
    (0x3B, 0x00, "Sequential positioning error"),
    (0x3B, 0x01, "Tape position error at beginning-of-medium"),
    (0x3B, 0x02, "Tape position error at end-of-medium"),
    (0x3B, 0x08, "Reposition error"),
    (0x3B, 0x09, "Read past end of medium"),
    (0x3B, 0x0A, "Read past beginning of medium"),
    (0x3B, 0x0B, "Position past end of medium"),
    (0x3B, 0x0C, "Position past beginning of medium"),
    (0x3B, 0x0D, "Medium destination element full"),
    (0x3B, 0x0E, "Medium source element empty"),
    (0x3B, 0x0F, "End of medium reached"),
    (
        0x3B,
        0x1C,
        "Too many logical objects on partition to support operation",
    ),
    (0x3D, 0x00, "Invalid bits in IDENTIFY message"),
    (0x3E, 0x00, "Logical unit has not self-configured yet"),
    (0x3E, 0x01, "Logical unit failure"),
    (0x3E, 0x02, "Timeout on logical unit"),
    (0x3E, 0x03, "Logical unit failed self-test"),
    (0x3E, 0x04, "Logical unit unable to update self-test log"),
    (0x3F, 0x00, "Target operating conditions have changed"),
    (0x3F, 0x01, "Microcode has been changed"),
    (0x3F, 0x02, "Changed operating definition"),
    (0x3F, 0x03, "INQUIRY data has changed"),
    (0x3F, 0x0E, "Reported LUNs data has changed"),
    (0x3F, 0x11, "Medium auxiliary memory accessible"),
    (0x40, 0x00, "RAM failure"),
    (0x43, 0x00, "Message error"),
    (0x44, 0x00, "Internal target failure"),
    (0x45, 0x00, "Select or reselect failure"),
    (0x47, 0x00, "SCSI parity error"),
    (0x47, 0x01, "Data phase CRC error detected"),
    (
        0x47,
        0x02,
        "SCSI parity error detected during ST data phase",
    ),
    (0x47, 0x03, "Information unit iuCRC error detected"),
    (
        0x47,
        0x04,
        "Asynchronous information protection error detected",
    ),
    (0x47, 0x05, "Protocol service CRC error"),
    (0x47, 0x7F, "Some commands cleared by iSCSI protocol event"),
    (0x48, 0x00, "Initiator detected error message received"),
    (0x49, 0x00, "Invalid message error"),
    (0x4A, 0x00, "Command phase error"),
    (0x4B, 0x00, "Data phase error"),
    (0x4C, 0x00, "Logical unit failed self-configuration"),
    (0x4E, 0x00, "Overlapped commands attempted"),
    (0x50, 0x00, "Write append error"),
    (0x50, 0x01, "Write append position error"),
    (0x50, 0x02, "Position error related to timing"),
    (0x51, 0x00, "Erase failure"),
    (
        0x51,
        0x01,
        "Erase failure - incomplete erase operation detected",
    ),
    (0x52, 0x00, "Cartridge fault"),
    (0x53, 0x00, "Media load or eject failed"),
    (0x53, 0x01, "Unload tape failure"),
    (0x53, 0x02, "Medium removal prevented"),
    (0x53, 0x04, "Medium thread or unthread failure"),
    (0x55, 0x00, "System resource failure"),
    (0x55, 0x01, "System buffer full"),
    (0x55, 0x03, "Insufficient resources"),
    (0x55, 0x06, "Auxiliary memory out of space"),
    (
        0x55,
        0x08,
        "Maximum number of supplemental decryption keys exceeded",
    ),
    (0x55, 0x09, "Medium auxiliary memory not accessible"),
    (0x5A, 0x00, "Operator request or state change input"),
    (0x5A, 0x01, "Operator medium removal request"),
    (0x5A, 0x02, "Operator selected write protect"),
    (0x5A, 0x03, "Operator selected write permit"),
    (0x5B, 0x00, "Log exception"),
    (0x5B, 0x01, "Threshold condition met"),
    (0x5B, 0x02, "Log counter at maximum"),
    (0x5B, 0x03, "Log list codes exhausted"),
    (0x5D, 0x00, "Failure prediction threshold exceeded"),
    (0x5D, 0xFF, "Failure prediction threshold exceeded (false)"),
    (0x5E, 0x00, "Low power condition on"),
    (0x65, 0x00, "Voltage fault"),
    (0x71, 0x00, "Decompression exception long algorithm ID"),
    (0x74, 0x00, "Security error"),
    (0x74, 0x01, "Unable to decrypt data"),
    (0x74, 0x02, "Unencrypted data encountered while decrypting"),
    (0x74, 0x03, "Incorrect data encryption key"),
    (0x74, 0x04, "Cryptographic integrity validation failed"),
    (0x74, 0x05, "Error decrypting data"),
    (0x74, 0x06, "Unknown signature verification key"),
    (0x74, 0x07, "Encryption parameters not useable"),
    (0x74, 0x08, "Digital signature validation failure"),
    (0x74, 0x09, "Encryption mode mismatch on read"),
    (0x74, 0x0A, "Encrypted block not raw read enabled"),
    (0x74, 0x0B, "Incorrect encryption parameters"),
    (0x74, 0x0C, "Unable to decrypt parameter list"),
    (0x74, 0x0D, "Encryption algorithm disabled"),
    (0x74, 0x10, "SA creation parameter value invalid"),
    (0x74, 0x11, "SA creation parameter value rejected"),
    (0x74, 0x12, "Invalid SA usage"),
    (0x74, 0x21, "Data encryption configuration prevented"),
    (0x74, 0x30, "SA creation parameter not supported"),
    (0x74, 0x40, "Authentication failed"),
    (
        0x74,
        0x61,
        "External data encryption key manager access error",
    ),
    (0x74, 0x62, "External data encryption key manager error"),
    (0x74, 0x63, "External data encryption key not found"),
    (
        0x74,
        0x64,
        "External data encryption request not authorized",
    ),
    (0x74, 0x6E, "External data encryption control timeout"),
    (0x74, 0x6F, "External data encryption control error"),
    (0x74, 0x71, "Logical unit access not authorized"),
    (0x74, 0x79, "Security conflict in translated device"),
];

/// ASC whose qualifiers 80h-FFh name a component (SPC: "Diagnostic failure on component NN").
const ASC_DIAGNOSTIC_FAILURE: u8 = 0x40;
/// ASC whose qualifier is a task tag (SPC: "Tagged overlapped commands (NN = task tag)").
const ASC_TAGGED_OVERLAPPED: u8 = 0x4D;
/// ASC whose qualifier is an algorithm id (SSC: "Decompression exception short algorithm ID of NN").
const ASC_DECOMPRESSION_SHORT: u8 = 0x70;

/// The SPC text for an ASC/ASCQ pair, or `None` for a code this table does not know
/// (including vendor-specific codes).
pub fn asc_text(asc: u8, ascq: u8) -> Option<&'static str> {
    if let Ok(i) = TABLE.binary_search_by_key(&(asc, ascq), |&(a, q, _)| (a, q)) {
        return TABLE.get(i).map(|&(_, _, text)| text);
    }
    match (asc, ascq) {
        (ASC_DIAGNOSTIC_FAILURE, 0x80..=0xFF) => Some("Diagnostic failure on component (ASCQ)"),
        (ASC_TAGGED_OVERLAPPED, _) => Some("Tagged overlapped commands (ASCQ = task tag)"),
        (ASC_DECOMPRESSION_SHORT, _) => Some("Decompression exception short algorithm ID (ASCQ)"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of `reference/scsi.md` §7.6, ranges expanded, copied from the reference text.
    #[rustfmt::skip]
    const TAPE_ROWS: &[(u8, u8)] = &[
        (0x00, 0x00), (0x00, 0x01), (0x00, 0x02), (0x00, 0x03), (0x00, 0x04), (0x00, 0x05),
        (0x00, 0x07), (0x00, 0x17), (0x00, 0x16), (0x00, 0x18), (0x00, 0x19), (0x00, 0x1A),
        (0x04, 0x00), (0x04, 0x01), (0x04, 0x02), (0x04, 0x03), (0x04, 0x10),
        (0x0C, 0x00), (0x0C, 0x0B), (0x11, 0x00), (0x11, 0x12),
        (0x14, 0x00), (0x14, 0x01), (0x14, 0x02), (0x14, 0x03),
        (0x15, 0x01), (0x1A, 0x00), (0x20, 0x00), (0x24, 0x00), (0x25, 0x00),
        (0x26, 0x00), (0x26, 0x01), (0x26, 0x02), (0x26, 0x10), (0x26, 0x11), (0x26, 0x12),
        (0x27, 0x00), (0x28, 0x00),
        (0x29, 0x00), (0x29, 0x01), (0x29, 0x02), (0x29, 0x03), (0x29, 0x04), (0x29, 0x05),
        (0x29, 0x06), (0x29, 0x07),
        (0x2A, 0x01), (0x2A, 0x0D), (0x2A, 0x11), (0x2A, 0x12), (0x2A, 0x13), (0x2C, 0x00),
        (0x30, 0x00), (0x30, 0x03), (0x30, 0x07), (0x30, 0x01), (0x30, 0x02), (0x30, 0x04),
        (0x30, 0x05), (0x30, 0x0C), (0x30, 0x0D), (0x31, 0x00), (0x33, 0x00),
        (0x3A, 0x00), (0x3A, 0x04),
        (0x3B, 0x00), (0x3B, 0x01), (0x3B, 0x02), (0x3B, 0x08),
        (0x3B, 0x09), (0x3B, 0x0A), (0x3B, 0x0B), (0x3B, 0x0C), (0x3B, 0x0F), (0x3B, 0x1C),
        (0x44, 0x00), (0x50, 0x00), (0x50, 0x01), (0x51, 0x00), (0x52, 0x00),
        (0x53, 0x00), (0x53, 0x01), (0x53, 0x02), (0x55, 0x06), (0x55, 0x08), (0x55, 0x09),
        (0x5A, 0x01), (0x5D, 0x00),
        (0x74, 0x00), (0x74, 0x01), (0x74, 0x02), (0x74, 0x03), (0x74, 0x04), (0x74, 0x05),
        (0x74, 0x07), (0x74, 0x09), (0x74, 0x0A), (0x74, 0x0B), (0x74, 0x0D),
    ];

    #[test]
    fn every_tape_row_has_text() {
        let missing: Vec<String> = TAPE_ROWS
            .iter()
            .filter(|&&(a, q)| asc_text(a, q).is_none())
            .map(|(a, q)| format!("{a:02X}/{q:02X}"))
            .collect();
        assert!(missing.is_empty(), "no text for {missing:?}");
    }

    #[test]
    fn table_sorted_unique_and_non_empty_texts() {
        for pair in TABLE.windows(2) {
            if let [(a1, q1, _), (a2, q2, _)] = pair {
                assert!(
                    (a1, q1) < (a2, q2),
                    "{a1:02X}/{q1:02X} before {a2:02X}/{q2:02X}"
                );
            }
        }
        assert!(TABLE.iter().all(|(_, _, t)| !t.is_empty()));
    }

    #[test]
    fn well_known_spc_texts() {
        // Wording of SPC-4 Annex D (T10 asc-num.txt), sentence case.
        assert_eq!(asc_text(0x00, 0x01), Some("Filemark detected"));
        assert_eq!(
            asc_text(0x00, 0x02),
            Some("End-of-partition/medium detected")
        );
        assert_eq!(
            asc_text(0x00, 0x04),
            Some("Beginning-of-partition/medium detected")
        );
        assert_eq!(asc_text(0x00, 0x05), Some("End-of-data detected"));
        assert_eq!(asc_text(0x24, 0x00), Some("Invalid field in CDB"));
        assert_eq!(asc_text(0x3A, 0x00), Some("Medium not present"));
        assert_eq!(
            asc_text(0x74, 0x09),
            Some("Encryption mode mismatch on read")
        );
    }

    #[test]
    fn unknown_and_vendor_codes_have_no_text() {
        assert_eq!(asc_text(0x80, 0x00), None);
        assert_eq!(asc_text(0x00, 0x80), None);
        assert_eq!(asc_text(0xFF, 0xFF), None);
        assert_eq!(asc_text(0x40, 0x01), None);
        assert!(asc_text(0x40, 0x81).is_some());
    }
}
