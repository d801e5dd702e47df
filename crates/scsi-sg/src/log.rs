//! LOG SENSE (SPC-4 §6.8) and log page framing (SPC-4 §7.3.1): a generic page/parameter
//! parser driven by the parameter lengths, a page builder (for emulators and round-trip
//! tests), and the tape pages of `reference/scsi.md` §9: TapeAlert (12h non-clearing, 2Eh
//! clearing) and volume statistics (17h).
//!
//! Page header: byte 0 DS (b7), SPF (b6), PAGE CODE (b5-0); byte 1 SUBPAGE CODE; bytes 2-3
//! PAGE LENGTH. Parameter: bytes 0-1 PARAMETER CODE, byte 2 control (DU, TSD, ETC, TMC,
//! FORMAT AND LINKING), byte 3 PARAMETER LENGTH, then the value. Counters are big-endian
//! and 1-8 bytes long: they are decoded by their length, never by a fixed width.

use crate::error::{ParseError, ScsiError};
use crate::opcode::{self, log_page};
use crate::transport::{TimeoutClass, Transport};
use crate::wire::{self, clamped};

#[path = "log_tape_alert.rs"]
mod tape_alert_page;
#[path = "log_volume.rs"]
mod volume;
pub use tape_alert_page::{flag_name, severity, Severity, TapeAlertFlags};
pub use tape_alert_page::{CLEANING_FLAGS, CRITICAL_FLAGS, MEDIA_LIFE_FLAGS};
pub use volume::VolumeStatistics;

/// Allocation length used by the runners (what Proxmox uses for page 17h; ample for 12h).
pub const ALLOCATION_LENGTH: u16 = 8192;
const DS: u8 = 0x80;
const SPF: u8 = 0x40;

/// PC field of LOG SENSE (CDB byte 2, bits 7-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageControl {
    /// 00b: current threshold values.
    Threshold = 0,
    /// 01b: current cumulative values (what tape tools read).
    Cumulative = 1,
    /// 10b: default threshold values.
    DefaultThreshold = 2,
    /// 11b: default cumulative values.
    DefaultCumulative = 3,
}

/// Build a LOG SENSE CDB: PC and page code in byte 2, subpage in byte 3, PARAMETER POINTER
/// in bytes 5-6, ALLOCATION LENGTH in bytes 7-8 (SP = 0: never save parameters).
pub fn cdb(pc: PageControl, page: u8, subpage: u8, parameter_pointer: u16, alloc: u16) -> [u8; 10] {
    let [p_hi, p_lo] = parameter_pointer.to_be_bytes();
    let [a_hi, a_lo] = alloc.to_be_bytes();
    let b2 = ((pc as u8) << 6) | (page & 0x3f);
    [
        opcode::LOG_SENSE,
        0,
        b2,
        subpage,
        0,
        p_hi,
        p_lo,
        a_hi,
        a_lo,
        0,
    ]
}

/// One log parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogParameter {
    /// PARAMETER CODE.
    pub code: u16,
    /// Control byte: DU (b7), TSD (b5), ETC (b4), TMC (b3-2), FORMAT AND LINKING (b1-0).
    pub control: u8,
    /// The value, PARAMETER LENGTH bytes.
    pub value: Vec<u8>,
}

impl LogParameter {
    /// A parameter with this code, control byte and value.
    pub fn new(code: u16, control: u8, value: impl Into<Vec<u8>>) -> Self {
        LogParameter {
            code,
            control,
            value: value.into(),
        }
    }
    /// The value as a big-endian unsigned counter, for lengths 1 to 8.
    pub fn as_u64(&self) -> Option<u64> {
        wire::be_uint(&self.value)
    }
    /// The value as ASCII text, padding trimmed.
    pub fn as_text(&self) -> String {
        wire::ascii(&self.value).trim_start().to_string()
    }
    /// FORMAT AND LINKING (control bits 1-0).
    pub fn format_and_linking(&self) -> u8 {
        self.control & 0x03
    }
}

/// A decoded log page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogPage {
    /// PAGE CODE (bits 5-0 of byte 0).
    pub page_code: u8,
    /// SUBPAGE CODE.
    pub subpage: u8,
    /// SPF (byte 0 bit 6).
    pub spf: bool,
    /// DS (byte 0 bit 7).
    pub ds: bool,
    /// PAGE LENGTH as reported.
    pub page_length: u16,
    /// Complete parameters, in page order.
    pub parameters: Vec<LogParameter>,
    /// True when a parameter was cut short (by the allocation length or the reply) and
    /// dropped, or the page length announced more than was received.
    pub truncated: bool,
}

impl LogPage {
    /// A page with no parameters yet (SPF set when `subpage` is non-zero).
    pub fn new(page_code: u8, subpage: u8) -> Self {
        LogPage {
            page_code: page_code & 0x3f,
            subpage,
            spf: subpage != 0,
            ds: false,
            page_length: 0,
            parameters: Vec::new(),
            truncated: false,
        }
    }

