//! `mbuf` command lines (mbuffer option syntax, sizes, durations, geometry): arbitrary argv
//! words separated by NUL bytes must parse or fail cleanly, and a parsed run is consistent.
#![no_main]
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use libfuzzer_sys::fuzz_target;
use tapekit_tools::mbuf::cli::{self, Env};
use tapekit_tools::mbuf::options::Action;

fuzz_target!(|data: &[u8]| {
    let mut argv = vec![OsString::from("mbuf")];
    argv.extend(
        data.split(|b| *b == 0)
            .map(|w| OsString::from_vec(w.to_vec())),
    );
    let env = Env {
        physical_memory: 8 << 30,
        page_size: 4096,
        ..Env::default()
    };
    if let Ok(Action::Run(o)) = cli::parse(argv, &env) {
        assert!(o.blocks >= 5);
        assert!(o.block_size >= 1);
        assert!(!(o.high_watermark.is_some() && o.low_watermark.is_some()));
    }
});
