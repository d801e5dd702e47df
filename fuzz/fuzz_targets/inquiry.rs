//! INQUIRY standard data and VPD pages 00h, 80h, 83h.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scsi_sg::inquiry;

fuzz_target!(|data: &[u8]| {
    if let Ok(std) = inquiry::parse(data) {
        let _ = format!("{std:?}");
    }
    if let Ok(page) = inquiry::parse_vpd(data) {
        let _ = inquiry::parse_supported_pages(&page);
        let _ = inquiry::parse_unit_serial(&page);
        let _ = inquiry::parse_device_identification(&page);
    }
});
