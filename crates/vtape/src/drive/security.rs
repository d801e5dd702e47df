//! SECURITY PROTOCOL IN (SPC-4 §6.40) and SECURITY PROTOCOL OUT (SPC-4 §6.41) with the
//! tape data encryption protocol 20h (SSC-4 §8.5), as an IBM or HP LTO-6 answers them
//! (`reference/scsi.md` §6). Pages are built with `scsi_sg::encryption`.
//!
//! - Protocol 00h: page 0000h lists protocols 00h and 20h; page 0001h (certificate) is
//!   empty.
//! - Protocol 20h, SPIN: 0000h in-support (0000 0001 0010 0011 0012 0020 0021), 0001h
//!   out-support (0010), 0010h capabilities (one algorithm: index 1, AES-256-GCM
//!   0001_0014h, 32-byte key, U-KAD ≤ 32, A-KAD ≤ 12, encrypt and decrypt in hardware,
//!   MAC_C and DELB_C (byte 4 BAh as mhvtl's HP LTO, 3Ah with no cartridge), RDMC_C 5 — raw decryption allowed, raw read enabled by default —, CFG_P 01b, AVFMV
//!   when a cartridge is loaded), 0011h (plain-text keys), 0012h (CKOD_C, all three
//!   scopes), 0020h status (scopes, modes, index, key instance counter, CEEMS, RDMD, KAD
//!   format and the key's U-KAD/A-KAD), 0021h next block status of the object at the
//!   current position, never moving the tape (see `crypto::io`).
//! - Protocol 20h, SPOUT: page 0010h Set Data Encryption, checked by `crypto::spout`;
//!   success increments the key instance counter.
//!
//! Every other protocol or page: ILLEGAL REQUEST 24/00 with the field pointer on the CDB
//! field. INC_512 is not supported (24/00 on byte 4). A parameter list shorter than the
//! TRANSFER LENGTH, or a page whose length disagrees with it: 1A/00.
//!
//! **Nexus.** This drive has one I_T nexus: the in-process handle is one initiator, and
//! on Linux every program reaching a tape through st/sg shares the HBA's initiator port.
//! SSC-4 raises UNIT ATTENTION 2A/11 only on *other* nexuses after a key change, so none
//! is raised here.

use scsi_sg::encryption::{
    AlgorithmDescriptor, BlockEncryptionStatus, Ceem, ConfigurationPrevented,
    DataEncryptionCapabilities, DataEncryptionStatus, DecryptionMode, EncryptionMode, Kad,
    KadFormat, KadType, KeyFormat, ManagementCapabilities, NextBlockStatus, RdmcCapability, Scope,
    SetDataEncryption, SupportPages, SupportedKeyFormats, SupportedProtocols,
};
use scsi_sg::opcode::{encryption_page as page, security_info_page, security_protocol};
use scsi_sg::{opcode, DataDir, Sense, SenseKey};

use super::cdb::Cdb;
use super::crypto::io::{block_status, BlockStatus};
use super::crypto::spout::{self, ALGORITHM_INDEX, MAX_AKAD, MAX_UKAD};
use super::dispatch::{row, CommandInfo, Direction};
use super::sense::{
    asc, invalid_cdb, invalid_param, parameter_list, parameter_list_length, reply, sense,
    CmdResult, Outcome,
};
use super::Drive;

/// Rows of this family.
pub(super) const COMMANDS: &[CommandInfo] = &[
    row(
        opcode::SECURITY_PROTOCOL_IN,
        "SECURITY PROTOCOL IN",
        false,
        Direction::In,
        security_in,
    ),
    row(
        opcode::SECURITY_PROTOCOL_OUT,
        "SECURITY PROTOCOL OUT",
        false,
        Direction::Out,
        security_out,
    ),
];

/// CDB fields (12-byte SPIN/SPOUT CDB).
const CDB_PROTOCOL: usize = 1;
const CDB_SPECIFIC: usize = 2;
const CDB_INC_512: usize = 4;
const INC_512_BIT: u8 = 7;
const CDB_LENGTH: usize = 6;

