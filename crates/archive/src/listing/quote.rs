//! GNU tar's default name quoting: gnulib `quotearg` with `escape_quoting_style` in the C
//! locale. Printable ASCII (0x20-0x7e) stays as it is, except `\` which becomes `\\`; the C
//! escapes `\a \b \f \n \r \t \v` are used for those control characters; every other byte
//! (other controls, DEL, bytes >= 0x80) is written as a three-digit octal escape `\ooo`.
//! (In a UTF-8 locale GNU tar would keep printable multibyte characters; this module always
//! behaves as `LC_ALL=C`.)

/// Appends `name` quoted as GNU tar shows it in listings.
pub fn quote_into(out: &mut Vec<u8>, name: &[u8]) {
    for (i, &c) in name.iter().enumerate() {
        let esc = match c {
            0x07 => Some(b'a'),
            0x08 => Some(b'b'),
            0x0c => Some(b'f'),
            b'\n' => Some(b'n'),
            b'\r' => Some(b'r'),
            b'\t' => Some(b't'),
            0x0b => Some(b'v'),
            b'\\' => Some(b'\\'),
            _ => None,
        };
        if let Some(e) = esc {
            out.extend_from_slice(&[b'\\', e]);
        } else if c == 0 {
            // quotearg writes "\0", or "\000" when a digit follows.
            out.extend_from_slice(b"\\0");
            if name.get(i + 1).is_some_and(u8::is_ascii_digit) {
                out.extend_from_slice(b"00");
            }
        } else if (0x20..0x7f).contains(&c) {
            out.push(c);
        } else {
            out.extend_from_slice(&[
                b'\\',
                b'0' + (c >> 6),
                b'0' + ((c >> 3) & 7),
                b'0' + (c & 7),
            ]);
        }
    }
}

/// `name` quoted as GNU tar shows it in listings.
pub fn quote(name: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len());
    quote_into(&mut out, name);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_gnu_tar_in_c_locale() {
        // `LC_ALL=C tar -tf` of files named like this printed the right-hand side.
        assert_eq!(quote(b"d/nl\nx\ttab\x01\xe9"), b"d/nl\\nx\\ttab\\001\\351");
        assert_eq!(quote(b"d/back\\slash"), b"d/back\\\\slash");
        assert_eq!(quote(b"j\x7fk"), b"j\\177k");
        assert_eq!(
            quote(b"l\x1bm\x07\x08\x0c\x0b\rn"),
            b"l\\033m\\a\\b\\f\\v\\rn"
        );
        assert_eq!(quote(b"a\"b c'd e?f #g~ h{i}*"), b"a\"b c'd e?f #g~ h{i}*");
    }
}
