//! Keys and stenc key files (`reference/stenc.md` §1.1-§1.2): format, checksum, redaction,
//! permissions, 0600 atomic writes.

use super::key::*;
use std::os::unix::fs::PermissionsExt;

#[test]
fn hex_and_redaction() {
    let k = Key::from_hex("00FFa0").unwrap();
    assert_eq!(k.as_bytes(), &[0x00, 0xff, 0xa0]);
    assert_eq!((k.len(), k.bits()), (3, 24));
    assert_eq!(k.to_hex().as_str(), "00ffa0");
    assert_eq!(format!("{k:?}"), "Key(<redacted>, 3 bytes)");
    // Odd digit count: implicit leading 0 (stenc 2.x).
    assert_eq!(Key::from_hex("abc").unwrap().as_bytes(), &[0x0a, 0xbc]);
    assert_eq!(
        Key::from_hex("0xab"),
        Err(KeyError::InvalidHex { position: 1 })
    );
    assert_eq!(
        Key::from_hex("ab cd"),
        Err(KeyError::InvalidHex { position: 2 })
    );
    assert_eq!(Key::from_hex(""), Err(KeyError::Empty));
    assert_eq!(
        Key::from_hex(&"00".repeat(65)),
        Err(KeyError::TooLong { bytes: 65, max: 64 })
    );
    assert!(Key::from_hex(&"00".repeat(64)).is_ok());
    assert_ne!(Key::from_bytes(&[1, 2]), Key::from_bytes(&[1, 3]));
    assert_ne!(Key::from_bytes(&[1, 2]), Key::from_bytes(&[1]));
}

#[test]
fn legacy_checksum() {
    // stenc.md §1.2: keys 0x00..0x1f give 2aa0; bytes ≥ 80h count as negative chars.
    let k: Vec<u8> = (0u8..32).collect();
    assert_eq!(format!("{:x}", Key::from_vec(k).legacy_checksum()), "2aa0");
    assert_eq!(
        format!("{:x}", Key::from_bytes(&[0xff]).legacy_checksum()),
        "ffffffff"
    );
    assert_eq!(
        Key::from_bytes(&[0x01, 0x80]).legacy_checksum(),
        (1i32 - 256) as u32
    );
}

#[test]
fn key_file_format() {
    let kf = parse_key_file(b"0a0B\n").unwrap();
    assert_eq!(
        (kf.key.as_bytes(), kf.description),
        (&[0x0a, 0x0b][..], None)
    );
    let kf = parse_key_file(b"0a0b").unwrap();
    assert_eq!(kf.description, None);
    let kf = parse_key_file(b"0a0b\r\nmy tape key\r\nignored").unwrap();
    assert_eq!(kf.description.as_deref(), Some("my tape key"));
    let kf = parse_key_file(b"0a0b\nno newline at end").unwrap();
    assert_eq!(kf.description.as_deref(), Some("no newline at end"));
    assert_eq!(parse_key_file(b"0a0b\n\n").unwrap().description, None);
    assert!(matches!(parse_key_file(b""), Err(KeyFileError::NoKeyLine)));
    assert!(matches!(
        parse_key_file(b"\nabc"),
        Err(KeyFileError::NoKeyLine)
    ));
    assert!(matches!(
        parse_key_file(b"0a0b \n"),
        Err(KeyFileError::Key(_))
    ));
    assert!(matches!(
        parse_key_file(b"\xff\xfe\n"),
        Err(KeyFileError::Key(_))
    ));
    assert!(matches!(
        parse_key_file(b"00\n\xff"),
        Err(KeyFileError::DescriptionNotUtf8)
    ));
}

#[test]
fn generate_sizes() {
    let k = Key::generate(256).unwrap();
    assert_eq!(k.len(), 32);
    assert_ne!(k, Key::generate(256).unwrap());
    assert_eq!(Key::generate(128).unwrap().bits(), 128);
    for bad in [0, 7, 12, 520] {
        assert_eq!(Key::generate(bad), Err(KeyError::BadBits { bits: bad }));
    }
}

#[test]
fn write_and_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tape.key");
    let key = Key::from_bytes(&[0xab; 32]);
    write_key_file(&path, &key, Some("desc 1"), false).unwrap();
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    // stenc -g layout: hex, newline, description without a trailing newline.
    let text = std::fs::read(&path).unwrap();
    assert_eq!(text, format!("{}\ndesc 1", "ab".repeat(32)).into_bytes());
    assert_eq!(text.len(), 64 + 1 + 6);
    let (kf, warn) = load_key_file(&path, PermissionPolicy::Refuse).unwrap();
    assert_eq!(
        (kf.key, kf.description.as_deref(), warn),
        (key.clone(), Some("desc 1"), None)
    );

    // No overwrite unless asked; the existing file is untouched.
    let other = Key::from_bytes(&[1; 32]);
    assert!(matches!(
        write_key_file(&path, &other, None, false),
        Err(KeyFileError::Exists { .. })
    ));
    assert_eq!(
        load_key_file(&path, PermissionPolicy::Warn).unwrap().0.key,
        key
    );
    write_key_file(&path, &other, None, true).unwrap();
    let (kf, _) = load_key_file(&path, PermissionPolicy::Warn).unwrap();
    assert_eq!((kf.key, kf.description), (other, None));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        format!("{}\n", "01".repeat(32)).into_bytes()
    );
    // Only the key file is left in the directory (temporary files removed).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    // Group/others readable: a warning value, or a refusal.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (_, warn) = load_key_file(&path, PermissionPolicy::Warn).unwrap();
    let warn = warn.unwrap();
    assert_eq!(warn.mode, 0o644);
    assert!(warn
        .to_string()
        .contains("readable by group or others (mode 0644)"));
    assert!(matches!(
        load_key_file(&path, PermissionPolicy::Refuse),
        Err(KeyFileError::Permissions { mode: 0o644, .. })
    ));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert!(load_key_file(&path, PermissionPolicy::Refuse).is_err());

    assert!(matches!(
        write_key_file(&dir.path().join("x"), &key, Some("a\nb"), false),
        Err(KeyFileError::DescriptionHasNewline)
    ));
    assert!(matches!(
        load_key_file(&dir.path().join("missing"), PermissionPolicy::Warn),
        Err(KeyFileError::Io { .. })
    ));
    let big = dir.path().join("big");
    std::fs::write(&big, vec![b'0'; 70 * 1024]).unwrap();
    std::fs::set_permissions(&big, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(matches!(
        load_key_file(&big, PermissionPolicy::Refuse),
        Err(KeyFileError::TooLarge { .. })
    ));
}
