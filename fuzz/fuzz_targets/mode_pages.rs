//! MODE SENSE(6)/(10) replies, MODE SELECT parameter lists and the typed mode pages.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scsi_sg::mode::{self, DataCompression, DeviceConfiguration, ModeSelectList};

fuzz_target!(|data: &[u8]| {
    for md in [mode::parse6(data), mode::parse10(data)]
        .into_iter()
        .flatten()
    {
        for p in &md.pages {
            let _ = DataCompression::from_page(p);
            let _ = DeviceConfiguration::from_page(p);
        }
        let list = ModeSelectList::from_sense(&md);
        let _ = list.build6();
        let _ = list.build10();
    }
    let _ = ModeSelectList::parse6(data);
    let _ = ModeSelectList::parse10(data);
});
