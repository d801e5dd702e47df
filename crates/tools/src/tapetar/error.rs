//! How `tapetar` fails: GNU tar's exit statuses (1 = "some files differ": a verify mismatch,
//! a label that does not match; 2 = fatal or any other error) with a `tapetar: ` message.

/// Exit status for "differ" results (verify mismatches, label mismatch), as GNU tar's 1.
pub const EXIT_DIFFER: u8 = 1;
/// Exit status for errors, as GNU tar's 2.
pub const EXIT_ERROR: u8 = 2;

/// A failed command: the message for stderr (without the `tapetar: ` prefix; may be empty
/// when everything was already reported) and the exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What went wrong.
    pub message: String,
    /// The exit status.
    pub code: u8,
}

impl Failure {
    /// An error (exit 2).
    pub fn fatal(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: EXIT_ERROR,
        }
    }

    /// A "differ" result (exit 1).
    pub fn differ(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: EXIT_DIFFER,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}