/// RDMC_C this drive reports: raw decryption allowed, raw read enabled by default (what
/// an HP-made LTO-6 reports, `reference/stenc.md` §5).
const RDMC_C: RdmcCapability = RdmcCapability::AllowedEnabledByDefault;
/// PARAMETERS CONTROL reported in page 0020h: parameters are not exclusively controlled
/// by an external data encryption control (the host sets them).
const PARAMETERS_CONTROL: u8 = 1;
/// KAD AUTHENTICATED value in status pages: 1 = not authenticated (a U-KAD never is).
const KAD_NOT_AUTHENTICATED: u8 = 1;

fn check_cdb(cdb: &Cdb<'_>) -> Result<(), Sense> {
    if cdb.bit(CDB_INC_512, INC_512_BIT) {
        return Err(invalid_cdb(CDB_INC_512 as u16, Some(INC_512_BIT)));
    }
    Ok(())
}

fn bad_page() -> Sense {
    invalid_cdb(CDB_SPECIFIC as u16, None)
}

fn build_error(_: scsi_sg::encryption::BuildError) -> Sense {
    sense(SenseKey::HardwareError, asc::INTERNAL_TARGET_FAILURE)
}

fn security_in(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    check_cdb(cdb)?;
    let specific = cdb.u16(CDB_SPECIFIC);
    let page = match cdb.u8(CDB_PROTOCOL) {
        security_protocol::INFORMATION => protocol_info_page(specific)?,
        security_protocol::TAPE_DATA_ENCRYPTION => encryption_page(d, specific)?,
        _ => return Err(invalid_cdb(CDB_PROTOCOL as u16, None)),
    };
    let allocation = usize::try_from(cdb.u32(CDB_LENGTH)).unwrap_or(usize::MAX);
    reply(data, &page, allocation)
}

fn protocol_info_page(specific: u16) -> Result<Vec<u8>, Sense> {
    match specific {
        security_info_page::SUPPORTED_PROTOCOLS => SupportedProtocols {
            protocols: vec![
                security_protocol::INFORMATION,
                security_protocol::TAPE_DATA_ENCRYPTION,
            ],
            truncated: false,
        }
        .to_bytes()
        .map_err(build_error),
        // Certificate data: reserved (2), length 0.
        security_info_page::CERTIFICATE => Ok(vec![0; 4]),
        _ => Err(bad_page()),
    }
}

fn encryption_page(d: &Drive, specific: u16) -> Result<Vec<u8>, Sense> {
    let support = |page_code, pages: &[u16]| {
        SupportPages {
            page_code,
            pages: pages.to_vec(),
            truncated: false,
        }
        .to_bytes()
        .map_err(build_error)
    };
    match specific {
        page::IN_SUPPORT => support(
            page::IN_SUPPORT,
            &[
                page::IN_SUPPORT,
                page::OUT_SUPPORT,
                page::CAPABILITIES,
                page::SUPPORTED_KEY_FORMATS,
                page::MANAGEMENT_CAPABILITIES,
                page::STATUS,
                page::NEXT_BLOCK_STATUS,
            ],
        ),
        page::OUT_SUPPORT => support(page::OUT_SUPPORT, &[page::SET_DATA_ENCRYPTION]),
        page::CAPABILITIES => capabilities(d.state.loaded).to_bytes().map_err(build_error),
        page::SUPPORTED_KEY_FORMATS => SupportedKeyFormats {
            formats: vec![KeyFormat::PlainText],
            truncated: false,
        }
        .to_bytes()
        .map_err(build_error),
        page::MANAGEMENT_CAPABILITIES => Ok(ManagementCapabilities {
            lock_c: false,
            ckod_c: true,
            ckorp_c: false,
            ckorl_c: false,
            aitn_c: true,
            local_c: true,
            public_c: true,
        }
        .to_bytes()),
        page::STATUS => status(d).to_bytes().map_err(build_error),
        page::NEXT_BLOCK_STATUS => next_block_status(d).to_bytes().map_err(build_error),
        _ => Err(bad_page()),
    }
}

