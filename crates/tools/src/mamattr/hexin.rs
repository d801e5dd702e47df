//! Reading a saved READ ATTRIBUTE response for `--inhex`, in the form sg3-utils'
//! `sg_read_attr --in=FILE` accepts: ASCII hex bytes separated by white space or commas, `#`
//! starting a comment that runs to the end of the line; or, with `--raw`, the binary bytes.
//!
//! A token of one or two hex digits is one byte; a longer token of an even number of digits
//! is read as consecutive bytes (`00000034` = `00 00 00 34`), so both spaced and run-together
//! dumps work. Anything else is refused with its line number.

use std::fmt;

/// Why a hex text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HexError {
    /// 1-based line number.
    pub line: usize,
    /// The offending token.
    pub token: String,
}

impl fmt::Display for HexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}: '{}' is not a hex byte (want 1-2 hex digits, or an even run of them)",
            self.line, self.token
        )
    }
}

impl std::error::Error for HexError {}

/// Parse hex text into bytes (see the module docs).
pub fn parse_hex(text: &str) -> Result<Vec<u8>, HexError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let data = line.split('#').next().unwrap_or_default();
        for token in data
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|t| !t.is_empty())
        {
            let err = || HexError {
                line: n + 1,
                token: token.to_string(),
            };
            if !token.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(err());
            }
            if token.len() <= 2 {
                out.push(u8::from_str_radix(token, 16).map_err(|_| err())?);
                continue;
            }
            if token.len() % 2 != 0 {
                return Err(err());
            }
            for pair in token.as_bytes().chunks(2) {
                let s = std::str::from_utf8(pair).map_err(|_| err())?;
                out.push(u8::from_str_radix(s, 16).map_err(|_| err())?);
            }
        }
    }
    Ok(out)
}
