//! stenc key files: `parse_key_file` on arbitrary bytes (hex line, optional description).
#![no_main]
use libfuzzer_sys::fuzz_target;
use scsi_sg::encryption::key::parse_key_file;

fuzz_target!(|data: &[u8]| {
    if let Ok(kf) = parse_key_file(data) {
        // The key re-encodes to hex that parses back to the same key.
        let hex = kf.key.to_hex();
        let again = parse_key_file(hex.as_bytes()).ok().map(|k| k.key);
        assert_eq!(again.as_ref(), Some(&kf.key));
        let _ = format!("{:?}", kf.key);
    }
});
