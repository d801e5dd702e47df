//! The SPOUT pages `stenc` sends for the seed's invocations, byte for byte against the layout
//! in `reference/stenc.md` §2 / `scsi.md` §6.10 (scope all I_T nexus, CKOD, RDMC protect,
//! modes, index 1, key length = key sent, U-KAD with byte 1 zero; off = 20-byte page), run
//! through the whole program against a scripted transport.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;
use std::sync::{Arc, Mutex};

use scsi_sg::encryption::{
    AlgorithmDescriptor, ConfigurationPrevented, DataEncryptionCapabilities, DataEncryptionStatus,
    DecryptionMode, EncryptionMode,
};
use scsi_sg::mock::{MockReply, MockTransport, RecordedData};
use scsi_sg::{Command, Completion, Transport};
use tapekit_tools::device::OpenError;
use tapekit_tools::stenc::{run, Env};

/// A transport sharing its recorder with the test.
struct Shared(Arc<Mutex<MockTransport>>);
impl Transport for Shared {
    fn execute(&mut self, cmd: Command<'_>) -> std::io::Result<Completion> {
        self.0.lock().unwrap().execute(cmd)
    }
}

fn dec() -> Vec<u8> {
    DataEncryptionCapabilities {
        extdecc: 0,
        cfg_p: ConfigurationPrevented::NotPrevented,
        algorithms: vec![AlgorithmDescriptor::aes256_gcm(1)],
        truncated: false,
    }
    .to_bytes()
    .unwrap()
}

fn des(enc: EncryptionMode, decm: DecryptionMode) -> Vec<u8> {
    DataEncryptionStatus {
        encryption_mode: enc,
        decryption_mode: decm,
        algorithm_index: 1,
        key_instance_counter: 1,
        ..Default::default()
    }
    .to_bytes()
    .unwrap()
}

