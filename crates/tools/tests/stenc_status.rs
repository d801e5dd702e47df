//! stenc 1.0.7 status / `--detail` layout for every DES/NBES combination listed in
//! `reference/stenc.md` §3. Expected texts are copied from the reference, not from the code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use scsi_sg::encryption::{
    BlockEncryptionStatus, DataEncryptionStatus, DecryptionMode, EncryptionMode, Kad,
    NextBlockStatus,
};
use scsi_sg::StandardInquiry;
use tapekit_tools::stenc::status::{format_header, format_json, format_status, StatusReport};

fn acme() -> StandardInquiry {
    StandardInquiry {
        qualifier: 0,
        device_type: 1,
        removable: true,
        version: 6,
        hisup: false,
        response_data_format: 2,
        cmdque: false,
        vendor: "ACME".into(),
        product: "Ultrium-1000".into(),
        revision: "1234".into(),
        vendor_specific: Vec::new(),
        version_descriptors: Vec::new(),
    }
}

fn des(
    enc: u8,
    dec: u8,
    index: u8,
    kic: u32,
    rdmd: bool,
    ukad: Option<&str>,
) -> DataEncryptionStatus {
    DataEncryptionStatus {
        encryption_mode: EncryptionMode::from_bits(enc),
        decryption_mode: DecryptionMode::from_bits(dec),
        algorithm_index: index,
        key_instance_counter: kic,
        rdmd,
        kads: ukad
            .map(|t| vec![Kad::ukad(t.as_bytes().to_vec())])
            .unwrap_or_default(),
        ..Default::default()
    }
}

fn nbes(
    status: u8,
    compression: u8,
    index: u8,
    rdmds: bool,
    ukad: Option<&str>,
) -> NextBlockStatus {
    NextBlockStatus {
        compression_status: compression,
        encryption_status: BlockEncryptionStatus::from_bits(status),
        algorithm_index: index,
        rdmds,
        kads: ukad
            .map(|t| vec![Kad::ukad(t.as_bytes().to_vec())])
            .unwrap_or_default(),
        ..Default::default()
    }
}

fn render(d: &DataEncryptionStatus, n: Option<&NextBlockStatus>, detail: bool) -> String {
    let inq = acme();
    let r = StatusReport {
        inquiry: Some(&inq),
        des: d,
        nbes: n,
        detail,
    };
    format!("{}{}", format_header("/dev/nst0"), format_status(&r))
}

const HEAD: &str = "Status for /dev/nst0\n--------------------------------------------------\n";
const INQ: &str = "Device Mfg:              ACME    \nProduct ID:              Ultrium-1000    \nProduct Revision:        1234\n";

#[test]
fn on_on_detail_status5() {
    let d = des(2, 2, 1, 1, false, Some("Hello world!"));
    let n = nbes(5, 0, 1, false, None);
    let want = format!(
        "{HEAD}{INQ}\
Drive Encryption:        on
Drive Output:            Decrypting
                         Unencrypted data not outputted
Drive Input:             Encrypting
Key Instance Counter:    1
Encryption Algorithm:    1
Drive Key Desc.(uKAD):   Hello world!
Volume Encryption:       Encrypted and able to decrypt
Volume Algorithm:        1
"
    );
    assert_eq!(render(&d, Some(&n), true), want);
}

#[test]
fn on_on_without_detail() {
    let d = des(2, 2, 1, 1, false, Some("Hello world!"));
    let n = nbes(5, 0, 1, false, None);
    let want = format!(
        "{HEAD}\
Drive Encryption:        on
Drive Key Desc.(uKAD):   Hello world!
"
    );
    assert_eq!(render(&d, Some(&n), false), want);
}

#[test]
fn off_off_detail_not_encrypted() {
    let d = des(0, 0, 0, 0, false, None);
    let n = nbes(3, 0, 0, false, None);
    let want = format!(
        "{HEAD}{INQ}\
Drive Encryption:        off
Drive Output:            Not decrypting
                         Raw encrypted data not outputted
Drive Input:             Not encrypting
Key Instance Counter:    0
Volume Encryption:       Not encrypted
"
    );
    assert_eq!(render(&d, Some(&n), true), want);
}

#[test]
fn mixed_rdmd_wrong_key_compressed() {
    let d = des(2, 3, 1, 7, true, None);
    let n = nbes(6, 2, 1, true, Some("Hello world!"));
    let want = format!(
        "{HEAD}{INQ}\
Drive Encryption:        mixed
Drive Output:            Decrypting
                         Unencrypted data outputted
Drive Input:             Encrypting
                         Protecting from raw read
Key Instance Counter:    7
Encryption Algorithm:    1
Volume Compressed:       Unknown result '2'
Volume Encryption:       Encrypted, but unable to decrypt due to invalid key. 
Volume Key Desc.(uKAD):  Hello world!
                         Protected from raw read
Volume Algorithm:        1
"
    );
    assert_eq!(render(&d, Some(&n), true), want);
}

#[test]
fn rawread_index_hex_not_a_block() {
    let d = des(2, 1, 0x10, 256, false, None);
    let n = nbes(2, 0, 0, false, None);
    let want = format!(
        "{HEAD}{INQ}\
Drive Encryption:        rawread
Drive Output:            Not decrypting
                         Raw encrypted data outputted
Drive Input:             Encrypting
Key Instance Counter:    256
Encryption Algorithm:    10
Volume Encryption:       Logical block is not a logical block
"
    );
    assert_eq!(render(&d, Some(&n), true), want);
}

#[test]
fn other_values_per_rules() {
    // §3 rules: unknown mode pair → `unknown`; status 1 → `Unable to determine`;
    // unnamed status → `Unknown result '<hex>'`; status 5 with RDMDS → continuation line;
    // an A-KAD is labelled (aKAD); encryption mode 1 → `Unknown result '0x1'`.
    let mut d = des(1, 0, 0, 3, false, None);
    d.kads = vec![Kad::akad(b"auth".to_vec())];
    let out = render(&d, Some(&nbes(1, 0, 0, false, None)), true);
    assert!(out.contains("Drive Encryption:        unknown\n"), "{out}");
    assert!(
        out.contains("Drive Input:             Unknown result '0x1'\n"),
        "{out}"
    );
    assert!(out.contains("Drive Key Desc.(aKAD):   auth\n"), "{out}");
    assert!(
        out.contains("Volume Encryption:       Unable to determine\n"),
        "{out}"
    );
    let out = render(&d, Some(&nbes(4, 0, 0, false, None)), true);
    assert!(
        out.contains("Volume Encryption:       Unknown result '4'\n"),
        "{out}"
    );
    let out = render(&d, Some(&nbes(5, 0, 0, true, None)), true);
    assert!(out.contains(
        "Volume Encryption:       Encrypted and able to decrypt\n                         Protected from raw read\n"
    ));
    assert!(!out.contains("Volume Algorithm"));
}

#[test]
fn json_has_the_facts() {
    let d = des(2, 2, 1, 1, true, Some("k1"));
    let n = nbes(5, 0, 1, false, None);
    let inq = acme();
    let r = StatusReport {
        inquiry: Some(&inq),
        des: &d,
        nbes: Some(&n),
        detail: true,
    };
    let v: serde_json::Value = serde_json::from_str(&format_json("/dev/nst0", &r)).unwrap();
    assert_eq!(v["drive"]["encryption"], "on");
    assert_eq!(v["drive"]["key_instance_counter"], 1);
    assert_eq!(v["drive"]["kads"][0]["text"], "k1");
    assert_eq!(v["volume"]["encryption_status"], 5);
    assert_eq!(v["inquiry"]["vendor"], "ACME");
}
