//! LOG SENSE pages: generic parameter parsing, TapeAlert (12h, 2Eh), volume statistics (17h).
#![no_main]
use libfuzzer_sys::fuzz_target;
use scsi_sg::log::{self, TapeAlertFlags, VolumeStatistics};

fuzz_target!(|data: &[u8]| {
    if let Ok(page) = log::parse(data) {
        for p in &page.parameters {
            let _ = p.as_u64();
        }
        if let Ok(f) = TapeAlertFlags::from_response_page(&page) {
            let _ = f.iter().count();
            let _ = f.max_severity();
        }
        let _ = TapeAlertFlags::from_tape_alert_page(&page);
        if let Ok(v) = VolumeStatistics::from_page(&page) {
            let _ = v.wear_out();
        }
    }
});