fn run_set(args: &[&str], final_des: Vec<u8>) -> (u8, String, String, Vec<u8>, String) {
    let dir = tempfile::tempdir().unwrap();
    let mock = Arc::new(Mutex::new(MockTransport::with_replies([
        MockReply::data(dec()),
        MockReply::good(),
        MockReply::data(final_des),
    ])));
    let m2 = Arc::clone(&mock);
    let mut open = move |_: &str| -> Result<Box<dyn Transport>, OpenError> {
        Ok(Box::new(Shared(Arc::clone(&m2))))
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut input = Cursor::new(Vec::new());
    let mut echo = |_: bool| {};
    let log = dir.path().join("audit");
    let mut env = Env {
        out: &mut out,
        err: &mut err,
        input: &mut input,
        echo: &mut echo,
        tape_env: None,
        audit_log: log.clone(),
        open: &mut open,
    };
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let code = run(&args, &mut env);
    let spout = mock
        .lock()
        .unwrap()
        .commands()
        .iter()
        .find_map(|c| match (&c.data, c.cdb.first()) {
            (RecordedData::ToDevice(b), Some(0xB5)) => Some(b.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let audit = std::fs::read_to_string(&log).unwrap_or_default();
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
        spout,
        audit,
    )
}

const KEY_HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

#[test]
fn seed_on_ckod_protect_with_description() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k.key");
    std::fs::write(&key, format!("{KEY_HEX}\nbackup-2024-key-number-1")).unwrap();
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let (code, out, err, page, audit) = run_set(
        &[
            "-f",
            "/dev/nst0",
            "-e",
            "on",
            "-a",
            "1",
            "--ckod",
            "--protect",
            "-k",
            key.to_str().unwrap(),
        ],
        des(EncryptionMode::Encrypt, DecryptionMode::Decrypt),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    // Checksum of keys 0x00..0x1f is 2aa0 (reference §1.2).
    assert!(out.starts_with(
        "Provided key length is 256 bits.\nKey checksum is 2aa0.\n\
         Turning on encryption on device '/dev/nst0'...\nSuccess! See '"
    ));
    assert!(out.ends_with("' for a key change audit log.\n"), "{out}");
    let mut want = vec![0x00, 0x10, 0x00, 0x4C, 0x40, 0x34, 2, 2, 1, 0, 0];
    want.extend([0u8; 7]);
    want.extend([0x00, 0x20]);
    want.extend(0u8..32);
    want.extend([0x00, 0x00, 0x00, 24]);
    want.extend(b"backup-2024-key-number-1");
    assert_eq!(page, want);
    assert!(audit.ends_with(
        ": Encryption turned on for device '/dev/nst0'. Key Descriptor: 'backup-2024-key-number-1' Key Instance: 1\n"
    ), "{audit}");
    assert!(!audit.contains(KEY_HEX));
}

#[test]
fn seed_off() {
    let (code, out, err, page, audit) = run_set(
        &["-f", "/dev/nst0", "-e", "off", "-a", "1"],
        des(EncryptionMode::Disable, DecryptionMode::Disable),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Turning off encryption on device '/dev/nst0'...\nSuccess! See '"));
    let mut want = vec![0x00, 0x10, 0x00, 0x10, 0x40, 0x00, 0, 0, 1, 0, 0];
    want.extend([0u8; 7]);
    want.extend([0x00, 0x00]);
    assert_eq!(page, want);
    assert!(audit.ends_with(": Encryption turned off for device '/dev/nst0'. Key Instance: 1\n"));
}

/// `-e off` without `-a`: the drive's only algorithm index is sent, silently — 1.0.7's
/// transcript of this command is the two stdout lines and nothing on stderr (§1.3).
#[test]
fn off_without_algorithm_is_silent() {
    let (code, out, err, page, _audit) = run_set(
        &["-f", "/dev/nst0", "-e", "off"],
        des(EncryptionMode::Disable, DecryptionMode::Disable),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    assert!(out.starts_with("Turning off encryption on device '/dev/nst0'...\nSuccess! See '"));
    assert_eq!(out.lines().count(), 2, "{out}");
    assert_eq!(page.get(8), Some(&1), "algorithm index byte");
}

#[test]
fn drive_not_switching_is_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k.key");
    std::fs::write(&key, format!("{KEY_HEX}\n")).unwrap();
    let (code, _out, err, _page, audit) = run_set(
        &["-f", "/dev/nst0", "-e", "on", "-k", key.to_str().unwrap()],
        des(EncryptionMode::Disable, DecryptionMode::Disable),
    );
    assert_eq!(code, 1);
    // Without -a the only algorithm is chosen (stenc 2.0's note); the 0644 file warns.
    assert!(
        err.contains("Algorithm index not specified, using 1 (AES-256-GCM-128)"),
        "{err}"
    );
    assert!(err.contains("readable by group or others"), "{err}");
    assert!(
        err.ends_with("Error: Turning encryption on for '/dev/nst0' failed!\n"),
        "{err}"
    );
    assert_eq!(audit, "");
}

#[test]
fn strict_key_perms_refuses_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k.key");
    std::fs::write(&key, "00112233445566778899aabbccddeeff\n").unwrap();
    let (code, _out, err, page, _) = run_set(
        &[
            "-f",
            "/dev/nst0",
            "-e",
            "on",
            "-a",
            "1",
            "--strict-key-perms",
            "-k",
            key.to_str().unwrap(),
        ],
        des(EncryptionMode::Encrypt, DecryptionMode::Decrypt),
    );
    assert_eq!(code, 1);
    // --strict-key-perms refuses the 0644 file before anything is sent.
    assert!(err.contains("refusing"), "{err}");
    assert!(page.is_empty());
}

#[test]
fn wrong_key_length_is_refused_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k.key");
    std::fs::write(&key, "00112233445566778899aabbccddeeff\n").unwrap();
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let (code, _out, err, page, _) = run_set(
        &[
            "-f",
            "/dev/nst0",
            "-e",
            "on",
            "-a",
            "1",
            "-k",
            key.to_str().unwrap(),
        ],
        des(EncryptionMode::Encrypt, DecryptionMode::Decrypt),
    );
    assert_eq!(code, 1);
    assert!(err.contains("expected 32 bytes, got 16"), "{err}");
    assert!(page.is_empty());
}
