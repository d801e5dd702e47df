//! REQUEST SENSE (SPC-4 §6.39): fetch sense data outside a CHECK CONDITION, e.g. progress
//! of an IMMED operation or a pending deferred error. Asks for 252 bytes, the SPC maximum
//! (`reference/scsi.md` §1, §7). Decoding is [`Sense::parse`].

use crate::error::{ParseError, ScsiError};
use crate::opcode;
use crate::sense::{Sense, SenseKey};
use crate::transport::{TimeoutClass, Transport};
use crate::wire;

/// Allocation length: the most sense data SPC allows.
pub const ALLOCATION_LENGTH: u8 = 252;

/// Build a REQUEST SENSE CDB. `descriptor` sets DESC (byte 1 bit 0) to ask for descriptor
/// format sense.
pub fn cdb(descriptor: bool, allocation_length: u8) -> [u8; 6] {
    [
        opcode::REQUEST_SENSE,
        u8::from(descriptor),
        0,
        0,
        allocation_length,
        0,
    ]
}

/// Decode returned sense data. `None` when nothing was returned or the sense says nothing:
/// key NO SENSE, ASC/ASCQ 00/00 and no FILEMARK/EOM/ILI, without progress information.
pub fn parse(b: &[u8]) -> Result<Option<Sense>, ParseError> {
    if b.is_empty() {
        return Ok(None);
    }
    let s = Sense::parse(b)?;
    let empty = s.key == SenseKey::NoSense
        && s.asc == 0
        && s.ascq == 0
        && !(s.filemark || s.eom || s.ili)
        && s.key_specific.is_none();
    Ok(if empty { None } else { Some(s) })
}

/// Send REQUEST SENSE (fixed format) and decode the reply.
pub fn request<T: Transport + ?Sized>(t: &mut T) -> Result<Option<Sense>, ScsiError> {
    let cdb = cdb(false, ALLOCATION_LENGTH);
    let data = wire::data_in(t, &cdb, usize::from(ALLOCATION_LENGTH), TimeoutClass::Query)?;
    Ok(parse(&data)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::{MockReply, MockTransport, RecordedData};
    use crate::sense::SenseKeySpecific;

    /// Fixed-format sense (SPC-4 §4.5.3), 18 bytes.
    fn fixed(key: u8, asc: u8, ascq: u8, sks: [u8; 3]) -> Vec<u8> {
        vec![
            0x70, // response code 70h (current, fixed)
            0x00, // obsolete
            key,  // FILEMARK/EOM/ILI clear, SENSE KEY
            0, 0, 0, 0,  // INFORMATION
            10, // ADDITIONAL SENSE LENGTH
            0, 0, 0, 0, // COMMAND-SPECIFIC INFORMATION
            asc, ascq, // ASC, ASCQ
            0,    // FRU
            sks[0], sks[1], sks[2], // SKSV + sense-key specific
        ]
    }

    #[test]
    fn cdb_bytes() {
        assert_eq!(
            cdb(false, ALLOCATION_LENGTH),
            [0x03, 0x00, 0x00, 0x00, 0xfc, 0x00]
        );
        assert_eq!(cdb(true, 18), [0x03, 0x01, 0x00, 0x00, 18, 0x00]);
    }

    #[test]
    fn no_sense_is_none() {
        assert_eq!(parse(&[]).unwrap(), None);
        assert_eq!(parse(&fixed(0, 0, 0, [0; 3])).unwrap(), None);
    }

    #[test]
    fn progress_is_reported() {
        // NOT READY 04/07 operation in progress... with progress 0x8000 (SKSV = 1).
        let s = parse(&fixed(0x02, 0x04, 0x07, [0x80, 0x80, 0x00]))
            .unwrap()
            .unwrap();
        assert_eq!(s.key, SenseKey::NotReady);
        assert_eq!(s.key_specific, Some(SenseKeySpecific::Progress(0x8000)));
    }

    #[test]
    fn prefixes_never_panic() {
        let f = fixed(0x02, 0x3a, 0x00, [0; 3]);
        for n in 0..=f.len() {
            let _ = parse(&f[..n]);
        }
    }

    #[test]
    fn runner_sends_252_byte_request() {
        let mut t = MockTransport::with_replies([MockReply::data(fixed(0x06, 0x28, 0x00, [0; 3]))]);
        let s = request(&mut t).unwrap().unwrap();
        assert_eq!(s.key, SenseKey::UnitAttention);
        assert_eq!((s.asc, s.ascq), (0x28, 0x00));
        assert_eq!(t.commands()[0].cdb, [0x03, 0x00, 0x00, 0x00, 0xfc, 0x00]);
        assert_eq!(t.commands()[0].data, RecordedData::FromDevice(252));
    }
}
