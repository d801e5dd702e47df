//! mbuffer config files (`/etc/mbuffer.rc`, `~/.mbuffer.rc`, `$MBUFFERRC`): arbitrary text
//! must be read (bad lines become warnings) without panicking, also through the full parser.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tapekit_tools::mbuf::cli::{self, config, Env};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut cfg = config::Config::default();
    let mut warnings = Vec::new();
    config::apply(&text, 8 << 30, &mut cfg, &mut warnings);
    let env = Env {
        physical_memory: 8 << 30,
        page_size: 4096,
        config_files: vec![("rc".into(), text)],
        ..Env::default()
    };
    let _ = cli::parse(vec!["mbuf".into()], &env);
});