    /// The first parameter with this code.
    pub fn parameter(&self, code: u16) -> Option<&LogParameter> {
        self.parameters.iter().find(|p| p.code == code)
    }

    /// The parameter with this code as a counter.
    pub fn counter(&self, code: u16) -> Option<u64> {
        self.parameter(code)?.as_u64()
    }

    /// Encode the page (PAGE LENGTH computed from the parameters).
    pub fn build(&self) -> Result<Vec<u8>, ScsiError> {
        let mut out = vec![
            (self.page_code & 0x3f) | if self.spf { SPF } else { 0 } | if self.ds { DS } else { 0 },
            self.subpage,
            0,
            0,
        ];
        for p in &self.parameters {
            let len = u8::try_from(p.value.len()).map_err(|_| {
                ScsiError::InvalidRequest(format!("log parameter {:04X}h over 255 bytes", p.code))
            })?;
            out.extend_from_slice(&p.code.to_be_bytes());
            out.extend_from_slice(&[p.control, len]);
            out.extend_from_slice(&p.value);
        }
        let len = u16::try_from(out.len() - 4)
            .map_err(|_| ScsiError::InvalidRequest("log page over 65535 bytes".into()))?;
        out.splice(2..4, len.to_be_bytes());
        Ok(out)
    }

    /// Check that this is the page that was asked for.
    fn expect(&self, page_code: u8, what: &'static str) -> Result<(), ParseError> {
        if self.page_code == page_code {
            Ok(())
        } else {
            Err(ParseError::Invalid {
                what,
                detail: format!("got page {:02X}h", self.page_code),
            })
        }
    }
}

/// Decode a log page: 4-byte header, then parameters of `4 + PARAMETER LENGTH` bytes,
/// bounded by PAGE LENGTH and the bytes received. A parameter cut short is dropped.
pub fn parse(b: &[u8]) -> Result<LogPage, ParseError> {
    let h = wire::array_at::<4>(b, 0).ok_or(wire::short("log page", 4, b.len()))?;
    let page_length = u16::from_be_bytes([h[2], h[3]]);
    let end = 4 + usize::from(page_length);
    let mut page = LogPage {
        page_code: h[0] & 0x3f,
        subpage: h[1],
        spf: h[0] & SPF != 0,
        ds: h[0] & DS != 0,
        page_length,
        parameters: Vec::new(),
        truncated: end > b.len(),
    };
    let mut rest = clamped(b, 4, end);
    while !rest.is_empty() {
        let Some([c0, c1, control, len]) = wire::array_at::<4>(rest, 0) else {
            break;
        };
        let Some(value) = rest.get(4..4 + usize::from(len)) else {
            break;
        };
        page.parameters.push(LogParameter::new(
            u16::from_be_bytes([c0, c1]),
            control,
            value,
        ));
        rest = rest.get(4 + usize::from(len)..).unwrap_or(&[]);
    }
    page.truncated |= !rest.is_empty();
    Ok(page)
}

/// LOG SENSE with full control over PC, parameter pointer and allocation length.
pub fn sense_with<T: Transport + ?Sized>(
    t: &mut T,
    pc: PageControl,
    page: u8,
    subpage: u8,
    parameter_pointer: u16,
    alloc: u16,
) -> Result<LogPage, ScsiError> {
    let cdb = cdb(pc, page, subpage, parameter_pointer, alloc);
    let data = wire::data_in(t, &cdb, usize::from(alloc), TimeoutClass::Query)?;
    Ok(parse(&data)?)
}

/// LOG SENSE of the current cumulative values of one page.
pub fn sense<T: Transport + ?Sized>(
    t: &mut T,
    page: u8,
    subpage: u8,
) -> Result<LogPage, ScsiError> {
    sense_with(
        t,
        PageControl::Cumulative,
        page,
        subpage,
        0,
        ALLOCATION_LENGTH,
    )
}

/// The TapeAlert flags from page 12h (non-clearing: safe for polling).
pub fn tape_alert<T: Transport + ?Sized>(t: &mut T) -> Result<TapeAlertFlags, ScsiError> {
    let page = sense(t, log_page::TAPE_ALERT_RESPONSE, 0)?;
    Ok(TapeAlertFlags::from_response_page(&page)?)
}

/// The TapeAlert flags from page 2Eh. **Reading this page clears the flags.**
pub fn tape_alert_clearing<T: Transport + ?Sized>(t: &mut T) -> Result<TapeAlertFlags, ScsiError> {
    let page = sense(t, log_page::TAPE_ALERT, 0)?;
    Ok(TapeAlertFlags::from_tape_alert_page(&page)?)
}

/// The volume statistics page (17h, LTO-5 and later).
pub fn volume_statistics<T: Transport + ?Sized>(t: &mut T) -> Result<VolumeStatistics, ScsiError> {
    let page = sense(t, log_page::VOLUME_STATISTICS, 0)?;
    Ok(VolumeStatistics::from_page(&page)?)
}

#[cfg(test)]
#[path = "tests/log.rs"]
mod tests;
