//! GNU tar `--exclude` patterns (gnulib fnmatch + exclude semantics): an arbitrary pattern
//! and an arbitrary name, split at the first NUL byte, must never panic, with and without
//! `FNM_LEADING_DIR`; GNU's member-name stripping runs on the name too.
#![no_main]
use archive::walk::{self, Excludes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (pattern, name) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"a/b/c"[..]),
    };
    let mut ex = Excludes::default();
    if ex.add(pattern).is_err() {
        return;
    }
    let with_dirs = ex.is_excluded(name);
    let without = ex.clone().leading_dir(false).is_excluded(name);
    // Leading-directory matching only ever adds matches.
    assert!(with_dirs || !without);
    let stored = walk::archive_name(name);
    assert!(!stored.is_empty());
    assert!(!stored.starts_with(b"/"));
});
