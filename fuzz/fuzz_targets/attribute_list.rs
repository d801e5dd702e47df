//! READ ATTRIBUTE replies (SA 00h values, 01h/05h identifier lists, 02h/03h volume and
//! partition lists), typed decoding of every record that parses, and the device-side WRITE
//! ATTRIBUTE parameter list parser.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scsi_sg::attributes::{self, TextLocalization};

fuzz_target!(|data: &[u8]| {
    if let Ok(reply) = attributes::parse_values(data) {
        for loc in [
            TextLocalization::Ascii,
            TextLocalization::Iso8859(1),
            TextLocalization::Utf8,
            TextLocalization::Ucs2Be,
        ] {
            for a in &reply.attributes {
                let _ = a.decode(loc).to_string();
            }
        }
        for a in &reply.attributes {
            let _ = attributes::display_name(a.id);
            if let Ok(bytes) = a.to_bytes() {
                assert_eq!(attributes::parse_raw_file(&bytes).as_ref(), Ok(a));
            }
        }
    }
    let _ = attributes::parse_id_list(data);
    let _ = attributes::parse_volume_list(data);
    if let Ok(records) = attributes::parse_write_list(data) {
        for a in &records {
            let _ = a.decode(TextLocalization::Ascii).to_string();
        }
    }
});
