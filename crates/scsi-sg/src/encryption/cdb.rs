//! SECURITY PROTOCOL IN (A2h) and SECURITY PROTOCOL OUT (B5h) CDBs (SPC-4 §6.30/§6.31,
//! `reference/scsi.md` §6): 12 bytes, protocol in byte 1, protocol-specific field (the page
//! code for protocol 20h) in bytes 2-3, INC_512 in byte 4 bit 7 (always 0 here: lengths in
//! bytes), allocation / transfer length in bytes 6-9, CONTROL in byte 11.

use crate::opcode;

/// Allocation length the runners use first: 8192, not stenc 1.0.7's 8196, which is a suspect
/// in IBM LTO-8 firmware rejecting SPIN with 24/00 (`reference/scsi.md` §6).
pub const ALLOCATION_LENGTH: u32 = 8192;

fn build(op: u8, protocol: u8, specific: u16, length: u32) -> [u8; 12] {
    let [s_hi, s_lo] = specific.to_be_bytes();
    let [l0, l1, l2, l3] = length.to_be_bytes();
    [op, protocol, s_hi, s_lo, 0, 0, l0, l1, l2, l3, 0, 0]
}

/// SECURITY PROTOCOL IN CDB (INC_512 = 0, allocation length in bytes).
pub fn spin_cdb(protocol: u8, protocol_specific: u16, allocation_length: u32) -> [u8; 12] {
    build(
        opcode::SECURITY_PROTOCOL_IN,
        protocol,
        protocol_specific,
        allocation_length,
    )
}

/// SECURITY PROTOCOL OUT CDB (INC_512 = 0); `transfer_length` is the page length + 4.
pub fn spout_cdb(protocol: u8, protocol_specific: u16, transfer_length: u32) -> [u8; 12] {
    build(
        opcode::SECURITY_PROTOCOL_OUT,
        protocol,
        protocol_specific,
        transfer_length,
    )
}
