//! LOG SENSE (SPC-4 §6.8) with the tape pages of `reference/scsi.md` §9: supported pages
//! (00h), TapeAlert response (12h, non-clearing), volume statistics (17h) and TapeAlert
//! (2Eh, cleared by reading).
//!
//! Volume statistics counters: mounts, megabytes (10^6 bytes) written and read in the
//! cartridge's life and since the last load (record bytes), native capacity and used
//! capacity in MB, the volume serial number (the drive serial) and write protect. Counters
//! that an emulator has no source for (retries, errors, passes) are reported as 0.

use scsi_sg::opcode::{self, log_page};
use scsi_sg::{DataDir, LogPage, LogParameter, TapeAlertFlags};

use super::cdb::Cdb;
use super::dispatch::{row, CommandInfo, Direction};
use super::sense::{invalid_cdb, not_present, reply, CmdResult};
use super::Drive;

/// Rows of this family.
pub(super) const COMMANDS: &[CommandInfo] = &[row(
    opcode::LOG_SENSE,
    "LOG SENSE",
    false,
    Direction::In,
    log_sense,
)];

/// Pages listed by page 00h.
const SUPPORTED: [u8; 4] = [
    log_page::SUPPORTED_PAGES,
    log_page::TAPE_ALERT_RESPONSE,
    log_page::VOLUME_STATISTICS,
    log_page::TAPE_ALERT,
];

/// Volume statistics parameter codes (SSC-4 §8.2.6).
mod code {
    pub const PAGE_VALID: u16 = 0x0000;
    pub const VOLUME_MOUNTS: u16 = 0x0001;
    pub const LAST_MOUNT_MB_WRITTEN: u16 = 0x000E;
    pub const LAST_MOUNT_MB_READ: u16 = 0x000F;
    pub const LIFETIME_MB_WRITTEN: u16 = 0x0010;
    pub const LIFETIME_MB_READ: u16 = 0x0011;
    pub const TOTAL_NATIVE_CAPACITY: u16 = 0x0016;
    pub const TOTAL_USED_NATIVE_CAPACITY: u16 = 0x0017;
    pub const VOLUME_SERIAL_NUMBER: u16 = 0x0040;
    pub const WRITE_PROTECT: u16 = 0x0080;
    pub const WORM: u16 = 0x0081;
}

/// Parameter control byte: binary format list (FORMAT AND LINKING 11b).
const BINARY: u8 = 0x03;
/// Parameter control byte: ASCII format list (FORMAT AND LINKING 01b).
const ASCII: u8 = 0x01;
/// PPC (byte 1 bit 1).
const PPC: u8 = 1;
const MB: u64 = 1_000_000;

fn volume_statistics(d: &Drive) -> LogPage {
    let m = &d.medium;
    let c = &d.state.counters;
    let capacity: u64 = (0..m.partitions()).map(|p| m.capacity(p)).sum();
    let used: u64 = (0..m.partitions()).map(|p| m.bytes_used(p, u64::MAX)).sum();
    let n = |code: u16, v: u64| LogParameter::new(code, BINARY, v.to_be_bytes());
    let mut page = LogPage::new(log_page::VOLUME_STATISTICS, 0);
    page.parameters = vec![
        LogParameter::new(code::PAGE_VALID, BINARY, [1u8]),
        n(code::VOLUME_MOUNTS, c.mounts),
        n(code::LAST_MOUNT_MB_WRITTEN, c.written_mount / MB),
        n(code::LAST_MOUNT_MB_READ, c.read_mount / MB),
        n(code::LIFETIME_MB_WRITTEN, c.written_total / MB),
        n(code::LIFETIME_MB_READ, c.read_total / MB),
        n(code::TOTAL_NATIVE_CAPACITY, capacity / MB),
        n(code::TOTAL_USED_NATIVE_CAPACITY, used / MB),
        LogParameter::new(code::VOLUME_SERIAL_NUMBER, ASCII, d.serial.as_bytes()),
        LogParameter::new(code::WRITE_PROTECT, BINARY, [u8::from(m.write_protected())]),
        LogParameter::new(code::WORM, BINARY, [0u8]),
    ];
    page
}

fn log_sense(d: &mut Drive, cdb: &Cdb<'_>, data: &mut DataDir<'_>) -> CmdResult {
    if cdb.bit(1, PPC) {
        return Err(invalid_cdb(1, Some(PPC)));
    }
    // PC (byte 2 bits 7-6) is accepted for any value: only cumulative values exist.
    let page_code = cdb.u8(2) & 0x3F;
    if cdb.u8(3) != 0 {
        return Err(invalid_cdb(3, None));
    }
    let pointer = cdb.u16(5);
    let alloc = usize::from(cdb.u16(7));
    let mut page = match page_code {
        log_page::SUPPORTED_PAGES => {
            // Page 00h has no parameters: the page codes follow the header.
            let mut b = vec![log_page::SUPPORTED_PAGES, 0];
            b.extend_from_slice(&(SUPPORTED.len() as u16).to_be_bytes());
            b.extend_from_slice(&SUPPORTED);
            return reply(data, &b, alloc);
        }
        log_page::TAPE_ALERT_RESPONSE => TapeAlertFlags(d.state.tape_alert).to_response_page(),
        log_page::TAPE_ALERT => {
            let p = TapeAlertFlags(d.state.tape_alert).to_tape_alert_page();
            d.state.tape_alert = 0;
            p
        }
        log_page::VOLUME_STATISTICS => {
            if !d.state.loaded {
                return Err(not_present());
            }
            volume_statistics(d)
        }
        _ => return Err(invalid_cdb(2, Some(5))),
    };
    page.parameters.retain(|p| p.code >= pointer);
    let bytes = page.build().map_err(|_| invalid_cdb(2, None))?;
    reply(data, &bytes, alloc)
}
