//! `mt densities`: the density table in mt-st 1.7's two-column layout (reference `mt-st.md`
//! §7): a title, a header, then rows `0x%02x   %-28s  0x%02x   %s`, the first column holding
//! the first ⌈n/2⌉ entries and the second the rest (a row with no right entry ends after the
//! padded left one).
//!
//! Layout decision: tape-io's [`DENSITIES`] is 1.7's 90 entries plus 0x60 "LTO-9". Laying all
//! 91 out together would move the column split and change 45 of 1.7's rows, so instead 1.7's
//! entries are laid out exactly as 1.7 does (the first 47 lines are byte-identical to
//! `mt-st densities`) and the newer codes follow in extra rows of the same format.

use tape_io::density::{ADDED_AFTER_MT_ST_1_7, DENSITIES};

/// Append `entries` in mt-st's two-column layout.
fn push_columns(s: &mut String, entries: &[(u8, &str)]) {
    let rows = entries.len().div_ceil(2);
    let (left, right) = entries.split_at(rows);
    for (i, (code, name)) in left.iter().enumerate() {
        s.push_str(&format!("0x{code:02x}   {name:<28}"));
        match right.get(i) {
            Some((code, name)) => s.push_str(&format!("  0x{code:02x}   {name}\n")),
            None => s.push('\n'),
        }
    }
}

/// The full `mt densities` text.
pub fn format_densities() -> String {
    let mut s = String::from(
        "Some SCSI tape density codes:\ncode   explanation                   code   explanation\n",
    );
    let is_newer = |(code, _): &(u8, &str)| ADDED_AFTER_MT_ST_1_7.contains(code);
    let in_1_7: Vec<(u8, &str)> = DENSITIES.iter().copied().filter(|e| !is_newer(e)).collect();
    let newer: Vec<(u8, &str)> = DENSITIES.iter().copied().filter(is_newer).collect();
    push_columns(&mut s, &in_1_7);
    push_columns(&mut s, &newer);
    s
}
