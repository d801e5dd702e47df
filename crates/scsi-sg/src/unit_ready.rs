//! TEST UNIT READY (SPC-4 §6.47): a no-data query whose answer is the completion itself
//! (GOOD = ready; NOT READY with 3A/00 = no medium, 04/01 = becoming ready, ...).

use crate::error::ScsiError;
use crate::opcode;
use crate::transport::{TimeoutClass, Transport};
use crate::wire;

/// Build the TEST UNIT READY CDB (all fields zero apart from the opcode).
pub fn cdb() -> [u8; 6] {
    [opcode::TEST_UNIT_READY, 0, 0, 0, 0, 0]
}

/// There is no data to parse: TEST UNIT READY has no data phase. This accepts only an
/// empty reply and exists so every family has the same shape.
pub fn parse(b: &[u8]) -> Result<(), crate::error::ParseError> {
    if b.is_empty() {
        Ok(())
    } else {
        Err(crate::error::ParseError::Invalid {
            what: "TEST UNIT READY",
            detail: format!("unexpected {} data bytes", b.len()),
        })
    }
}

/// Send TEST UNIT READY. `Ok` means ready; the typed error says why not
/// (e.g. [`ScsiError::NotReady`] with the sense that names the cause).
pub fn test<T: Transport + ?Sized>(t: &mut T) -> Result<(), ScsiError> {
    wire::no_data(t, &cdb(), TimeoutClass::Query).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::{MockReply, MockTransport, RecordedData};

    #[test]
    fn sends_six_zero_bytes_without_data() {
        let mut t = MockTransport::with_replies([MockReply::good()]);
        test(&mut t).unwrap();
        assert_eq!(t.commands()[0].cdb, [0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
        assert_eq!(t.commands()[0].data, RecordedData::None);
        assert_eq!(t.commands()[0].timeout, TimeoutClass::Query.duration());
    }

    #[test]
    fn not_ready_is_a_typed_error() {
        // Fixed sense: 70h, key 2 NOT READY, additional length 10, ASC/ASCQ 3A/00.
        let sense = [
            0x70, 0, 0x02, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x3a, 0x00, 0, 0, 0, 0,
        ];
        let mut t = MockTransport::with_replies([MockReply::check_condition(sense)]);
        let e = test(&mut t).unwrap_err();
        assert!(
            matches!(e, ScsiError::NotReady(ref s) if s.asc == 0x3a),
            "{e:?}"
        );
    }

    #[test]
    fn parse_accepts_only_empty() {
        assert!(parse(&[]).is_ok());
        assert!(parse(&[0]).is_err());
    }
}
