//! A scripted [`Transport`] for tests: it records every command it is given and replays
//! canned replies in order.
//!
//! It models only what SG_IO reports back (data-in bytes, SAM status, sense, residual), so
//! runners and tools can be tested byte-exactly without a drive.
//!
//! ```
//! use scsi_sg::mock::{MockReply, MockTransport};
//! use scsi_sg::unit_ready;
//!
//! let mut t = MockTransport::new();
//! t.push(MockReply::good());
//! unit_ready::test(&mut t).unwrap();
//! assert_eq!(t.commands()[0].cdb, [0u8; 6]);
//! ```

use std::collections::VecDeque;
use std::time::Duration;

use crate::sense::Sense;
use crate::transport::{Command, Completion, DataDir, ScsiStatus, Transport};

/// The data phase of a recorded command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordedData {
    /// No data phase.
    None,
    /// Data-in with a buffer of this many bytes (the allocation offered).
    FromDevice(usize),
    /// Data-out with these bytes.
    ToDevice(Vec<u8>),
}

/// One command as the mock received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCommand {
    /// The CDB bytes.
    pub cdb: Vec<u8>,
    /// The data phase.
    pub data: RecordedData,
    /// The timeout the caller asked for.
    pub timeout: Duration,
}

/// One canned reply.
#[derive(Debug, Clone)]
pub struct MockReply {
    /// Bytes returned for a data-in command (copied up to the buffer size).
    pub data: Vec<u8>,
    /// The completion reported. Its `residual` is replaced by the computed one unless
    /// `residual` below is set.
    pub completion: Completion,
    /// Force this residual instead of `buffer length - bytes copied`.
    pub residual: Option<usize>,
}

impl MockReply {
    /// GOOD status, no data.
    pub fn good() -> Self {
        MockReply {
            data: Vec::new(),
            completion: Completion::good(),
            residual: None,
        }
    }

    /// GOOD status with data-in bytes.
    pub fn data(bytes: impl Into<Vec<u8>>) -> Self {
        MockReply {
            data: bytes.into(),
            completion: Completion::good(),
            residual: None,
        }
    }

    /// CHECK CONDITION with these raw sense bytes (decoded with [`Sense::parse`]).
    pub fn check_condition(sense_bytes: impl Into<Vec<u8>>) -> Self {
        let sense_bytes = sense_bytes.into();
        let completion = Completion {
            status: ScsiStatus::CHECK_CONDITION,
            host_status: 0,
            driver_status: 0x08,
            sense: Sense::parse(&sense_bytes).ok(),
            sense_bytes,
            residual: 0,
        };
        MockReply {
            data: Vec::new(),
            completion,
            residual: None,
        }
    }

    /// Any completion (status, host/driver codes, sense) with optional data.
    pub fn with_completion(data: impl Into<Vec<u8>>, completion: Completion) -> Self {
        MockReply {
            data: data.into(),
            completion,
            residual: None,
        }
    }

    /// Report this residual regardless of the data copied (some HBAs report 0).
    pub fn residual(mut self, residual: usize) -> Self {
        self.residual = Some(residual);
        self
    }
}

/// A [`Transport`] that records commands and replays [`MockReply`]s in FIFO order.
///
/// When no reply is queued, `execute` fails with an I/O error (`ScsiError::Io` through
/// [`Transport::run`]), so a test that issues an unexpected command fails loudly.
#[derive(Debug, Default)]
pub struct MockTransport {
    replies: VecDeque<MockReply>,
    commands: Vec<RecordedCommand>,
}

impl MockTransport {
    /// An empty mock.
    pub fn new() -> Self {
        Self::default()
    }

    /// A mock with these replies queued.
    pub fn with_replies(replies: impl IntoIterator<Item = MockReply>) -> Self {
        MockTransport {
            replies: replies.into_iter().collect(),
            commands: Vec::new(),
        }
    }

    /// Queue one more reply.
    pub fn push(&mut self, reply: MockReply) -> &mut Self {
        self.replies.push_back(reply);
        self
    }

    /// Every command received so far, oldest first.
    pub fn commands(&self) -> &[RecordedCommand] {
        &self.commands
    }

    /// The CDB of the most recent command.
    pub fn last_cdb(&self) -> Option<&[u8]> {
        self.commands.last().map(|c| c.cdb.as_slice())
    }

    /// Replies not consumed yet.
    pub fn pending(&self) -> usize {
        self.replies.len()
    }
}

impl Transport for MockTransport {
    fn execute(&mut self, cmd: Command<'_>) -> std::io::Result<Completion> {
        let data = match &cmd.data {
            DataDir::None => RecordedData::None,
            DataDir::FromDevice(b) => RecordedData::FromDevice(b.len()),
            DataDir::ToDevice(b) => RecordedData::ToDevice(b.to_vec()),
        };
        self.commands.push(RecordedCommand {
            cdb: cmd.cdb.to_vec(),
            data,
            timeout: cmd.timeout,
        });
        let reply = self
            .replies
            .pop_front()
            .ok_or_else(|| std::io::Error::other("mock transport: no reply queued"))?;
        let mut completion = reply.completion;
        let computed = match cmd.data {
            DataDir::FromDevice(buf) => {
                let n = reply.data.len().min(buf.len());
                if let (Some(dst), Some(src)) = (buf.get_mut(..n), reply.data.get(..n)) {
                    dst.copy_from_slice(src);
                }
                buf.len() - n
            }
            DataDir::ToDevice(_) | DataDir::None => 0,
        };
        completion.residual = reply.residual.unwrap_or(computed);
        Ok(completion)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::TimeoutClass;

    #[test]
    fn records_and_replays() {
        let mut t = MockTransport::new();
        t.push(MockReply::data(vec![1, 2, 3]));
        let mut buf = [0u8; 5];
        let cdb = [0x12, 0, 0, 0, 5, 0];
        let c = t
            .execute(Command::new(
                &cdb,
                DataDir::FromDevice(&mut buf),
                TimeoutClass::Query,
            ))
            .unwrap();
        assert_eq!(c.residual, 2);
        assert_eq!(buf, [1, 2, 3, 0, 0]);
        assert_eq!(t.commands()[0].data, RecordedData::FromDevice(5));
        assert_eq!(t.commands()[0].timeout, Duration::from_secs(30));
        assert_eq!(t.last_cdb(), Some(&cdb[..]));
        // Nothing queued: an I/O error, not a panic.
        assert!(t
            .execute(Command::new(&cdb, DataDir::None, TimeoutClass::Query))
            .is_err());
    }

    #[test]
    fn forced_residual_and_data_out() {
        let mut t = MockTransport::with_replies([MockReply::good().residual(0)]);
        let cdb = [0x15, 0x10, 0, 0, 2, 0];
        let c = t.execute(Command::new(
            &cdb,
            DataDir::ToDevice(&[9, 8]),
            TimeoutClass::Config,
        ));
        assert_eq!(c.unwrap().residual, 0);
        assert_eq!(t.commands()[0].data, RecordedData::ToDevice(vec![9, 8]));
        assert_eq!(t.pending(), 0);
    }
}
