//! Member names in `tapetar`'s own messages, quoted as GNU tar quotes names in listings
//! (`archive::listing::quote`: C escapes, other non-printable bytes and bytes ≥ 0x80 in
//! octal, as in the C locale), so a message names a member exactly as `tapetar list` does.

/// A printable (ASCII) form of `name`.
pub fn quote(name: &[u8]) -> String {
    String::from_utf8_lossy(&archive::listing::quote(name)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn escapes() {
        assert_eq!(quote(b"a b/c"), "a b/c");
        assert_eq!(quote(b"x\ny\\z"), "x\\ny\\\\z");
        assert_eq!(quote(&[0x01, 0xc3, 0xa9]), "\\001\\303\\251");
    }
}