/// Page 0010h of this drive.
fn capabilities(loaded: bool) -> DataEncryptionCapabilities {
    let algorithm = AlgorithmDescriptor {
        avfmv: loaded,
        // GCM authenticates every block; the drive tells encrypted blocks from plain ones.
        mac_c: true,
        delb_c: true,
        max_ukad_length: MAX_UKAD as u16,
        max_akad_length: MAX_AKAD as u16,
        rdmc_c: RDMC_C,
        ..AlgorithmDescriptor::aes256_gcm(ALGORITHM_INDEX)
    };
    DataEncryptionCapabilities {
        extdecc: 0,
        cfg_p: ConfigurationPrevented::NotPrevented,
        algorithms: vec![algorithm],
        truncated: false,
    }
}

fn kads(ukad: &[u8], akad: &[u8]) -> Vec<Kad> {
    [(KadType::Ukad, ukad), (KadType::Akad, akad)]
        .into_iter()
        .filter(|(_, k)| !k.is_empty())
        .map(|(t, k)| Kad {
            authenticated: KAD_NOT_AUTHENTICATED,
            ..Kad::new(t, k)
        })
        .collect()
}

/// Page 0020h.
fn status(d: &Drive) -> DataEncryptionStatus {
    let p = &d.crypto.params;
    let scope = Scope::from_bits(p.scope);
    DataEncryptionStatus {
        it_nexus_scope: scope,
        key_scope: scope,
        encryption_mode: EncryptionMode::from_bits(p.enc_mode),
        decryption_mode: DecryptionMode::from_bits(p.dec_mode),
        algorithm_index: p.algorithm_index,
        key_instance_counter: d.state.key_instance_counter,
        parameters_control: PARAMETERS_CONTROL,
        vcelb: false,
        ceems: Ceem::from_bits(p.ceem),
        rdmd: p.protects(),
        kad_format: KadFormat::from_bits(p.kad_format),
        asdk_count: 0,
        kads: kads(&p.ukad, &p.akad),
        truncated: false,
    }
}

/// Page 0021h.
fn next_block_status(d: &Drive) -> NextBlockStatus {
    if !d.state.loaded {
        return NextBlockStatus::default();
    }
    let BlockStatus { status, header } = block_status(d);
    let mut page = NextBlockStatus {
        logical_object_number: d.pos(),
        encryption_status: BlockEncryptionStatus::from_bits(status),
        ..NextBlockStatus::default()
    };
    if let Some(h) = header {
        page.algorithm_index = h.algorithm_index;
        page.rdmds = h.protected;
        page.kad_format = KadFormat::from_bits(h.kad_format);
        page.kads = kads(&h.ukad, &h.akad);
    }
    page
}

fn security_out(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    check_cdb(cdb)?;
    if cdb.u8(CDB_PROTOCOL) != security_protocol::TAPE_DATA_ENCRYPTION {
        return Err(invalid_cdb(CDB_PROTOCOL as u16, None));
    }
    if cdb.u16(CDB_SPECIFIC) != page::SET_DATA_ENCRYPTION {
        return Err(bad_page());
    }
    let len = usize::try_from(cdb.u32(CDB_LENGTH)).unwrap_or(usize::MAX);
    let list = parameter_list(data, len)?;
    // A page that does not fit the transfer length: the list was cut (1A/00). A page
    // length shorter than the list is an invalid PAGE LENGTH (26/00, from the parser).
    let page_end = list
        .get(2..4)
        .and_then(|b| <[u8; 2]>::try_from(b).ok())
        .map(|b| 4 + usize::from(u16::from_be_bytes(b)));
    if page_end.is_none_or(|end| end > len) {
        return Err(parameter_list_length());
    }
    let sde =
        SetDataEncryption::parse(list).map_err(|e| invalid_param(usize::from(e.field), e.bit))?;
    let params = spout::to_params(&sde, d.state.loaded)?;
    d.crypto
        .set(params)
        .map_err(|_| sense(SenseKey::HardwareError, asc::INTERNAL_TARGET_FAILURE))?;
    d.state.key_instance_counter = d.state.key_instance_counter.wrapping_add(1);
    Outcome::with(len, None)
}
