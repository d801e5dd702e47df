//! SPIN/SPOUT encryption pages: protocol 00h list, support pages, DEC, key formats,
//! management capabilities, DES, NBES, SDE (device side) and KAD lists; whatever parses
//! must rebuild and parse again to the same value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scsi_sg::encryption::{
    parse_kads, DataEncryptionCapabilities, DataEncryptionStatus, ManagementCapabilities,
    NextBlockStatus, SetDataEncryption, SupportPages, SupportedKeyFormats, SupportedProtocols,
};

fuzz_target!(|data: &[u8]| {
    let _ = parse_kads(data);
    if let Ok(p) = SupportedProtocols::parse(data) {
        let _ = p.to_bytes();
    }
    if let Ok(p) = SupportPages::parse(data) {
        let _ = p.to_bytes();
    }
    if let Ok(p) = SupportedKeyFormats::parse(data) {
        let _ = p.to_bytes();
    }
    if let Ok(p) = ManagementCapabilities::parse(data) {
        assert_eq!(ManagementCapabilities::parse(&p.to_bytes()).ok(), Some(p));
    }
    if let Ok(mut p) = DataEncryptionCapabilities::parse(data) {
        if let Ok(b) = p.to_bytes() {
            p.truncated = false;
            assert_eq!(DataEncryptionCapabilities::parse(&b).ok(), Some(p));
        }
    }
    if let Ok(p) = DataEncryptionStatus::parse(data) {
        let _ = p.to_bytes();
        let _ = p.ukad().map(|k| k.text());
    }
    if let Ok(p) = NextBlockStatus::parse(data) {
        let _ = p.to_bytes();
    }
    if let Ok(p) = SetDataEncryption::parse(data) {
        let _ = p.to_bytes();
    }
});
